"""`werklandschap serve` collects static files only when they changed (production start-up)."""

from __future__ import annotations

import os

from django.contrib.staticfiles import finders

from werklandschap.front.static import MANIFEST_NAME, collect_static_if_changed


def _settings(settings, tmp_path):
    source = tmp_path / "bron"
    source.mkdir()
    (source / "site.css").write_text("body { color: black; }")
    (source / "app.js").write_text("console.log(1);")
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "verzameld"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    finders.get_finder.cache_clear()
    return source


def test_static_files_are_collected_once_and_again_after_a_change(settings, tmp_path):
    source = _settings(settings, tmp_path)
    try:
        assert collect_static_if_changed() is True
        manifest = settings.STATIC_ROOT / MANIFEST_NAME
        assert manifest.is_file()
        collected_at = manifest.stat().st_mtime_ns

        assert collect_static_if_changed() is False
        assert manifest.stat().st_mtime_ns == collected_at

        (source / "site.css").write_text("body { color: green; }")
        assert collect_static_if_changed() is True
        assert any(p.name.startswith("site.") and "green" in p.read_text(errors="ignore")
                   for p in settings.STATIC_ROOT.glob("site.*.css"))  # fmt: skip

        os.remove(manifest)
        assert collect_static_if_changed() is True  # a missing manifest is collected again
    finally:
        finders.get_finder.cache_clear()
