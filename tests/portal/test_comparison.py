"""Comparison statistics against a small set computed by hand.

Seven parks, green share (%) of their latest scan:

- province Zuid-Holland, regular parks of 10-25 ha: 10, 20, 30 (ours), 40, 50
- province Noord-Brabant: 60 (regular, 10-25 ha) and 5 (regular, 100-250 ha)

Groups of our park (regular, 10-25 ha, Zuid-Holland):

- same type and size: 10, 20, 30, 40, 50, 60 -> n 6; quartiles by linear
  interpolation (position p x (n - 1)): q1 at 1.25 -> 20 + 0.25 x 10 = 22.5,
  median at 2.5 -> 35, q3 at 3.75 -> 40 + 0.75 x 10 = 47.5; mean 210 / 6 = 35;
  better than: others 10, 20, 40, 50, 60 -> 2 lower of 5 = 40%
- province: 10, 20, 30, 40, 50 -> n 5; q1 20, median 30, q3 40, mean 30;
  better than 2 of 4 = 50%
- country: 5, 10, 20, 30, 40, 50, 60 -> n 7; q1 at 1.5 -> 15, median 30,
  q3 at 4.5 -> 45; mean 215 / 7; better than 3 of 6 = 50%

An older scan of the 10% park said 90% and a failed newer scan exists for
another park: neither may count (latest successful scan only).
"""

from __future__ import annotations

import pytest
from shapely.geometry import box

from tests.portal.helpers import days_ago, store_scan
from werklandschap.portal.comparison import (
    better_than_pct,
    comparison,
    describe,
    size_class,
    size_class_label,
)
from werklandschap.registry.choices import ParkType
from werklandschap.registry.models import Park, Province
from werklandschap.scans.models import ParkScan

pytestmark = pytest.mark.django_db


def make_park(name, province, area_ha, park_type=ParkType.REGULAR):
    side = (area_ha * 10_000) ** 0.5
    x = 100_000 + len(name) * 1_000
    return Park.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        geometry=box(x, 450_000, x + side, 450_000 + side),
        province=province,
        park_type=park_type,
    )


@pytest.fixture
def parks(reference_data):
    zh = Province.objects.get(name="Zuid-Holland")
    nb = Province.objects.get(name="Noord-Brabant")
    ours = make_park("Ons terrein", zh, 16.0)
    others = {
        10: make_park("Terrein tien", zh, 12.0),
        20: make_park("Terrein twintig", zh, 24.9),
        40: make_park("Terrein veertig", zh, 10.0),
        50: make_park("Terrein vijftig", zh, 20.0),
        60: make_park("Terrein zestig", nb, 15.0),
        5: make_park("Terrein vijf", nb, 150.0),
    }
    # two green types each: a nature score needs 2 of its 4 indicators (scores.yaml)
    scans = {
        30: store_scan(
            ours, {"green_share_pct": 30.0, "impervious_share_pct": 70.0, "green_types_n": 2.0}
        )
    }
    store_scan(others[10], {"green_share_pct": 90.0}, when=days_ago(30))  # superseded
    for value, park in others.items():
        scans[value] = store_scan(
            park, {"green_share_pct": float(value), "green_types_n": 2.0}, when=days_ago(1)
        )
    store_scan(others[60], {}, status=ParkScan.Status.FAILED)  # newer, failed: ignored
    return ours, scans


def test_size_classes():
    assert [size_class(a) for a in (0.5, 9.99, 10.0, 24.99, 25.0, 249.9, 250.0, 4000.0)] == [
        0,
        0,
        1,
        1,
        2,
        4,
        5,
        5,
    ]
    assert size_class(None) is None
    assert size_class_label(1) == "10–25 ha"
    assert size_class_label(0) == "kleiner dan 10 ha"
    assert size_class_label(5) == "250 ha of meer"


def test_describe_and_better_than_by_hand():
    st = describe([10, 20, 30, 40, 50, 60])
    assert (st.n, st.minimum, st.q1, st.median, st.q3, st.maximum, st.mean) == (
        6,
        10,
        22.5,
        35,
        47.5,
        60,
        35,
    )
    assert describe([]).n == 0 and describe([]).median is None
    assert better_than_pct(30, [10, 20, 40, 50, 60], "up") == 40.0
    assert better_than_pct(30, [10, 20, 40, 50, 60], "down") == 60.0
    assert better_than_pct(30, [30, 10], "up") == 75.0  # a tie counts half
    assert better_than_pct(30, [], "up") is None


def test_comparison_groups_by_hand(parks):
    ours, scans = parks
    (item,) = comparison(ours, scans[30], keys=["green_share_pct"])
    assert item.value == 30.0 and item.better == "up"
    peer, province, country = item.groups
    assert peer.label == "Regulier bedrijventerrein, 10–25 ha"
    assert sorted(peer.values) == [10, 20, 30, 40, 50, 60]
    assert (peer.stats.q1, peer.stats.median, peer.stats.q3, peer.stats.mean) == (
        22.5,
        35,
        47.5,
        35,
    )
    assert peer.better_than == 40.0

    assert province.label == "Provincie Zuid-Holland"
    assert sorted(province.values) == [10, 20, 30, 40, 50]
    assert (province.stats.n, province.stats.q1, province.stats.median, province.stats.q3) == (
        5,
        20,
        30,
        40,
    )
    assert province.better_than == 50.0

    assert country.label == "Heel Nederland"
    assert country.stats.n == 7
    assert (country.stats.q1, country.stats.median, country.stats.q3) == (15, 30, 45)
    assert country.stats.mean == pytest.approx(215 / 7)
    assert country.better_than == 50.0


def test_comparison_counts_parks_without_the_figure_separately(parks):
    """Parks scanned without this indicator are in the group but not in its distribution."""
    ours, scans = parks
    (item,) = comparison(ours, scans[30], keys=["impervious_share_pct"])
    peer = item.groups[0]
    assert peer.parks_in_group == 6
    assert peer.stats.n == 1 and peer.values == [70.0]
    assert peer.better_than is None  # no other park to compare with


def test_theme_scores_are_compared_too(parks):
    ours, scans = parks
    (item,) = comparison(ours, scans[30], keys=["score:natuurinclusiviteit"])
    # green share 30% scores 75 (0 -> 0, 40 -> 100, weight 1); 2 green types score 50
    # (0 -> 0, 4 -> 100, weight 0.5): (75 + 0.5 x 50) / 1.5; the other two absent
    assert item.value == pytest.approx(100.0 / 1.5, abs=0.05)
    assert item.unit == "score"
    assert item.groups[2].stats.n == 7


def test_dashboard_shows_group_sizes(client, parks, users):
    from django.urls import reverse

    from werklandschap.accounts.models import ParkContact
    from werklandschap.accounts.roles import Role

    ours, _scans = parks
    contact = users[Role.PARK_CONTACT]
    ParkContact.objects.create(user=contact, park=ours, capacity="park_management")
    client.force_login(contact)
    body = client.get(reverse("portal:dashboard", kwargs={"slug": ours.slug})).content.decode()
    assert "7 terreinen" in body  # the country group of the green share
    assert "6 terreinen" in body  # same type and size
