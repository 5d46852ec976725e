"""The plan tool shared by a park's page and the public example park.

Decides which plan a request shows (the suggestion, a saved scenario, or what
the user typed in the editor), lays out the editor's rows and gathers the
page's figures from ``planning``. Park-specific parts (the scan, the targets,
access) live in ``portal.costs``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import QueryDict
from django.utils.translation import get_language

from werklandschap.costbenefit.model import Plan
from werklandschap.costbenefit.suggest import Situation, Suggestion
from werklandschap.costbenefit.types import PARTIES, Catalogue
from werklandschap.portal.presentation import THEME_LABELS
from werklandschap.registry.models import Park

from . import browse, planning, scenarios
from .forms import BENEFIT_PREFIX, COST_PREFIX, PlanForm, allocation_field, field_name
from .models import Scenario

# A plan's chart is a pure function of the plan, the catalogue and the language.
CHART_CACHE_S = 24 * 3600


@dataclass
class Choice:
    """The plan a request shows, and where it came from.

    ``source`` is ``suggestion``, ``scenario`` or ``edited``; ``plan`` is None
    when the typed plan is invalid (the form then carries the errors).
    """

    form: PlanForm
    plan: Plan | None
    source: str
    scenario: Scenario | None = None


def choose(
    catalogue: Catalogue,
    where: Situation,
    suggestion: Suggestion,
    park: Park | None,
    query: QueryDict,
) -> Choice:
    """Which plan ``query`` asks for: typed (``horizon`` present), saved, else the suggestion."""
    if "horizon" in query:
        form = PlanForm(query, catalogue=catalogue, situation=where)
        return Choice(form, form.plan() if form.is_valid() else None, "edited")
    if park is not None and query.get("scenario"):
        scenario = scenarios.scenario_of(park, query.get("scenario"))
        form = PlanForm(
            initial=scenarios.initial_of(catalogue, scenario),
            catalogue=catalogue,
            situation=where,
        )
        return Choice(form, scenarios.plan_of(catalogue, scenario), "scenario", scenario)
    initial = PlanForm.initial_for(catalogue, dict(suggestion.plan.quantities))
    form = PlanForm(initial=initial, catalogue=catalogue, situation=where)
    return Choice(form, suggestion.plan, "suggestion")


def editor_rows(
    catalogue: Catalogue, form: PlanForm, suggestion: Suggestion
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The editor's rows: measures in the plan first, the rest grouped by first theme."""
    reasons = {line.measure: line.reason for line in suggestion.lines}
    planned: list[dict[str, Any]] = []
    groups: dict[str, list[dict[str, Any]]] = {}
    for key, measure in catalogue.measures.items():
        bound = form[field_name(key)]
        row = {
            "field": bound,
            "measure": measure,
            "name": browse.name(measure),
            "unit": browse.UNIT_LABELS[measure.unit],
            "reason": reasons.get(key),
        }
        if bound.value() not in (None, "", "0"):
            planned.append(row)
        else:
            groups.setdefault(measure.themes[0] if measure.themes else "", []).append(row)
    others = [
        {"theme": THEME_LABELS.get(theme, theme), "rows": rows} for theme, rows in groups.items()
    ]
    return planned, others


def allocation_rows(
    catalogue: Catalogue, form: PlanForm, quantities: set[str] | dict[str, float]
) -> dict[str, Any]:
    """The split editor's rows: the costs of each planned measure, each benefit it brings."""
    categories = [
        key
        for key in catalogue.benefit_categories
        if any(key in catalogue.measures[m].benefits for m in quantities)
    ]

    def row(prefix: str, key: str, label: str) -> dict[str, Any]:
        return {
            "label": label,
            "fields": [form[allocation_field(prefix, key, party)] for party in PARTIES],
            "cells": [
                (browse.PARTY_LABELS[party], form[allocation_field(prefix, key, party)])
                for party in PARTIES
            ],
        }

    rows = {
        "parties": [browse.PARTY_LABELS[p] for p in PARTIES],
        "costs": [
            row(COST_PREFIX, key, browse.name(catalogue.measures[key]))
            for key in catalogue.measures
            if key in quantities
        ],
        "benefits": [
            row(
                BENEFIT_PREFIX,
                key,
                catalogue.benefit_categories[key].name_en
                if browse.english()
                else catalogue.benefit_categories[key].name_nl,
            )
            for key in categories
        ],
    }
    rows["changed"] = any(
        f.value() not in (None, "") for r in rows["costs"] + rows["benefits"] for f in r["fields"]
    )
    return rows


def plan_fields(form: PlanForm) -> list[tuple[str, str]]:
    """The shown plan as form fields (name, text): for saving it and for its exports."""
    source = form.data if form.is_bound else form.initial
    return [
        (name, str(source[name])) for name in form.fields if source.get(name) not in (None, "", "0")
    ]


def plan_page(
    catalogue: Catalogue,
    where: Situation,
    suggestion: Suggestion,
    choice: Choice,
    chart_base: str | None = None,
) -> dict[str, Any]:
    """The plan tool's context for a situation and the chosen plan (park or example)."""
    planned, others = editor_rows(catalogue, choice.form, suggestion)
    context: dict[str, Any] = {
        "form": choice.form,
        "source": choice.source,
        "scenario": choice.scenario,
        "planned_rows": planned,
        "other_groups": others,
        "suggestion_lines": [
            {
                "name": browse.name(catalogue.measures[line.measure]),
                "measure": catalogue.measures[line.measure],
                "quantity": line.quantity,
                "unit": browse.UNIT_LABELS[catalogue.measures[line.measure].unit],
                "reason": line.reason,
            }
            for line in suggestion.lines
        ],
        "limited": suggestion.limited,
        "price_year": catalogue.price_year,
        # Also for an invalid plan: a split that does not add up must stay editable.
        "allocation": allocation_rows(
            catalogue, choice.form, {row["measure"].key for row in planned}
        ),
    }
    if choice.plan is not None:
        context.update(planning.figures(catalogue, where, choice.plan))
        context["plan_fields"] = plan_fields(choice.form)
        context["plan_query"] = urlencode(context["plan_fields"])
        context["allocation"] = allocation_rows(
            catalogue, choice.form, dict(choice.plan.quantities)
        )
        if chart_base and choice.plan.quantities:
            context["charts"] = planning.chart_links(chart_base, context["plan_query"])
    if choice.scenario is not None:
        context["dropped_measures"] = scenarios.dropped_measures(catalogue, choice.scenario)
    return context


def chart_svg(kind: str, catalogue: Catalogue, choice: Choice) -> str | None:
    """The SVG of one chart of the chosen plan (None: invalid plan), cached by what it shows."""
    if choice.plan is None or not choice.plan.quantities:
        return None
    plan = choice.plan
    what = (
        kind,
        catalogue.version,
        get_language(),
        sorted(plan.quantities.items()),
        plan.horizon_years,
        plan.discount_rate,
        sorted((k, sorted(v.items())) for k, v in plan.cost_allocation.items()),
        sorted((k, sorted(v.items())) for k, v in plan.benefit_allocation.items()),
    )
    digest = hashlib.sha256(repr(what).encode()).hexdigest()
    key = f"plan-chart:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = planning.chart(kind, catalogue, choice.plan)
        cache.set(key, svg, CHART_CACHE_S)
    return svg
