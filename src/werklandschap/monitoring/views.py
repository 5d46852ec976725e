"""Health endpoint and the monitoring dashboards (issue 21).

Views are thin: who may see a dashboard is asked of ``accounts.policies``, the
figures come from ``figures.dashboard`` (cached by a fingerprint of their data),
charts and CSV from ``datasets``, the map data from ``maps``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from werklandschap.accounts import policies
from werklandschap.registry.models import Province, Region

from . import datasets, maps
from .figures import SCAN_INDICATORS, Scope, current_fingerprint, dashboard
from .links import dashboards_for


def health(request):
    """Liveness and database check for load balancers and the operator."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


# --- scopes and access ---------------------------------------------------------------


def _province(user, slug: str) -> Province:
    """The province named by ``slug`` (its name, slugified), if the user may see its dashboard."""
    # Outlines deferred: the dashboard never draws the province itself, and twelve
    # outlines would be most of a cached visit's cost.
    provinces = Province.objects.defer("geometry").order_by("name")
    found = next((p for p in provinces if slugify(p.name) == slug), None)
    if found is None:
        raise Http404
    if not policies.can_view_province_dashboard(user, found):
        raise PermissionDenied
    return found


def _region(user, slug: str) -> Region:
    region = get_object_or_404(Region, slug=slug)
    if not policies.can_view_region_dashboard(user, region):
        raise PermissionDenied
    return region


def _scope(request, kind: str, slug: str | None) -> Scope:
    if kind == "programme":
        if not policies.can_view_programme_dashboard(request.user):
            raise PermissionDenied
        return Scope.programme()
    if kind == "province":
        return Scope("province", province=_province(request.user, slug or ""))
    return Scope("region", region=_region(request.user, slug or ""))


# --- pages ---------------------------------------------------------------------------


@require_GET
@login_required
def index(request):
    """The dashboards the user may open: the team all, a province its own, a director theirs."""
    links = dashboards_for(request.user)
    if not links:
        raise PermissionDenied
    return render(
        request,
        "monitoring/index.html",
        {
            "programme": [link for link in links if link.kind == "programme"],
            "provinces": [link for link in links if link.kind == "province"],
            "regions": [link for link in links if link.kind == "region"],
        },
    )


def _links(kind: str, slug: str | None, *, has_scans: bool) -> dict[str, dict[str, str]]:
    """Chart and CSV URLs of every figure, keyed with underscores for the template."""
    kwargs = {} if kind == "programme" else {kind: slug}
    links = {}
    for figure, (_label, _build, area_only) in datasets.FIGURES.items():
        if area_only and not has_scans:
            continue
        links[figure.replace("-", "_")] = {
            "chart": reverse(f"monitoring:{kind}-chart", kwargs={**kwargs, "figure": figure}),
            "csv": reverse(f"monitoring:{kind}-csv", kwargs={**kwargs, "figure": figure}),
        }
    return links


def _page(request, kind: str, slug: str | None = None):
    scope = _scope(request, kind, slug)
    # The body is cached under the data's fingerprint: while it is, the figures are
    # never loaded (``d`` is only read when the body has to be rendered again).
    state = current_fingerprint(scope) if settings.MONITORING_CACHE_SECONDS > 0 else ""
    figures = SimpleLazyObject(lambda: dashboard(scope, state))
    indicator = request.GET.get("indicator")
    if indicator not in SCAN_INDICATORS:
        indicator = SCAN_INDICATORS[0]
    context = {
        "scope": scope,
        "kind": kind,
        "slug": slug,
        "d": figures,
        "fingerprint": state,
        "links": SimpleLazyObject(lambda: _links(kind, slug, has_scans=figures.scans is not None)),
        "indicator": indicator,
        "indicator_choices": maps.indicator_choices(),
        # The rendered body is cached with the figures, never when they are not.
        "cache_seconds": settings.MONITORING_CACHE_SECONDS if state else 0,
    }
    if kind != "programme":
        context["map_config"] = maps.map_config(kind, slug, indicator)
    return render(request, "monitoring/dashboard.html", context)


@require_GET
@login_required
def programme(request):
    return _page(request, "programme")


@require_GET
@login_required
def province(request, province: str):
    return _page(request, "province", province)


@require_GET
@login_required
def region(request, region: str):
    return _page(request, "region", region)


# --- charts, CSV and map data --------------------------------------------------------


def _dataset(request, kind: str, slug: str | None, figure: str) -> datasets.Dataset:
    scope = _scope(request, kind, slug)
    data = datasets.dataset(dashboard(scope), figure)
    if data is None:
        raise Http404
    return data


def _chart(request, kind: str, slug: str | None, figure: str) -> HttpResponse:
    data = _dataset(request, kind, slug, figure)
    if data.chart is None:
        raise Http404
    phone = request.GET.get("v") == "telefoon"
    response = HttpResponse(data.chart(phone), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _csv(request, kind: str, slug: str | None, figure: str) -> HttpResponse:
    data = _dataset(request, kind, slug, figure)
    name = "-".join(filter(None, ["monitor", kind, slug, figure, timezone.localdate().isoformat()]))
    response = HttpResponse(datasets.to_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def programme_chart(request, figure: str):
    return _chart(request, "programme", None, figure)


@require_GET
@login_required
def programme_csv(request, figure: str):
    return _csv(request, "programme", None, figure)


@require_GET
@login_required
def province_chart(request, province: str, figure: str):
    return _chart(request, "province", province, figure)


@require_GET
@login_required
def province_csv(request, province: str, figure: str):
    return _csv(request, "province", province, figure)


@require_GET
@login_required
def region_chart(request, region: str, figure: str):
    return _chart(request, "region", region, figure)


@require_GET
@login_required
def region_csv(request, region: str, figure: str):
    return _csv(request, "region", region, figure)


def _map(request, kind: str, slug: str):
    scope = _scope(request, kind, slug)
    indicator = request.GET.get("indicator")
    if indicator not in SCAN_INDICATORS:
        raise Http404
    body = maps.geojson(scope, indicator)
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@login_required
def province_map(request, province: str):
    return _map(request, "province", province)


@require_GET
@login_required
def region_map(request, region: str):
    return _map(request, "region", region)
