"""Charts of the park portal, drawn server-side with matplotlib (Agg, no pyplot).

One drawing for both the dashboard and the PDF report, so the two agree to the
pixel and the dashboard needs no chart library in the browser. Charts are SVG
(sharp in print and at any zoom, text stays text); the static map is PNG
because a park's land cover has hundreds of polygons.

Figures are built with ``matplotlib.figure.Figure`` directly, never pyplot:
pyplot keeps global state and is not safe in a threaded web server.

Every chart carries its numbers in text as well (labels, the tables next to it),
so a colour is never the only way to read it.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from werklandschap.scanengine.catalog import INDICATORS

from . import presentation as fmt
from . import verdicts

PARK = "#d55e00"  # Okabe-Ito vermillion: the highlighted park
OTHERS = "#5f6b64"
BOX = "#cfe3d6"
INK = "#1b1f1d"
MUTED = "#4a524d"
GRID = "#dfe6e1"
GREEN = "#0b5d3b"
TARGET = "#0072b2"
RASTERIZE_ABOVE = 150  # dots per group drawn as an embedded image beyond this

RC = {
    "font.family": ["DejaVu Sans", "Liberation Sans", "sans-serif"],
    "font.size": 9,
    "axes.edgecolor": "#9aa59e",
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "svg.fonttype": "none",  # text stays text: searchable, selectable, scalable
    "svg.hashsalt": "werklandschap-portal",  # stable ids: identical input, identical SVG
}


def _figure(width_in: float, height_in: float) -> Figure:
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width_in, height_in), dpi=100)
    return fig


PHONE_TEXT_SCALE = 1.45
"""Text size of a phone variant relative to the default drawing (see :func:`_svg`)."""

PHONE_WIDTH_IN = {"scores": 2.6, "comparison": 2.4, "ambitions": 2.9, "history": 2.4}
"""Figure widths of the phone variants: drawn this narrow with ``PHONE_TEXT_SCALE``, a
chart shown about 270-300 CSS px wide on a 390 px screen keeps its text at 11 px or more
(the default drawings, about 460 units wide, would be scaled to 4-5 px labels)."""


def _scale_text(fig: Figure, text_scale: float) -> None:
    """Make every text of ``fig`` ``text_scale`` times larger, and the figure as much taller.

    Charts set some sizes explicitly (``fontsize=7.5``), so the rc font size alone would
    not reach them. Ticks are laid out first so their labels exist and are scaled too;
    the figure grows in height with the text so rows keep their room.
    """
    from matplotlib.text import Text

    fig.draw_without_rendering()
    for text in fig.findobj(Text):
        text.set_fontsize(text.get_fontsize() * text_scale)
    w, h = fig.get_size_inches()
    fig.set_size_inches(w, h * text_scale)


def _svg(fig: Figure, text_scale: float = 1.0) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context(RC):
        if text_scale != 1.0:
            _scale_text(fig, text_scale)
        fig.savefig(
            buf,
            format="svg",
            bbox_inches="tight",
            pad_inches=0.05,
            dpi=150,  # resolution of rasterized parts only (large dot clouds)
            metadata={"Date": None},
        )
    text = buf.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def data_uri(svg: str) -> str:
    """An SVG as a data: URI for <img>, so charts on one page never share element ids."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def locale_ticks(axis: Any) -> None:
    """Tick labels in the active language's notation (matplotlib writes '2.5' everywhere).

    As many decimals as the ticks need and no more, so 0, 2,5, 5 on a Dutch page and
    0, 2.5, 5 on an English one; thousands grouped like every other figure.
    """
    from matplotlib.ticker import FuncFormatter

    def places() -> int:
        locs = [v for v in axis.get_majorticklocs() if math.isfinite(v)]
        for n in range(4):
            if all(abs(v * 10**n - round(v * 10**n)) < 1e-6 for v in locs):
                return n
        return 4

    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.number(v, places())))


def short_date(when: Any) -> str:
    """A scan date under a chart, as the page's tables write it ('2 Dec 2026', '2 dec 2026')."""
    from django.utils import timezone
    from django.utils.formats import date_format

    if timezone.is_aware(when):
        when = timezone.localtime(when)
    return date_format(when, "j M Y")


