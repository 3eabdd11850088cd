import dataclasses
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_tui.core.fiscal import (
    Period,
    fiscal_year_of,
    fiscal_year_period,
    half_period,
    month_period,
    period_for,
    periods_in_fiscal_year,
    quarter_period,
)

KINDS = ["month", "quarter", "half", "year"]


@pytest.mark.parametrize(
    ("d", "fy"),
    [
        (date(2024, 10, 1), 2568),
        (date(2025, 9, 30), 2568),
        (date(2025, 10, 1), 2569),
        (date(2026, 1, 1), 2569),
        (date(2026, 9, 30), 2569),
        (date(2026, 10, 1), 2570),
        (date(2025, 12, 31), 2569),
        (date(2024, 2, 29), 2567),
    ],
)
def test_fiscal_year_of(d: date, fy: int) -> None:
    assert fiscal_year_of(d) == fy


def test_fiscal_year_period() -> None:
    period = fiscal_year_period(2569)
    assert period == Period(date(2025, 10, 1), date(2026, 9, 30), "year", 2569, 1)
    assert period.days == 365
    # FY 2567 (1 Oct 2023 – 30 Sep 2024) holds 29 Feb 2024.
    assert fiscal_year_period(2567).days == 366


@pytest.mark.parametrize(
    ("fy", "q", "start", "end", "days"),
    [
        (2569, 1, date(2025, 10, 1), date(2025, 12, 31), 92),
        (2569, 2, date(2026, 1, 1), date(2026, 3, 31), 90),
        (2569, 3, date(2026, 4, 1), date(2026, 6, 30), 91),
        (2569, 4, date(2026, 7, 1), date(2026, 9, 30), 92),
        (2567, 2, date(2024, 1, 1), date(2024, 3, 31), 91),
    ],
)
def test_quarter_period(fy: int, q: int, start: date, end: date, days: int) -> None:
    period = quarter_period(fy, q)
    assert (period.start, period.end, period.kind, period.fiscal_year, period.index) == (
        start, end, "quarter", fy, q,
    )  # fmt: skip
    assert period.days == days


@pytest.mark.parametrize(
    ("h", "start", "end", "days"),
    [(1, date(2025, 10, 1), date(2026, 3, 31), 182), (2, date(2026, 4, 1), date(2026, 9, 30), 183)],
)
def test_half_period(h: int, start: date, end: date, days: int) -> None:
    period = half_period(2569, h)
    assert (period.start, period.end, period.kind, period.index) == (start, end, "half", h)
    assert period.days == days


@pytest.mark.parametrize(
    ("year", "month", "end", "fy", "index"),
    [
        (2026, 11, date(2026, 11, 30), 2570, 2),
        (2025, 10, date(2025, 10, 31), 2569, 1),
        (2026, 9, date(2026, 9, 30), 2569, 12),
        (2024, 2, date(2024, 2, 29), 2567, 5),
        (2026, 2, date(2026, 2, 28), 2569, 5),
    ],
)
def test_month_period(year: int, month: int, end: date, fy: int, index: int) -> None:
    period = month_period(year, month)
    assert (period.start, period.end, period.kind, period.fiscal_year, period.index) == (
        date(year, month, 1), end, "month", fy, index,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (fiscal_year_period(2569), "ปีงบประมาณ พ.ศ. 2569"),
        (quarter_period(2569, 1), "ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. 2569 (ต.ค. – ธ.ค. 2568)"),
        (quarter_period(2569, 2), "ไตรมาสที่ 2 ปีงบประมาณ พ.ศ. 2569 (ม.ค. – มี.ค. 2569)"),
        (quarter_period(2569, 4), "ไตรมาสที่ 4 ปีงบประมาณ พ.ศ. 2569 (ก.ค. – ก.ย. 2569)"),
        (half_period(2569, 1), "ครึ่งปีแรก ปีงบประมาณ พ.ศ. 2569 (1 ต.ค. 2568 – 31 มี.ค. 2569)"),
        (half_period(2569, 2), "ครึ่งปีหลัง ปีงบประมาณ พ.ศ. 2569 (1 เม.ย. 2569 – 30 ก.ย. 2569)"),
        (month_period(2026, 11), "พฤศจิกายน 2569"),
        (month_period(2025, 10), "ตุลาคม 2568"),
    ],
)
def test_label_th(period: Period, label: str) -> None:
    assert period.label_th() == label


