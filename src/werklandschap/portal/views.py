"""Pages and files of the park portal.

Who sees what is decided by ``accounts.policies``:

- the dashboard URL shows the full dashboard to those who may see the park's
  private data (``can_view_park_private``) and the public summary to everyone
  else, so a link shared with a colleague never leaks ambitions;
- every other endpoint (map layers, report, downloads, status) is private:
  anonymous visitors are sent to the login page, other users get 403;
- changes (ambitions, subscriptions) are POST only and checked again on the server.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from werklandschap.accounts import policies
from werklandschap.accounts.models import ParkContact
from werklandschap.lib.geo import to_geojson_wgs84
from werklandschap.registry.models import Park
from werklandschap.scans.models import ParkScan
from werklandschap.scans.services import latest_scan

from . import charts, exports, layers, report_jobs
from . import presentation as fmt
from .ambitions import ambition_history, set_ambitions
from .comparison import ComparisonItem
from .forms import AmbitionForm, SubscriptionForm
from .indicator_views import headline
from .models import ReportJob
from .park_overview import park_overview
from .partner_offer import set_subscription, subscription_for
from .scan_state import scan_state
from .summary import park_summary

logger = logging.getLogger("werklandschap.portal")

# A chart's key is a digest of what it shows, so a drawing never goes stale and
# may be kept long; the shared file cache (settings.CACHES) serves every worker.
# Drawing the dashboard's ~14 charts takes seconds (issue 16, bench/dashboard_bench.py).
CHART_CACHE_S = 30 * 24 * 3600
# The report's status page reloads itself this often while the worker renders.
REPORT_REFRESH_S = 3


def _park(slug: str) -> Park:
    return get_object_or_404(
        Park.objects.select_related("municipality", "province", "region", "region__director"),
        slug=slug,
    )


def private(view: Callable) -> Callable:
    """The park's private data: log in first; without the right, 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs):
        park = _park(slug)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policies.can_view_park_private(request.user, park):
            raise PermissionDenied(_("U hebt geen toegang tot de gegevens van dit terrein."))
        return view(request, park, *args, **kwargs)

    return wrapper


def _scan_or_404(park: Park) -> ParkScan:
    scan = latest_scan(park)
    if scan is None:
        raise Http404(_("Dit terrein heeft nog geen nulmeting."))
    return scan


@lru_cache(maxsize=1)
def chart_code_version() -> str:
    """A digest of the chart-drawing code (portal/charts.py and its verdict bands).

    Part of every chart's cache key: the shared cache keeps drawings for 30 days,
    so a release that draws charts differently must not be served old drawings.
    """
    from . import verdicts

    h = hashlib.sha256()
    for module in (charts, verdicts):
        h.update(Path(module.__file__).read_bytes())
    return h.hexdigest()[:12]


def cached_chart(name: str, payload: object, build: Callable[[], str]) -> str:
    """A chart's SVG from the cache, keyed by what it shows: identical data, one drawing.

    The language is part of the key (theme and group labels are drawn translated),
    and so is the version of the drawing code (``chart_code_version``).
    """
    digest = hashlib.sha256(repr(payload).encode()).hexdigest()[:32]
    key = f"portal:chart:{chart_code_version()}:{name}:{get_language()}:{digest}"
    return cache.get_or_set(key, build, CHART_CACHE_S)


def _scores_chart(scan: ParkScan) -> str:
    scores = dict(scan.scores or {})
    return charts.data_uri(
        cached_chart("scores", sorted(scores.items()), lambda: charts.theme_scores_svg(scores))
    )


# --------------------------------------------------------------------------- contexts


def public_context(park: Park, scan: ParkScan | None) -> dict:
    """What anyone may see: theme scores and a few headline indicators. No ambitions."""
    return {
        "park": park,
        "scan": scan,
        "run": scan.run if scan else None,
        "headline": headline(scan) if scan else [],
        "scores": [
            {
                "theme": t,
                "label": fmt.theme_label(t),
                "score": (scan.scores or {}).get(t),
                "band": fmt.score_band((scan.scores or {}).get(t)),
            }
            for t in fmt.themes()
        ]
        if scan
        else [],
        "scores_chart": _scores_chart(scan) if scan else None,
    }


