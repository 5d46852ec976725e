"""Land-cover indicators: class shares, green/green-blue/impervious shares, canopy.

Shares are exact polygon areas (shapely/GEOS intersection of BGT polygons with the
park), not raster counts. Canopy comes from elevation rasters (AHN): cells with a
canopy height >= 2 m outside buildings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from affine import Affine
from rasterio import features
from scipy import ndimage

from .bundle import RasterLayer, RasterWindow
from .catalog import entry, not_available, reason
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
        "landcover_coverage_pct",
        "green_share_pct",
        "green_blue_share_pct",
        "impervious_share_pct",
        "parking_area_m2",
        "parking_share_pct",
    ]
    lc = ctx.lc
    if lc is None:
        return not_available(keys, reason("no_landcover_layer"))
    source = "; ".join(lc.sources)
    per_class = class_areas(lc.codes, lc.areas, len(mapping.keys))
    shares, not_covered = shares_pct(per_class, ctx.area)
    out = {
        f"share_{k}_pct": entry(f"share_{k}_pct", shares[i], source=source)
        for i, k in enumerate(mapping.keys)
    }
    out["share_not_covered_pct"] = entry("share_not_covered_pct", not_covered, source=source)
    out["landcover_coverage_pct"] = entry(
        "landcover_coverage_pct", 100.0 - not_covered, source=source
    )
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
                reason("no_parking_function"),
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


@dataclass
class CanopyGrid:
    """The canopy mask of one park on its elevation grid, with what the statistics need.

    Kept instead of the elevation windows (1 byte per cell per array instead of 4 + 4),
    for the InVEST shade term and the map layer."""

    mask: np.ndarray  # bool: canopy height >= 2 m outside buildings
    valid: np.ndarray  # bool: the height is known (no NaN)
    inside: np.ndarray  # bool: a tile of the raster covers the cell
    transform: Affine
    layer: RasterLayer
    canopy_weight: float  # sum of coverage weights of canopy cells in the park
    total_weight: float  # sum of coverage weights of all cells in the park
    inside_weight: float  # ... of the cells inside the raster's tiles

    @property
    def share_pct(self) -> float | None:
        if self.total_weight <= 0:
            return None
        return self.canopy_weight / self.total_weight * 100.0

    @property
    def covered(self) -> float:
        """Share (0-1) of the park that lies inside the raster's tiles."""
        return self.inside_weight / self.total_weight if self.total_weight > 0 else 0.0


def canopy(ctx: ParkContext) -> tuple[CanopyGrid | None, Any, Any, str]:
    """(canopy grid, canopy mask, method, source) or (None, None, Reason, ''); cached.

    The elevation rasters are read strip by strip (``ParkContext.raster_strips``) and
    freed once the mask is made."""
    if "canopy" not in ctx.memo:
        grid, method, source = _canopy(ctx)
        for role in ("dsm", "dtm", "canopy"):
            ctx.drop_raster(role)
        ctx.memo["canopy"] = (grid, grid.mask if grid else None, method, source)
    return ctx.memo["canopy"]


def _canopy(ctx: ParkContext) -> tuple[CanopyGrid | None, Any, str]:
    """(canopy grid, method, source) or (None, Reason, '').

    Order of preference: a canopy-height layer; DSM - DTM; DSM alone (documented
    fallback: ground = grey opening of the DSM over 30 m, buildings and NaN excluded).
    """
    rasters = ctx.bundle.rasters
    if "canopy" in rasters:
        role, method = "canopy", "canopy height >= 2 m from the canopy layer"
        source = rasters["canopy"].provenance
    elif "dsm" in rasters and "dtm" in rasters:
        role = "dsm"
        method = "canopy height = DSM - DTM >= 2 m, building footprints (+0.5 m) excluded"
        source = f"{rasters['dsm'].provenance}; {rasters['dtm'].provenance}"
    elif "dsm" in rasters:
        role = "dsm"
        method = (
            "DSM only (no DTM): height above a 30 m grey-opening ground estimate >= 2 m, "
            "buildings and no-data (water) excluded; may include cars and walls"
        )
        source = rasters["dsm"].provenance
    else:
        return None, reason("no_elevation_layer"), ""
    strips = list(_canopy_strips(ctx, role))
    parts = [part for part, _dtm in strips]
    if not parts or not any(part.inside.any() for part in parts):
        if role == "canopy":
            return None, reason("canopy_raster_not_covering"), ""
        return None, reason("elevation_not_covering", raster="DSM"), ""
    if role == "dsm" and "dtm" in rasters and not any(dtm for _part, dtm in strips):
        return None, reason("elevation_not_covering", raster="DTM"), ""
    grid = CanopyGrid(
        mask=_stack([part.mask for part in parts]),
        valid=_stack([part.valid for part in parts]),
        inside=_stack([part.inside for part in parts]),
        transform=parts[0].transform,
        layer=parts[0].layer,
        canopy_weight=sum(part.canopy_weight for part in parts),
        total_weight=sum(part.total_weight for part in parts),
        inside_weight=sum(part.inside_weight for part in parts),
    )
    return grid, method, source


