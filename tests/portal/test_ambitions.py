"""Ambitions: server-side validation of the POST, history, and the gap computed by hand.

The hand-computed park: 10 ha (100,000 m2), 12% canopy, 20 mm storage on a
sealed share of 60%, 5% of the area under > 10 cm water, 8% parking, heat
not available.

- canopy target 30%: gap 30 - 12 = 18 percentage points;
  18/100 x 100,000 m2 = 18,000 m2 = 1.80 ha of canopy to add
- storage target 50 mm: gap 50 - 20 = 30 mm; sealed area 0.60 x 100,000 =
  60,000 m2; 30 mm x 60,000 m2 / 1000 = 1,800 m3 of storage to add
- flooded area (lower is better) target 0%: gap 5 - 0 = 5 points, not met
- parking (lower is better) target 10%: 8% <= 10%, met, gap 0
- heat stress of buildings: not available -> gap unknown, never 0
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.portal.helpers import store_scan
from werklandschap.portal.ambitions import ambition_rows, current_targets, set_ambitions
from werklandschap.portal.forms import parse_number
from werklandschap.portal.models import ParkAmbition

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand_scan(park):
    return store_scan(
        park,
        {
            "canopy_share_pct": 12.0,
            "storage_mm": 20.0,
            "impervious_share_pct": 60.0,
            "flood_area_gt10cm_pct": 5.0,
            "parking_share_pct": 8.0,
            "buildings_heat_stress_pct": None,
        },
        area_ha=10.0,
    )


def rows_by_key(park, scan):
    return {r["key"]: r for r in ambition_rows(park, scan)}


def test_gaps_with_the_programme_defaults(park, hand_scan):
    rows = rows_by_key(park, hand_scan)
    canopy = rows["canopy_share_pct"]
    assert canopy["target"] == 30.0 and canopy["is_default"]
    assert canopy["gap"] == pytest.approx(18.0)
    assert canopy["met"] is False and canopy["direction"] == "increase"
    assert canopy["gap_text"] == "18,0\u00a0procentpunt"
    assert canopy["step"] == "≈ 1,80 ha boomkroon erbij"

    storage = rows["storage_mm"]
    assert storage["target"] == 50.0
    assert storage["gap"] == pytest.approx(30.0)
    assert storage["step"] == "≈ 1.800 m³ berging erbij"

    flood = rows["flood_area_gt10cm_pct"]
    assert flood["direction"] == "decrease"
    assert flood["gap"] == pytest.approx(5.0) and flood["met"] is False

    parking = rows["parking_share_pct"]
    assert parking["met"] is True and parking["gap"] == 0.0

    heat = rows["buildings_heat_stress_pct"]
    assert heat["current"] is None and heat["gap"] is None and heat["met"] is None
    assert heat["reason"] == "geen hittekaart (PET) in de databundel"


def test_own_ambition_changes_the_gap(park, hand_scan, users):
    set_ambitions(park, {"canopy_share_pct": 25.0}, by=None)
    canopy = rows_by_key(park, hand_scan)["canopy_share_pct"]
    assert canopy["target"] == 25.0 and not canopy["is_default"]
    assert canopy["gap"] == pytest.approx(13.0)  # 25 - 12
    assert canopy["step"] == "≈ 1,30 ha boomkroon erbij"  # 13% of 10 ha


def test_post_valid_targets_with_decimal_comma(client, park, hand_scan, users):
    from werklandschap.accounts.roles import Role

    contact = users[Role.PARK_CONTACT]
    client.force_login(contact)
    url = reverse("portal:ambitions", kwargs={"slug": park.slug})
    r = client.post(url, {"target_canopy_share_pct": "32,5", "target_storage_mm": "60"})
    assert r.status_code == 302 and r["Location"].endswith("#ambities")
    targets = current_targets(park)
    assert targets["canopy_share_pct"].value == 32.5
    assert targets["storage_mm"].value == 60.0
    assert targets["canopy_share_pct"].set_by == contact
    # blank fields mean "the default": nothing written for them
    assert set(ParkAmbition.objects.values_list("indicator", flat=True)) == {
        "canopy_share_pct",
        "storage_mm",
    }
    page = client.get(reverse("portal:dashboard", kwargs={"slug": park.slug})).content.decode()
    assert "Ambities opgeslagen: 2 gewijzigd" in page
    assert "+20,5\u00a0procentpunt" in page  # own target 32.5 - 12.0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("target_canopy_share_pct", "veel", "Vul een getal in"),
        ("target_canopy_share_pct", "150", "Kies een waarde tussen 0 en 100"),
        ("target_canopy_share_pct", "-1", "Kies een waarde tussen 0 en 100"),
        ("target_storage_mm", "900", "Kies een waarde tussen 0 en 500 mm"),
        ("target_storage_mm", "1e3", "Vul een getal in"),
        ("target_storage_mm", "nan", "Vul een getal in"),
    ],
)
def test_post_invalid_targets_store_nothing(client, park, hand_scan, users, field, value, message):
    from werklandschap.accounts.roles import Role

    client.force_login(users[Role.PARK_CONTACT])
    url = reverse("portal:ambitions", kwargs={"slug": park.slug})
    r = client.post(url, {field: value, "target_green_share_pct": "40"})
    assert r.status_code == 400
    body = r.content.decode()
    assert message in body
    assert 'aria-invalid="true"' in body
    assert f'value="{value}"' in body  # what the person typed is kept
    assert ParkAmbition.objects.count() == 0  # the valid field is not saved either


def test_history_is_kept_and_default_can_be_restored(client, park, hand_scan, users):
    from werklandschap.accounts.roles import Role

    client.force_login(users[Role.PARK_CONTACT])
    url = reverse("portal:ambitions", kwargs={"slug": park.slug})
    client.post(url, {"target_canopy_share_pct": "20"})
    client.post(url, {"target_canopy_share_pct": "20"})  # unchanged: no new row
    client.post(url, {"target_canopy_share_pct": "35"})
    client.post(url, {"target_canopy_share_pct": ""})  # back to the default
    history = list(
        ParkAmbition.objects.filter(indicator="canopy_share_pct")
        .order_by("set_at", "id")
        .values_list("target", flat=True)
    )
    assert history == [20.0, 35.0, None]
    target = current_targets(park)["canopy_share_pct"]
    assert target.is_default and target.value == 30.0
    # typing the default itself is not an own choice either
    client.post(url, {"target_canopy_share_pct": "30"})
    assert ParkAmbition.objects.filter(indicator="canopy_share_pct").count() == 3


def test_unknown_indicator_is_refused(park):
    with pytest.raises(ValueError, match="no ambition"):
        set_ambitions(park, {"share_built_pct": 10.0}, by=None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("30", 30.0), ("12,5", 12.5), ("12.5", 12.5), (" 7 ", 7.0), ("1.250,5", 1250.5), (",5", 0.5)],
)
def test_parse_number(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "1,2,3", "1e5", "inf", "--1", "+"])
def test_parse_number_refuses(raw):
    with pytest.raises(ValueError):
        parse_number(raw)
