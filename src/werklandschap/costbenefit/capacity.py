"""Whether a plan fits the park: no more roof, paving or area than it has.

The model checks that a quantity is a sane number (``model.prepare``); only the
park's own scan can say whether 40,000 m2 of green roof is absurd. A plan the
user typed is checked here against the park's situation before anything is
computed or saved, and every overrun is reported (not only the first), so the
page can say which measures together ask for more than the park has.

Framework-free, like the rest of the package.
"""

from __future__ import annotations

from dataclasses import dataclass

from .suggest import Situation
from .types import Catalogue

# Floating-point slack: a suggestion that exactly fills the roof must pass.
TOLERANCE_M2 = 0.5


@dataclass(frozen=True)
class Overrun:
    """One resource a plan asks more of than the park has.

    ``resource`` is ``roof`` (roof area), ``paved`` (paved area outside roofs) or
    ``area`` (the park's area, for one measure measured in m2); ``measures`` are
    the keys that draw on it.
    """

    resource: str
    used_m2: float
    available_m2: float
    measures: tuple[str, ...]


def _drawing(
    catalogue: Catalogue, quantities: dict[str, float], effect: str
) -> tuple[float, tuple[str, ...]]:
    used = 0.0
    keys: list[str] = []
    for key, quantity in quantities.items():
        per_unit = catalogue.measures[key].effects.get(effect)
        if quantity > 0 and per_unit is not None and per_unit.expected > 0:
            used += quantity * per_unit.expected
            keys.append(key)
    return used, tuple(keys)


def overruns(
    catalogue: Catalogue, situation: Situation, quantities: dict[str, float]
) -> list[Overrun]:
    """Every resource ``quantities`` (known measure keys) overdraw in ``situation``.

    A resource the scan did not measure (no roof area, no impervious share) is
    not checked: the plan cannot be judged against an unknown.
    """
    found: list[Overrun] = []
    if situation.roof_area_m2 is not None:
        used, keys = _drawing(catalogue, quantities, "roof_m2_used")
        if used > situation.roof_area_m2 + TOLERANCE_M2:
            found.append(Overrun("roof", used, situation.roof_area_m2, keys))
    if situation.impervious_share_pct is not None:
        used, keys = _drawing(catalogue, quantities, "paved_m2_used")
        if used > situation.paved_m2 + TOLERANCE_M2:
            found.append(Overrun("paved", used, situation.paved_m2, keys))
    if situation.area_m2 > 0:
        for key, quantity in quantities.items():
            if catalogue.measures[key].unit == "m2" and quantity > situation.area_m2 + TOLERANCE_M2:
                found.append(Overrun("area", quantity, situation.area_m2, (key,)))
    return found
