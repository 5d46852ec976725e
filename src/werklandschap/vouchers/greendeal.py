"""What a province officer's Green Deal page shows, as plain data.

:func:`province_page` gathers, for one province: its Green Deal (status,
package, co-financing ranges and per party committed against realised, the
living labs and ambassador parks designated in it, the linked provincial
schemes, voucher budget and number), the province's parks by swarm role and
process phase (from the registry), its voucher rounds against their limits,
its applications by state and the latest of them. The figures are
``reporting``'s, so this page, the overview, the exports and the monitoring
dashboards never disagree. A fixed number of queries, whatever the number of
parks, rounds or applications.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from werklandschap.registry.choices import SWARM_MEMBER_ROLES, ProcessPhase, SwarmRole
from werklandschap.registry.models import Park, Province

from .models import GreenDeal, VoucherApplication
from .reporting import province_slug, round_figures, voucher_report
from .workflow import Status

MAX_APPLICATIONS = 200
MAX_PARKS_LISTED = 200


@dataclass(frozen=True)
class RoleRow:
    """One swarm role: parks per phase (in ProcessPhase order) and without a phase."""

    role: str
    label: str
    per_phase: list[int]
    no_phase: int

    @property
    def total(self) -> int:
        return sum(self.per_phase) + self.no_phase


@dataclass(frozen=True)
class PhaseRow:
    """One phase (or none): parks per swarm role, in the order of the role rows."""

    label: str
    per_role: list[int]

    @property
    def total(self) -> int:
        return sum(self.per_role)


def phase_rows(role_rows: list[RoleRow]) -> list[PhaseRow]:
    """The same counts turned around: a row per phase reads well on a phone too."""
    rows = [
        PhaseRow(label=str(phase.label), per_role=[r.per_phase[i] for r in role_rows])
        for i, phase in enumerate(ProcessPhase)
    ]
    rows.append(PhaseRow(label=_("Fase onbekend"), per_role=[r.no_phase for r in role_rows]))
    return rows


def province_by_slug(slug: str) -> Province:
    """'noord-brabant' -> the province; 404 when no province has that name."""
    for province in Province.objects.select_related("organisation"):
        if province_slug(province) == slug:
            return province
    raise Http404("no such province")


def parks_by_role_and_phase(province: Province) -> list[RoleRow]:
    """The province's parks counted per swarm role and phase, members first, in one query."""
    counts: dict[tuple[str, int | None], int] = {
        (row["swarm_role"], row["phase"]): row["n"]
        for row in Park.objects.filter(province=province)
        .order_by()
        .values("swarm_role", "phase")
        .annotate(n=Count("id"))
    }
    roles = [*SWARM_MEMBER_ROLES, SwarmRole.NONE]
    return [
        RoleRow(
            role=role.value,
            label=str(role.label),
            per_phase=[counts.get((role.value, phase.value), 0) for phase in ProcessPhase],
            no_phase=counts.get((role.value, None), 0),
        )
        for role in roles
    ]


def province_page(province: Province) -> dict[str, Any]:
    """Everything the page shows; the template formats it."""
    deal = (
        GreenDeal.objects.filter(province=province)
        .prefetch_related("living_labs", "ambassador_parks", "provincial_schemes")
        .first()
    )
    report = voucher_report([province.pk])
    figures = report.provinces[0] if report.provinces else None
    role_rows = parks_by_role_and_phase(province)
    members = list(
        Park.objects.filter(province=province, swarm_role__in=SWARM_MEMBER_ROLES)
        .select_related("municipality")
        .order_by("name")[:MAX_PARKS_LISTED]
    )
    applications = list(
        VoucherApplication.objects.filter(round__green_deal__province=province)
        .select_related("park", "round", "supporter__organisation")
        .annotate(paid=Sum("payouts__amount_cents"))
        .order_by("-submitted_at", "-id")[:MAX_APPLICATIONS]
    )
    states = []
    if figures is not None:
        states = [
            (value, label, figures.figures.by_status.get(value, 0))
            for value, label in Status.choices
        ]
    return {
        "province": province,
        "deal": deal,
        "living_labs": list(deal.living_labs.all()) if deal else [],
        "ambassador_parks": list(deal.ambassador_parks.all()) if deal else [],
        "schemes": list(deal.provincial_schemes.all()) if deal else [],
        "report": figures,
        "figures": figures.figures if figures else None,
        "rounds": round_figures([province.pk]),
        "phases": [str(phase.label) for phase in ProcessPhase],
        "role_rows": role_rows,
        "phase_rows": phase_rows(role_rows),
        "park_total": sum(row.total for row in role_rows),
        "member_parks": members,
        "applications": applications,
        "states": states,
        "max_applications": MAX_APPLICATIONS,
    }
