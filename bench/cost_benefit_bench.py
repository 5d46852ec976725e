"""Benchmark of the cost-benefit Monte Carlo (issue 18: 10,000 draws x 30 measures x 30 years).

    .venv/bin/python bench/cost_benefit_bench.py [--draws 10000] [--measures 30]
                                                 [--horizon 30] [--repeat 5]

Builds, in code, a synthetic catalogue of ``--measures`` measures with every
number uncertain (investment, maintenance, lifetime, replacement share and three
benefit categories each: 7 drawn inputs per measure, 210 for 30 measures; the
real catalogue has fewer uncertain inputs per measure) and a plan with every
measure in it, over a ``--horizon``-year horizon. No database, no Django. Then it
measures in this process:

- model: ``costbenefit.montecarlo.monte_carlo`` on the catalogue and plan, from
  validating the plan to the percentiles, the band of the cumulative discounted
  net flow per year and the sensitivity ranking (Beta-PERT draws, seed 0);
- plain numpy: the same arithmetic written as the fewest numpy operations, on
  arrays prepared beforehand (not timed): one Beta draw for all inputs, the
  present values in closed form, two matrix products for the split over the
  parties, the yearly band, the percentiles and the Spearman ranking. It must
  give the model's numbers (checked); it is the lower bound of what numpy can
  do for the same result in this process on this machine;
- the model at the page's default of 2,000 draws, and the deterministic model.

Each figure is the median of ``--repeat`` runs. Ends with exactly one line
    RESULT seconds=... vs_numpy=...
where seconds is the model's time for ``--draws`` draws and vs_numpy that time
divided by the plain-numpy time (targets: seconds < 1, vs_numpy <= 3).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from werklandschap.costbenefit.model import (  # noqa: E402
    Plan,
    evaluate,
    prepare,
    replacement_matrix,
)
from werklandschap.costbenefit.montecarlo import average_ranks, monte_carlo  # noqa: E402
from werklandschap.costbenefit.types import (  # noqa: E402
    PARTIES,
    BenefitCategory,
    Catalogue,
    Measure,
    Range,
)

CATEGORIES = ("water", "heat", "value")


def synthetic(measures: int, horizon: int) -> tuple[Catalogue, Plan]:
    """A catalogue whose every range is uncertain, and a plan with every measure."""
    rng = np.random.default_rng(2026)

    def spread(expected: float, low: float = 0.6, high: float = 1.8) -> Range:
        return Range(expected * low, expected, expected * high, "synthetic")

    def split() -> dict[str, float]:
        w = rng.random(len(PARTIES))
        return dict(zip(PARTIES, (w / w.sum()).tolist(), strict=True))

    catalogue_measures = {}
    for i in range(measures):
        key = f"measure_{i:02d}"
        catalogue_measures[key] = Measure(
            key=key,
            name_nl=key,
            name_en=key,
            description_nl="",
            description_en="",
            unit="m2",
            location="own_plot",
            effort="low",
            themes=("water",),
            investment=spread(float(rng.uniform(20, 500))),
            maintenance=spread(float(rng.uniform(0.5, 10))),
            lifetime=spread(float(rng.uniform(8, 40)), 0.7, 1.3),
            replacement=Range(0.5, 0.8, 1.0, "synthetic"),
            benefits={c: spread(float(rng.uniform(0.5, 15)), 0.3, 2.5) for c in CATEGORIES},
            cost_allocation=split(),
        )
    catalogue = Catalogue(
        version="bench",
        price_year=2025,
        discount_rate=Range(0.0, 0.0225, 0.04, "synthetic"),
        horizon_years=horizon,
        measures=catalogue_measures,
        benefit_categories={c: BenefitCategory(c, c, c, split(), "synthetic") for c in CATEGORIES},
    )
    plan = Plan({k: float(rng.uniform(10, 2000)) for k in catalogue_measures})
    return catalogue, plan


def plain_numpy(arrays: dict, draws: int, seed: int) -> dict[str, np.ndarray]:
    """The Monte Carlo's arithmetic in the fewest numpy operations (all inputs uncertain)."""
    a = arrays
    M, H = a["M"], a["H"]
    x = a["low"] + a["width"] * np.random.default_rng(seed).beta(
        a["alpha"], a["beta"], size=(draws, a["low"].size)
    )
    invest = x[:, :M] * a["q"]
    replace = invest * x[:, 3 * M : 4 * M]
    life = np.clip(np.floor(x[:, 2 * M : 3 * M] + 0.5).astype(np.int64), 1, H)
    upkeep = x[:, M : 2 * M] * a["q"]
    gain = x[:, 4 * M :] * a["qb"]
    cost_pv = invest + upkeep * a["annuity"] + replace * a["rf"][life]
    npv_party = (gain * a["annuity"]) @ a["Ba"] - cost_pv @ a["Ca"]
    total = npv_party.sum(axis=1)
    net = np.empty((draws, H))
    net[:, 0] = -invest.sum(axis=1)
    net[:, 1:] = (gain.sum(axis=1) - upkeep.sum(axis=1))[:, None]
    net -= (
        np.bincount(
            (np.arange(draws)[:, None] * (H + 1) + life).ravel(),
            replace.ravel(),
            minlength=draws * (H + 1),
        ).reshape(draws, H + 1)
        @ a["D"]
    )
    band = np.percentile(np.cumsum(net * a["df"], axis=1), (10, 50, 90), axis=0)
    pct = np.percentile(np.column_stack([npv_party, total]), (10, 50, 90), axis=0)
    ry = average_ranks(total)
    ry -= ry.mean()
    rho = (np.arange(draws, dtype=float) @ ry[np.argsort(x, axis=0)]) / (
        draws * np.sqrt((draws * draws - 1) / 12.0) * np.sqrt(np.mean(ry * ry))
    )
    return {"npv": npv_party, "band": band, "percentiles": pct, "rho": rho}


