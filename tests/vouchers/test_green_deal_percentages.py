"""Green Deal percentages are written in the page's language.

The co-financing table wrote its realised share with ``floatformat`` and a fixed
'&nbsp;%', so the English page read "20.0 %". Now it goes through the platform's
one percentage helper (``lib.numbers.percent``): Dutch '20 %' / '20,5 %', English
'20%' / '20.5%'.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from werklandschap.accounts.roles import Role
from werklandschap.registry.models import Province
from werklandschap.vouchers.models import CoFinancing, GreenDeal

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def deal(reference_data) -> GreenDeal:
    province = Province.objects.get(name="Zuid-Holland")
    deal, _ = GreenDeal.objects.get_or_create(
        province=province, defaults={"status": GreenDeal.Status.SIGNED}
    )
    CoFinancing.objects.create(
        green_deal=deal, party="programme", committed_cents=100_000, realised_cents=20_000
    )
    CoFinancing.objects.create(
        green_deal=deal, party="province", committed_cents=100_000, realised_cents=20_500
    )
    return deal


def _cells(client, prefix: str) -> str:
    url = prefix + reverse("vouchers:green-deal", kwargs={"province": "zuid-holland"})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_dutch_page_writes_a_space_and_a_decimal_comma(client, users, deal):
    client.force_login(users[Role.PROGRAMME_TEAM])
    html = _cells(client, "")
    assert f">20{NBSP}%</td>" in html
    assert f">20,5{NBSP}%</td>" in html
    assert "20,0" not in html


def test_english_page_writes_no_space_and_a_decimal_point(client, users, deal):
    client.force_login(users[Role.PROGRAMME_TEAM])
    html = _cells(client, "/en")
    assert ">20%</td>" in html
    assert ">20.5%</td>" in html
    assert "20.0" not in html and f"20{NBSP}%" not in html
