"""A park's ambitions: the target per indicator, who set it, and the step still to take.

The target in effect is the park's own latest choice, else the programme's proposal
(``data/scan/ambitions.yaml``); the gap is the engine's ``ambition_gaps``, so the
dashboard, the report and the downloads name the same step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werklandschap.registry.models import Park
from werklandschap.scanengine import ambition_gaps, default_ambitions
from werklandschap.scanengine.ambition import ambition_sources
from werklandschap.scanengine.catalog import INDICATORS
from werklandschap.scans.models import ParkScan

from . import presentation as fmt
from .models import ParkAmbition

# Bounds a target must lie within: the indicator's `limits` in the catalogue
# (data/scan/indicators.yaml); a share cannot exceed 100%, storage beyond 500 mm or a
# negative area is a typing error, not an ambition.
DEFAULT_LIMITS = (0.0, 1e9)


def ambition_keys() -> list[str]:
    """Indicators a park can set a target for: those with a programme default."""
    return [k for k in default_ambitions() if k in INDICATORS]


def target_limits(key: str) -> tuple[float, float]:
    ind = INDICATORS.get(key)
    return ind.limits if ind else DEFAULT_LIMITS


@dataclass
class Target:
    key: str
    value: float
    default: float
    is_default: bool
    set_by: Any = None
    set_at: Any = None


def current_targets(park: Park) -> dict[str, Target]:
    """The park's target per ambition indicator: its own latest choice, else the default."""
    defaults = default_ambitions()
    latest: dict[str, ParkAmbition] = {}
    for row in park.ambitions.select_related("set_by").order_by("indicator", "-set_at", "-id"):
        latest.setdefault(row.indicator, row)
    out = {}
    for key in ambition_keys():
        row = latest.get(key)
        own = row is not None and row.target is not None
        out[key] = Target(
            key=key,
            value=float(row.target) if own else defaults[key],
            default=defaults[key],
            is_default=not own,
            set_by=row.set_by if row else None,
            set_at=row.set_at if row else None,
        )
    return out


@transaction.atomic
def set_ambitions(park: Park, targets: dict[str, float | None], *, by) -> list[ParkAmbition]:
    """Record the targets that changed (None = back to the default); returns the new rows.

    Unchanged targets write nothing, so the history shows only real decisions. The
    park row is locked so two contacts saving at once do not both write the same change.
    """
    Park.objects.select_for_update().filter(pk=park.pk).first()
    current = current_targets(park)
    now = timezone.now()
    rows = []
    for key, value in targets.items():
        if key not in current:
            raise ValueError(f"no ambition can be set for indicator {key!r}")
        cur = current[key]
        if value is None:
            if cur.is_default:
                continue
        elif not cur.is_default and math.isclose(cur.value, value, abs_tol=1e-9):
            continue
        elif cur.is_default and math.isclose(cur.default, value, abs_tol=1e-9):
            continue  # typing the default is not a choice of the park's own
        rows.append(ParkAmbition(park=park, indicator=key, target=value, set_by=by, set_at=now))
    ParkAmbition.objects.bulk_create(rows)
    return rows


def concrete_step(key: str, gap: float | None, scan: ParkScan) -> str:
    """The step in physical terms where that is well defined (area of canopy, m³ of storage).

    Shares of the park: gap (percentage points) x park area. Storage in mm on the
    sealed surface: gap (mm) x sealed area / 1000 = m³. Other indicators: none.
    """
    if not gap:
        return ""
    area_m2 = (scan.area_ha or 0.0) * 10_000.0
    data = scan.indicators or {}
    if key in {"canopy_share_pct", "green_share_pct", "green_blue_share_pct"} and area_m2:
        m2 = gap / 100.0 * area_m2
        what = {
            "canopy_share_pct": _("boomkroon erbij"),
            "green_share_pct": _("groen erbij"),
            "green_blue_share_pct": _("groen of water erbij"),
        }[key]
        return f"≈ {_area_text(m2)} {what}"
    if key == "parking_share_pct" and area_m2:
        return f"≈ {_area_text(gap / 100.0 * area_m2)} " + _("minder parkeerterrein op maaiveld")
    if key == "storage_mm":
        imp = data.get("impervious_share_pct") or {}
        if imp.get("status") == "ok" and imp.get("value") and area_m2:
            sealed = float(imp["value"]) / 100.0 * area_m2
            m3 = gap * sealed / 1000.0
            return f"≈ {fmt.number(m3, 0)} m³ " + _("berging erbij")
    return ""


def _area_text(m2: float) -> str:
    if m2 >= 10_000:
        return f"{fmt.number(m2 / 10_000.0, 2)} ha"
    return f"{fmt.number(m2, 0)} m²"


def ambition_rows(park: Park, scan: ParkScan | None) -> list[dict[str, Any]]:
    """Per ambition indicator: current value, target (own or default), gap and step."""
    targets = current_targets(park)
    sources = ambition_sources()
    result = {"indicators": scan.indicators if scan else {}}
    gaps = ambition_gaps(result, {k: t.value for k, t in targets.items()})
    rows = []
    for key, target in targets.items():
        gap = gaps[key]
        ind = INDICATORS[key]
        lo, hi = target_limits(key)
        rows.append(
            {
                "key": key,
                "label": fmt.label(key),
                "unit": ind.unit,
                "unit_display": fmt.unit_display(ind.unit),
                "current": gap["current"],
                "current_text": fmt.with_unit(gap["current"], ind.unit, key),
                "target": target.value,
                "target_text": fmt.with_unit(target.value, ind.unit, key),
                "target_input": _input_number(target.value),
                "default": target.default,
                "default_text": fmt.with_unit(target.default, ind.unit, key),
                "is_default": target.is_default,
                "set_by": target.set_by,
                "set_at": target.set_at,
                "source": fmt.ambition_source(key, sources.get(key, "")),
                "gap": gap["gap"],
                "gap_text": fmt.gap_text(gap["gap"], ind.unit),
                "direction": gap["direction"],
                "met": gap["met"],
                "reason": fmt.entry_reason(gap) if gap["reason"] else "",
                "step": concrete_step(key, gap["gap"], scan) if scan else "",
                "min": lo,
                "max": hi,
            }
        )
    return rows


def _input_number(value: float) -> str:
    """A target as the form shows it: no trailing zeros, the page's decimal sign."""
    return fmt.input_number(value)


def ambition_history(park: Park, limit: int = 50) -> list[dict[str, Any]]:
    rows = []
    for row in park.ambitions.select_related("set_by").order_by("-set_at", "-id")[:limit]:
        ind = INDICATORS.get(row.indicator)
        rows.append(
            {
                "at": row.set_at,
                "by": row.set_by,
                "label": fmt.label(row.indicator),
                "target_text": fmt.with_unit(row.target, ind.unit if ind else None)
                if row.target is not None
                else _("terug naar de standaard"),
            }
        )
    return rows
