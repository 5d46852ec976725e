"""A first plan from a park's own scan: close its gaps within what it has.

Framework-free. The page gives the park's situation (areas and indicators from
its latest scan) and its targets (own ambitions, else the programme's
proposals); this module returns quantities per measure, each with the reason it
was chosen, and the park's indicators before and after as an **estimate** from
the measures' expected effects (not a new scan). The rules and their limits
are data (``data/measures/suggest.yaml``).

Rules, in order (each uses what the earlier ones left):

1. Storage gap (m³): a blue-green roof on at most ``max_roof_share`` of the roof
   area, then wadis on at most ``max_paved_share_for_ground`` of the paved area
   (a wadi replaces paving), then crates under the paving that is left.
2. Canopy gap (percentage points to the target): trees on the own plot, whole
   trees, with at most ``max_share_of_open_area`` of the area outside roofs
   under canopy afterwards.
3. Green gap left after 1 and 2: depaving on at most ``max_paved_share`` of the
   remaining paved area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .model import Plan
from .types import Catalogue

RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "measures" / "suggest.yaml"


@dataclass(frozen=True)
class Situation:
    """What the scan says about the park (None: not measured)."""

    area_m2: float
    roof_area_m2: float | None = None
    impervious_share_pct: float | None = None
    storage_gap_m3: float | None = None
    canopy_share_pct: float | None = None
    green_share_pct: float | None = None

    @property
    def paved_m2(self) -> float:
        if self.impervious_share_pct is None:
            return 0.0
        roofs = self.roof_area_m2 or 0.0
        # The impervious share counts roofs too; paving is what is left of it.
        return max(0.0, self.impervious_share_pct / 100 * self.area_m2 - roofs)


@dataclass(frozen=True)
class Targets:
    canopy_share_pct: float | None = None
    green_share_pct: float | None = None


@dataclass(frozen=True)
class Line:
    measure: str
    quantity: float
    reason: str  # storage_gap | canopy_gap | green_gap
    params: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    lines: list[Line]
    plan: Plan
    before: dict[str, float | None]
    after: dict[str, float | None]
    limited: list[str]  # reasons whose gap could not be closed within what the park has


@cache
def rules() -> dict[str, Any]:
    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    for section, shares in (
        ("storage", ("max_roof_share", "max_paved_share_for_ground")),
        ("canopy", ("max_share_of_open_area",)),
        ("green", ("max_paved_share",)),
    ):
        for name in shares:
            value = data[section][name]
            if not isinstance(value, int | float) or not 0 <= value <= 1:
                raise ValueError(f"{RULES_PATH.name}: {section}.{name} must be a share 0-1")
    if not data.get("source"):
        raise ValueError(f"{RULES_PATH.name}: source is missing")
    return data


def _effect(catalogue: Catalogue, measure: str, key: str) -> float:
    item = catalogue.measures[measure].effects.get(key)
    return item.expected if item else 0.0


def suggest(catalogue: Catalogue, situation: Situation, targets: Targets) -> Suggestion:
    """Quantities that close the park's gaps, never more than the park has."""
    r = rules()
    lines: list[Line] = []
    limited: list[str] = []
    roof_free = situation.roof_area_m2 or 0.0
    paved_free = situation.paved_m2
    area = situation.area_m2

    gap = max(0.0, situation.storage_gap_m3 or 0.0)
    if gap > 0:
        s = r["storage"]
        roof_m = s["roof_measure"]
        per_m2 = _effect(catalogue, roof_m, "storage_m3")
        roof_m2 = min(s["max_roof_share"] * roof_free, gap / per_m2) if per_m2 else 0.0
        if roof_m2 > 0:
            lines.append(Line(roof_m, roof_m2, "storage_gap", {"gap_m3": gap}))
            roof_free -= roof_m2 * _effect(catalogue, roof_m, "roof_m2_used")
            gap -= roof_m2 * per_m2
        ground_m = s["ground_measure"]
        per_m2 = _effect(catalogue, ground_m, "storage_m3")
        uses = _effect(catalogue, ground_m, "paved_m2_used")
        cap = s["max_paved_share_for_ground"] * paved_free / uses if uses else math.inf
        ground_m2 = min(cap, gap / per_m2) if per_m2 and gap > 0 else 0.0
        if ground_m2 > 0:
            lines.append(Line(ground_m, ground_m2, "storage_gap", {"gap_m3": gap}))
            paved_free -= ground_m2 * uses
            gap -= ground_m2 * per_m2
        under_m = s["underground_measure"]
        per_m2 = _effect(catalogue, under_m, "storage_m3")
        under_m2 = min(paved_free, gap / per_m2) if per_m2 and gap > 0 else 0.0
        if under_m2 > 0:
            lines.append(Line(under_m, under_m2, "storage_gap", {"gap_m3": gap}))
            gap -= under_m2 * per_m2
        if gap > 1e-6:
            limited.append("storage_gap")

    if targets.canopy_share_pct is not None and situation.canopy_share_pct is not None:
        need = (targets.canopy_share_pct - situation.canopy_share_pct) / 100 * area
        c = r["canopy"]
        per_tree = _effect(catalogue, c["measure"], "canopy_m2")
        open_area = max(0.0, area - (situation.roof_area_m2 or 0.0))
        room = c["max_share_of_open_area"] * open_area - situation.canopy_share_pct / 100 * area
        wanted = min(need, max(0.0, room))
        if need > 0 and per_tree > 0:
            trees = math.ceil(wanted / per_tree) if wanted > 0 else 0
            if trees:
                lines.append(Line(c["measure"], float(trees), "canopy_gap", {"gap_m2": need}))
            if need > wanted + 1e-6:
                limited.append("canopy_gap")

    plan_so_far = {line.measure: line.quantity for line in lines}
    green_added = sum(q * _effect(catalogue, m, "green_m2") for m, q in plan_so_far.items())
    if targets.green_share_pct is not None and situation.green_share_pct is not None:
        need = (targets.green_share_pct - situation.green_share_pct) / 100 * area - green_added
        g = r["green"]
        per_m2 = _effect(catalogue, g["measure"], "green_m2")
        if need > 0 and per_m2 > 0:
            depave = min(need / per_m2, g["max_paved_share"] * paved_free)
            if depave > 0:
                lines.append(Line(g["measure"], depave, "green_gap", {"gap_m2": need}))
            if need / per_m2 > depave + 1e-6:
                limited.append("green_gap")

    quantities: dict[str, float] = {}
    for line in lines:
        quantities[line.measure] = quantities.get(line.measure, 0.0) + line.quantity
    plan = Plan(quantities=quantities)
    before, after = before_after(catalogue, situation, quantities)
    return Suggestion(lines, plan, before, after, limited)


