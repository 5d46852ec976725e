"""The park's costs-and-benefits pages: the plan tool, saved scenarios, comparison.

Same access as the dashboard (``views.private``); saving and removing scenarios
is for those who draw up the park's plans (``policies.can_save_scenarios``),
POST only and checked again here. A typed plan is only computed, and only
saved, when it is valid and fits the park (``measures.forms.PlanForm``).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from werklandschap.accounts import policies
from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.measures import planning, scenarios
from werklandschap.measures.forms import PlanForm, ScenarioNameForm
from werklandschap.measures.plan_pdf import plan_pdf
from werklandschap.measures.plan_xlsx import plan_xlsx
from werklandschap.measures.tool import chart_svg
from werklandschap.registry.models import Park

from .costs import park_choice, park_comparison, park_cost_benefit, situation
from .views import _scan_or_404, private

logger = logging.getLogger("werklandschap.portal")


def _render(request: HttpRequest, park: Park, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("name_form", ScenarioNameForm())
    context.update(
        {
            "park": park,
            "can_save": policies.can_save_scenarios(request.user, park),
            "tool_url": reverse("portal:costs", kwargs={"slug": park.slug}),
        }
    )
    return render(request, "portal/costs.html", context, status=status)


def _chart_base(park: Park) -> str:
    return reverse("portal:costs-chart", kwargs={"slug": park.slug, "kind": "x"})[: -len("x.svg")]


@require_GET
@private
def costs(request: HttpRequest, park: Park) -> HttpResponse:
    """The plan tool: the suggestion, a saved scenario or the typed plan (GET, shareable)."""
    scan = _scan_or_404(park)
    context = park_cost_benefit(park, scan, request.GET, chart_base=_chart_base(park))
    context["scan"] = scan
    invalid = context["source"] == "edited" and not context["form"].is_valid()
    if invalid:
        logger.info("cost plan refused park=%s fields=%s", park.pk, sorted(context["form"].errors))
    return _render(request, park, context, status=400 if invalid else 200)


@require_POST
@private
def save(request: HttpRequest, park: Park) -> HttpResponse:
    """Save the typed plan under a name (replacing the park's scenario of that name)."""
    if not policies.can_save_scenarios(request.user, park):
        raise PermissionDenied(_("U kunt de scenario's van dit terrein niet wijzigen."))
    scan = _scan_or_404(park)
    catalogue = load_catalogue()
    form = PlanForm(request.POST, catalogue=catalogue, situation=situation(scan))
    name_form = ScenarioNameForm(request.POST)
    if form.is_valid() and name_form.is_valid():
        try:
            scenario, created = scenarios.save_scenario(
                park, name_form.cleaned_data["name"], form, request.user
            )
        except scenarios.ScenarioRefused as exc:
            name_form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                (
                    _("Scenario ‘%(name)s’ opgeslagen.")
                    if created
                    else _("Scenario ‘%(name)s’ bijgewerkt.")
                )
                % {"name": scenario.name},
            )
            url = reverse("portal:costs", kwargs={"slug": park.slug})
            return redirect(f"{url}?scenario={scenario.pk}")
    logger.info(
        "scenario refused park=%s plan=%s name=%s",
        park.pk,
        sorted(form.errors),
        sorted(name_form.errors),
    )
    context = park_cost_benefit(park, scan, request.POST)
    context.update({"scan": scan, "name_form": name_form})
    return _render(request, park, context, status=400)


@require_POST
@private
def delete(request: HttpRequest, park: Park, pk: int) -> HttpResponse:
    if not policies.can_save_scenarios(request.user, park):
        raise PermissionDenied(_("U kunt de scenario's van dit terrein niet wijzigen."))
    scenario = scenarios.scenario_of(park, str(pk))
    name = scenario.name
    scenarios.delete_scenario(scenario, request.user)
    messages.success(request, _("Scenario ‘%(name)s’ verwijderd.") % {"name": name})
    return redirect("portal:costs", slug=park.slug)


@require_GET
@private
def compare(request: HttpRequest, park: Park) -> HttpResponse:
    """Two plans of the park side by side (``?a=`` and ``?b=``: ``voorstel`` or an id)."""
    scan = _scan_or_404(park)
    context = park_comparison(park, scan, request.GET.get("a"), request.GET.get("b"))
    context.update({"park": park, "scan": scan})
    return render(request, "portal/costs_compare.html", context)


def _export_plan(request: HttpRequest, park: Park) -> tuple:
    """The plan a download asks for (same query as the page), its title and before/after.

    The plan is None when the query's plan is invalid (the view answers 400).
    """
    scan = _scan_or_404(park)
    catalogue, choice = park_choice(park, scan, request.GET)
    if choice.plan is None:
        return catalogue, None, None, None
    if choice.scenario is not None:
        title = choice.scenario.name
    else:
        title = _("Plan voor %(park)s") % {"park": park.name}
    before_after = planning.before_after_rows(catalogue, situation(scan), choice.plan)
    return catalogue, choice.plan, title, before_after


def _invalid_plan() -> HttpResponse:
    return HttpResponse(
        _("Dit plan is niet geldig; pas het aan op de pagina."),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@require_GET
@private
def pdf(request: HttpRequest, park: Park) -> HttpResponse:
    """The shown plan as a Dutch (or English) PDF report with every number's source."""
    catalogue, plan, title, before_after = _export_plan(request, park)
    if plan is None:
        return _invalid_plan()
    body = plan_pdf(
        catalogue, plan, title=title, park_name=park.name, situation_before_after=before_after
    )
    return _download(body, "application/pdf", f"kosten-en-baten-{park.slug}.pdf")


@require_GET
@private
def xlsx(request: HttpRequest, park: Park) -> HttpResponse:
    """The shown plan as a spreadsheet: results, yearly flows, every parameter and source."""
    catalogue, plan, title, _before_after = _export_plan(request, park)
    if plan is None:
        return _invalid_plan()
    body = plan_xlsx(catalogue, plan, title=title, park_name=park.name)
    return _download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"kosten-en-baten-{park.slug}.xlsx",
    )


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@private
def chart(request: HttpRequest, park: Park, kind: str) -> HttpResponse:
    """One chart of the shown plan (the page's ``<img>``; same query as the page)."""
    if kind not in planning.CHART_KINDS:
        raise Http404
    scan = _scan_or_404(park)
    catalogue, choice = park_choice(park, scan, request.GET)
    svg = chart_svg(kind, catalogue, choice)
    if svg is None:
        return HttpResponse(status=400)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response
