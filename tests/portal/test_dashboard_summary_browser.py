"""The summary-first dashboard in headless Chromium at 1280 and 390 px (issue 16).

The page opened on about 45 indicator cards (13,780 px high at 1280 px on this
fixture, 29,924 px at 390 px); now a short summary comes first and every theme's
indicators are folded. Screenshots of the top of the page (and the whole page) go
to test-artifacts/ for a person to look at; the heights are written beside them.
"""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.portal.test_dashboard_browser import logged_in_page

pytestmark = BROWSER_MARKS

PAGE_HEIGHT = "() => document.documentElement.scrollHeight"


@pytest.mark.parametrize("width", [1280, 390])
def test_summary_first_and_themes_folded(live_server, people, park, scanned, browser, width):
    ARTIFACTS.mkdir(exist_ok=True)
    page = logged_in_page(
        browser, live_server, people["contact"], viewport={"width": width, "height": 900}
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/portaal/{park.slug}/")
    page.wait_for_load_state("load")
    # the summary's heading is on the first screen, before any section
    heading = page.locator("#samenvatting-title").bounding_box()
    assert heading["y"] + heading["height"] < 900, heading
    # no sideways scrolling of the page
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / f"dashboard-summary-top-{width}.png"))
    page.locator("#samenvatting").screenshot(path=str(ARTIFACTS / f"dashboard-summary-{width}.png"))

    folds = page.locator("details.theme-details")
    assert folds.count() >= 5
    assert page.evaluate(
        "() => [...document.querySelectorAll('details.theme-details')].every(d => !d.open)"
    )
    assert not page.locator(".indicator-card").first.is_visible()
    folded = page.evaluate(PAGE_HEIGHT)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-full-{width}.png"), full_page=True)
    page.evaluate(
        "() => document.querySelectorAll('details.theme-details').forEach(d => d.open = true)"
    )
    unfolded = page.evaluate(PAGE_HEIGHT)
    with (ARTIFACTS / f"dashboard-height-{width}.txt").open("w") as fh:
        fh.write(f"folded {folded} px, every theme open {unfolded} px\n")
    # a generous bound: the folded cards are thousands of pixels of page
    assert unfolded - folded > 1500, (folded, unfolded)
    assert errors == []


def test_links_into_the_folded_themes_open_them(live_server, people, park, scanned, browser):
    page = logged_in_page(
        browser, live_server, people["contact"], viewport={"width": 1280, "height": 900}
    )
    # a shared link to a theme opens its indicators
    page.goto(f"{live_server.url}/portaal/{park.slug}/#thema-water")
    page.wait_for_load_state("load")
    assert page.locator("#thema-water details.theme-details").evaluate("d => d.open")
    assert page.locator("#thema-gezondheid details.theme-details").evaluate("d => !d.open")
    # a gap in the summary leads to its indicator card, opened and on screen
    gap = page.locator("[data-gap] a").first
    key = gap.get_attribute("href").removeprefix("#indicator-")
    gap.click()
    card = page.locator(f"#indicator-{key}")
    card.wait_for(state="visible", timeout=5_000)
    box = card.bounding_box()
    assert 0 <= box["y"] < 900, box
    page.screenshot(path=str(ARTIFACTS / "dashboard-gap-link-1280.png"))


def test_english_summary_on_a_phone(live_server, people, park, scanned, browser):
    page = logged_in_page(
        browser, live_server, people["contact"], viewport={"width": 390, "height": 900}
    )
    page.goto(f"{live_server.url}/en/portaal/{park.slug}/")
    page.wait_for_load_state("load")
    summary = page.locator("#samenvatting")
    assert "Aandeel" not in summary.inner_text()
    summary.screenshot(path=str(ARTIFACTS / "dashboard-summary-en-390.png"))
