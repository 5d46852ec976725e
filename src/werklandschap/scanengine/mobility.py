"""Mobility: distance to the nearest public-transport stop.

(Paved parking area and share come from landcover: BGT wegdeel function
'parkeervlak'.)
"""

from __future__ import annotations

from typing import Any

from . import config
from .biodiversity import nearest_distance
from .catalog import entry, not_available, reason
from .context import ParkContext


def compute(ctx: ParkContext) -> dict[str, dict[str, Any]]:
    key = "pt_stop_distance_m"
    if not ctx.bundle.has("pt_stops"):
        return not_available([key], reason("no_pt_stop_layer"))
    radius = float(config.value("mobility", "pt_search_radius_m"))
    steps = tuple(s for s in (500.0, 2000.0, radius) if s <= radius)
    dist, src, why = nearest_distance(ctx, "pt_stops", steps)
    return {key: entry(key, dist, source=src, reason=why)}
