"""Green Deals with provinces (vouchers follow in a later wave)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GreenDeal(models.Model):
    class Status(models.TextChoices):
        SIGNED = "signed", _("Ondertekend")
        IN_PREPARATION = "in_preparation", _("In voorbereiding")

    province = models.OneToOneField(
        "registry.Province",
        verbose_name=_("provincie"),
        on_delete=models.PROTECT,
        related_name="green_deal",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    co_financing_programme_min_eur = models.PositiveIntegerField(
        _("cofinanciering programma, minimum (EUR)"), null=True, blank=True
    )
    co_financing_programme_max_eur = models.PositiveIntegerField(
        _("cofinanciering programma, maximum (EUR)"), null=True, blank=True
    )
    co_financing_province_min_eur = models.PositiveIntegerField(
        _("gevraagde bijdrage provincie, minimum (EUR)"), null=True, blank=True
    )
    co_financing_province_max_eur = models.PositiveIntegerField(
        _("gevraagde bijdrage provincie, maximum (EUR)"), null=True, blank=True
    )
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Green Deal")
        verbose_name_plural = _("Green Deals")
        ordering = ["province__name"]

    def __str__(self) -> str:
        return f"Green Deal {self.province}"
