"""Every move of a voucher application, allowed and forbidden, through the shared mechanism."""

from __future__ import annotations

import itertools

import pytest
from django.core import mail

from tests.vouchers.fixtures import *  # noqa: F403
from tests.vouchers.fixtures import events, force_state
from werklandschap.accounts.roles import Role
from werklandschap.lib.workflow import TransitionRefused
from werklandschap.vouchers import services
from werklandschap.vouchers.models import VoucherEvent
from werklandschap.vouchers.workflow import TRANSITIONS, Actor, Status

# Who plays which part, written out by hand (not asked of services.actors_of).
PLAYS = {
    "team": {Actor.TEAM, Actor.ASSESSOR},
    "officer": {Actor.ASSESSOR},
    "contact": {Actor.APPLICANT},
    "supporter": {Actor.SUPPORTER},
    "other officer": set(),
}
# Reasons are given for every move, so 'reason required' never decides these cases.
REASON = "Toelichting voor de test."


@pytest.fixture
def people(users, outsiders, supporter_user):
    found = {
        "team": users[Role.PROGRAMME_TEAM],
        "officer": users[Role.PROVINCE_OFFICER],
        "contact": users[Role.PARK_CONTACT],
        "supporter": supporter_user,
        "other officer": outsiders[Role.PROVINCE_OFFICER],
    }
    for user in found.values():
        user.email = f"{user.username}@example.org"
        user.save()
    return found


TABLE_CASES = [
    (source, target, who)
    for (source, target) in TRANSITIONS
    for who in PLAYS
    if Actor.SYSTEM not in TRANSITIONS[(source, target)].actors
]
OTHER_PAIRS = [
    (source, target)
    for source, target in itertools.permutations(Status.values, 2)
    if (source, target) not in TRANSITIONS
]


@pytest.mark.parametrize(("source", "target", "who"), TABLE_CASES)
def test_a_move_in_the_table_is_allowed_exactly_for_its_actors(
    application, people, source, target, who
):
    force_state(application, source)
    before = VoucherEvent.objects.filter(application=application).count()
    allowed = bool(PLAYS[who] & set(TRANSITIONS[(source, target)].actors))
    if allowed:
        services.move(application, target, by=people[who], reason=REASON)
        application.refresh_from_db()
        assert application.status == target
        last = VoucherEvent.objects.filter(application=application).last()
        assert (last.from_status, last.to_status, last.by) == (source, target, people[who])
        assert last.actor in PLAYS[who]
    else:
        with pytest.raises(TransitionRefused, match="niet aan u"):
            services.move(application, target, by=people[who], reason=REASON)
        application.refresh_from_db()
        assert application.status == source
        assert VoucherEvent.objects.filter(application=application).count() == before


@pytest.mark.parametrize(("source", "target"), OTHER_PAIRS)
def test_a_move_not_in_the_table_is_refused_even_for_the_team(application, people, source, target):
    force_state(application, source)
    before = VoucherEvent.objects.filter(application=application).count()
    with pytest.raises(TransitionRefused, match="kan niet naar"):
        services.move(application, target, by=people["team"], reason=REASON)
    application.refresh_from_db()
    assert application.status == source
    assert VoucherEvent.objects.filter(application=application).count() == before


@pytest.mark.parametrize(
    ("source", "target"),
    [pair for pair, rule in TRANSITIONS.items() if rule.reason_required],
)
def test_a_move_that_needs_a_reason_is_refused_without_one(application, people, source, target):
    force_state(application, source)
    with pytest.raises(TransitionRefused, match="toelichting"):
        services.move(application, target, by=people["team"], reason="  ")
    application.refresh_from_db()
    assert application.status == source


def test_only_the_system_lets_a_voucher_expire(application, people):
    force_state(application, Status.AWARDED)
    for person in people.values():
        with pytest.raises(TransitionRefused):
            services.move(application, Status.EXPIRED, by=person, actor=Actor.SYSTEM)
        with pytest.raises(TransitionRefused):
            services.move(application, Status.EXPIRED, by=person)
    application.refresh_from_db()
    assert application.status == Status.AWARDED


