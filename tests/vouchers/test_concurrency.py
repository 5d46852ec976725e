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

from tests.conftest import make_user
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


@pytest.mark.engine  # a child process on its own SQLite file: once, not again on PostgreSQL
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


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections: run with scripts/pg-throwaway")


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_two_contacts_applying_at_once_make_one_application(
    reference_data, users, partner_park, voucher_round, supporter
):
    from tests.vouchers.fixtures import plan
    from tests.vouchers.race import _race
    from werklandschap.accounts.models import ParkContact
    from werklandschap.vouchers import services
    from werklandschap.vouchers.models import VoucherApplication

    _needs_postgres()
    second = make_user(Role.PARK_CONTACT, "contact-twee")
    ParkContact.objects.create(
        user=second, park=partner_park, capacity=ParkContact.Capacity.ASSOCIATION
    )
    for _attempt in range(3):
        VoucherApplication.objects.all().delete()
        outcomes = _race(
            lambda: services.apply(partner_park, plan(supporter), by=users[Role.PARK_CONTACT]),
            lambda: services.apply(partner_park, plan(supporter), by=second),
        )
        assert outcomes.count("ok") == 1, outcomes
        refused = next(o for o in outcomes if o != "ok")
        assert refused.startswith("NotEligible: ") and "heeft al een voucheraanvraag" in refused
        assert VoucherApplication.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_two_payouts_at_once_never_exceed_the_award(
    reference_data, users, application
):
    from tests.vouchers.fixtures import force_state
    from tests.vouchers.race import _race
    from werklandschap.vouchers import services
    from werklandschap.vouchers.models import Payout

    _needs_postgres()
    force_state(application, services.Status.AWARDED)
    other_team = make_user(Role.PROGRAMME_TEAM, "team-twee")
    outcomes = _race(
        lambda: services.register_payout(application, 10_000_00, by=users[Role.PROGRAMME_TEAM]),
        lambda: services.register_payout(application, 10_000_00, by=other_team),
    )
    assert outcomes.count("ok") == 1, outcomes
    assert Payout.objects.filter(application=application).count() == 1
    assert services.paid_cents(application) == 10_000_00
