"""The costs-and-benefits page in Chromium at 1280 and 390 px (issue 18)."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.portal.test_dashboard_browser import logged_in_page

pytestmark = BROWSER_MARKS


def charts_drawn(page, attempts: int = 100) -> None:
    """Wait until every chart image has loaded (wait_for_function would need 'unsafe-eval')."""
    check = "() => [...document.querySelectorAll('.plan-chart img')]"
    check += ".every(i => i.complete && i.naturalWidth > 0)"
    for _ in range(attempts):
        if page.evaluate(check):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the charts did not load")


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


def test_change_save_and_compare_a_plan(live_server, people, park, scanned, browser):
    """A park contact adds trees, computes, saves the plan and compares it with the suggestion."""
    from werklandschap.measures.models import Scenario

    page = logged_in_page(
        browser, live_server, people["contact"], viewport={"width": 1280, "height": 900}
    )
    page.goto(f"{live_server.url}/portaal/{park.slug}/kosten-en-baten/")
    page.get_by_text("Maatregelen toevoegen").click()
    page.get_by_label("Straatbomen", exact=True).fill("25")
    page.get_by_role("button", name="Bereken").click()
    page.get_by_text("U ziet uw aangepaste plan").wait_for()
    # The three charts load as images from the plan's own URL.
    images = page.locator(".plan-chart img")
    assert images.count() == 3
    charts_drawn(page)
    page.screenshot(path=str(ARTIFACTS / "costs-edited-1280.png"), full_page=True)
    page.get_by_label("Naam van het scenario").fill("Meer bomen")
    page.get_by_role("button", name="Opslaan als scenario").click()
    page.get_by_text("Scenario ‘Meer bomen’ opgeslagen.").wait_for()
    scenario = Scenario.objects.get(park=park)
    assert scenario.quantities["street_trees"] == 25.0
    page.get_by_role("button", name="Vergelijken").click()
    page.get_by_role("heading", name="Twee plannen naast elkaar").wait_for()
    page.screenshot(path=str(ARTIFACTS / "costs-compare-1280.png"), full_page=True)
    assert page.locator("thead").first.inner_text().count("Meer bomen") == 1


@pytest.mark.parametrize("width", [1280, 390])
def test_the_example_park_works_without_an_account(live_server, browser, reference_data, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/maatregelen/rekenvoorbeeld/")
    page.get_by_role("heading", name="Wie betaalt en wie wint").wait_for()
    charts_drawn(page)
    page.screenshot(path=str(ARTIFACTS / f"costs-example-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.get_by_role("button", name="Opslaan als scenario").count() == 0
    assert errors == []
    context.close()
