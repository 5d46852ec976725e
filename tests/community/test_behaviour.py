"""The online link only for registered people, the .ics file parsed back by icalendar,
the membership workflow and who sees the member list, reminders and webinar
invitations sent once."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.community.fixtures import *  # noqa: F403
from tests.community.fixtures import make_event, make_people
from tests.conftest import make_user
from werklandschap.accounts.models import ParkContact
from werklandschap.accounts.roles import Role
from werklandschap.community import services
from werklandschap.community.models import EventStatus, Invitation, MembershipEvent, Registration
from werklandschap.community.workflow import MembershipStatus as MS
from werklandschap.lib.workflow import TransitionRefused
from werklandschap.portal.partner_offer import set_subscription
from werklandschap.registry.choices import SwarmRole

pytestmark = pytest.mark.django_db
SECRET = "https://meet.example.org/werklandschappen-geheim"


# --------------------------------------------------------------------------- online link


def test_the_online_link_is_shown_only_to_confirmed_people_and_organisers(
    client, webinar, users, django_capture_on_commit_callbacks
):
    webinar.capacity = 1
    webinar.save()
    confirmed, waiting, outsider = make_people(3)
    with django_capture_on_commit_callbacks(execute=True):
        services.register(webinar, confirmed)
        services.register(webinar, waiting)
    url = reverse("community:event", kwargs={"pk": webinar.pk})
    ics_url = reverse("community:event-ics", kwargs={"pk": webinar.pk})
    assert SECRET not in client.get(url).content.decode()  # anonymous
    assert SECRET not in client.get(ics_url).content.decode()
    for person in (outsider, waiting):
        client.force_login(person)
        assert SECRET not in client.get(url).content.decode()
        assert (
            SECRET
            not in icalendar.Calendar.from_ical(client.get(ics_url).content).to_ical().decode()
        )
    for person in (confirmed, users[Role.PROGRAMME_TEAM]):
        client.force_login(person)
        assert SECRET in client.get(url).content.decode()
    client.force_login(confirmed)
    event = icalendar.Calendar.from_ical(client.get(ics_url).content).events[0]
    assert SECRET in str(event["LOCATION"])
    # E-mails: the confirmation has the link, the waiting-list mail not.
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert SECRET in by_address[confirmed.email]
    assert SECRET not in by_address[waiting.email]


# --------------------------------------------------------------------------- .ics


def test_the_calendar_file_parses_back_with_time_zone_stable_uid_and_escaped_title(
    client, national
):
    hostile = 'Evil, title; with\r\nATTENDEE:mailto:x@example.org\nBEGIN:VALARM\\ "q"'
    # Across the night summer time ends (25 October 2026, 03:00 CEST -> 02:00 CET).
    start = dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC)
    event = make_event(
        national,
        title=hostile,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        location="Zaal 1, Utrecht; boven",
    )
    url = reverse("community:event-ics", kwargs={"pk": event.pk})
    first = client.get(url)
    assert first["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(first.content)
    (vevent,) = calendar.events
    # RFC 5545 has one line break (\n); the text comes back whole, as one property.
    assert str(vevent["SUMMARY"]) == hostile.replace("\r\n", "\n")
    assert str(vevent["LOCATION"]) == "Zaal 1, Utrecht; boven"
    assert "ATTENDEE" not in vevent and not vevent.walk("VALARM")
    assert vevent["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert vevent["DTEND"].params["TZID"] == "Europe/Amsterdam"
    assert vevent.decoded("DTSTART").astimezone(dt.UTC) == start
    assert vevent.decoded("DTSTART").utcoffset() == dt.timedelta(hours=2)  # 01:30 CEST
    assert vevent.decoded("DTEND").astimezone(dt.UTC) == start + dt.timedelta(hours=4)
    assert vevent.decoded("DTEND").utcoffset() == dt.timedelta(hours=1)  # 04:30 CET
    assert b"DTSTART;TZID=Europe/Amsterdam:20261025T013000" in first.content
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    second = icalendar.Calendar.from_ical(client.get(url).content).events[0]
    assert str(second["UID"]) == str(vevent["UID"]) == f"{event.uid}@werklandschappen.nl"


# --------------------------------------------------------------------------- memberships


def _request(community, person):
    return services.request_membership(
        community, person, kind="park_manager", organisation="Parkmanagement Schieweg"
    )


def test_membership_transitions_and_who_may_make_them(
    regional, users, outsiders, django_capture_on_commit_callbacks
):
    (person,) = make_people(1)
    director = users[Role.REGIONAL_DIRECTOR]
    director.email = "regisseur@example.org"
    director.save()
    with django_capture_on_commit_callbacks(execute=True):
        membership = _request(regional, person)
    assert membership.status == MS.REQUESTED
    assert [m.to for m in mail.outbox] == [["regisseur@example.org"]]  # the coordinator
    # Not a coordinator of this community: the other region's director, the team, a partner.
    for other in (
        outsiders[Role.REGIONAL_DIRECTOR],
        users[Role.PROGRAMME_TEAM],
        users[Role.COALITION_PARTNER],
        person,
    ):
        with pytest.raises(TransitionRefused):
            services.move_membership(membership, MS.APPROVED, by=other)
    with pytest.raises(TransitionRefused):  # a refusal needs a reason the asker reads
        services.move_membership(membership, MS.DECLINED, by=director)
    with django_capture_on_commit_callbacks(execute=True):
        services.move_membership(membership, MS.DECLINED, by=director, reason="Buiten de regio")
    assert "Buiten de regio" in mail.outbox[-1].body and mail.outbox[-1].to == [person.email]
    again = _request(regional, person)
    assert again.pk == membership.pk and again.status == MS.REQUESTED
    services.move_membership(again, MS.APPROVED, by=director)
    services.move_membership(again, MS.LEFT, by=person)
    history = list(
        MembershipEvent.objects.filter(membership=membership).values_list(
            "from_status", "to_status"
        )
    )
    assert history == [
        ("", MS.REQUESTED),
        (MS.REQUESTED, MS.DECLINED),
        (MS.DECLINED, MS.REQUESTED),
        (MS.REQUESTED, MS.APPROVED),
        (MS.APPROVED, MS.LEFT),
    ]


def test_the_member_list_is_for_members_coordinators_and_the_team(client, regional, users):
    member, requester = make_people(2)
    member.last_name = "Ledenlijstnaam"
    member.save()
    director = users[Role.REGIONAL_DIRECTOR]
    services.move_membership(_request(regional, member), MS.APPROVED, by=director)
    _request(regional, requester)
    url = reverse("community:community", kwargs={"slug": regional.slug})
    assert "Ledenlijstnaam" not in client.get(url).content.decode()
    for outsider in (requester, users[Role.COALITION_PARTNER], users[Role.PARK_CONTACT]):
        client.force_login(outsider)
        page = client.get(url).content.decode()
        assert "Ledenlijstnaam" not in page
        assert "alleen zichtbaar voor leden" in page
    for insider in (member, director, users[Role.PROGRAMME_TEAM]):
        client.force_login(insider)
        assert "Ledenlijstnaam" in client.get(url).content.decode()


def test_the_queue_is_the_coordinators(client, regional, users):
    (person,) = make_people(1)
    membership = _request(regional, person)
    client.force_login(users[Role.COALITION_PARTNER])
    assert client.get(reverse("community:queue")).status_code == 403
    decide = reverse("community:decide", kwargs={"pk": membership.pk})
    assert client.post(decide, {"decision": "approved"}).status_code == 403
    client.force_login(users[Role.REGIONAL_DIRECTOR])
    assert "Parkmanagement Schieweg" in client.get(reverse("community:queue")).content.decode()
    client.post(decide, {"decision": "approved"})
    membership.refresh_from_db()
    assert membership.status == MS.APPROVED


# --------------------------------------------------------------------------- reminders


def test_reminders_go_once_to_confirmed_people_of_events_starting_soon(national):
    soon = make_event(national, starts_at=timezone.now() + dt.timedelta(hours=20))
    soon.ends_at = soon.starts_at + dt.timedelta(hours=1)
    soon.save()
    later = make_event(national, title="Later")
    people = make_people(3)
    for person in people:
        services.register(soon, person)  # two places, one waiting
        services.register(later, person)
    mail.outbox.clear()
    call_command("event_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("event_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reminders = [m for m in mail.outbox if m.subject.startswith("Herinnering")]
    assert sorted(m.to[0] for m in reminders) == [
        "deelnemer0@example.org",
        "deelnemer1@example.org",
    ]
    assert Registration.objects.exclude(reminder_sent_at=None).count() == 2


# --------------------------------------------------------------------------- invitations


def test_publishing_a_webinar_invites_each_partner_park_subscriber_once(
    national, park, other_park, users, django_capture_on_commit_callbacks
):
    park.swarm_role = SwarmRole.PARTNER
    park.save()
    subscriber, newsletter_only, not_partner = make_people(3, prefix="abonnee")
    contacts = [
        ParkContact.objects.create(user=subscriber, park=park, capacity="park_management"),
        # The same person for a second partner park: still one invitation.
        ParkContact.objects.create(user=subscriber, park=other_park, capacity="association"),
        ParkContact.objects.create(user=newsletter_only, park=park, capacity="association"),
    ]
    set_subscription(contacts[0], newsletter=False, webinar=True)
    set_subscription(contacts[1], newsletter=True, webinar=True)
    set_subscription(contacts[2], newsletter=True, webinar=False)
    from werklandschap.registry.models import Park

    plain = Park.objects.create(name="Geen partner", slug="geen-partner", geometry=park.geometry)
    set_subscription(
        ParkContact.objects.create(user=not_partner, park=plain, capacity="owner"),
        newsletter=False,
        webinar=True,
    )
    webinar = make_event(
        national, kind="webinar", location="", online_url=SECRET, status=EventStatus.DRAFT
    )
    team = users[Role.PROGRAMME_TEAM]
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(webinar, by=team)
    invitations = [m for m in mail.outbox if "Uitnodiging" in m.subject]
    assert [m.to for m in invitations] == [[subscriber.email]]
    assert SECRET not in invitations[0].body  # the link comes with a place
    assert Invitation.objects.filter(event=webinar).exclude(sent_at=None).count() == 1
    # Again: nothing more (already invited, already sent).
    assert services.send_invitations(webinar.pk) == 0
    assert services.send_pending_invitations() == 0
    with pytest.raises(services.CommunityError):
        services.publish(webinar, by=team)
    assert len([m for m in mail.outbox if "Uitnodiging" in m.subject]) == 1
    # A director does not publish national events.
    draft = make_event(national, kind="webinar", location="", online_url=SECRET, status="draft")
    with pytest.raises(services.CommunityError):
        services.publish(draft, by=make_user(Role.REGIONAL_DIRECTOR, "r2", park.region.director))
