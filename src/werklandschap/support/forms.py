"""Forms of the support desk. They check input; the rules live in ``services``."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from werklandschap.registry.models import Organisation, Park, Region

from . import attachments
from .models import AskerType, Expertise, Level
from .scope import scope_rules
from .services import Intake, ProposalInput

ATTACHMENT_FIELDS = ("attachment_1", "attachment_2", "attachment_3")


class QuestionForm(forms.Form):
    """The public question form; prefilled for a logged-in park contact."""

    # One question per form shown: a repeated post (double click, reload) is
    # recognised by this key and returns the first question.
    nonce = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    asker_type = forms.ChoiceField(label=_("Ik vraag als"), choices=AskerType.choices)
    level = forms.ChoiceField(label=_("Mijn vraag gaat over"), choices=Level.choices)
    park = forms.ModelChoiceField(
        label=_("Bedrijventerrein"),
        queryset=Park.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
    )
    region = forms.ModelChoiceField(
        label=_("Regio"),
        queryset=Region.objects.order_by("name"),
        required=False,
        empty_label=_("Weet ik niet / niet van toepassing"),
        help_text=_("Zo komt uw vraag bij de regisseur van uw regio."),
    )
    theme = forms.ModelChoiceField(
        label=_("Onderwerp (als u het weet)"),
        queryset=Expertise.objects.filter(kind=Expertise.Kind.AREA),
        required=False,
        empty_label=_("Weet ik niet"),
    )
    toolbox_step = forms.ModelChoiceField(
        label=_("Stap in de toolbox (als u het weet)"),
        queryset=Expertise.objects.filter(kind=Expertise.Kind.TOOLBOX_STEP),
        required=False,
        empty_label=_("Weet ik niet"),
    )
    title = forms.CharField(label=_("Uw vraag in één zin"), max_length=160)
    body = forms.CharField(
        label=_("Toelichting"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Wat wilt u bereiken, wat hebt u al gedaan, wanneer zou u hulp willen?"),
    )
    asker_name = forms.CharField(label=_("Uw naam"), max_length=120)
    asker_organisation = forms.CharField(label=_("Uw organisatie"), max_length=160, required=False)
    asker_email = forms.EmailField(label=_("Uw e-mailadres"), max_length=254)
    attachment_1 = forms.FileField(label=_("Bijlage 1"), required=False)
    attachment_2 = forms.FileField(label=_("Bijlage 2"), required=False)
    attachment_3 = forms.FileField(label=_("Bijlage 3"), required=False)

    def __init__(self, *args, account_email: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked_files: list = []
        accept = attachments.accept_attribute()
        # One post is capped at REQUEST_MAX_BODY_BYTES (a 413 before reading), so
        # the help says the joint size too, not only the per-file cap.
        help_text = _("Hoogstens drie bestanden, samen hoogstens %(total)s MB: %(types)s.") % {
            "types": attachments.allowed_types_text(),
            "total": settings.REQUEST_MAX_BODY_BYTES // 1_048_576 - 1,
        }
        for name in ATTACHMENT_FIELDS:
            self.fields[name].widget.attrs["accept"] = accept
        self.fields["attachment_1"].help_text = help_text
        if account_email:
            # An account's address is known and confirmed: no second opt-in.
            self.fields["asker_email"].required = False
            self.fields["asker_email"].disabled = True
            self.fields["asker_email"].initial = account_email

    def clean(self):
        data = super().clean()
        uploads = [data.get(name) for name in ATTACHMENT_FIELDS if data.get(name)]
        if uploads:
            try:
                checked = attachments.check_attachments(uploads)
            except attachments.AttachmentError as exc:
                self.add_error(None, exc)
            else:
                self.checked_files = list(zip(checked, uploads, strict=True))
        return data

    def intake(self) -> Intake:
        data = self.cleaned_data
        return Intake(
            asker_type=data["asker_type"],
            level=data["level"],
            title=data["title"].strip(),
            body=data["body"].strip(),
            asker_name=data["asker_name"].strip(),
            asker_organisation=data.get("asker_organisation", "").strip(),
            asker_email=(data.get("asker_email") or "").strip(),
            park=data.get("park"),
            region=data.get("region"),
            theme=data.get("theme"),
            toolbox_step=data.get("toolbox_step"),
            files=self.checked_files,
        )


class IntakeForm(QuestionForm):
    """The team's and directors' intake of a question received live (at an event)."""

    received_via = forms.CharField(
        label=_("Ontvangen via"),
        max_length=120,
        help_text=_("Bijvoorbeeld: roadshow Zwolle, 12 maart."),
    )
    park = forms.ModelChoiceField(
        label=_("Bedrijventerrein"),
        queryset=Park.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Geen / onbekend"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asker_email"].required = False
        self.fields["asker_email"].help_text = _("Alleen als de vrager antwoord per e-mail wil.")


class PutOutForm(forms.Form):
    partners = forms.ModelMultipleChoiceField(
        label=_("Coalitiepartners (hoogstens drie)"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    override_reason = forms.CharField(
        label=_("Reden om af te wijken van de suggestie"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = list(suggestions)
        field = self.fields["partners"]
        field.queryset = Organisation.objects.filter(
            pk__in=[s.organisation.pk for s in self.suggestions]
        )
        reasons = {s.organisation.pk: ", ".join(str(r) for r in s.reasons) for s in suggestions}
        # In the suggestion's ranking (the queryset alone would sort by name and
        # scatter the ticked suggestions among 30-odd partners).
        field.choices = [
            (s.organisation.pk, f"{s.organisation.name} ({reasons[s.organisation.pk]})")
            for s in self.suggestions
        ]


class StepForm(forms.Form):
    """One move of the workflow, with the reason the table may require."""

    target = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scope_rule = forms.ChoiceField(label=_("Welke regel"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_rule"].choices = [("", "—")] + [(r.key, r.label) for r in scope_rules()]


class ProposalForm(forms.Form):
    approach = forms.CharField(
        label=_("Aanpak"), max_length=4000, widget=forms.Textarea(attrs={"rows": 8})
    )
    deliverables = forms.CharField(
        label=_("Wat de vrager krijgt"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    duration = forms.CharField(label=_("Doorlooptijd"), max_length=120)
    cost = forms.DecimalField(
        label=_("Kosten (EUR)"), min_value=Decimal(0), max_digits=10, decimal_places=2
    )
    own_contribution = forms.DecimalField(
        label=_("Eigen bijdrage van de vrager (EUR)"),
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
    )

    def clean(self):
        data = super().clean()
        cost, own = data.get("cost"), data.get("own_contribution")
        if cost is not None and own is not None and own > cost:
            self.add_error("own_contribution", _("De eigen bijdrage is hoger dan de kosten."))
        return data

    def proposal_input(self) -> ProposalInput:
        data = self.cleaned_data
        return ProposalInput(
            approach=data["approach"].strip(),
            deliverables=data["deliverables"].strip(),
            duration=data["duration"].strip(),
            cost=data["cost"],
            own_contribution=data["own_contribution"],
        )


class ChooseForm(forms.Form):
    proposal = forms.IntegerField(widget=forms.HiddenInput)
