"""One scan's indicators as the park sees them: per theme, with score breakdown and provenance.

The dashboard, the PDF report and the downloads take their indicator figures from
here (value, unit, plain label, explanation, source, why a figure is missing), so
the three never disagree. Nothing here checks access; the views do that with
``accounts.policies``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from werklandschap.scanengine import config as engine_config
from werklandschap.scanengine.catalog import INDICATORS, THEMES
from werklandschap.scanengine.scores import linear_score
from werklandschap.scans.models import ParkScan
from werklandschap.scans.services import stored_parameters

from . import presentation as fmt
from . import verdicts


@dataclass
class IndicatorView:
    """One indicator of one scan, ready to show."""

    key: str
    label: str
    unit: str | None
    theme: str
    value: float | None
    available: bool
    reason: str
    explanation: str
    source: str
    method: str

    @property
    def text(self) -> str:
        return fmt.value_text(self.value, self.unit, self.key)

    @property
    def text_with_unit(self) -> str:
        return fmt.with_unit(self.value, self.unit, self.key)

    @property
    def unit_display(self) -> str:
        return fmt.unit_display(self.unit)

    @property
    def source_short(self) -> str:
        return fmt.short_source(self.source)


def indicator_view(key: str, entry: dict[str, Any]) -> IndicatorView:
    available = entry.get("status") == "ok" and entry.get("value") is not None
    ind = INDICATORS.get(key)
    return IndicatorView(
        key=key,
        label=fmt.label(key, entry.get("label_nl")),
        unit=entry.get("unit") or (ind.unit if ind else None),
        theme=str(entry.get("theme") or (ind.theme if ind else "")),
        value=float(entry["value"]) if available else None,
        available=available,
        reason="" if available else fmt.entry_reason(entry),
        explanation=fmt.explanation(key, entry.get("method")),
        source=str(entry.get("source") or ""),
        method=str(entry.get("method") or ""),
    )


_CATALOGUE_ORDER = {key: i for i, key in enumerate(INDICATORS)}


def ordered_items(indicators: dict[str, dict]) -> list[tuple[str, dict]]:
    """Indicators in the engine's catalogue order (mean before P90, classes together).

    A JSON column does not keep key order everywhere (PostgreSQL's jsonb sorts
    keys), so the order is restored here; unknown keys follow alphabetically.
    """
    return sorted(
        indicators.items(),
        key=lambda kv: (_CATALOGUE_ORDER.get(kv[0], len(_CATALOGUE_ORDER)), kv[0]),
    )


def all_indicators(scan: ParkScan) -> list[IndicatorView]:
    """Every indicator of the scan in the engine's catalogue order."""
    return [indicator_view(k, v) for k, v in ordered_items(scan.indicators or {})]


def indicators_by_theme(scan: ParkScan) -> list[dict[str, Any]]:
    """[{theme, label, score, band, band_key, indicators, ...}] in the vision's theme order.

    ``band_key`` is the verdict band's stable key (``verdicts.yaml``), for the chip's colour.

    Land-cover class shares of zero are left out of the cards (a park without
    heath needs no 'heath 0%' card); they stay in the downloads and the appendix.
    """
    views = all_indicators(scan)
    out = []
    for theme in THEMES:
        items = [
            v
            for v in views
            if v.theme == theme
            and not (
                v.key.startswith("share_")
                and v.key != "share_not_covered_pct"
                and v.available
                and v.value == 0
            )
        ]
        score = (scan.scores or {}).get(theme)
        breakdown = theme_breakdown(theme, scan.indicators or {}, scores_parameters(scan))
        out.append(
            {
                "theme": theme,
                "label": fmt.theme_label(theme),
                "score": score,
                "band": fmt.score_band(score),
                "band_key": verdicts.score_band(score).key,
                "indicators": items,
                "breakdown": breakdown,
                "basis": score_basis_text(scan, theme, breakdown),
            }
        )
    return out


