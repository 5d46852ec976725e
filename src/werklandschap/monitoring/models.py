"""Programme targets, against which progress is shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeTarget(models.Model):
    """A target of the programme (1,000 parks, 4 living labs, ...), edited by the team."""

    key = models.SlugField(_("sleutel"), max_length=60, unique=True)
    label = models.CharField(_("omschrijving"), max_length=200)
    value = models.DecimalField(_("waarde"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("eenheid"), max_length=40, blank=True)
    target_year = models.PositiveSmallIntegerField(_("doeljaar"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=300)

    class Meta:
        verbose_name = _("programmadoel")
        verbose_name_plural = _("programmadoelen")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.label
