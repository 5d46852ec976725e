"""Bulk open-data downloads (issue 21): four formats, licence, data dictionary, regenerated
when a batch scan run ends."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from werklandschap.api import opendata
from werklandschap.scanengine.catalog import HEADLINE
from werklandschap.scans.models import ScanRun
from werklandschap.scans.services import _finish

from .helpers import stored_scan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_folder(settings, tmp_path):
    settings.OPEN_DATA_ROOT = str(tmp_path / "open-data")


def test_every_format_with_public_indicators_and_right_content_type(client, park):
    stored_scan(park, value=12.5, secret=77.25)
    call_command("open_data", stdout=io.StringIO())
    index = client.get("/api/v1/open-data").json()
    assert index["licence"] == "CC BY 4.0" and index["parks"] >= 1
    types = {d["name"]: d["mediaType"] for d in index["downloads"]}
    bodies = {}
    for name, media_type in types.items():
        response = client.get(f"/api/v1/open-data/{name}")
        assert response.status_code == 200, name
        assert response["Content-Type"] == media_type
        assert response["Access-Control-Allow-Origin"] == "*"
        bodies[name] = b"".join(response.streaming_content)
        again = client.get(f"/api/v1/open-data/{name}", HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
    rows = list(csv.DictReader(io.StringIO(bodies["parks.csv"].decode())))
    row = next(r for r in rows if r["slug"] == park.slug)
    assert [float(row[k]) for k in HEADLINE] == [12.5] * len(HEADLINE)
    for name in ("parks.csv", "parks.geojson"):
        assert b"77.25" not in bodies[name]  # only the public (headline) indicators
    geo = json.loads(bodies["parks.geojson"])
    feature = next(f for f in geo["features"] if f["id"] == park.slug)
    ring = feature["geometry"]["coordinates"][0]
    if feature["geometry"]["type"] == "MultiPolygon":
        ring = ring[0]
    assert 3 < ring[0][0] < 8 and 50 < ring[0][1] < 54  # WGS84
    sheet = load_workbook(io.BytesIO(bodies["parks.xlsx"]), read_only=True)
    assert sheet.sheetnames == ["parks", "data-dictionary", "licence"]
    assert bodies["parks.gpkg"][:16] == b"SQLite format 3\x00"
    dictionary = list(csv.reader(io.StringIO(bodies["data-dictionary.csv"].decode())))
    described = {r[0] for r in dictionary[1:]}
    assert set(opendata.columns()) == described  # every column explained
    assert b"CC BY 4.0" in bodies["licence.txt"]


def test_geopackage_reads_back_with_every_column(park, tmp_path):
    import pyogrio

    stored_scan(park)
    opendata.regenerate()
    info = pyogrio.read_info(opendata.root() / "parks.gpkg", layer="parks")
    assert list(info["fields"]) == opendata.columns()
    assert info["crs"] == "EPSG:28992" and info["features"] >= 1


def test_regenerated_when_a_scan_run_finishes(park):
    opendata.regenerate()
    assert "12.5" not in (opendata.root() / "parks.csv").read_text()
    scan = stored_scan(park, value=12.5)
    _finish(scan.run, ScanRun.Status.COMPLETED, "")  # how every batch scan run ends
    assert "12.5" in (opendata.root() / "parks.csv").read_text()


def test_formula_like_park_name_is_text(park):
    park.name = '=HYPERLINK("http://evil.example","klik")'
    park.save()
    opendata.regenerate()
    text = (opendata.root() / "parks.csv").read_text()
    assert "'=HYPERLINK" in text


def test_a_new_generation_replaces_the_old_atomically(park):
    opendata.regenerate()
    first = opendata.root()
    reader = (first / "parks.csv").open("rb")  # a download in progress
    park.name = "Hernoemd terrein"
    park.save()
    opendata.regenerate()
    second = opendata.root()
    assert second != first and not first.exists()
    assert [p.name for p in opendata.base_dir().glob("generation-*")] == [second.name]
    assert b"Hernoemd terrein" not in reader.read()  # the old file is sent whole
    reader.close()
    assert "Hernoemd terrein" in (second / "parks.csv").read_text()


def test_missing_files_are_written_once_on_first_request(client, park):
    assert opendata.manifest() is None
    assert client.get("/api/v1/open-data/parks.csv").status_code == 200
    first = opendata.root()
    assert client.get("/api/v1/open-data").json()["parks"] >= 1
    assert opendata.root() == first  # not written again


def test_every_file_says_when_it_was_written_in_last_modified(client, park):
    from django.utils.http import parse_http_date

    call_command("open_data", stdout=io.StringIO())
    folder = opendata.root()
    for name in opendata.FILES:
        response = client.get(f"/api/v1/open-data/{name}")
        written = int((folder / name).stat().st_mtime)
        assert parse_http_date(response["Last-Modified"]) == written, name
        again = client.get(f"/api/v1/open-data/{name}", HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again["Last-Modified"] == response["Last-Modified"]