def effects(catalogue: Catalogue, quantities: dict[str, float]) -> dict[str, float]:
    """The expected effect of a plan per effect key (sum over its measures)."""
    total: dict[str, float] = {}
    for key, quantity in quantities.items():
        for effect, value in catalogue.measures[key].effects.items():
            total[effect] = total.get(effect, 0.0) + quantity * value.expected
    return total


def before_after(
    catalogue: Catalogue, situation: Situation, quantities: dict[str, float]
) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """The park's indicators now and as estimated after the plan (expected effects)."""
    e = effects(catalogue, quantities)
    area = situation.area_m2

    def pct(before: float | None, m2: float, sign: int = 1) -> float | None:
        if before is None:
            return None
        return min(100.0, max(0.0, before + sign * 100 * m2 / area))

    before = {
        "storage_gap_m3": situation.storage_gap_m3,
        "canopy_share_pct": situation.canopy_share_pct,
        "green_share_pct": situation.green_share_pct,
        "impervious_share_pct": situation.impervious_share_pct,
    }
    after = {
        "storage_gap_m3": None
        if situation.storage_gap_m3 is None
        else max(0.0, situation.storage_gap_m3 - e.get("storage_m3", 0.0)),
        "canopy_share_pct": pct(situation.canopy_share_pct, e.get("canopy_m2", 0.0)),
        "green_share_pct": pct(situation.green_share_pct, e.get("green_m2", 0.0)),
        "impervious_share_pct": pct(
            situation.impervious_share_pct, e.get("impervious_m2_removed", 0.0), -1
        ),
    }
    return before, after
