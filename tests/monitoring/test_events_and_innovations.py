"""Events and innovation entries on the monitoring dashboards (issue 21), hand-counted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.community.fixtures import *  # noqa: F403
from tests.community.fixtures import make_event, make_people
from tests.knowledge.fixtures import make_entry
from werklandschap.accounts.roles import Role
from werklandschap.community import services as community
from werklandschap.community.models import Community, EventKind, EventStatus, Registration
from werklandschap.community.reporting import event_figures
from werklandschap.knowledge.reporting import entry_figures
from werklandschap.monitoring import figures

pytestmark = pytest.mark.django_db


def test_event_figures_count_places_waiting_lists_and_attendance(communities, park):
    regional = Community.objects.get(region=park.region)
    country = communities["national"]
    people = make_people(5)
    # Upcoming regional meeting with 2 places: 2 confirmed, 1 waiting.
    coming = make_event(regional, capacity=2)
    for person in people[:3]:
        community.register(coming, person)
    # A held national webinar: 3 confirmed, attendance recorded for 2 (1 present).
    past = timezone.now() - dt.timedelta(days=3)
    held = make_event(
        country,
        kind=EventKind.WEBINAR,
        starts_at=past,
        ends_at=past + dt.timedelta(hours=1),
        capacity=10,
        location="",
        online_url="https://meet.example.org/x",
    )
    for i, person in enumerate(people[:3]):
        Registration.objects.create(
            event=held, user=person, status="confirmed", attended=[True, False, None][i]
        )
    make_event(regional, status=EventStatus.DRAFT)  # drafts do not count

    everything = event_figures(None)
    assert (everything.upcoming, everything.held) == (1, 1)
    assert (everything.confirmed, everything.waiting) == (5, 1)
    assert (everything.recorded, everything.attended, everything.attendance_pct) == (2, 1, 50.0)
    assert everything.by_kind == {"Roadshow": 1, "Webinar": 1}
    # The region of the park: only its own community's meeting.
    region = event_figures([park.region_id])
    assert (region.upcoming, region.held, region.confirmed, region.waiting) == (1, 0, 2, 1)
    assert region.attendance_pct is None


def test_entry_figures_count_published_and_waiting_per_area(users, park, other_park):
    team, partner = users[Role.PROGRAMME_TEAM], users[Role.COALITION_PARTNER]
    make_entry(partner, "Wadi op Schieweg", publish_by=team, origin="partner_park", park=park)
    make_entry(partner, "Dakpark elders", publish_by=team)
    make_entry(partner, "Nog te beoordelen", park=park, origin="partner_park")
    make_entry(partner, "Ander terrein", publish_by=team, park=other_park, origin="partner_park")

    everything = entry_figures(None)
    assert (everything.published, everything.waiting) == (3, 1)
    assert sum(everything.by_kind.values()) == 3
    own = entry_figures(type(park).objects.filter(pk=park.pk))
    assert (own.published, own.waiting) == (1, 1)


@pytest.mark.usefixtures("communities")
def test_the_programme_page_shows_them_and_a_cancellation_refreshes_the_cache(
    client, users, park, settings
):
    settings.MONITORING_CACHE_SECONDS = 3600
    regional = Community.objects.get(region=park.region)
    person = make_people(1)[0]
    event = make_event(regional, capacity=5)
    registration = community.register(event, person)
    client.force_login(users[Role.PROGRAMME_TEAM])
    html = client.get(reverse("monitoring:programme")).content.decode()
    assert "Komende bijeenkomsten" in html and "Nog niet beschikbaar." not in html
    before = figures.dashboard(figures.Scope.programme()).events.confirmed
    community.cancel(registration)
    after = figures.dashboard(figures.Scope.programme()).events.confirmed
    assert (before, after) == (1, 0)
