"""Stored script in park names, and the Content-Security-Policy, in a real browser.

A park name comes from a public sign-up or an imported file. Leaflet inserts a
*string* tooltip or popup as HTML, so a name like ``<img src=x onerror=...>``
ran script on every map that showed the park (issue 14). These tests put such
a park on each map page (home, park list with a search, park page, the sign-up
park picker), open its tooltip and popup, and check that the name is shown as
literal text, that the payload never ran, and that the page caused no
Content-Security-Policy violation (so the policy does not break the maps
either). The admin is walked too: it must work under the same policy.

Screenshots of the home page and a park page at 1280 and 390 px go to
``/tmp/shots/`` for a person to look at.
"""

from __future__ import annotations

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from shapely.geometry import box

from tests.browser import BROWSER_MARKS
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Park

pytestmark = BROWSER_MARKS

PAYLOAD = 'Terrein <img src=x onerror="window.__xss=1">'
SLUG = "terrein-xss"
SHOTS = Path("/tmp/shots")

# Collects securitypolicyviolation events before any page script runs.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def xss_park():
    # Delft, RD New: 800 x 600 m, a partner so it is on the home page's swarm map too.
    return Park.objects.create(
        name=PAYLOAD,
        slug=SLUG,
        swarm_role=SwarmRole.PARTNER,
        geometry=box(85000, 447000, 85800, 447600),
    )


