"""The named figures of a dashboard: each one's table (for CSV) and chart (SVG).

One function per figure returns a :class:`Dataset`: a title, a header and rows
(what the CSV holds) and, if it has one, the chart drawn from the same rows, so
the chart and its download never disagree. The URL names a figure by its slug
(``FIGURES``); an unknown slug is a 404.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werklandschap.lib.spreadsheet import formula_safe
from werklandschap.portal.exports import csv_dialect

from . import charts
from .figures import Dashboard
from .target_labels import shown


@dataclass(frozen=True)
class Dataset:
    title: str
    header: list[str]
    rows: list[list[Any]]
    chart: Callable[[bool], str] | None = None  # phone=True: the narrow variant


def _over_time(dashboard: Dashboard, dimension: str, title: str) -> Dataset:
    swarm = dashboard.swarm
    labels = swarm.labels[dimension]
    keys = [k for k in labels if any(swarm.series[dimension].get(k, []))]
    header = [_("maand"), *[labels[k] for k in keys], _("totaal in de zwerm")]
    rows = [
        [month, *[swarm.series[dimension][k][i] for k in keys], swarm.total[i]]
        for i, month in enumerate(swarm.months)
    ]
    return Dataset(title, header, rows)


def _role(dashboard: Dashboard) -> Dataset:
    title = _("Terreinen in de zwerm per rol, per maand")
    data = _over_time(dashboard, "role", title)
    swarm = dashboard.swarm
    target = next((t for t in dashboard.targets if t.key == "parks-in-transition"), None)
    show_target = target is not None and dashboard.scope_key == "programme"

    def chart(phone: bool = False) -> str:
        return charts.stacked_over_time(
            title,
            swarm.months,
            swarm.series["role"],
            swarm.labels["role"],
            target=target.value if show_target else None,
            target_label=_("doel"),
            phone=phone,
        )

    return Dataset(data.title, data.header, data.rows, chart)


def _phase(dashboard: Dashboard) -> Dataset:
    title = _("Terreinen in de zwerm per procesfase, per maand")
    data = _over_time(dashboard, "phase", title)
    swarm = dashboard.swarm

    def chart(phone: bool = False) -> str:
        return charts.stacked_over_time(
            title, swarm.months, swarm.series["phase"], swarm.labels["phase"], phone=phone
        )

    return Dataset(data.title, data.header, data.rows, chart)


def _current_bars(dashboard: Dashboard, dimension: str, title: str) -> Dataset:
    data = _over_time(dashboard, dimension, title)
    now = [(label, n) for _v, label, n in dashboard.swarm.current(dimension) if n]
    now.sort(key=lambda row: (-row[1], row[0]))

    def chart(phone: bool = False) -> str:
        return charts.bars(title, now, phone=phone)

    return Dataset(data.title, data.header, data.rows, chart)


def _province(dashboard: Dashboard) -> Dataset:
    return _current_bars(dashboard, "province", _("Terreinen in de zwerm per provincie"))


def _region(dashboard: Dashboard) -> Dataset:
    return _current_bars(dashboard, "region", _("Terreinen in de zwerm per regio"))


def _park_type(dashboard: Dashboard) -> Dataset:
    return _current_bars(dashboard, "park_type", _("Terreinen in de zwerm per type terrein"))


def _targets(dashboard: Dashboard) -> Dataset:
    title = _("Voortgang naar de programmadoelen")
    rows = [
        [shown(t.label), t.value, t.reached, t.percent, shown(t.unit), t.target_year, t.source]
        for t in dashboard.targets
    ]
    header = [
        _("doel"),
        _("waarde"),
        _("bereikt"),
        _("procent"),
        _("eenheid"),
        _("jaar"),
        _("bron"),
    ]
    measured = [
        (shown(t.label), t.reached, t.value) for t in dashboard.targets if t.reached is not None
    ]

    def chart(phone: bool = False) -> str:
        return charts.progress(title, measured, phone=phone)

    return Dataset(title, header, rows, chart)


def _questions_per_month(dashboard: Dashboard) -> Dataset:
    title = _("Vragen aan de vraagbaak per maand")
    rows = [[m, n] for m, n in dashboard.support["per_month"]]

    def chart(phone: bool = False) -> str:
        return charts.monthly_bars(title, dashboard.support["per_month"], phone=phone)

    return Dataset(title, [_("maand"), _("vragen")], rows, chart)


def _questions_by_status(dashboard: Dashboard) -> Dataset:
    title = _("Vragen aan de vraagbaak per status")
    rows = [[row["label"], row["count"]] for row in dashboard.support["by_status"]]

    def chart(phone: bool = False) -> str:
        return charts.bars(title, [(r[0], r[1]) for r in rows], colour=charts.TARGET, phone=phone)

    return Dataset(title, [_("status"), _("vragen")], rows, chart)


def _scan_indicators(dashboard: Dashboard) -> Dataset:
    title = _("Scanindicatoren van de terreinen")
    header = [
        _("indicator"),
        _("eenheid"),
        _("bewerking"),
        _("terreinen met waarde"),
        _("waarde"),
        _("terreinen met twee scans"),
        _("verandering"),
    ]
    rows = []
    for figure in dashboard.scans.indicators if dashboard.scans else []:
        rows.append(
            [
                figure.label,
                figure.unit,
                _("som") if figure.summed else _("gemiddelde naar oppervlakte"),
                figure.parks,
                None if figure.value is None else round(figure.value, figure.decimals),
                figure.compared,
                None if figure.change is None else round(figure.change, figure.decimals),
            ]
        )
    return Dataset(title, header, rows)


FIGURES: dict[str, tuple[Any, Callable[[Dashboard], Dataset], bool]] = {
    # slug: (label, builder, area dashboards only)
    "doelen": (gettext_lazy("Programmadoelen"), _targets, False),
    "zwerm-per-rol": (gettext_lazy("Zwerm per rol"), _role, False),
    "zwerm-per-fase": (gettext_lazy("Zwerm per fase"), _phase, False),
    "zwerm-per-provincie": (gettext_lazy("Zwerm per provincie"), _province, False),
    "zwerm-per-regio": (gettext_lazy("Zwerm per regio"), _region, False),
    "zwerm-per-type": (gettext_lazy("Zwerm per type"), _park_type, False),
    "vragen-per-maand": (gettext_lazy("Vragen per maand"), _questions_per_month, False),
    "vragen-per-status": (gettext_lazy("Vragen per status"), _questions_by_status, False),
    "scanindicatoren": (gettext_lazy("Scanindicatoren"), _scan_indicators, True),
}


def dataset(dashboard: Dashboard, slug: str) -> Dataset | None:
    """The named figure of ``dashboard``; None if it has no such figure."""
    found = FIGURES.get(slug)
    if found is None:
        return None
    _label, build, area_only = found
    if area_only and dashboard.scans is None:
        return None
    return build(dashboard)


def to_csv(data: Dataset) -> str:
    """The table as CSV in the active language's dialect; text cells formula-safe."""
    dialect = csv_dialect()
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([formula_safe(h) for h in data.header])
    for row in data.rows:
        writer.writerow([_cell(value, dialect.decimal) for value in row])
    return buf.getvalue()


def _cell(value: Any, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return formula_safe(value)
    if isinstance(value, int | float):
        return str(value).replace(".", decimal)
    return formula_safe(value)
