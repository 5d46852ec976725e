"""Property tests (hypothesis) on a periodic BGT pattern: shares sum to 100%, results do
not depend on the CRS the park comes in, and a park twice as large with the same
pattern has the same shares."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import box

from werklandschap.scanengine import load_bundle, scan_park

from .fixtures import bgt_landcover_entries, write_bgt, write_manifest

pytestmark = pytest.mark.engine

OX, OY, TILE, N = 140000.0, 460000.0, 50.0, 20  # 20 x 20 tiles of 50 m = 1 km2

# one 50 x 50 m tile, a partition: (x0, y0, x1, y1, object type, attributes)
PATTERN = [
    (0, 0, 25, 25, "pand", {}),
    (25, 0, 50, 15, "wegdeel", {"function": "parkeervlak", "surfacematerial": "open verharding"}),
    (
        25,
        15,
        50,
        25,
        "wegdeel",
        {"function": "rijbaan lokale weg", "surfacematerial": "gesloten verharding"},
    ),
    (
        0,
        25,
        30,
        50,
        "begroeidterreindeel",
        {"class": "groenvoorziening", "plus_fysiekvoorkomen": "gras- en kruidachtigen"},
    ),
    (30, 25, 50, 40, "begroeidterreindeel", {"class": "loofbos"}),
    (30, 40, 50, 50, "waterdeel", {"class": "watervlakte"}),
]
SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    d = tmp_path_factory.mktemp("pattern")
    feats: dict[str, list] = {}
    for i in range(N):
        for j in range(N):
            x, y = OX + i * TILE, OY + j * TILE
            for x0, y0, x1, y1, otype, attrs in PATTERN:
                feats.setdefault(otype, []).append((box(x + x0, y + y0, x + x1, y + y1), attrs))
    write_bgt(d / "bgt.gpkg", feats)
    m = write_manifest(
        d / "b.yaml",
        {
            "landcover": bgt_landcover_entries(
                d / "bgt.gpkg", ["pand", "wegdeel", "begroeidterreindeel", "waterdeel"]
            )
        },
    )
    return load_bundle(m)


def _shares(result) -> dict[str, float]:
    assert result["status"] == "ok", result["error"]
    return {
        k: v["value"]
        for k, v in result["indicators"].items()
        if k.startswith("share_") and v["status"] == "ok"
    }


parks = st.builds(
    lambda cx, cy, w, h, rot: shapely.affinity.rotate(
        box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), rot, origin="centroid"
    ),
    st.floats(OX + 300, OX + 700),
    st.floats(OY + 300, OY + 700),
    st.floats(20, 300),
    st.floats(20, 300),
    st.floats(0, 180),
)


@SETTINGS
@given(parks)
def test_shares_sum_to_100(bundle, park):
    shares = _shares(scan_park("p", park, bundle))
    assert sum(shares.values()) == pytest.approx(100.0, abs=1e-4)
    assert shares["share_not_covered_pct"] == pytest.approx(0.0, abs=1e-6)


@SETTINGS
@given(parks, st.sampled_from(["EPSG:4326", "EPSG:3857", "EPSG:25831"]))
def test_invariant_to_reprojecting_the_input(bundle, park, crs):
    tr = Transformer.from_crs("EPSG:28992", crs, always_xy=True)
    other = shapely.transform(park, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))
    a = _shares(scan_park("p", park, bundle))
    b = _shares(scan_park("p", other, bundle, crs=crs))
    assert a.keys() == b.keys()
    # the CRS round trip moves vertices by < 1 mm (RD <-> ETRS89 Helmert, measured
    # 0.45 mm): shares may differ by at most 1 mm x perimeter / area
    tol = park.length * 1e-3 / park.area * 100.0
    for k in a:
        assert b[k] == pytest.approx(a[k], abs=tol), k


@SETTINGS
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 6), st.integers(0, 6))
def test_twice_as_large_same_pattern_same_shares(bundle, n, m, i, j):
    x, y = OX + i * TILE, OY + j * TILE
    small = box(x, y, x + n * TILE, y + m * TILE)
    large = box(x, y, x + 2 * n * TILE, y + m * TILE)
    a = _shares(scan_park("small", small, bundle))
    b = _shares(scan_park("large", large, bundle))
    for k in a:
        assert b[k] == pytest.approx(a[k], abs=1e-6), k
    # and equal to the pattern itself: built 25 x 25 of 50 x 50 = 25%
    assert a["share_built_pct"] == pytest.approx(25.0)
