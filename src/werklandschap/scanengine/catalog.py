"""The indicator catalogue (``data/scan/indicators.yaml``), read by the engine and the portal.

One data file defines what every indicator means - theme, unit, decimals, direction,
Dutch and English label and explanation, method, source, default ambition and the
limits of a target - and every reason code with its Dutch and English text. The
engine writes results with it; the portal shows them with it (it imports this
module, it has no copy), so a figure cannot mean one thing in the JSON and another
on the dashboard. ``better`` says which direction is an improvement ('up' or
'down'; None for descriptive figures such as a class share).

A not-available indicator carries a ``reason_code`` and ``reason_params``; ``reason``
holds the English sentence rendered from the catalogue, for CLI and JSON readers.
Framework-free: the active language is an argument, never looked up here.
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from . import config

CATALOGUE_PATH = config.DATA_DIR / "indicators.yaml"
AMBITIONS_PATH = config.DATA_DIR / "ambitions.yaml"
LANGUAGES = ("nl", "en")
DIRECTIONS = {"up": "up", "down": "down", "none": None}
# Parameters an explanation may use; the reader fills them in (portal: completeness.yaml).
EXPLANATION_PARAMS = frozenset({"min_coverage_pct"})
_INDICATOR_TEXT_FIELDS = (
    "label_nl",
    "label_en",
    "explanation_nl",
    "explanation_en",
    "method",
    "method_nl",
    "source",
)


class CatalogueError(ValueError):
    """The catalogue file is incomplete or inconsistent (names the file and the entry)."""


@dataclass(frozen=True)
class Ambition:
    """The programme's default target for an indicator, with its source in both languages."""

    target: float
    source_en: str
    source_nl: str

    def source(self, lang: str = "en") -> str:
        return self.source_nl if lang == "nl" else self.source_en


@dataclass(frozen=True)
class Indicator:
    key: str
    unit: str
    theme: str
    label_nl: str
    method: str
    better: str | None = None
    label_en: str = ""
    explanation_nl: str = ""
    explanation_en: str = ""
    decimals: int = 1
    limits: tuple[float, float] = (0.0, 1e9)
    source: str = ""
    ambition: Ambition | None = None
    method_nl: str = ""

    def label(self, lang: str = "en") -> str:
        return self.label_nl if lang == "nl" else self.label_en

    def method_text(self, lang: str = "en") -> str:
        """The formula in ``lang``: the Dutch downloads carry Dutch, results keep English."""
        return self.method_nl if lang == "nl" and self.method_nl else self.method

    def explanation(self, lang: str = "en", **params: Any) -> str:
        text = self.explanation_nl if lang == "nl" else self.explanation_en
        return text.format(**params) if params else text


@dataclass(frozen=True)
class ReasonText:
    """One reason code: its texts per language and the parameters they take."""

    code: str
    en: str
    nl: str
    params: frozenset[str]
    legacy: re.Pattern | None = None

    def render(self, params: dict[str, Any] | None, lang: str = "en") -> str:
        text = self.nl if lang == "nl" else self.en
        return text.format(**(params or {}))


