"""The public example park of the cost-benefit tool: try it without an account.

The park is made up (``data/measures/example_park.yaml``, validated on load);
its targets are the programme's default ambitions, as for any new park. The
example never saves anything: it has no scenarios and no exports.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from werklandschap.costbenefit.suggest import Situation, Targets
from werklandschap.scanengine import default_ambitions

from .browse import english

EXAMPLE_PATH = Path(__file__).resolve().parent.parent / "data" / "measures" / "example_park.yaml"
_NUMBERS = (
    "area_m2",
    "roof_area_m2",
    "impervious_share_pct",
    "storage_gap_m3",
    "canopy_share_pct",
    "green_share_pct",
)


@cache
def _data() -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE_PATH.read_text(encoding="utf-8"))
    problems = [
        f"{key} missing or not a number >= 0"
        for key in _NUMBERS
        if not (isinstance(data.get(key), int | float) and data[key] >= 0)
    ]
    problems += [f"{key} missing" for key in ("source", "name_nl", "name_en") if not data.get(key)]
    if not problems and data["roof_area_m2"] > data["area_m2"]:
        problems.append("roof_area_m2 larger than area_m2")
    for key in ("impervious_share_pct", "canopy_share_pct", "green_share_pct"):
        if not problems and data[key] > 100:
            problems.append(f"{key} above 100")
    if problems:
        raise ValueError(f"{EXAMPLE_PATH.name}: " + "; ".join(problems))
    return data


def name() -> str:
    return _data()["name_en" if english() else "name_nl"]


def situation() -> Situation:
    return Situation(**{key: float(_data()[key]) for key in _NUMBERS})


def targets() -> Targets:
    defaults = default_ambitions()
    return Targets(
        canopy_share_pct=defaults.get("canopy_share_pct"),
        green_share_pct=defaults.get("green_share_pct"),
    )
