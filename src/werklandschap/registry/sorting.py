"""Sorting the park list by a column, server-side (``?sort=area`` / ``?sort=-area``).

Server-side so that sorting works without JavaScript, across pages, and in the
CSV download of the same link. Columns with choices sort in the order of the
choices (the order the programme uses), not alphabetically by a label that
differs per language; empty values come last in both directions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from .choices import ParkType, SwarmRole

DEFAULT_SORT = "name"


def _choice_rank(field: str, choices) -> Case:
    return Case(
        *(When(**{field: value}, then=Value(i)) for i, value in enumerate(choices.values)),
        default=Value(len(choices.values)),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class SortColumn:
    key: str
    label: str
    numeric: bool = False

    def expression(self):
        return {
            "name": F("name"),
            "region": F("region__name"),
            "role": _choice_rank("swarm_role", SwarmRole),
            "phase": F("phase"),
            "type": _choice_rank("park_type", ParkType),
            "area": F("gross_area_ha"),
        }[self.key]


COLUMNS = (
    SortColumn("name", _("Naam")),
    SortColumn("region", _("Regio")),
    SortColumn("role", _("Rol in de zwerm")),
    SortColumn("phase", _("Procesfase")),
    SortColumn("type", _("Type")),
    SortColumn("area", _("Bruto opp. (ha)"), numeric=True),
)
_BY_KEY = {c.key: c for c in COLUMNS}


def parse_sort(value: str | None) -> tuple[str, bool]:
    """``(column key, descending)`` from a ``sort`` parameter; unknown values sort by name."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value.removeprefix("-")
    if key not in _BY_KEY:
        return DEFAULT_SORT, False
    return key, descending


def sort_value(value: str | None) -> str:
    """The ``sort`` parameter as understood (an unknown column becomes the default)."""
    key, descending = parse_sort(value)
    return f"-{key}" if descending else key


def sort_parks(parks: QuerySet, value: str | None) -> QuerySet:
    """``parks`` ordered by the ``sort`` parameter, then by name (a stable order for paging)."""
    key, descending = parse_sort(value)
    expression = _BY_KEY[key].expression()
    ordered = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return parks.order_by(ordered, "name", "pk")


def sort_headers(value: str | None, query: str) -> list[dict]:
    """The table's header cells: label, link that sorts by it, and its aria-sort state.

    A header links to ascending order, or to descending when it already sorts
    ascending. ``query`` is the list's other parameters (filters), kept.
    """
    key, descending = parse_sort(value)
    prefix = f"?{query}&sort=" if query else "?sort="
    headers = []
    for column in COLUMNS:
        active = column.key == key
        next_value = f"-{column.key}" if active and not descending else column.key
        headers.append(
            {
                "key": column.key,
                "label": column.label,
                "numeric": column.numeric,
                "url": prefix + next_value,
                "aria_sort": ("descending" if descending else "ascending") if active else "",
            }
        )
    return headers
