"""What a map or a download needs of one park: its land cover and raster windows.

The scan itself only keeps numbers. A park manager also wants to *see* where the
paving, the green and the hot spots are, and to take the land cover home as a
file. This module reads the same bundle with the same readers, filters and class
mapping as the scan (``context.read_landcover``, ``landcover.canopy``), so what is
drawn is exactly what was counted: the clipped areas here sum to the shares the
scan reported.

Framework-free like the rest of the engine. Public API:

- ``park_landcover(bundle, park_id, geometry, *, crs) -> LandCoverExtract``
- ``park_rasters(bundle, park_id, geometry, *, crs, roles, mask_outside) -> dict``
- ``RASTER_ROLES``: the display layers ('canopy', 'heat', 'flood')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from affine import Affine
from rasterio import features

from .bundle import Bundle
from .context import ParkContext, polygonal, prepare_park_geometry, read_landcover
from .engine import resolve_params
from .errors import ParkError
from .landcover import canopy

# Display layers: canopy is derived (canopy raster, or DSM - DTM), the others are read.
RASTER_ROLES = ("canopy", "heat", "flood")


@dataclass
class LandCoverExtract:
    """Land-cover features inside one park, clipped to it, with their scan class.

    Geometries are in the bundle CRS (RD New). ``areas`` are the clipped areas in
    m2, the quantity the scan's class shares are computed from.
    """

    park_id: str
    crs: str
    park: Any
    geoms: np.ndarray
    classes: list[str]
    labels: list[str]
    object_types: list[str]
    areas: np.ndarray
    parking: np.ndarray
    sources: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.classes)

    def class_areas(self) -> dict[str, float]:
        """Area (m2) per scan class, largest first."""
        out: dict[str, float] = {}
        for key, area in zip(self.classes, self.areas, strict=True):
            out[key] = out.get(key, 0.0) + float(area)
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))


@dataclass
class RasterExtract:
    """A raster window over one park in the bundle CRS; NaN = no data / outside.

    For 'canopy' the array is 1.0 where the scan counted tree canopy (>= 2 m,
    buildings excluded) and 0.0 elsewhere; for 'heat' it is PET in °C, for
    'flood' the water depth in m.
    """

    role: str
    array: np.ndarray
    transform: Affine
    crs: str
    unit: str | None
    name: str
    date: str | None
    source: str
    method: str

    @property
    def res(self) -> float:
        return float(self.transform.a)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        h, w = self.array.shape
        t = self.transform
        return (t.c, t.f + h * t.e, t.c + w * t.a, t.f)


def _context(bundle: Bundle, park_id: str, geometry: Any, crs: str) -> ParkContext:
    """A ParkContext prepared as scan_park prepares it (same parameters, same geometry)."""
    params = resolve_params(bundle, None)
    geom = prepare_park_geometry(park_id, geometry, crs, bundle.crs)
    return ParkContext(
        park_id=park_id,
        geom=geom,
        area=float(geom.area),
        bundle=bundle,
        params=params,
        context_m=float(params["context_m"]),
    )


def park_landcover(
    bundle: Bundle, park_id: str, geometry: Any, *, crs: str = "EPSG:28992"
) -> LandCoverExtract:
    """The park's land-cover features, clipped to the park, classified like the scan.

    Raises ParkError for an unusable park geometry; a bundle without land cover
    gives an empty extract (the scan reports those indicators as not available).
    """
    park_id = str(park_id)
    ctx = _context(bundle, park_id, geometry, crs)
    lc = read_landcover(ctx)
    if lc is None or lc.codes.size == 0:
        return LandCoverExtract(
            park_id=park_id,
            crs=bundle.crs,
            park=ctx.geom,
            geoms=np.array([], dtype=object),
            classes=[],
            labels=[],
            object_types=[],
            areas=np.zeros(0),
            parking=np.zeros(0, dtype=bool),
            sources=list(lc.sources) if lc is not None else [],
        )
    clipped = polygonal(shapely.intersection(lc.geoms, ctx.geom))
    keep = ~shapely.is_empty(clipped)
    keys = bundle.mapping.keys
    classes = [keys[int(c)] if c >= 0 else "other" for c in lc.codes[keep]]
    labels = [bundle.mapping.classes[k].label_nl for k in classes]
    return LandCoverExtract(
        park_id=park_id,
        crs=bundle.crs,
        park=ctx.geom,
        geoms=clipped[keep],
        classes=classes,
        labels=labels,
        object_types=[str(t) for t in lc.object_types[keep]],
        areas=np.asarray(lc.areas[keep], dtype=float),
        parking=np.asarray(lc.parking[keep], dtype=bool),
        sources=list(lc.sources),
    )


def _mask_outside(array: np.ndarray, transform: Affine, park) -> np.ndarray:
    """NaN in cells that do not touch the park, so an overlay stops at its outline."""
    outside = features.geometry_mask(
        [park], out_shape=array.shape, transform=transform, all_touched=True
    )
    out = array.astype(np.float32, copy=True)
    out[outside] = np.nan
    return out


def park_rasters(
    bundle: Bundle,
    park_id: str,
    geometry: Any,
    *,
    crs: str = "EPSG:28992",
    roles: tuple[str, ...] = RASTER_ROLES,
    mask_outside: bool = True,
) -> dict[str, RasterExtract]:
    """Raster windows over the park for the display roles the bundle can provide.

    A role is absent from the result when the bundle lacks its layer or the layer
    does not meet the park; it is never filled with zeros.
    """
    park_id = str(park_id)
    ctx = _context(bundle, park_id, geometry, crs)
    out: dict[str, RasterExtract] = {}
    if "canopy" in roles and ("canopy" in bundle.rasters or "dsm" in bundle.rasters):
        ctx.lc = read_landcover(ctx)  # building footprints are excluded from canopy
        win, mask, method, source = canopy(ctx)
        if win is not None:
            arr = np.where(win.valid, mask.astype(np.float32), np.float32(np.nan))
            if mask_outside:
                arr = _mask_outside(arr, win.transform, ctx.geom)
            layer = win.layer
            out["canopy"] = RasterExtract(
                "canopy",
                arr,
                win.transform,
                bundle.crs,
                None,
                layer.name,
                layer.date,
                source,
                method,
            )
    for role in ("heat", "flood"):
        if role not in roles or role not in bundle.rasters:
            continue
        win = ctx.raster(role)
        if win is None:
            continue
        arr = win.array
        if mask_outside:
            arr = _mask_outside(arr, win.transform, ctx.geom)
        layer = win.layer
        out[role] = RasterExtract(
            role,
            arr,
            win.transform,
            bundle.crs,
            layer.unit or ("°C" if role == "heat" else "m"),
            layer.name,
            layer.date,
            layer.provenance,
            "PET raster of the heat stress test" if role == "heat" else "water depth raster",
        )
    return out


__all__ = [
    "RASTER_ROLES",
    "LandCoverExtract",
    "ParkError",
    "RasterExtract",
    "park_landcover",
    "park_rasters",
]
