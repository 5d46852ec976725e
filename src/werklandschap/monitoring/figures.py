"""The figures of the monitoring dashboards, assembled from the apps' own service functions.

A dashboard has a *scope*: the whole programme, one province or one region. For
a scope :func:`dashboard` gathers

* the swarm **over time**, rebuilt from ``registry.ParkHistory`` (what
  ``registry.services.change_park_status`` writes for every change of role or
  phase), not from today's snapshot: per month the parks in the swarm by role,
  phase, province, region and park type;
* the programme targets (``targets.yaml`` as loaded into ``ProgrammeTarget``)
  against what was reached;
* the support desk's volumes and two-week compliance (``support.reporting.summary``);
* the vouchers (``vouchers.reporting.voucher_report``);
* events and innovation entries (``community.reporting``, ``knowledge.reporting``);
* for a province or region: the scan indicators of its parks (latest scan per
  park), aggregated, and their change since each park's previous scan.

Every part costs a fixed number of queries, whatever the number of parks,
questions or scans: aggregates run in the database, the history and the two
latest scans per park come back in one query each and are folded in Python.

The result is cached under a *fingerprint* of the data it depends on (the
parks' count and last change, the last history row, scan, question event and
voucher event, and today's date), so a change anywhere makes the next visit
recompute, and repeated visits cost the fingerprint's one query, which is itself
remembered for ``DATA_FRESH_SECONDS`` (a few seconds) under load.
``MONITORING_CACHE_SECONDS`` bounds how long an entry may live regardless.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, QuerySet
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from werklandschap.lib.freshness import recent_state
from werklandschap.registry.choices import SWARM_MEMBER_ROLES, ParkType, ProcessPhase, SwarmRole
from werklandschap.registry.models import Park, ParkHistory, Province, Region
from werklandschap.scanengine.catalog import INDICATORS
from werklandschap.scans.models import ParkScan

from .models import ProgrammeTarget

# The scan indicators shown per area (issue 21): green share, impervious share,
# canopy, storage gap and heat. Shares and heat are averaged weighted by park
# area; the storage gap is in m3 and is summed over the parks.
SCAN_INDICATORS = (
    "green_share_pct",
    "impervious_share_pct",
    "canopy_share_pct",
    "storage_gap_m3",
    "pet_mean_c",
)
SUMMED_INDICATORS = frozenset({"storage_gap_m3"})

DIMENSIONS = ("role", "phase", "province", "region", "park_type")
NO_AREA = "—"
CACHE_PREFIX = "werklandschap:monitoring:v1:"


# --- scope ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a dashboard covers: the programme, a province or a region."""

    kind: str  # "programme", "province" or "region"
    province: Province | None = None
    region: Region | None = None

    @classmethod
    def programme(cls) -> Scope:
        return cls("programme")

    @property
    def key(self) -> str:
        if self.province is not None:
            return f"province-{self.province.pk}"
        if self.region is not None:
            return f"region-{self.region.pk}"
        return "programme"

    @property
    def name(self) -> str:
        if self.province is not None:
            return self.province.name
        if self.region is not None:
            return self.region.name
        return _("het programma")

    def parks(self) -> QuerySet[Park]:
        parks = Park.objects.all()
        if self.province is not None:
            parks = parks.filter(province=self.province)
        if self.region is not None:
            parks = parks.filter(region=self.region)
        return parks

    def questions(self):
        from werklandschap.support.models import Question

        questions = Question.objects.all()
        if self.province is not None:
            questions = questions.filter(park__province=self.province)
        if self.region is not None:
            questions = questions.filter(region=self.region)
        return questions


# --- the swarm over time -------------------------------------------------------------


def _label_codes(field_name: str) -> dict[str, Any]:
    """History keeps the *label* shown at the time (``_display``); map every language's
    label back to its code, so a change written in English counts like one in Dutch."""
    choices = Park._meta.get_field(field_name).choices or []
    codes: dict[str, Any] = {"": None}
    for code, label in choices:
        codes[str(code)] = code
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                codes[str(label)] = code
    return codes


