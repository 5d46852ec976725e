"""Two assessors awarding the last voucher at the same moment: one wins, money stays exact.

Real concurrent transactions, not sequential calls: on PostgreSQL two threads
with their own connections (``scripts/pg-throwaway .venv/bin/pytest ...``);
on SQLite a fresh file database in a child process (the in-memory test
database shares one cache between threads and answers "table is locked" at
once, which says nothing about the code under test).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.vouchers.fixtures import *  # noqa: F403
from tests.vouchers.race import last_voucher_race
from werklandschap.accounts.roles import Role

ROOT = Path(__file__).resolve().parents[2]
# Room for exactly one more voucher: by money (budget = one voucher), by number
# (one voucher left), and by money with a budget that is no multiple of the value.
CASES = [(15_000_00, 5), (100_000_00, 1), (29_999_99, 3)]


def _check(result: dict) -> None:
    outcomes = result["outcomes"]
    assert outcomes.count("ok") == 1, outcomes
    refused = [o for o in outcomes if o != "ok"]
    assert refused[0].startswith("TransitionRefused: "), refused
    assert result["awarded"] == result["awarded_count"] == 1
    assert result["committed_cents"] == 15_000_00 <= result["budget_cents"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("budget_cents", "count"), CASES)
def test_on_postgresql_two_assessors_cannot_both_award_the_last_voucher(
    reference_data, users, deal, supporter, budget_cents, count
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections: run with scripts/pg-throwaway")
    assessors = [users[Role.PROGRAMME_TEAM], users[Role.PROVINCE_OFFICER]]
    for _attempt in range(5):
        _check(
            last_voucher_race(deal, supporter, assessors, budget_cents=budget_cents, count=count)
        )


def test_on_a_sqlite_file_two_assessors_cannot_both_award_the_last_voucher(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.vouchers.race", str(tmp_path / "race.sqlite3")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(results) == 9
    for result in results:
        _check(result)
