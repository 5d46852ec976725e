"""The plan editor of the cost-benefit tool: quantities, horizon, discount rate.

Numbers are typed as text and read in the page's language, as the ambitions
are (``portal.forms.parse_number``: "1.250,5" on the Dutch page). A plan is
valid only if every number is sane *and* the plan fits the park: no more roof,
paving or area than its scan measured (``costbenefit.capacity``). An invalid
plan is neither computed nor saved.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werklandschap.costbenefit.capacity import overruns
from werklandschap.costbenefit.model import MAX_HORIZON, MAX_QUANTITY, MAX_RATE, MIN_RATE, Plan
from werklandschap.costbenefit.suggest import Situation
from werklandschap.costbenefit.types import PARTIES, Catalogue
from werklandschap.portal.forms import parse_number

from . import browse

FIELD_PREFIX = "q-"
# A changed split over the parties, in percent: cost of a measure, or a benefit category.
COST_PREFIX = "ca-"
BENEFIT_PREFIX = "ba-"
SUM_TOLERANCE_PCT = 0.01
RESOURCE_LABELS = {
    "roof": gettext_lazy("dakoppervlak"),
    "paved": gettext_lazy("verhard oppervlak buiten de daken"),
    "area": gettext_lazy("oppervlakte van het hele terrein"),
}


def field_name(measure_key: str) -> str:
    return FIELD_PREFIX + measure_key


def allocation_field(prefix: str, key: str, party: str) -> str:
    return f"{prefix}{key}-{party}"


def show(value: float | None, digits: int = 0) -> str:
    """A number as the page's language writes it in an input ("1.250" in Dutch)."""
    if value is None:
        return ""
    rounded = round(value, digits) if digits else round(value)
    return number_format(rounded, decimal_pos=digits or None, force_grouping=True)


class _Number(forms.CharField):
    """A number typed in the page's language, within ``[low, high]``."""

    def __init__(self, *, low: float, high: float, **kwargs):
        self.low, self.high = low, high
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            number = parse_number(text)
        except ValueError:
            raise forms.ValidationError(
                _("‘%(value)s’ is geen getal."), code="not_a_number", params={"value": text}
            ) from None
        if number < self.low:
            raise forms.ValidationError(
                _("Vul %(low)s of meer in."), code="too_small", params={"low": show(self.low)}
            )
        if number > self.high:
            raise forms.ValidationError(
                _("Vul hoogstens %(high)s in."), code="too_large", params={"high": show(self.high)}
            )
        return number


