"""Costs, benefits and beneficiaries for one park: from its own gaps to saved plans.

Reads the park's latest scan and its targets (own ambitions, else the
programme's proposals), asks the framework-free ``costbenefit`` package for a
suggested plan, and decides which plan a request shows: the suggestion, a
saved scenario, or what the user typed in the editor. The figures themselves
come from ``measures.planning``, shared with the public example park.
"""

from __future__ import annotations

from django.http import QueryDict

from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.model import Plan
from werklandschap.costbenefit.suggest import Situation, Suggestion, Targets, suggest
from werklandschap.costbenefit.types import Catalogue
from werklandschap.measures import planning, scenarios
from werklandschap.measures.tool import Choice, choose, plan_page
from werklandschap.registry.models import Park
from werklandschap.scans.models import ParkScan

from .ambitions import current_targets
from .comparison import value_of

SUGGESTION = "voorstel"


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


def targets_of(park: Park) -> Targets:
    targets = current_targets(park)
    return Targets(
        canopy_share_pct=targets["canopy_share_pct"].value
        if "canopy_share_pct" in targets
        else None,
        green_share_pct=targets["green_share_pct"].value if "green_share_pct" in targets else None,
    )


def _start(park: Park, scan: ParkScan) -> tuple[Catalogue, Situation, Targets, Suggestion]:
    """What every cost page starts from: the catalogue, the scan, the targets (one
    query for the park's ambitions) and the plan suggested from them."""
    catalogue = load_catalogue()
    where = situation(scan)
    targets = targets_of(park)
    return catalogue, where, targets, suggest(catalogue, where, targets)


def park_cost_benefit(
    park: Park, scan: ParkScan, query: QueryDict | None = None, chart_base: str | None = None
) -> dict:
    """The park page's context: the plan ``query`` asks for, and the park's scenarios."""
    catalogue, where, targets, suggestion = _start(park, scan)
    choice = choose(catalogue, where, suggestion, park, query or QueryDict())
    context = plan_page(catalogue, where, suggestion, choice, chart_base)
    context["targets"] = targets
    context["scenarios"] = scenarios.scenarios_of(park)
    return context


def park_choice(park: Park, scan: ParkScan, query: QueryDict) -> tuple[Catalogue, Choice]:
    """The plan ``query`` asks for (for the exports), with the catalogue it was read with."""
    catalogue, where, _targets, suggestion = _start(park, scan)
    return catalogue, choose(catalogue, where, suggestion, park, query)


def plan_by_key(
    catalogue: Catalogue, suggestion: Suggestion, park: Park, key: str | None
) -> tuple[Plan, str | None]:
    """A plan to compare and its name: ``voorstel`` (the suggestion, no name) or an id."""
    if key == SUGGESTION or not key:
        return suggestion.plan, None
    scenario = scenarios.scenario_of(park, key)
    return scenarios.plan_of(catalogue, scenario), scenario.name


def park_comparison(park: Park, scan: ParkScan, first: str | None, second: str | None) -> dict:
    catalogue, where, _targets, suggestion = _start(park, scan)
    plan_a, name_a = plan_by_key(catalogue, suggestion, park, first)
    plan_b, name_b = plan_by_key(catalogue, suggestion, park, second)
    return {
        "comparison": planning.compare(catalogue, where, plan_a, plan_b),
        "first_key": first or SUGGESTION,
        "second_key": second or SUGGESTION,
        "first_name": name_a,
        "second_name": name_b,
        "scenarios": scenarios.scenarios_of(park),
    }
