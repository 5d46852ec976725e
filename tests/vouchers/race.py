"""Two assessors award the last voucher of a round at the same moment (real transactions).

Used by test_concurrency.py on PostgreSQL (row locks) and, through
``python -m tests.vouchers.race DB_FILE``, on a file SQLite database (its
IMMEDIATE transactions serialise writers): the same code, the same outcome.
"""

from __future__ import annotations

import json
import sys
import uuid

from django.db import connection

from tests.concurrency import race


def _race(*actions) -> list:
    """``tests.concurrency.race`` with each refusal as "Type: message" (JSON for the child)."""
    return [o if o == "ok" else f"{type(o).__name__}: {o}" for o in race(*actions)]


def last_voucher_race(deal, supporter, assessors, *, budget_cents: int, count: int) -> dict:
    """Make a round with room for one more voucher and two applications in assessment,
    let two assessors award them at once; return what happened."""
    from werklandschap.registry.choices import SwarmRole
    from werklandschap.registry.models import Park
    from werklandschap.vouchers import services
    from werklandschap.vouchers.models import VoucherApplication, VoucherRound
    from werklandschap.vouchers.workflow import Status

    tag = uuid.uuid4().hex[:8]
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    round_ = VoucherRound.objects.create(
        green_deal=deal,
        name=f"Race {tag}",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
        budget_cents=budget_cents,
        voucher_count=count,
        voucher_value_cents=15_000_00,
    )
    applications = []
    for index in range(2):
        park = Park.objects.create(
            name=f"Race {tag} {index}",
            slug=f"race-{tag}-{index}",
            province=deal.province,
            swarm_role=SwarmRole.PARTNER,
        )
        applications.append(
            VoucherApplication.objects.create(
                reference=f"VO-R-{tag}-{index}",
                park=park,
                round=round_,
                supporter=supporter,
                plan_of_approach="x",
                planning="y",
                budget_cents=15_000_00,
                status=Status.IN_ASSESSMENT,
            )
        )
    outcomes = _race(
        *[
            (lambda a=a, who=who: services.move(a, Status.AWARDED, by=who))
            for a, who in zip(applications, assessors, strict=True)
        ]
    )
    used = services.round_commitments(round_)
    return {
        "outcomes": outcomes,
        "awarded": VoucherApplication.objects.filter(round=round_, status=Status.AWARDED).count(),
        "committed_cents": used.committed_cents,
        "awarded_count": used.awarded_count,
        "budget_cents": budget_cents,
        "count": count,
    }


def _main(db_file: str) -> None:
    """Set up a file SQLite database from scratch and run the races there."""
    import os

    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werklandschap.conf.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    from tests.conftest import make_user
    from werklandschap.accounts.roles import Role
    from werklandschap.registry.choices import OrganisationKind
    from werklandschap.registry.models import Organisation
    from werklandschap.vouchers.models import GreenDeal, ProcessSupporter

    assert connection.vendor == "sqlite" and not connection.is_in_memory_db()
    deal = GreenDeal.objects.get(province__name="Utrecht")
    organisation = Organisation.objects.create(
        name="Race BV", slug="race-bv", kind=OrganisationKind.OTHER
    )
    supporter = ProcessSupporter.objects.create(organisation=organisation, expertise="x")
    supporter.provinces.set([deal.province])
    assessors = [
        make_user(Role.PROGRAMME_TEAM, "team"),
        make_user(Role.PROVINCE_OFFICER, "provincie", deal.province.organisation),
    ]
    results = []
    for budget_cents, count in [(15_000_00, 5), (100_000_00, 1), (29_999_99, 3)] * 3:
        results.append(
            last_voucher_race(deal, supporter, assessors, budget_cents=budget_cents, count=count)
        )
    print(json.dumps(results))


if __name__ == "__main__":
    _main(sys.argv[1])
