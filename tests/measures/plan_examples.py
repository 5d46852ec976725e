"""Plans the chart, XLSX and PDF tests share: a typical park's suggested plan.

The park is the kind the programme works with (30 ha, 9 ha of roofs, 75 % sealed, a
storage gap of 6,000 m3, canopy 8 % and green 12 % against targets of 20 % and 25 %);
``suggest`` turns its gaps into a plan of a handful of measures, and a solar roof is
added so that one measure brings money back.
"""

from __future__ import annotations

from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.model import Plan
from werklandschap.costbenefit.suggest import Situation, Suggestion, Targets, suggest

SITUATION = Situation(
    area_m2=300_000,
    roof_area_m2=90_000,
    impervious_share_pct=75,
    storage_gap_m3=6_000,
    canopy_share_pct=8,
    green_share_pct=12,
)
TARGETS = Targets(canopy_share_pct=20, green_share_pct=25)


def suggestion() -> Suggestion:
    return suggest(load_catalogue(), SITUATION, TARGETS)


def typical_plan() -> Plan:
    """The suggested plan of the typical park plus 500 kWp of solar panels."""
    quantities = dict(suggestion().plan.quantities)
    quantities["solar_roof"] = 500.0
    return Plan(quantities)


def before_after() -> list[dict]:
    """The park's indicators before and after the suggested plan (as portal/costs.py)."""
    s = suggestion()
    return [
        {"key": key, "before": s.before[key], "after": s.after[key]}
        for key in ("storage_gap_m3", "canopy_share_pct", "green_share_pct", "impervious_share_pct")
    ]
