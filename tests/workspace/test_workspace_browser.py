"""The workspace in Chromium at 1280 and 390 px, for a park contact and the team.

Checks what a person sees first: the park contact's dashboard button above the
fold, nothing wider than the screen, the invite form opening; screenshots go
to test-artifacts/ (workspace-<role>-<width>.png) to be looked at.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.browser import ARTIFACTS, BROWSER_MARKS
from werklandschap.accounts.models import ParkContact
from werklandschap.accounts.roles import Role
from werklandschap.portal.models import ReportJob
from werklandschap.registry.choices import SwarmRole
from werklandschap.scans.models import ParkScan, ScanRequest, ScanRun

pytestmark = BROWSER_MARKS


def _page(browser, live_server, user, width):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "domain": live_server.url.split("//", 1)[1].split(":")[0],
                "path": "/",
            }
        ]
    )
    return context, context.new_page()


@pytest.fixture
def scene(users, park, other_park):
    park.swarm_role = SwarmRole.PARTNER
    park.save()
    run = ScanRun.objects.create(bundle_name="test", engine_version="test")
    scan = ParkScan.objects.create(run=run, park=park, status=ParkScan.Status.OK)
    ReportJob.objects.create(scan=scan, language="nl", status=ReportJob.Status.FAILED)
    ScanRequest.objects.create(park=other_park, status=ScanRequest.Status.FAILED)
    # A second park of the same contact, its scan still queued.
    ParkContact.objects.create(
        user=users[Role.PARK_CONTACT],
        park=other_park,
        capacity=ParkContact.Capacity.PARK_MANAGEMENT,
    )
    ScanRequest.objects.create(park=other_park)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("role", [Role.PARK_CONTACT, Role.PROGRAMME_TEAM])
def test_workspace_at_desktop_and_phone_width(
    live_server, browser, users, park, scene, role, width
):
    context, page = _page(browser, live_server, users[role], width)
    page.goto(f"{live_server.url}/werkplek/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"workspace-{role.value}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    mine = page.locator(".site-nav a[aria-current=page]")
    assert mine.inner_text() == ("Mijn terrein" if role == Role.PARK_CONTACT else "Mijn werkplek")
    if role == Role.PARK_CONTACT:
        # The first park's dashboard button is on the first screen; each park has one.
        box = page.locator("a.ws-park__open").first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 900, "dashboard button below fold"
        assert page.locator(f'a.ws-park__open[href="/portaal/{park.slug}/"]').count() == 1
        page.locator(f'article[aria-labelledby="ws-park-{park.pk}"] summary').click()
        assert page.locator(f"#invite-{park.pk}").is_visible()
    else:
        assert page.locator(".ws-queue").count() == 3
        assert page.get_by_role("link", name="Naar de aanmeldingen").is_visible()
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_refused_invitation_keeps_the_person_at_the_form_with_the_reason_focused(
    live_server, browser, users, park, width
):
    context, page = _page(browser, live_server, users[Role.PARK_CONTACT], width)
    page.goto(f"{live_server.url}/werkplek/")
    page.locator(f'article[aria-labelledby="ws-park-{park.pk}"] summary').click()
    users[Role.PARK_CONTACT].email = "contact@example.org"
    users[Role.PARK_CONTACT].save()
    page.fill(f"#invite-{park.pk}", "contact@example.org")  # already a contact of this park
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.wait_for_load_state()
    page.screenshot(path=str(ARTIFACTS / f"workspace-invite-refused-{width}.png"), full_page=True)
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert "al contactpersoon" in page.locator(".error-summary").inner_text()
    assert page.locator("#id_email").input_value() == "contact@example.org"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
