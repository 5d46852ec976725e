"""The toolbox's step plan: pages the programme team edits, with every save kept.

A ``Step`` holds the current text of one public page; each save through
``services.save_step`` also writes a ``StepRevision`` with the whole content,
so the team can see who changed what and put an earlier version back
(restoring is itself a new revision: nothing is ever lost). Templates
(``TemplateFile``) are files the team uploads per step; they are checked
like support-desk attachments and served only as downloads.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The content of a step that a revision keeps (and a restore puts back).
CONTENT_FIELDS = (
    "title_nl",
    "title_en",
    "summary_nl",
    "summary_en",
    "body_nl",
    "body_en",
    "measures",
    "expertise_slug",
    "chain",
    "order",
    "published",
)


class _ToolboxStorage(FileSystemStorage):
    """Templates live outside MEDIA_ROOT (TOOLBOX_FILES_ROOT): only the download view sends them.

    The folder is read from the settings at each use, not once at start-up, so a
    changed setting (a test's temporary folder) is where files go.
    """

    @property
    def base_location(self) -> str:
        return str(settings.TOOLBOX_FILES_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def _files_storage() -> FileSystemStorage:
    return _ToolboxStorage()


class Step(models.Model):
    key = models.SlugField(_("korte naam (in de URL)"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    published = models.BooleanField(_("gepubliceerd"), default=True)
    title_nl = models.CharField(_("titel (Nederlands)"), max_length=120)
    title_en = models.CharField(_("titel (Engels)"), max_length=120, blank=True)
    summary_nl = models.CharField(_("samenvatting (Nederlands)"), max_length=300)
    summary_en = models.CharField(_("samenvatting (Engels)"), max_length=300, blank=True)
    body_nl = models.TextField(
        _("handreiking (Nederlands)"),
        help_text=_("Markdown: ## kopje, **vet**, *schuin*, - lijstje, [link](https://…)."),
    )
    body_en = models.TextField(_("handreiking (Engels)"), blank=True)
    # Keys of the cost-benefit catalogue (data/measures/measures.yaml), checked on save.
    measures = models.JSONField(_("maatregelen"), default=list, blank=True)
    # The toolbox step of the expertise matrix (support.Expertise, kind toolbox_step)
    # whose coalition partners can help with this step.
    expertise_slug = models.SlugField(_("stap in de expertisematrix"), max_length=120, blank=True)
    # Phases of the process chain (0 Ambitiefase ... 7 Beheerfase, seed TABLES.md).
    chain = models.JSONField(_("fasen van de procesketen"), default=list, blank=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bijgewerkt door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("stap van de toolbox")
        verbose_name_plural = _("stappen van de toolbox")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title_nl}"

    def get_absolute_url(self) -> str:
        return reverse("toolbox:step", kwargs={"slug": self.key})

    def _text(self, name: str) -> str:
        english = (get_language() or "nl").startswith("en")
        value = getattr(self, f"{name}_en") if english else ""
        return value if value and value.strip() else getattr(self, f"{name}_nl")

    @property
    def title(self) -> str:
        return self._text("title")

    @property
    def summary(self) -> str:
        return self._text("summary")

    @property
    def body(self) -> str:
        return self._text("body")

    def content(self) -> dict:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}


class StepRevision(models.Model):
    """One saved version of a step's content: who saved it, when and why."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("versie"))
    content = models.JSONField(_("inhoud"))
    saved_at = models.DateTimeField(_("opgeslagen"), default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgeslagen door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("toelichting"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("versie van een stap")
        verbose_name_plural = _("versies van stappen")
        ordering = ["step", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["step", "number"], name="toolbox_unique_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.step.key} v{self.number}"


class TemplateFile(models.Model):
    """A downloadable template of a step (a cooperation agreement, a maintenance plan)."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="templates")
    title_nl = models.CharField(_("titel (Nederlands)"), max_length=160)
    title_en = models.CharField(_("titel (Engels)"), max_length=160, blank=True)
    file = models.FileField(_("bestand"), storage=_files_storage, upload_to="templates/")
    # From the checks (support.attachments), never from the browser.
    name = models.CharField(_("bestandsnaam"), max_length=200, editable=False)
    content_type = models.CharField(_("type"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("grootte (bytes)"), default=0, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    uploaded_at = models.DateTimeField(_("geüpload"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("sjabloon")
        verbose_name_plural = _("sjablonen")
        ordering = ["step", "order", "id"]

    def __str__(self) -> str:
        return self.title_nl

    def get_absolute_url(self) -> str:
        return reverse("toolbox:template", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        english = (get_language() or "nl").startswith("en")
        return self.title_en if english and self.title_en else self.title_nl

    @property
    def extension(self) -> str:
        return self.name.rsplit(".", 1)[-1].upper() if "." in self.name else ""
