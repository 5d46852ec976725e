"""Sign-ups of business parks as partner park, and the history of each sign-up.

Sign-up is per park, not per company (seed 001, section 2.2). An application
names an existing park of the registry or proposes a new one (name and
outline); the park itself is only created when the programme team approves.

Personal data are kept to the minimum the programme needs to handle the
sign-up: an e-mail address to confirm the sign-up and to tell the applicant
the decision, and an optional name to address them. No phone number, no
address. The purpose is stated on the form (``CONSENT_TEXT``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werklandschap.lib.workflow import TransitionRecord
from werklandschap.registry.models import BboxQuerySet, SpatialMixin

from .workflow import OPEN_STATUSES, Status

# The consent text shown on the form. Change CONSENT_VERSION whenever the text
# changes: each application stores the version the applicant agreed to.
CONSENT_VERSION = "2025-01"
CONSENT_TEXT = _(
    "Ik geef toestemming dat het programma Werklandschappen van de Toekomst mijn "
    "e-mailadres en (als ingevuld) mijn naam bewaart om deze aanmelding te behandelen: "
    "om het e-mailadres te bevestigen, mij over het besluit te informeren en mij als "
    "contactpersoon van het terrein toegang te geven tot het platform. De gegevens worden "
    "niet voor andere doelen gebruikt en niet aan derden gegeven."
)


class ApplicantCapacity(models.TextChoices):
    """In which capacity someone signs up a park.

    The first four match ``accounts.ParkContact.Capacity``: they speak for the
    whole park. A single company does not, and is refused
    (``services.capacity_refusal``).
    """

    PARK_MANAGEMENT = "park_management", _("Parkmanagement / parkmanager")
    ASSOCIATION = "association", _("Ondernemersvereniging")
    MUNICIPALITY = "municipality", _("Gemeente")
    OWNER = "owner", _("Eigenaar van het hele terrein")
    SINGLE_COMPANY = "company", _("Individueel bedrijf op het terrein")


class OutlineSource(models.TextChoices):
    NONE = "", _("Bestaand terrein uit het register")
    DRAWN = "drawn", _("Op de kaart getekend")
    UPLOADED = "uploaded", _("Bestand geüpload")


class PartnerApplicationQuerySet(BboxQuerySet):
    def open(self) -> PartnerApplicationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def awaiting_review(self) -> PartnerApplicationQuerySet:
        return self.filter(status=Status.CONFIRMED)


class PartnerApplication(SpatialMixin):
    """One sign-up of a park as partner park.

    ``geometry`` (from SpatialMixin, RD New) is the outline the applicant drew
    or uploaded for a park that is not in the registry; it stays empty when an
    existing park was picked. ``joined_to`` links a later sign-up for the same
    park to the first one, so the programme team decides once per park.
    """

    park = models.ForeignKey(
        "registry.Park",
        verbose_name=_("bedrijventerrein"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_applications",
        help_text=_("Leeg bij een nieuw voorgesteld terrein tot de goedkeuring."),
    )
    proposed_name = models.CharField(_("naam voorgesteld terrein"), max_length=200, blank=True)
    outline_source = models.CharField(
        _("herkomst begrenzing"),
        max_length=16,
        choices=OutlineSource.choices,
        blank=True,
        default=OutlineSource.NONE,
    )
    outline_note = models.CharField(_("opmerking bij de begrenzing"), max_length=300, blank=True)

    organisation_name = models.CharField(_("organisatie"), max_length=200)
    capacity = models.CharField(_("hoedanigheid"), max_length=32, choices=ApplicantCapacity.choices)
    contact_email = models.EmailField(
        _("e-mailadres"),
        help_text=_("Alleen om de aanmelding te bevestigen en over het besluit te informeren."),
    )
    contact_name = models.CharField(_("naam contactpersoon"), max_length=150, blank=True)

    commits_to_green_goal = models.BooleanField(
        _("toezegging: in beweging naar een groen, gezond en klimaatbestendig terrein"),
        default=False,
    )
    commits_to_bring_knowledge = models.BooleanField(
        _("toezegging: opgedane kennis inbrengen bij het programma"), default=False
    )
    commits_to_share_knowledge = models.BooleanField(
        _("toezegging: kennis delen in de regionale Community of Practice"), default=False
    )
    consent_version = models.CharField(_("versie toestemmingstekst"), max_length=20)
    consent_given_at = models.DateTimeField(_("toestemming gegeven op"))

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    joined_to = models.ForeignKey(
        "self",
        verbose_name=_("gekoppeld aan aanmelding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="joined",
        help_text=_("Eerdere aanmelding voor hetzelfde terrein."),
    )
    # The hidden nonce of the form: a repeated or concurrent POST of the same
    # form carries the same key and the unique constraint keeps one row.
    idempotency_key = models.UUIDField(_("formulierkenmerk"), unique=True, default=uuid.uuid4)

    created_at = models.DateTimeField(_("ingediend"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bevestigd"), null=True, blank=True)
    decided_at = models.DateTimeField(_("besloten"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordeeld door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(_("reden / toelichting bij het besluit"), blank=True)

    objects = PartnerApplicationQuerySet.as_manager()

    class Meta(SpatialMixin.Meta):
        verbose_name = _("aanmelding partnerterrein")
        verbose_name_plural = _("aanmeldingen partnerterrein")
        ordering = ["-created_at", "-id"]
        indexes = [
            *SpatialMixin.Meta.indexes,
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.park_name} ({self.get_status_display()})"

    @property
    def park_name(self) -> str:
        return self.park.name if self.park_id else self.proposed_name

    @property
    def is_new_park(self) -> bool:
        return self.park_id is None

    @property
    def primary(self) -> PartnerApplication:
        """The first application of this park's group (itself if not joined)."""
        return self.joined_to or self


class ApplicationEvent(TransitionRecord):
    """One recorded step of an application: who moved it from which state to which."""

    application = models.ForeignKey(
        PartnerApplication, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("van"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=16, choices=Status.choices)

    class Meta:
        verbose_name = _("stap in de aanmelding")
        verbose_name_plural = _("geschiedenis van aanmeldingen")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.application_id}: {self.from_status or '–'} → {self.to_status}"


class SignUpLimitHit(models.Model):
    """One counted event for the sign-up limits (``limits.py``): a sign-up or a mail.

    ``key`` is a keyed hash (HMAC with the secret key) of the e-mail address
    or client address, never the address itself; rows older than the limits'
    window are deleted on the next sign-up. Kept in the database rather than
    in Django's cache because the cache is per process here (every gunicorn
    worker would count on its own and a restart would reset the counts).
    """

    class Kind(models.TextChoices):
        MAIL_TO = "mail_to", _("bevestigingsmail naar e-mailadres")
        MAIL_FROM = "mail_from", _("bevestigingsmail vanaf clientadres")
        SIGNUP_FROM = "signup_from", _("aanmelding vanaf clientadres")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)
    # The sign-up form's key: simultaneous posts of one form count once.
    form_key = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name = _("telling aanmeldlimiet")
        verbose_name_plural = _("tellingen aanmeldlimieten")
        indexes = [models.Index(fields=["kind", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:12]} {self.at:%Y-%m-%d %H:%M}"
