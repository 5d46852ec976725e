"""The sign-up end to end in headless Chromium: search, sign up, confirm, approve.

Screenshots of the form, the e-mail check page and the queue go to
test-artifacts/ for a person to look at.
"""

from __future__ import annotations

from django.core import mail

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.partnership.conftest import CONFIRM_LINK
from werklandschap.accounts.models import ParkContact
from werklandschap.partnership.models import PartnerApplication
from werklandschap.partnership.workflow import Status
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Park
from werklandschap.registry.services import assign_areas
from werklandschap.scans.models import ScanRequest

pytestmark = BROWSER_MARKS


def test_sign_up_confirm_and_approve_in_the_browser(live_server, boundaries, users, park, browser):
    assign_areas(park)
    park.save()
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # 1. The form: find the park by searching its name.
    page.goto(live_server.url + "/aanmelden/")
    page.wait_for_selector("#park-picker-map[data-state=ready]", timeout=15_000)
    page.get_by_role("combobox", name="Zoek het terrein op naam of gemeente").fill("Schieweg")
    option = page.get_by_role("option", name="Testterrein Schieweg")
    option.wait_for(timeout=5_000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    chosen = page.locator("[data-chosen-park]")
    chosen.wait_for(state="visible", timeout=5_000)
    assert "Testterrein Schieweg" in chosen.inner_text()
    assert "Delft" in chosen.inner_text()
    assert page.input_value("#id_park") == str(park.pk)

    page.get_by_label("Organisatie", exact=True).fill("Parkmanagement Schieweg")
    page.get_by_label("Parkmanagement / parkmanager").check()
    page.get_by_label("Uw naam").fill("Sam de Vries")
    page.get_by_label("E-mailadres", exact=True).fill("sam@parkschieweg.example")
    for box in page.locator(".choice--check input[type=checkbox]").all():
        box.check()
    page.screenshot(path=str(ARTIFACTS / "partnership-signup-form.png"), full_page=True)
    page.get_by_role("button", name="Aanmelding versturen").click()

    # 2. "Controleer uw e-mail", and the link in the e-mail.
    page.wait_for_url("**/aanmelden/verstuurd/")
    assert "Controleer uw e-mail" in page.inner_text("h1")
    page.screenshot(path=str(ARTIFACTS / "partnership-check-email.png"), full_page=True)
    application = PartnerApplication.objects.get()
    assert application.status == Status.SUBMITTED
    (message,) = mail.outbox
    path = CONFIRM_LINK.search(message.body).group(1)

    page.goto(live_server.url + path)
    page.get_by_role("button", name="Ja, bevestig mijn aanmelding").click()
    page.wait_for_selector("text=uw aanmelding is bevestigd")
    application.refresh_from_db()
    assert application.status == Status.CONFIRMED

    # 3. The programme team logs in and approves.
    page.goto(live_server.url + "/account/login/?next=/aanmelden/beoordelen/")
    page.get_by_label("Gebruikersnaam").fill("team")
    page.get_by_label("Wachtwoord").fill("pw-team")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/aanmelden/beoordelen/")
    assert "Testterrein Schieweg" in page.inner_text(".queue-table")
    page.screenshot(path=str(ARTIFACTS / "partnership-queue.png"), full_page=True)

    page.get_by_role("link", name="Beoordelen Testterrein Schieweg").click()
    page.wait_for_selector("#review-map[data-state=ready]", timeout=15_000)
    assert page.locator("#review-map path.park").count() == 1
    page.screenshot(path=str(ARTIFACTS / "partnership-review-detail.png"), full_page=True)
    page.get_by_label("Toelichting (optioneel)").fill("Welkom in de zwerm!")
    page.get_by_role("button", name="Goedkeuren").click()
    page.wait_for_url("**/aanmelden/beoordelen/")
    assert "Goedgekeurd" in page.inner_text(".messages")

    park.refresh_from_db()
    assert park.swarm_role == SwarmRole.PARTNER
    assert park.history.get(field="swarm_role").changed_by == users_team(users)
    assert ScanRequest.objects.filter(park=park, status=ScanRequest.Status.PENDING).exists()
    assert ParkContact.objects.filter(park=park, user__email="sam@parkschieweg.example").exists()
    assert "is partnerterrein" in mail.outbox[-1].subject
    assert errors == []


def users_team(users):
    from werklandschap.accounts.roles import Role

    return users[Role.PROGRAMME_TEAM]


def test_draw_a_new_park_and_see_errors_in_place(live_server, boundaries, park, browser):
    """A park not in the registry: draw it with Geoman; a missing field is explained."""
    # Reduced motion: the map scrolls into view at once, so the measured box is
    # where the clicks land (a smooth scroll under load moved it mid-drawing).
    page = browser.new_page(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/aanmelden/")
    page.wait_for_selector("#park-picker-map[data-state=ready]", timeout=15_000)
    page.get_by_label("Nee, ik teken de begrenzing of upload een bestand").check()
    page.get_by_label("Naam van het terrein").fill("Bedrijvenpark De Groene Hoek")
    # Zoom in on the middle of the country (zoom 7 -> 15, ~3 m a pixel) and draw
    # a square of 120 px, about 13 ha, away from any registered park.
    for zoom in range(8, 16):
        page.locator("#park-picker-map .leaflet-control-zoom-in").click()
        page.wait_for_selector(f"#park-picker-map[data-zoom='{zoom}']", timeout=5_000)
    page.wait_for_timeout(300)  # let the last zoom animation end before clicking points
    page.get_by_role("button", name="Begrenzing tekenen").click()
    mapbox = page.locator("#park-picker-map").bounding_box()
    cx, cy = mapbox["x"] + mapbox["width"] / 2, mapbox["y"] + mapbox["height"] / 2
    for dx, dy in [(-60, -60), (60, -60), (60, 60), (-60, 60), (-60, -60)]:
        page.mouse.click(cx + dx, cy + dy)
        page.wait_for_timeout(100)
    page.wait_for_selector("[data-draw-status]:has-text('Begrenzing getekend')", timeout=5_000)
    assert page.input_value("#id_outline_drawn").startswith('{"type":"Polygon"')
    # Leave the e-mail out on purpose.
    page.get_by_label("Organisatie", exact=True).fill("Gemeente Delft")
    page.get_by_label("Gemeente", exact=True).check()
    for box in page.locator(".choice--check input[type=checkbox]").all():
        box.check()
    page.get_by_role("button", name="Aanmelding versturen").click()
    summary = page.locator(".error-summary")
    summary.wait_for(timeout=10_000)
    assert "Vul uw e-mailadres in." in summary.inner_text()
    # The drawing survives the round trip and is shown again.
    page.wait_for_selector("[data-draw-status]:has-text('Begrenzing getekend')", timeout=5_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "partnership-signup-errors.png"), full_page=True)
    assert PartnerApplication.objects.count() == 0
    assert Park.objects.count() == 1
    assert errors == []
