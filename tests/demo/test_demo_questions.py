"""The demo's support desk is populated: questions in every state, for every role (issue 17)."""

from __future__ import annotations

from django.core.management import call_command
from django.urls import reverse

from werklandschap.accounts.models import User
from werklandschap.demo.support_demo import DEMO_QUESTIONS
from werklandschap.support import services
from werklandschap.support.models import Question
from werklandschap.support.workflow import Status


def test_demo_has_questions_in_every_state_and_each_role_sees_a_desk(db, client):
    call_command("demo", no_serve=True, no_scan=True)
    questions = Question.objects.all()
    assert questions.count() == len(DEMO_QUESTIONS)
    states = set(questions.values_list("status", flat=True))
    assert states >= {
        Status.RECEIVED,
        Status.SHARPENING,
        Status.PUT_OUT,
        Status.PROPOSALS_IN,
        Status.DECIDED,
        Status.IN_EXECUTION,
        Status.COMPLETED,
        Status.OUT_OF_SCOPE,
    }
    assert services.overdue(questions).count() == 1
    for question in questions:  # every history is an unbroken chain from "new"
        steps = list(question.events.order_by("at", "id"))
        assert steps[0].to_status == Status.NEW
        assert steps[-1].to_status == question.status
    for username in ("parkcontact", "regisseur", "partner", "programmateam"):
        client.force_login(User.objects.get(username=username))
        page = client.get(reverse("support:desk")).content.decode()
        assert "V20" in page, username  # at least one question reference listed
    # Idempotent.
    call_command("demo", no_serve=True, no_scan=True)
    assert Question.objects.count() == len(DEMO_QUESTIONS)
