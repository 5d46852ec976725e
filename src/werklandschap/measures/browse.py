"""Browsing the measures catalogue: filters with counts, cost classes, labels.

The catalogue itself is framework-free data (``werklandschap.costbenefit``);
this module adds what the public pages need: the facets, the language of the
visitor and the cost classes (``data/measures/cost_classes.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext_lazy as _

from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.types import Measure, Range
from werklandschap.portal.presentation import THEME_LABELS, lang

COST_CLASSES_PATH = (
    Path(__file__).resolve().parent.parent / "data" / "measures" / "cost_classes.yaml"
)

PARTY_LABELS = {
    "entrepreneur": _("Ondernemer of huurder"),
    "property_owner": _("Vastgoedeigenaar"),
    "municipality": _("Gemeente"),
    "water_board": _("Waterschap"),
    "employees": _("Werknemers"),
    "society": _("Maatschappij"),
}
LOCATION_LABELS = {
    "own_plot": _("Eigen kavel"),
    "public_space": _("Openbare ruimte"),
    "both": _("Eigen kavel of openbare ruimte"),
}
EFFORT_LABELS = {"low": _("Weinig moeite"), "medium": _("Gemiddeld"), "high": _("Veel moeite")}
UNIT_LABELS = {"m2": _("m²"), "m": _("m"), "piece": _("stuk"), "kWp": _("kWp")}
EFFECT_LABELS = {
    "storage_m3": _("waterberging (m³)"),
    "green_m2": _("groen (m²)"),
    "canopy_m2": _("boomkroon (m²)"),
    "impervious_m2_removed": _("verharding eruit (m²)"),
    "disconnected_m2": _("afgekoppeld oppervlak (m²)"),
    "water_m2": _("open water (m²)"),
    "shade_m2": _("schaduw (m²)"),
    "solar_kwp": _("zonnestroom (kWp)"),
    "roof_m2_used": _("dakoppervlak in gebruik (m²)"),
    "parking_m2_used": _("parkeeroppervlak in gebruik (m²)"),
    "paved_m2_used": _("verhard oppervlak in gebruik (m²)"),
}
FACETS = ("theme", "cost", "effort", "location")
FACET_LABELS = {
    "theme": _("Thema"),
    "cost": _("Investering"),
    "effort": _("Moeite"),
    "location": _("Waar"),
}


def english() -> bool:
    return lang() == "en"


@cache
def _cost_classes() -> dict[str, Any]:
    data = yaml.safe_load(COST_CLASSES_PATH.read_text(encoding="utf-8"))
    keys = [c["key"] for c in data["classes"]]
    if keys != ["low", "medium", "high"] or not data.get("source"):
        raise ValueError(f"{COST_CLASSES_PATH.name}: classes low, medium, high and a source")
    for unit, bounds in data["bounds"].items():
        if len(bounds) != 2 or not 0 <= bounds[0] < bounds[1]:
            raise ValueError(f"{COST_CLASSES_PATH.name}: bounds of {unit} must rise")
    return data


def cost_class(measure: Measure) -> str:
    """low / medium / high by the expected investment per unit (data, per unit)."""
    low, high = _cost_classes()["bounds"][measure.unit]
    value = measure.investment.expected
    return "low" if value < low else "medium" if value < high else "high"


def cost_class_label(key: str) -> str:
    row = next(c for c in _cost_classes()["classes"] if c["key"] == key)
    return row["label_en"] if english() else row["label_nl"]


def source(r: Range) -> str:
    """A range's source text in the visitor's language (the catalogue holds nl and en)."""
    return r.source_in(lang())


def name(measure: Measure) -> str:
    return measure.name_en if english() else measure.name_nl


def description(measure: Measure) -> str:
    return measure.description_en if english() else measure.description_nl


def _values(measure: Measure, facet: str) -> set[str]:
    if facet == "theme":
        return set(measure.themes)
    if facet == "cost":
        return {cost_class(measure)}
    if facet == "effort":
        return {measure.effort}
    return {measure.location}


def _label(facet: str, value: str) -> str:
    if facet == "theme":
        return str(THEME_LABELS.get(value, value))
    if facet == "cost":
        return cost_class_label(value)
    if facet == "effort":
        return str(EFFORT_LABELS[value])
    return str(LOCATION_LABELS[value])


@dataclass
class Browse:
    measures: list[Measure]
    facets: list[dict[str, Any]]
    chosen: dict[str, str]
    total: int


def browse(params: dict[str, str]) -> Browse:
    """The measures matching the chosen filters, and every facet with its counts.

    A facet's counts apply the other facets' choices (not its own), so a visitor
    sees how many measures each option would leave.
    """
    measures = list(load_catalogue().measures.values())
    chosen = {f: params.get(f, "") for f in FACETS if params.get(f, "")}

    def matches(measure: Measure, skip: str | None = None) -> bool:
        return all(v in _values(measure, f) for f, v in chosen.items() if f != skip)

    facets = []
    for facet in FACETS:
        options = sorted({v for m in measures for v in _values(m, facet)}, key=_order(facet))
        facets.append(
            {
                "name": facet,
                "chosen": chosen.get(facet, ""),
                "options": [
                    {
                        "value": value,
                        "label": _label(facet, value),
                        "count": sum(
                            1
                            for m in measures
                            if matches(m, skip=facet) and value in _values(m, facet)
                        ),
                    }
                    for value in options
                ],
            }
        )
    found = sorted((m for m in measures if matches(m)), key=lambda m: name(m).lower())
    return Browse(found, facets, chosen, len(measures))


def _order(facet: str):
    fixed = {
        "cost": ["low", "medium", "high"],
        "effort": ["low", "medium", "high"],
        "location": ["own_plot", "public_space", "both"],
        "theme": list(THEME_LABELS),
    }[facet]
    return lambda v: fixed.index(v) if v in fixed else len(fixed)


def measure_rows(measure: Measure) -> dict[str, Any]:
    """The detail page's tables: every number with its unit and source.

    Each table row is (label, range, source text in the visitor's language).
    """
    catalogue = load_catalogue()
    unit = str(UNIT_LABELS[measure.unit])

    def row(label: Any, r: Range) -> tuple[Any, Range, str]:
        return (label, r, source(r))

    money = [
        row(_("Investering (EUR per %(unit)s)") % {"unit": unit}, measure.investment),
        row(_("Onderhoud (EUR per %(unit)s per jaar)") % {"unit": unit}, measure.maintenance),
        row(_("Levensduur (jaar)"), measure.lifetime),
        row(_("Vervanging (deel van de investering)"), measure.replacement),
    ]
    effects = [
        row(_("%(effect)s per %(unit)s") % {"effect": EFFECT_LABELS.get(k, k), "unit": unit}, r)
        for k, r in measure.effects.items()
    ]
    benefits = []
    for key, r in measure.benefits.items():
        category = catalogue.benefit_categories[key]
        label = category.name_en if english() else category.name_nl
        benefits.append(
            row(_("%(benefit)s (EUR per %(unit)s per jaar)") % {"benefit": label, "unit": unit}, r)
        )
    payers = [
        {"party": PARTY_LABELS[p], "share": share} for p, share in measure.cost_allocation.items()
    ]
    return {
        "money": money,
        "effects": effects,
        "benefits": benefits,
        "payers": payers,
        "payers_source": measure.cost_allocation_source_in(lang()),
        "themes": [THEME_LABELS.get(t, t) for t in measure.themes],
        "location": LOCATION_LABELS[measure.location],
        "effort": EFFORT_LABELS[measure.effort],
        "cost_class": cost_class_label(cost_class(measure)),
        "unit": unit,
    }


def catalogue_meta() -> dict[str, Any]:
    catalogue = load_catalogue()
    return {
        "price_year": catalogue.price_year,
        "discount_rate": catalogue.discount_rate,
        "horizon_years": catalogue.horizon_years,
        "version": catalogue.version,
    }
