"""Source texts in the page's language: measure pages, plan XLSX and PDF, example, API.

The catalogue holds every source text in Dutch and English; a Dutch page must show
the Dutch text and not the English one, the English page (/en/...) the other way
round. The downloads are written in the language of the request that asks for them.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from tests.measures.plan_examples import typical_plan
from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.measures.plan_pdf import plan_report_context, plan_report_html
from werklandschap.measures.plan_xlsx import plan_xlsx

CATALOGUE = load_catalogue()
KEYS = ("green_roof_extensive", "wadi", "solar_roof", "street_trees")


def measure_texts(key: str) -> list[tuple[str, str]]:
    """(Dutch, English) of every source on a measure's page."""
    m = CATALOGUE.measures[key]
    ranges = [m.investment, m.maintenance, m.lifetime, m.replacement]
    ranges += [*m.effects.values(), *m.benefits.values()]
    pairs = [(r.source_nl, r.source) for r in ranges]
    pairs.append((m.cost_allocation_source_nl, m.cost_allocation_source))
    return pairs


def page(client, key: str, language: str) -> str:
    with translation.override(language):
        url = reverse("measures:detail", kwargs={"key": key})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_a_dutch_measure_page_shows_the_dutch_sources_only(client, key):
    html = page(client, key, "nl")
    assert '<html lang="nl"' in html
    for nl, en in measure_texts(key):
        assert escape(nl) in html, nl
        assert escape(en) not in html, en


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_the_english_measure_page_shows_the_english_sources_only(client, key):
    with translation.override("en"):
        assert reverse("measures:detail", kwargs={"key": key}).startswith("/en/")
    html = page(client, key, "en")
    assert '<html lang="en"' in html
    for nl, en in measure_texts(key):
        assert escape(en) in html, en
        assert escape(nl) not in html, nl


@pytest.mark.django_db
def test_the_example_page_shows_no_source_in_the_other_language(client):
    """The example park's page lists no source texts today; none may leak in English."""
    every = [pair for key in CATALOGUE.measures for pair in measure_texts(key)]
    html = client.get(reverse("measures:example")).content.decode()
    assert not [en for nl, en in every if nl != en and escape(en) in html]
    with translation.override("en"):
        url = reverse("measures:example")
    html = client.get(url).content.decode()
    assert not [nl for nl, en in every if nl != en and escape(nl) in html]


def parameter_sources(language: str) -> list[str]:
    with translation.override(language):
        data = plan_xlsx(CATALOGUE, typical_plan(), title="Plan", park_name="De Hoek")
    sheet = load_workbook(io.BytesIO(data)).worksheets[-1]
    return [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]


def plan_texts() -> list[tuple[str, str]]:
    """(Dutch, English) of every source the typical plan's parameters use."""
    plan = typical_plan()
    pairs = [
        (CATALOGUE.discount_rate.source_nl, CATALOGUE.discount_rate.source),
        (CATALOGUE.horizon_source_nl, CATALOGUE.horizon_source),
        (CATALOGUE.price_basis_nl, CATALOGUE.price_basis),
    ]
    for key in plan.quantities:
        pairs += measure_texts(key)
        for category in CATALOGUE.measures[key].benefits:
            c = CATALOGUE.benefit_categories[category]
            pairs.append((c.source_nl, c.source))
    return pairs


def test_the_plan_xlsx_has_the_sources_in_the_language_of_the_download():
    dutch, english = set(parameter_sources("nl")), set(parameter_sources("en"))
    pairs = plan_texts()
    assert dutch == {nl for nl, _en in pairs}
    assert english == {en for _nl, en in pairs}
    assert not dutch & english


def test_the_plan_pdf_appendix_has_the_sources_in_the_language_of_the_report():
    plan = typical_plan()
    for language, pick in (("nl", 0), ("en", 1)):
        with translation.override(language):
            context = plan_report_context(CATALOGUE, plan, title="Plan", park_name=None)
            html = plan_report_html(CATALOGUE, plan, title="Plan", park_name=None)
        shown = {row["source"] for group in context["appendix"] for row in group["rows"]}
        assert shown == {pair[pick] for pair in plan_texts()}, language
        for pair in plan_texts():
            assert escape(pair[pick]) in html
            assert escape(pair[1 - pick]) not in html


@pytest.mark.django_db
def test_the_api_keeps_english_as_source_and_adds_the_dutch_text(client):
    body = client.get("/api/v1/measures").json()
    wadi = next(m for m in body["measures"] if m["key"] == "wadi")
    m = CATALOGUE.measures["wadi"]
    assert wadi["investment"]["source"] == m.investment.source
    assert wadi["investment"]["sourceNl"] == m.investment.source_nl
    assert wadi["costAllocationSourceNl"] == m.cost_allocation_source_nl
    assert body["discountRate"]["sourceNl"] == CATALOGUE.discount_rate.source_nl
    assert body["horizonSourceNl"] == CATALOGUE.horizon_source_nl
    assert body["priceBasisNl"] == CATALOGUE.price_basis_nl
    assert all(c["sourceNl"] for c in body["benefitCategories"])
