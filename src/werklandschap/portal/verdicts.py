"""The one source of the portal's verdicts: score bands and minimum comparison groups.

The dashboard and the PDF report used to carry their own thresholds (the report
named the two highest themes "Sterk" whatever their score, the dashboard printed
"matig" for the same 43; templates and the comparison chart each had their own
minimum group size). Every verdict now comes from ``verdicts.yaml`` through the
functions here, so page and PDF say the same thing about the same figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from . import presentation as fmt

VERDICTS_FILE = Path(__file__).with_name("verdicts.yaml")


@dataclass(frozen=True)
class Band:
    """A theme score's verdict: a stable key (for CSS and tests) and its word."""

    key: str
    label: str
    summary: str | None  # "strong", "attention" or None


@cache
def _data() -> dict[str, Any]:
    with VERDICTS_FILE.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    bands = data["score_bands"]["bands"]
    mins = [float(b["min"]) for b in bands]
    if mins != sorted(mins, reverse=True) or mins[-1] > 0:
        raise ValueError(f"{VERDICTS_FILE}: bands must run from the top down to min 0")
    return data


def score_band(score: float | None) -> Band:
    """The band of a theme score (0-100) in the current language; 'unknown' for None."""
    data = _data()["score_bands"]
    lang = fmt.lang()
    if score is None:
        u = data["unknown"]
        return Band(u["key"], u[lang], None)
    for b in data["bands"]:
        if score >= float(b["min"]):
            return Band(b["key"], b[lang], b.get("summary"))
    last = data["bands"][-1]
    return Band(last["key"], last[lang], last.get("summary"))


def band_label(score: float | None) -> str:
    return score_band(score).label


def summarise_themes(themes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Themes ({theme, label, score, ...}) sorted into the summary's strengths and concerns.

    A theme is a strength only if its band says so, so a score of 43 can never be
    called strong because it happens to be the park's highest.
    """
    strong, attention, unscored = [], [], []
    for t in themes:
        if t.get("score") is None:
            unscored.append(t)
            continue
        band = score_band(t["score"])
        row = {**t, "band": band.label, "band_key": band.key}
        if band.summary == "strong":
            strong.append(row)
        elif band.summary == "attention":
            attention.append(row)
    strong.sort(key=lambda t: -t["score"])
    attention.sort(key=lambda t: t["score"])
    return {"strong": strong, "attention": attention, "unscored": unscored}


def distribution_min_parks() -> int:
    """Fewest parks with a value for which a group's box (quartiles) and median are shown."""
    return int(_data()["comparison"]["distribution_min_parks"]["value"])


def rank_min_parks() -> int:
    """Fewest parks with a value (this park included) for a 'better than x%' statement."""
    return int(_data()["comparison"]["rank_min_parks"]["value"])


def shows_distribution(n: int) -> bool:
    return n >= distribution_min_parks()


def can_rank(group: Any) -> bool:
    """Whether a comparison group (``comparison.Group``) is large enough to rank the park in."""
    return group.better_than is not None and group.stats.n >= rank_min_parks()


def minimums() -> dict[str, int]:
    """The minimum group sizes, for texts that explain them ("vanaf 5 terreinen")."""
    return {"distribution": distribution_min_parks(), "rank": rank_min_parks()}
