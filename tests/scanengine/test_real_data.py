"""The real extracts in ../shared/data (BGT Delft, AHN DSM, NNN Drenthe), read unchanged
through the example manifests in examples/bundles/.

Skips (with the reason) only when the shared data folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio
import pytest
import rasterio
import shapely
from shapely.geometry import box

from werklandschap.scanengine import load_bundle, scan_park
from werklandschap.scanengine.bundle import _distinct

pytestmark = pytest.mark.engine

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
EXAMPLES = REPO / "examples" / "bundles"

needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"shared real-data folder {DATA} is absent"
)

DELFT_PARK = box(84850.0, 447470.0, 85030.0, 447610.0)


@needs_data
def test_delft_bundle_reads_unchanged_and_mapping_covers_every_value():
    bundle = load_bundle(EXAMPLES / "delft-bgt.yaml")
    desc = bundle.describe()
    assert desc["crs"] == "EPSG:28992"
    assert len([lyr for lyr in desc["layers"] if lyr["role"] == "landcover"]) == 12
    mapping = bundle.mapping
    for lyr in bundle.layers("landcover"):
        rule = mapping.rule(lyr.object_type)
        cols = rule.needed_columns(lyr.columns)
        if cols["class"] is None:
            assert rule.default is not None
            continue
        values = [str(v) for v in _distinct(lyr, cols["class"])]
        for v in values:
            assert v in rule.values or rule.default, (lyr.name, v)
        if cols["refine"]:
            # every refine value present is either mapped or explicitly 'unknown'
            for v in _distinct(lyr, cols["refine"]):
                assert str(v) in rule.refine_values or str(v) == "waardeOnbekend", (lyr.name, v)


def _direct_class_areas(park) -> dict[str, float]:
    """Independent computation: full pyogrio reads + shapely, a literal mapping of the
    values that occur in the Delft extract (see its SOURCES.md)."""
    d = DATA / "bgt-delft"
    out: dict[str, float] = {}

    def add(cls, geoms):
        out[cls] = out.get(cls, 0.0) + float(shapely.area(shapely.intersection(geoms, park)).sum())

    def read(name, cols):
        meta, _f, wkb, data = pyogrio.raw.read(d / name, columns=cols)
        attrs = dict(zip(meta["fields"], data, strict=True))
        geoms = shapely.make_valid(shapely.from_wkb(wkb))
        level = np.asarray(attrs.get("relatievehoogteligging", np.zeros(len(geoms))), float)
        keep = np.isnan(level) | (level == 0)
        return geoms[keep], {k: np.asarray(v)[keep] for k, v in attrs.items()}

    g, _ = read("bgt_pand.sqlite", ["relatievehoogteligging"])
    add("built", g)
    g, a = read("bgt_wegdeel.sqlite", ["relatievehoogteligging", "surfacematerial"])
    for val, cls in [
        ("open verharding", "paved_open"),
        ("gesloten verharding", "paved_closed"),
        ("onverhard", "unpaved"),
    ]:
        add(cls, g[a["surfacematerial"] == val])
    g, a = read(
        "bgt_begroeidterreindeel.sqlite", ["relatievehoogteligging", "plus_fysiekvoorkomen"]
    )
    for val, cls in [
        ("heesters", "green_shrubs"),
        ("gras- en kruidachtigen", "green_grass"),
        ("waardeOnbekend", "green_other"),
    ]:
        add(cls, g[a["plus_fysiekvoorkomen"] == val])
    g, a = read(
        "bgt_onbegroeidterreindeel.sqlite", ["relatievehoogteligging", "bgt_fysiekvoorkomen"]
    )
    for val, cls in [
        ("erf", "yard"),
        ("open verharding", "paved_open"),
        ("gesloten verharding", "paved_closed"),
        ("onverhard", "unpaved"),
    ]:
        add(cls, g[a["bgt_fysiekvoorkomen"] == val])
    g, _ = read("bgt_waterdeel.sqlite", ["relatievehoogteligging"])
    add("water", g)
    for name in (
        "bgt_scheiding.sqlite",
        "bgt_kunstwerkdeel.sqlite",
        "bgt_overbruggingsdeel.sqlite",
    ):
        g, _ = read(name, ["relatievehoogteligging"])
        add("other", g)
    return out


@needs_data
def test_delft_shares_agree_with_direct_shapely():
    bundle = load_bundle(EXAMPLES / "delft-bgt.yaml")
    r = scan_park("delft-centre", DELFT_PARK, bundle)
    assert r["status"] == "ok", r["error"]
    direct = _direct_class_areas(DELFT_PARK)
    area = DELFT_PARK.area
    total = sum(direct.values())
    denom = max(area, total)
    for cls, a in direct.items():
        got = r["indicators"][f"share_{cls}_pct"]["value"]
        assert got == pytest.approx(a / denom * 100, abs=1e-6), cls
    shares = [v["value"] for k, v in r["indicators"].items() if k.startswith("share_")]
    assert sum(shares) == pytest.approx(100.0, abs=1e-4)  # values rounded to 1e-6
    assert r["indicators"]["parking_area_m2"]["value"] > 0  # parkeervlak present in Delft


@needs_data
def test_ahn_dsm_compound_crs_window_read_unchanged():
    bundle = load_bundle(EXAMPLES / "ahn-dsm.yaml")
    assert bundle.rasters["dsm"].crs == "EPSG:7415"  # accepted: horizontal part is RD New
    bounds = (73500.0, 451300.0, 73600.0, 451400.0)
    win = bundle.read_raster("dsm", bounds)
    with rasterio.open(DATA / "ahn-dsm-05m" / "dsm.tif") as ds:
        direct = ds.read(1, window=rasterio.windows.from_bounds(*bounds, ds.transform))
    np.testing.assert_array_equal(np.isnan(win.array), np.isnan(direct))
    np.testing.assert_array_equal(win.array[~np.isnan(direct)], direct[~np.isnan(direct)])
    park = box(73550.0, 451300.0, 73800.0, 451550.0)
    r = scan_park("ahn-park", park, bundle)
    assert r["status"] == "ok", r["error"]
    canopy = r["indicators"]["canopy_share_pct"]
    assert canopy["status"] == "ok" and 1.0 < canopy["value"] < 90.0  # the extract has trees
    assert "DSM only" in canopy["method"]
    assert r["indicators"]["share_built_pct"]["status"] == "not_available"


@needs_data
def test_nnn_drenthe_zipped_gml_distance_agrees_with_direct_shapely():
    bundle = load_bundle(EXAMPLES / "nnn-drenthe.yaml")
    park = box(233000.0, 545000.0, 233400.0, 545300.0)  # near Assen
    r = scan_park("drenthe-park", park, bundle)
    assert r["status"] == "ok", r["error"]
    got = r["indicators"]["nature_distance_m"]
    assert got["status"] == "ok"
    path = "/vsizip/" + str(DATA / "nnn-drenthe" / "Realisatie_verbeteren_NNN.zip")
    _m, _f, wkb, _d = pyogrio.raw.read(
        path + "/Realisatie_verbeteren_NNN.gml", bbox=(228000, 540000, 238400, 550300)
    )
    direct = float(shapely.distance(park, shapely.from_wkb(wkb)).min())
    assert got["value"] == pytest.approx(direct, abs=1e-6)
    flag = r["indicators"]["nature_within_500m"]["value"]
    assert flag == (1.0 if direct <= 500 else 0.0)
    # a park in Delft lies outside this provincial layer: not available, never 0
    far = scan_park("delft", DELFT_PARK, bundle)["indicators"]["nature_distance_m"]
    assert far["status"] == "not_available" and "extent" in far["reason"]
