"""What a park adds to its scan: its own ambitions, and its contacts' subscriptions.

Both keep history rather than overwrite: an ambition is a row per change (who
set which target when), so a park can show how its ambition grew and the
programme can see who committed to what. A subscription keeps the moment of
consent, which is what the GDPR asks us to be able to show.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ParkAmbition(models.Model):
    """One change of a park's target for one indicator.

    The current target of (park, indicator) is the latest row. ``target`` None
    means the park went back to the programme's default target.
    """

    park = models.ForeignKey(
        "registry.Park",
        verbose_name=_("terrein"),
        on_delete=models.CASCADE,
        related_name="ambitions",
    )
    indicator = models.CharField(_("indicator"), max_length=64)
    target = models.FloatField(_("streefwaarde"), null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgesteld door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("vastgesteld op"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ambitie van terrein")
        verbose_name_plural = _("ambities van terreinen")
        ordering = ["-set_at", "-id"]
        indexes = [models.Index(fields=["park", "indicator", "-set_at"])]

    def __str__(self) -> str:
        return f"{self.park} – {self.indicator}: {self.target}"


class PartnerSubscription(models.Model):
    """A park contact's newsletter and webinar subscription, with the time of consent.

    The consent time is set when the person switches a subscription on and
    cleared when they switch it off; we keep nothing else about them.
    """

    contact = models.OneToOneField(
        "accounts.ParkContact",
        verbose_name=_("contactpersoon"),
        on_delete=models.CASCADE,
        related_name="subscription",
    )
    newsletter = models.BooleanField(_("nieuwsbrief"), default=False)
    newsletter_consent_at = models.DateTimeField(
        _("toestemming nieuwsbrief"), null=True, blank=True
    )
    webinar = models.BooleanField(_("webinar"), default=False)
    webinar_consent_at = models.DateTimeField(_("toestemming webinar"), null=True, blank=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("abonnement van contactpersoon")
        verbose_name_plural = _("abonnementen van contactpersonen")

    def __str__(self) -> str:
        return f"{self.contact}: nieuwsbrief={self.newsletter}, webinar={self.webinar}"


class ReportJob(models.Model):
    """The PDF report of one scan in one language, made in the background.

    Rendering takes tens of seconds, longer than a web request may take, so
    the web request only queues a job (one per scan and language, enforced by
    the database so simultaneous clicks make one job) and the queue worker
    renders it. The finished file is the cache: later requests for the same
    scan and language get it at once. ``stamp`` records what else the file was
    made from (the park's own ambitions and details); a request that finds a
    different stamp queues the job again. A new scan is a new key, so its
    report is always made afresh; the worker deletes reports of older scans.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RUNNING = "running", _("Wordt gemaakt")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    scan = models.ForeignKey(
        "scans.ParkScan",
        verbose_name=_("nulmeting"),
        on_delete=models.CASCADE,
        related_name="report_jobs",
    )
    language = models.CharField(_("taal"), max_length=8)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    stamp = models.CharField(_("gemaakt uit"), max_length=128, blank=True)
    file_path = models.CharField(_("bestand"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    error = models.TextField(_("foutmelding"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now, editable=False)
    queued_at = models.DateTimeField(_("in de wachtrij gezet"), default=timezone.now)
    started_at = models.DateTimeField(_("begonnen"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapportopdracht")
        verbose_name_plural = _("rapportopdrachten")
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scan", "language"], name="unique_report_job_per_scan_language"
            ),
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.scan} ({self.language}): {self.status}"
