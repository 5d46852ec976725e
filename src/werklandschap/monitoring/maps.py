"""The map of an area dashboard: its parks coloured by one scan indicator.

``static/js/monitoring-map.js`` reads the configuration (``map_config``, rendered
with ``json_script``) and fetches :func:`geojson`: the area's parks in WGS84 with
the indicator's value from each park's latest scan and its class (quintiles of
the area's values, so the colours spread over the parks shown), and a legend.
The GeoJSON is cached under the dashboard's data fingerprint and the indicator.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from werklandschap.lib.geo import RD_NEW, WGS84, reproject, to_geojson_wgs84
from werklandschap.lib.numbers import format_number
from werklandschap.scanengine.catalog import INDICATORS

from .figures import CACHE_PREFIX, SCAN_INDICATORS, Scope, fingerprint, scan_figures

CLASSES = 5


def _language() -> str:
    return (get_language() or "nl")[:2]


def indicator_choices() -> list[tuple[str, str]]:
    return [(key, INDICATORS[key].label(_language())) for key in SCAN_INDICATORS]


def map_config(kind: str, slug: str, indicator: str) -> dict:
    url = reverse(f"monitoring:{kind}-map", kwargs={kind: slug}) + f"?indicator={indicator}"
    return {
        "geojsonUrl": url,
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "labels": {
            "noValue": _("geen waarde"),
            "noFeatures": _("Geen terreinen met een begrenzing in dit gebied."),
            "loadFailed": _("De kaartgegevens konden niet worden geladen."),
            "open": _("Naar de terreinpagina"),
        },
    }


def class_breaks(values: list[float], classes: int = CLASSES) -> list[float]:
    """Upper bounds of ``classes`` quantile classes of ``values`` (the last is the maximum)."""
    if not values:
        return []
    ordered = sorted(values)
    breaks = []
    for i in range(1, classes + 1):
        index = min(len(ordered) - 1, max(0, round(i * len(ordered) / classes) - 1))
        if not breaks or ordered[index] > breaks[-1]:
            breaks.append(ordered[index])
    return breaks


def class_of(value: float | None, breaks: list[float]) -> int | None:
    if value is None:
        return None
    for i, upper in enumerate(breaks):
        if value <= upper:
            return i
    return len(breaks) - 1


def _build(scope: Scope, indicator: str) -> str:
    parks = scope.parks()
    values = scan_figures(parks).latest[indicator]
    info = INDICATORS[indicator]
    breaks = class_breaks(list(values.values()))
    features = []
    rows = (
        parks.exclude(geometry=None)
        .order_by("name")
        .only("id", "name", "slug", "geometry")
        .iterator(chunk_size=500)
    )
    for park in rows:
        value = values.get(park.pk)
        point = reproject(park.geometry.representative_point(), RD_NEW, WGS84)
        features.append(
            {
                "type": "Feature",
                "id": park.slug,
                "geometry": to_geojson_wgs84(park.geometry, tolerance_m=10.0, precision=5),
                "properties": {
                    "name": park.name,
                    "url": park.get_absolute_url(),
                    "value": value,
                    "text": (
                        _("geen waarde")
                        if value is None
                        else f"{format_number(value, info.decimals)} {info.unit}"
                    ),
                    "class": class_of(value, breaks),
                    "point": [round(point.x, 5), round(point.y, 5)],
                },
            }
        )
    lower = [min(values.values())] if values else []
    legend = [
        {
            "class": i,
            "text": f"{format_number(lo, info.decimals)} – {format_number(hi, info.decimals)}",
        }
        for i, (lo, hi) in enumerate(zip(lower + breaks[:-1], breaks, strict=True))
    ]
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": features,
            "indicator": {"key": indicator, "label": info.label(_language()), "unit": info.unit},
            "legend": legend,
        }
    )


def geojson(scope: Scope, indicator: str) -> str:
    """The area's parks with ``indicator`` as GeoJSON (cached while the data is unchanged)."""
    seconds = settings.MONITORING_CACHE_SECONDS
    if seconds <= 0:
        return _build(scope, indicator)
    key = f"{CACHE_PREFIX}map:{fingerprint(scope)}:{indicator}"
    return cache.get_or_set(key, lambda: _build(scope, indicator), seconds)
