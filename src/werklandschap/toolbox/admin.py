"""The programme team edits the toolbox pages here, without a developer.

A step's texts (Dutch and English Markdown), its measures (checked against
the cost-benefit catalogue), its step in the expertise matrix (which
coalition partners can help) and its templates. Every save is a revision;
the revisions are listed under the step, each with a button to put it back
(which shows that version first and is itself saved as a new revision).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werklandschap.lib.markdown import render_markdown
from werklandschap.support import attachments

from . import services
from .models import Step, StepRevision, TemplateFile


class StepForm(forms.ModelForm):
    measures = forms.MultipleChoiceField(
        label=gettext_lazy("Maatregelen uit de catalogus"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    chain = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Fasen van de procesketen"),
        required=False,
        coerce=int,
        # format_lazy: an f-string would fix the labels in Dutch when the module is imported.
        choices=[(k, format_lazy("{} {}", k, v)) for k, v in services.CHAIN.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    expertise_slug = forms.ChoiceField(
        label=gettext_lazy("Stap in de expertisematrix (wie kan helpen)"), required=False
    )
    note = forms.CharField(
        label=gettext_lazy("Wat is er veranderd? (voor de versiegeschiedenis)"),
        required=False,
        max_length=200,
    )

    class Meta:
        model = Step
        fields = [
            "key",
            "order",
            "published",
            "title_nl",
            "summary_nl",
            "body_nl",
            "title_en",
            "summary_en",
            "body_en",
            "measures",
            "chain",
            "expertise_slug",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = list(services.measure_names().items())
        self.fields["expertise_slug"].choices = [("", "—"), *services.expertise_choices()]


class TemplateFileForm(forms.ModelForm):
    class Meta:
        model = TemplateFile
        fields = ["title_nl", "title_en", "file", "order"]
        # No "current file" link: the files are outside MEDIA_ROOT and not served there
        # (the public download is toolbox:template).
        widgets = {"file": forms.FileInput}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None or not hasattr(upload, "content_type"):
            return upload  # unchanged (an existing file)
        checked = attachments.check_attachment(upload, limits=services.upload_rules())
        self.checked = checked
        upload.name = checked.name
        return upload

    def save(self, commit=True):
        item = super().save(commit=False)
        checked = getattr(self, "checked", None)
        if checked is not None:
            item.name = checked.name
            item.content_type = checked.content_type
            item.size = checked.size
            item.sha256 = checked.sha256
        if commit:
            item.save()
        return item


class TemplateFileInline(admin.TabularInline):
    model = TemplateFile
    form = TemplateFileForm
    extra = 0
    fields = ["title_nl", "title_en", "file", "order", "content_type", "size"]
    readonly_fields = ["content_type", "size"]


class StepRevisionInline(admin.TabularInline):
    model = StepRevision
    fields = ["number", "saved_at", "saved_by", "shown_note", "restore_link"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("Versies (elke keer opslaan is een versie)")

    @admin.display(description=gettext_lazy("toelichting"))
    def shown_note(self, obj: StepRevision) -> str:
        """The note as written; the loader's own note (stored in Dutch) translated."""
        return _(obj.note) if obj.note else ""

    @admin.display(description=gettext_lazy("terugzetten"))
    def restore_link(self, obj: StepRevision) -> str:
        if obj.pk is None:
            return ""
        url = reverse("admin:toolbox_step_restore", args=[obj.step_id, obj.number])
        return format_html('<a href="{}">{}</a>', url, _("Bekijken en terugzetten"))


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    form = StepForm
    list_display = ["order", "title_nl", "published", "updated_at", "updated_by"]
    list_display_links = ["title_nl"]
    inlines = [TemplateFileInline, StepRevisionInline]
    fieldsets = [
        (None, {"fields": ["key", "order", "published"]}),
        (gettext_lazy("Nederlands"), {"fields": ["title_nl", "summary_nl", "body_nl"]}),
        (gettext_lazy("Engels"), {"fields": ["title_en", "summary_en", "body_en"]}),
        (
            gettext_lazy("Verwijzingen"),
            {"fields": ["measures", "chain", "expertise_slug"]},
        ),
        (gettext_lazy("Versie"), {"fields": ["note"]}),
    ]

    def get_inlines(self, request, obj):
        # A new step has no history yet.
        return [TemplateFileInline, StepRevisionInline] if obj else [TemplateFileInline]

    def get_readonly_fields(self, request, obj=None):
        return ["key"] if obj else []

    def save_model(self, request, obj, form, change):
        try:
            services.save_step(obj, user=request.user, note=form.cleaned_data.get("note", ""))
        except ValidationError as exc:  # the form checks the same; a race is refused here
            messages.error(request, "; ".join(exc.messages))
            raise

    def get_urls(self):
        custom = [
            path(
                "<int:pk>/versie/<int:number>/",
                self.admin_site.admin_view(self.restore_view),
                name="toolbox_step_restore",
            )
        ]
        return custom + super().get_urls()

    def restore_view(self, request, pk: int, number: int):
        step = get_object_or_404(Step, pk=pk)
        if not self.has_change_permission(request, step):
            raise PermissionDenied
        revision = get_object_or_404(StepRevision, step=step, number=number)
        if request.method == "POST":
            new = services.restore(step, revision, user=request.user)
            self.message_user(
                request,
                _("Versie %(old)s is teruggezet (opgeslagen als versie %(new)s).")
                % {"old": revision.number, "new": new.number},
                messages.SUCCESS,
            )
            return redirect("admin:toolbox_step_change", step.pk)
        content = revision.content
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Versie %(number)s van '%(step)s'") % {"number": number, "step": step},
            "step": step,
            "revision": revision,
            "content": content,
            "body_nl": render_markdown(content.get("body_nl", "")),
            "body_en": render_markdown(content.get("body_en", "")),
        }
        return TemplateResponse(request, "toolbox/admin_restore.html", context)
