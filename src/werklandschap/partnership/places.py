"""Places to take the sign-up map to before drawing a park: municipalities and places.

Someone proposing a park that is not in the registry has to find it on the
map first; at country zoom a drawn outline was 27,000 ha. Both sources are
local, so the search sends nothing to a third party:

- municipalities: the CBS boundaries (``load-boundaries``), by name;
- places: the built-up cores (``kern``) that the IBIS import writes into a
  park's description ("Uit IBIS werklocaties (kern: Delft, ...)"), with the
  box around that place's registered parks.

Only names and bounding boxes leave the server, both public data, the same in
every language (the page labels the kinds). The stored
bounding-box columns are read, never a geometry, and at most a few hundred
rows, so a search stays cheap whatever the query.
"""

from __future__ import annotations

import re

from shapely.geometry import box

from werklandschap.lib.geo import RD_NEW, WGS84, reproject
from werklandschap.registry.models import Municipality, Park

PLACE_LIMIT = 8
QUERY_MAX_CHARS = 100
# A place is shown with at least this much around its parks (metres), so that a
# place with one small park is not shown at street-corner scale.
PLACE_MARGIN_M = 750
_KERN = re.compile(r"kern: ([^,()]+)")


def _bounds_wgs84(minx: float, miny: float, maxx: float, maxy: float) -> list[list[float]]:
    """[[south, west], [north, east]] of an RD New box, as Leaflet takes bounds."""
    x0, y0, x1, y1 = reproject(box(minx, miny, maxx, maxy), RD_NEW, WGS84).bounds
    return [[round(y0, 5), round(x0, 5)], [round(y1, 5), round(x1, 5)]]


def _rank(name: str, query: str) -> tuple[int, str]:
    """Exact name first, then names starting with the query, then the rest; by name."""
    lowered, q = name.casefold(), query.casefold()
    return (0 if lowered == q else 1 if lowered.startswith(q) else 2, lowered)


def search_places(query: str, limit: int = PLACE_LIMIT) -> list[dict]:
    """Municipalities and places whose name matches ``query`` (two characters or more)."""
    query = " ".join(query.split())[:QUERY_MAX_CHARS]
    if len(query) < 2:
        return []
    results: dict[str, dict] = {}
    municipalities = (
        Municipality.objects.filter(name__icontains=query, minx__isnull=False)
        .select_related("province")
        .only("name", "minx", "miny", "maxx", "maxy", "province__name")
    )
    for m in sorted(municipalities, key=lambda m: _rank(m.name, query))[:limit]:
        results[m.name.casefold()] = {
            "name": m.name,
            "kind": "municipality",
            "province": m.province.name if m.province else "",
            "bounds": _bounds_wgs84(m.minx, m.miny, m.maxx, m.maxy),
        }
    # Places: the description holds "kern: NAME", so this matches names starting with
    # the query; the box is the union of that place's parks.
    boxes: dict[str, list[float]] = {}
    names: dict[str, str] = {}
    parks = Park.objects.filter(description__icontains=f"kern: {query}", minx__isnull=False)
    for description, x0, y0, x1, y1 in parks.values_list(
        "description", "minx", "miny", "maxx", "maxy"
    )[:500]:
        match = _KERN.search(description)
        if not match or not match.group(1).casefold().startswith(query.casefold()):
            continue
        name = match.group(1).strip()
        key = name.casefold()
        names.setdefault(key, name)
        if key in boxes:
            b = boxes[key]
            boxes[key] = [min(b[0], x0), min(b[1], y0), max(b[2], x1), max(b[3], y1)]
        else:
            boxes[key] = [x0, y0, x1, y1]
    for key in sorted(boxes, key=lambda k: _rank(names[k], query)):
        if key in results:  # the municipality of the same name is the better box
            continue
        x0, y0, x1, y1 = boxes[key]
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        half_w = max((x1 - x0) / 2, PLACE_MARGIN_M)
        half_h = max((y1 - y0) / 2, PLACE_MARGIN_M)
        results[key] = {
            "name": names[key],
            "kind": "place",
            "province": "",
            "bounds": _bounds_wgs84(cx - half_w, cy - half_h, cx + half_w, cy + half_h),
        }
    ordered = sorted(results.values(), key=lambda r: _rank(r["name"], query))
    return ordered[:limit]
