"""Heat: PET statistics from a heat map, and the InVEST urban cooling indices.

With a PET raster (Klimaateffectatlas stress test, felt temperature on a hot day):
coverage-weighted mean, P90 and the share of the park in each heat-stress class.

Always, when land cover is present: the InVEST urban cooling model's cooling
capacity CC and heat mitigation index HM, computed as InVEST 3.20.2 computes
them (``urban_cooling_model.py``, factors method; see docs/scan-method.md and
docs/validation.md for the comparison with InVEST itself). The one departure:
where a canopy layer (AHN) is given, the shade of the park's cells is the
measured canopy share instead of the class's table value.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from affine import Affine
from rasterio import features
from scipy import ndimage
from scipy.signal import fftconvolve

from . import config
from .bundle import RasterWindow
from .catalog import entry, not_available, reason
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


@lru_cache(maxsize=8)
def invest_kernels(d_cool: float, cell_m: float) -> tuple[int, np.ndarray, np.ndarray]:
    """InVEST's two kernels on a grid of ``cell_m`` (pygeoprocessing.kernels, in pixels).

    R = round(d_cool / cell) pixels. Green area: a dichotomous disc, distance <= R,
    not normalised. Park cooling: exp(-d / R) for d <= 5 R, normalised to sum 1
    (``convolve_2d_by_exponential`` in InVEST 3.20.2, ``max_distance = 5 R``).
    """
    r = max(1, round(d_cool / cell_m))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    disc = (np.hypot(xx, yy) <= r).astype(np.float32)
    a = 5 * r
    yy, xx = np.mgrid[-a : a + 1, -a : a + 1]
    d = np.hypot(xx, yy)
    kexp = (np.where(d <= a, np.exp(-d / r), 0.0) / np.exp(-d / r)[d <= a].sum()).astype(np.float32)
    disc.flags.writeable = False  # cached: shared by every park
    kexp.flags.writeable = False
    return r, disc, kexp


def _masked_convolution(signal: np.ndarray, valid: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """conv(signal, k) / conv(valid, k): pygeoprocessing ``convolve_2d`` with
    ``ignore_nodata_and_edges=True`` (cells without land cover and cells beyond the
    grid do not count), before its multiplication by the kernel sum."""
    num = fftconvolve(signal, kernel, mode="same")
    den = fftconvolve(valid, kernel, mode="same")
    tiny = 1e-6 * float(kernel.max())
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > tiny, num / np.maximum(den, tiny), np.nan)


def invest_cooling(
    cc: np.ndarray,
    green: np.ndarray,
    valid: np.ndarray,
    cell_m: float,
    d_cool: float,
    ga_min_ha: float,
    green_cc: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Heat mitigation HM per cell as InVEST 3.20.2's urban cooling model computes it.

    ``cc``: cooling capacity per cell (NaN = no land cover); ``green``: green share of
    each cell (0-1; InVEST: the class's Green flag); ``valid``: cells with land cover
    (0-1); ``green_cc``: green share x CC of each cell (default ``green * cc``).

    - GA_i = cell area x number of green cells within d_cool, scaled up where part
      of the disc has no land cover or lies beyond the grid (``convolve_2d`` with
      ``ignore_nodata_and_edges``, dichotomous kernel);
    - CC_park_i = sum_j k_ij g_j CC_j / sum_j k_ij v_j over ALL cells with land
      cover within 5 d_cool, k = exp(-d/d_cool) (non-green cells count as 0);
    - HM_i = CC_i if CC_i >= CC_park_i or GA_i < 2 ha, else CC_park_i.

    Returns (HM, GA in ha, CC_park).
    """
    _r, disc, kexp = invest_kernels(d_cool, cell_m)
    valid = valid.astype(np.float32)
    cc0 = np.nan_to_num(cc, nan=0.0)
    if green_cc is None:
        green_cc = green * cc0
    ga_cells = _masked_convolution(green.astype(np.float32), valid, disc) * float(disc.sum())
    ga = np.nan_to_num(ga_cells, nan=0.0) * (cell_m * cell_m / 10_000.0)
    cc_park = _masked_convolution(green_cc.astype(np.float32), valid, kexp)
    cc_park = np.nan_to_num(cc_park, nan=0.0)
    # InVEST compares pixel counts: GA < 2e4 / cell^2 pixels
    keep = (cc0 >= cc_park) | (ga < ga_min_ha - 1e-9)
    hm = np.where(keep, cc, cc_park)
    hm = np.where(np.isnan(cc), np.nan, hm)
    return hm, ga, cc_park


def _block_mean(a: np.ndarray, k: int) -> np.ndarray:
    h, w = a.shape[0] // k, a.shape[1] // k
    return a[: h * k, : w * k].reshape(h, k, w, k).mean(axis=(1, 3))


