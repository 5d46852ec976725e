"""Geometry helpers shared by the registry, the sign-up and the scan results.

Geometry is stored as WKB in Amersfoort / RD New (EPSG:28992) and handled with
shapely 2 and pyproj. We do not use GeoDjango: it needs SpatiaLite, which the
embedded SQLite default cannot load on every Python build, while everything
the platform computes (areas, overlaps with 342 municipalities, map output)
is done well by shapely with a bounding-box prefilter in the database.
See docs/architecture.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import shapely
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"

# Bounding box of the Netherlands in RD New, including the Wadden islands and
# the coastal zone (EPSG:28992 area of use, rounded outwards).
NL_BOUNDS_RD = (-7000.0, 289000.0, 300000.0, 629000.0)


class GeometryError(ValueError):
    """A geometry that cannot be used, with a reason a person understands."""


@lru_cache(maxsize=32)
def transformer(source: str, target: str) -> Transformer:
    """Cached pyproj transformer with x/y (easting/northing, lon/lat) axis order."""
    return Transformer.from_crs(
        CRS.from_user_input(source), CRS.from_user_input(target), always_xy=True
    )


def reproject(geom: BaseGeometry, source: str, target: str) -> BaseGeometry:
    """Reproject a shapely geometry between two CRSs (no-op if they are equal)."""
    if CRS.from_user_input(source) == CRS.from_user_input(target):
        return geom
    tr = transformer(source, target)
    return shapely.transform(geom, lambda xy: _apply(tr, xy))


def _apply(tr: Transformer, xy):
    x, y = tr.transform(xy[:, 0], xy[:, 1])
    xy = xy.copy()
    xy[:, 0] = x
    xy[:, 1] = y
    return xy


def to_multipolygon(geom: BaseGeometry) -> MultiPolygon:
    """Return the polygonal part of ``geom`` as a MultiPolygon (drops lines/points)."""
    if isinstance(geom, MultiPolygon):
        return geom
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    polys: list[Polygon] = []
    for part in parts:
        polys.extend(part.geoms if isinstance(part, MultiPolygon) else [part])
    return MultiPolygon(polys)


@dataclass(frozen=True)
class CleanedGeometry:
    """Result of :func:`clean_polygon`: the usable geometry and what was repaired."""

    geometry: MultiPolygon
    repaired: bool
    note: str = ""


def clean_polygon(geom: BaseGeometry | None, *, max_area_change: float = 0.01) -> CleanedGeometry:
    """Validate a park outline in a metric CRS, repairing only trivial faults.

    Trivial faults are those ``shapely.make_valid`` fixes without changing the
    covered area by more than ``max_area_change`` (a fraction): duplicate
    vertices, a ring touching itself, a small bow-tie. Anything else (empty,
    not polygonal, a repair that would move real area) is rejected, because a
    wrong outline silently changes every figure computed for the park.
    """
    if geom is None or geom.is_empty:
        raise GeometryError("Geen geometrie (leeg).")
    if geom.geom_type not in {"Polygon", "MultiPolygon"}:
        raise GeometryError(f"Geometrie is geen vlak maar een {geom.geom_type}.")
    geom = shapely.force_2d(geom)
    if geom.is_valid:
        return CleanedGeometry(to_multipolygon(geom), repaired=False)
    reason = shapely.is_valid_reason(geom)
    fixed = to_multipolygon(shapely.make_valid(geom))
    if fixed.is_empty:
        raise GeometryError(f"Ongeldige geometrie die niet te herstellen is ({reason}).")
    # Compare against the area the rings enclose as drawn: a repair that keeps it
    # is trivial; one that loses or adds area means the outline itself is wrong.
    drawn = sum(abs(Polygon(p.exterior).area) for p in to_multipolygon(geom).geoms) or 1.0
    drawn_holes = sum(Polygon(i).area for p in to_multipolygon(geom).geoms for i in p.interiors)
    expected = max(drawn - drawn_holes, 1.0)
    change = abs(fixed.area - expected) / expected
    if change >= 1.0:
        # E.g. a figure-eight whose lobes cancel out: no sensible outline to keep.
        raise GeometryError(
            f"Ongeldige geometrie ({reason}); de omtrek kruist zichzelf zo dat er geen "
            "eenduidig vlak is, dus wordt deze niet automatisch hersteld."
        )
    if change > max_area_change:
        raise GeometryError(
            f"Ongeldige geometrie ({reason}); herstel zou de oppervlakte met "
            f"{change:.0%} veranderen, dus wordt deze niet automatisch hersteld."
        )
    return CleanedGeometry(fixed, repaired=True, note=f"hersteld: {reason}")


def check_within_netherlands(geom_rd: BaseGeometry, *, detail: bool = True) -> None:
    """Raise :class:`GeometryError` if an RD New geometry lies outside the Dutch extent.

    ``detail`` adds the bounds found, which helps an operator with a CRS mistake;
    it is off for outlines from the public, whose errors echo nothing of the file.
    """
    minx, miny, maxx, maxy = NL_BOUNDS_RD
    gx0, gy0, gx1, gy1 = geom_rd.bounds
    # NaN compares False with everything, so a failed reprojection would pass below.
    if not all(math.isfinite(v) for v in (gx0, gy0, gx1, gy1)):
        raise GeometryError(
            "Geometrie heeft ongeldige coördinaten (niet om te rekenen naar RD New); "
            "controleer het coördinatenstelsel."
        )
    if gx0 < minx or gy0 < miny or gx1 > maxx or gy1 > maxy:
        found = f" (gevonden grenzen in RD New: {gx0:.0f}, {gy0:.0f}, {gx1:.0f}, {gy1:.0f})"
        raise GeometryError(
            "Geometrie ligt (deels) buiten Nederland; controleer het coördinatenstelsel"
            f"{found if detail else ''}."
        )


def to_geojson_wgs84(
    geom_rd: BaseGeometry, *, tolerance_m: float = 2.0, precision: int = 6
) -> dict:
    """GeoJSON geometry in WGS84 for web maps, simplified by ``tolerance_m`` metres."""
    simplified = geom_rd.simplify(tolerance_m, preserve_topology=True) if tolerance_m else geom_rd
    wgs = reproject(simplified, RD_NEW, WGS84)
    wgs = shapely.set_precision(wgs, 10**-precision) if precision else wgs
    return mapping(wgs)
