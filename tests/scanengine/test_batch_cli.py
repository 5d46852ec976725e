"""Batch (resume, process pool, Dask LocalCluster) and the command line."""

from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import Polygon, box

from werklandschap.scanengine import run_batch
from werklandschap.scanengine.batch import read_results
from werklandschap.scanengine.cli import main

from .fixtures import bgt_landcover_entries, write_bgt, write_layer, write_manifest

pytestmark = pytest.mark.engine

X0, Y0 = 150000.0, 430000.0


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    d = tmp_path_factory.mktemp("batch")
    feats: dict[str, list] = {"pand": [], "wegdeel": [], "begroeidterreindeel": []}
    for i in range(8):
        for j in range(8):
            x, y = X0 + i * 50, Y0 + j * 50
            feats["pand"].append((box(x, y, x + 20, y + 20), {}))
            feats["wegdeel"].append(
                (
                    box(x + 20, y, x + 50, y + 20),
                    {"function": "parkeervlak", "surfacematerial": "open verharding"},
                )
            )
            feats["begroeidterreindeel"].append(
                (
                    box(x, y + 20, x + 50, y + 50),
                    {"class": "groenvoorziening", "plus_fysiekvoorkomen": "gras- en kruidachtigen"},
                )
            )
    write_bgt(d / "bgt.gpkg", feats)
    return write_manifest(
        d / "b.yaml",
        {
            "landcover": bgt_landcover_entries(
                d / "bgt.gpkg", ["pand", "wegdeel", "begroeidterreindeel"]
            )
        },
    )


def _parks():
    parks = [(f"p{i}", box(X0 + 10 + i * 40, Y0 + 10, X0 + 60 + i * 40, Y0 + 90)) for i in range(6)]
    parks.append(("bad", Polygon([(X0, Y0), (X0 + 50, Y0 + 50), (X0 + 50, Y0), (X0, Y0 + 50)])))
    parks.append(("outside", box(0, 300000, 100, 300100)))
    return parks


def _by_id(path):
    return {r["park_id"]: r for r in read_results(path)}


def test_batch_resume_skips_finished_parks(manifest, tmp_path):
    out = tmp_path / "res.jsonl"
    s1 = run_batch(_parks()[:3], manifest, out, workers=1, progress=False)
    assert (s1.scanned, s1.skipped, s1.ok) == (3, 0, 3)
    # simulate a kill mid-write: a truncated last line
    with open(out, "a", encoding="utf-8") as fh:
        fh.write('{"park_id": "p3", "status": "o')
    s2 = run_batch(_parks(), manifest, out, workers=1, progress=False)
    assert s2.skipped == 3 and s2.scanned == 5
    assert s2.ok == 3 and s2.failed == 2  # invalid geometry and outside extent, not fatal
    failed = dict(s2.failures)
    assert "bad" in failed["bad"] and "outside" in failed["outside"]
    res = _by_id(out)
    assert sorted(res) == sorted(pid for pid, _ in _parks())
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 8 and all(json.loads(line) for line in lines)
    s3 = run_batch(_parks(), manifest, out, workers=1, progress=False)
    assert s3.scanned == 0 and s3.skipped == 8


def test_process_pool_and_dask_equal_single_process(manifest, tmp_path):
    from distributed import LocalCluster

    single = tmp_path / "single.jsonl"
    run_batch(_parks(), manifest, single, workers=1, progress=False)
    pool = tmp_path / "pool.jsonl"
    run_batch(_parks(), manifest, pool, workers=2, progress=False)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        dask_out = tmp_path / "dask.jsonl"
        s = run_batch(
            _parks(), manifest, dask_out, scheduler=cluster.scheduler_address, progress=False
        )
    assert s.scanned == 8
    a, b, c = _by_id(single), _by_id(pool), _by_id(dask_out)
    assert a == b == c


