"""Stored baseline scans: one ScanRun per batch, one ParkScan per park and run.

Results are kept per run, never overwritten, so a park's indicators can be
shown over time and every figure points back to the data bundle (layers,
versions, dates) and engine version that produced it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScanRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Bezig")
        COMPLETED = "completed", _("Voltooid")
        INTERRUPTED = "interrupted", _("Onderbroken")
        FAILED = "failed", _("Mislukt")

    started_at = models.DateTimeField(_("gestart"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RUNNING
    )
    bundle_name = models.CharField(_("databundel"), max_length=200)
    bundle = models.JSONField(_("databundel (lagen, versies, datums)"), default=dict)
    is_synthetic = models.BooleanField(_("synthetische gegevens"), default=False)
    engine_version = models.CharField(_("versie rekenkern"), max_length=40)
    # The digest of the parameter files when the run started (ParameterSet); each
    # ParkScan keeps the digest its own result line carries.
    parameters_digest = models.CharField(
        _("parameterset (sha256)"), max_length=64, blank=True, db_index=True
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    results_path = models.CharField(_("resultatenbestand"), max_length=500, blank=True)
    parks_total = models.PositiveIntegerField(_("terreinen"), default=0)
    parks_ok = models.PositiveIntegerField(_("gelukt"), default=0)
    parks_failed = models.PositiveIntegerField(_("mislukt"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("melding"), blank=True)

    class Meta:
        verbose_name = _("nulmetingsronde")
        verbose_name_plural = _("nulmetingsrondes")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.bundle_name} ({self.started_at:%Y-%m-%d %H:%M})"


class ParameterSet(models.Model):
    """The values of the scan's parameter files, stored once per distinct digest.

    A result records only the digest (``scanengine.parameters_digest``); the values
    (``scanengine.parameters_snapshot``) live here once, not in every park's row,
    so a theme breakdown shown later uses the thresholds the score was computed
    with, even after scores.yaml changed.
    """

    digest = models.CharField(_("sha256"), max_length=64, primary_key=True)
    values = models.JSONField(_("waarden per parameterbestand"))
    recorded_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("parameterset")
        verbose_name_plural = _("parametersets")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.digest[:12]} ({self.recorded_at:%Y-%m-%d})"


class ParkScan(models.Model):
    class Status(models.TextChoices):
        OK = "ok", _("Berekend")
        FAILED = "failed", _("Mislukt")

    class Completeness(models.TextChoices):
        """Whether the data covered enough of the park (the engine's ``completeness``)."""

        COMPLETE = "complete", _("Volledig")
        INCOMPLETE = "incomplete", _("Onvolledig")

    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="park_scans")
    park = models.ForeignKey("registry.Park", on_delete=models.CASCADE, related_name="scans")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    error = models.TextField(_("foutmelding"), blank=True)
    area_ha = models.FloatField(_("oppervlakte (ha)"), null=True, blank=True)
    indicators = models.JSONField(_("indicatoren"), default=dict)
    scores = models.JSONField(_("themascores"), default=dict)
    # Empty for failed scans and for scans stored before engine results carried it.
    completeness = models.CharField(
        _("volledigheid"), max_length=12, choices=Completeness.choices, blank=True
    )
    completeness_reason = models.TextField(_("reden onvolledig"), blank=True)
    # Per theme: score, indicators used / total, minimum, reason (scanengine.scores).
    score_basis = models.JSONField(_("basis van de themascores"), default=dict, blank=True)
    # The parameter values this result was computed with (ParameterSet.digest);
    # empty for scans stored before results carried it.
    parameters_digest = models.CharField(
        _("parameterset (sha256)"), max_length=64, blank=True, db_index=True
    )
    computed_at = models.DateTimeField(_("berekend"), auto_now_add=True)

    class Meta:
        verbose_name = _("nulmeting van terrein")
        verbose_name_plural = _("nulmetingen van terreinen")
        ordering = ["-computed_at"]
        constraints = [
            models.UniqueConstraint(fields=["run", "park"], name="unique_park_scan_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.park} – {self.run}"


class ScanRequest(models.Model):
    """A park waiting for its baseline scan (e.g. just approved as partner park).

    Processed by ``werklandschap scan --pending`` or the worker started by
    ``werklandschap serve``; a request is done once a ParkScan exists for it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("In de wachtrij")
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    park = models.ForeignKey(
        "registry.Park", on_delete=models.CASCADE, related_name="scan_requests"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("aangevraagd"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("aanleiding"), max_length=200, blank=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    park_scan = models.ForeignKey(
        ParkScan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("melding"), blank=True)
    # The claim (a lease): which worker holds the request, since when, and when
    # it last said it is alive. A worker that dies mid-scan stops renewing
    # heartbeat_at; once that is older than SCAN_LEASE_SECONDS another worker
    # takes the request over (see queue.py), at most SCAN_MAX_ATTEMPTS times.
    claimed_by = models.CharField(_("geclaimd door"), max_length=100, blank=True)
    claimed_at = models.DateTimeField(_("geclaimd"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("laatste teken van leven"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)

    class Meta:
        verbose_name = _("aanvraag nulmeting")
        verbose_name_plural = _("aanvragen nulmeting")
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"{self.park} ({self.get_status_display()})"
