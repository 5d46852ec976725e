"""The admin is branded, and the park page draws the park's outline (issue 16).

The park page said "Geometrie: -": its summary raised inside the admin (a float
format on an escaped string) and the admin shows "-" for a failing field.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from shapely.geometry import MultiPolygon, box

from tests.conftest import DELFT_BOX
from werklandschap.accounts.roles import Role
from werklandschap.registry.outline_svg import outline_svg


@pytest.fixture
def admin_client(client, users):
    team = users[Role.PROGRAMME_TEAM]
    team.is_staff = team.is_superuser = True
    team.save()
    client.force_login(team)
    return client


def test_park_change_page_draws_the_outline(admin_client, park):
    page = admin_client.get(reverse("admin:registry_park_change", args=[park.pk])).content
    html = page.decode()
    row = html[html.index("field-geometry_summary") :]
    row = row[: row.index("form-row", 30)]
    assert '<div class="readonly">-</div>' not in row
    assert re.search(r'<svg [^>]*role="img" aria-label="Begrenzing van Testterrein Schieweg"', row)
    path = re.search(r'<path d="([^"]+)"', row).group(1)
    assert path.startswith("M") and path.endswith("Z")
    assert "1 deel" in row
    assert f'href="{park.get_absolute_url()}"' in row
    assert " style=" not in row  # CSP: colours come from css/admin.css


def test_outline_svg_keeps_holes_and_parts_and_proportions():
    outer = box(0, 0, 400, 200).difference(box(100, 50, 200, 150))
    svg = outline_svg(MultiPolygon([outer, box(500, 0, 600, 100)]), "x")
    assert svg.count("M") == 3  # two exteriors and one hole
    view_box = [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]
    margin = -view_box[0]
    assert (view_box[2] - 2 * margin) / (view_box[3] - 2 * margin) == pytest.approx(600 / 200)
    assert outline_svg(None, "x") == ""


def test_large_outlines_are_simplified():
    circle = box(*DELFT_BOX).buffer(300, quad_segs=2000)
    assert len(circle.exterior.coords) > 5000
    assert outline_svg(circle, "x").count(" L") < 2000


def test_admin_is_branded(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "Werklandschappen van de Toekomst – beheer" in html
    assert "css/admin.css" in html
    assert "Django-beheer" not in html and "Django administration" not in html
    login = admin_client.get(reverse("admin:index"))
    assert login.status_code == 200
