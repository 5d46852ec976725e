"""The entry form and the moderation form. They check input; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Organisation, Park

from .vocabulary import load_vocabulary
from .workflow import Status


def _measure_choices() -> list[tuple[str, str]]:
    from werklandschap.costbenefit.catalog import load_catalogue
    from werklandschap.measures.browse import name

    return sorted(((k, name(m)) for k, m in load_catalogue().measures.items()), key=lambda c: c[1])


class ParkChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Park) -> str:
        return f"{obj.name} ({obj.get_swarm_role_display()})"


class EntryForm(forms.Form):
    """Everything an entry says; the same form for submitting and for editing."""

    title = forms.CharField(label=_("Titel"), max_length=160)
    summary = forms.CharField(
        label=_("Samenvatting"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Twee of drie zinnen: wat is het en wat levert het op? Hoogstens 600 tekens."),
    )
    body = forms.CharField(
        label=_("Beschrijving"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Markdown: # voor een kopje, - voor een lijst, **vet**, [tekst](https://...) voor een "
            "link. HTML wordt als tekst getoond."
        ),
    )
    lessons = forms.CharField(
        label=_("Geleerde lessen"),
        max_length=6_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wat zou u een ander terrein aanraden, en wat niet? Ook Markdown."),
    )
    kind = forms.ChoiceField(label=_("Soort innovatie"))
    themes = forms.MultipleChoiceField(label=_("Thema's"), widget=forms.CheckboxSelectMultiple)
    directions = forms.MultipleChoiceField(
        label=_("Oplossingsrichtingen"), widget=forms.CheckboxSelectMultiple
    )
    scale = forms.ChoiceField(label=_("Schaal"), widget=forms.RadioSelect)
    origin = forms.ChoiceField(label=_("Herkomst"), widget=forms.RadioSelect)
    park = ParkChoice(
        label=_("Bedrijventerrein"),
        queryset=Park.objects.none(),
        required=False,
        empty_label=_("Geen (of niet in de lijst)"),
        help_text=_("Het living lab, ambassadeurs- of partnerterrein waar dit gebeurde."),
    )
    measures = forms.MultipleChoiceField(
        label=_("Maatregelen uit de catalogus"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Welke maatregelen past deze innovatie toe?"),
    )
    cost_indication = forms.CharField(
        label=_("Indicatie van de kosten"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: € 25.000 voor 1.000 m², of: ongeveer 40 uur begeleiding."),
    )
    evidence = forms.ChoiceField(label=_("Hoe ver is het?"), widget=forms.RadioSelect)
    contact_organisation = forms.ModelChoiceField(
        label=_("Contactorganisatie"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("Kies een organisatie"),
        help_text=_("Wie kan meer vertellen? Wij noemen organisaties, geen personen."),
    )
    started_on = forms.DateField(
        label=_("Gestart op"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    finished_on = forms.DateField(
        label=_("Afgerond op"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    upload = forms.FileField(
        label=_("Document of afbeelding"),
        required=False,
        help_text=_(
            "PDF, PNG, JPEG, Word, Excel, PowerPoint of OpenDocument; één bestand per keer."
        ),
    )
    upload_description = forms.CharField(
        label=_("Omschrijving van het bestand"),
        max_length=200,
        required=False,
        help_text=_("Voor een afbeelding: wat staat erop? Dat lezen mensen die haar niet zien."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vocabulary = load_vocabulary()
        self.fields["kind"].choices = vocabulary.choices("types")
        self.fields["themes"].choices = vocabulary.choices("themes")
        self.fields["directions"].choices = vocabulary.choices("directions")
        self.fields["scale"].choices = vocabulary.choices("scales")
        self.fields["origin"].choices = vocabulary.choices("origins")
        self.fields["evidence"].choices = vocabulary.choices("evidence")
        self.fields["measures"].choices = _measure_choices()
        self.fields["park"].queryset = Park.objects.exclude(swarm_role=SwarmRole.NONE).order_by(
            "name"
        )
        from werklandschap.support.attachments import accept_attribute

        from .services import file_limits

        self.fields["upload"].widget.attrs["accept"] = accept_attribute(file_limits())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        started, finished = data.get("started_on"), data.get("finished_on")
        if started and finished and finished < started:
            self.add_error("finished_on", _("De einddatum ligt voor de begindatum."))
        if (
            data.get("upload")
            and not data.get("upload_description")
            and self._is_image(data["upload"])
        ):
            self.add_error("upload_description", _("Beschrijf wat er op de afbeelding staat."))
        return data

    @staticmethod
    def _is_image(upload: Any) -> bool:
        return str(getattr(upload, "name", "")).lower().endswith((".png", ".jpg", ".jpeg"))

    def content(self) -> dict[str, Any]:
        """The cleaned content fields, as ``services.save_entry`` takes them."""
        data = self.cleaned_data
        keys = (
            "title", "summary", "body", "lessons", "kind", "themes", "directions", "scale",
            "origin", "park", "measures", "cost_indication", "evidence", "contact_organisation",
            "started_on", "finished_on",
        )  # fmt: skip
        return {k: data[k] for k in keys}

    @classmethod
    def initial_for(cls, entry) -> dict[str, Any]:
        initial = {
            name: getattr(entry, name)
            for name in (
                "title", "summary", "body", "lessons", "kind", "themes", "directions", "scale",
                "origin", "measures", "cost_indication", "evidence", "started_on", "finished_on",
            )
        }  # fmt: skip
        initial["park"] = entry.park_id
        initial["contact_organisation"] = entry.contact_organisation_id
        return initial


class StepForm(forms.Form):
    """One moderation step: where to and (when the table asks) why."""

    target = forms.ChoiceField(choices=Status.choices)
    reason = forms.CharField(
        label=_("Reden"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