@dataclass(frozen=True)
class SwarmSeries:
    """Parks in the swarm per month (month ends), per dimension and value."""

    months: list[str]  # "2025-01", ...
    total: list[int]  # parks in the swarm at each month's end
    series: dict[str, dict[str, list[int]]]  # dimension -> value -> counts per month
    labels: dict[str, dict[str, str]]  # dimension -> value -> label

    def current(self, dimension: str) -> list[tuple[str, str, int]]:
        """(value, label, count now) for a dimension, in the order of its labels."""
        return [
            (value, label, self.series[dimension].get(value, [0])[-1] if self.months else 0)
            for value, label in self.labels[dimension].items()
        ]

    @property
    def in_swarm(self) -> int:
        return self.total[-1] if self.total else 0


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of each month after ``first``'s month up to the month after ``last``:
    a snapshot at midnight of such a day is the state at the end of the month before."""
    ends = []
    year, month = first.year, first.month
    while True:
        month += 1
        if month == 13:
            year, month = year + 1, 1
        ends.append(dt.date(year, month, 1))
        if (year, month) > (last.year, last.month):
            return ends


def swarm_over_time(parks: QuerySet[Park], *, months: int | None = None) -> SwarmSeries:
    """The swarm month by month, rebuilt from the parks' history (two queries).

    A park counts from its creation. Its role and phase at a moment are the new
    value of its last change before that moment; before its first change, the
    old value of that change; without any change, its value today. A park counts
    as in the swarm while its role is partner, ambassador, living lab or showcase;
    its phase, province, region and type are counted among the swarm's parks.
    Province, region and type are not tracked over time: today's are used.
    """
    months = months or settings.MONITORING_MONTHS
    rows = list(
        parks.order_by().values_list(
            "id",
            "created_at",
            "swarm_role",
            "phase",
            "province__name",
            "region__name",
            "park_type",
        )
    )
    history = list(
        ParkHistory.objects.filter(park__in=parks.values("id"), field__in=("swarm_role", "phase"))
        .order_by("changed_at", "id")
        .values_list("park_id", "field", "old_value", "new_value", "changed_at")
    )
    decode = {"swarm_role": _label_codes("swarm_role"), "phase": _label_codes("phase")}

    def code(field_name: str, text: str) -> Any:
        return decode[field_name].get(text, text)

    state: dict[int, dict[str, Any]] = {}
    static: dict[int, tuple[str, str, str]] = {}
    events: list[tuple[dt.datetime, int, int, str, Any]] = []  # (when, order, park, field, value)
    first_change: dict[tuple[int, str], Any] = {}
    for park_id, field_name, old, new, when in history:
        first_change.setdefault((park_id, field_name), code(field_name, old))
        events.append((when, 1, park_id, field_name, code(field_name, new)))
    for park_id, created, role, phase, province, region, park_type in rows:
        state[park_id] = {
            "exists": False,
            "swarm_role": first_change.get((park_id, "swarm_role"), role),
            "phase": first_change.get((park_id, "phase"), phase),
        }
        static[park_id] = (province or NO_AREA, region or NO_AREA, park_type)
        events.append((created, 0, park_id, "exists", True))
    events.sort(key=lambda e: (e[0], e[1]))

    def contributions(park_id: int) -> list[tuple[str, str]]:
        s = state[park_id]
        if not s["exists"] or s["swarm_role"] not in SWARM_MEMBER_ROLES:
            return []
        province, region, park_type = static[park_id]
        phase = "" if s["phase"] is None else str(s["phase"])
        return [
            ("total", ""),
            ("role", str(s["swarm_role"])),
            ("phase", phase),
            ("province", province),
            ("region", region),
            ("park_type", str(park_type)),
        ]

    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    first = min(timezone.localtime(events[0][0]).date(), today) if events else today
    ends = _month_ends(first, today)[-months:]
    counts: Counter[tuple[str, str]] = Counter()
    snapshots: list[Counter[tuple[str, str]]] = []
    i = 0
    for end in ends:
        limit = dt.datetime.combine(end, dt.time.min, tzinfo=zone)
        while i < len(events) and events[i][0] < limit:
            _when, _order, park_id, field_name, value = events[i]
            counts.subtract(contributions(park_id))
            state[park_id][field_name] = value
            counts.update(contributions(park_id))
            i += 1
        snapshots.append(+counts)

    labels = {
        "role": {str(v): str(label) for v, label in SwarmRole.choices if v in SWARM_MEMBER_ROLES},
        "phase": {
            **{str(v): str(label) for v, label in ProcessPhase.choices},
            "": _("Fase onbekend"),
        },
        "park_type": {str(v): str(label) for v, label in ParkType.choices},
        "province": {},
        "region": {},
    }
    for dimension in ("province", "region"):
        values = sorted({key for snap in snapshots for dim, key in snap if dim == dimension})
        labels[dimension] = {v: v for v in values}
    series = {
        dimension: {
            value: [snap[(dimension, value)] for snap in snapshots] for value in labels[dimension]
        }
        for dimension in DIMENSIONS
    }
    month_names = [
        f"{(end - dt.timedelta(days=1)).year}-{(end - dt.timedelta(days=1)).month:02d}"
        for end in ends
    ]
    return SwarmSeries(
        months=month_names,
        total=[snap[("total", "")] for snap in snapshots],
        series=series,
        labels=labels,
    )


# --- targets -------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    key: str
    label: str
    value: int
    reached: int | None  # None: not measured on this dashboard
    unit: str
    target_year: int | None
    source: str

    @property
    def percent(self) -> float | None:
        if self.reached is None or not self.value:
            return None
        return round(100 * self.reached / self.value, 1)


def target_rows(swarm: SwarmSeries, vouchers: dict[str, Any] | None) -> list[TargetRow]:
    """The programme's targets (one query) against what the swarm and the vouchers reached."""
    roles = {v: n for v, _label, n in swarm.current("role")}
    reached = {
        "parks-in-transition": swarm.in_swarm,
        "living-labs": roles.get(SwarmRole.LIVING_LAB, 0),
        "ambassador-parks": roles.get(SwarmRole.AMBASSADOR, 0),
    }
    if vouchers is not None:
        reached["vouchers"] = vouchers["awarded"]
        reached["green-deal-provinces-max"] = vouchers["signed_deals"]
    shown = [*reached, "vouchers", "green-deal-provinces-max"]
    rows = []
    for target in ProgrammeTarget.objects.filter(key__in=shown).order_by("key"):
        rows.append(
            TargetRow(
                key=target.key,
                label=target.label,
                value=int(target.value),
                reached=reached.get(target.key),
                unit=target.unit,
                target_year=target.target_year,
                source=target.source,
            )
        )
    rows.sort(key=lambda r: shown.index(r.key))
    return rows