# --------------------------------------------------------------------------- theme scores


def theme_scores_svg(
    scores: dict[str, float | None], width_in: float = 6.4, text_scale: float = 1.0
) -> str:
    """Horizontal bars 0-100 per theme; 'n.b.' (not known) where a theme has no data."""
    with matplotlib.rc_context(RC):
        themes = list(fmt.themes())
        fig = _figure(width_in, 0.34 * len(themes) + 0.5)
        ax = fig.add_subplot()
        y = np.arange(len(themes))[::-1]
        for yi, theme in zip(y, themes, strict=True):
            score = scores.get(theme)
            ax.barh(yi, 100, color="#eef3f0", height=0.62, zorder=1)
            if score is None:
                ax.text(2, yi, _("n.b. – geen gegevens"), va="center", color=MUTED, fontsize=8.5)
                continue
            ax.barh(yi, score, color=GREEN, height=0.62, zorder=2)
            ax.text(
                min(score + 1.5, 88),
                yi,
                f"{fmt.number(score, 0)}",
                va="center",
                ha="left",
                color=INK if score < 88 else "white",
                fontweight="bold",
                zorder=3,
            )
        ax.set_yticks(y, [fmt.theme_label(t) for t in themes])
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x", color=GRID, zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel(_("themascore (0–100)"), color=MUTED)
        return _svg(fig, text_scale)


# --------------------------------------------------------------------------- comparison


def _jitter(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.uniform(-0.22, 0.22, n)


def comparison_svg(item: Any, width_in: float = 6.4, text_scale: float = 1.0) -> str:
    """One indicator: every park of each group as a dot, the box of the middle half, the park.

    Rows are the groups (same type and size, province, country) with their n.
    The box (quartiles) and median are drawn from the group size of ``verdicts.yaml``
    on (5 parks); below that only dots.
    """
    with matplotlib.rc_context(RC):
        groups = item.groups
        fig = _figure(width_in, 0.42 * len(groups) + 0.62)
        ax = fig.add_subplot()
        y = np.arange(len(groups))[::-1]
        all_values = [v for g in groups for v in g.values]
        if item.value is not None:
            all_values.append(item.value)
        for yi, group in zip(y, groups, strict=True):
            vals = np.asarray(group.values, dtype=float)
            if vals.size:
                ax.scatter(
                    vals,
                    yi + _jitter(vals.size, seed=len(group.key) * 7 + vals.size),
                    s=9,
                    color=OTHERS,
                    alpha=0.55 if vals.size > 50 else 0.8,
                    linewidths=0,
                    zorder=2,
                    # thousands of dots as vector paths would make a 400 kB SVG
                    rasterized=vals.size > RASTERIZE_ABOVE,
                )
            st = group.stats
            if verdicts.shows_distribution(st.n):
                ax.add_patch(
                    Rectangle(
                        (st.q1, yi - 0.3),
                        st.q3 - st.q1,
                        0.6,
                        facecolor=BOX,
                        edgecolor="#7fa393",
                        zorder=1,
                    )
                )
                ax.plot([st.median, st.median], [yi - 0.3, yi + 0.3], color=GREEN, lw=2, zorder=3)
                ax.plot([st.minimum, st.q1], [yi, yi], color="#7fa393", lw=1, zorder=1)
                ax.plot([st.q3, st.maximum], [yi, yi], color="#7fa393", lw=1, zorder=1)
            if item.value is not None:
                ax.scatter(
                    [item.value],
                    [yi],
                    s=90,
                    marker="D",
                    color=PARK,
                    edgecolors="white",
                    linewidths=1.2,
                    zorder=5,
                )
        labels = [f"{g.short}\n(n = {g.stats.n})" for g in groups]
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.6, len(groups) - 0.4)
        if item.unit == "score":
            ax.set_xlim(-3, 103)
        elif all_values:
            lo, hi = min(all_values), max(all_values)
            if item.unit == "%":
                lo = min(lo, 0.0)
            # a narrow spread of a few parks must not look like a large difference
            span = max(hi - lo, abs(hi) * 0.1, 1.0)
            mid = (hi + lo) / 2
            lo, hi = min(lo, mid - span / 2), max(hi, mid + span / 2)
            pad = (hi - lo) * 0.06
            ax.set_xlim(lo - pad, hi + pad)
        unit = _("score 0–100") if item.unit == "score" else fmt.unit_display(item.unit)
        locale_ticks(ax.xaxis)
        ax.set_xlabel(unit, color=MUTED)
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x", color=GRID, zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        if item.value is not None:
            shown = item.value_text if item.unit != "score" else fmt.number(item.value, 0)
            ax.set_title(
                _("dit terrein: %(value)s") % {"value": shown},
                loc="right",
                fontsize=8.5,
                color=PARK,
                fontweight="bold",
            )
        else:
            ax.set_title(_("dit terrein: niet beschikbaar"), loc="right", fontsize=8.5, color=MUTED)
        return _svg(fig, text_scale)


