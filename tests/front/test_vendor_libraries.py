"""Every front-end library that is installed and served is used by a template (issue 16).

chart.js and htmx were installed, collected and served without any page loading
them: dead weight and attack surface. The rule: a package in package.json is
either referenced by a template under its vendor/ prefix or not installed.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "werklandschap" / "templates"


def _vendor_prefixes() -> dict[str, str]:
    return {
        prefix: str(path)
        for prefix, path in (e for e in settings.STATICFILES_DIRS if isinstance(e, tuple))
    }


def test_package_json_lists_only_used_libraries():
    deps = json.loads((ROOT / "package.json").read_text())["dependencies"]
    assert "chart.js" not in deps
    assert "htmx.org" not in deps
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert "node_modules/chart.js" not in lock["packages"]
    assert "node_modules/htmx.org" not in lock["packages"]


def test_every_served_vendor_directory_is_used_by_a_template():
    templates = "\n".join(p.read_text() for p in TEMPLATES.rglob("*.html"))
    for prefix in _vendor_prefixes():
        assert f"'{prefix}/" in templates or f'"{prefix}/' in templates, prefix
