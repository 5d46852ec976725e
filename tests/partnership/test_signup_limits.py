"""Sign-up e-mail flooding: confirmation mails per address and per client, sign-ups per client."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from shapely.geometry import box

from tests.partnership.conftest import SIGNUP_URL, drawn, form_data, signup
from werklandschap.partnership import limits, services
from werklandschap.partnership.models import PartnerApplication, SignUpLimitHit

VICTIM = "victim@example.org"


def post(client, data, address="10.0.0.1"):
    return client.post(SIGNUP_URL, data, REMOTE_ADDR=address)


def new_park_form(i: int, **overrides) -> dict:
    """A sign-up of a new park (each its own field south of Delft) with a fresh form key."""
    x = 85000.0 + (i % 10) * 500
    y = 445000.0 - (i // 10) * 500
    return form_data(
        None,
        proposed_name=f"Nieuw terrein {i}",
        outline_drawn=drawn(box(x, y, x + 300, y + 250)),
        **overrides,
    )


def test_twenty_sign_ups_to_one_address_send_at_most_three_mails(client, park, on_commit):
    """The attack of the issue: 20 sign-ups with new form keys, all to one address."""
    with on_commit():
        for i in range(20):
            post(client, form_data(park, contact_email=VICTIM), address=f"10.0.1.{i}")
    assert len(mail.outbox) == 3
    assert PartnerApplication.objects.count() == 1  # same park, same address: one sign-up


def test_twenty_new_parks_to_one_address_send_at_most_three_mails(
    client, reference_data, on_commit
):
    with on_commit():
        responses = [
            post(client, new_park_form(i, contact_email=VICTIM), address=f"10.0.2.{i}")
            for i in range(20)
        ]
    assert len(mail.outbox) == 3
    assert PartnerApplication.objects.count() == 3  # refused sign-ups store nothing
    refused = responses[3]
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "al 3 bevestigingsmails naar dit e-mailadres gestuurd" in page


def test_refusal_stores_nothing_and_is_logged(client, park, on_commit, caplog):
    with on_commit():
        for _ in range(3):
            post(client, form_data(park, contact_email=VICTIM))
    hits = SignUpLimitHit.objects.count()
    caplog.set_level(logging.INFO, logger="werklandschap.partnership")
    with on_commit():
        response = post(client, form_data(park, contact_email=VICTIM))
    assert response.status_code == 429
    assert len(mail.outbox) == 3
    assert SignUpLimitHit.objects.count() == hits  # the refused attempt left no count behind
    assert "sign-up refused: mail_to limit of 3" in caplog.text
    assert VICTIM not in caplog.text  # the address itself is not logged


def test_one_client_cannot_mail_many_addresses(client, reference_data, on_commit):
    with on_commit():
        responses = [
            post(client, new_park_form(i, contact_email=f"person{i}@example.org"))
            for i in range(12)
        ]
    assert [r.status_code for r in responses].count(302) == 10
    assert len(mail.outbox) == 10
    assert responses[-1].status_code == 429
    assert "Vanaf uw verbinding" in responses[-1].content.decode()
    # Another client is not affected.
    with on_commit():
        other = post(client, new_park_form(50, contact_email="else@example.org"), "10.0.0.2")
    assert other.status_code == 302


@override_settings(PARTNERSHIP_SIGNUPS_PER_CLIENT=2, PARTNERSHIP_MAILS_PER_CLIENT=100)
def test_sign_ups_per_client_follow_the_setting(client, reference_data, on_commit):
    with on_commit():
        codes = [
            post(client, new_park_form(i, contact_email=f"p{i}@example.org")).status_code
            for i in range(3)
        ]
    assert codes == [302, 302, 429]
    assert PartnerApplication.objects.count() == 2


def test_the_same_form_posted_again_is_not_counted(client, park, on_commit):
    data = form_data(park, contact_email=VICTIM)
    with on_commit():
        for _ in range(5):
            assert post(client, data).status_code == 302
    assert len(mail.outbox) == 1
    assert SignUpLimitHit.objects.filter(kind=SignUpLimitHit.Kind.MAIL_TO).count() == 1


def test_the_window_slides(client, park, on_commit):
    with on_commit():
        for _ in range(3):
            post(client, form_data(park, contact_email=VICTIM))
    assert post(client, form_data(park, contact_email=VICTIM)).status_code == 429
    # An hour later the old mails no longer count (and are removed).
    SignUpLimitHit.objects.update(at=SignUpLimitHit.objects.first().at - timedelta(minutes=61))
    with on_commit():
        assert post(client, form_data(park, contact_email=VICTIM)).status_code == 302
    assert len(mail.outbox) == 4
    assert SignUpLimitHit.objects.filter(kind=SignUpLimitHit.Kind.MAIL_TO).count() == 1


def test_counts_hold_no_addresses(client, park, on_commit):
    with on_commit():
        post(client, form_data(park, contact_email=VICTIM), address="10.0.0.9")
    keys = list(SignUpLimitHit.objects.values_list("key", flat=True))
    assert keys and all(VICTIM not in k and "10.0.0.9" not in k for k in keys)
    assert all(len(k) == 64 for k in keys)


def test_the_address_limit_ignores_case(park, on_commit):
    with on_commit():
        for email in ["a@example.org", "A@Example.org", "a@EXAMPLE.ORG"]:
            services.submit_application(signup(park, email=email), idempotency_key=uuid.uuid4())
    with pytest.raises(limits.SignUpLimited):
        services.submit_application(
            signup(park, email="A@example.ORG"), idempotency_key=uuid.uuid4()
        )


def test_simultaneous_posts_of_one_form_count_once(db):
    """Four reservations of the same form before any is settled (a double click, a retry):
    the idempotent sign-up makes one application of them, so the limit counts one."""
    key = uuid.uuid4()
    held = [limits.reserve(VICTIM, "10.0.0.1", form_key=key) for _ in range(4)]
    assert len(held) == 4
    with pytest.raises(limits.SignUpLimited):
        for _ in range(3):
            limits.reserve(VICTIM, "10.0.0.1", form_key=uuid.uuid4())
