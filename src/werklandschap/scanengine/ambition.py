"""Gap to ambition: per indicator, the step still to take from the scan to a target."""

from __future__ import annotations

from typing import Any

from . import config
from .catalog import INDICATORS


def default_ambitions() -> dict[str, float]:
    """The default targets (``data/scan/ambitions.yaml``): indicator key -> target value."""
    return {k: float(v["target"]) for k, v in config.load("ambitions")["ambitions"].items()}


def ambition_sources() -> dict[str, str]:
    """Source of each default target, for display next to it."""
    return {k: str(v["source"]) for k, v in config.load("ambitions")["ambitions"].items()}


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
        }
    return out
