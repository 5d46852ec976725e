"""Health: the 3-30-300 rule where the data allow, and buildings in heat stress.

- 30: canopy share (landcover.canopy_indicator).
- 300: share of buildings within 300 m of a connected green area of >= 0.5 ha
  (green polygons closer than 0.5 m form one area; green outside the park counts,
  as far as the context window read around the park reaches).
- buildings in heat stress: mean PET >= 35 °C in a 5 m zone around the footprint.
The '3' (three trees visible from every window) needs viewsheds and is not scanned.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from . import config
from .catalog import entry, not_available, reason
from .context import ParkContext, components
from .heat import per_building_stat


def buildings_near_green(
    buildings: np.ndarray,
    green: np.ndarray,
    gap: float,
    min_m2: float,
    dist_m: float,
    comps: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Per building: True when a connected green area >= ``min_m2`` lies within ``dist_m``.

    ``comps``: (labels, area per component) of ``green`` when already computed."""
    if buildings.size == 0:
        return np.zeros(0, dtype=bool)
    if green.size == 0:
        return np.zeros(buildings.size, dtype=bool)
    if comps is None:
        labels = components(green, gap)
        comp_area = np.bincount(labels, weights=shapely.area(green))
    else:
        labels, comp_area = comps
    big = green[comp_area[labels] >= min_m2]
    if big.size == 0:
        return np.zeros(buildings.size, dtype=bool)
    tree = shapely.STRtree(big)
    b_idx, _g = tree.query(buildings, predicate="dwithin", distance=dist_m)
    near = np.zeros(buildings.size, dtype=bool)
    near[np.unique(b_idx)] = True
    return near


def compute(ctx: ParkContext) -> dict[str, dict[str, Any]]:
    out: dict[str, dict] = {}
    b = ctx.buildings()
    mob = config.load("mobility")
    gap = float(config.value("heat", "invest_cooling", "contiguity_gap_m"))
    if ctx.lc is None or b is None:
        out.update(
            not_available(["buildings_near_green_pct"], reason("no_landcover_or_building_layer"))
        )
    else:
        geoms, _a, bsrc = b
        src = "; ".join([*ctx.lc.sources, bsrc])
        if geoms.size == 0:
            out.update(not_available(["buildings_near_green_pct"], reason("no_buildings"), src))
        else:
            green, labels, comp_area = ctx.green_components(gap)
            near = buildings_near_green(
                geoms,
                green,
                gap,
                float(mob["green_access_min_ha"]["value"]) * 10_000.0,
                float(mob["green_access_distance_m"]["value"]),
                comps=(labels, comp_area),
            )
            out["buildings_near_green_pct"] = entry(
                "buildings_near_green_pct", float(near.mean() * 100.0), source=src
            )
    key = "buildings_heat_stress_pct"
    if "heat" not in ctx.bundle.rasters:
        out.update(not_available([key], reason("no_heat_map")))
        return out
    src = ctx.bundle.rasters["heat"].provenance
    if b is None or b[0].size == 0:
        out.update(not_available([key], reason("no_buildings"), src))
        return out
    cfg = config.load("heat")["building_heat_stress"]
    ring = float(cfg["ring_m"])
    geoms = b[0]
    zones = shapely.difference(shapely.buffer(geoms, ring), geoms)
    pet = per_building_stat((s[0] for s in ctx.raster_strips("heat")), zones, "mean")
    known = ~np.isnan(pet)
    src = f"{src}; {b[2]}"
    if not known.any():
        out.update(not_available([key], reason("heat_map_no_data_around_buildings"), src))
        return out
    share = float((pet[known] >= float(cfg["pet_threshold_c"])).mean() * 100.0)
    out[key] = entry(key, share, source=src)
    return out
