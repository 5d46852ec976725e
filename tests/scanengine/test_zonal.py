"""Zonal statistics: our exact coverage against exactextract (same quantity) and against
rasterstats (cell-centre sampling), with the differences explained by partial pixels."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import shapely
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from rasterio import features
from shapely.geometry import box

from werklandschap.scanengine.zonal import (
    coverage_fraction,
    weighted_mean,
    weighted_quantile,
)

pytestmark = pytest.mark.engine

T = Affine(0.5, 0, 1000.0, 0, -0.5, 2000.0)  # 0.5 m grid, 200 x 200 cells
SHAPE = (200, 200)


def _exactextract_stats(values, geom, transform, ops):
    from exactextract import exact_extract
    from exactextract.feature import JSONFeatureSource
    from exactextract.raster import NumPyRasterSource

    h, w = values.shape
    src = NumPyRasterSource(
        values.astype("float64"),
        transform.c,
        transform.f + h * transform.e,
        transform.c + w * transform.a,
        transform.f,
        nodata=-9999.0,
    )
    feat = {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(geom)}
    return exact_extract(src, JSONFeatureSource([feat]), ops, output="geojson")[0]["properties"]


def exactextract_coverage(geom, transform: Affine, shape: tuple[int, int]) -> np.ndarray:
    """Coverage fractions from exactextract (the same quantity as ``coverage_fraction``).

    exactextract is a dev dependency only: it checks ``zonal.py`` here and is not needed
    to scan.
    """
    from exactextract import exact_extract
    from exactextract.feature import JSONFeatureSource
    from exactextract.raster import NumPyRasterSource

    h, w = shape
    xmin, ymax = transform.c, transform.f
    xmax, ymin = xmin + w * transform.a, ymax + h * transform.e
    src = NumPyRasterSource(np.zeros(shape, dtype=np.float32), xmin, ymin, xmax, ymax)
    feat = {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(geom)}
    res = exact_extract(src, JSONFeatureSource([feat]), ["cell_id", "coverage"], output="geojson")
    out = np.zeros(shape, dtype=np.float32)
    props = res[0]["properties"]
    out.flat[np.asarray(props["cell_id"], dtype=np.int64)] = props["coverage"]
    return out


polygons = st.builds(
    lambda cx, cy, r, n, rot: shapely.affinity.rotate(
        shapely.Point(cx, cy).buffer(r, quad_segs=max(1, n)), rot, origin="centroid"
    ),
    st.floats(1020, 1080),
    st.floats(1920, 1980),
    st.floats(2, 18),
    st.integers(1, 8),
    st.floats(0, 90),
)


@settings(max_examples=40, deadline=None)
@given(polygons)
def test_coverage_equals_exactextract(geom):
    ours = coverage_fraction(geom, T, SHAPE)
    theirs = exactextract_coverage(geom, T, SHAPE)
    assert np.abs(ours - theirs).max() < 1e-5
    assert ours.sum() * 0.25 == pytest.approx(geom.area, rel=1e-6)


@settings(max_examples=25, deadline=None)
@given(polygons, st.integers(0, 2**31 - 1))
def test_mean_equals_and_quantile_agrees_with_exactextract(geom, seed):
    values = np.random.default_rng(seed).normal(30, 5, SHAPE).astype("float32")
    w = coverage_fraction(geom, T, SHAPE)
    ee = _exactextract_stats(values, geom, T, ["mean", "quantile(q=0.9)"])
    assert weighted_mean(values, w) == pytest.approx(ee["mean"], rel=1e-5)
    # both are coverage-weighted P90s; their interpolation rules differ slightly, so
    # exactextract's value must lie within our P89..P91
    lo, hi = weighted_quantile(values, w, 0.89), weighted_quantile(values, w, 0.91)
    assert lo <= ee["quantile_90"] <= hi


def _rasterstats_mean(values, geom, transform):
    from rasterstats import zonal_stats

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return zonal_stats([geom], values, affine=transform, stats=["mean"], nodata=-9999)[0][
            "mean"
        ]


def test_rasterstats_agrees_on_pixel_aligned_polygon():
    values = np.random.default_rng(1).uniform(20, 45, SHAPE).astype("float32")
    geom = box(1010.0, 1930.0, 1060.5, 1990.0)  # edges on cell edges: no partial pixels
    w = coverage_fraction(geom, T, SHAPE)
    assert set(np.unique(w)) <= {0.0, 1.0}
    assert weighted_mean(values, w) == pytest.approx(_rasterstats_mean(values, geom, T), rel=1e-6)


@settings(max_examples=20, deadline=None)
@given(polygons, st.integers(0, 2**31 - 1))
def test_rasterstats_difference_is_the_partial_pixels(geom, seed):
    """rasterstats counts a cell fully when its centre is inside, else not at all. Its
    mean equals ours exactly once our weights are replaced by that centre rule, so
    the whole difference comes from the boundary (partial) pixels."""
    values = np.random.default_rng(seed).uniform(20, 45, SHAPE).astype("float32")
    rs = _rasterstats_mean(values, geom, T)
    centre = features.rasterize([(geom, 1)], out_shape=SHAPE, transform=T).astype("float32")
    if centre.sum() == 0:
        assert rs is None  # rasterstats gives nothing for polygons smaller than a cell
        return
    assert weighted_mean(values, centre) == pytest.approx(rs, rel=1e-5)
    exact = coverage_fraction(geom, T, SHAPE)
    partial = (exact > 0) & (exact < 1)
    # cells not on the boundary have identical weights under both rules
    np.testing.assert_array_equal(exact[~partial], centre[~partial])
    # and the area each rule measures differs by at most the boundary cells' area
    assert abs(exact.sum() - centre.sum()) <= partial.sum()


def test_weighted_quantile_small_cases():
    v = np.array([10.0, 20.0, np.nan, 30.0])
    w = np.array([1.0, 1.0, 1.0, 0.0])
    assert weighted_quantile(v, w, 0.5) == pytest.approx(15.0)
    assert weighted_quantile(v, np.zeros(4), 0.5) is None
    assert weighted_mean(v, w) == pytest.approx(15.0)
