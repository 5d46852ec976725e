"""The admin's park page in Chromium: branded, the outline drawn (issue 16); screenshots."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser import ARTIFACTS, BROWSER_MARKS
from werklandschap.accounts.roles import Role

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("width", [1280, 390])
def test_admin_park_page_screenshot(live_server, browser, park, users, width):
    team = users[Role.PROGRAMME_TEAM]
    team.is_staff = team.is_superuser = True
    team.set_password("pw-team-admin")
    team.save()
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", team.username)
    page.fill("#id_password", "pw-team-admin")
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:registry_park_change", args=[park.pk]))
    outline = page.locator(".park-outline svg")
    outline.wait_for()
    assert outline.bounding_box()["width"] > 100
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"admin-park-{width}.png"), full_page=True)
