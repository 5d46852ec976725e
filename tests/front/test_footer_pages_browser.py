"""The footer pages in Chromium at 1280 and 390 px: nothing runs off the side (issue 16).

Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", ["privacy", "toegankelijkheid", "contact"])
def test_footer_page_fits_the_screen(live_server, browser, path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/{path}/")
    page.locator("h1").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"footer-{path}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The footer links to all three pages and to the source code.
    footer = page.locator("footer.site-footer")
    for name in ("privacy", "toegankelijkheid", "contact"):
        assert footer.locator(f'a[href="/{name}/"]').count() == 1
    assert footer.locator('a[href="/contact/#contact-source"]').count() == 1
    assert errors == []
