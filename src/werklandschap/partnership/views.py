"""Pages of the sign-up: the public form, the e-mail confirmation, the review queue.

Views only translate HTTP to the services: the rules are in ``services``
(who may sign up, joining, the workflow), access in ``accounts.policies``.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from werklandschap.accounts import policies
from werklandschap.front.maps import map_config
from werklandschap.lib.geo import RD_NEW, WGS84, reproject, to_geojson_wgs84
from werklandschap.lib.http import base_url, client_address, form_error_codes
from werklandschap.registry.models import Park

from . import limits, outlines, places, services
from .forms import ApproveForm, RejectForm, SignUpForm
from .models import CONSENT_VERSION, ApplicationEvent, PartnerApplication
from .workflow import Status

logger = logging.getLogger("werklandschap.partnership")

SEARCH_LIMIT = 10
# Drawing a new park starts from this zoom level (about 12 m a pixel, 7 km across
# a 600 px map: a park of the largest size still fits). At country zoom a click
# is a kilometre and a drawn "park" was 27,000 ha.
DRAW_MIN_ZOOM = 13
SESSION_SENT = "partnership_sent"


# --------------------------------------------------------------------------- public form


def _picker_config() -> dict:
    """The picker map's JSON: the registry's map endpoints and the site's tile settings."""
    base = map_config(geojson_query=None)
    return {
        "parksUrl": reverse("registry:parks-geojson"),
        "provincesUrl": base["provincesUrl"],
        "searchUrl": reverse("partnership:park-search"),
        "placesUrl": reverse("partnership:place-search"),
        "drawMinZoom": DRAW_MIN_ZOOM,
        "minAreaHa": float(settings.PARK_MIN_AREA_HA),
        "maxAreaHa": float(settings.PARK_MAX_AREA_HA),
        "tileUrl": base["tileUrl"],
        "tileAttribution": base["tileAttribution"],
        "labels": {
            "choose": _("Kies dit terrein"),
            "chosen": _("Gekozen terrein:"),
            "change": _("Ander terrein kiezen"),
            "noResults": _(
                "Geen terreinen gevonden. Staat uw terrein niet op de kaart? "
                "Kies dan 'Nee' hierboven."
            ),
            "results": _("%(count)s terreinen gevonden"),
            "searching": _("Zoeken…"),
            "searchFailed": _("Zoeken lukt nu niet; kies het terrein op de kaart."),
            "loadFailed": _(
                "De terreinen konden niet op de kaart worden gezet; zoek het terrein op naam."
            ),
            "tilesFailed": _(
                "Achtergrondkaart niet bereikbaar; de terreinen worden zonder achtergrond getoond."
            ),
            "drawHint": _(
                "Klik op de kaart om de hoekpunten van het terrein te zetten; "
                "klik op het eerste punt om de vorm te sluiten."
            ),
            "drawn": _("Begrenzing getekend: %(area)s ha."),
            "drawing": _("Tot nu toe getekend: %(area)s ha."),
            "tooLarge": _(
                "Te groot: %(area)s ha. Een bedrijventerrein is hoogstens %(max)s ha; "
                "teken alleen het terrein zelf."
            ),
            "tooSmall": _("Te klein: %(area)s ha. Een bedrijventerrein is minstens %(min)s ha."),
            "zoomIn": _(
                "Zoom eerst verder in om te tekenen: zoek hierboven de plaats of gemeente, "
                "of zoom in met + tot op straatniveau."
            ),
            "place": _("Plaats"),
            "placeShown": _("De kaart toont nu %(name)s."),
            "placeResults": _("%(count)s plaatsen gevonden"),
            "placeNone": _("Geen plaats of gemeente met deze naam gevonden."),
            "drawStart": _("Begrenzing tekenen"),
            "drawClear": _("Tekening wissen"),
            "hectare": _("ha"),
            "municipality": _("Gemeente"),
            "role": _("Rol"),
        },
    }


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """The public sign-up form. A valid POST stores one application and mails the link."""
    if request.method == "POST":
        form = SignUpForm(request.POST, request.FILES)
        status = 200
        if form.is_valid():
            try:
                result = services.submit_application(
                    form.to_signup(),
                    idempotency_key=form.cleaned_data["nonce"],
                    base_url=base_url(request),
                    client=client_address(request),
                )
            except limits.SignUpLimited as exc:
                # Nothing stored, nothing sent; limits.reserve logged the refusal.
                form.add_error(None, str(exc))
                status = 429
            else:
                request.session[SESSION_SENT] = {
                    "park": result.application.park_name,
                    "email": result.application.contact_email,
                    # A link sent again ends at the first sign-up's deadline.
                    "deadline": services.confirm_deadline(result.application).isoformat(),
                }
                return redirect("partnership:sent")
        # No personal data in the log: only which fields failed and why (codes).
        logger.info("sign-up form refused: %s", form_error_codes(form))
    else:
        form = SignUpForm()
        status = 200
    chosen = form["park"].value()
    chosen_park = Park.objects.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
    return render(
        request,
        "partnership/signup.html",
        {
            "form": form,
            "chosen_park": chosen_park,
            "picker_config": _picker_config(),
            "area_limits": {
                "min": outlines.format_ha(float(settings.PARK_MIN_AREA_HA)),
                "max": outlines.format_ha(float(settings.PARK_MAX_AREA_HA)),
            },
            "upload_max_mb": outlines.upload_max_bytes() // 1_048_576,
            "consent_version": CONSENT_VERSION,
        },
        status=status,
    )


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    """'Controleer uw e-mail': shown after a sign-up (or the same sign-up again)."""
    info = request.session.get(SESSION_SENT)
    if not info:
        return redirect("partnership:signup")
    deadline = parse_datetime(info.get("deadline") or "")
    response = render(
        request,
        "partnership/sent.html",
        {"info": info, "days": services.confirm_days(), "deadline": deadline},
    )
    # Shows the applicant's e-mail address: never kept by a shared cache or the browser.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def park_search(request: HttpRequest) -> JsonResponse:
    """Parks by name or municipality, for the search box of the form (public data only)."""
    query = " ".join(request.GET.get("q", "").split())[:100]
    slug, pk = request.GET.get("slug", "")[:220], request.GET.get("id", "")
    if slug or pk.isdigit():
        # One park by its key: the map's click and the form's restore after an error.
        parks = Park.objects.filter(slug=slug) if slug else Park.objects.filter(pk=int(pk))
    elif len(query) < 2:
        return JsonResponse({"query": query, "results": []})
    else:
        parks = Park.objects.filter(
            Q(name__icontains=query) | Q(municipality__name__icontains=query)
        ).order_by("name")
    parks = parks.select_related("municipality", "province")[:SEARCH_LIMIT]
    results = []
    for park in parks:
        bounds = None
        if park.geometry is not None and not park.geometry.is_empty:
            x0, y0, x1, y1 = reproject(park.geometry.envelope, RD_NEW, WGS84).bounds
            bounds = [[round(y0, 6), round(x0, 6)], [round(y1, 6), round(x1, 6)]]
        results.append(
            {
                "id": park.pk,
                "name": park.name,
                "municipality": park.municipality.name if park.municipality else "",
                "province": park.province.name if park.province else "",
                "role": park.swarm_role,
                "role_label": park.get_swarm_role_display(),
                "area_ha": float(park.gross_area_ha) if park.gross_area_ha is not None else None,
                "slug": park.slug,
                "bounds": bounds,
            }
        )
    return JsonResponse({"query": query, "results": results})


