"""The SYNTHETIC bundle generator: loadable, clearly labelled, every park scans."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import box

from werklandschap.scanengine import load_bundle, scan_park
from werklandschap.scanengine.synthetic import make_bundle

pytestmark = pytest.mark.engine


def test_make_bundle_labelled_and_scannable(tmp_path):
    parks = [
        ("near-1", box(150000, 450000, 150300, 450250)),
        ("near-2", box(150280, 450200, 150500, 450400)),  # overlaps near-1's window
        ("far", shapely.Point(60000, 420000).buffer(200)),
    ]
    manifest = make_bundle(parks, tmp_path / "demo", seed=3)
    text = manifest.read_text(encoding="utf-8")
    assert text.startswith("# SYNTHETISCH")
    bundle = load_bundle(manifest)
    desc = bundle.describe()
    assert desc["synthetic"] is True and desc["name"] == "Synthetische demodata"
    assert len(bundle.rasters["dsm"].tiles) == 2  # one window per cluster, not per country
    for pid, geom in parks:
        r = scan_park(pid, geom, bundle)
        assert r["status"] == "ok", r["error"]
        ind = r["indicators"]
        shares = sum(v["value"] for k, v in ind.items() if k.startswith("share_"))
        assert shares == pytest.approx(100.0, abs=1e-3)
        assert ind["share_not_covered_pct"]["value"] == pytest.approx(0.0, abs=1e-6)
        for key in (
            "canopy_share_pct",
            "pet_mean_c",
            "flood_area_gt10cm_pct",
            "roof_area_m2",
            "parking_share_pct",
            "heat_mitigation_mean",
        ):
            assert ind[key]["status"] == "ok", (pid, key, ind[key]["reason"])
    # deterministic for a seed
    again = make_bundle(parks, tmp_path / "again", seed=3)
    r1 = scan_park("far", parks[2][1], bundle)
    r2 = scan_park("far", parks[2][1], load_bundle(again))
    assert r1["indicators"] == r2["indicators"]
