"""Green Deals with provinces and the voucher scheme that runs inside them.

Money is kept in integer euro cents (``*_cents`` fields, ``BigIntegerField``)
and never as a float: what the provincial subsidy desks promise is that every
euro is accounted for to the cent. Amounts shown to people are formatted by
:func:`werklandschap.vouchers.money.euros`.

The states of an application and who may move it are data in
``vouchers/workflow.py``; the rules (eligibility, never over budget, partial
payouts) are plain functions in ``vouchers/services.py`` and
``vouchers/eligibility.py``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werklandschap.lib.workflow import TransitionRecord

from .workflow import ACTIVE_STATUSES
from .workflow import Status as ApplicationStatus

# The seed (001, 5.1): "vouchers ter waarde van ten minste € 15.000".
MIN_VOUCHER_VALUE_CENTS = 15_000_00


def _private_storage():
    """Deliverables live outside MEDIA_ROOT: only views that check who asks send them."""
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.VOUCHER_FILES_ROOT)


class GreenDeal(models.Model):
    """The agreement between the programme and one province."""

    class Status(models.TextChoices):
        SIGNED = "signed", _("Ondertekend")
        IN_TALKS = "in_talks", _("In gesprek")
        NONE = "none", _("Geen Green Deal")

    class Package(models.TextChoices):
        A = "A", _("Pakket A")
        B = "B", _("Pakket B")
        C = "C", _("Pakket C")

    province = models.OneToOneField(
        "registry.Province",
        verbose_name=_("provincie"),
        on_delete=models.PROTECT,
        related_name="green_deal",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    signed_on = models.DateField(_("ondertekend op"), null=True, blank=True)
    package = models.CharField(_("pakket"), max_length=1, choices=Package.choices, blank=True)
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
    living_labs = models.ManyToManyField(
        "registry.Park",
        verbose_name=_("living labs"),
        blank=True,
        related_name="green_deals_as_living_lab",
    )
    ambassador_parks = models.ManyToManyField(
        "registry.Park",
        verbose_name=_("ambassadeursterreinen"),
        blank=True,
        related_name="green_deals_as_ambassador",
    )
    provincial_schemes = models.ManyToManyField(
        "ProvincialScheme",
        verbose_name=_("gekoppelde provinciale regelingen"),
        blank=True,
        related_name="green_deals",
    )
    voucher_budget_cents = models.BigIntegerField(
        _("voucherbudget (eurocent)"),
        default=0,
        help_text=_("Het geld voor vouchers in deze Green Deal, in eurocent."),
    )
    voucher_count = models.PositiveIntegerField(_("aantal vouchers"), default=0)
    source = models.TextField(_("bron"), blank=True)

    class Meta:
        verbose_name = _("Green Deal")
        verbose_name_plural = _("Green Deals")
        ordering = ["province__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(voucher_budget_cents__gte=0), name="green_deal_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Green Deal {self.province}"

    def clean(self) -> None:
        if self.status == self.Status.SIGNED and self.signed_on is None:
            raise ValidationError({"signed_on": _("Een ondertekende Green Deal heeft een datum.")})


class CoFinancing(models.Model):
    """What one party committed to a Green Deal and what it has realised so far."""

    class Party(models.TextChoices):
        PROGRAMME = "programme", _("Programma")
        PROVINCE = "province", _("Provincie")
        MUNICIPALITIES = "municipalities", _("Gemeenten")
        PARKS = "parks", _("Bedrijventerreinen")
        WATER_BOARDS = "water_boards", _("Waterschappen")

    green_deal = models.ForeignKey(GreenDeal, on_delete=models.CASCADE, related_name="co_financing")
    party = models.CharField(_("partij"), max_length=20, choices=Party.choices)
    committed_cents = models.BigIntegerField(_("toegezegd (eurocent)"), default=0)
    realised_cents = models.BigIntegerField(_("gerealiseerd (eurocent)"), default=0)
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cofinanciering")
        verbose_name_plural = _("cofinanciering")
        ordering = ["green_deal", "party"]
        constraints = [
            models.UniqueConstraint(
                fields=["green_deal", "party"], name="unique_co_financing_party"
            ),
            models.CheckConstraint(
                condition=Q(committed_cents__gte=0) & Q(realised_cents__gte=0),
                name="co_financing_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.green_deal} – {self.get_party_display()}"


class ProvincialScheme(models.Model):
    """A province's own scheme a Green Deal and its voucher rounds align with
    (Grote Oogst in Noord-Brabant, the Energie Expertise Teams, ...)."""

    province = models.ForeignKey(
        "registry.Province",
        verbose_name=_("provincie"),
        on_delete=models.PROTECT,
        related_name="voucher_schemes",
    )
    name = models.CharField(_("naam"), max_length=200)
    url = models.URLField(_("website"), blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("provinciale regeling")
        verbose_name_plural = _("provinciale regelingen")
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="unique_scheme_per_province")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.province})"


class VoucherRound(models.Model):
    """One round of vouchers in a province: budget and number are hard limits.

    ``budget_cents`` need not be a multiple of ``voucher_value_cents``: the
    round is exhausted when either the money or the number runs out
    (``services.round_commitments``).
    """

    green_deal = models.ForeignKey(
        GreenDeal,
        verbose_name=_("Green Deal"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    name = models.CharField(_("naam"), max_length=200)
    opens_on = models.DateField(_("open vanaf"))
    closes_on = models.DateField(_("sluit na"))
    budget_cents = models.BigIntegerField(_("budget (eurocent)"))
    voucher_count = models.PositiveIntegerField(_("aantal vouchers"))
    voucher_value_cents = models.BigIntegerField(
        _("waarde per voucher (eurocent)"),
        help_text=_("Ten minste EUR 15.000 (1.500.000 eurocent)."),
    )
    deliverables_weeks = models.PositiveIntegerField(
        _("weken voor groenvisie en financieringsplan"),
        default=26,
        help_text=_("Na toekenning; daarna vervalt de voucher."),
    )
    conditions = models.TextField(_("voorwaarden"), blank=True)
    scheme = models.ForeignKey(
        ProvincialScheme,
        verbose_name=_("sluit aan bij provinciale regeling"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rounds",
    )
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("voucherronde")
        verbose_name_plural = _("voucherrondes")
        ordering = ["green_deal__province__name", "-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(voucher_value_cents__gte=MIN_VOUCHER_VALUE_CENTS),
                name="voucher_value_at_least_15000",
            ),
            models.CheckConstraint(condition=Q(budget_cents__gte=0), name="round_budget_positive"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_opening"
            ),
            models.UniqueConstraint(fields=["green_deal", "name"], name="unique_round_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.province})"

    @property
    def province(self):
        return self.green_deal.province

    def clean(self) -> None:
        errors = {}
        if self.voucher_value_cents is not None and (
            self.voucher_value_cents < MIN_VOUCHER_VALUE_CENTS
        ):
            errors["voucher_value_cents"] = _("Een voucher is ten minste EUR 15.000 waard.")
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("Een ronde sluit niet voordat zij opent.")
        if self.budget_cents is not None and self.budget_cents < 0:
            errors["budget_cents"] = _("Het budget kan niet negatief zijn.")
        if errors:
            raise ValidationError(errors)

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class ProcessSupporter(models.Model):
    """A qualified (green) professional a park may hire with its voucher.

    The register is kept by the programme team in the admin. People act for a
    supporter through their account's organisation.
    """

    organisation = models.OneToOneField(
        "registry.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="process_supporter",
    )
    expertise = models.TextField(_("expertise"))
    provinces = models.ManyToManyField(
        "registry.Province",
        verbose_name=_("werkt in provincies"),
        related_name="process_supporters",
    )
    qualification = models.CharField(
        _("kwalificatie"),
        max_length=300,
        blank=True,
        help_text=_("Waarop de kwalificatie berust (keurmerk, referenties)."),
    )
    active = models.BooleanField(_("actief"), default=True)
    added_on = models.DateField(_("opgenomen op"), default=timezone.localdate)

    class Meta:
        verbose_name = _("procesbegeleider")
        verbose_name_plural = _("procesbegeleiders")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return str(self.organisation)


class VoucherApplication(models.Model):
    """A park's application for a voucher, from submission to payout."""

    reference = models.CharField(_("kenmerk"), max_length=20, unique=True)
    park = models.ForeignKey(
        "registry.Park",
        verbose_name=_("bedrijventerrein"),
        on_delete=models.PROTECT,
        related_name="voucher_applications",
    )
    round = models.ForeignKey(
        VoucherRound,
        verbose_name=_("ronde"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    supporter = models.ForeignKey(
        ProcessSupporter,
        verbose_name=_("procesbegeleider"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        "accounts.User",
        verbose_name=_("aanvrager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voucher_applications",
    )
    plan_of_approach = models.TextField(_("plan van aanpak"), max_length=6000)
    planning = models.TextField(_("planning"), max_length=3000)
    budget_cents = models.BigIntegerField(_("begroting (eurocent)"))
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    awarded_cents = models.BigIntegerField(_("toegekend (eurocent)"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("ingediend op"), default=timezone.now)
    awarded_at = models.DateTimeField(_("toegekend op"), null=True, blank=True)
    deliverables_due = models.DateField(
        _("groenvisie en financieringsplan uiterlijk"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("voucheraanvraag")
        verbose_name_plural = _("voucheraanvragen")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # One active voucher per park, also when two contacts apply at once.
            models.UniqueConstraint(
                fields=["park"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_voucher_per_park",
            ),
            models.CheckConstraint(condition=Q(budget_cents__gt=0), name="voucher_budget_positive"),
            models.CheckConstraint(
                condition=Q(awarded_cents__isnull=True) | Q(awarded_cents__gt=0),
                name="voucher_award_positive",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.park}"


class VoucherEvent(TransitionRecord):
    """One step in an application's history (the audit trail)."""

    application = models.ForeignKey(
        VoucherApplication, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(TransitionRecord.Meta):
        verbose_name = _("stap van een voucheraanvraag")
        verbose_name_plural = _("stappen van voucheraanvragen")


class Deliverable(models.Model):
    """The green vision or the financing plan, as a PDF (type sniffed, size capped)."""

    class Kind(models.TextChoices):
        GREEN_VISION = "green_vision", _("Groenvisie")
        FINANCING_PLAN = "financing_plan", _("Financieringsplan")

    application = models.ForeignKey(
        VoucherApplication, on_delete=models.CASCADE, related_name="deliverables"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    file = models.FileField(storage=_private_storage, upload_to="deliverables/")
    name = models.CharField(_("bestandsnaam"), max_length=160)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("geüpload op"), default=timezone.now)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("producten")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], name="one_deliverable_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.get_kind_display()}"


class Payout(models.Model):
    """A (partial) payment of an awarded voucher; together never above the award."""

    application = models.ForeignKey(
        VoucherApplication, on_delete=models.PROTECT, related_name="payouts"
    )
    amount_cents = models.BigIntegerField(_("bedrag (eurocent)"))
    paid_on = models.DateField(_("betaald op"), default=timezone.localdate)
    note = models.CharField(_("omschrijving"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payout_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.amount_cents} ct"
