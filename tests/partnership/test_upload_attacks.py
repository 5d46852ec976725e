"""Hostile outline uploads (issue 14): refused clearly; nothing read, stored or fetched.

The first slice handed uploads to GDAL, which picks a driver by content: a
GDAL virtual layer named ``park.geojson`` read any local file or URL, and the
"outside the Netherlands" error printed the bounds it produced. Each payload
below is first shown to work against GDAL itself (so these tests would fail
on the old reader), then sent through the public sign-up form.
"""

from __future__ import annotations

import io
import json
import sqlite3
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyogrio
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from shapely.geometry import box

from tests.partnership.conftest import NEW_PARK_BOX, SIGNUP_URL, form_data
from tests.partnership.test_bad_input import assert_refused, counts, post_new
from tests.registry.fixtures_geo import write_layer
from werklandschap.lib.geo import RD_NEW

SECRET_FILE_TEXT = "geheime-inhoud-7f3a"


@pytest.fixture
def secret_file(tmp_path) -> Path:
    """A server-side file the attacker wants to read (stands in for /etc/passwd or the DB)."""
    path = tmp_path / "geheim.csv"
    path.write_text(f"{SECRET_FILE_TEXT},x\n1,2\n")
    return path


@pytest.fixture
def http_server():
    """A local HTTP server that records every request it receives (the SSRF target)."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def vrt(source: str, layer: str | None = None) -> bytes:
    src_layer = f"<SrcLayer>{layer}</SrcLayer>" if layer else ""
    return (
        "<OGRVRTDataSource><OGRVRTLayer name='p'>"
        f"<SrcDataSource>{source}</SrcDataSource>{src_layer}"
        "</OGRVRTLayer></OGRVRTDataSource>"
    ).encode()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


# --------------------------------------------------------------------------- GDAL virtual layers


def test_vrt_payloads_do_read_files_and_urls_through_gdal(tmp_path, secret_file, http_server):
    """The payloads are real: GDAL itself follows them (this is what the old reader did)."""
    url, hits = http_server
    local = tmp_path / "park.geojson"
    local.write_bytes(vrt(f"CSV:{secret_file}", "geheim"))
    assert pyogrio.read_info(local)["fields"][0] == SECRET_FILE_TEXT

    remote = tmp_path / "park2.geojson"
    remote.write_bytes(vrt(f"/vsicurl/{url}/park.csv"))
    with pytest.raises((pyogrio.errors.DataSourceError, pyogrio.errors.CRSError)):
        pyogrio.read_info(remote)
    assert hits, "GDAL did not fetch the URL: the SSRF test below would prove nothing"


def test_vrt_to_local_file_is_refused(client, park, secret_file):
    before = counts()

    response = post_new(client, outline_file=upload("park.geojson", vrt(f"CSV:{secret_file}")))

    assert_refused(response, "outline_file", "de inhoud is geen GeoJSON", before=before)
    assert SECRET_FILE_TEXT not in response.content.decode()


def test_vrt_to_url_is_refused_and_nothing_fetched(client, park, http_server):
    url, hits = http_server
    before = counts()

    response = post_new(client, outline_file=upload("park.gpkg", vrt(f"/vsicurl/{url}/park.csv")))

    assert_refused(response, "outline_file", "de inhoud is geen GeoPackage", before=before)
    assert hits == []


def test_vrt_inside_a_zip_is_refused_and_nothing_fetched(client, park, http_server):
    url, hits = http_server
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("park.shp", vrt(f"/vsicurl/{url}/park.csv"))
    before = counts()

    response = post_new(client, outline_file=upload("park.zip", buffer.getvalue()))

    assert_refused(response, "outline_file", "geen Shapefile", before=before)
    assert hits == []


# --------------------------------------------------------------------------- GeoPackage


def _gpkg(tmp_path: Path) -> Path:
    return write_layer(
        tmp_path / "park.gpkg", [box(*NEW_PARK_BOX)], {"name": ["Nieuw"]}, driver="GPKG"
    )


def test_geopackage_whose_layer_is_a_view_on_another_file_is_refused(
    client, park, tmp_path, secret_file
):
    """The layer is a view over a VirtualOGR table (GDAL's SQLite module) naming a local file."""
    path = _gpkg(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES "
            "('table', 'bron', 'bron', 0, ?)",
            (f"CREATE VIRTUAL TABLE bron USING VirtualOGR('CSV:{secret_file}')",),
        )
        conn.execute("PRAGMA writable_schema = OFF")
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE VIEW lek AS SELECT * FROM park")
        conn.execute("CREATE TRIGGER t AFTER INSERT ON park BEGIN SELECT * FROM bron; END")
        conn.execute("DELETE FROM gpkg_geometry_columns")
        conn.execute("DELETE FROM gpkg_contents")
        conn.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
            "VALUES ('lek', 'features', 'lek', 28992)"
        )
        conn.execute(
            "INSERT INTO gpkg_geometry_columns VALUES ('lek', 'geom', 'POLYGON', 28992, 0, 0)"
        )
        conn.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
            "VALUES ('bron', 'features', 'bron', 28992)"
        )
        conn.execute(
            "INSERT INTO gpkg_geometry_columns VALUES ('bron', 'geom', 'POLYGON', 28992, 0, 0)"
        )
    before = counts()

    response = post_new(client, outline_file=upload("park.gpkg", path.read_bytes()))

    assert_refused(response, "outline_file", "geen (leesbare) laag", before=before)
    assert SECRET_FILE_TEXT not in response.content.decode()


