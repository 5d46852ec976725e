"""The dashboard's states and sections, server-side (no browser).

A park without a scan, with a scan in the queue, with a failed last attempt,
and with two scans (history); missing indicators say why instead of showing 0.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.portal.helpers import days_ago, store_scan
from werklandschap.accounts.roles import Role
from werklandschap.scans.models import ParkScan
from werklandschap.scans.services import request_scan

pytestmark = pytest.mark.django_db


def dashboard(client, users, park) -> str:
    client.force_login(users[Role.PARK_CONTACT])
    r = client.get(reverse("portal:dashboard", kwargs={"slug": park.slug}))
    assert r.status_code == 200
    return r.content.decode()


def test_no_scan_yet(client, users, park):
    body = dashboard(client, users, park)
    assert "Nog geen nulmeting" in body
    assert "data-park-dashboard-map" not in body
    assert reverse("portal:report", kwargs={"slug": park.slug}) not in body
    # ambitions can be set before the first scan; the step is not yet known
    assert 'id="ambities"' in body and "nog niet gemeten" in body


def test_queued_scan_is_announced_and_polled(client, users, park):
    request_scan(park, reason="test")
    body = dashboard(client, users, park)
    assert "De nulmeting staat in de wachtrij." in body
    assert f'data-status-url="/portaal/{park.slug}/status.json"' in body
    status = client.get(reverse("portal:status", kwargs={"slug": park.slug})).json()
    assert status == {"pending": True, "scan": None, "failed": False}


def test_failed_last_attempt_is_explained_above_the_last_good_scan(client, users, park):
    store_scan(park, {"green_share_pct": 12.0}, when=days_ago(10))
    failed = store_scan(park, {}, status=ParkScan.Status.FAILED)
    ParkScan.objects.filter(pk=failed.pk).update(error="park 1: outside the data extent")
    body = dashboard(client, users, park)
    assert "De laatste poging om de nulmeting te berekenen is mislukt." in body
    assert "outside the data extent" in body
    assert "12,0" in body  # the last good scan is still shown


def test_missing_indicator_says_why_never_zero(client, users, park):
    store_scan(park, {"green_share_pct": 12.0, "pet_mean_c": None})
    body = dashboard(client, users, park)
    card = re.search(r'data-indicator="pet_mean_c">(.*?)</article>', body, re.S).group(1)
    assert "niet beschikbaar" in card
    assert "Geen hittekaart (PET) in de databundel" in card  # reason, capitalised
    assert not re.search(r"<strong>0(,0)?</strong>", card)


def test_history_over_two_scans(client, users, park):
    store_scan(park, {"green_share_pct": 10.0, "canopy_share_pct": 4.0}, when=days_ago(400))
    store_scan(park, {"green_share_pct": 14.5, "canopy_share_pct": 6.0}, when=days_ago(1))
    body = dashboard(client, users, park)
    section = body.split('id="ontwikkeling"', 1)[1].split("</section>", 1)[0]
    row = re.search(r"Aandeel groen</th>(.*?)</tr>", section, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["10,0\xa0%", "14,5\xa0%"]
    assert section.count('class="history-chart"') >= 2  # charts from the second scan on
    assert "data:image/svg+xml;base64," in section


def test_green_deal_of_the_province_is_named(client, users, park):
    body = dashboard(client, users, park)
    assert park.province.name == "Zuid-Holland"
    assert "een Green Deal met het programma ondertekend" in body
    assert (
        "Provincie Zuid-Holland heeft op" in body
        or "Provincie Zuid-Holland heeft een Green Deal" in body
    )


def test_a_green_deal_in_talks_or_none_is_not_called_signed(client, users, park):
    from werklandschap.vouchers.models import GreenDeal

    deal = GreenDeal.objects.get(province=park.province)
    deal.status = GreenDeal.Status.IN_TALKS
    deal.save()
    body = dashboard(client, users, park)
    assert "is in gesprek met het programma over een Green Deal" in body
    assert "Green Deal met het programma ondertekend" not in body
    deal.status = GreenDeal.Status.NONE
    deal.save()
    body = dashboard(client, users, park)
    assert "Er is (nog) geen Green Deal tussen het programma en provincie Zuid-Holland" in body
