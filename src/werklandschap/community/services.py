"""Business rules of communities and events: memberships, registrations with a waiting
list, attendance, reminders and webinar invitations.

Capacity is never overbooked: every registration, cancellation and change of
capacity takes the event's row lock (``select_for_update``) first, counts the
confirmed places inside that transaction and decides there. Concurrent
registrations for the last place queue on the lock: the first takes the place,
the next sees the event full and goes on the waiting list (tested with real
concurrent transactions on PostgreSQL; SQLite's IMMEDIATE transactions
serialise writers anyway). A cancellation promotes the first person on the
waiting list in the same transaction; their e-mail goes out after the commit,
so a rolled-back change sends nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from werklandschap.lib.workflow import Step, TransitionRefused, Workflow, history_fields
from werklandschap.lib.workflow import transition as workflow_transition
from werklandschap.registry.models import Region

from . import access, emails
from .models import (
    Community,
    Event,
    EventKind,
    EventStatus,
    Invitation,
    Membership,
    MembershipEvent,
    Registration,
    RegistrationStatus,
)
from .workflow import TABLE, Actor, MembershipStatus

logger = logging.getLogger("werklandschap.community")

CommunityError = TransitionRefused

NATIONAL_NAME = "Landelijke praktijkgemeenschap Werklandschappen"


# --------------------------------------------------------------------------- communities


def ensure_communities() -> int:
    """One community per region with a regional director, and the national one.

    Idempotent (run by the demo and by ``manage sync_communities`` after the
    reference data is loaded). A region that loses its director keeps its
    community and members. Returns how many communities exist.
    """
    with transaction.atomic():
        Community.objects.get_or_create(
            national=True,
            defaults={
                "name": NATIONAL_NAME,
                "slug": "landelijk",
                "description": (
                    "Voor iedereen die werkt aan groene, gezonde en klimaatbestendige "
                    "bedrijventerreinen: roadshow, webinars en masterclasses van het programma."
                ),
            },
        )
        for region in Region.objects.exclude(director=None).filter(community=None):
            Community.objects.create(
                region=region,
                name=f"Praktijkgemeenschap {region.name}",
                slug=slugify(f"regio-{region.slug}")[:160],
                description=(
                    f"Parkmanagers, ondernemersverenigingen, gemeenten, waterschappen en "
                    f"onderwijs in de regio {region.name} leren van elkaar."
                ),
            )
    return Community.objects.count()


def membership_of(user, community: Community) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(community=community, user=user).first()


def _authorise(step: Step) -> str | None:
    membership: Membership = step.subject
    if step.actor == Actor.MEMBER:
        return (
            None
            if step.by is not None and step.by.pk == membership.user_id
            else _("Deze stap is niet aan u.")
        )
    if step.actor == Actor.COORDINATOR:
        if not access.is_coordinator(step.by, membership.community):
            return _("Alleen een coördinator van deze praktijkgemeenschap kan dit.")
        if step.target == MembershipStatus.LEFT and not step.reason:
            return _("Geef een reden; het lid krijgt die te lezen.")
    return None


def _effects(step: Step) -> None:
    membership: Membership = step.subject
    base_url = step.context.get("base_url", "")
    if step.target in (MembershipStatus.APPROVED, MembershipStatus.DECLINED):
        membership.decided_at = step.at
        step.notify(emails.membership_decided, membership.pk, step.target, step.reason, base_url)
    elif step.target == MembershipStatus.REQUESTED:
        membership.requested_at = step.at
        membership.decided_at = None
        step.notify(emails.membership_requested, membership.pk, base_url)
    elif step.target == MembershipStatus.LEFT and step.actor == Actor.COORDINATOR:
        step.notify(emails.membership_decided, membership.pk, step.target, step.reason, base_url)


def _record(step: Step) -> MembershipEvent:
    return MembershipEvent.objects.create(membership=step.subject, **history_fields(step))


WORKFLOW = Workflow(
    name="membership",
    model=Membership,
    transitions=TABLE,
    record=_record,
    authorise=_authorise,
    effects=_effects,
    logger_name=logger.name,
    not_allowed=gettext_lazy(
        "Een lidmaatschap met status '%(source)s' kan niet naar '%(target)s'."
    ),
)


def request_membership(
    community: Community,
    user,
    *,
    kind: str,
    organisation: str,
    note: str = "",
    base_url: str = "",
) -> Membership:
    """Ask to join: a new request, or the same row asked again after leaving or a refusal.

    A pending request or a membership is returned as it is (a repeated click).
    """
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            community=community,
            user=user,
            defaults={"kind": kind, "organisation": organisation.strip(), "note": note.strip()},
        )
        if created:
            MembershipEvent.objects.create(
                membership=membership,
                from_status="",
                to_status=MembershipStatus.REQUESTED,
                actor=Actor.MEMBER,
                by=user,
                at=membership.requested_at,
                note=membership.note,
            )
            pk = membership.pk
            transaction.on_commit(lambda: emails.safely(emails.membership_requested, pk, base_url))
            return membership
    if membership.status in (MembershipStatus.REQUESTED, MembershipStatus.APPROVED):
        return membership
    Membership.objects.filter(pk=membership.pk).update(
        kind=kind, organisation=organisation.strip(), note=note.strip()
    )
    return move_membership(
        membership, MembershipStatus.REQUESTED, by=user, reason=note, base_url=base_url
    )


def move_membership(
    membership: Membership, target: str, *, by, reason: str = "", **context: Any
) -> Membership:
    """Approve, decline, leave or ask again, through the shared workflow mechanism. The
    actor is the member when ``by`` is the member, else the coordinator."""
    actor = Actor.MEMBER if by is not None and by.pk == membership.user_id else Actor.COORDINATOR
    if target in (MembershipStatus.APPROVED, MembershipStatus.DECLINED):
        actor = Actor.COORDINATOR
    return workflow_transition(
        WORKFLOW, membership, target, actor=actor, by=by, reason=reason, **context
    )


def members(community: Community) -> QuerySet[Membership]:
    return (
        community.memberships.filter(status=MembershipStatus.APPROVED)
        .select_related("user")
        .order_by("organisation", "user__last_name", "user__username")
    )


def pending_requests(user) -> QuerySet[Membership]:
    """The requests waiting for ``user`` as a coordinator, oldest first."""
    return (
        Membership.objects.filter(
            community__in=access.coordinated_communities(user), status=MembershipStatus.REQUESTED
        )
        .select_related("community", "user")
        .order_by("requested_at", "id")
    )


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class Places:
    confirmed: int
    waiting: int
    capacity: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.confirmed)


def places(event: Event) -> Places:
    counts = event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
    )
    return Places(counts["confirmed"], counts["waiting"], event.capacity)


def _lock(event: Event) -> Event:
    """The event's row, locked until the end of the transaction: the one place every
    change of its places waits for."""
    return Event.objects.select_for_update().select_related("community").get(pk=event.pk)


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _waiting_list(event: Event) -> QuerySet[Registration]:
    return event.registrations.filter(status=RegistrationStatus.WAITING).order_by("listed_at", "id")


def register(
    event: Event, user, *, base_url: str = "", now: datetime | None = None
) -> Registration:
    """A place at the event, or a place on its waiting list when it is full.

    Idempotent for someone already registered or waiting. Refused (with a message)
    for a draft, cancelled or started event and for a CoP meeting of a community
    the person is not a member of.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock(event)
        if event.status != EventStatus.PUBLISHED:
            raise CommunityError(_("Voor deze bijeenkomst kunt u zich niet aanmelden."))
        if event.has_started(now):
            raise CommunityError(_("Deze bijeenkomst is al begonnen; aanmelden kan niet meer."))
        if not access.may_register(user, event):
            raise CommunityError(_("Deze bijeenkomst is voor leden van de praktijkgemeenschap."))
        registration = (
            Registration.objects.select_for_update().filter(event=event, user=user).first()
        )
        if registration is not None and registration.status != RegistrationStatus.CANCELLED:
            return registration
        full = _confirmed_count(event) >= event.capacity
        status = RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED
        if registration is None:
            registration = Registration(event=event, user=user)
        registration.status = status
        registration.registered_at = now
        registration.listed_at = now if full else None
        registration.promoted_at = None
        registration.cancelled_at = None
        registration.reminder_sent_at = None
        registration.save()
        pk = registration.pk
        # The person registers themselves: the confirmation is in the language they use.
        language = get_language() or ""
        transaction.on_commit(lambda: emails.safely(emails.registered, pk, base_url, language))
    logger.info("registration %s for event %s: %s", pk, event.pk, status)
    return registration


