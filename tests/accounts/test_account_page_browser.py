"""The account page and password change in Chromium, at desktop and phone width.

Leaves screenshots in test-artifacts/ for a person to look at, and checks
that nothing runs off the side of a phone screen.
"""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.portal.test_dashboard_browser import logged_in_page
from werklandschap.accounts.roles import Role

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("width", [1280, 390])
def test_account_page_fits_and_links_on(live_server, users, browser, width):
    ARTIFACTS.mkdir(exist_ok=True)
    me = users[Role.PARK_CONTACT]
    me.email = "contact@example.org"
    me.save()
    page = logged_in_page(browser, live_server, me, viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/")
    page.click("a.account__name")
    page.wait_for_selector("h1")
    assert page.url.endswith("/account/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"account-page-{width}.png"), full_page=True)
    page.click("text=Wachtwoord wijzigen")
    page.wait_for_selector("#id_old_password")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"account-password-change-{width}.png"), full_page=True)
    assert errors == []