def test_plain_sqlite_database_named_gpkg_is_refused(client, park, tmp_path):
    """E.g. the platform's own SQLite database, uploaded back as a 'GeoPackage'."""
    path = tmp_path / "db.gpkg"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE django_session (session_key text, session_data text)")
    before = counts()

    response = post_new(client, outline_file=upload("park.gpkg", path.read_bytes()))

    assert_refused(response, "outline_file", "maar geen GeoPackage", before=before)


def test_good_geopackage_still_accepted_after_hardening(client, park, tmp_path, on_commit):
    path = _gpkg(tmp_path)
    with on_commit():
        response = post_new(client, outline_file=upload("park.gpkg", path.read_bytes()))
    assert response.status_code == 302, response.context["form"].errors


# --------------------------------------------------------------------------- zip


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _shapefile_parts(tmp_path: Path) -> dict[str, bytes]:
    shp = write_layer(
        tmp_path / "terrein.shp",
        [box(*NEW_PARK_BOX)],
        {"name": ["Nieuw"]},
        driver="ESRI Shapefile",
    )
    return {p.suffix: p.read_bytes() for p in shp.parent.glob("terrein.*")}


@pytest.mark.parametrize("member", ["../../terrein.shp", "/tmp/terrein.shp", "a\\..\\b.shp"])
def test_zip_with_path_traversal_name_is_refused(client, park, tmp_path, member):
    parts = _shapefile_parts(tmp_path)
    stem = member.rsplit(".", 1)[0]
    content = _zip({f"{stem}{suffix}": data for suffix, data in parts.items()})
    before = counts()

    response = post_new(client, outline_file=upload("terrein.zip", content))

    assert_refused(response, "outline_file", "ongeldige bestandsnaam", before=before)
    assert not (tmp_path.parent.parent / "terrein.shp").exists()


def test_zip_bomb_is_refused_before_unpacking(client, park, tmp_path):
    parts = _shapefile_parts(tmp_path)
    parts[".dbf"] = b"\x00" * (40 * 1024 * 1024)  # 40 MB of zeros packs into ~40 kB
    content = _zip({f"terrein{suffix}": data for suffix, data in parts.items()})
    assert len(content) < 200_000
    before = counts()

    response = post_new(client, outline_file=upload("terrein.zip", content))

    assert_refused(response, "outline_file", "uitgepakt te groot", before=before)


def test_good_zipped_shapefile_still_accepted(client, park, tmp_path, on_commit):
    parts = _shapefile_parts(tmp_path)
    content = _zip({f"map/terrein{suffix}": data for suffix, data in parts.items()})
    with on_commit():
        response = post_new(client, outline_file=upload("terrein.zip", content))
    assert response.status_code == 302, response.context["form"].errors


# --------------------------------------------------------------------------- sizes and depth


