"""What the cost-benefit pages show of one plan, and of two plans side by side.

The park's page (``portal.costs``) and the public example (``measures.example``)
both start from a situation (what the scan measured) and a plan; this module
asks the framework-free ``costbenefit`` package for the figures and shapes them
for the templates and exports. No business rule lives in a template.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from werklandschap.costbenefit.model import Plan, Result, evaluate
from werklandschap.costbenefit.montecarlo import MonteCarloResult, monte_carlo
from werklandschap.costbenefit.suggest import Situation, before_after
from werklandschap.costbenefit.types import PARTIES, Catalogue

from . import browse, charts

# The indicators a plan changes, in the order the pages list them.
BEFORE_AFTER_KEYS = (
    "storage_gap_m3",
    "canopy_share_pct",
    "green_share_pct",
    "impervious_share_pct",
)
# The Monte Carlo seed of the pages: the same plan shows the same band every time.
PAGE_SEED = 0
# The plan's charts, by the name in their URL; each is drawn by its own request, so
# the page answers a plan change without waiting for matplotlib (~0.1 s a chart).
CHART_KINDS = ("per-jaar", "per-partij", "onzekerheid")
CHART_ALT = {
    "per-jaar": _(
        "Grafiek: kosten en baten per jaar en het opgetelde saldo; de tabellen op deze "
        "pagina geven dezelfde getallen."
    ),
    "per-partij": _(
        "Grafiek: kosten en baten per partij; de tabel ‘Wie betaalt en wie wint’ geeft "
        "dezelfde getallen."
    ),
    "onzekerheid": _(
        "Grafiek: de band van 10% tot 90% van het opgetelde saldo per jaar uit de Monte "
        "Carlo-berekening."
    ),
}


def plan_lines(catalogue: Catalogue, quantities: dict[str, float]) -> list[dict[str, Any]]:
    """The plan's measures as table rows, in catalogue order."""
    return [
        {
            "measure": measure,
            "name": browse.name(measure),
            "quantity": quantities[key],
            "unit": browse.UNIT_LABELS[measure.unit],
        }
        for key, measure in catalogue.measures.items()
        if quantities.get(key)
    ]


def assumption_count(catalogue: Catalogue, quantities: dict[str, float]) -> tuple[int, int]:
    """How many of the plan's cost and benefit numbers are assumptions, of how many."""
    ranges = [
        r
        for key in quantities
        for m in (catalogue.measures[key],)
        for r in (m.investment, m.maintenance, m.lifetime, *m.benefits.values())
    ]
    return sum(1 for r in ranges if r.assumption), len(ranges)


def simulate(catalogue: Catalogue, plan: Plan) -> MonteCarloResult:
    return monte_carlo(catalogue, plan, draws=settings.COST_BENEFIT_PAGE_DRAWS, seed=PAGE_SEED)


def before_after_rows(
    catalogue: Catalogue, situation: Situation, plan: Plan
) -> list[dict[str, Any]]:
    """The plan's indicators now and after (estimate), one row per ``BEFORE_AFTER_KEYS``."""
    before, after = before_after(catalogue, situation, dict(plan.quantities))
    return [{"key": k, "before": before[k], "after": after[k]} for k in BEFORE_AFTER_KEYS]


