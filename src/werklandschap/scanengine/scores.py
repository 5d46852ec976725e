"""Theme scores 0-100 from the thresholds in ``data/scan/scores.yaml``.

A score maps each indicator linearly from its 'zero' value (score 0) to its 'full'
value (score 100), clipped; a theme is the weighted mean of its available indicators.
A theme without any available indicator scores None (unknown), never 0.
"""

from __future__ import annotations

from typing import Any

from . import config
from .catalog import THEMES


def linear_score(value: float, zero: float, full: float) -> float:
    """Score 0-100: 0 at ``zero``, 100 at ``full``, linear and clipped (either direction)."""
    if full == zero:
        return 100.0 if value >= full else 0.0
    s = (value - zero) / (full - zero) * 100.0
    return max(0.0, min(100.0, s))


def theme_scores(
    indicators: dict[str, dict[str, Any]], thresholds: dict[str, list] | None = None
) -> dict[str, float | None]:
    """Score per theme (all seven themes of the vision; None where nothing is known)."""
    spec = thresholds if thresholds is not None else config.load("scores")["themes"]
    out: dict[str, float | None] = {}
    for theme in THEMES:
        total = weight = 0.0
        for item in spec.get(theme) or []:
            for key in item["any_of"]:
                ind = indicators.get(key)
                if ind and ind.get("status") == "ok" and ind.get("value") is not None:
                    w = float(item.get("weight", 1.0))
                    total += w * linear_score(float(ind["value"]), item["zero"], item["full"])
                    weight += w
                    break
        out[theme] = round(total / weight, 1) if weight > 0 else None
    return out
