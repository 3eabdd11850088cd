from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_tui.core.thai_dates import (
    BANGKOK,
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    THAI_WEEKDAYS,
    be_year,
    format_date_en,
    format_date_th,
    format_datetime_th,
    format_time_th,
    from_thai_digits,
    gregorian_year,
    local_date,
    parse_iso_date,
    to_thai_digits,
    weekday_th,
)

UTC = UTC


@pytest.mark.parametrize(("ce", "be"), [(2026, 2569), (2025, 2568), (1941, 2484), (2000, 2543)])
def test_be_and_gregorian_years(ce: int, be: int) -> None:
    assert be_year(ce) == be
    assert gregorian_year(be) == ce


def test_thai_digit_code_points() -> None:
    assert (
        to_thai_digits("0123456789")
        == "\u0e50\u0e51\u0e52\u0e53\u0e54\u0e55\u0e56\u0e57\u0e58\u0e59"
    )
    assert to_thai_digits("2569") == "๒๕๖๙"
    assert to_thai_digits("เวลา 14:05 น.") == "เวลา ๑๔:๐๕ น."
    assert from_thai_digits("๒๔ พ.ย. ๒๕๖๙") == "24 พ.ย. 2569"


@given(st.text())
def test_thai_digits_round_trip(text: str) -> None:
    ascii_only = from_thai_digits(text)
    assert from_thai_digits(to_thai_digits(ascii_only)) == ascii_only
    assert not any(ch in "0123456789" for ch in to_thai_digits(text))


def test_month_and_weekday_tables() -> None:
    assert len(THAI_MONTHS) == len(THAI_MONTHS_ABBR) == 12
    assert THAI_MONTHS[0] == "มกราคม" and THAI_MONTHS[11] == "ธันวาคม"
    assert len(THAI_WEEKDAYS) == 7


ABBR = [
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
]
FULL = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]  # fmt: skip


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_name(month: int) -> None:
    d = date(2026, month, 1)
    assert format_date_th(d) == f"1 {FULL[month - 1]} 2569"
    assert format_date_th(d, short=True) == f"1 {ABBR[month - 1]} 2569"


@pytest.mark.parametrize(
    ("d", "kwargs", "expected"),
    [
        (date(2026, 11, 24), {}, "24 พฤศจิกายน 2569"),
        (date(2026, 11, 24), {"short": True}, "24 พ.ย. 2569"),
        (date(2026, 11, 24), {"thai_digits": True}, "๒๔ พฤศจิกายน ๒๕๖๙"),
        (date(2026, 11, 24), {"short": True, "thai_digits": True}, "๒๔ พ.ย. ๒๕๖๙"),
        (date(2024, 2, 29), {}, "29 กุมภาพันธ์ 2567"),
        (date(2025, 12, 31), {}, "31 ธันวาคม 2568"),
        (date(2026, 1, 1), {"short": True}, "1 ม.ค. 2569"),
    ],
)
def test_format_date_th(d: date, kwargs: dict[str, bool], expected: str) -> None:
    assert format_date_th(d, **kwargs) == expected


@pytest.mark.parametrize(
    ("d", "short", "expected"),
    [
        (date(2026, 11, 24), False, "24 November 2026"),
        (date(2026, 11, 24), True, "24 Nov 2026"),
        (date(2024, 2, 29), False, "29 February 2024"),
        (date(2026, 9, 3), True, "3 Sep 2026"),
    ],
)
def test_format_date_en(d: date, short: bool, expected: str) -> None:
    assert format_date_en(d, short=short) == expected


@pytest.mark.parametrize(
    ("dt", "expected"),
    [
        (datetime(2026, 11, 24, 7, 5, tzinfo=UTC), "24 พ.ย. 2569 14:05 น."),
        # 17:30 UTC on New Year's Eve is already 1 January in Bangkok (UTC+7).
        (datetime(2026, 12, 31, 17, 30, tzinfo=UTC), "1 ม.ค. 2570 00:30 น."),
        (
            datetime(2026, 11, 24, 16, 5, tzinfo=timezone(timedelta(hours=9))),
            "24 พ.ย. 2569 14:05 น.",
        ),
        (datetime(2026, 11, 24, 14, 5, tzinfo=BANGKOK), "24 พ.ย. 2569 14:05 น."),
    ],
)
def test_format_datetime_th_in_bangkok(dt: datetime, expected: str) -> None:
    assert format_datetime_th(dt) == expected


