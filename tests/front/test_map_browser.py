"""The swarm map, rendered in headless Chromium against a live server.

Checks that the park features are really drawn (SVG paths per role, and the
role colours in a screenshot), not merely that the page returned 200. The tile
URL of the test settings is unreachable, so this also proves the map draws
its own features, and the province outlines, without a background map.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from shapely.geometry import Point, box

from tests.browser import ARTIFACTS, BROWSER_MARKS
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Park, Province

# The role colours of static/css/site.css.
ROLE_RGB = {
    SwarmRole.PARTNER: (0x00, 0x87, 0x5F),
    SwarmRole.AMBASSADOR: (0x00, 0x72, 0xB2),
    SwarmRole.LIVING_LAB: (0xD5, 0x5E, 0x00),
    SwarmRole.SHOWCASE: (0xA8, 0x54, 0x8C),
}

# (name, role, RD x, RD y): spread over the country, so the map fits at national zoom.
PARKS = [
    ("Partner Delft", SwarmRole.PARTNER, 85000, 447000),
    ("Partner Groningen", SwarmRole.PARTNER, 236000, 582000),
    ("Ambassadeur Twente", SwarmRole.AMBASSADOR, 255000, 475000),
    ("Lab Utrecht", SwarmRole.LIVING_LAB, 136000, 455000),
    ("Etalage Zeeland", SwarmRole.SHOWCASE, 33000, 390000),
    ("Nog niet aangesloten", SwarmRole.NONE, 180000, 330000),
]

pytestmark = BROWSER_MARKS


@pytest.fixture
def swarm_parks():
    for name, role, x, y in PARKS:
        Park.objects.create(
            name=name,
            slug=name.lower().replace(" ", "-"),
            swarm_role=role,
            geometry=box(x, y, x + 600, y + 450),
            is_demo=True,
        )
    # One province outline, so the no-tiles background is tested too.
    Province.objects.create(
        code="PV26", name="Utrecht", geometry=Point(140000, 455000).buffer(25000)
    )


def pixels_near(image: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 10) -> int:
    diff = np.abs(image[:, :, :3].astype(int) - np.array(rgb)).max(axis=2)
    return int((diff <= tolerance).sum())


def test_home_map_draws_parks_by_role_without_tiles(live_server, swarm_parks, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/")

    page.wait_for_selector("#swarm-map[data-state=ready]", timeout=15_000)
    # The five swarm parks (not the one outside the swarm), each as outline and dot.
    assert page.locator("#swarm-map path.park").count() == 5
    assert page.locator("#swarm-map path.park-marker").count() == 5
    assert page.locator("#swarm-map path.park--partner").count() == 2
    assert page.locator("#swarm-map path.park--none").count() == 0
    assert page.get_attribute("#swarm-map", "data-feature-count") == "5"
    # The province outline arrives by a second request.
    page.wait_for_selector("#swarm-map path.province-outline", timeout=10_000)
    # The unreachable tile server is noticed and said in words.
    page.wait_for_selector("#swarm-map.map--no-tiles", timeout=10_000)
    assert "Achtergrondkaart niet bereikbaar" in page.inner_text("#swarm-map-status")
    assert errors == []

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "home-map.png"
    page.locator("#swarm-map").screenshot(path=str(shot), animations="disabled")
    page.screenshot(path=str(ARTIFACTS / "home-page.png"), full_page=True)

    image = np.asarray(Image.open(shot).convert("RGB"))
    counts = {role: pixels_near(image, rgb) for role, rgb in ROLE_RGB.items()}
    # A dot of radius 7 px is ~100 px of solid colour inside its white rim (the
    # 600 m outlines are a pixel or two at this zoom); partner has two parks.
    assert counts[SwarmRole.PARTNER] > 2 * 60, counts
    for role in (SwarmRole.AMBASSADOR, SwarmRole.LIVING_LAB, SwarmRole.SHOWCASE):
        assert counts[role] > 60, counts
    # The province is filled as land (near-white) because no tiles loaded.
    assert pixels_near(image, (0xFB, 0xFC, 0xF9), tolerance=3) > 5_000


def test_clicking_a_park_opens_popup_with_link(live_server, swarm_parks, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    page.wait_for_selector("#swarm-map[data-state=ready]", timeout=15_000)

    page.locator("#swarm-map path.park-marker--living_lab").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    assert "Lab Utrecht" in popup.inner_text()
    assert "Living lab" in popup.inner_text()
    assert "DEMO" in popup.inner_text()
    link = popup.locator("a.park-popup__link")
    assert link.get_attribute("href") == "/terreinen/lab-utrecht/"
    link.click()
    page.wait_for_url("**/terreinen/lab-utrecht/")
    page.wait_for_selector("#park-map[data-state=ready]", timeout=15_000)
    assert page.locator("#park-map path.park--living_lab").count() == 1
    page.screenshot(path=str(ARTIFACTS / "park-page.png"), full_page=True)


def test_park_list_map_shows_filtered_parks(live_server, swarm_parks, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/terreinen/?role=partner")
    page.wait_for_selector("#list-map[data-state=ready]", timeout=15_000)
    assert page.locator("#list-map path.park").count() == 2
    assert page.locator("#list-map path.park--partner").count() == 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "park-list.png"), full_page=True)
