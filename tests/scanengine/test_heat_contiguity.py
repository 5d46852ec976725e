"""InVEST heat mitigation with the contiguity fix: green areas count as a park (>= 2 ha)
only when connected, not as scattered patches within d_cool."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import box

from werklandschap.scanengine import load_bundle, scan_park
from werklandschap.scanengine.heat import invest_cooling

from .fixtures import bgt_landcover_entries, write_bgt, write_manifest

pytestmark = pytest.mark.engine

X0, Y0 = 160000.0, 420000.0
GRASS = {"class": "groenvoorziening", "plus_fysiekvoorkomen": "gras- en kruidachtigen"}
PAVED = {"function": "rijbaan lokale weg", "surfacematerial": "gesloten verharding"}


def _scan(tmp_path, connected: bool):
    # park 300 x 200 m: west two grass blocks of 110 x 100 m (1.1 ha each) split at
    # y = 100 by a 5 m road (or by grass when connected); east 190 m paved
    grass = [
        (box(X0, Y0, X0 + 110, Y0 + 97.5), GRASS),
        (box(X0, Y0 + 102.5, X0 + 110, Y0 + 200), GRASS),
    ]
    road = [(box(X0 + 110, Y0, X0 + 300, Y0 + 200), PAVED)]
    strip = (box(X0, Y0 + 97.5, X0 + 110, Y0 + 102.5), GRASS if connected else PAVED)
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


def test_scattered_patches_are_not_a_park(tmp_path):
    ind = _scan(tmp_path, connected=False)
    # 2 x 1.07 ha within d_cool would pass InVEST's moving-window GA >= 2 ha, but they
    # are separated by a road: no large green area, so HM equals CC
    assert ind["heat_mitigation_mean"]["value"] == pytest.approx(
        ind["cooling_capacity_mean"]["value"], abs=1e-9
    )
    assert ind["largest_green_patch_ha"]["value"] == pytest.approx(1.0725)


def test_connected_green_cools_its_surroundings(tmp_path):
    ind = _scan(tmp_path, connected=True)
    assert ind["largest_green_patch_ha"]["value"] == pytest.approx(2.2)
    assert ind["heat_mitigation_mean"]["value"] > ind["cooling_capacity_mean"]["value"] + 0.01


def test_invest_cooling_rule_on_a_grid():
    # 5 m cells; a 2.25 ha green block (30 x 30 cells) with CC 0.6, paved CC 0.1
    cc = np.full((100, 100), 0.1)
    green = np.zeros((100, 100))
    green[35:65, 35:65] = 1.0
    cc[green == 1] = 0.6
    hm, ga = invest_cooling(cc, green, 5.0, 450.0, 2.0)
    assert ga.max() == pytest.approx(2.25)
    # paved cells near the park take the (higher) distance-weighted park CC
    assert hm[30, 50] > 0.1
    # the green cells keep their own CC (CC >= CC_park)
    assert hm[50, 50] == pytest.approx(0.6)
    # below 2 ha nothing changes
    hm2, _ = invest_cooling(cc, green * 0.5, 5.0, 450.0, 2.0)  # 1.125 ha
    np.testing.assert_allclose(hm2, cc)
