"""Drawing a new park on the sign-up map: place search, size limits, number formats (issue 16).

The server side of what park-picker.js does in the browser (test_map_keyboard_browser.py):
the place search finds municipalities and places from local data, the page carries the
size limits, and an out-of-range drawing is refused in words that fit a drawing.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation
from shapely.geometry import box, mapping

from tests.partnership.conftest import SIGNUP_URL, drawn, form_data
from tests.partnership.test_bad_input import geojson_upload
from werklandschap.partnership.outlines import OutlineError, format_ha, from_drawn_geojson
from werklandschap.registry.models import Park

PLACES_URL = "/aanmelden/plaatsen/"
# 10 x 10 km in Delft's surroundings: 10,000 ha, twice the default maximum.
HUGE_RD = box(80000, 440000, 90000, 450000)


def test_place_search_finds_the_municipality_with_its_box(client, boundaries):
    response = client.get(PLACES_URL, {"q": "delft"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"]
    first = response.json()["results"][0]
    assert first["name"] == "Delft"
    assert first["kind"] == "municipality"
    assert first["province"] == "Zuid-Holland"
    (south, west), (north, east) = first["bounds"]
    # Delft lies around 52.0 N, 4.36 E.
    assert 51.9 < south < 52.0 < north < 52.1
    assert 4.2 < west < 4.36 < east < 4.5


def test_place_search_finds_places_from_the_registry(client, boundaries):
    Park.objects.create(
        name="Noordhoek",
        slug="noordhoek",
        geometry=box(60000, 430000, 60500, 430400),
        description="Uit IBIS werklocaties (kern: Nieuwe-Tonge, type: gemengd, jaar: 2023).",
    )
    results = client.get(PLACES_URL, {"q": "nieuwe-t"}).json()["results"]
    place = next(r for r in results if r["kind"] == "place")
    assert place["name"] == "Nieuwe-Tonge"
    (south, west), (north, east) = place["bounds"]
    assert south < north and west < east


@pytest.mark.parametrize("query", ["", "d", "x" * 500, "<script>", "%"])
def test_place_search_answers_odd_queries_plainly(client, boundaries, query):
    response = client.get(PLACES_URL, {"q": query})
    assert response.status_code == 200
    body = response.json()
    assert len(body["query"]) <= 100
    assert body["results"] == [] or query == "%"


def test_place_search_is_in_the_picker_config_with_the_size_limits(client, settings, park):
    settings.PARK_MIN_AREA_HA = 0.5
    settings.PARK_MAX_AREA_HA = 2500
    response = client.get(SIGNUP_URL)
    config = response.context["picker_config"]
    assert config["placesUrl"] == reverse("partnership:place-search")
    assert config["minAreaHa"] == 0.5
    assert config["maxAreaHa"] == 2500
    assert config["drawMinZoom"] >= 12
    html = response.content.decode()
    assert "0,5 tot 2.500 ha" in html  # the limits said before drawing, in Dutch numbers
    assert 'id="place-search"' in html


def test_format_ha_follows_the_language():
    with translation.override("nl"):
        assert [format_ha(v) for v in (27014.34, 5000, 0.1, 0.05, 12.0)] == [
            "27.014,3",
            "5.000",
            "0,1",
            "0,05",
            "12",
        ]
    with translation.override("en"):
        assert format_ha(27014.34) == "27,014.3"


def test_oversize_drawing_is_refused_without_coordinate_systems(client, park):
    response = client.post(
        SIGNUP_URL, form_data(None, proposed_name="Te groot", outline_drawn=drawn(HUGE_RD))
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["outline_drawn"])
    assert "10.000 ha" in errors
    assert "hoogstens 5.000 ha" in errors
    assert "coördinatenstelsel" not in errors
    assert "RD New" not in errors


def test_oversize_drawing_in_english(park):
    with translation.override("en"), pytest.raises(OutlineError) as info:
        from_drawn_geojson(drawn(HUGE_RD))
    # Untranslated until the lead regenerates the catalogue, but the numbers follow the
    # language already.
    assert "10,000" in str(info.value)
    assert "5,000" in str(info.value)


def test_oversize_upload_still_suggests_checking_the_coordinate_system(client, park):
    upload = geojson_upload([mapping(HUGE_RD)], crs="urn:ogc:def:crs:EPSG::28992")
    response = client.post(
        SIGNUP_URL,
        {**form_data(None, proposed_name="Bestand"), "outline_file": upload},
    )
    errors = " ".join(response.context["form"].errors["outline_file"])
    assert "10.000 ha" in errors
    assert "coördinatenstelsel" in errors


def test_drawn_outline_within_limits_is_accepted(park):
    outline = from_drawn_geojson(drawn(box(85000, 446000, 85300, 446250)))
    assert round(outline.area_ha, 1) == 7.5
    assert json.loads(drawn(box(85000, 446000, 85300, 446250)))["type"] == "Polygon"