class PlanForm(forms.Form):
    """One quantity per catalogue measure, the horizon and the discount rate.

    ``situation`` (the park's scan, or the example park) bounds the plan; without
    it only the model's own limits apply.
    """

    horizon = _Number(low=1, high=MAX_HORIZON, label=gettext_lazy("Looptijd (jaren)"), max_length=4)
    rate = _Number(
        low=MIN_RATE * 100,
        high=MAX_RATE * 100,
        label=gettext_lazy("Discontovoet (%)"),
        max_length=8,
    )

    def __init__(self, *args, catalogue: Catalogue, situation: Situation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        self.situation = situation
        for key, measure in catalogue.measures.items():
            self.fields[field_name(key)] = _Number(
                low=0, high=MAX_QUANTITY, label=browse.name(measure)
            )
        # The split over the parties, editable per plan; empty keeps the catalogue's
        # default, which the field shows as its placeholder.
        for prefix, rows in self._allocation_rows():
            for key, (label, default) in rows.items():
                for party in PARTIES:
                    field = _Number(
                        low=0,
                        high=100,
                        label=f"{label}: {browse.PARTY_LABELS[party]}",
                        max_length=8,
                    )
                    field.widget.attrs["placeholder"] = show(default.get(party, 0.0) * 100)
                    field.widget.attrs["aria-label"] = str(field.label)
                    self.fields[allocation_field(prefix, key, party)] = field

    def _allocation_rows(self):
        """(prefix, {key: (label, default shares)}) for measure costs and benefit categories."""
        catalogue = self.catalogue
        costs = {key: (browse.name(m), m.cost_allocation) for key, m in catalogue.measures.items()}
        benefits = {
            key: (c.name_en if browse.english() else c.name_nl, c.allocation)
            for key, c in catalogue.benefit_categories.items()
        }
        return ((COST_PREFIX, costs), (BENEFIT_PREFIX, benefits))

    def allocation(self, prefix: str) -> dict[str, dict[str, float]]:
        """The changed splits (valid form only): key -> party -> share (0..1)."""
        rows = dict(self._allocation_rows())[prefix]
        changed: dict[str, dict[str, float]] = {}
        for key in rows:
            values = {
                party: self.cleaned_data.get(allocation_field(prefix, key, party))
                for party in PARTIES
            }
            if any(v is not None for v in values.values()):
                changed[key] = {party: v / 100 for party, v in values.items() if v}
        return changed

    @classmethod
    def initial_for(
        cls,
        catalogue: Catalogue,
        quantities: dict[str, float],
        horizon_years: int | None = None,
        discount_rate_pct: Decimal | float | None = None,
        cost_allocation: dict[str, dict[str, float]] | None = None,
        benefit_allocation: dict[str, dict[str, float]] | None = None,
    ) -> dict[str, str]:
        """The form's initial text for a plan (rounded as a person would type it)."""
        initial = {
            field_name(key): show(quantities[key], 0 if quantities[key] >= 10 else 1)
            for key in catalogue.measures
            if quantities.get(key)
        }
        rate = catalogue.discount_rate.expected * 100
        initial["horizon"] = show(horizon_years or catalogue.horizon_years)
        initial["rate"] = show(
            float(discount_rate_pct) if discount_rate_pct is not None else rate, 2
        )
        for prefix, changed in (
            (COST_PREFIX, cost_allocation or {}),
            (BENEFIT_PREFIX, benefit_allocation or {}),
        ):
            for key, shares in changed.items():
                for party in PARTIES:
                    initial[allocation_field(prefix, key, party)] = show(
                        shares.get(party, 0.0) * 100, 2
                    )
        return initial

    def clean_horizon(self) -> float | None:
        value = self.cleaned_data.get("horizon")
        if value is not None and value != int(value):
            raise forms.ValidationError(_("Vul een heel aantal jaren in."), code="not_whole")
        return value

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        for prefix, rows in self._allocation_rows():
            for key, (label, _default) in rows.items():
                values = [cleaned.get(allocation_field(prefix, key, p)) for p in PARTIES]
                if all(v is None for v in values):
                    continue
                total = sum(v or 0.0 for v in values)
                if abs(total - 100) > SUM_TOLERANCE_PCT:
                    self.add_error(
                        None,
                        forms.ValidationError(
                            _(
                                "De verdeling van ‘%(what)s’ over de partijen telt op tot "
                                "%(total)s%%, niet 100%%."
                            ),
                            code="allocation_sum",
                            params={
                                "what": label,
                                "total": show(total, 0 if total == round(total) else 2),
                            },
                        ),
                    )
        if self.errors or self.situation is None:
            return cleaned
        for overrun in overruns(self.catalogue, self.situation, self.quantities()):
            names = ", ".join(browse.name(self.catalogue.measures[k]) for k in overrun.measures)
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "Dit plan vraagt %(used)s m² %(resource)s (%(measures)s), maar het "
                        "terrein heeft er volgens de nulmeting %(available)s m². "
                        "Verklein de hoeveelheden."
                    ),
                    code=f"over_{overrun.resource}",
                    params={
                        "used": show(overrun.used_m2),
                        "resource": RESOURCE_LABELS[overrun.resource],
                        "measures": names,
                        "available": show(overrun.available_m2),
                    },
                ),
            )
        return cleaned

    def quantities(self) -> dict[str, float]:
        """The measures with a quantity above zero (valid form only)."""
        return {
            key: value
            for key in self.catalogue.measures
            if (value := self.cleaned_data.get(field_name(key)))
        }

    def horizon_years(self) -> int | None:
        value = self.cleaned_data.get("horizon")
        return None if value is None else int(value)

    def discount_rate_pct(self) -> Decimal | None:
        value = self.cleaned_data.get("rate")
        return None if value is None else Decimal(str(round(value, 2)))

    def plan(self) -> Plan:
        rate = self.discount_rate_pct()
        return Plan(
            quantities=self.quantities(),
            horizon_years=self.horizon_years(),
            discount_rate=None if rate is None else float(rate) / 100,
            cost_allocation=self.allocation(COST_PREFIX),
            benefit_allocation=self.allocation(BENEFIT_PREFIX),
        )


class ScenarioNameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Naam van het scenario"),
        max_length=80,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
