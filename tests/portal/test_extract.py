"""scanengine.extract and the map layers: what is drawn is what was counted.

No database: the engine and the extract read the same synthetic bundle, and the
land cover the map shows must add up to the class shares the scan reports; the
canopy overlay must be the canopy the scan measured; raster overlays land on
the park in Web Mercator.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from pyproj import Transformer
from shapely.geometry import Polygon, box

from werklandschap.portal import layers
from werklandschap.scanengine import load_bundle, scan_park
from werklandschap.scanengine.extract import park_landcover, park_rasters
from werklandschap.scanengine.synthetic import make_bundle
from werklandschap.scanengine.zonal import coverage_fraction

PARK = Polygon(
    [
        (120000, 480000),
        (120350, 480000),
        (120350, 480260),
        (120150, 480260),
        (120150, 480180),
        (120000, 480180),
    ]
)  # an L, so clipping matters


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    manifest = make_bundle([("7", PARK)], tmp_path_factory.mktemp("extract"), seed=11)
    return load_bundle(manifest)


@pytest.fixture(scope="module")
def result(bundle):
    r = scan_park("7", PARK, bundle)
    assert r["status"] == "ok", r["error"]
    return r


def test_landcover_adds_up_to_the_scanned_shares(bundle, result):
    lc = park_landcover(bundle, "7", PARK)
    assert len(lc) > 20
    # every piece lies inside the park, clipped
    for geom in lc.geoms:
        assert PARK.buffer(1e-6).contains(geom)
    for key, area in lc.class_areas().items():
        share = area / PARK.area * 100.0
        assert share == pytest.approx(result["indicators"][f"share_{key}_pct"]["value"], abs=1e-4)
    # the Dutch labels are the mapping's
    assert "Bebouwd (pand)" in lc.labels


def test_canopy_overlay_is_the_scanned_canopy(bundle, result):
    rasters = park_rasters(bundle, "7", PARK, mask_outside=False)
    canopy = rasters["canopy"]
    weights = coverage_fraction(PARK, canopy.transform, canopy.array.shape)
    share = float((weights * np.nan_to_num(canopy.array)).sum() / weights.sum() * 100.0)
    assert share == pytest.approx(result["indicators"]["canopy_share_pct"]["value"], abs=1e-3)


def test_rasters_are_masked_outside_the_park(bundle):
    rasters = park_rasters(bundle, "7", PARK)
    assert set(rasters) == {"canopy", "heat", "flood"}
    heat = rasters["heat"]
    t = heat.transform
    # a cell centre in the notch of the L (outside the park) is NaN, one inside is not
    col, row = int((120050 - t.c) / t.a), int((480240 - t.f) / t.e)
    assert np.isnan(heat.array[row, col])
    col, row = int((120050 - t.c) / t.a), int((480050 - t.f) / t.e)
    assert np.isfinite(heat.array[row, col])
    assert heat.unit.startswith("°C")  # as the manifest names it


def test_missing_raster_role_is_absent_not_zero(bundle):
    bundle_without = load_bundle(bundle.manifest_path)
    del bundle_without.rasters["heat"]
    assert "heat" not in park_rasters(bundle_without, "7", PARK, roles=("heat",))


def test_overlay_grid_covers_the_park_in_web_mercator():
    grid = layers.overlay_grid(PARK, 1.0)
    (lat0, lon0), (lat1, lon1) = grid.bounds_latlng
    to_wgs = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
    for x, y in PARK.exterior.coords:
        lon, lat = to_wgs.transform(x, y)
        assert lon0 < lon < lon1 and lat0 < lat < lat1
    # the grid's cell is about 1 ground metre (Mercator stretches ~1.6x at 52° N)
    assert 1.4 < grid.transform.a < 1.8
    assert grid.width * grid.transform.a == pytest.approx(grid.bounds_3857[2] - grid.bounds_3857[0])


def test_colourise_uses_the_legend_bins():
    bins = layers.raster_bins("flood")
    arr = np.array([[np.nan, 0.02, 0.07], [0.15, 0.25, 0.5]], dtype=np.float32)
    rgba = layers.colourise(arr, bins, alpha=200)
    assert rgba[0, 0, 3] == 0 and rgba[0, 1, 3] == 0  # no data, and under 5 cm: transparent
    expected = [b.colour for b in bins]
    got = [
        "#{:02x}{:02x}{:02x}".format(*rgba[i, j, :3]) for i, j in ((0, 2), (1, 0), (1, 1), (1, 2))
    ]
    assert got == expected


def test_large_parks_get_a_capped_overlay():
    big = box(100000, 400000, 106000, 404000)  # 2,400 ha at 0.5 m would be 12,000 px wide
    grid = layers.overlay_grid(big, 0.5)
    assert max(grid.width, grid.height) <= layers.OVERLAY_MAX_PX + 1


def test_overlay_png_has_the_grid_size(bundle, db, park_for_bundle):
    png = layers.overlay_png(*park_for_bundle, "heat")
    image = Image.open(io.BytesIO(png))
    grid = layers.overlay_grid(PARK, 2.0)
    assert image.size == (grid.width, grid.height)
    alpha = np.asarray(image)[:, :, 3]
    assert 0 < (alpha > 0).mean() < 1  # coloured over the park, transparent around it


@pytest.fixture
def park_for_bundle(bundle, db):
    """A registry park and a stored scan pointing at this bundle (what the view has)."""
    from werklandschap.registry.models import Park
    from werklandschap.scans.models import ParkScan, ScanRun

    park = Park.objects.create(name="L-terrein", slug="l-terrein", geometry=PARK)
    run = ScanRun.objects.create(bundle_name="b", bundle=bundle.describe(), engine_version="x")
    scan = ParkScan.objects.create(run=run, park=park, status="ok", indicators={}, scores={})
    # the park id the bundle was made for is irrelevant: extract reads by geometry
    return park, scan
