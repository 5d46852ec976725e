"""Figures of the voucher scheme per province and nationally, for pages, exports and
the monitoring dashboards.

:func:`voucher_report` answers, per province and for the country:

* vouchers applied for, awarded and paid, and how many are still to go to the
  target (nationally the programme target ``vouchers`` of ``targets.yaml``, 150;
  per province the number agreed in its Green Deal);
* money: the rounds' budgets and the Green Deal's voucher budget against what is
  committed (awards) and paid (payouts), in integer cents;
* the median time from application to award, read from the applications'
  history records (the first submission to the first award), not from a field
  that could be edited;
* co-financing committed against realised per party, per Green Deal.

What counts as awarded is exactly what ``services.round_commitments`` counts
against a round's limits: an award counts while the voucher is awarded,
delivered, approved or paid, and a voucher withdrawn or expired after an
advance counts as one voucher and for the money paid. So the report never
disagrees with the budget guard.

Everything is aggregated in the database in a fixed number of queries (nine),
whatever the number of provinces, rounds, applications or payouts; the one
query that returns a row per awarded application (for the median) returns two
time stamps each. The results are plain frozen dataclasses; ``as_dict`` gives
JSON-ready dicts for the dashboards.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Min, Q, Sum
from django.utils.text import slugify

from werklandschap.monitoring.models import ProgrammeTarget
from werklandschap.registry.models import Province

from .models import CoFinancing, GreenDeal, Payout, VoucherApplication, VoucherRound
from .workflow import COMMITTED_STATUSES, Status

# The programme target for the number of vouchers (data/reference/targets.yaml).
TARGET_KEY = "vouchers"

_PROVINCE = "round__green_deal__province_id"


@dataclass(frozen=True)
class PartyFinancing:
    """One party's co-financing of a Green Deal (or of all of them, nationally)."""

    party: str
    label: str
    committed_cents: int
    realised_cents: int

    @property
    def outstanding_cents(self) -> int:
        """Committed but not yet realised (negative when more was realised than promised)."""
        return self.committed_cents - self.realised_cents

    @property
    def realised_pct(self) -> Decimal | None:
        """Realised as a share of committed, one decimal; None when nothing was committed."""
        if not self.committed_cents:
            return None
        return _one_decimal(Decimal(self.realised_cents) * 100 / Decimal(self.committed_cents))


@dataclass(frozen=True)
class VoucherFigures:
    """The voucher figures of one province or of the country. Money in integer cents."""

    target: int | None  # vouchers to reach; None: no target (province without a Green Deal)
    applied: int  # applications submitted, whatever became of them
    awarded: int  # vouchers awarded and counting (see the module's docstring)
    paid: int  # vouchers paid in full (status 'paid')
    by_status: dict[str, int]  # applications per status (every status, 0 included)
    rounds: int
    round_vouchers: int  # vouchers the rounds offer together
    budget_cents: int  # the rounds' budgets together
    deal_budget_cents: int  # the voucher budget agreed in the Green Deal(s)
    committed_cents: int  # awards counting against the budgets, plus advances of released ones
    paid_cents: int  # every payout, advances included
    awards_timed: int  # awards with a history to time them
    median_days_to_award: Decimal | None  # calendar days, one decimal

    @property
    def remaining(self) -> int | None:
        """Vouchers still to award to reach the target (never below zero)."""
        return None if self.target is None else max(self.target - self.awarded, 0)

    @property
    def uncommitted_cents(self) -> int:
        """Budget of the rounds not yet committed."""
        return self.budget_cents - self.committed_cents

    @property
    def unpaid_cents(self) -> int:
        """Committed but not yet paid."""
        return self.committed_cents - self.paid_cents

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["median_days_to_award"] = (
            None if self.median_days_to_award is None else str(self.median_days_to_award)
        )
        data.update(
            remaining=self.remaining,
            uncommitted_cents=self.uncommitted_cents,
            unpaid_cents=self.unpaid_cents,
        )
        return data


