"""The public example park of the cost-benefit tool: try it, change it, never save (issue 18)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.model import Plan, evaluate
from werklandschap.costbenefit.suggest import suggest
from werklandschap.measures import example
from werklandschap.measures.models import Scenario

pytestmark = pytest.mark.django_db


def test_the_example_shows_the_suggested_plan_and_its_charts(client):
    page = client.get(reverse("measures:example"))
    assert page.status_code == 200
    expected = suggest(load_catalogue(), example.situation(), example.targets()).plan
    assert expected.quantities
    assert page.context["result"].npv == pytest.approx(evaluate(load_catalogue(), expected).npv)
    html = page.content.decode()
    assert "Opslaan als scenario" not in html
    urls = [u.replace("&amp;", "&") for u in re.findall(r'<img src="([^"]+)"', html)]
    assert len(urls) == 3
    for url in urls:
        chart = client.get(url)
        assert chart.status_code == 200, url
        assert chart["Content-Type"] == "image/svg+xml"
        ET.fromstring(chart.content)  # well-formed SVG


def test_a_changed_example_plan_is_computed_and_nothing_is_saved(client):
    page = client.get(
        reverse("measures:example"), {"horizon": "20", "rate": "4", "q-street_trees": "40"}
    )
    assert page.status_code == 200
    plan = Plan({"street_trees": 40.0}, horizon_years=20, discount_rate=0.04)
    assert page.context["result"].npv == pytest.approx(evaluate(load_catalogue(), plan).npv)
    assert not Scenario.objects.exists()


def test_more_area_than_the_example_has_is_refused(client):
    too_big = str(int(example.situation().area_m2) + 1)
    page = client.get(reverse("measures:example"), {"horizon": "30", "q-flower_meadow": too_big})
    assert page.status_code == 400
    assert "oppervlakte van het hele terrein" in page.content.decode()
    chart = client.get(
        reverse("measures:example-chart", kwargs={"kind": "per-jaar"}),
        {"horizon": "30", "q-flower_meadow": too_big},
    )
    assert chart.status_code == 400


def test_an_unknown_chart_is_not_found(client):
    assert client.get(reverse("measures:example-chart", kwargs={"kind": "x"})).status_code == 404
