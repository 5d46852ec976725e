"""Forms of the park portal: the park's ambitions and a contact's subscriptions.

Targets are typed as text and read in the page's language ("12,5" and
"1.000" on the Dutch page, "12.5" and "1,000" on the English one); the server
checks every value against the indicator's unit (a share lies between 0 and
100, storage between 0 and 500 mm), whatever the browser's number field allowed.
"""

from __future__ import annotations

import math
import re

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werklandschap.scanengine.catalog import INDICATORS

from . import presentation as fmt
from .ambitions import ambition_keys, target_limits


def number_text(raw: str, decimal_separator: str | None = None) -> str:
    """A number typed the way the page's language writes it, as plain '1250.5' text.

    Dutch pages write "1.250,5", English pages "1,250.5": the grouping and the
    decimal separator come from the active locale (``DECIMAL_SEPARATOR``), so
    "1,000" is a thousand on /en/ and "1.000" a thousand on the Dutch page.
    A single separator that cannot be grouping ("12,5" on /en/, "12.5" on the
    Dutch page) is read as a decimal point: unambiguous, and what people type.
    ValueError for anything else.
    """
    decimal = decimal_separator or str(get_format("DECIMAL_SEPARATOR"))
    group = "." if decimal == "," else ","
    text = raw.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    strict = re.compile(
        rf"^[+-]?(\d{{1,3}}({re.escape(group)}\d{{3}})+|\d+)?({re.escape(decimal)}\d+)?$"
    )
    lenient = re.compile(rf"^[+-]?\d*{re.escape(group)}\d+$")
    if text and text not in {"+", "-"} and strict.match(text):
        text = text.replace(group, "").replace(decimal, ".")
    elif lenient.match(text) and not re.search(rf"{re.escape(group)}\d{{3}}$", text):
        text = text.replace(group, ".")
    else:
        raise ValueError(raw)
    if text in {"", ".", "+.", "-."}:
        raise ValueError(raw)
    return text


def parse_number(raw: str, decimal_separator: str | None = None) -> float:
    """A number typed in the page's language (``number_text``) as a finite float."""
    value = float(number_text(raw, decimal_separator))
    if math.isnan(value) or math.isinf(value):
        raise ValueError(raw)
    return value


class AmbitionForm(forms.Form):
    """One optional field per ambition indicator; empty means 'the programme's default'."""

    def __init__(self, *args, initial_targets: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for key in ambition_keys():
            lo, hi = target_limits(key)
            self.fields[f"target_{key}"] = forms.CharField(
                label=fmt.label(key),
                required=False,
                max_length=20,
                initial=(initial_targets or {}).get(key, ""),
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "decimal",
                        "autocomplete": "off",
                        "data-min": lo,
                        "data-max": hi,
                        "size": 8,
                    }
                ),
            )

    def clean(self):
        cleaned = super().clean()
        targets: dict[str, float | None] = {}
        for key in ambition_keys():
            name = f"target_{key}"
            raw = (cleaned.get(name) or "").strip()
            if not raw:
                targets[key] = None
                continue
            unit = INDICATORS[key].unit
            try:
                value = parse_number(raw)
            except ValueError:
                self.add_error(name, _("Vul een getal in, bijvoorbeeld 30 of 12,5."))
                continue
            lo, hi = target_limits(key)
            if value < lo or value > hi:
                self.add_error(
                    name,
                    _("Kies een waarde tussen %(lo)s en %(hi)s %(unit)s.")
                    % {
                        "lo": fmt.number(lo, 0 if lo == int(lo) else 2),
                        "hi": fmt.number(hi, 0 if hi == int(hi) else 2),
                        "unit": fmt.unit_display(unit),
                    },
                )
                continue
            targets[key] = value
        cleaned["targets"] = targets
        return cleaned


class SubscriptionForm(forms.Form):
    newsletter = forms.BooleanField(
        label=gettext_lazy("Ja, stuur mij de Werklandschappen-nieuwsbrief"), required=False
    )
    webinar = forms.BooleanField(
        label=gettext_lazy("Ja, nodig mij uit voor het Werklandschappen-webinar"), required=False
    )
