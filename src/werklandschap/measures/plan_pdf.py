"""A plan as a PDF report (WeasyPrint), Dutch by default, in the active language.

Issue 18: "download PDF (Dutch, as the scan report)". The document a park hands to
its municipality or water board: the plan, what it costs and brings in total and
per party, the redistribution proposal, the three charts of the costs page
(``measures.charts``), the Monte Carlo summary with the five parameters that move
the result most, and an appendix with every parameter and its source, assumptions
marked. Its figures come from ``plan_figures`` (the same as the XLSX and the page).

It looks like the scan report: the same stylesheet (``portal/report.css``, rendered
in the active language) with a few additions (``measures/plan_report.css``), the
same cover, fonts and running heads, and the same tagged PDF/UA-1 variant
(``portal.report.PDF_VARIANT``: structure tree, ``/Lang``, title, alt text on
every chart).

Safety: the title and park name are typed by users. They reach the PDF only through
Django's autoescaping. WeasyPrint gets no base URL and a URL fetcher that allows
only ``data:`` URLs (the charts, inlined as ``data:image/svg+xml``) and stops the
render on any other fetch, so nothing in a plan can make the server read a file or
fetch a page (as ``support.one_page.refusing_url_fetcher``, which refuses ``data:``
too because the proposal has no images).

Speed: the suggested plan of a typical park (4-5 measures, 9 pages) renders in
about 1.1-2.2 s on the 2-core development machine (WeasyPrint's layout and the
three charts, 0.3 s; the model and the 2,000-draw Monte Carlo take under 30 ms).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from werklandschap.costbenefit.model import Plan
from werklandschap.costbenefit.montecarlo import TOTAL
from werklandschap.costbenefit.types import Catalogue
from werklandschap.lib.numbers import format_number, percent
from werklandschap.portal import presentation
from werklandschap.portal.charts import data_uri
from werklandschap.portal.report import PDF_VARIANT
from werklandschap.scanengine.catalog import INDICATORS

from . import charts
from .plan_figures import SENSITIVITY_TOP, PlanFigures, party_label, plan_figures, sensitivity_label

TEMPLATE = "measures/plan_report.html"
STYLESHEETS = ("portal/report.css", "measures/plan_report.css")  # rendered as templates
MAX_PLACES = 4


def data_only_url_fetcher() -> Any:
    """A WeasyPrint URL fetcher for ``data:`` URLs only; any other URL stops the render.

    A ``data:`` URL carries its bytes in itself: no file is read, no server asked. The
    charts are inlined that way; every other protocol (file, http, ftp, ...) is refused
    and, with ``fail_on_errors``, ends the render instead of being skipped silently.
    """
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=frozenset({"data"}), fail_on_errors=True)


def _value(value: float | None) -> str:
    """A parameter as the catalogue has it: no trailing zeros, at most 4 decimals."""
    if value is None:
        return "–"
    # Thousands are grouped from 10,000 on, so a year reads 2024, not 2.024.
    grouping = abs(value) >= 10_000
    for places in range(MAX_PLACES + 1):
        if abs(value * 10**places - round(value * 10**places)) < 1e-9:
            return format_number(value, places, grouping=grouping)
    return format_number(value, MAX_PLACES, grouping=grouping)


def _ratio(value: float | None) -> str:
    return format_number(value, 2) if value is not None else "–"


def _payback(year: int | None, costs: float) -> str:
    if year is not None:
        return _("jaar %(year)s") % {"year": year}
    return _("niet binnen de looptijd") if costs > 0 else "–"


def _before_after(rows: Sequence[Mapping[str, Any]] | None) -> list[dict[str, str]]:
    """The park's indicators before and after, written as the dashboard writes them."""
    out = []
    for row in rows or ():
        key = str(row["key"])
        ind = INDICATORS.get(key)
        unit = ind.unit if ind is not None else None
        out.append(
            {
                "label": presentation.label(key),
                "before": presentation.with_unit(row.get("before"), unit, key),
                "after": presentation.with_unit(row.get("after"), unit, key),
            }
        )
    return out


def _appendix(f: PlanFigures) -> list[dict[str, Any]]:
    """Parameters grouped by measure (or category), each with its source and flag."""
    groups: list[dict[str, Any]] = []
    for p in f.parameters:
        if not groups or groups[-1]["name"] != p.group:
            groups.append({"name": p.group, "rows": []})
        groups[-1]["rows"].append(
            {
                "label": p.label,
                "low": _value(p.low),
                "expected": _value(p.expected),
                "high": _value(p.high),
                "source": p.source,
                "assumption": p.assumption,
            }
        )
    return groups


