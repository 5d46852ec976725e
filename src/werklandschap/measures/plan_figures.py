"""Everything a plan's downloads show, computed once: figures, labels and parameters.

The XLSX (``plan_xlsx``) and the PDF (``plan_pdf``) of a plan must tell the same
story as the costs page, so both take their numbers from here: the deterministic
model (``costbenefit.model.evaluate``), the Monte Carlo at the page's fixed number
of draws and seed (the same draws give the same band on the page and on paper),
and every parameter the calculation used with its source and whether it is an
assumption. Labels follow the active language (Dutch msgids, gettext; measure and
benefit names from the catalogue's ``name_nl`` / ``name_en``), and so do the source
texts (the catalogue holds each in Dutch and English).

No Django request or model here: the catalogue and a ``Plan`` in, plain data out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from werklandschap.costbenefit.model import Plan, Result, evaluate
from werklandschap.costbenefit.montecarlo import MonteCarloResult, Sensitivity, monte_carlo
from werklandschap.costbenefit.types import PARTIES, Catalogue, Measure, Range

from .browse import EFFECT_LABELS, PARTY_LABELS, UNIT_LABELS, english, source

# The costs page's Monte Carlo (portal/costs.py PAGE_DRAWS, seed 0): a download shows
# the band the page showed. 2,000 draws take about 85 ms (bench/cost_benefit_bench.py).
MC_DRAWS = 2_000
MC_SEED = 0
SENSITIVITY_TOP = 5

# The catalogue marks a text source that is our own estimate with this tag
# (data/measures/README.md); allocations carry no separate assumption flag.
ASSUMPTION_TAG = "[A]"


@dataclass(frozen=True)
class PlanLine:
    key: str
    name: str
    quantity: float
    unit: str
    investment_per_unit: float  # expected, EUR per unit


@dataclass(frozen=True)
class Parameter:
    """One number the calculation used, with where it comes from."""

    group: str  # the measure's name, or "Algemeen" / a benefit category's name
    key: str  # the measure or category key ("" for general parameters)
    label: str  # what the number is, with its unit
    low: float | None
    expected: float | None
    high: float | None
    source: str  # in the active language
    assumption: bool


@dataclass(frozen=True)
class PlanFigures:
    catalogue: Catalogue
    plan: Plan
    result: Result
    mc: MonteCarloResult
    lines: list[PlanLine]
    parameters: list[Parameter]


def measure_name(measure: Measure) -> str:
    return measure.name_en if english() else measure.name_nl


def category_name(catalogue: Catalogue, key: str) -> str:
    category = catalogue.benefit_categories[key]
    return category.name_en if english() else category.name_nl


def party_label(party: str) -> str:
    return str(PARTY_LABELS[party])


def unit_label(measure: Measure) -> str:
    return str(UNIT_LABELS[measure.unit])


def is_assumption(source: str) -> bool:
    return source.lstrip().startswith(ASSUMPTION_TAG)


def _range(group: str, key: str, label: str, r: Range) -> Parameter:
    return Parameter(group, key, label, r.low, r.expected, r.high, source(r), r.assumption)


def _share(group: str, key: str, label: str, share: float, text: str) -> Parameter:
    return Parameter(group, key, label, share, share, share, text, is_assumption(text))


def _allocation_rows(
    group: str, key: str, what: str, shares: Mapping[str, float], text: str
) -> list[Parameter]:
    return [
        _share(
            group,
            key,
            _("%(what)s: aandeel %(party)s") % {"what": what, "party": party_label(party)},
            float(shares[party]),
            text,
        )
        for party in PARTIES
        if party in shares
    ]


def parameters(catalogue: Catalogue, plan: Plan) -> list[Parameter]:
    """Every parameter the plan's calculation uses, in the order a reader checks them.

    General (discount rate, horizon, price year), then per planned measure its
    investment, maintenance, lifetime, replacement, effects, benefits and who pays,
    then per benefit category that occurs its split over the parties. A value the
    plan overrides (rate, horizon, a split) says so in place of the catalogue's source.
    """
    language = "en" if english() else "nl"
    general = _("Algemeen")
    chosen = _("gekozen in dit plan")
    rate = catalogue.discount_rate
    if plan.discount_rate is not None:
        rate = Range(plan.discount_rate, plan.discount_rate, plan.discount_rate, chosen)
    horizon = float(plan.horizon_years or catalogue.horizon_years)
    rows = [
        _range(general, "", _("Discontovoet (reëel, per jaar)"), rate),
        Parameter(
            general,
            "",
            _("Looptijd (jaar)"),
            horizon,
            horizon,
            horizon,
            chosen if plan.horizon_years is not None else catalogue.horizon_source_in(language),
            False,
        ),
        Parameter(
            general,
            "",
            _("Prijspeil (jaar)"),
            float(catalogue.price_year),
            float(catalogue.price_year),
            float(catalogue.price_year),
            catalogue.price_basis_in(language),
            False,
        ),
    ]
    categories: list[str] = []
    for key, quantity in plan.quantities.items():
        if not quantity > 0:
            continue
        m = catalogue.measures[key]
        group, unit = measure_name(m), unit_label(m)
        rows += [
            _range(group, key, _("Investering (EUR per %(unit)s)") % {"unit": unit}, m.investment),
            _range(
                group,
                key,
                _("Onderhoud (EUR per %(unit)s per jaar)") % {"unit": unit},
                m.maintenance,
            ),
            _range(group, key, _("Levensduur (jaar)"), m.lifetime),
            _range(group, key, _("Vervanging (deel van de investering)"), m.replacement),
        ]
        for effect, r in m.effects.items():
            label = _("%(effect)s per %(unit)s") % {
                "effect": capfirst(EFFECT_LABELS.get(effect, effect)),
                "unit": unit,
            }
            rows.append(_range(group, key, label, r))
        for category, r in m.benefits.items():
            label = _("%(benefit)s (EUR per %(unit)s per jaar)") % {
                "benefit": category_name(catalogue, category),
                "unit": unit,
            }
            rows.append(_range(group, key, label, r))
            if category not in categories:
                categories.append(category)
        overridden = key in plan.cost_allocation
        rows += _allocation_rows(
            group,
            key,
            _("Kosten"),
            plan.cost_allocation[key] if overridden else m.cost_allocation,
            chosen if overridden else m.cost_allocation_source_in(language),
        )
    for category in categories:
        c = catalogue.benefit_categories[category]
        overridden = category in plan.benefit_allocation
        shares = plan.benefit_allocation[category] if overridden else c.allocation
        for row in _allocation_rows(
            category_name(catalogue, category),
            category,
            _("Baten"),
            shares,
            chosen if overridden else c.source_in(language),
        ):
            rows.append(
                Parameter(**{**row.__dict__, "assumption": c.assumption and not overridden})
            )
    return rows


def plan_lines(catalogue: Catalogue, plan: Plan) -> list[PlanLine]:
    """The planned measures (quantity above zero), in the plan's order."""
    return [
        PlanLine(
            key=key,
            name=measure_name(catalogue.measures[key]),
            quantity=float(quantity),
            unit=unit_label(catalogue.measures[key]),
            investment_per_unit=catalogue.measures[key].investment.expected,
        )
        for key, quantity in plan.quantities.items()
        if quantity > 0
    ]


def sensitivity_label(catalogue: Catalogue, s: Sensitivity) -> str:
    """'Wadi: investering' - which range of which measure moves the result."""
    if s.measure is None:
        return _("Discontovoet")
    what = {
        "investment": _("investering"),
        "maintenance": _("onderhoud"),
        "lifetime": _("levensduur"),
        "replacement": _("vervanging"),
    }.get(s.parameter)
    if what is None and s.parameter.startswith("benefit:"):
        key = s.parameter.split(":", 1)[1]
        what = _("baten: %(category)s") % {
            "category": category_name(catalogue, key)
            if key in catalogue.benefit_categories
            else key
        }
    return f"{measure_name(catalogue.measures[s.measure])}: {what or s.parameter}"


def plan_figures(catalogue: Catalogue, plan: Plan) -> PlanFigures:
    """Evaluate ``plan`` and run the page's Monte Carlo; raises ``PlanError`` on bad input."""
    return PlanFigures(
        catalogue=catalogue,
        plan=plan,
        result=evaluate(catalogue, plan),
        mc=monte_carlo(catalogue, plan, draws=MC_DRAWS, seed=MC_SEED),
        lines=plan_lines(catalogue, plan),
        parameters=parameters(catalogue, plan),
    )
