"""The demo's rows in the making, and the helpers that give their columns text.

A visit's ticket, applications and deficiency record live here as small slot objects while the
simulation changes them (ids and numbers are given at the end of each day, in time order); the
simulation then turns them into tuples for ``db.bulk_load`` at the end of each month, and
records later changes to rows already written as updates (``flushed``/``dirty``).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime

# Asia/Bangkok has kept UTC+7 without daylight saving since 1920: local times are plain offsets.
UTC_OFFSET = 7 * 3600
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class Cut(Exception):
    """An event would fall after ``now``: the visit stops where it is (today's live visits)."""


def midnight(d: date) -> int:
    """UTC epoch seconds of local (Bangkok) midnight starting ``d``."""
    return (d.toordinal() - _EPOCH_ORDINAL) * 86400 - UTC_OFFSET


_TWO_DIGITS = tuple(f"{n:02d}" for n in range(60))


class Formatter:
    """Epoch seconds -> the naive UTC text SQLite stores ('YYYY-MM-DD HH:MM:SS'), cached by
    minute (a few events share one; the cache is emptied when it grows large)."""

    def __init__(self) -> None:
        self._minutes: dict[int, str] = {}

    def __call__(self, ts: int | None) -> str | None:
        if ts is None:
            return None
        minute, second = divmod(ts, 60)
        prefix = self._minutes.get(minute)
        if prefix is None:
            if len(self._minutes) >= 100_000:
                self._minutes.clear()
            day, rest = divmod(minute, 1440)
            hours, minutes = divmod(rest, 60)
            prefix = self._minutes[minute] = \
                f"{date.fromordinal(day + _EPOCH_ORDINAL).isoformat()} {hours:02d}:{minutes:02d}:"
        return prefix + _TWO_DIGITS[second]

    def clear(self) -> None:
        self._minutes.clear()


def aware(ts: int) -> datetime:
    """Epoch seconds -> an aware UTC datetime."""
    return datetime.fromtimestamp(ts, UTC)


def pick(rng: random.Random, weighted) -> object:
    """A value drawn from ``((value, weight), ...)``."""
    x = rng.random()
    for value, weight in weighted:
        x -= weight
        if x < 0:
            return value
    return weighted[-1][0]


def dumps(**data: object) -> str:
    """An event's ``data`` JSON, as the services write it."""
    return json.dumps(data, ensure_ascii=False)


class TicketRow:
    """A ticket (``m.Ticket``) in the making, with its applications and its place in the queue."""

    __slots__ = ("id", "idx", "day", "letter", "seq", "number", "issued", "issued_by", "svc",
                 "channel", "priority", "status", "counter", "called", "apps", "flushed", "dirty",
                 "avail", "overtaken", "key", "skipped", "reopen")


class AppRow:
    """An application (``m.Application``); ``rest``: what is left after a deficiency record."""

    __slots__ = ("id", "idx", "ticket", "number", "position", "svc", "counter", "officer",
                 "status", "created", "started", "finished", "outcome", "flushed", "dirty",
                 "rest", "deficiency")


class DeficiencyRow:
    """A deficiency record (``m.DeficiencyRecord``, Act s.8)."""

    __slots__ = ("id", "app", "created", "staff", "deadline", "missing", "checklist", "mark",
                 "witness", "resolved", "returned", "reason", "flushed", "dirty")


class CounterDay:
    """A counter on one day: who works there, when it is free next, its breaks."""

    __slots__ = ("d", "id", "officer", "free_at", "sched", "done", "order")


@dataclass
class Plan:
    """How one application's service will go, drawn before it starts."""

    outcome: str
    reason: str | None
    steps: list[int]
    tail: int
    pause: tuple[float, int, str] | None
    deficiency_after: int | None
    rest_tail: int
    correction: int | None
