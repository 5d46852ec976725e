"""The event list and an event page ask the database a fixed number of questions,
however many events and registrations there are."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.community.fixtures import *  # noqa: F403
from tests.community.fixtures import make_event, make_people
from werklandschap.community import services

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_event_list_and_page_have_constant_query_counts(client, national, regional):
    people = make_people(6)
    (viewer,) = make_people(1, prefix="kijker")
    client.force_login(viewer)
    first = make_event(national, capacity=3)
    for person in people:
        services.register(first, person)
    list_url = reverse("community:events")
    page_url = reverse("community:event", kwargs={"pk": first.pk})
    few_list, few_page = _queries(client, list_url), _queries(client, page_url)
    for i in range(30):
        event = make_event(regional if i % 2 else national, title=f"Bijeenkomst {i}")
        for person in people[: i % 4]:
            services.register(event, person)
    many_list, many_page = _queries(client, list_url), _queries(client, page_url)
    assert many_list == few_list
    assert many_page == few_page
    started = time.perf_counter()
    for _ in range(10):
        client.get(list_url)
    took = (time.perf_counter() - started) / 10
    print(f"event list: {many_list} queries, {took * 1000:.0f} ms; event page: {many_page} queries")
