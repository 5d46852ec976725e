"""Biodiversity: number of green types, largest connected green patch, distance to
Natura 2000 / NNN. (Green share and canopy share come from landcover.)"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from . import config
from .catalog import Reason, entry, not_available, reason
from .context import ParkContext, components
from .landcover import class_areas

SEARCH_STEPS_M = (1000.0, 5000.0, 25000.0)
MIN_TYPE_SHARE = 0.01  # a green type counts when it covers >= 1% of the park


def green_types(
    per_class: np.ndarray, green_codes: np.ndarray, unknown_code: int | None, park_area: float
) -> int:
    """Number of green classes covering >= 1% of the park; 'green, type unknown' is not
    a type (it cannot add variety)."""
    n = 0
    for c in green_codes:
        if c == unknown_code:
            continue
        if per_class[c] >= MIN_TYPE_SHARE * park_area:
            n += 1
    return n


def largest_patch_m2(geoms: np.ndarray, gap: float) -> float:
    """Area (m2) of the largest connected component of the (clipped) green polygons."""
    if geoms.size == 0:
        return 0.0
    labels = components(geoms, gap)
    return float(np.bincount(labels, weights=shapely.area(geoms)).max())


# Reason codes for "the park lies outside every layer of this role" (catalogue).
_FAR_CODES = {"nature": "nature_layer_far", "pt_stops": "pt_stops_layer_far"}


def nearest_distance(
    ctx: ParkContext, role: str, steps: tuple[float, ...] = SEARCH_STEPS_M
) -> tuple[float | None, str, Reason | None]:
    """(distance m, provenance, reason) from the park to the nearest feature of a role.

    Searches in growing squares so that only nearby features are read. Layers whose
    extent lies farther away than the largest step are skipped: a provincial layer
    says nothing about a park in another province.
    """
    layers = ctx.bundle.layers(role)
    best = None
    used = []
    x0, y0, x1, y1 = ctx.bounds
    for lyr in layers:
        if lyr.bounds is not None:
            lb = lyr.bounds
            far = steps[-1]
            if lb[0] > x1 + far or lb[2] < x0 - far or lb[1] > y1 + far or lb[3] < y0 - far:
                continue
        used.append(lyr.provenance)
        for step in steps:
            geoms, _ = ctx.bundle.read_vector(lyr, ctx.context_bounds(step), [])
            if geoms.size:
                d = shapely.distance(ctx.geom, geoms)
                d = d[d <= step]  # a feature in the box corner can be farther than step
                if d.size:
                    dmin = float(d.min())
                    best = dmin if best is None else min(best, dmin)
                    break
    if not used:
        code = _FAR_CODES.get(role)
        return None, "", reason(code) if code else reason("layer_far", layer=role)
    if best is None:
        return None, "; ".join(used), reason("nothing_within", distance_m=round(steps[-1]))
    return best, "; ".join(used), None


def used_any(source: str) -> bool:
    """True when at least one layer was searched (then 'nothing found' is a fact)."""
    return bool(source)


def compute(ctx: ParkContext) -> dict[str, dict[str, Any]]:
    out: dict[str, dict] = {}
    mapping = ctx.bundle.mapping
    gap = float(config.value("heat", "invest_cooling", "contiguity_gap_m"))
    if ctx.lc is None:
        out.update(
            not_available(
                ["green_types_n", "largest_green_patch_ha"],
                reason("no_landcover_layer"),
            )
        )
    else:
        src = "; ".join(ctx.lc.sources)
        per_class = class_areas(ctx.lc.codes, ctx.lc.areas, len(mapping.keys))
        unknown = mapping.classes["green_other"].code if "green_other" in mapping.classes else None
        out["green_types_n"] = entry(
            "green_types_n",
            green_types(per_class, mapping.green_codes, unknown, ctx.area),
            source=src,
        )
        sel = np.isin(ctx.lc.codes, mapping.green_codes)
        clipped = ctx.lc.clipped(ctx.geom, sel)
        clipped = clipped[~shapely.is_empty(clipped)]
        out["largest_green_patch_ha"] = entry(
            "largest_green_patch_ha", largest_patch_m2(clipped, gap) / 10_000.0, source=src
        )
    keys = ["nature_distance_m", "nature_within_500m"]
    if not ctx.bundle.has("nature"):
        out.update(not_available(keys, reason("no_nature_layer")))
        return out
    dist, src, why = nearest_distance(ctx, "nature")
    flag_m = float(config.value("mobility", "nature_flag_distance_m"))
    out["nature_distance_m"] = entry("nature_distance_m", dist, source=src, reason=why)
    searched_nothing_near = dist is None and used_any(src)
    flag = 0.0 if searched_nothing_near else (None if dist is None else float(dist <= flag_m))
    out["nature_within_500m"] = entry(
        "nature_within_500m",
        flag,
        source=src,
        reason=why,
        method=f"nature distance <= {flag_m:.0f} m",
    )
    return out
