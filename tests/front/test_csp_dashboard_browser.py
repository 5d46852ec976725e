"""The park dashboard under the Content-Security-Policy, in headless Chromium.

The dashboard has the most markup that used inline styles before the policy
(legend swatches in data colours, score bars of data width): they are now SVG
and <meter>. This loads it for a park contact and for an anonymous visitor and
checks the map draws, the swatches and bars are there, and the page causes no
CSP violation. Screenshots: /tmp/shots/dashboard-*.png.
"""

from __future__ import annotations

from tests.browser import BROWSER_MARKS
from tests.front.test_csp_browser import SHOTS, WATCH_CSP
from tests.portal.conftest import bundle, other_park, people, scanned  # noqa: F401
from tests.portal.test_dashboard_browser import logged_in_page

pytestmark = BROWSER_MARKS


def watch(page) -> list[str]:
    console: list[str] = []
    page.on(
        "console",
        lambda m: (
            console.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    page.add_init_script(WATCH_CSP)
    return console


def test_dashboard_renders_without_csp_violations(live_server, people, park, scanned, browser):  # noqa: F811
    page = logged_in_page(
        browser, live_server, people["contact"], viewport={"width": 1280, "height": 900}
    )
    console = watch(page)
    page.goto(f"{live_server.url}/portaal/{park.slug}/")
    page.wait_for_selector("#park-dashboard-map[data-state=ready]", timeout=20_000)
    page.get_by_label("Hittekaart: gevoelstemperatuur (PET)").check()
    page.wait_for_function(
        "() => { const i = document.querySelector('img.overlay-heat'); "
        "return i && i.complete && i.naturalWidth > 0; }",
        timeout=10_000,
    )
    # Legend swatches carry their colour as an SVG fill, bars are <meter>s with a value.
    fill = page.locator("[data-landcover-legend] svg.swatch rect").first.get_attribute("fill")
    assert fill and fill.startswith("#")
    for details in page.locator("details.breakdown").all():
        details.evaluate("d => { d.open = true; }")
    meters = page.locator("meter.bar")
    assert meters.count() > 0
    assert 0 <= float(meters.first.get_attribute("value")) <= 100
    SHOTS.mkdir(exist_ok=True)
    page.locator("#kaart").screenshot(path=str(SHOTS / "dashboard-map-1280.png"))
    page.locator("details.breakdown").first.screenshot(path=str(SHOTS / "dashboard-bars-1280.png"))
    assert page.evaluate("window.__csp") == []
    assert console == []


def test_public_summary_has_no_csp_violations(live_server, park, scanned, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 390, "height": 900})
    console = watch(page)
    page.goto(f"{live_server.url}/portaal/{park.slug}/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
    assert console == []
