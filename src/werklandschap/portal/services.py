"""The park portal's figures: indicators per theme, ambitions and gaps, comparison, history.

Views, the PDF report and the downloads all take their numbers from here, so
the dashboard, the report and the files a park takes home never disagree.
Nothing here checks access; the views do that with ``accounts.policies``.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from werklandschap.registry.models import Park
from werklandschap.scanengine import ambition_gaps, default_ambitions
from werklandschap.scanengine import config as engine_config
from werklandschap.scanengine.ambition import ambition_sources
from werklandschap.scanengine.catalog import INDICATORS, THEMES
from werklandschap.scanengine.scores import linear_score
from werklandschap.scans.models import ParkScan, ScanRequest
from werklandschap.scans.services import stored_parameters

from . import presentation as fmt
from .models import ParkAmbition, PartnerSubscription

# --------------------------------------------------------------------------- indicators


@dataclass
class IndicatorView:
    """One indicator of one scan, ready to show."""

    key: str
    label: str
    unit: str | None
    theme: str
    value: float | None
    available: bool
    reason: str
    explanation: str
    source: str
    method: str

    @property
    def text(self) -> str:
        return fmt.value_text(self.value, self.unit, self.key)

    @property
    def text_with_unit(self) -> str:
        return fmt.with_unit(self.value, self.unit, self.key)

    @property
    def unit_display(self) -> str:
        return fmt.unit_display(self.unit)

    @property
    def source_short(self) -> str:
        return fmt.short_source(self.source)


def indicator_view(key: str, entry: dict[str, Any]) -> IndicatorView:
    available = entry.get("status") == "ok" and entry.get("value") is not None
    ind = INDICATORS.get(key)
    return IndicatorView(
        key=key,
        label=fmt.label(key, entry.get("label_nl")),
        unit=entry.get("unit") or (ind.unit if ind else None),
        theme=str(entry.get("theme") or (ind.theme if ind else "")),
        value=float(entry["value"]) if available else None,
        available=available,
        reason="" if available else fmt.entry_reason(entry),
        explanation=fmt.explanation(key, entry.get("method")),
        source=str(entry.get("source") or ""),
        method=str(entry.get("method") or ""),
    )


_CATALOGUE_ORDER = {key: i for i, key in enumerate(INDICATORS)}


def ordered_items(indicators: dict[str, dict]) -> list[tuple[str, dict]]:
    """Indicators in the engine's catalogue order (mean before P90, classes together).

    A JSON column does not keep key order everywhere (PostgreSQL's jsonb sorts
    keys), so the order is restored here; unknown keys follow alphabetically.
    """
    return sorted(
        indicators.items(),
        key=lambda kv: (_CATALOGUE_ORDER.get(kv[0], len(_CATALOGUE_ORDER)), kv[0]),
    )


def all_indicators(scan: ParkScan) -> list[IndicatorView]:
    """Every indicator of the scan in the engine's catalogue order."""
    return [indicator_view(k, v) for k, v in ordered_items(scan.indicators or {})]


def indicators_by_theme(scan: ParkScan) -> list[dict[str, Any]]:
    """[{theme, label, score, band, indicators: [...]}] in the vision's theme order.

    Land-cover class shares of zero are left out of the cards (a park without
    heath needs no 'heath 0%' card); they stay in the downloads and the appendix.
    """
    views = all_indicators(scan)
    out = []
    for theme in THEMES:
        items = [
            v
            for v in views
            if v.theme == theme
            and not (
                v.key.startswith("share_")
                and v.key != "share_not_covered_pct"
                and v.available
                and v.value == 0
            )
        ]
        score = (scan.scores or {}).get(theme)
        breakdown = theme_breakdown(theme, scan.indicators or {}, scores_parameters(scan))
        out.append(
            {
                "theme": theme,
                "label": fmt.theme_label(theme),
                "score": score,
                "band": fmt.score_band(score),
                "indicators": items,
                "breakdown": breakdown,
                "basis": score_basis_text(scan, theme, breakdown),
            }
        )
    return out


