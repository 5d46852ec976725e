"""Two senders of the same issue at the same moment (the admin action and the command):
every subscriber is mailed exactly once, on PostgreSQL with real concurrent transactions."""

import pytest
from django.core import mail

from tests.concurrency import needs_postgres, race
from werklandschap.newsletter import sending
from werklandschap.newsletter.models import Delivery, Issue, Subscriber

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_senders_at_once_mail_everyone_exactly_once(settings):
    needs_postgres()
    settings.NEWSLETTER_BATCH_SIZE = 3
    for i in range(20):
        Subscriber.objects.create(
            email=f"s{i}@example.nl", source="form", status=Subscriber.Status.CONFIRMED
        )
    issue = Issue.objects.create(subject_nl="Samen", body_nl="Tekst")
    outcomes = race(
        lambda: sending.send(Issue.objects.get(pk=issue.pk)),
        lambda: sending.send(Issue.objects.get(pk=issue.pk)),
    )
    assert outcomes == ["ok", "ok"]
    sending.send(Issue.objects.get(pk=issue.pk))  # whatever one of them left
    addresses = [m.to[0] for m in mail.outbox]
    assert len(addresses) == len(set(addresses)) == 20
    assert Delivery.objects.filter(issue=issue, status="sent").count() == 20
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT
