"""The daily digest command: directors and the team hear what is due, nobody else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from tests.support.desk_fixtures import put_out_to, sharpen
from werklandschap.accounts.roles import Role
from werklandschap.support import calendar, digest
from werklandschap.support.models import Question

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("addresses")]


def test_the_digest_lists_overdue_questions_for_the_director_and_the_team(
    asked, users, outsiders, partners
):
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(asked, director)
    put_out_to(asked, director, ["Heijmans"])
    today = calendar.local_today()
    Question.objects.filter(pk=asked.pk).update(due_date=today - timedelta(days=3))
    outsiders[Role.REGIONAL_DIRECTOR].email = "elders@example.org"
    outsiders[Role.REGIONAL_DIRECTOR].save()
    mail.outbox.clear()
    assert digest.send_digests(today) == 2
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    assert recipients == sorted([(director.email,), (users[Role.PROGRAMME_TEAM].email,)])
    for message in mail.outbox:
        assert asked.reference in message.body and "Over de termijn" in message.body
        assert "vrager@example.org" not in message.body


def test_nothing_due_means_no_mail_and_the_command_runs(asked, users):
    Question.objects.filter(pk=asked.pk).update(status="completed")
    mail.outbox.clear()
    call_command("support_digest")
    assert mail.outbox == []
