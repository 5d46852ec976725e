"""The Monte Carlo of the cost-benefit model (issue 18, "Uncertainty"): it reduces to the
deterministic model when nothing is uncertain, draws the documented distributions,
is reproducible by seed, and ranks the inputs that move the NPV most."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from scipy import stats

from werklandschap.costbenefit.model import Plan, PlanError, evaluate
from werklandschap.costbenefit.montecarlo import average_ranks, monte_carlo, spearman
from werklandschap.costbenefit.types import PARTIES, Catalogue, Range

from .test_model import catalogue, fixed, measure, random_plans

pytestmark = pytest.mark.engine


def uncertain_catalogue(rate: Range | None = None) -> Catalogue:
    """Two measures with wide ranges: a green roof (replaced after 15-25 years) and
    trees whose investment range is far the widest of all inputs."""
    roof = measure(
        "roof",
        investment=Range(40, 50, 80, "t"),
        maintenance=Range(1, 2, 3, "t"),
        lifetime=Range(15, 20, 25, "t"),
        replacement=Range(0.8, 1.0, 1.0, "t"),
        benefits={"water": Range(2, 4, 6, "t"), "heat": Range(0, 1, 3, "t")},
        cost_allocation={"property_owner": 0.7, "entrepreneur": 0.3},
    )
    trees = measure(
        "trees",
        investment=Range(200, 600, 3000, "t"),
        maintenance=fixed(20),
        lifetime=fixed(50),
        benefits={"value": Range(60, 80, 100, "t")},
        cost_allocation={"municipality": 1.0},
    )
    cat = catalogue(roof, trees, rate=0.0225)
    if rate is not None:
        cat = Catalogue(**{**cat.__dict__, "discount_rate": rate})
    return cat


PLAN = Plan({"roof": 500, "trees": 30})


def collapsed(cat: Catalogue, mean) -> Catalogue:
    """The same catalogue with every range replaced by ``mean(range)`` (zero width)."""

    def c(r: Range) -> Range:
        return fixed(mean(r))

    measures = {
        k: m.__class__(
            **{
                **m.__dict__,
                "investment": c(m.investment),
                "maintenance": c(m.maintenance),
                "lifetime": c(m.lifetime),
                "replacement": c(m.replacement),
                "benefits": {b: c(r) for b, r in m.benefits.items()},
            }
        )
        for k, m in cat.measures.items()
    }
    return Catalogue(**{**cat.__dict__, "measures": measures})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_plans())
def test_zero_width_ranges_equal_the_deterministic_model(case):
    """Nothing uncertain: every draw is the deterministic result (computed by the Monte
    Carlo's closed form, the model's year by year), for every party, the total and the
    band of the cumulative discounted net flow; nothing to rank."""
    cat, plan = case
    r = evaluate(cat, plan)
    mc = monte_carlo(cat, plan, draws=5)
    scale = max(1.0, r.pv_costs + r.pv_benefits)
    for party in PARTIES:
        assert mc.percentiles[party] == pytest.approx((r.parties[party].npv,) * 3, abs=1e-9 * scale)
    assert mc.percentiles["total"] == pytest.approx((r.npv,) * 3, abs=1e-9 * scale)
    assert np.allclose(mc.band, r.cumulative_discounted_net[None, :], atol=1e-9 * scale)
    assert mc.sensitivity == ()


def test_percentiles_are_ordered_and_consistent():
    mc = monte_carlo(uncertain_catalogue(), PLAN, draws=4000, seed=7)
    for key, (p10, p50, p90) in mc.percentiles.items():
        assert p10 <= p50 <= p90, key
    assert p10 < p90  # the ranges are wide: a real spread
    assert np.all(mc.band[0] <= mc.band[1]) and np.all(mc.band[1] <= mc.band[2])
    # Per draw the parties add up to the total, and the band's last year is the NPV.
    assert np.allclose(mc.npv_by_party.sum(axis=1), mc.npv_total)
    assert mc.band[:, -1] == pytest.approx(mc.percentiles["total"])
    assert mc.probability_positive["total"] == pytest.approx(np.mean(mc.npv_total > 0))
    assert mc.probability_positive["municipality"] == 0.0  # pays the trees, gains nothing
    assert mc.probability_positive["water_board"] == 1.0  # gains the water benefit, pays nothing
    assert mc.probability_positive["society"] == 0.0  # nothing at all: NPV exactly 0


def test_seeded_reproducibility():
    a = monte_carlo(uncertain_catalogue(), PLAN, draws=500, seed=42)
    b = monte_carlo(uncertain_catalogue(), PLAN, draws=500, seed=42)
    c = monte_carlo(uncertain_catalogue(), PLAN, draws=500, seed=43)
    assert np.array_equal(a.npv_by_party, b.npv_by_party)
    assert a.percentiles == b.percentiles and a.sensitivity == b.sensitivity
    assert not np.array_equal(a.npv_total, c.npv_total)


@pytest.mark.parametrize(
    ("distribution", "mean"),
    [
        ("pert", lambda r: (r.low + 4 * r.expected + r.high) / 6),
        ("triangular", lambda r: (r.low + r.expected + r.high) / 3),
    ],
)
def test_the_mean_npv_is_the_npv_at_the_distributions_means(distribution, mean):
    """Without lifetime uncertainty the NPV is linear in every drawn input, so its mean
    over the draws is the deterministic NPV at the inputs' means: (low + 4 mode + high)/6
    for Beta-PERT, (low + mode + high)/3 for the triangular. Checked within 4 standard
    errors of the Monte Carlo mean (60,000 draws)."""
    cat = uncertain_catalogue()
    roof = cat.measures["roof"]
    cat = Catalogue(
        **{
            **cat.__dict__,
            "measures": {
                **cat.measures,
                "roof": roof.__class__(**{**roof.__dict__, "lifetime": fixed(20)}),
            },
        }
    )
    draws = []
    for seed in range(3):
        draws.append(
            monte_carlo(cat, PLAN, draws=20_000, seed=seed, distribution=distribution).npv_total
        )
    npv = np.concatenate(draws)
    expected = evaluate(collapsed(cat, mean), PLAN).npv
    standard_error = npv.std() / np.sqrt(npv.size)
    assert abs(npv.mean() - expected) < 4 * standard_error
    # ... and not at the modes (the ranges are skewed): the distribution matters.
    assert abs(evaluate(cat, PLAN).npv - expected) > 20 * standard_error


def test_the_draws_stay_within_the_ranges():
    """The trees' NPV is linear in their investment (200 .. 3000 per tree) and benefit
    (60 .. 100 per tree-year); every draw lies within the NPVs at those bounds."""
    cat = uncertain_catalogue()
    trees = Plan({"trees": 1})
    for distribution in ("pert", "triangular"):
        mc = monte_carlo(cat, trees, draws=3000, distribution=distribution)
        annuity = sum(1.0225**-t for t in range(1, 30))
        lowest = -3000 - 20 * annuity + 60 * annuity
        highest = -200 - 20 * annuity + 100 * annuity
        assert lowest <= mc.npv_total.min() and mc.npv_total.max() <= highest


def test_sensitivity_ranks_the_widest_input_first():
    """The trees' investment (200 .. 3000 per tree, 30 trees: 84,000 EUR wide) moves the
    NPV more than anything else and lowers it: first, with a clearly negative rho (the
    roof's water benefit, 500 m2 x 2 .. 6 EUR a year, comes second); benefits raise it."""
    mc = monte_carlo(uncertain_catalogue(), PLAN, draws=4000, seed=1)
    first = mc.sensitivity[0]
    assert (first.measure, first.parameter) == ("trees", "investment")
    assert first.rho < -0.5
    rho = {(s.measure, s.parameter): s.rho for s in mc.sensitivity}
    assert rho[("roof", "benefit:water")] > 0
    assert rho[("roof", "investment")] < 0
    assert ("trees", "lifetime") not in rho  # a constant is not ranked
    assert [abs(s.rho) for s in mc.sensitivity] == sorted(
        (abs(s.rho) for s in mc.sensitivity), reverse=True
    )


def test_spearman_agrees_with_scipy():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(800, 4))
    y = np.round(x[:, 0] * 3 - x[:, 2] + rng.normal(size=800))  # rounded: ties in y
    ours = spearman(x, y)
    theirs = [stats.spearmanr(x[:, k], y).statistic for k in range(4)]
    assert ours == pytest.approx(theirs, abs=1e-12)
    assert average_ranks(np.array([5.0, 1.0, 5.0, 3.0])).tolist() == [2.5, 0.0, 2.5, 1.0]
    assert spearman(x, np.ones(800)).tolist() == [0.0] * 4  # a constant NPV: no ranking


