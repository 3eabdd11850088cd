"""Provides the small rules of the timing model: the 80 %/100 % timer state, on-time checks and
duration display ("4:05", "3 นาที 20 วินาที").

Published standards count processing time only, so callers pass service or step time here,
never queue waiting. Durations are shown truncated to whole seconds, like a stopwatch: a timer
reads "5:00" only once five full minutes have passed. Stdlib only.
"""

from __future__ import annotations

from counter_tui.core.thai_dates import to_thai_digits

__all__ = ["NO_VALUE", "TIMER_STATES", "format_duration_th", "format_hms", "on_time", "timer_state"]

TIMER_STATES: tuple[str, ...] = ("none", "ok", "warn", "over")
NO_VALUE = "—"
"""Shown where a duration is undefined."""


def _whole_seconds(seconds: float) -> int:
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative, got {seconds} seconds")
    return int(seconds)


def timer_state(elapsed_seconds: float, standard_seconds: int | None) -> str:
    """State of a running timer against its standard.

    "none" without a standard; "ok" below 80 % of it, "warn" from 80 % (inclusive) up to
    below 100 %, "over" at 100 % and above.
    """
    if standard_seconds is None:
        return "none"
    if standard_seconds <= 0:
        raise ValueError(f"a standard must be more than 0 seconds, got {standard_seconds}")
    if elapsed_seconds < 0:
        raise ValueError(f"elapsed time cannot be negative, got {elapsed_seconds} seconds")
    if elapsed_seconds >= standard_seconds:
        return "over"
    # elapsed/standard >= 0.8 without the float 0.8 (0.8 * 300 is not exactly 240).
    if elapsed_seconds * 5 >= standard_seconds * 4:
        return "warn"
    return "ok"


def format_hms(seconds: float | None) -> str:
    """Clock-style duration: "m:ss" under an hour ("4:05"), "h:mm:ss" from an hour on ("1:02:03").

    None gives "—"; a negative duration raises ValueError.
    """
    if seconds is None:
        return NO_VALUE
    total = _whole_seconds(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def format_duration_th(seconds: float | None, *, thai_digits: bool = False) -> str:
    """Human Thai duration: "45 วินาที", "3 นาที 20 วินาที", "1 ชั่วโมง 5 นาที" ("—" for None).

    From an hour on, seconds are left out; zero parts are left out ("3 นาที", "2 ชั่วโมง").
    """
    if seconds is None:
        return NO_VALUE
    total = _whole_seconds(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        parts = [f"{hours} ชั่วโมง"] + ([f"{minutes} นาที"] if minutes else [])
    elif minutes:
        parts = [f"{minutes} นาที"] + ([f"{secs} วินาที"] if secs else [])
    else:
        parts = [f"{secs} วินาที"]
    text = " ".join(parts)
    return to_thai_digits(text) if thai_digits else text


def on_time(service_seconds: float, standard_seconds: int | None) -> bool | None:
    """True when service time ≤ standard; None (undefined, excluded from on-time %) without one."""
    if standard_seconds is None:
        return None
    return service_seconds <= standard_seconds
