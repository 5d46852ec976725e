"""The newsletter's mailing list, its issues and a record of every mail sent.

A subscriber is an e-mail address and a language, nothing else personal
(seed 001: the newsletter is open to everyone). How an address gets on the
list and off again is in ``services``; how an issue is sent in ``sending``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Subscriber(models.Model):
    """One address on the mailing list.

    ``status`` is the one thing sending reads: only CONFIRMED addresses get
    mail. ``source`` says who governs the consent: FORM (the public form's
    double opt-in, kept here) or PORTAL (a park contact's switch in the
    portal, ``portal.PartnerSubscription``, mirrored here by ``portal_sync``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op bevestiging")
        CONFIRMED = "confirmed", _("aangemeld")
        UNSUBSCRIBED = "unsubscribed", _("afgemeld")

    class Source(models.TextChoices):
        FORM = "form", _("aanmeldformulier (dubbele bevestiging)")
        PORTAL = "portal", _("portaal van een partnerterrein")

    email = models.EmailField(_("e-mailadres"), max_length=254, unique=True)
    language = models.CharField(
        _("taal"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    source = models.CharField(_("herkomst"), max_length=8, choices=Source.choices)
    # The account whose portal consent this row mirrors (source PORTAL only).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscriptions",
    )
    # Binds confirmation links to the latest opt-in request: a new request gets a
    # new key, so an older link (a stranger's earlier attempt) stops working.
    confirm_key = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now, editable=False)
    requested_at = models.DateTimeField(_("aanmelding gevraagd"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bevestigd"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("afgemeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnee")
        verbose_name_plural = _("abonnees")
        ordering = ["email"]
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


def normalise_email(email: str) -> str:
    """One spelling per address: trimmed and lower-case (the list is unique on it)."""
    return (email or "").strip().lower()


class Issue(models.Model):
    """One newsletter, written in the admin in Dutch and (optionally) English.

    The body is Markdown: the HTML part of the mail is rendered from it
    (``lib.markdown``, sanitised) and the plain-text part is the text itself.
    Once sending has started the issue cannot be edited any more.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        SENDING = "sending", _("wordt verstuurd")
        SENT = "sent", _("verstuurd")

    subject_nl = models.CharField(_("onderwerp (Nederlands)"), max_length=160)
    body_nl = models.TextField(
        _("tekst (Nederlands)"),
        help_text=_("Markdown: **vet**, *schuin*, [link](https://…), lijstjes met - of 1."),
    )
    subject_en = models.CharField(_("onderwerp (Engels)"), max_length=160, blank=True)
    body_en = models.TextField(
        _("tekst (Engels)"),
        blank=True,
        help_text=_("Leeg: Engelstalige abonnees krijgen de Nederlandse tekst."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemaakt door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("versturen begonnen"), null=True, blank=True)
    finished_at = models.DateTimeField(_("versturen klaar"), null=True, blank=True)

    class Meta:
        verbose_name = _("nieuwsbrief")
        verbose_name_plural = _("nieuwsbrieven")
        ordering = ["-created_at", "-id"]
        permissions = [("send_issue", _("Nieuwsbrief versturen"))]

    def __str__(self) -> str:
        return self.subject_nl

    def subject_for(self, language: str) -> str:
        return self.subject_en if language == "en" and self.subject_en else self.subject_nl

    def body_for(self, language: str) -> str:
        return self.body_en if language == "en" and self.body_en.strip() else self.body_nl


class Delivery(models.Model):
    """What was sent of one issue to one subscriber, and when.

    The row is written (CLAIMED) and committed *before* the mail goes out and is
    unique per issue and subscriber, so a resumed or concurrent send never
    mails anyone twice: at most once, and a row left CLAIMED by a crash says
    "perhaps sent" instead of being sent again.
    """

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("bezig (mogelijk verstuurd)")
        SENT = "sent", _("verstuurd")
        FAILED = "failed", _("mislukt")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    # Deleting a subscriber (erasure) deletes its records too.
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    language = models.CharField(_("taal"), max_length=8)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    claimed_at = models.DateTimeField(_("klaargezet"), default=timezone.now)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    error = models.CharField(_("fout"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("verzending")
        verbose_name_plural = _("verzendingen")
        ordering = ["issue", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="newsletter_one_delivery_per_subscriber"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id}: {self.status}"
