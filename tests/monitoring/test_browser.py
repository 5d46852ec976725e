"""The dashboards in headless Chromium (issue 21): the programme team's and a province's.

Screenshots at 1280 and 390 px go to test-artifacts/monitoring-<page>-<width>.png; no
page may be wider than the screen; no CSP violation or script error; every chart image
loads; the province map draws its parks with their colour classes and a legend.
"""

from __future__ import annotations

from django.test import override_settings
from django.utils.text import slugify

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.monitoring.test_dashboards import make_parks, months_ago, scan
from tests.support import test_desk_browser as desk
from werklandschap.accounts.roles import Role
from werklandschap.registry.choices import ProcessPhase, SwarmRole
from werklandschap.registry.models import Park, ParkHistory
from werklandschap.registry.services import change_park_status
from werklandschap.scans.models import ScanRun

pytestmark = BROWSER_MARKS


class Visitor(desk.Visitor):
    def shots(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        for width in desk.WIDTHS:
            self.resize(width)
            # Loaded at this width, as a phone would: the charts' phone variants.
            self.page.reload()
            self.page.wait_for_load_state("networkidle")
            self.charts_loaded()
            sources = self.page.evaluate(
                "() => Array.from(document.querySelectorAll('.monitor-chart img'))"
                ".map(i => i.currentSrc)"
            )
            phone = [src.endswith("?v=telefoon") for src in sources]
            assert sources and all(phone) == (width < 600) and any(phone) == (width < 600)
            self.page.screenshot(
                path=str(ARTIFACTS / f"monitoring-{name}-{width}.png"), full_page=True
            )
            wide = self.page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{name} is {wide} px wide at {width} px"
        self.resize(desk.WIDTHS[0])

    def charts_loaded(self) -> None:
        broken = self.page.evaluate(
            """() => Array.from(document.querySelectorAll('.monitor-chart img'))
                 .filter(img => !img.complete || img.naturalWidth === 0).map(img => img.src)"""
        )
        assert broken == [], broken


@override_settings(MONITORING_CACHE_SECONDS=0)
def test_dashboards_in_the_browser(live_server, browser, users, park):
    parks = make_parks(8, park.province, park.region)
    Park.objects.update(created_at=months_ago(12))
    for i, p in enumerate(parks):
        ParkHistory.objects.filter(park=p).update(changed_at=months_ago(8 - i))
        if i % 3 == 0:
            change_park_status(p, swarm_role=SwarmRole.AMBASSADOR, phase=ProcessPhase(2 + i % 4))
            ParkHistory.objects.filter(park=p, changed_at__gt=months_ago(0)).update(
                changed_at=months_ago(max(0, 5 - i))
            )
    early = ScanRun.objects.create(bundle_name="2025", engine_version="t")
    late = ScanRun.objects.create(bundle_name="2026", engine_version="t")
    for i, p in enumerate(parks):
        scan(p, early, months_ago(10), green=8.0 + 3 * i, gap=400.0 - 20 * i)
        scan(p, late, months_ago(2), green=10.0 + 3 * i, gap=380.0 - 20 * i)

    team = Visitor(browser, live_server, users[Role.PROGRAMME_TEAM], "/monitor/programma/")
    team.page.wait_for_load_state("networkidle")
    team.charts_loaded()
    assert "Programmadashboard" in team.text("h1")
    team.shots("programme")

    officer = Visitor(browser, live_server, users[Role.PROVINCE_OFFICER], "/monitor/")
    path = f"/monitor/provincie/{slugify(park.province.name)}/?indicator=green_share_pct"
    officer.goto(path)
    officer.page.wait_for_selector("#monitor-map[data-state=ready]")
    officer.page.wait_for_load_state("networkidle")
    officer.charts_loaded()
    assert officer.page.locator("#monitor-map").get_attribute("data-feature-count") == "9"
    assert officer.page.locator("#monitor-map-legend li").count() >= 2
    officer.shots("province")
    assert team.problems == [] and officer.problems == []
