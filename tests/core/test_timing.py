from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_tui.core.timing import format_duration_th, format_hms, on_time, timer_state


@pytest.mark.parametrize(
    ("elapsed", "standard", "expected"),
    [
        (0, None, "none"),
        (10_000, None, "none"),
        (0, 300, "ok"),
        (239, 300, "ok"),
        (239.99, 300, "ok"),
        (240, 300, "warn"),  # exactly 80 %
        (299.99, 300, "warn"),
        (300, 300, "over"),  # exactly 100 %
        (301, 300, "over"),
        (3.99, 5, "ok"),
        (4, 5, "warn"),
        (5, 5, "over"),
        (47.99, 60, "ok"),
        (48, 60, "warn"),
        (2880, 3600, "warn"),
        (2879, 3600, "ok"),
    ],
)
def test_timer_state(elapsed: float, standard: int | None, expected: str) -> None:
    assert timer_state(elapsed, standard) == expected


@given(st.integers(min_value=1, max_value=10**6))
def test_timer_state_thresholds_are_exact(standard: int) -> None:
    # 80 % of the standard as an exact fraction: at it is "warn", anything below is "ok".
    assert timer_state(standard * 4 / 5, standard) == "warn"
    assert timer_state(standard, standard) == "over"
    if standard >= 5:
        assert timer_state((standard * 4 - 1) // 5, standard) == "ok"


@pytest.mark.parametrize(("elapsed", "standard"), [(-1, 300), (10, 0), (10, -60)])
def test_timer_state_rejects_nonsense(elapsed: float, standard: int) -> None:
    with pytest.raises(ValueError):
        timer_state(elapsed, standard)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (None, "—"),
        (0, "0:00"),
        (5, "0:05"),
        (59.9, "0:59"),  # whole seconds elapsed, like a stopwatch
        (245, "4:05"),
        (600, "10:00"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (3723, "1:02:03"),
        (36_000, "10:00:00"),
        (90_061, "25:01:01"),
    ],
)
def test_format_hms(seconds: float | None, expected: str) -> None:
    assert format_hms(seconds) == expected


@pytest.mark.parametrize("fn", [format_hms, format_duration_th])
def test_negative_durations_are_rejected(fn: Callable[[float | None], str]) -> None:
    with pytest.raises(ValueError, match="negative"):
        fn(-1)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (None, "—"),
        (0, "0 วินาที"),
        (45, "45 วินาที"),
        (45.7, "45 วินาที"),
        (60, "1 นาที"),
        (200, "3 นาที 20 วินาที"),
        (3599, "59 นาที 59 วินาที"),
        (3600, "1 ชั่วโมง"),
        (3661, "1 ชั่วโมง 1 นาที"),
        (3900, "1 ชั่วโมง 5 นาที"),
        (3959, "1 ชั่วโมง 5 นาที"),
        (7200, "2 ชั่วโมง"),
    ],
)
def test_format_duration_th(seconds: float | None, expected: str) -> None:
    assert format_duration_th(seconds) == expected


def test_format_duration_th_with_thai_digits() -> None:
    assert format_duration_th(200, thai_digits=True) == "๓ นาที ๒๐ วินาที"


@pytest.mark.parametrize(
    ("service", "standard", "expected"),
    [(300, 300, True), (299.5, 300, True), (300.5, 300, False), (0, 60, True), (10, None, None)],
)
def test_on_time(service: float, standard: int | None, expected: bool | None) -> None:
    assert on_time(service, standard) is expected
