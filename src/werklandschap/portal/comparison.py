"""The park against other parks: same type and size class, its province, the whole country.

Groups hold the latest successful scan of every park in them; the statistics
(quartiles, 'better than') are plain functions checked by hand in
tests/portal/test_comparison.py. The park's size class is computed here once
(:func:`park_size_class`) for the comparison, the dashboard and the report.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, Subquery
from django.utils.translation import gettext as _

from werklandschap.registry.models import Park
from werklandschap.scanengine.catalog import INDICATORS, THEMES
from werklandschap.scans.models import ParkScan

from . import presentation as fmt

# Size classes of business parks (gross area). IBIS reports parks from ~1 ha to
# several hundred; the median is about 25 ha, hence the class edges around it.
SIZE_CLASSES: list[tuple[float, float | None]] = [
    (0.0, 10.0),
    (10.0, 25.0),
    (25.0, 50.0),
    (50.0, 100.0),
    (100.0, 250.0),
    (250.0, None),
]


def size_class(area_ha: float | None) -> int | None:
    """Index into SIZE_CLASSES (lower bound inclusive), None without an area."""
    if area_ha is None:
        return None
    for i, (lo, hi) in enumerate(SIZE_CLASSES):
        if area_ha >= lo and (hi is None or area_ha < hi):
            return i
    return None


def size_area_ha(gross_area_ha: Any, scanned_area_ha: float | None) -> float | None:
    """The area a park's size class is taken from: its registered gross area, else the scanned one.

    One rule for the park itself and for every park it is grouped with, so a park
    lands in the same class on its dashboard, in its report and in the groups.
    """
    return float(gross_area_ha) if gross_area_ha is not None else scanned_area_ha


def park_size_class(park: Park, scan: ParkScan | None) -> int | None:
    """The park's size class (index into SIZE_CLASSES): gross area, else the scanned area."""
    return size_class(size_area_ha(park.gross_area_ha, scan.area_ha if scan else None))


def size_class_label(index: int | None) -> str:
    if index is None:
        return _("onbekende grootte")
    lo, hi = SIZE_CLASSES[index]
    if hi is None:
        return _("%(lo)s ha of meer") % {"lo": fmt.number(lo, 0)}
    if lo == 0:
        return _("kleiner dan %(hi)s ha") % {"hi": fmt.number(hi, 0)}
    return _("%(lo)s–%(hi)s ha") % {"lo": fmt.number(lo, 0), "hi": fmt.number(hi, 0)}


def compare_keys() -> list[str]:
    """What the comparison shows: every theme score, then the headline indicators."""
    return [f"score:{t}" for t in THEMES] + list(fmt.HEADLINE_INDICATORS)


def value_of(key: str, indicators: dict, scores: dict) -> float | None:
    """A compared figure of one scan: a theme score (``score:<theme>``) or an indicator value.

    None when the scan has no such score or the indicator is not available.
    """
    if key.startswith("score:"):
        v = scores.get(key.split(":", 1)[1])
        return None if v is None else float(v)
    entry = indicators.get(key) or {}
    if entry.get("status") != "ok" or entry.get("value") is None:
        return None
    return float(entry["value"])


def latest_values() -> list[dict[str, Any]]:
    """Per park with a successful scan: its latest scan's compared values and grouping.

    The whole country's latest scans are read once and kept in the cache until a
    scan is added (the key changes with the number and newest id of scans), so a
    dashboard does not parse thousands of JSON results per request.
    """
    state = ParkScan.objects.filter(status=ParkScan.Status.OK).aggregate(
        n=Count("id"), last=Max("id")
    )
    parks_changed = Park.objects.aggregate(changed=Max("updated_at"))["changed"]
    key = (
        "portal:latest-values:"
        + hashlib.sha256(f"{state['n']}|{state['last']}|{parks_changed}".encode()).hexdigest()[:24]
    )
    return cache.get_or_set(key, _load_latest_values, 3600)


