"""Figures of the innovation database, for the monitoring dashboards (issue 21).

A fixed number of queries. An entry belongs to an area through the park it
comes from (a living lab, an ambassador or partner park); entries from
elsewhere count for the programme only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from .models import Entry
from .vocabulary import load_vocabulary
from .workflow import Status


@dataclass(frozen=True)
class EntryFigures:
    published: int
    waiting: int  # submitted or in review: waiting for the programme team
    by_kind: dict[str, int]  # kind label (page language) -> published entries
    by_origin: dict[str, int]  # origin label -> published entries


def entry_figures(parks: QuerySet | None = None) -> EntryFigures:
    """Entries of the whole programme, or of the parks in ``parks`` (an area)."""
    entries = Entry.objects.all()
    if parks is not None:
        entries = entries.filter(park__in=parks)
    counts = entries.aggregate(
        published=Count("id", filter=Q(status=Status.PUBLISHED)),
        waiting=Count("id", filter=Q(status__in=(Status.SUBMITTED, Status.IN_REVIEW))),
    )
    published = entries.filter(status=Status.PUBLISHED).order_by()
    vocabulary = load_vocabulary()
    by_kind = {
        vocabulary.label("types", row["kind"]): row["n"]
        for row in published.values("kind").annotate(n=Count("id")).order_by("kind")
    }
    by_origin = {
        vocabulary.label("origins", row["origin"]): row["n"]
        for row in published.values("origin").annotate(n=Count("id")).order_by("origin")
    }
    return EntryFigures(by_kind=by_kind, by_origin=by_origin, **counts)
