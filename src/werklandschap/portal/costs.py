"""Costs, benefits and beneficiaries for one park: its own gaps as a first plan.

Reads the park's latest scan and its targets (own ambitions, else the
programme's proposals), asks the framework-free ``costbenefit`` package for a
suggested plan, its present values per party, the redistribution proposal and
a Monte Carlo band, and shapes that for the page. No business rule lives here.
"""

from __future__ import annotations

from typing import Any

from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.model import evaluate
from werklandschap.costbenefit.montecarlo import monte_carlo
from werklandschap.costbenefit.suggest import Situation, Targets, suggest
from werklandschap.measures import browse
from werklandschap.registry.models import Park
from werklandschap.scans.models import ParkScan

from .ambitions import current_targets
from .comparison import value_of

# A fixed number of draws for the page (never taken from the visitor); 85 ms
# (bench/cost_benefit_bench.py).
PAGE_DRAWS = 2_000


def _value(scan: ParkScan, key: str) -> float | None:
    return value_of(key, scan.indicators or {}, {})


def situation(scan: ParkScan) -> Situation:
    return Situation(
        area_m2=float(scan.area_ha or 0) * 10_000,
        roof_area_m2=_value(scan, "roof_area_m2"),
        impervious_share_pct=_value(scan, "impervious_share_pct"),
        storage_gap_m3=_value(scan, "storage_gap_m3"),
        canopy_share_pct=_value(scan, "canopy_share_pct"),
        green_share_pct=_value(scan, "green_share_pct"),
    )


def park_cost_benefit(park: Park, scan: ParkScan) -> dict[str, Any]:
    """The page's figures for ``park``: suggested plan, before/after, per party."""
    catalogue = load_catalogue()
    targets = current_targets(park)
    wanted = Targets(
        canopy_share_pct=targets["canopy_share_pct"].value
        if "canopy_share_pct" in targets
        else None,
        green_share_pct=targets["green_share_pct"].value if "green_share_pct" in targets else None,
    )
    where = situation(scan)
    suggestion = suggest(catalogue, where, wanted)
    lines = [
        {
            "measure": catalogue.measures[line.measure],
            "name": browse.name(catalogue.measures[line.measure]),
            "quantity": line.quantity,
            "unit": browse.UNIT_LABELS[catalogue.measures[line.measure].unit],
            "reason": line.reason,
        }
        for line in suggestion.lines
    ]
    context: dict[str, Any] = {
        "lines": lines,
        "before_after": [
            {"key": key, "before": suggestion.before[key], "after": suggestion.after[key]}
            for key in (
                "storage_gap_m3",
                "canopy_share_pct",
                "green_share_pct",
                "impervious_share_pct",
            )
        ],
        "limited": suggestion.limited,
        "targets": wanted,
        "price_year": catalogue.price_year,
        "discount_rate_pct": catalogue.discount_rate.expected * 100,
        "horizon": catalogue.horizon_years,
    }
    if not suggestion.plan.quantities:
        return context
    result = evaluate(catalogue, suggestion.plan)
    band = monte_carlo(catalogue, suggestion.plan, draws=PAGE_DRAWS, seed=0)
    assumed = sum(
        1
        for key in suggestion.plan.quantities
        for r in (
            catalogue.measures[key].investment,
            catalogue.measures[key].maintenance,
            catalogue.measures[key].lifetime,
            *catalogue.measures[key].benefits.values(),
        )
        if r.assumption
    )
    total_numbers = sum(
        3 + len(catalogue.measures[key].benefits) for key in suggestion.plan.quantities
    )
    context.update(
        {
            "result": result,
            "parties": [
                {
                    "label": browse.PARTY_LABELS[p.party],
                    "pv_costs": p.pv_costs,
                    "pv_benefits": p.pv_benefits,
                    "npv": p.npv,
                    "p10": band.percentiles[p.party][0],
                    "p90": band.percentiles[p.party][2],
                }
                for p in result.parties.values()
                if p.pv_costs or p.pv_benefits
            ],
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
            "numbers": total_numbers,
            "draws": PAGE_DRAWS,
        }
    )
    return context
