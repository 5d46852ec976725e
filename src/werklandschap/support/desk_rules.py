"""The support desk's rules (``data/support/desk.yaml``), read and checked once.

The two-week promise, the limits of 3 partners and 3 proposals of one A4, the
attachment caps and which days are working days are programme rules with a
source (seed 001 section 4.2), not constants in code: they live in one data
file, next to their source, like the scan's parameters (``data/scan/*.yaml``)
and the portal's verdicts. This module is the only reader. It checks every value
on load - present, of the right type, within a sane range, with a source - and
raises :class:`DeskRulesError` naming the file and every key that is wrong, so a
bad edit fails at start-up and in the tests, not in the middle of a deadline
calculation. Framework-free: no Django models or settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "support" / "desk.yaml"

# Paper sizes the proposal template (templates/support/proposal_pdf.css) is laid out for.
SUPPORTED_PAPER = ("A4",)


class DeskRulesError(ValueError):
    """desk.yaml is incomplete or out of range (names the file and every wrong key)."""


@dataclass(frozen=True)
class AttachmentRules:
    """Caps on the files attached to one question (see support/attachments.py)."""

    max_count: int
    max_bytes: int  # one file
    max_total_bytes: int  # all files of one question together
    max_unpacked_bytes: int  # declared unpacked size of an office file's zip members
    max_zip_members: int
    max_image_pixels: int
    allowed_types: tuple[str, ...]  # type names of attachments.FORMATS


@dataclass(frozen=True)
class CalendarRules:
    """Which days are working days: a country and categories of the ``holidays`` library."""

    country: str
    categories: tuple[str, ...]
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class DeskRules:
    version: str
    response_working_days: int
    soon_due_working_days: int
    max_partners_per_question: int
    max_proposals_per_question: int
    proposal_max_pages: int
    proposal_paper: str
    attachments: AttachmentRules
    calendar: CalendarRules
    routing_weights: RoutingWeights
    confirm_days: int
    follow_link_days: int


@dataclass(frozen=True)
class RoutingWeights:
    """How partner suggestions are scored (services.suggest_partners)."""

    toolbox_step: float
    theme: float
    pool: float
    per_open_question: float  # subtracted per question the partner has open


class _Reader:
    """Reads ``section.key.value`` entries and collects every problem instead of the first."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.problems: list[str] = []

    def entry(self, section: str, key: str) -> dict[str, Any] | None:
        block = self.data.get(section)
        if not isinstance(block, dict):
            self.problems.append(f"{section}: missing")
            return None
        item = block.get(key)
        if not isinstance(item, dict):
            self.problems.append(f"{section}.{key}: missing")
            return None
        if not (isinstance(item.get("source"), str) and item["source"].strip()):
            self.problems.append(f"{section}.{key}: no source")
        return item

    def integer(self, section: str, key: str, low: int, high: int) -> int:
        item = self.entry(section, key)
        if item is None:
            return low
        value = item.get("value")
        # bool is an int in Python; "true" is never a count.
        if not isinstance(value, int) or isinstance(value, bool):
            self.problems.append(f"{section}.{key}.value: must be a whole number, not {value!r}")
            return low
        if not low <= value <= high:
            self.problems.append(f"{section}.{key}.value: {value} is not within {low}-{high}")
        return value

    def number(self, section: str, key: str, low: float, high: float) -> float:
        item = self.entry(section, key)
        if item is None:
            return low
        value = item.get("value")
        if not isinstance(value, int | float) or isinstance(value, bool):
            self.problems.append(f"{section}.{key}.value: must be a number, not {value!r}")
            return low
        if not low <= value <= high:
            self.problems.append(f"{section}.{key}.value: {value} is not within {low}-{high}")
        return float(value)

    def text(self, section: str, key: str) -> str:
        item = self.entry(section, key)
        value = None if item is None else item.get("value")
        if item is not None and not (isinstance(value, str) and value.strip()):
            self.problems.append(f"{section}.{key}.value: must be a text, not {value!r}")
        return value if isinstance(value, str) else ""

    def texts(self, section: str, key: str) -> tuple[str, ...]:
        item = self.entry(section, key)
        values = None if item is None else item.get("values")
        if item is None:
            return ()
        if not (isinstance(values, list) and values and all(isinstance(v, str) for v in values)):
            self.problems.append(f"{section}.{key}.values: must be a non-empty list of texts")
            return ()
        if len(set(values)) != len(values):
            self.problems.append(f"{section}.{key}.values: lists a value twice")
        return tuple(values)