def _map_config(request: HttpRequest, park: Park, scan: ParkScan | None) -> dict:
    overlays = []
    if scan is not None and park.geometry is not None:
        for role, res in layers.raster_roles(scan).items():
            grid = layers.overlay_grid(park.geometry, res)
            overlays.append(
                {
                    "role": role,
                    "label": str(layers.RASTER_LABELS[role]),
                    "url": reverse("portal:overlay", kwargs={"slug": park.slug, "role": role})
                    + f"?scan={scan.pk}",
                    "bounds": [list(grid.bounds_latlng[0]), list(grid.bounds_latlng[1])],
                    "legend": layers.legend(role),
                }
            )
    return {
        "outline": to_geojson_wgs84(park.geometry, tolerance_m=0, precision=7)
        if park.geometry is not None
        else None,
        "landcoverUrl": (
            reverse("portal:landcover", kwargs={"slug": park.slug}) + f"?scan={scan.pk}"
            if scan
            else None
        ),
        "landcoverLegend": layers.landcover_legend(),
        "overlays": overlays,
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "labels": {
            "landcover": _("Landgebruik (BGT)"),
            "outline": _("Terreingrens"),
            "loadFailed": _("De kaartlaag kon niet worden geladen."),
            "tilesFailed": _(
                "Achtergrondkaart niet bereikbaar; de lagen worden zonder achtergrond getoond."
            ),
            "area": _("oppervlakte"),
        },
    }


def comparison_context(items: list[ComparisonItem]) -> dict:
    """Charts for the figures this park has; the others are named, not drawn empty."""
    out = []
    for item in items:
        if item.value is None:
            continue
        svg = cached_chart(
            "cmp",
            (item.key, item.value, [(g.label, g.values) for g in item.groups]),
            lambda item=item: charts.comparison_svg(item),
        )
        out.append({"item": item, "chart": charts.data_uri(svg)})
    country = items[0].groups[-1].parks_in_group if items else 0
    return {
        "items": out,
        # theme scores are shown; the headline figures are folded (issue 16: page length)
        "score_items": [e for e in out if e["item"].key.startswith("score:")],
        "indicator_items": [e for e in out if not e["item"].key.startswith("score:")],
        "missing": [item.label for item in items if item.value is None],
        "parks_scanned": country,
    }


def history_context(scans: list[ParkScan], table: dict, targets: dict) -> dict:
    """The history table (``history.history_table``) with a chart per row from two scans on."""
    chart_rows = []
    if len(scans) >= 2:
        dates = [s.computed_at for s in scans]
        for row in table["rows"]:
            target = targets.get(row["key"])
            svg = cached_chart(
                "hist",
                (row["key"], [d.isoformat() for d in dates], row["values"], target),
                lambda row=row, target=target: charts.history_svg(
                    dates, row["values"], row["unit"], target
                ),
            )
            chart_rows.append({"row": row, "chart": charts.data_uri(svg)})
    return {"table": table, "charts": chart_rows, "count": len(scans)}


