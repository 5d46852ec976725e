"""How scan figures are shown to a park manager: words, units, numbers, colours.

What an indicator means - its label, explanation, decimals, default ambition and
the reasons a figure can be missing, in Dutch and English - lives in the engine's
catalogue (``data/scan/indicators.yaml``, read through ``scanengine.catalog``; the
portal has no copy). This module picks the active language's text from it and
formats numbers the way the dashboard, the PDF and the downloads share, so the
three always show the same figure.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from werklandschap.lib.numbers import decimal_separator, format_number, join_unit
from werklandschap.lib.numbers import percent as locale_percent
from werklandschap.scanengine import config as engine_config
from werklandschap.scanengine.catalog import (
    HEADLINE,
    INDICATORS,
    THEMES,
    catalogue,
    legacy_reason,
    reason_text,
)

THEME_LABELS = {
    "productiviteit": gettext_lazy("Productiviteit en hitte"),
    "mobiliteit": gettext_lazy("Mobiliteit"),
    "gezondheid": gettext_lazy("Gezondheid"),
    "water": gettext_lazy("Water en klimaatadaptatie"),
    "natuurinclusiviteit": gettext_lazy("Natuurinclusiviteit"),
    "circulariteit": gettext_lazy("Circulariteit"),
    "energie": gettext_lazy("Energie"),
}

# Indicators the public summary, the comparison and the history show (catalogue order).
HEADLINE_INDICATORS = HEADLINE


def lang() -> str:
    """The catalogue language of the request: 'en' for English, else Dutch."""
    return "en" if (get_language() or "nl").lower().startswith("en") else "nl"


# Land-cover class colours, shared by the web map, the static map and the charts.
# Chosen to read as what they are (grey paving, green growth, blue water) and to
# stay distinguishable for the common colour-vision deficiencies (no red/green pair
# carries meaning on its own; the legend names every class).
CLASS_COLOURS = {
    "built": "#5b5b66",
    "paved_closed": "#9a9aa3",
    "paved_open": "#c3c0b6",
    "paved_semi": "#d9cfb2",
    "unpaved": "#e6d5a8",
    "yard": "#d4c8c0",
    "green_grass": "#a6d96a",
    "green_shrubs": "#66bd63",
    "green_trees": "#1a7f3c",
    "green_agri": "#d9ef8b",
    "green_nature": "#7fa35b",
    "green_other": "#b8dfa0",
    "green_wadi": "#5fb3a1",
    "water": "#3a8fd1",
    "other": "#e0e0e0",
}


def label(key: str, fallback: str | None = None) -> str:
    """The indicator's short name in the active language (catalogue); unknown keys: fallback."""
    ind = INDICATORS.get(key)
    if ind is None:
        return str(fallback or key)
    return ind.label(lang())


def ambition_source(key: str, fallback: str = "") -> str:
    """Why the programme proposes the default target, in the active language."""
    ind = INDICATORS.get(key)
    if ind is None or ind.ambition is None:
        return fallback
    return ind.ambition.source(lang())


# How a catalogue unit is written for a reader; words are translated (the catalogue's
# units are Dutch codes), symbols are the same in every language.
_UNIT_DISPLAY = {
    "m2": "m²",
    "m3": "m³",
    "index 0-1": "",
    "aantal": "",
    "ja=1/nee=0": "",
    "MWh/jaar": gettext_lazy("MWh/jaar"),
}


def explanation(key: str, method: str | None = None) -> str:
    """One sentence on what the indicator says (catalogue); the engine's method as fallback."""
    ind = INDICATORS.get(key)
    if ind is None:
        return method or ""
    return ind.explanation(lang(), min_coverage_pct=number(min_coverage_pct(), 0))


def min_coverage_pct() -> float:
    """The land-cover coverage below which a scan is incomplete (completeness.yaml)."""
    return float(engine_config.value("completeness", "landcover", "min_coverage_pct"))


def render_reason(code: str | None, params: dict[str, Any] | None = None, text: str = "") -> str:
    """Why a figure is missing, in the active language.

    From the reason code and parameters the engine stored (catalogue text). Results
    stored before reason codes (engine < 1.2.0) carry only an English sentence: the
    catalogue's ``legacy`` patterns recognise it; a sentence no pattern knows is shown
    as stored.
    """
    if code and code in catalogue().reasons:
        try:
            return reason_text(code, number_params(params), lang())
        except (KeyError, IndexError, ValueError):
            pass  # parameters do not fit the text: fall back to the stored sentence
    old = legacy_reason(text)
    if old is not None:
        return old.text(lang())
    return text or _("geen reden opgegeven")


def number_params(params: dict[str, Any] | None) -> dict[str, Any] | None:
    """A reason's figures in the page's notation ('binnen 25.000 m', 'within 25,000 m')."""
    if not params:
        return params
    out = {}
    for name, value in params.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = number(value, 0 if float(value).is_integer() else 1)
        out[name] = value
    return out


