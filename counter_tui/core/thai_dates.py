"""Provides Thai calendar conventions: Buddhist Era years, Thai month and weekday names,
Thai digits, Thai and English date formatting, Bangkok local dates and strict CLI date parsing.

Stdlib only. Nothing here reads the clock: callers pass the date or datetime.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = [
    "BANGKOK",
    "BE_OFFSET",
    "ENGLISH_MONTHS",
    "ENGLISH_MONTHS_ABBR",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "THAI_WEEKDAYS",
    "THAI_WEEKDAYS_ABBR",
    "be_year",
    "format_date_en",
    "format_date_th",
    "format_datetime_th",
    "format_time_th",
    "from_thai_digits",
    "gregorian_year",
    "local_date",
    "parse_iso_date",
    "to_thai_digits",
    "weekday_th",
]

BANGKOK = ZoneInfo("Asia/Bangkok")

BE_OFFSET = 543
"""Buddhist Era year = Gregorian year + 543 (valid for every date since 1 Jan 1941)."""

# Index 0 is January, so a month number m is THAI_MONTHS[m - 1].
THAI_MONTHS: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
# Index 0 is Monday, matching date.weekday().
THAI_WEEKDAYS: tuple[str, ...] = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
THAI_WEEKDAYS_ABBR: tuple[str, ...] = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")

# Spelled out rather than taken from strftime("%B"), which follows the process locale.
ENGLISH_MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ENGLISH_MONTHS_ABBR: tuple[str, ...] = tuple(name[:3] for name in ENGLISH_MONTHS)

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_FROM_THAI = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# [0-9], not \d: in Python's Unicode regexes \d also matches Thai and other digits.
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_EXAMPLE = "2026-11-24"


def be_year(gregorian_year: int) -> int:
    """Return the Buddhist Era year for a Gregorian year (2026 -> 2569)."""
    return gregorian_year + BE_OFFSET


def gregorian_year(be: int) -> int:
    """Return the Gregorian year for a Buddhist Era year (2569 -> 2026)."""
    return be - BE_OFFSET


def to_thai_digits(text: str) -> str:
    """Replace the ASCII digits 0-9 in text by the Thai digits ๐-๙ (U+0E50..U+0E59)."""
    return text.translate(_TO_THAI)


def from_thai_digits(text: str) -> str:
    """Replace the Thai digits ๐-๙ in text by the ASCII digits 0-9."""
    return text.translate(_FROM_THAI)


def _digits(text: str, thai_digits: bool) -> str:
    return to_thai_digits(text) if thai_digits else text


def weekday_th(d: date, *, short: bool = False) -> str:
    """Return the Thai weekday name of d ("อังคาร", or "อ." when short)."""
    return (THAI_WEEKDAYS_ABBR if short else THAI_WEEKDAYS)[d.weekday()]


def format_date_th(d: date, *, short: bool = False, thai_digits: bool = False) -> str:
    """Format d the Thai way with a Buddhist Era year.

    "24 พฤศจิกายน 2569"; short: "24 พ.ย. 2569"; thai_digits: "๒๔ พฤศจิกายน ๒๕๖๙".
    A datetime is formatted by its own calendar date: convert it with local_date() first.
    """
    month = (THAI_MONTHS_ABBR if short else THAI_MONTHS)[d.month - 1]
    return _digits(f"{d.day} {month} {be_year(d.year)}", thai_digits)


def format_date_en(d: date, short: bool = False) -> str:
    """Format d in English with the Gregorian year: "24 November 2026", short "24 Nov 2026"."""
    month = (ENGLISH_MONTHS_ABBR if short else ENGLISH_MONTHS)[d.month - 1]
    return f"{d.day} {month} {d.year}"


def _in_bangkok(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(
            f"{dt.isoformat()} has no time zone: pass an aware datetime "
            "(e.g. datetime.now(timezone.utc)) so it can be shown in Bangkok time"
        )
    return dt.astimezone(BANGKOK)


def local_date(dt_utc: datetime) -> date:
    """Return the Bangkok calendar date of an aware datetime (naive: ValueError)."""
    return _in_bangkok(dt_utc).date()


def format_time_th(dt: datetime, *, thai_digits: bool = False) -> str:
    """Format the Bangkok wall-clock time of an aware datetime: "14:05 น." (naive: ValueError)."""
    local = _in_bangkok(dt)
    return _digits(f"{local.hour:02d}:{local.minute:02d} น.", thai_digits)


def format_datetime_th(dt: datetime, *, short: bool = True, thai_digits: bool = False) -> str:
    """Format an aware datetime in Bangkok time: "24 พ.ย. 2569 14:05 น." (naive: ValueError).

    short=False spells the month out: "24 พฤศจิกายน 2569 14:05 น.".
    """
    local = _in_bangkok(dt)
    return (
        f"{format_date_th(local.date(), short=short, thai_digits=thai_digits)} "
        f"{format_time_th(local, thai_digits=thai_digits)}"
    )


def parse_iso_date(text: str) -> date:
    """Parse a Gregorian date typed as YYYY-MM-DD (Thai digits accepted) for the CLI.

    Raises ValueError saying what is wrong and the expected form. A year of 2400 or more is
    taken as a Buddhist Era year typed by mistake and reported as such.
    """
    typed = text.strip()
    match = _ISO_DATE.fullmatch(from_thai_digits(typed))
    if match is None:
        raise ValueError(f"'{text}' is not a date: use YYYY-MM-DD, e.g. {_EXAMPLE}")
    year, month, day = (int(part) for part in match.groups())
    if year >= 2400:
        greg = gregorian_year(year)
        try:
            suggestion = date(greg, month, day).isoformat()
        except ValueError:
            suggestion = str(greg)
        raise ValueError(
            f"'{text}' is not a date: {year} looks like a Buddhist Era year; "
            f"type the Gregorian year, e.g. {suggestion}"
        )
    if year == 0:
        problem = "year 0 does not exist"
    elif not 1 <= month <= 12:
        problem = f"month {month} does not exist"
    elif day == 0:
        problem = "day 0 does not exist"
    else:
        last_day = calendar.monthrange(year, month)[1]
        if 1 <= day <= last_day:
            return date(year, month, day)
        problem = f"{ENGLISH_MONTHS[month - 1]} {year} has {last_day} days"
    raise ValueError(f"'{text}' is not a date: use YYYY-MM-DD, e.g. {_EXAMPLE} ({problem})")
