"""Land-cover indicators: class shares, green/green-blue/impervious shares, canopy.

Shares are exact polygon areas (shapely/GEOS intersection of BGT polygons with the
park), not raster counts. Canopy comes from elevation rasters (AHN): cells with a
canopy height >= 2 m outside buildings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from rasterio import features
from scipy import ndimage

from .bundle import RasterWindow
from .catalog import entry, not_available
from .context import ParkContext
from .zonal import geojson_shapes

CANOPY_MIN_HEIGHT_M = 2.0  # InVEST users' guide: shade = share of tree canopy > 2 m
DSM_ONLY_GROUND_WINDOW_M = 30.0


def class_areas(codes: np.ndarray, areas: np.ndarray, n_classes: int) -> np.ndarray:
    """Area (m2) per class code: sum of the clipped feature areas of each class."""
    ok = codes >= 0
    return np.bincount(codes[ok], weights=areas[ok], minlength=n_classes).astype(float)


def shares_pct(per_class: np.ndarray, park_area: float) -> tuple[np.ndarray, float]:
    """Class shares (%) and the share not covered by any feature (%).

    Formula: share_c = A_c / max(A_park, sum A) x 100; not covered = (A_park - sum A)
    / A_park x 100 when positive. The max() absorbs overlaps in the source data (BGT is
    a partition in theory; real data has slivers), so shares always sum to 100.
    """
    total = float(per_class.sum())
    denom = max(park_area, total)
    if denom <= 0:
        return np.zeros_like(per_class), 100.0
    shares = per_class / denom * 100.0
    not_covered = max(0.0, park_area - total) / denom * 100.0
    return shares, not_covered


def compute(ctx: ParkContext) -> dict[str, dict[str, Any]]:
    """Class shares and derived shares of one park (needs the land-cover layers)."""
    mapping = ctx.bundle.mapping
    keys = [f"share_{k}_pct" for k in mapping.keys] + [
        "share_not_covered_pct",
        "green_share_pct",
        "green_blue_share_pct",
        "impervious_share_pct",
        "parking_area_m2",
        "parking_share_pct",
    ]
    lc = ctx.lc
    if lc is None:
        return not_available(keys, "no land-cover layer (BGT) in the data bundle")
    source = "; ".join(lc.sources)
    per_class = class_areas(lc.codes, lc.areas, len(mapping.keys))
    shares, not_covered = shares_pct(per_class, ctx.area)
    out = {
        f"share_{k}_pct": entry(f"share_{k}_pct", shares[i], source=source)
        for i, k in enumerate(mapping.keys)
    }
    out["share_not_covered_pct"] = entry("share_not_covered_pct", not_covered, source=source)
    out["green_share_pct"] = entry(
        "green_share_pct", shares[mapping.green_codes].sum(), source=source
    )
    gb = np.concatenate([mapping.green_codes, mapping.water_codes])
    out["green_blue_share_pct"] = entry("green_blue_share_pct", shares[gb].sum(), source=source)
    out["impervious_share_pct"] = entry(
        "impervious_share_pct", shares[mapping.sealed_codes].sum(), source=source
    )
    parking_area = float(lc.areas[lc.parking].sum())
    has_parking_attr = any(
        lyr.object_type in mapping.rules
        and mapping.rules[lyr.object_type].parking_values
        and mapping.rules[lyr.object_type].needed_columns(lyr.columns)["parking"]
        for lyr in ctx.bundle.layers("landcover")
    )
    if has_parking_attr:
        out["parking_area_m2"] = entry("parking_area_m2", parking_area, source=source)
        out["parking_share_pct"] = entry(
            "parking_share_pct", parking_area / ctx.area * 100.0, source=source
        )
    else:
        out.update(
            not_available(
                ["parking_area_m2", "parking_share_pct"],
                "no land-cover layer with a parking function (BGT wegdeel 'function')",
                source,
            )
        )
    return out


# -- canopy --------------------------------------------------------------------


def canopy_from_heights(chm: np.ndarray, exclude: np.ndarray | None = None) -> np.ndarray:
    """Canopy mask: canopy height >= 2 m and not excluded (buildings). NaN -> no canopy."""
    with np.errstate(invalid="ignore"):
        mask = chm >= CANOPY_MIN_HEIGHT_M
    if exclude is not None:
        mask &= ~exclude
    return mask


def ground_from_dsm(dsm: np.ndarray, res: float, window_m: float = DSM_ONLY_GROUND_WINDOW_M):
    """Ground estimate from a DSM alone: a grey opening (min then max filter) over
    ``window_m``. Objects narrower than the window (trees, cars, walls) are removed;
    tree groups wider than the window are partly taken as ground (underestimate)."""
    size = max(3, round(window_m / res) | 1)
    filled = np.where(np.isnan(dsm), np.nanmax(dsm) if np.isfinite(dsm).any() else 0, dsm)
    return ndimage.grey_opening(filled, size=(size, size))


def _resample_to(src_win, dst_win) -> np.ndarray:
    """Nearest-cell values of ``src_win`` at the cell centres of ``dst_win``'s grid."""
    if src_win.transform == dst_win.transform and src_win.array.shape == dst_win.array.shape:
        return src_win.array
    h, w = dst_win.array.shape
    t = dst_win.transform
    xs = t.c + (np.arange(w) + 0.5) * t.a
    ys = t.f + (np.arange(h) + 0.5) * t.e
    st = src_win.transform
    cols = np.floor((xs - st.c) / st.a).astype(int)
    rows = np.floor((ys - st.f) / st.e).astype(int)
    sh, sw = src_win.array.shape
    okc = (cols >= 0) & (cols < sw)
    okr = (rows >= 0) & (rows < sh)
    out = np.full((h, w), np.nan, dtype=np.float32)
    sub = src_win.array[np.ix_(rows[okr], cols[okc])]
    out[np.ix_(np.nonzero(okr)[0], np.nonzero(okc)[0])] = sub
    return out


