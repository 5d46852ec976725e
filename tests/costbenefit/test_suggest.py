"""A first plan from the park's own gaps, within what the park has (issue 18).

Hand-computed with a small catalogue built here (the shipped figures may change).
"""

from __future__ import annotations

import pytest

from werklandschap.costbenefit.suggest import Situation, Targets, before_after, suggest
from werklandschap.costbenefit.types import Catalogue, Measure, Range

pytestmark = pytest.mark.engine


def fixed(value: float) -> Range:
    return Range(value, value, value, "test")


def measure(key: str, unit: str = "m2", **effects: float) -> Measure:
    return Measure(
        key=key,
        name_nl=key,
        name_en=key,
        description_nl="",
        description_en="",
        unit=unit,
        location="own_plot",
        effort="low",
        themes=("water",),
        investment=fixed(10),
        maintenance=fixed(0),
        lifetime=fixed(30),
        replacement=fixed(1),
        effects={k: fixed(v) for k, v in effects.items()},
        cost_allocation={"property_owner": 1.0},
    )


CATALOGUE = Catalogue(
    version="test",
    price_year=2024,
    discount_rate=fixed(0.0225),
    horizon_years=30,
    measures={
        m.key: m
        for m in [
            measure("blue_green_roof", storage_m3=0.06, roof_m2_used=1, green_m2=1),
            measure(
                "wadi", storage_m3=0.3, paved_m2_used=0.5, green_m2=1, impervious_m2_removed=0.5
            ),
            measure("rainwater_crates", storage_m3=0.38),
            measure("trees_on_plot", unit="piece", canopy_m2=40),
            measure("depaving", green_m2=1, impervious_m2_removed=1, paved_m2_used=1),
        ]
    },
    benefit_categories={},
)

PARK = Situation(
    area_m2=100_000,
    roof_area_m2=30_000,
    impervious_share_pct=80,  # 80,000 m2 sealed, of which 30,000 roof: 50,000 paved
    storage_gap_m3=3_000,
    canopy_share_pct=10,
    green_share_pct=10,
)


def test_a_plan_closes_the_gaps_in_the_documented_order():
    """Storage 3,000 m3: blue-green roof on 25 % of 30,000 m2 = 7,500 m2 (450 m3);
    wadis for the other 2,550 m3 at 0.3 m3/m2 = 8,500 m2 (cap 0.2 x 50,000 / 0.5 =
    20,000 m2); no crates. Canopy 10 -> 30 %: 20,000 m2 / 40 m2 = 500 trees (room
    0.6 x 70,000 - 10,000 = 32,000 m2). Green 10 -> 25 %: 15,000 m2 needed, the
    roof and wadis already add 16,000: no depaving."""
    s = suggest(CATALOGUE, PARK, Targets(canopy_share_pct=30, green_share_pct=25))
    assert s.plan.quantities == pytest.approx(
        {"blue_green_roof": 7_500, "wadi": 8_500, "trees_on_plot": 500}
    )
    assert [line.reason for line in s.lines] == ["storage_gap", "storage_gap", "canopy_gap"]
    assert s.limited == []
    # Estimated after: gap 0; canopy 10 + 20 = 30 %; green 10 + 16 = 26 %;
    # sealed 80 - 100 x 8,500 x 0.5 / 100,000 = 75.75 %.
    assert s.after == pytest.approx(
        {
            "storage_gap_m3": 0,
            "canopy_share_pct": 30,
            "green_share_pct": 26,
            "impervious_share_pct": 75.75,
        }
    )
    assert s.before["storage_gap_m3"] == 3_000


def test_a_park_with_little_roof_and_paving_gets_what_fits_and_says_so():
    """Area 10 ha, roof 1,000 m2, sealed 12 % (12,000 m2: paved 11,000), gap 10,000 m3: roof 250 m2
    (15 m3); wadis capped at 0.2 x 11,000 / 0.5 = 4,400 m2 (1,320 m3); crates under
    the 8,800 m2 of paving left (3,344 m3); 5,321 m3 remain: limited."""
    small = Situation(
        area_m2=100_000, roof_area_m2=1_000, impervious_share_pct=12, storage_gap_m3=10_000
    )
    s = suggest(CATALOGUE, small, Targets())
    assert s.plan.quantities == pytest.approx(
        {"blue_green_roof": 250, "wadi": 4_400, "rainwater_crates": 8_800}
    )
    assert s.limited == ["storage_gap"]
    assert s.after["storage_gap_m3"] == pytest.approx(10_000 - 15 - 1_320 - 3_344)
    assert s.plan.quantities["blue_green_roof"] <= small.roof_area_m2


def test_no_gaps_no_plan():
    done = Situation(
        area_m2=50_000,
        roof_area_m2=10_000,
        impervious_share_pct=50,
        storage_gap_m3=0,
        canopy_share_pct=35,
        green_share_pct=40,
    )
    s = suggest(CATALOGUE, done, Targets(canopy_share_pct=30, green_share_pct=25))
    assert s.plan.quantities == {} and s.lines == [] and s.limited == []
    assert s.after == s.before


def test_a_canopy_target_beyond_the_open_area_is_capped_and_flagged():
    """Area 10,000, roof 8,000: open 2,000 m2; room 0.6 x 2,000 - 0 = 1,200 m2 =
    30 trees, although 30 % needs 3,000 m2."""
    s = suggest(
        CATALOGUE,
        Situation(area_m2=10_000, roof_area_m2=8_000, canopy_share_pct=0),
        Targets(canopy_share_pct=30),
    )
    assert s.plan.quantities == {"trees_on_plot": 30}
    assert s.limited == ["canopy_gap"]


def test_unmeasured_indicators_stay_unknown_after_the_plan():
    before, after = before_after(CATALOGUE, Situation(area_m2=1_000), {"wadi": 10})
    assert before["canopy_share_pct"] is None and after["canopy_share_pct"] is None


def test_the_shipped_rules_name_measures_of_the_shipped_catalogue():
    from werklandschap.costbenefit.catalog import load_catalogue
    from werklandschap.costbenefit.model import evaluate
    from werklandschap.costbenefit.suggest import rules

    shipped = load_catalogue()
    r = rules()
    named = [
        r["storage"]["roof_measure"],
        r["storage"]["ground_measure"],
        r["storage"]["underground_measure"],
        r["canopy"]["measure"],
        r["green"]["measure"],
    ]
    assert set(named) <= set(shipped.measures)
    s = suggest(shipped, PARK, Targets(canopy_share_pct=30, green_share_pct=25))
    assert s.plan.quantities and s.after["storage_gap_m3"] < PARK.storage_gap_m3
    assert evaluate(shipped, s.plan).npv is not None  # the suggestion is a plan the model takes
