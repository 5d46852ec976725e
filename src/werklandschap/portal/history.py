"""The park's figures over successive scans."""

from __future__ import annotations

from typing import Any

from werklandschap.registry.models import Park
from werklandschap.scanengine.catalog import INDICATORS
from werklandschap.scans.models import ParkScan

from . import presentation as fmt
from .comparison import value_of


def scan_history(park: Park) -> list[ParkScan]:
    """The park's successful scans, oldest first (one per run)."""
    return list(
        park.scans.filter(status=ParkScan.Status.OK).select_related("run").order_by("computed_at")
    )


def history_table(scans: list[ParkScan], keys: list[str] | None = None) -> dict[str, Any]:
    """Headline indicators over successive scans: columns = scans, rows = indicators."""
    keys = keys or list(fmt.HEADLINE_INDICATORS)
    columns = [
        {
            "scan": s,
            "date": s.computed_at,
            "bundle": s.run.bundle_name,
            "synthetic": s.run.is_synthetic,
            "engine": s.run.engine_version,
        }
        for s in scans
    ]
    rows = []
    for key in keys:
        ind = INDICATORS.get(key)
        if ind is None:
            continue
        values = [value_of(key, s.indicators or {}, s.scores or {}) for s in scans]
        rows.append(
            {
                "key": key,
                "label": fmt.label(key),
                "unit": ind.unit,
                "values": values,
                "texts": [fmt.with_unit(v, ind.unit, key) for v in values],
                "change": (values[-1] - values[0])
                if len(values) > 1 and values[0] is not None and values[-1] is not None
                else None,
            }
        )
    return {"columns": columns, "rows": rows}
