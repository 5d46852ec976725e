"""Monte Carlo over the catalogue's low / expected / high ranges, vectorised in numpy.

Every uncertain input (a range with ``high > low``) is drawn independently per
draw: per measure its investment, maintenance, lifetime and replacement share,
and each of its benefits per category. One draw of an input holds for all years
of that draw (a measure does not get a new price every year).

Distribution: Beta-PERT by default, with ``low`` and ``high`` as the bounds and
``expected`` as the mode (shape parameters ``1 + 4 (mode - low) / (high - low)``
and ``1 + 4 (high - mode) / (high - low)``: the mean is ``(low + 4 mode + high) / 6``).
PERT puts less weight on the extremes than the triangular distribution, which is
available as ``distribution="triangular"``. A range with ``low == high`` is a
constant and is not drawn. Lifetimes are drawn continuously and rounded to whole
years as in the deterministic model.

The discount rate is a policy choice (the rate the government prescribes for
social cost-benefit analysis), not a measured uncertainty: it stays at the plan's
rate unless ``vary_discount_rate=True``, which draws it from the catalogue's range.

Each draw is the deterministic model's arithmetic (``model.py``) in closed form:
the present value of the maintenance and benefits is the amount times the
annuity factor ``sum(df[1:])``, that of the replacements the investment times the
replacement share times ``sum(df[L], df[2L], ...)`` looked up per whole-year
lifetime ``L``. So the work is proportional to draws x inputs, not draws x inputs
x years; the years come back only in the band of the cumulative discounted net
flow (draws x years).

Sensitivity ranking: Spearman's rank correlation of each drawn input with the
total NPV over the draws (ties in the NPV get average ranks), largest absolute
value first. It says which ranges move the result most, including through the
other inputs' spread, and needs no extra model runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Plan, PlanError, Prepared, prepare, replacement_matrix, whole_years
from .types import PARTIES, Catalogue

DISTRIBUTIONS = ("pert", "triangular")
MAX_DRAWS = 20_000  # bounds the memory of one run (draws x inputs x 8 bytes, a few times)
PERCENTILES = (10, 50, 90)
TOTAL = "total"


@dataclass(frozen=True)
class Sensitivity:
    measure: str | None  # None for the discount rate
    parameter: (
        str  # investment, maintenance, lifetime, replacement, benefit:<category>, discount_rate
    )
    rho: float  # Spearman rank correlation with the total NPV


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    draws: int
    seed: int
    distribution: str
    horizon: int
    npv_by_party: np.ndarray  # (draws, len(PARTIES)), columns in PARTIES order
    npv_total: np.ndarray  # (draws,)
    # party or "total" -> (p10, p50, p90) of the NPV
    percentiles: dict[str, tuple[float, float, float]]
    probability_positive: dict[str, float]  # party or "total" -> share of draws with NPV > 0
    band: np.ndarray  # (3, horizon): p10 / p50 / p90 of the cumulative discounted net flow
    sensitivity: tuple[Sensitivity, ...]


def sample(
    rng: np.random.Generator,
    low: np.ndarray,
    mode: np.ndarray,
    high: np.ndarray,
    draws: int,
    distribution: str,
) -> np.ndarray:
    """(draws, n) values between ``low`` and ``high`` (all ``high > low``) around ``mode``."""
    if distribution == "triangular":
        return rng.triangular(low, mode, high, size=(draws, low.size))
    width = high - low
    alpha = 1.0 + 4.0 * (mode - low) / width
    beta = 1.0 + 4.0 * (high - mode) / width
    return low + width * rng.beta(alpha, beta, size=(draws, low.size))


def _inputs(p: Prepared, vary_rate: bool) -> tuple[np.ndarray, list[tuple[str | None, str]]]:
    """All inputs as one (3, K) low/expected/high array and their labels."""
    blocks = [p.investment, p.maintenance, p.lifetime, p.replacement, p.benefit]
    labels: list[tuple[str | None, str]] = []
    for name in ("investment", "maintenance", "lifetime", "replacement"):
        labels += [(key, name) for key in p.keys]
    labels += [
        (p.keys[m], f"benefit:{p.categories[c]}")
        for m, c in zip(p.benefit_measure, p.benefit_category, strict=True)
    ]
    if vary_rate:
        blocks.append(p.rate_range[:, None])
        labels.append((None, "discount_rate"))
    return np.concatenate(blocks, axis=1), labels


def average_ranks(y: np.ndarray) -> np.ndarray:
    """Ranks 0..n-1 of ``y``, ties sharing their average rank."""
    _, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return (ends - (counts + 1) / 2.0)[inverse]


def spearman(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman's rho of each column of ``x`` (continuous draws, no ties) with ``y``."""
    n = y.size
    ry = average_ranks(y)
    ry -= ry.mean()
    sy = np.sqrt(np.mean(ry * ry))
    if n < 2 or sy == 0 or x.shape[1] == 0:
        return np.zeros(x.shape[1])
    sx = np.sqrt((n * n - 1) / 12.0)  # standard deviation of the ranks 0..n-1
    # sum_j rank_x(j) * ry(j) = sum_r r * ry(order_x[r]): one argsort and one gather.
    return (np.arange(n, dtype=float) @ ry[np.argsort(x, axis=0)]) / (n * sx * sy)