@require_GET
def place_search(request: HttpRequest) -> JsonResponse:
    """Municipalities and places by name, to take the drawing map there (public data only).

    Names and bounding boxes of public boundaries only; the same for everyone, so
    shared caches may keep it for an hour.
    """
    query = " ".join(request.GET.get("q", "").split())[: places.QUERY_MAX_CHARS]
    response = JsonResponse({"query": query, "results": places.search_places(query)})
    patch_cache_control(response, public=True, max_age=3600)
    return response


# --------------------------------------------------------------------------- double opt-in


def _link_problem(request: HttpRequest, *, expired: bool) -> HttpResponse:
    return render(
        request,
        "partnership/link_invalid.html",
        {"expired": expired, "days": services.confirm_days()},
        status=410 if expired else 404,
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail. GET shows a button; only the POST confirms.

    Mail scanners open links to check them; confirming on GET would let them
    confirm sign-ups nobody confirmed.
    """
    try:
        application = services.application_for_token(token)
    except services.TokenInvalid:
        logger.warning("confirmation link invalid")
        return _link_problem(request, expired=False)
    except services.TokenExpired as exc:
        # Only a POST changes state: a GET (a mail scanner, a preview) just reads.
        # The housekeeping (expire_applications) expires it anyway.
        if (
            request.method == "POST"
            and exc.application is not None
            and exc.application.status == Status.SUBMITTED
        ):
            services.expire(exc.application)
        logger.info(
            "confirmation link expired (application %s)", getattr(exc.application, "pk", None)
        )
        return _link_problem(request, expired=True)

    if application.status == Status.EXPIRED:
        return _link_problem(request, expired=True)
    if application.status != Status.SUBMITTED:
        return render(
            request, "partnership/confirmed.html", {"application": application, "again": True}
        )
    if request.method == "POST":
        services.confirm(application, base_url=base_url(request))
        application.refresh_from_db()
        return render(request, "partnership/confirmed.html", {"application": application})
    return render(request, "partnership/confirm.html", {"application": application})


# --------------------------------------------------------------------------- review queue


def reviewer_required(view):
    """Programme team only: anonymous visitors log in first, other roles get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policies.can_review_applications(request.user):
            raise PermissionDenied(_("Alleen het programmateam beoordeelt aanmeldingen."))
        return view(request, *args, **kwargs)

    return wrapper


def _applications():
    return PartnerApplication.objects.select_related(
        "park", "park__municipality", "park__province", "joined_to", "decided_by"
    )


@require_GET
@reviewer_required
def review_list(request: HttpRequest) -> HttpResponse:
    """Confirmed sign-ups, one row per park: joined sign-ups under the first one."""
    confirmed = list(_applications().awaiting_review().order_by("confirmed_at", "id"))
    by_pk = {a.pk: a for a in confirmed}
    groups: dict[int, list[PartnerApplication]] = {}
    for application in confirmed:
        lead = application.joined_to_id if application.joined_to_id in by_pk else application.pk
        groups.setdefault(lead, []).append(application)
    rows = [
        {"lead": by_pk[lead], "joined": [a for a in members if a.pk != lead]}
        for lead, members in groups.items()
    ]
    waiting = PartnerApplication.objects.filter(status=Status.SUBMITTED).count()
    recent = (
        _applications()
        .filter(status__in=[Status.APPROVED, Status.REJECTED])
        .order_by("-decided_at")[:10]
    )
    return render(
        request,
        "partnership/review_list.html",
        {"rows": rows, "waiting": waiting, "recent": recent},
    )


def _feature(geometry, name: str, role: str, role_label: str, url: str = "") -> dict:
    point = reproject(geometry.representative_point(), RD_NEW, WGS84)
    return {
        "type": "Feature",
        "geometry": to_geojson_wgs84(geometry),
        "properties": {
            "name": name,
            "role": role,
            "role_label": role_label,
            "area_ha": round(geometry.area / 10_000, 1),
            "url": url,
            "point": [round(point.x, 6), round(point.y, 6)],
        },
    }


def _detail_context(request: HttpRequest, application: PartnerApplication, **forms) -> dict:
    group = services.group_of(application)
    group_ids = [a.pk for a in group]
    features = []
    if application.park_id and application.park.geometry is not None:
        park = application.park
        features.append(
            _feature(
                park.geometry,
                park.name,
                park.swarm_role,
                park.get_swarm_role_display(),
                park.get_absolute_url(),
            )
        )
    for member in group:
        if member.geometry is not None:
            label = _("Voorgestelde begrenzing (aanmelding #%(pk)s)") % {"pk": member.pk}
            features.append(_feature(member.geometry, label, "none", label))
    config = map_config(
        geojson_query=None,
        features={"type": "FeatureCollection", "features": features},
        markers=False,
        scrollWheelZoom=True,
    )
    earlier = []
    if application.park_id:
        earlier = list(
            _applications()
            .filter(park=application.park)
            .exclude(pk__in=group_ids)
            .order_by("-created_at")
        )
    return {
        "application": application,
        "group": group,
        "events": ApplicationEvent.objects.filter(application__in=group_ids)
        .select_related("by", "application")
        .order_by("at", "id"),
        "earlier": earlier,
        "map_config": config,
        "has_map": bool(features),
        "can_decide": application.status == Status.CONFIRMED,
        "approve_form": forms.get("approve_form") or ApproveForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
    }


@require_GET
@reviewer_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        _applications().prefetch_related(Prefetch("joined", queryset=_applications())), pk=pk
    )
    return render(request, "partnership/review_detail.html", _detail_context(request, application))