# --- other apps' figures -------------------------------------------------------------


def support_figures(scope: Scope) -> dict[str, Any]:
    """The desk's volumes and two-week compliance (``support.reporting``), plus
    questions per month of the last year (one query)."""
    from django.db.models.functions import TruncMonth

    from werklandschap.support.reporting import summary

    questions = scope.questions()
    figures = summary(questions)
    since = timezone.localdate().replace(day=1) - dt.timedelta(days=335)
    per_month = (
        questions.filter(created_at__date__gte=since.replace(day=1))
        .annotate(month=TruncMonth("created_at"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("id"))
    )
    by_month = {m.strftime("%Y-%m") if m else "": n for m, n in per_month}
    months = sorted(by_month)
    return {
        "total": figures["total"],
        "by_status": [
            {"label": str(row["label"]), "count": row["count"]} for row in figures["by_status"]
        ],
        "on_time_pct": figures["on_time_pct"],
        "judged": figures["judged"],
        "median_days_to_first_proposal": figures["median_days_to_first_proposal"],
        "per_month": [(m, by_month[m]) for m in months],
    }


def voucher_figures(scope: Scope) -> dict[str, Any] | None:
    """Vouchers (``vouchers.reporting.voucher_report``): national or the province's.

    A region's parks may lie in several provinces and vouchers are a province's
    scheme, so a region dashboard shows none (None) and links to the provinces.
    """
    from werklandschap.vouchers.models import GreenDeal
    from werklandschap.vouchers.reporting import voucher_report

    if scope.region is not None:
        return None
    if scope.province is not None:
        report = voucher_report([scope.province.pk])
        province = report.province(scope.province.pk)
        figures = province.figures if province else report.national
        signed = int(bool(province and province.deal_status == GreenDeal.Status.SIGNED))
    else:
        report = voucher_report()
        figures = report.national
        signed = sum(1 for p in report.provinces if p.deal_status == GreenDeal.Status.SIGNED)
    return {
        "target": figures.target,
        "applied": figures.applied,
        "awarded": figures.awarded,
        "paid": figures.paid,
        "remaining": figures.remaining,
        "budget_cents": figures.budget_cents,
        "committed_cents": figures.committed_cents,
        "paid_cents": figures.paid_cents,
        "median_days_to_award": figures.median_days_to_award,
        "signed_deals": signed,
    }


def community_figures(scope: Scope) -> Any:
    """Events and attendance (``community.reporting``): all events for the programme;
    for a region its community's; for a province the communities of the regions its
    parks lie in."""
    from werklandschap.community.reporting import event_figures

    if scope.kind == "programme":
        return event_figures(None)
    if scope.region is not None:
        return event_figures([scope.region.pk])
    regions = scope.parks().exclude(region=None).order_by().values_list("region_id", flat=True)
    return event_figures(set(regions))


def knowledge_figures(scope: Scope) -> Any:
    """Innovation entries (``knowledge.reporting``): all for the programme; for an area
    the entries that come from its parks."""
    from werklandschap.knowledge.reporting import entry_figures

    return entry_figures(None if scope.kind == "programme" else scope.parks())


# --- scan indicators per area --------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFigure:
    key: str
    label: str
    unit: str
    decimals: int
    summed: bool
    parks: int  # parks with a value in their latest scan
    value: float | None  # aggregate over those parks
    compared: int  # parks with a value in both their latest and previous scan
    change: float | None  # aggregate(latest) - aggregate(previous) over the compared parks


@dataclass(frozen=True)
class ScanFigures:
    scanned_parks: int
    indicators: list[IndicatorFigure]
    latest: dict[str, dict[int, float]] = field(default_factory=dict)  # key -> park -> value


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _aggregate(key: str, pairs: list[tuple[float, float]]) -> float | None:
    """Sum (storage gap) or area-weighted mean (shares, heat) of (value, area) pairs."""
    if not pairs:
        return None
    if key in SUMMED_INDICATORS:
        return sum(v for v, _a in pairs)
    weight = sum(a for _v, a in pairs)
    if weight <= 0:
        return sum(v for v, _a in pairs) / len(pairs)
    return sum(v * a for v, a in pairs) / weight


def scan_figures(parks: QuerySet[Park]) -> ScanFigures:
    """The scan indicators of ``parks`` from each park's latest successful scan, and their
    change since the park's previous one (one query: the two latest scans per park,
    ranked in the database, only the five values and the area read from the JSON)."""
    value_fields = [f"indicators__{key}__value" for key in SCAN_INDICATORS]
    ranked = (
        ParkScan.objects.filter(park__in=parks.values("id"), status=ParkScan.Status.OK)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("park_id")],
                order_by=[F("computed_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=2)
        .values_list("park_id", "rank", "area_ha", *value_fields)
    )
    latest: dict[str, dict[int, float]] = {key: {} for key in SCAN_INDICATORS}
    previous: dict[str, dict[int, float]] = {key: {} for key in SCAN_INDICATORS}
    areas: dict[int, float] = {}
    scanned = set()
    for park_id, rank, area, *values in ranked:
        target = latest if rank == 1 else previous
        if rank == 1:
            scanned.add(park_id)
            areas[park_id] = float(area or 0)
        for key, value in zip(SCAN_INDICATORS, values, strict=True):
            number = _number(value)
            if number is not None:
                target[key][park_id] = number
    language = (get_language() or "nl")[:2]
    figures = []
    for key in SCAN_INDICATORS:
        indicator = INDICATORS[key]
        now = latest[key]
        both = [p for p in now if p in previous[key]]
        value = _aggregate(key, [(v, areas.get(p, 0.0)) for p, v in now.items()])
        change = None
        if both:
            new = _aggregate(key, [(now[p], areas.get(p, 0.0)) for p in both])
            old = _aggregate(key, [(previous[key][p], areas.get(p, 0.0)) for p in both])
            change = None if new is None or old is None else new - old
        figures.append(
            IndicatorFigure(
                key=key,
                label=indicator.label(language),
                unit=indicator.unit,
                decimals=indicator.decimals,
                summed=key in SUMMED_INDICATORS,
                parks=len(now),
                value=value,
                compared=len(both),
                change=change,
            )
        )
    return ScanFigures(scanned_parks=len(scanned), indicators=figures, latest=latest)


# --- the dashboard -------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    scope_key: str
    computed_at: dt.datetime
    swarm: SwarmSeries
    targets: list[TargetRow]
    support: dict[str, Any]
    vouchers: dict[str, Any] | None
    events: Any  # community.reporting.EventFigures
    innovations: Any  # knowledge.reporting.EntryFigures
    scans: ScanFigures | None
    parks: int
    # The data fingerprint the figures were cached under ("" when not cached): the page
    # caches its rendered body under it too.
    fingerprint: str = ""


def _state_query(scope: Scope) -> tuple[str, list]:
    """One SELECT of scalar subqueries: the scope's park count and last change, the last
    id of every table whose rows change the figures, and the targets' count and sum."""
    from werklandschap.community.models import Event, Registration
    from werklandschap.knowledge.models import Entry, EntryEvent
    from werklandschap.support.models import Question, QuestionEvent
    from werklandschap.vouchers.models import Payout, VoucherEvent

    parks_sql, parks_params = (
        scope.parks().order_by().values("id", "updated_at").query.sql_with_params()
    )
    pieces = [
        # Only SQL compiled by the ORM (values stay parameters) and quoted table names.
        f"(SELECT COUNT(*) FROM ({parks_sql}) p)",  # noqa: S608
        f"(SELECT MAX(p.updated_at) FROM ({parks_sql}) p)",  # noqa: S608
    ]
    params = [*parks_params, *parks_params]
    for model in (
        ParkHistory,
        ParkScan,
        Question,
        QuestionEvent,
        VoucherEvent,
        Payout,
        Event,
        Registration,
        Entry,
        EntryEvent,
    ):
        sql, more = model.objects.order_by("-id").values("id")[:1].query.sql_with_params()
        pieces.append(f"({sql})")
        params.extend(more)
    table = connection.ops.quote_name(ProgrammeTarget._meta.db_table)
    pieces += [f"(SELECT COUNT(*) FROM {table})", f"(SELECT SUM(value) FROM {table})"]  # noqa: S608
    # Rows that change in place: an event published or moved, a place cancelled or
    # promoted, attendance recorded.
    for model, column in (
        (Event, "published_at"),
        (Event, "starts_at"),
        (Registration, "cancelled_at"),
        (Registration, "promoted_at"),
    ):
        latest = model.objects.order_by(F(column).desc(nulls_last=True)).values(column)[:1]
        sql, more = latest.query.sql_with_params()
        pieces.append(f"({sql})")
        params.extend(more)
    for recorded in (
        Registration.objects.filter(attended__isnull=False),
        Registration.objects.filter(attended=True),
    ):
        sql, more = recorded.order_by().values("id").query.sql_with_params()
        pieces.append(f"(SELECT COUNT(*) FROM ({sql}) a)")  # noqa: S608
        params.extend(more)
    return "SELECT " + ", ".join(pieces), params


# The compiled state query per database alias and scope: the SQL depends on nothing else,
# and compiling seven querysets on every visit would cost more than running them.
_STATE_SQL: dict[tuple[str, str], tuple[str, list]] = {}


def fingerprint(scope: Scope) -> str:
    """What the figures depend on, read in one query (scalar subqueries, each an index
    lookup or a count over the scope's parks), with the scope, language and date."""
    memo = (connection.alias, scope.key)
    if memo not in _STATE_SQL:
        _STATE_SQL[memo] = _state_query(scope)
    sql, params = _STATE_SQL[memo]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        state = cursor.fetchone()
    parts = [scope.key, get_language(), timezone.localdate().isoformat(), *state]
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:40]


def compute_dashboard(scope: Scope, fingerprint: str = "") -> Dashboard:
    """Every figure of a dashboard, from the apps' service functions (no cache)."""
    parks = scope.parks()
    swarm = swarm_over_time(parks)
    vouchers = voucher_figures(scope)
    return Dashboard(
        scope_key=scope.key,
        computed_at=timezone.now(),
        swarm=swarm,
        targets=target_rows(swarm, vouchers),
        support=support_figures(scope),
        vouchers=vouchers,
        events=community_figures(scope),
        innovations=knowledge_figures(scope),
        scans=None if scope.kind == "programme" else scan_figures(parks),
        parks=parks.count(),
        fingerprint=fingerprint,
    )


def current_fingerprint(scope: Scope) -> str:
    """The scope's fingerprint, read at most once per ``DATA_FRESH_SECONDS`` (see
    ``lib.freshness``): under load, reading it on every visit would cost more than the
    rest of the page. The page says when its figures were computed.

    When no figures are kept under the remembered fingerprint they are about to be
    computed, from the data as it is now: the fingerprint is then read afresh, so they
    (and the page body rendered from them) are kept under the state they show.
    """
    name = f"monitoring:{scope.key}:{get_language()}"
    state = recent_state(name, lambda: fingerprint(scope))
    if settings.DATA_FRESH_SECONDS > 0 and not cache.has_key(CACHE_PREFIX + state):
        state = recent_state(name, lambda: fingerprint(scope), fresh=True)
    return state


def dashboard(scope: Scope, state: str = "") -> Dashboard:
    """The dashboard of ``scope``, from the cache while its data has not changed.

    ``state``: the fingerprint if the caller has it already (``current_fingerprint``).
    """
    seconds = settings.MONITORING_CACHE_SECONDS
    if seconds <= 0:
        return compute_dashboard(scope)
    state = state or current_fingerprint(scope)
    key = CACHE_PREFIX + state
    found = cache.get(key)
    if found is None:
        found = compute_dashboard(scope, state)
        cache.set(key, found, seconds)
    return found