def monte_carlo(
    catalogue: Catalogue,
    plan: Plan,
    draws: int = 2000,
    seed: int = 0,
    distribution: str = "pert",
    vary_discount_rate: bool = False,
) -> MonteCarloResult:
    """Draw the plan's NPV ``draws`` times; the same ``seed`` gives the same result."""
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= MAX_DRAWS:
        raise PlanError(
            f"The number of draws must be a whole number from 1 to {MAX_DRAWS}, not {draws!r}.",
            "bad_draws",
            value=draws,
        )
    if distribution not in DISTRIBUTIONS:
        raise PlanError(
            f"Unknown distribution {distribution!r} (known: {', '.join(DISTRIBUTIONS)}).",
            "bad_distribution",
            value=distribution,
        )
    p = prepare(catalogue, plan)
    return simulate(p, draws, seed, distribution, vary_discount_rate)


def simulate(
    p: Prepared, draws: int, seed: int, distribution: str, vary_discount_rate: bool
) -> MonteCarloResult:
    """The Monte Carlo on a prepared plan (``monte_carlo`` validates the arguments)."""
    N, H, M = draws, p.horizon, len(p.keys)
    rng = np.random.default_rng(seed)
    ranges, labels = _inputs(p, vary_discount_rate)
    uncertain = np.flatnonzero(ranges[2] > ranges[0])
    drawn = sample(rng, *ranges[:, uncertain], N, distribution)
    if uncertain.size == ranges.shape[1]:
        x = drawn  # everything uncertain (the usual case): no copy
    else:
        x = np.empty((N, ranges.shape[1]))
        x[:] = ranges[1]
        x[:, uncertain] = drawn

    investment, maintenance, lifetime, replacement = (x[:, i * M : (i + 1) * M] for i in range(4))
    benefit = x[:, 4 * M : 4 * M + len(p.benefit_measure)]
    t = np.arange(H)
    D = replacement_matrix(H)  # (H+1, H)
    if vary_discount_rate:
        df = (1.0 + x[:, -1:]) ** -t  # (N, H)
    else:
        df = np.broadcast_to((1.0 + p.rate) ** -t, (1, H))
    annuity = df[:, 1:].sum(axis=1, keepdims=True)  # PV factor of years 1..H-1
    replacement_factor = df @ D.T  # (N or 1, H+1)
    life = np.minimum(whole_years(lifetime), H)
    if vary_discount_rate:
        rf = np.take_along_axis(replacement_factor, life, axis=1)
    else:
        rf = replacement_factor[0][life]

    q = p.quantity
    invest = investment * q
    replace = invest * replacement
    upkeep = maintenance * q
    gain = benefit * q[p.benefit_measure]
    cost_pv = invest + upkeep * annuity + replace * rf  # (N, M)
    benefit_pv = gain * annuity  # (N, J)
    npv_party = benefit_pv @ p.benefit_allocation - cost_pv @ p.cost_allocation  # (N, P)
    npv_total = npv_party.sum(axis=1)

    # Cumulative discounted net flow per year: year 0 the investment, later years the
    # benefits minus maintenance, minus the replacements falling in that year.
    net = np.empty((N, H))
    net[:, 0] = -invest.sum(axis=1)
    net[:, 1:] = (gain.sum(axis=1) - upkeep.sum(axis=1))[:, None]
    per_life = np.bincount(
        (np.arange(N)[:, None] * (H + 1) + life).ravel(), replace.ravel(), minlength=N * (H + 1)
    ).reshape(N, H + 1)
    net -= per_life @ D
    band = np.percentile(np.cumsum(net * df, axis=1), PERCENTILES, axis=0)

    columns = np.column_stack([npv_party, npv_total])
    pct = np.percentile(columns, PERCENTILES, axis=0)  # (3, P+1)
    names = (*PARTIES, TOTAL)
    rho = spearman(drawn, npv_total)
    ranking = sorted(
        (
            Sensitivity(labels[k][0], labels[k][1], float(r))
            for k, r in zip(uncertain, rho, strict=True)
        ),
        key=lambda s: -abs(s.rho),
    )
    return MonteCarloResult(
        draws=N,
        seed=seed,
        distribution=distribution,
        horizon=H,
        npv_by_party=npv_party,
        npv_total=npv_total,
        percentiles={n: tuple(float(v) for v in pct[:, i]) for i, n in enumerate(names)},
        probability_positive={n: float(np.mean(columns[:, i] > 0)) for i, n in enumerate(names)},
        band=band,
        sensitivity=tuple(ranking),
    )
