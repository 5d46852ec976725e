"""The plan's workbook: the model's figures, every parameter with its source, safe text.

The bytes are opened with openpyxl as a reader would: each figure must equal what
``evaluate`` / ``monte_carlo`` give for the plan, each range of each planned measure
must be in the Parameters sheet with its source text, and a formula-like title or
park name must be stored as text (lib/spreadsheet.py), never as a formula.
"""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tests.measures.plan_examples import typical_plan
from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.model import Plan, PlanError, evaluate
from werklandschap.costbenefit.montecarlo import monte_carlo
from werklandschap.costbenefit.types import PARTIES
from werklandschap.measures import plan_figures
from werklandschap.measures.plan_xlsx import plan_xlsx

CATALOGUE = load_catalogue()
EVIL_TITLE = '=HYPERLINK("http://evil.example/","klik")'
EVIL_PARK = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def plan():
    return typical_plan()


@pytest.fixture(scope="module")
def workbook(plan):
    with translation.override("nl"):
        data = plan_xlsx(CATALOGUE, plan, title="Plan De Hoek 2026", park_name="De Hoek")
    return load_workbook(io.BytesIO(data))


def rows(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def row_starting(ws, first) -> tuple:
    return next(r for r in rows(ws) if r and r[0] == first)


def test_the_sheets_and_the_plan(workbook, plan):
    assert workbook.sheetnames == ["Plan", "Resultaat", "Per jaar", "Parameters"]
    ws = workbook["Plan"]
    assert row_starting(ws, "Titel")[1] == "Plan De Hoek 2026"
    assert row_starting(ws, "Terrein")[1] == "De Hoek"
    result = evaluate(CATALOGUE, plan)
    for key, quantity in plan.quantities.items():
        name = CATALOGUE.measures[key].name_nl
        line = row_starting(ws, name)
        assert line[1] == key and line[2] == pytest.approx(quantity)
        assert line[5] == pytest.approx(result.measures[key].pv_costs)
        assert line[7] == pytest.approx(result.measures[key].npv)
    total = row_starting(ws, "Totaal")
    assert total[5:8] == pytest.approx((result.pv_costs, result.pv_benefits, result.npv))


def test_result_figures_equal_the_model(workbook, plan):
    result = evaluate(CATALOGUE, plan)
    mc = monte_carlo(CATALOGUE, plan, draws=plan_figures.MC_DRAWS, seed=plan_figures.MC_SEED)
    ws = workbook["Resultaat"]
    assert row_starting(ws, "Saldo (netto contante waarde, EUR)")[1] == pytest.approx(result.npv)
    assert row_starting(ws, "Kosten (contante waarde, EUR)")[1] == pytest.approx(result.pv_costs)
    with translation.override("nl"):
        labels = {p: plan_figures.party_label(p) for p in PARTIES}
    for party in PARTIES:
        p = result.parties[party]
        line = row_starting(ws, labels[party])
        assert line[1:4] == pytest.approx((p.pv_costs, p.pv_benefits, p.npv))
        assert line[6:9] == pytest.approx(mc.percentiles[party])
        assert line[9] == pytest.approx(mc.probability_positive[party])
    transfers = {(r[0], r[1]): r[2] for r in rows(ws) if r[0] in labels.values() and r[1]}
    assert result.redistribution.transfers, "the typical plan has parties to compensate"
    for t in result.redistribution.transfers:
        amount = transfers[(labels[t.from_party], labels[t.to_party])]
        assert amount == pytest.approx(t.amount)


def test_the_yearly_sheet_holds_every_year(workbook, plan):
    result = evaluate(CATALOGUE, plan)
    ws = workbook["Per jaar"]
    head, *years = rows(ws)
    assert len(years) == result.horizon
    column = {name: i for i, name in enumerate(head)}
    for t, line in enumerate(years):
        assert line[0] == t
        assert line[column["Kosten (EUR)"]] == pytest.approx(result.costs[t])
        assert line[column["Baten (EUR)"]] == pytest.approx(result.benefits[t])
        assert line[column["Saldo contant, opgeteld (EUR)"]] == pytest.approx(
            result.cumulative_discounted_net[t]
        )


def test_every_parameter_of_every_planned_measure_has_its_source(workbook, plan):
    ws = workbook["Parameters"]
    head, *lines = rows(ws)
    assert head == (
        "Maatregel of categorie",
        "Sleutel",
        "Parameter",
        "Laag",
        "Verwacht",
        "Hoog",
        "Bron",
        "Aanname",
    )
    by_key: dict[str, list[tuple]] = {}
    for line in lines:
        by_key.setdefault(line[1] or "", []).append(line)
    for key in plan.quantities:
        m = CATALOGUE.measures[key]
        ranges = [m.investment, m.maintenance, m.lifetime, m.replacement]
        ranges += [*m.effects.values(), *m.benefits.values()]
        found = by_key[key]
        for r in ranges:
            assert any(
                (line[3], line[4], line[5], line[6]) == (r.low, r.expected, r.high, r.source_nl)
                and line[7] == ("ja" if r.assumption else "nee")
                for line in found
            ), (key, r)
        shares = [line for line in found if line[6] == m.cost_allocation_source_nl]
        assert len(shares) == len(m.cost_allocation)
    for category in {c for k in plan.quantities for c in CATALOGUE.measures[k].benefits}:
        c = CATALOGUE.benefit_categories[category]
        assert {line[6] for line in by_key[category]} == {c.source_nl}
        assert len(by_key[category]) == len(c.allocation)
    general = {line[2]: line for line in by_key[""]}
    # The workbook is Dutch, so are the source texts (tests/measures/test_sources_language.py
    # checks the English download).
    assert general["Discontovoet (reëel, per jaar)"][6] == CATALOGUE.discount_rate.source_nl
    assert general["Looptijd (jaar)"][6] == CATALOGUE.horizon_source_nl
    assert general["Prijspeil (jaar)"][6] == CATALOGUE.price_basis_nl
    assert CATALOGUE.horizon_source_nl and CATALOGUE.price_basis_nl
    assert all(line[6] for line in lines), "a parameter without a source"


def test_a_formula_like_title_and_park_name_stay_text(plan):
    data = plan_xlsx(CATALOGUE, plan, title=EVIL_TITLE, park_name=EVIL_PARK)
    wb = load_workbook(io.BytesIO(data))
    for text in (EVIL_TITLE, EVIL_PARK):
        cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == text]
        assert cells, text
        for cell in cells:
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    # no formula anywhere in the workbook: sources that start with '-' or '=' included
    assert not [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_english_when_the_language_is_english(plan):
    with translation.override("en"):
        data = plan_xlsx(CATALOGUE, plan, title="Plan", park_name=None)
    wb = load_workbook(io.BytesIO(data))
    names = [CATALOGUE.measures[k].name_en for k in plan.quantities]
    plan_sheet = [r[0] for r in wb.worksheets[0].iter_rows(values_only=True)]
    assert set(names) <= set(plan_sheet)
    result_sheet = [r[0] for r in wb.worksheets[1].iter_rows(values_only=True)]
    assert {"Municipality", "Property owner", "Total"} <= set(result_sheet)
    header = next(wb.worksheets[3].iter_rows(values_only=True))
    assert "Source" in header and "Bron" not in header


def test_a_bad_plan_is_refused_before_any_file_is_made():
    with pytest.raises(PlanError) as caught:
        plan_xlsx(CATALOGUE, Plan({"wadi": -5.0}), title="x", park_name=None)
    assert caught.value.code == "negative_quantity"
