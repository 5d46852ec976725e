"""The deterministic cost-benefit-beneficiaries model: who pays, who gains, when.

A ``Plan`` (quantities per measure, horizon, discount rate, optional allocation
overrides) is evaluated against a ``Catalogue`` with the expected value of every
range; ``montecarlo.monte_carlo`` draws the same arithmetic over the ranges.

Conventions (documented here because every figure on the pages depends on them):

- Years ``t = 0 .. H-1`` with ``H`` the horizon (default ``catalogue.horizon_years``).
  Every cash flow of year ``t`` is counted at the START of that year and discounted
  by ``1 / (1 + r) ** t``: the investment (year 0) is not discounted. This is
  ``numpy_financial.npv``'s convention, against which the tests check the model.
- Investment: ``quantity * investment`` in year 0.
- Maintenance: ``quantity * maintenance`` every year from year 1 (the year of
  construction has none), also in a replacement year.
- Replacement: ``replacement`` (a share) of the investment is spent again at the
  end of each life, in years ``L, 2L, 3L, ... < H``; ``L`` is the lifetime rounded
  to whole years (half up, at least 1). A lifetime of ``H`` years or more has no
  replacement inside the horizon.
- No residual value at the horizon (as TEEB-stad / the Groene Baten Planner):
  whatever a measure is still worth after year ``H-1`` is not counted, so a
  replacement shortly before the horizon weighs fully. This keeps the result on
  the cautious side and simple to explain.
- Benefits: ``quantity * benefit`` per benefit category every year from year 1.
- Split: costs (investment, maintenance, replacement) over the parties by the
  measure's ``cost_allocation``; benefits by their category's ``allocation``.
  Both can be overridden per plan.
- Payback year: the first year from which the cumulative DISCOUNTED net flow
  stays at or above zero up to the horizon (so a replacement that pushes it below
  zero again moves the payback year on); ``None`` if it ends below zero or the
  plan costs nothing.
- Benefit/cost ratio: PV benefits / PV costs, ``None`` when PV costs are zero.

Values are in euros of the catalogue's price year (real terms), the discount rate
a real rate. Bad input raises ``PlanError`` (a ``ValueError``) with an English
message naming the measure, plus ``code`` and ``params`` so that a page can show
its own translated message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .redistribution import Redistribution, redistribute
from .types import PARTIES, Catalogue, Range

# More units than this of any measure is a typing error, not a plan (1e7 m2 is 1,000 ha).
MAX_QUANTITY = 1e7
MAX_HORIZON = 100
# A real discount rate outside this interval is not a plausible choice for a plan.
MIN_RATE, MAX_RATE = 0.0, 0.5
ALLOCATION_TOLERANCE = 1e-6
# Half a cent: a present value below it is no money to share out (a plan of a few
# millionths of a unit gives subnormal floats whose parts underflow to zero).
NEGLIGIBLE_EUR = 0.005


class PlanError(ValueError):
    """A plan (or a catalogue entry it uses) the model cannot evaluate.

    ``code`` names the kind of problem and ``params`` its details (``measure``,
    ``value``, ...), so that the pages can translate instead of parsing English.
    """

    def __init__(self, message: str, code: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Plan:
    """What a park intends to do: quantities per measure key (in the measure's unit)."""

    quantities: Mapping[str, float]
    horizon_years: int | None = None  # None: the catalogue's horizon
    discount_rate: float | None = None  # None: the catalogue's expected rate
    # Per-plan overrides of the default split: measure key -> party -> share (costs),
    # benefit category key -> party -> share (benefits). Shares sum to 1.
    cost_allocation: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    benefit_allocation: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Prepared:
    """A validated plan as arrays: the common input of the model and the Monte Carlo.

    Only measures with a quantity above zero take part. Range arrays have shape
    (3, n) with rows low / expected / high; ``benefit_*`` arrays have one column per
    (measure, benefit category) pair.
    """

    keys: tuple[str, ...]  # measure keys, quantity > 0
    quantity: np.ndarray  # (M,)
    investment: np.ndarray  # (3, M) EUR per unit
    maintenance: np.ndarray  # (3, M) EUR per unit per year
    lifetime: np.ndarray  # (3, M) years
    replacement: np.ndarray  # (3, M) share of the investment
    benefit: np.ndarray  # (3, J) EUR per unit per year
    benefit_measure: np.ndarray  # (J,) index into keys
    benefit_category: np.ndarray  # (J,) index into categories
    categories: tuple[str, ...]  # benefit category keys that occur
    cost_allocation: np.ndarray  # (M, P) share per party
    benefit_allocation: np.ndarray  # (J, P) share per party
    horizon: int
    rate: float
    rate_range: np.ndarray  # (3,) the catalogue's discount rate range
    price_year: int


@dataclass(frozen=True)
class PartyResult:
    party: str
    pv_costs: float
    pv_benefits: float
    npv: float
    bcr: float | None
    payback_year: int | None
    share_of_costs: float  # of the plan's PV costs (0 when it costs under NEGLIGIBLE_EUR)
    share_of_benefits: float  # of the plan's PV benefits


@dataclass(frozen=True)
class MeasureResult:
    key: str
    quantity: float
    pv_costs: float
    pv_benefits: float
    npv: float


@dataclass(frozen=True, eq=False)
class Result:
    """Everything the pages show of one plan; yearly arrays have length ``horizon``."""

    horizon: int
    discount_rate: float
    price_year: int
    years: np.ndarray
    discount_factors: np.ndarray
    investment: np.ndarray  # undiscounted EUR per year, all measures
    maintenance: np.ndarray
    replacement: np.ndarray
    costs: np.ndarray  # investment + maintenance + replacement
    benefits_by_category: dict[str, np.ndarray]
    benefits: np.ndarray
    net: np.ndarray  # benefits - costs
    cumulative_discounted_net: np.ndarray
    costs_by_party: dict[str, np.ndarray]
    benefits_by_party: dict[str, np.ndarray]
    pv_costs: float
    pv_benefits: float
    npv: float
    bcr: float | None
    payback_year: int | None
    parties: dict[str, PartyResult]
    measures: dict[str, MeasureResult]
    redistribution: Redistribution

    @property
    def payers(self) -> list[str]:
        """Parties that lose on the plan (NPV below zero), the biggest loser first."""
        return sorted((p for p, r in self.parties.items() if r.npv < 0), key=self._npv)

    @property
    def gainers(self) -> list[str]:
        """Parties that gain on the plan (NPV above zero), the biggest gainer first."""
        return sorted(
            (p for p, r in self.parties.items() if r.npv > 0), key=lambda p: -self._npv(p)
        )

    def _npv(self, party: str) -> float:
        return self.parties[party].npv


def discount_factors(rate: float, horizon: int) -> np.ndarray:
    """``1 / (1 + rate) ** t`` for ``t = 0 .. horizon-1`` (start-of-year convention)."""
    return (1.0 + rate) ** -np.arange(horizon, dtype=float)


def whole_years(lifetime: np.ndarray | float) -> np.ndarray:
    """Lifetimes rounded half up to whole years, at least one year."""
    return np.maximum(1, np.floor(np.asarray(lifetime, dtype=float) + 0.5)).astype(np.int64)


def replacement_matrix(horizon: int) -> np.ndarray:
    """``D[L, t] = 1`` when a measure with a lifetime of ``L`` whole years is replaced in
    year ``t`` (``t = L, 2L, ... < horizon``); rows ``0 .. horizon`` (``L >= horizon``: none).

    ``D @ df`` gives the present-value factor of all replacements for each lifetime.
    """
    t = np.arange(horizon)
    life = np.arange(horizon + 1)[:, None]
    return ((t > 0) & (life > 0) & (t % np.maximum(life, 1) == 0) & (life < horizon)).astype(float)


def _number(value: object, what: str, code: str, **params: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise PlanError(f"{what} is not a number ({value!r}).", code, value=value, **params)
    value = float(value)
    if not math.isfinite(value):
        raise PlanError(f"{what} is not a finite number ({value!r}).", code, value=value, **params)
    return value


def _allocation(shares: Mapping[str, float], what: str, **params: object) -> np.ndarray:
    """A party -> share mapping as a vector over PARTIES, checked to sum to 1."""
    if not isinstance(shares, Mapping) or not shares:
        raise PlanError(f"{what} has no allocation over the parties.", "bad_allocation", **params)
    vector = np.zeros(len(PARTIES))
    for party, share in shares.items():
        if party not in PARTIES:
            raise PlanError(
                f"{what} names an unknown party {party!r} (known: {', '.join(PARTIES)}).",
                "unknown_party",
                party=party,
                **params,
            )
        share = _number(share, f"{what}: the share of {party!r}", "bad_allocation", **params)
        if share < 0:
            raise PlanError(
                f"{what}: the share of {party!r} is negative ({share}).",
                "bad_allocation",
                party=party,
                **params,
            )
        vector[PARTIES.index(party)] = share
    if abs(vector.sum() - 1.0) > ALLOCATION_TOLERANCE:
        raise PlanError(
            f"{what}: the shares add up to {vector.sum():.6g}, not 1.",
            "bad_allocation",
            total=float(vector.sum()),
            **params,
        )
    return vector


def _range(r: Range, what: str, **params: object) -> tuple[float, float, float]:
    low, expected, high = (
        _number(v, what, "catalogue", **params) for v in (r.low, r.expected, r.high)
    )
    if not low <= expected <= high:
        raise PlanError(
            f"{what}: low {low} <= expected {expected} <= high {high} does not hold.",
            "catalogue",
            **params,
        )
    return low, expected, high


def prepare(catalogue: Catalogue, plan: Plan) -> Prepared:
    """Validate ``plan`` against ``catalogue`` and turn it into arrays; raises ``PlanError``."""
    if not isinstance(plan.quantities, Mapping):
        raise PlanError(
            "The plan's quantities are not a mapping of measure to quantity.", "bad_plan"
        )
    quantities: dict[str, float] = {}
    for key, value in plan.quantities.items():
        if key not in catalogue.measures:
            raise PlanError(f"Unknown measure {key!r}.", "unknown_measure", measure=key)
        q = _number(value, f"The quantity of measure {key!r}", "not_a_number", measure=key)
        if q < 0:
            raise PlanError(
                f"The quantity of measure {key!r} is negative ({q}); it must be 0 or more.",
                "negative_quantity",
                measure=key,
                value=q,
            )
        if q > MAX_QUANTITY:
            raise PlanError(
                f"The quantity of measure {key!r} ({q:g}) is more than {MAX_QUANTITY:g} units.",
                "too_large",
                measure=key,
                value=q,
                limit=MAX_QUANTITY,
            )
        if q > 0:
            quantities[key] = q

    horizon = catalogue.horizon_years if plan.horizon_years is None else plan.horizon_years
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer):
        raise PlanError(f"The horizon {horizon!r} is not a whole number of years.", "bad_horizon")
    if not 1 <= horizon <= MAX_HORIZON:
        raise PlanError(
            f"The horizon of {horizon} years is outside 1 to {MAX_HORIZON} years.",
            "bad_horizon",
            value=int(horizon),
        )
    rate_range = np.array(_range(catalogue.discount_rate, "The catalogue's discount rate"))
    rate = rate_range[1] if plan.discount_rate is None else plan.discount_rate
    rate = _number(rate, "The discount rate", "bad_discount_rate")
    if not MIN_RATE <= rate <= MAX_RATE:
        raise PlanError(
            f"The discount rate {rate:g} is outside {MIN_RATE:g} to {MAX_RATE:g}.",
            "bad_discount_rate",
            value=rate,
        )

    for key in plan.cost_allocation:
        if key not in catalogue.measures:
            raise PlanError(
                f"The cost allocation names an unknown measure {key!r}.",
                "unknown_measure",
                measure=key,
            )
    for key in plan.benefit_allocation:
        if key not in catalogue.benefit_categories:
            raise PlanError(
                f"The benefit allocation names an unknown benefit category {key!r}.",
                "unknown_category",
                category=key,
            )

    keys = tuple(quantities)
    ranges: dict[str, list[tuple[float, float, float]]] = {
        name: [] for name in ("investment", "maintenance", "lifetime", "replacement")
    }
    cost_rows, benefit_rows, benefit_ranges = [], [], []
    benefit_measure, benefit_category, categories = [], [], {}
    for i, key in enumerate(keys):
        measure = catalogue.measures[key]
        for name, values in ranges.items():
            values.append(_range(getattr(measure, name), f"Measure {key!r}: {name}", measure=key))
        shares = plan.cost_allocation.get(key, measure.cost_allocation)
        cost_rows.append(
            _allocation(shares, f"The cost allocation of measure {key!r}", measure=key)
        )
        for category_key, r in measure.benefits.items():
            category = catalogue.benefit_categories.get(category_key)
            if category is None:
                raise PlanError(
                    f"Measure {key!r} has a benefit in an unknown category {category_key!r}.",
                    "unknown_category",
                    measure=key,
                    category=category_key,
                )
            benefit_ranges.append(
                _range(r, f"Measure {key!r}: benefit {category_key!r}", measure=key)
            )
            shares = plan.benefit_allocation.get(category_key, category.allocation)
            benefit_rows.append(
                _allocation(
                    shares,
                    f"The allocation of benefit category {category_key!r}",
                    category=category_key,
                )
            )
            benefit_measure.append(i)
            benefit_category.append(categories.setdefault(category_key, len(categories)))
    for name, values in ranges.items():
        lows = [v[0] for v in values]
        if name in ("investment", "maintenance", "replacement") and any(v < 0 for v in lows):
            bad = keys[next(i for i, v in enumerate(lows) if v < 0)]
            raise PlanError(
                f"Measure {bad!r}: {name} cannot be negative.", "catalogue", measure=bad
            )

    def as_array(values: list[tuple[float, float, float]]) -> np.ndarray:
        return np.array(values, dtype=float).reshape(-1, 3).T.copy()

    P = len(PARTIES)
    return Prepared(
        keys=keys,
        quantity=np.array([quantities[k] for k in keys], dtype=float),
        investment=as_array(ranges["investment"]),
        maintenance=as_array(ranges["maintenance"]),
        lifetime=as_array(ranges["lifetime"]),
        replacement=as_array(ranges["replacement"]),
        benefit=as_array(benefit_ranges),
        benefit_measure=np.array(benefit_measure, dtype=np.int64),
        benefit_category=np.array(benefit_category, dtype=np.int64),
        categories=tuple(categories),
        cost_allocation=np.array(cost_rows, dtype=float).reshape(-1, P),
        benefit_allocation=np.array(benefit_rows, dtype=float).reshape(-1, P),
        horizon=int(horizon),
        rate=float(rate),
        rate_range=rate_range,
        price_year=catalogue.price_year,
    )


def _payback(cumulative: np.ndarray, pv_costs: float) -> int | None:
    """First year from which ``cumulative`` stays >= 0 (float noise allowed), or None."""
    if pv_costs <= 0:
        return None
    ok = cumulative >= -1e-9 * max(1.0, pv_costs)
    if not ok[-1]:
        return None
    bad = np.flatnonzero(~ok)
    return int(bad[-1] + 1) if bad.size else 0


def _ratio(a: float, b: float) -> float | None:
    return a / b if b > 0 else None


def _frozen(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def evaluate(catalogue: Catalogue, plan: Plan) -> Result:
    """The plan's yearly flows, present values and split over the parties (expected values)."""
    p = prepare(catalogue, plan)
    H = p.horizon
    t = np.arange(H)
    df = discount_factors(p.rate, H)
    q = p.quantity
    later = (t >= 1).astype(float)  # maintenance and benefits from year 1

    # Yearly flows per measure (M, H) and per (measure, category) pair (J, H).
    investment = np.outer(q * p.investment[1], t == 0)
    maintenance = np.outer(q * p.maintenance[1], later)
    lifetime = whole_years(p.lifetime[1])
    replaced = (t[None, :] > 0) & (t[None, :] % lifetime[:, None] == 0)
    replacement = (q * p.investment[1] * p.replacement[1])[:, None] * replaced
    costs_m = investment + maintenance + replacement
    benefits_j = np.outer(q[p.benefit_measure] * p.benefit[1], later)

    costs_party = p.cost_allocation.T @ costs_m  # (P, H)
    benefits_party = p.benefit_allocation.T @ benefits_j  # (P, H)
    by_category = np.zeros((len(p.categories), H))
    np.add.at(by_category, p.benefit_category, benefits_j)
    benefits_m = np.zeros((len(p.keys), H))
    np.add.at(benefits_m, p.benefit_measure, benefits_j)

    costs = costs_m.sum(axis=0)
    benefits = benefits_j.sum(axis=0)
    net = benefits - costs
    cumulative = np.cumsum(net * df)
    pv_costs, pv_benefits = float(costs @ df), float(benefits @ df)

    party_pv_costs, party_pv_benefits = costs_party @ df, benefits_party @ df
    party_cumulative = np.cumsum((benefits_party - costs_party) * df, axis=1)
    parties = {}
    for i, party in enumerate(PARTIES):
        c, b = float(party_pv_costs[i]), float(party_pv_benefits[i])
        parties[party] = PartyResult(
            party=party,
            pv_costs=c,
            pv_benefits=b,
            npv=b - c,
            bcr=_ratio(b, c),
            payback_year=_payback(party_cumulative[i], c),
            share_of_costs=c / pv_costs if pv_costs >= NEGLIGIBLE_EUR else 0.0,
            share_of_benefits=b / pv_benefits if pv_benefits >= NEGLIGIBLE_EUR else 0.0,
        )
    measure_costs, measure_benefits = costs_m @ df, benefits_m @ df
    measures = {
        key: MeasureResult(
            key=key,
            quantity=float(q[i]),
            pv_costs=float(measure_costs[i]),
            pv_benefits=float(measure_benefits[i]),
            npv=float(measure_benefits[i] - measure_costs[i]),
        )
        for i, key in enumerate(p.keys)
    }
    return Result(
        horizon=H,
        discount_rate=p.rate,
        price_year=p.price_year,
        years=_frozen(t),
        discount_factors=_frozen(df),
        investment=_frozen(investment.sum(axis=0)),
        maintenance=_frozen(maintenance.sum(axis=0)),
        replacement=_frozen(replacement.sum(axis=0)),
        costs=_frozen(costs),
        benefits_by_category={k: _frozen(by_category[i]) for i, k in enumerate(p.categories)},
        benefits=_frozen(benefits),
        net=_frozen(net),
        cumulative_discounted_net=_frozen(cumulative),
        costs_by_party={party: _frozen(costs_party[i]) for i, party in enumerate(PARTIES)},
        benefits_by_party={party: _frozen(benefits_party[i]) for i, party in enumerate(PARTIES)},
        pv_costs=pv_costs,
        pv_benefits=pv_benefits,
        npv=pv_benefits - pv_costs,
        bcr=_ratio(pv_benefits, pv_costs),
        payback_year=_payback(cumulative, pv_costs),
        parties=parties,
        measures=measures,
        redistribution=redistribute({party: r.npv for party, r in parties.items()}),
    )