def test_label_th_with_thai_digits() -> None:
    assert quarter_period(2569, 1).label_th(thai_digits=True) == (
        "ไตรมาสที่ ๑ ปีงบประมาณ พ.ศ. ๒๕๖๙ (ต.ค. – ธ.ค. ๒๕๖๘)"
    )


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (fiscal_year_period(2569), "Fiscal year 2569 (1 Oct 2025 – 30 Sep 2026)"),
        (quarter_period(2569, 1), "Q1 of fiscal year 2569 (Oct – Dec 2025)"),
        (quarter_period(2569, 3), "Q3 of fiscal year 2569 (Apr – Jun 2026)"),
        (half_period(2569, 1), "First half of fiscal year 2569 (1 Oct 2025 – 31 Mar 2026)"),
        (half_period(2569, 2), "Second half of fiscal year 2569 (1 Apr 2026 – 30 Sep 2026)"),
        (month_period(2026, 11), "November 2026"),
    ],
)
def test_label_en(period: Period, label: str) -> None:
    assert period.label_en() == label


def test_contains_is_inclusive_at_both_ends() -> None:
    fy = fiscal_year_period(2569)
    assert fy.contains(date(2025, 10, 1))
    assert fy.contains(date(2026, 9, 30))
    assert not fy.contains(date(2025, 9, 30))
    assert not fy.contains(date(2026, 10, 1))


@pytest.mark.parametrize(
    ("kind", "d", "start", "end", "fy", "index"),
    [
        ("year", date(2026, 9, 30), date(2025, 10, 1), date(2026, 9, 30), 2569, 1),
        ("year", date(2026, 10, 1), date(2026, 10, 1), date(2027, 9, 30), 2570, 1),
        ("quarter", date(2026, 9, 30), date(2026, 7, 1), date(2026, 9, 30), 2569, 4),
        ("quarter", date(2026, 10, 1), date(2026, 10, 1), date(2026, 12, 31), 2570, 1),
        ("quarter", date(2026, 1, 1), date(2026, 1, 1), date(2026, 3, 31), 2569, 2),
        ("half", date(2026, 3, 31), date(2025, 10, 1), date(2026, 3, 31), 2569, 1),
        ("half", date(2026, 4, 1), date(2026, 4, 1), date(2026, 9, 30), 2569, 2),
        ("month", date(2024, 2, 29), date(2024, 2, 1), date(2024, 2, 29), 2567, 5),
    ],
)
def test_period_for(kind: str, d: date, start: date, end: date, fy: int, index: int) -> None:
    assert period_for(kind, d) == Period(start, end, kind, fy, index)


@pytest.mark.parametrize(
    ("kind", "count"), [("month", 12), ("quarter", 4), ("half", 2), ("year", 1)]
)
def test_periods_in_fiscal_year_tile_the_year(kind: str, count: int) -> None:
    periods = periods_in_fiscal_year(kind, 2569)
    assert len(periods) == count
    assert periods[0].start == date(2025, 10, 1)
    assert periods[-1].end == date(2026, 9, 30)
    assert [p.index for p in periods] == list(range(1, count + 1))
    assert all(p.fiscal_year == 2569 and p.kind == kind for p in periods)
    for before, after in zip(periods, periods[1:]):
        assert (after.start - before.end).days == 1
    assert sum(p.days for p in periods) == 365


def test_periods_in_fiscal_year_months_in_order() -> None:
    months = [(p.start.year, p.start.month) for p in periods_in_fiscal_year("month", 2569)]
    assert months == [(2025, 10), (2025, 11), (2025, 12)] + [(2026, m) for m in range(1, 10)]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.sampled_from(KINDS))
def test_period_for_contains_the_date(d: date, kind: str) -> None:
    period = period_for(kind, d)
    assert period.contains(d)
    assert period.fiscal_year == fiscal_year_of(d)
    assert period in periods_in_fiscal_year(kind, period.fiscal_year)


def test_period_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        fiscal_year_period(2569).index = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: quarter_period(2569, 5), "quarter 5"),
        (lambda: quarter_period(2569, 0), "quarter 0"),
        (lambda: half_period(2569, 3), "half 3"),
        (lambda: month_period(2026, 13), "month 13"),
        (lambda: period_for("week", date(2026, 1, 1)), "'week'"),
        (lambda: periods_in_fiscal_year("week", 2569), "'week'"),
        (lambda: fiscal_year_period(2026), "2026 looks like a Gregorian year"),
        (lambda: quarter_period(2026, 1), "2026 looks like a Gregorian year"),
        (lambda: periods_in_fiscal_year("month", 2026), "2026 looks like a Gregorian year"),
        (lambda: fiscal_year_period(69), "out of range"),
        (lambda: month_period(2569, 11), "2569 looks like a Buddhist Era year"),
    ],
)
def test_bad_arguments_raise_clear_errors(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
