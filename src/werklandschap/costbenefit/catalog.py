"""The measures catalogue (``data/measures/measures.yaml``), read and checked on load.

Every number the cost-benefit model uses comes from this one data file, with its
source next to it, so a reviewer can change a key figure without touching code and
every page can show where a figure comes from (or that it is an assumption).

``load_catalogue`` checks the whole file and reports *every* problem at once, each
naming the file, the measure (or benefit category) and the field, so a reviewer who
edits the file sees all mistakes in one run instead of one per run. Checked: required
fields and texts; low <= expected <= high; non-negative money, effects and benefits;
lifetime > 0; allocations over known parties only, summing to 1; units, locations,
efforts and themes from the allowed sets (themes are the scan's own theme keys, read
from the indicator catalogue); effect keys from ``EFFECT_KEYS``; a non-empty source
on every range, in Dutch and English (every source text is a pair ``{nl, en}``: the
pages show the visitor's language, so a missing translation is a load error naming
where, not an English sentence on a Dutch page); unique keys (YAML would silently
keep the last duplicate).

Framework-free: no Django here (like ``werklandschap.scanengine``).
"""

from __future__ import annotations

import copy
import math
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from werklandschap.scanengine.catalog import THEMES

from .types import EFFORTS, LOCATIONS, PARTIES, UNITS, BenefitCategory, Catalogue, Measure, Range

CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "data" / "measures" / "measures.yaml"

# The quantities a measure changes, per unit of the measure, and the scan figure each
# feeds (the model and the plan suggestion use these names; README.md documents them).
# All are non-negative amounts: "removed" and "used" are in the key's name.
EFFECT_KEYS: dict[str, str] = {
    "storage_m3": "on-plot storage added (m3) -> storage_present_m3, storage_mm, storage_gap_m3",
    "green_m2": "green area added, top view (m2) -> green_share_pct, green_blue_share_pct",
    "canopy_m2": "tree canopy >= 2 m added at maturity (m2) -> canopy_share_pct, cooling",
    "impervious_m2_removed": "sealed surface removed (m2) -> impervious_share_pct, runoff",
    "disconnected_m2": "sealed surface disconnected from the sewer (m2) -> runoff to sewer",
    "water_m2": "open water added (m2) -> green_blue_share_pct",
    "shade_m2": "shade by built structures (m2) -> cooling capacity (shade term)",
    "solar_kwp": "solar capacity added (kWp) -> solar_kwp, solar_mwh_yr",
    "roof_m2_used": "roof area taken (m2); a plan may not exceed roof_area_m2",
    "parking_m2_used": "parking area taken (m2); a plan may not exceed parking_area_m2",
    "paved_m2_used": "paved area taken (m2); a plan may not exceed the park's paved area",
}

ALLOCATION_TOLERANCE = 1e-9
_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_RANGE_FIELDS = {"low", "expected", "high", "source", "assumption"}
_MEASURE_TEXTS = ("name_nl", "name_en", "description_nl", "description_en")
_MEASURE_FIELDS = {
    *_MEASURE_TEXTS,
    "unit",
    "location",
    "effort",
    "themes",
    "investment",
    "maintenance",
    "lifetime",
    "replacement",
    "effects",
    "benefits",
    "cost_allocation",
    "cost_allocation_source",
}
_CATEGORY_FIELDS = {"name_nl", "name_en", "allocation", "source", "assumption"}
_TOP_FIELDS = {
    "version",
    "price_year",
    "price_basis",
    "discount_rate",
    "horizon_years",
    "horizon_source",
    "sources",
    "benefit_categories",
    "measures",
}


