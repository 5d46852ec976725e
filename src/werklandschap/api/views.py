"""The endpoints of /api/v1/. Thin: data from ``services.py``, rules from the apps' policies."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from werklandschap.accounts import policies
from werklandschap.community.models import EventKind
from werklandschap.registry.choices import ParkType, ProcessPhase, SwarmRole
from werklandschap.registry.models import Park, Province, Region
from werklandschap.scans.services import latest_scan
from werklandschap.support.services import visible_questions

from . import opendata, services
from . import serializers as s
from .base import Pagination, PrivateApiView, PublicApiView, remembered


def on_get(**schema):
    """``extend_schema`` on the view's GET (on a class it would name every method)."""

    def decorate(cls):
        cls.get = extend_schema(**schema)(cls.get)
        return cls

    return decorate


SLUG = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="korte naam")


class ParkFilter(serializers.Serializer):
    """The park list's filters; an unknown value is a 400, never silently ignored."""

    province = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Province.objects.all(),
        required=False,
        help_text="CBS-code van de provincie, bijv. PV24",
    )
    region = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Region.objects.all(),
        required=False,
        help_text="korte naam van de regio",
    )
    role = serializers.ChoiceField(choices=SwarmRole.values, required=False)
    phase = serializers.ChoiceField(choices=ProcessPhase.values, required=False)
    parkType = serializers.ChoiceField(choices=ParkType.values, required=False)
    page = serializers.IntegerField(min_value=1, required=False)
    pageSize = serializers.IntegerField(
        min_value=1, max_value=Pagination.max_page_size, required=False
    )


# The park list's query parameters (read from the class: no serializer built per request).
PARK_FILTERS = frozenset(ParkFilter._declared_fields)


@on_get(
    operation_id="listParks",
    summary="Bedrijventerreinen (openbare velden, geometrie als GeoJSON in WGS84)",
    parameters=[ParkFilter],
    responses=s.ParkPageSerializer,
    tags=["terreinen"],
)
class ParkList(PublicApiView):
    def get(self, request):
        query = ParkFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        # A page reprojects fifty outlines: remembered, as the JSON sent, until a park changes.
        body = remembered(
            request,
            "api:parks",
            services.parks_state,
            lambda: JSONRenderer().render(self._page(request, query)),
            parameters=PARK_FILTERS,
        )
        return HttpResponse(body, content_type=JSONRenderer.media_type)

    def _page(self, request, query: ParkFilter) -> dict:
        f = query.validated_data
        parks = services.public_parks()
        if "province" in f:
            parks = parks.filter(province=f["province"])
        if "region" in f:
            parks = parks.filter(region=f["region"])
        if "role" in f:
            parks = parks.filter(swarm_role=f["role"])
        if "phase" in f:
            parks = parks.filter(phase=f["phase"])
        if "parkType" in f:
            parks = parks.filter(park_type=f["parkType"])
        paginator = Pagination()
        page = paginator.paginate_queryset(parks, request, view=self)
        return paginator.get_paginated_response([services.park_data(p) for p in page]).data


def _park(slug: str) -> Park:
    park = services.public_parks().filter(slug=slug).first()
    if park is None:
        raise NotFound(_("Geen bedrijventerrein met deze korte naam."))
    return park


@on_get(
    operation_id="getPark",
    summary="Eén bedrijventerrein",
    parameters=[SLUG],
    responses=s.ParkSerializer,
    tags=["terreinen"],
)
class ParkDetail(PublicApiView):
    def get(self, request, slug: str):
        return Response(services.park_data(_park(slug)))


@on_get(
    operation_id="getParkScanSummary",
    summary="Openbare samenvatting van de nulmeting: themascores en kernindicatoren",
    parameters=[SLUG],
    responses=s.ScanSummarySerializer,
    tags=["nulmetingen"],
)
class ParkScanSummary(PublicApiView):
    def get(self, request, slug: str):
        park = _park(slug)
        return Response(services.public_summary(park, latest_scan(park)))


@on_get(
    operation_id="getParkScan",
    summary="De volledige nulmeting van een terrein (voor wie aan het terrein werkt)",
    parameters=[SLUG],
    responses=s.FullScanSerializer,
    tags=["nulmetingen"],
)
class ParkScan(PrivateApiView):
    def get(self, request, slug: str):
        park = get_object_or_404(Park, slug=slug)
        if not policies.can_view_park_private(request.user, park):
            raise PermissionDenied(
                _("Alleen wie aan dit terrein werkt ziet de volledige nulmeting.")
            )
        return Response(services.full_scan(park, latest_scan(park)))


@on_get(
    operation_id="getProgress",
    summary="Voortgang van de zwerm en de programmadoelen",
    responses=s.ProgressSerializer,
    tags=["voortgang"],
)
class Progress(PublicApiView):
    def get(self, request):
        return Response(services.progress())


@on_get(
    operation_id="getStatistics",
    summary="Aantallen terreinen per rol, provincie, regio, fase en type",
    responses=s.StatisticsSerializer,
    tags=["voortgang"],
)
class Statistics(PublicApiView):
    def get(self, request):
        return Response(services.statistics())


