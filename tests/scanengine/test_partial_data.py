"""Partial data must not give confident wrong answers (issue 15, part 2).

Hand-computed scenes in the real formats (BGT GeoPackage, AHN GeoTIFF in RD New):

- on-plot storage vs open water in public space (a park outline over a canal);
- a park whose land cover covers only 5% of it (the rest outside the data);
- theme scores that need a minimum number of their indicators (an AHN-only bundle).
"""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine
from shapely.geometry import box

from werklandschap.scanengine import completeness, load_bundle, scan_park
from werklandschap.scanengine.catalog import entry
from werklandschap.scanengine.scores import score_basis, theme_scores

from .fixtures import bgt_landcover_entries, write_bgt, write_manifest, write_tif

pytestmark = pytest.mark.engine

X0, Y0 = 120_000.0, 470_000.0
PARK = box(X0, Y0, X0 + 100, Y0 + 100)  # 10,000 m2
GRASS = {"class": "groenvoorziening", "plus_fysiekvoorkomen": "gras- en kruidachtigen"}
WADI = {"class": "groenvoorziening", "plus_fysiekvoorkomen": "wadi"}
CLOSED = {"function": "rijbaan lokale weg", "surfacematerial": "gesloten verharding"}


def _v(result, key):
    ind = result["indicators"][key]
    assert ind["status"] == "ok", (key, ind["reason"])
    return ind["value"]


def _na(result, key):
    ind = result["indicators"][key]
    assert ind["status"] == "not_available" and ind["value"] is None, (key, ind)
    return ind["reason"]


# -- storage on the plot vs open water in public space ------------------------------


@pytest.fixture(scope="module")
def storage_result(tmp_path_factory):
    """Paving 6,000 m2 (x 0-60), canal 800 m2 + dry ditch 200 m2 (BGT waterdeel,
    x 60-70), basin 500 m2 (overig bouwwerk 'bassin', x 70-80 y 0-50), wadi 1,000 m2
    (x 80-90), grass 1,500 m2 (x 70-80 y 50-100 and x 90-100)."""
    d = tmp_path_factory.mktemp("storage")
    gpkg = d / "bgt.gpkg"
    write_bgt(
        gpkg,
        {
            "wegdeel": [(box(X0, Y0, X0 + 60, Y0 + 100), CLOSED)],
            "waterdeel": [
                (box(X0 + 60, Y0, X0 + 70, Y0 + 80), {"class": "waterloop"}),
                (box(X0 + 60, Y0 + 80, X0 + 70, Y0 + 100), {"class": "greppel, droge sloot"}),
            ],
            "overigbouwwerk": [(box(X0 + 70, Y0, X0 + 80, Y0 + 50), {"bgt_type": "bassin"})],
            "begroeidterreindeel": [
                (box(X0 + 80, Y0, X0 + 90, Y0 + 100), WADI),
                (box(X0 + 70, Y0 + 50, X0 + 80, Y0 + 100), GRASS),
                (box(X0 + 90, Y0, X0 + 100, Y0 + 100), GRASS),
            ],
        },
    )
    lc = bgt_landcover_entries(
        gpkg, ["wegdeel", "waterdeel", "overigbouwwerk", "begroeidterreindeel"]
    )
    m = write_manifest(d / "bundle.yaml", {"landcover": lc})
    r = scan_park("storage", PARK, load_bundle(m))
    assert r["status"] == "ok", r["error"]
    return r


def test_public_water_is_not_on_plot_storage(storage_result):
    r = storage_result
    assert _v(r, "landcover_coverage_pct") == pytest.approx(100.0)
    assert _v(r, "share_water_pct") == pytest.approx(13.0)  # canal 8% + basin 5%
    # needed: 50 mm x 6,000 m2 sealed = 300 m3
    assert _v(r, "storage_needed_m3") == pytest.approx(300.0)
    # on the plot: basin 500 m2 + wadi 1,000 m2, x 0.30 m = 450 m3 (the canal and the
    # ditch of BGT waterdeel are public water: before the split this read 750 m3)
    assert _v(r, "storage_present_m3") == pytest.approx(450.0)
    assert _v(r, "storage_mm") == pytest.approx(450.0 / 6000.0 * 1000.0)  # 75 mm
    assert _v(r, "storage_gap_m3") == pytest.approx(0.0)
    # public water: canal 800 m2 + dry ditch 200 m2, x 0.30 m = 300 m3, reported apart
    assert _v(r, "public_water_storage_m3") == pytest.approx(300.0)
    ind = r["indicators"]
    assert "eigen terrein" in ind["storage_mm"]["label_nl"]
    assert "openbaar water" in ind["public_water_storage_m3"]["label_nl"]
    assert "public" in ind["storage_mm"]["method"]


