"""The park's shared figures: one size class and one overview for the dashboard and the report.

The dashboard computed the size class from the gross area only (a park without a
registered gross area showed "onbekende grootte" above a comparison grouped by its
scanned area), the report fell back to the scanned area: one function now decides,
for the comparison groups too.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.portal.helpers import store_scan
from werklandschap.accounts.roles import Role
from werklandschap.portal.comparison import comparison, park_size_class, size_class_label
from werklandschap.portal.report import report_context
from werklandschap.registry.models import Park

pytestmark = pytest.mark.django_db


def without_gross_area(park: Park) -> Park:
    """The park as the registry holds one whose gross area is not known (no outline area)."""
    Park.objects.filter(pk=park.pk).update(gross_area_ha=None)
    return Park.objects.get(pk=park.pk)


def test_size_class_falls_back_to_the_scanned_area_everywhere(client, users, park):
    park = without_gross_area(park)
    scan = store_scan(park, {"green_share_pct": 12.0}, area_ha=30.0)
    assert park_size_class(park, scan) == 2
    label = size_class_label(2)
    assert label == "25–50 ha"

    client.force_login(users[Role.PARK_CONTACT])
    body = client.get(reverse("portal:dashboard", kwargs={"slug": park.slug})).content.decode()
    intro = body.split('id="vergelijking"', 1)[1].split("</p>", 1)[0]
    assert label in intro and "onbekende grootte" not in intro

    assert report_context(park, scan)["size_class"] == label
    peer = comparison(park, scan)[0].groups[0]
    assert peer.key == "peer" and label in peer.label


def test_gross_area_wins_over_the_scanned_area(park):
    Park.objects.filter(pk=park.pk).update(gross_area_ha=8)
    park = Park.objects.get(pk=park.pk)
    scan = store_scan(park, {"green_share_pct": 12.0}, area_ha=30.0)
    assert park_size_class(park, scan) == 0
    assert re.search("kleiner dan 10", report_context(park, scan)["size_class"])


def test_dashboard_and_report_start_from_the_same_overview(rf, users, park):
    """Every figure of ``park_overview`` reaches both the page and the PDF unchanged."""
    from werklandschap.portal.park_overview import park_overview
    from werklandschap.portal.views import dashboard_context

    scan = store_scan(park, {"green_share_pct": 12.0, "canopy_share_pct": 3.0}, area_ha=30.0)
    request = rf.get("/")
    request.user = users[Role.PARK_CONTACT]
    shared = park_overview(park, scan)
    page = dashboard_context(request, park)
    pdf = report_context(park, scan)
    for key in ("size_class", "ambitions", "history_table", "coverage", "parameters"):
        assert page[key] == shared[key] == pdf[key], key
    assert [t["score"] for t in page["themes"]] == [t["score"] for t in pdf["themes"]]
    assert [i.key for i in page["comparison_items"]] == [i.key for i in pdf["comparison_items"]]
    # each adds only its own parts
    assert "ambition_form" in page and "ambition_form" not in pdf
    assert "appendix" in pdf and "appendix" not in page