@on_get(
    operation_id="getMeasures",
    summary="De catalogus van maatregelen met alle kengetallen en hun bronnen",
    responses=s.MeasuresCatalogueSerializer,
    tags=["maatregelen"],
)
class Measures(PublicApiView):
    def get(self, request):
        return Response(services.measures_catalogue())


@on_get(
    operation_id="getMeasure",
    summary="Eén maatregel",
    parameters=[OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH)],
    responses=s.MeasureSerializer,
    tags=["maatregelen"],
)
class Measure(PublicApiView):
    def get(self, request, key: str):
        for m in services.measures_catalogue()["measures"]:
            if m["key"] == key:
                return Response(m)
        raise NotFound(_("Geen maatregel met deze sleutel."))


class QuestionFilter(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, required=False)
    pageSize = serializers.IntegerField(
        min_value=1, max_value=Pagination.max_page_size, required=False
    )


@on_get(
    operation_id="listSupportQuestions",
    summary="De vragen aan de ondersteuningsdesk die u mag zien (bijv. die naar uw regio)",
    parameters=[QuestionFilter],
    responses=s.QuestionPageSerializer,
    tags=["ondersteuning"],
)
class SupportQuestions(PrivateApiView):
    def get(self, request):
        QuestionFilter(data=request.query_params).is_valid(raise_exception=True)
        questions = (
            visible_questions(request.user)
            .select_related("park", "region", "theme")
            .order_by("-created_at", "-pk")
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(questions, request, view=self)
        return paginator.get_paginated_response(
            [
                {
                    "reference": q.reference,
                    "status": q.status,
                    "statusLabel": str(q.get_status_display()),
                    "level": q.level,
                    "title": q.title,
                    "park": q.park.slug if q.park else None,
                    "region": q.region.slug if q.region else None,
                    "theme": q.theme.slug if q.theme else None,
                    "createdAt": q.created_at,
                    "dueOn": q.due_date,
                    "closedAt": q.closed_at,
                }
                for q in page
            ]
        )


@on_get(
    operation_id="getOpenData",
    summary="Open data: alle terreinen met openbare indicatoren als CSV, XLSX, GeoJSON, GeoPackage",
    responses=s.OpenDataSerializer,
    tags=["open data"],
)
class OpenData(PublicApiView):
    def get(self, request):
        return Response(opendata.index(request))


class EventFilter(serializers.Serializer):
    when = serializers.ChoiceField(choices=["upcoming", "past"], required=False)
    kind = serializers.ChoiceField(choices=EventKind.values, required=False)
    region = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all(), required=False
    )
    page = serializers.IntegerField(min_value=1, required=False)
    pageSize = serializers.IntegerField(
        min_value=1, max_value=Pagination.max_page_size, required=False
    )


@on_get(
    operation_id="listEvents",
    summary="Bijeenkomsten (roadshows, webinars, werkbezoeken): komend of voorbij",
    parameters=[EventFilter],
    responses=s.EventPageSerializer,
    tags=["bijeenkomsten"],
)
class Events(PublicApiView):
    def get(self, request):
        from werklandschap.community import services as community

        query = EventFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        events = community.past() if f.get("when") == "past" else community.upcoming()
        if "kind" in f:
            events = events.filter(kind=f["kind"])
        if "region" in f:
            events = events.filter(community__region=f["region"])
        paginator = Pagination()
        page = paginator.paginate_queryset(community.with_places(events), request, view=self)
        return paginator.get_paginated_response([services.event_data(e) for e in page])


class EntryFilter(serializers.Serializer):
    theme = serializers.CharField(required=False, max_length=60)
    kind = serializers.CharField(required=False, max_length=40)
    page = serializers.IntegerField(min_value=1, required=False)
    pageSize = serializers.IntegerField(
        min_value=1, max_value=Pagination.max_page_size, required=False
    )


@on_get(
    operation_id="listInnovationEntries",
    summary="Gepubliceerde innovaties en praktijkvoorbeelden uit de innovatiedatabase",
    parameters=[EntryFilter],
    responses=s.InnovationEntryPageSerializer,
    tags=["innovaties"],
)
class InnovationEntries(PublicApiView):
    def get(self, request):
        from django.contrib.auth.models import AnonymousUser

        from werklandschap.knowledge.services import visible_entries

        query = EntryFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        # What anyone sees, whoever asks: the public answer must not depend on a login.
        entries = (
            visible_entries(AnonymousUser())
            .select_related("park", "contact_organisation")
            .order_by("-published_at", "-pk")
        )
        if "kind" in f:
            entries = entries.filter(kind=f["kind"])
        paginator = Pagination()
        if "theme" in f:
            # Themes are a JSON list; filtered in Python (a JSON contains lookup is not
            # available on every SQLite build), then paginated as a list.
            entries = [e for e in entries if f["theme"] in (e.themes or [])]
        page = paginator.paginate_queryset(entries, request, view=self)
        return paginator.get_paginated_response([services.entry_data(e) for e in page])