def figures(catalogue: Catalogue, situation: Situation, plan: Plan) -> dict[str, Any]:
    """Everything the page shows of ``plan`` (a valid plan: ``PlanError`` otherwise)."""
    quantities = dict(plan.quantities)
    context: dict[str, Any] = {
        "plan_lines": plan_lines(catalogue, quantities),
        "before_after": before_after_rows(catalogue, situation, plan),
        "price_year": catalogue.price_year,
        "horizon": plan.horizon_years or catalogue.horizon_years,
        "discount_rate_pct": (
            catalogue.discount_rate.expected if plan.discount_rate is None else plan.discount_rate
        )
        * 100,
    }
    if not quantities:
        return context
    result = evaluate(catalogue, plan)
    band = simulate(catalogue, plan)
    assumed, numbers = assumption_count(catalogue, quantities)
    context.update(
        {
            "result": result,
            "band": band,
            "parties": party_rows(result, band),
            "total_band": band.percentiles["total"],
            "probability_positive_pct": band.probability_positive["total"] * 100,
            "transfers": [
                {
                    "from": browse.PARTY_LABELS[t.from_party],
                    "to": browse.PARTY_LABELS[t.to_party],
                    "amount": t.amount,
                }
                for t in result.redistribution.transfers
            ],
            "redistribution_feasible": result.redistribution.feasible,
            "assumed": assumed,
            "numbers": numbers,
            "draws": band.draws,
        }
    )
    return context


def chart(kind: str, catalogue: Catalogue, plan: Plan) -> str:
    """One of the plan's charts (``CHART_KINDS``) as SVG; KeyError for an unknown kind."""
    if kind not in CHART_KINDS:
        raise KeyError(kind)
    result = evaluate(catalogue, plan)
    if kind == "per-jaar":
        return charts.costs_benefits_over_time(result)
    if kind == "per-partij":
        return charts.per_party(result)
    return charts.monte_carlo_band(simulate(catalogue, plan))


def chart_links(base: str, query: str) -> list[dict[str, Any]]:
    """The page's chart images: URL (the plan in its query) and alt text."""
    return [{"url": f"{base}{kind}.svg?{query}", "alt": CHART_ALT[kind]} for kind in CHART_KINDS]


def party_rows(result: Result, band: MonteCarloResult) -> list[dict[str, Any]]:
    """Per party that pays or gains: present values and the p10-p90 band of its NPV."""
    return [
        {
            "party": p.party,
            "label": browse.PARTY_LABELS[p.party],
            "pv_costs": p.pv_costs,
            "pv_benefits": p.pv_benefits,
            "npv": p.npv,
            "p10": band.percentiles[p.party][0],
            "p90": band.percentiles[p.party][2],
        }
        for p in result.parties.values()
        if p.pv_costs or p.pv_benefits
    ]


def _headline(catalogue: Catalogue, plan: Plan) -> dict[str, Any]:
    if not plan.quantities:
        return {"result": None, "parties": {}}
    result = evaluate(catalogue, plan)
    band = simulate(catalogue, plan)
    return {
        "result": result,
        "band": band.percentiles["total"],
        "probability_positive_pct": band.probability_positive["total"] * 100,
        "parties": {p: result.parties[p].npv for p in PARTIES},
    }


def compare(
    catalogue: Catalogue, situation: Situation, first: Plan, second: Plan
) -> dict[str, Any]:
    """Two plans side by side: quantities, headline figures, NPV per party, before/after.

    Only rows where at least one plan has something are kept, so the table
    shows what differs and what both share, not 28 empty measures.
    """
    a, b = _headline(catalogue, first), _headline(catalogue, second)
    qa, qb = dict(first.quantities), dict(second.quantities)
    _, after_a = before_after(catalogue, situation, qa)
    before, after_b = before_after(catalogue, situation, qb)
    return {
        "first": a,
        "second": b,
        "measures": [
            {
                "measure": m,
                "name": browse.name(m),
                "unit": browse.UNIT_LABELS[m.unit],
                "first": qa.get(key, 0.0),
                "second": qb.get(key, 0.0),
            }
            for key, m in catalogue.measures.items()
            if qa.get(key) or qb.get(key)
        ],
        "parties": [
            {
                "label": browse.PARTY_LABELS[p],
                "first": a["parties"].get(p, 0.0),
                "second": b["parties"].get(p, 0.0),
            }
            for p in PARTIES
            if a["parties"].get(p) or b["parties"].get(p)
        ],
        "before_after": [
            {"key": key, "before": before[key], "first": after_a[key], "second": after_b[key]}
            for key in BEFORE_AFTER_KEYS
        ],
    }
