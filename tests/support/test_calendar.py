"""Dutch working days for the two-week promise, against dates computed by hand.

Every expected date below was counted on a calendar, day by day; the start day
never counts, the due date is the 10th working day after it. The holidays come
from the real ``holidays`` library (no mocks), as configured in desk.yaml:
category `public` (Atw days incl. Good Friday, 5 May only in lustrum years).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from werklandschap.support.calendar import (
    add_working_days,
    due_date,
    holiday_name,
    is_working_day,
    local_date,
    overdue_working_days,
    soon_due_cutoff,
    working_days_between,
)

AMS = ZoneInfo("Europe/Amsterdam")


def test_weekend_is_skipped():
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Fri -> Mon
    assert add_working_days(date(2026, 3, 5), 2) == date(2026, 3, 9)  # Thu -> Mon
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert not is_working_day(date(2026, 3, 8))  # Sunday
    assert is_working_day(date(2026, 3, 9))


@pytest.mark.parametrize(
    ("sharpened", "due"),
    [
        # Mon 2 Mar 2026: Tue 3 = 1 ... Fri 6 = 4, Mon 9 = 5 ... Fri 13 = 9, Mon 16 = 10.
        (date(2026, 3, 2), date(2026, 3, 16)),
        # Fri 6 Mar 2026: Mon 9 = 1 ... Fri 13 = 5, Mon 16 = 6 ... Fri 20 = 10.
        (date(2026, 3, 6), date(2026, 3, 20)),
        # Wed 10 Jun 2026, no holidays: two calendar weeks exactly.
        (date(2026, 6, 10), date(2026, 6, 24)),
    ],
)
def test_ten_working_day_due_date(sharpened, due):
    assert due_date(sharpened) == due
    assert add_working_days(sharpened, 10) == due


def test_kings_day_on_a_sunday_moves_to_saturday_not_monday():
    """27 April 2025 was a Sunday: King's Day was Saturday 26 April, Monday 28 a working day."""
    assert date(2025, 4, 27).weekday() == 6
    assert holiday_name(date(2025, 4, 26)) == "Koningsdag"
    assert holiday_name(date(2025, 4, 26), "en") == "King's Day"
    assert holiday_name(date(2025, 4, 27)) is None
    assert is_working_day(date(2025, 4, 28))
    # Thu 24 Apr 2025: Fri 25 = 1, Mon 28 = 2, Tue 29 = 3, Wed 30 = 4, Thu 1 May = 5,
    # Fri 2 May = 6, Mon 5 May = Liberation Day (2025 is a lustrum year, not counted),
    # Tue 6 = 7, Wed 7 = 8, Thu 8 = 9, Fri 9 May = 10.
    assert due_date(date(2025, 4, 24)) == date(2025, 5, 9)


def test_kings_day_on_a_weekday():
    assert holiday_name(date(2026, 4, 27)) == "Koningsdag"  # Monday
    assert not is_working_day(date(2026, 4, 27))
    assert not is_working_day(date(2027, 4, 27))  # Tuesday
    # Fri 24 Apr 2026: Mon 27 King's Day; Tue 28 = 1, Wed 29 = 2, Thu 30 = 3, Fri 1 May = 4,
    # Mon 4 = 5, Tue 5 May (2026: no day off) = 6, Wed 6 = 7, Thu 7 = 8, Fri 8 = 9, Mon 11 = 10.
    assert due_date(date(2026, 4, 24)) == date(2026, 5, 11)
    assert add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)


def test_liberation_day_only_in_lustrum_years():
    assert not is_working_day(date(2025, 5, 5))  # Monday, 2025 % 5 == 0
    assert is_working_day(date(2026, 5, 5))  # Tuesday
    assert is_working_day(date(2027, 5, 5))  # Wednesday
    assert holiday_name(date(2030, 5, 5)) == "Bevrijdingsdag"  # a Sunday in 2030


def test_christmas_and_new_year():
    for day in (date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1)):
        assert not is_working_day(day)
    assert is_working_day(date(2025, 12, 24))
    assert is_working_day(date(2025, 12, 31))
    assert is_working_day(date(2026, 1, 2))  # the Friday after New Year is a working day
    # Mon 22 Dec 2025: Tue 23 = 1, Wed 24 = 2, Thu 25 + Fri 26 Christmas, Mon 29 = 3,
    # Tue 30 = 4, Wed 31 = 5, Thu 1 Jan New Year, Fri 2 = 6, Mon 5 = 7, Tue 6 = 8,
    # Wed 7 = 9, Thu 8 Jan 2026 = 10.
    assert due_date(date(2025, 12, 22)) == date(2026, 1, 8)
    assert add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)


def test_easter_good_friday_and_easter_monday():
    assert holiday_name(date(2026, 4, 6)) == "Tweede paasdag"
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday 2026
    assert not is_working_day(date(2026, 4, 3))  # Good Friday (Atw art. 3 lid 2)
    # Thu 2 Apr 2026: Fri 3 Good Friday, Mon 6 Easter Monday; Tue 7 = 1, Wed 8 = 2,
    # Thu 9 = 3, Fri 10 = 4, Mon 13 = 5 ... Fri 17 = 9, Mon 20 = 10.
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert due_date(date(2026, 4, 2)) == date(2026, 4, 20)


