"""Shared set-up of the community and event tests: the communities, people, an event.

Imported by the test modules (``from tests.community.fixtures import *``): the
shared conftest files stay untouched.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import make_user
from werklandschap.accounts.models import User
from werklandschap.accounts.roles import Role
from werklandschap.community import services
from werklandschap.community.models import Community, Event, EventKind, EventStatus


def make_event(community: Community, **overrides) -> Event:
    start = timezone.now() + dt.timedelta(days=10)
    data = {
        "community": community,
        "kind": EventKind.ROADSHOW,
        "title": "Roadshow Werklandschappen",
        "description": "Een middag over vergroening.",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "location": "Stadhuis Delft",
        "capacity": 2,
        "status": EventStatus.PUBLISHED,
    }
    data.update(overrides)
    return Event.objects.create(**data)


def make_people(n: int, prefix: str = "deelnemer") -> list[User]:
    people = []
    for i in range(n):
        user = make_user(Role.PARK_CONTACT, f"{prefix}{i}")
        user.email = f"{prefix}{i}@example.org"
        user.first_name = f"Deelnemer{i}"
        user.save(update_fields=["email", "first_name"])
        people.append(user)
    return people


@pytest.fixture
def communities(reference_data) -> dict[str, Community]:
    services.ensure_communities()
    return {
        "national": Community.objects.get(national=True),
        **{c.region.slug: c for c in Community.objects.filter(national=False)},
    }


@pytest.fixture
def regional(communities, park) -> Community:
    """The community of ``park``'s region (its director coordinates it)."""
    return Community.objects.get(region=park.region)


@pytest.fixture
def national(communities) -> Community:
    return communities["national"]


@pytest.fixture
def with_email(users):
    for user in users.values():
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return users


@pytest.fixture
def roadshow(national) -> Event:
    """A published national roadshow meeting with two places."""
    return make_event(national)


@pytest.fixture
def webinar(national) -> Event:
    return make_event(
        national,
        kind=EventKind.WEBINAR,
        title="Webinar Werklandschappen (30 minuten)",
        location="",
        online_url="https://meet.example.org/werklandschappen-geheim",
        capacity=100,
    )
