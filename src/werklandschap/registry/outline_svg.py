"""A park outline as a small inline SVG (the admin's park page, issue 16).

Inline SVG needs no script and no tiles, so it works under the site's CSP and
offline; colours come from the stylesheet (no style attributes). Coordinates
are RD New metres, shifted to the outline's corner and flipped (SVG's y runs
down), so the drawing keeps true proportions.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

# Most vertices drawn: larger outlines are simplified to well under a pixel at 320 px.
MAX_POINTS = 2000


def _rings(geometry: BaseGeometry):
    polygons = getattr(geometry, "geoms", [geometry])
    for polygon in polygons:
        if isinstance(polygon, Polygon):
            yield polygon.exterior.coords
            for interior in polygon.interiors:
                yield interior.coords


def outline_path(geometry: BaseGeometry, x0: float, y1: float) -> str:
    """The SVG path data of every ring of ``geometry``, relative to (x0, y1)."""
    parts = []
    for ring in _rings(geometry):
        points = [f"{x - x0:.1f} {y1 - y:.1f}" for x, y, *_ in ring]
        parts.append("M" + " L".join(points) + " Z")
    return " ".join(parts)


def outline_svg(geometry: BaseGeometry | None, label: str) -> SafeString:
    """``<svg>`` drawing ``geometry`` (a polygon or multipolygon), or "" without one."""
    if geometry is None or geometry.is_empty or not isinstance(geometry, Polygon | MultiPolygon):
        return SafeString("")
    x0, y0, x1, y1 = geometry.bounds
    width, height = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    points = sum(len(ring) for ring in _rings(geometry))
    if points > MAX_POINTS:
        geometry = geometry.simplify(max(width, height) / 1000, preserve_topology=True)
    margin = max(width, height) * 0.04
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} {} {} {}" role="img" '
        'aria-label="{}"><path d="{}"></path></svg>',
        f"{-margin:.1f}",
        f"{-margin:.1f}",
        f"{width + 2 * margin:.1f}",
        f"{height + 2 * margin:.1f}",
        label,
        outline_path(geometry, x0, y1),
    )
