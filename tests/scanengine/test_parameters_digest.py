"""Which parameter values a result was computed with (issue 15, part 3).

Every result carries ``parameters_digest``: sha256 over the canonical JSON of every
parameter file the scan reads. Changing a threshold changes the digest of the next
scan; a stored result keeps the digest of its own values. The file-based scan's
flat formats (CSV, GeoPackage) carry the digest and the park's completeness.
"""

from __future__ import annotations

import csv
import hashlib
import json

import numpy as np
import pyogrio.raw
import pytest
import shapely
from shapely.geometry import box

from werklandschap import scanengine
from werklandschap.scanengine import config, load_bundle, scan_park
from werklandschap.scanengine.batch import read_results
from werklandschap.scanengine.cli import main

from .fixtures import bgt_landcover_entries, write_bgt, write_manifest

pytestmark = pytest.mark.engine

X0, Y0 = 121_000.0, 471_000.0
FULL = box(X0, Y0, X0 + 100, Y0 + 100)  # all grass
PARTIAL = box(X0 + 200, Y0, X0 + 300, Y0 + 100)  # a 5 m strip of grass: 5% covered
GRASS = {"class": "groenvoorziening", "plus_fysiekvoorkomen": "gras- en kruidachtigen"}


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    d = tmp_path_factory.mktemp("digest")
    gpkg = d / "bgt.gpkg"
    write_bgt(
        gpkg,
        {
            "begroeidterreindeel": [
                (FULL, GRASS),
                (box(X0 + 200, Y0, X0 + 205, Y0 + 100), GRASS),
                # outside both parks: the layer's extent spans the partial park
                (box(X0 + 300, Y0 + 100, X0 + 310, Y0 + 110), GRASS),
            ],
        },
    )
    lc = bgt_landcover_entries(gpkg, ["begroeidterreindeel"])
    return write_manifest(d / "bundle.yaml", {"landcover": lc})


def _canonical_sha256(snapshot: dict) -> str:
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_digest_is_sha256_of_the_canonical_snapshot_of_the_scan_files():
    snap = scanengine.parameters_snapshot()
    files = sorted(p.name for p in config.DATA_DIR.glob("*.yaml"))
    # every parameter file the scan reads, by file name; the default ambitions are
    # the portal's targets, not an input of any figure
    assert sorted(snap) == [f for f in files if f != "ambitions.yaml"]
    assert "scores.yaml" in snap and "heat.yaml" in snap and "classes.yaml" in snap
    assert scanengine.parameters_digest() == _canonical_sha256(snap)
    assert len(scanengine.parameters_digest()) == 64
    # the snapshot is a copy: changing it changes nothing in the engine
    snap["scores.yaml"]["themes"].clear()
    assert scanengine.parameters_snapshot()["scores.yaml"]["themes"]


def test_digest_depends_on_values_not_on_key_order():
    a = {"scores.yaml": {"x": 1, "y": [1, 2]}, "heat.yaml": {"z": 0.5}}
    b = {"heat.yaml": {"z": 0.5}, "scores.yaml": {"y": [1, 2], "x": 1}}
    assert config.snapshot_digest(a) == config.snapshot_digest(b)
    assert config.snapshot_digest(a) != config.snapshot_digest({**a, "heat.yaml": {"z": 0.6}})
    # the file name is part of what is hashed
    assert config.snapshot_digest(a) != config.snapshot_digest(
        {"scores2.yaml": a["scores.yaml"], "heat.yaml": a["heat.yaml"]}
    )


def _stricter_nature_thresholds() -> dict:
    """scores.yaml with five times the 'full' value and other weights for nature."""
    scores = config.load("scores")
    for i, item in enumerate(scores["themes"]["natuurinclusiviteit"]):
        item["full"] = item["full"] * 5
        item["weight"] = float(i + 1)
    return scores


def test_a_changed_threshold_gives_a_new_digest_and_the_result_says_so(manifest):
    bundle = load_bundle(manifest)
    before = scan_park("p", FULL, bundle)
    assert before["status"] == "ok", before["error"]
    assert before["parameters_digest"] == scanengine.parameters_digest()
    changed = _stricter_nature_thresholds()
    with config.override("scores", changed):
        after = scan_park("p", FULL, bundle)
        assert config.parameters_snapshot()["scores.yaml"] == json.loads(json.dumps(changed))
    assert after["parameters_digest"] != before["parameters_digest"]
    assert after["parameters_digest"] == config.snapshot_digest(
        {**scanengine.parameters_snapshot(), "scores.yaml": json.loads(json.dumps(changed))}
    )
    assert (
        after["scores"]["natuurinclusiviteit"] != before["scores"]["natuurinclusiviteit"]
    )  # the values were used
    # outside the block the packaged file counts again
    assert scan_park("p", FULL, bundle)["parameters_digest"] == before["parameters_digest"]


def test_a_failed_park_carries_the_digest_too(manifest):
    r = scan_park("far", box(0, 0, 10, 10), load_bundle(manifest))
    assert r["status"] == "failed"
    assert r["parameters_digest"] == scanengine.parameters_digest()


def test_overriding_an_unknown_file_is_refused():
    with pytest.raises(KeyError), config.override("no-such-file", {}):
        pass


# -- the file-based scan's flat formats ------------------------------------------------


@pytest.fixture(scope="module")
def parks_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("parks") / "parks.gpkg"
    pyogrio.raw.write(
        str(path),
        np.array([shapely.to_wkb(g) for g in (FULL, PARTIAL)], dtype=object),
        [np.array(["heel", "half"], dtype=object)],
        ["id"],
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:28992",
    )
    return path


def _scan_to(manifest, parks_file, out) -> None:
    args = ["--bundle", str(manifest), "--parks", str(parks_file), "--out", str(out)]
    assert main([*args, "--workers", "1", "--quiet"]) == 0


EXPECTED_REASON = "data covers only 5% of the park"


@pytest.mark.parametrize("ext", [".csv", ".gpkg", ".json", ".jsonl"])
def test_every_output_format_says_whether_a_park_is_complete(manifest, parks_file, tmp_path, ext):
    out = tmp_path / f"res{ext}"
    _scan_to(manifest, parks_file, out)
    if ext == ".csv":
        with out.open(encoding="utf-8", newline="") as fh:
            rows = {r["park_id"]: r for r in csv.DictReader(fh)}
    elif ext == ".gpkg":
        meta, _fids, _wkb, data = pyogrio.raw.read(out)
        fields = [str(f) for f in meta["fields"]]
        cols = dict(zip(fields, data, strict=True))
        rows = {str(pid): {f: cols[f][i] for f in fields} for i, pid in enumerate(cols["park_id"])}
    else:
        results = (
            json.loads(out.read_text(encoding="utf-8"))["results"]
            if ext == ".json"
            else read_results(out)
        )
        rows = {r["park_id"]: r for r in results}
    assert rows["heel"]["completeness"] == "complete"
    assert not rows["heel"]["completeness_reason"]
    assert rows["half"]["completeness"] == "incomplete"
    assert rows["half"]["completeness_reason"].startswith(EXPECTED_REASON)
    for row in rows.values():
        assert row["parameters_digest"] == scanengine.parameters_digest()
