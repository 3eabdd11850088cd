from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_tui.core.workdays import (
    add_calendar_days,
    add_working_days,
    due_date,
    is_working_day,
    parse_holidays,
    working_days_between,
)

NONE: frozenset[date] = frozenset()
# New Year 2026: Wed 31 Dec 2025, Thu 1 Jan and Fri 2 Jan 2026 off, then the weekend.
NEW_YEAR = frozenset({date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 2)})


@pytest.mark.parametrize(
    ("d", "holidays", "expected"),
    [
        (date(2026, 11, 23), NONE, True),  # Monday
        (date(2026, 11, 27), NONE, True),  # Friday
        (date(2026, 11, 28), NONE, False),  # Saturday
        (date(2026, 11, 29), NONE, False),  # Sunday
        (date(2026, 1, 1), NEW_YEAR, False),  # Thursday, holiday
        (date(2026, 1, 5), NEW_YEAR, True),  # Monday after
    ],
)
def test_is_working_day(d: date, holidays: frozenset[date], expected: bool) -> None:
    assert is_working_day(d, holidays) is expected


def test_is_working_day_takes_a_plain_set() -> None:
    assert not is_working_day(date(2026, 1, 1), set(NEW_YEAR))


@pytest.mark.parametrize(
    ("start", "n", "holidays", "expected"),
    [
        # Complete on Friday: the next working day is Monday.
        (date(2026, 12, 25), 1, NONE, date(2026, 12, 28)),
        (date(2026, 12, 25), 5, NONE, date(2027, 1, 1)),
        (
            date(2026, 12, 25),
            5,
            frozenset({date(2026, 12, 31), date(2027, 1, 1)}),
            date(2027, 1, 5),
        ),
        # Across the New Year run: Tue 30 Dec -> 31, 1, 2 off, 3-4 weekend -> Mon 5 Jan.
        (date(2025, 12, 30), 1, NEW_YEAR, date(2026, 1, 5)),
        (date(2025, 12, 30), 3, NEW_YEAR, date(2026, 1, 7)),
        (date(2025, 12, 29), 2, NEW_YEAR, date(2026, 1, 5)),
        # Completed on a holiday or at a weekend: the count still starts the day after.
        (date(2025, 12, 31), 1, NEW_YEAR, date(2026, 1, 5)),
        (date(2026, 11, 28), 1, NONE, date(2026, 11, 30)),
        # Three weeks of working days.
        (date(2026, 11, 2), 15, NONE, date(2026, 11, 23)),
        # Leap day is an ordinary Thursday.
        (date(2024, 2, 28), 1, NONE, date(2024, 2, 29)),
        (date(2024, 2, 28), 2, NONE, date(2024, 3, 1)),
        # n = 0 is the start itself, even on a weekend.
        (date(2026, 11, 28), 0, NONE, date(2026, 11, 28)),
    ],
)
def test_add_working_days(start: date, n: int, holidays: frozenset[date], expected: date) -> None:
    assert add_working_days(start, n, holidays) == expected


def test_add_working_days_rejects_negative() -> None:
    with pytest.raises(ValueError, match="-1"):
        add_working_days(date(2026, 11, 24), -1, NONE)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 12, 25), 1, date(2026, 12, 26)),
        (date(2026, 12, 25), 7, date(2027, 1, 1)),
        (date(2024, 2, 28), 2, date(2024, 3, 1)),
        (date(2023, 2, 28), 1, date(2023, 3, 1)),
        (date(2026, 11, 24), 0, date(2026, 11, 24)),
        (date(2026, 3, 1), -1, date(2026, 2, 28)),
    ],
)
def test_add_calendar_days(start: date, n: int, expected: date) -> None:
    assert add_calendar_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "holidays", "expected"),
    [
        (date(2026, 11, 24), date(2026, 11, 24), NONE, 0),
        (date(2026, 12, 25), date(2026, 12, 28), NONE, 1),
        (date(2026, 12, 25), date(2026, 12, 27), NONE, 0),
        (date(2026, 12, 28), date(2026, 12, 25), NONE, -1),
        # (Mon 29 Dec, Fri 9 Jan]: Tue 30 Dec, then Mon 5 – Fri 9 Jan.
        (date(2025, 12, 29), date(2026, 1, 9), NEW_YEAR, 6),
        (date(2025, 12, 29), date(2026, 1, 9), NONE, 9),
        (date(2026, 1, 9), date(2025, 12, 29), NEW_YEAR, -6),
        # A holiday on a Saturday takes nothing away.
        (date(2026, 11, 27), date(2026, 11, 30), frozenset({date(2026, 11, 28)}), 1),
        # Holidays outside the range are ignored.
        (date(2026, 11, 2), date(2026, 11, 23), NEW_YEAR, 15),
        # 2024 is a leap year: 262 weekdays from Mon 1 Jan to Tue 31 Dec, 261 after 1 Jan.
        (date(2024, 1, 1), date(2024, 12, 31), NONE, 261),
    ],
)
def test_working_days_between(
    start: date, end: date, holidays: frozenset[date], expected: int
) -> None:
    assert working_days_between(start, end, holidays) == expected


