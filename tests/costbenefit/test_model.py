"""The deterministic cost-benefit model (issue 18, "Correctness"): hand-computed cases,
conservation, an independent NPV (numpy-financial), bad input and the redistribution.

The catalogues are built here in code (zero-width ranges unless said otherwise), so
the tests do not depend on the measures data files. Conventions under test (see
costbenefit/model.py): flows of year t at the start of the year, discounted by
1/(1+r)^t; investment in year 0; maintenance and benefits from year 1; replacement
in years L, 2L, ... < H; no residual value; payback = first year from which the
cumulative discounted net flow stays >= 0.
"""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werklandschap.costbenefit.model import (
    MAX_QUANTITY,
    NEGLIGIBLE_EUR,
    Plan,
    PlanError,
    evaluate,
)
from werklandschap.costbenefit.redistribution import redistribute
from werklandschap.costbenefit.types import (
    PARTIES,
    BenefitCategory,
    Catalogue,
    Measure,
    Range,
)

pytestmark = pytest.mark.engine


def fixed(value: float) -> Range:
    return Range(value, value, value, "test")


def measure(
    key: str,
    investment: float | Range = 100.0,
    maintenance: float | Range = 0.0,
    lifetime: float | Range = 50.0,
    replacement: float | Range = 1.0,
    benefits: dict[str, float | Range] | None = None,
    cost_allocation: dict[str, float] | None = None,
) -> Measure:
    def r(v):
        return v if isinstance(v, Range) else fixed(v)

    return Measure(
        key=key,
        name_nl=key,
        name_en=key,
        description_nl="",
        description_en="",
        unit="m2",
        location="own_plot",
        effort="low",
        themes=("water",),
        investment=r(investment),
        maintenance=r(maintenance),
        lifetime=r(lifetime),
        replacement=r(replacement),
        benefits={k: r(v) for k, v in (benefits or {}).items()},
        cost_allocation=cost_allocation or {"property_owner": 1.0},
    )


CATEGORIES = {
    "water": BenefitCategory("water", "water", "water", {"water_board": 1.0}, "test"),
    "heat": BenefitCategory(
        "heat", "hitte", "heat", {"employees": 0.5, "entrepreneur": 0.5}, "test"
    ),
    "value": BenefitCategory("value", "waarde", "value", {"property_owner": 1.0}, "test"),
}


def catalogue(*measures: Measure, rate: float = 0.05, horizon: int = 30) -> Catalogue:
    return Catalogue(
        version="test",
        price_year=2025,
        discount_rate=fixed(rate),
        horizon_years=horizon,
        measures={m.key: m for m in measures},
        benefit_categories=CATEGORIES,
    )


# --- hand-computed cases -------------------------------------------------------------


