"""The dashboard in headless Chromium: the map draws the land cover and the overlays.

A faster companion of the end-to-end test: the parks are scanned directly and
the contact's session is handed to the browser, so this checks the page itself
(map layers, toggles, legends, no script errors) and leaves screenshots in
test-artifacts/ for a person to look at.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.browser import ARTIFACTS, BROWSER_MARKS

pytestmark = BROWSER_MARKS


def logged_in_page(browser, live_server, user, **kwargs):
    """A page whose browser carries a session of ``user`` (no login form needed)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context = browser.new_context(**kwargs)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "domain": host,
                "path": "/",
            }
        ]
    )
    return context.new_page()


def test_dashboard_map_layers_and_toggles(live_server, people, park, scanned, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = logged_in_page(
        browser, live_server, people["contact"], viewport={"width": 1280, "height": 900}
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/portaal/{park.slug}/")
    page.wait_for_selector("#park-dashboard-map[data-state=ready]", timeout=20_000)
    count = int(page.get_attribute("#park-dashboard-map", "data-feature-count"))
    assert count > 20
    # land-cover polygons are drawn in their class colours, the outline on top
    assert page.locator("#park-dashboard-map path.leaflet-interactive").count() >= count
    # only classes present in the park stay in the legend
    visible = page.locator("[data-landcover-legend] li:visible")
    assert 3 <= visible.count() < 15
    page.screenshot(path=str(ARTIFACTS / "portal-dashboard-top.png"))

    # heat overlay: a PNG that the server warped to Web Mercator
    page.get_by_label("Hittekaart: gevoelstemperatuur (PET)").check()
    overlay = page.locator("img.overlay-heat")
    overlay.wait_for(state="attached", timeout=5_000)
    page.wait_for_function(
        "() => { const i = document.querySelector('img.overlay-heat'); "
        "return i && i.complete && i.naturalWidth > 0; }",
        timeout=10_000,
    )
    page.get_by_label("Landgebruik (BGT)").uncheck()
    page.locator("#kaart").screenshot(path=str(ARTIFACTS / "portal-dashboard-heat.png"))
    page.get_by_label("Hittekaart: gevoelstemperatuur (PET)").uncheck()
    page.get_by_label("Water op straat na een bui van 70 mm").check()
    page.wait_for_function(
        "() => { const i = document.querySelector('img.overlay-flood'); "
        "return i && i.complete && i.naturalWidth > 0; }",
        timeout=10_000,
    )
    page.get_by_label("Boomkroon (hoger dan 2 m)").check()
    page.wait_for_function(
        "() => { const i = document.querySelector('img.overlay-canopy'); "
        "return i && i.complete && i.naturalWidth > 0; }",
        timeout=10_000,
    )
    page.get_by_label("Landgebruik (BGT)").check()
    page.locator("#kaart").screenshot(path=str(ARTIFACTS / "portal-dashboard-flood-canopy.png"))

    # the whole page, for a person to look at
    page.screenshot(path=str(ARTIFACTS / "portal-dashboard-full.png"), full_page=True)
    # a missing indicator says why instead of showing zero
    na_card = page.locator(".indicator-card--na").first
    na_card.evaluate("c => { c.closest('details').open = true; }")  # themes are folded
    assert "niet beschikbaar" in na_card.inner_text()
    assert errors == []


def test_public_summary_on_a_phone(live_server, people, park, scanned, browser):
    """Anonymous visitors see the summary, readable on a small screen; no private data."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/portaal/{park.slug}/")
    assert page.locator("[data-scan-summary]").is_visible()
    assert page.locator("#ambities").count() == 0
    assert page.locator("#park-dashboard-map").count() == 0
    # nothing wider than the screen
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    page.screenshot(path=str(ARTIFACTS / "portal-public-phone.png"), full_page=True)
    assert errors == []
