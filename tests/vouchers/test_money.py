"""Money is exact: cents, never floats; never more than the round's budget or the award."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tests.vouchers.fixtures import *  # noqa: F403
from tests.vouchers.fixtures import VALUE, force_state, make_round, plan
from werklandschap.accounts.roles import Role
from werklandschap.lib.workflow import TransitionRefused
from werklandschap.vouchers import services
from werklandschap.vouchers.models import Payout, VoucherApplication
from werklandschap.vouchers.money import euros, split_cents, to_cents
from werklandschap.vouchers.workflow import Status


def test_cents_from_decimals_and_back():
    assert to_cents(Decimal("15000.50")) == 1_500_050
    assert to_cents("0.01") == 1
    with pytest.raises(ValueError):
        to_cents(Decimal("0.005"))
    with pytest.raises(TypeError):
        to_cents(0.1)


def test_amounts_are_shown_in_the_readers_language():
    with translation.override("nl"):
        assert euros(1_500_050) == "€ 15.000,50"
    with translation.override("en"):
        assert euros(1_500_050) == "€ 15,000.50"
    assert euros(None) == "–"


def test_a_third_of_an_odd_amount_adds_up_exactly():
    assert split_cents(1_666_667, [1, 1, 1]) == [555_556, 555_556, 555_555]
    assert split_cents(VALUE, [40, 60]) == [600_000, 900_000]


@given(
    total=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(
        lambda w: sum(w) > 0
    ),
)
def test_split_parts_always_add_up_and_differ_from_the_exact_share_by_less_than_a_cent(
    total, weights
):
    parts = split_cents(total, weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        exact = Decimal(total) * weight / sum(weights)
        assert abs(part - exact) < 1


def _award(application, team):
    services.move(application, Status.IN_ASSESSMENT, by=team)
    return services.move(application, Status.AWARDED, by=team)


def _applications(deal, round_, supporter, count):
    """``count`` applications in the round, each for its own partner park of the province."""
    from tests.conftest import DELFT_BOX
    from werklandschap.registry.choices import SwarmRole
    from werklandschap.registry.models import Park

    made = []
    for index in range(count):
        park = Park.objects.create(
            name=f"Terrein {index}",
            slug=f"terrein-{index}",
            province=deal.province,
            swarm_role=SwarmRole.PARTNER,
        )
        made.append(
            VoucherApplication.objects.create(
                reference=f"VO-M-{index}",
                park=park,
                round=round_,
                supporter=supporter,
                plan_of_approach="x",
                planning="y",
                budget_cents=VALUE,
            )
        )
    assert DELFT_BOX  # the parks need no outline here
    return made


def test_a_budget_that_is_no_multiple_of_the_value_stops_at_the_money(deal, supporter, team):
    # EUR 40,000 for five vouchers of EUR 15,000: two fit, the third would need 45,000.
    round_ = make_round(deal, budget_cents=40_000_00, voucher_count=5)
    first, second, third = _applications(deal, round_, supporter, 3)
    _award(first, team)
    _award(second, team)
    services.move(third, Status.IN_ASSESSMENT, by=team)
    with pytest.raises(TransitionRefused, match=r"budget .* is niet genoeg: nog € 10\.000,00 over"):
        services.move(third, Status.AWARDED, by=team)
    third.refresh_from_db()
    assert third.status == Status.IN_ASSESSMENT and third.awarded_cents is None
    used = services.round_commitments(round_)
    assert (used.committed_cents, used.awarded_count) == (30_000_00, 2)
    assert not services.round_has_room(round_)


def test_the_number_of_vouchers_stops_awards_even_with_money_left(deal, supporter, team):
    round_ = make_round(deal, budget_cents=1_000_000_00, voucher_count=2)
    apps = _applications(deal, round_, supporter, 3)
    _award(apps[0], team)
    _award(apps[1], team)
    services.move(apps[2], Status.IN_ASSESSMENT, by=team)
    with pytest.raises(TransitionRefused, match="al 2 van de 2 vouchers"):
        services.move(apps[2], Status.AWARDED, by=team)


def test_a_withdrawn_award_frees_its_money_but_an_advance_paid_stays_spent(deal, supporter, team):
    round_ = make_round(deal, budget_cents=30_000_00, voucher_count=2)
    first, second = _applications(deal, round_, supporter, 2)
    _award(first, team)
    _award(second, team)
    services.register_payout(second, 5_000_00, by=team)
    VoucherApplication.objects.filter(pk__in=[first.pk, second.pk]).update(status=Status.WITHDRAWN)
    used = services.round_commitments(round_)
    assert (used.committed_cents, used.awarded_count) == (5_000_00, 1)


def test_partial_payouts_add_up_to_the_award_exactly_and_then_it_is_paid(application, team):
    force_state(application, Status.APPROVED)
    Payout.objects.filter(application=application).delete()
    odd = make_round(application.round.green_deal, voucher_value_cents=16_666_67)
    VoucherApplication.objects.filter(pk=application.pk).update(round=odd, awarded_cents=16_666_67)
    application.refresh_from_db()
    parts = split_cents(application.awarded_cents, [1, 1, 1])
    for part in parts[:-1]:
        services.register_payout(application, part, by=team)
        application.refresh_from_db()
        assert application.status == Status.APPROVED
    services.register_payout(application, parts[-1], by=team)
    application.refresh_from_db()
    assert application.status == Status.PAID
    assert services.paid_cents(application) == 16_666_67


def test_a_payout_above_the_award_is_refused_and_stores_nothing(application, team):
    force_state(application, Status.AWARDED)
    services.register_payout(application, 10_000_00, by=team)
    with pytest.raises(TransitionRefused, match=r"nog ten hoogste € 5\.000,00"):
        services.register_payout(application, 5_000_01, by=team)
    assert services.paid_cents(application) == 10_000_00
    assert Payout.objects.filter(application=application).count() == 1


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.IN_ASSESSMENT, Status.REJECTED])
def test_no_payout_before_an_award(application, team, status):
    force_state(application, status)
    with pytest.raises(TransitionRefused, match="hoort geen betaling"):
        services.register_payout(application, 1_00, by=team)


def test_only_the_team_pays(application, users):
    force_state(application, Status.APPROVED)
    Payout.objects.filter(application=application).delete()
    for role in (Role.PROVINCE_OFFICER, Role.PARK_CONTACT):
        with pytest.raises(TransitionRefused, match="Alleen het programmateam"):
            services.register_payout(application, 1_00, by=users[role])
    assert not Payout.objects.filter(application=application).exists()


def test_paid_needs_the_payouts_to_add_up(application, team):
    force_state(application, Status.APPROVED)
    Payout.objects.filter(application=application).update(amount_cents=1_00)
    with pytest.raises(TransitionRefused, match="Uitbetaald kan pas"):
        services.move(application, Status.PAID, by=team)


def test_payout_amounts_are_whole_cents(application, team):
    force_state(application, Status.AWARDED)
    with pytest.raises(TypeError):
        services.register_payout(application, 100.0, by=team)


def test_an_application_plan_keeps_its_budget_in_cents(partner_park, voucher_round, supporter):
    assert plan(supporter).budget_cents == 18_000_00