def test_one_measure_one_year_known_discounting():
    """Horizon 2 (years 0 and 1), r = 5 %, 10 units of a measure costing 100 per unit,
    maintenance 5 per unit per year, a water benefit of 20 per unit per year; the costs
    60 % property owner, 40 % entrepreneur; the water benefit 100 % water board.

        year 0: investment 10 * 100 = 1000          (discount factor 1)
        year 1: maintenance 10 * 5 = 50, benefit 10 * 20 = 200   (factor 1/1.05)
        PV costs    = 1000 + 50/1.05 = 1047.619048
        PV benefits = 200/1.05       =  190.476190
        NPV         = -1000 + 150/1.05 = -857.142857
        B/C         = (200/1.05) / (1050/1.05) = 200/1100 = 0.181818
        property owner  -0.6 * 1047.619048 = -628.571429
        entrepreneur    -0.4 * 1047.619048 = -419.047619
        water board     +190.476190
    Total NPV < 0, so the redistribution is infeasible: the water board's whole gain
    (190.48) goes to the worst-off party (property owner, 628.57 -> 438.10, still worse
    off than the entrepreneur's 419.05), shortfall 857.14.
    """
    m = measure(
        "roof",
        investment=100,
        maintenance=5,
        benefits={"water": 20},
        cost_allocation={"property_owner": 0.6, "entrepreneur": 0.4},
    )
    r = evaluate(catalogue(m), Plan({"roof": 10}, horizon_years=2))
    assert r.years.tolist() == [0, 1]
    assert r.discount_factors == pytest.approx([1.0, 1 / 1.05])
    assert r.investment.tolist() == [1000.0, 0.0]
    assert r.maintenance.tolist() == [0.0, 50.0]
    assert r.replacement.tolist() == [0.0, 0.0]
    assert r.benefits_by_category["water"].tolist() == [0.0, 200.0]
    assert r.pv_costs == pytest.approx(1047.6190476)
    assert r.pv_benefits == pytest.approx(190.4761905)
    assert r.npv == pytest.approx(-857.1428571)
    assert r.bcr == pytest.approx(2 / 11)
    assert r.payback_year is None
    assert r.parties["property_owner"].npv == pytest.approx(-628.5714286)
    assert r.parties["entrepreneur"].npv == pytest.approx(-419.0476190)
    assert r.parties["water_board"].npv == pytest.approx(190.4761905)
    assert r.parties["water_board"].bcr is None  # pays nothing
    assert r.parties["property_owner"].share_of_costs == pytest.approx(0.6)
    assert r.payers == ["property_owner", "entrepreneur"]
    assert r.gainers == ["water_board"]
    red = r.redistribution
    assert not red.feasible
    assert [(t.from_party, t.to_party) for t in red.transfers] == [
        ("water_board", "property_owner")
    ]
    assert red.transfers[0].amount == pytest.approx(190.4761905)
    assert red.npv_after["property_owner"] == pytest.approx(-438.0952381)
    assert red.shortfall == pytest.approx(857.1428571)


def test_horizon_of_one_year_is_the_investment_only():
    """H = 1: only year 0, so NPV = -quantity * investment = -3 * 100 = -300, whatever
    the maintenance and benefits (they start in year 1)."""
    m = measure("roof", investment=100, maintenance=7, benefits={"water": 50})
    r = evaluate(catalogue(m), Plan({"roof": 3}, horizon_years=1))
    assert r.npv == pytest.approx(-300.0)
    assert r.pv_benefits == 0.0


@pytest.mark.parametrize(
    ("lifetime", "years"),
    [
        (25, [25]),  # replaced once, in year 25, within the 30-year horizon
        (20, [20]),  # a 20-year life: replaced in year 20; year 40 lies beyond the horizon
        (10, [10, 20]),  # years 10 and 20; year 30 is the first year after the horizon
        (24.6, [25]),  # lifetimes are rounded half up to whole years
        (30, []),  # a life as long as the horizon: no replacement
    ],
)
def test_replacement_years(lifetime, years):
    """Investment 1000 per unit, replacement share 0.5, horizon 30 (years 0..29), r = 3 %.
    The replacement of 500 falls in years L, 2L, ... < 30. For L = 25:
        NPV = -(1000 + 500 / 1.03**25) = -(1000 + 500 / 2.0937779) = -1238.802785
    and for L = 20: -(1000 + 500 / 1.03**20) = -(1000 + 500 / 1.8061112) = -1276.837877.
    """
    m = measure("tree", investment=1000, lifetime=lifetime, replacement=0.5)
    r = evaluate(catalogue(m, rate=0.03), Plan({"tree": 1}))
    assert np.flatnonzero(r.replacement).tolist() == years
    assert r.replacement[years].tolist() == [500.0] * len(years)
    expected = -(1000 + sum(500 / 1.03**y for y in years))
    assert r.npv == pytest.approx(expected)
    if lifetime == 25:
        assert r.npv == pytest.approx(-1238.802785)
    if lifetime == 20:
        assert r.npv == pytest.approx(-1276.837877)


