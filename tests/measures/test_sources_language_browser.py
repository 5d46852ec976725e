"""A measure page in Dutch and in English, in Chromium: the sources follow the page.

Long Dutch source texts must wrap in the table like the English ones did (no
horizontal scroll at 1280 or 390 px). Screenshots go to test-artifacts/ for a person
to look at.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.browser import ARTIFACTS, BROWSER_MARKS
from werklandschap.costbenefit.catalog import load_catalogue

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(("language", "prefix"), [("nl", ""), ("en", "/en")])
def test_a_measure_page_shows_its_sources_in_the_page_language(
    live_server, browser, width, language, prefix
):
    wadi = load_catalogue().measures["wadi"]
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    with translation.override(language):
        path = reverse("measures:detail", kwargs={"key": "wadi"})
    assert path.startswith(prefix + "/")
    page.goto(f"{live_server.url}{path}")
    page.locator("h1").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"measure-sources-{language}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    first = page.locator("td.source").first.inner_text()
    expected = wadi.investment.source_nl if language == "nl" else wadi.investment.source
    assert expected in first
    assert errors == []
