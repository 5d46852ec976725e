"""Whether a park's data cover enough of it for the land-cover figures to mean anything.

A park that reaches outside the land-cover data (an extract's edge) used to scan as
'ok' with figures of the few mapped polygons: runoff of the mapped part, 'no sealed
surface' for storage, cooling from a handful of water cells. Below the minimum
coverage in ``data/scan/completeness.yaml`` those indicators become not available
with the reason "data covers only N% of the park", and the scan is ``incomplete``.
"""

from __future__ import annotations

import math
from typing import Any

from . import config
from .catalog import INDICATORS, Reason, entry, reason

COMPLETE = "complete"
INCOMPLETE = "incomplete"


def load_rules() -> dict[str, Any]:
    """The land-cover completeness rule, checked: a number and known indicator keys."""
    rules = config.load("completeness")["landcover"]
    minimum = float(rules["min_coverage_pct"]["value"])
    if not 0.0 <= minimum <= 100.0:
        raise ValueError(f"completeness.yaml: min_coverage_pct {minimum} is not within 0-100")
    model_minimum = float(rules["model_min_coverage_pct"]["value"])
    if not 0.0 <= model_minimum <= minimum:
        raise ValueError(
            f"completeness.yaml: model_min_coverage_pct {model_minimum} is not within "
            f"0-{minimum} (min_coverage_pct)"
        )
    for group in ("affected", "affected_when_buildings_from_landcover", "model_affected"):
        unknown = [k for k in rules[group]["values"] if k not in INDICATORS]
        if unknown:
            raise ValueError(f"completeness.yaml: {group} names unknown indicators {unknown}")
        if not rules[group].get("source"):
            raise ValueError(f"completeness.yaml: {group} has no source")
    for name in ("min_coverage_pct", "model_min_coverage_pct"):
        if not rules[name].get("source"):
            raise ValueError(f"completeness.yaml: {name} has no source")
    return rules


def coverage_reason(coverage_pct: float) -> str:
    """The reason text; the share is rounded down, so 89.6% never reads as 'only 90%'."""
    return coverage_reason_code(coverage_pct).text("en")


def coverage_reason_code(coverage_pct: float) -> Reason:
    """Reason code ``landcover_covers_only`` with the share rounded down."""
    return reason("landcover_covers_only", pct=math.floor(coverage_pct))


def apply(
    indicators: dict[str, dict[str, Any]], *, buildings_from_landcover: bool
) -> tuple[str, str | None]:
    """Mark the land-cover indicators not available when coverage is below the minimum.

    Changes ``indicators`` in place; returns (completeness, reason or None). Without
    a land-cover coverage figure (no land-cover layer) nothing changes: those
    indicators are already not available with their own reason.
    """
    rules = load_rules()  # checked for every park, so a bad rule never waits for a rare case
    cov = indicators.get("landcover_coverage_pct") or {}
    if cov.get("status") != "ok" or cov.get("value") is None:
        return COMPLETE, None
    coverage = float(cov["value"])
    minimum = float(rules["min_coverage_pct"]["value"])
    if coverage >= minimum:
        return COMPLETE, None
    why = coverage_reason_code(coverage)
    keys = list(rules["affected"]["values"])
    if buildings_from_landcover:
        keys += rules["affected_when_buildings_from_landcover"]["values"]
    if coverage < float(rules["model_min_coverage_pct"]["value"]):
        keys += rules["model_affected"]["values"]
    for key in keys:
        old = indicators.get(key)
        if old is None:
            continue
        indicators[key] = entry(
            key, None, source=old.get("source") or "", reason=why, method=old.get("method")
        )
    pct = why.params["pct"]
    minimum_shown = int(minimum) if minimum.is_integer() else minimum
    return INCOMPLETE, reason("landcover_incomplete", pct=pct, minimum=minimum_shown).text("en")
