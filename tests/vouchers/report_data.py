"""A hand-made voucher scheme in two provinces whose figures are worked out by hand below.

Used by the reporting, export, Green Deal page, letter and panel tests. Rows are
written directly (not through ``services``) so that the history time stamps are
exactly the ones the expected medians are computed from.

Zuid-Holland (the ``park`` fixture's province), round budget EUR 95,000.50 for 6
vouchers of EUR 15,000.00 (the budget is not a multiple of the value):

====  =========================  ===========  =======================  ===========
app   status                     award (ct)   payouts (ct)             to award
====  =========================  ===========  =======================  ===========
zh1   submitted                  -            -                        -
zh2   in_assessment              -            -                        -
zh3   awarded                    1,500,000    -                        2 days
zh4   paid                       1,500,000    600,000 + 900,000        10 days
zh5   withdrawn after an advance 1,500,000    300,000                  3.5 days
zh6   rejected                   -            -                        -
zh7   expired, nothing paid      1,500,000    -                        (not timed)
====  =========================  ===========  =======================  ===========

applied 7; awarded 3 (zh3, zh4 and zh5 for its advance); paid 1; committed
1,500,000 * 2 + 300,000 = 3,300,000; paid 1,800,000; budget 9,500,050,
uncommitted 6,200,050; target 12 (the Green Deal), remaining 9; median of 2, 3.5
and 10 days = 3.5.

Noord-Brabant, round budget EUR 45,000.00 for 3 vouchers of EUR 15,500.25:

nb1 approved, award 1,550,025, payout 775,012 (5 days); nb2 deliverables
submitted, award 1,550,025 (7 days; sent back once later, which is not a
second award).

applied 2; awarded 2; paid 0; committed 3,100,050; paid 775,012; budget
4,500,000; uncommitted 1,399,950; median of 5 and 7 days = 6.0.

Nationally: applied 9, awarded 5, paid 1, committed 6,400,050, paid 2,575,012,
budget 14,000,050, target 150 (targets.yaml), remaining 145, median of 2, 3.5,
5, 7 and 10 days = 5.0.

Co-financing: Zuid-Holland programme committed EUR 1,000,000.00 realised
250,000.00 (25.0 %), province committed 1,500,000.00 realised 0 (0.0 %);
Noord-Brabant programme committed 2,000,000.00 realised 500,000.00. Programme
nationally: 3,000,000.00 committed, 750,000.00 realised (25.0 %).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from werklandschap.registry.choices import OrganisationKind, SwarmRole
from werklandschap.registry.models import Organisation, Park, Province
from werklandschap.registry.services import unique_park_slug
from werklandschap.vouchers.models import (
    CoFinancing,
    GreenDeal,
    Payout,
    ProcessSupporter,
    VoucherApplication,
    VoucherEvent,
    VoucherRound,
)
from werklandschap.vouchers.workflow import Status

START = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))
DAY = dt.timedelta(days=1)


@dataclass
class Scenario:
    zh: Province
    nb: Province
    zh_round: VoucherRound
    nb_round: VoucherRound
    supporter: ProcessSupporter
    apps: dict[str, VoucherApplication] = field(default_factory=dict)


def make_park(name: str, province: Province, role: str = SwarmRole.PARTNER, phase=None) -> Park:
    return Park.objects.create(
        name=name,
        slug=unique_park_slug(name),
        province=province,
        swarm_role=role,
        phase=phase,
    )


def make_supporter(name: str, provinces) -> ProcessSupporter:
    organisation = Organisation.objects.create(
        name=name, slug=unique_park_slug(name), kind=OrganisationKind.OTHER, source="test"
    )
    supporter = ProcessSupporter.objects.create(
        organisation=organisation, expertise="Procesbegeleiding groenvisie"
    )
    supporter.provinces.set(provinces)
    return supporter


def make_round(deal: GreenDeal, **changes) -> VoucherRound:
    data = {
        "green_deal": deal,
        "name": f"Ronde 1 {deal.province.name}",
        "opens_on": dt.date(2026, 2, 1),
        "closes_on": dt.date(2026, 12, 31),
        "budget_cents": 100_000_00,
        "voucher_count": 5,
        "voucher_value_cents": 15_000_00,
        "conditions": "Voor partnerterreinen.",
        "source": "test",
    }
    data.update(changes)
    return VoucherRound.objects.create(**data)


def make_application(
    reference: str,
    park: Park,
    voucher_round: VoucherRound,
    supporter: ProcessSupporter,
    status: str,
    *,
    awarded_cents: int | None = None,
    payouts: tuple[int, ...] = (),
    history: tuple[tuple[str, str, dt.timedelta], ...] = (),
    applicant=None,
) -> VoucherApplication:
    """An application in ``status`` with its payouts and its history (from, to, after START)."""
    application = VoucherApplication.objects.create(
        reference=reference,
        park=park,
        round=voucher_round,
        supporter=supporter,
        applicant=applicant,
        plan_of_approach="Drie werksessies met de ondernemers; een groenvisie en een plan.",
        planning="Start in maart, groenvisie in juni, financieringsplan in september.",
        budget_cents=18_000_00,
        status=status,
        awarded_cents=awarded_cents,
        submitted_at=START,
        awarded_at=START + DAY * 2 if awarded_cents else None,
        deliverables_due=dt.date(2026, 9, 1) if awarded_cents else None,
    )
    VoucherEvent.objects.create(
        application=application, from_status="", to_status=Status.SUBMITTED, at=START
    )
    for source, target, after in history:
        VoucherEvent.objects.create(
            application=application, from_status=source, to_status=target, at=START + after
        )
    for number, amount in enumerate(payouts):
        Payout.objects.create(
            application=application,
            amount_cents=amount,
            paid_on=dt.date(2026, 4, 1) + dt.timedelta(days=number * 30),
            note=f"Termijn {number + 1}",
        )
    return application


def _assessed(days: float) -> tuple[tuple[str, str, dt.timedelta], ...]:
    return (
        (Status.SUBMITTED, Status.IN_ASSESSMENT, DAY),
        (Status.IN_ASSESSMENT, Status.AWARDED, DAY * days),
    )


def build(zh: Province, nb: Province) -> Scenario:
    """The scheme of the module docstring (the Green Deals come from the reference data)."""
    zh_deal = GreenDeal.objects.get(province=zh)
    nb_deal = GreenDeal.objects.get(province=nb)
    zh_round = make_round(zh_deal, budget_cents=9_500_050, voucher_count=6)
    nb_round = make_round(
        nb_deal, budget_cents=4_500_000, voucher_count=3, voucher_value_cents=1_550_025
    )
    supporter = make_supporter("Groen Proces BV", [zh, nb])
    s = Scenario(zh=zh, nb=nb, zh_round=zh_round, nb_round=nb_round, supporter=supporter)
    value = 1_500_000
    rows = [
        ("VO2026-00001", zh_round, Status.SUBMITTED, None, (), ()),
        ("VO2026-00002", zh_round, Status.IN_ASSESSMENT, None, (), _assessed(0.5)[:1]),
        ("VO2026-00003", zh_round, Status.AWARDED, value, (), _assessed(2)),
        (
            "VO2026-00004",
            zh_round,
            Status.PAID,
            value,
            (600_000, 900_000),
            (
                (Status.SUBMITTED, Status.IN_ASSESSMENT, DAY),
                (Status.IN_ASSESSMENT, Status.RETURNED_FOR_CHANGES, DAY * 2),
                (Status.RETURNED_FOR_CHANGES, Status.RESUBMITTED, DAY * 6),
                (Status.RESUBMITTED, Status.IN_ASSESSMENT, DAY * 7),
                (Status.IN_ASSESSMENT, Status.AWARDED, DAY * 10),
                (Status.AWARDED, Status.DELIVERABLES_SUBMITTED, DAY * 60),
                (Status.DELIVERABLES_SUBMITTED, Status.APPROVED, DAY * 70),
                (Status.APPROVED, Status.PAID, DAY * 80),
            ),
        ),
        (
            "VO2026-00005",
            zh_round,
            Status.WITHDRAWN,
            value,
            (300_000,),
            (*_assessed(3.5), (Status.AWARDED, Status.WITHDRAWN, DAY * 40)),
        ),
        (
            "VO2026-00006",
            zh_round,
            Status.REJECTED,
            None,
            (),
            (
                (Status.SUBMITTED, Status.IN_ASSESSMENT, DAY),
                (Status.IN_ASSESSMENT, Status.REJECTED, DAY * 4),
            ),
        ),
        # Expired: the award is released; it is timed in the history but no longer counts.
        ("VO2026-00007", zh_round, Status.EXPIRED, value, (), ()),
        ("VO2026-00008", nb_round, Status.APPROVED, 1_550_025, (775_012,), _assessed(5)),
        (
            "VO2026-00009",
            nb_round,
            Status.DELIVERABLES_SUBMITTED,
            1_550_025,
            (),
            (
                *_assessed(7),
                (Status.AWARDED, Status.DELIVERABLES_SUBMITTED, DAY * 20),
                (Status.DELIVERABLES_SUBMITTED, Status.AWARDED, DAY * 25),
                (Status.AWARDED, Status.DELIVERABLES_SUBMITTED, DAY * 30),
            ),
        ),
    ]
    for reference, voucher_round, status, award, payouts, history in rows:
        province = voucher_round.green_deal.province
        park = make_park(f"Terrein {reference}", province)
        s.apps[reference] = make_application(
            reference,
            park,
            voucher_round,
            supporter,
            status,
            awarded_cents=award,
            payouts=payouts,
            history=history,
        )
    CoFinancing.objects.create(
        green_deal=zh_deal,
        party="programme",
        committed_cents=100_000_000,
        realised_cents=25_000_000,
    )
    CoFinancing.objects.create(
        green_deal=zh_deal, party="province", committed_cents=150_000_000, realised_cents=0
    )
    CoFinancing.objects.create(
        green_deal=nb_deal,
        party="programme",
        committed_cents=200_000_000,
        realised_cents=50_000_000,
    )
    return s
