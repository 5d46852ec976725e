"""Demo communities and events: a CoP per directed region and the national one, members and
a request waiting in the demo director's queue, upcoming and past events with
registrations, a waiting list and recorded attendance.

Everything is made through the services (workflow, row locks, waiting list),
by the demo accounts and a few synthetic participants (``demo.invalid``
addresses, never delivered; the demo's e-mails go nowhere). Events are flagged
``is_demo``; past ones are made upcoming, filled and then moved back in time,
as registering for a started event is refused.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from werklandschap.accounts.models import User
from werklandschap.accounts.roles import Role
from werklandschap.registry.models import Park

from . import services
from .models import Community, Event, EventKind, EventStatus, MemberKind, Registration
from .workflow import MembershipStatus

PARTICIPANTS = [
    ("deelnemer-demo-1", "Sanne", "Parkmanagement Schieveste (demo)", MemberKind.PARK_MANAGER),
    ("deelnemer-demo-2", "Joost", "Ondernemersvereniging De Hoek (demo)", MemberKind.ASSOCIATION),
    ("deelnemer-demo-3", "Fatima", "Gemeente (demo)", MemberKind.MUNICIPALITY),
    ("deelnemer-demo-4", "Pieter", "Waterschap (demo)", MemberKind.WATER_BOARD),
    ("deelnemer-demo-5", "Lotte", "Hogeschool (demo)", MemberKind.SCHOOL),
    ("deelnemer-demo-6", "Ahmed", "Parkmanagement Noord (demo)", MemberKind.PARK_MANAGER),
]


def _participants() -> list[tuple[User, str, str]]:
    from werklandschap.demo.generator import _demo_user

    people = []
    for username, first_name, organisation, kind in PARTICIPANTS:
        user = _demo_user(username, Role.PARK_CONTACT, None, first_name=first_name)
        people.append((user, organisation, kind))
    return people


def _member(community: Community, user: User, kind: str, organisation: str, by: User) -> None:
    """A member (a second demo run, after --reset, finds the membership already approved)."""
    membership = services.request_membership(community, user, kind=kind, organisation=organisation)
    if membership.status == MembershipStatus.REQUESTED:
        services.move_membership(membership, MembershipStatus.APPROVED, by=by)


def _event(community: Community, by: User, days: int, **fields) -> Event:
    start = (timezone.localtime() + dt.timedelta(days=days)).replace(
        hour=fields.pop("hour", 14), minute=0, second=0, microsecond=0
    )
    event = Event(
        community=community,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=fields.pop("minutes", 120)),
        status=EventStatus.DRAFT,
        is_demo=True,
        **fields,
    )
    services.save_event(event, by=by)
    services.publish(event, by=by)
    return event


def _move_to_past(event: Event, days_ago: int) -> None:
    shift = event.starts_at - (timezone.now() - dt.timedelta(days=days_ago))
    Event.objects.filter(pk=event.pk).update(
        starts_at=event.starts_at - shift, ends_at=event.ends_at - shift
    )
    event.refresh_from_db()


@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
def create_demo_events() -> int:
    """Idempotent: nothing is made when demo events exist. Returns the number of demo events."""
    services.ensure_communities()
    existing = Event.objects.filter(is_demo=True).count()
    if existing:
        return existing
    team = User.objects.filter(username="programmateam").first()
    director = User.objects.filter(username="regisseur").first()
    contact = User.objects.filter(username="parkcontact").first()
    park = Park.objects.filter(contacts__user=contact).select_related("region").first()
    if not (team and director and contact and park and park.region_id):
        return 0
    national = Community.objects.get(national=True)
    regional = Community.objects.get(region=park.region)
    with transaction.atomic():
        people = _participants()
        # Members of the demo contact's regional CoP, one request left in the queue.
        for user, organisation, kind in [
            (contact, f"{park.name}", MemberKind.PARK_MANAGER),
            *people[:4],
        ]:
            _member(regional, user, kind, organisation, director)
        user, organisation, kind = people[4]
        services.request_membership(
            regional,
            user,
            kind=kind,
            organisation=organisation,
            note="Wij willen studenten laten meewerken aan vergroening van terreinen.",
        )
        for user, organisation, kind in people[3:6]:
            _member(national, user, kind, organisation, team)

        webinar = _event(
            national,
            team,
            12,
            hour=12,
            minutes=30,
            kind=EventKind.WEBINAR,
            title="Werklandschappen-webinar: groene daken op bedrijfspanden",
            description=(
                "Dertig minuten over wat groene daken kosten en opleveren, met een "
                "ambassadeursterrein dat het al deed. Daarna vragen."
            ),
            online_url="https://meet.example.org/werklandschappen-demo-webinar",
            capacity=100,
        )
        roadshow = _event(
            national,
            team,
            20,
            kind=EventKind.ROADSHOW,
            title="Roadshow Werklandschappen van de Toekomst (demo)",
            description="De roadshow komt naar uw regio: de zwerm, de nulmeting en de vouchers.",
            location="Stadskantoor, zaal 3 (demo)",
            capacity=4,
        )
        meeting = _event(
            regional,
            director,
            9,
            hour=15,
            kind=EventKind.COP_MEETING,
            title=f"Bijeenkomst praktijkgemeenschap {park.region.name}",
            description="We delen ervaringen met wadi's en het onderhoud van groen op terreinen.",
            location="Bedrijfsverzamelgebouw (demo)",
            capacity=25,
        )
        masterclass = _event(
            national,
            team,
            5,
            kind=EventKind.MASTERCLASS,
            title="Masterclass voor aanjagers: financiering van groen",
            location="Utrecht (demo)",
            capacity=12,
        )
        visit = _event(
            regional,
            director,
            6,
            kind=EventKind.WORK_VISIT,
            title="Werkbezoek living lab: regenwater op het terrein",
            location="Living lab (demo)",
            capacity=8,
        )
        everyone = [contact] + [p[0] for p in people]
        for user in [contact, *[p[0] for p in people[:2]]]:
            services.register(webinar, user)
        for user in everyone:  # 4 places, 7 people: three wait
            services.register(roadshow, user)
        for user in [contact, *[p[0] for p in people[:4]]]:
            services.register(meeting, user)
        for user in [p[0] for p in people[2:6]]:
            services.register(masterclass, user)
        for user in [contact, *[p[0] for p in people[:3]]]:
            services.register(visit, user)
        _move_to_past(masterclass, 21)
        _move_to_past(visit, 45)
        for past, by in ((masterclass, team), (visit, director)):
            confirmed = list(
                Registration.objects.filter(event=past, status="confirmed").values_list(
                    "pk", flat=True
                )
            )
            services.record_attendance(past, set(confirmed[:-1]), by=by)
    return Event.objects.filter(is_demo=True).count()


def delete_demo_events() -> None:
    """Remove the demo's events (with their registrations and invitations)."""
    Event.objects.filter(is_demo=True).delete()
