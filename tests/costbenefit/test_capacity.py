"""A typed plan is checked against what the park has (issue 18: 'more area than the park has')."""

from __future__ import annotations

from werklandschap.costbenefit.capacity import overruns
from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.suggest import Situation, Targets, suggest

# 10 ha, 30,000 m2 of roofs, 60% sealed: paving outside roofs is 60,000 - 30,000 = 30,000 m2.
PARK = Situation(
    area_m2=100_000,
    roof_area_m2=30_000,
    impervious_share_pct=60,
    storage_gap_m3=2_000,
    canopy_share_pct=5,
    green_share_pct=10,
)


def test_roofs_shared_by_green_and_solar_may_not_exceed_the_roof_area():
    catalogue = load_catalogue()
    # 20,000 m2 of green roof + 2,000 kWp of panels at 5 m2 per kWp = 30,000 m2: fits.
    assert overruns(catalogue, PARK, {"green_roof_extensive": 20_000, "solar_roof": 2_000}) == []
    # One more kWp (5 m2) is over the roof.
    found = overruns(catalogue, PARK, {"green_roof_extensive": 20_000, "solar_roof": 2_001})
    assert [(o.resource, o.used_m2, o.available_m2) for o in found] == [
        ("roof", 30_005.0, 30_000.0)
    ]
    assert set(found[0].measures) == {"green_roof_extensive", "solar_roof"}


def test_depaving_more_than_the_paving_is_refused():
    catalogue = load_catalogue()
    assert overruns(catalogue, PARK, {"depaving": 30_000}) == []
    found = overruns(catalogue, PARK, {"depaving": 20_000, "permeable_paving": 10_001})
    assert [(o.resource, round(o.used_m2), o.available_m2) for o in found] == [
        ("paved", 30_001, 30_000.0)
    ]


def test_one_measure_larger_than_the_whole_park_is_refused():
    catalogue = load_catalogue()
    found = overruns(catalogue, PARK, {"flower_meadow": 100_001})
    assert [(o.resource, o.measures) for o in found] == [("area", ("flower_meadow",))]


def test_every_overrun_is_reported_not_only_the_first():
    catalogue = load_catalogue()
    found = overruns(
        catalogue, PARK, {"green_roof_extensive": 40_000, "depaving": 50_000, "pond": 200_000}
    )
    assert {o.resource for o in found} == {"roof", "paved", "area"}


def test_what_the_scan_did_not_measure_is_not_judged():
    catalogue = load_catalogue()
    unknown = Situation(area_m2=100_000)
    assert overruns(catalogue, unknown, {"green_roof_extensive": 90_000, "depaving": 90_000}) == []


def test_the_suggested_plan_always_fits():
    catalogue = load_catalogue()
    plan = suggest(catalogue, PARK, Targets(canopy_share_pct=30, green_share_pct=40)).plan
    assert plan.quantities
    assert overruns(catalogue, PARK, dict(plan.quantities)) == []
