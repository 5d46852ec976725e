"""Reference data for demand-driven support: expertise areas, toolbox steps, partners.

The routing of questions (a later wave) picks coalition partners by these
matrices; the programme team edits them in the admin.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Expertise(models.Model):
    class Kind(models.TextChoices):
        AREA = "area", _("Expertisegebied")
        TOOLBOX_STEP = "toolbox_step", _("Stap in de toolbox")

    name = models.CharField(_("naam"), max_length=120)
    slug = models.SlugField(_("korte naam"), max_length=120)
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    partners = models.ManyToManyField(
        "registry.Organisation", through="PartnerExpertise", related_name="expertise"
    )
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("expertise")
        verbose_name_plural = _("expertises")
        ordering = ["kind", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="unique_expertise_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerExpertise(models.Model):
    expertise = models.ForeignKey(Expertise, on_delete=models.CASCADE)
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("expertise van partner")
        verbose_name_plural = _("expertise van partners")
        constraints = [
            models.UniqueConstraint(
                fields=["expertise", "organisation"], name="unique_partner_expertise"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.expertise}"


class PoolMember(models.Model):
    """A coalition partner in the flexible pool for demand-driven support (seed 001, 2.2)."""

    organisation = models.OneToOneField(
        "registry.Organisation", on_delete=models.CASCADE, related_name="pool_membership"
    )
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lid flexibele pool")
        verbose_name_plural = _("flexibele pool")

    def __str__(self) -> str:
        return str(self.organisation)