def score_basis_text(scan: ParkScan, theme: str, breakdown: list[dict] | None = None) -> str:
    """'op basis van 2 van de 3 indicatoren', or why the theme has no score.

    From the basis stored with the scan (the engine's ``score_basis``); scans stored
    before it existed count the indicators of the breakdown shown beside it.
    """
    basis = (scan.score_basis or {}).get(theme)
    if basis is None:
        if breakdown is None:
            breakdown = theme_breakdown(theme, scan.indicators or {}, scores_parameters(scan))
        if not breakdown:
            return ""
        basis = {
            "used": sum(1 for b in breakdown if b["score"] is not None),
            "total": len(breakdown),
            "reason": None,
        }
    if not basis.get("total"):
        return ""
    if basis.get("reason"):
        return fmt.entry_reason(basis)
    return _("op basis van %(used)s van de %(total)s indicatoren") % {
        "used": basis["used"],
        "total": basis["total"],
    }


def data_coverage(scan: ParkScan) -> dict[str, Any] | None:
    """How much of the park the land-cover data cover, and whether the scan is complete.

    None when the scan has no coverage figure (no land-cover layer, or a scan stored
    before the figure existed). ``incomplete``: the engine marked the land-cover
    indicators not available because the coverage is below completeness.yaml's minimum.
    """
    entry = (scan.indicators or {}).get("landcover_coverage_pct") or {}
    if entry.get("status") != "ok" or entry.get("value") is None:
        return None
    pct = float(entry["value"])
    incomplete = scan.completeness == ParkScan.Completeness.INCOMPLETE
    return {
        "pct": pct,
        "text": fmt.with_unit(pct, "%"),
        "minimum_text": fmt.percent(_min_coverage_pct(scan), 0),
        "incomplete": incomplete,
        "reason": fmt.render_reason("landcover_covers_only", {"pct": math.floor(pct)})
        if incomplete
        else "",
    }


def headline(scan: ParkScan) -> list[IndicatorView]:
    """The few indicators of the public summary."""
    data = scan.indicators or {}
    return [indicator_view(k, data[k]) for k in fmt.HEADLINE_INDICATORS if k in data]


def scan_parameters(scan: ParkScan) -> dict[str, Any] | None:
    """The parameter values the scan was computed with (``{"scores.yaml": ...}``).

    None for a scan stored before results carried their parameters digest (or whose
    values were never stored); read once per scan object.
    """
    if not hasattr(scan, "_parameter_values"):
        scan._parameter_values = stored_parameters(scan.parameters_digest)
    return scan._parameter_values


def scores_parameters(scan: ParkScan) -> dict[str, Any]:
    """scores.yaml as it was when the scan was computed; today's for older scans.

    Why: the breakdown beside a stored theme score must show the thresholds and
    weights that gave that score, not whatever scores.yaml says today.
    """
    stored = (scan_parameters(scan) or {}).get("scores.yaml")
    return stored if stored else engine_config.load("scores")


def _min_coverage_pct(scan: ParkScan) -> float:
    """completeness.yaml's minimum land-cover coverage when the scan was computed."""
    stored = (scan_parameters(scan) or {}).get("completeness.yaml")
    try:
        return float(stored["landcover"]["min_coverage_pct"]["value"])
    except (TypeError, KeyError, ValueError):
        return fmt.min_coverage_pct()


def parameters_provenance(scan: ParkScan) -> dict[str, Any]:
    """Digest (full and short) of the scan's parameter values and whether they are stored."""
    digest = scan.parameters_digest or ""
    return {"digest": digest, "short": digest[:12], "stored": scan_parameters(scan) is not None}


def theme_breakdown(
    theme: str, indicators: dict[str, dict], scores: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """How each indicator counts in a theme score: its own 0-100 sub-score and weight.

    Uses the engine's thresholds and its linear score, so a park sees which figure
    pulls its theme score down. ``scores``: scores.yaml's values, by default today's
    file; for a stored scan :func:`scores_parameters` gives those it was computed with.
    """
    scores = scores if scores is not None else engine_config.load("scores")
    spec = scores["themes"].get(theme) or []
    out = []
    for item in spec:
        used = None
        for key in item["any_of"]:
            entry = indicators.get(key)
            if entry and entry.get("status") == "ok" and entry.get("value") is not None:
                used = key
                break
        key = used or item["any_of"][0]
        score = (
            linear_score(float(indicators[key]["value"]), item["zero"], item["full"])
            if used
            else None
        )
        out.append(
            {
                "key": key,
                "label": fmt.label(key),
                "score": score,
                "weight": float(item.get("weight", 1.0)),
                "zero": item["zero"],
                "full": item["full"],
            }
        )
    return out