def test_varying_the_discount_rate_is_optional():
    """By default the rate stays the plan's; with vary_discount_rate it is drawn from the
    catalogue's range, ranked like any input (a higher rate lowers the PV of the later
    benefits)."""
    cat = uncertain_catalogue(rate=Range(0.0, 0.0225, 0.08, "t"))
    fixed_rate = monte_carlo(cat, PLAN, draws=2000, seed=5)
    assert all(s.parameter != "discount_rate" for s in fixed_rate.sensitivity)
    varied = monte_carlo(cat, PLAN, draws=2000, seed=5, vary_discount_rate=True)
    rate = [s for s in varied.sensitivity if s.parameter == "discount_rate"]
    assert len(rate) == 1 and rate[0].measure is None
    assert np.allclose(varied.npv_by_party.sum(axis=1), varied.npv_total)
    assert varied.band[:, -1] == pytest.approx(varied.percentiles["total"])


def test_a_zero_width_rate_range_changes_nothing():
    cat = uncertain_catalogue(rate=fixed(0.0225))
    a = monte_carlo(cat, PLAN, draws=300, seed=9)
    b = monte_carlo(cat, PLAN, draws=300, seed=9, vary_discount_rate=True)
    assert np.allclose(a.npv_by_party, b.npv_by_party)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"draws": 0}, "bad_draws"),
        ({"draws": 10**6}, "bad_draws"),
        ({"draws": 2.5}, "bad_draws"),
        ({"distribution": "uniform"}, "bad_distribution"),
    ],
)
def test_bad_monte_carlo_arguments(kwargs, code):
    with pytest.raises(PlanError) as info:
        monte_carlo(uncertain_catalogue(), PLAN, **kwargs)
    assert info.value.code == code


def test_bad_plan_is_refused_before_drawing():
    with pytest.raises(PlanError, match="'roof'"):
        monte_carlo(uncertain_catalogue(), Plan({"roof": -5}))
