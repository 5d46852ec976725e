"""Map layers of a park's scan: land cover as GeoJSON, canopy/heat/flood as PNG overlays.

Layers come from the same data bundle as the scan they illustrate (the run
records its manifest), through ``scanengine.extract``, so the map shows what
was counted. Rasters are warped to Web Mercator (EPSG:3857), the projection of
the web map, on a grid that depends only on the park and the raster's cell
size: the page can tell Leaflet where the image goes without reading the
raster, and the PNG endpoint fills exactly that grid.
"""

from __future__ import annotations

import io
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from affine import Affine
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image
from rasterio.warp import Resampling, reproject, transform_bounds
from shapely.geometry import mapping

from werklandschap.lib.geo import RD_NEW, WGS84
from werklandschap.lib.geo import reproject as reproject_geom
from werklandschap.scanengine import BundleError, ScanError, load_bundle
from werklandschap.scanengine import config as engine_config
from werklandschap.scanengine.bundle import Bundle
from werklandschap.scanengine.extract import LandCoverExtract, park_landcover, park_rasters
from werklandschap.scans.models import ParkScan

from . import presentation as fmt

WEB_MERCATOR = "EPSG:3857"
OVERLAY_PAD_M = 10.0
OVERLAY_MAX_PX = 1600


class LayerUnavailable(Exception):
    """A map layer cannot be made; the message says why, in Dutch, for the page."""


# --------------------------------------------------------------------------- bundle

_local = threading.local()


def bundle_for(scan: ParkScan) -> Bundle:
    """The data bundle the scan was computed from, loaded once per thread.

    Per thread because a Bundle keeps open raster handles, which must not be
    shared between request threads. Class values are not re-validated here:
    the run validated them when it scanned.
    """
    manifest = (scan.run.bundle or {}).get("manifest")
    if not manifest or not Path(manifest).is_file():
        raise LayerUnavailable(
            _(
                "De databundel waarmee deze nulmeting is berekend, staat niet meer op de "
                "server; de kaartlagen kunnen niet worden getoond. De cijfers blijven geldig."
            )
        )
    path = Path(manifest)
    key = (str(path), path.stat().st_mtime_ns)
    cached = getattr(_local, "bundles", None)
    if cached is None:
        cached = _local.bundles = {}
    if key not in cached:
        try:
            bundle = load_bundle(path, check_classes=False)
        except BundleError as exc:
            raise LayerUnavailable(
                _("De databundel van deze nulmeting kan niet worden gelezen: %(error)s")
                % {"error": exc}
            ) from exc
        if len(cached) >= 4:
            for old in cached.values():
                old.close()
            cached.clear()
        cached[key] = bundle
    return cached[key]


def landcover(park, scan: ParkScan) -> LandCoverExtract:
    if park.geometry is None:
        raise LayerUnavailable(_("Van dit terrein is geen begrenzing bekend."))
    try:
        return park_landcover(bundle_for(scan), str(park.pk), park.geometry, crs=RD_NEW)
    except ScanError as exc:
        raise LayerUnavailable(str(exc)) from exc


