"""The open-data page for people: what is published, under which licence, when it was
written, and where the API is. The footer links here; machines read ``/api/v1/open-data``.

It shows exactly the index the API serves (``opendata.index``), so the two never differ.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from . import opendata

# What each file is, for a person choosing one (the index names formats only).
FILE_PURPOSES = {
    "parks.csv": _("Alle terreinen met hun openbare indicatoren, voor een spreadsheet of script."),
    "parks.xlsx": _(
        "Dezelfde tabel als Excel-werkmap, met het gegevenswoordenboek en de licentie."
    ),
    "parks.geojson": _("De terreinen met hun begrenzing in WGS84, voor een webkaart."),
    "parks.gpkg": _("De terreinen met hun begrenzing in RD New (EPSG:28992), voor QGIS of ArcGIS."),
    "data-dictionary.csv": _(
        "Elke kolom: type, eenheid, betekenis in het Nederlands en Engels, bron."
    ),
    "licence.txt": _("De licentie en hoe u de bron vermeldt."),
}

# The public endpoints, in the order of the API's documentation (docs/api.md).
ENDPOINTS = [
    ("api:parks", _("Bedrijventerreinen met openbare velden en begrenzing (GeoJSON)")),
    ("api:progress", _("De zwerm tegenover de programmadoelen")),
    ("api:statistics", _("Aantallen per rol, provincie, regio, fase en type")),
    ("api:measures", _("De maatregelencatalogus met bandbreedtes en bronnen")),
    ("api:events", _("Gepubliceerde bijeenkomsten en webinars")),
    ("api:innovation-entries", _("Gepubliceerde innovaties")),
    ("api:open-data", _("Deze downloads, als JSON")),
]


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    index = opendata.index(request)
    downloads = [{**d, "purpose": FILE_PURPOSES.get(d["name"], "")} for d in index["downloads"]]
    return render(
        request,
        "api/open_data.html",
        {
            "index": index,
            "generated_at": parse_datetime(index["generatedAt"] or ""),
            "downloads": downloads,
            "endpoints": [(reverse(name), text) for name, text in ENDPOINTS],
            "openapi_url": reverse("api:openapi"),
        },
    )
