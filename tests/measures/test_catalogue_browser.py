"""The measures catalogue in Chromium at 1280 and 390 px: fits, filters work (issue 18).

Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("width", [1280, 390])
def test_catalogue_and_a_measure_fit_the_screen(live_server, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/maatregelen/")
    page.locator("h1").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"measures-list-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    before = page.locator(".measure-card").count()
    page.select_option("#filter-theme", "water")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url("**theme=water**")
    assert 0 < page.locator(".measure-card").count() < before
    page.locator(".measure-card a").first.click()
    page.locator("h1").wait_for()
    page.screenshot(path=str(ARTIFACTS / f"measures-detail-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("td.source").count() >= 4
    assert errors == []
