"""Entries of the Innovation database, their saved versions, moderation history and files.

The classifications (type, themes, solution directions, scale, origin, evidence)
are keys of ``data/knowledge/vocabulary.yaml``; the measures are keys of the
measures catalogue. Both are checked in :meth:`Entry.clean` and by
``services.save_entry``, the one way content is written (it also keeps a
revision and the search index in step).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werklandschap.lib.workflow import TransitionRecord

from .vocabulary import load_vocabulary
from .workflow import Status

# The fields a revision keeps and the diff view compares, in the page's order.
CONTENT_FIELDS = (
    "title",
    "summary",
    "body",
    "lessons",
    "kind",
    "themes",
    "directions",
    "scale",
    "origin",
    "park_id",
    "measures",
    "cost_indication",
    "evidence",
    "contact_organisation_id",
    "started_on",
    "finished_on",
)


def _private_storage():
    """Documents and images live outside MEDIA_ROOT: a view checks the entry is visible."""
    from django.core.files.storage import FileSystemStorage

    root = getattr(settings, "KNOWLEDGE_FILES_ROOT", "") or (settings.HOME_DIR / "knowledge-files")
    return FileSystemStorage(location=root)


class Entry(models.Model):
    """One innovation from practice: what was done, where, with what result and lessons."""

    title = models.CharField(_("titel"), max_length=160)
    summary = models.TextField(_("samenvatting"), max_length=600)
    body = models.TextField(_("beschrijving"), help_text=_("Markdown: kopjes, lijsten, links."))
    lessons = models.TextField(_("geleerde lessen"), blank=True)
    kind = models.CharField(_("soort"), max_length=40)
    themes = models.JSONField(_("thema's"), default=list)
    directions = models.JSONField(_("oplossingsrichtingen"), default=list)
    scale = models.CharField(_("schaal"), max_length=20)
    origin = models.CharField(_("herkomst"), max_length=20)
    park = models.ForeignKey(
        "registry.Park",
        verbose_name=_("bedrijventerrein"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="innovations",
    )
    measures = models.JSONField(_("maatregelen uit de catalogus"), default=list, blank=True)
    cost_indication = models.CharField(_("indicatie van de kosten"), max_length=200, blank=True)
    evidence = models.CharField(_("bewijs"), max_length=20)
    contact_organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("contactorganisatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="innovations",
    )
    started_on = models.DateField(_("gestart op"), null=True, blank=True)
    finished_on = models.DateField(_("afgerond op"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="innovations",
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    updated_at = models.DateTimeField(_("bijgewerkt"), default=timezone.now)
    published_at = models.DateTimeField(_("gepubliceerd"), null=True, blank=True)
    synthetic = models.BooleanField(
        _("voorbeeld"), default=False, help_text=_("Synthetische demogegevens.")
    )

    # The title as lemmas (analysis.lemmatise): the 'exact title' ranking tier.
    search_title = models.TextField(editable=False, default="")
    # PostgreSQL only (GIN-indexed, 'dutch' config); stays NULL on SQLite, whose
    # index is the FTS5 table knowledge_entry_fts (migration 0002).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("innovatie")
        verbose_name_plural = _("innovaties")
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def clean(self) -> None:
        problems = classification_problems(
            {f: getattr(self, f) for f in ("kind", "themes", "directions", "scale", "origin")}
            | {"evidence": self.evidence, "measures": self.measures}
        )
        if self.started_on and self.finished_on and self.finished_on < self.started_on:
            problems["finished_on"] = _("De einddatum ligt voor de begindatum.")
        if problems:
            raise ValidationError(problems)

    def snapshot(self) -> dict[str, Any]:
        """The content fields as JSON-ready values: what a revision stores."""
        data: dict[str, Any] = {}
        for name in CONTENT_FIELDS:
            value = getattr(self, name)
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return data


def classification_problems(values: dict[str, Any]) -> dict[str, str]:
    """Field -> message for every classification that is not in the vocabulary or catalogue."""
    from werklandschap.costbenefit.catalog import load_catalogue

    vocabulary = load_vocabulary()
    problems: dict[str, str] = {}
    single = {"kind": "types", "scale": "scales", "origin": "origins", "evidence": "evidence"}
    for field, block in single.items():
        if field in values and values[field] not in vocabulary.keys(block):
            problems[field] = str(_("Kies een waarde uit de lijst."))
    for field, block in (("themes", "themes"), ("directions", "directions")):
        chosen = values.get(field)
        if field in values and (
            not isinstance(chosen, list)
            or not chosen
            or any(v not in vocabulary.keys(block) for v in chosen)
        ):
            problems[field] = str(_("Kies ten minste één waarde uit de lijst."))
    if "measures" in values:
        known = load_catalogue().measures
        chosen = values["measures"]
        if not isinstance(chosen, list) or any(m not in known for m in chosen):
            problems["measures"] = str(_("Kies maatregelen uit de catalogus."))
    return problems


class EntryRevision(models.Model):
    """One saved version of an entry's content (every save keeps one)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("versie"))
    content = models.JSONField(_("inhoud"))
    created_at = models.DateTimeField(_("opgeslagen"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("versie")
        verbose_name_plural = _("versies")
        ordering = ["entry", "number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="knowledge_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"


class EntryEvent(TransitionRecord):
    """One moderation move of an entry (lib.workflow's history row)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("van"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=24, choices=Status.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("moderatiestap")
        verbose_name_plural = _("moderatiestappen")


class EntryFile(models.Model):
    """A document or image of an entry, checked (type sniffed, size capped) before storing."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        IMAGE = "image", _("Afbeelding")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("bestand"), upload_to="entries/%Y/%m/", storage=_private_storage)
    name = models.CharField(_("bestandsnaam"), max_length=120)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveIntegerField(_("grootte"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(
        _("omschrijving"),
        max_length=200,
        blank=True,
        help_text=_("Voor afbeeldingen: wat staat erop?"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bestand")
        verbose_name_plural = _("bestanden")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:file", kwargs={"pk": self.pk})