def plan_report_context(
    catalogue: Catalogue,
    plan: Plan,
    *,
    title: str,
    park_name: str | None,
    situation_before_after: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The template's values, every figure already written in the active language."""
    f = plan_figures(catalogue, plan)
    r, mc = f.result, f.mc
    euro = charts.euro
    svgs = {
        "over_time": charts.costs_benefits_over_time(r, title=title),
        "per_party": charts.per_party(r, title=title),
        "band": charts.monte_carlo_band(mc, title=title),
    }
    figures = {
        name: {"src": data_uri(svg), "alt": charts.description(svg)} for name, svg in svgs.items()
    }
    involved = set(charts.involved_parties(r))
    parties = [
        {
            "label": party_label(p.party),
            "pv_costs": euro(p.pv_costs),
            "pv_benefits": euro(p.pv_benefits),
            "npv": euro(p.npv),
            "bcr": _ratio(p.bcr),
            "payback": _payback(p.payback_year, p.pv_costs),
            "p10": euro(mc.percentiles[p.party][0]),
            "p90": euro(mc.percentiles[p.party][2]),
            "gains": p.npv > 0,
        }
        for p in r.parties.values()
        if p.party in involved
    ]
    red = r.redistribution
    p10, p50, p90 = mc.percentiles[TOTAL]
    assumptions = sum(p.assumption for p in f.parameters)
    return {
        "title": title,
        "park_name": park_name,
        "generated_at": formats.date_format(timezone.localdate(), "j F Y"),
        "price_year": catalogue.price_year,
        "rate": percent(r.discount_rate * 100, 2),
        "horizon": r.horizon,
        "lines": [
            {
                "name": line.name,
                "quantity": format_number(line.quantity, 0 if line.quantity >= 10 else 1),
                "unit": line.unit,
                "pv_costs": euro(r.measures[line.key].pv_costs),
                "pv_benefits": euro(r.measures[line.key].pv_benefits),
                "npv": euro(r.measures[line.key].npv),
            }
            for line in f.lines
        ],
        "empty": not f.lines,
        "total": {
            "pv_costs": euro(r.pv_costs),
            "pv_benefits": euro(r.pv_benefits),
            "npv": euro(r.npv),
            "bcr": _ratio(r.bcr),
            "payback": _payback(r.payback_year, r.pv_costs),
            "probability": percent(mc.probability_positive[TOTAL] * 100, 0),
        },
        "before_after": _before_after(situation_before_after),
        "parties": parties,
        "left_out": [party_label(p) for p in r.parties if p not in involved],
        "redistribution": {
            "feasible": red.feasible,
            "shortfall": euro(red.shortfall),
            "total": euro(red.total_transferred),
            "transfers": [
                {
                    "from": party_label(t.from_party),
                    "to": party_label(t.to_party),
                    "amount": euro(t.amount),
                }
                for t in red.transfers
            ],
            "after": [
                {
                    "label": party_label(p),
                    "before": euro(red.npv_before[p]),
                    "after": euro(red.npv_after[p]),
                }
                for p in r.parties
                if p in involved
            ],
        },
        "figures": figures,
        "mc": {
            "draws": format_number(mc.draws, 0),
            "seed": mc.seed,
            "p10": euro(p10),
            "p50": euro(p50),
            "p90": euro(p90),
            "probability": percent(mc.probability_positive[TOTAL] * 100, 0),
            "sensitivity": [
                {"label": sensitivity_label(catalogue, s), "rho": format_number(s.rho, 2)}
                for s in mc.sensitivity[:SENSITIVITY_TOP]
            ],
        },
        "appendix": _appendix(f),
        "assumptions": assumptions,
        "parameter_count": len(f.parameters),
    }


def plan_report_html(
    catalogue: Catalogue,
    plan: Plan,
    *,
    title: str,
    park_name: str | None,
    situation_before_after: Sequence[Mapping[str, Any]] | None = None,
) -> str:
    """The report as HTML (what WeasyPrint renders), in the active language."""
    context = plan_report_context(
        catalogue,
        plan,
        title=title,
        park_name=park_name,
        situation_before_after=situation_before_after,
    )
    return render_to_string(TEMPLATE, context)


def plan_pdf(
    catalogue: Catalogue,
    plan: Plan,
    *,
    title: str,
    park_name: str | None,
    situation_before_after: Sequence[Mapping[str, Any]] | None = None,
) -> bytes:
    """The plan's report as PDF bytes (A4, tagged), in the active language.

    ``situation_before_after``: the park's indicators before and after the plan as
    ``portal.costs`` shapes them (``[{"key", "before", "after"}, ...]``), or None to
    leave that table out. Raises ``costbenefit.model.PlanError`` for a plan the model
    refuses. Imports WeasyPrint lazily: it is heavy and only this needs it.
    """
    from weasyprint import CSS, HTML

    fetcher = data_only_url_fetcher()
    html = plan_report_html(
        catalogue,
        plan,
        title=title,
        park_name=park_name,
        situation_before_after=situation_before_after,
    )
    stylesheets = [CSS(string=render_to_string(name), url_fetcher=fetcher) for name in STYLESHEETS]
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(
        stylesheets=stylesheets, pdf_variant=PDF_VARIANT
    )
