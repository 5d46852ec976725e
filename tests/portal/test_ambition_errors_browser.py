"""A rejected ambition in Chromium: the browser lands at the form, the summary has focus.

Before: the page reloaded at the top with a generic message, focus on the
body, the field thousands of pixels down.
"""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.portal.helpers import store_scan
from tests.portal.test_dashboard_browser import logged_in_page
from werklandschap.accounts.roles import Role

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("width", [1280, 390])
def test_invalid_ambition_keeps_the_user_at_the_form(live_server, park, users, browser, width):
    store_scan(park, {"canopy_share_pct": 12.0, "storage_mm": 20.0}, area_ha=10.0)
    ARTIFACTS.mkdir(exist_ok=True)
    page = logged_in_page(
        browser, live_server, users[Role.PARK_CONTACT], viewport={"width": width, "height": 800}
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/portaal/{park.slug}/#ambities")
    page.fill("#id_target_canopy_share_pct", "veel")
    page.fill("#id_target_storage_mm", "900")
    page.click("#ambitie-formulier button[type=submit]")
    page.wait_for_selector("[data-error-summary]")
    page.wait_for_load_state("load")  # the deferred focus script has run
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")

    summary = page.locator("[data-error-summary]")
    box = summary.bounding_box()
    # in view, below the sticky section menu, not at the top of the page
    menu = page.locator(".portal-nav").bounding_box()
    assert box is not None and menu["y"] + menu["height"] <= box["y"] < 800, (box, menu)
    assert page.evaluate("window.scrollY") > 1000  # the form is far down the page
    page.screenshot(path=str(ARTIFACTS / f"portal-ambition-errors-{width}.png"))

    links = summary.locator("a")
    assert links.count() == 2
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        links.nth(i).click()
        assert page.evaluate("document.activeElement.id") == target[1:]
        assert page.get_attribute(target, "aria-invalid") == "true"
        field_box = page.locator(target).bounding_box()
        assert menu["y"] + menu["height"] <= field_box["y"] < 800
        page.locator("[data-error-summary]").focus()
    assert errors == []