def score_basis_text(scan: ParkScan, theme: str, breakdown: list[dict] | None = None) -> str:
    """'op basis van 2 van de 3 indicatoren', or why the theme has no score.

    From the basis stored with the scan (the engine's ``score_basis``); scans stored
    before it existed count the indicators of the breakdown shown beside it.
    """
    basis = (scan.score_basis or {}).get(theme)
    if basis is None:
        if breakdown is None:
            breakdown = theme_breakdown(theme, scan.indicators or {}, scores_parameters(scan))
        if not breakdown:
            return ""
        basis = {
            "used": sum(1 for b in breakdown if b["score"] is not None),
            "total": len(breakdown),
            "reason": None,
        }
    if not basis.get("total"):
        return ""
    if basis.get("reason"):
        return fmt.entry_reason(basis)
    return _("op basis van %(used)s van de %(total)s indicatoren") % {
        "used": basis["used"],
        "total": basis["total"],
    }


def data_coverage(scan: ParkScan) -> dict[str, Any] | None:
    """How much of the park the land-cover data cover, and whether the scan is complete.

    None when the scan has no coverage figure (no land-cover layer, or a scan stored
    before the figure existed). ``incomplete``: the engine marked the land-cover
    indicators not available because the coverage is below completeness.yaml's minimum.
    """
    entry = (scan.indicators or {}).get("landcover_coverage_pct") or {}
    if entry.get("status") != "ok" or entry.get("value") is None:
        return None
    pct = float(entry["value"])
    incomplete = scan.completeness == ParkScan.Completeness.INCOMPLETE
    return {
        "pct": pct,
        "text": fmt.with_unit(pct, "%"),
        "minimum_text": fmt.percent(_min_coverage_pct(scan), 0),
        "incomplete": incomplete,
        "reason": fmt.render_reason("landcover_covers_only", {"pct": math.floor(pct)})
        if incomplete
        else "",
    }


def headline(scan: ParkScan) -> list[IndicatorView]:
    """The few indicators of the public summary."""
    data = scan.indicators or {}
    return [indicator_view(k, data[k]) for k in fmt.HEADLINE_INDICATORS if k in data]


def scan_parameters(scan: ParkScan) -> dict[str, Any] | None:
    """The parameter values the scan was computed with (``{"scores.yaml": ...}``).

    None for a scan stored before results carried their parameters digest (or whose
    values were never stored); read once per scan object.
    """
    if not hasattr(scan, "_parameter_values"):
        scan._parameter_values = stored_parameters(scan.parameters_digest)
    return scan._parameter_values


def scores_parameters(scan: ParkScan) -> dict[str, Any]:
    """scores.yaml as it was when the scan was computed; today's for older scans.

    Why: the breakdown beside a stored theme score must show the thresholds and
    weights that gave that score, not whatever scores.yaml says today.
    """
    stored = (scan_parameters(scan) or {}).get("scores.yaml")
    return stored if stored else engine_config.load("scores")


def _min_coverage_pct(scan: ParkScan) -> float:
    """completeness.yaml's minimum land-cover coverage when the scan was computed."""
    stored = (scan_parameters(scan) or {}).get("completeness.yaml")
    try:
        return float(stored["landcover"]["min_coverage_pct"]["value"])
    except (TypeError, KeyError, ValueError):
        return fmt.min_coverage_pct()


def parameters_provenance(scan: ParkScan) -> dict[str, Any]:
    """Digest (full and short) of the scan's parameter values and whether they are stored."""
    digest = scan.parameters_digest or ""
    return {"digest": digest, "short": digest[:12], "stored": scan_parameters(scan) is not None}