def park_cooling_coarse(
    green_cc_sum: np.ndarray, valid_sum: np.ndarray, factor: int, r_px: int
) -> np.ndarray:
    """InVEST's CC_park on a grid ``factor`` times coarser than the model grid.

    ``green_cc_sum`` and ``valid_sum``: per coarse cell, the sums of g*CC and of the
    land-cover mask over its model cells. The exponential kernel exp(-d/R) (d and R
    in model cells, zero beyond 5 R) is taken at the coarse cells' distances, so
    CC_park = sum k s / sum k v with the same weights as InVEST, each block of
    model cells weighed at its centre. The kernel varies over hundreds of metres:
    measured against the exact 5 m computation the difference stays below 0.001
    (tests/scanengine/test_heat_invest.py), at a 25th of the cost.
    """
    a = (5 * r_px) // factor
    yy, xx = np.mgrid[-a : a + 1, -a : a + 1] * factor
    d = np.hypot(xx, yy)
    kernel = np.where(d <= 5 * r_px, np.exp(-d / r_px), 0.0).astype(np.float32)
    return np.nan_to_num(
        _masked_convolution(green_cc_sum.astype(np.float32), valid_sum, kernel), nan=0.0
    )


def _block_sum(a: np.ndarray, k: int) -> np.ndarray:
    h, w = a.shape[0] // k, a.shape[1] // k
    return a[: h * k, : w * k].reshape(h, k, w, k).sum(axis=(1, 3))


