"""The open API /api/v1/: public data, role-bound data, NLGov conventions (issue 21)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from werklandschap.accounts.roles import Role
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Park

from .helpers import stored_scan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the anonymous rate limit counts in the cache
    yield
    cache.clear()


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == status and body["title"] and body["detail"]
    assert response["API-Version"] == "1.0.0"
    return body


def test_park_list_public_fields_geometry_in_wgs84_and_links(client, park):
    response = client.get("/api/v1/parks")
    assert response.status_code == 200
    assert response["API-Version"] == "1.0.0"
    body = response.json()
    item = next(p for p in body["results"] if p["slug"] == park.slug)
    assert item["geometry"]["type"] in ("Polygon", "MultiPolygon")
    lon, lat = item["geometry"]["coordinates"][0][0][:2]
    assert 3 < lon < 8 and 50 < lat < 54  # Delft in WGS84, not RD metres
    assert item["province"] == park.province.code and item["region"] == park.region.slug
    assert set(body["_links"]) >= {"self", "first", "last"}
    assert body["totalCount"] == Park.objects.count()


def test_park_list_filters_and_pagination(client, park):
    Park.objects.filter(pk=park.pk).update(swarm_role=SwarmRole.PARTNER, phase=3)
    body = client.get("/api/v1/parks?role=partner&phase=3&pageSize=1").json()
    assert [p["slug"] for p in body["results"]] == [park.slug]
    assert client.get("/api/v1/parks?role=showcase").json()["totalCount"] == 0
    other = client.get(f"/api/v1/parks?province={park.province.code}&region={park.region.slug}")
    assert park.slug in [p["slug"] for p in other.json()["results"]]


@pytest.mark.parametrize(
    "query", ["role=king", "phase=9", "province=XX99", "pageSize=0", "pageSize=100000", "page=-1"]
)
def test_invalid_parameters_are_400_problems(client, park, query):
    body = _problem(client.get(f"/api/v1/parks?{query}"), 400)
    assert body["invalidParams"]


def test_unknown_park_page_and_trailing_slash_are_404_problems(client, park):
    _problem(client.get("/api/v1/parks/no-such-park"), 404)
    _problem(client.get("/api/v1/parks/"), 404)
    _problem(client.get("/api/v1/nothing-here"), 404)
    _problem(client.get("/api/v1/parks/%0A%3AP%0B"), 404)  # a newline in the path
    _problem(client.get("/api/v1/parks?page=999"), 404)


def test_etag_revalidation_gives_304_and_public_caching(client, park):
    first = client.get(f"/api/v1/parks/{park.slug}")
    assert first["Cache-Control"].startswith("public, max-age=")
    etag = first["ETag"]
    again = client.get(f"/api/v1/parks/{park.slug}", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    assert again["API-Version"] == "1.0.0"
    Park.objects.filter(pk=park.pk).update(name="Nieuwe naam")
    changed = client.get(f"/api/v1/parks/{park.slug}", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_cors_read_only_for_public_data(client, park):
    response = client.get("/api/v1/parks", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options("/api/v1/parks", HTTP_ORIGIN="https://example.org")
    assert preflight["Access-Control-Allow-Origin"] == "*"
    # Role-bound data is not readable cross-origin.
    private = client.get(f"/api/v1/parks/{park.slug}/scan", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in private


def test_post_is_405_problem(client, park):
    _problem(client.post("/api/v1/parks", {}), 405)


def test_anonymous_rate_limit_gives_429_problem_with_retry_after(client, park, settings):
    settings.API_ANON_RATE = "3/minute"
    for _ in range(3):
        assert client.get("/api/v1/progress").status_code == 200
    response = client.get("/api/v1/progress")
    _problem(response, 429)
    assert int(response["Retry-After"]) > 0


def test_uncaught_error_is_500_problem_without_details(client, park, monkeypatch):
    from werklandschap.api import services

    def boom():
        raise RuntimeError("secret internals")

    monkeypatch.setattr(services, "progress", boom)
    client.raise_request_exception = False
    response = client.get("/api/v1/progress")
    body = _problem(response, 500)
    assert "secret internals" not in response.content.decode()
    assert body["instance"] == "/api/v1/progress"


def test_scan_summary_public_headline_only(client, park):
    stored_scan(park, value=12.5, secret=77.25)
    body = client.get(f"/api/v1/parks/{park.slug}/scan-summary").json()
    assert body["scanned"] and body["synthetic"] is True
    from werklandschap.scanengine.catalog import HEADLINE

    assert [i["key"] for i in body["indicators"]] == list(HEADLINE)
    assert "77.25" not in json.dumps(body)


def test_full_scan_only_for_who_works_on_the_park(client, users, park):
    stored_scan(park, secret=77.25)
    url = f"/api/v1/parks/{park.slug}/scan"
    anonymous = client.get(url)
    _problem(anonymous, 401)
    assert anonymous["WWW-Authenticate"] == "Token"
    client.force_login(users[Role.COALITION_PARTNER])
    _problem(client.get(url), 403)
    client.force_login(users[Role.PARK_CONTACT])
    response = client.get(url)
    assert response.status_code == 200 and "77.25" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_token_authentication(client, users, park):
    token = Token.objects.create(user=users[Role.PROGRAMME_TEAM])
    url = f"/api/v1/parks/{park.slug}/scan"
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    _problem(client.get(url, HTTP_AUTHORIZATION="Token wrong"), 401)


def test_support_questions_follow_visible_questions(client, users, park):
    from werklandschap.support.services import visible_questions

    _problem(client.get("/api/v1/support-questions"), 401)
    director = users[Role.REGIONAL_DIRECTOR]
    client.force_login(director)
    body = client.get("/api/v1/support-questions").json()
    assert body["totalCount"] == visible_questions(director).count()
    assert all("asker" not in k.lower() for item in body["results"] for k in item)


def test_progress_statistics_and_measures(client, park):
    progress = client.get("/api/v1/progress").json()
    assert progress["target"] >= 1 and "partner" in progress["byRole"]
    stats = client.get("/api/v1/statistics").json()
    assert stats["parks"] == Park.objects.count()
    assert sum(c["count"] for c in stats["byRole"]) == stats["parks"]
    catalogue = client.get("/api/v1/measures").json()
    first = catalogue["measures"][0]
    assert first["investment"]["source"] and "expected" in first["investment"]
    one = client.get(f"/api/v1/measures/{first['key']}").json()
    assert one == first
    _problem(client.get("/api/v1/measures/no_such_measure"), 404)


def test_park_list_query_count_does_not_grow_with_parks(
    client, park, django_assert_max_num_queries
):
    from shapely.geometry import box

    for i in range(30):
        Park.objects.create(
            name=f"Extra {i}", slug=f"extra-{i}", geometry=box(85000, 445000 + i, 85100, 445100 + i)
        )
    with django_assert_max_num_queries(3):  # count + page; nothing per park
        assert len(client.get("/api/v1/parks?pageSize=50").json()["results"]) >= 31


def test_forged_forwarded_for_gets_no_fresh_allowance(client, park, settings):
    settings.API_ANON_RATE = "2/minute"
    for i in range(2):
        assert client.get("/api/v1/progress", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code == 200
    _problem(client.get("/api/v1/progress", HTTP_X_FORWARDED_FOR="10.0.0.99"), 429)


def test_unsupported_accept_is_406_problem(client, park):
    _problem(client.get("/api/v1/parks", HTTP_ACCEPT="application/xml"), 406)


def test_head_gives_headers_without_body(client, park):
    response = client.head(f"/api/v1/parks/{park.slug}")
    assert response.status_code == 200 and not response.content
    assert response["ETag"] and response["API-Version"] == "1.0.0"


def test_labels_and_errors_follow_accept_language(client, park):
    """The API is outside the language prefixes; Accept-Language chooses, Dutch by default."""
    dutch = client.get("/api/v1/parks").json()["results"][0]["roleLabel"]
    response = client.get("/api/v1/parks", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "en"
    assert (dutch, response.json()["results"][0]["roleLabel"]) == (
        "Geen (nog niet aangesloten)",
        "None (not yet joined)",
    )
    assert (
        client.get("/api/v1/parks", HTTP_ACCEPT_LANGUAGE="fr").json()["results"][0]["roleLabel"]
        == dutch
    )
    missing = client.get("/api/v1/parks/bestaat-niet", HTTP_ACCEPT_LANGUAGE="en")
    assert "Geen bedrijventerrein" not in _problem(missing, 404)["detail"]
