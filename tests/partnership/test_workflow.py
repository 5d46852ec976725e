"""The workflow table: every allowed move works, every other move is refused and changes nothing."""

from __future__ import annotations

import itertools

import pytest

from werklandschap.accounts.roles import Role
from werklandschap.partnership import services
from werklandschap.partnership.models import ApplicationEvent
from werklandschap.partnership.services import TransitionError
from werklandschap.partnership.workflow import TRANSITIONS, Actor, Status, allowed_targets

ALL_PAIRS = list(itertools.product(Status.values, Status.values))
ALLOWED = {(s, t) for (s, t) in TRANSITIONS}


def put_in(application, status):
    """Force a state for the test (bypassing the workflow on purpose)."""
    type(application).objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


def test_table_is_as_designed():
    assert {
        (Status.SUBMITTED, Status.CONFIRMED),
        (Status.SUBMITTED, Status.EXPIRED),
        (Status.SUBMITTED, Status.WITHDRAWN),
        (Status.CONFIRMED, Status.APPROVED),
        (Status.CONFIRMED, Status.REJECTED),
        (Status.CONFIRMED, Status.WITHDRAWN),
    } == ALLOWED
    assert allowed_targets(Status.APPROVED) == []
    assert TRANSITIONS[(Status.CONFIRMED, Status.REJECTED)].reason_required


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_allowed_transition_moves_and_records_history(submitted, team, source, target):
    application = put_in(submitted, source)
    rule = TRANSITIONS[(source, target)]
    by = team if rule.actor == Actor.REVIEWER else None
    services.transition(application, target, actor=rule.actor, by=by, reason="Omdat het kan.")
    application.refresh_from_db()
    assert application.status == target
    event = application.events.last()
    assert (event.from_status, event.to_status, event.by) == (source, target, by)


@pytest.mark.parametrize(("source", "target"), [p for p in ALL_PAIRS if p not in ALLOWED])
def test_refused_transition_changes_nothing(submitted, team, source, target):
    application = put_in(submitted, source)
    events = ApplicationEvent.objects.count()
    for actor in Actor:
        with pytest.raises(TransitionError):
            services.transition(application, target, actor=actor, by=team, reason="x")
    application.refresh_from_db()
    assert application.status == source
    assert ApplicationEvent.objects.count() == events


def test_rejection_without_reason_is_refused(confirmed, team):
    with pytest.raises(TransitionError, match="reden"):
        services.transition(confirmed, Status.REJECTED, actor=Actor.REVIEWER, by=team, reason="  ")
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CONFIRMED


@pytest.mark.parametrize(
    "role",
    [Role.REGIONAL_DIRECTOR, Role.COALITION_PARTNER, Role.PARK_CONTACT, Role.PROVINCE_OFFICER],
)
def test_only_programme_team_may_decide(confirmed, users, role):
    with pytest.raises(TransitionError, match="programmateam"):
        services.transition(confirmed, Status.APPROVED, actor=Actor.REVIEWER, by=users[role])
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CONFIRMED


def test_applicant_cannot_approve_own_application(confirmed):
    with pytest.raises(TransitionError):
        services.transition(confirmed, Status.APPROVED, actor=Actor.APPLICANT)


def test_reviewer_cannot_confirm_for_the_applicant(submitted, team):
    with pytest.raises(TransitionError):
        services.transition(submitted, Status.CONFIRMED, actor=Actor.REVIEWER, by=team)


def test_refusal_is_logged(confirmed, caplog):
    with pytest.raises(TransitionError):
        services.transition(confirmed, Status.CONFIRMED, actor=Actor.APPLICANT)
    assert any(
        r.name == "werklandschap.partnership" and "refused transition" in r.message
        for r in caplog.records
    )