def test_canal_only_park_has_no_on_plot_storage(tmp_path):
    """A park outline over a canal: 282 mm against the 50 mm norm before the split."""
    gpkg = tmp_path / "bgt.gpkg"
    write_bgt(
        gpkg,
        {
            "wegdeel": [(box(X0, Y0, X0 + 80, Y0 + 100), CLOSED)],
            "waterdeel": [(box(X0 + 80, Y0, X0 + 100, Y0 + 100), {"class": "waterloop"})],
        },
    )
    m = write_manifest(
        tmp_path / "b.yaml", {"landcover": bgt_landcover_entries(gpkg, ["wegdeel", "waterdeel"])}
    )
    r = scan_park("canal", PARK, load_bundle(m))
    assert _v(r, "storage_mm") == 0.0
    assert _v(r, "storage_gap_m3") == pytest.approx(8000 * 0.05)  # 400 m3
    assert _v(r, "public_water_storage_m3") == pytest.approx(2000 * 0.30)  # 600 m3


# -- a park the land cover covers only in part -----------------------------------------


@pytest.fixture(scope="module")
def partial_result(tmp_path_factory):
    """Inside the park only a 5 m strip along its west side is mapped: water x 0-5,
    y 10-100 (450 m2) and a building x 0-5, y 0-10 (50 m2): 500 m2 = 5%. Two
    polygons outside the park make the layers' extent span it (so the park is not
    'outside the data extent'), as at the irregular edge of a real extract."""
    d = tmp_path_factory.mktemp("partial")
    gpkg = d / "bgt.gpkg"
    write_bgt(
        gpkg,
        {
            "waterdeel": [
                (box(X0, Y0 + 10, X0 + 5, Y0 + 100), {"class": "watervlakte"}),
                (box(X0 + 100, Y0 + 100, X0 + 120, Y0 + 120), {"class": "watervlakte"}),
            ],
            "pand": [
                (box(X0, Y0, X0 + 5, Y0 + 10), {}),
                (box(X0 - 20, Y0 - 20, X0 - 10, Y0 - 10), {}),
            ],
        },
    )
    lc = bgt_landcover_entries(gpkg, ["waterdeel", "pand"])
    m = write_manifest(d / "bundle.yaml", {"landcover": lc})
    r = scan_park("partial", PARK, load_bundle(m))
    assert r["status"] == "ok", r["error"]
    return r


def test_covered_share_is_reported(partial_result):
    r = partial_result
    assert _v(r, "landcover_coverage_pct") == pytest.approx(5.0)
    assert _v(r, "share_not_covered_pct") == pytest.approx(95.0)
    # class shares stay: exact areas of the mapped part / park area, with the
    # not-covered share they sum to 100
    assert _v(r, "share_water_pct") == pytest.approx(4.5)
    assert _v(r, "share_built_pct") == pytest.approx(0.5)


def test_land_cover_indicators_not_available_below_the_minimum(partial_result):
    r = partial_result
    assert r["completeness"] == "incomplete"
    assert "data covers only 5% of the park" in r["completeness_reason"]
    # before: runoff 70 mm of the water cells, retention 0%, 'no sealed surface'
    for key in (
        "runoff_mm",
        "runoff_m3",
        "retention_pct",
        "storage_needed_m3",
        "storage_present_m3",
        "storage_mm",
        "storage_gap_m3",
        "public_water_storage_m3",
        "green_share_pct",
        "green_blue_share_pct",
        "impervious_share_pct",
        "cooling_capacity_mean",
        "heat_mitigation_mean",
        "green_types_n",
        "largest_green_patch_ha",
        "buildings_near_green_pct",
        # buildings come from BGT pand: their totals miss the unmapped 95%
        "roof_area_m2",
        "solar_kwp",
        "solar_mwh_yr",
    ):
        assert _na(r, key) == "data covers only 5% of the park", key
    # the source stays named: what was read, and why it is not enough
    assert r["indicators"]["runoff_mm"]["source"]
    assert r["scores"]["water"] is None
    assert r["score_basis"]["water"]["used"] == 0


def test_complete_park_says_so(storage_result):
    assert storage_result["completeness"] == "complete"
    assert storage_result["completeness_reason"] is None


def _cov(value):
    return {"landcover_coverage_pct": entry("landcover_coverage_pct", value, source="t")}


@pytest.mark.parametrize(
    ("coverage", "state", "reason"),
    [
        (100.0, "complete", None),
        (90.0, "complete", None),  # the minimum itself is enough (completeness.yaml: 90)
        (89.6, "incomplete", "data covers only 89% of the park"),  # rounded down, never 90
        (2.4, "incomplete", "data covers only 2% of the park"),
    ],
)
def test_threshold_from_the_data_file(coverage, state, reason):
    inds = _cov(coverage)
    inds["runoff_mm"] = entry("runoff_mm", 70.0, source="BGT (t)")
    inds["roof_area_m2"] = entry("roof_area_m2", 50.0, source="BAG (t)")
    got, why = completeness.apply(inds, buildings_from_landcover=False)
    assert got == state
    if reason is None:
        assert why is None and inds["runoff_mm"]["value"] == 70.0
    else:
        assert why.startswith(reason)
        assert inds["runoff_mm"]["value"] is None and inds["runoff_mm"]["reason"] == reason
        assert inds["runoff_mm"]["source"] == "BGT (t)"
        assert inds["roof_area_m2"]["value"] == 50.0  # BAG buildings: their own source


