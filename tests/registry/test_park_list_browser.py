"""The park list in a browser at desktop and phone width (issue 16, "Phones and lists").

The area column was cut off at 1280 px (the table scrolled inside its frame)
and the table ran off the side at 390 px. Checked by geometry in Chromium, with
screenshots in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import pytest
from shapely.geometry import box

from tests.browser import ARTIFACTS, BROWSER_MARKS
from werklandschap.registry.choices import ParkType, SwarmRole
from werklandschap.registry.models import Park, Region

pytestmark = BROWSER_MARKS


@pytest.fixture
def long_names(reference_data):
    region = Region.objects.get(name="Rotterdam-Den Haag")
    province = region.municipalities.first().province
    municipality = region.municipalities.first()
    names = [
        ("Bedrijventerrein Schieoevers-Noord en Technopolis (demo)", SwarmRole.PARTNER, 3),
        ("Haven- en industriegebied Botlek-Europoort", SwarmRole.LIVING_LAB, 5),
        ("Spaanse Polder", SwarmRole.AMBASSADOR, None),
        ("Lage Weide", SwarmRole.NONE, None),
    ]
    for i, (name, role, phase) in enumerate(names):
        Park.objects.create(
            name=name,
            slug=f"terrein-{i}",
            geometry=box(85000 + i * 5000, 447000, 88000 + i * 5000, 447000 + 4115 - i * 1000),
            region=region,
            province=province,
            municipality=municipality,
            swarm_role=role,
            phase=phase,
            park_type=ParkType.INDUSTRIAL_CLUSTER if i % 2 else ParkType.LOGISTICS,
            is_demo="(demo)" in name,
        )


@pytest.mark.parametrize("width", [1280, 390])
def test_park_list_fits_the_screen(live_server, long_names, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(live_server.url + "/terreinen/?sort=-area")
    table = page.locator("table.park-table")
    table.wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"park-list-sorted-{width}.png"), full_page=True)
    # Nothing of the table is hidden behind a horizontal scroll, and nothing
    # sticks out of the window.
    scroll = page.evaluate(
        "() => { const w = document.querySelector('.table-wrap');"
        " return [w.scrollWidth, w.clientWidth, document.documentElement.scrollWidth]; }"
    )
    assert scroll[0] <= scroll[1] + 1, scroll
    assert scroll[2] <= width, scroll
    # Every area value is on screen, inside the table's frame.
    frame = page.locator(".table-wrap").bounding_box()
    for cell in page.locator("td.num").all():
        box_ = cell.bounding_box()
        assert box_["x"] >= frame["x"] - 1
        assert box_["x"] + box_["width"] <= frame["x"] + frame["width"] + 1
    assert "1.234,5" in page.locator("table.park-table").inner_text()
