"""Heat: PET statistics from a heat map, and the InVEST urban cooling indices.

With a PET raster (Klimaateffectatlas stress test, felt temperature on a hot day):
coverage-weighted mean, P90 and the share of the park in each heat-stress class.

Always, when land cover is present: the InVEST urban cooling model's cooling
capacity CC and heat mitigation index HM, with one deliberate change: a 'large
green area' is a *connected* green area of >= 2 ha (green polygons closer than
0.5 m form one area), not any 2 ha of scattered green within d_cool, which InVEST's
moving-window sum counts as a park (a known InVEST shortcoming).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely
from affine import Affine
from rasterio import features
from scipy.signal import fftconvolve

from . import config
from .bundle import RasterWindow
from .catalog import entry, not_available
from .context import ParkContext
from .landcover import canopy
from .zonal import (
    CellSample,
    geojson_parts,
    geojson_shapes,
    pick_shapes,
    weighted_mean,
    window_for_bounds,
)


def pet_class_shares(cells: CellSample, classes: list[dict]) -> dict:
    """Share (%) of covered area per PET class [lower, upper); cells without a value
    are left out (of the share and of the total)."""
    total = cells.total_weight(valid_only=True)
    out = {}
    for cls in classes:
        lower, upper = cls.get("lower"), cls.get("upper")

        def inside(v, lower=lower, upper=upper):
            if lower is None:
                return v < upper if upper is not None else np.ones(v.shape, dtype=bool)
            return (v >= lower) & (v < upper) if upper is not None else v >= lower

        out[cls["key"]] = cells.weight_where(inside) / total * 100.0 if total > 0 else None
    return out


def per_building_stat(windows: Iterable[RasterWindow], zones: np.ndarray, stat: str) -> np.ndarray:
    """Statistic ('mean' or 'max') per zone polygon of the raster cells they touch.

    ``windows``: the raster over the zones, whole or in strips (``ParkContext.
    raster_strips``); sums, counts and maxima are accumulated over the strips, so the
    result does not depend on how the window is cut. Per strip all zones meeting it are
    rasterised in one call with their index; where zones of neighbouring buildings
    overlap, a cell counts for one of them (the later one).
    """
    n = len(zones)
    out = np.full(n, np.nan)
    if n == 0:
        return out
    zones = np.asarray(zones, dtype=object)
    parts = geojson_parts(zones)  # converted once, picked per strip
    zb = shapely.bounds(zones)
    sums = np.zeros(n)
    cnt = np.zeros(n)
    mx = np.full(n, -np.inf)
    for win in windows:
        t, (h, w) = win.transform, win.array.shape
        x0, y1 = t.c, t.f
        x1, y0 = x0 + w * t.a, y1 + h * t.e
        meets = (zb[:, 0] <= x1) & (zb[:, 2] >= x0) & (zb[:, 1] <= y1) & (zb[:, 3] >= y0)
        if not meets.any():
            continue
        lab = np.full((h, w), -1, dtype=np.int32)
        features.rasterize(
            pick_shapes(parts, meets, np.arange(n)), out=lab, transform=t, all_touched=True
        )
        sel = (lab >= 0) & ~np.isnan(win.array)
        idx, vals = lab[sel], win.array[sel].astype(np.float64)
        del lab, sel
        if stat == "mean":
            cnt += np.bincount(idx, minlength=n)
            sums += np.bincount(idx, weights=vals, minlength=n)
        else:
            np.maximum.at(mx, idx, vals)
    if stat == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(cnt > 0, sums / np.maximum(cnt, 1), np.nan)
    else:
        out = np.where(np.isfinite(mx), mx, np.nan)
    return out


def invest_cooling(
    cc: np.ndarray, green: np.ndarray, cell_m: float, d_cool: float, ga_min_ha: float
) -> tuple[np.ndarray, np.ndarray]:
    """Heat mitigation HM per cell (InVEST users' guide eq. 3a, 3b, 4).

    ``cc``: cooling capacity per cell (NaN = unknown); ``green``: fraction (0-1) of
    each cell that belongs to a large connected green area. GA_i = cell area x sum
    of green within d_cool; CC_park_i = sum g_j CC_j exp(-d_ij/d_cool) / sum g_j
    exp(-d_ij/d_cool) over j within d_cool (the distance-weighted average of the
    green cells' CC); HM_i = CC_i if CC_i >= CC_park_i or GA_i <
    ga_min_ha, else CC_park_i. Returns (HM, GA in ha).
    """
    r = int(np.ceil(d_cool / cell_m))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1] * cell_m
    d = np.hypot(xx, yy)
    disc = d <= d_cool
    kexp = np.where(disc, np.exp(-d / d_cool), 0.0)
    cc0 = np.nan_to_num(cc, nan=0.0)
    cell_ha = cell_m * cell_m / 10_000.0
    ga = np.maximum(fftconvolve(green, disc.astype(float), mode="same") * cell_ha, 0.0)
    num = fftconvolve(green * cc0, kexp, mode="same")
    den = fftconvolve(green, kexp, mode="same")
    # "CC_park_i is the distance weighted average of the CC values from green spaces"
    # (users' guide): normalised by the weights of the green cells
    with np.errstate(invalid="ignore", divide="ignore"):
        cc_park = np.where(den > 1e-9, num / np.maximum(den, 1e-12), 0.0)
    hm = np.where((cc0 >= cc_park) | (ga < ga_min_ha - 1e-9), cc, cc_park)
    hm = np.where(np.isnan(cc), np.nan, hm)
    return hm, ga


def _block_mean(a: np.ndarray, k: int) -> np.ndarray:
    h, w = a.shape[0] // k, a.shape[1] // k
    return a[: h * k, : w * k].reshape(h, k, w, k).mean(axis=(1, 3))


def cooling_grids(ctx: ParkContext) -> dict[str, Any] | None:
    """CC and HM on the model grid over the park (plus d_cool); None without land cover."""
    lc = ctx.lc
    if lc is None:
        return None
    p = config.load("heat")["invest_cooling"]
    cell = float(p["grid_m"]["value"])
    sub = float(ctx.params.get("invest_subcell_m", 1.0))
    k = max(1, round(cell / sub))
    sub = cell / k
    d_cool = float(ctx.params.get("d_cool_m", p["d_cool_m"]["value"]))
    ga_min = float(p["green_area_min_ha"]["value"])
    gap = float(p["contiguity_gap_m"]["value"])
    wts = p["weights"]
    mapping = ctx.bundle.mapping
    bio = p["biophysical"]
    n = len(mapping.keys)
    shade_t = np.full(n + 1, np.nan)  # index n = no land-cover feature (unknown)
    albedo_t = np.full(n + 1, np.nan)
    kc_t = np.full(n + 1, np.nan)
    for key, info in mapping.classes.items():
        b = bio[key]
        shade_t[info.code], albedo_t[info.code], kc_t[info.code] = b["shade"], b["albedo"], b["kc"]
    eti_t = np.clip(kc_t / np.nanmax(kc_t), 0, 1)  # ETI = Kc ET0 / ETmax, uniform ET0

    cc_t = (wts["shade"] * shade_t + wts["albedo"] * albedo_t + wts["eti"] * eti_t).astype(
        np.float32
    )  # CC per class; index n (unknown) is NaN

    # model grid (cell m, aligned to multiples of the cell size in RD) over park + d_cool
    bounds = ctx.context_bounds(min(d_cool, ctx.context_m))
    win, t_cell = window_for_bounds(bounds, 0.0, 0.0, cell)
    H, W = int(win.height), int(win.width)
    # every context polygon converted for rasterio once (parts picked per use below)
    ctx_parts = geojson_parts(lc.ctx_geoms)
    ctx_codes = lc.ctx_codes.astype(int)
    # (1) whole grid, cell-centre rule: green/water around the park (enough for the
    #     distance-weighted park term far from the park)
    inner_box = shapely.box(*ctx.context_bounds(cell))
    shapely.prepare(inner_box)
    outside = ~shapely.contains(inner_box, lc.ctx_geoms)  # the fine grid covers the rest
    coarse = np.full((H, W), n, dtype=np.int16)
    if outside.any():
        features.rasterize(pick_shapes(ctx_parts, outside, ctx_codes), out=coarse, transform=t_cell)
    cc = cc_t[coarse]
    del coarse
    # large connected green areas (the contiguity fix)
    large = np.zeros(lc.ctx_geoms.size, dtype=bool)
    gg, labels, comp_area = ctx.green_components(gap)
    if gg.size:
        green_idx = np.flatnonzero(np.isin(lc.ctx_codes, mapping.green_codes))
        large[green_idx[comp_area[labels] >= ga_min * 10_000.0]] = True
    green = np.zeros((H, W), dtype=np.float32)
    if large.any():
        features.rasterize(pick_shapes(ctx_parts, large, 1), out=green, transform=t_cell)
    # (2) the park's box at sub-cell resolution: class mix per cell and measured canopy
    iwin, it = window_for_bounds(ctx.context_bounds(cell), 0.0, 0.0, cell)
    r0, c0 = int(iwin.row_off - win.row_off), int(iwin.col_off - win.col_off)
    ih, iw = int(iwin.height), int(iwin.width)
    t_sub = Affine(sub, 0, it.c, 0, -sub, it.f)
    codes = np.full((ih * k, iw * k), n, dtype=np.int16)
    # green/water near the park but not in it (those in it are in lc.geoms already)
    shapely.prepare(ctx.geom)
    meets_box = shapely.intersects(inner_box, lc.ctx_geoms)
    near = meets_box & ~shapely.intersects(ctx.geom, lc.ctx_geoms)
    if near.any():
        features.rasterize(pick_shapes(ctx_parts, near, ctx_codes), out=codes, transform=t_sub)
    ok = lc.codes >= 0
    if ok.any():
        features.rasterize(
            geojson_shapes(lc.geoms[ok], lc.codes[ok].astype(int)), out=codes, transform=t_sub
        )
    cc_sub = cc_t[codes]
    win_c, mask_c, _m, _s = canopy(ctx)
    if win_c is not None:
        tc = win_c.transform
        xs = t_sub.c + (np.arange(iw * k) + 0.5) * sub
        ys = t_sub.f - (np.arange(ih * k) + 0.5) * sub
        cols = np.floor((xs - tc.c) / tc.a).astype(int)
        rows = np.floor((ys - tc.f) / tc.e).astype(int)
        hc, wc = mask_c.shape
        okc = (cols >= 0) & (cols < wc)
        okr = (rows >= 0) & (rows < hc)
        ri, ci = np.nonzero(okr)[0], np.nonzero(okc)[0]
        if ri.size and ci.size:
            sampled = mask_c[np.ix_(rows[okr], cols[okc])].astype(np.float32)
            inside = win_c.inside[np.ix_(rows[okr], cols[okc])]
            block_codes = codes[np.ix_(ri, ci)]
            delta = np.where(inside, sampled - shade_t[block_codes], 0.0)
            cc_sub[np.ix_(ri, ci)] += (wts["shade"] * delta).astype(np.float32)
    with np.errstate(invalid="ignore"):
        cc[r0 : r0 + ih, c0 : c0 + iw] = _nanblock_mean(cc_sub, k)
    if large.any():
        # only large green that meets the fine grid's box can burn a cell of it
        gsub = np.zeros((ih * k, iw * k), dtype=np.float32)
        sub_large = large & meets_box
        if sub_large.any():
            features.rasterize(pick_shapes(ctx_parts, sub_large, 1), out=gsub, transform=t_sub)
        green[r0 : r0 + ih, c0 : c0 + iw] = _block_mean(gsub, k)
    hm, ga = invest_cooling(cc, green, cell, d_cool, ga_min)
    return {"cc": cc, "hm": hm, "ga": ga, "transform": t_cell, "shape": (H, W)}


def _nanblock_mean(a: np.ndarray, k: int) -> np.ndarray:
    h, w = a.shape[0] // k, a.shape[1] // k
    b = a[: h * k, : w * k].reshape(h, k, w, k)
    cnt = np.sum(~np.isnan(b), axis=(1, 3))
    s = np.nansum(b, axis=(1, 3))
    return np.where(cnt > 0, s / np.maximum(cnt, 1), np.nan)


def compute(ctx: ParkContext) -> dict[str, dict[str, Any]]:
    """PET indicators (heat raster) and InVEST CC/HM (land cover)."""
    heat_cfg = config.load("heat")
    classes = heat_cfg["pet_classes"]["classes"]
    pet_keys = ["pet_mean_c", "pet_p90_c"] + [f"pet_share_{c['key']}_pct" for c in classes]
    out: dict[str, dict] = {}
    if "heat" not in ctx.bundle.rasters:
        out.update(not_available(pet_keys, "no heat map (PET raster) in the data bundle"))
    else:
        # only the covered cells, strip by strip (same statistics: the others weigh 0)
        pet, covered = ctx.park_cells("heat")
        src = ctx.bundle.rasters["heat"].provenance
        if covered < 0.99:
            out.update(
                not_available(pet_keys, f"the heat map covers only {covered:.0%} of the park", src)
            )
        else:
            mean = pet.mean()
            p90 = pet.quantile(0.9)
            reason = "the heat map has no data inside the park"
            out["pet_mean_c"] = entry("pet_mean_c", mean, source=src, reason=reason)
            out["pet_p90_c"] = entry("pet_p90_c", p90, source=src, reason=reason)
            for key, share in pet_class_shares(pet, classes).items():
                out[f"pet_share_{key}_pct"] = entry(
                    f"pet_share_{key}_pct", share, source=src, reason=reason
                )
        del pet
    keys = ["cooling_capacity_mean", "heat_mitigation_mean"]
    grids = cooling_grids(ctx)
    if grids is None:
        out.update(not_available(keys, "no land-cover layer (BGT) in the data bundle"))
        return out
    idx, w = ctx.covered(grids["transform"], grids["shape"])
    src = "; ".join(ctx.lc.sources)
    if ctx.memo.get("canopy") and ctx.memo["canopy"][0] is not None:
        src += f"; {ctx.memo['canopy'][3]}"
    reason = "no land cover inside the park"
    out["cooling_capacity_mean"] = entry(
        "cooling_capacity_mean",
        weighted_mean(grids["cc"].ravel()[idx], w),
        source=src,
        reason=reason,
    )
    out["heat_mitigation_mean"] = entry(
        "heat_mitigation_mean",
        weighted_mean(grids["hm"].ravel()[idx], w),
        source=src,
        reason=reason,
    )
    return out
