"""Figures of the support desk, for its own pages and for the monitoring dashboards.

Everything is computed in a fixed number of queries over the questions given
(aggregates in the database, not per question), so a list of 20,000
questions costs what a list of 20 does.
"""

from __future__ import annotations

from statistics import median
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from .calendar import local_today
from .models import Proposal, Question
from .workflow import Status


def summary(questions: QuerySet[Question]) -> dict[str, Any]:
    """Counts by status, the two-week figures and proposals per partner.

    ``on_time_pct``: of the questions with a due date whose first proposal
    arrived or whose due date passed, the share with a first proposal on or
    before the due date. ``median_days_to_first_proposal``: calendar days from
    sharpening (the clock start) to the first proposal.
    """
    by_status = dict(
        questions.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    timed = questions.filter(due_date__isnull=False, sharpened_at__isnull=False)
    answered = list(
        timed.filter(first_proposal_at__isnull=False).values_list(
            "sharpened_at", "first_proposal_at", "due_date"
        )
    )
    on_time = sum(1 for _start, first, due in answered if first.date() <= due)
    late_unanswered = timed.filter(
        first_proposal_at__isnull=True, due_date__lt=local_today()
    ).count()
    judged = len(answered) + late_unanswered
    days = [(first - start).total_seconds() / 86400 for start, first, _due in answered]
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
        "on_time_pct": round(100 * on_time / judged, 1) if judged else None,
        "judged": judged,
        "median_days_to_first_proposal": round(median(days), 1) if days else None,
        "partners": partners,
    }


def by_dimension(questions: QuerySet[Question], dimension: str) -> list[dict[str, Any]]:
    """Question counts per region, director, theme, asker type or status."""
    fields = {
        "region": "region__name",
        "director": "director__name",
        "theme": "theme__name",
        "asker_type": "asker_type",
        "status": "status",
    }
    field = fields[dimension]
    rows = questions.order_by().values(field).annotate(n=Count("id")).order_by("-n", field)
    return [{"key": row[field] or "", "count": row["n"]} for row in rows]