def landcover_geojson(extract: LandCoverExtract, precision: int = 7) -> dict[str, Any]:
    """Land cover in WGS84 (RFC 7946), one feature per BGT polygon clipped to the park.

    Language-free, so one cached body serves every page: a feature carries its class
    key, and the page names the class from its own legend (``landcover_legend``,
    rendered in the page's language).
    """
    geoms = extract.geoms
    if extract.crs != WGS84 and len(geoms):
        geoms = np.array([reproject_geom(g, extract.crs, WGS84) for g in geoms], dtype=object)
        geoms = shapely.set_precision(geoms, 10**-precision)
    features = []
    for i, geom in enumerate(geoms):
        key = extract.classes[i]
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(geom),
                "properties": {
                    "class": key,
                    "colour": fmt.CLASS_COLOURS.get(key, "#cccccc"),
                    "object_type": extract.object_types[i],
                    "area_m2": round(float(extract.areas[i]), 2),
                    "parking": bool(extract.parking[i]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- cache

# A scan's layers never change: a new scan is a new row (new key), and a changed
# outline changes the park's updated_at, which the key names too. So they are
# kept as long as the cache allows; the shared cache (settings.CACHES, a file
# cache) serves every gunicorn worker and survives restarts.
LAYER_CACHE_S = 30 * 24 * 3600


def layer_cache_key(kind: str, park, scan: ParkScan) -> str:
    """Cache key of one layer of one scan of one park outline.

    No language: the land-cover GeoJSON carries class keys and the page names
    them from its own legend, and overlay PNGs hold no text.
    """
    return f"portal:layer:{kind}:{scan.pk}:{park.pk}:{park.updated_at.timestamp()}"


def cached_landcover_geojson(park, scan: ParkScan) -> str:
    """The land-cover GeoJSON body of ``scan``, computed once (raises LayerUnavailable)."""
    key = layer_cache_key("landcover", park, scan)
    body = cache.get(key)
    if body is None:
        body = json.dumps(landcover_geojson(landcover(park, scan)), separators=(",", ":"))
        cache.set(key, body, LAYER_CACHE_S)
    return body


def cached_overlay_png(park, scan: ParkScan, role: str) -> bytes:
    """One raster overlay of ``scan`` as PNG, computed once (raises LayerUnavailable)."""
    key = layer_cache_key(f"overlay-{role}", park, scan)
    png = cache.get(key)
    if png is None:
        png = overlay_png(park, scan, role)
        cache.set(key, png, LAYER_CACHE_S)
    return png


def clear_process_caches() -> None:
    """Close this thread's open bundles (a cold start, for tests and the benchmark)."""
    for bundle in getattr(_local, "bundles", {}).values():
        bundle.close()
    _local.bundles = {}


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class Bin:
    lower: float | None  # inclusive
    upper: float | None  # exclusive
    colour: str
    label: str


def _pet_bins() -> list[Bin]:
    """The heat map's PET classes (heat.yaml), labelled in the active language."""
    colours = ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c", "#800026"]
    classes = engine_config.load("heat")["pet_classes"]["classes"]
    field = f"label_{fmt.lang()}"
    return [
        Bin(
            c.get("lower"),
            c.get("upper"),
            colours[i % len(colours)],
            str(c.get(field) or c["label_nl"]),
        )
        for i, c in enumerate(classes)
    ]


RASTER_LABELS = {
    "canopy": gettext_lazy("Boomkroon (hoger dan 2 m)"),
    "heat": gettext_lazy("Hittekaart: gevoelstemperatuur (PET)"),
    "flood": gettext_lazy("Water op straat na een bui van 70 mm"),
}


def raster_bins(role: str) -> list[Bin]:
    """Colour classes of a raster overlay; the legend and the PNG use the same list."""
    if role == "canopy":
        return [Bin(0.5, None, "#0a4f2f", str(_("boomkroon")))]
    if role == "heat":
        return _pet_bins()
    if role == "flood":
        return [
            Bin(0.05, 0.10, "#c6dbef", str(_("5–10 cm"))),
            Bin(0.10, 0.20, "#6baed6", str(_("10–20 cm"))),
            Bin(0.20, 0.30, "#2171b5", str(_("20–30 cm"))),
            Bin(0.30, None, "#08306b", str(_("meer dan 30 cm"))),
        ]
    raise ValueError(f"unknown raster role {role!r}")


def _rgba(hex_colour: str, alpha: int) -> tuple[int, int, int, int]:
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), alpha)


def colourise(array: np.ndarray, bins: list[Bin], alpha: int = 200) -> np.ndarray:
    """RGBA image of a value array: each value takes its bin's colour; NaN and
    values in no bin are transparent (e.g. water depth below 5 cm)."""
    out = np.zeros((*array.shape, 4), dtype=np.uint8)
    finite = np.isfinite(array)
    for b in bins:
        sel = finite.copy()
        if b.lower is not None:
            sel &= array >= b.lower
        if b.upper is not None:
            sel &= array < b.upper
        out[sel] = _rgba(b.colour, alpha)
    return out


# --------------------------------------------------------------------------- overlays


@dataclass(frozen=True)
class OverlayGrid:
    transform: Affine
    width: int
    height: int
    bounds_3857: tuple[float, float, float, float]
    bounds_latlng: tuple[tuple[float, float], tuple[float, float]]