def _promote(event: Event, now: datetime, base_url: str) -> list[int]:
    """Fill free places from the waiting list, in order; inside the caller's lock."""
    free = event.capacity - _confirmed_count(event)
    promoted = []
    if free <= 0:
        return promoted
    for registration in list(_waiting_list(event)[:free]):
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        promoted.append(registration.pk)
        pk = registration.pk
        transaction.on_commit(lambda pk=pk: emails.safely(emails.promoted, pk, base_url))
    if promoted:
        logger.info("event %s: promoted %s from the waiting list", event.pk, promoted)
    return promoted


def cancel(
    registration: Registration, *, base_url: str = "", now: datetime | None = None
) -> list[int]:
    """Cancel a place or leave the waiting list; a freed place goes to the first person
    waiting, in the same transaction. Returns the promoted registrations' ids."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return []
        if event.has_started(now):
            raise CommunityError(_("Deze bijeenkomst is al begonnen; afmelden kan niet meer."))
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = _promote(event, now, base_url) if was_confirmed else []
    return promoted


def set_capacity(event: Event, capacity: int, *, base_url: str = "") -> list[int]:
    """Change the number of places; more places promote people waiting. Fewer places never
    remove someone already confirmed (the organiser asks them)."""
    if capacity < 1:
        raise CommunityError(_("Een bijeenkomst heeft minstens één plaats."))
    with transaction.atomic():
        event = _lock(event)
        event.capacity = capacity
        event.save(update_fields=["capacity"])
        if event.status != EventStatus.PUBLISHED or event.has_started():
            return []
        return _promote(event, timezone.now(), base_url)


def save_event(event: Event, *, by, changed: set[str] | None = None, base_url: str = "") -> Event:
    """Store a new or edited event; a change of time or place raises its calendar version
    and tells everyone registered or waiting (after the commit).

    Capacity changes go through :func:`set_capacity` (under the lock)."""
    if not access.can_organise(by, event):
        raise CommunityError(_("U organiseert geen bijeenkomsten van deze praktijkgemeenschap."))
    if event.pk is None:
        event.created_by = by
        event.save()
        return event
    capacity = event.capacity
    with transaction.atomic():
        stored = _lock(event)
        moved = bool(changed and changed & {"starts_at", "ends_at", "location", "online_url"})
        if moved or (changed and "title" in changed):
            event.sequence = stored.sequence + 1
        event.capacity = stored.capacity
        event.status = stored.status
        event.published_at = stored.published_at
        event.save()
        if moved and event.status == EventStatus.PUBLISHED:
            pks = list(
                event.registrations.exclude(status=RegistrationStatus.CANCELLED).values_list(
                    "pk", flat=True
                )
            )
            transaction.on_commit(
                lambda: [emails.safely(emails.event_changed, pk, base_url) for pk in pks]
            )
    if capacity != stored.capacity:
        set_capacity(event, capacity, base_url=base_url)
    event.refresh_from_db()
    return event


def publish(event: Event, *, by, base_url: str = "") -> Event:
    """Make a draft public; a webinar invites the partner parks' webinar subscribers."""
    with transaction.atomic():
        event = _lock(event)
        if not access.can_organise(by, event):
            raise CommunityError(
                _("U organiseert geen bijeenkomsten van deze praktijkgemeenschap.")
            )
        if event.status != EventStatus.DRAFT:
            raise CommunityError(_("Alleen een concept kan worden gepubliceerd."))
        if event.has_started():
            raise CommunityError(_("Deze bijeenkomst ligt in het verleden."))
        event.status = EventStatus.PUBLISHED
        event.published_at = timezone.now()
        event.save(update_fields=["status", "published_at"])
        if event.kind == EventKind.WEBINAR:
            _queue_invitations(event, base_url)
    return event


