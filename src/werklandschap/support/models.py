"""Demand-driven support: the reference matrices and the support desk's cases.

Expertise areas, toolbox steps and the flexible pool route questions to
coalition partners (the programme team edits them in the admin); questions,
their history, assignments to partners, proposals and attachments are the
desk itself.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werklandschap.lib.workflow import TransitionRecord

from .workflow import Status


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


# --------------------------------------------------------------------------- the desk
#
# Demand-driven support (seed 001, 4.2): a region, park or company asks a
# question; the regional director sharpens it and puts it out to at most three
# coalition partners; within two weeks the asker has 1-3 proposals of one A4;
# the asker chooses one. The states and moves are in ``workflow.py``; every
# change goes through ``services`` (and so through ``lib.workflow.transition``).


class AskerType(models.TextChoices):
    """Who asks (seed 001, 4.1: the askers the desk serves)."""

    REGION = "region", _("Regio")
    ENTREPRENEUR = "entrepreneur", _("Ondernemer")
    EMPLOYEE = "employee", _("Werknemer")
    PROPERTY_OWNER = "property_owner", _("Vastgoedeigenaar")
    BUSINESS_PARK = "business_park", _("Bedrijventerrein (parkorganisatie)")
    MUNICIPALITY = "municipality", _("Gemeente")
    PROVINCE = "province", _("Provincie")
    WATER_BOARD = "water_board", _("Waterschap")


class Level(models.TextChoices):
    """The level a question is about."""

    REGION = "region", _("Regio")
    PARK = "park", _("Bedrijventerrein")
    COMPANY = "company", _("Bedrijf")


def _private_storage():
    """Attachments and proposal PDFs live outside MEDIA_ROOT: never served directly."""
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.SUPPORT_FILES_ROOT)


class Question(models.Model):
    """One question to the desk, from its intake to its completion."""

    reference = models.CharField(_("kenmerk"), max_length=16, unique=True)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.NEW, db_index=True
    )
    asker_type = models.CharField(_("wie vraagt"), max_length=24, choices=AskerType.choices)
    level = models.CharField(_("niveau"), max_length=16, choices=Level.choices)
    park = models.ForeignKey(
        "registry.Park",
        verbose_name=_("bedrijventerrein"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("regio"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    # The regional-director organisation the question was routed to at intake
    # (the region's director then); kept so a later change of director does
    # not silently move open questions.
    director = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("regisseur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="routed_questions",
    )
    theme = models.ForeignKey(
        Expertise,
        verbose_name=_("onderwerp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": Expertise.Kind.AREA},
    )
    toolbox_step = models.ForeignKey(
        Expertise,
        verbose_name=_("stap in de toolbox"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": Expertise.Kind.TOOLBOX_STEP},
    )
    title = models.CharField(_("onderwerp van de vraag"), max_length=160)
    body = models.TextField(_("vraag"), max_length=5000)
    # The asker: name, organisation and e-mail only (data minimisation). A
    # logged-in asker is linked to the account as well.
    asker_name = models.CharField(_("naam"), max_length=120)
    asker_organisation = models.CharField(_("organisatie"), max_length=160, blank=True)
    asker_email = models.EmailField(_("e-mailadres"), blank=True)
    asker_user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("account van de vrager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    received_via = models.CharField(_("ontvangen via"), max_length=120, blank=True)
    idempotency_key = models.UUIDField(_("formulierkenmerk"), unique=True, default=uuid.uuid4)
    created_at = models.DateTimeField(_("ingediend op"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("e-mailadres bevestigd op"), null=True, blank=True)
    sharpened_at = models.DateTimeField(_("scherpgesteld op"), null=True, blank=True)
    due_date = models.DateField(_("reactie uiterlijk op"), null=True, blank=True, db_index=True)
    first_proposal_at = models.DateTimeField(_("eerste voorstel op"), null=True, blank=True)
    # Set while the desk waits for the asker (recorded in the history and shown;
    # the due date stays as it was: the promise is the desk's, not the asker's).
    waiting_on_asker_since = models.DateTimeField(
        _("wacht op de vrager sinds"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    scope_rule = models.CharField(_("buiten de werkwijze"), max_length=40, blank=True)
    agreed_cost = models.DecimalField(
        _("afgesproken kosten (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    agreed_own_contribution = models.DecimalField(
        _("afgesproken eigen bijdrage (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_date"], name="question_status_due")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class QuestionEvent(TransitionRecord):
    """One step of a question: the audit trail (who, when, from, to, why)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("van"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=24, choices=Status.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("stap van een vraag")
        verbose_name_plural = _("geschiedenis van vragen")


class Assignment(models.Model):
    """A question put out to one coalition partner (at most three per question)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="assignments")
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("coalitiepartner"),
        on_delete=models.PROTECT,
        related_name="support_assignments",
    )
    assigned_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("uitgezet op"), default=timezone.now)
    rank = models.PositiveSmallIntegerField(_("plaats in de suggestie"), null=True, blank=True)
    override_reason = models.TextField(_("reden om van de suggestie af te wijken"), blank=True)

    class Meta:
        verbose_name = _("uitgezette vraag")
        verbose_name_plural = _("uitgezette vragen")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "organisation"], name="unique_assignment_per_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.reference} → {self.organisation}"


class Proposal(models.Model):
    """A partner's proposal of at most one A4 (measured on the rendered PDF)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Ingediend")
        CHOSEN = "chosen", _("Gekozen")
        NOT_CHOSEN = "not_chosen", _("Niet gekozen")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="proposals")
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("coalitiepartner"),
        on_delete=models.PROTECT,
        related_name="support_proposals",
    )
    approach = models.TextField(_("aanpak"), max_length=4000)
    deliverables = models.TextField(_("wat u krijgt"), max_length=2000)
    duration = models.CharField(_("doorlooptijd"), max_length=120)
    cost = models.DecimalField(_("kosten (EUR)"), max_digits=10, decimal_places=2)
    own_contribution = models.DecimalField(
        _("eigen bijdrage van de vrager (EUR)"), max_digits=10, decimal_places=2
    )
    pdf = models.FileField(_("voorstel (PDF)"), storage=_private_storage, upload_to="proposals/")
    state = models.CharField(
        _("stand"), max_length=16, choices=State.choices, default=State.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("ingediend op"), default=timezone.now)

    class Meta:
        verbose_name = _("voorstel")
        verbose_name_plural = _("voorstellen")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "organisation"], name="unique_proposal_per_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.reference}: {self.organisation}"


class Attachment(models.Model):
    """A file the asker sent with the question; type sniffed and size capped on upload."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=_private_storage, upload_to="attachments/")
    name = models.CharField(_("bestandsnaam"), max_length=160)
    content_type = models.CharField(_("soort"), max_length=120)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
