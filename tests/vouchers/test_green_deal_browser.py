"""The Green Deal pages, the dashboard's voucher panel and the workspace's vouchers in
Chromium at 1280 and 390 px: nothing wider than the screen; screenshots go to
test-artifacts/vouchers-<page>-<width>.png to be looked at."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.vouchers import report_data
from tests.workspace.test_workspace_browser import _page
from werklandschap.accounts.roles import Role
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Province
from werklandschap.vouchers.models import GreenDeal
from werklandschap.vouchers.workflow import Status

pytestmark = BROWSER_MARKS


@pytest.fixture
def scene(users, park):
    zh = Province.objects.get(name="Zuid-Holland")
    s = report_data.build(zh, Province.objects.get(name="Noord-Brabant"))
    park.swarm_role = SwarmRole.PARTNER
    park.save()
    report_data.make_application(
        "VO2026-00300",
        park,
        s.zh_round,
        s.supporter,
        Status.AWARDED,
        awarded_cents=15_000_00,
        payouts=(5_000_00,),
        history=((Status.IN_ASSESSMENT, Status.AWARDED, report_data.DAY * 4),),
        applicant=users[Role.PARK_CONTACT],
    )
    deal = GreenDeal.objects.get(province=zh)
    deal.living_labs.add(
        report_data.make_park("Living lab Rotterdam-Haven", zh, SwarmRole.LIVING_LAB, 2)
    )
    deal.ambassador_parks.add(
        report_data.make_park("Ambassadeur Delft-Zuid", zh, SwarmRole.AMBASSADOR, 4)
    )
    deal.package = "C"
    deal.save()
    return s


PAGES = {
    "overview": (Role.PROGRAMME_TEAM, "/vouchers/green-deals/", None),
    "province": (Role.PROVINCE_OFFICER, "/vouchers/green-deals/zuid-holland/", None),
    "panel": (Role.PARK_CONTACT, "/portaal/{slug}/", "#partner"),
    # A partner park in Noord-Brabant without an application: the open round, how to apply.
    "panel-open": ("outsider", "/portaal/{other}/", "#partner"),
    "workspace-contact": (Role.PARK_CONTACT, "/werkplek/", "#vouchers"),
    "workspace-officer": (Role.PROVINCE_OFFICER, "/werkplek/", "#vouchers"),
}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", list(PAGES))
def test_voucher_pages_at_desktop_and_phone_width(
    live_server, browser, users, outsiders, park, other_park, scene, name, width
):
    role, path, part = PAGES[name]
    user = outsiders[Role.PARK_CONTACT] if role == "outsider" else users[role]
    context, page = _page(browser, live_server, user, width)
    response = page.goto(live_server.url + path.format(slug=park.slug, other=other_park.slug))
    assert response.status == 200
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"vouchers-{name}-{width}.png"
    if part:
        page.locator(part).screenshot(path=str(target))
    else:
        page.screenshot(path=str(target), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
