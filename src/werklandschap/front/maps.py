"""Configuration of the platform's Leaflet maps (static/js/swarm-map.js).

A page renders ``map_config(...)`` with ``json_script`` next to a
``<div data-swarm-map>``; the script reads it, draws the province outlines
and the parks, and adds the background tiles when a tile service is set.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _


def map_config(*, geojson_query: str | None = "", **options) -> dict:
    """The JSON for one map. ``geojson_query=None`` means: no park data to fetch."""
    geojson_url = None
    if geojson_query is not None:
        geojson_url = reverse("registry:parks-geojson")
        if geojson_query:
            geojson_url += "?" + geojson_query
    config = {
        "geojsonUrl": geojson_url,
        "provincesUrl": reverse("registry:provinces-geojson"),
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "markers": True,
        "scrollWheelZoom": False,
        "maxZoom": 15,
        "labels": {
            "municipality": _("Gemeente"),
            "province": _("Provincie"),
            "role": _("Rol"),
            "area": _("Oppervlakte"),
            "hectare": _("ha"),
            "demo": _("DEMO – synthetisch terrein"),
            "open": _("Naar de terreinpagina"),
            "tilesFailed": _(
                "Achtergrondkaart niet bereikbaar; de terreinen worden zonder achtergrond getoond."
            ),
            "loadFailed": _("De kaartgegevens konden niet worden geladen."),
            "noFeatures": _("Geen terreinen met een begrenzing in deze selectie."),
        },
    }
    config.update(options)
    return config