def test_a_plan_worth_less_than_half_a_cent_has_no_shares_to_give():
    """A vanishing quantity (found by Hypothesis: PV costs 5e-324, a subnormal float whose
    parts per party underflow to 0) gives shares of 0, not shares that add up to 0 of 1."""
    m = measure("roof", investment=1, maintenance=0)
    for quantity in (5e-324, 0.004):  # under half a cent, subnormal or not: one rule
        r = evaluate(catalogue(m), Plan({"roof": quantity}, horizon_years=1))
        assert 0 < r.pv_costs < NEGLIGIBLE_EUR
        assert all(p.share_of_costs == 0.0 for p in r.parties.values())
    big = evaluate(catalogue(m), Plan({"roof": 1}, horizon_years=1))
    assert sum(p.share_of_costs for p in big.parties.values()) == pytest.approx(1.0)


def test_zero_quantity_gives_all_zeros():
    """A plan with only zero quantities costs nothing and brings nothing: every yearly
    flow and present value is 0, no B/C ratio, no payback, no transfers."""
    m = measure("roof", investment=100, maintenance=5, benefits={"water": 20, "heat": 3})
    r = evaluate(catalogue(m), Plan({"roof": 0}))
    for flow in (r.investment, r.maintenance, r.replacement, r.costs, r.benefits, r.net):
        assert flow.shape == (30,)
        assert not flow.any()
    assert (r.pv_costs, r.pv_benefits, r.npv) == (0.0, 0.0, 0.0)
    assert r.bcr is None and r.payback_year is None
    assert all(
        p.npv == 0 and p.pv_costs == 0 and p.payback_year is None for p in r.parties.values()
    )
    assert r.measures == {}
    assert r.redistribution.transfers == () and r.redistribution.feasible


@pytest.mark.parametrize(("horizon", "lifetime"), [(10, 15), (20, 20)])
def test_horizon_shorter_than_lifetime(horizon, lifetime):
    """r = 0, 2 units, investment 100, maintenance 3, benefit ('value') 30 per unit-year.
    No replacement within the horizon (L >= H). For H = 10:
        NPV = -200 + 9 * (60 - 6) = 286; cumulative: -200, -146, -92, -38, +16 -> payback 4.
    For H = 20: NPV = -200 + 19 * 54 = 826, payback 4 as well.
    """
    m = measure("hedge", investment=100, maintenance=3, lifetime=lifetime, benefits={"value": 30})
    r = evaluate(catalogue(m, rate=0.0), Plan({"hedge": 2}, horizon_years=horizon))
    assert not r.replacement.any()
    assert r.npv == pytest.approx(-200 + (horizon - 1) * 54)
    assert r.payback_year == 4
    assert r.parties["property_owner"].payback_year == 4  # pays all and gains all


def test_payback_is_the_year_from_which_the_cumulative_stays_positive():
    """r = 0, investment 100, replaced fully every 10 years, benefit 12 a year, H = 30.
    Cumulative: year 9 = -100 + 108 = 8 (first >= 0), year 10 = 8 + 12 - 100 = -80,
    year 17 = +4, year 20 = -60, year 25 = -300 + 300 = 0, year 29 = +48.
    The payback year is 25, not 9: paid back for good only after the last replacement.
    """
    m = measure("crate", investment=100, lifetime=10, replacement=1.0, benefits={"value": 12})
    r = evaluate(catalogue(m, rate=0.0), Plan({"crate": 1}))
    assert r.cumulative_discounted_net[[9, 10, 17, 20, 25, 29]].tolist() == [8, -80, 4, -60, 0, 48]
    assert r.payback_year == 25


def test_plan_overrides_the_default_allocation():
    """The plan may move the costs of a measure to the municipality and the water benefit
    to society; the totals stay the same (r = 0, H = 2: NPV = -100 + 40 = -60)."""
    m = measure("wadi", investment=100, benefits={"water": 40})
    cat = catalogue(m, rate=0.0)
    default = evaluate(cat, Plan({"wadi": 1}, horizon_years=2))
    moved = evaluate(
        cat,
        Plan(
            {"wadi": 1},
            horizon_years=2,
            cost_allocation={"wadi": {"municipality": 1.0}},
            benefit_allocation={"water": {"society": 0.25, "water_board": 0.75}},
        ),
    )
    assert default.parties["property_owner"].npv == -100
    assert moved.parties["municipality"].npv == -100
    assert moved.parties["property_owner"].npv == 0
    assert moved.parties["society"].npv == 10
    assert moved.parties["water_board"].npv == 30
    assert moved.npv == default.npv == -60


