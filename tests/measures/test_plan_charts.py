"""The plan's three charts: valid SVG, a bar per year and party, words for every figure.

Each chart is parsed as XML (a browser or WeasyPrint would refuse what does not
parse); bars and lines are found by the SVG ids the drawing gives them. A plan
title or party label full of markup must come out as text, and an empty plan
gives a small figure that says there is nothing to show (never None).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from tests.measures.plan_examples import typical_plan
from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.model import Plan, evaluate
from werklandschap.costbenefit.montecarlo import monte_carlo
from werklandschap.measures import browse, charts

# No test database: run once, not again in the PostgreSQL phase.
pytestmark = pytest.mark.engine

SVG = "{http://www.w3.org/2000/svg}"
CATALOGUE = load_catalogue()
EVIL = '<script>alert("x")</script> $\\alpha$ & =HYPERLINK("http://evil")'


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def ids(root: ET.Element, prefix: str) -> list[str]:
    return [e.get("id") for e in root.iter() if (e.get("id") or "").startswith(prefix)]


def words(root: ET.Element) -> tuple[str, str]:
    """The accessible title and description: the first two children of the SVG."""
    first, second = list(root)[:2]
    assert first.tag == f"{SVG}title" and second.tag == f"{SVG}desc"
    return first.text or "", second.text or ""


def nl_euro(value: float) -> str:
    return "€\u00a0" + f"{round(value):,}".replace(",", ".")


@pytest.fixture(scope="module")
def plan_results():
    plan = typical_plan()
    return evaluate(CATALOGUE, plan), monte_carlo(CATALOGUE, plan, draws=500, seed=0)


def test_costs_and_benefits_over_time_has_a_bar_per_year_and_series(plan_results):
    result, _mc = plan_results
    with translation.override("nl"):
        root = parse(charts.costs_benefits_over_time(result, title="Plan De Hoek"))
    for series in ("investment", "maintenance", "replacement", "benefits"):
        assert ids(root, f"{series}-") == [f"{series}-{t}" for t in range(result.horizon)]
    assert ids(root, "cumulative") == ["cumulative"]
    title, desc = words(root)
    assert title == "Kosten en baten per jaar – Plan De Hoek"
    assert nl_euro(result.investment[0]) in desc
    assert nl_euro(result.npv) in desc


def test_a_shorter_horizon_gives_fewer_bars():
    result = evaluate(CATALOGUE, Plan({"wadi": 100.0}, horizon_years=12))
    root = parse(charts.costs_benefits_over_time(result))
    assert len(ids(root, "benefits-")) == len(ids(root, "investment-")) == 12


def test_per_party_has_two_bars_for_every_party_with_a_share(plan_results):
    result, _mc = plan_results
    involved = charts.involved_parties(result)
    assert 2 <= len(involved) < len(result.parties)  # the typical plan leaves some out
    with translation.override("nl"):
        root = parse(charts.per_party(result))
        labels = {p: str(browse.PARTY_LABELS[p]) for p in result.parties}
    assert sorted(ids(root, "costs-")) == sorted(f"costs-{p}" for p in involved)
    assert sorted(ids(root, "benefits-")) == sorted(f"benefits-{p}" for p in involved)
    _title, desc = words(root)
    for party in involved:
        assert labels[party] in desc
        assert nl_euro(result.parties[party].npv) in desc
    for party in set(result.parties) - set(involved):
        assert labels[party] in desc.split("Zonder kosten of baten:")[1]


def test_the_monte_carlo_band_has_a_point_per_year_and_the_zero_line(plan_results):
    _result, mc = plan_results
    with translation.override("nl"):
        root = parse(charts.monte_carlo_band(mc))
    assert ids(root, "band") == ["band"] and ids(root, "zero") == ["zero"]
    median = next(e for e in root.iter() if e.get("id") == "p50")
    path = next(e for e in median.iter() if e.tag == f"{SVG}path")
    points = re.findall(r"[ML]\s*-?[\d.]+\s+-?[\d.]+", path.get("d"))
    assert len(points) == mc.horizon
    _title, desc = words(root)
    assert nl_euro(mc.percentiles["total"][1]) in desc
    assert "500 trekkingen" in desc


def test_hostile_title_and_party_label_stay_text(plan_results, monkeypatch):
    result, mc = plan_results
    monkeypatch.setitem(browse.PARTY_LABELS, "entrepreneur", EVIL)
    svgs = [
        charts.costs_benefits_over_time(result, title=EVIL),
        charts.per_party(result, title=EVIL),
        charts.monte_carlo_band(mc, title=EVIL),
    ]
    for svg in svgs:
        root = parse(svg)
        assert not [e for e in root.iter() if e.tag.endswith("script")]
        assert "<script>" not in svg
        assert words(root)[0].endswith(EVIL)  # the title reads back exactly
    party = parse(svgs[1])
    drawn = " ".join(e.text or "" for e in party.iter(f"{SVG}text"))
    assert EVIL in drawn  # drawn as text, '$' not turned into mathtext
    assert EVIL in words(party)[1]


def test_an_empty_plan_gives_a_figure_that_says_so():
    result = evaluate(CATALOGUE, Plan({"wadi": 0.0}))
    mc = monte_carlo(CATALOGUE, Plan({}), draws=50)
    with translation.override("nl"):
        svgs = [
            charts.costs_benefits_over_time(result),
            charts.per_party(result),
            charts.monte_carlo_band(mc),
        ]
    for svg in svgs:
        root = parse(svg)
        assert not ids(root, "benefits-") and not ids(root, "costs-") and not ids(root, "p50")
        assert "Geen maatregelen in dit plan" in words(root)[1]


def test_numbers_follow_the_language(plan_results):
    result, _mc = plan_results
    amount = round(result.investment[0])
    assert amount >= 1000
    with translation.override("nl"):
        dutch = words(parse(charts.costs_benefits_over_time(result)))[1]
    with translation.override("en"):
        english = words(parse(charts.costs_benefits_over_time(result)))[1]
        english_label = str(browse.PARTY_LABELS["municipality"])
        party = parse(charts.per_party(result))
    assert f"{amount:,}".replace(",", ".") in dutch
    assert f"{amount:,}" in english
    assert english_label == "Municipality"
    assert english_label in " ".join(e.text or "" for e in party.iter(f"{SVG}text"))


def test_a_plan_that_pays_back_marks_the_year():
    result = evaluate(
        CATALOGUE, Plan({"solar_roof": 300.0, "wadi": 800.0, "rainwater_crates": 500.0})
    )
    assert result.payback_year is not None
    with translation.override("nl"):
        root = parse(charts.costs_benefits_over_time(result))
    drawn = " ".join(e.text or "" for e in root.iter(f"{SVG}text"))
    assert f"terugverdiend in jaar {result.payback_year}" in drawn
    assert f"terugverdiend in jaar {result.payback_year}" in words(root)[1]


def test_no_inline_style_so_the_site_policy_cannot_strip_the_colours(plan_results):
    """matplotlib writes colours as style="..." and a <style> rule; the site's CSP
    (no inline style) would drop them in an SVG opened on its own. Presentation
    attributes carry them instead (test_plan_charts_browser.py opens one in Chromium)."""
    result, mc = plan_results
    empty = evaluate(CATALOGUE, Plan({}))
    svgs = [
        charts.costs_benefits_over_time(result),
        charts.per_party(result),
        charts.monte_carlo_band(mc),
        charts.per_party(empty),
    ]
    for svg in svgs:
        root = parse(svg)
        assert not [e for e in root.iter() if "style" in e.attrib]
        assert not [e for e in root.iter() if e.tag in (f"{SVG}style", f"{SVG}metadata")]
        assert root.get("role") == "img"
    bars = parse(svgs[1])
    fills = {e.get("fill") for e in bars.iter() if e.get("fill")}
    assert {charts.COSTS, charts.BENEFITS} <= fills


def test_charts_keep_plain_svg_tags_after_weasyprint_is_imported():
    """WeasyPrint registers ElementTree's empty prefix for itself on import; a chart made
    afterwards came out as <ns0:svg> with a <ns0:title> (seen in CI, order-dependent)."""
    import xml.etree.ElementTree as ET

    from werklandschap.measures.charts import _accessible

    ET.register_namespace("", "")  # what weasyprint.pdf.metadata does on import
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><g id="a"/></svg>'
    out = _accessible(svg, "Titel", "Beschrijving")
    assert out.startswith("<svg ") and "<title>Titel</title>" in out and "ns0" not in out
