"""Saving, reading and removing a park's named cost-benefit scenarios.

A scenario is saved from a *valid* plan form only (the form has already checked
numbers and the park's capacity), inside one transaction: saving under a name
the park already uses replaces that scenario, and a park holds at most
``COST_SCENARIOS_PER_PARK`` of them. Who saved it is recorded; nothing else
about the person.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from werklandschap.costbenefit.model import Plan
from werklandschap.costbenefit.types import Catalogue
from werklandschap.registry.models import Park

from .forms import BENEFIT_PREFIX, COST_PREFIX, PlanForm
from .models import Scenario

logger = logging.getLogger("werklandschap.measures")


class ScenarioRefused(Exception):
    """A scenario that cannot be saved; the message says why to the person."""


def scenarios_of(park: Park) -> list[Scenario]:
    return list(park.cost_scenarios.order_by("name"))


def save_scenario(
    park: Park, name: str, form: PlanForm, by, *, retry: bool = True
) -> tuple[Scenario, bool]:
    """Save ``form``'s plan as ``name`` for ``park``; returns (scenario, created)."""
    fields = {
        "quantities": form.quantities(),
        "horizon_years": form.horizon_years(),
        "discount_rate_pct": form.discount_rate_pct(),
        "cost_allocation": form.allocation(COST_PREFIX),
        "benefit_allocation": form.allocation(BENEFIT_PREFIX),
        "catalogue_version": form.catalogue.version,
        "saved_by": by,
    }
    try:
        with transaction.atomic():
            # Lock the park row: two people saving the 20th scenario at once
            # must not end with 21.
            Park.objects.select_for_update().filter(pk=park.pk).first()
            existing = park.cost_scenarios.filter(name=name).first()
            if existing is None:
                if park.cost_scenarios.count() >= settings.COST_SCENARIOS_PER_PARK:
                    raise ScenarioRefused(
                        _(
                            "Dit terrein heeft al %(n)s scenario's. Verwijder er een of sla op "
                            "onder een bestaande naam."
                        )
                        % {"n": settings.COST_SCENARIOS_PER_PARK}
                    )
                scenario = Scenario.objects.create(park=park, name=name, **fields)
                created = True
            else:
                for attribute, value in fields.items():
                    setattr(existing, attribute, value)
                existing.save()
                scenario, created = existing, False
    except IntegrityError:
        if not retry:
            raise
        # Someone else created the same name a moment ago: save again as an update.
        logger.info("scenario name taken concurrently park=%s", park.pk)
        return save_scenario(park, name, form, by, retry=False)
    logger.info(
        "scenario %s park=%s scenario=%s by=%s",
        "created" if created else "updated",
        park.pk,
        scenario.pk,
        getattr(by, "pk", None),
    )
    return scenario, created


def scenario_of(park: Park, raw: str | None) -> Scenario:
    """The park's own scenario with id ``raw``; 404 for anything else (other parks' too)."""
    if not raw or not raw.isdigit():
        raise Http404
    try:
        return park.cost_scenarios.get(pk=int(raw))
    except Scenario.DoesNotExist:
        raise Http404 from None


def plan_of(catalogue: Catalogue, scenario: Scenario) -> Plan:
    """The saved choices as a plan for the model (measures since removed are left out)."""
    rate = scenario.discount_rate_pct
    return Plan(
        quantities={k: float(v) for k, v in scenario.quantities.items() if k in catalogue.measures},
        horizon_years=scenario.horizon_years,
        discount_rate=None if rate is None else float(rate) / 100,
        cost_allocation={
            k: v for k, v in scenario.cost_allocation.items() if k in catalogue.measures
        },
        benefit_allocation={
            k: v
            for k, v in scenario.benefit_allocation.items()
            if k in catalogue.benefit_categories
        },
    )


def initial_of(catalogue: Catalogue, scenario: Scenario) -> dict[str, str]:
    """The plan form's text for a saved scenario (measures since removed are left out)."""
    quantities = {k: float(v) for k, v in scenario.quantities.items() if k in catalogue.measures}
    return PlanForm.initial_for(
        catalogue,
        quantities,
        scenario.horizon_years,
        scenario.discount_rate_pct,
        {k: v for k, v in scenario.cost_allocation.items() if k in catalogue.measures},
        {k: v for k, v in scenario.benefit_allocation.items() if k in catalogue.benefit_categories},
    )


def dropped_measures(catalogue: Catalogue, scenario: Scenario) -> list[str]:
    """Measures the scenario names that the catalogue no longer has."""
    return sorted(k for k in scenario.quantities if k not in catalogue.measures)


def delete_scenario(scenario: Scenario, by) -> None:
    logger.info(
        "scenario deleted park=%s scenario=%s by=%s",
        scenario.park_id,
        scenario.pk,
        getattr(by, "pk", None),
    )
    scenario.delete()
