"""Concurrent actions on one question end in one consistent state (real transactions).

Needs a database with real concurrent writers and row locks: PostgreSQL
(``scripts/test`` runs the suite on it). SQLite serialises all writers.
"""

from __future__ import annotations

import itertools

import pytest

from tests.concurrency import needs_postgres, race
from tests.support.desk_fixtures import intake_for, put_out_to, sharpen, short_proposal
from werklandschap.accounts.roles import Role
from werklandschap.lib.workflow import TransitionRefused
from werklandschap.registry.models import Organisation
from werklandschap.support import services
from werklandschap.support.models import Assignment, Proposal, QuestionEvent
from werklandschap.support.workflow import Status

_needs_postgres = needs_postgres
_race = race


@pytest.mark.django_db(transaction=True)
def test_two_directors_putting_out_the_same_question_give_one_result(reference_data, users, park):
    _needs_postgres()
    question, _ = services.submit_question(intake_for(park), user=users[Role.PARK_CONTACT])
    director, team = users[Role.REGIONAL_DIRECTOR], users[Role.PROGRAMME_TEAM]
    sharpen(question, director)
    first = [Organisation.objects.get(name=n) for n in ("Heijmans", "Arcadis")]
    second = [Organisation.objects.get(name=n) for n in ("TAUW", "NL Greenlabel")]
    outcomes = _race(
        lambda: services.put_out(question, first, by=director, override_reason="eerste"),
        lambda: services.put_out(question, second, by=team, override_reason="tweede"),
    )
    assert sorted(isinstance(o, TransitionRefused) for o in outcomes) == [False, True], outcomes
    question.refresh_from_db()
    assert question.status == Status.PUT_OUT
    assert Assignment.objects.filter(question=question).count() == 2
    assert QuestionEvent.objects.filter(question=question, to_status=Status.PUT_OUT).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_partner_proposing_while_the_asker_withdraws_ends_consistently(
    reference_data, users, park, partners
):
    _needs_postgres()
    question, _ = services.submit_question(intake_for(park), user=users[Role.PARK_CONTACT])
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(question, director)
    put_out_to(question, director, ["Heijmans"])
    outcomes = _race(
        lambda: services.submit_proposal(question, short_proposal(), by=partners["Heijmans"]),
        lambda: services.move(question, Status.WITHDRAWN, by=users[Role.PARK_CONTACT]),
    )
    assert all(o == "ok" or isinstance(o, TransitionRefused) for o in outcomes), outcomes
    question.refresh_from_db()
    proposals = Proposal.objects.filter(question=question).count()
    # Either the proposal came first (then the withdrawal from proposals_in) or the
    # withdrawal did (then the proposal was refused): never a proposal on a question
    # that was withdrawn before it.
    if outcomes[0] == "ok":
        assert proposals == 1
        assert question.status in (Status.WITHDRAWN, Status.PROPOSALS_IN)
    else:
        assert proposals == 0 and question.status == Status.WITHDRAWN
    events = list(QuestionEvent.objects.filter(question=question).order_by("at", "id"))
    for before, after in itertools.pairwise(events):
        assert after.from_status == before.to_status  # one unbroken history


@pytest.mark.django_db(transaction=True)
def test_four_partners_proposing_at_once_leave_at_most_three(reference_data, users, park, partners):
    _needs_postgres()
    question, _ = services.submit_question(intake_for(park), user=users[Role.PARK_CONTACT])
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(question, director)
    put_out_to(question, director, ["Heijmans", "Arcadis", "TAUW"])
    Assignment.objects.create(
        question=question, organisation=Organisation.objects.get(name="NL Greenlabel")
    )
    outcomes = _race(
        *[
            (lambda who=who: services.submit_proposal(question, short_proposal(), by=who))
            for who in partners.values()
        ]
    )
    assert outcomes.count("ok") == 3, outcomes
    assert Proposal.objects.filter(question=question).count() == 3
