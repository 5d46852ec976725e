"""Load the Green Deals with provinces, their provincial schemes and voucher agreements.

``data/reference/green_deals.yaml`` is checked before anything is written: an
unknown province or scheme, a signed deal without a date, a voucher worth less
than EUR 15,000 or a block without a source stops the load with a message
naming the file (``load_reference`` runs everything in one transaction).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from werklandschap.lib.refdata import ReferenceDataError, read_yaml, require
from werklandschap.registry.models import Province

from .models import MIN_VOUCHER_VALUE_CENTS, GreenDeal, ProvincialScheme

FILE = "green_deals.yaml"


def _province(name: str, where: str) -> Province:
    try:
        return Province.objects.get(name=name)
    except Province.DoesNotExist as exc:
        raise ReferenceDataError(f"{where}: onbekende provincie '{name}'") from exc


def _sourced(block: dict, where: str) -> str:
    if not isinstance(block, dict):
        raise ReferenceDataError(f"{where}: verwacht een mapping")
    return str(require(block, "source", where))


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ReferenceDataError(f"{where}: '{value}' is geen datum (JJJJ-MM-DD)") from exc


def _whole_euros(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReferenceDataError(f"{where}: verwacht een heel aantal euro's >= 0, niet {value!r}")
    return value


def load_green_deals(directory: Path) -> int:
    data = read_yaml(directory, FILE)
    money = data.get("co_financing") or {}
    signed = data.get("signed_on") or {}
    vouchers = data.get("vouchers") or {}
    signed_source = _sourced(signed, f"{FILE}: signed_on") if signed else ""
    signed_on = _date(require(signed, "value", f"{FILE}: signed_on"), FILE) if signed else None
    voucher_source = _sourced(vouchers, f"{FILE}: vouchers") if vouchers else ""
    count = _whole_euros(vouchers.get("count", 0), f"{FILE}: vouchers.count")
    value_eur = _whole_euros(vouchers.get("value_eur", 0), f"{FILE}: vouchers.value_eur")
    if count and value_eur * 100 < MIN_VOUCHER_VALUE_CENTS:
        raise ReferenceDataError(f"{FILE}: een voucher is ten minste EUR 15.000 waard")

    schemes: dict[tuple[int, str], ProvincialScheme] = {}
    for row in data.get("schemes") or []:
        where = f"{FILE}: schemes"
        province = _province(str(require(row, "province", where)), where)
        name = str(require(row, "name", where))
        scheme, _created = ProvincialScheme.objects.update_or_create(
            province=province,
            name=name,
            defaults={
                "url": row.get("url", ""),
                "description": row.get("description", ""),
                "source": _sourced(row, f"{where} '{name}'"),
            },
        )
        schemes[(province.pk, name)] = scheme

    statuses = set(GreenDeal.Status.values)
    packages = set(GreenDeal.Package.values)
    for row in require(data, "green_deals", FILE):
        name = require(row, "province", FILE)
        province = _province(name, FILE)
        where = f"{FILE}: {name}"
        status = row.get("status", GreenDeal.Status.SIGNED)
        if status not in statuses:
            raise ReferenceDataError(f"{where}: onbekende status '{status}'")
        package = row.get("package") or ""
        if package and package not in packages:
            raise ReferenceDataError(f"{where}: onbekend pakket '{package}' (A, B of C)")
        row_signed = _date(row["signed_on"], where) if row.get("signed_on") else signed_on
        if status == GreenDeal.Status.SIGNED and row_signed is None:
            raise ReferenceDataError(f"{where}: een ondertekende Green Deal heeft een datum")
        linked = []
        for scheme_name in row.get("schemes") or []:
            scheme = schemes.get((province.pk, scheme_name))
            if scheme is None:
                raise ReferenceDataError(
                    f"{where}: regeling '{scheme_name}' staat niet onder 'schemes' van {name}"
                )
            linked.append(scheme)
        deal_vouchers = status == GreenDeal.Status.SIGNED
        deal, _created = GreenDeal.objects.update_or_create(
            province=province,
            defaults={
                "status": status,
                "signed_on": row_signed if status == GreenDeal.Status.SIGNED else None,
                "package": package,
                "co_financing_programme_min_eur": money.get("programme_min_eur"),
                "co_financing_programme_max_eur": money.get("programme_max_eur"),
                "co_financing_province_min_eur": money.get("province_min_eur"),
                "co_financing_province_max_eur": money.get("province_max_eur"),
                "voucher_count": count if deal_vouchers else 0,
                "voucher_budget_cents": count * value_eur * 100 if deal_vouchers else 0,
                "source": "; ".join(
                    s for s in (data.get("source", ""), signed_source, voucher_source) if s
                ),
            },
        )
        deal.provincial_schemes.set(linked)
    return GreenDeal.objects.count()
