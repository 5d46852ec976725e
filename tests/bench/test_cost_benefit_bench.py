"""The cost-benefit benchmark (bench/cost_benefit_bench.py) runs and its plain-numpy lower
bound computes the model's numbers (the benchmark asserts that before timing anything)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.engine

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_runs_small_and_ends_with_result():
    small = ["--draws", "300", "--measures", "7", "--horizon", "25", "--repeat", "1"]
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "cost_benefit_bench.py"), *small],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    last = out.strip().splitlines()[-1]
    assert re.fullmatch(r"RESULT seconds=\d+\.\d{3} vs_numpy=\d+\.\d{2}", last), out
    assert "300 draws x 7 measures x 25 years (49 uncertain inputs)" in out
