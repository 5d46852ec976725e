"""Gap to ambition: per indicator, the step still to take from the scan to a target."""

from __future__ import annotations

from typing import Any

from .catalog import INDICATORS, Reason, legacy_reason


def default_ambitions() -> dict[str, float]:
    """The default targets (``data/scan/ambitions.yaml``, joined to the catalogue)."""
    return {k: ind.ambition.target for k, ind in INDICATORS.items() if ind.ambition}


def ambition_sources(lang: str = "en") -> dict[str, str]:
    """Source of each default target in a language, for display next to it."""
    return {k: ind.ambition.source(lang) for k, ind in INDICATORS.items() if ind.ambition}


def _reason_of(entry: dict[str, Any]) -> Reason | None:
    """The entry's reason code (older results: recognised from the sentence; None when
    an old sentence is not recognised, then only ``reason`` says why)."""
    if not entry:
        return Reason("not_scanned")
    if entry.get("reason_code"):
        return Reason(entry["reason_code"], dict(entry.get("reason_params") or {}))
    if entry.get("reason"):
        return legacy_reason(entry["reason"])
    return Reason("not_available")


def ambition_gaps(result: dict[str, Any], targets: dict[str, float]) -> dict[str, dict]:
    """Per target indicator: current, target, gap (step still to take), direction, met.

    Direction follows the indicator ('up': more is better, e.g. canopy; 'down': less
    is better, e.g. flooded area). ``gap`` is the amount still to add (up) or remove
    (down), 0 when the target is met; None when the indicator is not available.
    """
    indicators = result.get("indicators") or {}
    out: dict[str, dict] = {}
    for key, target in targets.items():
        ind = INDICATORS.get(key)
        direction = (ind.better if ind else None) or "up"
        entry = indicators.get(key) or {}
        current = entry.get("value") if entry.get("status") == "ok" else None
        why = _reason_of(entry) if current is None else None
        if current is None:
            gap = met = None
        elif direction == "up":
            gap = max(0.0, float(target) - float(current))
            met = float(current) >= float(target)
        else:
            gap = max(0.0, float(current) - float(target))
            met = float(current) <= float(target)
        out[key] = {
            "current": current,
            "target": float(target),
            "gap": gap,
            "direction": "increase" if direction == "up" else "decrease",
            "met": met,
            "unit": ind.unit if ind else entry.get("unit"),
            "label_nl": ind.label_nl if ind else key,
            "reason": None if current is not None else (entry.get("reason") or "not scanned"),
            "reason_code": why.code if why else None,
            "reason_params": why.params if why else None,
        }
    return out