def test_format_datetime_th_options() -> None:
    dt = datetime(2026, 11, 24, 7, 5, tzinfo=UTC)
    assert format_datetime_th(dt, short=False) == "24 พฤศจิกายน 2569 14:05 น."
    assert format_datetime_th(dt, thai_digits=True) == "๒๔ พ.ย. ๒๕๖๙ ๑๔:๐๕ น."


def test_format_time_th() -> None:
    assert format_time_th(datetime(2026, 11, 24, 2, 0, tzinfo=UTC)) == "09:00 น."
    assert format_time_th(datetime(2026, 11, 24, 7, 5, 59, tzinfo=UTC)) == "14:05 น."
    assert format_time_th(datetime(2026, 11, 24, 7, 5, tzinfo=UTC), thai_digits=True) == "๑๔:๐๕ น."


@pytest.mark.parametrize("fn", [format_datetime_th, format_time_th, local_date])
def test_naive_datetime_is_rejected(fn: Callable[[datetime], object]) -> None:
    with pytest.raises(ValueError, match="time zone"):
        fn(datetime(2026, 11, 24, 14, 5))


@pytest.mark.parametrize(
    ("dt", "expected"),
    [
        (datetime(2026, 9, 30, 16, 59, 59, tzinfo=UTC), date(2026, 9, 30)),
        (datetime(2026, 9, 30, 17, 0, tzinfo=UTC), date(2026, 10, 1)),
        (datetime(2026, 11, 24, 0, 0, tzinfo=UTC), date(2026, 11, 24)),
    ],
)
def test_local_date_is_the_bangkok_date(dt: datetime, expected: date) -> None:
    assert local_date(dt) == expected


@pytest.mark.parametrize(
    ("d", "name", "abbr"),
    [
        (date(2026, 11, 24), "อังคาร", "อ."),
        (date(2026, 11, 26), "พฤหัสบดี", "พฤ."),
        (date(2026, 11, 29), "อาทิตย์", "อา."),
    ],
)
def test_weekday_th(d: date, name: str, abbr: str) -> None:
    assert weekday_th(d) == name
    assert weekday_th(d, short=True) == abbr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24", date(2026, 11, 24)),
        ("  2026-11-24\n", date(2026, 11, 24)),
        ("2024-02-29", date(2024, 2, 29)),
        ("๒๐๒๖-๑๑-๒๔", date(2026, 11, 24)),
    ],
)
def test_parse_iso_date(text: str, expected: date) -> None:
    assert parse_iso_date(text) == expected


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("2026-13-01", "month 13"),
        ("2026-00-10", "month 0"),
        ("2026-02-29", "February 2026 has 28 days"),
        ("2026-04-31", "April 2026 has 30 days"),
        ("2026-04-00", "day 0"),
        ("0000-01-01", "year 0"),
        ("24/11/2026", ""),
        ("2026-1-5", ""),
        ("20261124", ""),  # date.fromisoformat would take this; the CLI form is YYYY-MM-DD
        ("2026-11-24T10:00", ""),
        ("", ""),
        ("tomorrow", ""),
    ],
)
def test_parse_iso_date_rejects_with_the_expected_form(text: str, detail: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_iso_date(text)
    message = str(info.value)
    assert message.startswith(f"'{text}' is not a date: use YYYY-MM-DD, e.g. 2026-11-24")
    assert detail in message


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("2569-11-24", "e.g. 2026-11-24"),
        ("2567-02-29", "e.g. 2024-02-29"),
        ("2569-02-30", "e.g. 2026"),
        ("2400-01-01", "e.g. 1857-01-01"),  # the lowest year taken as Buddhist Era
    ],
)
def test_parse_iso_date_spots_a_buddhist_era_year(text: str, suggestion: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_iso_date(text)
    message = str(info.value)
    be = text[:4]
    assert f"{be} looks like a Buddhist Era year; type the Gregorian year" in message
    assert suggestion in message


@given(st.dates(min_value=date(1, 1, 1), max_value=date(2399, 12, 31)))
def test_parse_iso_date_reads_any_isoformat(d: date) -> None:
    assert parse_iso_date(d.isoformat()) == d