def test_defaults_come_from_the_catalogue():
    m = measure("roof", investment=100, maintenance=1)
    r = evaluate(catalogue(m, rate=0.0225, horizon=30), Plan({"roof": 1}))
    assert r.horizon == 30 and r.discount_rate == 0.0225 and r.price_year == 2025
    assert r.pv_costs == pytest.approx(100 + sum(1.0225**-t for t in range(1, 30)))


# --- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantities", "code"),
    [
        ({"roof": -1}, "negative_quantity"),
        ({"roof": float("nan")}, "not_a_number"),
        ({"roof": float("inf")}, "not_a_number"),
        ({"roof": "12"}, "not_a_number"),
        ({"roof": True}, "not_a_number"),
        ({"roof": MAX_QUANTITY * 1.01}, "too_large"),
        ({"nonsense": 1}, "unknown_measure"),
    ],
)
def test_bad_quantities_name_the_measure(quantities, code):
    cat = catalogue(measure("roof"))
    with pytest.raises(ValueError) as info:
        evaluate(cat, Plan(quantities))
    assert isinstance(info.value, PlanError)
    assert info.value.code == code
    key = next(iter(quantities))
    assert repr(key) in str(info.value)
    assert info.value.params["measure"] == key


def test_the_largest_allowed_quantity_is_accepted():
    r = evaluate(catalogue(measure("roof", investment=1)), Plan({"roof": MAX_QUANTITY}))
    assert r.pv_costs == MAX_QUANTITY


@pytest.mark.parametrize(
    ("plan", "code", "fragment"),
    [
        (Plan({"roof": 1}, horizon_years=0), "bad_horizon", "horizon"),
        (Plan({"roof": 1}, horizon_years=101), "bad_horizon", "horizon"),
        (Plan({"roof": 1}, horizon_years=2.5), "bad_horizon", "horizon"),
        (Plan({"roof": 1}, discount_rate=-0.01), "bad_discount_rate", "discount rate"),
        (Plan({"roof": 1}, discount_rate=0.9), "bad_discount_rate", "discount rate"),
        (Plan({"roof": 1}, discount_rate=float("nan")), "bad_discount_rate", "discount rate"),
        (
            Plan({"roof": 1}, cost_allocation={"roof": {"municipality": 0.5}}),
            "bad_allocation",
            "'roof'",
        ),
        (
            Plan({"roof": 1}, cost_allocation={"roof": {"landlord": 1.0}}),
            "unknown_party",
            "'landlord'",
        ),
        (
            Plan({"roof": 1}, cost_allocation={"roof": {"municipality": 1.5, "society": -0.5}}),
            "bad_allocation",
            "negative",
        ),
        (
            Plan({"roof": 1}, cost_allocation={"tree": {"society": 1.0}}),
            "unknown_measure",
            "'tree'",
        ),
        (
            Plan({"roof": 1}, benefit_allocation={"noise": {"society": 1.0}}),
            "unknown_category",
            "'noise'",
        ),
    ],
)
def test_bad_plan_settings(plan, code, fragment):
    with pytest.raises(PlanError) as info:
        evaluate(catalogue(measure("roof", benefits={"water": 1})), plan)
    assert info.value.code == code
    assert fragment in str(info.value)


def test_an_inconsistent_catalogue_entry_names_the_measure():
    """The catalogue loader validates its file; the model still refuses what it cannot
    compute (low > high, a benefit in an unknown category), naming the measure."""
    upside_down = measure("roof", investment=Range(200, 100, 150, "test"))
    with pytest.raises(PlanError, match=r"'roof'.*investment") as info:
        evaluate(catalogue(upside_down), Plan({"roof": 1}))
    assert info.value.code == "catalogue"
    stray = measure("pond", benefits={"fishing": 3})
    with pytest.raises(PlanError, match=r"'pond'.*'fishing'"):
        evaluate(catalogue(stray), Plan({"pond": 1}))


# --- random plans: conservation and the independent NPV --------------------------------