@dataclass(frozen=True)
class ProvinceReport:
    """One province: its Green Deal (if any), voucher figures and co-financing."""

    province_id: int
    name: str
    slug: str
    deal_status: str  # GreenDeal.Status value, '' without a Green Deal
    deal_status_label: str
    deal_package: str  # 'A', 'B', 'C' or ''
    figures: VoucherFigures
    co_financing: list[PartyFinancing] = field(default_factory=list)

    @property
    def co_financing_committed_cents(self) -> int:
        return sum(p.committed_cents for p in self.co_financing)

    @property
    def co_financing_realised_cents(self) -> int:
        return sum(p.realised_cents for p in self.co_financing)

    def as_dict(self) -> dict[str, Any]:
        return {
            "province_id": self.province_id,
            "name": self.name,
            "slug": self.slug,
            "deal_status": self.deal_status,
            "deal_package": self.deal_package,
            "figures": self.figures.as_dict(),
            "co_financing": [_party_dict(p) for p in self.co_financing],
        }


@dataclass(frozen=True)
class VoucherReport:
    """Every province asked for and the country (or the provinces asked for) together."""

    provinces: list[ProvinceReport]
    national: VoucherFigures
    co_financing: list[PartyFinancing]
    target_source: str

    def province(self, province_id: int) -> ProvinceReport | None:
        return next((p for p in self.provinces if p.province_id == province_id), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "provinces": [p.as_dict() for p in self.provinces],
            "national": self.national.as_dict(),
            "co_financing": [_party_dict(p) for p in self.co_financing],
            "target_source": self.target_source,
        }


