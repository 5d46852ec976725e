"""The plan-page benchmark (bench/plan_page_bench.py) runs and ends with its RESULT line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.engine  # its own process and SQLite database
def test_plan_page_benchmark_runs_and_ends_with_result(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "plan_page_bench.py"), "--repeat", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        cwd=tmp_path,
    ).stdout
    last = out.strip().splitlines()[-1]
    assert re.fullmatch(
        r"RESULT page_seconds=\d+\.\d{3} page_vs_baseline=\d+\.\d charts_seconds=\d+\.\d{3}", last
    ), out
    assert "draws per plan: 2000" in out
