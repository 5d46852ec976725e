"""Energy: roof area, solar potential (kWp, MWh/yr) and the share of roofs with panels.

kWp = roof area x usable fraction (0.60) x 0.20 kWp/m2; MWh/yr = kWp x 875 kWh/kWp/yr
/ 1000 (CBS, Protocol Monitoring Hernieuwbare Energie). Factors: data/scan/energy.yaml.
"""

from __future__ import annotations

from typing import Any

import shapely

from . import config
from .catalog import entry, not_available, reason
from .context import ParkContext


def solar_potential(roof_m2: float, usable: float, kwp_m2: float, kwh_kwp: float):
    """(kWp, MWh per year) of a roof area with the given factors."""
    kwp = roof_m2 * usable * kwp_m2
    return kwp, kwp * kwh_kwp / 1000.0


def compute(ctx: ParkContext) -> dict[str, dict[str, Any]]:
    keys = ["roof_area_m2", "solar_kwp", "solar_mwh_yr", "roofs_with_panels_pct"]
    b = ctx.buildings()
    if b is None:
        return not_available(keys, reason("no_building_layer"))
    geoms, areas, src = b
    cfg = config.load("energy")
    roof = float(areas.sum())
    usable = float(cfg["usable_roof_fraction"]["value"])
    kwp_m2 = float(cfg["kwp_per_m2_panel"]["value"])
    kwh = float(cfg["kwh_per_kwp_year"]["value"])
    kwp, mwh = solar_potential(roof, usable, kwp_m2, kwh)
    method = f"roof area x {usable:g} usable x {kwp_m2:g} kWp/m2"
    out = {
        "roof_area_m2": entry("roof_area_m2", roof, source=src),
        "solar_kwp": entry("solar_kwp", kwp, source=src, method=method),
        "solar_mwh_yr": entry(
            "solar_mwh_yr", mwh, source=src, method=f"{method} x {kwh:g} kWh/kWp/yr / 1000"
        ),
    }
    lyrs = ctx.bundle.layers("solar_panels")
    if not lyrs:
        out.update(not_available(["roofs_with_panels_pct"], reason("no_solar_layer")))
        return out
    panels, _ = ctx.bundle.read_vector(lyrs[0], ctx.bounds, [])
    psrc = f"{lyrs[0].provenance}; {src}"
    if roof <= 0:
        out.update(not_available(["roofs_with_panels_pct"], reason("no_roof_area"), psrc))
        return out
    roofs = shapely.intersection(shapely.union_all(geoms), ctx.geom)
    covered = shapely.intersection(shapely.union_all(panels), roofs).area if panels.size else 0.0
    out["roofs_with_panels_pct"] = entry(
        "roofs_with_panels_pct", min(100.0, covered / roof * 100.0), source=psrc
    )
    return out