def test_claiming_a_part_one_does_not_play_is_refused(application, people):
    with pytest.raises(TransitionRefused, match="niet aan u"):
        services.move(application, Status.IN_ASSESSMENT, by=people["contact"], actor=Actor.ASSESSOR)


def test_the_whole_path_leaves_one_unbroken_history_and_mails_each_step(
    application, people, django_capture_on_commit_callbacks
):
    team, contact = people["team"], people["contact"]
    steps = [
        (Status.IN_ASSESSMENT, people["officer"], ""),
        (Status.RETURNED_FOR_CHANGES, team, "De planning ontbreekt."),
        (Status.RESUBMITTED, contact, ""),
        (Status.IN_ASSESSMENT, team, ""),
        (Status.AWARDED, people["officer"], ""),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for target, who, reason in steps:
            services.move(application, target, by=who, reason=reason)
        force_state(application, Status.AWARDED)  # adds both deliverables
        services.move(application, Status.DELIVERABLES_SUBMITTED, by=people["supporter"])
        services.move(application, Status.APPROVED, by=people["officer"])
        services.register_payout(application, application.awarded_cents, by=team)
    application.refresh_from_db()
    assert application.status == Status.PAID
    history = events(application)
    for before, after in itertools.pairwise(history):
        assert after[0] == before[1]
    assert history[0] == ("", Status.SUBMITTED)
    assert history[-1] == (Status.APPROVED, Status.PAID)
    subjects = [m.subject for m in mail.outbox]
    assert any("Terug voor aanpassing" in s for s in subjects)
    assert any("Toegekend" in s for s in subjects)
    assert any("Uitbetaald" in s for s in subjects)
    returned = [m for m in mail.outbox if "Terug voor aanpassing" in m.subject]
    assert "De planning ontbreekt." in returned[0].body
    assert all(len(m.to) == 1 for m in mail.outbox)


def test_a_rejection_mails_the_reason_to_the_park(
    application, people, django_capture_on_commit_callbacks
):
    services.move(application, Status.IN_ASSESSMENT, by=people["team"])
    with django_capture_on_commit_callbacks(execute=True):
        services.move(
            application, Status.REJECTED, by=people["team"], reason="Geen partnerterrein."
        )
    to_contact = [m for m in mail.outbox if m.to == ["contact@example.org"]]
    assert len(to_contact) == 1
    assert "Afgewezen" in to_contact[0].subject
    assert "Geen partnerterrein." in to_contact[0].body


def test_deliverables_are_needed_before_they_are_submitted(application, people):
    services.move(application, Status.IN_ASSESSMENT, by=people["team"])
    services.move(application, Status.AWARDED, by=people["team"])
    with pytest.raises(TransitionRefused, match="Groenvisie, Financieringsplan"):
        services.move(application, Status.DELIVERABLES_SUBMITTED, by=people["contact"])


def test_expire_overdue_lets_late_vouchers_expire_and_frees_the_money(application, people):
    import datetime as dt

    services.move(application, Status.IN_ASSESSMENT, by=people["team"])
    services.move(application, Status.AWARDED, by=people["team"])
    application.refresh_from_db()
    due = application.deliverables_due
    assert services.expire_overdue(today=due) == 0
    assert services.expire_overdue(today=due + dt.timedelta(days=1)) == 1
    application.refresh_from_db()
    assert application.status == Status.EXPIRED
    last = VoucherEvent.objects.filter(application=application).last()
    assert last.actor == Actor.SYSTEM and last.by is None
    assert services.round_commitments(application.round).committed_cents == 0


def test_the_daily_command_lets_overdue_vouchers_expire(application, people):
    import datetime as dt

    from django.core.management import call_command

    force_state(application, Status.AWARDED)
    VoucherEvent.objects.filter(application=application).delete()
    type(application).objects.filter(pk=application.pk).update(deliverables_due=dt.date(2000, 1, 1))
    call_command("expire_vouchers", verbosity=0)
    application.refresh_from_db()
    assert application.status == Status.EXPIRED
