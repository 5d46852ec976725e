"""The park list is remembered in the shared cache per URL and language until a park changes."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from shapely.geometry import box

from werklandschap.registry.models import Park

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    reads_parks = any('"registry_park"."geometry"' in q["sql"] for q in queries.captured_queries)
    return response.json(), reads_parks


def test_a_second_request_reads_no_park_rows(client, park):
    first, read = _get(client, "/api/v1/parks")
    assert read
    again, read = _get(client, "/api/v1/parks")
    assert not read and again == first


def test_a_changed_added_or_deleted_park_is_answered_at_once(client, park):
    _get(client, "/api/v1/parks")
    park.name = "Nieuwe naam"
    park.save()
    body, read = _get(client, "/api/v1/parks")
    assert read and body["results"][0]["name"] == "Nieuwe naam"
    other = Park.objects.create(name="Aaa", slug="aaa", geometry=box(85000, 447000, 85300, 447300))
    body, _read = _get(client, "/api/v1/parks")
    assert body["totalCount"] == 2 and body["results"][0]["slug"] == "aaa"
    other.delete()
    body, _read = _get(client, "/api/v1/parks")
    assert body["totalCount"] == 1


def test_every_url_host_and_language_has_its_own_answer(client, park):
    whole, _ = _get(client, "/api/v1/parks")
    small, read = _get(client, "/api/v1/parks?pageSize=1")
    assert read and small["pageSize"] == 1 and whole["pageSize"] == 50
    english, read = _get(client, "/api/v1/parks", HTTP_ACCEPT_LANGUAGE="en")
    assert read and english["results"][0]["roleLabel"] != whole["results"][0]["roleLabel"]
    other_host, read = _get(client, "/api/v1/parks", HTTP_HOST="localhost")
    assert read and other_host["_links"]["self"]["href"].startswith("http://localhost/")


def test_within_the_fresh_window_a_repeated_request_runs_no_query(client, park):
    from django.test import override_settings

    from werklandschap.lib import freshness

    with override_settings(DATA_FRESH_SECONDS=10):
        first, _read = _get(client, "/api/v1/parks")
        with CaptureQueriesContext(connection) as queries:
            again = client.get("/api/v1/parks").json()
        assert len(queries) == 0 and again == first
        park.name = "Nieuwe naam"
        park.save()
        # The change shows once the remembered state has lapsed.
        assert client.get("/api/v1/parks").json() == first
        cache.delete(freshness.PREFIX + "api:parks")
        assert client.get("/api/v1/parks").json()["results"][0]["name"] == "Nieuwe naam"


def test_an_answer_built_in_the_window_is_kept_under_the_state_it_shows(client, park):
    """A page first asked after a change is built from the new data: it must not be kept
    under the state remembered from before, which a later deletion brings back."""
    from django.test import override_settings

    from werklandschap.lib import freshness

    with override_settings(DATA_FRESH_SECONDS=10):
        client.get("/api/v1/parks")  # the state before: one park
        other = Park.objects.create(
            name="Aaa", slug="aaa", geometry=box(85000, 447000, 85300, 447300)
        )
        # Within the window, a page not asked before: built now, with two parks.
        assert client.get("/api/v1/parks?page=1").json()["totalCount"] == 2
        other.delete()  # the parks' state is what it was at the start again
        cache.delete(freshness.PREFIX + "api:parks")  # the window has passed
        assert client.get("/api/v1/parks?page=1").json()["totalCount"] == 1


def test_unknown_query_parameters_are_answered_but_not_remembered(client, park, settings):
    from pathlib import Path

    folder = Path(settings.CACHES["default"]["LOCATION"])
    client.get("/api/v1/parks")
    before = {p.name for p in folder.glob("*.djcache")}
    for junk in range(3):
        response = client.get(f"/api/v1/parks?junk={junk}")
        assert response.status_code == 200 and response.json()["totalCount"] == 1
    after = {p.name for p in folder.glob("*.djcache")}
    # Only the anonymous rate limit's counter may change; no answer was kept.
    assert len(after - before) <= 1
    _body, read = _get(client, "/api/v1/parks?junk=9")
    assert read