def _decide(request: HttpRequest, pk: int, *, approve: bool) -> HttpResponse:
    application = get_object_or_404(_applications(), pk=pk)
    form = (ApproveForm if approve else RejectForm)(request.POST)
    if not form.is_valid():
        key = "approve_form" if approve else "reject_form"
        context = _detail_context(request, application, **{key: form})
        return render(request, "partnership/review_detail.html", context, status=400)
    reason = form.cleaned_data["note" if approve else "reason"]
    try:
        decided = services.decide(
            application,
            approve=approve,
            by=request.user,
            reason=reason,
            base_url=base_url(request),
        )
    except services.TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("partnership:review-detail", pk=pk)
    park_name = decided[0].park_name
    if approve:
        messages.success(
            request,
            _(
                "Goedgekeurd: %(park)s is partnerterrein; de nulmeting staat in de wachtrij "
                "en %(n)s aanvrager(s) zijn gemaild."
            )
            % {"park": park_name, "n": len(decided)},
        )
    else:
        messages.success(
            request,
            _("Afgewezen: %(park)s; %(n)s aanvrager(s) hebben de reden per e-mail gekregen.")
            % {"park": park_name, "n": len(decided)},
        )
    return redirect("partnership:review-list")


@require_POST
@reviewer_required
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@require_POST
@reviewer_required
def review_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)
