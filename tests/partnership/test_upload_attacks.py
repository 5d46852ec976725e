"""Hostile outline uploads (issue 14): refused clearly; nothing read, stored or fetched.

The first slice handed uploads to GDAL, which picks a driver by content: a
GDAL virtual layer named ``park.geojson`` read any local file or URL, and the
"outside the Netherlands" error printed the bounds it produced. Each payload
below is first shown to work against GDAL itself (so these tests would fail
on the old reader), then sent through the public sign-up form.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import sqlite3
import struct
import subprocess
import sys
import threading
import tracemalloc
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyogrio
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyproj import CRS
from shapely.geometry import box

from tests.partnership.conftest import NEW_PARK_BOX, SIGNUP_URL, form_data
from tests.partnership.test_bad_input import assert_refused, counts, post_new
from tests.registry.fixtures_geo import write_layer
from werklandschap.lib import vectorfile
from werklandschap.lib.geo import RD_NEW
from werklandschap.partnership import outlines

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


# --------------------------------------------------------------------------- second round
# Found by attacking lib/vectorfile after it replaced GDAL: each payload below crashed a
# worker, escaped as HTTP 500, made PROJ open a server path, or cost seconds of CPU or
# hundreds of MB for a file far under the upload cap.


def _bare_gpkg(tmp_path: Path, name: str = "park.gpkg") -> Path:
    """The good GeoPackage without GDAL's triggers (they call functions sqlite3 lacks)."""
    path = write_layer(tmp_path / name, [box(*NEW_PARK_BOX)], {"name": ["X"]}, driver="GPKG")
    with sqlite3.connect(path) as conn:
        triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        for (trigger,) in triggers.fetchall():
            conn.execute(f'DROP TRIGGER "{trigger}"')
    return path


def _with_geometry(path: Path, wkb: bytes) -> Path:
    with sqlite3.connect(path) as conn:
        table = path.stem
        conn.execute(
            f'UPDATE "{table}" SET geom = ?', (b"GP\x00\x01" + struct.pack("<i", 0) + wkb,)
        )
    return path


