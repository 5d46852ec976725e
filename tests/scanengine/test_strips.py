"""Large parks are processed in raster row strips (flat memory): the results must not
depend on where the strips are cut. The same parks are scanned with the window read
whole and with strips of a few thousand cells, and every indicator must agree."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
import yaml

from werklandschap.scanengine import context, load_bundle, scan_park, zonal
from werklandschap.scanengine.synthetic import make_bundle
from werklandschap.scanengine.zonal import CellSample, weighted_mean, weighted_quantile

pytestmark = pytest.mark.engine

PARKS = [
    ("tilted", shapely.affinity.rotate(shapely.box(150_000, 450_000, 150_400, 450_300), 23)),
    (
        "l-shape",
        shapely.Polygon(
            [
                (152_000, 450_000),
                (152_300, 450_000),
                (152_300, 450_120),
                (152_120, 450_120),
                (152_120, 450_350),
                (152_000, 450_350),
            ]
        ),
    ),
]


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    return make_bundle(PARKS, tmp_path_factory.mktemp("strips"), seed=5, resolution=1.0)


def _scan_all(manifest, monkeypatch, strip_cells):
    monkeypatch.setattr(context, "STRIP_CELLS", strip_cells)
    bundle = load_bundle(manifest, check_classes=False)
    return {pid: scan_park(pid, g, bundle) for pid, g in PARKS}


def _values(result):
    assert result["status"] == "ok", result["error"]
    return {k: v.get("value") for k, v in result["indicators"].items()}


def test_strips_give_the_same_indicators_as_one_window(manifest, monkeypatch):
    whole = _scan_all(manifest, monkeypatch, 10**9)
    strips = _scan_all(manifest, monkeypatch, 20_000)  # ~40 rows of 1 m per strip
    for pid, _g in PARKS:
        a, b = _values(whole[pid]), _values(strips[pid])
        assert a.keys() == b.keys()
        raster_keys = [k for k in a if k.startswith(("canopy", "pet_", "flood_", "buildings_"))]
        assert all(a[k] is not None for k in raster_keys), "the fixture must exercise rasters"
        for key in a:
            if isinstance(a[key], float):
                assert b[key] == pytest.approx(a[key], abs=1e-6), (pid, key)
            else:
                assert b[key] == a[key], (pid, key)


def test_dsm_only_canopy_with_strips_matches_one_window(manifest, monkeypatch):
    """The DSM-only fallback filters with a 30 m window: strips read a halo so the
    ground estimate near a strip's edge sees the same neighbourhood."""
    man = yaml.safe_load(manifest.read_text())
    man["layers"].pop("dtm")
    dsm_only = manifest.parent / "dsm-only.yaml"  # beside the data: same relative paths
    dsm_only.write_text(yaml.safe_dump(man))
    whole = _scan_all(dsm_only, monkeypatch, 10**9)
    strips = _scan_all(dsm_only, monkeypatch, 20_000)
    for pid, _g in PARKS:
        a = whole[pid]["indicators"]["canopy_share_pct"]
        b = strips[pid]["indicators"]["canopy_share_pct"]
        assert "DSM only" in a["method"]
        assert b["value"] == pytest.approx(a["value"], abs=1e-6)


def _chunks(values, weights, sizes):
    out, i = [], 0
    for n in sizes:
        out.append((values[i : i + n], weights[i : i + n]))
        i += n
    return out


def test_cell_sample_equals_statistics_over_all_cells(monkeypatch):
    rng = np.random.default_rng(1)
    v = rng.normal(33.0, 4.0, 50_000).astype(np.float32)
    v[rng.random(v.size) < 0.05] = np.nan  # no-data cells
    w = rng.uniform(0.01, 1.0, v.size).astype(np.float32)
    sample = CellSample(_chunks(v, w, [7_001, 30_000, 12_999]))
    ok = ~np.isnan(v)
    assert sample.size == ok.sum()
    assert sample.mean() == pytest.approx(weighted_mean(v, w), rel=1e-9)
    assert sample.quantile(0.9) == pytest.approx(weighted_quantile(v, w, 0.9), rel=1e-9)
    assert sample.total_weight(valid_only=True) == pytest.approx(w[ok].sum(dtype=float))
    assert sample.nan_weight == pytest.approx(w[~ok].sum(dtype=float))
    hot = sample.weight_where(lambda x: x >= 35.0)
    assert hot == pytest.approx(w[ok & (v >= 35.0)].sum(dtype=float), rel=1e-9)
    # the histogram path (many cells), piece by piece, equals the one-array histogram
    monkeypatch.setattr(zonal, "EXACT_QUANTILE_MAX_CELLS", 1_000)
    monkeypatch.setattr(zonal, "SAMPLE_PIECE", 4_096)
    assert sample.quantile(0.9) == pytest.approx(weighted_quantile(v, w, 0.9), abs=1e-9)
    # and stays within a histogram bin of the exact quantile
    exact = weighted_quantile(v[ok][:900], w[ok][:900], 0.9)
    small = CellSample([(v[ok][:900], w[ok][:900])])
    assert small.quantile(0.9) == pytest.approx(exact)


def test_cell_sample_without_values():
    empty = CellSample([(np.array([np.nan], np.float32), np.array([1.0], np.float32))])
    assert empty.size == 0
    assert empty.mean() is None
    assert empty.quantile(0.5) is None
    assert empty.total_weight() == pytest.approx(1.0)
    assert empty.total_weight(valid_only=True) == 0.0
