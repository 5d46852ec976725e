"""The Innovation database end to end in headless Chromium (issue 20).

A coalition partner submits an innovation through the form; the programme team
finds it in its workspace and the moderation queue, takes it into review and
publishes it; then an anonymous visitor finds it by another Dutch word form than
the one written ("bomen" for "boom", "groene daken" for "groen dak"), first
through search-as-you-type and then through the search page with a facet, and
opens it. Screenshots at 1280 and 390 px go to test-artifacts/knowledge-<page>-<width>.png;
nothing may be wider than the screen; no CSP violation or script error; axe-core
finds nothing serious on the search and entry pages.
"""

from __future__ import annotations

import pytest
from django.core import mail

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.knowledge.fixtures import make_entry
from tests.support import test_desk_browser as desk
from werklandschap.accounts.roles import Role
from werklandschap.knowledge.models import Entry
from werklandschap.knowledge.workflow import Status

pytestmark = BROWSER_MARKS


class Visitor(desk.Visitor):
    def shots(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        for width in desk.WIDTHS:
            self.resize(width)
            self.page.screenshot(
                path=str(ARTIFACTS / f"knowledge-{name}-{width}.png"), full_page=True
            )
            wide = self.page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{name} is {wide} px wide at {width} px"
        self.resize(desk.WIDTHS[0])


@pytest.fixture
def axe_source():
    if not desk.AXE.exists():
        pytest.fail(f"{desk.AXE} missing: run scripts/setup-env (npm ci installs axe-core)")
    return desk.AXE


def test_submit_moderate_and_find_by_a_dutch_inflection(live_server, browser, users, axe_source):
    team, partner = users[Role.PROGRAMME_TEAM], users[Role.COALITION_PARTNER]
    partner.email = "partner@example.org"
    partner.save()
    for title, theme in (
        ("Wadi's langs de hoofdweg", "water"),
        ("Een parkmanagementfonds voor onderhoud", "gezondheid"),
        ("Tegels eruit op het voorterrein", "natuurinclusiviteit"),
    ):
        make_entry(
            team,
            title,
            themes=[theme],
            body="Een **voorbeeld** van elders.",
            publish_by=team,
        )

    # 1. A coalition partner submits an innovation (written in the singular).
    sender = Visitor(browser, live_server, partner, "/innovaties/indienen/")
    page = sender.page
    sender.shots("submit")
    page.get_by_label("Titel").fill("Een boom per parkeerplaats")
    page.get_by_label("Samenvatting").fill(
        "Op elk parkeervak kwam een boom; ook kreeg de hal een groen dak."
    )
    page.get_by_label("Beschrijving").fill(
        "# Aanpak\n\nElke **boom** staat in een groeiplaats onder de verharding.\n\n"
        "<script>alert('x')</script>"
    )
    page.get_by_label("Soort innovatie").select_option("physical_greening")
    page.get_by_label("Water en klimaatadaptatie").check()
    page.get_by_label("Productiviteit en hitte").check()
    page.get_by_label("Innovatieve fysieke oplossingen ontwikkelen, testen en toepassen").check()
    page.get_by_label("Kavel").check()
    page.get_by_label("Pilot").check()
    page.get_by_label("Elders").check()
    page.get_by_label("Bomen op eigen terrein").check()
    page.get_by_role("button", name="Indienen").click()
    page.wait_for_url("**/innovaties/*/")
    entry = Entry.objects.get(title="Een boom per parkeerplaats")
    assert entry.status == Status.SUBMITTED and entry.submitted_by == partner
    assert "Ingediend" in sender.text()
    sender.shots("submitted")

    # 2. The programme team sees it waiting and publishes it.
    moderator = Visitor(browser, live_server, team, "/werkplek/")
    page = moderator.page
    assert "Een boom per parkeerplaats" in moderator.text()
    moderator.goto("/innovaties/moderatie/")
    moderator.shots("queue")
    page.get_by_role("link", name="Een boom per parkeerplaats").click()
    page.wait_for_url(f"**/innovaties/{entry.pk}/")
    page.get_by_role("button", name="In beoordeling nemen").click()
    page.wait_for_url(f"**/innovaties/{entry.pk}/")
    moderator.shots("review")
    # The team sharpens the text; the two versions are compared word by word.
    page.get_by_role("link", name="Bewerken").click()
    page.get_by_label("Samenvatting").fill(
        "Op elk parkeervak kwam een jonge boom; ook kreeg de hal een groen dak."
    )
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/innovaties/{entry.pk}/")
    page.get_by_role("link", name="Versies vergelijken").click()
    page.wait_for_url(f"**/innovaties/{entry.pk}/versies/")
    assert page.locator(".kn-diff ins").first.inner_text().strip() == "jonge"
    moderator.shots("revisions")
    moderator.goto(f"/innovaties/{entry.pk}/")
    page.get_by_role("button", name="Publiceren").click()
    page.wait_for_url(f"**/innovaties/{entry.pk}/")
    assert "Gepubliceerd" in moderator.text()
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED
    assert any("staat online" in m.subject for m in mail.outbox)

    # 3. Anyone finds it by another word form: "bomen" as you type, "groene daken" searched.
    visitor = Visitor(browser, live_server, None)
    page = visitor.page
    visitor.goto("/innovaties/")
    box = page.get_by_role("combobox", name="Zoek in de innovaties")
    box.press_sequentially("bomen par", delay=40)
    option = page.get_by_role("option", name="Een boom per parkeerplaats")
    option.wait_for()
    visitor.shots("suggest")
    box.fill("groene daken")
    box.press("Enter")
    page.wait_for_url("**/innovaties/?q=groene+daken")
    assert "Een boom per parkeerplaats" in visitor.text(".kn-results")
    page.locator(".kn-facets").get_by_role("link", name="Productiviteit en hitte").click()
    page.wait_for_url("**thema=productiviteit**")
    assert "1 innovatie voor" in visitor.text(".kn-results__title")
    visitor.shots("search")
    visitor.axe()
    page.get_by_role("link", name="Een boom per parkeerplaats").click()
    page.wait_for_url(f"**/innovaties/{entry.pk}/")
    assert page.locator(".kn-body strong").inner_text() == "boom"
    assert "<script>alert('x')</script>" in visitor.text(".kn-body")  # shown as text
    visitor.shots("detail")
    visitor.axe()

    # 4. The measure's page in the catalogue links the entry that applies it.
    visitor.goto("/maatregelen/trees_on_plot/")
    page.get_by_role("link", name="Een boom per parkeerplaats").wait_for()
    visitor.shots("measure")

    for person in (sender, moderator, visitor):
        person.close()