def _read_in_subprocess(path: Path, timeout: float) -> subprocess.CompletedProcess:
    """read_layer with the public limits in a child process: a crash or hang fails the test
    instead of killing the test run."""
    code = (
        "import django, sys; django.setup()\n"
        "from werklandschap.lib import vectorfile\n"
        "from werklandschap.partnership import outlines\n"
        "try:\n"
        "    vectorfile.read_layer(sys.argv[1], outlines.upload_limits())\n"
        "except vectorfile.VectorFileError as exc:\n"
        "    print('refused:', exc)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "werklandschap.conf.settings.test"}
    return subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def test_geojson_coordinate_of_hundreds_of_digits_is_a_form_error(client, park):
    """json gives a Python int; float() of it raised OverflowError, which escaped as a 500."""
    ring = "[[1" + "0" * 400 + ", 1], [2, 2], [3, 1], [1, 1]]"
    text = '{"type": "Polygon", "coordinates": [' + ring + "]}"
    before = counts()

    response = post_new(client, outline_file=upload("t.geojson", text.encode()))

    assert_refused(response, "outline_file", "onleesbare geometrie", before=before)


def test_geopackage_with_deeply_nested_collections_does_not_crash_the_worker(tmp_path):
    """20,000 nested GeometryCollections (180 kB) overflowed GEOS's C stack: SIGSEGV."""
    nested = b"".join(b"\x01" + struct.pack("<II", 7, 1) for _ in range(30_000))
    path = _with_geometry(_bare_gpkg(tmp_path), nested + b"\x01" + struct.pack("<II", 7, 0))

    result = _read_in_subprocess(path, timeout=120)

    assert result.returncode == 0, result.stderr[-2000:]
    assert "onleesbare geometrie" in result.stdout


def test_geopackage_with_curved_geometry_is_a_form_error(client, park, tmp_path):
    """shapely raises NotImplementedError for a CurvePolygon; it escaped as a 500."""
    points = [(85000, 446000), (85150, 446100), (85300, 446000), (85150, 445900), (85000, 446000)]
    ring = b"\x01" + struct.pack("<II", 8, len(points))
    ring += b"".join(struct.pack("<dd", *p) for p in points)
    path = _with_geometry(_bare_gpkg(tmp_path), b"\x01" + struct.pack("<II", 10, 1) + ring)
    before = counts()

    response = post_new(client, outline_file=upload("park.gpkg", path.read_bytes()))

    assert_refused(response, "outline_file", "onleesbare geometrie", before=before)


def test_geopackage_without_spatial_ref_sys_table_is_a_form_error(client, park, tmp_path):
    """The CRS query ran outside the try blocks: sqlite3.OperationalError gave a 500."""
    path = _bare_gpkg(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE gpkg_spatial_ref_sys")
    before = counts()

    response = post_new(client, outline_file=upload("park.gpkg", path.read_bytes()))

    assert_refused(response, "outline_file", "onbekend coördinatenstelsel", before=before)


def _share_btree_pages(path: Path, table: str, levels: int) -> None:
    """Rewrite ``table`` so each b-tree page points ~580 times at one child page: a file of
    ~110 kB that holds 580**levels rows for SQLite (it does not check for shared pages)."""
    with sqlite3.connect(path) as conn:
        for level in range(levels):
            conn.execute(f"CREATE TABLE spare{level} (a)")
            conn.execute(f"INSERT INTO spare{level} VALUES (1)")
        roots = dict(conn.execute("SELECT name, rootpage FROM sqlite_master"))
    data = bytearray(path.read_bytes())
    size = struct.unpack(">H", data[16:18])[0]
    chain = [roots[table]] + [roots[f"spare{level}"] for level in range(levels)]
    # The real leaf (one row) moves to the last page of the chain.
    data[(chain[-1] - 1) * size : chain[-1] * size] = data[(chain[0] - 1) * size : chain[0] * size]
    for page, child in itertools.pairwise(chain):
        cells = (size - 12) // 7 - 1
        content = size - 5 * cells
        body = struct.pack(">BHHHBI", 5, 0, cells, content, 0, child)  # interior table page
        body += b"".join(struct.pack(">H", content + 5 * i) for i in range(cells))
        body += b"\x00" * (content - len(body)) + (struct.pack(">I", child) + b"\x01") * cells
        data[(page - 1) * size : page * size] = body
    path.write_bytes(bytes(data))


def test_geopackage_whose_pages_repeat_is_refused_without_walking_them(tmp_path):
    """count(*) walked 580**3 rows of a 110 kB file for 6 s; 580**4 would take hours."""
    path = _bare_gpkg(tmp_path)
    _share_btree_pages(path, "park", levels=4)

    result = _read_in_subprocess(path, timeout=120)

    assert result.returncode == 0, result.stderr[-2000:]
    assert "meer dan 100 objecten" in result.stdout


WKT_WITH_GRID = (
    'BOUNDCRS[SOURCECRS[GEOGCRS["x",DATUM["d",ELLIPSOID["Bessel 1841",6377397.155,299.1528128]],'
    'CS[ellipsoidal,2],AXIS["lat",north,ANGLEUNIT["degree",0.0174532925199433]],'
    'AXIS["lon",east,ANGLEUNIT["degree",0.0174532925199433]]]],'
    'TARGETCRS[GEOGCRS["WGS 84",DATUM["World Geodetic System 1984",'
    'ELLIPSOID["WGS 84",6378137,298.257223563]],CS[ellipsoidal,2],'
    'AXIS["lat",north,ANGLEUNIT["degree",0.0174532925199433]],'
    'AXIS["lon",east,ANGLEUNIT["degree",0.0174532925199433]]]],'
    'ABRIDGEDTRANSFORMATION["t",METHOD["NTv2",ID["EPSG",9615]],'
    'PARAMETERFILE["Latitude and longitude difference file","{path}"]]]'
)
WKT_WITH_PROJ_PIPELINE = (
    'PROJCRS["x",BASEGEOGCRS["WGS 84",DATUM["World Geodetic System 1984",'
    'ELLIPSOID["WGS 84",6378137,298.257223563]]],CONVERSION["c",'
    'METHOD["PROJ-based operation method: +proj=tinshift +file={path}"]],'
    'CS[Cartesian,2],AXIS["e",east,LENGTHUNIT["metre",1]],AXIS["n",north,LENGTHUNIT["metre",1]]]'
)


@pytest.mark.parametrize("wkt", [WKT_WITH_GRID, WKT_WITH_PROJ_PIPELINE], ids=["grid", "pipeline"])
def test_prj_naming_a_server_file_is_refused(client, park, tmp_path, secret_file, wkt):
    """PROJ opened the path in the .prj when it reprojected (seen with strace); building
    the transformation then failed with ProjError, which escaped as a 500."""
    parts = _shapefile_parts(tmp_path)
    parts[".prj"] = wkt.replace("{path}", str(secret_file)).encode()
    content = _zip({f"terrein{suffix}": data for suffix, data in parts.items()})
    before = counts()

    response = post_new(client, outline_file=upload("terrein.zip", content))

    assert_refused(response, "outline_file", "verwijst naar een ander bestand", before=before)
    assert str(secret_file) not in response.content.decode()


def test_geopackage_crs_naming_a_server_file_is_refused(tmp_path, secret_file):
    path = _bare_gpkg(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES ('x', 999, 'NONE', 999, ?, '')",
            (WKT_WITH_GRID.replace("{path}", str(secret_file)),),
        )
        conn.execute("UPDATE gpkg_geometry_columns SET srs_id = 999")

    with pytest.raises(vectorfile.VectorFileError, match="verwijst naar een ander bestand"):
        vectorfile.read_layer(path, outlines.upload_limits())


def _peak_memory_of(function) -> int:
    tracemalloc.start()
    try:
        function()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_shapefile_record_of_a_million_points_is_refused_before_parsing(tmp_path):
    """A 20 kB zip with one 20 MB record: pyshp unpacked 1.2 million points (~200 MB of
    Python objects, 4 s) before the vertex count could refuse it."""
    points = 1_200_000
    content = struct.pack("<i4dii", 5, 0, 0, 1, 1, 1, points) + struct.pack("<i", 0)
    content += b"\x00" * (16 * points)
    record = struct.pack(">ii", 1, len(content) // 2) + content
    header = struct.pack(">i20xi", 9994, (100 + len(record)) // 2)
    header += struct.pack("<ii8d", 1000, 5, 0, 0, 1, 1, 0, 0, 0, 0)
    path = tmp_path / "groot.zip"
    path.write_bytes(
        _zip(
            {
                "groot.shp": header + record,
                "groot.prj": CRS.from_epsg(4326).to_wkt("WKT1_ESRI").encode(),
            }
        )
    )
    assert path.stat().st_size < 100_000

    def read():
        with pytest.raises(vectorfile.VectorFileError, match="meer dan 20000 hoekpunten"):
            vectorfile.read_layer(path, outlines.upload_limits())

    # The 20 MB .shp itself is read out of the zip (and copied once); nothing more.
    assert _peak_memory_of(read) < 80_000_000


def test_geojson_of_millions_of_empty_arrays_is_refused_before_parsing(tmp_path):
    """5 MB of ``[],`` parse into ~1.7 million lists (~125 MB) before any check ran."""
    path = tmp_path / "leeg.geojson"
    properties = '{"a": [' + "[]," * 1_700_000 + "[]]}"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, '
        f'"properties": {properties}}}]}}'
    )
    assert path.stat().st_size < outlines.upload_max_bytes()

    def read():
        with pytest.raises(vectorfile.VectorFileError, match="te veel lijsten en objecten"):
            vectorfile.read_layer(path, outlines.upload_limits())

    assert _peak_memory_of(read) < 20_000_000


def _star_wgs84(vertices: int, step: int) -> list[list[float]]:
    """A star polygon {vertices/step}: every edge crosses most others."""
    import math

    ring = [
        [4.36 + 0.015 * math.cos(2 * math.pi * i * step / vertices),
         51.99 + 0.009 * math.sin(2 * math.pi * i * step / vertices)]
        for i in range(vertices)
    ]  # fmt: skip
    return [*ring, ring[0]]


def test_star_polygon_is_refused_before_make_valid(client, park):
    """make_valid on a 201-vertex star (~20,000 self-crossings) took 115 s of CPU (61
    vertices: ~3 s); 5,000 stacked squares ran out of memory. Drawn and uploaded outlines
    go through the same check, so a few kB could pin a worker."""
    outline = json.dumps({"type": "Polygon", "coordinates": [_star_wgs84(61, 30)]})
    before = counts()

    drawn_response = post_new(client, outline_drawn=outline)
    file_response = post_new(client, outline_file=upload("ster.geojson", outline.encode()))

    assert_refused(drawn_response, "outline_drawn", "kruist zichzelf te vaak", before=before)
    assert_refused(file_response, "outline_file", "kruist zichzelf te vaak", before=before)


def test_outline_with_a_small_kink_is_still_repaired(client, park, on_commit):
    """The crossing cap leaves the trivial repairs alone (a swapped pair of vertices)."""
    ring = _ring_wgs84(2_000)
    ring[100], ring[101] = ring[101], ring[100]
    outline = json.dumps({"type": "Polygon", "coordinates": [ring]})

    with on_commit():
        response = post_new(client, outline_drawn=outline)

    assert response.status_code == 302, response.context["form"].errors


def test_self_intersection_error_does_not_echo_the_point(client, park):
    """GEOS names the crossing point in its reason ("Self-intersection[85200 446150]")."""
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[4.36, 51.99], [4.37, 51.995], [4.37, 51.99], [4.36, 51.995], [4.36, 51.99]]
        ],
    }
    before = counts()

    response = post_new(client, outline_file=upload("strik.geojson", json.dumps(bowtie).encode()))

    assert_refused(response, "outline_file", "Ongeldige geometrie", before=before)
    errors = " ".join(response.context["form"].errors["outline_file"])
    assert "[" not in errors, errors