def test_file_with_too_many_objects_is_refused_while_reading(client, park):
    feature = {"type": "Feature", "properties": {}, "geometry": None}
    collection = {"type": "FeatureCollection", "features": [feature] * 101}
    before = counts()

    response = post_new(client, outline_file=upload("t.geojson", json.dumps(collection).encode()))

    assert_refused(response, "outline_file", "meer dan 100 objecten", before=before)


def _ring_wgs84(vertices: int) -> list[list[float]]:
    import math

    ring = [
        [4.36 + 0.002 * math.cos(2 * math.pi * i / vertices),
         51.99 + 0.0012 * math.sin(2 * math.pi * i / vertices)]
        for i in range(vertices)
    ]  # fmt: skip
    return [*ring, ring[0]]


def test_drawn_outline_with_too_many_vertices_stores_nothing(client, park, settings):
    settings.PARTNERSHIP_OUTLINE_MAX_VERTICES = 1_000
    outline = json.dumps({"type": "Polygon", "coordinates": [_ring_wgs84(1_500)]})
    before = counts()

    response = post_new(client, outline_drawn=outline)

    assert_refused(response, "outline_drawn", "meer dan 1000 hoekpunten", before=before)


def test_uploaded_outline_with_too_many_vertices_is_refused(client, park, settings):
    settings.PARTNERSHIP_OUTLINE_MAX_VERTICES = 1_000
    geometry = {"type": "Polygon", "coordinates": [_ring_wgs84(1_500)]}
    before = counts()

    response = post_new(client, outline_file=upload("t.geojson", json.dumps(geometry).encode()))

    assert_refused(response, "outline_file", "meer dan 1000 hoekpunten", before=before)


def test_deeply_nested_drawn_outline_is_a_clear_error(client, park):
    before = counts()
    nested = '{"type": "Polygon", "coordinates": ' + "[" * 3000 + "]" * 3000 + "}"

    response = post_new(client, outline_drawn=nested)

    assert_refused(response, "outline_drawn", "kon niet worden gelezen", before=before)


def test_deeply_nested_uploaded_geojson_is_a_clear_error(client, park):
    before = counts()
    nested = '{"type": "Polygon", "coordinates": ' + "[" * 100_000 + "]" * 100_000 + "}"

    response = post_new(client, outline_file=upload("t.geojson", nested.encode()))

    assert_refused(response, "outline_file", "te diep genest", before=before)


def test_request_body_over_the_limit_is_refused_before_reading(client, park, settings):
    settings.REQUEST_MAX_BODY_BYTES = 1_000_000
    big = upload("t.geojson", b"{" + b" " * 1_200_000 + b"}")
    before = counts()

    response = client.post(SIGNUP_URL, form_data(None, proposed_name="X", outline_file=big))

    assert response.status_code == 413
    assert "te groot" in response.content.decode()
    assert counts() == before


# --------------------------------------------------------------------------- no echo


def test_refused_outlines_do_not_echo_coordinates(client, park, tmp_path):
    """Errors about a file from the public repeat no number read from it."""
    far = box(500_000.0, 700_000.0, 500_300.0, 700_200.0)  # RD New, far outside NL
    path = write_layer(tmp_path / "ver.gpkg", [far], {"name": ["X"]}, driver="GPKG", crs=RD_NEW)
    rd_in_wgs84 = {
        "type": "Polygon",
        "coordinates": [[[85000, 446000], [85300, 446000], [85300, 446250], [85000, 446000]]],
    }
    before = counts()

    far_response = post_new(client, outline_file=upload("ver.gpkg", path.read_bytes()))
    rd_response = post_new(
        client, outline_file=upload("rd.geojson", json.dumps(rd_in_wgs84).encode())
    )
    drawn_response = post_new(client, outline_drawn=json.dumps(rd_in_wgs84))

    assert_refused(far_response, "outline_file", "buiten Nederland", before=before)
    assert_refused(rd_response, "outline_file", "geen graden", before=before)
    for response in (far_response, rd_response, drawn_response):
        errors = " ".join(str(e) for e in response.context["form"].errors.values())
        for number in ("500000", "700000", "500300", "85000", "446000", "85300"):
            assert number not in errors.replace(" ", "").replace(".", ""), errors
