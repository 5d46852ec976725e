"""Every page of issues 19-21 in English, as each role sees it in the demo: no Dutch left.

The demo (``werklandschap demo``: parks, one account per role, vouchers in every
state, Green Deals, innovations, events, the toolbox) is opened in Chromium under
/en/ by the programme team, a park contact, a province officer, a regional
director, a coalition partner and a process supporter, and by an anonymous
visitor. No page may contain a Dutch interface text, a Dutch date or a Dutch
amount (tests/front/dutch_on_english.py says what counts); the award letter and
the payout statement, downloaded from the English page, neither. What people
wrote (titles and descriptions in Dutch, names of communities) is content and
is not looked at.

A walk-through in December 2026 found on these pages: the voucher history's own
lines ("Toegekend: € 15.000,00; ... uiterlijk 2 juni 2027"), the programme
targets ("Bedrijventerreinen in transitie ...") and the toolbox admin's process
phases ("0 Ambitiefase") in Dutch, and breadcrumb trails against the header (also
checked here). Screenshots at 1280 px go to
test-artifacts/english-<page>-1280.png.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.front.dutch_on_english import dutch_in
from werklandschap.accounts.models import User
from werklandschap.community.models import Community, Event
from werklandschap.newsletter import services as newsletter
from werklandschap.newsletter.models import Subscriber
from werklandschap.toolbox.models import Step
from werklandschap.vouchers.models import VoucherApplication
from werklandschap.vouchers.workflow import Status

pytestmark = BROWSER_MARKS


# Pixels between the site header and a page's breadcrumb trail (None: no trail).
BREADCRUMB_GAP = """(() => {
  const trail = document.querySelector("main nav.breadcrumbs");
  const header = document.querySelector("header.site-header");
  if (!trail || !header) return null;
  return trail.getBoundingClientRect().top - header.getBoundingClientRect().bottom;
})()"""


def _pages(scene: dict) -> dict[str | None, list[str]]:
    v = scene["vouchers"]
    return {
        None: [
            "/en/vouchers/",
            "/en/innovaties/",
            "/en/innovaties/?q=groen",
            f"/en/innovaties/{scene['entry']}/",
            "/en/toolbox/",
            f"/en/toolbox/{scene['step_key']}/",
            "/en/bijeenkomsten/",
            f"/en/bijeenkomsten/{scene['event']}/",
            "/en/bijeenkomsten/praktijkgemeenschappen/",
            "/en/bijeenkomsten/praktijkgemeenschappen/landelijk/",
            "/en/nieuwsbrief/",
            "/en/nieuwsbrief/verstuurd/",
            f"/en/nieuwsbrief/afmelden/{scene['unsubscribe']}/",
            f"/en/nieuwsbrief/bevestigen/{scene['confirm']}/",
        ],
        "programmateam": [
            "/en/vouchers/",
            *[f"/en/vouchers/{reference}/" for reference in v.values()],
            "/en/vouchers/green-deals/",
            "/en/vouchers/green-deals/gelderland/",
            "/en/innovaties/moderatie/",
            f"/en/innovaties/{scene['entry']}/versies/",
            f"/en/innovaties/{scene['entry']}/bewerken/",
            f"/en/bijeenkomsten/{scene['event']}/bewerken/",
            f"/en/beheer/toolbox/step/{scene['step']}/change/",
            f"/en/bijeenkomsten/{scene['event']}/beheer/",
            f"/en/bijeenkomsten/{scene['past_event']}/beheer/",  # attendance
            "/en/bijeenkomsten/praktijkgemeenschappen/aanvragen/",
            "/en/monitor/",
            "/en/monitor/programma/",
            "/en/monitor/provincie/gelderland/",
            "/en/monitor/regio/achterhoek/",
            "/en/werkplek/",
        ],
        "parkcontact": [
            "/en/vouchers/",
            "/en/innovaties/indienen/",
            "/en/bijeenkomsten/mijn-aanmeldingen/",
            "/en/werkplek/",
        ],
        "provincie": ["/en/vouchers/", "/en/monitor/", "/en/werkplek/"],
        "regisseur": ["/en/monitor/", "/en/werkplek/"],
        "partner": ["/en/innovaties/indienen/", "/en/werkplek/"],
        "begeleider": ["/en/vouchers/", "/en/werkplek/"],
    }


@pytest.fixture
def scene(boundaries, settings, tmp_path):
    settings.VOUCHER_FILES_ROOT = tmp_path / "voucher-files"
    settings.TOOLBOX_FILES_ROOT = tmp_path / "toolbox-files"
    settings.MONITORING_CACHE_SECONDS = 0
    call_command("demo", no_serve=True, no_scan=True)
    reader = Subscriber.objects.create(email="lezer@example.org", source="form")
    step = Step.objects.order_by("order").first()
    from werklandschap.knowledge.models import Entry

    return {
        "vouchers": {a.status: a.reference for a in VoucherApplication.objects.all()},
        "entry": Entry.objects.filter(status="published").order_by("pk").first().pk,
        "step": step.pk,
        "step_key": step.key,
        "event": Event.objects.filter(is_demo=True).order_by("starts_at").last().pk,
        "past_event": Event.objects.filter(
            is_demo=True, community__national=True, ends_at__lt=timezone.now()
        )
        .order_by("starts_at")
        .last()
        .pk,
        "unsubscribe": newsletter.unsubscribe_token(reader),
        "confirm": newsletter.confirmation_token(reader),
        # What people wrote or named is content, not interface.
        "content": sorted(
            [
                *Community.objects.values_list("name", flat=True),
                *Event.objects.values_list("title", flat=True),
            ],
            key=len,
            reverse=True,
        ),
    }


def _logged_in(browser, live_server, username: str | None):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if username is not None:
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return context


def _without_content(text: str, content: list[str]) -> str:
    for name in content:
        text = text.replace(name, " ")
    return text


def test_english_pages_of_every_role_contain_no_dutch(live_server, browser, scene):
    assert set(scene["vouchers"]) == set(Status.values)  # every state is looked at
    problems = {}
    ARTIFACTS.mkdir(exist_ok=True)
    for username, paths in _pages(scene).items():
        context = _logged_in(browser, live_server, username)
        page = context.new_page()
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (username, path, response.status)
            shown = path.replace(scene["unsubscribe"], "link").replace(scene["confirm"], "link")
            name = "-".join(filter(None, shown.split("/"))).replace("?", "-")
            page.screenshot(
                path=str(ARTIFACTS / f"english-{username or 'anonymous'}-{name}-1280.png"),
                full_page=True,
            )
            found = dutch_in(_without_content(page.locator("main").inner_text(), scene["content"]))
            if found:
                problems[f"{username} {path}"] = found
            gap = page.evaluate(BREADCRUMB_GAP)
            if gap is not None and gap < 8:  # a breadcrumb stood against the header
                problems[f"{username} {path} breadcrumb"] = gap
        context.close()
    assert problems == {}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_english_award_letter_and_payout_statement_contain_no_dutch(live_server, browser, scene):
    reference = scene["vouchers"][Status.PAID]
    context = _logged_in(browser, live_server, "programmateam")
    for document in ("toekenningsbrief.pdf", "betaaloverzicht.pdf"):
        response = context.request.get(f"{live_server.url}/en/vouchers/{reference}/{document}")
        assert response.status == 200
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=response.body(), capture_output=True
        ).stdout.decode()
        assert "Werklandschappen van de Toekomst" in text
        assert dutch_in(text) == [], document
    context.close()