def load_rules(path: str | Path | None = None) -> DeskRules:
    """Read and check a desk rules file; DeskRulesError lists every problem found."""
    path = Path(path) if path is not None else RULES_PATH
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise DeskRulesError(f"{path.name}: not a mapping")
    r = _Reader(data)
    response = r.integer("deadline", "response_working_days", 1, 60)
    soon = r.integer("deadline", "soon_due_working_days", 0, 60)
    if soon > response:
        r.problems.append(
            "deadline.soon_due_working_days.value: larger than response_working_days "
            f"({soon} > {response})"
        )
    partners = r.integer("routing", "max_partners_per_question", 1, 10)
    proposals = r.integer("proposals", "max_proposals_per_question", 1, 10)
    pages = r.integer("proposals", "max_pages", 1, 10)
    pages_entry = (data.get("proposals") or {}).get("max_pages") or {}
    paper = pages_entry.get("paper") if isinstance(pages_entry, dict) else None
    if paper not in SUPPORTED_PAPER:
        r.problems.append(
            f"proposals.max_pages.paper: {paper!r} is not one of {', '.join(SUPPORTED_PAPER)}"
        )
    weights = RoutingWeights(
        toolbox_step=r.number("routing", "score_toolbox_step", 0, 100),
        theme=r.number("routing", "score_theme", 0, 100),
        pool=r.number("routing", "score_pool", 0, 100),
        per_open_question=r.number("routing", "penalty_per_open_question", 0, 100),
    )
    confirm_days = r.integer("intake", "confirm_days", 1, 60)
    follow_days = r.integer("intake", "follow_link_days", 1, 3650)
    attachments = _attachment_rules(r)
    calendar = _calendar_rules(r)
    if r.problems:
        raise DeskRulesError(f"{path.name}: " + "; ".join(r.problems))
    return DeskRules(
        version=str(data.get("version", "")),
        response_working_days=response,
        soon_due_working_days=soon,
        max_partners_per_question=partners,
        max_proposals_per_question=proposals,
        proposal_max_pages=pages,
        proposal_paper=str(paper),
        attachments=attachments,
        calendar=calendar,
        routing_weights=weights,
        confirm_days=confirm_days,
        follow_link_days=follow_days,
    )


def _attachment_rules(r: _Reader) -> AttachmentRules:
    from .attachments import FORMATS  # attachments reads these rules; import here, not above

    mb = 1024 * 1024
    max_bytes = r.integer("attachments", "max_bytes", 1024, 100 * mb)
    total = r.integer("attachments", "max_total_bytes", 1024, 1024 * mb)
    if total < max_bytes:
        r.problems.append("attachments.max_total_bytes.value: smaller than max_bytes")
    unpacked = r.integer("attachments", "max_unpacked_bytes", 1024, 2048 * mb)
    if unpacked < max_bytes:
        r.problems.append("attachments.max_unpacked_bytes.value: smaller than max_bytes")
    types = r.texts("attachments", "allowed_types")
    unknown = [t for t in types if t not in FORMATS]
    if unknown:
        r.problems.append(
            f"attachments.allowed_types.values: unknown types {unknown} "
            f"(known: {', '.join(FORMATS)})"
        )
    return AttachmentRules(
        max_count=r.integer("attachments", "max_count", 0, 20),
        max_bytes=max_bytes,
        max_total_bytes=total,
        max_unpacked_bytes=unpacked,
        max_zip_members=r.integer("attachments", "max_zip_members", 10, 100_000),
        max_image_pixels=r.integer("attachments", "max_image_pixels", 1_000_000, 1_000_000_000),
        allowed_types=types,
    )


def _calendar_rules(r: _Reader) -> CalendarRules:
    import holidays

    country = r.text("calendar", "country")
    categories = r.texts("calendar", "categories")
    zone = r.text("calendar", "timezone")
    if country:
        try:
            supported = holidays.country_holidays(country).supported_categories
        except NotImplementedError:
            r.problems.append(f"calendar.country.value: {country!r} is not a country of holidays")
        else:
            unknown = [c for c in categories if c not in supported]
            if unknown:
                r.problems.append(
                    f"calendar.categories.values: {unknown} are not categories of {country} "
                    f"(known: {', '.join(supported)})"
                )
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            r.problems.append(f"calendar.timezone.value: {zone!r} is not a time zone")
    return CalendarRules(country=country, categories=categories, timezone=zone)


@cache
def rules() -> DeskRules:
    """The packaged desk rules, checked once per process."""
    return load_rules()
