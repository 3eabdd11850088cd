"""The demo's rows in the making, and the helpers that give their columns text.

A visit's ticket, applications and deficiency record live here as small slot objects while the
simulation changes them (ids and numbers are given at the end of each day, in time order); the
simulation then turns them into tuples for ``db.bulk_load`` at the end of each month, and
records later changes to rows already written as updates (``flushed``/``dirty``).
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from counter_tui.services.demo.profile import CounterDef, Svc

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
            prefix = self._minutes[minute] = (
                f"{date.fromordinal(day + _EPOCH_ORDINAL).isoformat()} {hours:02d}:{minutes:02d}:"
            )
        return prefix + _TWO_DIGITS[second]

    def clear(self) -> None:
        self._minutes.clear()


def aware(ts: int) -> datetime:
    """Epoch seconds -> an aware UTC datetime."""
    return datetime.fromtimestamp(ts, UTC)


_T = TypeVar("_T")


def pick(rng: random.Random, weighted: Sequence[tuple[_T, float]]) -> _T:
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


# Times are epoch seconds (``int``); ids are given at the end of each day (0 until then).


class TicketRow:
    """A ticket (``m.Ticket``) in the making, with its applications and its place in the queue."""

    __slots__ = (
        "id",
        "idx",
        "day",
        "letter",
        "seq",
        "number",
        "issued",
        "issued_by",
        "svc",
        "channel",
        "priority",
        "status",
        "counter",
        "called",
        "apps",
        "flushed",
        "dirty",
        "avail",
        "overtaken",
        "key",
        "skipped",
        "reopen",
    )
    id: int
    idx: int  # creation order: the tie-break of equal times
    day: date
    letter: str
    seq: int
    number: str
    issued: int
    issued_by: int | None
    svc: Svc
    channel: str
    priority: str | None
    status: str
    counter: int | None
    called: int | None
    apps: list[AppRow]
    flushed: bool  # written to the database (later changes are updates)
    dirty: bool  # flushed, then changed: in the batch's updates
    avail: int  # when it can be called (after a skip: when the visitor is back)
    overtaken: int  # times a priority ticket issued after it was called first
    key: tuple[int, int]  # (issued, idx): its place in the queue
    skipped: bool
    reopen: AppRow | None  # the application this visit comes back to with its documents


class AppRow:
    """An application (``m.Application``); ``rest``: what is left after a deficiency record."""

    __slots__ = (
        "id",
        "idx",
        "ticket",
        "number",
        "position",
        "svc",
        "counter",
        "officer",
        "status",
        "created",
        "started",
        "finished",
        "outcome",
        "flushed",
        "dirty",
        "rest",
        "deficiency",
    )
    id: int
    idx: int
    ticket: TicketRow
    number: str
    position: int
    svc: Svc
    counter: int | None
    officer: int | None
    status: str
    created: int
    started: int | None
    finished: int | None
    outcome: str | None
    flushed: bool
    dirty: bool
    rest: Rest | None
    deficiency: DeficiencyRow | None


class DeficiencyRow:
    """A deficiency record (``m.DeficiencyRecord``, Act s.8)."""

    __slots__ = (
        "id",
        "app",
        "created",
        "staff",
        "deadline",
        "missing",
        "checklist",
        "mark",
        "witness",
        "resolved",
        "returned",
        "reason",
        "flushed",
        "dirty",
    )
    id: int
    app: AppRow
    created: int
    staff: int
    deadline: date
    missing: str  # JSON
    checklist: str  # JSON
    mark: str
    witness: str | None
    resolved: int | None
    returned: int | None
    reason: str | None
    flushed: bool
    dirty: bool


class CounterDay:
    """A counter on one day: who works there, when it is free next, its breaks."""

    __slots__ = ("d", "id", "officer", "free_at", "sched", "done", "order")
    d: CounterDef
    id: int
    officer: int
    free_at: int
    sched: list[tuple[int, int, str, str | None]]  # (from, seconds, state, reason), in time order
    done: bool
    order: int


# After a deficiency record: the steps left (seconds), the index of the first, the tail, the
# outcome and its reason.
Rest = tuple[list[int], int, int, str, str | None]
# An event row in the making, a list so that its id (the last item) is given in place at the end
# of the day: [at, seq, kind, ticket (TicketRow | None), application (AppRow | None), counter,
# staff, corrects (another event row | None), reason, data (JSON text, or ("ooo", the TicketRow
# passed over) for an out-of-order call, named once the numbers are given), id]
EventRow = list[Any]
# m.Case: (id, application, opened_at, complete_date, due_date, day_kind, status, decided_at,
# decision, result_notified_at, office)
CaseRow = tuple[
    int, AppRow, str | None, str, str, str, str, str | None, str | None, str | None, int
]
# m.PersonalData: (id, application, role, name, national_id, address, phone, created_at)
PeopleRow = tuple[int, AppRow, str, str, str | None, str | None, str | None, str | None]
# m.DelayNotice: (id, case, number, sent_at, sent_by, reason, copied_to_opdc)
NoticeRow = tuple[int, int, int, str | None, int, str, bool]
# What a later day holds for this office: a visitor back with the documents, an application
# returned after its deadline, a delay notice of a case ((case id, ticket, application), number,
# sent by)
Scheduled = (
    tuple[Literal["reopen"], AppRow]
    | tuple[Literal["return"], AppRow]
    | tuple[Literal["notice"], tuple[int, TicketRow, AppRow], int, int]
)
# An arrival: (at, service, priority, channel, the application it reopens)
Arrival = tuple[int, "Svc", str | None, str, AppRow | None]


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
