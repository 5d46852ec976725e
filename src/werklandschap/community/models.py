"""Communities of Practice (one per region with a regional director, one national) and
the programme's events: roadshow meetings, webinars, work visits, masterclasses and
CoP meetings, with registrations, a waiting list, attendance, reminders and the
invitations of partner parks' webinar subscribers.

Personal data is kept minimal: a member or a registrant is a user account
(e-mail address, optional name, organisation); a membership adds only the kind of
member and the organisation the person takes part for.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werklandschap.lib.workflow import TransitionRecord

from .workflow import MembershipStatus


class Community(models.Model):
    """A Community of Practice: regional (its region's director coordinates) or national
    (the programme team coordinates). Extra coordinators can be named per community."""

    name = models.CharField(_("naam"), max_length=160, unique=True)
    slug = models.SlugField(_("korte naam"), max_length=160, unique=True)
    region = models.OneToOneField(
        "registry.Region",
        verbose_name=_("regio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="community",
    )
    national = models.BooleanField(_("landelijk"), default=False)
    description = models.TextField(_("omschrijving"), blank=True, max_length=2000)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extra coördinatoren"),
        blank=True,
        related_name="coordinated_communities",
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)

    class Meta:
        verbose_name = _("praktijkgemeenschap")
        verbose_name_plural = _("praktijkgemeenschappen")
        ordering = ["-national", "name"]
        constraints = [
            # Exactly one of: national, or of one region.
            models.CheckConstraint(
                condition=Q(national=True, region=None) | Q(national=False, region__isnull=False),
                name="community_national_xor_region",
            ),
            models.UniqueConstraint(
                fields=["national"], condition=Q(national=True), name="one_national_community"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MemberKind(models.TextChoices):
    PARK_MANAGER = "park_manager", _("Parkmanager")
    ASSOCIATION = "association", _("Ondernemersvereniging")
    MUNICIPALITY = "municipality", _("Gemeente")
    WATER_BOARD = "water_board", _("Waterschap")
    SCHOOL = "school", _("Onderwijsinstelling")


class Membership(models.Model):
    """One person's membership of one community, from request to approval (or not).

    One row per person and community: asking again after leaving or a refusal
    moves the same row back to ``requested``, so the history stays in one place.
    """

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    kind = models.CharField(_("soort lid"), max_length=24, choices=MemberKind.choices)
    organisation = models.CharField(_("organisatie"), max_length=160)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=MembershipStatus.choices,
        default=MembershipStatus.REQUESTED,
        db_index=True,
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["community", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_membership_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.community}"


class MembershipEvent(TransitionRecord):
    """One step of a membership: who, when, from, to, why."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("van"), max_length=24, choices=MembershipStatus.choices, blank=True
    )
    to_status = models.CharField(_("naar"), max_length=24, choices=MembershipStatus.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("stap van een lidmaatschap")
        verbose_name_plural = _("geschiedenis van lidmaatschappen")


class EventKind(models.TextChoices):
    ROADSHOW = "roadshow", _("Roadshow")
    WEBINAR = "webinar", _("Webinar")
    WORK_VISIT = "work_visit", _("Werkbezoek")
    MASTERCLASS = "masterclass", _("Masterclass")
    COP_MEETING = "cop_meeting", _("Bijeenkomst praktijkgemeenschap")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")
    CANCELLED = "cancelled", _("Gaat niet door")


class Event(models.Model):
    """A meeting of the programme. Each belongs to a community: the national one for the
    programme team's roadshow and webinars, a regional one for its region's meetings."""

    uid = models.UUIDField(_("vaste kenmerk (agenda)"), default=uuid.uuid4, unique=True)
    community = models.ForeignKey(
        Community,
        verbose_name=_("praktijkgemeenschap"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(_("soort"), max_length=24, choices=EventKind.choices)
    title = models.CharField(_("titel"), max_length=160)
    description = models.TextField(_("omschrijving"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("begint"), db_index=True)
    ends_at = models.DateTimeField(_("eindigt"))
    location = models.CharField(_("plaats"), max_length=300, blank=True)
    online_url = models.URLField(
        _("link voor online deelname"),
        max_length=500,
        blank=True,
        help_text=_("Alleen zichtbaar voor aangemelde deelnemers."),
    )
    capacity = models.PositiveIntegerField(_("aantal plaatsen"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EventStatus.choices,
        default=EventStatus.DRAFT,
        db_index=True,
    )
    # Raised whenever the time or place changes, so calendars replace their copy (RFC 5545).
    sequence = models.PositiveIntegerField(_("versie"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(online_url=""), name="event_place_or_link"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    def has_started(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Aangemeld")
    WAITING = "waiting", _("Op de wachtlijst")
    CANCELLED = "cancelled", _("Afgemeld")


class Registration(models.Model):
    """One person's place at an event (or on its waiting list).

    The waiting list is ordered by ``listed_at``: the moment the person joined it.
    ``reminder_sent_at`` records the reminder, so the daily command sends it once.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, db_index=True
    )
    registered_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    listed_at = models.DateTimeField(_("op de wachtlijst sinds"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("van de wachtlijst op"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("afgemeld op"), null=True, blank=True)
    attended = models.BooleanField(_("aanwezig"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("herinnering verstuurd"), null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self) -> str:
        return f"{self.user} – {self.event} ({self.status})"


class Invitation(models.Model):
    """A webinar invitation to a partner park's webinar subscriber: once per person and
    event (the unique constraint), ``sent_at`` set when the e-mail went out."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_invitations"
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    sent_at = models.DateTimeField(_("verstuurd"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_invitation_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.event}"
