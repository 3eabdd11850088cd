"""Provides the office-wide settings: their keys, defaults, descriptions and validation.

These live in the database (every counter sees the same); the TOML config holds only what
belongs to one machine. Keys marked ``per_fiscal_year`` are kept per Thai fiscal year (the EIT
link may change each year; each visit records the link it offered).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from counter_tui.core.text import control_message_th, has_control_characters


class SettingError(ValueError):
    """A setting key is unknown or its value is not valid; the message names the key."""


@dataclass(frozen=True)
class SettingSpec:
    key: str
    description: str
    default: str | None
    validate: Callable[[str], str]
    per_fiscal_year: bool = False


def _text(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        if len(value) > limit:
            raise ValueError(f"must be at most {limit} characters")
        return value

    return check


def _https(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+(:\d+)?(/[^\s]*)?", value):
        raise ValueError("must be an https:// link, e.g. https://itas.nacc.go.th/go/eit/abc123")
    return value


def _int_range(low: int, high: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            number = int(value.strip())
        except ValueError:
            raise ValueError(f"must be a whole number from {low} to {high}") from None
        if not low <= number <= high:
            raise ValueError(f"must be from {low} to {high}")
        return str(number)

    return check


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValueError("must be a date YYYY-MM-DD (Gregorian), e.g. 2026-01-05") from None


_HHMM = r"([01]\d|2[0-3]):[0-5]\d"


def _hours(value: str) -> str:
    """Opening hours: one or more HH:MM-HH:MM ranges, comma separated (a lunch gap allowed)."""
    ranges = [part.strip() for part in value.split(",") if part.strip()]
    if not ranges:
        raise ValueError("must be like 08:30-16:30 or 08:30-12:00,13:00-16:30")
    previous_end = ""
    for part in ranges:
        match = re.fullmatch(rf"({_HHMM})\s*-\s*({_HHMM})", part)
        if not match:
            raise ValueError(f"{part!r} is not a time range: use HH:MM-HH:MM, e.g. 08:30-16:30")
        start, end = match.group(1), match.group(3)
        if start >= end or start < previous_end:
            raise ValueError(f"{part!r}: ranges must run forward and not overlap")
        previous_end = end
    return ",".join(r.replace(" ", "") for r in ranges)


def _holidays(value: str) -> str:
    days = []
    for item in re.split(r"[,\s]+", value.strip()):
        if not item:
            continue
        try:
            days.append(date.fromisoformat(item))
        except ValueError:
            raise ValueError(
                f"{item!r} is not a date: list dates as YYYY-MM-DD, comma separated"
            ) from None
    return ",".join(d.isoformat() for d in sorted(set(days)))


def _queue_policy(value: str) -> str:
    value = value.strip().lower()
    if value not in ("fifo", "priority"):
        raise ValueError(
            "must be 'fifo' (first come, first served) or 'priority' "
            "(priority categories first, bounded by queue.max_overtake)"
        )
    return value


def _bool(value: str) -> str:
    lowered = value.strip().lower()
    if lowered in ("true", "yes", "1", "on"):
        return "true"
    if lowered in ("false", "no", "0", "off"):
        return "false"
    raise ValueError("must be true or false")


def _folder(value: str) -> str:
    value = value.strip()
    if value and not (value.startswith(("/", "~")) or re.match(r"[A-Za-z]:[\\/]", value)):
        raise ValueError(
            "must be a full folder path, e.g. /srv/counter-backups, or empty for the default"
        )
    return value


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec(
            "office.name",
            "ชื่อสำนักงาน (office name, shown on every screen and slip)",
            None,
            _text(200),
        ),
        SettingSpec(
            "office.address", "ที่อยู่สำนักงาน (for letters and slips)", "", lambda v: v.strip()
        ),
        SettingSpec("office.phone", "โทรศัพท์สำนักงาน", "", lambda v: v.strip()),
        SettingSpec(
            "office.hours",
            "เวลาเปิดให้บริการ, e.g. 08:30-16:30 or 08:30-12:00,13:00-16:30",
            "08:30-16:30",
            _hours,
        ),
        SettingSpec(
            "office.holidays", "วันหยุดของสำนักงาน: dates YYYY-MM-DD, comma separated", "", _holidays
        ),
        SettingSpec(
            "survey.eit_url",
            "ลิงก์แบบวัด EIT of this fiscal year (https://itas.nacc.go.th/go/eit/...)",
            None,
            _https,
            per_fiscal_year=True,
        ),
        SettingSpec(
            "survey.iit_url",
            "ลิงก์แบบวัด IIT for staff, this fiscal year",
            None,
            _https,
            per_fiscal_year=True,
        ),
        SettingSpec(
            "survey.window_start",
            "EIT collection window: first day (YYYY-MM-DD)",
            None,
            _iso_date,
            per_fiscal_year=True,
        ),
        SettingSpec(
            "survey.window_end",
            "EIT collection window: last day (YYYY-MM-DD)",
            None,
            _iso_date,
            per_fiscal_year=True,
        ),
        SettingSpec(
            "survey.target",
            "EIT responses the office aims for in the window",
            None,
            _int_range(0, 1_000_000),
            per_fiscal_year=True,
        ),
        SettingSpec("queue.policy", "fifo | priority", "fifo", _queue_policy),
        SettingSpec(
            "queue.max_overtake",
            "priority policy: how many priority tickets may overtake a waiting normal ticket",
            "3",
            _int_range(0, 100),
        ),
        SettingSpec(
            "queue.refresh_seconds", "how often counters refresh the queue", "3", _int_range(1, 60)
        ),
        SettingSpec(
            "privacy.retention_days",
            "days personal data is kept before a purge",
            "365",
            _int_range(30, 3650),
        ),
        SettingSpec(
            "security.pin_min_length",
            "ความยาว PIN ขั้นต่ำ 4–12 หลัก (minimum PIN length, checked when a PIN is set)",
            "4",
            _int_range(4, 12),
        ),
        SettingSpec(
            "backup.folder",
            "โฟลเดอร์เก็บไฟล์สำรองอัตโนมัติ (empty: backups beside the SQLite database file)",
            "",
            _folder,
        ),
        SettingSpec(
            "backup.keep",
            "จำนวนไฟล์สำรองอัตโนมัติที่เก็บไว้ (the oldest beyond it are deleted)",
            "14",
            _int_range(1, 365),
        ),
        SettingSpec(
            "print.thai_digits", "Thai digits on printed documents (true/false)", "false", _bool
        ),
    )
}


def spec_for(key: str) -> SettingSpec:
    try:
        return SPECS[key]
    except KeyError:
        close = [k for k in SPECS if k.split(".")[0] == key.split(".")[0]] or sorted(SPECS)
        raise SettingError(
            f"unknown setting {key!r}; known settings: {', '.join(close)}."
        ) from None


def validate_setting(key: str, value: str) -> str:
    """The normalised value, or ``SettingError`` naming the key and what to write. Control
    characters (ESC, BEL, bidi overrides...) are refused in every setting."""
    spec = spec_for(key)
    if has_control_characters(value):
        raise SettingError(control_message_th(f"ค่า {key} ", value, f"the value of {key}"))
    try:
        return spec.validate(value)
    except ValueError as exc:
        raise SettingError(f"{key}: {exc}.") from None
