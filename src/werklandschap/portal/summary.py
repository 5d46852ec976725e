"""The dashboard's summary: where the park stands, its three largest gaps, in plain words.

A park manager opening the dashboard first reads this (issue 16: the page opened on
45 indicator cards, none marked good or bad, with no next step). Every verdict comes
from the sources the rest of the page uses: theme bands from ``verdicts.py``, targets
and gaps from ``ambitions.py``, groups of parks from ``comparison.py``, labels and
directions from the indicator catalogue. Nothing here invents a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from werklandschap.scanengine.catalog import INDICATORS
from werklandschap.scans.models import ParkScan

from . import presentation as fmt
from . import verdicts
from .comparison import ComparisonItem, Group
from .indicator_views import scores_parameters

# A step smaller than this (in the indicator's unit) is rounding, not a gap.
_TOLERANCE = 1e-9
# Catalogue limits this wide mean "no natural scale" (areas, volumes, counts).
_UNBOUNDED = 1e6


# --------------------------------------------------------------------------- themes


def theme_verdicts(themes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The theme scores in words: [{key, band, themes: [{theme, label}]}], best band first.

    Bands from ``verdicts.score_band`` (verdicts.yaml), the same words as the score
    chips and the PDF; themes without a score come last under its 'unknown' band.
    """
    scored = sorted(
        (t for t in themes if t.get("score") is not None), key=lambda t: -float(t["score"])
    )
    unscored = [t for t in themes if t.get("score") is None]
    out: list[dict[str, Any]] = []
    for t in scored + unscored:
        band = verdicts.score_band(t.get("score"))
        if not out or out[-1]["key"] != band.key:
            out.append({"key": band.key, "band": band.label, "themes": []})
        out[-1]["themes"].append({"theme": t["theme"], "label": t["label"]})
    return out


# --------------------------------------------------------------------------- ambitions


