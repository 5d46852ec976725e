"""The costs-and-benefits page in Chromium at 1280 and 390 px (issue 18)."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.portal.test_dashboard_browser import logged_in_page

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("width", [1280, 390])
def test_costs_page_fits_and_shows_the_plan(live_server, people, park, scanned, browser, width):
    ARTIFACTS.mkdir(exist_ok=True)
    page = logged_in_page(
        browser, live_server, people["contact"], viewport={"width": width, "height": 900}
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/portaal/{park.slug}/kosten-en-baten/")
    page.locator("h1").wait_for()
    page.screenshot(path=str(ARTIFACTS / f"costs-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.get_by_role("heading", name="Voor en na (schatting)").count() == 1
    assert errors == []


def test_costs_page_in_english(live_server, people, park, scanned, browser):
    page = logged_in_page(
        browser, live_server, people["contact"], viewport={"width": 390, "height": 900}
    )
    page.goto(f"{live_server.url}/en/portaal/{park.slug}/kosten-en-baten/")
    page.locator("h1").wait_for()
    page.screenshot(path=str(ARTIFACTS / "costs-en-390.png"), full_page=True)
    assert page.locator("h1").inner_text() == "Costs, benefits and who gains"
    assert page.get_by_role("heading", name="Before and after (estimate)").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