@pytest.mark.parametrize(
    ("day_kind", "expected"),
    [
        ("working", date(2026, 1, 7)),
        ("calendar", date(2026, 1, 2)),
        ("unknown", date(2026, 1, 2)),
    ],
)
def test_due_date_across_new_year(day_kind: str, expected: date) -> None:
    assert due_date(date(2025, 12, 30), 3, day_kind, NEW_YEAR) == expected


def test_due_date_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="'weeks'"):
        due_date(date(2026, 11, 24), 3, "weeks", NONE)


def _brute_force_between(start: date, end: date, holidays: frozenset[date]) -> int:
    low, high, sign = (start, end, 1) if start <= end else (end, start, -1)
    count = 0
    d = low + timedelta(days=1)
    while d <= high:
        if d.weekday() < 5 and d not in holidays:
            count += 1
        d += timedelta(days=1)
    return sign * count


DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@st.composite
def case_with_holidays(draw: st.DrawFn) -> tuple[date, frozenset[date]]:
    start = draw(DATES)
    offsets = draw(st.sets(st.integers(min_value=-10, max_value=120), max_size=40))
    return start, frozenset(start + timedelta(days=k) for k in offsets)


@given(case_with_holidays(), st.integers(min_value=0, max_value=60))
def test_add_working_days_lands_on_a_working_day_and_inverts(
    case: tuple[date, frozenset[date]], n: int
) -> None:
    start, holidays = case
    due = add_working_days(start, n, holidays)
    if n > 0:
        assert due > start
        assert due.weekday() < 5
        assert due not in holidays
    assert working_days_between(start, due, holidays) == n
    assert working_days_between(due, start, holidays) == -n
    # Calendar days never end later, which is why "unknown" is read as calendar days.
    assert due_date(start, n, "unknown", holidays) <= due


@given(case_with_holidays(), st.integers(min_value=-200, max_value=200))
def test_working_days_between_matches_counting_day_by_day(
    case: tuple[date, frozenset[date]], days: int
) -> None:
    start, holidays = case
    end = start + timedelta(days=days)
    assert working_days_between(start, end, holidays) == _brute_force_between(start, end, holidays)


def test_parse_holidays() -> None:
    text = "2025-12-31, 2026-01-01\n2026-01-02\n\n2026-01-01  # duplicate is fine\n# comment line\n"
    assert parse_holidays(text) == NEW_YEAR


@pytest.mark.parametrize("text", ["", "\n\n", "  ,  ", "# no holidays yet"])
def test_parse_holidays_empty(text: str) -> None:
    assert parse_holidays(text) == frozenset()


def test_parse_holidays_accepts_thai_digits() -> None:
    assert parse_holidays("๒๐๒๖-๐๑-๐๑") == frozenset({date(2026, 1, 1)})


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("2026-01-01\n2026-13-01", ["line 2", "'2026-13-01'", "YYYY-MM-DD"]),
        ("2026-01-01, 31/12/2026", ["line 1", "'31/12/2026'"]),
        ("2569-12-31", ["'2569-12-31'", "Buddhist Era", "2026-12-31"]),
    ],
)
def test_parse_holidays_names_the_bad_item(text: str, fragments: list[str]) -> None:
    with pytest.raises(ValueError) as info:
        parse_holidays(text)
    for fragment in fragments:
        assert fragment in str(info.value)
