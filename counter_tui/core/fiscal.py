"""Provides the Thai fiscal year (ปีงบประมาณ) and its reporting periods.

A fiscal year runs 1 Oct – 30 Sep and is named by the Buddhist Era year in which it ends
(พ.ร.บ.วิธีการงบประมาณ พ.ศ. 2561 ม.4): FY 2569 = 1 Oct 2025 – 30 Sep 2026.
Quarters: Q1 Oct–Dec, Q2 Jan–Mar, Q3 Apr–Jun, Q4 Jul–Sep. Halves ("รอบ 6 เดือน"):
H1 Oct–Mar, H2 Apr–Sep. Stdlib only.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from counter_tui.core.thai_dates import (
    ENGLISH_MONTHS,
    ENGLISH_MONTHS_ABBR,
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    format_date_en,
    format_date_th,
    gregorian_year,
    to_thai_digits,
)
from counter_tui.core.thai_dates import (
    be_year as _be_year,
)

__all__ = [
    "PERIOD_KINDS",
    "Period",
    "fiscal_year_of",
    "fiscal_year_period",
    "half_period",
    "month_period",
    "period_for",
    "periods_in_fiscal_year",
    "quarter_period",
]

PERIOD_KINDS: tuple[str, ...] = ("month", "quarter", "half", "year")

_MIN_FISCAL_YEAR = 2400
# The last fiscal year whose end (30 Sep) still fits in datetime.date (year 9999).
_MAX_FISCAL_YEAR = _be_year(9999)


@dataclass(frozen=True)
class Period:
    """A reporting period: start and end are both inclusive.

    kind is one of PERIOD_KINDS; fiscal_year is the Buddhist Era fiscal year the period
    belongs to; index is its position in that fiscal year, counting from 1 (quarter 1–4,
    half 1–2, year 1, month 1–12 with October = 1).
    """

    start: date
    end: date
    kind: str
    fiscal_year: int
    index: int

    @property
    def days(self) -> int:
        """Number of calendar days in the period, both ends included."""
        return (self.end - self.start).days + 1

    def contains(self, d: date) -> bool:
        """True when d falls in the period (end inclusive)."""
        return self.start <= d <= self.end

    def label_th(self, *, thai_digits: bool = False) -> str:
        """Thai label, e.g. "ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. 2569 (ต.ค. – ธ.ค. 2568)"."""
        fy = f"ปีงบประมาณ พ.ศ. {self.fiscal_year}"
        if self.kind == "year":
            label = fy
        elif self.kind == "quarter":
            # A quarter never crosses a calendar year, so one year closes the range.
            label = (
                f"ไตรมาสที่ {self.index} {fy} "
                f"({THAI_MONTHS_ABBR[self.start.month - 1]} – "
                f"{THAI_MONTHS_ABBR[self.end.month - 1]} {_be_year(self.end.year)})"
            )
        elif self.kind == "half":
            name = "ครึ่งปีแรก" if self.index == 1 else "ครึ่งปีหลัง"
            label = (
                f"{name} {fy} "
                f"({format_date_th(self.start, short=True)} – {format_date_th(self.end, short=True)})"
            )
        else:  # month
            label = f"{THAI_MONTHS[self.start.month - 1]} {_be_year(self.start.year)}"
        return to_thai_digits(label) if thai_digits else label

    def label_en(self) -> str:
        """English label with Gregorian dates, e.g. "Q1 of fiscal year 2569 (Oct – Dec 2025)".

        The fiscal year keeps its Thai (Buddhist Era) name, as in official documents; the
        range in brackets is Gregorian, like every other date in the English setting.
        """
        fy = f"fiscal year {self.fiscal_year}"
        if self.kind == "year":
            return (
                f"Fiscal year {self.fiscal_year} "
                f"({format_date_en(self.start, short=True)} – {format_date_en(self.end, short=True)})"
            )
        if self.kind == "quarter":
            return (
                f"Q{self.index} of {fy} "
                f"({ENGLISH_MONTHS_ABBR[self.start.month - 1]} – "
                f"{ENGLISH_MONTHS_ABBR[self.end.month - 1]} {self.end.year})"
            )
        if self.kind == "half":
            name = "First half" if self.index == 1 else "Second half"
            return (
                f"{name} of {fy} "
                f"({format_date_en(self.start, short=True)} – {format_date_en(self.end, short=True)})"
            )
        return f"{ENGLISH_MONTHS[self.start.month - 1]} {self.start.year}"


def fiscal_year_of(d: date) -> int:
    """Return the Buddhist Era fiscal year containing d (1 Oct 2025 -> 2569, 30 Sep 2025 -> 2568)."""
    return _be_year(d.year) + (1 if d.month >= 10 else 0)


def _check_fiscal_year(be: int) -> None:
    if _MIN_FISCAL_YEAR <= be <= _MAX_FISCAL_YEAR:
        return
    if 1000 <= be < _MIN_FISCAL_YEAR:
        raise ValueError(
            f"ปีงบประมาณ {be} น่าจะเป็นปี ค.ศ.: ใช้ปี พ.ศ. ที่ปีงบประมาณสิ้นสุด เช่น {_be_year(be)} "
            f"(fiscal year {be} looks like a Gregorian year: fiscal years are named by the "
            f"Buddhist Era year in which they end, e.g. {_be_year(be)})"
        )
    raise ValueError(
        f"ปีงบประมาณ {be} อยู่นอกช่วงที่รับได้: ใช้ปี พ.ศ. {_MIN_FISCAL_YEAR} ถึง {_MAX_FISCAL_YEAR} "
        f"เช่น 2569 (fiscal year {be} is out of range: use a Buddhist Era year from "
        f"{_MIN_FISCAL_YEAR} to {_MAX_FISCAL_YEAR}, e.g. 2569)"
    )


def _check_index(name: str, value: int, count: int) -> None:
    if not 1 <= value <= count:
        raise ValueError(f"{name} {value} does not exist: use 1 to {count}")


def _check_kind(kind: str) -> None:
    if kind not in PERIOD_KINDS:
        raise ValueError(f"unknown period kind {kind!r}: use one of {', '.join(PERIOD_KINDS)}")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def fiscal_year_period(be_year: int) -> Period:
    """The whole fiscal year: 1 Oct of Gregorian (be_year − 544) to 30 Sep of (be_year − 543)."""
    _check_fiscal_year(be_year)
    end_year = gregorian_year(be_year)
    return Period(date(end_year - 1, 10, 1), date(end_year, 9, 30), "year", be_year, 1)


def quarter_period(be_year: int, q: int) -> Period:
    """Quarter q (1–4) of a fiscal year: Q1 Oct–Dec, Q2 Jan–Mar, Q3 Apr–Jun, Q4 Jul–Sep."""
    _check_fiscal_year(be_year)
    _check_index("quarter", q, 4)
    end_year = gregorian_year(be_year)
    if q == 1:
        return Period(date(end_year - 1, 10, 1), date(end_year - 1, 12, 31), "quarter", be_year, 1)
    first_month = 3 * (q - 2) + 1  # Q2 -> Jan, Q3 -> Apr, Q4 -> Jul
    return Period(
        date(end_year, first_month, 1),
        _month_end(end_year, first_month + 2),
        "quarter",
        be_year,
        q,
    )


def half_period(be_year: int, h: int) -> Period:
    """Half h (1–2) of a fiscal year: H1 1 Oct – 31 Mar, H2 1 Apr – 30 Sep."""
    _check_fiscal_year(be_year)
    _check_index("half", h, 2)
    end_year = gregorian_year(be_year)
    if h == 1:
        return Period(date(end_year - 1, 10, 1), date(end_year, 3, 31), "half", be_year, 1)
    return Period(date(end_year, 4, 1), date(end_year, 9, 30), "half", be_year, 2)


def month_period(year: int, month: int) -> Period:
    """The calendar month (Gregorian year, month 1–12); fiscal_year and index follow from it."""
    if year >= _MIN_FISCAL_YEAR:
        raise ValueError(
            f"year {year} looks like a Buddhist Era year: month_period takes the Gregorian "
            f"year, e.g. {gregorian_year(year)}"
        )
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is out of range: use a Gregorian year such as 2026")
    _check_index("month", month, 12)
    start = date(year, month, 1)
    index = (month - 10) % 12 + 1  # October = 1 ... September = 12
    return Period(start, _month_end(year, month), "month", fiscal_year_of(start), index)


def period_for(kind: str, d: date) -> Period:
    """The period of the given kind ("month", "quarter", "half", "year") that contains d."""
    _check_kind(kind)
    if kind == "month":
        return month_period(d.year, d.month)
    fy = fiscal_year_of(d)
    if kind == "year":
        return fiscal_year_period(fy)
    fiscal_month = (d.month - 10) % 12  # 0 = October
    if kind == "quarter":
        return quarter_period(fy, fiscal_month // 3 + 1)
    return half_period(fy, fiscal_month // 6 + 1)


def periods_in_fiscal_year(kind: str, be_year: int) -> list[Period]:
    """All periods of a kind in a fiscal year, in order: 12 months, 4 quarters, 2 halves or 1 year."""
    _check_kind(kind)
    _check_fiscal_year(be_year)
    if kind == "year":
        return [fiscal_year_period(be_year)]
    if kind == "half":
        return [half_period(be_year, h) for h in (1, 2)]
    if kind == "quarter":
        return [quarter_period(be_year, q) for q in (1, 2, 3, 4)]
    end_year = gregorian_year(be_year)
    return [month_period(end_year - 1, m) for m in (10, 11, 12)] + [
        month_period(end_year, m) for m in range(1, 10)
    ]
