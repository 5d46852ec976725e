"""The map data: parks and province outlines as GeoJSON in WGS84, public fields only."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from shapely.geometry import Point, box, shape

from werklandschap.accounts.models import ParkContact
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Park, Province
from werklandschap.registry.services import change_park_status
from werklandschap.registry.views import PUBLIC_PROPERTIES


def features(client, **params) -> list[dict]:
    response = client.get(reverse("registry:parks-geojson"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    return data["features"]


def test_park_feature_is_wgs84_polygon_in_delft(client, park):
    (feature,) = features(client)
    geom = shape(feature["geometry"])
    assert feature["type"] == "Feature"
    assert geom.geom_type in {"Polygon", "MultiPolygon"} and geom.is_valid
    # The fixture's RD box lies in Delft: about 4.35 E, 52.0 N.
    lon, lat = geom.centroid.x, geom.centroid.y
    assert 4.30 < lon < 4.40 and 51.95 < lat < 52.05
    point_lon, point_lat = feature["properties"]["point"]
    assert geom.buffer(1e-9).contains(
        shape({"type": "Point", "coordinates": [point_lon, point_lat]})
    )


def test_only_public_fields(client, users, park):
    change_park_status(park, note="intern", phase=2)
    park.description = "interne omschrijving"
    park.save()
    (feature,) = features(client)
    assert set(feature["properties"]) == set(PUBLIC_PROPERTIES)
    body = json.dumps(feature)
    assert "interne omschrijving" not in body
    assert "intern" not in body.replace("interne", "")
    assert ParkContact.objects.filter(park=park).exists()
    assert "contact" not in body


def test_properties_describe_the_park(client, park):
    park.swarm_role = SwarmRole.SHOWCASE
    park.save()
    props = features(client)[0]["properties"]
    assert props["name"] == park.name
    assert props["url"] == park.get_absolute_url()
    assert props["role"] == "showcase"
    assert props["role_label"] == str(SwarmRole.SHOWCASE.label)
    assert props["province"] == park.province.name
    assert props["area_ha"] == pytest.approx(12.0)


def test_parks_without_geometry_are_left_out(client, park):
    Park.objects.create(name="Zonder vorm", slug="zonder-vorm")
    assert [f["properties"]["name"] for f in features(client)] == [park.name]


def test_same_filters_as_the_list(client, park):
    Park.objects.create(
        name="Partner elders",
        slug="partner-elders",
        swarm_role=SwarmRole.PARTNER,
        geometry=box(255000, 470000, 255500, 470400),
    )
    assert [f["properties"]["name"] for f in features(client, role="partner")] == ["Partner elders"]
    assert [f["properties"]["name"] for f in features(client, q="schieweg")] == [park.name]


def test_cache_headers_and_revalidation(client, park):
    url = reverse("registry:parks-geojson")
    first = client.get(url)
    assert "max-age" in first["Cache-Control"] and "public" in first["Cache-Control"]
    etag = first["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304

    change_park_status(park, swarm_role=SwarmRole.PARTNER)
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert json.loads(changed.content)["features"][0]["properties"]["role"] == "partner"


def test_provinces_empty_when_boundaries_not_loaded(client, reference_data):
    response = client.get(reverse("registry:provinces-geojson"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"type": "FeatureCollection", "features": []}


def test_provinces_simplified_outline_in_wgs84(client, reference_data):
    utrecht = Province.objects.get(name="Utrecht")
    # A detailed ring: 400 vertices on a 40 km circle; simplification must drop most.
    utrecht.geometry = Point(140000, 455000).buffer(20000, quad_segs=100)
    utrecht.save()
    (feature,) = json.loads(client.get(reverse("registry:provinces-geojson")).content)["features"]
    assert feature["properties"] == {"name": "Utrecht"}
    geom = shape(feature["geometry"])
    assert 4.8 < geom.centroid.x < 5.5 and 51.9 < geom.centroid.y < 52.3
    assert len(geom.exterior.coords) < 100
