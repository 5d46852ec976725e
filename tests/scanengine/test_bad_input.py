"""Bad input gives a clear message naming the file, layer or park; nothing is stored as
a complete result (status 'failed', no indicators)."""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine
from shapely.geometry import Polygon, box

from werklandschap.scanengine import BundleError, ScanError, load_bundle, scan_park

from .fixtures import bgt_landcover_entries, write_bgt, write_manifest, write_tif

pytestmark = pytest.mark.engine

X0, Y0 = 120000.0, 480000.0


def _gpkg(path, surface="open verharding"):
    write_bgt(
        path,
        {
            "wegdeel": [
                (
                    box(X0, Y0, X0 + 100, Y0 + 50),
                    {"function": "rijbaan lokale weg", "surfacematerial": surface},
                )
            ],
            "pand": [(box(X0, Y0 + 50, X0 + 100, Y0 + 100), {})],
        },
    )
    return path


@pytest.fixture
def good(tmp_path):
    gpkg = _gpkg(tmp_path / "bgt.gpkg")
    return write_manifest(
        tmp_path / "ok.yaml", {"landcover": bgt_landcover_entries(gpkg, ["wegdeel", "pand"])}
    )


def test_bundle_error_is_scan_error():
    assert issubclass(BundleError, ScanError)


def test_missing_manifest(tmp_path):
    with pytest.raises(BundleError, match="manifest not found"):
        load_bundle(tmp_path / "nope.yaml")


def test_missing_file_names_it(tmp_path):
    m = write_manifest(
        tmp_path / "m.yaml",
        {"landcover": [{"name": "BGT pand", "file": "missing.gpkg", "object_type": "pand"}]},
    )
    with pytest.raises(BundleError, match=r"BGT pand.*missing\.gpkg.*not found"):
        load_bundle(m)


def test_corrupt_vector_file_names_it(tmp_path):
    bad = tmp_path / "broken.gpkg"
    bad.write_bytes(b"this is not a geopackage" * 10)
    m = write_manifest(
        tmp_path / "m.yaml",
        {"landcover": [{"name": "BGT wegdeel", "file": "broken.gpkg", "object_type": "wegdeel"}]},
    )
    with pytest.raises(BundleError, match=r"broken\.gpkg.*cannot be opened"):
        load_bundle(m)


def test_corrupt_raster_names_it(tmp_path, good):
    (tmp_path / "dsm.tif").write_bytes(b"II*\x00garbage")
    m = write_manifest(tmp_path / "m.yaml", {"dsm": {"file": "dsm.tif", "name": "AHN DSM"}})
    with pytest.raises(BundleError, match=r"AHN DSM.*dsm\.tif.*cannot be opened"):
        load_bundle(m)


def test_raster_without_crs(tmp_path):
    write_tif(tmp_path / "dsm.tif", np.zeros((10, 10)), Affine(1, 0, X0, 0, -1, Y0), crs=None)
    m = write_manifest(tmp_path / "m.yaml", {"dsm": {"file": "dsm.tif", "name": "AHN DSM"}})
    with pytest.raises(BundleError, match=r"AHN DSM.*has no CRS"):
        load_bundle(m)
    # the manifest may assign it explicitly
    m2 = write_manifest(tmp_path / "m2.yaml", {"dsm": {"file": "dsm.tif", "crs": "EPSG:28992"}})
    assert load_bundle(m2).rasters["dsm"].crs == "EPSG:28992"


def test_vector_in_wrong_crs(tmp_path):
    from .fixtures import write_layer

    write_layer(
        tmp_path / "wgs.gpkg",
        "buildingpart",
        [box(4.3, 52.0, 4.31, 52.01)],
        {"gml_id": ["a"]},
        crs="EPSG:4326",
    )
    m = write_manifest(
        tmp_path / "m.yaml",
        {"landcover": [{"name": "BGT pand", "file": "wgs.gpkg", "object_type": "pand"}]},
    )
    with pytest.raises(BundleError, match=r"BGT pand.*EPSG:4326.*expected EPSG:28992"):
        load_bundle(m)


