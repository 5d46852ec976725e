"""Public pages of the park registry: list, map data, CSV, park page and its status changes.

Who may change what is decided by ``accounts.policies``; a change goes
through ``services.change_park_status`` so history is always written.
"""

from __future__ import annotations

import csv
import hashlib
import json

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.functions import Length
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from werklandschap.accounts import policies
from werklandschap.front.maps import map_config
from werklandschap.lib.geo import RD_NEW, WGS84, reproject, to_geojson_wgs84
from werklandschap.lib.spreadsheet import formula_safe

from .choices import SWARM_MEMBER_ROLES, SwarmRole
from .filters import filtered_parks
from .forms import PhaseChangeForm, RoleChangeForm, StatusChangeForm, as_seen
from .models import Park, Province
from .services import change_park_status
from .sorting import sort_headers, sort_parks, sort_value

PARKS_PER_PAGE = 50
# Map data may be a few minutes old; the ETag makes a revalidation cheap.
MAP_DATA_MAX_AGE = 300
PROVINCE_SIMPLIFY_M = 200.0


def _parks():
    return Park.objects.select_related("municipality", "province", "region", "region__director")


# --- park list ----------------------------------------------------------------------


@require_GET
def park_list(request):
    form, parks = filtered_parks(request.GET, _parks())
    sort = request.GET.get("sort")
    page = Paginator(sort_parks(parks, sort), PARKS_PER_PAGE).get_page(request.GET.get("page"))
    role_counts = dict(parks.order_by().values_list("swarm_role").annotate(n=Count("id")))
    query = request.GET.copy()
    query.pop("page", None)
    filters = query.copy()
    filters.pop("sort", None)
    return render(
        request,
        "registry/park_list.html",
        {
            "form": form,
            "page": page,
            "total": page.paginator.count,
            "in_swarm": sum(role_counts.get(r, 0) for r in SWARM_MEMBER_ROLES),
            "role_counts": [
                (value, label, role_counts.get(value, 0)) for value, label in SwarmRole.choices
            ],
            "query": query.urlencode(),
            "sort": sort_value(sort) if sort else "",  # kept by the filter form
            "headers": sort_headers(sort, filters.urlencode()),
            "map_config": map_config(geojson_query=filters.urlencode()),
        },
    )


# --- map data -------------------------------------------------------------------------

PUBLIC_PROPERTIES = (
    "name",
    "url",
    "role",
    "role_label",
    "park_type",
    "park_type_label",
    "phase",
    "municipality",
    "province",
    "region",
    "area_ha",
    "is_demo",
    "point",
)


def park_feature(park: Park) -> dict:
    """A park as a GeoJSON feature in WGS84 with only its public fields."""
    point = reproject(park.geometry.representative_point(), RD_NEW, WGS84)
    return {
        "type": "Feature",
        "id": park.slug,
        "geometry": to_geojson_wgs84(park.geometry),
        "properties": {
            "name": park.name,
            "url": park.get_absolute_url(),
            "role": park.swarm_role,
            "role_label": park.get_swarm_role_display(),
            "park_type": park.park_type,
            "park_type_label": park.get_park_type_display(),
            "phase": park.phase,
            "municipality": park.municipality.name if park.municipality else "",
            "province": park.province.name if park.province else "",
            "region": park.region.name if park.region else "",
            "area_ha": float(park.gross_area_ha) if park.gross_area_ha is not None else None,
            "is_demo": park.is_demo,
            "point": [round(point.x, 6), round(point.y, 6)],
        },
    }


def _etag(*parts) -> str:
    return '"' + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32] + '"'


def _cached_json(request, etag: str, build) -> HttpResponse:
    """A JSON response that clients and proxies may cache and revalidate by ETag."""
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        body = cache.get_or_set("werklandschap:geojson:" + etag.strip('"'), build, 3600)
        response = HttpResponse(body, content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAP_DATA_MAX_AGE}"
    return response


@require_GET
def parks_geojson(request):
    """The parks of the (filtered) registry as a GeoJSON FeatureCollection in WGS84."""
    _form, parks = filtered_parks(request.GET, _parks())
    parks = parks.exclude(geometry=None)
    state = parks.order_by().aggregate(n=Count("id"), changed=Max("updated_at"))
    etag = _etag("parks", get_language(), request.GET.urlencode(), state["n"], state["changed"])

    def build() -> str:
        features = [park_feature(p) for p in parks.order_by("name").iterator(chunk_size=500)]
        return json.dumps({"type": "FeatureCollection", "features": features})

    return _cached_json(request, etag, build)


@require_GET
def provinces_geojson(request):
    """Province outlines, simplified ~200 m, for a readable map when no tiles load."""
    provinces = Province.objects.exclude(geometry=None).order_by("code")
    # Province has no timestamp; the bounding box and WKB size change with the outline.
    state = list(
        provinces.annotate(size=Length("geometry")).values_list(
            "code", "minx", "miny", "maxx", "maxy", "size"
        )
    )
    etag = _etag("provinces", state)

    def build() -> str:
        features = [
            {
                "type": "Feature",
                "id": p.code,
                "geometry": to_geojson_wgs84(
                    p.geometry, tolerance_m=PROVINCE_SIMPLIFY_M, precision=4
                ),
                "properties": {"name": p.name},
            }
            for p in provinces
        ]
        return json.dumps({"type": "FeatureCollection", "features": features})

    return _cached_json(request, etag, build)


