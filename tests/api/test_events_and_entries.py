"""Events and innovation entries in the open API (issue 21: 'as they land')."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from tests.community.fixtures import make_event
from tests.knowledge.fixtures import make_entry
from werklandschap.accounts.roles import Role
from werklandschap.community import services as community
from werklandschap.community.models import Community, EventStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def test_events_public_fields_without_online_link(client, park):
    community.ensure_communities()
    cop = Community.objects.filter(region=park.region).first() or Community.objects.first()
    make_event(cop, title="Webinar groene daken", online_url="https://meet.example/geheim-123")
    make_event(cop, title="Concept", status=EventStatus.DRAFT)
    body = client.get("/api/v1/events").json()
    titles = [e["title"] for e in body["results"]]
    assert "Webinar groene daken" in titles and "Concept" not in titles
    event = next(e for e in body["results"] if e["title"] == "Webinar groene daken")
    assert event["online"] is True and event["freePlaces"] == 2
    assert "geheim-123" not in json.dumps(body)  # the link is for registered participants
    assert client.get("/api/v1/events?when=past").json()["totalCount"] == 0
    assert client.get("/api/v1/events?kind=work_visit").json()["totalCount"] == 0
    assert client.get("/api/v1/events?when=someday").status_code == 400


def test_innovation_entries_published_only_without_submitter(client, users, park):
    team = users[Role.PROGRAMME_TEAM]
    contact = users[Role.PARK_CONTACT]
    contact.email = "indiener@example.org"
    contact.save()
    make_entry(contact, "Wadi op het parkeerterrein", publish_by=team)
    make_entry(contact, "Nog in concept")
    body = client.get("/api/v1/innovation-entries").json()
    assert [e["title"] for e in body["results"]] == ["Wadi op het parkeerterrein"]
    assert "indiener@example.org" not in json.dumps(body)
    assert client.get("/api/v1/innovation-entries?theme=water").json()["totalCount"] == 1
    assert client.get("/api/v1/innovation-entries?theme=energie").json()["totalCount"] == 0
    # The same answer logged in: a public endpoint never shows one's own drafts.
    client.force_login(contact)
    assert client.get("/api/v1/innovation-entries").json()["totalCount"] == 1