def test_cli_help_and_user_errors(manifest, tmp_path, capsys):
    assert main(["--help"]) == 0
    assert "one row per park" in capsys.readouterr().out
    assert (
        main(
            [
                "--bundle",
                str(tmp_path / "none.yaml"),
                "--parks",
                "x.gpkg",
                "--out",
                str(tmp_path / "o.csv"),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert err.startswith("error: bundle manifest not found") and "Traceback" not in err
    assert (
        main(
            [
                "--bundle",
                str(manifest),
                "--parks",
                str(tmp_path / "nope.gpkg"),
                "--out",
                str(tmp_path / "o.csv"),
            ]
        )
        == 1
    )
    assert "parks file not found" in capsys.readouterr().err
    assert main(["--bundle", str(manifest), "--parks", "x", "--out", "o.xlsx"]) == 1
    assert "unknown output format" in capsys.readouterr().err
    assert main(["--bundle", str(manifest)]) == 2  # missing options


@pytest.mark.parametrize("ext", [".csv", ".json", ".jsonl", ".gpkg"])
def test_cli_outputs(manifest, tmp_path, capsys, ext):
    parks_file = tmp_path / "parks.gpkg"
    parks = _parks()[:3]
    write_layer(
        parks_file,
        "parks",
        [g for _, g in parks],
        {"RIN_NUMMER": [pid for pid, _ in parks], "PLAN_NAAM": ["a", "b", "c"]},
    )
    out = tmp_path / f"res{ext}"
    code = main(
        [
            "--bundle",
            str(manifest),
            "--parks",
            str(parks_file),
            "--out",
            str(out),
            "--workers",
            "1",
            "--quiet",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert out.exists() and not (tmp_path / f"res{ext}.partial.jsonl").exists()
    if ext == ".csv":
        import csv

        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        assert [r["park_id"] for r in rows] == ["p0", "p1", "p2"]
        assert float(rows[0]["share_built_pct"]) > 0 and "score_water" in rows[0]
    elif ext == ".json":
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert doc["bundle"]["name"] == "test bundle" and len(doc["results"]) == 3
    elif ext == ".jsonl":
        assert len(read_results(out)) == 3
    else:
        import pyogrio.raw

        meta, _f, wkb, _data = pyogrio.raw.read(out)
        assert len(wkb) == 3 and "share_built_pct" in list(meta["fields"])
        assert shapely.from_wkb(wkb[0]).area == pytest.approx(50 * 80)


def test_cli_reports_failed_parks_with_exit_3(manifest, tmp_path, capsys):
    parks_file = tmp_path / "parks.gpkg"
    write_layer(
        parks_file,
        "parks",
        [box(X0 + 10, Y0 + 10, X0 + 60, Y0 + 60), box(0, 300000, 100, 300100)],
        {"id": ["good", "far"]},
    )
    code = main(
        [
            "--bundle",
            str(manifest),
            "--parks",
            str(parks_file),
            "--out",
            str(tmp_path / "r.csv"),
            "--workers",
            "1",
            "--quiet",
        ]
    )
    assert code == 3
    err = capsys.readouterr().err
    assert "1 failed" in err and "far" in err and "outside the data extent" in err


def test_cli_stopped_by_sigterm_exits_143_stops_its_workers_and_resumes(tmp_path):
    """A real `werklandschap scan --workers 2` on a file, stopped by SIGTERM mid-way:
    exit 143 with the advice to rerun, no pool worker left, and the same command
    then finishes the remaining parks."""
    import contextlib
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    import numpy as np
    import psutil
    import pyogrio.raw

    from werklandschap.scanengine.synthetic import make_bundle

    square = box(85000, 447000, 86000, 448000)  # ~0.5 s a park: caught mid-way
    n = 30
    bundle = make_bundle([("square", square)], tmp_path / "bundle", seed=7)
    parks = tmp_path / "parks.gpkg"
    pyogrio.raw.write(
        str(parks),
        np.array([shapely.to_wkb(square)] * n, dtype=object),
        [np.array([f"p{i}" for i in range(n)], dtype=object)],
        ["park_id"],
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:28992",
    )
    out = tmp_path / "out.jsonl"
    args = [str(Path(sys.executable).parent / "werklandschap"), "scan", "--bundle", str(bundle)]
    args += ["--parks", str(parks), "--out", str(out), "--workers", "2", "--quiet"]
    log = tmp_path / "scan.log"

    def wait_for(what, check, deadline_s=120):
        end = time.monotonic() + deadline_s
        while not (value := check()):
            assert time.monotonic() < end, f"gave up waiting for {what}\n{log.read_text()}"
            time.sleep(0.1)
        return value

    with open(log, "w") as fh:
        proc = subprocess.Popen(args, stdout=fh, stderr=subprocess.STDOUT)
    workers: list = []
    try:
        wait_for("the first parks", lambda: out.is_file() and out.read_text().count("\n") >= 1)
        workers = wait_for(
            "the pool's workers",
            lambda: (w := psutil.Process(proc.pid).children(recursive=True)) and len(w) >= 2 and w,
        )
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=120) == 143, log.read_text()
        assert "run the same command again" in log.read_text()

        def gone():
            for w in workers:
                try:
                    if w.status() != psutil.STATUS_ZOMBIE:
                        return False
                except psutil.NoSuchProcess:
                    pass
            return True

        wait_for("the workers to stop", gone)
        done = out.read_text().count("\n")
        assert 0 < done < n
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        for w in workers:
            with contextlib.suppress(psutil.NoSuchProcess):
                w.kill()
    again = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"({done} already done)" in again.stderr
    assert len(read_results(out)) == n