def open_page(browser, url: str, width: int = 1280):
    """A page that records CSP violations (events and console errors) and page errors."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.csp_console = []
    page.page_errors = []
    page.on(
        "console",
        lambda m: (
            page.csp_console.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: page.page_errors.append(str(exc)))
    page.add_init_script(WATCH_CSP)
    page.goto(url)
    return page


def assert_clean(page) -> None:
    assert page.evaluate("window.__xss") is None, "the payload in the park name ran"
    assert page.evaluate("window.__csp") == [], "CSP violations"
    assert page.csp_console == [], "CSP violations in the console"
    assert page.page_errors == []


def assert_tooltip_is_text(page, map_selector: str) -> None:
    page.locator(f"{map_selector} path.leaflet-interactive").first.hover()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=5_000)
    assert tooltip.inner_text() == PAYLOAD
    assert tooltip.locator("img").count() == 0


def assert_popup_is_text(page, map_selector: str) -> None:
    page.locator(f"{map_selector} path.leaflet-interactive").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    assert popup.locator(".park-popup__name").inner_text() == PAYLOAD
    assert popup.locator("img").count() == 0


@pytest.mark.parametrize(
    "path, map_id",
    [
        ("/", "swarm-map"),
        ("/terreinen/?q=Terrein", "list-map"),
        (f"/terreinen/{SLUG}/", "park-map"),
    ],
)
def test_park_name_with_markup_is_text_on_swarm_maps(live_server, xss_park, browser, path, map_id):
    page = open_page(browser, live_server.url + path)
    page.wait_for_selector(f"#{map_id}[data-state=ready]", timeout=15_000)
    assert page.get_attribute(f"#{map_id}", "data-feature-count") == "1"
    assert_tooltip_is_text(page, f"#{map_id}")
    assert_popup_is_text(page, f"#{map_id}")
    assert_clean(page)


def test_park_name_with_markup_is_text_in_signup_picker(live_server, xss_park, browser):
    page = open_page(browser, live_server.url + "/aanmelden/")
    page.wait_for_selector("#park-picker-map[data-state=ready]", timeout=15_000)
    zoom_before = page.get_attribute("#park-picker-map", "data-zoom")
    page.locator("[data-park-search]").fill("Terrein")
    option = page.locator("#park-results .combobox__option").first
    option.wait_for(timeout=5_000)
    assert option.locator(".combobox__name").inner_text() == PAYLOAD
    option.click()
    assert page.locator("[data-chosen-name]").inner_text() == PAYLOAD
    # Choosing zooms the map to the park; wait for the zoom to settle before hovering.
    page.wait_for_function(
        "z => document.querySelector('#park-picker-map').dataset.zoom !== z",
        arg=zoom_before,
        timeout=5_000,
    )
    page.wait_for_timeout(400)  # the zoom animation, not an assertion on time
    assert_tooltip_is_text(page, "#park-picker-map")
    assert_clean(page)


def test_drawing_a_park_works_under_the_policy(live_server, xss_park, browser):
    """Leaflet-Geoman (the sign-up's drawing tool) needs no inline script or style."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page.csp_console, page.page_errors = [], []
    page.on(
        "console",
        lambda m: (
            page.csp_console.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: page.page_errors.append(str(exc)))
    page.add_init_script(WATCH_CSP)
    page.goto(live_server.url + "/aanmelden/")
    page.wait_for_selector("#park-picker-map[data-state=ready]", timeout=15_000)
    page.get_by_label("Nee, ik teken de begrenzing of upload een bestand").check()
    for zoom in range(8, 14):  # drawing starts from zoom 13 (partnership.views.DRAW_MIN_ZOOM)
        page.locator("#park-picker-map .leaflet-control-zoom-in").click()
        page.wait_for_selector(f"#park-picker-map[data-zoom='{zoom}']", timeout=5_000)
    page.wait_for_timeout(300)  # the last zoom animation, before clicking points
    page.get_by_role("button", name="Begrenzing tekenen").click()
    mapbox = page.locator("#park-picker-map").bounding_box()
    cx, cy = mapbox["x"] + mapbox["width"] / 2, mapbox["y"] + mapbox["height"] / 2
    for dx, dy in [(-60, -60), (60, -60), (60, 60), (-60, 60), (-60, -60)]:
        page.mouse.click(cx + dx, cy + dy)
        page.wait_for_timeout(100)
    page.wait_for_selector("[data-draw-status]:has-text('Begrenzing getekend')", timeout=5_000)
    assert page.input_value("#id_outline_drawn").startswith('{"type":"Polygon"')
    assert_clean(page)


def test_admin_works_under_the_policy(live_server, xss_park, browser, django_user_model):
    django_user_model.objects.create_superuser("beheerder", "b@example.org", "pw-beheerder-1")
    page = open_page(browser, live_server.url + "/beheer/")
    page.fill("#id_username", "beheerder")
    page.fill("#id_password", "pw-beheerder-1")
    page.click("input[type=submit]")
    page.wait_for_selector("#content-main")
    for path in (
        "/beheer/registry/park/",
        f"/beheer/registry/park/{xss_park.pk}/change/",
        "/beheer/registry/park/add/",
        "/beheer/accounts/user/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_selector("#content-main")
    # The park's name is listed as text in the admin too.
    page.goto(live_server.url + "/beheer/registry/park/")
    assert PAYLOAD in page.inner_text("#result_list")
    assert_clean(page)


class _TileHandler(BaseHTTPRequestHandler):
    """Any path: one 256 px PNG tile, so the map has a background from another origin."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(TILE_PNG)))
        self.end_headers()
        self.wfile.write(TILE_PNG)

    def log_message(self, *args):
        pass


def _tile_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (256, 256), (0xC8, 0xE6, 0xC9)).save(buf, "PNG")
    return buf.getvalue()


TILE_PNG = _tile_png()


@pytest.fixture
def tile_server(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TileHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    settings.MAP_TILE_URL = origin + "/tiles/{z}/{x}/{y}.png"
    yield origin
    server.shutdown()
    server.server_close()


def test_tiles_from_the_configured_origin_load_under_the_policy(
    live_server, xss_park, browser, tile_server
):
    page = open_page(browser, live_server.url + f"/terreinen/{SLUG}/")
    page.wait_for_selector("#park-map[data-state=ready]", timeout=15_000)
    page.wait_for_selector("#park-map img.leaflet-tile-loaded", timeout=10_000)
    assert page.locator("#park-map.map--no-tiles").count() == 0
    src = page.locator("#park-map img.leaflet-tile-loaded").first.get_attribute("src")
    assert src.startswith(tile_server + "/tiles/")
    SHOTS.mkdir(exist_ok=True)
    page.locator("#park-map").screenshot(path=str(SHOTS / "park-map-with-tiles-1280.png"))
    assert_clean(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_maps_render_under_the_policy_screenshots(live_server, xss_park, browser, width):
    SHOTS.mkdir(exist_ok=True)
    for name, path, map_id in (
        ("home", "/", "swarm-map"),
        ("park", f"/terreinen/{SLUG}/", "park-map"),
    ):
        page = open_page(browser, live_server.url + path, width=width)
        page.wait_for_selector(f"#{map_id}[data-state=ready]", timeout=15_000)
        # The park is drawn as SVG under the policy.
        assert page.locator(f"#{map_id} path.park").count() == 1
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        assert_clean(page)
        page.close()
