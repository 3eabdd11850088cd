"""Provides the derivation of one application's timing from its events (store events, derive
figures).

Service time is the time the application was being worked at a counter and not paused: from
``started`` (or ``reopened``, when a visitor returns with missing documents) until ``paused``,
``documents_missing``, ``transferred`` or ``finished``; ``resumed`` continues it. Step times are
the service time between step boundaries (``step_completed``). A ``corrected`` event names the
event it voids (a step completed too early, an early finish); the voided event is ignored and the
original stays in the log. Nothing here reads the clock: ``now`` closes what is still running.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

OPENING = ("started", "reopened")
CLOSING = ("documents_missing", "transferred", "finished")


@dataclass(frozen=True)
class TimedEvent:
    id: int
    kind: str
    at: datetime
    corrects: int | None = None
    outcome: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class StepTiming:
    index: int
    seconds: float
    standard_seconds: int | None
    completed: bool


@dataclass(frozen=True)
class ApplicationTiming:
    status: str
    """waiting | serving | paused | deficient | transferred | finished"""
    started_at: datetime | None
    finished_at: datetime | None
    outcome: str | None
    service_seconds: float
    paused_seconds: float
    current_step: int | None
    """index of the step running now; None before the start, after the last step, or finished"""
    steps: tuple[StepTiming, ...]
    pause_reason: str | None
    step_started_at: datetime | None
    """when the current step's clock started (for display only; seconds come from ``steps``)"""


def _overlap(
    intervals: Sequence[tuple[datetime, datetime]], start: datetime | None, end: datetime | None
) -> float:
    total = 0.0
    for a, b in intervals:
        lo = a if start is None or a > start else start
        hi = b if end is None or b < end else end
        if hi > lo:
            total += (hi - lo).total_seconds()
    return total


def _seconds_between(start: datetime, end: datetime) -> float:
    """Seconds from start to end, never negative: events are stored in log order, but a PC's
    clock can go back between two of them (the services guard against it; old rows may not)."""
    return max(0.0, (end - start).total_seconds())


def derive(
    events: Sequence[TimedEvent], step_standards: Sequence[int | None], now: datetime
) -> ApplicationTiming:
    """The timing of one application from its events (in log order)."""
    voided = {e.corrects for e in events if e.kind == "corrected" and e.corrects is not None}
    live = [e for e in events if e.id not in voided and e.kind != "corrected"]
    active: list[tuple[datetime, datetime]] = []
    boundaries: list[datetime] = []
    status = "waiting"
    started_at = finished_at = None
    outcome = pause_reason = None
    segment_start: datetime | None = None
    pause_start: datetime | None = None
    paused = 0.0
    for event in live:
        kind, at = event.kind, event.at
        if kind in OPENING:
            if status in ("waiting", "deficient", "transferred", "finished"):
                started_at = started_at or at
                status, segment_start = "serving", at
                finished_at = outcome = None
        elif kind == "paused" and status == "serving":
            assert segment_start is not None
            active.append((segment_start, max(at, segment_start)))
            status, pause_start, pause_reason = "paused", at, event.reason
        elif kind == "resumed" and status == "paused":
            assert pause_start is not None
            paused += _seconds_between(pause_start, at)
            status, segment_start, pause_reason = "serving", at, None
        elif kind == "step_completed" and status in ("serving", "paused"):
            if len(boundaries) < len(step_standards):
                boundaries.append(at)
        elif kind in CLOSING and status in ("serving", "paused"):
            if status == "paused":
                assert pause_start is not None
                paused += _seconds_between(pause_start, at)
            else:
                assert segment_start is not None
                active.append((segment_start, max(at, segment_start)))
            pause_reason = None
            status = {
                "documents_missing": "deficient",
                "transferred": "transferred",
                "finished": "finished",
            }[kind]
            if kind == "finished":
                finished_at, outcome = at, event.outcome
        elif kind == "finished" and status in ("deficient", "waiting"):
            # returned (คืนคำขอ) after the deadline, or closed before it was ever served (a
            # returning visitor's ticket merged into their application): no service time
            status, finished_at, outcome = "finished", at, event.outcome
    if status == "serving":
        assert segment_start is not None
        active.append((segment_start, max(now, segment_start)))
    elif status == "paused":
        assert pause_start is not None
        paused += _seconds_between(pause_start, now)
    steps = []
    for index, standard in enumerate(step_standards):
        start = boundaries[index - 1] if index > 0 and index - 1 < len(boundaries) else None
        if index > len(boundaries):
            steps.append(StepTiming(index, 0.0, standard, False))
            continue
        end = boundaries[index] if index < len(boundaries) else None
        steps.append(
            StepTiming(index, _overlap(active, start, end), standard, index < len(boundaries))
        )
    running = status in ("serving", "paused")
    current = len(boundaries) if running and len(boundaries) < len(step_standards) else None
    step_started = None
    if current is not None:
        step_started = boundaries[current - 1] if current > 0 else started_at
    return ApplicationTiming(
        status=status,
        started_at=started_at,
        finished_at=finished_at,
        outcome=outcome,
        service_seconds=sum((b - a).total_seconds() for a, b in active),
        paused_seconds=paused,
        current_step=current,
        steps=tuple(steps),
        pause_reason=pause_reason,
        step_started_at=step_started,
    )
