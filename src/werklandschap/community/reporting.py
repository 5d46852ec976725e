"""Figures of events and attendance, for the monitoring dashboards (issue 21).

Plain functions over the database, a fixed number of queries whatever the
number of events: the dashboards call :func:`event_figures` with the regions
they cover (None: the whole programme, national events included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from .models import Event, EventKind, EventStatus, Registration, RegistrationStatus


@dataclass(frozen=True)
class EventFigures:
    upcoming: int  # published events that have not started
    held: int  # published events that have started
    by_kind: dict[str, int]  # kind label -> published events, held or upcoming
    confirmed: int  # places taken at published events
    waiting: int  # people on a waiting list of an upcoming event
    recorded: int  # confirmed places at held events whose attendance was recorded
    attended: int  # of those, present

    @property
    def attendance_pct(self) -> float | None:
        """Share present of the places whose attendance was recorded."""
        return 100 * self.attended / self.recorded if self.recorded else None


def event_figures(region_ids: Iterable[int] | None = None) -> EventFigures:
    """Events of the communities of ``region_ids`` (None: all, national included)."""
    now = timezone.now()
    events = Event.objects.filter(status=EventStatus.PUBLISHED)
    if region_ids is not None:
        events = events.filter(community__region_id__in=list(region_ids))
    counts = events.aggregate(
        upcoming=Count("id", filter=Q(starts_at__gt=now)),
        held=Count("id", filter=Q(starts_at__lte=now)),
    )
    labels = dict(EventKind.choices)
    by_kind = {
        str(labels.get(row["kind"], row["kind"])): row["n"]
        for row in events.order_by().values("kind").annotate(n=Count("id")).order_by("kind")
    }
    places = Registration.objects.filter(event__in=events).aggregate(
        confirmed=Count("id", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("id", filter=Q(status=RegistrationStatus.WAITING, event__starts_at__gt=now)),
        recorded=Count(
            "id",
            filter=Q(
                status=RegistrationStatus.CONFIRMED,
                event__starts_at__lte=now,
                attended__isnull=False,
            ),
        ),
        attended=Count(
            "id",
            filter=Q(status=RegistrationStatus.CONFIRMED, event__starts_at__lte=now, attended=True),
        ),
    )
    return EventFigures(by_kind=by_kind, **counts, **places)