def overlay_grid(park_geom_rd, res_m: float) -> OverlayGrid:
    """The Web Mercator grid an overlay is drawn on: the park's box plus a margin.

    Cell size follows the source raster (Mercator metres are ~1.6 ground metres in
    the Netherlands, so the cell is scaled by the box's own ratio), capped at
    OVERLAY_MAX_PX per side to keep the PNG small for large parks.
    """
    x0, y0, x1, y1 = park_geom_rd.bounds
    x0, y0, x1, y1 = x0 - OVERLAY_PAD_M, y0 - OVERLAY_PAD_M, x1 + OVERLAY_PAD_M, y1 + OVERLAY_PAD_M
    mx0, my0, mx1, my1 = transform_bounds(RD_NEW, WEB_MERCATOR, x0, y0, x1, y1, densify_pts=21)
    scale = (mx1 - mx0) / (x1 - x0)
    cell = max(res_m * scale, (mx1 - mx0) / OVERLAY_MAX_PX, (my1 - my0) / OVERLAY_MAX_PX)
    width = max(1, int(np.ceil((mx1 - mx0) / cell)))
    height = max(1, int(np.ceil((my1 - my0) / cell)))
    transform = Affine(cell, 0, mx0, 0, -cell, my1)
    mx1, my0 = mx0 + width * cell, my1 - height * cell
    lon0, lat0, lon1, lat1 = transform_bounds(WEB_MERCATOR, WGS84, mx0, my0, mx1, my1)
    return OverlayGrid(
        transform=transform,
        width=width,
        height=height,
        bounds_3857=(mx0, my0, mx1, my1),
        bounds_latlng=((lat0, lon0), (lat1, lon1)),
    )


def raster_roles(scan: ParkScan) -> dict[str, float]:
    """Display roles the scan's bundle has, with the cell size (m) of each.

    Read from the run's recorded bundle description, so building the page does not
    open a raster. Canopy comes from a canopy layer, or from the DSM.
    """
    layers = {
        layer.get("role"): layer
        for layer in (scan.run.bundle or {}).get("layers", [])
        if layer.get("kind") == "raster"
    }
    out = {}
    if "canopy" in layers or "dsm" in layers:
        src = layers.get("canopy") or layers["dsm"]
        out["canopy"] = float(src.get("resolution_m") or 1.0)
    for role in ("heat", "flood"):
        if role in layers:
            out[role] = float(layers[role].get("resolution_m") or 1.0)
    return out


def overlay_png(park, scan: ParkScan, role: str) -> bytes:
    """The PNG of one raster overlay on its Web Mercator grid (see ``overlay_grid``)."""
    roles = raster_roles(scan)
    if role not in roles:
        raise LayerUnavailable(_("Deze kaartlaag zit niet in de databundel van de nulmeting."))
    if park.geometry is None:
        raise LayerUnavailable(_("Van dit terrein is geen begrenzing bekend."))
    try:
        rasters = park_rasters(
            bundle_for(scan), str(park.pk), park.geometry, crs=RD_NEW, roles=(role,)
        )
    except ScanError as exc:
        raise LayerUnavailable(str(exc)) from exc
    if role not in rasters:
        raise LayerUnavailable(_("De kaartlaag dekt dit terrein niet."))
    src = rasters[role]
    grid = overlay_grid(park.geometry, roles[role])
    dst = np.full((grid.height, grid.width), np.nan, dtype=np.float32)
    reproject(
        source=src.array.astype(np.float32),
        destination=dst,
        src_transform=src.transform,
        src_crs=src.crs,
        src_nodata=np.nan,
        dst_transform=grid.transform,
        dst_crs=WEB_MERCATOR,
        dst_nodata=np.nan,
        resampling=Resampling.nearest,  # classes and depths: no invented in-between values
    )
    image = Image.fromarray(colourise(dst, raster_bins(role)), mode="RGBA")
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def legend(role: str) -> list[dict[str, str]]:
    return [{"colour": b.colour, "label": b.label} for b in raster_bins(role)]


def landcover_legend(classes_present: list[str] | None = None) -> list[dict[str, str]]:
    labels = fmt.class_labels()
    keys = [k for k in fmt.CLASS_COLOURS if classes_present is None or k in classes_present]
    return [{"key": k, "colour": fmt.CLASS_COLOURS[k], "label": labels.get(k, k)} for k in keys]