def _load_latest_values() -> list[dict[str, Any]]:
    """One row per park: its most recently stored successful scan (highest id).

    Only those rows are read (a subquery picks the ids), so a park's history of
    runs does not multiply the JSON that has to be parsed.
    """
    keys = compare_keys()
    latest_ids = (
        ParkScan.objects.filter(status=ParkScan.Status.OK)
        .order_by()
        .values("park_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    rows = (
        ParkScan.objects.filter(id__in=Subquery(latest_ids))
        .order_by("park_id")
        .values(
            "park_id",
            "indicators",
            "scores",
            "area_ha",
            "park__park_type",
            "park__province_id",
            "park__gross_area_ha",
        )
    )
    out, seen = [], set()
    for row in rows.iterator(chunk_size=200):
        if row["park_id"] in seen:
            continue
        seen.add(row["park_id"])
        area = size_area_ha(row["park__gross_area_ha"], row["area_ha"])
        out.append(
            {
                "park_id": row["park_id"],
                "park_type": row["park__park_type"],
                "province_id": row["park__province_id"],
                "size_class": size_class(area),
                "values": {
                    k: value_of(k, row["indicators"] or {}, row["scores"] or {}) for k in keys
                },
            }
        )
    return out


@dataclass
class Stats:
    """Distribution of one indicator in one group of parks.

    Quartiles by linear interpolation between order statistics (numpy's default,
    the 'type 7' of Hyndman & Fan), so they can be checked by hand.
    """

    n: int
    minimum: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    maximum: float | None = None
    mean: float | None = None


def describe(values: list[float]) -> Stats:
    if not values:
        return Stats(n=0)
    a = np.asarray(values, dtype=float)
    q1, med, q3 = np.percentile(a, [25, 50, 75])
    return Stats(
        n=int(a.size),
        minimum=float(a.min()),
        q1=float(q1),
        median=float(med),
        q3=float(q3),
        maximum=float(a.max()),
        mean=float(a.mean()),
    )


def better_than_pct(value: float, others: list[float], better: str | None) -> float | None:
    """Share (%) of the *other* parks of a group that this park does better than.

    'Better' follows the indicator's direction; ties count half. For a figure
    without a direction (e.g. roof area) it is the share of parks with a lower value.
    """
    if not others:
        return None
    a = np.asarray(others, dtype=float)
    if better == "down":
        worse, ties = (a > value).sum(), (a == value).sum()
    else:
        worse, ties = (a < value).sum(), (a == value).sum()
    return float((worse + 0.5 * ties) / a.size * 100.0)


@dataclass
class Group:
    key: str
    label: str
    short: str  # the label inside a chart, where space is short
    values: list[float]
    stats: Stats
    better_than: float | None
    parks_in_group: int  # parks with a scan in the group (some may lack this figure)


@dataclass
class ComparisonItem:
    key: str
    label: str
    unit: str | None
    better: str | None
    value: float | None
    groups: list[Group] = field(default_factory=list)

    @property
    def value_text(self) -> str:
        return fmt.with_unit(self.value, self.unit)


def _compare_meta(key: str) -> tuple[str, str | None, str | None]:
    if key.startswith("score:"):
        theme = key.split(":", 1)[1]
        return _("Themascore %(theme)s") % {"theme": fmt.theme_label(theme)}, "score", "up"
    ind = INDICATORS[key]
    return fmt.label(key), ind.unit, ind.better


def comparison(
    park: Park, scan: ParkScan, keys: list[str] | None = None, rows: list[dict] | None = None
) -> list[ComparisonItem]:
    """The park against three groups: same type and size class, its province, the country.

    Each group holds the latest scan of every park in it, the park itself included
    (it is part of the picture); 'better than' is counted against the others.
    """
    rows = latest_values() if rows is None else rows
    keys = keys or compare_keys()
    own_size = park_size_class(park, scan)
    own_values = {k: value_of(k, scan.indicators or {}, scan.scores or {}) for k in keys}
    groups_def = [
        (
            "peer",
            _("%(type)s, %(size)s")
            % {"type": park.get_park_type_display(), "size": size_class_label(own_size)},
            _("Zelfde type en grootte"),
            lambda r: r["park_type"] == park.park_type and r["size_class"] == own_size,
        ),
        (
            "province",
            _("Provincie %(name)s") % {"name": park.province.name}
            if park.province_id
            else _("Provincie onbekend"),
            park.province.name if park.province_id else _("Provincie"),
            lambda r: park.province_id is not None and r["province_id"] == park.province_id,
        ),
        ("country", _("Heel Nederland"), _("Nederland"), lambda r: True),
    ]
    members = {g[0]: [r for r in rows if g[3](r)] for g in groups_def}
    out = []
    for key in keys:
        label, unit, better = _compare_meta(key)
        value = own_values[key]
        item = ComparisonItem(key, label, unit, better, value)
        for gkey, glabel, gshort, _pred in groups_def:
            group_rows = members[gkey]
            values = [r["values"][key] for r in group_rows if r["values"].get(key) is not None]
            others = [
                r["values"][key]
                for r in group_rows
                if r["park_id"] != park.pk and r["values"].get(key) is not None
            ]
            item.groups.append(
                Group(
                    key=gkey,
                    label=glabel,
                    short=gshort,
                    values=values,
                    stats=describe(values),
                    better_than=better_than_pct(value, others, better)
                    if value is not None
                    else None,
                    parks_in_group=len(group_rows),
                )
            )
        out.append(item)
    return out
