"""The monitoring benchmark (bench/monitoring_bench.py) runs at a tiny size on a throwaway
PostgreSQL server against the real server and ends with its one RESULT line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


@pytest.mark.engine  # starts its own PostgreSQL and server: once per suite run
@pytest.mark.skipif(not PG_BIN, reason="PostgreSQL server binaries not installed")
@pytest.mark.skipif(shutil.which("bash") is None, reason="scripts/pg-throwaway needs bash")
def test_benchmark_runs_tiny_and_ends_with_result():
    tiny = ["--parks", "30", "--scans", "2", "--questions", "60", "--entries", "10"]
    # Two interleaved rounds of two connections per URL, each a short burst: still a real
    # load on the real server (hundreds of requests), at half the time of 1 s + 0.5 s.
    load = ["--users", "2", "--seconds", "0.6", "--warmup", "0.2", "--rounds", "2"]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # Not the suite's port: the bench starts its own throwaway server.
    env["PG_PORT"] = "54391"
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "monitoring_bench.py"), *tiny, *load],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
    lines = out.stdout.strip().splitlines()
    assert re.fullmatch(
        r"RESULT p95_ratio_dashboard=\d+\.\d{2} p95_ratio_api=\d+\.\d{2} queries_dashboard=\d+",
        lines[-1],
    ), out.stdout
    assert sum(line.startswith("RESULT") for line in lines) == 1
    assert "30 parks" in out.stdout and "0 failures" in out.stdout
    assert ", 0 failures" in out.stdout
