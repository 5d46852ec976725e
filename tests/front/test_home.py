"""The home page, the layout every page shares, and the language switch."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from shapely.geometry import box

from werklandschap.monitoring.models import ProgrammeTarget
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Park


def add_park(name, role, *, is_demo=False, x=85000.0):
    return Park.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        swarm_role=role,
        is_demo=is_demo,
        geometry=box(x, 447000, x + 300, 447300),
    )


@pytest.fixture
def swarm(reference_data):
    add_park("Een", SwarmRole.PARTNER)
    add_park("Twee", SwarmRole.PARTNER, x=86000)
    add_park("Drie", SwarmRole.LIVING_LAB, x=87000)
    add_park("Vier", SwarmRole.NONE, x=88000)


def test_progress_counter_counts_swarm_parks_against_target(client, swarm):
    html = client.get("/").content.decode()
    assert "<strong>3</strong> van 1.000 bedrijventerreinen op weg" in html
    # A native <progress> (no inline style for the fill; the CSP forbids them).
    assert 'max="1000" value="3"' in html


def test_progress_target_read_from_data(client, swarm):
    ProgrammeTarget.objects.filter(key="parks-in-transition").update(value=1200)
    html = client.get("/").content.decode()
    assert "van 1.200 bedrijventerreinen op weg" in html


def test_progress_counts_per_role_in_legend(client, swarm):
    response = client.get("/")
    counts = {role: n for role, _label, n in response.context["role_counts"]}
    assert counts == {"partner": 2, "ambassador": 0, "living_lab": 1, "showcase": 0}
    html = response.content.decode()
    assert "role-swatch--partner" in html and '<span class="legend__count">2</span>' in html


def test_home_map_config_points_at_swarm_geojson(client, swarm):
    response = client.get("/")
    html = response.content.decode()
    assert "data-swarm-map" in html and 'id="swarm-map-config"' in html
    config = response.context["map_config"]
    assert config["geojsonUrl"] == reverse("registry:parks-geojson") + "?role=zwerm"
    assert config["provincesUrl"] == reverse("registry:provinces-geojson")
    assert config["tileUrl"]  # test settings: an unreachable tile server
    geo = json.loads(client.get(config["geojsonUrl"]).content)
    assert sorted(f["properties"]["name"] for f in geo["features"]) == ["Drie", "Een", "Twee"]


def test_map_scripts_are_served_locally(client, swarm):
    html = client.get("/").content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/js/swarm-map.js" in html
    assert "unpkg" not in html and "cdn" not in html.lower()


def test_no_inline_script_other_than_json_config(client, swarm):
    html = client.get("/").content.decode()
    scripts = html.split("<script")[1:]
    for script in scripts:
        assert script.lstrip().startswith(("src=", 'id="swarm-map-config" type="application/json"'))


def test_demo_banner_shown_when_demo_parks_exist(client, reference_data):
    add_park("Echt", SwarmRole.PARTNER)
    assert "DEMO – synthetische gegevens" not in client.get("/").content.decode()
    add_park("Nep", SwarmRole.PARTNER, is_demo=True, x=90000)
    for url in ("/", reverse("registry:park-list"), reverse("login")):
        assert "DEMO – synthetische gegevens, geen echte bedrijventerreinen" in (
            client.get(url).content.decode()
        )


def test_demo_park_labelled_on_its_page(client, reference_data):
    park = add_park("Nep", SwarmRole.PARTNER, is_demo=True)
    html = client.get(park.get_absolute_url()).content.decode()
    assert 'class="badge badge--demo">DEMO<' in html


def test_accessibility_landmarks(client, swarm):
    html = client.get("/").content.decode()
    assert '<html lang="nl">' in html
    assert 'class="skip-link" href="#inhoud"' in html and '<main id="inhoud"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html


def test_login_page_is_dutch(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "<h1>Inloggen</h1>" in html and "Wachtwoord" in html


def test_login_works(client, users):
    response = client.post(reverse("login"), {"username": "team", "password": "pw-team"})
    assert response.status_code == 302
    assert "Uitloggen" in client.get("/").content.decode()


# --- language -------------------------------------------------------------------------


def test_english_pages_show_english_strings(client, swarm):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "3</strong> of 1,000 business parks on their way" in html
    assert "Log in" in html and "Inloggen" not in html
    list_html = client.get("/en/terreinen/").content.decode()
    assert "Business parks" in list_html
    assert "Partner park" in list_html  # choice labels are translated too


def test_language_switch_redirects_to_english_version(client, swarm):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("registry:park-list")}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/terreinen/"
    assert client.get(response["Location"]).content.decode().count('lang="en"') >= 1


def test_language_switch_form_on_every_page(client, swarm):
    html = client.get(reverse("registry:park-list")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="en"' in html and 'name="language" value="nl"' in html
