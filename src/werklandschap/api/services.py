"""The API's data as plain dicts, built from the apps' own service functions.

Kept apart from the views so the open-data downloads (``opendata.py``) write exactly
what the API answers. Queries never grow with the number of parks shown: a page of
parks is one query with its areas joined; latest scans come in one query per page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import get_language

from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.types import Range
from werklandschap.lib.geo import RD_NEW, WGS84, reproject, to_geojson_wgs84
from werklandschap.monitoring.models import ProgrammeTarget
from werklandschap.monitoring.progress import swarm_progress
from werklandschap.portal import presentation as fmt
from werklandschap.portal.indicator_views import all_indicators, headline
from werklandschap.registry.choices import SWARM_MEMBER_ROLES, ParkType, ProcessPhase, SwarmRole
from werklandschap.registry.models import Park, Province, Region
from werklandschap.scans.models import ParkScan


def public_parks() -> QuerySet[Park]:
    return Park.objects.select_related("municipality", "province", "region").order_by("name", "pk")


def parks_state() -> str:
    """What the park answers depend on, in one query: the parks' count and last change
    (a park's save sets ``updated_at``; a deletion changes the count)."""
    state = Park.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return f"{state['n']}|{state['last'].isoformat() if state['last'] else ''}"


def park_data(park: Park, *, tolerance_m: float = 2.0) -> dict[str, Any]:
    """A park's public fields (the registry's map data), geometry as GeoJSON in WGS84."""
    has_outline = park.geometry is not None and not park.geometry.is_empty
    point = None
    if has_outline:
        p = reproject(park.geometry.representative_point(), RD_NEW, WGS84)
        point = [round(p.x, 6), round(p.y, 6)]
    return {
        "slug": park.slug,
        "name": park.name,
        "municipality": park.municipality.name if park.municipality else None,
        "province": park.province.code if park.province else None,
        "provinceName": park.province.name if park.province else None,
        "region": park.region.slug if park.region else None,
        "regionName": park.region.name if park.region else None,
        "parkType": park.park_type,
        "parkTypeLabel": str(park.get_park_type_display()),
        "role": park.swarm_role,
        "roleLabel": str(park.get_swarm_role_display()),
        "phase": park.phase,
        "phaseLabel": str(park.get_phase_display()) if park.phase is not None else None,
        "areaHa": float(park.gross_area_ha) if park.gross_area_ha is not None else None,
        "isDemo": park.is_demo,
        "url": park.get_absolute_url(),
        "point": point,
        "geometry": to_geojson_wgs84(park.geometry, tolerance_m=tolerance_m)
        if has_outline
        else None,
    }


def latest_scans(park_ids: list[int]) -> dict[int, ParkScan]:
    """Each park's most recent successful scan, in two queries whatever the number."""
    newest = (
        ParkScan.objects.filter(park=OuterRef("pk"), status=ParkScan.Status.OK)
        .order_by("-computed_at", "-pk")
        .values("pk")[:1]
    )
    ids = [
        i
        for i in Park.objects.filter(pk__in=park_ids)
        .annotate(latest=Subquery(newest))
        .values_list("latest", flat=True)
        if i
    ]
    return {s.park_id: s for s in ParkScan.objects.filter(pk__in=ids).select_related("run")}


def _scan_head(park: Park, scan: ParkScan | None) -> dict[str, Any]:
    return {
        "park": park.slug,
        "scanned": scan is not None,
        "computedAt": scan.computed_at if scan else None,
        "bundle": scan.run.bundle_name if scan else None,
        "synthetic": scan.run.is_synthetic if scan else None,
        "scores": [
            {"theme": t, "label": str(fmt.theme_label(t)), "score": (scan.scores or {}).get(t)}
            for t in fmt.themes()
        ]
        if scan
        else [],
    }


def _value(v) -> dict[str, Any]:
    return {
        "key": v.key,
        "label": str(v.label),
        "theme": v.theme,
        "unit": v.unit,
        "value": v.value if v.available else None,
        "available": bool(v.available),
        "reason": "" if v.available else str(v.reason),
    }


def public_summary(park: Park, scan: ParkScan | None) -> dict[str, Any]:
    """What the public park summary shows (portal/_public_summary.html): the theme
    scores and the catalogue's headline indicators; never ambitions or the rest."""
    return {
        **_scan_head(park, scan),
        "indicators": [_value(v) for v in headline(scan)] if scan else [],
    }


def full_scan(park: Park, scan: ParkScan | None) -> dict[str, Any]:
    """Every indicator of the park's latest scan, for those who work on the park."""
    return {
        **_scan_head(park, scan),
        "engineVersion": scan.run.engine_version if scan else None,
        "completeness": scan.completeness if scan else None,
        "completenessReason": scan.completeness_reason if scan else None,
        "indicators": [
            {
                **_value(v),
                "explanation": str(v.explanation),
                "method": str(v.method),
                "source": str(v.source),
            }
            for v in all_indicators(scan)
        ]
        if scan
        else [],
    }


def progress() -> dict[str, Any]:
    p = swarm_progress()
    return {
        "inSwarm": p.in_swarm,
        "target": p.target,
        "percent": p.percent,
        "byRole": p.by_role,
        "includesDemo": p.includes_demo,
        "targets": [
            {
                "key": t.key,
                "label": t.label,
                "value": float(t.value),
                "unit": t.unit,
                "targetYear": t.target_year,
                "source": t.source,
            }
            for t in ProgrammeTarget.objects.order_by("key")
        ],
    }


def statistics() -> dict[str, Any]:
    """Counts of parks by role, province, region, phase and type: six queries."""
    parks = Park.objects.order_by()

    def counts(field: str) -> dict[Any, int]:
        return dict(parks.values_list(field).annotate(n=Count("id")))

    roles, phases, types = counts("swarm_role"), counts("phase"), counts("park_type")
    provinces, regions = counts("province__code"), counts("region__slug")
    province_names = dict(Province.objects.values_list("code", "name"))
    region_names = dict(Region.objects.values_list("slug", "name"))
    return {
        "parks": sum(roles.values()),
        "inSwarm": sum(roles.get(r, 0) for r in SWARM_MEMBER_ROLES),
        "byRole": [
            {"key": v, "label": str(label), "count": roles.get(v, 0)}
            for v, label in SwarmRole.choices
        ],
        "byProvince": [
            {"key": code, "label": province_names.get(code, "") if code else "", "count": n}
            for code, n in sorted(provinces.items(), key=lambda i: i[0] or "~")
        ],
        "byRegion": [
            {"key": slug, "label": region_names.get(slug, "") if slug else "", "count": n}
            for slug, n in sorted(regions.items(), key=lambda i: i[0] or "~")
        ],
        "byPhase": [
            {"key": str(v), "label": str(label), "count": phases.get(v, 0)}
            for v, label in ProcessPhase.choices
        ]
        + ([{"key": None, "label": "", "count": phases[None]}] if phases.get(None) else []),
        "byParkType": [
            {"key": v, "label": str(label), "count": types.get(v, 0)}
            for v, label in ParkType.choices
        ],
        "scannedParks": ParkScan.objects.filter(status=ParkScan.Status.OK)
        .values("park")
        .distinct()
        .count(),
    }


def _range(r: Range) -> dict[str, Any]:
    return {
        "low": r.low,
        "expected": r.expected,
        "high": r.high,
        "source": r.source,
        "sourceNl": r.source_nl,
        "assumption": bool(r.assumption),
    }


def measure_data(m) -> dict[str, Any]:
    return {
        "key": m.key,
        "nameNl": m.name_nl,
        "nameEn": m.name_en,
        "descriptionNl": m.description_nl,
        "descriptionEn": m.description_en,
        "unit": m.unit,
        "location": m.location,
        "effort": m.effort,
        "themes": list(m.themes),
        "investment": _range(m.investment),
        "maintenance": _range(m.maintenance),
        "lifetime": _range(m.lifetime),
        "replacement": _range(m.replacement),
        "effects": {k: _range(r) for k, r in m.effects.items()},
        "benefits": {k: _range(r) for k, r in m.benefits.items()},
        "costAllocation": dict(m.cost_allocation),
        "costAllocationSource": m.cost_allocation_source,
        "costAllocationSourceNl": m.cost_allocation_source_nl,
    }


def measures_catalogue() -> dict[str, Any]:
    """The cost-benefit catalogue with every number and its source (data/measures)."""
    c = load_catalogue()
    return {
        "version": str(c.version),
        "priceYear": c.price_year,
        "priceBasis": c.price_basis,
        "priceBasisNl": c.price_basis_nl,
        "discountRate": _range(c.discount_rate),
        "horizonYears": c.horizon_years,
        "horizonSource": c.horizon_source,
        "horizonSourceNl": c.horizon_source_nl,
        "benefitCategories": [
            {
                "key": b.key,
                "nameNl": b.name_nl,
                "nameEn": b.name_en,
                "allocation": dict(b.allocation),
                "source": b.source,
                "sourceNl": b.source_nl,
                "assumption": bool(b.assumption),
            }
            for b in c.benefit_categories.values()
        ],
        "measures": [measure_data(m) for m in c.measures.values()],
    }


def language() -> str:
    return (get_language() or "nl")[:2]


def event_data(event) -> dict[str, Any]:
    """An event's public fields (community.services.with_places annotates free places)."""
    return {
        "id": event.uid,
        "title": event.title,
        "kind": event.kind,
        "kindLabel": str(event.get_kind_display()),
        "status": event.status,
        "description": event.description,
        "startsAt": event.starts_at,
        "endsAt": event.ends_at,
        "location": event.location,
        "online": bool(event.online_url),
        "community": event.community.name,
        "region": event.community.region.slug if event.community.region_id else None,
        "capacity": event.capacity,
        "freePlaces": max(0, event.free_places),
        "isDemo": event.is_demo,
        "url": reverse("community:event", kwargs={"pk": event.pk}),
    }


def entry_data(entry) -> dict[str, Any]:
    """A published innovation entry's public fields; never its submitter."""
    return {
        "id": entry.pk,
        "title": entry.title,
        "summary": entry.summary,
        "body": entry.body,
        "lessons": entry.lessons,
        "kind": entry.kind,
        "themes": [str(t) for t in entry.themes or []],
        "directions": [str(d) for d in entry.directions or []],
        "scale": entry.scale,
        "origin": entry.origin,
        "park": entry.park.slug if entry.park_id else None,
        "measures": [str(m) for m in entry.measures or []],
        "costIndication": entry.cost_indication,
        "evidence": entry.evidence,
        "contactOrganisation": entry.contact_organisation.name
        if entry.contact_organisation_id
        else None,
        "startedOn": entry.started_on,
        "finishedOn": entry.finished_on,
        "publishedAt": entry.published_at,
        "synthetic": entry.synthetic,
        "url": entry.get_absolute_url(),
    }
