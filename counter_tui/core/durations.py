"""Provides the standard durations of citizen manuals: parsing, Thai/English text and sums.

A manual states each standard in minutes, hours or days; days have a kind — working days
(weekends and holidays excluded), calendar days, or unknown when the source does not say.
Minute and hour standards time a visit at the counter; day standards set a case's due date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ACCEPTED_FORMS",
    "CEILINGS",
    "DayKind",
    "Duration",
    "Unit",
    "parse_duration",
    "sum_durations",
    "to_thai_digits",
]

Unit = Literal["minute", "hour", "day"]
DayKind = Literal["working", "calendar", "unknown"]

_UNITS: frozenset[str] = frozenset({"minute", "hour", "day"})
_DAY_KINDS: frozenset[str] = frozenset({"working", "calendar", "unknown"})

ACCEPTED_FORMS = (
    '"30 นาที" or "30 min", "3 ชั่วโมง" or "3 ชม." or "3 h", "14 วันทำการ" or "14 working days", '
    '"45 วัน" or "45 calendar days", "14 วัน (ไม่ระบุ)" or "14 days (unknown kind)"'
)

# The longest standard a manual may state, per unit. Minutes and hours time one visit at the
# counter, so a few thousand of them (about a week; about three months) is already far more
# than any counter service; a case's standard in days of any kind is at most a year. A larger
# figure is a typo, and one that overflows the database or a due date later.
CEILINGS: dict[str, int] = {"minute": 10_000, "hour": 2_000, "day": 365}
_CEILING_WORDS = {"minute": "นาที", "hour": "ชั่วโมง", "day": "วัน"}

_THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ARABIC_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

# Unit words with all whitespace removed and lower-cased -> (unit, day_kind).
_UNIT_WORDS: dict[str, tuple[Unit, DayKind | None]] = {}
for _word in ("นาที", "min", "mins", "minute", "minutes"):
    _UNIT_WORDS[_word] = ("minute", None)
for _word in ("ชั่วโมง", "ชม.", "ชม", "h", "hr", "hrs", "hour", "hours"):
    _UNIT_WORDS[_word] = ("hour", None)
for _word in ("วันทำการ", "workingday", "workingdays"):
    _UNIT_WORDS[_word] = ("day", "working")
for _word in ("วัน", "วันปฏิทิน", "calendarday", "calendardays"):
    _UNIT_WORDS[_word] = ("day", "calendar")
for _word in (
    "วัน(ไม่ระบุ)",
    "วัน(ไม่ระบุประเภท)",
    "day(unknownkind)",
    "days(unknownkind)",
    "day(kindunknown)",
    "days(kindunknown)",
):
    _UNIT_WORDS[_word] = ("day", "unknown")
del _word

_NUMBER_RE = re.compile(r"^\s*([+-]?)\s*([0-9๐-๙]+)\s*(.*?)\s*$", re.DOTALL)


def to_thai_digits(text: str) -> str:
    """Return text with Arabic digits replaced by Thai digits (๐-๙)."""
    return text.translate(_ARABIC_TO_THAI)


@dataclass(frozen=True, slots=True)
class Duration:
    """A standard duration: a positive whole number of minutes, hours or days."""

    value: int
    unit: Unit
    day_kind: DayKind | None = None

    def __post_init__(self) -> None:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise ValueError(f"duration value must be a whole number, got {self.value!r}")
        if self.value <= 0:
            raise ValueError(f"duration must be greater than zero, got {self.value}")
        if self.unit not in _UNITS:
            raise ValueError(f"duration unit must be minute, hour or day, got {self.unit!r}")
        if self.unit == "day":
            if self.day_kind not in _DAY_KINDS:
                raise ValueError(
                    "a duration in days needs day_kind working, calendar or unknown, "
                    f"got {self.day_kind!r}"
                )
        elif self.day_kind is not None:
            raise ValueError(f"day_kind is only for days, not for {self.unit}s")

    @property
    def is_days(self) -> bool:
        """True for a standard counted in days (a multi-day case, not a counter timer)."""
        return self.unit == "day"

    @property
    def seconds(self) -> int | None:
        """The duration in seconds, or None for days (these set due dates, not timers)."""
        if self.unit == "minute":
            return self.value * 60
        if self.unit == "hour":
            return self.value * 3600
        return None

    def text_th(self, thai_digits: bool = False) -> str:
        """Thai text that parse_duration reads back: '30 นาที', '14 วันทำการ', '45 วัน'."""
        number = to_thai_digits(str(self.value)) if thai_digits else str(self.value)
        if self.unit == "minute":
            word = "นาที"
        elif self.unit == "hour":
            word = "ชั่วโมง"
        elif self.day_kind == "working":
            word = "วันทำการ"
        elif self.day_kind == "calendar":
            word = "วัน"
        else:
            word = "วัน (ไม่ระบุ)"
        return f"{number} {word}"

    def text_en(self) -> str:
        """English text that parse_duration reads back: '30 min', '3 h', '14 working days'."""
        if self.unit == "minute":
            return f"{self.value} min"
        if self.unit == "hour":
            return f"{self.value} h"
        plural = "" if self.value == 1 else "s"
        if self.day_kind == "working":
            return f"{self.value} working day{plural}"
        if self.day_kind == "calendar":
            return f"{self.value} calendar day{plural}"
        return f"{self.value} day{plural} (kind unknown)"

    def __str__(self) -> str:
        return self.text_th()


def parse_duration(text: str) -> Duration:
    """Read a standard duration such as '30 นาที', '3 h', '14 วันทำการ' or '45 วัน'.

    Raises ValueError saying what is wrong and which forms are accepted, or the ceiling
    (``CEILINGS``) when the figure is too large to be a standard.
    """
    if not isinstance(text, str):
        raise ValueError(
            f'a duration must be text such as "30 นาที", not {type(text).__name__}; '
            f"accepted forms: {ACCEPTED_FORMS}"
        )
    match = _NUMBER_RE.match(text)
    if match is None:
        stripped = text.strip()
        if not stripped:
            raise ValueError(f"the duration is empty; accepted forms: {ACCEPTED_FORMS}")
        raise ValueError(
            f"cannot read {text!r} as a duration: it must start with a whole number; "
            f"accepted forms: {ACCEPTED_FORMS}"
        )
    sign, digits, unit_text = match.groups()
    digits = digits.translate(_THAI_TO_ARABIC).lstrip("0") or "0"
    value = int(digits) if len(digits) <= 18 else 10**18  # past every ceiling, no huge int
    if sign == "-" or value == 0:
        raise ValueError(
            f"duration {text.strip()!r} must be greater than zero; leave the key out "
            "when the manual gives no standard"
        )
    if re.match(r"^[.,][0-9๐-๙]", unit_text):
        raise ValueError(
            f"duration {text.strip()!r} must be a whole number; write minutes instead of "
            'a fraction of an hour (e.g. "90 นาที", not "1.5 ชั่วโมง")'
        )
    key = re.sub(r"\s+", "", unit_text).lower()
    if not key:
        raise ValueError(f"duration {text.strip()!r} has no unit; accepted forms: {ACCEPTED_FORMS}")
    if key in ("day", "days", "d"):
        raise ValueError(
            f"duration {text.strip()!r} does not say which days: write "
            f'"{value} working days", "{value} calendar days" or '
            f'"{value} days (unknown kind)"'
        )
    found = _UNIT_WORDS.get(key)
    if found is None:
        raise ValueError(
            f"unknown unit {unit_text.strip()!r} in duration {text.strip()!r}; "
            f"accepted forms: {ACCEPTED_FORMS}"
        )
    unit, day_kind = found
    if value > CEILINGS[unit]:
        raise ValueError(
            f"มาตรฐานเวลา {text.strip()!r} ยาวเกินไป: ไม่เกิน {CEILINGS[unit]:,} "
            f"{_CEILING_WORDS[unit]} — ตรวจตัวเลขในคู่มือ (a standard of more than "
            f"{CEILINGS[unit]:,} {unit}s is surely a typo)"
        )
    return Duration(value, unit, day_kind)


def sum_durations(durations: Iterable[Duration]) -> Duration | None:
    """Add durations of one family, or return None when they cannot be added.

    Minutes and hours add together (the result in hours only when every part is in hours,
    else in minutes); days add when all are of the same kind. Mixed families (minutes with
    days, working with calendar days) and an empty input give None.
    """
    items = list(durations)
    if not items:
        return None
    if all(d.unit == "hour" for d in items):
        return Duration(sum(d.value for d in items), "hour")
    if all(d.unit in ("minute", "hour") for d in items):
        total_seconds = sum(d.seconds or 0 for d in items)
        return Duration(total_seconds // 60, "minute")
    kinds = {d.day_kind for d in items if d.unit == "day"}
    if all(d.unit == "day" for d in items) and len(kinds) == 1:
        return Duration(sum(d.value for d in items), "day", kinds.pop())
    return None
