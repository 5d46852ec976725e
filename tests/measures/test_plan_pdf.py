"""The plan's PDF report: its text holds the model's figures and every source.

The text is read with ``pdftotext`` (poppler-utils, as tests/portal/test_report.py
reads the scan report); pages are rendered with ``pdftoppm`` to
test-artifacts/plan-report/ for a person to look at, and the per-party page is
checked for the chart's colours. Typed text (title, park name) must be printed as
text, and WeasyPrint may fetch nothing but the ``data:`` charts.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from django.utils import translation
from PIL import Image

from tests.measures.plan_examples import before_after, typical_plan
from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.model import Plan, evaluate
from werklandschap.costbenefit.montecarlo import monte_carlo
from werklandschap.measures import charts, plan_figures
from werklandschap.measures.plan_pdf import data_only_url_fetcher, plan_pdf, plan_report_html

# No test database: run once, not again in the PostgreSQL phase.
pytestmark = pytest.mark.engine

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "plan-report"
CATALOGUE = load_catalogue()
EVIL_TITLE = '<script>alert("t")</script><img src="file:///etc/passwd" alt="x"> Plan'
EVIL_PARK = '<b>De Hoek</b> & "Co" <link rel="stylesheet" href="http://127.0.0.1:9/x.css">'


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} missing: apt-get install -y poppler-utils"
    return path


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "plan.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    return subprocess.run(
        [_tool("pdftotext"), "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def squeeze(text: str) -> str:
    """Without any white space: a source broken over lines still matches."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    plan = typical_plan()
    with translation.override("nl"):
        pdf = plan_pdf(
            CATALOGUE,
            plan,
            title=EVIL_TITLE,
            park_name=EVIL_PARK,
            situation_before_after=before_after(),
        )
    text = pdf_text(pdf, tmp_path_factory.mktemp("pdf"))
    return plan, pdf, text


def test_the_report_has_the_plan_and_the_models_figures(report):
    plan, pdf, text = report
    assert pdf.startswith(b"%PDF")
    result = evaluate(CATALOGUE, plan)
    mc = monte_carlo(CATALOGUE, plan, draws=plan_figures.MC_DRAWS, seed=plan_figures.MC_SEED)
    with translation.override("nl"):
        euro = charts.euro
        expected = [
            euro(result.pv_costs),
            euro(result.pv_benefits),
            euro(result.npv),
            *(CATALOGUE.measures[k].name_nl for k in plan.quantities),
            *(euro(m.npv) for m in result.measures.values()),
            *(euro(mc.percentiles["total"][i]) for i in range(3)),
            "Het terrein voor en na het plan (schatting)",
            "Voorstel voor herverdeling",
        ]
        for party in charts.involved_parties(result):
            p = result.parties[party]
            expected += [plan_figures.party_label(party), euro(p.pv_costs), euro(p.npv)]
        for t in result.redistribution.transfers:
            expected.append(euro(t.amount))
        top = [plan_figures.sensitivity_label(CATALOGUE, s) for s in mc.sensitivity[:5]]
    flat = squeeze(text)
    for figure in expected:
        assert squeeze(figure) in flat, figure
    for label in top:
        assert squeeze(label) in flat, label
    bcr = f"{result.bcr:.2f}".replace(".", ",")
    assert bcr in text


def test_every_parameter_and_its_source_is_in_the_appendix(report):
    plan, _pdf, text = report
    appendix = squeeze(text.split("Alle getallen en hun bronnen")[-1])
    with translation.override("nl"):
        parameters = plan_figures.parameters(CATALOGUE, plan)
    for p in parameters:
        assert squeeze(p.source) in appendix, (p.group, p.label)
        assert squeeze(p.label) in appendix, (p.group, p.label)
    # every assumption is marked (the badge, upper case), plus the one in the intro
    assumed = sum(p.assumption for p in parameters)
    assert 0 < assumed < len(parameters)
    assert appendix.count("AANNAME") == assumed + 1


def test_typed_text_is_printed_as_text_and_nothing_is_fetched(report, tmp_path):
    plan, _pdf, text = report
    flat = squeeze(text)
    assert squeeze(EVIL_TITLE) in flat.replace("“", '"').replace("”", '"')
    assert squeeze("<b>De Hoek</b>") in flat
    with translation.override("nl"):
        html = plan_report_html(CATALOGUE, plan, title=EVIL_TITLE, park_name=EVIL_PARK)
    assert "<script" not in html and "<b>De Hoek" not in html and "<link" not in html
    assert "&lt;script&gt;" in html


def test_weasyprint_may_fetch_only_data_urls():
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "ftp://127.0.0.1/x"):
        with pytest.raises(FatalURLFetchingError):
            HTML(string=f'<img src="{url}" alt="x">', url_fetcher=data_only_url_fetcher()).render()
    png = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
        "DwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    HTML(string=f'<img src="{png}" alt="x">', url_fetcher=data_only_url_fetcher()).render()


def test_the_pdf_is_tagged_with_language_title_and_alt_texts(tmp_path, caplog):
    with translation.override("nl"), caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = plan_pdf(CATALOGUE, typical_plan(), title="Plan De Hoek", park_name="De Hoek")
    errors = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    assert not [e for e in errors if "alt" in e or "lang" in e], errors
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(
        [_tool("pdfinfo"), str(path)], check=True, capture_output=True, text=True
    ).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert re.search(r"^Title:\s+Kosten en baten: Plan De Hoek$", info, re.M), info


def test_english_when_the_language_is_english(tmp_path):
    plan = typical_plan()
    with translation.override("en"):
        pdf = plan_pdf(CATALOGUE, plan, title="Plan", park_name="De Hoek")
    text = pdf_text(pdf, tmp_path)
    for key in plan.quantities:
        assert CATALOGUE.measures[key].name_en in text.replace("\n", " ")
    assert "Municipality" in text and "Property owner" in text
    npv = round(evaluate(CATALOGUE, plan).npv)
    assert f"€ {npv:,}".replace(" ", "\u00a0") in text or f"€ {npv:,}" in text


def test_an_empty_plan_gives_a_report_that_says_so(tmp_path):
    with translation.override("nl"):
        pdf = plan_pdf(CATALOGUE, Plan({"wadi": 0.0}), title="Leeg", park_name=None)
    text = pdf_text(pdf, tmp_path)
    assert "Dit plan bevat nog geen maatregelen" in text
    assert "Geen maatregelen in dit plan" not in text  # no empty charts, no party table
    assert "Voorstel voor herverdeling" not in text


def test_pages_as_images_show_the_charts(report, tmp_path):
    """Every page to PNG for a person to look at; the per-party page has its bars."""
    _plan, pdf, text = report
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("page-*.png"):
        old.unlink()
    source = ARTIFACTS / "plan-report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [_tool("pdftoppm"), "-r", "50", "-png", str(source), str(ARTIFACTS / "page")], check=True
    )
    pages = sorted(ARTIFACTS.glob("page-*.png"))
    assert len(pages) == text.count("\f") or len(pages) >= 5
    for page in pages:
        pixels = np.asarray(Image.open(page).convert("RGB"), dtype=int)
        assert (pixels < 200).any(), f"{page.name} is blank"
    party_page = next(p for i, p in enumerate(pages) if "Wie betaalt" in text.split("\f")[i])
    pixels = np.asarray(Image.open(party_page).convert("RGB"), dtype=int)

    def share(colour: str) -> float:
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        return float((np.abs(pixels - rgb).sum(axis=2) < 40).mean())

    assert share(charts.COSTS) > 0.002 and share(charts.BENEFITS) > 0.002
