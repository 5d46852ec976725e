"""Bad outlines and uploads: a clear Dutch message next to the field, and nothing stored."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pyogrio
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from shapely.geometry import Polygon, box, mapping

from tests.partnership.conftest import NEW_PARK_BOX, SIGNUP_URL, drawn, form_data
from werklandschap.accounts.models import User
from werklandschap.partnership.models import ApplicationEvent, PartnerApplication
from werklandschap.registry.models import Park


def counts() -> tuple[int, ...]:
    return (
        PartnerApplication.objects.count(),
        ApplicationEvent.objects.count(),
        Park.objects.count(),
        User.objects.count(),
    )


def post_new(client, **fields):
    data = form_data(None, proposed_name="Nieuw terrein", **fields)
    return client.post(SIGNUP_URL, data)


def assert_refused(response, field: str, *fragments: str, before) -> None:
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    for fragment in fragments:
        assert fragment in errors, errors
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html  # shown next to the field
    assert 'class="error-summary"' in html
    assert counts() == before
    assert mail.outbox == []


# Bow tie: the ring crosses itself; "repairing" it would invent area.
BOWTIE_RD = Polygon([(85000, 446000), (85400, 446300), (85400, 446000), (85000, 446300)])
PARIS_WGS84 = {
    "type": "Polygon",
    "coordinates": [[[2.34, 48.85], [2.36, 48.85], [2.36, 48.86], [2.34, 48.86], [2.34, 48.85]]],
}


@pytest.mark.parametrize(
    ("label", "outline", "fragments"),
    [
        ("self-intersecting", drawn(BOWTIE_RD), ["Ongeldige geometrie"]),
        ("outside NL", json.dumps(PARIS_WGS84), ["buiten Nederland"]),
        ("absurdly large", drawn(box(100000, 420000, 110000, 430000)), ["hoogstens 5.000 ha"]),
        ("tiny", drawn(box(85000, 446000, 85010, 446010)), ["minstens 0,1 ha"]),
        (
            "a line",
            json.dumps({"type": "LineString", "coordinates": [[4.3, 52], [4.4, 52]]}),
            ["als vlak"],
        ),
        ("not json", "{{{", ["kon niet worden gelezen"]),
        ("no coordinates", json.dumps({"type": "Polygon"}), ["kon niet worden gelezen"]),
    ],
)
def test_bad_drawn_outline_stores_nothing(client, park, label, outline, fragments):
    before = counts()
    response = post_new(client, outline_drawn=outline)
    assert_refused(response, "outline_drawn", *fragments, before=before)


def geojson_upload(geometries, name="terrein.geojson", crs=None) -> SimpleUploadedFile:
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": g} for g in geometries],
    }
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    return SimpleUploadedFile(name, json.dumps(collection).encode(), "application/geo+json")


def test_upload_malformed_file(client, park):
    before = counts()
    upload = SimpleUploadedFile("terrein.geojson", b"dit is geen geojson", "application/json")
    response = post_new(client, outline_file=upload)
    assert_refused(response, "outline_file", "terrein.geojson", before=before)


def test_upload_wrong_type(client, park):
    before = counts()
    upload = SimpleUploadedFile("terrein.pdf", b"%PDF-1.4", "application/pdf")
    response = post_new(client, outline_file=upload)
    assert_refused(response, "outline_file", "bestandstype wordt niet ondersteund", before=before)


@override_settings(PARTNERSHIP_UPLOAD_MAX_BYTES=1024)
def test_upload_too_large(client, park):
    before = counts()
    big = geojson_upload([mapping(box(4.35, 51.99, 4.36, 52.0))] * 20)
    assert big.size > 1024
    response = post_new(client, outline_file=big)
    assert_refused(response, "outline_file", "te groot", "maximum", before=before)


def test_upload_with_several_parks(client, park):
    before = counts()
    two = geojson_upload(
        [mapping(box(4.35, 51.99, 4.355, 51.995)), mapping(box(4.36, 51.99, 4.365, 51.995))]
    )
    response = post_new(client, outline_file=two)
    assert_refused(response, "outline_file", "2 objecten", before=before)


def test_upload_in_rd_new_without_crs_is_explained(client, park):
    before = counts()
    # Metres declared (by default) as degrees: a classic export mistake.
    upload = geojson_upload([mapping(box(*NEW_PARK_BOX))])
    response = post_new(client, outline_file=upload)
    assert_refused(response, "outline_file", "geen graden", before=before)


def test_zip_without_prj_is_explained(client, park, tmp_path):
    before = counts()
    path = tmp_path / "terrein.shp"
    pyogrio.write_dataframe(_frame(box(*NEW_PARK_BOX), "EPSG:28992"), path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for suffix in (".shp", ".shx", ".dbf"):  # the .prj is missing
            archive.write(path.with_suffix(suffix), Path("terrein").with_suffix(suffix).name)
    upload = SimpleUploadedFile("terrein.zip", buffer.getvalue(), "application/zip")
    response = post_new(client, outline_file=upload)
    assert_refused(response, "outline_file", "coördinatenstelsel", before=before)


def _frame(geometry, crs):
    geopandas = pytest.importorskip("geopandas")
    return geopandas.GeoDataFrame({"naam": ["Nieuw"]}, geometry=[geometry], crs=crs)


@pytest.mark.parametrize("suffix", [".gpkg", ".zip", ".geojson"])
def test_good_uploads_in_any_format_and_crs_are_accepted(client, park, tmp_path, suffix, on_commit):
    frame = _frame(box(*NEW_PARK_BOX), "EPSG:28992")
    if suffix == ".gpkg":
        path = tmp_path / "terrein.gpkg"
        frame.to_file(path, driver="GPKG")
        content = path.read_bytes()
    elif suffix == ".zip":
        frame.to_file(tmp_path / "terrein.shp")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for part in (".shp", ".shx", ".dbf", ".prj"):
                archive.write(tmp_path / f"terrein{part}", f"terrein{part}")
        content = buffer.getvalue()
    else:
        content = frame.to_crs("EPSG:4326").to_json().encode()
    upload = SimpleUploadedFile(f"terrein{suffix}", content)
    with on_commit():
        response = post_new(client, outline_file=upload)
    assert response.status_code == 302, response.context["form"].errors
    application = PartnerApplication.objects.get()
    assert application.outline_source == "uploaded"
    assert abs(application.geometry.area - box(*NEW_PARK_BOX).area) < 1.0
