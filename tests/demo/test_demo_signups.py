"""The demo's review queue is not empty: confirmed synthetic sign-ups wait in it (issue 16)."""

from __future__ import annotations

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from werklandschap.accounts.models import User
from werklandschap.demo.generator import demo_signups
from werklandschap.partnership.models import PartnerApplication
from werklandschap.partnership.workflow import Status


def test_demo_puts_confirmed_sign_ups_in_the_review_queue(db, client):
    call_command("demo", no_serve=True, no_scan=True)
    queue = PartnerApplication.objects.awaiting_review()
    assert queue.count() >= 3
    assert queue.filter(park=None).exists()  # a proposed new park
    assert queue.exclude(joined_to=None).exists()  # a second sign-up for the same park
    for application in queue:
        assert application.contact_email.endswith("@example.org")
        assert application.park is None or application.park.is_demo
        assert [e.to_status for e in application.events.all()] == [
            Status.SUBMITTED,
            Status.CONFIRMED,
        ]
    assert not mail.outbox  # synthetic people are never mailed

    client.force_login(User.objects.get(username="programmateam"))
    page = client.get(reverse("partnership:review-list")).content.decode()
    assert "Nieuwe Haven (demo)" in page
    assert "Anne de Vries" in page or "Parkmanagement" in page


def test_demo_sign_ups_are_made_once_and_removed_with_reset(db):
    call_command("demo", no_serve=True, no_scan=True)
    count = demo_signups().count()
    call_command("demo", no_serve=True, no_scan=True)
    assert demo_signups().count() == count
    # A sign-up protects its park; reset removes the demo sign-ups first.
    call_command("demo", no_serve=True, no_scan=True, reset=True)
    assert demo_signups().count() == count
