"""The vouchers' part of the workspace: each role's vouchers and what waits for them.

* a park contact: the applications of their parks, what waits for them (a
  returned application to revise, an awarded voucher whose green vision and
  financing plan are due) and, per park, whether it can apply now;
* a province officer: the applications of their province waiting for
  assessment, and their Green Deal page;
* the programme team: every application waiting for assessment, and the
  overview of every province;
* a process supporter: awarded vouchers naming their organisation (the
  deliverables may come from them).

Found by ``workspace.apps`` (``autodiscover_modules("workspace_sections")``).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from werklandschap.accounts.roles import Role, roles_of
from werklandschap.workspace.sections import Section, register

from . import access, services
from .eligibility import check_eligibility
from .reporting import province_slug
from .workflow import AWAITING_APPLICANT, AWAITING_ASSESSMENT, CLOSED_STATUSES, Status

MAX_LISTED = 8
MAX_PARKS = 5


@register(order=17)
def vouchers_section(user) -> Section | None:
    """Only for someone with a voucher in view, a park that may apply, or an assessor."""
    if user is None or not user.is_authenticated:
        return None
    roles = roles_of(user)
    visible = services.visible_applications(user)
    assessor = services.can_assess_any(user)
    open_ones = (
        visible.exclude(status__in=CLOSED_STATUSES)
        .select_related("park", "round__green_deal__province")
        .order_by("-submitted_at", "-id")
    )

    waiting = Q(pk__in=[])
    if Role.PARK_CONTACT in roles:
        waiting |= Q(status__in=AWAITING_APPLICANT, park__contacts__user=user)
    if user.organisation_id is not None:
        waiting |= Q(status=Status.AWARDED, supporter__organisation_id=user.organisation_id)
    for_me = list(
        visible.filter(waiting)
        .select_related("park")
        .distinct()
        .order_by("deliverables_due", "submitted_at")[:MAX_LISTED]
    )
    to_assess = (
        list(
            visible.filter(status__in=AWAITING_ASSESSMENT)
            .select_related("park", "round__green_deal__province")
            .order_by("submitted_at")[: MAX_LISTED + 1]
        )
        if assessor
        else []
    )
    to_assess_count = (
        visible.filter(status__in=AWAITING_ASSESSMENT).count()
        if len(to_assess) > MAX_LISTED
        else len(to_assess)
    )

    parks = []
    for park in services.parks_user_may_apply_for(user)[:MAX_PARKS]:
        if visible.filter(park=park).exclude(status__in=CLOSED_STATUSES).exists():
            continue  # its application is listed; no second one
        eligibility = check_eligibility(park)
        parks.append(
            {
                "park": park,
                "eligible": eligibility.eligible,
                "round": eligibility.round,
                "apply_url": reverse("vouchers:apply", args=[park.slug])
                if eligibility.eligible
                else "",
                "refusals": [r.message for r in eligibility.refusals],
            }
        )

    province = access.own_province(user)
    links = []
    if access.can_view_all_green_deals(user):
        links.append((reverse("vouchers:green-deals"), _("Green Deals per provincie")))
    elif province is not None:
        links.append(
            (
                reverse("vouchers:green-deal", args=[province_slug(province)]),
                _("Green Deal %(province)s") % {"province": province.name},
            )
        )
    listed = list(open_ones[:MAX_LISTED])
    if not (listed or parks or assessor or for_me):
        return None
    return Section(
        key="vouchers",
        title=_("Vouchers"),
        template="vouchers/_workspace.html",
        context={
            "applications": listed,
            "more": max(0, open_ones.count() - len(listed)) if len(listed) == MAX_LISTED else 0,
            "for_me": for_me,
            "to_assess": to_assess[:MAX_LISTED],
            "to_assess_count": to_assess_count,
            "assessor": assessor,
            "parks": parks,
            "links": links,
        },
        count=(len(for_me) + to_assess_count) or None,
    )
