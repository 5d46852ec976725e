"""The voucher panel on a park's dashboard and the vouchers in each role's workspace."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from tests.vouchers import report_data
from werklandschap.accounts.roles import Role
from werklandschap.registry.choices import SwarmRole
from werklandschap.vouchers.models import GreenDeal
from werklandschap.vouchers.park_panel import park_panel
from werklandschap.vouchers.workflow import Status
from werklandschap.workspace.sections import sections_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def partner(park):
    park.swarm_role = SwarmRole.PARTNER
    park.save()
    return park


@pytest.fixture
def open_round(partner):
    return report_data.make_round(
        GreenDeal.objects.get(province=partner.province),
        name="Ronde Zuid-Holland 2026",
        opens_on=TODAY - dt.timedelta(days=5),
        closes_on=TODAY + dt.timedelta(days=40),
        voucher_count=6,
        budget_cents=95_000_50,
    )


@pytest.fixture
def supporter(partner, other_park):
    return report_data.make_supporter("Groen Proces BV", [partner.province, other_park.province])


def dashboard(client, park):
    response = client.get(reverse("portal:dashboard", args=[park.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_open_round_and_how_to_apply(client, users, partner, open_round):
    client.force_login(users[Role.PARK_CONTACT])
    html = dashboard(client, partner)
    assert "Ronde Zuid-Holland 2026" in html
    assert "Nog 6 vouchers te vergeven." in html
    assert reverse("vouchers:apply", args=[partner.slug]) in html
    assert "Zo vraagt u aan" in html
    assert "komen in een volgende fase" not in html  # the old informational text is gone


def test_no_open_round_says_when_the_next_opens(client, users, partner):
    report_data.make_round(
        GreenDeal.objects.get(province=partner.province),
        opens_on=TODAY + dt.timedelta(days=10),
        closes_on=TODAY + dt.timedelta(days=70),
    )
    client.force_login(users[Role.PARK_CONTACT])
    html = dashboard(client, partner)
    assert "De volgende ronde opent op" in html
    assert reverse("vouchers:apply", args=[partner.slug]) not in html


def test_a_park_that_is_not_a_partner_is_told_why(client, users, park, open_round):
    park.swarm_role = SwarmRole.NONE
    park.save()
    client.force_login(users[Role.PARK_CONTACT])
    html = dashboard(client, park)
    assert "Alleen partnerterreinen kunnen een voucher aanvragen" in html
    assert reverse("vouchers:apply", args=[park.slug]) not in html


def test_the_park_s_own_application_and_its_letters(client, users, partner, open_round, supporter):
    application = report_data.make_application(
        "VO2026-00200",
        partner,
        open_round,
        supporter,
        Status.AWARDED,
        awarded_cents=15_000_00,
        payouts=(5_000_00,),
        applicant=users[Role.PARK_CONTACT],
    )
    application.deliverables_due = dt.date(2027, 3, 1)
    application.save()
    client.force_login(users[Role.PARK_CONTACT])
    html = dashboard(client, partner)
    assert "VO2026-00200" in html and "Toegekend: € 15.000,00" in html
    assert "1 maart 2027" in html
    assert reverse("vouchers:detail", args=["VO2026-00200"]) in html
    assert reverse("vouchers:award-letter", args=["VO2026-00200"]) in html
    assert reverse("vouchers:payout-statement", args=["VO2026-00200"]) in html
    assert reverse("vouchers:apply", args=[partner.slug]) not in html  # one voucher at a time
    # The province officer sees the state too, but cannot apply for the park.
    client.force_login(users[Role.PROVINCE_OFFICER])
    html = dashboard(client, partner)
    assert "VO2026-00200" in html and reverse("vouchers:apply", args=[partner.slug]) not in html


def test_outsiders_get_no_application_and_no_refusal_from_the_panel(
    users, partner, open_round, supporter
):
    report_data.make_application("VO2026-00201", partner, open_round, supporter, Status.SUBMITTED)
    panel = park_panel(partner, users[Role.COALITION_PARTNER])["panel"]
    assert panel.application is None and not panel.insider and not panel.apply_url
    mine = park_panel(partner, users[Role.PARK_CONTACT])["panel"]
    assert mine.application.reference == "VO2026-00201" and mine.insider


# --------------------------------------------------------------------------- workspace


def voucher_section(user):
    return next((s for s in sections_for(user) if s.key == "vouchers"), None)


def test_park_contact_sees_what_waits_and_can_apply(client, users, partner, open_round):
    section = voucher_section(users[Role.PARK_CONTACT])
    assert section is not None
    (item,) = section.context["parks"]
    assert item["eligible"] and item["apply_url"] == reverse("vouchers:apply", args=[partner.slug])
    client.force_login(users[Role.PARK_CONTACT])
    html = client.get(reverse("workspace:start")).content.decode()
    assert "Een voucher aanvragen" in html and item["apply_url"] in html


def test_a_returned_application_waits_for_the_park_contact(
    client, users, partner, open_round, supporter
):
    report_data.make_application(
        "VO2026-00202", partner, open_round, supporter, Status.RETURNED_FOR_CHANGES
    )
    section = voucher_section(users[Role.PARK_CONTACT])
    assert [a.reference for a in section.context["for_me"]] == ["VO2026-00202"]
    assert section.count == 1
    assert section.context["parks"] == []  # it has an application: no second one offered
    client.force_login(users[Role.PARK_CONTACT])
    html = client.get(reverse("workspace:start")).content.decode()
    assert "Wacht op u" in html and "pas de aanvraag aan" in html


def test_the_province_officer_assesses_only_their_province(
    client, users, outsiders, partner, other_park, open_round, supporter
):
    report_data.make_application("VO2026-00203", partner, open_round, supporter, Status.SUBMITTED)
    nb_round = report_data.make_round(GreenDeal.objects.get(province=other_park.province))
    report_data.make_application("VO2026-00204", other_park, nb_round, supporter, Status.SUBMITTED)
    section = voucher_section(users[Role.PROVINCE_OFFICER])
    assert [a.reference for a in section.context["to_assess"]] == ["VO2026-00203"]
    assert section.context["links"] == [
        (reverse("vouchers:green-deal", args=["zuid-holland"]), "Green Deal Zuid-Holland")
    ]
    other = voucher_section(outsiders[Role.PROVINCE_OFFICER])
    assert [a.reference for a in other.context["to_assess"]] == ["VO2026-00204"]
    team = voucher_section(users[Role.PROGRAMME_TEAM])
    assert {a.reference for a in team.context["to_assess"]} == {"VO2026-00203", "VO2026-00204"}
    assert team.context["links"][0][0] == reverse("vouchers:green-deals")
    client.force_login(users[Role.PROVINCE_OFFICER])
    html = client.get(reverse("workspace:start")).content.decode()
    assert "Te beoordelen" in html and "VO2026-00203" in html and "VO2026-00204" not in html


def test_a_supporter_sees_awarded_vouchers_naming_them(users, partner, open_round, supporter):
    report_data.make_application(
        "VO2026-00205", partner, open_round, supporter, Status.AWARDED, awarded_cents=15_000_00
    )
    person = make_user(Role.COALITION_PARTNER, "begeleider", supporter.organisation)
    section = voucher_section(person)
    assert [a.reference for a in section.context["for_me"]] == ["VO2026-00205"]
    assert voucher_section(users[Role.COALITION_PARTNER]) is None  # an unrelated partner
    assert voucher_section(users[Role.REGIONAL_DIRECTOR]) is None


def test_a_round_whose_money_ran_out_offers_no_voucher(client, users, partner, supporter):
    """Two vouchers by number, but EUR 15,000.50 of budget: after one award no voucher fits."""
    exhausted = report_data.make_round(
        GreenDeal.objects.get(province=partner.province),
        opens_on=TODAY - dt.timedelta(days=5),
        closes_on=TODAY + dt.timedelta(days=40),
        voucher_count=2,
        budget_cents=15_000_50,
    )
    neighbour = report_data.make_park("Buurterrein", partner.province)
    report_data.make_application(
        "VO2026-00206", neighbour, exhausted, supporter, Status.AWARDED, awarded_cents=15_000_00
    )
    panel = park_panel(partner, users[Role.PARK_CONTACT])["panel"]
    assert panel.vouchers_left == 0 and not panel.apply_url
    client.force_login(users[Role.PARK_CONTACT])
    html = dashboard(client, partner)
    assert "is uitgeput" in html
    assert "te vergeven" not in html
    assert reverse("vouchers:apply", args=[partner.slug]) not in html
