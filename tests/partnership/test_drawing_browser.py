"""The sign-up map in headless Chromium: keyboard, drawing limits, place search (issue 16).

- Tab from the top of the page reaches the search and draw controls before the map;
  the map is one tab stop, and one Tab later focus has left it (no park shape is a
  tab stop, whatever the number of parks: 38 in the demo, ~3,800 in the registry).
- Drawing at country zoom is refused with a clear message; an oversize drawing is
  flagged while it is drawn, with its area in Dutch number format, not in success green.
- The place search takes the map to Delft, at a zoom from which drawing starts.

Screenshots at 1280 and 390 px go to test-artifacts/. No CSP violation anywhere.
"""

from __future__ import annotations

import re

import pytest
from shapely.geometry import box

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.front.test_csp_browser import WATCH_CSP
from werklandschap.registry.models import Park
from werklandschap.registry.services import assign_areas

pytestmark = BROWSER_MARKS

MAP = "#park-picker-map"

# Where focus is, in words the test can compare: the map, inside the map, or outside.
WHERE = """() => {
  const a = document.activeElement;
  const map = document.querySelector('%s');
  if (!a || a === document.body) return {where: 'body'};
  return {
    where: a === map ? 'map' : (map.contains(a) ? 'inside' : 'outside'),
    tag: a.tagName, id: a.id || '', name: a.getAttribute('name') || '',
    draw: a.hasAttribute('data-draw-start'), place: a.hasAttribute('data-place-search'),
    search: a.hasAttribute('data-park-search'),
  };
}"""


@pytest.fixture
def many_parks(boundaries):
    """Forty parks spread over Zuid-Holland, each drawn on the picker map."""
    parks = []
    for i in range(40):
        x, y = 70000 + (i % 8) * 3000, 430000 + (i // 8) * 3000
        park = Park(
            name=f"Terrein {i:02d}", slug=f"terrein-{i:02d}", geometry=box(x, y, x + 600, y + 400)
        )
        assign_areas(park)
        parks.append(park)
    Park.objects.bulk_create(parks)
    return parks


def open_signup(browser, live_server, width=1280, height=900):
    page = browser.new_page(viewport={"width": width, "height": height}, reduced_motion="reduce")
    page.errors, page.csp_console = [], []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on(
        "console",
        lambda m: (
            page.csp_console.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    page.add_init_script(WATCH_CSP)
    page.goto(live_server.url + "/aanmelden/")
    page.wait_for_selector(f"{MAP}[data-state=ready]", timeout=15_000)
    return page


def assert_clean(page) -> None:
    assert page.errors == []
    assert page.evaluate("window.__csp") == [], "CSP violations"
    assert page.csp_console == []


def new_park_mode(page) -> None:
    page.get_by_label("Nee, ik teken de begrenzing of upload een bestand").check()


def test_map_is_one_tab_stop_after_the_controls(live_server, many_parks, browser):
    page = open_signup(browser, live_server)
    assert page.get_attribute(MAP, "data-feature-count") == "40"
    new_park_mode(page)
    seen = []
    for _ in range(120):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(WHERE % MAP))
        if len(seen) >= 3 and seen[-3]["where"] == "map":
            break
    wheres = [s["where"] for s in seen]
    assert "map" in wheres, seen
    at_map = wheres.index("map")
    # The place search and the draw button come before the map.
    assert any(s.get("place") for s in seen[:at_map]), seen
    assert any(s.get("draw") for s in seen[:at_map]), seen
    # One stop: nothing inside the map (no shape, no zoom button) follows it.
    assert wheres[at_map + 1] == "outside", seen[at_map:]
    assert wheres.count("map") == 1 and "inside" not in wheres

    # No park shape is a tab stop: each carries tabindex=-1 (Leaflet's tooltip focus
    # listeners made every one focusable in Chromium).
    shapes = page.locator(f"{MAP} path.leaflet-interactive")
    assert shapes.count() >= 40
    tabbable = page.evaluate(
        f"() => [...document.querySelectorAll('{MAP} path')]"
        ".filter(p => p.hasAttribute('tabindex') && p.getAttribute('tabindex') !== '-1').length"
    )
    assert tabbable == 0
    assert page.locator(f"{MAP} path[tabindex='-1']").count() >= 40

    # The map pans with the arrow keys.
    page.locator(MAP).focus()
    before = page.evaluate(f"document.querySelector('{MAP} .leaflet-map-pane').style.transform")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        f"t => document.querySelector('{MAP} .leaflet-map-pane').style.transform !== t",
        arg=before,
        timeout=5_000,
    )
    # The keyboard hint shows while the map has keyboard focus.
    assert page.locator("#park-picker-map-keys").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".picker-frame").screenshot(path=str(ARTIFACTS / "signup-map-keyboard-1280.png"))
    assert_clean(page)


