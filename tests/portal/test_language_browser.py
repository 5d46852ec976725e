"""The English and the Dutch dashboard in headless Chromium, at 1280 and 390 px.

What the reader sees (innerText, the map's tooltip) carries no label of the other
language, numbers are written the page's way, and screenshots of both languages at
both widths go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.portal.test_dashboard_browser import logged_in_page
from tests.portal.test_language import class_label_pairs, indicator_label_pairs

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_dashboard_in_one_language_at_both_widths(
    live_server, people, park, scanned, browser, lang
):
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = "/en" if lang == "en" else ""
    for width, height in ((1280, 900), (390, 844)):
        page = logged_in_page(
            browser, live_server, people["contact"], viewport={"width": width, "height": height}
        )
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        page.goto(f"{live_server.url}{prefix}/portaal/{park.slug}/")
        page.wait_for_selector("#park-dashboard-map[data-state=ready]", timeout=20_000)
        text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
        for nl_label, en_label in [*class_label_pairs(), *indicator_label_pairs()]:
            other = nl_label if lang == "en" else en_label
            assert other not in text, other
        if lang == "en":
            assert "Built (buildings)" in text
            assert re.search(r"\d\.\d%", text) and not re.search(r"\d,\d\s?%", text)
        else:
            assert "Bebouwd (pand)" in text
            assert re.search(r"\d,\d\s%", text) and not re.search(r"\d\.\d\s?%", text)
        # the map's tooltip names the class in the page's language, its area the page's way
        page.locator("#kaart").scroll_into_view_if_needed()
        shape = page.locator("#park-dashboard-map path.leaflet-interactive").first
        box = shape.bounding_box()
        if box and width == 1280:
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            tip = page.locator(".leaflet-tooltip")
            tip.wait_for(timeout=5_000)
            label = tip.inner_text()
            names = {en if lang == "en" else nl for nl, en in class_label_pairs()} | {"Water"}
            assert any(label.startswith(n) for n in names), label
        page.locator("#overzicht").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"portal-dashboard-{lang}-{width}.png"))
        page.locator("#kaart").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"portal-dashboard-{lang}-{width}-map.png"))
        page.locator("#ambities").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"portal-dashboard-{lang}-{width}-ambitions.png"))
        assert errors == []
        page.context.close()