def test_class_not_in_mapping_names_layer_and_value(tmp_path):
    gpkg = _gpkg(tmp_path / "bgt.gpkg", surface="glitterverharding")
    m = write_manifest(
        tmp_path / "m.yaml", {"landcover": bgt_landcover_entries(gpkg, ["wegdeel", "pand"])}
    )
    with pytest.raises(BundleError, match=r"BGT wegdeel.*glitterverharding.*not in the class"):
        load_bundle(m)
    # skipping the load-time check, the scan still refuses: park failed, naming the value
    bundle = load_bundle(m, check_classes=False)
    r = scan_park("p1", box(X0 + 10, Y0 + 10, X0 + 90, Y0 + 90), bundle)
    assert r["status"] == "failed" and "glitterverharding" in r["error"]
    assert r["indicators"] == {}


def test_unknown_object_type_and_role(tmp_path):
    gpkg = _gpkg(tmp_path / "bgt.gpkg")
    m = write_manifest(
        tmp_path / "m.yaml",
        {
            "landcover": [
                {"file": gpkg.name, "layer": "trafficarea", "object_type": "spoorbaandeel"}
            ]
        },
    )
    with pytest.raises(BundleError, match="spoorbaandeel"):
        load_bundle(m)
    m = write_manifest(tmp_path / "m2.yaml", {"noise": {"file": "x.tif"}})
    with pytest.raises(BundleError, match="unknown layer role 'noise'"):
        load_bundle(m)


def test_missing_layer_in_file(tmp_path):
    gpkg = _gpkg(tmp_path / "bgt.gpkg")
    m = write_manifest(
        tmp_path / "m.yaml",
        {
            "landcover": [
                {
                    "name": "BGT water",
                    "file": gpkg.name,
                    "layer": "waterdeel",
                    "object_type": "waterdeel",
                }
            ]
        },
    )
    with pytest.raises(BundleError, match=r"BGT water.*layer 'waterdeel' not in file"):
        load_bundle(m)


def test_invalid_geometry_names_park(good):
    bowtie = Polygon([(X0, Y0), (X0 + 50, Y0 + 50), (X0 + 50, Y0), (X0, Y0 + 50)])
    r = scan_park("bowtie-7", bowtie, load_bundle(good))
    assert r["status"] == "failed"
    assert "bowtie-7" in r["error"] and "invalid geometry" in r["error"]
    assert r["indicators"] == {} and r["scores"] == {}


def test_not_a_polygon_and_empty(good):
    bundle = load_bundle(good)
    from shapely.geometry import Point

    r = scan_park("pt", Point(X0, Y0), bundle)
    assert r["status"] == "failed" and "pt" in r["error"] and "polygon" in r["error"]
    r = scan_park("empty", Polygon(), bundle)
    assert r["status"] == "failed" and "empty" in r["error"]


def test_park_outside_extent_names_park(good):
    r = scan_park("far-away", box(200000, 500000, 200100, 500100), load_bundle(good))
    assert r["status"] == "failed"
    assert "far-away" in r["error"] and "outside the data extent" in r["error"]


def test_park_partly_outside_extent(good):
    r = scan_park("edge", box(X0 + 50, Y0 + 50, X0 + 150, Y0 + 150), load_bundle(good))
    assert r["status"] == "failed" and "extends beyond" in r["error"]


def test_empty_intersection(tmp_path):
    # two features far apart: a park between them is inside the extent but meets nothing
    write_bgt(
        tmp_path / "bgt.gpkg",
        {
            "pand": [
                (box(X0, Y0, X0 + 10, Y0 + 10), {}),
                (box(X0 + 990, Y0 + 990, X0 + 1000, Y0 + 1000), {}),
            ]
        },
    )
    m = write_manifest(
        tmp_path / "m.yaml", {"landcover": bgt_landcover_entries(tmp_path / "bgt.gpkg", ["pand"])}
    )
    r = scan_park("hole", box(X0 + 400, Y0 + 400, X0 + 500, Y0 + 500), load_bundle(m))
    assert r["status"] == "failed" and "hole" in r["error"] and "empty intersection" in r["error"]


def test_missing_layer_is_not_available_never_zero(good):
    r = scan_park("p", box(X0 + 10, Y0 + 10, X0 + 90, Y0 + 90), load_bundle(good))
    assert r["status"] == "ok"
    for key in (
        "canopy_share_pct",
        "pet_mean_c",
        "flood_area_gt10cm_pct",
        "nature_distance_m",
        "pt_stop_distance_m",
        "roofs_with_panels_pct",
    ):
        ind = r["indicators"][key]
        assert ind["status"] == "not_available" and ind["value"] is None and ind["reason"]