# --------------------------------------------------------------------------- history


def history_svg(
    dates: Sequence[Any],
    values: Sequence[float | None],
    unit: str | None,
    target: float | None = None,
    width_in: float = 3.1,
    text_scale: float = 1.0,
) -> str:
    """A small line chart of one indicator over the park's scans (gaps where unknown)."""
    with matplotlib.rc_context(RC):
        fig = _figure(width_in, 1.5)
        ax = fig.add_subplot()
        x = np.arange(len(values))
        yv = np.array([np.nan if v is None else float(v) for v in values])
        ax.plot(x, yv, color=GREEN, lw=2, marker="o", ms=5, zorder=3)
        for xi, v in zip(x, yv, strict=True):
            if not math.isnan(v):
                ax.annotate(
                    fmt.value_text(v, unit),
                    (xi, v),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                    fontsize=7.5,
                    color=INK,
                )
        if target is not None:
            ax.axhline(target, color=TARGET, lw=1, ls="--", zorder=2)
            ax.text(
                x[-1] if len(x) else 0,
                target,
                " " + _("ambitie"),
                color=TARGET,
                fontsize=7,
                va="bottom",
                ha="right",
            )
        ax.set_xticks(x, [short_date(d) for d in dates], fontsize=7)
        finite = yv[~np.isnan(yv)]
        if finite.size:
            lo = min(finite.min(), target if target is not None else finite.min())
            hi = max(finite.max(), target if target is not None else finite.max())
            pad = (hi - lo) * 0.25 or max(abs(hi) * 0.1, 1.0)
            ax.set_ylim(lo - pad, hi + pad * 1.6)
        ax.set_xlim(-0.5, len(x) - 0.5)
        ax.tick_params(axis="y", labelsize=7)
        locale_ticks(ax.yaxis)
        ax.grid(axis="y", color=GRID, zorder=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _svg(fig, text_scale)


# --------------------------------------------------------------------------- ambitions


def _direction_of(key: str) -> str | None:
    """'up' (higher is better), 'down' (lower is better) or None, from the catalogue."""
    ind = INDICATORS.get(key)
    return ind.better if ind is not None else None


def _direction_note(direction: str | None) -> str:
    if direction == "up":
        return _("hoger is beter")
    if direction == "down":
        return _("lager is beter")
    return ""


def _axis_label(unit: str | None) -> str:
    if unit == "%":
        return _("procent (%)")
    shown = fmt.unit_display(unit)
    return shown or _("waarde")


def ambitions_svg(
    rows: list[dict[str, Any]], width_in: float = 6.4, text_scale: float = 1.0
) -> str:
    """Per ambition: where the park is, where it wants to be, and which way the step goes.

    One panel per unit, each with its own labelled axis (shares on 0-100 %, millimetres
    on their own scale): a millimetre and a percentage never share an axis. Which way
    is better comes from the indicator catalogue (``direction``), never from the bar
    length: a met ambition is a green bar; an open one a grey bar with an orange arrow
    from the current value to the target, pointing the way the step goes, and every
    label says "hoger is beter" or "lager is beter". The value labels carry the
    numbers, the table next to the chart the full detail.
    """
    rows = [r for r in rows if r["current"] is not None or r["target"] is not None]
    units: list[str | None] = []
    for r in rows:
        if r["unit"] not in units:
            units.append(r["unit"])
    # shares first: the panel most rows are on leads
    units = sorted(units, key=lambda u: u != "%")  # stable: otherwise first-seen order
    panels = [(u, [r for r in rows if r["unit"] == u]) for u in units] or [(None, [])]
    # a narrow (phone) drawing puts labels above the bars and the legend in one column
    narrow = width_in < 4.5
    row_h, axis_h = (0.62, 0.62) if narrow else (0.44, 0.62)
    heights = [row_h * max(len(p), 1) + axis_h for _u, p in panels]
    legend_h = 0.8 if narrow else 0.42
    total_h = sum(heights) + legend_h
    with matplotlib.rc_context(RC):
        fig = _figure(width_in, total_h)
        top = total_h
        for (unit, prows), h in zip(panels, heights, strict=True):
            # axes in inches from the top: the rows, then room for the axis and its unit
            left, width = (0.04, 0.93) if narrow else (0.36, 0.61)
            ax = fig.add_axes((left, (top - (h - axis_h)) / total_h, width, (h - axis_h) / total_h))
            _ambition_panel(ax, unit, prows, labels_above=narrow)
            top -= h
        fig.legend(
            handles=[
                Patch(color=GREEN, label=_("nu, ambitie gehaald")),
                Patch(color=NOW, label=_("nu, ambitie nog niet gehaald")),
                Patch(color=PARK, label=_("stap naar de ambitie")),
                Patch(color=TARGET, label=_("ambitie")),
            ],
            loc="lower center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=1 if narrow else 4,
            frameon=False,
            fontsize=7.5,
            handlelength=1.2,
            columnspacing=1.2,
        )
        return _svg(fig, text_scale)


NOW = "#8c968f"  # the current value of an ambition not yet met: neutral, the arrow carries it


def _ambition_panel(
    ax: Any, unit: str | None, rows: list[dict[str, Any]], labels_above: bool = False
) -> None:
    """One unit's ambitions on one axis (see :func:`ambitions_svg`).

    ``labels_above`` (the phone drawing): each label on one or two lines above its bar,
    over the full width, instead of a column of labels beside the bars.
    """
    import textwrap

    from matplotlib.ticker import MaxNLocator

    y = np.arange(len(rows))[::-1]
    bar_h, tick_h = (0.34, 0.23) if labels_above else (0.56, 0.38)
    if unit == "%":
        lo, hi = 0.0, 100.0
    else:
        values = [v for r in rows for v in (r["current"], r["target"]) if v is not None]
        lo = min([0.0, *values])
        hi = max([*values, 1e-9]) * 1.12 or 1.0
    span = hi - lo
    labels = []
    for yi, row in zip(y, rows, strict=True):
        cur, tgt = row["current"], row["target"]
        direction = _direction_of(row["key"]) if "key" in row else None
        note = _direction_note(direction)
        if labels_above:
            ax.text(
                lo,
                yi + bar_h / 2 + 0.06,
                f"{row['label']} ({note})" if note else str(row["label"]),
                va="bottom",
                ha="left",
                fontsize=7.8,
                color=INK,
                wrap=True,
            )
        else:
            wrapped = "\n".join(textwrap.wrap(str(row["label"]), 34))
            labels.append(f"{wrapped}\n({note})" if note else wrapped)
        ax.barh(yi, span, left=lo, color="#eef3f0", height=bar_h, zorder=1)
        if cur is None:
            ax.text(
                lo + span * 0.02, yi, _("niet beschikbaar"), va="center", fontsize=8, color=MUTED
            )
        else:
            met = row.get("met")
            ax.barh(yi, cur - lo, left=lo, color=GREEN if met else NOW, height=bar_h, zorder=2)
            if tgt is not None and met is False and abs(tgt - cur) > 1e-9:
                ax.annotate(
                    "",
                    xy=(tgt, yi),
                    xytext=(cur, yi),
                    arrowprops={
                        "arrowstyle": "-|>,head_width=0.35,head_length=0.6",
                        "color": PARK,
                        "lw": 2.4,
                        "shrinkA": 0,
                        "shrinkB": 0,
                    },
                    zorder=4,
                )
            # the value beside the bar's end, on the side away from the arrow
            toward_right = tgt is None or met or tgt <= cur
            x = cur + span * 0.012 if toward_right else cur - span * 0.012
            if toward_right and cur > lo + span * 0.86:
                toward_right, x = False, cur - span * 0.012
            elif not toward_right and cur < lo + span * 0.1:
                # no room left of a short bar: beyond the target line instead
                toward_right, x = True, max(cur, tgt or cur) + span * 0.015
            ax.text(
                x,
                yi + 0.02,
                fmt.value_text(cur, row["unit"]),
                va="center",
                ha="left" if toward_right else "right",
                fontsize=8,
                fontweight="bold",
                color=INK,
                zorder=5,
                bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.85},
            )
        if tgt is not None:
            ax.plot([tgt] * 2, [yi - tick_h, yi + tick_h], color=TARGET, lw=2.5, zorder=3)
    if labels_above:
        ax.set_yticks([])
        ax.set_ylim(-0.4, len(rows) - 0.05)
    else:
        ax.set_yticks(y, labels, fontsize=7.8)
        ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    locale_ticks(ax.xaxis)
    ax.set_xlabel(_axis_label(unit), color=MUTED, fontsize=8)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=7.5)
    ax.grid(axis="x", color=GRID, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


# --------------------------------------------------------------------------- land cover


def shares_bar_svg(
    class_areas: dict[str, float], total_m2: float, width_in: float = 6.4, legend: bool = True
) -> str:
    """One stacked bar of the land-cover classes (share of the park), with a legend."""
    labels = fmt.class_labels()
    with matplotlib.rc_context(RC):
        fig = _figure(width_in, 1.35 if legend else 0.45)
        ax = fig.add_subplot()
        left = 0.0
        handles = []
        for key, area in sorted(class_areas.items(), key=lambda kv: -kv[1]):
            share = area / total_m2 * 100.0 if total_m2 else 0.0
            if share <= 0:
                continue
            colour = fmt.CLASS_COLOURS.get(key, "#cccccc")
            ax.barh(0, share, left=left, color=colour, edgecolor="white", linewidth=0.8)
            if share >= 6:
                dark = key in {"built", "green_trees", "water", "green_shrubs", "green_nature"}
                ax.text(
                    left + share / 2,
                    0,
                    fmt.percent(share, 0),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if dark else INK,
                )
            handles.append(
                Patch(color=colour, label=f"{labels.get(key, key)} {fmt.percent(share, 1)}")
            )
            left += share
        ax.set_xlim(0, max(100.0, left))
        ax.set_yticks([])
        ax.set_xticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        if legend:
            ax.legend(
                handles=handles,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.05),
                ncol=3,
                frameon=False,
                fontsize=7.5,
            )
        return _svg(fig)


