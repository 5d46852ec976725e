"""The public sign-up form and the programme team's decision forms.

The form only validates and translates input into a ``services.SignUp``;
who may sign up (``services.capacity_refusal``) and what an outline must be
(``outlines``) are decided elsewhere, each in one place.
"""

from __future__ import annotations

import uuid

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from werklandschap.lib.text import clean_name
from werklandschap.registry.models import Park

from . import outlines
from .models import CONSENT_TEXT, ApplicantCapacity, OutlineSource
from .services import SignUp, capacity_refusal


class ParkMode:
    EXISTING = "existing"
    NEW = "new"


def _required(message):
    return {"required": message}


class SignUpForm(forms.Form):
    """Sign a business park up as partner park (seed 001, section 2.2)."""

    nonce = forms.UUIDField(widget=forms.HiddenInput)

    park_mode = forms.ChoiceField(
        label=_("Staat het terrein al op de kaart?"),
        choices=[
            (ParkMode.EXISTING, _("Ja, ik kies het op de kaart of zoek het op naam")),
            (ParkMode.NEW, _("Nee, ik teken de begrenzing of upload een bestand")),
        ],
        initial=ParkMode.EXISTING,
        widget=forms.RadioSelect,
        error_messages=_required(_("Kies of het terrein al op de kaart staat.")),
    )
    park = forms.ModelChoiceField(
        queryset=Park.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Dit terrein bestaat niet (meer); kies opnieuw.")},
    )
    park_query = forms.CharField(
        label=_("Zoek het terrein op naam of gemeente"),
        required=False,
        max_length=200,
        help_text=_(
            "Typ minstens twee letters en kies het terrein uit de lijst, "
            "of klik het aan op de kaart."
        ),
    )
    proposed_name = forms.CharField(
        label=_("Naam van het terrein"),
        required=False,
        max_length=200,
    )
    outline_drawn = forms.CharField(required=False, widget=forms.HiddenInput)
    outline_file = forms.FileField(
        label=_("Of upload de begrenzing als bestand"),
        required=False,
        help_text=_(
            "GeoJSON, GeoPackage of een ingepakte Shapefile (.zip), met één vlak: het terrein. "
            "Elk coördinatenstelsel; een bestand gaat voor een tekening."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(outlines.UPLOAD_SUFFIXES)}),
    )

    organisation_name = forms.CharField(
        label=_("Organisatie"),
        max_length=200,
        help_text=_(
            "Bijvoorbeeld de parkmanagementorganisatie, de ondernemersvereniging of de gemeente."
        ),
        error_messages=_required(_("Vul de naam van uw organisatie in.")),
    )
    capacity = forms.ChoiceField(
        label=_("U meldt het terrein aan als"),
        choices=ApplicantCapacity.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Kies in welke hoedanigheid u het terrein aanmeldt.")),
    )
    contact_name = forms.CharField(
        label=_("Uw naam"),
        required=False,
        max_length=150,
        help_text=_("Alleen om u in e-mails aan te spreken."),
    )
    contact_email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_(
            "Hierheen sturen we de bevestigingslink en het besluit. Na goedkeuring wordt dit uw "
            "inlognaam als contactpersoon van het terrein."
        ),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@organisatie.nl."),
        },
    )

    commits_to_green_goal = forms.BooleanField(
        label=_(
            "We zetten ons in om in beweging te zijn naar een groen, gezond en "
            "klimaatbestendig bedrijventerrein."
        ),
        error_messages=_required(
            _("Een partnerterrein onderschrijft dit doel; vink het aan om door te gaan.")
        ),
    )
    commits_to_bring_knowledge = forms.BooleanField(
        label=_("We brengen de kennis die we opdoen in bij het programma."),
        error_messages=_required(
            _("Een partnerterrein brengt opgedane kennis in; vink het aan om door te gaan.")
        ),
    )
    commits_to_share_knowledge = forms.BooleanField(
        label=_(
            "We zetten ons in voor kennisdeling met andere bedrijventerreinen in de "
            "regionale Community of Practice."
        ),
        error_messages=_required(
            _("Een partnerterrein deelt kennis in de regio; vink het aan om door te gaan.")
        ),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages=_required(
            _("Zonder deze toestemming kunnen we uw aanmelding niet behandelen.")
        ),
    )

    # Names for the error summary where the label is no name: a question, a whole
    # commitment or consent sentence, or a hidden input the map fills in. The summary
    # says which field each error is on ("Vink het aan" alone said nothing).
    SUMMARY_NAMES = {
        "park_mode": _("Terrein op de kaart"),
        "park": _("Terrein"),
        "park_query": _("Terrein"),
        "outline_drawn": _("Begrenzing van het terrein"),
        "outline_file": _("Begrenzing van het terrein"),
        "commits_to_green_goal": _("Inzet voor een groen terrein"),
        "commits_to_bring_knowledge": _("Kennis inbrengen"),
        "commits_to_share_knowledge": _("Kennis delen in de regio"),
        "consent": _("Toestemming"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("nonce", uuid.uuid4())
        for name, summary_name in self.SUMMARY_NAMES.items():
            self.fields[name].summary_name = summary_name
        self.outline: outlines.Outline | None = None
        self.outline_source = OutlineSource.NONE
        self._describe()

    def _describe(self) -> None:
        """Tie help texts and errors to their inputs for screen readers (WCAG 1.3.1, 3.3.1)."""
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput | forms.RadioSelect):
                continue  # radios: described on their fieldset; hidden: not read
            ids = [f"id_{name}-help"] if field.help_text else []
            if name in (self._errors or {}):
                ids.append(f"id_{name}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()

    def clean_capacity(self) -> str:
        capacity = self.cleaned_data["capacity"]
        refusal = capacity_refusal(capacity)
        if refusal:
            raise forms.ValidationError(refusal, code="single_company")
        return capacity

    def clean_contact_email(self) -> str:
        return self.cleaned_data["contact_email"].strip()

    # Names without invisible bidi-override and zero-width characters (lib/text.py).
    def clean_organisation_name(self) -> str:
        name = clean_name(self.cleaned_data["organisation_name"])
        if not name:
            raise forms.ValidationError(
                self.fields["organisation_name"].error_messages["required"], code="required"
            )
        return name

    def clean_contact_name(self) -> str:
        return clean_name(self.cleaned_data["contact_name"])

    def clean_proposed_name(self) -> str:
        return clean_name(self.cleaned_data["proposed_name"])

    def clean(self):
        data = super().clean()
        mode = data.get("park_mode")
        if mode == ParkMode.EXISTING:
            self._clean_existing(data)
        elif mode == ParkMode.NEW:
            self._clean_new(data)
        return data

    def _clean_existing(self, data: dict) -> None:
        if data.get("park") is not None or "park" in self.errors:
            return
        # Without JavaScript the search box is a plain text field: accept it
        # when the text names exactly one park.
        query = (data.get("park_query") or "").strip()
        if query:
            matches = list(
                Park.objects.filter(Q(name__iexact=query) | Q(slug=query)).order_by("pk")[:2]
            )
            if len(matches) == 1:
                data["park"] = matches[0]
                return
        self.add_error(
            "park_query",
            _(
                "Kies het terrein: zoek het op naam en kies het uit de lijst, "
                "of klik het aan op de kaart."
            ),
        )

    def _clean_new(self, data: dict) -> None:
        data["park"] = None
        if not (data.get("proposed_name") or "").strip():
            self.add_error("proposed_name", _("Vul de naam van het terrein in."))
        upload = data.get("outline_file")
        drawn = (data.get("outline_drawn") or "").strip()
        try:
            if upload:
                self.outline = outlines.from_upload(upload)
                self.outline_source = OutlineSource.UPLOADED
            elif drawn:
                self.outline = outlines.from_drawn_geojson(drawn)
                self.outline_source = OutlineSource.DRAWN
            else:
                self.add_error(
                    "outline_file",
                    _("Teken de begrenzing van het terrein op de kaart of upload een bestand."),
                )
        except outlines.OutlineError as exc:
            self.add_error("outline_file" if upload else "outline_drawn", str(exc))

    def to_signup(self) -> SignUp:
        data = self.cleaned_data
        return SignUp(
            organisation_name=data["organisation_name"].strip(),
            capacity=data["capacity"],
            contact_email=data["contact_email"],
            contact_name=data["contact_name"].strip(),
            park=data.get("park"),
            proposed_name=(data.get("proposed_name") or "").strip(),
            outline=self.outline.geometry if self.outline else None,
            outline_source=self.outline_source,
            outline_note=self.outline.note if self.outline else "",
            commitments=(
                data["commits_to_green_goal"],
                data["commits_to_bring_knowledge"],
                data["commits_to_share_knowledge"],
            ),
            consent=data["consent"],
        )

    # Groups of fields for the template, in the order of the page.
    @property
    def fieldsets(self) -> dict[str, list[forms.BoundField]]:
        def pick(*names: str) -> list[forms.BoundField]:
            return [self[n] for n in names]

        return {
            "who": pick("organisation_name", "capacity", "contact_name", "contact_email"),
            "commitments": pick(
                "commits_to_green_goal", "commits_to_bring_knowledge", "commits_to_share_knowledge"
            ),
        }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van afwijzing"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("De aanvrager krijgt deze reden per e-mail te lezen."),
        error_messages=_required(_("Geef een reden; de aanvrager krijgt die te lezen.")),
    )


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Komt in de geschiedenis en in de e-mail aan de aanvrager."),
    )