def dashboard_context(request: HttpRequest, park: Park, *, ambition_form=None) -> dict:
    """The shared park overview (``park_overview``) plus what only the web page has.

    The page's own parts: the ambition and subscription forms, the map's
    configuration with its layer URLs, the scan's queue state, the cached charts
    at screen size, and the summary at the top of the page.
    """
    scan = latest_scan(park)
    context = public_context(park, scan)
    context.update(park_overview(park, scan))
    user = request.user
    contact = (
        ParkContact.objects.filter(user=user, park=park).first() if user.is_authenticated else None
    )
    rows = context["ambitions"]
    can_set = policies.can_set_ambitions(user, park)
    if ambition_form is None and can_set:
        ambition_form = AmbitionForm(
            initial_targets={r["key"]: "" if r["is_default"] else r["target_input"] for r in rows}
        )
    subscription = subscription_for(contact) if contact else None
    targets = {r["key"]: r["target"] for r in rows}
    context.update(
        {
            "private": True,
            "state": scan_state(park, scan),
            "map_config": _map_config(request, park, scan),
            "comparison": comparison_context(context["comparison_items"]) if scan else None,
            "ambitions_chart": charts.data_uri(
                cached_chart(
                    "amb",
                    [(r["key"], r["current"], r["target"], r["met"]) for r in rows],
                    lambda: charts.ambitions_svg(rows),
                )
            )
            if scan
            else None,
            "ambition_form": ambition_form,
            "ambition_fields": [(row, ambition_form[f"target_{row['key']}"]) for row in rows]
            if ambition_form is not None
            else [],
            "can_set_ambitions": can_set,
            "ambition_history": ambition_history(park),
            "history": history_context(context["scans"], context["history_table"], targets),
            "contact": contact,
            "subscription": subscription,
            "subscription_form": SubscriptionForm(
                initial={"newsletter": subscription.newsletter, "webinar": subscription.webinar}
            )
            if subscription
            else None,
            "question_url": question_url(park),
            "summary": park_summary(scan, context["themes"], rows, context["comparison_items"])
            if scan
            else None,
        }
    )
    return context


# --------------------------------------------------------------------------- pages


@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    park = _park(slug)
    if not policies.can_view_park_private(request.user, park):
        context = public_context(park, latest_scan(park))
        context["private"] = False
        return render(request, "portal/public.html", context)
    return render(request, "portal/dashboard.html", dashboard_context(request, park))


@require_POST
def ambitions(request: HttpRequest, slug: str) -> HttpResponse:
    park = _park(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("portal:dashboard", kwargs={"slug": park.slug}))
    if not policies.can_set_ambitions(request.user, park):
        raise PermissionDenied(
            _("Alleen de contactpersonen van het terrein stellen ambities vast.")
        )
    form = AmbitionForm(request.POST)
    if not form.is_valid():
        # No flash message at the top of the page: the form's own error summary
        # (dashboard.html, #ambitie-formulier) says it where the user is.
        context = dashboard_context(request, park, ambition_form=form)
        return render(request, "portal/dashboard.html", context, status=400)
    written = set_ambitions(park, form.cleaned_data["targets"], by=request.user)
    if written:
        messages.success(
            request,
            _("Ambities opgeslagen: %(n)s gewijzigd. De duurzaamheidsstap is bijgewerkt.")
            % {"n": len(written)},
        )
    else:
        messages.info(request, _("Niets gewijzigd: dit waren al de ambities van het terrein."))
    return redirect(reverse("portal:dashboard", kwargs={"slug": park.slug}) + "#ambities")


@require_POST
def subscription(request: HttpRequest, slug: str) -> HttpResponse:
    park = _park(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("portal:dashboard", kwargs={"slug": park.slug}))
    if not policies.can_manage_subscription(request.user, park):
        raise PermissionDenied(
            _("Alleen contactpersonen van dit terrein kunnen zich hier aanmelden.")
        )
    contact = get_object_or_404(ParkContact, user=request.user, park=park)
    form = SubscriptionForm(request.POST)
    form.is_valid()  # two optional check boxes: always valid
    set_subscription(
        contact,
        newsletter=bool(form.cleaned_data.get("newsletter")),
        webinar=bool(form.cleaned_data.get("webinar")),
    )
    messages.success(request, _("Uw keuze voor nieuwsbrief en webinar is opgeslagen."))
    return redirect(reverse("portal:dashboard", kwargs={"slug": park.slug}) + "#partner")


@require_GET
def question(request: HttpRequest, slug: str) -> HttpResponse:
    """The old "ask a question" address: now the support desk's form for this park."""
    park = _park(slug)
    return redirect(question_url(park))


def question_url(park: Park) -> str:
    """The support desk's question form, prefilled for ``park``."""
    return reverse("support:ask") + "?" + urlencode({"park": park.slug})


# --------------------------------------------------------------------------- data