def theme_breakdown(
    theme: str, indicators: dict[str, dict], scores: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """How each indicator counts in a theme score: its own 0-100 sub-score and weight.

    Uses the engine's thresholds and its linear score, so a park sees which figure
    pulls its theme score down. ``scores``: scores.yaml's values, by default today's
    file; for a stored scan :func:`scores_parameters` gives those it was computed with.
    """
    scores = scores if scores is not None else engine_config.load("scores")
    spec = scores["themes"].get(theme) or []
    out = []
    for item in spec:
        used = None
        for key in item["any_of"]:
            entry = indicators.get(key)
            if entry and entry.get("status") == "ok" and entry.get("value") is not None:
                used = key
                break
        key = used or item["any_of"][0]
        score = (
            linear_score(float(indicators[key]["value"]), item["zero"], item["full"])
            if used
            else None
        )
        out.append(
            {
                "key": key,
                "label": fmt.label(key),
                "score": score,
                "weight": float(item.get("weight", 1.0)),
                "zero": item["zero"],
                "full": item["full"],
            }
        )
    return out


# --------------------------------------------------------------------------- scan state


def scan_history(park: Park) -> list[ParkScan]:
    """The park's successful scans, oldest first (one per run)."""
    return list(
        park.scans.filter(status=ParkScan.Status.OK).select_related("run").order_by("computed_at")
    )


def scan_state(park: Park, scan: ParkScan | None) -> dict[str, Any]:
    """Whether a scan is queued or running, or the last attempt failed (and why)."""
    open_request = (
        park.scan_requests.filter(
            status__in=[ScanRequest.Status.PENDING, ScanRequest.Status.RUNNING]
        )
        .order_by("-requested_at")
        .first()
    )
    last_failed = (
        park.scans.filter(status=ParkScan.Status.FAILED)
        .select_related("run")
        .order_by("-computed_at")
    ).first()
    if last_failed and scan and last_failed.computed_at < scan.computed_at:
        last_failed = None
    return {
        "pending": open_request is not None,
        "request": open_request,
        "failed": last_failed,
    }


# --------------------------------------------------------------------------- ambitions

# Bounds a target must lie within: the indicator's `limits` in the catalogue
# (data/scan/indicators.yaml); a share cannot exceed 100%, storage beyond 500 mm or a
# negative area is a typing error, not an ambition.
DEFAULT_LIMITS = (0.0, 1e9)


def ambition_keys() -> list[str]:
    """Indicators a park can set a target for: those with a programme default."""
    return [k for k in default_ambitions() if k in INDICATORS]


def target_limits(key: str) -> tuple[float, float]:
    ind = INDICATORS.get(key)
    return ind.limits if ind else DEFAULT_LIMITS


@dataclass
class Target:
    key: str
    value: float
    default: float
    is_default: bool
    set_by: Any = None
    set_at: Any = None


def current_targets(park: Park) -> dict[str, Target]:
    """The park's target per ambition indicator: its own latest choice, else the default."""
    defaults = default_ambitions()
    latest: dict[str, ParkAmbition] = {}
    for row in park.ambitions.select_related("set_by").order_by("indicator", "-set_at", "-id"):
        latest.setdefault(row.indicator, row)
    out = {}
    for key in ambition_keys():
        row = latest.get(key)
        own = row is not None and row.target is not None
        out[key] = Target(
            key=key,
            value=float(row.target) if own else defaults[key],
            default=defaults[key],
            is_default=not own,
            set_by=row.set_by if row else None,
            set_at=row.set_at if row else None,
        )
    return out


@transaction.atomic
def set_ambitions(park: Park, targets: dict[str, float | None], *, by) -> list[ParkAmbition]:
    """Record the targets that changed (None = back to the default); returns the new rows.

    Unchanged targets write nothing, so the history shows only real decisions. The
    park row is locked so two contacts saving at once do not both write the same change.
    """
    Park.objects.select_for_update().filter(pk=park.pk).first()
    current = current_targets(park)
    now = timezone.now()
    rows = []
    for key, value in targets.items():
        if key not in current:
            raise ValueError(f"no ambition can be set for indicator {key!r}")
        cur = current[key]
        if value is None:
            if cur.is_default:
                continue
        elif not cur.is_default and math.isclose(cur.value, value, abs_tol=1e-9):
            continue
        elif cur.is_default and math.isclose(cur.default, value, abs_tol=1e-9):
            continue  # typing the default is not a choice of the park's own
        rows.append(ParkAmbition(park=park, indicator=key, target=value, set_by=by, set_at=now))
    ParkAmbition.objects.bulk_create(rows)
    return rows


def concrete_step(key: str, gap: float | None, scan: ParkScan) -> str:
    """The step in physical terms where that is well defined (area of canopy, m³ of storage).

    Shares of the park: gap (percentage points) x park area. Storage in mm on the
    sealed surface: gap (mm) x sealed area / 1000 = m³. Other indicators: none.
    """
    if not gap:
        return ""
    area_m2 = (scan.area_ha or 0.0) * 10_000.0
    data = scan.indicators or {}
    if key in {"canopy_share_pct", "green_share_pct", "green_blue_share_pct"} and area_m2:
        m2 = gap / 100.0 * area_m2
        what = {
            "canopy_share_pct": _("boomkroon erbij"),
            "green_share_pct": _("groen erbij"),
            "green_blue_share_pct": _("groen of water erbij"),
        }[key]
        return f"≈ {_area_text(m2)} {what}"
    if key == "parking_share_pct" and area_m2:
        return f"≈ {_area_text(gap / 100.0 * area_m2)} " + _("minder parkeerterrein op maaiveld")
    if key == "storage_mm":
        imp = data.get("impervious_share_pct") or {}
        if imp.get("status") == "ok" and imp.get("value") and area_m2:
            sealed = float(imp["value"]) / 100.0 * area_m2
            m3 = gap * sealed / 1000.0
            return f"≈ {fmt.number(m3, 0)} m³ " + _("berging erbij")
    return ""


def _area_text(m2: float) -> str:
    if m2 >= 10_000:
        return f"{fmt.number(m2 / 10_000.0, 2)} ha"
    return f"{fmt.number(m2, 0)} m²"


def ambition_rows(park: Park, scan: ParkScan | None) -> list[dict[str, Any]]:
    """Per ambition indicator: current value, target (own or default), gap and step."""
    targets = current_targets(park)
    sources = ambition_sources()
    result = {"indicators": scan.indicators if scan else {}}
    gaps = ambition_gaps(result, {k: t.value for k, t in targets.items()})
    rows = []
    for key, target in targets.items():
        gap = gaps[key]
        ind = INDICATORS[key]
        lo, hi = target_limits(key)
        rows.append(
            {
                "key": key,
                "label": fmt.label(key),
                "unit": ind.unit,
                "unit_display": fmt.unit_display(ind.unit),
                "current": gap["current"],
                "current_text": fmt.with_unit(gap["current"], ind.unit, key),
                "target": target.value,
                "target_text": fmt.with_unit(target.value, ind.unit, key),
                "target_input": _input_number(target.value),
                "default": target.default,
                "default_text": fmt.with_unit(target.default, ind.unit, key),
                "is_default": target.is_default,
                "set_by": target.set_by,
                "set_at": target.set_at,
                "source": fmt.ambition_source(key, sources.get(key, "")),
                "gap": gap["gap"],
                "gap_text": fmt.gap_text(gap["gap"], ind.unit),
                "direction": gap["direction"],
                "met": gap["met"],
                "reason": fmt.entry_reason(gap) if gap["reason"] else "",
                "step": concrete_step(key, gap["gap"], scan) if scan else "",
                "min": lo,
                "max": hi,
            }
        )
    return rows


def _input_number(value: float) -> str:
    """A target as the form shows it: no trailing zeros, the page's decimal sign."""
    return fmt.input_number(value)


def ambition_history(park: Park, limit: int = 50) -> list[dict[str, Any]]:
    rows = []
    for row in park.ambitions.select_related("set_by").order_by("-set_at", "-id")[:limit]:
        ind = INDICATORS.get(row.indicator)
        rows.append(
            {
                "at": row.set_at,
                "by": row.set_by,
                "label": fmt.label(row.indicator),
                "target_text": fmt.with_unit(row.target, ind.unit if ind else None)
                if row.target is not None
                else _("terug naar de standaard"),
            }
        )
    return rows


# --------------------------------------------------------------------------- comparison

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


def _value_of(key: str, indicators: dict, scores: dict) -> float | None:
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
        area = row["park__gross_area_ha"]
        area = float(area) if area is not None else row["area_ha"]
        out.append(
            {
                "park_id": row["park_id"],
                "park_type": row["park__park_type"],
                "province_id": row["park__province_id"],
                "size_class": size_class(area),
                "values": {
                    k: _value_of(k, row["indicators"] or {}, row["scores"] or {}) for k in keys
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
    area = float(park.gross_area_ha) if park.gross_area_ha is not None else scan.area_ha
    own_size = size_class(area)
    own_values = {k: _value_of(k, scan.indicators or {}, scan.scores or {}) for k in keys}
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


# --------------------------------------------------------------------------- history


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
        values = [_value_of(key, s.indicators or {}, s.scores or {}) for s in scans]
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


# --------------------------------------------------------------------------- partner offer


def subscription_for(contact) -> PartnerSubscription:
    sub, _created = PartnerSubscription.objects.get_or_create(contact=contact)
    return sub


def set_subscription(contact, *, newsletter: bool, webinar: bool) -> PartnerSubscription:
    """Store the choice; the consent time is set on switching on and cleared on switching off."""
    sub = subscription_for(contact)
    now = timezone.now()
    if newsletter != sub.newsletter:
        sub.newsletter = newsletter
        sub.newsletter_consent_at = now if newsletter else None
    if webinar != sub.webinar:
        sub.webinar = webinar
        sub.webinar_consent_at = now if webinar else None
    sub.save()
    return sub


def green_deal_for(park: Park):
    """The Green Deal of the park's province, if the programme signed one with it."""
    if not park.province_id:
        return None
    from werklandschap.vouchers.models import GreenDeal

    return GreenDeal.objects.filter(province_id=park.province_id).first()
