"""The toolbox and newsletter pages in Chromium at 1280 and 390 px: nothing wider than
the screen, no console errors (CSP); screenshots go to test-artifacts/toolbox-<page>-<width>.png
and test-artifacts/newsletter-<page>-<width>.png to be looked at."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS
from werklandschap.newsletter import services as newsletter
from werklandschap.newsletter.models import Subscriber
from werklandschap.toolbox.demo import create_demo_toolbox

pytestmark = BROWSER_MARKS


@pytest.fixture
def scene(reference_data, settings, tmp_path):
    settings.TOOLBOX_FILES_ROOT = tmp_path / "toolbox-files"
    create_demo_toolbox()
    subscriber = Subscriber.objects.create(
        email="lezer@example.nl", source="form", status=Subscriber.Status.CONFIRMED
    )
    return {"token": newsletter.unsubscribe_token(subscriber)}


PAGES = {
    "toolbox-overview": "/toolbox/",
    "toolbox-step": "/toolbox/ambities/",
    "toolbox-step-en": "/en/toolbox/kosten-baten/",
    "newsletter-subscribe": "/nieuwsbrief/",
    "newsletter-unsubscribe": "/nieuwsbrief/afmelden/{token}/",
}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", list(PAGES))
def test_pages_at_desktop_and_phone_width(live_server, browser, scene, name, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    response = page.goto(live_server.url + PAGES[name].format(**scene))
    assert response.status == 200
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []
    if name == "newsletter-unsubscribe":
        page.get_by_role("button").last.click()
        page.wait_for_load_state()
        assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
        page.screenshot(path=str(ARTIFACTS / f"newsletter-unsubscribed-{width}.png"))
    context.close()


ADMIN_PAGES = {
    "toolbox-admin-step": "/beheer/toolbox/step/{step}/change/",
    "toolbox-admin-restore": "/beheer/toolbox/step/{step}/versie/1/",
    "newsletter-admin-issue": "/beheer/newsletter/issue/{issue}/change/",
}


@pytest.mark.parametrize("name", list(ADMIN_PAGES))
def test_the_teams_editors(live_server, browser, scene, users, name):
    """The team's editors in the admin (a desktop tool), looked at at 1280 px."""
    from tests.workspace.test_workspace_browser import _page
    from werklandschap.accounts.roles import Role
    from werklandschap.newsletter.models import Issue
    from werklandschap.toolbox import services
    from werklandschap.toolbox.models import Step

    step = Step.objects.get(key="ambities")
    step.summary_nl = "Een tweede versie van de samenvatting."
    services.save_step(step, user=users[Role.PROGRAMME_TEAM], note="samenvatting ingekort")
    issue = Issue.objects.create(
        subject_nl="Nieuws uit de zwerm", body_nl="## Proeftuinen\n\nDe **eerste** wadi is klaar."
    )
    context, page = _page(browser, live_server, users[Role.PROGRAMME_TEAM], 1280)
    response = page.goto(live_server.url + ADMIN_PAGES[name].format(step=step.pk, issue=issue.pk))
    assert response.status == 200
    page.screenshot(path=str(ARTIFACTS / f"{name}-1280.png"), full_page=True)
    context.close()
