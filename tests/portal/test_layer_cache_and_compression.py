"""Map layers are computed once per scan and shared; data responses are gzipped, HTML is not.

Issue 16: the dashboard took seconds per request for the programme team and
its land-cover GeoJSON was sent uncompressed (875 KB on a large park). Figures:
bench/dashboard_bench.py.
"""

from __future__ import annotations

import gzip
import importlib
import json
import shutil
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from werklandschap.portal import layers
from werklandschap.registry.models import Park
from werklandschap.registry.services import unique_park_slug


def _bundle_dir(scan) -> Path:
    return Path(scan.run.bundle["manifest"]).parent


def test_the_land_cover_layer_is_computed_once_per_scan(scanned, park, tmp_path):
    scan = scanned[0]
    cache.clear()
    first = layers.cached_landcover_geojson(park, scan)
    assert json.loads(first)["type"] == "FeatureCollection"
    # Without its bundle the layer cannot be computed again: a second answer
    # can only come from the cache.
    moved = tmp_path / "moved"
    shutil.move(_bundle_dir(scan), moved)
    layers.clear_process_caches()
    try:
        assert layers.cached_landcover_geojson(park, scan) == first
        # A changed outline is another key: computed again, which now fails.
        park.save()
        try:
            layers.cached_landcover_geojson(park, scan)
        except layers.LayerUnavailable:
            pass
        else:
            raise AssertionError("a changed outline must not reuse the cached layer")
    finally:
        shutil.move(moved, _bundle_dir(scan))


def test_the_cache_is_shared_by_workers_and_kept_across_restarts():
    """A file cache: every gunicorn worker reads what another computed (was per process)."""
    base = importlib.import_module("werklandschap.conf.settings.base")
    backend = base.CACHES["default"]["BACKEND"]
    assert backend == "django.core.cache.backends.filebased.FileBasedCache"
    assert base.CACHES["default"]["LOCATION"] == str(base.CACHE_DIR)
    assert settings.CACHES["default"]["BACKEND"] == backend


def test_land_cover_geojson_is_sent_gzipped(client, people, scanned, park):
    client.force_login(people["team"])
    url = reverse("portal:landcover", kwargs={"slug": park.slug})
    plain = client.get(url)
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.get("Content-Encoding") is None
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 3


def test_public_map_data_and_csv_are_gzipped(client, park):
    # Django pads gzip output with up to 100 random bytes (Heal the Breach)
    # and sends the plain body when that is shorter: a one-park CSV (367
    # bytes, 275 gzipped) came out uncompressed in about one run in ten.
    # Twenty parks make the files large enough for gzip to always win.
    for number in range(20):
        name = f"Bedrijvenpark Noord {number}"
        Park.objects.create(
            name=name,
            slug=unique_park_slug(name),
            geometry=park.geometry,
            region=park.region,
            province=park.province,
        )
    for name in ("registry:parks-geojson", "registry:park-list-csv"):
        response = client.get(reverse(name), HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip", name


def test_html_pages_are_never_compressed(client, people, scanned, park):
    """BREACH: pages carry CSRF tokens and reflect input (here a search term)."""
    client.force_login(people["team"])
    for url in (
        reverse("registry:park-list") + "?q=" + "Schieweg" * 40,
        reverse("portal:dashboard", kwargs={"slug": park.slug}),
        reverse("partnership:signup"),
    ):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Type"].startswith("text/html"), url
        assert response.get("Content-Encoding") is None, url
        assert len(response.content) > 200
