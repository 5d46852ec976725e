"""The demo's synthetic innovations: made through the services, labelled, findable, removable."""

from __future__ import annotations

import pytest
import yaml
from django.urls import reverse

from werklandschap.accounts.roles import Role
from werklandschap.knowledge import search
from werklandschap.knowledge.demo import DEMO_FILE, create_demo_innovations, delete_demo_innovations
from werklandschap.knowledge.models import Entry
from werklandschap.knowledge.workflow import Status

pytestmark = pytest.mark.django_db


def test_demo_entries_are_synthetic_labelled_published_and_searchable(client, users):
    team = users[Role.PROGRAMME_TEAM]
    team.username = "programmateam"
    team.save()
    listed = len(yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["entries"])
    assert listed >= 24
    assert create_demo_innovations() == listed
    assert create_demo_innovations() == listed  # idempotent
    assert not Entry.objects.filter(synthetic=False).exists()
    published = Entry.objects.filter(status=Status.PUBLISHED).count()
    assert published >= 24
    assert Entry.objects.filter(status__in=(Status.SUBMITTED, Status.IN_REVIEW)).exists()
    assert search.run({"q": "bomen"}).total >= 2
    html = client.get(reverse("knowledge:list")).content.decode()
    assert "voorbeeld" in html
    entry = Entry.objects.filter(status=Status.PUBLISHED).first()
    assert "synthetisch voorbeeld" in client.get(entry.get_absolute_url()).content.decode()
    assert delete_demo_innovations() == listed
    assert search.run({"q": "bomen"}).total == 0
