"""The demo's communities and events, made through the services (and idempotent)."""

from __future__ import annotations

import pytest

from werklandschap.community.demo import create_demo_events, delete_demo_events
from werklandschap.community.models import Community, Event, Membership, Registration
from werklandschap.demo.generator import create_demo_parks, create_demo_users
from werklandschap.registry.models import Region

pytestmark = pytest.mark.django_db


def test_demo_events_and_communities(boundaries):
    create_demo_parks()
    create_demo_users()
    count = create_demo_events()
    assert count == 5
    directed = Region.objects.exclude(director=None).count()
    assert Community.objects.filter(national=False).count() == directed
    assert Community.objects.filter(national=True).count() == 1
    roadshow = Event.objects.get(title__startswith="Roadshow")
    assert roadshow.registrations.filter(status="confirmed").count() == roadshow.capacity
    assert roadshow.registrations.filter(status="waiting").count() == 3
    past = Event.objects.filter(is_demo=True, ends_at__lt=roadshow.starts_at).exclude(
        registrations__attended=None
    )
    assert past.distinct().count() == 2
    assert Registration.objects.filter(attended=True).exists()
    assert Membership.objects.filter(status="requested").count() == 1
    assert create_demo_events() == 5  # idempotent
    delete_demo_events()
    assert not Event.objects.filter(is_demo=True).exists()
    assert create_demo_events() == 5  # again after --reset: the members are kept
