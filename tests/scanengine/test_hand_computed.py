"""A 100 x 100 m park in the real formats, every expected value computed by hand.

Layout (RD New, park = x 100000-100100, y 450000-450100, area 10,000 m2):

- west half x 100000-100050: grass (BGT begroeidterreindeel groenvoorziening +
  plus_fysiekvoorkomen 'gras- en kruidachtigen') ............ 5,000 m2 = 50%
- building x 100050-100090, y 450060-450100 (BGT pand) ........ 1,600 m2 = 16%
- parking x 100050-100100, y 450000-450030 (wegdeel parkeervlak,
  open verharding) ............................................ 1,500 m2 = 15%
- road x 100050-100100, y 450030-450060 (wegdeel rijbaan, gesloten
  verharding) ................................................. 1,500 m2 = 15%
- pond x 100090-100100, y 450060-450100 (waterdeel watervlakte) .. 400 m2 = 4%
- outside the park: grass x 99900-100000 (1 ha, touching the park's grass) and a
  level-1 speed bump over the grass (must be ignored: not ground level).

Rasters: DSM/DTM 1 m (tree 20 x 20 m of 8 m in the grass, building 10 m), PET 2 m
(30 °C west half, 40 °C east half), flood depth 1 m (0.15 m on the parking, 0.25 m
on a 10 m strip of road and on a 1 m strip along the building's south side).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import rasterio
from affine import Affine
from shapely.geometry import box

from werklandschap.scanengine import ambition_gaps, load_bundle, scan_park
from werklandschap.scanengine.water import scs_runoff_mm

from .fixtures import bgt_landcover_entries, write_bgt, write_manifest, write_tif

pytestmark = pytest.mark.engine

X0, Y0 = 100000.0, 450000.0
PARK = box(X0, Y0, X0 + 100, Y0 + 100)


def _v(result, key):
    ind = result["indicators"][key]
    assert ind["status"] == "ok", (key, ind["reason"])
    return ind["value"]


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("hand")
    gpkg = d / "bgt.gpkg"
    write_bgt(
        gpkg,
        {
            "begroeidterreindeel": [
                (
                    box(X0, Y0, X0 + 50, Y0 + 100),
                    {"class": "groenvoorziening", "plus_fysiekvoorkomen": "gras- en kruidachtigen"},
                ),
                (
                    box(X0 - 100, Y0, X0, Y0 + 100),
                    {"class": "groenvoorziening", "plus_fysiekvoorkomen": "gras- en kruidachtigen"},
                ),
            ],
            "pand": [(box(X0 + 50, Y0 + 60, X0 + 90, Y0 + 100), {})],
            "wegdeel": [
                (
                    box(X0 + 50, Y0, X0 + 100, Y0 + 30),
                    {"function": "parkeervlak", "surfacematerial": "open verharding"},
                ),
                (
                    box(X0 + 50, Y0 + 30, X0 + 100, Y0 + 60),
                    {"function": "rijbaan lokale weg", "surfacematerial": "gesloten verharding"},
                ),
                # speed bump on level 1 over the grass: not land cover
                (
                    box(X0 + 10, Y0 + 40, X0 + 40, Y0 + 45),
                    {
                        "function": "rijbaan lokale weg",
                        "surfacematerial": "gesloten verharding",
                        "relatievehoogteligging": 1,
                    },
                ),
            ],
            "waterdeel": [(box(X0 + 90, Y0 + 60, X0 + 100, Y0 + 100), {"class": "watervlakte"})],
        },
    )
    # elevation, 1 m, grid 99990..100110 x 449990..450110
    t1 = Affine(1, 0, X0 - 10, 0, -1, Y0 + 110)
    dtm = np.zeros((120, 120), dtype="float32")
    dsm = dtm.copy()

    # rows: y = Y0 + 110 - row - 0.5 ; cols: x = X0 - 10 + col + 0.5
    def rows(y0, y1):
        return slice(int(Y0 + 110 - y1), int(Y0 + 110 - y0))

    def cols(x0, x1):
        return slice(int(x0 - (X0 - 10)), int(x1 - (X0 - 10)))

    dsm[rows(Y0 + 10, Y0 + 30), cols(X0 + 10, X0 + 30)] = 8.0  # tree 20 x 20 m
    dsm[rows(Y0 + 60, Y0 + 100), cols(X0 + 50, X0 + 90)] = 10.0  # building
    write_tif(d / "dsm.tif", dsm, t1)
    write_tif(d / "dtm.tif", dtm, t1)
    # PET, 2 m, same extent
    t2 = Affine(2, 0, X0 - 10, 0, -2, Y0 + 110)
    pet = np.full((60, 60), 30.0, dtype="float32")
    pet[:, 30:] = 40.0  # x >= X0 + 50
    write_tif(d / "pet.tif", pet, t2)
    flood = np.zeros((120, 120), dtype="float32")
    flood[rows(Y0, Y0 + 30), cols(X0 + 50, X0 + 100)] = 0.15
    flood[rows(Y0 + 30, Y0 + 40), cols(X0 + 50, X0 + 100)] = 0.25
    flood[rows(Y0 + 59, Y0 + 60), cols(X0 + 50, X0 + 90)] = 0.25
    write_tif(d / "flood.tif", flood, t1, nodata=-9999.0)
    lc = bgt_landcover_entries(gpkg, ["pand", "wegdeel", "begroeidterreindeel", "waterdeel"])
    write_manifest(
        d / "bundle.yaml",
        {
            "landcover": lc,
            "dsm": {"file": "dsm.tif", "name": "AHN DSM test"},
            "dtm": {"file": "dtm.tif", "name": "AHN DTM test"},
            "heat": {"file": "pet.tif", "name": "PET test", "unit": "°C"},
            "flood": {"file": "flood.tif", "name": "Flood test", "unit": "m"},
        },
    )
    return d


@pytest.fixture(scope="module")
def result(bundle_dir):
    bundle = load_bundle(bundle_dir / "bundle.yaml")
    r = scan_park("hand-1", PARK, bundle)
    assert r["status"] == "ok", r["error"]
    return r


def test_class_shares(result):
    assert result["area_ha"] == pytest.approx(1.0)
    assert _v(result, "share_green_grass_pct") == pytest.approx(50.0)
    assert _v(result, "share_built_pct") == pytest.approx(16.0)
    assert _v(result, "share_paved_open_pct") == pytest.approx(15.0)
    assert _v(result, "share_paved_closed_pct") == pytest.approx(15.0)
    assert _v(result, "share_water_pct") == pytest.approx(4.0)
    assert _v(result, "share_not_covered_pct") == pytest.approx(0.0, abs=1e-9)
    assert _v(result, "green_share_pct") == pytest.approx(50.0)
    assert _v(result, "green_blue_share_pct") == pytest.approx(54.0)
    assert _v(result, "impervious_share_pct") == pytest.approx(46.0)


def test_parking(result):
    assert _v(result, "parking_area_m2") == pytest.approx(1500.0)
    assert _v(result, "parking_share_pct") == pytest.approx(15.0)


def test_canopy_dsm_minus_dtm(result):
    # tree 20 x 20 m = 400 m2 of 10,000 m2; the building (10 m) is excluded
    assert _v(result, "canopy_share_pct") == pytest.approx(4.0)


def test_pet(result):
    assert _v(result, "pet_mean_c") == pytest.approx(35.0)
    assert _v(result, "pet_p90_c") == pytest.approx(40.0)
    assert _v(result, "pet_share_29_35_pct") == pytest.approx(50.0)
    assert _v(result, "pet_share_35_41_pct") == pytest.approx(50.0)
    assert _v(result, "pet_share_gt41_pct") == pytest.approx(0.0)
    # the only building's 5 m ring is mostly in the 40 °C half: mean >= 35
    assert _v(result, "buildings_heat_stress_pct") == pytest.approx(100.0)


def test_scs_runoff_by_hand():
    # CN 98: S = 25400/98 - 254 = 5.1837 mm, Ia = 1.0367, Q = 68.963^2 / 74.147 = 64.14
    assert float(scs_runoff_mm(70.0, 98)) == pytest.approx(64.14, abs=0.01)
    # CN 74: S = 89.243, Ia = 17.849, Q = 52.151^2 / 141.394 = 19.235
    assert float(scs_runoff_mm(70.0, 74)) == pytest.approx(19.235, abs=0.01)
    # P below initial abstraction: no runoff
    assert float(scs_runoff_mm(10.0, 74)) == 0.0


def test_water(result):
    # soil group C: grass 74, built 98, open paving 94, closed 98, water 100
    def q(cn):
        if cn >= 100:
            return 70.0
        s = 25400 / cn - 254
        return (70 - 0.2 * s) ** 2 / (70 + 0.8 * s)

    expected_m3 = (5000 * q(74) + 1600 * q(98) + 1500 * q(94) + 1500 * q(98) + 400 * q(100)) / 1000
    assert _v(result, "runoff_m3") == pytest.approx(expected_m3, rel=1e-6)
    assert _v(result, "runoff_mm") == pytest.approx(expected_m3 / 10, rel=1e-6)
    assert _v(result, "retention_pct") == pytest.approx((1 - expected_m3 / 10 / 70) * 100)
    # sealed = built + open + closed = 4,600 m2 -> 50 mm = 230 m3. The pond is BGT
    # waterdeel: public water, 400 m2 x 0.30 m = 120 m3, not on-plot storage.
    assert _v(result, "storage_needed_m3") == pytest.approx(230.0)
    assert _v(result, "storage_present_m3") == pytest.approx(0.0)
    assert _v(result, "storage_mm") == pytest.approx(0.0)
    assert _v(result, "storage_gap_m3") == pytest.approx(230.0)
    assert _v(result, "public_water_storage_m3") == pytest.approx(120.0)


def test_flood(result):
    # > 10 cm: parking 1,500 + road strip 500 + building strip 40 = 2,040 m2
    assert _v(result, "flood_area_gt10cm_pct") == pytest.approx(20.4)
    # > 20 cm: road strip 500 + building strip 40 = 540 m2
    assert _v(result, "flood_area_gt20cm_pct") == pytest.approx(5.4)
    assert _v(result, "flood_buildings_gt10cm_pct") == pytest.approx(100.0)
    assert _v(result, "flood_buildings_gt20cm_pct") == pytest.approx(100.0)


def test_biodiversity_and_health(result):
    assert _v(result, "green_types_n") == 1
    assert _v(result, "largest_green_patch_ha") == pytest.approx(0.5)
    # the park's grass touches 1 ha of grass outside: 1.5 ha >= 0.5 ha within 300 m
    assert _v(result, "buildings_near_green_pct") == pytest.approx(100.0)
    for key in ("nature_distance_m", "pt_stop_distance_m", "roofs_with_panels_pct"):
        ind = result["indicators"][key]
        assert ind["status"] == "not_available" and ind["value"] is None and ind["reason"]


def test_energy(result):
    assert _v(result, "roof_area_m2") == pytest.approx(1600.0)
    # 1,600 m2 x 0.6 x 0.2 kWp/m2 = 192 kWp; x 875 kWh/kWp = 168 MWh/yr
    assert _v(result, "solar_kwp") == pytest.approx(192.0)
    assert _v(result, "solar_mwh_yr") == pytest.approx(168.0)


def test_invest_cooling_capacity(result):
    # CC = 0.6 shade + 0.2 albedo + 0.2 ETI (heat.yaml); ETI = Kc x ET0 / max(ET0)
    # = Kc with one ET0 (InVEST 3.20.2); shade under the tree measured (AHN).
    def cc(shade, albedo, kc):
        return 0.6 * shade + 0.2 * albedo + 0.2 * kc

    expected = (
        0.46 * cc(0, 0.25, 0.95)  # grass without trees
        + 0.04 * cc(1, 0.25, 0.95)  # grass under the tree canopy (measured shade)
        + 0.16 * cc(0, 0.20, 0.0)
        + 0.15 * cc(0, 0.20, 0.1)
        + 0.15 * cc(0, 0.10, 0.0)
        + 0.04 * cc(0, 0.08, 1.05)
    )
    assert _v(result, "cooling_capacity_mean") == pytest.approx(expected, abs=1e-6)


def test_invest_heat_mitigation(result):
    # The land cover is x 99900-100100, y 450000-450100 (2 ha, all 5 m cells known);
    # green: the park's grass and the 1 ha west of it (600 of 800 cells). GA (green
    # within d_cool, scaled over the known cells) = 0.75 x the 450 m disc >> 2 ha,
    # so HM_i = max(CC_i, CC_park_i), CC_park_i = sum e^(-d/450) g CC / sum e^(-d/450).
    def cc(shade, albedo, kc):
        return 0.6 * shade + 0.2 * albedo + 0.2 * kc

    xs = X0 - 100 + 2.5 + 5 * np.arange(40)
    ys = Y0 + 2.5 + 5 * np.arange(20)
    x, y = (a.ravel() for a in np.meshgrid(xs, ys))
    east = x > X0 + 50
    tree = (x > X0 + 10) & (x < X0 + 30) & (y > Y0 + 10) & (y < Y0 + 30)
    values = np.select(
        [
            ~east & tree,
            ~east,
            east & (y < Y0 + 30),
            east & (y < Y0 + 60),
            east & (x < X0 + 90),
        ],
        [cc(1, 0.25, 0.95), cc(0, 0.25, 0.95), cc(0, 0.20, 0.1), cc(0, 0.10, 0.0),
         cc(0, 0.20, 0.0)],
        default=cc(0, 0.08, 1.05),  # the pond
    )  # fmt: skip
    green = (~east).astype(float)
    d = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    k = np.exp(-d / 450.0)
    park_cc = (k @ (green * values)) / k.sum(axis=1)
    in_park = x > X0
    expected = float(np.maximum(values, park_cc)[in_park].mean())
    # the engine convolves CC_park on 25 m blocks (heat.yaml park_cooling_block_m):
    # 4e-5 from the exact 5 m sums here
    assert _v(result, "heat_mitigation_mean") == pytest.approx(expected, abs=2e-4)
    assert expected > _v(result, "cooling_capacity_mean") + 0.01


def test_scores_and_json(result):
    import json

    json.dumps(result)  # JSON-serialisable
    scores = result["scores"]
    assert set(scores) == {
        "productiviteit",
        "mobiliteit",
        "gezondheid",
        "water",
        "natuurinclusiviteit",
        "circulariteit",
        "energie",
    }
    assert scores["circulariteit"] is None  # no indicator: unknown, not 0
    assert scores["energie"] is None  # no solar-panel layer
    # gezondheid: canopy 4/30 -> 13.33, near green 100, heat stress 100% -> 0
    assert scores["gezondheid"] == pytest.approx((4 / 30 * 100 + 100 + 0) / 3, abs=0.05)
    for v in scores.values():
        assert v is None or 0 <= v <= 100


def test_ambition_gaps(result):
    gaps = ambition_gaps(
        result,
        {
            "canopy_share_pct": 30,
            "storage_mm": 50,
            "flood_area_gt10cm_pct": 0,
            "pt_stop_distance_m": 400,
        },
    )
    assert gaps["canopy_share_pct"]["gap"] == pytest.approx(26.0)
    assert gaps["canopy_share_pct"]["direction"] == "increase"
    assert gaps["storage_mm"]["gap"] == pytest.approx(50.0)  # the pond is public water
    assert gaps["flood_area_gt10cm_pct"]["direction"] == "decrease"
    assert gaps["flood_area_gt10cm_pct"]["gap"] == pytest.approx(20.4)
    assert gaps["pt_stop_distance_m"]["gap"] is None  # not available, not zero
    assert not math.isnan(gaps["canopy_share_pct"]["current"])


def test_partial_pixels_canopy(tmp_path):
    """Canopy in a raster column cut in half by the park boundary counts half."""
    gpkg = tmp_path / "bgt.gpkg"
    write_bgt(
        gpkg,
        {
            "begroeidterreindeel": [
                (box(X0 - 50, Y0 - 50, X0 + 150, Y0 + 150), {"class": "groenvoorziening"})
            ]
        },
    )
    # grid offset by half a cell: column centred on x = X0 straddles the park edge
    t = Affine(1, 0, X0 - 10.5, 0, -1, Y0 + 110)
    dsm = np.zeros((120, 121), dtype="float32")
    col = 10  # cell x 99999.5 .. 100000.5
    dsm[80:100, col] = 6.0  # rows -> y 450010 .. 450030, 20 cells
    write_tif(tmp_path / "dsm.tif", dsm, t)
    write_tif(tmp_path / "dtm.tif", np.zeros_like(dsm), t)
    write_manifest(
        tmp_path / "b.yaml",
        {
            "landcover": bgt_landcover_entries(gpkg, ["begroeidterreindeel"]),
            "dsm": {"file": "dsm.tif"},
            "dtm": {"file": "dtm.tif"},
        },
    )
    r = scan_park("half", PARK, load_bundle(tmp_path / "b.yaml"))
    # 20 cells, each half inside the park: 20 x 0.5 m2 = 10 m2 of 10,000 m2
    assert _v(r, "canopy_share_pct") == pytest.approx(0.1)


def _flood_bundle(d, depth: float, building):
    """A 100 x 100 m park of paving with one building; flood depth ``depth`` everywhere."""
    gpkg = d / "bgt.gpkg"
    write_bgt(
        gpkg,
        {
            "wegdeel": [
                (
                    box(X0 - 20, Y0 - 20, X0 + 120, Y0 + 120),
                    {"surfacematerial": "gesloten verharding"},
                )
            ],
            "pand": [(building, {})],
        },
    )
    t = Affine(1, 0, X0 - 60, 0, -1, Y0 + 160)
    write_tif(d / "flood.tif", np.full((220, 220), depth, dtype="float32"), t)
    write_manifest(
        d / "b.yaml",
        {
            "landcover": bgt_landcover_entries(gpkg, ["wegdeel", "pand"]),
            "flood": {"file": "flood.tif", "unit": "m"},
        },
    )
    return load_bundle(d / "b.yaml")


@pytest.mark.parametrize(("depth", "above"), [(0.10, False), (0.1001, True), (0.0999, False)])
def test_flood_threshold_same_for_area_and_buildings(tmp_path, depth, above):
    """A stored depth of exactly 0.10 m is not 'above 10 cm', for the area and for the
    buildings alike (both compare at the raster's float32 precision)."""
    bundle = _flood_bundle(tmp_path, depth, box(X0 + 40, Y0 + 40, X0 + 60, Y0 + 60))
    r = scan_park("flat", PARK, bundle)
    expected = 100.0 if above else 0.0
    assert _v(r, "flood_area_gt10cm_pct") == pytest.approx(expected)
    assert _v(r, "flood_buildings_gt10cm_pct") == pytest.approx(expected)


def test_flood_zone_of_a_building_sticking_out_of_the_park(tmp_path):
    """A building counted for the park (its point on surface lies inside) whose footprint
    reaches 40 m beyond the park: the raster window reaches its whole 1 m zone, so
    water next to its far end counts."""
    assert PARK.contains(box(X0 + 50, Y0 + 40, X0 + 140, Y0 + 60).point_on_surface())
    _flood_bundle(tmp_path, 0.0, box(X0 + 50, Y0 + 40, X0 + 140, Y0 + 60))
    with rasterio.open(tmp_path / "flood.tif", "r+") as ds:
        data = ds.read(1)
        # water of 0.30 m only along the building's far (east) end, x 140..141
        col = int(X0 + 140 - (X0 - 60))
        data[int(Y0 + 160 - (Y0 + 60)) : int(Y0 + 160 - (Y0 + 40)), col] = 0.30
        ds.write(data, 1)
    r = scan_park("long", PARK, load_bundle(tmp_path / "b.yaml"))
    assert _v(r, "flood_buildings_gt20cm_pct") == pytest.approx(100.0)
    assert _v(r, "flood_area_gt10cm_pct") == pytest.approx(0.0)