@dataclass(frozen=True)
class Reason:
    """Why a figure is not available: a catalogue code with its named parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return reason_text(self.code, self.params, lang)


@dataclass(frozen=True)
class Catalogue:
    version: str
    themes: tuple[str, ...]
    headline: tuple[str, ...]
    indicators: dict[str, Indicator]
    reasons: dict[str, ReasonText]


def _placeholders(text: str) -> frozenset[str]:
    return frozenset(name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name)


def _need_text(where: str, node: dict, name: str, problems: list[str]) -> str:
    value = node.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: missing {name}")
        return ""
    return value


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _indicator(key: str, node: Any, themes: tuple[str, ...], problems: list[str]) -> Indicator:
    where = f"indicator {key}"
    if not isinstance(node, dict):
        problems.append(f"{where}: not a mapping")
        return Indicator(key, "", "", key, "")
    texts = {name: _need_text(where, node, name, problems) for name in _INDICATOR_TEXT_FIELDS}
    for lang_a, lang_b in (("explanation_nl", "explanation_en"),):
        names_a, names_b = _placeholders(texts[lang_a]), _placeholders(texts[lang_b])
        if names_a != names_b:
            problems.append(f"{where}: {lang_a} and {lang_b} take different parameters")
        if names_a - EXPLANATION_PARAMS:
            problems.append(f"{where}: unknown explanation parameters {sorted(names_a)}")
    unit = node.get("unit")
    if not isinstance(unit, str) or not unit:
        problems.append(f"{where}: missing unit")
    theme = node.get("theme")
    if theme not in themes:
        problems.append(f"{where}: theme {theme!r} is not one of {list(themes)}")
    direction = node.get("direction")
    if direction not in DIRECTIONS:
        problems.append(f"{where}: direction {direction!r} is not one of up, down, none")
    decimals = node.get("decimals")
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 6:
        problems.append(f"{where}: decimals must be a whole number 0-6")
        decimals = 1
    limits = node.get("limits")
    if (
        not isinstance(limits, list)
        or len(limits) != 2
        or not all(_number(v) for v in limits)
        or not limits[0] < limits[1]
    ):
        problems.append(f"{where}: limits must be [min, max] with min < max")
        limits = [0.0, 1e9]
    return Indicator(
        key=key,
        unit=str(unit or ""),
        theme=str(theme or ""),
        label_nl=texts["label_nl"],
        method=texts["method"],
        better=DIRECTIONS.get(direction),
        label_en=texts["label_en"],
        explanation_nl=texts["explanation_nl"],
        explanation_en=texts["explanation_en"],
        decimals=int(decimals),
        limits=(float(limits[0]), float(limits[1])),
        source=texts["source"],
        method_nl=texts["method_nl"],
    )


def _ambitions(
    path: Path, indicators: dict[str, Indicator], problems: list[str]
) -> dict[str, Indicator]:
    """The indicators with their default ambition from ambitions.yaml joined in."""
    raw = (config.read_yaml(path) or {}).get("ambitions") or {}
    out = dict(indicators)
    for key, node in raw.items():
        where = f"{path.name} {key}"
        ind = indicators.get(key)
        if ind is None:
            problems.append(f"{where}: unknown indicator")
            continue
        if not isinstance(node, dict) or not _number(node.get("target")):
            problems.append(f"{where}: needs a numeric target")
            continue
        src_en = _need_text(where, node, "source", problems)
        src_nl = _need_text(where, node, "source_nl", problems)
        lo, hi = ind.limits
        if not lo <= node["target"] <= hi:
            problems.append(f"{where}: target {node['target']} outside limits [{lo:g}, {hi:g}]")
        out[key] = replace(ind, ambition=Ambition(float(node["target"]), src_en, src_nl))
    return out


def _reason(code: str, node: Any, problems: list[str]) -> ReasonText:
    where = f"reason {code}"
    if not isinstance(node, dict):
        problems.append(f"{where}: not a mapping")
        return ReasonText(code, code, code, frozenset())
    en = _need_text(where, node, "en", problems)
    nl = _need_text(where, node, "nl", problems)
    params = _placeholders(en)
    if _placeholders(nl) != params:
        problems.append(f"{where}: nl and en take different parameters")
    legacy = None
    if node.get("legacy"):
        try:
            legacy = re.compile(node["legacy"])
        except re.error as exc:
            problems.append(f"{where}: legacy pattern does not compile ({exc})")
        else:
            if set(legacy.groupindex) != set(params):
                problems.append(f"{where}: legacy pattern groups differ from the parameters")
    return ReasonText(code, en, nl, params, legacy)


def _check_references(indicators: dict[str, Indicator], problems: list[str]) -> None:
    """The catalogue agrees with the other parameter files that name indicators."""
    classes = config.load("classes")["classes"]
    for cls in classes:
        if f"share_{cls}_pct" not in indicators:
            problems.append(f"classes.yaml class {cls}: no indicator share_{cls}_pct")
    for key in indicators:
        m = re.fullmatch(r"share_(.+)_pct", key)
        if m and m.group(1) not in classes and key != "share_not_covered_pct":
            problems.append(f"indicator {key}: no class {m.group(1)} in classes.yaml")
    pet = [c["key"] for c in config.load("heat")["pet_classes"]["classes"]]
    for cls in pet:
        if f"pet_share_{cls}_pct" not in indicators:
            problems.append(f"heat.yaml PET class {cls}: no indicator pet_share_{cls}_pct")
    for key in indicators:
        m = re.fullmatch(r"pet_share_(.+)_pct", key)
        if m and m.group(1) not in pet:
            problems.append(f"indicator {key}: no PET class {m.group(1)} in heat.yaml")
    for theme, items in (config.load("scores").get("themes") or {}).items():
        for item in items or []:
            for key in item["any_of"]:
                if key not in indicators:
                    problems.append(f"scores.yaml {theme}: unknown indicator {key}")


def load_catalogue(
    path: str | Path | None = None, ambitions_path: str | Path | None = None
) -> Catalogue:
    """Read and check a catalogue file; CatalogueError lists every problem found.

    Checked: every indicator has theme, unit, decimals, direction, limits, both
    labels and explanations, method and source; a default ambition
    (ambitions.yaml) names a known indicator, has a target within its limits and a
    source in both languages; every reason code has an English
    and a Dutch text with the same parameters; the class and PET-class indicators
    match classes.yaml and heat.yaml, and scores.yaml names only known indicators.
    """
    path = Path(path) if path is not None else CATALOGUE_PATH
    data = config.read_yaml(path)
    problems: list[str] = []
    if not isinstance(data, dict):
        raise CatalogueError(f"{path.name}: not a mapping")
    themes = tuple(data.get("themes") or ())
    if not themes:
        problems.append("themes: missing")
    raw = data.get("indicators") or {}
    if not isinstance(raw, dict) or not raw:
        problems.append("indicators: missing")
        raw = {}
    indicators = {str(k): _indicator(str(k), v, themes, problems) for k, v in raw.items()}
    headline = tuple(data.get("headline") or ())
    for key in headline:
        if key not in indicators:
            problems.append(f"headline: unknown indicator {key}")
    reasons_raw = data.get("reasons") or {}
    if not isinstance(reasons_raw, dict) or not reasons_raw:
        problems.append("reasons: missing")
        reasons_raw = {}
    reasons = {str(k): _reason(str(k), v, problems) for k, v in reasons_raw.items()}
    for name in ("decimals", "limits", "headline"):
        if not (data.get("sources") or {}).get(name):
            problems.append(f"sources: missing {name}")
    if indicators:
        _check_references(indicators, problems)
        indicators = _ambitions(
            Path(ambitions_path) if ambitions_path is not None else AMBITIONS_PATH,
            indicators,
            problems,
        )
    if problems:
        raise CatalogueError(f"{path.name}: " + "; ".join(problems))
    return Catalogue(str(data.get("version", "")), themes, headline, indicators, reasons)


@cache
def catalogue() -> Catalogue:
    """The packaged catalogue, checked once per process."""
    return load_catalogue()


INDICATORS: dict[str, Indicator] = catalogue().indicators
THEMES: tuple[str, ...] = catalogue().themes
HEADLINE: tuple[str, ...] = catalogue().headline


def reason(code: str, **params: Any) -> Reason:
    """A reason with its parameters; an unknown code or a wrong parameter fails at once."""
    spec = catalogue().reasons.get(code)
    if spec is None:
        raise KeyError(f"reason code {code!r} is not in {CATALOGUE_PATH.name}")
    if set(params) != spec.params:
        raise KeyError(
            f"reason code {code!r} takes {sorted(spec.params)}, was given {sorted(params)}"
        )
    return Reason(code, dict(params))


def reason_text(code: str, params: dict[str, Any] | None = None, lang: str = "en") -> str:
    """The sentence for a reason code in a language ('nl' or 'en')."""
    return catalogue().reasons[code].render(params, lang)


def legacy_reason(text: str | None) -> Reason | None:
    """The code of an English reason sentence written before reason codes existed.

    Results stored by engines before 1.2.0 carry only the sentence; each reason's
    ``legacy`` pattern in the catalogue recognises its old wording.
    """
    if not text:
        return None
    for spec in catalogue().reasons.values():
        if spec.legacy is not None:
            m = spec.legacy.match(text)
            if m:
                return Reason(spec.code, m.groupdict())
    return None


def entry(
    key: str,
    value: float | None,
    *,
    source: str,
    reason: Reason | str | None = None,
    method: str | None = None,
) -> dict[str, Any]:
    """A result entry for one indicator; None value means 'not available' with a reason.

    ``reason``: a ``Reason`` (``catalog.reason(code, **params)``). An English sentence
    is accepted for callers written before reason codes and mapped to its code.
    """
    ind = INDICATORS[key]
    ok = value is not None
    why: Reason | None = None
    text: str | None = None
    if not ok:
        if isinstance(reason, Reason):
            why = reason
        elif isinstance(reason, str) and reason:
            why = legacy_reason(reason)
            text = reason if why is None else None
        else:
            why = Reason("not_available")
        if text is None:
            text = why.text("en")
    return {
        "value": None if value is None else float(value),
        "unit": ind.unit,
        "theme": ind.theme,
        "label_nl": ind.label_nl,
        "status": "ok" if ok else "not_available",
        "reason": text,
        "reason_code": why.code if why else None,
        "reason_params": dict(why.params) if why else None,
        "source": source,
        "method": method or ind.method,
    }


def not_available(keys: list[str], reason: Reason, source: str = "") -> dict[str, dict]:
    return {k: entry(k, None, source=source, reason=reason) for k in keys}
