"""Forms of the park portal: the park's ambitions and a contact's subscriptions.

Targets are typed as text so that both "30" and "12,5" (the Dutch decimal
comma) are accepted; the server checks every value against the indicator's
unit (a share lies between 0 and 100, storage between 0 and 500 mm), whatever
the browser's number field allowed.
"""

from __future__ import annotations

import math
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werklandschap.scanengine.catalog import INDICATORS

from . import presentation as fmt
from .services import ambition_keys, target_limits

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)?([.,]\d+)?$")


def parse_number(raw: str) -> float:
    """'12,5' or '12.5' or '1.250,5' -> float; ValueError for anything else."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if not text or not _NUMBER.match(text) or text in {"+", "-"}:
        raise ValueError(raw)
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.search(r"\.\d{3}(\.|$)", text) and text.count(".") > 1:
        text = text.replace(".", "")
    value = float(text)
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
