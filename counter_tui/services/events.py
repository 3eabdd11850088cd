"""Provides ``append_event``, the one function that appends to the event log (who acted, when,
on what, why), and the guards that keep a visit's times in order when the PCs' clocks disagree.

Every use-case records what it did through ``append_event``; the demo's bulk loader
(``db.bulk_load``) is the one writer of event rows besides it (simulated history, copied in bulk).
"""

from __future__ import annotations

import json
from datetime import datetime

from peewee import fn

from counter_tui.core.clock import from_db, to_db
from counter_tui.db import models as m
from counter_tui.db.database import bound_database
from counter_tui.db.queries import event_insert
from counter_tui.errors import UserError


def append_event(
    office_id: int,
    kind: str,
    at: datetime,
    *,
    ticket: object = None,
    application: object = None,
    counter: object = None,
    staff: object = None,
    reason: str | None = None,
    corrects: object = None,
    **data: object,
) -> None:
    """Append one event of ``kind`` at ``at``, in the caller's transaction. ``ticket``,
    ``application``, ``counter``, ``staff`` and ``corrects`` are rows or their ids; ``data``
    (never a visitor's name or ID) is kept as JSON."""
    db = bound_database()
    db.execute_sql(
        event_insert(db),
        (
            office_id,
            to_db(at),
            kind,
            _id(ticket),
            _id(application),
            _id(counter),
            _id(staff),
            _id(corrects),
            reason,
            json.dumps(data, ensure_ascii=False) if data else None,
        ),
    )


def _id(row: object) -> object:
    return getattr(row, "id", row)


def require_reason(reason: str | None, what: str) -> str:
    """The reason recorded with an event, trimmed; UserError when there is none."""
    if reason is None or not reason.strip():
        raise UserError(f"ต้องระบุเหตุผลในการ{what} (a reason is required)")
    return reason.strip()


def not_before(now: datetime, *stored: datetime | str | None) -> datetime:
    """``now``, or a stored time it would precede: PCs share a database, not a clock, and a
    few seconds of skew must not make a figure derived from events negative."""
    times = [t for t in map(from_db, stored) if t is not None]
    return max([now, *times])


def after_events(now: datetime, application_id: int) -> datetime:
    """``now``, or the application's latest event when the PC's clock went back since (a
    pause started at 10:20 and a clock set back to 10:00 must not give 20 minutes of negative
    pause): every event of an application goes through this, so its events never go back."""
    latest = (
        m.Event.select(fn.MAX(m.Event.at)).where(m.Event.application == application_id).scalar()
    )
    return not_before(now, latest)
