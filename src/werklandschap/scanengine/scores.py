"""Theme scores 0-100 from the thresholds in ``data/scan/scores.yaml``.

A score maps each indicator linearly from its 'zero' value (score 0) to its 'full'
value (score 100), clipped; a theme is the weighted mean of its available indicators.
A theme needs at least ``minimum_indicators`` of its indicators: with fewer it scores
None (not available), never a score from one figure of several (an AHN-only bundle
used to score health and nature 100 from canopy alone). A theme without any
available indicator scores None (unknown), never 0. ``score_basis`` says per theme
how many of its indicators a score used, out of how many.
"""

from __future__ import annotations

from typing import Any

from . import config
from .catalog import THEMES, reason


def linear_score(value: float, zero: float, full: float) -> float:
    """Score 0-100: 0 at ``zero``, 100 at ``full``, linear and clipped (either direction)."""
    if full == zero:
        return 100.0 if value >= full else 0.0
    s = (value - zero) / (full - zero) * 100.0
    return max(0.0, min(100.0, s))


def _available(ind: dict[str, Any] | None) -> bool:
    return bool(ind) and ind.get("status") == "ok" and ind.get("value") is not None


def score_basis(
    indicators: dict[str, dict[str, Any]], spec: dict[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """Per theme: {score, used, total, minimum, reason, reason_code, reason_params}.

    ``used``: the theme's indicators (``any_of`` items) that were available and
    scored; ``total``: how many the theme has; ``minimum``: how many it needs.
    ``score`` is None with a ``reason`` when fewer than ``minimum`` were available.
    """
    spec = spec if spec is not None else config.load("scores")
    thresholds = spec["themes"]
    minimum_of = (spec.get("minimum_indicators") or {}).get("values") or {}
    out: dict[str, dict[str, Any]] = {}
    for theme in THEMES:
        items = thresholds.get(theme) or []
        total = weight = 0.0
        used = 0
        for item in items:
            for key in item["any_of"]:
                ind = indicators.get(key)
                if _available(ind):
                    w = float(item.get("weight", 1.0))
                    total += w * linear_score(float(ind["value"]), item["zero"], item["full"])
                    weight += w
                    used += 1
                    break
        minimum = int(minimum_of.get(theme, 1))
        if minimum < 1 or (items and minimum > len(items)):
            raise ValueError(
                f"scores.yaml: minimum_indicators of {theme} is {minimum}, "
                f"not within 1-{len(items)}"
            )
        score: float | None = None
        why = None
        if not items:
            why = reason("theme_no_indicators")
        elif used < minimum:
            why = reason("theme_too_few_indicators", used=used, total=len(items), minimum=minimum)
        elif weight > 0:
            score = round(total / weight, 1)
        out[theme] = {
            "score": score,
            "used": used,
            "total": len(items),
            "minimum": minimum,
            "reason": why.text("en") if why else None,
            "reason_code": why.code if why else None,
            "reason_params": why.params if why else None,
        }
    return out


def theme_scores(
    indicators: dict[str, dict[str, Any]], thresholds: dict[str, list] | None = None
) -> dict[str, float | None]:
    """Score per theme (all seven themes of the vision; None where not available).

    ``thresholds``: the ``themes`` section of scores.yaml (tests); the minimum
    number of indicators per theme is then scores.yaml's own."""
    spec = config.load("scores")
    if thresholds is not None:
        spec["themes"] = thresholds
    return {t: b["score"] for t, b in score_basis(indicators, spec).items()}
