"""The public measures catalogue: a filterable list and a page per measure."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.suggest import suggest

from . import browse, planning
from . import example as example_park
from .tool import chart_svg, choose, plan_page

logger = logging.getLogger("werklandschap.measures")


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    result = browse.browse(request.GET.dict())
    return render(
        request,
        "measures/list.html",
        {
            "result": result,
            "rows": [
                {
                    "measure": m,
                    "name": browse.name(m),
                    "description": browse.description(m),
                    "cost_class": browse.cost_class_label(browse.cost_class(m)),
                    "unit": browse.UNIT_LABELS[m.unit],
                    "location": browse.LOCATION_LABELS[m.location],
                }
                for m in result.measures
            ],
            "facet_labels": browse.FACET_LABELS,
            "meta": browse.catalogue_meta(),
        },
    )


@require_GET
def detail(request: HttpRequest, key: str) -> HttpResponse:
    measure = load_catalogue().measures.get(key)
    if measure is None:
        raise Http404
    return render(
        request,
        "measures/detail.html",
        {
            "measure": measure,
            "name": browse.name(measure),
            "description": browse.description(measure),
            "rows": browse.measure_rows(measure),
            "meta": browse.catalogue_meta(),
        },
    )


@require_GET
def example(request: HttpRequest) -> HttpResponse:
    """The plan tool on a made-up park, for anyone: suggest, change, compute; never save."""
    catalogue = load_catalogue()
    where = example_park.situation()
    suggestion = suggest(catalogue, where, example_park.targets())
    choice = choose(catalogue, where, suggestion, None, request.GET)
    base = reverse("measures:example-chart", kwargs={"kind": "x"})[: -len("x.svg")]
    context = plan_page(catalogue, where, suggestion, choice, base)
    context.update(
        {
            "example_name": example_park.name(),
            "example_situation": where,
            "tool_url": reverse("measures:example"),
            "can_save": False,
        }
    )
    invalid = choice.plan is None
    if invalid:
        logger.info("example plan refused fields=%s", sorted(choice.form.errors))
    return render(request, "measures/example.html", context, status=400 if invalid else 200)


@require_GET
def example_chart(request: HttpRequest, kind: str) -> HttpResponse:
    """One chart of the example park's shown plan."""
    if kind not in planning.CHART_KINDS:
        raise Http404
    catalogue = load_catalogue()
    where = example_park.situation()
    suggestion = suggest(catalogue, where, example_park.targets())
    svg = chart_svg(kind, catalogue, choose(catalogue, where, suggestion, None, request.GET))
    if svg is None:
        return HttpResponse(status=400)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response
