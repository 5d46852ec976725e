"""The voucher figures per province and nationally, against hand-computed values
(tests/vouchers/report_data.py works every number out), and their query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.vouchers import report_data
from werklandschap.monitoring.models import ProgrammeTarget
from werklandschap.registry.models import Province
from werklandschap.vouchers import services
from werklandschap.vouchers.reporting import median_days, voucher_report
from werklandschap.vouchers.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(reference_data):
    return report_data.build(
        Province.objects.get(name="Zuid-Holland"), Province.objects.get(name="Noord-Brabant")
    )


def test_province_figures_are_the_hand_computed_ones(scenario):
    report = voucher_report()
    zh = report.province(scenario.zh.pk).figures
    assert (zh.applied, zh.awarded, zh.paid) == (7, 3, 1)
    assert (zh.target, zh.remaining) == (12, 9)
    assert zh.budget_cents == 9_500_050
    assert zh.committed_cents == 3_300_000
    assert zh.paid_cents == 1_800_000
    assert zh.uncommitted_cents == 6_200_050
    assert zh.unpaid_cents == 1_500_000
    assert zh.median_days_to_award == Decimal("3.5")
    assert zh.awards_timed == 3
    assert zh.by_status[Status.SUBMITTED] == 1 and zh.by_status[Status.EXPIRED] == 1
    assert zh.by_status[Status.APPROVED] == 0
    assert (zh.rounds, zh.round_vouchers) == (1, 6)
    assert zh.deal_budget_cents == 12 * 15_000_00  # green_deals.yaml: 12 vouchers of EUR 15,000

    nb = report.province(scenario.nb.pk).figures
    assert (nb.applied, nb.awarded, nb.paid) == (2, 2, 0)
    assert nb.committed_cents == 3_100_050
    assert nb.paid_cents == 775_012
    assert nb.uncommitted_cents == 1_399_950
    assert nb.median_days_to_award == Decimal("6.0")


def test_national_figures_and_the_target_from_the_data(scenario):
    national = voucher_report().national
    target = ProgrammeTarget.objects.get(key="vouchers")
    assert target.value == 150  # data/reference/targets.yaml, not a constant in the code
    assert (national.applied, national.awarded, national.paid) == (9, 5, 1)
    assert (national.target, national.remaining) == (150, 145)
    assert national.committed_cents == 6_400_050
    assert national.paid_cents == 2_575_012
    assert national.budget_cents == 14_000_050
    # Four signed Green Deals of 12 vouchers of EUR 15,000 (green_deals.yaml).
    assert national.deal_budget_cents == 4 * 12 * 15_000_00
    assert national.median_days_to_award == Decimal("5.0")


def test_the_target_follows_the_team_s_edit(scenario):
    ProgrammeTarget.objects.filter(key="vouchers").update(value=160)
    assert voucher_report().national.remaining == 155


def test_provinces_without_vouchers_are_listed_with_zeros(scenario):
    report = voucher_report()
    assert len(report.provinces) == Province.objects.count() == 12
    groningen = next(p for p in report.provinces if p.name == "Groningen")
    assert groningen.deal_status == ""
    assert groningen.figures.target is None and groningen.figures.remaining is None
    assert groningen.figures.applied == 0 and groningen.figures.median_days_to_award is None
    assert groningen.slug == "groningen"
    assert next(p for p in report.provinces if p.name == "Noord-Brabant").slug == "noord-brabant"


def test_one_province_only(scenario):
    report = voucher_report([scenario.zh.pk])
    assert [p.name for p in report.provinces] == ["Zuid-Holland"]
    assert report.national.applied == 7
    assert report.national.target == 12  # the Green Deal's number, not the national 150
    assert report.co_financing[0].committed_cents == 100_000_000


def test_committed_money_agrees_with_the_budget_guard(scenario):
    """The report counts exactly what services.round_commitments counts against a round."""
    report = voucher_report()
    for voucher_round, province in (
        (scenario.zh_round, scenario.zh),
        (scenario.nb_round, scenario.nb),
    ):
        used = services.round_commitments(voucher_round)
        figures = report.province(province.pk).figures
        assert figures.committed_cents == used.committed_cents
        assert figures.awarded == used.awarded_count


def test_co_financing_committed_against_realised(scenario):
    report = voucher_report()
    zh = {p.party: p for p in report.province(scenario.zh.pk).co_financing}
    assert zh["programme"].realised_pct == Decimal("25.0")
    assert zh["programme"].outstanding_cents == 75_000_000
    assert zh["province"].realised_pct == Decimal("0.0")
    assert "municipalities" not in zh  # nothing agreed: no row, not a row of zeros
    national = {p.party: p for p in report.co_financing}
    assert national["programme"].committed_cents == 300_000_000
    assert national["programme"].realised_cents == 75_000_000
    assert national["programme"].realised_pct == Decimal("25.0")
    assert national["province"].committed_cents == 150_000_000


def test_as_dict_is_plain_data(scenario):
    import json

    data = voucher_report().as_dict()
    text = json.dumps(data)  # no Decimal, no lazy string, no model
    assert data["national"]["remaining"] == 145
    assert data["national"]["median_days_to_award"] == "5.0"
    assert "Zuid-Holland" in text


def test_median_days_is_exact():
    day = dt.timedelta(days=1)
    assert median_days([]) is None
    assert median_days([day * 2]) == Decimal("2.0")
    assert median_days([day * 2, day * 3]) == Decimal("2.5")
    assert median_days([day * 10, day * 2, day * 3.5]) == Decimal("3.5")
    # 1 h and 2 h: 1.5 h = 0.0625 days, half up to one decimal = 0.1
    assert median_days([dt.timedelta(hours=1), dt.timedelta(hours=2)]) == Decimal("0.1")


def test_query_count_does_not_grow_with_vouchers_or_provinces(scenario):
    with CaptureQueriesContext(connection) as small:
        voucher_report()
    # Twice as many applications, in a third province as well.
    utrecht = Province.objects.get(name="Utrecht")
    from werklandschap.vouchers.models import GreenDeal

    extra_round = report_data.make_round(
        GreenDeal.objects.get(province=utrecht), budget_cents=90_000_00
    )
    for number in range(10):
        park = report_data.make_park(f"Extra {number}", utrecht)
        report_data.make_application(
            f"VO2026-1{number:04d}",
            park,
            extra_round,
            scenario.supporter,
            Status.PAID,
            awarded_cents=15_000_00,
            payouts=(5_000_00, 10_000_00),
            history=(
                (Status.SUBMITTED, Status.IN_ASSESSMENT, dt.timedelta(days=1)),
                (Status.IN_ASSESSMENT, Status.AWARDED, dt.timedelta(days=number + 1)),
            ),
        )
    with CaptureQueriesContext(connection) as large:
        report = voucher_report()
    assert len(large) == len(small) <= 9
    assert report.province(utrecht.pk).figures.paid == 10
    assert report.province(utrecht.pk).figures.median_days_to_award == Decimal("5.5")


def test_round_figures_agree_with_the_budget_guard(scenario):
    from werklandschap.vouchers.reporting import round_figures

    with CaptureQueriesContext(connection) as queries:
        figures = {f.round.pk: f for f in round_figures()}
    assert len(queries) == 3
    zh = figures[scenario.zh_round.pk]
    assert (zh.applied, zh.awarded, zh.vouchers_left) == (7, 3, 3)
    assert (zh.committed_cents, zh.paid_cents, zh.uncommitted_cents) == (
        3_300_000,
        1_800_000,
        6_200_050,
    )
    nb = figures[scenario.nb_round.pk]
    # One voucher left by number, but EUR 13,999.50 left is less than one voucher of
    # EUR 15,500.25: none left (as services.round_has_room says).
    assert (nb.awarded, nb.vouchers_left, nb.uncommitted_cents) == (2, 0, 1_399_950)
    assert not services.round_has_room(scenario.nb_round)
    assert services.round_has_room(scenario.zh_round)
    for voucher_round in (scenario.zh_round, scenario.nb_round):
        used = services.round_commitments(voucher_round)
        assert figures[voucher_round.pk].committed_cents == used.committed_cents
        assert figures[voucher_round.pk].awarded == used.awarded_count
    assert [f.round.pk for f in round_figures([scenario.nb.pk])] == [scenario.nb_round.pk]


def test_the_report_reads_the_real_workflow_s_history(reference_data, users, park):
    """Applied, awarded and paid through services (the history rows the workflow writes)."""
    from django.utils import timezone

    from werklandschap.accounts.roles import Role
    from werklandschap.registry.choices import SwarmRole
    from werklandschap.vouchers.models import GreenDeal
    from werklandschap.vouchers.services import ApplicationInput

    park.swarm_role = SwarmRole.PARTNER
    park.save()
    today = timezone.localdate()
    report_data.make_round(
        GreenDeal.objects.get(province=park.province),
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=30),
    )
    supporter = report_data.make_supporter("Begeleiding BV", [park.province])
    application, _created = services.apply(
        park,
        ApplicationInput(
            supporter=supporter,
            plan_of_approach="Werksessies",
            planning="Voorjaar",
            budget_cents=16_000_00,
        ),
        by=users[Role.PARK_CONTACT],
    )
    team = users[Role.PROGRAMME_TEAM]
    services.move(application, Status.IN_ASSESSMENT, by=team)
    services.move(application, Status.AWARDED, by=team)
    services.register_payout(application, 4_000_00, by=team)
    figures = voucher_report([park.province_id]).national
    assert (figures.applied, figures.awarded, figures.paid) == (1, 1, 0)
    assert figures.committed_cents == 15_000_00 and figures.paid_cents == 4_000_00
    assert figures.awards_timed == 1 and figures.median_days_to_award == Decimal("0.0")
