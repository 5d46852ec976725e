"""Charts of a cost-benefit plan, drawn server-side as SVG (matplotlib, no pyplot).

The costs page and the plan's PDF show the same three drawings, so the page and the
paper never disagree and the browser needs no chart library (the page's strict
Content-Security-Policy allows no inline script or style; an SVG shown through
``<img src="data:...">``, as ``portal.charts.data_uri`` makes it, runs nothing).

The conventions are those of ``werklandschap.portal.charts``: its colours, fonts and
rc settings, ``Figure`` without pyplot (pyplot is not thread-safe), text kept as text.
Every drawing also says what it shows in words: the SVG starts with a ``<title>`` and
a ``<desc>`` holding the figures (an accessible name and description when the SVG is
opened or inlined; the page and the PDF give the same words as the ``alt`` text).

Labels are Dutch msgids (gettext, the active language decides); figures are written
by ``lib.numbers`` in the active language (Dutch ``€ 12.345``, English ``€ 12,345``).
All text reaches the SVG through matplotlib's XML escaping, and labels are drawn with
``parse_math=False`` so a ``$`` in a name is a dollar sign, not mathtext.

An empty plan (no measure with a quantity above zero) gives a small figure saying
there is nothing to show (never ``None``), so a caller can always embed the result.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import matplotlib
import numpy as np
from django.utils.translation import gettext as _
from matplotlib.patches import Patch

from werklandschap.costbenefit.model import Result
from werklandschap.costbenefit.montecarlo import TOTAL, MonteCarloResult
from werklandschap.lib.numbers import NBSP, format_number
from werklandschap.portal.charts import GREEN, GRID, INK, MUTED, RC, _figure, _svg, locale_ticks

from .browse import PARTY_LABELS

# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies);
# every series is also named in the legend and its figures are in the description.
INVESTMENT = "#d55e00"  # vermillion
MAINTENANCE = "#e69f00"  # orange
REPLACEMENT = "#cc79a7"  # reddish purple
BENEFITS = "#009e73"  # bluish green
COSTS = INVESTMENT
BAND = "#cfe3d6"  # portal.charts.BOX: the middle of a distribution
CUMULATIVE = INK

# A label over bars and lines stays readable on a white ground (as portal ambitions_svg).
LABEL_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9}

# Below half a cent a party has no share in the plan (float noise, not money).
NEGLIGIBLE = 0.005


def euro(value: float) -> str:
    """'€ 12.345' (Dutch) or '€ 12,345' (English): whole euros, as the costs page writes them."""
    return f"€{NBSP}{format_number(value, 0)}"


def _scale(largest: float) -> tuple[float, str]:
    """The divisor and axis label for euro amounts up to ``largest`` (readable ticks)."""
    if largest >= 2_000_000:
        return 1_000_000.0, _("miljoen euro")
    if largest >= 20_000:
        return 1_000.0, _("duizend euro")
    return 1.0, _("euro")


SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


def _serialise(root: ET.Element) -> str:
    """The SVG as text with SVG as the default namespace and ``xlink:`` for links.

    The prefixes are set here, per call, not once at import: ElementTree keeps one
    process-wide prefix table, and WeasyPrint registers the empty prefix for its own
    use when it is imported, after which a chart came out as ``<ns0:svg>`` (its
    ``<title>`` unseen by browsers' accessibility tree and by our tests).
    """
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


def _accessible(svg: str, title: str, desc: str) -> str:
    """The finished SVG: words first, no inline style, nothing but the drawing.

    - ``<title>`` and ``<desc>`` become the first children and the root says
      ``role="img"``: an accessible name and description wherever the SVG is shown.
      The texts may hold a plan title typed by a user; ElementTree escapes them, so
      they can never add markup.
    - matplotlib writes every colour as a ``style="..."`` attribute and one
      ``<style>`` rule. Under the site's Content-Security-Policy (no inline style)
      an SVG opened on its own (a chart URL, "open image in new tab") would lose
      them all and show a black box. They become SVG presentation attributes
      (``fill="#009e73"``), which no policy counts as inline style, and the rule
      (round line joins, butt caps) goes on the root, where it is inherited.
    - ``<metadata>`` (matplotlib's creator record) is dropped.
    """
    root = ET.fromstring(svg)  # noqa: S314 - our own matplotlib output (no DTD, no entities)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}style"):
                parent.remove(child)
    for defs in root.findall(f"{{{SVG_NS}}}defs"):
        if len(defs) == 0:
            root.remove(defs)
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    for element in root.iter():
        style = element.attrib.pop("style", None)
        for declaration in (style or "").split(";"):
            name, _sep, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if name and value and name not in element.attrib:
                element.set(name, value)
    root.set("role", "img")
    title_element = ET.Element(f"{{{SVG_NS}}}title")
    title_element.text = title
    desc_element = ET.Element(f"{{{SVG_NS}}}desc")
    desc_element.text = desc
    root.insert(0, desc_element)
    root.insert(0, title_element)
    return _serialise(root)


def description(svg: str) -> str:
    """The chart in words (its ``<title>`` and ``<desc>``), for an ``alt`` text.

    The page and the PDF show a chart as ``<img>``; this gives them the same words
    the SVG carries, so the alt text never drifts from the drawing.
    """
    root = ET.fromstring(svg)  # noqa: S314 - our own matplotlib output (no DTD, no entities)
    ns = "{http://www.w3.org/2000/svg}"
    title = root.findtext(f"{ns}title") or ""
    desc = root.findtext(f"{ns}desc") or ""
    return f"{title}. {desc}" if title else desc


def _title(what: str, plan_title: str | None) -> str:
    return f"{what} – {plan_title}" if plan_title else what


def _nothing(what: str, plan_title: str | None) -> str:
    """A small figure that says the plan has nothing to draw (an empty plan)."""
    message = _("Geen maatregelen in dit plan: er is nog niets te tonen.")
    with matplotlib.rc_context(RC):
        fig = _figure(6.4, 0.7)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, message, ha="center", va="center", color=MUTED, fontsize=9)
        return _accessible(_svg(fig), _title(what, plan_title), message)


def _tidy(ax, grid_axis: str) -> None:
    ax.grid(axis=grid_axis, color=GRID, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _plain(texts) -> None:
    """No mathtext in labels: a '$' in a (translated or typed) name stays a '$'."""
    for text in texts:
        text.set_parse_math(False)


def _year_ticks(ax, horizon: int) -> None:
    step = 1 if horizon <= 12 else 5
    ticks = list(range(0, horizon, step))
    ax.set_xticks(ticks, [format_number(t, 0) for t in ticks])
    ax.set_xlim(-0.7, horizon - 0.3)
    ax.set_xlabel(_("jaar na de aanleg (jaar 0: investering)"), color=MUTED)


# --------------------------------------------------------------------------- over time


def costs_benefits_over_time(
    result: Result, *, title: str | None = None, width_in: float = 6.8
) -> str:
    """Costs and benefits per year, and the cumulative discounted balance, as SVG.

    Why this drawing: "the cost comes before the benefit" is the heart of the
    conversation on a park. Costs (investment, maintenance, replacement, stacked)
    hang below zero and benefits stand above it, one pair of bars per year of the
    horizon, undiscounted euros; the line is the cumulative DISCOUNTED balance (the
    model's payback rule), so where it crosses zero the plan has paid itself back.
    Each bar carries an SVG id (``investment-0``, ``benefits-12``, ...).
    """
    what = _("Kosten en baten per jaar")
    if not result.measures:
        return _nothing(what, title)
    H = result.horizon
    years = np.asarray(result.years, dtype=float)
    series = [
        ("investment", _("investering"), result.investment, INVESTMENT),
        ("maintenance", _("onderhoud"), result.maintenance, MAINTENANCE),
        ("replacement", _("vervanging"), result.replacement, REPLACEMENT),
    ]
    largest = max(
        float(np.max(result.costs)),
        float(np.max(result.benefits)),
        float(np.max(np.abs(result.cumulative_discounted_net))),
        1.0,
    )
    divisor, unit = _scale(largest)
    with matplotlib.rc_context(RC):
        fig = _figure(width_in, 3.3)
        ax = fig.add_subplot()
        bottom = np.zeros(H)
        for key, _label, values, colour in series:
            heights = -np.asarray(values, dtype=float) / divisor
            bars = ax.bar(years, heights, bottom=bottom, width=0.72, color=colour, zorder=2)
            for year, bar in zip(result.years, bars, strict=True):
                bar.set_gid(f"{key}-{int(year)}")
            bottom = bottom + heights
        bars = ax.bar(
            years, np.asarray(result.benefits) / divisor, width=0.72, color=BENEFITS, zorder=2
        )
        for year, bar in zip(result.years, bars, strict=True):
            bar.set_gid(f"benefits-{int(year)}")
        (line,) = ax.plot(
            years,
            np.asarray(result.cumulative_discounted_net) / divisor,
            color=CUMULATIVE,
            lw=2,
            marker="o",
            ms=2.5,
            zorder=4,
        )
        line.set_gid("cumulative")
        ax.axhline(0, color=INK, lw=0.8, zorder=3)
        first = float(result.investment[0])
        if first > 0:
            # The year-0 investment usually dwarfs the yearly flows: its amount in words.
            ax.annotate(
                _("investering %(amount)s") % {"amount": euro(first)},
                (0.45, -first / divisor / 2),
                textcoords="offset points",
                xytext=(4, 0),
                va="center",
                fontsize=7.5,
                color=INVESTMENT,
                zorder=6,
                bbox=LABEL_BOX,
            )
        if result.payback_year is not None:
            ax.axvline(result.payback_year, color=GREEN, lw=1, ls="--", zorder=3)
            ax.annotate(
                _("terugverdiend in jaar %(year)s") % {"year": result.payback_year},
                (result.payback_year, 1),
                xycoords=("data", "axes fraction"),
                textcoords="offset points",
                xytext=(4, -2),
                va="top",
                fontsize=7.5,
                color=GREEN,
                zorder=6,
                bbox=LABEL_BOX,
            )
        _year_ticks(ax, H)
        locale_ticks(ax.yaxis)
        ax.set_ylabel(unit, color=MUTED)
        _tidy(ax, "y")
        fig.legend(
            handles=[
                *(Patch(color=c, label=label) for _k, label, _v, c in series),
                Patch(color=BENEFITS, label=_("baten")),
                matplotlib.lines.Line2D(
                    [], [], color=CUMULATIVE, lw=2, label=_("saldo, contant, opgeteld")
                ),
            ],
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=3,
            frameon=False,
            fontsize=7.5,
        )
        svg = _svg(fig)
    payback = (
        _("terugverdiend in jaar %(year)s") % {"year": result.payback_year}
        if result.payback_year is not None
        else _("niet terugverdiend binnen %(years)s jaar") % {"years": H}
    )
    desc = _(
        "Per jaar over %(years)s jaar: investering %(investment)s in jaar 0, onderhoud "
        "%(maintenance)s en vervanging %(replacement)s in totaal, baten %(benefits)s in "
        "totaal (bedragen niet contant gemaakt). Het contante saldo opgeteld eindigt op "
        "%(npv)s; %(payback)s."
    ) % {
        "years": H,
        "investment": euro(float(np.sum(result.investment))),
        "maintenance": euro(float(np.sum(result.maintenance))),
        "replacement": euro(float(np.sum(result.replacement))),
        "benefits": euro(float(np.sum(result.benefits))),
        "npv": euro(result.npv),
        "payback": payback,
    }
    return _accessible(svg, _title(what, title), desc)


# --------------------------------------------------------------------------- per party


def involved_parties(result: Result) -> list[str]:
    """The parties that pay or gain anything in the plan, in the catalogue's order."""
    return [
        p
        for p, r in result.parties.items()
        if abs(r.pv_costs) > NEGLIGIBLE or abs(r.pv_benefits) > NEGLIGIBLE
    ]


def per_party(result: Result, *, title: str | None = None, width_in: float = 6.8) -> str:
    """Present value of costs and of benefits per party, as horizontal bars (SVG).

    Why: greening stalls because the one who pays is not the one who gains. Each
    party that pays or gains anything gets two bars (costs, benefits) and its
    balance under its name, so the gap between payers and gainers reads at a glance.
    Parties without any share are left out (the description says so). Each bar
    carries an SVG id (``costs-municipality``, ``benefits-employees``).
    """
    what = _("Kosten en baten per partij (contante waarde)")
    parties = involved_parties(result)
    if not result.measures or not parties:
        return _nothing(what, title)
    rows = [result.parties[p] for p in parties]
    largest = max(max(r.pv_costs, r.pv_benefits) for r in rows)
    divisor, unit = _scale(max(largest, 1.0))
    n = len(rows)
    with matplotlib.rc_context(RC):
        fig = _figure(width_in, 0.62 * n + 0.9)
        ax = fig.add_subplot()
        y = np.arange(n)[::-1].astype(float)
        for yi, r in zip(y, rows, strict=True):
            for key, value, offset, colour in (
                ("costs", r.pv_costs, 0.19, COSTS),
                ("benefits", r.pv_benefits, -0.19, BENEFITS),
            ):
                (bar,) = ax.barh(yi + offset, value / divisor, height=0.36, color=colour, zorder=2)
                bar.set_gid(f"{key}-{r.party}")
                ax.text(
                    value / divisor,
                    yi + offset,
                    f" {euro(value)}",
                    va="center",
                    ha="left",
                    fontsize=7.5,
                    color=INK,
                    zorder=3,
                )
        labels = [
            "{}\n{}".format(PARTY_LABELS[r.party], _("saldo %(amount)s") % {"amount": euro(r.npv)})
            for r in rows
        ]
        ax.set_yticks(y, labels)
        _plain(ax.get_yticklabels())
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlim(0, largest / divisor * 1.3)
        locale_ticks(ax.xaxis)
        ax.set_xlabel(unit, color=MUTED)
        ax.tick_params(axis="y", length=0)
        _tidy(ax, "x")
        ax.spines["left"].set_visible(False)
        ax.legend(
            handles=[
                Patch(color=COSTS, label=_("kosten")),
                Patch(color=BENEFITS, label=_("baten")),
            ],
            loc="lower right",
            frameon=False,
            fontsize=7.5,
        )
        svg = _svg(fig)
    parts = [
        _("%(party)s: kosten %(costs)s, baten %(benefits)s, saldo %(npv)s")
        % {
            "party": PARTY_LABELS[r.party],
            "costs": euro(r.pv_costs),
            "benefits": euro(r.pv_benefits),
            "npv": euro(r.npv),
        }
        for r in rows
    ]
    left_out = [str(PARTY_LABELS[p]) for p in result.parties if p not in parties]
    desc = "; ".join(parts) + "."
    if left_out:
        desc += " " + _("Zonder kosten of baten: %(parties)s.") % {"parties": ", ".join(left_out)}
    return _accessible(svg, _title(what, title), desc)


# --------------------------------------------------------------------------- Monte Carlo


def monte_carlo_band(
    mc: MonteCarloResult, *, title: str | None = None, width_in: float = 6.8
) -> str:
    """The 10-90 % band and the median of the cumulative discounted balance per year (SVG).

    Why: every number in the catalogue is a range, many of them estimates; the band
    shows how sure the payback is. The shaded band (SVG id ``band``) holds 80 % of
    the Monte Carlo draws, the line (``p50``) is the median, the zero line
    (``zero``) is where a draw has paid itself back.
    """
    what = _("Onzekerheid: saldo opgeteld, 10–90 % van de trekkingen")
    band = np.asarray(mc.band, dtype=float)
    if not np.any(band):
        return _nothing(what, title)
    H = mc.horizon
    years = np.arange(H, dtype=float)
    largest = float(np.max(np.abs(band)))
    divisor, unit = _scale(max(largest, 1.0))
    with matplotlib.rc_context(RC):
        fig = _figure(width_in, 2.9)
        ax = fig.add_subplot()
        area = ax.fill_between(
            years, band[0] / divisor, band[2] / divisor, color=BAND, lw=0, zorder=1
        )
        area.set_gid("band")
        (median,) = ax.plot(years, band[1] / divisor, color=GREEN, lw=2, zorder=3)
        median.set_gid("p50")
        zero = ax.axhline(0, color=INK, lw=0.8, zorder=2)
        zero.set_gid("zero")
        _year_ticks(ax, H)
        locale_ticks(ax.yaxis)
        ax.set_ylabel(unit, color=MUTED)
        _tidy(ax, "y")
        ax.legend(
            handles=[
                Patch(color=BAND, label=_("10–90 % van de trekkingen")),
                matplotlib.lines.Line2D([], [], color=GREEN, lw=2, label=_("mediaan")),
            ],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.22),
            ncol=2,
            frameon=False,
            fontsize=7.5,
        )
        svg = _svg(fig)
    p10, p50, p90 = mc.percentiles[TOTAL]
    desc = _(
        "%(draws)s trekkingen. Saldo na %(years)s jaar (contante waarde): 10 %% van de "
        "trekkingen onder %(p10)s, de helft onder %(p50)s, 90 %% onder %(p90)s. Kans dat "
        "het plan meer oplevert dan het kost: %(probability)s."
    ) % {
        "draws": format_number(mc.draws, 0),
        "years": H,
        "p10": euro(p10),
        "p50": euro(p50),
        "p90": euro(p90),
        "probability": f"{format_number(mc.probability_positive[TOTAL] * 100, 0)}{NBSP}%",
    }
    return _accessible(svg, _title(what, title), desc)
