"""The fixed time of the tests and a clock a test moves by hand (the app's injected clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

# 10:00 in Bangkok on Tuesday 24 November 2026 (fiscal year 2570).
FIXED_NOW = datetime(2026, 11, 24, 3, 0, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)  # FIXED_NOW's day in Bangkok


class Clock:
    """A clock for ``make_app(..., clock=...)``: calling it gives ``now``, which the test sets
    or moves with ``advance``; it starts at ``start`` (FIXED_NOW)."""

    def __init__(self, start: datetime = FIXED_NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float = 0, seconds: float = 0) -> None:
        self.now += timedelta(minutes=minutes, seconds=seconds)
