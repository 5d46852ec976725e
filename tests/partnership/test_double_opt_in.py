"""Double opt-in: only the e-mailed, signed, unexpired link confirms, and only by POST."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail, signing
from django.test import override_settings

from tests.partnership.conftest import SIGNUP_URL, confirm_path, form_data
from werklandschap.partnership import services
from werklandschap.partnership.models import PartnerApplication
from werklandschap.partnership.workflow import Status


def signed_up(client, park, on_commit) -> tuple[PartnerApplication, str]:
    with on_commit():
        client.post(SIGNUP_URL, form_data(park))
    return PartnerApplication.objects.get(), confirm_path(mail.outbox[-1])


def test_link_shows_a_button_and_only_post_confirms(client, park, on_commit):
    application, path = signed_up(client, park, on_commit)
    page = client.get(path)
    assert page.status_code == 200
    assert "Ja, bevestig mijn aanmelding" in page.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED  # a mail scanner's GET confirms nothing

    with on_commit():
        done = client.post(path)
    assert done.status_code == 200
    assert "uw aanmelding is bevestigd" in done.content.decode()
    application.refresh_from_db()
    assert application.status == Status.CONFIRMED
    assert application.confirmed_at is not None
    event = application.events.last()
    assert (event.from_status, event.to_status, event.by) == (
        Status.SUBMITTED,
        Status.CONFIRMED,
        None,
    )


def test_using_the_link_twice_is_harmless(client, park, on_commit):
    application, path = signed_up(client, park, on_commit)
    with on_commit():
        client.post(path)
    again = client.post(path)
    assert "al bevestigd" in again.content.decode()
    assert application.events.count() == 2


def test_tampered_link_is_invalid(client, park, on_commit):
    application, path = signed_up(client, park, on_commit)
    bad = path.rstrip("/")[:-3] + "abc/"
    response = client.post(bad)
    assert response.status_code == 404
    assert "Deze link is ongeldig" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_token_for_another_application_is_invalid(client, park, on_commit):
    application, _path = signed_up(client, park, on_commit)
    forged = signing.dumps({"a": application.pk, "k": "0" * 16}, salt="wrong-salt")
    assert client.get(f"/aanmelden/bevestigen/{forged}/").status_code == 404
    guessed = signing.dumps({"a": application.pk, "k": "0" * 16}, salt=services.TOKEN_SALT)
    assert client.get(f"/aanmelden/bevestigen/{guessed}/").status_code == 404


def test_expired_link_expires_the_application(client, park, on_commit, monkeypatch):
    application, path = signed_up(client, park, on_commit)
    later = __import__("time").time() + timedelta(days=8).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.post(path)
    assert response.status_code == 410
    assert "Deze link is verlopen" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.EXPIRED
    assert application.events.last().to_status == Status.EXPIRED


@override_settings(PARTNERSHIP_CONFIRM_DAYS=1)
def test_validity_follows_the_setting(client, park, on_commit, monkeypatch):
    _application, path = signed_up(client, park, on_commit)
    later = __import__("time").time() + timedelta(days=1, hours=1).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert client.get(path).status_code == 410


def test_expire_stale_handles_forgotten_sign_ups(submitted):
    assert services.expire_stale(now=submitted.created_at + timedelta(days=6)) == 0
    assert services.expire_stale(now=submitted.created_at + timedelta(days=8)) == 1
    submitted.refresh_from_db()
    assert submitted.status == Status.EXPIRED


def test_expire_command(submitted):
    from io import StringIO

    from django.core.management import call_command

    PartnerApplication.objects.filter(pk=submitted.pk).update(
        created_at=submitted.created_at - timedelta(days=30)
    )
    out = StringIO()
    call_command("expire_applications", stdout=out)
    assert out.getvalue().startswith("1 aanmelding(en) verlopen")
    submitted.refresh_from_db()
    assert submitted.status == Status.EXPIRED
