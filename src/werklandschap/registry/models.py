"""The park registry: administrative areas, organisations, parks and their history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from werklandschap.lib.fields import GeometryField

from .choices import (
    OrganisationDegree,
    OrganisationKind,
    ParkType,
    ProcessPhase,
    SwarmRole,
)


class SpatialMixin(models.Model):
    """A geometry in RD New plus its bounding box, which the database can filter on."""

    geometry = GeometryField(_("geometrie (RD New)"), null=True, blank=True)
    minx = models.FloatField(null=True, blank=True, editable=False)
    miny = models.FloatField(null=True, blank=True, editable=False)
    maxx = models.FloatField(null=True, blank=True, editable=False)
    maxy = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["minx", "maxx", "miny", "maxy"])]

    def save(self, *args, **kwargs):
        self.update_bbox()
        super().save(*args, **kwargs)

    def update_bbox(self) -> None:
        if self.geometry is None or self.geometry.is_empty:
            self.minx = self.miny = self.maxx = self.maxy = None
        else:
            self.minx, self.miny, self.maxx, self.maxy = self.geometry.bounds


class BboxQuerySet(models.QuerySet):
    def intersecting_bbox(self, bounds: tuple[float, float, float, float]) -> BboxQuerySet:
        """Rows whose bounding box overlaps ``bounds`` (a cheap prefilter)."""
        minx, miny, maxx, maxy = bounds
        return self.filter(minx__lte=maxx, maxx__gte=minx, miny__lte=maxy, maxy__gte=miny)


class Organisation(models.Model):
    """An organisation: coalition partner, regional director, province, municipality, ...

    The platform stores organisations, not people: people are user accounts
    created at deployment and linked to their organisation.
    """

    name = models.CharField(_("naam"), max_length=200, unique=True)
    slug = models.SlugField(_("korte naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=32, choices=OrganisationKind.choices)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Province(SpatialMixin):
    code = models.CharField(_("CBS-code"), max_length=8, unique=True, help_text="PV20 ... PV31")
    name = models.CharField(_("naam"), max_length=100, unique=True)
    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="province",
    )

    objects = BboxQuerySet.as_manager()

    class Meta(SpatialMixin.Meta):
        verbose_name = _("provincie")
        verbose_name_plural = _("provincies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """One of the 30 RES regions, each served by one regional-director organisation."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("korte naam"), max_length=100, unique=True)
    director = models.ForeignKey(
        Organisation,
        verbose_name=_("regisseur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directed_regions",
        limit_choices_to={"kind": OrganisationKind.REGIONAL_DIRECTOR},
    )
    note = models.CharField(_("opmerking"), max_length=300, blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(SpatialMixin):
    code = models.CharField(_("CBS-code"), max_length=8, unique=True, help_text="GM0014")
    name = models.CharField(_("naam"), max_length=100)
    province = models.ForeignKey(
        Province,
        verbose_name=_("provincie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("regio"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="municipalities",
    )

    objects = BboxQuerySet.as_manager()

    class Meta(SpatialMixin.Meta):
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ParkQuerySet(BboxQuerySet):
    def in_swarm(self) -> ParkQuerySet:
        from .choices import SWARM_MEMBER_ROLES

        return self.filter(swarm_role__in=SWARM_MEMBER_ROLES)


class Park(SpatialMixin):
    """A business park (bedrijventerrein)."""

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("korte naam"), max_length=220, unique=True)
    gross_area_ha = models.DecimalField(
        _("bruto oppervlakte (ha)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Berekend uit de geometrie."),
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parks",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("provincie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parks",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("regio"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parks",
    )
    areas_from_geometry = models.BooleanField(
        _("gebieden afgeleid uit geometrie"),
        default=False,
        editable=False,
        help_text=_("Waar: gemeente, provincie en regio volgen uit de ingeladen grenzen."),
    )
    park_type = models.CharField(
        _("type terrein"), max_length=32, choices=ParkType.choices, default=ParkType.REGULAR
    )
    swarm_role = models.CharField(
        _("rol in de zwerm"), max_length=32, choices=SwarmRole.choices, default=SwarmRole.NONE
    )
    phase = models.PositiveSmallIntegerField(
        _("procesfase"), choices=ProcessPhase.choices, null=True, blank=True
    )
    organisation_degree = models.CharField(
        _("organisatiegraad"),
        max_length=32,
        choices=OrganisationDegree.choices,
        default=OrganisationDegree.UNKNOWN,
    )
    park_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("parkorganisatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parks",
    )
    description = models.TextField(_("omschrijving"), blank=True)
    source = models.CharField(_("bron van de geometrie"), max_length=300, blank=True)
    is_demo = models.BooleanField(
        _("synthetische demodata"),
        default=False,
        help_text=_("Gegenereerd voor de demo; geen echt bedrijventerrein."),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    objects = ParkQuerySet.as_manager()

    class Meta(SpatialMixin.Meta):
        verbose_name = _("bedrijventerrein")
        verbose_name_plural = _("bedrijventerreinen")
        ordering = ["name"]
        indexes = [
            *SpatialMixin.Meta.indexes,
            models.Index(fields=["swarm_role"]),
        ]
        permissions = [
            ("change_park_role", _("Mag de rol in de zwerm wijzigen")),
            ("change_park_phase", _("Mag de procesfase wijzigen")),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.geometry is not None and not self.geometry.is_empty:
            self.gross_area_ha = round(self.geometry.area / 10_000, 2)
        else:
            self.gross_area_ha = None
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:park-detail", kwargs={"slug": self.slug})


class ParkIdentifier(models.Model):
    """An identifier of a park in an external register (IBIS RIN number, OSM id, ...)."""

    class Scheme(models.TextChoices):
        IBIS = "ibis", _("IBIS (RIN-nummer)")
        OSM = "osm", _("OpenStreetMap")
        SOURCE = "source", _("Bronbestand")

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(_("register"), max_length=16, choices=Scheme.choices)
    value = models.CharField(_("kenmerk"), max_length=100)

    class Meta:
        verbose_name = _("extern kenmerk")
        verbose_name_plural = _("externe kenmerken")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="unique_park_identifier"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()}: {self.value}"


class ParkHistory(models.Model):
    """One recorded change of a park's role, phase or organisation degree: who and when."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="history")
    field = models.CharField(_("veld"), max_length=40)
    old_value = models.CharField(_("oude waarde"), max_length=100, blank=True)
    new_value = models.CharField(_("nieuwe waarde"), max_length=100, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gewijzigd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("tijdstip"), auto_now_add=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingsgeschiedenis")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.park}: {self.field} {self.old_value} → {self.new_value}"
