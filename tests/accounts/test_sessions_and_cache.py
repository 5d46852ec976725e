"""Private pages are not cached; sessions end 12 h after log-in and after 30 min idle for staff."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings

from werklandschap.accounts import sessions
from werklandschap.accounts.roles import Role


def travel(client, **seconds_ago) -> None:
    """Move the session's stored clocks into the past (no sleeping)."""
    session = client.session
    now = time.time()
    if "auth" in seconds_ago:
        session[sessions.AUTH_AT] = now - seconds_ago["auth"]
    if "seen" in seconds_ago:
        session[sessions.SEEN_AT] = now - seconds_ago["seen"]
    session.save()


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --------------------------------------------------------------------------- Cache-Control


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.PARK_CONTACT, "/portaal/{slug}/"),
        (Role.PROGRAMME_TEAM, "/portaal/{slug}/"),
        (Role.PROGRAMME_TEAM, "/aanmelden/beoordelen/"),
        (Role.PROGRAMME_TEAM, "/beheer/"),
        (Role.PROGRAMME_TEAM, "/beheer/partnership/partnerapplication/"),
        (Role.COALITION_PARTNER, "/"),
        (Role.PARK_CONTACT, "/terreinen/{slug}/"),
    ],
)
def test_pages_for_logged_in_users_are_not_stored(client, users, park, role, url):
    client.force_login(users[role])
    response = client.get(url.format(slug=park.slug))
    assert response.status_code == 200
    # Ours, or the admin's own never_cache header, which says the same and more.
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_public_pages_for_anonymous_visitors_keep_their_caching(client, park):
    response = client.get(f"/terreinen/{park.slug}/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_view_that_sets_cache_control_keeps_it(client, users, park):
    client.force_login(users[Role.PARK_CONTACT])
    response = client.get("/terreinen/kaart.geojson")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")


def test_the_sent_page_with_an_email_address_is_not_stored(client, db):
    session = client.session
    session["partnership_sent"] = {"park": "X", "email": "sam@example.org"}
    session.save()
    response = client.get("/aanmelden/verstuurd/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# --------------------------------------------------------------------------- absolute limit


@pytest.mark.parametrize("role", [Role.PARK_CONTACT, Role.PROGRAMME_TEAM])
def test_a_session_ends_twelve_hours_after_log_in(client, users, park, role):
    client.force_login(users[role])
    travel(client, auth=12 * 3600 - 60, seen=10)
    assert client.get(f"/portaal/{park.slug}/").status_code == 200
    assert logged_in(client)  # still active: 11 h 59 min after log-in

    travel(client, auth=12 * 3600 + 60, seen=10)
    response = client.get("/aanmelden/beoordelen/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    assert not logged_in(client)


@override_settings(SESSION_ABSOLUTE_TIMEOUT=3600)
def test_the_absolute_limit_follows_the_setting(client, users):
    client.force_login(users[Role.PARK_CONTACT])
    travel(client, auth=3700)
    client.get("/")
    assert not logged_in(client)


def test_an_active_park_contact_is_not_logged_out_when_idle(client, users, park):
    """The idle limit is for privileged users only; park contacts have the 12 hours."""
    client.force_login(users[Role.PARK_CONTACT])
    travel(client, auth=2 * 3600, seen=2 * 3600)
    assert client.get(f"/portaal/{park.slug}/").status_code == 200
    assert logged_in(client)


def test_the_log_in_starts_the_clocks(client, users):
    before = time.time()
    client.force_login(users[Role.PARK_CONTACT])
    assert client.session[sessions.AUTH_AT] >= before


def test_a_session_from_before_the_rule_starts_its_clock(client, users):
    client.force_login(users[Role.PARK_CONTACT])
    session = client.session
    del session[sessions.AUTH_AT]
    session.save()
    client.get("/")
    assert logged_in(client)
    assert sessions.AUTH_AT in client.session


# --------------------------------------------------------------------------- idle limit


def test_staff_are_logged_out_after_thirty_minutes_idle(client, users):
    client.force_login(users[Role.PROGRAMME_TEAM])
    travel(client, auth=3600, seen=29 * 60)
    assert client.get("/aanmelden/beoordelen/").status_code == 200
    # That request moved the idle clock to now.
    assert time.time() - client.session[sessions.SEEN_AT] < 5

    travel(client, seen=31 * 60)
    response = client.get("/aanmelden/beoordelen/")
    assert response.status_code == 302
    assert not logged_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "te lang niet actief" in page


@override_settings(SESSION_IDLE_TIMEOUT_STAFF=5 * 60)
def test_the_idle_limit_follows_the_setting(client, users):
    client.force_login(users[Role.PROGRAMME_TEAM])
    travel(client, seen=6 * 60)
    client.get("/")
    assert not logged_in(client)


def test_a_superuser_without_groups_has_the_idle_limit(client, db):
    from werklandschap.accounts.models import User

    admin = User.objects.create_superuser("root", "root@example.org", "pw-root-123")
    client.force_login(admin)
    travel(client, seen=31 * 60)
    client.get("/beheer/")
    assert not logged_in(client)
