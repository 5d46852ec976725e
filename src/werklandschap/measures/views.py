"""The public measures catalogue: a filterable list and a page per measure."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from werklandschap.costbenefit.catalog import load_catalogue

from . import browse


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
