"""The open-data page in Chromium at 1280 and 390 px: no horizontal scroll, every download
link there, and axe-free of the errors the other public pages are held to (CSP: no script)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.browser import ARTIFACTS, BROWSER_MARKS
from werklandschap.api import opendata

pytestmark = BROWSER_MARKS


@pytest.fixture(autouse=True)
def _own_folder(settings, tmp_path):
    settings.OPEN_DATA_ROOT = str(tmp_path / "open-data")


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_open_data_page_fits_and_lists_every_file(live_server, browser, park, width, prefix):
    call_command("open_data", stdout=io.StringIO())
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}{prefix}/open-data/")
    page.locator("h1").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    language = "en" if prefix else "nl"
    page.screenshot(path=str(ARTIFACTS / f"open-data-{language}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    links = page.locator(".download-list a").all_inner_texts()
    assert links == list(opendata.FILES)
    assert errors == []
