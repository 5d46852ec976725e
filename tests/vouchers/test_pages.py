"""Who sees which applications, and the pages that apply, assess, revise and pay.

A province officer sees only their province's applications; a park contact
only their park's; a supporter only those naming them; the team all. An
application someone may not see is a 404 (its existence is not revealed).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.vouchers.fixtures import *  # noqa: F403
from tests.vouchers.fixtures import force_state, make_round, make_supporter, plan
from werklandschap.accounts.roles import Role
from werklandschap.vouchers import services
from werklandschap.vouchers.models import GreenDeal, Payout, VoucherApplication
from werklandschap.vouchers.workflow import Status


@pytest.fixture
def elsewhere(outsiders, other_park):
    """An application of ``other_park`` (Noord-Brabant) with its own supporter."""
    deal = GreenDeal.objects.get(province=other_park.province)
    make_round(deal)
    supporter = make_supporter("Brabant Begeleiding", [other_park.province])
    made, _ = services.apply(other_park, plan(supporter), by=outsiders[Role.PARK_CONTACT])
    return made


def _refs(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(reverse("vouchers:list"))
    assert response.status_code == 200
    return {a.reference for a in response.context["applications"]}


def test_each_role_sees_only_its_own_applications(
    client, users, outsiders, application, elsewhere, supporter_user
):
    both = {application.reference, elsewhere.reference}
    assert _refs(client, users[Role.PROGRAMME_TEAM]) == both
    assert _refs(client, users[Role.PROVINCE_OFFICER]) == {application.reference}
    assert _refs(client, outsiders[Role.PROVINCE_OFFICER]) == {elsewhere.reference}
    assert _refs(client, users[Role.PARK_CONTACT]) == {application.reference}
    assert _refs(client, outsiders[Role.PARK_CONTACT]) == {elsewhere.reference}
    assert _refs(client, supporter_user) == {application.reference}
    assert _refs(client, users[Role.COALITION_PARTNER]) == set()
    assert _refs(client, users[Role.REGIONAL_DIRECTOR]) == set()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("team", 200),
        ("officer", 200),
        ("contact", 200),
        ("supporter", 200),
        ("other officer", 404),
        ("other contact", 404),
        ("partner", 404),
        ("director", 404),
    ],
)
def test_the_detail_page_is_for_those_who_may_see_it(
    client, users, outsiders, supporter_user, application, who, status
):
    people = {
        "team": users[Role.PROGRAMME_TEAM],
        "officer": users[Role.PROVINCE_OFFICER],
        "contact": users[Role.PARK_CONTACT],
        "supporter": supporter_user,
        "other officer": outsiders[Role.PROVINCE_OFFICER],
        "other contact": outsiders[Role.PARK_CONTACT],
        "partner": users[Role.COALITION_PARTNER],
        "director": users[Role.REGIONAL_DIRECTOR],
    }
    client.force_login(people[who])
    url = reverse("vouchers:detail", kwargs={"reference": application.reference})
    assert client.get(url).status_code == status
    step = reverse("vouchers:step", kwargs={"reference": application.reference})
    response = client.post(step, {"target": Status.IN_ASSESSMENT})
    application.refresh_from_db()
    if status == 404:
        assert response.status_code == 404
        assert application.status == Status.SUBMITTED


def test_the_page_offers_each_role_its_own_moves(client, users, application):
    url = reverse("vouchers:detail", kwargs={"reference": application.reference})
    client.force_login(users[Role.PARK_CONTACT])
    moves = [m["target"] for m in client.get(url).context["moves"]]
    assert moves == [Status.WITHDRAWN]
    client.force_login(users[Role.PROVINCE_OFFICER])
    moves = [m["target"] for m in client.get(url).context["moves"]]
    assert moves == [Status.IN_ASSESSMENT]


def test_an_officer_assesses_and_awards_through_the_page(client, users, application):
    client.force_login(users[Role.PROVINCE_OFFICER])
    step = reverse("vouchers:step", kwargs={"reference": application.reference})
    assert client.post(step, {"target": Status.IN_ASSESSMENT}).status_code == 302
    assert client.post(step, {"target": Status.AWARDED}).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.AWARDED
    assert application.awarded_cents == application.round.voucher_value_cents
    page = client.get(reverse("vouchers:detail", kwargs={"reference": application.reference}))
    assert "€ 15.000,00" in page.content.decode()


def test_a_contact_cannot_award_and_is_told_why(client, users, application):
    force_state(application, Status.IN_ASSESSMENT)
    client.force_login(users[Role.PARK_CONTACT])
    step = reverse("vouchers:step", kwargs={"reference": application.reference})
    response = client.post(step, {"target": Status.AWARDED})
    assert response.status_code == 400
    assert "Deze stap is niet aan u." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.IN_ASSESSMENT


def test_a_rejection_without_reason_is_refused_with_a_message(client, users, application):
    force_state(application, Status.IN_ASSESSMENT)
    client.force_login(users[Role.PROGRAMME_TEAM])
    step = reverse("vouchers:step", kwargs={"reference": application.reference})
    response = client.post(step, {"target": Status.REJECTED, "reason": ""})
    assert response.status_code == 400
    assert "Geef een toelichting; de aanvrager krijgt die te lezen." in response.content.decode()


@pytest.mark.parametrize("typed", ["18000,50", "18.000,50"])
def test_a_contact_applies_through_the_form(
    client, users, partner_park, voucher_round, supporter, typed
):
    client.force_login(users[Role.PARK_CONTACT])
    url = reverse("vouchers:apply", kwargs={"slug": partner_park.slug})
    page = client.get(url)
    assert page.status_code == 200
    nonce = page.context["form"]["nonce"].value()
    data = {
        "nonce": nonce,
        "supporter": supporter.pk,
        "plan_of_approach": "Werksessies met de ondernemers.",
        "planning": "Voor de zomer klaar.",
        "budget": typed,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    made = VoucherApplication.objects.get()
    assert made.budget_cents == 1_800_050
    assert made.applicant == users[Role.PARK_CONTACT]
    assert client.post(url, data).status_code == 302  # a repeated post: still one
    assert VoucherApplication.objects.count() == 1


def test_the_form_explains_why_a_park_may_not_apply(client, users, park, voucher_round):
    client.force_login(users[Role.PARK_CONTACT])
    page = client.get(reverse("vouchers:apply", kwargs={"slug": park.slug}))
    assert page.status_code == 200
    body = page.content.decode()
    assert "U kunt nu geen voucher aanvragen" in body
    assert "is (nog) geen partnerterrein" in body
    assert '<form method="post" class="voucher-form"' not in body


def test_others_may_not_apply_for_a_park(client, users, outsiders, partner_park, voucher_round):
    url = reverse("vouchers:apply", kwargs={"slug": partner_park.slug})
    for user in (
        outsiders[Role.PARK_CONTACT],
        users[Role.PROVINCE_OFFICER],
        users[Role.PROGRAMME_TEAM],
    ):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403


def test_a_returned_application_is_revised_and_resubmitted(client, users, application, supporter):
    force_state(application, Status.RETURNED_FOR_CHANGES)
    client.force_login(users[Role.PARK_CONTACT])
    url = reverse("vouchers:revise", kwargs={"reference": application.reference})
    page = client.get(url)
    assert page.status_code == 200
    assert (
        page.context["form"].initial["budget"] == "18000.00"
        or str(page.context["form"].initial["budget"]) == "18000.00"
    )
    response = client.post(
        url,
        {
            "nonce": "00000000-0000-0000-0000-000000000001",
            "supporter": supporter.pk,
            "plan_of_approach": "Nieuw plan.",
            "planning": "Nieuwe planning.",
            "budget": "16000",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.RESUBMITTED
    assert (application.plan_of_approach, application.budget_cents) == ("Nieuw plan.", 16_000_00)
    client.force_login(users[Role.PROVINCE_OFFICER])
    assert client.get(url).status_code == 403


def test_the_team_records_a_payout_and_an_officer_may_not(client, users, application):
    force_state(application, Status.APPROVED)
    Payout.objects.filter(application=application).delete()
    url = reverse("vouchers:payout", kwargs={"reference": application.reference})
    data = {"amount": "15000.00", "paid_on": "2026-06-01", "note": "slot"}
    client.force_login(users[Role.PROVINCE_OFFICER])
    assert client.post(url, data).status_code == 403
    client.force_login(users[Role.PROGRAMME_TEAM])
    too_much = client.post(url, {**data, "amount": "15000.01"})
    assert too_much.status_code == 400
    assert "gaat boven de toekenning uit" in too_much.content.decode()
    assert client.post(url, data).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.PAID


def test_an_officer_without_an_organisation_sees_nothing(client, application):
    lone = make_user(Role.PROVINCE_OFFICER, "los")
    assert _refs(client, lone) == set()


def test_the_list_links_to_the_green_deals_and_the_detail_to_the_letters(client, users):
    """The team and officers find the Green Deal pages from the list; letters from an award."""
    from django.urls import reverse

    from werklandschap.accounts.roles import Role

    client.force_login(users[Role.PROGRAMME_TEAM])
    html = client.get(reverse("vouchers:list")).content.decode()
    assert reverse("vouchers:green-deals") in html
    client.force_login(users[Role.PARK_CONTACT])
    html = client.get(reverse("vouchers:list")).content.decode()
    assert reverse("vouchers:green-deals") not in html


def test_an_awarded_voucher_links_its_letter_for_the_contact_not_for_the_supporter(
    client, application, contact, supporter_user
):
    force_state(application, Status.AWARDED)
    letter = reverse("vouchers:award-letter", kwargs={"reference": application.reference})
    client.force_login(contact)
    assert letter in client.get(application_url(application)).content.decode()
    client.force_login(supporter_user)
    page = client.get(application_url(application))
    assert page.status_code == 200
    assert letter not in page.content.decode()


def application_url(application) -> str:
    return reverse("vouchers:detail", kwargs={"reference": application.reference})
