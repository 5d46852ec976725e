"""`werklandschap scan` on a file: the input's id, name and attributes reach every
output format, CSV text cells are formula-safe, a GeoJSON in RD New without a CRS
gets the same advice as `import-parks`, and exactextract is a test-only dependency.

Real files (written with pyogrio), real command-line runs.
"""

from __future__ import annotations

import ast
import csv
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import shapely
from shapely.geometry import box, mapping

from werklandschap.scanengine.batch import read_results
from werklandschap.scanengine.cli import (
    ATTR_PREFIX,
    FORMULA_START,
    attribute_columns,
    formula_safe,
    main,
)

from .fixtures import bgt_landcover_entries, write_bgt, write_manifest

pytestmark = pytest.mark.engine

ROOT = Path(__file__).resolve().parents[2]
X0, Y0 = 150000.0, 430000.0
PARKS = [box(X0 + 10 + i * 40, Y0 + 10, X0 + 60 + i * 40, Y0 + 90) for i in range(3)]
EVIL = '=HYPERLINK("http://evil.example","klik")'


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    d = tmp_path_factory.mktemp("attrs")
    feats: dict[str, list] = {"pand": [], "begroeidterreindeel": []}
    for i in range(4):
        x = X0 + i * 50
        feats["pand"].append((box(x, Y0, x + 20, Y0 + 100), {}))
        feats["begroeidterreindeel"].append(
            (
                box(x + 20, Y0, x + 50, Y0 + 100),
                {"class": "groenvoorziening", "plus_fysiekvoorkomen": "gras- en kruidachtigen"},
            )
        )
    write_bgt(d / "bgt.gpkg", feats)
    return write_manifest(
        d / "b.yaml",
        {"landcover": bgt_landcover_entries(d / "bgt.gpkg", ["pand", "begroeidterreindeel"])},
    )


def _write_parks(path: Path, columns: dict[str, tuple[list, np.ndarray | None]], crs="EPSG:28992"):
    """A GeoPackage of PARKS with typed columns: name -> (values, null mask)."""
    data, masks = [], []
    for values, mask in columns.values():
        data.append(np.asarray(values, dtype=object if isinstance(values[0], str) else None))
        masks.append(mask)
    pyogrio.raw.write(
        str(path),
        np.array([shapely.to_wkb(g) for g in PARKS], dtype=object),
        data,
        list(columns),
        field_mask=masks,
        driver="GPKG",
        geometry_type="Polygon",
        crs=crs,
    )


def _scan(manifest, parks: Path, out: Path, *extra: str) -> int:
    args = ["--bundle", str(manifest), "--parks", str(parks), "--out", str(out)]
    return main([*args, "--workers", "1", "--quiet", *extra])


@pytest.fixture
def ibis_like(tmp_path):
    """Id in 'rin_nummer' and name in 'Naam' (found in any case), and input columns named
    like output columns ('area_ha', 'score_water'); an integer column with a missing
    value, a real and a boolean one; a name that is a spreadsheet formula."""
    parks = tmp_path / "parks.gpkg"
    _write_parks(
        parks,
        {
            "rin_nummer": (["R10", "R11", "R12"], None),
            "Naam": (["Noordpark", EVIL, "-Zuid"], None),
            "area_ha": ([999, 0, 7], np.array([False, True, False])),
            "score_water": (["hoog", "laag", "@midden"], None),
            "opp_m2": ([4000.5, 4000.0, 1.25], None),
            "actief": ([True, False, True], None),
        },
    )
    return parks


EXPECTED_ATTRIBUTES = {
    "R10": {
        "rin_nummer": "R10",
        "Naam": "Noordpark",
        "area_ha": 999,
        "score_water": "hoog",
        "opp_m2": 4000.5,
        "actief": True,
    },
    "R11": {
        "rin_nummer": "R11",
        "Naam": EVIL,
        "area_ha": None,
        "score_water": "laag",
        "opp_m2": 4000.0,
        "actief": False,
    },
    "R12": {
        "rin_nummer": "R12",
        "Naam": "-Zuid",
        "area_ha": 7,
        "score_water": "@midden",
        "opp_m2": 1.25,
        "actief": True,
    },
}


@pytest.mark.parametrize("ext", [".json", ".jsonl"])
def test_json_results_keep_id_name_and_typed_attributes(manifest, ibis_like, tmp_path, ext):
    out = tmp_path / f"res{ext}"
    assert _scan(manifest, ibis_like, out) == 0
    if ext == ".json":
        results = json.loads(out.read_text(encoding="utf-8"))["results"]
    else:
        results = read_results(out)  # the lines as written while the parks finished
    by_id = {r["park_id"]: r for r in results}
    assert sorted(by_id) == ["R10", "R11", "R12"]
    for pid, r in by_id.items():
        assert r["name"] == EXPECTED_ATTRIBUTES[pid]["Naam"]  # JSON is data: not escaped
        assert r["attributes"] == EXPECTED_ATTRIBUTES[pid]
        assert r["area_ha"] == pytest.approx(50 * 80 / 10000)  # the scan's, not the input's
        assert list(r)[:2] == ["park_id", "name"]