values = st.floats(0, 500, allow_nan=False)
shares = st.lists(st.floats(0.01, 1), min_size=len(PARTIES), max_size=len(PARTIES))


def _allocation(weights: list[float], keep: list[bool]) -> dict[str, float]:
    chosen = {p: w for p, w, k in zip(PARTIES, weights, keep, strict=True) if k} or {
        PARTIES[0]: 1.0
    }
    total = sum(chosen.values())
    return {p: w / total for p, w in chosen.items()}


@st.composite
def random_plans(draw):
    """A catalogue of 1-5 measures with random prices, lifetimes and allocations, and a
    plan with random quantities (some zero), horizon and rate."""
    n = draw(st.integers(1, 5))
    measures = []
    for i in range(n):
        benefits = {
            k: draw(values)
            for k in draw(st.lists(st.sampled_from(sorted(CATEGORIES)), max_size=3, unique=True))
        }
        measures.append(
            measure(
                f"m{i}",
                investment=draw(values),
                maintenance=draw(st.floats(0, 50)),
                lifetime=draw(st.floats(1, 60)),
                replacement=draw(st.floats(0, 1.2)),
                benefits=benefits,
                cost_allocation=_allocation(
                    draw(shares), draw(st.lists(st.booleans(), min_size=6, max_size=6))
                ),
            )
        )
    cat = catalogue(*measures)
    quantities = {m.key: draw(st.one_of(st.just(0.0), st.floats(0, 10_000))) for m in measures}
    benefit_allocation = {}
    if draw(st.booleans()):
        benefit_allocation["heat"] = _allocation(
            draw(shares), draw(st.lists(st.booleans(), min_size=6, max_size=6))
        )
    plan = Plan(
        quantities,
        horizon_years=draw(st.integers(1, 60)),
        discount_rate=draw(st.floats(0, 0.12)),
        benefit_allocation=benefit_allocation,
    )
    return cat, plan


def independent_net_flows(cat: Catalogue, plan: Plan) -> list[float]:
    """The yearly net flows written out year by year in plain Python, apart from the model."""
    flows = [0.0] * plan.horizon_years
    for key, q in plan.quantities.items():
        m = cat.measures[key]
        life = max(1, math.floor(m.lifetime.expected + 0.5))
        flows[0] -= q * m.investment.expected
        for t in range(1, plan.horizon_years):
            flows[t] -= q * m.maintenance.expected
            flows[t] += sum(q * b.expected for b in m.benefits.values())
            if t % life == 0:
                flows[t] -= q * m.investment.expected * m.replacement.expected
    return flows


def close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, scale)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_plans())
def test_npv_equals_numpy_financial_on_random_plans(case):
    """numpy_financial.npv(rate, values) discounts values[t] by (1+rate)^t with t from 0,
    which is the model's start-of-year convention; the flows are computed independently."""
    cat, plan = case
    r = evaluate(cat, plan)
    flows = independent_net_flows(cat, plan)
    scale = r.pv_costs + r.pv_benefits
    assert close(r.npv, float(npf.npv(plan.discount_rate, flows)), scale)
    assert close(r.npv, float(npf.npv(plan.discount_rate, r.net)), scale)
    assert np.allclose(r.net, flows, rtol=1e-12, atol=1e-9 * max(1.0, scale))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_plans())