def _union_bbox(boxes: list[tuple[float, float, float, float]]):
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def cooling_grids(ctx: ParkContext) -> dict[str, Any] | None:
    """CC, HM, GA and CC_park over the park's box (5 m cells); None without land cover.

    InVEST's park cooling averages green over 5 d_cool (2,250 m): green land
    cover is read that far and rasterised on the 5 m grid (cell-centre rule, as
    InVEST's land-cover raster), CC_park is convolved on 25 m blocks of it and
    interpolated to the park's cells; GA (green within d_cool) is counted on the
    5 m grid itself. Over the park's box the 5 m cells are built from 1 m
    sub-cells (class mix, measured canopy). Cells count where a land-cover layer
    has data (its extent; BGT is complete there).
    """
    lc = ctx.lc
    if lc is None:
        return None
    p = config.load("heat")["invest_cooling"]
    cell = float(p["grid_m"]["value"])
    factor = max(1, round(float(p["park_cooling_block_m"]["value"]) / cell))
    sub = float(ctx.params.get("invest_subcell_m", p["landcover_subcell_m"]["value"]))
    k = max(1, round(cell / sub))
    sub = cell / k
    d_cool = float(ctx.params.get("d_cool_m", p["d_cool_m"]["value"]))
    ga_min = float(p["green_area_min_ha"]["value"])
    wts = p["weights"]
    mapping = ctx.bundle.mapping
    bio = p["biophysical"]
    n = len(mapping.keys)
    shade_t = np.full(n + 1, np.nan)  # index n = no land-cover feature (unknown)
    albedo_t = np.full(n + 1, np.nan)
    kc_t = np.full(n + 1, np.nan)
    green_t = np.zeros(n + 1, dtype=np.float32)
    for key, info in mapping.classes.items():
        b = bio[key]
        shade_t[info.code], albedo_t[info.code], kc_t[info.code] = b["shade"], b["albedo"], b["kc"]
        green_t[info.code] = 1.0 if info.green else 0.0
    # ETI = Kc ET0 / max(ET0) (InVEST calc_eti_op): with one ET0 for the area, ETI = Kc.
    eti_t = kc_t
    cc_t = (wts["shade"] * shade_t + wts["albedo"] * albedo_t + wts["eti"] * eti_t).astype(
        np.float32
    )  # CC per class; index n (unknown) is NaN

    r_px = max(1, round(d_cool / cell))
    reach = 5 * r_px * cell
    block = factor * cell
    fine_bounds = ctx.context_bounds(cell)
    bounds = ctx.context_bounds(reach)
    extent = ctx.landcover_extent()
    if extent:
        # no cell beyond the data counts: the grid need not reach further (the
        # park's own box always stays in it)
        e = _union_bbox([*extent, fine_bounds])
        bounds = (max(bounds[0], e[0]), max(bounds[1], e[1]), min(bounds[2], e[2]),
                  min(bounds[3], e[3]))  # fmt: skip
    # the whole grid in blocks of `factor` model cells, aligned to the block size
    cwin, t_block = window_for_bounds(bounds, 0.0, 0.0, block)
    Hc, Wc = int(cwin.height), int(cwin.width)
    H, W = Hc * factor, Wc * factor
    t_cell = Affine(cell, 0, t_block.c, 0, -cell, t_block.f)
    # cells with land cover: inside a land-cover layer's extent (BGT is complete)
    if extent:
        valid = np.zeros((H, W), dtype=np.float32)
        features.rasterize(((shapely.box(*b), 1.0) for b in extent), out=valid, transform=t_cell)
    else:
        valid = np.ones((H, W), dtype=np.float32)
    # (1) whole grid, cell-centre rule: green land cover up to 5 d_cool away
    far_geoms, far_codes = ctx.green_around(reach)
    coarse = np.full((H, W), n, dtype=np.int16)
    if far_geoms.size:
        features.rasterize(
            geojson_shapes(far_geoms, far_codes.astype(int)), out=coarse, transform=t_cell
        )
    green = green_t[coarse]
    green_cc = green * np.nan_to_num(cc_t[coarse], nan=0.0)
    del coarse
    # (2) the park's box at sub-cell resolution: class mix per cell and measured canopy
    ctx_parts = geojson_parts(lc.ctx_geoms)
    ctx_codes = lc.ctx_codes.astype(int)
    inner_box = shapely.box(*fine_bounds)
    iwin, it = window_for_bounds(fine_bounds, 0.0, 0.0, cell)
    r0, c0 = round((t_cell.f - it.f) / cell), round((it.c - t_cell.c) / cell)
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
    green_sub = green_t[codes]
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
    fine = (slice(r0, r0 + ih), slice(c0, c0 + iw))
    with np.errstate(invalid="ignore"):
        cc = _nanblock_mean(cc_sub, k)
    green[fine] = _block_mean(green_sub, k)
    green_cc[fine] = _block_mean(green_sub * np.nan_to_num(cc_sub, nan=0.0), k)

    # GA on the 5 m grid: green within d_cool of the park's cells
    g0, g1 = max(0, r0 - r_px), min(H, r0 + ih + r_px)
    h0, h1 = max(0, c0 - r_px), min(W, c0 + iw + r_px)
    _r, disc, _k = invest_kernels(d_cool, cell)
    ga_cells = _masked_convolution(green[g0:g1, h0:h1], valid[g0:g1, h0:h1], disc)
    ga = np.nan_to_num(ga_cells, nan=0.0) * float(disc.sum()) * (cell * cell / 10_000.0)
    ga = ga[r0 - g0 : r0 - g0 + ih, c0 - h0 : c0 - h0 + iw]
    # CC_park on blocks, interpolated (bilinear) to the park's cells
    park_c = park_cooling_coarse(
        _block_sum(green_cc, factor), _block_sum(valid, factor), factor, r_px
    )
    rows_f = (r0 + np.arange(ih) + 0.5) / factor - 0.5
    cols_f = (c0 + np.arange(iw) + 0.5) / factor - 0.5
    rr, cc_idx = np.meshgrid(rows_f, cols_f, indexing="ij")
    cc_park = ndimage.map_coordinates(park_c, [rr, cc_idx], order=1, mode="nearest")
    keep = (np.nan_to_num(cc, nan=0.0) >= cc_park) | (ga < ga_min - 1e-9)
    hm = np.where(np.isnan(cc), np.nan, np.where(keep, cc, cc_park))
    return {
        "cc": cc,
        "hm": hm,
        "ga": ga,
        "cc_park": cc_park,
        "transform": it,
        "shape": (ih, iw),
    }


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
        out.update(not_available(pet_keys, reason("no_heat_map")))
    else:
        # only the covered cells, strip by strip (same statistics: the others weigh 0)
        pet, covered = ctx.park_cells("heat")
        src = ctx.bundle.rasters["heat"].provenance
        if covered < 0.99:
            out.update(
                not_available(
                    pet_keys, reason("heat_map_covers_only", pct=round(covered * 100)), src
                )
            )
        else:
            mean = pet.mean()
            p90 = pet.quantile(0.9)
            why = reason("heat_map_no_data_inside")
            out["pet_mean_c"] = entry("pet_mean_c", mean, source=src, reason=why)
            out["pet_p90_c"] = entry("pet_p90_c", p90, source=src, reason=why)
            for key, share in pet_class_shares(pet, classes).items():
                out[f"pet_share_{key}_pct"] = entry(
                    f"pet_share_{key}_pct", share, source=src, reason=why
                )
        del pet
    keys = ["cooling_capacity_mean", "heat_mitigation_mean"]
    grids = cooling_grids(ctx)
    if grids is None:
        out.update(not_available(keys, reason("no_landcover_layer")))
        return out
    idx, w = ctx.covered(grids["transform"], grids["shape"])
    src = "; ".join(ctx.lc.sources)
    if ctx.memo.get("canopy") and ctx.memo["canopy"][0] is not None:
        src += f"; {ctx.memo['canopy'][3]}"
    why = reason("no_landcover_inside")
    out["cooling_capacity_mean"] = entry(
        "cooling_capacity_mean",
        weighted_mean(grids["cc"].ravel()[idx], w),
        source=src,
        reason=why,
    )
    out["heat_mitigation_mean"] = entry(
        "heat_mitigation_mean",
        weighted_mean(grids["hm"].ravel()[idx], w),
        source=src,
        reason=why,
    )
    return out
