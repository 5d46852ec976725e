"""Each reason a park may not apply, with the message a park contact reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.vouchers.fixtures import *  # noqa: F403
from tests.vouchers.fixtures import force_state, make_round, plan
from werklandschap.registry.choices import SwarmRole
from werklandschap.vouchers import services
from werklandschap.vouchers.eligibility import (
    ACTIVE_VOUCHER,
    NO_OPEN_ROUND,
    NOT_PARTNER,
    ROUND_EXHAUSTED,
    check_eligibility,
)
from werklandschap.vouchers.models import GreenDeal, VoucherApplication
from werklandschap.vouchers.workflow import Status


def test_a_partner_park_with_an_open_round_may_apply(partner_park, voucher_round):
    result = check_eligibility(partner_park)
    assert result.eligible and result.refusals == []
    assert result.round == voucher_round


@pytest.mark.parametrize("role", [SwarmRole.AMBASSADOR, SwarmRole.LIVING_LAB, SwarmRole.SHOWCASE])
def test_every_role_in_the_swarm_counts_as_partner(partner_park, voucher_round, role):
    partner_park.swarm_role = role
    partner_park.save()
    assert check_eligibility(partner_park).eligible


def test_a_park_outside_the_swarm_is_refused_and_told_to_sign_up(park, voucher_round):
    result = check_eligibility(park)
    assert result.codes == [NOT_PARTNER]
    assert result.refusals[0].message == (
        "Alleen partnerterreinen kunnen een voucher aanvragen. Testterrein Schieweg is (nog) "
        "geen partnerterrein; meld het terrein eerst aan als partnerterrein."
    )


def test_no_round_in_the_province_is_refused(partner_park, deal):
    result = check_eligibility(partner_park)
    assert result.codes == [NO_OPEN_ROUND]
    assert result.refusals[0].message.startswith(
        "In provincie Zuid-Holland is nu geen voucherronde open."
    )


def test_a_round_not_yet_open_says_when_it_opens(partner_park, deal):
    today = timezone.localdate()
    make_round(deal, opens_on=today + dt.timedelta(days=5), closes_on=today + dt.timedelta(days=50))
    result = check_eligibility(partner_park)
    assert result.codes == [NO_OPEN_ROUND]
    assert "De volgende ronde opent op" in result.refusals[0].message


def test_a_closed_round_or_an_unsigned_deal_is_no_open_round(partner_park, deal):
    today = timezone.localdate()
    make_round(deal, opens_on=today - dt.timedelta(days=50), closes_on=today - dt.timedelta(days=1))
    assert check_eligibility(partner_park).codes == [NO_OPEN_ROUND]
    make_round(deal)
    assert check_eligibility(partner_park).eligible
    GreenDeal.objects.filter(pk=deal.pk).update(status=GreenDeal.Status.IN_TALKS)
    assert check_eligibility(partner_park).codes == [NO_OPEN_ROUND]


def test_a_park_with_an_active_voucher_is_refused(application, partner_park):
    result = check_eligibility(partner_park)
    assert result.codes == [ACTIVE_VOUCHER]
    assert result.refusals[0].message == (
        f"Testterrein Schieweg heeft al een voucheraanvraag of voucher ({application.reference}, "
        "status 'Ingediend'). Per terrein is er één voucher tegelijk."
    )


@pytest.mark.parametrize("closed", [Status.REJECTED, Status.WITHDRAWN, Status.EXPIRED])
def test_a_closed_application_does_not_block_a_new_one(application, partner_park, closed):
    VoucherApplication.objects.filter(pk=application.pk).update(status=closed)
    assert check_eligibility(partner_park).eligible


def test_a_paid_voucher_still_counts_as_the_parks_voucher(application, partner_park):
    force_state(application, Status.PAID)
    assert check_eligibility(partner_park).codes == [ACTIVE_VOUCHER]


def test_an_exhausted_round_is_refused(partner_park, other_park, deal, supporter, contact):
    # One voucher in the round, already awarded to another park of the province.
    full = make_round(deal, voucher_count=1)
    neighbour = other_park
    neighbour.province = partner_park.province
    neighbour.save()
    taken = VoucherApplication.objects.create(
        reference="VO-T-1",
        park=neighbour,
        round=full,
        supporter=supporter,
        plan_of_approach="x",
        planning="y",
        budget_cents=1,
    )
    force_state(taken, Status.AWARDED)
    result = check_eligibility(partner_park)
    assert result.codes == [ROUND_EXHAUSTED]
    assert result.refusals[0].message == (
        f"De voucherronde '{full.name}' is uitgeput: het budget of het aantal vouchers is al "
        "helemaal toegekend. Er kan in deze ronde geen voucher meer bij."
    )


def test_all_refusals_are_given_at_once(park, deal):
    assert check_eligibility(park).codes == [NOT_PARTNER, NO_OPEN_ROUND]


def test_apply_refuses_with_every_reason_and_stores_nothing(
    park, voucher_round, supporter, contact
):
    with pytest.raises(services.NotEligible) as caught:
        services.apply(park, plan(supporter), by=contact)
    assert [r.code for r in caught.value.refusals] == [NOT_PARTNER]
    assert not VoucherApplication.objects.exists()


def test_only_a_contact_of_the_park_may_apply(partner_park, voucher_round, supporter, officer):
    with pytest.raises(services.VoucherError, match="contactpersoon van het terrein"):
        services.apply(partner_park, plan(supporter), by=officer)


def test_a_supporter_from_another_province_is_refused(partner_park, voucher_round, contact):
    from tests.vouchers.fixtures import make_supporter
    from werklandschap.registry.models import Province

    elsewhere = make_supporter("Begeleiders Noord", [Province.objects.get(name="Groningen")])
    with pytest.raises(services.VoucherError, match="geen procesbegeleider in deze provincie"):
        services.apply(partner_park, plan(elsewhere), by=contact)


def test_a_repeated_post_makes_one_application(partner_park, voucher_round, supporter, contact):
    import uuid

    key = uuid.uuid4()
    first, created = services.apply(partner_park, plan(supporter), by=contact, idempotency_key=key)
    again, created_again = services.apply(
        partner_park, plan(supporter), by=contact, idempotency_key=key
    )
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert first.reference.startswith("VO")