def test_csv_keeps_attributes_prefixed_and_escapes_formulas(manifest, ibis_like, tmp_path):
    out = tmp_path / "res.csv"
    assert _scan(manifest, ibis_like, out) == 0
    with out.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert len(header) == len(set(header))
    assert header[:3] == ["park_id", "name", "status"]
    assert header[-6:] == [
        "attr_rin_nummer",
        "attr_Naam",
        "attr_area_ha",
        "attr_score_water",
        "attr_opp_m2",
        "attr_actief",
    ]
    rows = {r["park_id"]: r for r in csv.DictReader(out.open(encoding="utf-8", newline=""))}
    assert rows["R10"]["name"] == "Noordpark" and rows["R10"]["attr_area_ha"] == "999"
    assert float(rows["R10"]["area_ha"]) == pytest.approx(0.4)
    assert rows["R11"]["attr_area_ha"] == ""  # missing stays missing
    assert "score_water" not in header or rows["R10"]["score_water"] != "hoog"
    # text that a spreadsheet would run is quoted; numbers are not touched
    assert rows["R11"]["name"] == "'" + EVIL and rows["R11"]["attr_Naam"] == "'" + EVIL
    assert rows["R12"]["name"] == "'-Zuid" and rows["R12"]["attr_score_water"] == "'@midden"
    assert rows["R12"]["attr_opp_m2"] == "1.25"
    for row in rows.values():
        for key, value in row.items():
            assert not value.startswith(FORMULA_START) or _is_number(value), (key, value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_gpkg_keeps_attributes_in_their_types(manifest, ibis_like, tmp_path):
    out = tmp_path / "res.gpkg"
    assert _scan(manifest, ibis_like, out) == 0
    meta, _f, wkb, data = pyogrio.raw.read(out)
    fields = [str(f) for f in meta["fields"]]
    cols = dict(zip(fields, data, strict=True))
    types = dict(zip(fields, meta["ogr_types"], strict=True))
    assert len({f.lower() for f in fields}) == len(fields)
    order = np.argsort(cols["park_id"].astype(str))
    assert cols["park_id"][order].tolist() == ["R10", "R11", "R12"]
    assert cols["name"][order].tolist() == ["Noordpark", EVIL, "-Zuid"]  # not a spreadsheet
    assert types["attr_area_ha"] == "OFTInteger64" and types["attr_opp_m2"] == "OFTReal"
    area = cols["attr_area_ha"][order].tolist()
    assert area[0] == 999 and np.isnan(area[1]) and area[2] == 7  # the null is kept
    assert cols["attr_actief"][order].tolist() == [1, 0, 1]
    assert cols["area_ha"][order] == pytest.approx([0.4] * 3)
    assert len(wkb) == 3


def test_no_attributes_keeps_id_and_name_only(manifest, ibis_like, tmp_path):
    csv_out, json_out = tmp_path / "res.csv", tmp_path / "res.json"
    assert _scan(manifest, ibis_like, csv_out, "--no-attributes") == 0
    assert _scan(manifest, ibis_like, json_out, "--no-attributes") == 0
    rows = list(csv.DictReader(csv_out.open(encoding="utf-8", newline="")))
    assert not [c for c in rows[0] if c.startswith(ATTR_PREFIX)]
    assert [(r["park_id"], r["name"]) for r in rows] == [
        ("R10", "Noordpark"),
        ("R11", "'" + EVIL),
        ("R12", "'-Zuid"),
    ]
    results = json.loads(json_out.read_text(encoding="utf-8"))["results"]
    assert {r["park_id"]: r["name"] for r in results}["R10"] == "Noordpark"
    assert all("attributes" not in r for r in results)


def test_file_with_only_a_name_column_keys_rows_by_number_and_keeps_names(manifest, tmp_path):
    """The case of the issue: no id column, a 'name' column."""
    parks = tmp_path / "parks.gpkg"
    _write_parks(parks, {"name": (["Oost", "West", "Zuid"], None)})
    out = tmp_path / "res.csv"
    assert _scan(manifest, parks, out) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [(r["park_id"], r["name"], r["attr_name"]) for r in rows] == [
        ("1", "Oost", "Oost"),
        ("2", "West", "West"),
        ("3", "Zuid", "Zuid"),
    ]


def test_id_and_name_field_options(manifest, tmp_path, capsys):
    parks = tmp_path / "parks.gpkg"
    _write_parks(
        parks,
        {
            "id": (["a", "b", "c"], None),
            "CODE_X": (["x1", "x2", "x3"], None),
            "omschrijving": (["Eerste", "Tweede", "Derde"], None),
        },
    )
    out = tmp_path / "res.json"
    args = ["--id-field", "code_x", "--name-field", "OMSCHRIJVING"]  # any case
    assert _scan(manifest, parks, out, *args) == 0
    results = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert sorted((r["park_id"], r["name"]) for r in results) == [
        ("x1", "Eerste"),
        ("x2", "Tweede"),
        ("x3", "Derde"),
    ]
    capsys.readouterr()
    assert _scan(manifest, parks, out, "--name-field", "naam") == 1
    err = capsys.readouterr().err
    assert "--name-field 'naam' is not a field" in err and "omschrijving" in err
    assert "Traceback" not in err


def test_large_integer_ids_stay_exact(manifest, tmp_path):
    """Identifiers beyond 2**53 (a float would round them) keep every digit."""
    big = [2**60 + 1, 2**60 + 2, 2**60 + 3]
    parks = tmp_path / "parks.gpkg"
    _write_parks(parks, {"id": (np.array(big, dtype=np.int64), None)})
    out = tmp_path / "res.json"
    assert _scan(manifest, parks, out) == 0
    results = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert sorted(r["park_id"] for r in results) == [str(b) for b in big]
    assert sorted(r["attributes"]["id"] for r in results) == big


def test_attribute_columns_cannot_collide():
    # GeoPackage (SQLite) column names ignore case: 'Name' and 'NAME' need two names
    fields = [("Name", "str"), ("NAME", "str"), ("park_id", "str"), ("attr_x", "int")]
    assert attribute_columns(fields) == ["attr_Name", "attr_NAME_2", "attr_park_id", "attr_attr_x"]


def test_formula_safe_follows_the_portal_rule():
    from werklandschap.lib import spreadsheet

    assert FORMULA_START == spreadsheet.FORMULA_START
    for text in [EVIL, "+31", "-Zuid", "@SUM(A1)", "\tx", "\rx", "Park", "", "'=x"]:
        assert formula_safe(text) == spreadsheet.formula_safe(text)
    assert formula_safe(-3.5) == -3.5 and formula_safe(None) is None


# ---------------------------------------------------------------- RD New without a CRS


def _rd_geojson(path: Path) -> None:
    """A GeoJSON in RD New without a 'crs' member: GDAL reads it as WGS 84."""
    feats = [
        {"type": "Feature", "properties": {"name": f"p{i}"}, "geometry": mapping(g)}
        for i, g in enumerate(PARKS)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))