def cancel_event(event: Event, *, by, reason: str, base_url: str = "") -> Event:
    """Call an event off; everyone registered or waiting is told after the commit."""
    reason = (reason or "").strip()
    if not reason:
        raise CommunityError(_("Geef een reden; de deelnemers krijgen die te lezen."))
    with transaction.atomic():
        event = _lock(event)
        if not access.can_organise(by, event):
            raise CommunityError(
                _("U organiseert geen bijeenkomsten van deze praktijkgemeenschap.")
            )
        if event.status == EventStatus.CANCELLED:
            return event
        event.status = EventStatus.CANCELLED
        event.sequence += 1
        event.save(update_fields=["status", "sequence"])
        pks = list(
            event.registrations.exclude(status=RegistrationStatus.CANCELLED).values_list(
                "pk", flat=True
            )
        )
        transaction.on_commit(
            lambda: emails.safely(emails.event_cancelled, event.pk, pks, reason, base_url)
        )
    return event


def record_attendance(event: Event, attended_ids: set[int], *, by) -> int:
    """After the event: who of the confirmed people came (the others are marked absent)."""
    if not access.can_organise(by, event):
        raise CommunityError(_("U organiseert deze bijeenkomst niet."))
    if not event.has_started():
        raise CommunityError(_("Aanwezigheid registreert u na het begin van de bijeenkomst."))
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    with transaction.atomic():
        came = confirmed.filter(pk__in=attended_ids).update(attended=True)
        confirmed.exclude(pk__in=attended_ids).update(attended=False)
    return came