def entry_reason(entry: dict[str, Any]) -> str:
    """The reason of a stored indicator entry, theme score basis or ambition gap."""
    return render_reason(
        entry.get("reason_code"), entry.get("reason_params"), entry.get("reason") or ""
    )


def reason_nl(reason: str | None) -> str:
    """A stored English reason sentence in the active language (older results)."""
    return render_reason(None, None, reason or "")


_PROVENANCE = re.compile(r"^(?P<name>.+?)\s*\((?P<date>[^()]*)\)$")


def short_source(source: str | None) -> str:
    """A source list as a reader takes it in: the BGT layers as one entry.

    The engine names every layer it read ("BGT pand (2025-01-01); BGT wegdeel
    (2025-01-01); ..."). On a card that is a paragraph; "BGT (5 lagen,
    2025-01-01)" says the same to a park manager. The full text stays in the
    downloads and the report's source list.
    """
    if not source:
        return ""
    groups: dict[str, list[str]] = {}
    order: list[str] = []
    for part in [p.strip() for p in source.split(";") if p.strip()]:
        m = _PROVENANCE.match(part)
        name, date = (m.group("name"), m.group("date")) if m else (part, "")
        key = name
        if "BGT" in name.split():
            key = name[: name.index("BGT") + 3]
        label = f"{key}|{date}"
        if label not in groups:
            groups[label] = []
            order.append(label)
        groups[label].append(name)
    out = []
    for label in order:
        key, date = label.split("|", 1)
        n = len(groups[label])
        if n > 1:
            text = _("%(name)s (%(n)s lagen, %(date)s)") % {"name": key, "n": n, "date": date}
        else:
            text = f"{groups[label][0]} ({date})" if date else groups[label][0]
        out.append(text)
    return "; ".join(out)


def decimals(unit: str | None, key: str | None = None) -> int:
    """Places shown for an indicator (catalogue); by unit for figures without a key."""
    ind = INDICATORS.get(key or "")
    if ind is not None:
        return ind.decimals
    return _UNIT_DECIMALS.get(unit or "", 1)


# Decimals per unit, taken from the catalogue (its first indicator with the unit).
_UNIT_DECIMALS: dict[str, int] = {}
for _ind in INDICATORS.values():
    _UNIT_DECIMALS.setdefault(_ind.unit, _ind.decimals)


def unit_display(unit: str | None) -> str:
    """The unit as a reader writes it (m² rather than m2; nothing for an index)."""
    if unit is None:
        return ""
    return str(_UNIT_DISPLAY.get(unit, unit))


def number(value: float | None, places: int = 1) -> str:
    """A number in the active language's notation: 1.234,5 (Dutch), 1,234.5 (English).

    One function (``lib.numbers``) for the page, the charts, the PDF and the files.
    """
    return format_number(value, places)


def percent(value: float | None, places: int = 1) -> str:
    """A share with its sign as the active language writes it: '14,8 %' / '14.8%'."""
    return locale_percent(value, places)


def input_number(value: float | None) -> str:
    """A value as a form field shows it: no grouping, no trailing zeros, the
    language's decimal sign (the ambition form reads a comma and a point alike)."""
    if value is None:
        return ""
    return format_number(value, 4, grouping=False).rstrip("0").rstrip(decimal_separator())


def value_text(value: float | None, unit: str | None, key: str | None = None) -> str:
    """An indicator value as the dashboard, PDF and CSV show it, without the unit."""
    if value is None:
        return "–"
    if unit == "ja=1/nee=0":
        return _("ja") if float(value) >= 0.5 else _("nee")
    return number(value, decimals(unit, key))


def with_unit(value: float | None, unit: str | None, key: str | None = None) -> str:
    text = value_text(value, unit, key)
    shown = unit_display(unit)
    if value is None or not shown:
        return text
    return join_unit(text, shown)


def gap_text(gap: float | None, unit: str | None) -> str:
    """A step to take: '%'-indicators in percentage points, others in their unit."""
    if gap is None:
        return "–"
    if unit == "%":
        return f"{number(gap, 1)}\u00a0" + _("procentpunt")
    return with_unit(gap, unit)


def theme_label(theme: str) -> str:
    return str(THEME_LABELS.get(theme, theme))


def themes() -> tuple[str, ...]:
    return THEMES


def class_labels() -> dict[str, str]:
    """Scan class key -> label in the active language (classes.yaml), in the mapping's order.

    A class without an English label keeps its Dutch one rather than showing its key.
    """
    classes = engine_config.load("classes")["classes"]
    field = f"label_{lang()}"
    return {k: str(v.get(field) or v.get("label_nl") or k) for k, v in classes.items()}


def score_band(score: float | None) -> str:
    """A word for a theme score, so a colour is never the only carrier of meaning.

    The bands live in one place (``verdicts.yaml`` via ``verdicts.py``), shared by
    the dashboard and the PDF report.
    """
    from .verdicts import band_label

    return band_label(score)
