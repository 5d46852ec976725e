"""Downloads parse back with the values that are stored.

CSV (semicolon, decimal comma, BOM) is read with the csv module, XLSX with
openpyxl, GeoJSON with json + shapely, GeoPackage with pyogrio. Every available
indicator must come back equal to the stored value (the engine stores values
rounded to 6 decimals; the files carry them unrounded), every missing one
empty, never 0. The land cover in the geo files must add up to the class
shares the scan stored: the map shows what was counted.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import openpyxl
import pyogrio.raw
import pytest
import shapely
from django.urls import reverse
from shapely.geometry import shape

from werklandschap.lib.geo import RD_NEW, WGS84, reproject

pytestmark = pytest.mark.django_db


def download(client, user, park, name):
    client.force_login(user)
    r = client.get(reverse(f"portal:{name}", kwargs={"slug": park.slug}))
    assert r.status_code == 200, r.content[:300]
    assert r["Content-Disposition"].startswith("attachment;")
    return r


def stored(scan) -> dict[str, float | None]:
    return {k: (v["value"] if v["status"] == "ok" else None) for k, v in scan.indicators.items()}


def test_csv_parses_back(client, park, people, scanned):
    scan, _ = scanned
    r = download(client, people["contact"], park, "csv")
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    header = rows[0]
    assert header[:5] == ["indicator", "omschrijving", "thema", "waarde", "eenheid"]
    data = {row[0]: row for row in rows[1:] if row and not row[0].startswith("#")}
    expected = stored(scan)
    assert set(data) == set(expected)
    for key, value in expected.items():
        cell = data[key][3]
        if value is None:
            assert cell == "", key
            assert data[key][5] == "niet beschikbaar"
            assert data[key][6], f"{key}: no reason given"
        else:
            assert float(cell.replace(",", ".")) == value, key
            assert data[key][4] == scan.indicators[key]["unit"]
    provenance = {row[1]: row[2] for row in rows if row and row[0] == "#"}
    assert provenance["synthetische gegevens"] == "ja"
    assert provenance["databundel"] == scan.run.bundle_name


def test_xlsx_parses_back(client, park, people, scanned):
    scan, _ = scanned
    r = download(client, people["team"], park, "xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(r.content), data_only=True)
    assert wb.sheetnames == ["Indicatoren", "Themascores", "Ambities", "Herkomst"]
    ws = wb["Indicatoren"]
    values = {row[0]: row[3] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert values == stored(scan)
    scores = {row[0]: row[1] for row in wb["Themascores"].iter_rows(min_row=2, values_only=True)}
    assert scores["Energie"] == scan.scores["energie"]
    assert scores["Circulariteit"] is None
    ambitions = {r[0]: r for r in wb["Ambities"].iter_rows(min_row=2, values_only=True)}
    canopy = ambitions["canopy_share_pct"]
    assert canopy[2] == scan.indicators["canopy_share_pct"]["value"]
    assert canopy[3] == 30.0
    assert canopy[5] == pytest.approx(max(0.0, 30.0 - canopy[2]))


def _class_shares(classes, areas, park_area):
    out: dict[str, float] = {}
    for key, area in zip(classes, areas, strict=True):
        out[key] = out.get(key, 0.0) + area
    return {k: v / park_area * 100.0 for k, v in out.items()}


def test_geojson_parses_back(client, park, people, scanned):
    scan, _ = scanned
    r = download(client, people["director"], park, "geojson")
    data = json.loads(r.content)
    outline, *landcover = data["features"]
    assert outline["properties"]["soort"] == "terrein"
    assert outline["properties"]["naam"] == park.name
    back = reproject(shape(outline["geometry"]), WGS84, RD_NEW)
    assert back.symmetric_difference(park.geometry).area < 0.001 * park.geometry.area
    assert len(landcover) > 20
    assert all(f["properties"]["soort"] == "landgebruik" for f in landcover)
    shares = _class_shares(
        [f["properties"]["klasse"] for f in landcover],
        [f["properties"]["oppervlakte_m2"] for f in landcover],
        park.geometry.area,
    )
    for key, share in shares.items():
        assert share == pytest.approx(scan.indicators[f"share_{key}_pct"]["value"], abs=1e-3), key
    # the WGS84 polygons are the same areas (within reprojection rounding)
    for f in landcover[:10]:
        rd = reproject(shape(f["geometry"]), WGS84, RD_NEW)
        assert rd.area == pytest.approx(f["properties"]["oppervlakte_m2"], rel=1e-3, abs=0.05)


def test_geopackage_parses_back(client, park, people, scanned, tmp_path):
    scan, _ = scanned
    r = download(client, people["province"], park, "gpkg")
    path = tmp_path / "terrein.gpkg"
    path.write_bytes(r.content)
    layers = [name for name, _type in pyogrio.list_layers(path)]
    assert layers == ["terrein", "landgebruik"]
    meta, _fids, wkb, fields = pyogrio.raw.read(path, layer="terrein")
    assert "28992" in meta["crs"]
    names = [str(n) for n in meta["fields"]]
    row = {n: fields[i][0] for i, n in enumerate(names)}
    assert row["naam"] == park.name
    outline = shapely.from_wkb(wkb[0])
    assert outline.symmetric_difference(park.geometry).area < 1e-6 * park.geometry.area
    for key, value in stored(scan).items():
        if value is None:
            assert np.isnan(row[key]), key
        else:
            assert row[key] == value, key
    assert row["score_productiviteit"] == scan.scores["productiviteit"]
    meta, _fids, wkb, fields = pyogrio.raw.read(path, layer="landgebruik")
    names = [str(n) for n in meta["fields"]]
    col = {n: fields[i] for i, n in enumerate(names)}
    geoms = shapely.from_wkb(wkb)
    assert np.allclose(shapely.area(geoms), col["oppervlakte_m2"], rtol=1e-6, atol=1e-3)
    shares = _class_shares(list(col["klasse"]), list(col["oppervlakte_m2"]), park.geometry.area)
    for key, share in shares.items():
        assert share == pytest.approx(scan.indicators[f"share_{key}_pct"]["value"], abs=1e-4), key


FORMULA_NAME = '=HYPERLINK("http://x","y")'


def test_xlsx_writes_a_formula_like_park_name_as_text(client, park, people, scanned):
    """A park name that looks like a formula stays text in the workbook (issue 14).

    openpyxl (and so the export) wrote any string starting with "=" as a live
    formula: a name from a sign-up or import became a link or a calculation in
    the consultant's Excel. Read back, the cell must be the same text, typed as a
    string and marked quote-prefixed (what Excel does for a typed leading ').
    """
    park.name = FORMULA_NAME
    park.save(update_fields=["name"])
    r = download(client, people["team"], park, "xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "formula cells in the export"
    name_cells = [c for c in cells if c.value == FORMULA_NAME]
    assert len(name_cells) == 1
    assert name_cells[0].data_type == "s"
    assert name_cells[0].quotePrefix


def test_csv_writes_a_formula_like_park_name_escaped(client, park, people, scanned):
    park.name = FORMULA_NAME
    park.save(update_fields=["name"])
    r = download(client, people["contact"], park, "csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8").lstrip("\ufeff")), delimiter=";"))
    names = [row[2] for row in rows if row and row[0] == "#" and FORMULA_NAME in row[2]]
    assert names == ["'" + FORMULA_NAME]


@pytest.mark.parametrize(
    "text, safe",
    [
        ("=1+2", "'=1+2"),
        ("+31 15 123", "'+31 15 123"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Schieweg = groen", "Schieweg = groen"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_formula_safe(text, safe):
    from werklandschap.lib.spreadsheet import formula_safe

    assert formula_safe(text) == safe