def building_mask(ctx: ParkContext, transform, shape, buffer_m: float = 0.0) -> np.ndarray:
    """Cells (centre rule) covered by building footprints read for this park."""
    geoms = np.zeros(0, dtype=object)
    if ctx.lc is not None:
        built = ctx.bundle.mapping.classes["built"].code
        geoms = ctx.lc.geoms[ctx.lc.codes == built]
    if geoms.size == 0:
        b = ctx.buildings()
        if b is not None:
            geoms = b[0]
    if geoms.size == 0:
        return np.zeros(shape, dtype=bool)
    if buffer_m:
        geoms = shapely.buffer(geoms, buffer_m)
    return features.rasterize(
        geojson_shapes(geoms, 1), out_shape=shape, transform=transform, dtype="uint8"
    ).astype(bool)


def canopy(ctx: ParkContext) -> tuple[Any, Any, str, str]:
    """(raster window, canopy mask, method, source) or (None, None, reason, ''); cached."""
    if "canopy" not in ctx.memo:
        win, mask, method, source = _canopy(ctx)
        if win is not None:
            # keep the mask and its grid, free the elevation arrays (large parks); the
            # kept array is 1/0 canopy with NaN where the elevation raster has no data
            arr = np.where(np.isnan(win.array), np.float32(np.nan), mask.astype(np.float32))
            win = RasterWindow(arr, win.transform, win.inside, win.layer)
            for role in ("dsm", "dtm", "canopy"):
                ctx.drop_raster(role)
        ctx.memo["canopy"] = (win, mask, method, source)
    return ctx.memo["canopy"]


def _canopy(ctx: ParkContext) -> tuple[Any, Any, str, str]:
    """(raster window, canopy mask, method, source) or (None, None, reason, '').

    Order of preference: a canopy-height layer; DSM - DTM; DSM alone (documented
    fallback: ground = grey opening of the DSM over 30 m, buildings and NaN excluded).
    """
    if "canopy" in ctx.bundle.rasters:
        win = ctx.raster("canopy")
        if win is None:
            return None, None, "the canopy raster does not cover the park", ""
        mask = canopy_from_heights(win.array, building_mask(ctx, win.transform, win.array.shape))
        return win, mask, "canopy height >= 2 m from the canopy layer", win.layer.provenance
    dsm = ctx.raster("dsm")
    if dsm is None:
        reason = (
            "no elevation layer (AHN DSM/DTM) or canopy layer in the data bundle"
            if "dsm" not in ctx.bundle.rasters
            else "the DSM raster does not cover the park"
        )
        return None, None, reason, ""
    exclude = building_mask(ctx, dsm.transform, dsm.array.shape, buffer_m=0.5)
    if "dtm" in ctx.bundle.rasters:
        dtm = ctx.raster("dtm")
        if dtm is None:
            return None, None, "the DTM raster does not cover the park", ""
        chm = dsm.array - _resample_to(dtm, dsm)
        method = "canopy height = DSM - DTM >= 2 m, building footprints (+0.5 m) excluded"
        source = f"{dsm.layer.provenance}; {dtm.layer.provenance}"
    else:
        chm = dsm.array - ground_from_dsm(dsm.array, dsm.res)
        exclude |= np.isnan(dsm.array)
        method = (
            "DSM only (no DTM): height above a 30 m grey-opening ground estimate >= 2 m, "
            "buildings and no-data (water) excluded; may include cars and walls"
        )
        source = dsm.layer.provenance
    return dsm, canopy_from_heights(chm, exclude), method, source


def canopy_indicator(ctx: ParkContext) -> dict[str, dict[str, Any]]:
    """canopy_share_pct: coverage-weighted share of canopy cells in the park."""
    win, mask, method, source = canopy(ctx)
    if win is None:
        return not_available(["canopy_share_pct"], method)
    idx, w = ctx.covered(win.transform, win.array.shape)
    covered = ctx.raster_coverage_share(win)
    if covered < 0.99:
        return not_available(
            ["canopy_share_pct"],
            f"the elevation raster covers only {covered:.0%} of the park",
            source,
        )
    share = float(w[mask.ravel()[idx]].sum(dtype=np.float64) / w.sum(dtype=np.float64)) * 100.0
    return {"canopy_share_pct": entry("canopy_share_pct", share, source=source, method=method)}