def test_drawn_outline_of_millions_of_empty_arrays_is_refused_before_parsing():
    """The drawn outline is a form field of up to the 6 MB body: 5 MB of ``[],`` parsed
    into ~125 MB of lists before the vertex count ran."""
    text = '{"type": "Polygon", "coordinates": [' + "[]," * 1_700_000 + "[]]}"

    def read():
        with pytest.raises(outlines.OutlineError, match="hoekpunten"):
            outlines.from_drawn_geojson(text)

    assert _peak_memory_of(read) < 20_000_000


def test_shapefile_with_thousands_of_nested_rings_is_refused_before_sorting_them(
    client, park, tmp_path
):
    """pyshp assigns holes to shells pair by pair in Python: 4,400 nested rings (within
    the 20,000-vertex cap) took 18 s and 250 MB before the outline checks ran."""
    import shapefile

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON)
    writer.field("name", "C")
    x, y = 85_150, 446_125
    rings = []
    for i in range(600):
        r = 100 + i * 0.1
        rings.append([(x - r, y - r), (x - r, y + r), (x + r, y + r), (x - r, y - r)])  # shell
        rings.append([(x, y), (x + 1, y), (x + 1, y + 1), (x, y)])  # hole inside all shells
    writer.poly(rings)
    writer.record("x")
    writer.close()
    members = {"ringen.shp": shp.getvalue(), "ringen.shx": shx.getvalue()}
    members |= {"ringen.dbf": dbf.getvalue(), "ringen.prj": CRS.from_epsg(28992).to_wkt().encode()}
    before = counts()

    response = post_new(client, outline_file=upload("ringen.zip", _zip(members)))

    assert_refused(response, "outline_file", "meer dan 500 ringen", before=before)


