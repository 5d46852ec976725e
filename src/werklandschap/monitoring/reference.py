"""Load the programme targets."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from werklandschap.lib.refdata import ReferenceDataError, read_yaml, require

from .models import ProgrammeTarget


def load_targets(directory: Path) -> int:
    data = read_yaml(directory, "targets.yaml")
    for row in require(data, "targets", "targets.yaml"):
        key = require(row, "key", "targets.yaml")
        try:
            value = Decimal(str(require(row, "value", f"targets.yaml {key}")))
        except InvalidOperation as exc:
            raise ReferenceDataError(f"targets.yaml {key}: waarde is geen getal") from exc
        ProgrammeTarget.objects.update_or_create(
            key=key,
            defaults={
                "label": require(row, "label", f"targets.yaml {key}"),
                "value": value,
                "unit": row.get("unit", ""),
                "target_year": row.get("target_year"),
                "source": require(row, "source", f"targets.yaml {key}"),
            },
        )
    return ProgrammeTarget.objects.count()


def target_value(key: str, default: int = 0) -> int:
    """The current value of a target as an int (the team may edit it in the admin)."""
    target = ProgrammeTarget.objects.filter(key=key).first()
    return int(target.value) if target else default
