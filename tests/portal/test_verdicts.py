"""One source of verdicts (portal/verdicts.yaml) for the dashboard and the PDF report.

Issue 16: the PDF called a theme score of 43 "Sterk" (it was the park's best) while
the dashboard said "matig"; groups of 2 parks printed "beter dan 0% / 100% van de
andere"; the minimum group sizes were written three times. The ambitions chart put
mm and % on one unlabelled axis and coloured "lower is better" as if higher were.
"""

from __future__ import annotations

import re

import pytest
import yaml
from django.urls import reverse
from django.utils import translation

from werklandschap.portal import charts, verdicts
from werklandschap.portal.report import _summary_points, render_html
from werklandschap.scanengine.catalog import INDICATORS


def test_bands_are_read_from_the_data_file_with_their_source():
    data = yaml.safe_load(verdicts.VERDICTS_FILE.read_text(encoding="utf-8"))
    assert data["score_bands"]["source"]
    for entry in data["comparison"].values():
        assert entry["source"] and int(entry["value"]) >= 3
    with translation.override("nl"):
        assert verdicts.score_band(43).label == "matig"
        assert verdicts.score_band(75).key == "good"
        assert verdicts.score_band(74.9).key == "fair"
        assert verdicts.score_band(0).key == "weak"
        assert verdicts.score_band(None).label == "onbekend"
    with translation.override("en"):
        assert verdicts.score_band(43).label == "moderate"


def test_the_report_never_calls_a_moderate_theme_strong():
    themes = [
        {"theme": "water", "label": "Water", "score": 43.0},
        {"theme": "energie", "label": "Energie", "score": 30.0},
        {"theme": "mobiliteit", "label": "Mobiliteit", "score": 60.0},
        {"theme": "circulariteit", "label": "Circulariteit", "score": None},
    ]
    with translation.override("nl"):
        points = _summary_points(None, [], themes)
    assert points["strong"] == []  # the best theme (60, 'redelijk') is not 'goed'
    assert [(t["label"], t["band"]) for t in points["weak"]] == [
        ("Energie", "matig"),
        ("Water", "matig"),
    ]
    assert [t["label"] for t in points["unscored"]] == ["Circulariteit"]


@pytest.mark.django_db
def test_dashboard_and_report_give_every_theme_the_same_band(client, park, people, scanned):
    scan, _ = scanned
    client.force_login(people["contact"])
    page = client.get(reverse("portal:dashboard", kwargs={"slug": park.slug})).content.decode()
    report = render_html(park, scan, "nl")
    on_page = re.findall(r"score <strong>(\d+)</strong>/100 · (\w+)", page)
    in_report = re.findall(r"score (\d+)/100 · (\w+)", report)
    assert on_page and on_page == in_report
    for score, band in in_report:
        assert band == verdicts.score_band(float(score)).label
    # the summary names as strong only themes in the 'good' band
    summary = re.search(r'data-summary="themes">(.*?)</div>', report, re.S).group(1)
    strong = summary.split("Aandacht nodig")[0]
    assert set(re.findall(r'data-band="(\w+)"', strong)) <= {"good"}


@pytest.mark.django_db
def test_groups_too_small_get_no_percentage_on_page_or_in_report(client, park, people, scanned):
    """Two parks scanned: every group has at most 2, below the minimum of verdicts.yaml."""
    scan, _ = scanned
    assert verdicts.rank_min_parks() > 2
    client.force_login(people["contact"])
    page = client.get(reverse("portal:dashboard", kwargs={"slug": park.slug})).content.decode()
    report = render_html(park, scan, "nl")
    for html in (page, report):
        assert not re.search(r"(beter|hoger) dan \d+% van de andere", html)
        assert "te weinig terreinen om te vergelijken" in html
    assert f"vanaf {verdicts.distribution_min_parks()} terreinen" in report


def test_ambitions_chart_has_one_labelled_axis_per_unit_and_the_catalogue_direction():
    rows = [
        {"key": "canopy_share_pct", "label": "Boomkroon", "unit": "%", "current": 7.2},
        {"key": "storage_mm", "label": "Berging", "unit": "mm", "current": 0.0},
        {"key": "buildings_heat_stress_pct", "label": "Hittestress", "unit": "%", "current": 98.8},
    ]
    for row, target, met in zip(rows, (37.5, 50.0, 0.0), (False, False, False), strict=True):
        row.update(target=target, met=met)
    assert INDICATORS["buildings_heat_stress_pct"].better == "down"
    with translation.override("nl"):
        svg = charts.ambitions_svg(rows)
    assert len(re.findall(r'<g id="axes_\d+"', svg)) == 2  # % and mm each on their own axis
    assert "procent (%)" in svg and ">mm<" in svg.replace("\n", "")
    assert svg.count("(lager is beter)") == 1
    assert svg.count("(hoger is beter)") == 2
    # an open 'lower is better' step is drawn as an arrow in the step colour, not a failure bar
    assert charts.PARK.lower() in svg.lower()
