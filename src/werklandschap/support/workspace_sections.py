"""The desk's part of each role's workspace: an asker's questions and proposals, a
director's and the team's due and overdue questions, a partner's questions put out to it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from werklandschap.workspace.sections import Section, register

from . import calendar, services
from .workflow import ANSWERABLE, CLOSED_STATUSES, Status

MAX_LISTED = 8


@register(order=15)
def support_section(user) -> Section | None:
    """Only for someone with at least one question in view, or who can take one in."""
    visible = services.visible_questions(user)
    staff = services.can_take_intake(user)
    open_questions = (
        visible.exclude(status__in=CLOSED_STATUSES)
        .select_related("park", "region")
        .annotate(proposal_count=services.proposal_count())
        .order_by("due_date", "-created_at")
    )
    partner_org = getattr(user, "organisation_id", None)
    waiting_for_me = (
        open_questions.filter(status__in=ANSWERABLE, assignments__organisation_id=partner_org)
        .exclude(proposals__organisation_id=partner_org)
        .distinct()
        if partner_org
        else open_questions.none()
    )
    today = calendar.local_today()
    overdue = services.overdue(visible, today).count() if staff else 0
    soon = services.soon_due(visible, today).count() if staff else 0
    listed = list(open_questions[:MAX_LISTED])
    if not listed and not staff:
        return None
    return Section(
        key="vragen",
        title=_("Vragen"),
        template="support/_workspace.html",
        context={
            "questions": listed,
            "more": max(0, open_questions.count() - len(listed)),
            "overdue": overdue,
            "soon_due": soon,
            "waiting_for_me": waiting_for_me.count(),
            "staff": staff,
            "decide_status": Status.PROPOSALS_IN,
        },
        count=overdue or None,
    )
