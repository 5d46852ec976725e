"""Forms of the voucher scheme. They check input; the rules live in ``services``."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from werklandschap.portal.forms import number_text

from .models import Deliverable, ProcessSupporter, VoucherApplication
from .money import to_cents, to_euros
from .services import ApplicationInput, supporters_for


class EuroField(forms.DecimalField):
    """An amount in euros typed the way the page's language writes it ("18.000,50").

    Django's localized DecimalField refuses the thousands dot unless the whole
    site groups digits; amounts are read with the portal's number parser and
    kept as an exact Decimal (never a float).
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return Decimal(number_text(str(value)))
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class SupporterChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProcessSupporter) -> str:
        return f"{obj.organisation.name} – {obj.expertise[:80]}"


class ApplicationForm(forms.Form):
    """A park contact's application (or its revision after it was returned)."""

    # One application per form shown: a repeated post returns the first.
    nonce = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    supporter = SupporterChoice(
        label=_("Procesbegeleider"),
        queryset=ProcessSupporter.objects.none(),
        empty_label=_("Kies een procesbegeleider"),
        help_text=_("Een gekwalificeerde (groene) professional die in uw provincie werkt."),
    )
    plan_of_approach = forms.CharField(
        label=_("Plan van aanpak"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Hoe komt u samen met de ondernemers tot een groenvisie en een financieringsplan?"
        ),
    )
    planning = forms.CharField(
        label=_("Planning"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("De stappen en wanneer ze klaar zijn."),
    )
    budget = EuroField(
        label=_("Begroting (EUR)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("10000000"),
        max_digits=10,
        decimal_places=2,
        localize=True,
        help_text=_("De kosten van de procesbegeleiding in euro's, bijvoorbeeld 18.000,00."),
    )

    def __init__(self, *args, province_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supporter"].queryset = supporters_for(province_id)

    @classmethod
    def initial_for(cls, application: VoucherApplication) -> dict:
        return {
            "supporter": application.supporter_id,
            "plan_of_approach": application.plan_of_approach,
            "planning": application.planning,
            "budget": to_euros(application.budget_cents),
        }

    def application_input(self) -> ApplicationInput:
        data = self.cleaned_data
        return ApplicationInput(
            supporter=data["supporter"],
            plan_of_approach=data["plan_of_approach"],
            planning=data["planning"],
            budget_cents=to_cents(data["budget"]),
        )


class StepForm(forms.Form):
    """One move of the workflow, with the reason the table may require."""

    target = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nodig bij afwijzen en terugsturen; de aanvrager leest haar."),
    )


class DeliverableForm(forms.Form):
    """One PDF: the green vision or the financing plan (checked in ``services``)."""

    kind = forms.ChoiceField(label=_("Wat is het"), choices=Deliverable.Kind.choices)
    file = forms.FileField(
        label=_("Bestand (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


class PayoutForm(forms.Form):
    amount = EuroField(
        label=_("Bedrag (EUR)"),
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        localize=True,
    )
    paid_on = forms.DateField(label=_("Betaald op"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Omschrijving"), max_length=300, required=False)