def test_conservation_on_random_plans(case):
    """What the parties pay adds up to the costs and what they gain to the benefits, per
    year and in present value; the parties' NPVs add up to the total, and so do the
    measures'; the benefit categories add up to the benefits."""
    cat, plan = case
    r = evaluate(cat, plan)
    scale = r.pv_costs + r.pv_benefits
    parties = r.parties.values()
    assert close(sum(p.npv for p in parties), r.npv, scale)
    assert close(sum(p.pv_costs for p in parties), r.pv_costs, scale)
    assert close(sum(p.pv_benefits for p in parties), r.pv_benefits, scale)
    assert close(sum(m.npv for m in r.measures.values()), r.npv, scale)
    atol = 1e-9 * max(1.0, scale)
    assert np.allclose(sum(r.costs_by_party.values()), r.costs, atol=atol)
    assert np.allclose(sum(r.benefits_by_party.values()), r.benefits, atol=atol)
    assert np.allclose(
        sum(r.benefits_by_category.values(), np.zeros(r.horizon)), r.benefits, atol=atol
    )
    assert np.allclose(r.investment + r.maintenance + r.replacement, r.costs, atol=atol)
    if r.pv_costs >= NEGLIGIBLE_EUR:  # (a subnormal 5e-324 was found: no money to share)
        assert sum(p.share_of_costs for p in parties) == pytest.approx(1.0)
    red = r.redistribution
    assert close(sum(red.npv_after.values()), r.npv, scale)
    if r.npv >= 0:
        assert red.feasible
        assert all(v >= -0.01 for v in red.npv_after.values())


# --- redistribution --------------------------------------------------------------------


def test_redistribution_feasible_by_hand():
    """Losses 30 (a) and 10 (b), gains 60 (c) and 20 (d): 40 must move, half of every
    gain. c gives 30 (22.5 to a, 7.5 to b), d gives 10 (7.5 to a, 2.5 to b); afterwards
    a = b = 0, c = 30, d = 10, total still 40."""
    red = redistribute({"a": -30.0, "b": -10.0, "c": 60.0, "d": 20.0})
    assert red.feasible and red.shortfall == 0
    got = {(t.from_party, t.to_party): t.amount for t in red.transfers}
    assert got == pytest.approx(
        {("c", "a"): 22.5, ("c", "b"): 7.5, ("d", "a"): 7.5, ("d", "b"): 2.5}
    )
    assert red.npv_after == pytest.approx({"a": 0, "b": 0, "c": 30, "d": 10})
    assert red.total_transferred == pytest.approx(40)


def test_redistribution_infeasible_minimises_the_largest_loss():
    """Losses 10, 6, 2 and one gain of 5 (total -13): cutting the two largest losses to a
    common level L with (10 - L) + (6 - L) = 5 gives L = 5.5; the gainer ends at 0."""
    red = redistribute({"a": -10.0, "b": -6.0, "c": -2.0, "d": 5.0})
    assert not red.feasible
    assert red.shortfall == pytest.approx(13)
    assert red.npv_after == pytest.approx({"a": -5.5, "b": -5.5, "c": -2, "d": 0})
    assert red.total_transferred == pytest.approx(5)


def test_redistribution_ignores_float_noise():
    red = redistribute({"a": 1e-9, "b": -1e-9, "c": 0.0})
    assert red.transfers == () and red.feasible


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=len(PARTIES)))
def test_redistribution_properties(npvs):
    """Transfers keep the total; with a total >= 0 every party ends at >= 0 and exactly the
    sum of the losses moves (the least that can); no gainer is ever pushed below zero and
    nobody's loss grows."""
    npv = dict(zip(PARTIES, npvs, strict=False))
    red = redistribute(npv)
    total = sum(npv.values())
    assert sum(red.npv_after.values()) == pytest.approx(total, abs=1e-6)
    assert all(t.amount > 0 and t.from_party != t.to_party for t in red.transfers)
    losses = sum(-v for v in npv.values() if v < -0.005)
    gains = sum(v for v in npv.values() if v > 0)
    for party, before in npv.items():
        after = red.npv_after[party]
        if before > 0:
            assert after >= -1e-6
        else:
            assert after >= before - 1e-9
    if total >= 0:
        assert red.feasible
        assert all(v >= -0.005 for v in red.npv_after.values())
        assert red.total_transferred == pytest.approx(losses, abs=1e-6)
    else:
        assert red.total_transferred == pytest.approx(gains, abs=1e-6)
        assert red.shortfall == pytest.approx(losses - gains, abs=1e-6)


def test_the_model_imports_no_django():
    """Framework-free like the scan engine: a fresh interpreter imports the model, the
    Monte Carlo and the redistribution without loading Django."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import werklandschap.costbenefit.model, werklandschap.costbenefit.montecarlo\n"
        "import werklandschap.costbenefit.redistribution\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
