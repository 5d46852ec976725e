"""The park's baseline-scan report as a PDF (WeasyPrint), in Dutch or English.

A document a park manager can hand to the municipality: cover, summary, map,
indicators per theme, comparison with other parks, ambitions and the step
still to take, and where every figure comes from. It is rendered from an
HTML template with print CSS and the same charts (``charts.py``) and figures
(``park_overview``) as the dashboard, so the two never disagree.

Rendering takes tens of seconds for a large park, so it never runs inside a
web request: ``report_jobs.py`` queues a job and the scan queue's worker
calls :func:`render_pdf`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from werklandschap.registry.models import Park
from werklandschap.scanengine.catalog import INDICATORS
from werklandschap.scans.models import ParkScan

from . import charts, layers, verdicts
from . import presentation as fmt
from .indicator_views import indicator_view, ordered_items
from .park_overview import park_overview

logger = logging.getLogger("werklandschap.portal")


def _summary_points(scan: ParkScan, ambitions: list[dict], themes: list[dict]) -> dict[str, Any]:
    """Strong themes, themes needing attention and the ambitions not yet met.

    Strong and weak follow the score bands of ``verdicts.yaml`` (the dashboard's
    words), never the rank: a park's best theme at 43 is 'matig', not strong.
    """
    by_band = verdicts.summarise_themes(themes)
    open_steps = [a for a in ambitions if a["met"] is False]
    met = [a for a in ambitions if a["met"] is True]
    unknown = [a for a in ambitions if a["met"] is None]
    return {
        "strong": by_band["strong"],
        "weak": by_band["attention"],
        "open_steps": open_steps,
        "met": met,
        "unknown": unknown,
        "unscored": by_band["unscored"],
    }


def _scores_alt(themes: list[dict]) -> str:
    """The theme-score chart in words, for the tagged PDF's figure (screen readers)."""
    parts = [
        f"{t['label']}: {fmt.number(t['score'], 0)} ({verdicts.band_label(t['score'])})"
        if t["score"] is not None
        else f"{t['label']}: {_('geen score')}"
        for t in themes
    ]
    return _("Themascore per thema, 0 tot 100. %(scores)s.") % {"scores": "; ".join(parts)}


def _ambitions_alt(ambitions: list[dict]) -> str:
    """The ambitions chart in words: per indicator now, target, and whether it is met."""
    parts = []
    for a in ambitions:
        if a["met"] is None:
            state = _("niet te bepalen")
        elif a["met"]:
            state = _("gehaald")
        else:
            state = _("nog niet gehaald")
        parts.append(
            _("%(label)s: nu %(now)s, ambitie %(target)s, %(state)s")
            % {
                "label": a["label"],
                "now": a["current_text"] if a["current"] is not None else _("niet beschikbaar"),
                "target": a["target_text"],
                "state": state,
            }
        )
    return _("Ambities van het terrein. %(rows)s.") % {"rows": "; ".join(parts)}


def report_context(park: Park, scan: ParkScan) -> dict[str, Any]:
    """The shared park overview (``park_overview``) plus what only the PDF has.

    The report's own parts: charts at print size (not cached: the worker renders
    once per scan and language), the static map and land-cover table, chart texts
    for the tagged PDF, numbered sources and the appendix of every indicator.
    """
    context = park_overview(park, scan)
    run = context["run"]
    themes = context["themes"]
    ambitions = context["ambitions"]
    area_m2 = (scan.area_ha or 0.0) * 10_000.0
    map_png = shares_svg = None
    map_error = ""
    class_rows = []
    try:
        extract = layers.landcover(park, scan)
        map_png = charts.png_data_uri(
            charts.static_map_png(
                extract.geoms, extract.classes, extract.park, legend=False, max_map_height_in=4.6
            )
        )
        areas = extract.class_areas()
        shares_svg = charts.data_uri(
            charts.shares_bar_svg(areas, area_m2, width_in=6.8, legend=False)
        )
        labels = fmt.class_labels()
        class_rows = [
            {
                "key": k,
                "label": labels.get(k, k),
                "colour": fmt.CLASS_COLOURS.get(k, "#ccc"),
                "area": fmt.number(a, 0),
                "share": fmt.number(a / area_m2 * 100.0 if area_m2 else 0.0, 1),
            }
            for k, a in areas.items()
        ]
    except layers.LayerUnavailable as exc:
        map_error = str(exc)
    items = context["comparison_items"]
    compared = [
        {
            "item": item,
            "chart": charts.data_uri(charts.comparison_svg(item, width_in=3.4)),
            "alt": _(
                "%(label)s: dit terrein %(value)s, tegen de verdeling van drie groepen "
                "terreinen; de groepen staan onder de grafiek."
            )
            % {"label": item.label, "value": item.value_text},
        }
        for item in items
        if item.value is not None
    ]
    bundle = run.bundle or {}
    # Sources are long (every BGT layer with its date) and shared by many indicators:
    # number them once and refer to the number in the appendix.
    sources: list[str] = []
    appendix = []
    for t in themes:
        rows = []
        for key, entry in ordered_items(scan.indicators or {}):
            theme = entry.get("theme") or (INDICATORS[key].theme if key in INDICATORS else "")
            if theme != t["theme"]:
                continue
            view = indicator_view(key, entry)
            number = None
            if view.source:
                if view.source not in sources:
                    sources.append(view.source)
                number = sources.index(view.source) + 1
            rows.append({"ind": view, "source_no": number})
        appendix.append({"theme": fmt.theme_label(t["theme"]), "rows": rows})
    context.update(
        {
            "bundle": bundle,
            "layers": bundle.get("layers", []),
            "generated_at": timezone.localtime(),
            "scan_date": timezone.localtime(scan.computed_at),
            "scores_chart": charts.data_uri(
                charts.theme_scores_svg(scan.scores or {}, width_in=6.8)
            ),
            "scores_alt": _scores_alt(themes),
            "map_png": map_png,
            "map_error": map_error,
            "shares_chart": shares_svg,
            "class_rows": class_rows,
            "comparison": compared,
            "not_compared": [item.label for item in items if item.value is None],
            "sources": sources,
            "ambitions_chart": charts.data_uri(charts.ambitions_svg(ambitions, width_in=6.8)),
            "ambitions_alt": _ambitions_alt(ambitions),
            "minimums": verdicts.minimums(),
            "summary": _summary_points(scan, ambitions, themes),
            "history": context["history_table"],
            "history_count": len(context["scans"]),
            "appendix": appendix,
        }
    )
    return context


def render_html(park: Park, scan: ParkScan, language: str = "nl") -> str:
    with translation.override(language):
        return render_to_string("portal/report.html", report_context(park, scan))


# A tagged PDF (structure tree, reading order, /Lang from <html lang>, the title
# from <title> shown by viewers, alt text on every figure) that claims PDF/UA-1.
# WeasyPrint calls its PDF/UA support experimental; tests/portal/test_report_pages.py
# checks the tags, the language and that WeasyPrint reported no missing alt text.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(
    park: Park, scan: ParkScan, base_url: str | None = None, *, language: str = "nl"
) -> bytes:
    """The PDF bytes. Imports WeasyPrint lazily: it is heavy and only this needs it.

    Every image is inlined as a data URI, so no ``base_url`` is needed; WeasyPrint
    is never pointed at a URL of this site (the worker has no request to take one from).
    """
    from weasyprint import HTML

    html = render_html(park, scan, language)
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
