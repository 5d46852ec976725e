"""Water: runoff and retention of the design shower, storage vs the 50 mm norm, flooding.

Runoff: SCS curve number per land-cover class (USDA NRCS TR-55), Q = (P - 0.2 S)^2 /
(P + 0.8 S) for P > 0.2 S else 0, S = 25400 / CN - 254 (mm), P = 70 mm in 1 hour
(bouwadaptief.nl design shower). Storage needed: 50 mm over the sealed surface;
storage present (on the plot): wadis and basins times their usable depth (water.yaml);
open water in public space (BGT waterdeel: canals, ditches, ponds of the water system)
is reported apart and does not count toward the on-plot norm.
Flooding: shares of area and buildings with depth > 10 / 20 cm from a flood raster.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from . import config
from .catalog import entry, not_available, reason
from .context import ParkContext
from .heat import per_building_stat
from .landcover import class_areas


def scs_runoff_mm(p_mm: float, cn: np.ndarray | float) -> np.ndarray:
    """Direct runoff Q (mm) of a rain depth P (mm) for curve number(s) CN (TR-55 eq. 2-3).

    S = 25400/CN - 254; Ia = 0.2 S; Q = (P - Ia)^2 / (P - Ia + S) when P > Ia, else 0.
    CN 100 gives Q = P.
    """
    cn = np.asarray(cn, dtype=float)
    s = np.where(cn >= 100, 0.0, 25400.0 / np.maximum(cn, 1e-9) - 254.0)
    ia = 0.2 * s
    q = np.where(p_mm > ia, (p_mm - ia) ** 2 / np.maximum(p_mm - ia + s, 1e-12), 0.0)
    return q


def curve_numbers(class_keys: list[str], soil_group: str | None = None) -> np.ndarray:
    """CN per class (order of ``class_keys``) for a hydrologic soil group (A-D)."""
    cfg = config.load("water")["curve_numbers"]
    group = (soil_group or cfg["soil_group_default"]).upper()
    if group not in {"A", "B", "C", "D"}:
        raise ValueError(f"soil group must be A, B, C or D, not {soil_group!r}")
    return np.array([float(cfg["values"][k][group]) for k in class_keys])


def storage_volumes(
    codes: np.ndarray, areas: np.ndarray, object_types: np.ndarray, mapping, cfg: dict
) -> tuple[float, float]:
    """(on-plot storage m3, storage in public water m3) of the features inside the park.

    Volume = area inside the park x usable depth of its class (``storage_depth_m``).
    Features of the object types in ``public_water`` (BGT waterdeel) are open water in
    public space: their volume is the second figure and never counts toward the 50 mm
    on-plot norm (a park outline over a canal would otherwise 'store' the canal).
    """
    depth = np.zeros(len(mapping.keys))
    for key, spec in cfg["storage_depth_m"].items():
        if key in mapping.classes:
            depth[mapping.classes[key].code] = float(spec["value"])
    ok = codes >= 0
    volume = np.where(ok, areas * depth[np.where(ok, codes, 0)], 0.0)
    public = np.isin(object_types.astype(str), list(cfg["public_water"]["object_types"]))
    return float(volume[~public].sum()), float(volume[public].sum())


def compute(ctx: ParkContext) -> dict[str, dict[str, Any]]:
    cfg = config.load("water")
    out: dict[str, dict] = {}
    keys_lc = [
        "runoff_mm",
        "runoff_m3",
        "retention_pct",
        "storage_needed_m3",
        "storage_present_m3",
        "storage_mm",
        "storage_gap_m3",
        "public_water_storage_m3",
    ]
    mapping = ctx.bundle.mapping
    if ctx.lc is None:
        out.update(not_available(keys_lc, reason("no_landcover_layer")))
    else:
        src = "; ".join(ctx.lc.sources)
        per_class = class_areas(ctx.lc.codes, ctx.lc.areas, len(mapping.keys))
        p_mm = float(ctx.params.get("design_shower_mm", cfg["design_shower"]["depth_mm"]))
        cn = curve_numbers(mapping.keys, ctx.params.get("soil_group"))
        q = scs_runoff_mm(p_mm, cn)
        covered = per_class.sum()
        runoff_m3 = float((q * per_class).sum() / 1000.0)
        runoff_mm = runoff_m3 * 1000.0 / covered if covered > 0 else None
        soil = (ctx.params.get("soil_group") or cfg["curve_numbers"]["soil_group_default"]).upper()
        method = f"SCS curve number (TR-55), soil group {soil}, P = {p_mm:g} mm"
        out["runoff_mm"] = entry("runoff_mm", runoff_mm, source=src, method=method)
        out["runoff_m3"] = entry("runoff_m3", runoff_m3, source=src, method=method)
        out["retention_pct"] = entry(
            "retention_pct",
            None if runoff_mm is None else (1.0 - runoff_mm / p_mm) * 100.0,
            source=src,
            method=method,
        )
        norm_mm = float(ctx.params.get("storage_norm_mm", cfg["storage_norm"]["mm"]))
        sealed = float(per_class[mapping.sealed_codes].sum())
        needed = sealed * norm_mm / 1000.0
        present, public = storage_volumes(
            ctx.lc.codes, ctx.lc.areas, ctx.lc.object_types, mapping, cfg
        )
        out["storage_needed_m3"] = entry("storage_needed_m3", needed, source=src)
        out["storage_present_m3"] = entry("storage_present_m3", present, source=src)
        out["public_water_storage_m3"] = entry("public_water_storage_m3", public, source=src)
        out["storage_mm"] = entry(
            "storage_mm",
            present / sealed * 1000.0 if sealed > 0 else None,
            source=src,
            reason=reason("no_sealed_surface"),
        )
        out["storage_gap_m3"] = entry("storage_gap_m3", max(0.0, needed - present), source=src)
    out.update(flood(ctx, cfg))
    return out


def flood(ctx: ParkContext, cfg: dict) -> dict[str, dict[str, Any]]:
    """Shares of park area and of buildings with water depth above the thresholds."""
    keys = [
        "flood_area_gt10cm_pct",
        "flood_area_gt20cm_pct",
        "flood_buildings_gt10cm_pct",
        "flood_buildings_gt20cm_pct",
    ]
    if "flood" not in ctx.bundle.rasters:
        return not_available(keys, reason("no_flood_raster"))
    depth, covered = ctx.park_cells("flood")
    src = ctx.bundle.rasters["flood"].provenance
    if covered < 0.99:
        why = reason("flood_raster_covers_only", pct=round(covered * 100))
        return not_available(keys, why, src)
    # no data in a depth map = dry (0 m); only the covered cells (the others weigh 0)
    total = depth.total_weight()
    out: dict[str, dict] = {}
    # depths are float32 (as read); thresholds are compared at that precision, so a
    # stored 0.10 m is not 'above 0.10 m' for the area nor for the buildings. No data
    # counts as dry: with thresholds >= 0 it is never above one, so it is left out of
    # the comparisons (and of the per-building maxima below).
    t10, t20 = (np.float32(v) for v in cfg["flood_thresholds_m"]["values"])
    if min(t10, t20) < 0:
        raise ValueError("flood thresholds must be >= 0 m")
    for key, t in (("flood_area_gt10cm_pct", t10), ("flood_area_gt20cm_pct", t20)):
        wet = depth.weight_where(lambda v, t=t: v > t)
        out[key] = entry(key, wet / total * 100.0, source=src)
    del depth
    b = ctx.buildings()
    bkeys = ["flood_buildings_gt10cm_pct", "flood_buildings_gt20cm_pct"]
    if b is None:
        out.update(not_available(bkeys, reason("no_building_layer"), src))
        return out
    geoms, _areas, bsrc = b
    if geoms.size == 0:
        out.update(not_available(bkeys, reason("no_buildings"), f"{src}; {bsrc}"))
        return out
    buf = float(cfg["building_flood_buffer_m"]["value"])
    zones = shapely.buffer(geoms, buf)
    mx = per_building_stat((s[0] for s in ctx.raster_strips("flood")), zones, "max")
    mx = np.nan_to_num(mx, nan=0.0).astype(np.float32)  # the raster's values, exactly
    for key, t in zip(bkeys, (t10, t20), strict=True):
        out[key] = entry(key, float((mx > t).mean() * 100.0), source=f"{src}; {bsrc}")
    return out