def _scale_bar_length(width_m: float) -> float:
    """A round length about a fifth of the map width (10, 20, 50, 100, 200, ... m)."""
    target = width_m / 5.0
    exp = 10 ** math.floor(math.log10(max(target, 1.0)))
    for step in (1, 2, 5, 10):
        if step * exp >= target:
            return float(step * exp)
    return float(10 * exp)


def static_map_png(
    geoms: Sequence[Any],
    classes: Sequence[str],
    park: Any,
    *,
    width_in: float = 6.8,
    max_map_height_in: float = 6.2,
    dpi: int = 200,
    legend: bool = True,
) -> bytes:
    """The park's land cover (RD New, metres) with outline, legend, scale bar and north arrow.

    RD New is a conformal projection with grid north close to true north in the
    Netherlands (convergence < 2°), so an upward arrow is honest at park scale.
    The map keeps the park's aspect ratio; the legend sits below it.
    """
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    labels = fmt.class_labels()

    def patch_of(geom):
        polys = getattr(geom, "geoms", [geom])
        verts, codes = [], []
        for poly in polys:
            if poly.geom_type != "Polygon" or poly.is_empty:
                continue
            for ring in [poly.exterior, *poly.interiors]:
                xy = np.asarray(ring.coords)
                verts.append(xy)
                codes.append(
                    np.r_[MplPath.MOVETO, np.full(len(xy) - 2, MplPath.LINETO), MplPath.CLOSEPOLY]
                )
        if not verts:
            return None
        return PathPatch(MplPath(np.concatenate(verts), np.concatenate(codes)))

    x0, y0, x1, y1 = park.bounds
    w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    pad = max(w, h) * 0.07
    view_w, view_h = w + 2 * pad, h + 2 * pad
    map_h = min(max_map_height_in, width_in * view_h / view_w)
    map_w = map_h * view_w / view_h
    legend_h = 0.8 if legend else 0.02
    with matplotlib.rc_context(RC):
        fig = _figure(width_in, map_h + legend_h)
        fig.set_dpi(dpi)
        total_h = map_h + legend_h
        ax = fig.add_axes(
            ((1 - map_w / width_in) / 2, legend_h / total_h, map_w / width_in, map_h / total_h)
        )
        by_class: dict[str, list] = {}
        for geom, key in zip(geoms, classes, strict=True):
            p = patch_of(geom)
            if p is not None:
                by_class.setdefault(key, []).append(p)
        for key, patches in by_class.items():
            ax.add_collection(
                PatchCollection(
                    patches,
                    facecolor=fmt.CLASS_COLOURS.get(key, "#cccccc"),
                    edgecolor="white",
                    linewidth=0.25,
                )
            )
        outline = patch_of(park)
        if outline is not None:
            outline.set_facecolor("none")
            outline.set_edgecolor("#111111")
            outline.set_linewidth(1.8)
            ax.add_patch(outline)
        ax.set_xlim(x0 - pad, x1 + pad)
        ax.set_ylim(y0 - pad, y1 + pad)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor("#9aa59e")
            spine.set_linewidth(0.6)
        # scale bar in the bottom-left margin, in metres
        length = _scale_bar_length(w)
        bh = pad * 0.16
        bx, by = x0 - pad * 0.75, y0 - pad * 0.7
        ax.add_patch(Rectangle((bx, by), length / 2, bh, facecolor="#111111", zorder=6))
        ax.add_patch(
            Rectangle(
                (bx + length / 2, by),
                length / 2,
                bh,
                facecolor="white",
                edgecolor="#111111",
                lw=0.8,
                zorder=6,
            )
        )
        ax.text(bx, by + bh * 1.6, "0", fontsize=7, ha="center", zorder=6)
        ax.text(
            bx + length,
            by + bh * 1.6,
            f"{fmt.number(length, 0)} m",
            fontsize=7,
            ha="center",
            zorder=6,
        )
        # north arrow on a white tile in the top-right corner of the map
        nax = ax.inset_axes((0.93, 0.83, 0.06, 0.15))
        nax.set_xlim(0, 1)
        nax.set_ylim(0, 1)
        nax.set_facecolor((1, 1, 1, 0.85))
        nax.set_xticks([])
        nax.set_yticks([])
        for spine in nax.spines.values():
            spine.set_visible(False)
        nax.annotate(
            "",
            xy=(0.5, 0.95),
            xytext=(0.5, 0.42),
            arrowprops={
                "arrowstyle": "-|>,head_width=0.3,head_length=0.6",
                "color": "#111111",
                "lw": 1.6,
            },
        )
        nax.text(0.5, 0.2, "N", ha="center", va="center", fontsize=9, fontweight="bold")
        if legend:
            present = [k for k in fmt.CLASS_COLOURS if k in by_class]
            handles = [
                Patch(facecolor=fmt.CLASS_COLOURS[k], edgecolor="#999999", label=labels.get(k, k))
                for k in present
            ]
            handles.append(
                Patch(facecolor="none", edgecolor="#111111", linewidth=1.6, label=_("Terreingrens"))
            )
            fig.legend(
                handles=handles,
                loc="lower center",
                bbox_to_anchor=(0.5, 0.0),
                ncol=3,
                frameon=False,
                fontsize=7.5,
                handlelength=1.4,
                columnspacing=1.5,
            )
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        return buf.getvalue()
