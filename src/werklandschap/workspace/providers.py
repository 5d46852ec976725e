"""The sections of today's roles (PRODUCT.md): park contact, regional director,
province officer, coalition partner and programme team.

Each function answers for one role and only from that role's own rows
(``accounts.policies`` decides the relation); a user with several roles sees
several sections. Later capabilities add theirs in their own app (sections.py).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from werklandschap.accounts.models import ParkContact
from werklandschap.accounts.roles import Role, roles_of
from werklandschap.portal.models import ReportJob
from werklandschap.registry.choices import SWARM_MEMBER_ROLES
from werklandschap.registry.models import Park, Province, Region
from werklandschap.scans.models import ScanRequest

from .forms import InviteForm
from .sections import Section, register
from .status import (
    ScanState,
    park_statuses,
    proposed_parks_awaiting_review,
    scan_state_counts,
    signups_awaiting_review,
)

# Longest list of parks shown in a section; the park list (filtered) has the rest.
MAX_LISTED_PARKS = 60


def my_parks(user) -> list[Park]:
    """The parks the user is a contact of (accounts.ParkContact)."""
    return [
        c.park
        for c in ParkContact.objects.filter(user=user)
        .select_related("park", "park__municipality")
        .order_by("park__name")
    ]


@register(order=10)
def park_contact_section(user) -> Section | None:
    if Role.PARK_CONTACT not in roles_of(user):
        return None
    parks = my_parks(user)
    statuses = park_statuses(parks, details=True)
    return Section(
        key="mijn-terrein",
        title=_("Mijn terrein") if len(parks) <= 1 else _("Mijn terreinen"),
        template="workspace/sections/_park_contact.html",
        context={"statuses": statuses, "invite_form": InviteForm()},
    )


def _region_rows(parks_qs):
    """Park statuses plus the sign-ups awaiting review of each park."""
    awaiting = signups_awaiting_review(parks_qs)
    parks = list(
        parks_qs.filter(Q(swarm_role__in=SWARM_MEMBER_ROLES) | Q(pk__in=list(awaiting)))
        .select_related("municipality")
        .order_by("name")
    )
    statuses = park_statuses(parks)
    for s in statuses:
        s.awaiting_review = awaiting.get(s.park.pk, 0)
    return statuses, sum(awaiting.values())


@register(order=20)
def regional_director_section(user) -> Section | None:
    if Role.REGIONAL_DIRECTOR not in roles_of(user) or user.organisation_id is None:
        return None
    regions = []
    for region in Region.objects.filter(director_id=user.organisation_id).order_by("name"):
        statuses, awaiting = _region_rows(Park.objects.filter(region=region))
        proposed = proposed_parks_awaiting_review(region)
        awaiting += len(proposed)
        regions.append(
            {
                "region": region,
                "statuses": statuses[:MAX_LISTED_PARKS],
                "more": max(0, len(statuses) - MAX_LISTED_PARKS),
                "awaiting": awaiting,
                "proposed": proposed,
                "counts": scan_state_counts(statuses),
                "list_url": reverse("registry:park-list") + f"?region={region.slug}&role=zwerm",
            }
        )
    return Section(
        key="mijn-regio",
        title=_("Mijn regio's") if len(regions) != 1 else _("Mijn regio"),
        template="workspace/sections/_areas.html",
        context={"areas": [{**r, "area": r["region"]} for r in regions], "show_signups": True},
        count=sum(r["awaiting"] for r in regions) or None,
    )


@register(order=30)
def province_officer_section(user) -> Section | None:
    if Role.PROVINCE_OFFICER not in roles_of(user) or user.organisation_id is None:
        return None
    areas = []
    for province in Province.objects.filter(organisation_id=user.organisation_id):
        parks = Park.objects.filter(province=province, swarm_role__in=SWARM_MEMBER_ROLES)
        statuses = park_statuses(parks.select_related("municipality").order_by("name"))
        areas.append(
            {
                "area": province,
                "statuses": statuses[:MAX_LISTED_PARKS],
                "more": max(0, len(statuses) - MAX_LISTED_PARKS),
                "counts": scan_state_counts(statuses),
                "list_url": reverse("registry:park-list") + f"?province={province.code}&role=zwerm",
            }
        )
    return Section(
        key="mijn-provincie",
        title=_("Mijn provincie"),
        template="workspace/sections/_areas.html",
        context={"areas": areas, "show_signups": False},
    )


@register(order=40)
def coalition_partner_section(user) -> Section | None:
    if Role.COALITION_PARTNER not in roles_of(user):
        return None
    return Section(
        key="voor-mijn-organisatie",
        title=_("Voor uw organisatie"),
        template="workspace/sections/_coalition_partner.html",
        context={"organisation": user.organisation},
    )


# Failed items listed by name; the counts cover all of them.
MAX_LISTED_FAILURES = 10


@register(order=5)
def programme_team_section(user) -> Section | None:
    if Role.PROGRAMME_TEAM not in roles_of(user):
        return None
    from werklandschap.partnership.models import PartnerApplication

    awaiting = PartnerApplication.objects.awaiting_review().filter(joined_to__isnull=True).count()
    queued = ScanRequest.objects.filter(
        status__in=[ScanRequest.Status.PENDING, ScanRequest.Status.RUNNING]
    ).count()
    # A park whose last request failed and has no newer result (status.ScanState).
    failed_ids = ScanRequest.objects.filter(status=ScanRequest.Status.FAILED).values("park_id")
    failed_parks = [
        s.park
        for s in park_statuses(Park.objects.filter(pk__in=failed_ids).order_by("name"))
        if s.scan_state == ScanState.FAILED
    ]
    failed_reports = list(
        ReportJob.objects.filter(status=ReportJob.Status.FAILED)
        .select_related("scan__park")
        .order_by("-finished_at", "-pk")
    )
    return Section(
        key="wachtrijen",
        title=_("Wachtrijen van het programmateam"),
        template="workspace/sections/_programme_team.html",
        context={
            "awaiting": awaiting,
            "queued": queued,
            "failed_scans": failed_parks[:MAX_LISTED_FAILURES],
            "failed_scans_count": len(failed_parks),
            "failed_reports": failed_reports[:MAX_LISTED_FAILURES],
            "failed_reports_count": len(failed_reports),
        },
        count=awaiting + len(failed_parks) + len(failed_reports) or None,
    )
