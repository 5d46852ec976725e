"""The Green Deal pages and the report's downloads: who may see them, what they show
(the hand-computed figures of report_data), and a query count that does not grow."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.vouchers import report_data
from werklandschap.accounts.roles import Role
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Province
from werklandschap.vouchers.models import GreenDeal
from werklandschap.vouchers.workflow import Status

pytestmark = pytest.mark.django_db


def words(response) -> str:
    """The page's text: tags dropped, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


ZH = reverse("vouchers:green-deal", kwargs={"province": "zuid-holland"})
NB = reverse("vouchers:green-deal", kwargs={"province": "noord-brabant"})
OVERVIEW = reverse("vouchers:green-deals")
DOWNLOADS = [reverse("vouchers:report-csv"), reverse("vouchers:report-xlsx")]


@pytest.fixture
def scenario(reference_data, users):
    zh = Province.objects.get(name="Zuid-Holland")
    assert users[Role.PROVINCE_OFFICER].organisation_id == zh.organisation_id
    return report_data.build(zh, Province.objects.get(name="Noord-Brabant"))


def test_the_team_sees_every_province_side_by_side(client, users, scenario):
    client.force_login(users[Role.PROGRAMME_TEAM])
    page = client.get(OVERVIEW)
    assert page.status_code == 200
    html = page.content.decode()
    for province in Province.objects.all():
        assert province.name in html
    assert ZH in html and NB in html
    text = words(page)
    assert "€ 33.000,00 van € 95.000,50" in text  # Zuid-Holland: committed of the rounds' budget
    assert "€ 64.000,50 van € 140.000,50" in text  # nationally
    assert "5 / 150" in html  # awarded against the programme target
    assert "3,5" in html and "6,0" in html  # median days, Dutch decimal comma
    for url in (ZH, NB, *DOWNLOADS):
        assert client.get(url).status_code == 200


def test_a_province_officer_sees_only_their_own_province(client, users, scenario):
    client.force_login(users[Role.PROVINCE_OFFICER])
    page = client.get(ZH)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Green Deal Zuid-Holland" in html
    assert "VO2026-00001" in html and "VO2026-00008" not in html  # no Brabant voucher
    assert "€ 33.000,00 van € 95.000,50" in words(page)
    assert client.get(NB).status_code == 403
    assert client.get(OVERVIEW).status_code == 403
    for url in DOWNLOADS:
        assert client.get(url).status_code == 403


def test_the_officer_of_another_province_is_refused(client, outsiders, scenario):
    client.force_login(outsiders[Role.PROVINCE_OFFICER])  # Noord-Brabant
    assert client.get(ZH).status_code == 403
    assert client.get(NB).status_code == 200


@pytest.mark.parametrize(
    "role", [Role.REGIONAL_DIRECTOR, Role.COALITION_PARTNER, Role.PARK_CONTACT]
)
def test_other_roles_are_refused(client, users, scenario, role):
    client.force_login(users[role])
    for url in (ZH, NB, OVERVIEW, *DOWNLOADS):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_asked_to_log_in(client, scenario):
    for url in (ZH, OVERVIEW, *DOWNLOADS):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_unknown_province_is_404(client, users, scenario):
    client.force_login(users[Role.PROGRAMME_TEAM])
    assert (
        client.get(reverse("vouchers:green-deal", kwargs={"province": "atlantis"})).status_code
        == 404
    )


def test_the_province_page_shows_deal_parks_rounds_and_states(client, users, scenario, park):
    deal = GreenDeal.objects.get(province=scenario.zh)
    lab = report_data.make_park("Living lab Zuid", scenario.zh, SwarmRole.LIVING_LAB, phase=2)
    ambassador = report_data.make_park("Ambassadeur Zuid", scenario.zh, SwarmRole.AMBASSADOR, 3)
    deal.living_labs.add(lab)
    deal.ambassador_parks.add(ambassador)
    deal.package = "C"
    deal.save()
    client.force_login(users[Role.PROVINCE_OFFICER])
    page = client.get(ZH)
    context = page.context
    html = page.content.decode()
    assert "Living lab Zuid" in html and "Ambassadeur Zuid" in html and "Pakket C" in html
    rows = {row.role: row for row in context["role_rows"]}
    # report_data made 7 partner parks without phase in Zuid-Holland; ``park`` has no role.
    assert rows[SwarmRole.PARTNER].no_phase == 7
    assert rows[SwarmRole.LIVING_LAB].per_phase[2] == 1
    assert rows[SwarmRole.AMBASSADOR].per_phase[3] == 1
    assert rows[SwarmRole.NONE].total == 1
    states = {value: count for value, _label, count in context["states"]}
    assert (
        states[Status.SUBMITTED] == 1 and states[Status.PAID] == 1 and states[Status.APPROVED] == 0
    )
    (only_round,) = context["rounds"]
    assert (only_round.awarded, only_round.round.voucher_count) == (3, 6)
    assert "3 / 6" in html
    assert "€ 1.000.000 – € 3.000.000" in html
    assert "Programma" in html and "25\xa0%" in html  # co-financing realised share


def test_the_province_page_s_query_count_does_not_grow(client, users, scenario):
    client.force_login(users[Role.PROVINCE_OFFICER])
    client.get(ZH)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(ZH).status_code == 200
    extra = report_data.make_round(GreenDeal.objects.get(province=scenario.zh), name="Ronde 2")
    for number in range(8):
        p = report_data.make_park(f"Nog een terrein {number}", scenario.zh, SwarmRole.PARTNER, 1)
        report_data.make_application(
            f"VO2026-2{number:04d}",
            p,
            extra,
            scenario.supporter,
            Status.PAID,
            awarded_cents=15_000_00,
            payouts=(15_000_00,),
        )
    with CaptureQueriesContext(connection) as large:
        assert client.get(ZH).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_the_overview_s_query_count_does_not_grow(client, users, scenario):
    client.force_login(users[Role.PROGRAMME_TEAM])
    client.get(OVERVIEW)
    with CaptureQueriesContext(connection) as small:
        client.get(OVERVIEW)
    utrecht = Province.objects.get(name="Utrecht")
    extra = report_data.make_round(GreenDeal.objects.get(province=utrecht))
    for number in range(5):
        p = report_data.make_park(f"Utrechts terrein {number}", utrecht)
        report_data.make_application(
            f"VO2026-3{number:04d}", p, extra, scenario.supporter, Status.SUBMITTED
        )
    with CaptureQueriesContext(connection) as large:
        client.get(OVERVIEW)
    assert len(large) == len(small)


def test_the_downloads_are_files(client, users, scenario):
    client.force_login(users[Role.PROGRAMME_TEAM])
    csv = client.get(DOWNLOADS[0])
    assert csv["Content-Type"].startswith("text/csv")
    assert csv["Content-Disposition"].startswith('attachment; filename="vouchers-rapportage-')
    assert "95000,50" in csv.content.decode("utf-8-sig")
    xlsx = client.get(DOWNLOADS[1])
    assert xlsx.content[:2] == b"PK"
    english = client.get("/en" + DOWNLOADS[0])
    assert "95000.50" in english.content.decode("utf-8-sig")
