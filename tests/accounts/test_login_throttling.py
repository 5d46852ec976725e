"""Login throttling (django-axes): per account and per client address, with a Dutch message."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings

from werklandschap.accounts.roles import Role
from werklandschap.lib.http import client_address

LOGIN_URL = "/account/login/"
LOCKED_TEXT = "Te veel mislukte pogingen om in te loggen"


def attempt(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        response = attempt(client, username, "wrong-password", address)
        assert not logged_in(client)
    return response


@pytest.fixture
def contact(users):
    return users[Role.PARK_CONTACT]  # username "contact", password "pw-contact"


@pytest.fixture
def team(users):
    return users[Role.PROGRAMME_TEAM]  # username "team", password "pw-team"


def test_five_failures_then_the_right_password_is_refused_with_a_dutch_message(client, contact):
    fail(client, "contact", 5)
    response = attempt(client, "contact", "pw-contact")
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_TEXT in page
    assert "Probeer het over 15 minuten opnieuw" in page
    assert '<form method="post"' in page  # the login page again, not a bare 403
    assert not logged_in(client)


def test_the_fifth_failure_already_shows_the_message(client, contact):
    fail(client, "contact", 4)
    response = attempt(client, "contact", "wrong-password")
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()


def test_four_failures_do_not_lock(client, contact):
    fail(client, "contact", 4)
    response = attempt(client, "contact", "pw-contact")
    assert response.status_code == 302
    assert logged_in(client)


def test_the_account_is_locked_from_every_address(client, contact):
    fail(client, "contact", 5, address="10.0.0.1")
    response = attempt(client, "contact", "pw-contact", address="10.9.9.9")
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_address_is_locked_for_other_accounts_too(client, contact, team):
    fail(client, "contact", 5, address="10.0.0.1")
    refused = attempt(client, "team", "pw-team", address="10.0.0.1")
    assert refused.status_code == 429
    assert not logged_in(client)
    # The other account itself is not locked: from another address it logs in.
    assert attempt(client, "team", "pw-team", address="10.0.0.2").status_code == 302
    assert logged_in(client)


@override_settings(AXES_FAILURE_LIMIT=3, AXES_COOLOFF_TIME=timedelta(minutes=2))
def test_limit_and_cool_off_follow_the_settings(client, contact):
    fail(client, "contact", 3)
    response = attempt(client, "contact", "pw-contact")
    assert response.status_code == 429
    assert "Probeer het over 2 minuten opnieuw" in response.content.decode()


def test_a_successful_login_clears_the_accounts_failures(client, contact):
    fail(client, "contact", 4)
    assert attempt(client, "contact", "pw-contact").status_code == 302
    client.logout()
    # Without the reset these would be failures 5 to 8 within the cool-off.
    fail(client, "contact", 4)
    assert attempt(client, "contact", "pw-contact").status_code == 302
    assert logged_in(client)


def test_logging_in_to_ones_own_account_does_not_wipe_a_victims_failures(client, contact, team):
    """Axes' own reset deletes every failure of the address; ours only the account's."""
    fail(client, "contact", 4, address="10.0.0.1")
    assert attempt(client, "team", "pw-team", address="10.0.0.1").status_code == 302
    client.logout()
    fail(client, "contact", 1, address="10.0.0.1")  # the fifth failure for the victim
    assert attempt(client, "contact", "pw-contact", address="10.0.0.7").status_code == 429


def test_the_lock_lifts_after_the_cool_off(client, contact):
    fail(client, "contact", 5)
    assert attempt(client, "contact", "pw-contact").status_code == 429
    # Time travel: the failures happened 16 minutes ago.
    for row in AccessAttempt.objects.all():
        row.attempt_time -= timedelta(minutes=16)
        row.save()
    assert attempt(client, "contact", "pw-contact").status_code == 302


def test_attempts_during_the_lockout_do_not_extend_it(client, contact):
    fail(client, "contact", 5)
    before = list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start"))
    fail(client, "contact", 3)
    assert list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start")) == before


def test_every_failure_is_logged_without_the_password(client, contact, caplog):
    caplog.set_level(logging.INFO, logger="werklandschap.accounts")
    attempt(client, "contact", "Geheim-wachtwoord-123", address="10.0.0.5")
    lines = [r.getMessage() for r in caplog.records if r.name == "werklandschap.accounts"]
    assert "login failed for account 'contact' from 10.0.0.5" in lines
    assert "Geheim-wachtwoord-123" not in caplog.text
    fail(client, "contact", 4, address="10.0.0.5")
    assert any(
        "locked out for account 'contact' from 10.0.0.5" in line
        for line in [r.getMessage() for r in caplog.records]
    )
    assert "Geheim-wachtwoord-123" not in caplog.text


def test_failures_are_stored_without_the_password(client, contact):
    attempt(client, "contact", "Geheim-wachtwoord-123")
    (row,) = AccessAttempt.objects.all()
    assert "Geheim-wachtwoord-123" not in row.post_data


def test_admin_login_is_throttled_too(client, team):
    for _ in range(5):
        client.post(
            "/beheer/login/", {"username": "team", "password": "nope"}, REMOTE_ADDR="10.0.0.3"
        )
    response = client.post(
        "/beheer/login/", {"username": "team", "password": "pw-team"}, REMOTE_ADDR="10.0.0.3"
    )
    assert response.status_code == 429
    assert not logged_in(client)


# --------------------------------------------------------------------------- client address


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_address_is_remote_addr_by_default_and_ignores_forwarded_for():
    assert client_address(request_from("10.0.0.1", "6.6.6.6")) == "10.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_last_forwarded_entry_is_the_client():
    # The client may send its own X-Forwarded-For; the proxy appends the real peer.
    assert client_address(request_from("127.0.0.1", "6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    assert client_address(request_from("127.0.0.1")) == "127.0.0.1"  # no header: the peer
    assert client_address(request_from("127.0.0.1", "not-an-ip")) == "127.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client():
    assert (
        client_address(request_from("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.1.1.1")) == "203.0.113.9"
    )


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_address_is_throttled(client, contact):
    for _ in range(5):
        client.post(
            LOGIN_URL,
            {"username": "contact", "password": "nope"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