@private
def status(request: HttpRequest, park: Park) -> JsonResponse:
    """Whether the park's scan is still queued; the dashboard polls it while waiting."""
    scan = latest_scan(park)
    state = scan_state(park, scan)
    return JsonResponse(
        {
            "pending": state["pending"],
            "scan": scan.pk if scan else None,
            "failed": bool(state["failed"]),
        }
    )


def _layer_error(exc: layers.LayerUnavailable) -> JsonResponse:
    return JsonResponse({"error": str(exc)}, status=404)


@require_GET
@private
def landcover(request: HttpRequest, park: Park) -> HttpResponse:
    scan = _scan_or_404(park)
    try:
        body = layers.cached_landcover_geojson(park, scan)
    except layers.LayerUnavailable as exc:
        return _layer_error(exc)
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@private
def overlay(request: HttpRequest, park: Park, role: str) -> HttpResponse:
    if role not in layers.RASTER_LABELS:
        raise Http404(_("Onbekende kaartlaag."))
    scan = _scan_or_404(park)
    try:
        png = layers.cached_overlay_png(park, scan, role)
    except layers.LayerUnavailable as exc:
        return _layer_error(exc)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _download(body: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@private
def report_pdf(request: HttpRequest, park: Park) -> HttpResponse:
    """The finished report of the latest scan; otherwise queue it and show its progress.

    Never renders: that takes longer than a request may (report_jobs.py).
    """
    scan = _scan_or_404(park)
    job = report_jobs.request_report(park, scan, get_language(), by=request.user)
    path = report_jobs.report_file(job)
    if path is None:
        return redirect("portal:report-status", slug=park.slug)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=exports.filename(park, "pdf"),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@private
def report_status(request: HttpRequest, park: Park) -> HttpResponse:
    """Progress of the report; reloads itself (meta refresh, no script) until it is done.

    POST asks again after a failure.
    """
    scan = _scan_or_404(park)
    job = report_jobs.request_report(park, scan, get_language(), by=request.user)
    if request.method == "POST":
        if job.status == ReportJob.Status.FAILED:
            report_jobs.retry(job)
        return redirect("portal:report-status", slug=park.slug)
    ready = report_jobs.report_file(job) is not None
    response = render(
        request,
        "portal/report_status.html",
        {
            "park": park,
            "scan": scan,
            "job": job,
            "ready": ready,
            "failed": job.status == ReportJob.Status.FAILED,
            "position": report_jobs.queue_position(job),
            "refresh_s": REPORT_REFRESH_S,
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@private
def indicators_csv(request: HttpRequest, park: Park) -> HttpResponse:
    scan = _scan_or_404(park)
    return _download(
        exports.indicators_csv(park, scan), "text/csv; charset=utf-8", exports.filename(park, "csv")
    )


@require_GET
@private
def indicators_xlsx(request: HttpRequest, park: Park) -> HttpResponse:
    scan = _scan_or_404(park)
    return _download(
        exports.indicators_xlsx(park, scan),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.filename(park, "xlsx"),
    )


def _geo_parts(park: Park):
    if park.geometry is None:
        raise Http404(_("Van dit terrein is geen begrenzing bekend."))
    scan = latest_scan(park)
    extract = None
    if scan is not None:
        try:
            extract = layers.landcover(park, scan)
        except layers.LayerUnavailable:
            logger.warning("land cover of park %s unavailable for download", park.pk)
    return scan, extract


@require_GET
@private
def geo_json(request: HttpRequest, park: Park) -> HttpResponse:
    scan, extract = _geo_parts(park)
    body = json.dumps(exports.geojson(park, scan, extract), ensure_ascii=False)
    return _download(body, "application/geo+json", exports.filename(park, "geojson"))


@require_GET
@private
def geo_package(request: HttpRequest, park: Park) -> HttpResponse:
    scan, extract = _geo_parts(park)
    return _download(
        exports.geopackage(park, scan, extract),
        "application/geopackage+sqlite3",
        exports.filename(park, "gpkg"),
    )
