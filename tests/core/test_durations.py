"""Tests of counter_tui.core.durations: parsing, Thai/English text and sums of standards."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_tui.core.durations import CEILINGS, Duration, parse_duration, sum_durations

MIN = lambda v: Duration(v, "minute")  # noqa: E731
HOUR = lambda v: Duration(v, "hour")  # noqa: E731
WORK = lambda v: Duration(v, "day", "working")  # noqa: E731
CAL = lambda v: Duration(v, "day", "calendar")  # noqa: E731
UNK = lambda v: Duration(v, "day", "unknown")  # noqa: E731


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 นาที", MIN(30)),
        ("30 min", MIN(30)),
        ("30 minutes", MIN(30)),
        ("1 minute", MIN(1)),
        ("30นาที", MIN(30)),
        ("  30   นาที  ", MIN(30)),
        ("๓๐ นาที", MIN(30)),
        ("30 MIN", MIN(30)),
        ("3 ชั่วโมง", HOUR(3)),
        ("3 ชม.", HOUR(3)),
        ("3 ชม", HOUR(3)),
        ("3 h", HOUR(3)),
        ("3 hours", HOUR(3)),
        ("1 hour", HOUR(1)),
        ("๓ ชั่วโมง", HOUR(3)),
        ("14 วันทำการ", WORK(14)),
        ("14 วัน ทำการ", WORK(14)),
        ("14 working days", WORK(14)),
        ("1 working day", WORK(1)),
        ("45 วัน", CAL(45)),
        ("45 วันปฏิทิน", CAL(45)),
        ("45 calendar days", CAL(45)),
        ("๔๕ วัน", CAL(45)),
        ("14 วัน (ไม่ระบุ)", UNK(14)),
        ("14 วัน(ไม่ระบุ)", UNK(14)),
        ("14 วัน ( ไม่ระบุ )", UNK(14)),
        ("14 days (unknown kind)", UNK(14)),
        ("14 days (kind unknown)", UNK(14)),
        ("\t7 วัน (ไม่ระบุ)\n", UNK(7)),
    ],
)
def test_parse_accepted_forms(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("duration", "thai", "thai_digits", "english"),
    [
        (MIN(30), "30 นาที", "๓๐ นาที", "30 min"),
        (HOUR(3), "3 ชั่วโมง", "๓ ชั่วโมง", "3 h"),
        (WORK(14), "14 วันทำการ", "๑๔ วันทำการ", "14 working days"),
        (CAL(45), "45 วัน", "๔๕ วัน", "45 calendar days"),
        (UNK(14), "14 วัน (ไม่ระบุ)", "๑๔ วัน (ไม่ระบุ)", "14 days (kind unknown)"),
        (WORK(1), "1 วันทำการ", "๑ วันทำการ", "1 working day"),
    ],
)
def test_text_th_and_en(duration: Duration, thai: str, thai_digits: str, english: str) -> None:
    assert duration.text_th() == thai
    assert duration.text_th(thai_digits=True) == thai_digits
    assert duration.text_en() == english
    assert str(duration) == thai
    # Every text we write reads back to the same duration.
    assert parse_duration(thai) == duration
    assert parse_duration(thai_digits) == duration
    assert parse_duration(english) == duration


durations = st.one_of(
    st.builds(Duration, st.integers(1, CEILINGS["minute"]), st.just("minute"), st.none()),
    st.builds(Duration, st.integers(1, CEILINGS["hour"]), st.just("hour"), st.none()),
    st.builds(
        Duration,
        st.integers(1, CEILINGS["day"]),
        st.just("day"),
        st.sampled_from(["working", "calendar", "unknown"]),
    ),
)


@given(durations)
def test_round_trip_property(duration: Duration) -> None:
    assert parse_duration(duration.text_th()) == duration
    assert parse_duration(duration.text_th(thai_digits=True)) == duration
    assert parse_duration(duration.text_en()) == duration


@given(st.text(max_size=40))
def test_parse_never_fails_otherwise_than_value_error(text: str) -> None:
    try:
        result = parse_duration(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert result.value > 0


def test_seconds_and_is_days() -> None:
    assert MIN(30).seconds == 1800
    assert HOUR(3).seconds == 10800
    assert WORK(14).seconds is None
    assert CAL(45).seconds is None
    assert not MIN(1).is_days and not HOUR(1).is_days
    assert WORK(1).is_days and CAL(1).is_days and UNK(1).is_days


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("0 นาที", "must be greater than zero"),
        ("-5 นาที", "must be greater than zero"),
        ("๐ วัน", "must be greater than zero"),
        ("", "empty"),
        ("   ", "empty"),
        ("นาที", "must start with a whole number"),
        ("abc", "must start with a whole number"),
        ("30", "has no unit"),
        ("30 parsecs", "unknown unit"),
        ("1.5 ชั่วโมง", "whole number"),
        ("14 days", "does not say which days"),
        ("14 วันหยุด", "unknown unit"),
    ],
)
def test_parse_errors(text: str, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_duration(text)
    assert fragment in str(info.value)


def test_error_lists_the_accepted_forms() -> None:
    with pytest.raises(ValueError, match="accepted forms:.*30 นาที.*14 วันทำการ"):
        parse_duration("30 parsecs")


def test_parse_rejects_non_text() -> None:
    with pytest.raises(ValueError, match="must be text"):
        parse_duration(30)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "unit", "kind"),
    [
        (0, "minute", None),
        (-1, "hour", None),
        (1, "week", None),
        (1, "day", None),
        (1, "day", "holiday"),
        (1, "minute", "working"),
        (True, "minute", None),
    ],
)
def test_invalid_duration_objects(value: int, unit: str, kind: str | None) -> None:
    with pytest.raises(ValueError):
        Duration(value, unit, kind)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([MIN(2), MIN(2), MIN(1)], MIN(5)),
        ([HOUR(1), HOUR(2)], HOUR(3)),
        ([HOUR(1), MIN(30)], MIN(90)),
        ([MIN(30)], MIN(30)),
        ([WORK(1), WORK(2)], WORK(3)),
        ([CAL(15), CAL(15), CAL(3)], CAL(33)),
        ([UNK(15), UNK(15), UNK(3)], UNK(33)),
        ([], None),
        ([MIN(30), WORK(1)], None),
        ([WORK(1), CAL(1)], None),
        ([CAL(1), UNK(1)], None),
    ],
)
def test_sum_durations(parts: list[Duration], expected: Duration | None) -> None:
    assert sum_durations(parts) == expected
    assert sum_durations(iter(parts)) == expected


# --- ceilings (issue 11 item 5) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ceiling", "over"),
    [
        ("10000 นาที", "10001 นาที"),
        ("2000 ชั่วโมง", "2001 h"),
        ("365 วันทำการ", "366 working days"),
        ("365 วัน", "๓๖๖ วัน"),
        ("365 วัน (ไม่ระบุ)", "366 days (unknown kind)"),
        ("365 วัน", "3000000 วัน"),
        ("365 วัน", "99999999999999999999 วัน"),
        ("365 วัน", "9" * 5000 + " วัน"),  # past Python's int-from-text limit
    ],
)
def test_a_standard_is_bounded_per_unit(ceiling: str, over: str) -> None:
    assert parse_duration(ceiling).value == CEILINGS[parse_duration(ceiling).unit]
    with pytest.raises(ValueError, match="ยาวเกินไป: ไม่เกิน") as info:
        parse_duration(over)
    assert "surely a typo" in str(info.value)


@given(st.integers(1, 10**30), st.sampled_from(["นาที", "h", "วันทำการ", "วัน", "วัน (ไม่ระบุ)"]))
def test_every_accepted_standard_fits_a_database_integer_and_a_due_date(
    value: int, word: str
) -> None:
    from datetime import date

    from counter_tui.core.workdays import due_date

    try:
        duration = parse_duration(f"{value} {word}")
    except ValueError:
        return
    assert duration.value <= CEILINGS[duration.unit]
    assert (duration.seconds or 0) < 2**31
    if duration.is_days:
        # the latest start a case can have and the slowest count still give a date
        due_date(date(2600, 1, 1), duration.value, duration.day_kind or "unknown", frozenset())