def arrays_for(catalogue: Catalogue, plan: Plan) -> dict:
    """The plain-numpy version's inputs, prepared once (not timed)."""
    p = prepare(catalogue, plan)
    ranges = np.concatenate(
        [p.investment, p.maintenance, p.lifetime, p.replacement, p.benefit], axis=1
    )
    assert (ranges[2] > ranges[0]).all(), "every input must be uncertain here"
    low, mode, high = ranges
    width = high - low
    H = p.horizon
    df = (1.0 + p.rate) ** -np.arange(H)
    D = replacement_matrix(H)
    return {
        "M": len(p.keys),
        "H": H,
        "low": low,
        "width": width,
        "alpha": 1 + 4 * (mode - low) / width,
        "beta": 1 + 4 * (high - mode) / width,
        "q": p.quantity,
        "qb": p.quantity[p.benefit_measure],
        "annuity": df[1:].sum(),
        "rf": D @ df,
        "df": df,
        "D": D,
        "Ca": p.cost_allocation,
        "Ba": p.benefit_allocation,
    }


def _timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--measures", type=int, default=30)
    parser.add_argument("--horizon", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    catalogue, plan = synthetic(args.measures, args.horizon)
    arrays = arrays_for(catalogue, plan)
    seed = 0

    # Same draws, same numbers: the lower bound computes what the model computes.
    ours = monte_carlo(catalogue, plan, draws=args.draws, seed=seed)
    theirs = plain_numpy(arrays, args.draws, seed)
    assert np.allclose(ours.npv_by_party, theirs["npv"], rtol=1e-12, atol=1e-6)
    assert np.allclose(ours.band, theirs["band"], rtol=1e-12, atol=1e-6)
    names = (*PARTIES, "total")
    for i, name in enumerate(names):
        assert np.allclose(ours.percentiles[name], theirs["percentiles"][:, i], atol=1e-6)
    assert np.allclose(sorted(abs(s.rho) for s in ours.sensitivity), np.sort(np.abs(theirs["rho"])))

    model_s = _timed(lambda: monte_carlo(catalogue, plan, draws=args.draws, seed=seed), args.repeat)
    numpy_s = _timed(lambda: plain_numpy(arrays, args.draws, seed), args.repeat)
    page_s = _timed(lambda: monte_carlo(catalogue, plan, draws=2000, seed=seed), args.repeat)
    deterministic_s = _timed(lambda: evaluate(catalogue, plan), args.repeat)

    inputs = arrays["low"].size
    print(
        f"{args.draws} draws x {args.measures} measures x {args.horizon} years "
        f"({inputs} uncertain inputs), median of {args.repeat}:"
    )
    print(f"  model (monte_carlo)       {model_s * 1000:8.1f} ms")
    print(f"  plain numpy lower bound   {numpy_s * 1000:8.1f} ms")
    print(f"  model at 2,000 draws      {page_s * 1000:8.1f} ms   (the page's default)")
    print(f"  deterministic model       {deterministic_s * 1000:8.1f} ms   (evaluate, one plan)")
    print(
        "  NPV total p10/p50/p90: "
        + " / ".join(f"{v:,.0f}" for v in ours.percentiles["total"])
        + f" EUR; P(NPV > 0) = {ours.probability_positive['total']:.2f}"
    )
    print(f"RESULT seconds={model_s:.3f} vs_numpy={model_s / numpy_s:.2f}")


if __name__ == "__main__":
    main()