def test_rd_geojson_without_crs_gets_the_import_parks_advice(manifest, tmp_path):
    """A real `werklandschap scan` process: one clear line (exit 1), no raw
    RuntimeWarning and no per-park 'geometry has no area'; with --parks-crs it scans."""
    parks = tmp_path / "rd.geojson"
    _rd_geojson(parks)
    exe = str(Path(sys.executable).parent / "werklandschap")
    args = [exe, "scan", "--bundle", str(manifest), "--parks", str(parks)]
    args += ["--workers", "1", "--quiet", "--out"]
    run = subprocess.run([*args, str(tmp_path / "r.csv")], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith("error: parks file rd.geojson: the coordinates (e.g. 150010")
    assert "are not degrees, but the file says EPSG:4326" in run.stderr
    assert "--parks-crs EPSG:28992" in run.stderr
    assert "Warning" not in run.stderr and "no area" not in run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
    fixed = subprocess.run(
        [*args, str(tmp_path / "r.csv"), "--parks-crs", "EPSG:28992"],
        capture_output=True,
        text=True,
    )
    assert fixed.returncode == 0, fixed.stderr
    assert "Warning" not in fixed.stderr and "3 ok, 0 failed" in fixed.stderr


def test_gpkg_declaring_degrees_with_metre_coordinates_is_refused(manifest, tmp_path, capsys):
    parks = tmp_path / "parks.gpkg"
    _write_parks(parks, {"name": (["a", "b", "c"], None)}, crs="EPSG:4258")
    assert _scan(manifest, parks, tmp_path / "r.json") == 1
    err = capsys.readouterr().err
    assert "are not degrees, but the file says EPSG:4258" in err
    assert not (tmp_path / "r.json").exists()


def test_unknown_parks_crs_is_one_line(manifest, tmp_path, capsys):
    parks = tmp_path / "parks.gpkg"
    _write_parks(parks, {"name": (["a", "b", "c"], None)})
    assert _scan(manifest, parks, tmp_path / "r.csv", "--parks-crs", "EPSG:nope") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unknown CRS 'EPSG:nope'") and "Traceback" not in err


# ---------------------------------------------------------------- exactextract: tests only


def test_exactextract_is_a_dev_dependency_and_no_source_imports_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.startswith("exactextract")]
    assert [d for d in project["optional-dependencies"]["dev"] if d.startswith("exactextract")]
    importers = []
    for path in sorted((ROOT / "src").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "exactextract" for n in names):
                importers.append(str(path.relative_to(ROOT)))
    assert importers == []