def _party_dict(party: PartyFinancing) -> dict[str, Any]:
    data = asdict(party)
    pct = party.realised_pct
    data.update(
        outstanding_cents=party.outstanding_cents,
        realised_pct=None if pct is None else str(pct),
    )
    return data


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def median_days(durations: Iterable[dt.timedelta]) -> Decimal | None:
    """The median of ``durations`` in days, one decimal (half up); None for none.

    Exact: the median is taken over whole microseconds (integers), so two
    durations of 2 and 3 days give 2.5 days, not a float near it.
    """
    micro = sorted(d // dt.timedelta(microseconds=1) for d in durations)
    if not micro:
        return None
    half = len(micro) // 2
    middle = Decimal(micro[half]) if len(micro) % 2 else Decimal(micro[half - 1] + micro[half]) / 2
    return _one_decimal(middle / Decimal(86_400_000_000))


def province_slug(province: Province) -> str:
    """The province in a URL: 'noord-brabant'."""
    return slugify(province.name)


def _scoped(queryset, province_ids: list[int] | None, lookup: str):
    return queryset if province_ids is None else queryset.filter(**{f"{lookup}__in": province_ids})


def voucher_report(province_ids: Iterable[int] | None = None) -> VoucherReport:
    """The figures per province (every province, or only ``province_ids``) and together.

    ``national.target`` is the programme's target when every province is asked
    for, and the sum of the Green Deals' voucher numbers when only some are.
    """
    ids = None if province_ids is None else sorted(set(province_ids))
    provinces = list(_scoped(Province.objects.order_by("name"), ids, "pk"))
    deals = {d.province_id: d for d in _scoped(GreenDeal.objects.all(), ids, "province_id")}

    rounds = {
        row["green_deal__province_id"]: row
        for row in _scoped(VoucherRound.objects.all(), ids, "green_deal__province_id")
        .order_by()
        .values("green_deal__province_id")
        .annotate(n=Count("id"), vouchers=Sum("voucher_count"), budget=Sum("budget_cents"))
    }

    applications = _scoped(VoucherApplication.objects.all(), ids, _PROVINCE)
    by_status: dict[int, dict[str, int]] = defaultdict(dict)
    awarded_cents: dict[int, int] = defaultdict(int)
    for row in (
        applications.order_by()
        .values(_PROVINCE, "status")
        .annotate(n=Count("id"), awarded=Sum("awarded_cents"))
    ):
        by_status[row[_PROVINCE]][row["status"]] = row["n"]
        if row["status"] in COMMITTED_STATUSES:
            awarded_cents[row[_PROVINCE]] += row["awarded"] or 0

    # Payouts per province, split by whether the voucher's award still counts.
    paid_total: dict[int, int] = defaultdict(int)
    released_spent: dict[int, int] = defaultdict(int)
    payout_province = f"application__{_PROVINCE}"
    for row in (
        _scoped(Payout.objects.all(), ids, payout_province)
        .order_by()
        .values(payout_province)
        .annotate(
            total=Sum("amount_cents"),
            released=Sum("amount_cents", filter=~Q(application__status__in=COMMITTED_STATUSES)),
        )
    ):
        paid_total[row[payout_province]] = row["total"] or 0
        released_spent[row[payout_province]] = row["released"] or 0

    # Released vouchers (withdrawn or expired) with an advance still count as one voucher.
    released_count = dict(
        applications.exclude(status__in=COMMITTED_STATUSES)
        .filter(payouts__isnull=False)
        .order_by()
        .values(_PROVINCE)
        .annotate(n=Count("id", distinct=True))
        .values_list(_PROVINCE, "n")
    )

    # Application to award, from the history: the first submission and the first award.
    timed = (
        applications.annotate(
            first_submitted=Min("events__at", filter=Q(events__to_status=Status.SUBMITTED)),
            first_awarded=Min(
                "events__at",
                filter=Q(
                    events__to_status=Status.AWARDED,
                    events__from_status=Status.IN_ASSESSMENT,
                ),
            ),
        )
        .filter(first_awarded__isnull=False, first_submitted__isnull=False)
        .order_by()
        .values_list(_PROVINCE, "first_submitted", "first_awarded")
    )
    durations: dict[int, list[dt.timedelta]] = defaultdict(list)
    for province_id, submitted, awarded in timed:
        durations[province_id].append(awarded - submitted)

    co_financing: dict[int, dict[str, CoFinancing]] = defaultdict(dict)
    for row in _scoped(CoFinancing.objects.all(), ids, "green_deal__province_id").select_related(
        "green_deal"
    ):
        co_financing[row.green_deal.province_id][row.party] = row

    def figures(pids: list[int], target: int | None) -> VoucherFigures:
        statuses = {s: sum(by_status[p].get(s, 0) for p in pids) for s in Status.values}
        committed_count = sum(statuses[s] for s in COMMITTED_STATUSES)
        return VoucherFigures(
            target=target,
            applied=sum(statuses.values()),
            awarded=committed_count + sum(released_count.get(p, 0) for p in pids),
            paid=statuses[Status.PAID],
            by_status=statuses,
            rounds=sum(rounds.get(p, {}).get("n", 0) for p in pids),
            round_vouchers=sum(rounds.get(p, {}).get("vouchers", 0) or 0 for p in pids),
            budget_cents=sum(rounds.get(p, {}).get("budget", 0) or 0 for p in pids),
            deal_budget_cents=sum(deals[p].voucher_budget_cents for p in pids if p in deals),
            committed_cents=sum(awarded_cents[p] + released_spent[p] for p in pids),
            paid_cents=sum(paid_total[p] for p in pids),
            awards_timed=sum(len(durations[p]) for p in pids),
            median_days_to_award=median_days(d for p in pids for d in durations[p]),
        )

    def parties(pids: list[int]) -> list[PartyFinancing]:
        result = []
        for party in CoFinancing.Party:
            rows = [co_financing[p][party.value] for p in pids if party.value in co_financing[p]]
            if rows:
                result.append(
                    PartyFinancing(
                        party=party.value,
                        label=str(party.label),
                        committed_cents=sum(r.committed_cents for r in rows),
                        realised_cents=sum(r.realised_cents for r in rows),
                    )
                )
        return result

    reports = []
    for province in provinces:
        deal = deals.get(province.pk)
        reports.append(
            ProvinceReport(
                province_id=province.pk,
                name=province.name,
                slug=province_slug(province),
                deal_status=deal.status if deal else "",
                deal_status_label=str(deal.get_status_display()) if deal else "",
                deal_package=deal.package if deal else "",
                figures=figures([province.pk], deal.voucher_count if deal else None),
                co_financing=parties([province.pk]),
            )
        )

    all_ids = [p.pk for p in provinces]
    programme_target = ProgrammeTarget.objects.filter(key=TARGET_KEY).first()
    if ids is None and programme_target is not None:
        target: int | None = int(programme_target.value)
        source = programme_target.source
    else:
        target = sum(deals[p].voucher_count for p in all_ids if p in deals) if deals else None
        source = ""
    return VoucherReport(
        provinces=reports,
        national=figures(all_ids, target),
        co_financing=parties(all_ids),
        target_source=source,
    )


@dataclass(frozen=True)
class RoundFigures:
    """One round against its limits, counted as ``services.round_commitments`` counts."""

    round: VoucherRound
    applied: int
    awarded: int
    committed_cents: int
    paid_cents: int

    @property
    def vouchers_left(self) -> int:
        """Vouchers that still fit in both the number and the money left (a budget that is
        not a multiple of the value leaves a remainder no voucher fits in)."""
        by_count = self.round.voucher_count - self.awarded
        by_money = self.uncommitted_cents // self.round.voucher_value_cents
        return max(min(by_count, by_money), 0)

    @property
    def uncommitted_cents(self) -> int:
        return self.round.budget_cents - self.committed_cents


def round_figures(province_ids: Iterable[int] | None = None) -> list[RoundFigures]:
    """Every round (of ``province_ids``), newest first per province, in three queries."""
    ids = None if province_ids is None else sorted(set(province_ids))
    rounds = list(
        _scoped(VoucherRound.objects.all(), ids, "green_deal__province_id").select_related(
            "green_deal__province", "scheme"
        )
    )
    round_ids = [r.pk for r in rounds]
    applied: dict[int, int] = defaultdict(int)
    counted: dict[int, int] = defaultdict(int)
    awarded_cents: dict[int, int] = defaultdict(int)
    for row in (
        VoucherApplication.objects.filter(round_id__in=round_ids)
        .order_by()
        .values("round_id", "status")
        .annotate(n=Count("id"), awarded=Sum("awarded_cents"))
    ):
        applied[row["round_id"]] += row["n"]
        if row["status"] in COMMITTED_STATUSES:
            counted[row["round_id"]] += row["n"]
            awarded_cents[row["round_id"]] += row["awarded"] or 0
    paid: dict[int, tuple[int, int]] = {}
    released: dict[int, int] = defaultdict(int)
    for row in (
        Payout.objects.filter(application__round_id__in=round_ids)
        .order_by()
        .values("application__round_id")
        .annotate(
            total=Sum("amount_cents"),
            released=Sum("amount_cents", filter=~Q(application__status__in=COMMITTED_STATUSES)),
            released_vouchers=Count(
                "application_id",
                distinct=True,
                filter=~Q(application__status__in=COMMITTED_STATUSES),
            ),
        )
    ):
        rid = row["application__round_id"]
        paid[rid] = (row["total"] or 0, row["released"] or 0)
        released[rid] = row["released_vouchers"]
    return [
        RoundFigures(
            round=r,
            applied=applied[r.pk],
            awarded=counted[r.pk] + released[r.pk],
            committed_cents=awarded_cents[r.pk] + paid.get(r.pk, (0, 0))[1],
            paid_cents=paid.get(r.pk, (0, 0))[0],
        )
        for r in rounds
    ]