class CatalogueError(ValueError):
    """The measures file is incomplete or inconsistent; ``problems`` lists every finding."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{path.name}: {len(self.problems)} problem(s):\n{lines}")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate mapping keys instead of keeping the last."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict:
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first on line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=True)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _text(node: dict, name: str, where: str, problems: list[str]) -> str:
    value = node.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: {name}: missing or empty text")
        return ""
    return value


_LANGUAGES = {"nl": "Dutch", "en": "English"}


def _source(value: Any, where: str, name: str, problems: list[str]) -> tuple[str, str]:
    """A source text as its (Dutch, English) pair; every gap is reported by language."""
    if value is None:
        problems.append(
            f"{where}: {name}: missing or empty (every number needs a source, "
            "in Dutch and English: {nl: ..., en: ...})"
        )
        return "", ""
    if not isinstance(value, dict):
        problems.append(
            f"{where}: {name}: must be a pair {{nl: ..., en: ...}} (Dutch and English), "
            f"got {type(value).__name__}"
        )
        return "", ""
    for language in value:
        if language not in _LANGUAGES:
            problems.append(f"{where}: {name}.{language}: unknown language (allowed: nl, en)")
    texts: dict[str, str] = {}
    for language, label in _LANGUAGES.items():
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: {name}.{language}: missing or empty {label} text")
            text = ""
        texts[language] = text
    return texts["nl"], texts["en"]


def _unknown(node: dict, allowed: set[str], where: str, problems: list[str]) -> None:
    for name in node:
        if name not in allowed:
            problems.append(
                f"{where}: {name}: unknown field (allowed: {', '.join(sorted(allowed))})"
            )


def _range(
    value: Any,
    where: str,
    problems: list[str],
    *,
    minimum: float | None = 0.0,
    positive: bool = False,
) -> Range:
    """One low/expected/high range with its source; bad parts are reported, not raised."""
    empty = Range(0.0, 0.0, 0.0, "", True)
    if not isinstance(value, dict):
        problems.append(f"{where}: must be a mapping with low, expected, high and source")
        return empty
    _unknown(value, _RANGE_FIELDS, where, problems)
    nums: dict[str, float] = {}
    for name in ("low", "expected", "high"):
        v = value.get(name)
        if not _number(v):
            problems.append(f"{where}: {name}: must be a finite number, got {v!r}")
        else:
            nums[name] = float(v)
    if len(nums) == 3:
        low, exp, high = nums["low"], nums["expected"], nums["high"]
        if not low <= exp <= high:
            problems.append(
                f"{where}: must have low <= expected <= high, got {low:g} / {exp:g} / {high:g}"
            )
        if positive and low <= 0:
            problems.append(f"{where}: low: must be greater than 0, got {low:g}")
        elif minimum is not None and low < minimum:
            problems.append(f"{where}: low: must be at least {minimum:g}, got {low:g}")
    source_nl, source = _source(value.get("source"), where, "source", problems)
    assumption = value.get("assumption", False)
    if not isinstance(assumption, bool):
        problems.append(f"{where}: assumption: must be true or false, got {assumption!r}")
        assumption = True
    return Range(
        nums.get("low", 0.0),
        nums.get("expected", 0.0),
        nums.get("high", 0.0),
        source,
        assumption,
        source_nl,
    )


def _allocation(value: Any, where: str, problems: list[str]) -> dict[str, float]:
    if not isinstance(value, dict) or not value:
        problems.append(f"{where}: must be a non-empty mapping party -> share")
        return {}
    out: dict[str, float] = {}
    for party, share in value.items():
        if party not in PARTIES:
            problems.append(f"{where}: unknown party {party!r} (allowed: {', '.join(PARTIES)})")
            continue
        if not _number(share) or not 0 <= share <= 1:
            problems.append(f"{where}: {party}: share must be a number in [0, 1], got {share!r}")
            continue
        out[party] = float(share)
    total = sum(out.values())
    if len(out) == len(value) and abs(total - 1.0) > ALLOCATION_TOLERANCE:
        problems.append(f"{where}: shares must sum to 1, got {total:.12g}")
    return out


def _choice(
    node: dict, name: str, allowed: tuple[str, ...], where: str, problems: list[str]
) -> str:
    value = node.get(name)
    if value not in allowed:
        problems.append(f"{where}: {name}: {value!r} is not one of {', '.join(allowed)}")
        return ""
    return str(value)


def _category(key: str, node: Any, problems: list[str]) -> BenefitCategory | None:
    where = f"benefit category {key}"
    if not _KEY.match(key):
        problems.append(f"{where}: key must be lower_snake_case")
    if not isinstance(node, dict):
        problems.append(f"{where}: must be a mapping")
        return None
    _unknown(node, _CATEGORY_FIELDS, where, problems)
    assumption = node.get("assumption", False)
    if not isinstance(assumption, bool):
        problems.append(f"{where}: assumption: must be true or false, got {assumption!r}")
        assumption = True
    source_nl, source = _source(node.get("source"), where, "source", problems)
    return BenefitCategory(
        key=key,
        name_nl=_text(node, "name_nl", where, problems),
        name_en=_text(node, "name_en", where, problems),
        allocation=_allocation(node.get("allocation"), f"{where}: allocation", problems),
        source=source,
        assumption=assumption,
        source_nl=source_nl,
    )


def _measure(key: str, node: Any, categories: set[str], problems: list[str]) -> Measure | None:
    where = f"measure {key}"
    if not _KEY.match(key):
        problems.append(f"{where}: key must be lower_snake_case")
    if not isinstance(node, dict):
        problems.append(f"{where}: must be a mapping")
        return None
    _unknown(node, _MEASURE_FIELDS, where, problems)
    texts = {name: _text(node, name, where, problems) for name in _MEASURE_TEXTS}
    themes = node.get("themes")
    if not isinstance(themes, list) or not themes:
        problems.append(f"{where}: themes: must be a non-empty list of {', '.join(THEMES)}")
        themes = []
    for theme in themes:
        if theme not in THEMES:
            problems.append(
                f"{where}: themes: unknown theme {theme!r} (allowed: {', '.join(THEMES)})"
            )
    if len(set(themes)) != len(themes):
        problems.append(f"{where}: themes: listed twice")

    effects: dict[str, Range] = {}
    raw_effects = node.get("effects") or {}
    if not isinstance(raw_effects, dict):
        problems.append(f"{where}: effects: must be a mapping effect key -> range")
        raw_effects = {}
    for name, value in raw_effects.items():
        if name not in EFFECT_KEYS:
            problems.append(
                f"{where}: effects: unknown effect {name!r} (allowed: {', '.join(EFFECT_KEYS)})"
            )
            continue
        effects[name] = _range(value, f"{where}: effects.{name}", problems)

    benefits: dict[str, Range] = {}
    raw_benefits = node.get("benefits") or {}
    if not isinstance(raw_benefits, dict):
        problems.append(f"{where}: benefits: must be a mapping benefit category -> range")
        raw_benefits = {}
    for name, value in raw_benefits.items():
        if name not in categories:
            problems.append(
                f"{where}: benefits: unknown benefit category {name!r} "
                f"(allowed: {', '.join(sorted(categories))})"
            )
            continue
        benefits[name] = _range(value, f"{where}: benefits.{name}", problems)

    payers_nl, payers_en = _source(
        node.get("cost_allocation_source"), where, "cost_allocation_source", problems
    )
    return Measure(
        key=key,
        name_nl=texts["name_nl"],
        name_en=texts["name_en"],
        description_nl=texts["description_nl"],
        description_en=texts["description_en"],
        unit=_choice(node, "unit", UNITS, where, problems),
        location=_choice(node, "location", LOCATIONS, where, problems),
        effort=_choice(node, "effort", EFFORTS, where, problems),
        themes=tuple(str(t) for t in themes),
        investment=_range(node.get("investment"), f"{where}: investment", problems),
        maintenance=_range(node.get("maintenance"), f"{where}: maintenance", problems),
        lifetime=_range(node.get("lifetime"), f"{where}: lifetime", problems, positive=True),
        replacement=_range(node.get("replacement"), f"{where}: replacement", problems),
        effects=effects,
        benefits=benefits,
        cost_allocation=_allocation(
            node.get("cost_allocation"), f"{where}: cost_allocation", problems
        ),
        cost_allocation_source=payers_en,
        cost_allocation_source_nl=payers_nl,
    )


def _read(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def _parse(path: Path) -> Catalogue:
    try:
        data = _read(path)
    except yaml.YAMLError as exc:
        raise CatalogueError(path, [f"not valid YAML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise CatalogueError(path, ["the file must be a mapping"])
    problems: list[str] = []
    _unknown(data, _TOP_FIELDS, "catalogue", problems)
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        problems.append("catalogue: version: missing or empty text")
        version = ""
    price_year = data.get("price_year")
    if (
        not isinstance(price_year, int)
        or isinstance(price_year, bool)
        or not 2000 <= price_year <= 2100
    ):
        problems.append(f"catalogue: price_year: must be a year 2000-2100, got {price_year!r}")
        price_year = 0
    price_basis_nl, price_basis = _source(
        data.get("price_basis"), "catalogue", "price_basis", problems
    )
    discount = _range(
        data.get("discount_rate"), "catalogue: discount_rate", problems, minimum=-0.05
    )
    if discount.high > 0.2:
        problems.append(f"catalogue: discount_rate: high {discount.high:g} above 0.2 (20%)")
    horizon = data.get("horizon_years")
    if not isinstance(horizon, int) or isinstance(horizon, bool) or not 1 <= horizon <= 200:
        problems.append(f"catalogue: horizon_years: must be a whole number 1-200, got {horizon!r}")
        horizon = 0
    horizon_source_nl, horizon_source = _source(
        data.get("horizon_source"), "catalogue", "horizon_source", problems
    )

    raw_categories = data.get("benefit_categories")
    if not isinstance(raw_categories, dict) or not raw_categories:
        problems.append("catalogue: benefit_categories: missing or empty")
        raw_categories = {}
    categories = {
        str(k): c
        for k, v in raw_categories.items()
        if (c := _category(str(k), v, problems)) is not None
    }
    raw_measures = data.get("measures")
    if not isinstance(raw_measures, dict) or not raw_measures:
        problems.append("catalogue: measures: missing or empty")
        raw_measures = {}
    names = set(raw_categories)
    measures = {
        str(k): m
        for k, v in raw_measures.items()
        if (m := _measure(str(k), v, names, problems)) is not None
    }
    if problems:
        raise CatalogueError(path, problems)
    return Catalogue(
        version=str(version),
        price_year=int(price_year),
        discount_rate=discount,
        horizon_years=int(horizon),
        measures=measures,
        benefit_categories=categories,
        horizon_source=horizon_source,
        price_basis=price_basis,
        horizon_source_nl=horizon_source_nl,
        price_basis_nl=price_basis_nl,
    )


@cache
def _default() -> Catalogue:
    return _parse(CATALOGUE_PATH)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """The checked catalogue; CatalogueError lists every problem (file, measure, field).

    Without ``path`` the packaged file is parsed once per process and a deep copy is
    returned, so a caller that edits allocations for one plan cannot change the
    catalogue other requests see.
    """
    if path is None:
        return copy.deepcopy(_default())
    return _parse(Path(path))


def source_summary(catalogue: Catalogue) -> dict[str, int]:
    """How many ranges carry a published source and how many are assumptions."""
    ranges: list[Range] = [catalogue.discount_rate]
    for m in catalogue.measures.values():
        ranges += [m.investment, m.maintenance, m.lifetime, m.replacement]
        ranges += list(m.effects.values()) + list(m.benefits.values())
    assumed = sum(r.assumption for r in ranges)
    return {"ranges": len(ranges), "sourced": len(ranges) - assumed, "assumption": assumed}
