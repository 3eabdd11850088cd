"""Provides working-day and calendar-day arithmetic for case due dates.

Under the Licensing Facilitation Act a case's period runs from the day the application was
complete; that day itself never counts, so "1 working day" from a Friday is the Monday.
Working days are Monday–Friday except the office's holidays, which the caller supplies
(parse_holidays reads them from text). Stdlib only; nothing here reads the clock.
"""

from __future__ import annotations

import re
from collections.abc import Set
from datetime import date, timedelta

from counter_tui.core.thai_dates import parse_iso_date

__all__ = [
    "DAY_KINDS",
    "add_calendar_days",
    "add_working_days",
    "due_date",
    "is_working_day",
    "parse_holidays",
    "working_days_between",
]

DAY_KINDS: tuple[str, ...] = ("working", "calendar", "unknown")

Holidays = Set[date]  # frozenset[date] or set[date]


def is_working_day(d: date, holidays: Holidays) -> bool:
    """True for Monday–Friday when d is not one of the holidays."""
    return d.weekday() < 5 and d not in holidays


def add_working_days(start: date, n: int, holidays: Holidays) -> date:
    """Return the n-th working day after start; start itself never counts, n=0 returns start.

    Complete on Friday 2026-12-25, n=1 -> Monday 2026-12-28. n must not be negative: a due
    date only ever moves forward.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more working days, got {n}")
    d = start
    remaining = n
    while remaining:
        d += timedelta(days=1)
        if is_working_day(d, holidays):
            remaining -= 1
    return d


def add_calendar_days(start: date, n: int) -> date:
    """Return start + n calendar days (start itself does not count; n may be negative)."""
    return start + timedelta(days=n)


def _weekdays_through(d: date) -> int:
    """Number of Mondays–Fridays from 0001-01-01 (a Monday) to d inclusive."""
    full_weeks, rest = divmod(d.toordinal(), 7)
    return full_weeks * 5 + min(rest, 5)


def working_days_between(start: date, end: date, holidays: Holidays) -> int:
    """Working days in (start, end]; when end < start, minus the working days in (end, start].

    So working_days_between(start, add_working_days(start, n, h), h) == n.
    """
    if end < start:
        return -working_days_between(end, start, holidays)
    weekdays = _weekdays_through(end) - _weekdays_through(start)
    closed = sum(1 for h in holidays if start < h <= end and h.weekday() < 5)
    return weekdays - closed


def due_date(start: date, n: int, day_kind: str, holidays: Holidays) -> date:
    """Due date of a case n days after start, counting "working", "calendar" or "unknown" days."""
    if day_kind == "working":
        return add_working_days(start, n, holidays)
    if day_kind in ("calendar", "unknown"):
        # A manual that does not say which days it counts is read as calendar days: n calendar
        # days never end later than n working days, so the office meets the deadline under
        # either reading (the Act treats a late decision as a wrongful omission, ม.10).
        if n < 0:
            raise ValueError(f"n must be 0 or more days, got {n}")
        return add_calendar_days(start, n)
    raise ValueError(f"unknown day kind {day_kind!r}: use one of {', '.join(DAY_KINDS)}")


_SEPARATORS = re.compile(r"[,;\s]+")


def parse_holidays(text: str) -> frozenset[date]:
    """Read holidays given as YYYY-MM-DD separated by commas, semicolons, spaces or newlines.

    Blank items are skipped and "#" starts a comment to the end of the line, so a holiday
    file can name each day ("2026-12-31  # วันสิ้นปี"). A bad item raises ValueError naming
    the item and its line.
    """
    days: set[date] = set()
    for line_no, line in enumerate(text.splitlines(), start=1):
        for item in _SEPARATORS.split(line.split("#", 1)[0]):
            if not item:
                continue
            try:
                days.add(parse_iso_date(item))
            except ValueError as exc:
                raise ValueError(f"holiday list, line {line_no}: {exc}") from None
    return frozenset(days)
