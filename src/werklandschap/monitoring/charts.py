"""Charts of the monitoring dashboards: server-side SVG, read at a glance.

Drawn as the portal and the cost-benefit plans draw theirs (``portal.charts``:
``Figure`` without pyplot, text kept as text, the portal's colours and fonts) and
finished by ``measures.charts._accessible``: no ``style`` attribute or element (the
site's Content-Security-Policy allows no inline style, even in an SVG opened on
its own), a ``<title>`` and a ``<desc>`` with the figures in words. Each chart is
served at its own URL and shown with ``<img>``; its numbers are downloadable as CSV
from the URL next to it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from django.utils.translation import gettext as _
from matplotlib.ticker import MaxNLocator

from werklandschap.lib.numbers import format_number
from werklandschap.measures.charts import _accessible
from werklandschap.portal.charts import (
    GREEN,
    GRID,
    INK,
    MUTED,
    PHONE_TEXT_SCALE,
    TARGET,
    _figure,
    _svg,
)

# Okabe-Ito, distinguishable with the common colour-vision deficiencies; each series
# is named in the legend and its numbers are in the description and the CSV.
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
    "#999999",
)


WIDTH_IN = 6.8
PHONE_WIDTH_IN = 3.2
"""A phone variant (``phone=True``) is drawn this narrow with the portal's larger text
(``PHONE_TEXT_SCALE``), so a chart about 350 CSS px wide keeps its labels readable."""


def _width(phone: bool) -> float:
    return PHONE_WIDTH_IN if phone else WIDTH_IN


def _finish(fig, title: str, desc: str, phone: bool) -> str:
    return _accessible(_svg(fig, PHONE_TEXT_SCALE if phone else 1.0), title, desc)


def _tidy(ax, grid_axis: str = "y") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis=grid_axis, color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(colors=MUTED, labelsize=8)


def _empty(title: str) -> str:
    fig = _figure(6.0, 1.0)
    ax = fig.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, _("Nog geen gegevens"), ha="center", va="center", color=MUTED)
    return _accessible(_svg(fig), title, _("Nog geen gegevens"))


def _month_ticks(ax, months: Sequence[str], phone: bool = False) -> None:
    step = max(1, -(-len(months) // (3 if phone else 6)))
    positions = list(range(0, len(months), step))
    ax.set_xticks(positions)
    ax.set_xticklabels([months[i] for i in positions], rotation=0)


def stacked_over_time(
    title: str,
    months: Sequence[str],
    series: dict[str, Sequence[int]],
    labels: dict[str, str],
    *,
    target: int | None = None,
    target_label: str = "",
    phone: bool = False,
) -> str:
    """Stacked areas over months (parks in the swarm by role or phase), with an
    optional target line when it is within sight of the series."""
    keys = [k for k in series if any(series[k])]
    if not months or not keys:
        return _empty(title)
    fig = _figure(_width(phone), 2.8 if not phone else 2.2)
    ax = fig.add_subplot()
    x = list(range(len(months)))
    stacks = ax.stackplot(
        x,
        *[series[k] for k in keys],
        labels=[labels.get(k, k) for k in keys],
        colors=PALETTE[: len(keys)],
        alpha=0.9,
    )
    for stack in stacks:
        stack.set_edgecolor("white")
        stack.set_linewidth(0.5)
    totals = [sum(series[k][i] for k in keys) for i in x]
    top = max(totals)
    if target and target <= 4 * max(top, 1):
        ax.axhline(target, color=TARGET, linestyle="--", linewidth=1.2)
        ax.text(0, target, f" {target_label} {format_number(target, 0)}", color=TARGET, va="bottom")
    _month_ticks(ax, months, phone)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(len(months) - 1, 1))
    ax.set_ylabel(_("terreinen"), color=INK)
    _tidy(ax)
    ax.legend(loc="upper left", fontsize=7.5, frameon=False, ncols=1 if phone else 2)
    now = ", ".join(f"{labels.get(k, k)}: {format_number(series[k][-1], 0)}" for k in keys)
    desc = _("%(first)s tot %(last)s; nu %(now)s; totaal %(total)s.") % {
        "first": months[0],
        "last": months[-1],
        "now": now,
        "total": format_number(totals[-1], 0),
    }
    return _finish(fig, title, desc, phone)


def bars(
    title: str,
    rows: Sequence[tuple[str, float]],
    *,
    unit: str = "",
    decimals: int = 0,
    colour: str = GREEN,
    phone: bool = False,
) -> str:
    """Horizontal bars with their value written at the end (counts per province, ...)."""
    rows = list(rows)
    if not any(value for _n, value in rows):
        return _empty(title)
    height = 0.6 + 0.28 * len(rows)
    fig = _figure(_width(phone), height)
    ax = fig.add_subplot()
    names = [name for name, _v in rows][::-1]
    values = [value for _n, value in rows][::-1]
    ax.barh(range(len(rows)), values, color=colour, height=0.7)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(names, fontsize=8, parse_math=False)
    largest = max(values) if values else 0
    for i, value in enumerate(values):
        ax.text(
            value + largest * 0.01,
            i,
            f"{format_number(value, decimals)}{(' ' + unit) if unit else ''}",
            va="center",
            fontsize=7.5,
            color=INK,
            parse_math=False,
        )
    ax.set_xlim(0, largest * 1.15 if largest > 0 else 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=decimals == 0))
    _tidy(ax, "x")
    desc = "; ".join(f"{name}: {format_number(value, decimals)}" for name, value in rows)
    return _finish(fig, title, desc, phone)


def progress(title: str, rows: Sequence[tuple[str, int, int]], phone: bool = False) -> str:
    """Reached against target, one bar per target, as a percentage with both numbers."""
    rows = [r for r in rows if r[2]]
    if not rows:
        return _empty(title)
    # On a phone a long target ("Vouchers for process support (green vision and financing
    # plan)") took most of the width on one line and left the bars a sliver: wrapped.
    fig = _figure(_width(phone), 0.6 + (0.7 if phone else 0.42) * len(rows))
    ax = fig.add_subplot()
    names = [textwrap.fill(name, 24) if phone else name for name, _r, _t in rows][::-1]
    shares = [min(100 * reached / target, 100) for _n, reached, target in rows][::-1]
    ax.barh(range(len(rows)), [100] * len(rows), color=GRID, height=0.6)
    ax.barh(range(len(rows)), shares, color=GREEN, height=0.6)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(names, fontsize=8, parse_math=False)
    for i, (_n, reached, target) in enumerate(rows[::-1]):
        ax.text(
            101,
            i,
            f"{format_number(reached, 0)} / {format_number(target, 0)}",
            va="center",
            fontsize=7.5,
            color=INK,
            parse_math=False,
        )
    ax.set_xlim(0, 125)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xticklabels(["0%", "25%", "50%", "75%", "100%"])
    _tidy(ax, "x")
    desc = "; ".join(
        f"{name}: {format_number(reached, 0)} {_('van')} {format_number(target, 0)}"
        for name, reached, target in rows
    )
    return _finish(fig, title, desc, phone)


def monthly_bars(title: str, rows: Sequence[tuple[str, int]], phone: bool = False) -> str:
    """Counts per month as vertical bars (support questions received)."""
    rows = list(rows)
    if not rows:
        return _empty(title)
    fig = _figure(_width(phone), 2.4 if not phone else 1.8)
    ax = fig.add_subplot()
    months = [m for m, _n in rows]
    ax.bar(range(len(rows)), [n for _m, n in rows], color=TARGET, width=0.7)
    _month_ticks(ax, months, phone)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _tidy(ax)
    desc = "; ".join(f"{m}: {format_number(n, 0)}" for m, n in rows)
    return _finish(fig, title, desc, phone)
