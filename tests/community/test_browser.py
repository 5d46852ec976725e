"""Events and communities end to end in headless Chromium (issue 20).

A full event: a park contact goes on the waiting list through the event page; the
person holding the only place cancels through theirs; the first page, reloaded,
shows the contact promoted, with the online link that was hidden before, and the
promotion e-mail has gone out. Then the organiser's page, the communities, the
coordinator's queue and the workspace are looked at. Screenshots at 1280 and 390
px go to test-artifacts/community-<page>-<width>.png; nothing may be wider than
the screen; no CSP violation or script error; axe-core finds nothing serious on
the event page.
"""

from __future__ import annotations

import pytest
from django.core import mail

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.community.fixtures import *  # noqa: F403
from tests.community.fixtures import make_event, make_people
from tests.support import test_desk_browser as desk
from werklandschap.accounts.roles import Role
from werklandschap.community import services
from werklandschap.community.models import EventKind, RegistrationStatus
from werklandschap.community.workflow import MembershipStatus

pytestmark = BROWSER_MARKS
SECRET = "https://meet.example.org/roadshow-hybride-geheim"


class Visitor(desk.Visitor):
    def shots(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        for width in desk.WIDTHS:
            self.resize(width)
            self.page.screenshot(
                path=str(ARTIFACTS / f"community-{name}-{width}.png"), full_page=True
            )
            wide = self.page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{name} is {wide} px wide at {width} px"
        self.resize(desk.WIDTHS[0])


@pytest.fixture
def axe_source():
    if not desk.AXE.exists():
        pytest.fail(f"{desk.AXE} missing: run scripts/setup-env (npm ci installs axe-core)")
    return desk.AXE


def test_waiting_list_promotion_in_the_browser(
    live_server, browser, users, park, national, regional, axe_source
):
    holder, newcomer = make_people(2)
    event = make_event(
        national,
        title="Roadshow Werklandschappen in Delft",
        description="Een middag over vergroening, met een rondgang over het terrein.",
        capacity=1,
        online_url=SECRET,
    )
    services.register(event, holder)
    make_event(regional, title="Bijeenkomst praktijkgemeenschap", kind=EventKind.COP_MEETING)
    mail.outbox.clear()

    # 1. The newcomer finds the full event and goes on the waiting list.
    waiting = Visitor(browser, live_server, newcomer, "/bijeenkomsten/")
    page = waiting.page
    assert "Roadshow Werklandschappen in Delft" in waiting.text()
    assert "Vol" in waiting.text(".event-list")
    waiting.shots("events")
    page.get_by_role("link", name="Roadshow Werklandschappen in Delft").click()
    page.wait_for_url(f"**/bijeenkomsten/{event.pk}/")
    assert SECRET not in page.content()
    page.get_by_role("button", name="Op de wachtlijst").click()
    page.wait_for_url(f"**/bijeenkomsten/{event.pk}/")
    assert "U staat op de wachtlijst (plaats 1)." in waiting.text()
    assert SECRET not in page.content()
    waiting.shots("event-waiting")
    waiting.axe()

    # 2. The holder of the only place cancels.
    leaving = Visitor(browser, live_server, holder, f"/bijeenkomsten/{event.pk}/")
    assert "U bent aangemeld." in leaving.text()
    assert SECRET in leaving.page.content()
    leaving.page.get_by_role("button", name="Afmelden").click()
    leaving.page.wait_for_url(f"**/bijeenkomsten/{event.pk}/")
    assert "U bent afgemeld." in leaving.text()
    leaving.close()

    # 3. The newcomer's page now shows the place, with the online link.
    page.reload()
    text = waiting.text()
    assert "U bent aangemeld." in text
    assert "U stond op de wachtlijst en kreeg een vrijgekomen plaats." in text
    assert page.get_by_role("link", name=SECRET).count() == 1
    waiting.shots("event-promoted")
    assert event.registrations.get(user=newcomer).status == RegistrationStatus.CONFIRMED
    promoted = [m for m in mail.outbox if m.to == [newcomer.email]]
    assert any("vrijgekomen" in m.subject and SECRET in m.body for m in promoted)
    waiting.goto("/bijeenkomsten/mijn-aanmeldingen/")
    assert "Roadshow Werklandschappen in Delft" in waiting.text()
    waiting.shots("mine")

    # 4. The newcomer asks to join the regional community.
    waiting.goto(f"/bijeenkomsten/praktijkgemeenschappen/{regional.slug}/")
    assert "alleen zichtbaar voor leden" in waiting.text()
    page.get_by_label("Ik doe mee als").select_option(label="Parkmanager")
    page.get_by_label("Namens welke organisatie").fill("Parkmanagement Schieweg")
    page.get_by_role("button", name="Lid worden").click()
    page.wait_for_url(f"**/praktijkgemeenschappen/{regional.slug}/")
    assert "Uw aanvraag wacht op de coördinator." in waiting.text()
    waiting.shots("community-requested")
    waiting.goto("/bijeenkomsten/praktijkgemeenschappen/")
    waiting.shots("communities")
    waiting.close()

    # 5. The regional director approves it from the queue.
    director = Visitor(browser, live_server, users[Role.REGIONAL_DIRECTOR], "/werkplek/")
    director.goto("/bijeenkomsten/praktijkgemeenschappen/aanvragen/")
    assert "Parkmanagement Schieweg" in director.text()
    director.shots("queue")
    director.page.get_by_role("button", name="Toelaten").click()
    director.page.wait_for_url("**/aanvragen/")
    assert "Er wachten geen aanvragen." in director.text()
    membership = regional.memberships.get(user=newcomer)
    assert membership.status == MembershipStatus.APPROVED
    director.goto(f"/bijeenkomsten/praktijkgemeenschappen/{regional.slug}/")
    assert "Parkmanagement Schieweg" in director.text(".member-list")
    director.shots("community-member-list")
    director.goto("/bijeenkomsten/nieuw/")
    director.shots("event-new")
    director.close()

    # 6. The organiser's page: the attendee list and the exports.
    team = Visitor(browser, live_server, users[Role.PROGRAMME_TEAM], f"/bijeenkomsten/{event.pk}/")
    team.page.get_by_role("link", name="Deelnemers en beheer").click()
    team.page.wait_for_url(f"**/bijeenkomsten/{event.pk}/beheer/")
    assert "Deelnemer1" in team.text()
    team.shots("manage")
    team.close()

    # 7. The park contact's workspace lists their region's meeting.
    contact = Visitor(browser, live_server, users[Role.PARK_CONTACT], "/werkplek/")
    assert "Bijeenkomst praktijkgemeenschap" in contact.text("#bijeenkomsten")
    for width in desk.WIDTHS:
        contact.resize(width)
        contact.page.locator("#bijeenkomsten").screenshot(
            path=str(ARTIFACTS / f"community-workspace-{width}.png")
        )
        assert contact.page.evaluate("document.documentElement.scrollWidth") <= width
    contact.close()
