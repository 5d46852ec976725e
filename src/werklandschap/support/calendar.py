"""Dutch working days for the support desk's two-week promise.

Seed 001 section 4.2 promises a response "binnen 2 weken"; the desk measures
that as ``response_working_days`` (10) working days in ``data/support/desk.yaml``.
A working day is Monday to Friday and not a public holiday of the country and
categories in that file, as the maintained ``holidays`` library computes them
(so King's Day moves to Saturday 26 April when 27 April is a Sunday, and Easter,
Ascension and Whit Monday follow Easter without a table of dates here).

The counting rules, the same everywhere:

* A date is the Dutch calendar date (Europe/Amsterdam): an aware datetime is
  converted first, so a question sharpened at 00:30 on Tuesday in Amsterdam
  (Monday 22:30 UTC) was sharpened on Tuesday. A naive datetime is refused: its
  day is ambiguous.
* The start day never counts, whatever time of day: :func:`add_working_days`
  returns the n-th working day *after* it. The due date is the last day of the
  term, inclusive: a response on the due date is on time.
* A question sharpened on a weekend or holiday starts counting at the next
  working day, which is day 1. So Saturday gets the same due date as the Friday
  before (the weekend adds no working day), not the Monday after.
* :func:`working_days_between` counts the working days d with a < d <= b, the
  inverse of :func:`add_working_days` when b is a working day; negative when b
  lies before a. "Overdue by N working days" is ``working_days_between(due, today)``.

Plain functions on dates; no Django models, no settings.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

import holidays

from .desk_rules import rules

DateLike = date | datetime


def local_date(value: DateLike) -> date:
    """The Dutch calendar date of ``value`` (a date, or an aware datetime)."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                "a naive datetime has no calendar day in the Netherlands; pass an aware "
                "datetime (django.utils.timezone.now()) or a date"
            )
        return value.astimezone(rules().calendar.zone).date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date or datetime, not {type(value).__name__}")


def local_today() -> date:
    """Today in the Netherlands."""
    return datetime.now(rules().calendar.zone).date()


@cache
def _holidays(year: int, language: str) -> dict[date, str]:
    """The non-working holidays of one year, date -> name; computed once per year."""
    cal = rules().calendar
    found = holidays.country_holidays(
        cal.country, years=year, categories=cal.categories, language=language
    )
    return dict(found)


def holiday_name(value: DateLike, language: str = "nl") -> str | None:
    """The name of the public holiday on ``value`` ("Koningsdag"), or None.

    ``language`` is a Django language code ("nl", "en"); a due date shown next to
    "moved for Koningsdag" helps a director understand a date that looks late.
    """
    day = local_date(value)
    lang = "en_US" if language.startswith("en") else "nl"
    return _holidays(day.year, lang).get(day)


def is_working_day(value: DateLike) -> bool:
    """Monday to Friday and not a public holiday (desk.yaml ``calendar``)."""
    day = local_date(value)
    return day.weekday() < 5 and day not in _holidays(day.year, "nl")


def add_working_days(start: DateLike, n: int) -> date:
    """The n-th working day after the day of ``start`` (the start day never counts).

    ``add_working_days(d, 0)`` is d itself. Used for the due date: sharpened on
    Monday 5 January 2026 -> due Monday 19 January 2026 (10 working days).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a whole number of working days >= 0, not {n!r}")
    day = local_date(start)
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(a: DateLike, b: DateLike) -> int:
    """Working days d with a < d <= b; negative (minus those with b < d <= a) when b < a."""
    first, last = local_date(a), local_date(b)
    if last < first:
        return -working_days_between(last, first)
    # Arithmetic, not a walk over the days: a list may ask this for every row.
    weeks, rest = divmod((last - first).days, 7)
    start_of_rest = first + timedelta(days=7 * weeks)
    weekdays = 5 * weeks + sum(
        1 for i in range(1, rest + 1) if (start_of_rest + timedelta(days=i)).weekday() < 5
    )
    holidays_on_weekdays = sum(
        1
        for year in range(first.year, last.year + 1)
        for day in _holidays(year, "nl")
        if first < day <= last and day.weekday() < 5
    )
    return weekdays - holidays_on_weekdays


def due_date(sharpened: DateLike) -> date:
    """The response due date of a question sharpened at ``sharpened`` (desk.yaml, 10 days)."""
    return add_working_days(sharpened, rules().response_working_days)


def soon_due_cutoff(today: DateLike) -> date:
    """The last due date that counts as soon due on ``today``.

    A question is soon due when ``today <= due <= soon_due_cutoff(today)`` and
    overdue when ``due < today``: two date comparisons a list can make in its
    database query, whatever the number of questions.
    """
    return add_working_days(today, rules().soon_due_working_days)


def overdue_working_days(due: DateLike, today: DateLike) -> int:
    """By how many working days a question due on ``due`` is late on ``today`` (0 if not).

    Due on Friday, still open on Monday: 1 working day late. Due on Friday, still
    open on Saturday: late (the due date passed) by 0 working days; callers that
    show "overdue" use ``due < today``, this number says by how much.
    """
    return max(0, working_days_between(due, today))
