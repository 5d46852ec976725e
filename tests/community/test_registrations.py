"""Registration with a waiting list: capacity is never exceeded, the first person waiting
gets a freed place in the same transaction and hears it after the commit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tests.community.fixtures import *  # noqa: F403
from tests.community.fixtures import make_event, make_people
from werklandschap.accounts.roles import Role
from werklandschap.community import services
from werklandschap.community.models import EventKind, EventStatus, Registration
from werklandschap.community.models import RegistrationStatus as RS
from werklandschap.community.workflow import MembershipStatus

pytestmark = pytest.mark.django_db


def _statuses(event) -> dict[str, str]:
    return dict(event.registrations.values_list("user__username", "status"))


def test_sequential_registrations_fill_the_places_then_the_waiting_list(roadshow):
    people = make_people(5)
    for person in people:
        services.register(roadshow, person)
    assert _statuses(roadshow) == {
        "deelnemer0": RS.CONFIRMED,
        "deelnemer1": RS.CONFIRMED,
        "deelnemer2": RS.WAITING,
        "deelnemer3": RS.WAITING,
        "deelnemer4": RS.WAITING,
    }
    places = services.places(roadshow)
    assert (places.confirmed, places.waiting, places.free) == (2, 3, 0)


def test_registering_twice_keeps_one_place(roadshow):
    (person,) = make_people(1)
    first = services.register(roadshow, person)
    again = services.register(roadshow, person)
    assert first.pk == again.pk
    assert roadshow.registrations.count() == 1


def test_a_cancellation_promotes_the_first_person_waiting_and_mails_them_after_commit(
    roadshow, django_capture_on_commit_callbacks
):
    people = make_people(4)
    for person in people:
        services.register(roadshow, person)
    mail.outbox.clear()
    first_place = Registration.objects.get(event=roadshow, user=people[0])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        promoted = services.cancel(first_place)
    # Decided inside the transaction; nothing mailed before the commit.
    assert len(promoted) == 1
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    statuses = _statuses(roadshow)
    assert statuses["deelnemer0"] == RS.CANCELLED
    assert statuses["deelnemer2"] == RS.CONFIRMED  # first on the waiting list
    assert statuses["deelnemer3"] == RS.WAITING
    promoted_reg = Registration.objects.get(pk=promoted[0])
    assert promoted_reg.user == people[2] and promoted_reg.promoted_at is not None
    assert [m.to for m in mail.outbox] == [["deelnemer2@example.org"]]
    assert "vrijgekomen" in mail.outbox[0].subject
    assert services.places(roadshow).confirmed == 2


def test_leaving_the_waiting_list_promotes_nobody(roadshow):
    people = make_people(4)
    for person in people:
        services.register(roadshow, person)
    services.cancel(Registration.objects.get(event=roadshow, user=people[2]))
    statuses = _statuses(roadshow)
    assert statuses["deelnemer3"] == RS.WAITING
    assert services.places(roadshow).confirmed == 2


def test_someone_who_cancelled_and_comes_back_joins_the_end_of_the_waiting_list(roadshow):
    people = make_people(4)
    for person in people:
        services.register(roadshow, person)
    services.cancel(Registration.objects.get(event=roadshow, user=people[0]))  # 2 promoted
    again = services.register(roadshow, people[0])
    assert again.status == RS.WAITING
    waiting = list(
        roadshow.registrations.filter(status=RS.WAITING)
        .order_by("listed_at", "id")
        .values_list("user__username", flat=True)
    )
    assert waiting == ["deelnemer3", "deelnemer0"]


def test_more_places_promote_people_waiting_in_order(roadshow):
    people = make_people(5)
    for person in people:
        services.register(roadshow, person)
    promoted = services.set_capacity(roadshow, 4)
    assert len(promoted) == 2
    assert _statuses(roadshow)["deelnemer4"] == RS.WAITING
    assert services.places(roadshow).confirmed == 4
    # Fewer places never remove anyone confirmed.
    services.set_capacity(roadshow, 1)
    assert services.places(roadshow).confirmed == 4


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.CANCELLED])
def test_no_registration_for_a_draft_or_cancelled_event(national, status):
    event = make_event(national, status=status)
    (person,) = make_people(1)
    with pytest.raises(services.CommunityError):
        services.register(event, person)
    assert not event.registrations.exists()


def test_no_registration_or_cancellation_once_started(roadshow):
    (person, other) = make_people(2)
    services.register(roadshow, person)
    later = roadshow.starts_at + dt.timedelta(minutes=1)
    with pytest.raises(services.CommunityError):
        services.register(roadshow, other, now=later)
    with pytest.raises(services.CommunityError):
        services.cancel(Registration.objects.get(user=person), now=later)


def test_a_cop_meeting_is_for_members_and_coordinators(regional, users):
    meeting = make_event(regional, kind=EventKind.COP_MEETING, capacity=10)
    (outsider, member) = make_people(2)
    with pytest.raises(services.CommunityError):
        services.register(meeting, outsider)
    membership = services.request_membership(
        regional, member, kind="park_manager", organisation="Parkmanagement Schieweg"
    )
    services.move_membership(
        membership, MembershipStatus.APPROVED, by=users[Role.REGIONAL_DIRECTOR]
    )
    assert services.register(meeting, member).status == RS.CONFIRMED
    assert services.register(meeting, users[Role.REGIONAL_DIRECTOR]).status == RS.CONFIRMED


def test_attendance_is_recorded_after_the_start_by_the_organiser(roadshow, users):
    people = make_people(3)
    for person in people:
        services.register(roadshow, person)
    team = users[Role.PROGRAMME_TEAM]
    confirmed = list(roadshow.registrations.filter(status=RS.CONFIRMED))
    with pytest.raises(services.CommunityError):  # not yet begun
        services.record_attendance(roadshow, {confirmed[0].pk}, by=team)
    roadshow.starts_at = timezone.now() - dt.timedelta(hours=1)
    roadshow.ends_at = timezone.now() + dt.timedelta(hours=1)
    roadshow.save()
    with pytest.raises(services.CommunityError):  # a director does not organise national events
        services.record_attendance(roadshow, {confirmed[0].pk}, by=users[Role.REGIONAL_DIRECTOR])
    assert services.record_attendance(roadshow, {confirmed[0].pk}, by=team) == 1
    values = dict(roadshow.registrations.values_list("pk", "attended"))
    assert values[confirmed[0].pk] is True
    assert values[confirmed[1].pk] is False
    waiting = roadshow.registrations.get(status=RS.WAITING)
    assert values[waiting.pk] is None


def test_a_new_time_raises_the_calendar_version_and_tells_the_registered(
    roadshow, users, django_capture_on_commit_callbacks
):
    people = make_people(3)
    for person in people:
        services.register(roadshow, person)
    services.cancel(Registration.objects.get(event=roadshow, user=people[1]))  # 2 promoted
    mail.outbox.clear()
    roadshow.starts_at += dt.timedelta(days=1)
    roadshow.ends_at += dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_event(
            roadshow, by=users[Role.PROGRAMME_TEAM], changed={"starts_at", "ends_at"}
        )
    roadshow.refresh_from_db()
    assert roadshow.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "deelnemer0@example.org",
        "deelnemer2@example.org",
    ]
    assert all(m.subject.startswith("Gewijzigd") for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # a new description: no mail
        services.save_event(roadshow, by=users[Role.PROGRAMME_TEAM], changed={"description"})
    assert mail.outbox == []
