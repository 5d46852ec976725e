"""Phone variants of the dashboard's charts, for ``<picture><source media=...>``.

The default drawings are about 460 units wide; on a 390 px phone they are scaled
to 4-5 px labels. These filters draw the same chart narrower with larger text
(``charts.PHONE_WIDTH_IN``, ``charts.PHONE_TEXT_SCALE``) and return it as a data
URI; the PDF report keeps calling the chart functions with their defaults.
Drawings are cached like the page's other charts (``views.cached_chart``), keyed
by what they show, so a phone variant is drawn once per scan and language.
"""

from __future__ import annotations

from typing import Any

from django import template

from werklandschap.portal import charts

register = template.Library()


def _cached(name: str, payload: object, build) -> str:
    from werklandschap.portal.views import cached_chart  # views import this app's tags

    return charts.data_uri(cached_chart(f"{name}-phone", payload, build))


@register.filter
def phone_scores_chart(scan: Any) -> str:
    """The theme-score chart of ``scan`` drawn for a phone."""
    scores = dict(getattr(scan, "scores", None) or {})
    return _cached(
        "scores",
        sorted(scores.items()),
        lambda: charts.theme_scores_svg(
            scores,
            width_in=charts.PHONE_WIDTH_IN["scores"],
            text_scale=charts.PHONE_TEXT_SCALE,
        ),
    )


@register.filter
def phone_comparison_chart(item: Any) -> str:
    """One comparison chart (a ``comparison.comparison`` item) drawn for a phone."""
    return _cached(
        "cmp",
        (item.key, item.value, [(g.label, g.values) for g in item.groups]),
        lambda: charts.comparison_svg(
            item,
            width_in=charts.PHONE_WIDTH_IN["comparison"],
            text_scale=charts.PHONE_TEXT_SCALE,
        ),
    )


@register.filter
def phone_ambitions_chart(rows: list[dict[str, Any]]) -> str:
    """The ambitions chart of the dashboard's ambition rows drawn for a phone."""
    return _cached(
        "amb",
        [(r["key"], r["current"], r["target"], r["met"]) for r in rows],
        lambda: charts.ambitions_svg(
            rows,
            width_in=charts.PHONE_WIDTH_IN["ambitions"],
            text_scale=charts.PHONE_TEXT_SCALE,
        ),
    )


@register.simple_tag
def phone_history_chart(
    row: dict[str, Any], columns: list[dict[str, Any]], ambitions: list[dict[str, Any]]
) -> str:
    """One indicator's history (a ``history_table`` row) drawn for a phone.

    ``columns`` give the scan dates, ``ambitions`` the target line, as in
    ``views.history_context``.
    """
    dates = [c["date"] for c in columns]
    target = next((a["target"] for a in ambitions if a["key"] == row["key"]), None)
    return _cached(
        "hist",
        (row["key"], [d.isoformat() for d in dates], row["values"], target),
        lambda: charts.history_svg(
            dates,
            row["values"],
            row["unit"],
            target,
            width_in=charts.PHONE_WIDTH_IN["history"],
            text_scale=charts.PHONE_TEXT_SCALE,
        ),
    )