# --------------------------------------------------------------------------- reminders


def due_reminders(now: datetime, hours: int) -> QuerySet[Registration]:
    """Confirmed places at published events that start within ``hours`` and have had no
    reminder yet."""
    return Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminder_sent_at=None,
        event__status=EventStatus.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + timedelta(hours=hours),
    )


def send_reminders(*, hours: int, now: datetime | None = None, base_url: str = "") -> int:
    """Send each due reminder once; safe to run again (daily, or twice by mistake).

    Each reminder is claimed before it is sent (an UPDATE that only one run can
    win); a failed send releases the claim, so the next run tries again.
    """
    now = now or timezone.now()
    sent = 0
    for pk in list(due_reminders(now, hours).values_list("pk", flat=True)):
        claimed = Registration.objects.filter(pk=pk, reminder_sent_at=None).update(
            reminder_sent_at=now
        )
        if not claimed:
            continue
        try:
            emails.reminder(pk, base_url)
        except Exception:
            logger.exception("reminder for registration %s failed; retried next run", pk)
            Registration.objects.filter(pk=pk).update(reminder_sent_at=None)
            continue
        sent += 1
    return sent


# --------------------------------------------------------------------------- invitations


def webinar_subscribers() -> QuerySet:
    """Active accounts of partner parks' contacts who switched the webinar on."""
    from django.contrib.auth import get_user_model

    from werklandschap.portal.models import PartnerSubscription
    from werklandschap.registry.choices import SwarmRole

    user_ids = (
        PartnerSubscription.objects.filter(webinar=True)
        .exclude(contact__park__swarm_role=SwarmRole.NONE)
        .values("contact__user_id")
    )
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="")


def _queue_invitations(event: Event, base_url: str) -> list[int]:
    """Record an invitation for every subscriber not yet invited (under the event's lock);
    send them after the commit. Returns the new invitations' ids."""
    invited = set(event.invitations.values_list("user_id", flat=True))
    new = [
        Invitation(event=event, user_id=user_id)
        for user_id in webinar_subscribers().values_list("pk", flat=True)
        if user_id not in invited
    ]
    Invitation.objects.bulk_create(new, ignore_conflicts=True)
    transaction.on_commit(lambda: send_invitations(event.pk, base_url=base_url))
    return [i.pk for i in new]


def send_invitations(event_pk: int, *, base_url: str = "") -> int:
    """Send the event's unsent invitations, each claimed first so it goes out once."""
    sent = 0
    now = timezone.now()
    for pk in list(
        Invitation.objects.filter(event_id=event_pk, sent_at=None).values_list("pk", flat=True)
    ):
        if not Invitation.objects.filter(pk=pk, sent_at=None).update(sent_at=now):
            continue
        try:
            emails.invitation(pk, base_url)
        except Exception:
            logger.exception("invitation %s failed; retried by the daily command", pk)
            Invitation.objects.filter(pk=pk).update(sent_at=None)
            continue
        sent += 1
    return sent


def send_pending_invitations(*, base_url: str = "") -> int:
    """Invitations of upcoming published webinars that could not be sent before."""
    events = (
        Invitation.objects.filter(
            sent_at=None,
            event__status=EventStatus.PUBLISHED,
            event__starts_at__gt=timezone.now(),
        )
        .values_list("event_id", flat=True)
        .distinct()
    )
    return sum(send_invitations(pk, base_url=base_url) for pk in list(events))


# --------------------------------------------------------------------------- lists


def upcoming(now: datetime | None = None) -> QuerySet[Event]:
    return Event.objects.filter(
        status__in=(EventStatus.PUBLISHED, EventStatus.CANCELLED),
        ends_at__gte=now or timezone.now(),
    ).order_by("starts_at", "id")


def past(now: datetime | None = None) -> QuerySet[Event]:
    return Event.objects.filter(
        status__in=(EventStatus.PUBLISHED, EventStatus.CANCELLED), ends_at__lt=now or timezone.now()
    ).order_by("-starts_at", "-id")


def with_places(events: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with its confirmed and waiting counts and free places (one query)."""
    return events.select_related("community", "community__region").annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status="confirmed")),
        waiting_count=Count("registrations", filter=Q(registrations__status="waiting")),
        free_places=ExpressionWrapper(
            F("capacity") - Count("registrations", filter=Q(registrations__status="confirmed")),
            output_field=IntegerField(),
        ),
    )
