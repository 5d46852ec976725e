"""The park's figures that the dashboard and the PDF report both show, built once.

The dashboard (``views.dashboard_context``) and the report (``report.report_context``)
used to assemble the same figures each in their own near-copy, and drifted (the
report fell back to the scanned area for the size class, the dashboard did not).
Both now start from :func:`park_overview` and add only what is their own: the
dashboard its forms, map and request-dependent URLs, the report its print-sized
charts, map image and appendix. Nothing here depends on a request or checks access.
"""

from __future__ import annotations

from typing import Any

from werklandschap.registry.models import Park
from werklandschap.scans.models import ParkScan

from .ambitions import ambition_rows
from .comparison import comparison, park_size_class, size_class_label
from .history import history_table, scan_history
from .indicator_views import data_coverage, headline, indicators_by_theme, parameters_provenance
from .partner_offer import green_deal_for


def park_overview(park: Park, scan: ParkScan | None) -> dict[str, Any]:
    """Park, scan, themes, ambitions, comparison, history and offer: the shared context.

    ``scan`` is the park's latest successful scan, or None before the first one (the
    dashboard still shows the ambitions then; the report is never made without a scan).
    Keys: ``park``, ``scan``, ``run``, ``themes``, ``headline``, ``coverage``,
    ``parameters``, ``ambitions`` (rows of ``ambitions.ambition_rows``),
    ``comparison_items`` (``comparison.ComparisonItem`` list, empty without a scan),
    ``scans`` (successful scans, oldest first), ``history_table``, ``size_class``
    (its label) and ``green_deal``.
    """
    scans = scan_history(park)
    return {
        "park": park,
        "scan": scan,
        "run": scan.run if scan else None,
        "themes": indicators_by_theme(scan) if scan else [],
        "headline": headline(scan) if scan else [],
        "coverage": data_coverage(scan) if scan else None,
        "parameters": parameters_provenance(scan) if scan else None,
        "ambitions": ambition_rows(park, scan),
        "comparison_items": comparison(park, scan) if scan else [],
        "scans": scans,
        "history_table": history_table(scans),
        "size_class": size_class_label(park_size_class(park, scan)),
        "green_deal": green_deal_for(park),
    }