def _canopy_strips(ctx: ParkContext, role: str) -> Iterator[tuple[CanopyGrid, bool]]:
    """Per strip of the elevation grid: (the strip's canopy grid, whether the ground
    heights were found there: a DTM meeting the strip, or the DSM-only filter)."""
    have_dtm = role == "dsm" and "dtm" in ctx.bundle.rasters
    dsm_only = role == "dsm" and not have_dtm
    for win, idx, w in ctx.raster_strips(role):
        shape = win.array.shape
        dtm_found = False
        if role == "canopy":
            chm = win.array
            exclude = building_mask(ctx, win.transform, shape)
        else:
            exclude = building_mask(ctx, win.transform, shape, buffer_m=0.5)
            if have_dtm:
                dtm = _dtm_for(ctx, win)
                dtm_found = dtm is not None and dtm.inside.any()
                chm = win.array - (_resample_to(dtm, win) if dtm is not None else np.nan)
            else:
                chm = win.array - _ground_for(ctx, win)
                exclude |= np.isnan(win.array)
        mask = canopy_from_heights(chm, exclude)
        del chm, exclude
        part = CanopyGrid(
            mask=mask,
            valid=~np.isnan(win.array),
            inside=win.inside,
            transform=win.transform,
            layer=win.layer,
            canopy_weight=float(w[mask.ravel()[idx]].sum(dtype=np.float64)),
            total_weight=float(w.sum(dtype=np.float64)),
            inside_weight=float(w[win.inside.ravel()[idx]].sum(dtype=np.float64)),
        )
        yield part, dtm_found or dsm_only


def _stack(parts: list[np.ndarray]) -> np.ndarray:
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _dtm_for(ctx: ParkContext, dsm_win: RasterWindow) -> RasterWindow | None:
    """The DTM over a DSM window: the kept whole window when the DSM is one strip, else
    the strip's own bounds."""
    if ctx.in_one_window("dsm"):
        return ctx.raster("dtm")
    h, w = dsm_win.array.shape
    t = dsm_win.transform
    return ctx.bundle.read_raster("dtm", (t.c, t.f + h * t.e, t.c + w * t.a, t.f))


def _ground_for(ctx: ParkContext, dsm_win: RasterWindow) -> np.ndarray:
    """Ground estimate of the DSM-only fallback over a DSM window (whole or a strip).
    The DSM is read again with a halo of one filter window on every side, so the grey
    opening sees the same neighbourhood at the window's edges as inside it."""
    h, w = dsm_win.array.shape
    t = dsm_win.transform
    halo = DSM_ONLY_GROUND_WINDOW_M + 2 * t.a
    bounds = (t.c - halo, t.f + h * t.e - halo, t.c + w * t.a + halo, t.f + halo)
    big = ctx.bundle.read_raster("dsm", bounds)
    ground = ground_from_dsm(big.array, big.res)
    top = round((big.transform.f - t.f) / t.a)
    left = round((t.c - big.transform.c) / t.a)
    return ground[top : top + h, left : left + w]


def canopy_indicator(ctx: ParkContext) -> dict[str, dict[str, Any]]:
    """canopy_share_pct: coverage-weighted share of canopy cells in the park."""
    grid, _mask, method, source = canopy(ctx)
    if grid is None:
        return not_available(["canopy_share_pct"], method)
    if grid.covered < 0.99:
        return not_available(
            ["canopy_share_pct"],
            reason("elevation_covers_only", pct=round(grid.covered * 100)),
            source,
        )
    return {
        "canopy_share_pct": entry("canopy_share_pct", grid.share_pct, source=source, method=method)
    }
