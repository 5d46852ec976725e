"""Figures of the support desk, for its own pages and for the monitoring dashboards.

Everything is computed in a fixed number of queries over the questions given
(aggregates in the database, not per question), so a list of 20,000
questions costs what a list of 20 does.
"""

from __future__ import annotations

from statistics import median
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from .calendar import local_date, local_today
from .desk_rules import rules
from .models import AskerType, Level, Proposal, Question
from .services import proposal_count
from .workflow import Status


def two_week_figures(questions: QuerySet[Question]) -> dict[str, Any]:
    """The two-week promise in two counting queries (the desk shows it on every visit).

    ``judged``: questions with a due date whose first proposal arrived or whose
    due date passed; ``on_time_pct``: the share of them whose first proposal
    came on or before the due date, by the Dutch calendar day (a proposal at
    00:30 the day after is late, although still the due date in UTC).
    """
    timed = questions.filter(due_date__isnull=False, sharpened_at__isnull=False)
    judged = timed.filter(Q(first_proposal_at__isnull=False) | Q(due_date__lt=local_today()))
    on_time = (
        timed.filter(first_proposal_at__isnull=False)
        .annotate(first_day=TruncDate("first_proposal_at", tzinfo=rules().calendar.zone))
        .filter(first_day__lte=F("due_date"))
    )
    judged_count = judged.count()
    on_time_count = on_time.count() if judged_count else 0
    return {
        "on_time_pct": round(100 * on_time_count / judged_count, 1) if judged_count else None,
        "judged": judged_count,
    }


def summary(questions: QuerySet[Question]) -> dict[str, Any]:
    """Counts by status, the two-week figures, the median time to the first
    proposal (calendar days from the clock start) and proposals per partner."""
    by_status = dict(
        questions.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    answered = questions.filter(
        due_date__isnull=False, sharpened_at__isnull=False, first_proposal_at__isnull=False
    ).values_list("sharpened_at", "first_proposal_at")
    days = [(first - start).total_seconds() / 86400 for start, first in answered]
    partners = list(
        Proposal.objects.filter(question__in=questions)
        .values(name=F("organisation__name"))
        .annotate(
            proposals=Count("id"),
            chosen=Count("id", filter=Q(state=Proposal.State.CHOSEN)),
        )
        .order_by("-proposals", "name")
    )
    return {
        "total": sum(by_status.values()),
        "by_status": [
            {"status": s, "label": label, "count": by_status.get(s, 0)}
            for s, label in Status.choices
        ],
        **two_week_figures(questions),
        "median_days_to_first_proposal": round(median(days), 1) if days else None,
        "partners": partners,
    }


DIMENSIONS = [
    ("region", _("Per regio")),
    ("director", _("Per regisseur")),
    ("theme", _("Per onderwerp")),
    ("asker_type", _("Per soort vrager")),
    ("status", _("Per status")),
]


def by_dimension(questions: QuerySet[Question], dimension: str) -> list[dict[str, Any]]:
    """Question counts per region, director, theme, asker type or status (labels shown)."""
    fields = {
        "region": "region__name",
        "director": "director__name",
        "theme": "theme__name",
        "asker_type": "asker_type",
        "status": "status",
    }
    field = fields[dimension]
    rows = questions.order_by().values(field).annotate(n=Count("id")).order_by("-n", field)
    labels = {
        "status": dict(Status.choices),
        "asker_type": dict(AskerType.choices),
    }.get(dimension, {})
    return [
        {"key": str(labels.get(row[field], row[field] or "—")), "count": row["n"]} for row in rows
    ]


# The columns of the desk's export: one row per question, no personal data of
# the asker (name, e-mail), so the file can travel to provinces and the fund.
EXPORT_COLUMNS = [
    ("reference", _("kenmerk")),
    ("status", _("status")),
    ("asker_type", _("wie vraagt")),
    ("level", _("niveau")),
    ("park", _("bedrijventerrein")),
    ("region", _("regio")),
    ("director", _("regisseur")),
    ("theme", _("onderwerp")),
    ("toolbox_step", _("stap in de toolbox")),
    ("created", _("ingediend")),
    ("due_date", _("reactie uiterlijk")),
    ("first_proposal", _("eerste voorstel")),
    ("on_time", _("binnen twee weken")),
    ("proposals", _("voorstellen")),
    ("agreed_cost", _("afgesproken kosten (EUR)")),
    ("agreed_own_contribution", _("eigen bijdrage (EUR)")),
]


def export_rows(questions: QuerySet[Question]) -> list[dict[str, Any]]:
    """One row per question for CSV/XLSX (two queries, whatever the number)."""
    rows = []
    # Labels translated once, not per row (a get_FOO_display() call hashes
    # every lazy choice label, a translation lookup each).
    labels = {k: str(v) for k, v in Status.choices}
    asker_types = {k: str(v) for k, v in AskerType.choices}
    levels = {k: str(v) for k, v in Level.choices}
    for q in (
        questions.select_related("park", "region", "director", "theme", "toolbox_step")
        .annotate(proposal_count=proposal_count())
        .order_by("created_at", "pk")
    ):
        on_time = None
        if q.due_date and q.first_proposal_at:
            on_time = local_date(q.first_proposal_at) <= q.due_date
        elif q.due_date and q.due_date < local_today():
            on_time = False
        rows.append(
            {
                "reference": q.reference,
                "status": labels.get(q.status, q.status),
                "asker_type": asker_types.get(q.asker_type, q.asker_type),
                "level": levels.get(q.level, q.level),
                "park": q.park.name if q.park else "",
                "region": q.region.name if q.region else "",
                "director": q.director.name if q.director else "",
                "theme": q.theme.name if q.theme else "",
                "toolbox_step": q.toolbox_step.name if q.toolbox_step else "",
                "created": local_date(q.created_at),
                "due_date": q.due_date,
                "first_proposal": local_date(q.first_proposal_at) if q.first_proposal_at else None,
                "on_time": on_time,
                "proposals": q.proposal_count,
                "agreed_cost": q.agreed_cost,
                "agreed_own_contribution": q.agreed_own_contribution,
            }
        )
    return rows
