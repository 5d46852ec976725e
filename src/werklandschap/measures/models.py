"""Saved cost-benefit scenarios: a park's named plans (issue 18).

A scenario stores what the user chose (quantities, horizon, discount rate, any
changed split over the parties), never the results: figures are recomputed
from the catalogue on every view, so a corrected key figure reaches every
saved plan. ``catalogue_version`` records which catalogue the plan was made
with, to say so when it has changed since.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scenario(models.Model):
    park = models.ForeignKey(
        "registry.Park",
        verbose_name=_("terrein"),
        on_delete=models.CASCADE,
        related_name="cost_scenarios",
    )
    name = models.CharField(_("naam"), max_length=80)
    quantities = models.JSONField(_("hoeveelheden per maatregel"), default=dict)
    horizon_years = models.PositiveSmallIntegerField(_("looptijd (jaar)"), null=True, blank=True)
    discount_rate_pct = models.DecimalField(
        _("discontovoet (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    cost_allocation = models.JSONField(_("eigen verdeling van de kosten"), default=dict)
    benefit_allocation = models.JSONField(_("eigen verdeling van de baten"), default=dict)
    catalogue_version = models.CharField(_("versie van de maatregelenlijst"), max_length=40)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgeslagen door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenario's")
        ordering = ["park", "name"]
        constraints = [
            models.UniqueConstraint(fields=["park", "name"], name="scenario_name_unique_per_park")
        ]

    def __str__(self) -> str:
        return f"{self.park} – {self.name}"