def test_valid_outline_of_long_overlapping_strips_is_refused_before_geos_checks_it(client, park):
    """10,000 parallel 1 km strips 5 cm apart: a valid polygon within the vertex cap whose
    every segment box overlaps every other; GEOS's is_valid took 3 s, and ran twice."""
    from pyproj import Transformer

    strips, eps = 9_990, 0.05
    rd = []
    for i in range(strips):
        a, b = (85_000, 446_000 + i * eps), (85_800, 446_800 + i * eps)
        rd += [a, b] if i % 2 == 0 else [b, a]
    rd += [(85_800, 446_800 + strips * eps), (84_990, 447_500 + strips * eps), (84_990, 445_990)]
    to_wgs84 = Transformer.from_crs(RD_NEW, "EPSG:4326", always_xy=True)
    xs, ys = to_wgs84.transform([p[0] for p in rd], [p[1] for p in rd])
    ring = [[x, y] for x, y in zip(xs, ys, strict=True)]
    outline = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    before = counts()

    response = post_new(
        client, outline_file=upload("stroken.geojson", json.dumps(outline).encode())
    )

    assert_refused(response, "outline_file", "te ingewikkeld om te controleren", before=before)


def test_geopackage_layer_names_are_not_echoed(client, park, tmp_path):
    """Several layers: the error listed their names, text taken from the file."""
    path = _bare_gpkg(tmp_path)
    with sqlite3.connect(path) as conn:
        for name in ("Bel 0900-1234\nvoor hulp", "tweede laag"):
            conn.execute(f'CREATE TABLE "{name}" (fid INTEGER PRIMARY KEY, geom BLOB)')
            conn.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                "VALUES (?, 'features', ?, 28992)",
                (name, name),
            )
            conn.execute(
                "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POLYGON', 28992, 0, 0)",
                (name,),
            )
    before = counts()

    response = post_new(client, outline_file=upload("lagen.gpkg", path.read_bytes()))

    assert_refused(response, "outline_file", "meerdere lagen", before=before)
    assert "0900" not in response.content.decode()


