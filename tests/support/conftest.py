"""Fixtures of the support desk's tests: partner accounts and a question by the park contact."""

from __future__ import annotations

import pytest

from tests.conftest import make_user
from tests.support.desk_fixtures import PARTNER_NAMES, intake_for
from werklandschap.accounts.roles import Role
from werklandschap.registry.models import Organisation
from werklandschap.support import services
from werklandschap.support.models import Question
from werklandschap.support.workflow import Status


@pytest.fixture
def partners(users) -> dict[str, object]:
    """One account per partner organisation (the users fixture's partner is Heijmans)."""
    accounts = {"Heijmans": users[Role.COALITION_PARTNER]}
    for name in PARTNER_NAMES[1:]:
        org = Organisation.objects.get(name=name)
        accounts[name] = make_user(Role.COALITION_PARTNER, f"p-{org.slug}", org)
    for user in accounts.values():
        user.email = f"{user.username}@partner.example"
        user.save(update_fields=["email"])
    return accounts


@pytest.fixture
def asked(users, park) -> Question:
    """A question by the park's contact (an account: received at once)."""
    question, created = services.submit_question(intake_for(park), user=users[Role.PARK_CONTACT])
    assert created and question.status == Status.RECEIVED
    return question


@pytest.fixture
def addresses(users):
    """Real accounts have an e-mail address (created by invitation or sign-up)."""
    for user in users.values():
        user.email = user.email or f"{user.username}@example.org"
        user.save(update_fields=["email"])