def test_drawing_at_country_zoom_is_refused(live_server, boundaries, browser):
    page = open_signup(browser, live_server)
    new_park_mode(page)
    assert page.get_attribute(MAP, "data-zoom") == "7"
    # Said before anyone tries: the note beside the button.
    note = page.locator("[data-draw-zoom-note]")
    assert note.is_visible()
    assert "Zoom eerst verder in" in note.inner_text()
    assert page.get_attribute("[data-draw-start]", "aria-disabled") == "true"
    # aria-disabled, not disabled: it can still be pressed, and then says why not.
    page.get_by_role("button", name="Begrenzing tekenen").focus()
    page.keyboard.press("Enter")
    assert note.get_attribute("data-state") == "error"
    # Nothing to draw with: a click on the map adds no corner.
    assert page.locator(f"{MAP} .leaflet-pm-draggable, {MAP} .marker-icon").count() == 0
    assert page.get_attribute(MAP, "data-drawing") != "true"
    # Focus goes to the place search, the way to get there.
    assert page.evaluate("document.activeElement.id") == "place-search"
    assert_clean(page)


def test_place_search_takes_the_map_to_delft(live_server, boundaries, browser):
    page = open_signup(browser, live_server)
    new_park_mode(page)
    search = page.get_by_role("combobox", name="Zoek een plaats of gemeente")
    search.fill("Delft")
    page.get_by_role("option", name="Delft").first.wait_for(timeout=5_000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => Number(document.querySelector('{MAP}').dataset.zoom) >= 13", timeout=5_000
    )
    assert "Delft" in page.inner_text("#park-picker-map-status")
    # The centre of the map is in Delft (about 52.01 N, 4.36 E).
    lat, lng = (float(v) for v in page.get_attribute(MAP, "data-center").split(","))
    assert 51.95 < lat < 52.05 and 4.30 < lng < 4.42, (lat, lng)
    # Enter in the place search never submitted the form.
    assert page.url.endswith("/aanmelden/")
    # Now drawing starts, and the note is gone.
    assert page.locator("[data-draw-zoom-note]").is_hidden()
    page.get_by_role("button", name="Begrenzing tekenen").click()
    assert page.get_attribute(MAP, "data-drawing") == "true"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "signup-new-park-delft-1280.png"), full_page=True)
    assert_clean(page)


def draw_square(page, half: int) -> None:
    mapbox = page.locator(MAP).bounding_box()
    cx, cy = mapbox["x"] + mapbox["width"] / 2, mapbox["y"] + mapbox["height"] / 2
    for dx, dy in [(-half, -half), (half, -half), (half, half), (-half, half), (-half, -half)]:
        page.mouse.click(cx + dx, cy + dy)
        page.wait_for_timeout(100)


def test_oversize_drawing_is_flagged_while_drawing(live_server, boundaries, browser, settings):
    # A lower maximum, so that a square that fits on the screen is too large.
    settings.PARK_MAX_AREA_HA = 150
    page = open_signup(browser, live_server)
    new_park_mode(page)
    page.get_by_role("combobox", name="Zoek een plaats of gemeente").fill("Delft")
    page.get_by_role("option", name="Delft").first.click()
    page.wait_for_selector(f"{MAP}[data-zoom='13']", timeout=5_000)
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Begrenzing tekenen").click()
    mapbox = page.locator(MAP).bounding_box()
    cx, cy = mapbox["x"] + mapbox["width"] / 2, mapbox["y"] + mapbox["height"] / 2
    status = page.locator("[data-draw-status]")
    # At zoom 13 a pixel is ~11.8 m: three corners of a 160 px square make a triangle
    # of ~180 ha, over the maximum before the shape is closed.
    for dx, dy in [(-80, -80), (80, -80), (80, 80)]:
        page.mouse.click(cx + dx, cy + dy)
        page.wait_for_timeout(100)
    page.wait_for_selector("[data-draw-status][data-state=error]", timeout=5_000)
    text = status.inner_text()
    assert text.startswith("Te groot:"), text
    assert "hoogstens 150 ha" in text
    # Dutch number format: a decimal comma and a point between thousands ("178,4").
    area = text.split("Te groot: ", 1)[1].split(" ha", 1)[0]
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d)?", area), area
    page.mouse.click(cx - 80, cy + 80)
    page.wait_for_timeout(100)
    page.mouse.click(cx - 80, cy - 80)
    page.wait_for_function(
        "() => document.querySelector('#id_outline_drawn').value.startsWith('{')", timeout=5_000
    )
    # Finished: still an error, in the error colour, not the success green.
    assert status.get_attribute("data-state") == "error"
    colour = status.evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(164, 38, 44)", colour
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".form-section").first.screenshot(path=str(ARTIFACTS / "signup-oversize-1280.png"))
    assert_clean(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_signup_screenshots(live_server, many_parks, browser, width):
    page = open_signup(browser, live_server, width=width, height=900 if width > 400 else 844)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"signup-existing-{width}.png"), full_page=True)
    new_park_mode(page)
    page.get_by_role("combobox", name="Zoek een plaats of gemeente").fill("Del")
    page.get_by_role("option", name="Delft").first.wait_for(timeout=5_000)
    page.screenshot(path=str(ARTIFACTS / f"signup-new-{width}.png"), full_page=True)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert_clean(page)