def test_ascension_and_whit_monday():
    assert not is_working_day(date(2026, 5, 14))  # Ascension Day
    assert is_working_day(date(2026, 5, 15))  # the Friday after is not a public holiday
    assert not is_working_day(date(2026, 5, 25))  # Whit Monday
    # Mon 11 May 2026: Tue 12 = 1, Wed 13 = 2, Thu 14 Ascension, Fri 15 = 3, Mon 18 = 4,
    # Tue 19 = 5, Wed 20 = 6, Thu 21 = 7, Fri 22 = 8, Mon 25 Whit Monday, Tue 26 = 9,
    # Wed 27 May = 10.
    assert due_date(date(2026, 5, 11)) == date(2026, 5, 27)


def test_start_on_a_weekend_counts_from_the_next_working_day():
    """Sharpened on Saturday 3 Jan 2026: Mon 5 = 1 ... Fri 16 = 10, the same as Friday 2 Jan."""
    assert due_date(date(2026, 1, 3)) == date(2026, 1, 16)
    assert due_date(date(2026, 1, 4)) == date(2026, 1, 16)  # Sunday
    assert due_date(date(2026, 1, 2)) == date(2026, 1, 16)  # the Friday before
    assert due_date(date(2026, 1, 5)) == date(2026, 1, 19)  # the Monday after: one later
    assert add_working_days(date(2026, 1, 3), 1) == date(2026, 1, 5)


def test_start_on_a_holiday_counts_from_the_next_working_day():
    assert due_date(date(2026, 4, 6)) == date(2026, 4, 20)  # Easter Monday, as Thu 2 April


def test_zero_days_is_the_start_day_and_negative_is_refused():
    assert add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 2), -1)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 2), True)


def test_the_day_of_an_aware_datetime_is_the_dutch_day():
    # 23:30 UTC on Monday 2 March 2026 is 00:30 on Tuesday 3 March in Amsterdam (CET).
    late = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    assert local_date(late) == date(2026, 3, 3)
    assert due_date(late) == date(2026, 3, 17)  # from Tuesday, not Monday (16 March)
    # Summer time (CEST, UTC+2): 22:30 UTC on 30 June is 00:30 on 1 July.
    assert local_date(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == date(2026, 7, 1)
    assert local_date(datetime(2026, 6, 30, 21, 59, tzinfo=UTC)) == date(2026, 6, 30)
    # Any time of the start day gives the same due date (the start day never counts).
    assert due_date(datetime(2026, 3, 2, 0, 1, tzinfo=AMS)) == due_date(
        datetime(2026, 3, 2, 23, 59, tzinfo=AMS)
    )


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        due_date(datetime(2026, 3, 2, 12, 0))


def test_working_days_between():
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1  # Fri -> Mon
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 8)) == 0  # Fri -> Sun
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 6)) == -1
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    # Christmas week 2025: Mon 22 -> Mon 29 Dec: Tue 23, Wed 24, Mon 29 = 3.
    assert working_days_between(date(2025, 12, 22), date(2025, 12, 29)) == 3


def test_soon_due_and_overdue():
    # On Thu 5 Mar 2026 a question is soon due up to Mon 9 March (Fri 6 = 1, Mon 9 = 2).
    assert soon_due_cutoff(date(2026, 3, 5)) == date(2026, 3, 9)
    # Due Fri 6 March: Saturday is late but by 0 working days, Monday by 1, Tuesday by 2.
    assert overdue_working_days(date(2026, 3, 6), date(2026, 3, 6)) == 0
    assert overdue_working_days(date(2026, 3, 6), date(2026, 3, 7)) == 0
    assert overdue_working_days(date(2026, 3, 6), date(2026, 3, 9)) == 1
    assert overdue_working_days(date(2026, 3, 6), date(2026, 3, 10)) == 2
    assert overdue_working_days(date(2026, 3, 6), date(2026, 3, 2)) == 0  # not yet due


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31)),
    n=st.integers(min_value=0, max_value=40),
)
def test_between_is_the_inverse_of_add(start, n):
    due = add_working_days(start, n)
    assert working_days_between(start, due) == n
    assert due > start or n == 0
    if n:
        assert is_working_day(due)
        # No working day is skipped: the day before the due date has one fewer.
        assert working_days_between(start, due - timedelta(days=1)) == n - 1


@given(
    a=st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31)),
    b=st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31)),
)
def test_between_counts_what_a_walk_over_the_days_counts(a, b):
    """The arithmetic count equals walking day by day, over weeks, years and both directions."""
    lo, hi = min(a, b), max(a, b)
    walked = sum(is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert working_days_between(lo, hi) == walked
    assert working_days_between(hi, lo) == -walked


def test_a_year_of_working_days():
    """2026 has 261 weekdays (52 weeks and Thursday 1 January) and 7 holidays on a weekday:
    Thu 1 Jan, Fri 3 Apr, Mon 6 Apr, Mon 27 Apr, Thu 14 May, Mon 25 May, Fri 25 Dec (the
    26th is a Saturday; 5 May 2026 is no day off) - 254 working days."""
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 261 - 7
