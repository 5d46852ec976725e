"""The naive baseline (bench/naive_scan.py) and the engine agree on a park that the
land cover covers only in part: the same coverage, the same indicators not available
below completeness.yaml's minimum, the same class shares (issue 15, part 2)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from shapely.geometry import box

from werklandschap.scanengine import load_bundle, scan_park

from ..scanengine.fixtures import bgt_landcover_entries, write_bgt, write_manifest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from naive_scan import naive_scan

pytestmark = pytest.mark.engine

X0, Y0 = 130_000.0, 460_000.0
GRASS = {"class": "groenvoorziening", "plus_fysiekvoorkomen": "gras- en kruidachtigen"}
CLOSED = {"function": "rijbaan lokale weg", "surfacematerial": "gesloten verharding"}


@pytest.mark.parametrize("mapped_m", [30.0, 95.0])  # 30% (incomplete) or 95% (complete)
def test_partial_coverage_agrees(tmp_path, mapped_m):
    gpkg = tmp_path / "bgt.gpkg"
    half = mapped_m / 2
    write_bgt(
        gpkg,
        {
            "wegdeel": [
                (box(X0, Y0, X0 + half, Y0 + 100), CLOSED),
                (box(X0 + 100, Y0 + 100, X0 + 120, Y0 + 120), CLOSED),  # extent only
            ],
            "begroeidterreindeel": [(box(X0 + half, Y0, X0 + mapped_m, Y0 + 100), GRASS)],
            "waterdeel": [(box(X0 - 20, Y0 - 20, X0 - 10, Y0 - 10), {"class": "watervlakte"})],
        },
    )
    m = write_manifest(
        tmp_path / "b.yaml",
        {"landcover": bgt_landcover_entries(gpkg, ["wegdeel", "begroeidterreindeel", "waterdeel"])},
    )
    park = box(X0, Y0, X0 + 100, Y0 + 100)
    r = scan_park("p", park, load_bundle(m))
    assert r["status"] == "ok", r["error"]
    eng = {k: v["value"] for k, v in r["indicators"].items()}
    naive = naive_scan("p", park, m)
    assert set(naive) == set(eng)
    for key in eng:
        assert (eng[key] is None) == (naive[key] is None), (key, eng[key], naive[key])
    assert eng["landcover_coverage_pct"] == pytest.approx(mapped_m)
    assert naive["landcover_coverage_pct"] == pytest.approx(mapped_m)
    for key in ("share_paved_closed_pct", "share_green_grass_pct", "share_not_covered_pct"):
        assert naive[key] == pytest.approx(eng[key], abs=1e-6), key
    assert r["completeness"] == ("incomplete" if mapped_m < 90 else "complete")
    assert (eng["runoff_mm"] is None) == (mapped_m < 90)
    if mapped_m >= 90:
        for key in ("runoff_mm", "storage_mm", "green_share_pct", "impervious_share_pct"):
            assert naive[key] == pytest.approx(eng[key], rel=1e-6, abs=1e-6), key
