"""InVEST 3.20.2's urban cooling model (factors method), computed by hand.

The engine must compute what InVEST computes (issue 15): these tests write out
InVEST's own formulas (``urban_cooling_model.py`` with pygeoprocessing's
``convolve_2d(ignore_nodata_and_edges=True)`` and its kernels) as plain sums
over cells, on grids small enough to follow, and compare. The comparison with
InVEST itself is in ``validation/invest_compare.py`` and docs/validation.md.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import box

from werklandschap.scanengine import load_bundle, scan_park
from werklandschap.scanengine.heat import invest_cooling, invest_kernels

from .fixtures import bgt_landcover_entries, write_bgt, write_manifest

pytestmark = pytest.mark.engine


def invest_by_hand(cc, green, valid, r_px, cell_m, ga_min_ha):
    """InVEST's HM, GA and CC_park per cell by explicit sums (no FFT, no library).

    GA_i = (sum_{d<=R} g_j / sum_{d<=R} v_j) x (cells in the disc) x cell area;
    CC_park_i = sum_{d<=5R} e^(-d/R) g_j CC_j / sum_{d<=5R} e^(-d/R) v_j;
    HM_i = CC_i if CC_i >= CC_park_i or GA_i < 2 ha else CC_park_i.
    """
    h, w = cc.shape
    disc_cells = sum(
        1 for dy in range(-r_px, r_px + 1) for dx in range(-r_px, r_px + 1)
        if math.hypot(dx, dy) <= r_px
    )  # fmt: skip
    hm = np.full(cc.shape, np.nan)
    ga = np.zeros(cc.shape)
    park = np.zeros(cc.shape)
    for i in range(h):
        for j in range(w):
            g_sum = v_sum = num = den = 0.0
            for y in range(h):
                for x in range(w):
                    d = math.hypot(y - i, x - j)
                    if d <= r_px:
                        g_sum += green[y, x]
                        v_sum += valid[y, x]
                    if d <= 5 * r_px:
                        k = math.exp(-d / r_px)
                        num += k * green[y, x] * (0.0 if np.isnan(cc[y, x]) else cc[y, x])
                        den += k * valid[y, x]
            ga[i, j] = g_sum / v_sum * disc_cells * cell_m**2 / 10_000 if v_sum else 0.0
            park[i, j] = num / den if den else 0.0
            if not np.isnan(cc[i, j]):
                keep = cc[i, j] >= park[i, j] or ga[i, j] < ga_min_ha
                hm[i, j] = cc[i, j] if keep else park[i, j]
    return hm, ga, park


def test_kernels_are_invests():
    r, disc, kexp = invest_kernels(450.0, 5.0)
    assert r == 90  # round(450 / 5) pixels
    assert disc.shape == (181, 181) and disc[90, 0] == 1 and disc[0, 0] == 0
    assert kexp.shape == (901, 901)  # reaches 5 R
    assert kexp.sum() == pytest.approx(1.0, abs=1e-5)  # normalised
    # exp(-d / R): one R away the weight is 1/e of the centre's
    assert kexp[450, 540] / kexp[450, 450] == pytest.approx(math.exp(-1), rel=1e-5)
    assert kexp[0, 0] == 0.0  # corner: d = 5 R sqrt(2) > 5 R


def test_invest_cooling_equals_the_formulas_by_hand():
    # 7 x 7 cells of 10 m, d_cool 20 m (R = 2 cells, the kernel reaches 10 cells),
    # green area threshold 0.05 ha = 5 cells; a 2 x 3 green block of CC 0.6 and
    # 0.7, paved CC 0.1, one cell without land cover, one cell of green CC 0.9
    cc = np.full((7, 7), 0.1)
    green = np.zeros((7, 7))
    cc[1:3, 1:4] = [[0.6, 0.6, 0.7], [0.6, 0.7, 0.7]]
    green[1:3, 1:4] = 1.0
    cc[6, 6], green[6, 6] = 0.9, 1.0
    cc[4, 0] = np.nan
    valid = (~np.isnan(cc)).astype(float)

    hm, ga, park = invest_cooling(cc, green, valid, 10.0, 20.0, 0.05)
    hm_h, ga_h, park_h = invest_by_hand(cc, green, valid, 2, 10.0, 0.05)

    np.testing.assert_allclose(ga, ga_h, atol=1e-5)
    np.testing.assert_allclose(park, park_h, atol=1e-5)
    np.testing.assert_allclose(hm, hm_h, atol=1e-5, equal_nan=True)
    # what the rule does: paved cells with enough green around take CC_park ...
    paved = (green == 0) & (valid == 1)
    takes = paved & (hm > cc + 1e-9)
    assert takes.any()
    np.testing.assert_allclose(hm[takes], park_h[takes], atol=1e-5)
    # ... the block keeps its own (higher) CC, the cell without land cover has none
    assert hm[1, 1] == pytest.approx(0.6) and np.isnan(hm[4, 0])
    # the lone green cell far from the block has too little green area around it
    assert ga_h[6, 6] < 0.05 and hm[6, 6] == pytest.approx(0.9)


def test_cells_without_land_cover_and_edges_do_not_dilute():
    # InVEST scales GA and CC_park over the cells with land cover only: a block of
    # green with nothing known around it is as green as one in a green world
    cc = np.full((9, 9), np.nan)
    green = np.zeros((9, 9))
    cc[3:6, 3:6], green[3:6, 3:6] = 0.5, 1.0
    valid = (~np.isnan(cc)).astype(float)
    _hm, ga, park = invest_cooling(cc, green, valid, 5.0, 10.0, 0.01)
    assert park[4, 4] == pytest.approx(0.5, abs=1e-6)
    assert ga[4, 4] == pytest.approx(13 * 25 / 10_000, abs=1e-9)  # 13 cells in a radius-2 disc


# --------------------------------------------------------------------------- scenes

X0, Y0 = 160000.0, 420000.0
GRASS = {"class": "groenvoorziening", "plus_fysiekvoorkomen": "gras- en kruidachtigen"}
PAVED = {"function": "rijbaan lokale weg", "surfacematerial": "gesloten verharding"}
CC_GRASS = 0.6 * 0.0 + 0.2 * 0.25 + 0.2 * 0.95  # heat.yaml: shade, albedo, ETI = Kc
CC_PAVED = 0.6 * 0.0 + 0.2 * 0.10 + 0.2 * 0.0


def _scan(tmp_path, *, connected: bool):
    # park 300 x 200 m: west two grass blocks of 110 x ~100 m split at y = 95-100 by
    # a 5 m road (or by grass when connected); east 190 m paved; nothing around it.
    # Edges on the 5 m grid, so InVEST's cell-centre rasterising is unambiguous.
    grass = [
        (box(X0, Y0, X0 + 110, Y0 + 95), GRASS),
        (box(X0, Y0 + 100, X0 + 110, Y0 + 200), GRASS),
    ]
    road = [(box(X0 + 110, Y0, X0 + 300, Y0 + 200), PAVED)]
    strip = (box(X0, Y0 + 95, X0 + 110, Y0 + 100), GRASS if connected else PAVED)
    (grass if connected else road).append(strip)
    write_bgt(tmp_path / "bgt.gpkg", {"begroeidterreindeel": grass, "wegdeel": road})
    m = write_manifest(
        tmp_path / "b.yaml",
        {
            "landcover": bgt_landcover_entries(
                tmp_path / "bgt.gpkg", ["begroeidterreindeel", "wegdeel"]
            )
        },
    )
    r = scan_park("c", box(X0, Y0, X0 + 300, Y0 + 200), load_bundle(m))
    assert r["status"] == "ok", r["error"]
    return r["indicators"]


def _park_by_hand(connected: bool) -> tuple[float, float]:
    """CC and HM means of the scene above, on InVEST's 5 m grid, by explicit sums."""
    xs = X0 + 2.5 + 5 * np.arange(60)
    ys = Y0 + 2.5 + 5 * np.arange(40)
    x, y = np.meshgrid(xs, ys)
    is_grass = (x < X0 + 110) & (connected | (np.abs(y - (Y0 + 97.5)) > 1))
    cc = np.where(is_grass, CC_GRASS, CC_PAVED)
    g = is_grass.astype(float)
    # every cell is within 5 R = 450 cells and within R = 90 cells of every other:
    # GA = green share x disc x 25 m2 > 2 ha, CC_park = kernel-weighted mean of g CC
    dy = (y.ravel()[:, None] - y.ravel()[None, :]) / 5.0
    dx = (x.ravel()[:, None] - x.ravel()[None, :]) / 5.0
    k = np.exp(-np.hypot(dx, dy) / 90.0)
    park = (k @ (g * cc).ravel()) / k.sum(axis=1)
    hm = np.maximum(cc.ravel(), park)
    return float(cc.mean()), float(hm.mean())


@pytest.mark.parametrize("connected", [False, True])
def test_scene_means_match_invest_by_hand(tmp_path, connected):
    ind = _scan(tmp_path, connected=connected)
    cc, hm = _park_by_hand(connected)
    assert ind["cooling_capacity_mean"]["value"] == pytest.approx(cc, abs=2e-4)
    assert ind["heat_mitigation_mean"]["value"] == pytest.approx(hm, abs=2e-4)
    # InVEST counts scattered green within d_cool as one green area: the road no
    # longer matters much (the former contiguity rule is gone, docs/scan-method.md)
    assert ind["heat_mitigation_mean"]["value"] > ind["cooling_capacity_mean"]["value"] + 0.01
