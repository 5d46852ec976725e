"""The dashboard's sticky section menu stays one row on a phone (issue 16, phones).

Wrapped, it took four rows (about 160 px) of a 390 px wide phone's screen on
every scroll position; now it scrolls sideways within itself.
"""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.portal.test_dashboard_browser import logged_in_page

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("width", [390, 1280])
def test_section_menu_is_one_row_and_the_page_does_not_scroll_sideways(
    live_server, people, park, scanned, browser, width
):
    ARTIFACTS.mkdir(exist_ok=True)
    page = logged_in_page(
        browser, live_server, people["contact"], viewport={"width": width, "height": 900}
    )
    page.goto(f"{live_server.url}/portaal/{park.slug}/")
    page.wait_for_load_state("load")
    menu = page.locator(".portal-nav").bounding_box()
    link = page.locator(".portal-nav a").first.bounding_box()
    assert menu["height"] < 2 * link["height"], (menu, link)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # every section link can still be reached (the row scrolls within itself)
    last = page.locator(".portal-nav a").last
    last.scroll_into_view_if_needed()
    assert last.is_visible()
    page.screenshot(path=str(ARTIFACTS / f"dashboard-section-menu-{width}.png"))
