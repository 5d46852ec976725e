"""Confirmation links: a GET never changes state; signing up again never extends a link."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail, signing
from django.utils import formats, timezone, translation

from tests.partnership.conftest import SIGNUP_URL, confirm_path, form_data
from werklandschap.partnership import services
from werklandschap.partnership.models import PartnerApplication
from werklandschap.partnership.workflow import Status


def sign_up(client, park, on_commit) -> str:
    with on_commit():
        assert client.post(SIGNUP_URL, form_data(park)).status_code == 302
    return confirm_path(mail.outbox[-1])


def age(application: PartnerApplication, days: float) -> None:
    """Time travel: the sign-up was made ``days`` ago."""
    PartnerApplication.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def test_opening_an_expired_link_changes_nothing(client, park, on_commit, monkeypatch):
    path = sign_up(client, park, on_commit)
    application = PartnerApplication.objects.get()
    events = application.events.count()
    later = __import__("time").time() + timedelta(days=8).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)

    response = client.get(path)
    assert response.status_code == 410
    assert "Deze link is verlopen" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED  # a mail scanner's GET expires nothing
    assert application.events.count() == events


def test_opening_a_link_of_an_overdue_sign_up_changes_nothing(client, park, on_commit):
    path = sign_up(client, park, on_commit)
    application = PartnerApplication.objects.get()
    age(application, 8)
    assert client.get(path).status_code == 410
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_signing_up_again_does_not_extend_the_validity(client, park, on_commit):
    first_link = sign_up(client, park, on_commit)
    application = PartnerApplication.objects.get()
    age(application, 6)
    second_link = sign_up(client, park, on_commit)  # same person, same park: link sent again
    assert PartnerApplication.objects.count() == 1
    # Both links are signed within the last seconds (only the sign-up was aged):
    # a check of the link's own age alone would accept them for another 7 days.
    age(application, 7 + 1 / 24)
    for link in (first_link, second_link):
        assert client.get(link).status_code == 410
    with on_commit():
        assert client.post(second_link).status_code == 410
    application.refresh_from_db()
    assert application.status == Status.EXPIRED  # the POST may expire it
    assert application.confirmed_at is None


def test_the_mail_sent_again_names_the_original_deadline(client, park, on_commit):
    sign_up(client, park, on_commit)
    application = PartnerApplication.objects.get()
    age(application, 5)
    application.refresh_from_db()
    sign_up(client, park, on_commit)
    deadline = timezone.localtime(services.confirm_deadline(application))
    with translation.override("nl"):
        expected = formats.date_format(deadline, "j F Y, H:i")
    assert f"geldig tot {expected} uur" in mail.outbox[-1].body
    assert deadline - timezone.now() < timedelta(days=2, minutes=1)


def test_signing_up_after_the_deadline_starts_a_new_sign_up(client, park, on_commit):
    sign_up(client, park, on_commit)
    old = PartnerApplication.objects.get()
    age(old, 8)  # overdue, not yet expired by the housekeeping
    new_link = sign_up(client, park, on_commit)
    old.refresh_from_db()
    assert old.status == Status.EXPIRED
    new = PartnerApplication.objects.exclude(pk=old.pk).get()
    assert new.joined_to is None
    with on_commit():
        assert client.post(new_link).status_code == 200
    new.refresh_from_db()
    assert new.status == Status.CONFIRMED


def test_a_valid_link_still_confirms_by_post(client, park, on_commit):
    path = sign_up(client, park, on_commit)
    application = PartnerApplication.objects.get()
    age(application, 6.9)
    assert client.get(path).status_code == 200
    with on_commit():
        client.post(path)
    application.refresh_from_db()
    assert application.status == Status.CONFIRMED


def test_the_sent_page_names_the_deadline_of_the_sign_up(client, park, on_commit):
    sign_up(client, park, on_commit)
    application = PartnerApplication.objects.get()
    age(application, 5)
    with on_commit():
        response = client.post(SIGNUP_URL, form_data(park), follow=True)
    application.refresh_from_db()
    deadline = timezone.localtime(services.confirm_deadline(application))
    with translation.override("nl"):
        expected = formats.date_format(deadline, "j F Y, H:i")
    assert f"De link is geldig tot {expected} uur." in response.content.decode()