def ambition_standing(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many ambitions are met, not yet met or cannot be judged (figure missing).

    ``own``: how many targets the park set itself; the others are the programme's
    proposals, which the ambition table and its step already count as the target.
    """
    return {
        "total": len(rows),
        "met": sum(1 for r in rows if r["met"] is True),
        "open": sum(1 for r in rows if r["met"] is False),
        "unknown": sum(1 for r in rows if r["met"] is None),
        "own": sum(1 for r in rows if not r["is_default"]),
    }


# --------------------------------------------------------------------------- peers


def group_phrase(group: Group) -> str:
    """A comparison group as the summary's sentences name it ('vergelijkbare terreinen')."""
    if group.key == "peer":
        return _("vergelijkbare terreinen")
    if group.key == "province":
        return _("terreinen in %(province)s") % {"province": group.short}
    return _("terreinen in heel Nederland")


def peer_standing(items: list[ComparisonItem]) -> dict[str, Any] | None:
    """The park's theme scores against the closest group large enough to rank it in.

    Takes the comparison's groups in their order (same type and size, province,
    country) and uses the first in which at least one theme score can be ranked
    (``verdicts.can_rank``: enough parks). A theme is 'better' when the park does
    better than more than half of the other parks of that group, 'worse' when less
    than half. None when no group is large enough.
    """
    scores = [i for i in items if i.key.startswith("score:") and i.value is not None]
    if not scores:
        return None
    for index in range(len(scores[0].groups)):
        ranked = [(i, i.groups[index]) for i in scores if verdicts.can_rank(i.groups[index])]
        if not ranked:
            continue
        group = ranked[0][1]
        return {
            "group": group.label,
            "phrase": group_phrase(group),
            "parks": max(g.stats.n for _i, g in ranked),
            "better": [_theme_of(i) for i, g in ranked if g.better_than > 50.0],
            "worse": [_theme_of(i) for i, g in ranked if g.better_than < 50.0],
            "even": [_theme_of(i) for i, g in ranked if g.better_than == 50.0],
        }
    return None


def _theme_of(item: ComparisonItem) -> str:
    return fmt.theme_label(item.key.split(":", 1)[1])


# --------------------------------------------------------------------------- gaps


@dataclass(frozen=True)
class Reference:
    """What an indicator is measured against: a target or the median of a group of parks.

    ``basis``: 'ambition' (the park's own target), 'proposal' (the programme's
    default target) or 'peers' (the median of ``group``, a ``group_phrase``).
    """

    value: float
    basis: str
    group: str = ""


@dataclass(frozen=True)
class Gap:
    """One indicator's distance to its reference, in the better direction."""

    key: str
    unit: str | None
    current: float
    reference: Reference
    amount: float  # in the indicator's unit, > 0
    better: str  # 'up' or 'down'
    size: float  # the amount on a 0-100 scale; see largest_gaps

    @property
    def label(self) -> str:
        """The indicator's plain name in the active language (catalogue)."""
        return fmt.label(self.key)

    @property
    def current_text(self) -> str:
        return fmt.with_unit(self.current, self.unit, self.key)

    @property
    def reference_text(self) -> str:
        """What the figure is measured against, with its value: 'uw ambitie: 30,0 %'."""
        target = fmt.with_unit(self.reference.value, self.unit, self.key)
        if self.reference.basis == "ambition":
            return _("uw ambitie: %(target)s") % {"target": target}
        if self.reference.basis == "proposal":
            return _("voorstel van het programma: %(target)s") % {"target": target}
        return _("mediaan van %(group)s: %(target)s") % {
            "group": self.reference.group,
            "target": target,
        }

    @property
    def gap_text(self) -> str:
        """How far and which way, in the catalogue's direction: '22,8 procentpunt te laag'."""
        gap = fmt.gap_text(self.amount, self.unit)
        if self.better == "up":
            return _("%(gap)s te laag") % {"gap": gap}
        return _("%(gap)s te hoog") % {"gap": gap}

    @property
    def text(self) -> str:
        """'nu 7,2 %; uw ambitie: 30,0 % (22,8 procentpunt te laag)': the gap in words."""
        return _("nu %(now)s; %(reference)s (%(gap)s)") % {
            "now": self.current_text,
            "reference": self.reference_text,
            "gap": self.gap_text,
        }


def score_scales(scores: dict[str, Any]) -> dict[str, float]:
    """Per scored indicator the width of its 0-100 theme-score scale, |full - zero|.

    ``scores``: scores.yaml's values (``indicator_views.scores_parameters(scan)``
    gives those the scan was computed with). An indicator scored in two themes
    (canopy) has the same thresholds in both; the first one counts.
    """
    out: dict[str, float] = {}
    for items in (scores.get("themes") or {}).values():
        for item in items or []:
            span = abs(float(item["full"]) - float(item["zero"]))
            for key in item["any_of"]:
                if span > 0:
                    out.setdefault(key, span)
    return out


def largest_gaps(
    values: dict[str, float | None],
    references: dict[str, Reference],
    scales: dict[str, float],
    n: int = 3,
) -> list[Gap]:
    """The ``n`` indicators furthest from their reference, largest first.

    The rule, so the ranking can be checked by hand:

    1. The gap follows the indicator's direction in the catalogue: for 'up'
       (higher is better) it is reference - value, for 'down' value - reference.
       A value on the good side of its reference is no gap (a lower-is-better
       figure below its target is fine); indicators without a direction, without
       a value or without a reference are left out.
    2. To compare % with mm and °C, the gap is put on a 0-100 scale: divided by
       the width of the indicator's theme-score scale in scores.yaml
       (``scales``: |full - zero|, e.g. 30 percentage points for canopy, 50 mm
       for storage, 12 °C for the felt temperature) and multiplied by 100. It
       says how many points of its theme sub-score the step is worth, the
       programme's own judgement of how much a unit matters. An indicator that
       is not scored uses the width of its catalogue limits instead (100 for a
       share); one without bounded limits (areas, volumes) is left out.
    3. Ties keep the catalogue order.
    """
    order = {key: i for i, key in enumerate(INDICATORS)}
    gaps: list[Gap] = []
    for key, ref in references.items():
        ind = INDICATORS.get(key)
        value = values.get(key)
        if ind is None or ind.better is None or value is None:
            continue
        amount = ref.value - value if ind.better == "up" else value - ref.value
        if amount <= _TOLERANCE:
            continue
        span = scales.get(key)
        if not span:
            lo, hi = ind.limits
            span = hi - lo if hi - lo < _UNBOUNDED else None
        if not span:
            continue
        gaps.append(
            Gap(
                key=key,
                unit=ind.unit,
                current=float(value),
                reference=ref,
                amount=float(amount),
                better=ind.better,
                size=float(amount) / float(span) * 100.0,
            )
        )
    gaps.sort(key=lambda g: (-g.size, order.get(g.key, len(order))))
    return gaps[:n]


def gap_references(
    ambitions: list[dict[str, Any]], items: list[ComparisonItem]
) -> dict[str, Reference]:
    """Each indicator's reference: its target in effect, else the median of its peers.

    Targets: the park's own (basis 'ambition') or the programme's proposal
    ('proposal'), as the ambition table uses them. Indicators of the comparison
    without a target: the median of the first group (same type and size, province,
    country) large enough to show a median (``verdicts.shows_distribution``).
    """
    refs: dict[str, Reference] = {}
    for row in ambitions:
        if row.get("target") is not None:
            basis = "proposal" if row["is_default"] else "ambition"
            refs[row["key"]] = Reference(float(row["target"]), basis)
    for item in items:
        if item.key.startswith("score:") or item.key in refs:
            continue
        for group in item.groups:
            if verdicts.shows_distribution(group.stats.n) and group.stats.median is not None:
                refs[item.key] = Reference(group.stats.median, "peers", group_phrase(group))
                break
    return refs


def park_gaps(
    scan: ParkScan, ambitions: list[dict[str, Any]], items: list[ComparisonItem], n: int = 3
) -> list[Gap]:
    """The scan's ``n`` largest gaps (``largest_gaps``) against targets and peers."""
    values: dict[str, float | None] = {}
    for key, entry in (scan.indicators or {}).items():
        ok = entry.get("status") == "ok" and entry.get("value") is not None
        values[key] = float(entry["value"]) if ok else None
    return largest_gaps(
        values,
        gap_references(ambitions, items),
        score_scales(scores_parameters(scan)),
        n=n,
    )


# --------------------------------------------------------------------------- summary


def park_summary(
    scan: ParkScan,
    themes: list[dict[str, Any]],
    ambitions: list[dict[str, Any]],
    items: list[ComparisonItem],
) -> dict[str, Any]:
    """Everything the dashboard's summary box says, from the shared park overview."""
    return {
        "themes": theme_verdicts(themes),
        "ambitions": ambition_standing(ambitions),
        "peers": peer_standing(items),
        "gaps": park_gaps(scan, ambitions, items),
    }