@pytest.mark.parametrize(
    ("coverage", "cooling_available"),
    [(89.0, True), (50.0, True), (49.9, False), (5.0, False)],
)
def test_invest_cooling_keeps_its_own_lower_minimum(coverage, cooling_available):
    # InVEST averages over the mapped cells itself: its park mean stays the model's
    # answer down to half the park mapped (completeness.yaml model_min_coverage_pct)
    inds = _cov(coverage)
    inds["runoff_mm"] = entry("runoff_mm", 70.0, source="BGT (t)")
    inds["heat_mitigation_mean"] = entry("heat_mitigation_mean", 0.2, source="BGT (t)")
    got, _why = completeness.apply(inds, buildings_from_landcover=False)
    assert got == "incomplete"
    assert inds["runoff_mm"]["value"] is None
    assert (inds["heat_mitigation_mean"]["value"] is not None) is cooling_available
    if not cooling_available:
        assert inds["heat_mitigation_mean"]["reason"].startswith("data covers only")


def test_no_land_cover_layer_is_not_a_coverage_question():
    inds = {"runoff_mm": entry("runoff_mm", None, source="", reason="no land-cover layer")}
    assert completeness.apply(inds, buildings_from_landcover=False) == ("complete", None)


def test_completeness_rules_are_documented():
    rules = completeness.load_rules()
    assert rules["min_coverage_pct"]["value"] == 90
    assert rules["min_coverage_pct"]["source"].startswith("[I]")
    assert rules["model_min_coverage_pct"]["value"] == 50
    assert rules["model_min_coverage_pct"]["source"].startswith("[I]")


# -- theme scores need a minimum set of their indicators ---------------------------------


def test_ahn_only_bundle_scores_no_health_or_nature_from_canopy_alone(tmp_path):
    """DSM - DTM with a 8 m canopy over x 0-40 (40% of the park): canopy 40% scores
    100 (full at 30%); before, health and nature were 100 from canopy alone."""
    t = Affine(1, 0, X0 - 10, 0, -1, Y0 + 110)
    dtm = np.zeros((120, 120), dtype="float32")
    dsm = dtm.copy()
    dsm[10:110, 10:50] = 8.0  # rows y 100..0, cols x 0..40
    write_tif(tmp_path / "dsm.tif", dsm, t)
    write_tif(tmp_path / "dtm.tif", dtm, t)
    m = write_manifest(
        tmp_path / "b.yaml",
        {"dsm": {"file": "dsm.tif", "name": "AHN DSM"}, "dtm": {"file": "dtm.tif", "name": "DTM"}},
    )
    r = scan_park("ahn", PARK, load_bundle(m))
    assert r["status"] == "ok", r["error"]
    assert _v(r, "canopy_share_pct") == pytest.approx(40.0)
    for theme, total in (("gezondheid", 3), ("natuurinclusiviteit", 4)):
        assert r["scores"][theme] is None, theme
        b = r["score_basis"][theme]
        assert (b["used"], b["total"], b["minimum"]) == (1, total, 2)
        assert b["score"] is None
        assert (
            b["reason"] == f"only 1 of its {total} indicators available; a score needs at least 2"
        )


def _inds(values):
    return {k: entry(k, v, source="t", reason="not in this test") for k, v in values.items()}


def test_score_basis_counts_used_indicators():
    # water: retention 35% -> (35-10)/50 = 50; storage 25 mm -> 50; flood n/a
    inds = _inds({"retention_pct": 35.0, "storage_mm": 25.0, "flood_area_gt10cm_pct": None})
    basis = score_basis(inds)
    assert basis["water"] == {
        "score": 50.0,
        "used": 2,
        "total": 3,
        "minimum": 2,
        "reason": None,
        "reason_code": None,
        "reason_params": None,
    }
    assert theme_scores(inds)["water"] == 50.0
    # one of three is not enough
    one = score_basis(_inds({"retention_pct": 35.0}))["water"]
    assert one["score"] is None and one["used"] == 1
    # mobility needs 1 of 2: parking 17.5% -> (30-17.5)/25 = 50
    assert score_basis(_inds({"parking_share_pct": 17.5}))["mobiliteit"]["score"] == 50.0
    # circularity has no indicator at all
    circ = score_basis({})["circulariteit"]
    assert circ["score"] is None and circ["total"] == 0 and circ["reason"]


def test_minimum_above_the_theme_size_is_refused():
    from werklandschap.scanengine import config

    spec = config.load("scores")
    spec["minimum_indicators"]["values"]["energie"] = 2  # energie has one indicator
    with pytest.raises(ValueError, match="minimum_indicators of energie"):
        score_basis({}, spec)


def test_a_rule_naming_an_unknown_indicator_is_refused_for_every_park(monkeypatch):
    from werklandschap.scanengine import config

    real = config.load

    def load(name):
        data = real(name)
        if name == "completeness":
            data["landcover"]["affected"]["values"].append("heat_mitigation_renamed")
        return data

    monkeypatch.setattr(completeness.config, "load", load)
    with pytest.raises(ValueError, match="heat_mitigation_renamed"):
        completeness.apply(_cov(100.0), buildings_from_landcover=False)  # complete park too
