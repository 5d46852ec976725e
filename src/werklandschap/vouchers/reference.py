"""Load the Green Deals with provinces."""

from __future__ import annotations

from pathlib import Path

from werklandschap.lib.refdata import ReferenceDataError, read_yaml, require
from werklandschap.registry.models import Province

from .models import GreenDeal


def load_green_deals(directory: Path) -> int:
    data = read_yaml(directory, "green_deals.yaml")
    money = data.get("co_financing") or {}
    for row in require(data, "green_deals", "green_deals.yaml"):
        name = require(row, "province", "green_deals.yaml")
        try:
            province = Province.objects.get(name=name)
        except Province.DoesNotExist as exc:
            raise ReferenceDataError(f"green_deals.yaml: onbekende provincie '{name}'") from exc
        GreenDeal.objects.update_or_create(
            province=province,
            defaults={
                "status": row.get("status", GreenDeal.Status.SIGNED),
                "co_financing_programme_min_eur": money.get("programme_min_eur"),
                "co_financing_programme_max_eur": money.get("programme_max_eur"),
                "co_financing_province_min_eur": money.get("province_min_eur"),
                "co_financing_province_max_eur": money.get("province_max_eur"),
                "source": data.get("source", ""),
            },
        )
    return GreenDeal.objects.count()