# --- CSV ------------------------------------------------------------------------------

# A cell that a spreadsheet will not evaluate as a formula (CSV injection); the same
# rule as the portal's CSV and XLSX downloads.
_csv_cell = formula_safe


@require_GET
def park_list_csv(request):
    """The filtered list as CSV (semicolon-separated, UTF-8 with BOM, opens in Excel)."""
    _form, parks = filtered_parks(request.GET, _parks().prefetch_related("identifiers"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bedrijventerreinen.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("naam"),
            _("gemeente"),
            _("provincie"),
            _("regio"),
            _("regisseur"),
            _("type terrein"),
            _("rol in de zwerm"),
            _("procesfase"),
            _("organisatiegraad"),
            _("bruto oppervlakte (ha)"),
            _("externe kenmerken"),
            _("demodata"),
            # The park's page on this platform, not a postal address (was "adres").
            _("terreinpagina (URL)"),
        ]
    )
    base = request.build_absolute_uri("/")[:-1]
    for park in sort_parks(parks, request.GET.get("sort")):
        writer.writerow(
            _csv_cell(v)
            for v in (
                park.name,
                park.municipality or "",
                park.province or "",
                park.region or "",
                park.region.director if park.region and park.region.director else "",
                park.get_park_type_display(),
                park.get_swarm_role_display(),
                park.get_phase_display() if park.phase is not None else "",
                park.get_organisation_degree_display(),
                str(park.gross_area_ha).replace(".", ",") if park.gross_area_ha is not None else "",
                ", ".join(str(i) for i in park.identifiers.all()),
                _("ja") if park.is_demo else _("nee"),
                base + park.get_absolute_url(),
            )
        )
    return response


# --- park page ------------------------------------------------------------------------


def _detail_context(request, park: Park, **bound_forms: StatusChangeForm) -> dict:
    user = request.user
    can_phase = policies.can_change_phase(user, park)
    can_role = policies.can_change_role(user, park)
    admin_url = None
    if policies.can_edit_in_admin(user, park):
        try:
            admin_url = reverse("admin:registry_park_change", args=[park.pk])
        except NoReverseMatch:  # the admin is not installed in this deployment
            admin_url = None
    history = None
    if policies.can_view_history(user, park):
        history = park.history.select_related("changed_by")
    has_outline = park.geometry is not None and not park.geometry.is_empty
    feature = park_feature(park) if has_outline else None
    return {
        "park": park,
        "identifiers": park.identifiers.all(),
        "can_change_phase": can_phase,
        "can_change_role": can_role,
        "admin_url": admin_url,
        "phase_form": bound_forms.get("phase")
        or (PhaseChangeForm.for_park(park) if can_phase else None),
        "role_form": (
            bound_forms.get("swarm_role") or (RoleChangeForm.for_park(park) if can_role else None)
        ),
        "history": history,
        "map_config": map_config(
            geojson_query=None,
            markers=False,
            maxZoom=16,
            features={"type": "FeatureCollection", "features": [feature] if feature else []},
        ),
    }


@require_GET
def park_detail(request, slug):
    park = get_object_or_404(_parks(), slug=slug)
    return render(request, "registry/park_detail.html", _detail_context(request, park))


def _change_status(request, slug: str, form_class: type[StatusChangeForm], allowed) -> HttpResponse:
    park = get_object_or_404(_parks(), slug=slug)
    if not allowed(request.user, park):
        raise PermissionDenied(_("U mag dit terrein niet wijzigen."))
    field = form_class.field_name
    form = form_class.from_post(request.POST)
    if not form.is_valid():
        context = _detail_context(request, park, **{field: form})
        return render(request, "registry/park_detail.html", context, status=400)

    with transaction.atomic():
        # Lock the row, then compare with what the user saw: a change made by
        # someone else since the page was loaded must not be overwritten.
        current = Park.objects.select_for_update().values_list(field, flat=True).get(pk=park.pk)
        conflict = as_seen(current) != form.cleaned_data["seen"]
        written = []
        if not conflict:
            written = change_park_status(
                park, by=request.user, note=form.cleaned_data["note"], **{field: form.new_value}
            )

    if conflict:
        park.refresh_from_db()
        shown = getattr(park, f"get_{field}_display")() if current is not None else _("geen")
        form.add_error(
            None,
            _(
                "Iemand anders heeft dit intussen gewijzigd; de waarde is nu ‘%(value)s’. "
                "Uw wijziging is niet opgeslagen. Controleer de nieuwe waarde en probeer "
                "het zo nodig opnieuw."
            )
            % {"value": shown},
        )
        fresh = form_class.for_park(park)
        form.data = form.data.copy()
        form.data[f"{form.prefix}-seen"] = fresh.initial["seen"]
        context = _detail_context(request, park, **{field: form})
        return render(request, "registry/park_detail.html", context, status=409)

    if written:
        label = Park._meta.get_field(field).verbose_name
        messages.success(
            request,
            _("Opgeslagen: %(field)s is nu ‘%(value)s’.")
            % {"field": label, "value": written[0].new_value},
        )
    else:
        messages.info(request, _("Niets gewijzigd: dat was al de huidige waarde."))
    return redirect(park.get_absolute_url())


@require_POST
def park_change_phase(request, slug):
    return _change_status(request, slug, PhaseChangeForm, policies.can_change_phase)


@require_POST
def park_change_role(request, slug):
    return _change_status(request, slug, RoleChangeForm, policies.can_change_role)