def test_geopackage_with_generated_columns_is_refused_before_they_fill_memory(tmp_path):
    """A generated column is computed on read (printf is allowed in a schema: it is
    'innocuous'): a 100 kB file gave one 4 MB string per column per row, up to SQLite's
    2,000 columns, all turned into Python strings. Values are now capped in length, the
    columns in number, and the bytes fetched in total."""
    path = _bare_gpkg(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA writable_schema = ON")
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'park'").fetchone()
        extra = "".join(f", g{i} AS (printf('%.*c', 900000, 'x'))" for i in range(30))
        conn.execute(
            "UPDATE sqlite_master SET sql = ? WHERE name = 'park'", (sql[:-1] + extra + ")",)
        )
    assert path.stat().st_size < 200_000

    def read():
        with pytest.raises(vectorfile.VectorFileError, match="uitgepakt te groot"):
            vectorfile.read_layer(path, outlines.upload_limits())

    assert _peak_memory_of(read) < 40_000_000


def test_geopackage_layer_with_more_columns_than_allowed_is_refused(client, park, tmp_path):
    path = _bare_gpkg(tmp_path)
    with sqlite3.connect(path) as conn:
        for i in range(outlines.UPLOAD_MAX_COLUMNS):
            conn.execute(f"ALTER TABLE park ADD COLUMN k{i} TEXT")
    before = counts()

    response = post_new(client, outline_file=upload("park.gpkg", path.read_bytes()))

    assert_refused(response, "outline_file", "beschadigde GeoPackage", before=before)
