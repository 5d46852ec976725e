"""The desk's workflow: every move of the table, every refused move, the limits, routing."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pytest
from django.core import mail

from tests.support.desk_fixtures import (
    assign_directly,
    intake_for,
    put_out_to,
    sharpen,
    short_proposal,
)
from werklandschap.accounts.roles import Role
from werklandschap.lib.workflow import TransitionRefused
from werklandschap.registry.models import Organisation, Park, Region
from werklandschap.support import calendar, services
from werklandschap.support.models import Assignment, Proposal, Question, QuestionEvent
from werklandschap.support.services import ProposalInput
from werklandschap.support.workflow import TABLE, TRANSITIONS, Actor, Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("addresses")]


def test_the_table_names_known_states_and_has_final_states():
    assert set(TABLE.final_states) == set()  # every closed state can be reopened by the team
    assert TABLE.allowed_targets(Status.COMPLETED) == [Status.REOPENED]
    assert TABLE.allowed_targets(Status.PUT_OUT, Actor.PARTNER) == [Status.PROPOSALS_IN]
    assert TABLE.rule_for(Status.RECEIVED, Status.OUT_OF_SCOPE).reason_required


FORBIDDEN = [
    (source, target)
    for source, target in itertools.product(Status.values, Status.values)
    if source != target and (source, target) not in TRANSITIONS
]


@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_every_move_outside_the_table_is_refused_and_changes_nothing(asked, users, source, target):
    Question.objects.filter(pk=asked.pk).update(status=source)
    asked.refresh_from_db()
    events = QuestionEvent.objects.count()
    with pytest.raises(TransitionRefused, match="kan niet naar"):
        services.move(asked, target, by=users[Role.PROGRAMME_TEAM], actor=Actor.TEAM)
    asked.refresh_from_db()
    assert asked.status == source
    assert QuestionEvent.objects.count() == events


def _who(users, partners, actor):
    return {
        Actor.TEAM: users[Role.PROGRAMME_TEAM],
        Actor.DIRECTOR: users[Role.REGIONAL_DIRECTOR],
        Actor.ASKER: users[Role.PARK_CONTACT],
        Actor.PARTNER: partners["Heijmans"],
        Actor.SYSTEM: None,
    }[actor]


ALLOWED = [
    (source, target, actor)
    for (source, target), rule in TRANSITIONS.items()
    for actor in rule.actors
]


@pytest.mark.parametrize(("source", "target", "actor"), ALLOWED)
def test_every_move_of_the_table_is_made_by_each_of_its_actors(
    asked, users, partners, source, target, actor
):
    Question.objects.filter(pk=asked.pk).update(status=source)
    asked.refresh_from_db()
    assign_directly(asked, ["Heijmans"])
    context = {"reason": "Zo besloten in het overleg.", "scope_rule": "individual_service"}
    if target == Status.PUT_OUT:
        context["partners"] = [Organisation.objects.get(name="Arcadis")]
        context["override_reason"] = "Arcadis kent dit terrein."
    if target == Status.DECIDED:
        context["proposal"] = Proposal.objects.create(
            question=asked,
            organisation=Organisation.objects.get(name="Heijmans"),
            approach="a",
            deliverables="b",
            duration="c",
            cost=Decimal(1000),
            own_contribution=Decimal(100),
        )
    who = _who(users, partners, actor)
    services.move(asked, target, by=who, actor=actor, token_holder=who is None, **context)
    asked.refresh_from_db()
    assert asked.status == target
    event = asked.events.latest("at", "id")
    assert (event.from_status, event.to_status, event.actor) == (source, target, actor)
    assert event.by == who


@pytest.mark.parametrize(
    ("role", "target"),
    [
        (Role.PARK_CONTACT, Status.SHARPENING),  # the asker does not sharpen
        (Role.COALITION_PARTNER, Status.SHARPENING),
        (Role.PROVINCE_OFFICER, Status.WITHDRAWN),
    ],
)
def test_a_move_by_someone_without_that_part_is_refused(asked, users, role, target):
    with pytest.raises(TransitionRefused, match="niet aan u"):
        services.move(asked, target, by=users[role])
    asked.refresh_from_db()
    assert asked.status == Status.RECEIVED


def test_the_director_of_another_region_cannot_act(asked, outsiders):
    with pytest.raises(TransitionRefused):
        services.move(
            asked, Status.SHARPENING, by=outsiders[Role.REGIONAL_DIRECTOR], actor=Actor.DIRECTOR
        )


def test_out_of_scope_needs_an_explanation_and_tells_the_asker(
    asked, users, django_capture_on_commit_callbacks
):
    director = users[Role.REGIONAL_DIRECTOR]
    with pytest.raises(TransitionRefused, match="toelichting"):
        services.move(asked, Status.OUT_OF_SCOPE, by=director, scope_rule="individual_service")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.move(
            asked,
            Status.OUT_OF_SCOPE,
            by=director,
            reason="Dit gaat over één bedrijf.",
            scope_rule="individual_service",
        )
    asked.refresh_from_db()
    assert asked.scope_rule == "individual_service" and asked.closed_at is not None
    (message,) = mail.outbox
    assert message.to == ["vrager@example.org"]
    assert "Individuele dienstverlening voor bedrijven" in message.body
    assert "Dit gaat over één bedrijf." in message.body
    assert "innovatiedatabase" in message.body


# --------------------------------------------------------------------------- routing


def test_a_park_question_goes_to_the_director_of_the_parks_region(reference_data, park):
    region, director = services.routed_director(park, None)
    assert region == park.region and director == park.region.director


@pytest.mark.parametrize("region_name", ["Rotterdam-Den Haag", "Metropoolregio Eindhoven"])
def test_each_region_routes_to_its_own_director(reference_data, region_name):
    region = Region.objects.get(name=region_name)
    assert services.routed_director(None, region) == (region, region.director)


def test_every_director_organisation_gets_the_questions_of_its_regions(reference_data):
    directors = Organisation.objects.filter(directed_regions__isnull=False).distinct()
    assert directors.count() == 4  # table 4.1: four regional-director organisations
    for director in directors:
        for region in director.directed_regions.all():
            assert services.routed_director(None, region)[1] == director


def test_a_park_without_a_region_goes_to_the_team(reference_data, park, users):
    Park.objects.filter(pk=park.pk).update(region=None)
    park.refresh_from_db()
    assert services.routed_director(park, None) == (None, None)
    question, _created = services.submit_question(intake_for(park), user=users[Role.PARK_CONTACT])
    assert question.director is None
    # Only the team sees it; no director.
    assert question in services.visible_questions(users[Role.PROGRAMME_TEAM])
    assert question not in services.visible_questions(users[Role.REGIONAL_DIRECTOR])


def test_suggestions_rank_the_toolbox_step_and_spread_the_work(asked):
    ranked = services.suggest_partners(asked)
    names = [s.organisation.name for s in ranked]
    # "Procesbegeleiding": Heijmans, Arcadis, NextGreen know this step.
    assert set(names[:3]) == {"Heijmans", "Arcadis", "NextGreen"}
    assert all(s.step_match for s in ranked[:3])
    # Open work lowers a partner: give Heijmans three open questions.
    for number in range(3):
        other, _ = services.submit_question(
            intake_for(asked.park, title=f"Vraag {number}"), user=asked.asker_user
        )
        Question.objects.filter(pk=other.pk).update(status=Status.PUT_OUT)
        assign_directly(other, ["Heijmans"])
    names = [s.organisation.name for s in services.suggest_partners(asked)]
    assert names.index("Heijmans") > names.index("Arcadis")


# --------------------------------------------------------------------------- limits


def test_a_question_goes_to_at_most_three_partners(asked, users):
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(asked, director)
    with pytest.raises(TransitionRefused, match="hoogstens 3"):
        put_out_to(asked, director, ["Heijmans", "Arcadis", "TAUW", "NL Greenlabel"])
    asked.refresh_from_db()
    assert asked.status == Status.SHARPENING
    assert not Assignment.objects.exists() and asked.due_date is None


def test_deviating_from_the_suggestion_needs_a_reason(asked, users):
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(asked, director)
    with pytest.raises(TransitionRefused, match="reden"):
        services.put_out(asked, [Organisation.objects.get(name="TAUW")], by=director)
    top = [s.organisation for s in services.suggest_partners(asked, limit=2)]
    services.put_out(asked, top, by=director)  # the suggestion itself needs no reason
    assert asked.assignments.count() == 2


def test_putting_out_starts_the_ten_working_day_clock(
    asked, users, partners, django_capture_on_commit_callbacks
):
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(asked, director)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        put_out_to(asked, director, ["Heijmans", "Arcadis"])
    asked.refresh_from_db()
    assert asked.due_date == calendar.add_working_days(asked.events.latest("at", "id").at, 10)
    recipients = sorted(r for m in mail.outbox for r in m.to)
    assert recipients == sorted([partners["Heijmans"].email, partners["Arcadis"].email])
    # Partners get what they need to answer, not the asker's address.
    assert all("vrager@example.org" not in m.body for m in mail.outbox)


def test_at_most_three_proposals_and_one_per_partner(asked, users, partners):
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(asked, director)
    put_out_to(asked, director, ["Heijmans", "Arcadis", "TAUW"])
    assign_directly(asked, ["NL Greenlabel"])  # a fourth, bypassing the service
    for name in ["Heijmans", "Arcadis", "TAUW"]:
        services.submit_proposal(asked, short_proposal(), by=partners[name])
    asked.refresh_from_db()
    assert asked.status == Status.PROPOSALS_IN and asked.first_proposal_at is not None
    with pytest.raises(TransitionRefused, match="al 3 voorstellen"):
        services.submit_proposal(asked, short_proposal(), by=partners["NL Greenlabel"])
    with pytest.raises(TransitionRefused, match="al een voorstel"):
        services.submit_proposal(asked, short_proposal(), by=partners["Heijmans"])
    assert asked.proposals.count() == 3


def test_a_proposal_longer_than_one_a4_is_refused_and_nothing_is_kept(asked, users, partners):
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(asked, director)
    put_out_to(asked, director, ["Heijmans"])
    long = ProposalInput(
        approach="Wij organiseren werksessies met alle ondernemers. " * 160,
        deliverables="Een groenplan.",
        duration="Drie maanden",
        cost=Decimal("9000"),
        own_contribution=Decimal("1000"),
    )
    with pytest.raises(TransitionRefused, match="hoogstens één A4"):
        services.submit_proposal(asked, long, by=partners["Heijmans"])
    assert not Proposal.objects.exists()
    asked.refresh_from_db()
    assert asked.status == Status.PUT_OUT
    proposal = services.submit_proposal(asked, short_proposal(), by=partners["Heijmans"])
    assert proposal.pdf.read().startswith(b"%PDF-")


def test_a_partner_cannot_answer_a_withdrawn_question(asked, users, partners):
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(asked, director)
    put_out_to(asked, director, ["Heijmans"])
    services.move(asked, Status.WITHDRAWN, by=users[Role.PARK_CONTACT])
    with pytest.raises(TransitionRefused, match="geen voorstellen meer"):
        services.submit_proposal(asked, short_proposal(), by=partners["Heijmans"])
    assert not Proposal.objects.exists()


def test_a_partner_not_asked_cannot_propose(asked, users, partners):
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(asked, director)
    put_out_to(asked, director, ["Heijmans"])
    with pytest.raises(TransitionRefused, match="niet aan uw organisatie"):
        services.submit_proposal(asked, short_proposal(), by=partners["TAUW"])


def test_choosing_closes_the_other_proposals_with_notice(
    asked, users, partners, django_capture_on_commit_callbacks
):
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(asked, director)
    put_out_to(asked, director, ["Heijmans", "Arcadis"])
    first = services.submit_proposal(asked, short_proposal(), by=partners["Heijmans"])
    second = services.submit_proposal(asked, short_proposal(), by=partners["Arcadis"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.choose_proposal(asked, second, by=users[Role.PARK_CONTACT])
    asked.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert asked.status == Status.DECIDED
    assert (first.state, second.state) == (Proposal.State.NOT_CHOSEN, Proposal.State.CHOSEN)
    assert asked.agreed_cost == second.cost
    told = {r for m in mail.outbox for r in m.to}
    assert {partners["Heijmans"].email, partners["Arcadis"].email} <= told


def test_an_anonymous_question_waits_for_the_e_mail_confirmation(
    reference_data, park, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        question, _created = services.submit_question(intake_for(park))
    assert question.status == Status.NEW
    (message,) = mail.outbox
    assert message.to == ["vrager@example.org"]
    # The mailed link opens this question (signed links carry a time stamp, so
    # compare what they open, not their bytes).
    token = re.search(r"/vragen/bevestigen/([^/\s]+)/", message.body).group(1)
    assert services.question_for_token(token) == question
    assert services.question_for_token(token + "x") is None
    services.confirm(services.question_for_token(token))
    question.refresh_from_db()
    assert question.status == Status.RECEIVED


def test_a_repeated_post_stores_one_question(reference_data, park):
    import uuid

    key = uuid.uuid4()
    first, created = services.submit_question(intake_for(park), idempotency_key=key)
    again, created_again = services.submit_question(intake_for(park), idempotency_key=key)
    assert created and not created_again and first == again
    assert Question.objects.count() == 1


def test_waiting_for_the_asker_is_recorded_and_keeps_the_due_date(asked, users, partners):
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(asked, director)
    put_out_to(asked, director, ["Heijmans"])
    asked.refresh_from_db()
    due = asked.due_date
    with pytest.raises(TransitionRefused, match="niet aan u"):
        services.set_waiting_on_asker(asked, True, by=partners["Heijmans"])
    services.set_waiting_on_asker(asked, True, by=director, reason="Gebeld, terugbelverzoek.")
    asked.refresh_from_db()
    assert asked.waiting_on_asker_since is not None and asked.due_date == due
    services.set_waiting_on_asker(asked, False, by=director)
    asked.refresh_from_db()
    assert asked.waiting_on_asker_since is None and asked.due_date == due
    notes = [
        e.note for e in asked.events.filter(from_status=Status.PUT_OUT, to_status=Status.PUT_OUT)
    ]
    assert notes[0].startswith("Wacht op de vrager.") and "Gebeld" in notes[0]
    assert "gereageerd" in notes[1]
    services.set_waiting_on_asker(asked, True, by=director)
    services.move(asked, Status.WITHDRAWN, by=users[Role.PARK_CONTACT])
    asked.refresh_from_db()
    assert asked.waiting_on_asker_since is None  # a closed question waits for no one


def test_out_of_scope_names_a_rule_of_the_working_method(asked, users):
    with pytest.raises(TransitionRefused, match="welke regel"):
        services.move(
            asked, Status.OUT_OF_SCOPE, by=users[Role.REGIONAL_DIRECTOR], reason="Niet voor ons."
        )
    asked.refresh_from_db()
    assert asked.status == Status.RECEIVED


def test_unconfirmed_questions_are_withdrawn_after_the_link_expires(reference_data, park):
    from datetime import timedelta

    from django.utils import timezone

    question, _created = services.submit_question(intake_for(park))
    assert services.expire_unconfirmed() == 0
    later = timezone.now() + timedelta(seconds=services.confirm_max_age_s() + 60)
    assert services.expire_unconfirmed(later) == 1
    question.refresh_from_db()
    assert question.status == Status.WITHDRAWN
    assert question.events.latest("at", "id").actor == Actor.SYSTEM


def test_a_proposal_after_midnight_dutch_time_is_late(asked, users, partners):
    """The due date is a Dutch calendar day: 00:30 in Amsterdam the next day is late,
    although it is still the due date in UTC."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from werklandschap.support import reporting

    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(asked, director)
    put_out_to(asked, director, ["Heijmans"])
    services.submit_proposal(asked, short_proposal(), by=partners["Heijmans"])
    asked.refresh_from_db()
    amsterdam = ZoneInfo("Europe/Amsterdam")
    next_day = asked.due_date + timedelta(days=1)
    late = datetime.combine(next_day, time(0, 30), tzinfo=amsterdam)
    Question.objects.filter(pk=asked.pk).update(first_proposal_at=late)
    figures = reporting.two_week_figures(Question.objects.all())
    assert figures == {"on_time_pct": 0.0, "judged": 1}
    (row,) = reporting.export_rows(Question.objects.all())
    assert row["on_time"] is False and row["first_proposal"] == next_day
    in_time = datetime.combine(asked.due_date, time(23, 30), tzinfo=amsterdam)
    Question.objects.filter(pk=asked.pk).update(first_proposal_at=in_time)
    assert reporting.two_week_figures(Question.objects.all())["on_time_pct"] == 100.0
