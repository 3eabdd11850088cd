"""Provides the record of each office's once-a-day jobs (table ``daily_job``, migration 0010):
closing the leftover tickets (``services.queue.close_waiting_after_hours``) and the automatic
backup (``services.backup.daily_backup``).

A job's row says when it last ran. ``job_row`` reads it inside the caller's locked transaction
(the caller re-checks there whether the job is due, so two counters starting together run it
once); ``claim_day`` is a compare-and-set for a job that must not run inside a transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from counter_tui.core.clock import from_db, to_db
from counter_tui.db import models as m
from counter_tui.db.database import write_transaction


def last_run(office_id: int, job: str) -> datetime | None:
    """When ``job`` last ran for the office (aware UTC), or None: one read of a unique key."""
    value: datetime | str | None = (
        m.DailyJob.select(m.DailyJob.last_at)
        .where((m.DailyJob.office == office_id) & (m.DailyJob.job == job))
        .scalar()
    )
    return from_db(value)


def _ensure(office_id: int, job: str) -> None:
    # INSERT OR IGNORE / ON CONFLICT DO NOTHING: two first runs at once make one row.
    m.DailyJob.insert(office=office_id, job=job).on_conflict_ignore().execute()


def job_row(office_id: int, job: str) -> m.DailyJob:
    """The job's row (made if missing); call inside the transaction that runs the job."""
    _ensure(office_id, job)
    return m.DailyJob.get((m.DailyJob.office == office_id) & (m.DailyJob.job == job))


def record_run(office_id: int, job: str, now: datetime, day: date) -> None:
    """Mark the job as run at ``now`` for ``day`` (inside the job's transaction)."""
    m.DailyJob.update(last_at=to_db(now), last_day=day, runs=m.DailyJob.runs + 1).where(
        (m.DailyJob.office == office_id) & (m.DailyJob.job == job)
    ).execute()


def claim_day(office_id: int, job: str, day: date, now: datetime) -> bool:
    """True for exactly one caller per office, job and day: a conditional UPDATE (on
    PostgreSQL a second one waits for the first's row lock, then finds the day taken)."""
    with write_transaction(m.database_proxy.obj):
        _ensure(office_id, job)
        claimed: int = (
            m.DailyJob.update(last_at=to_db(now), last_day=day, runs=m.DailyJob.runs + 1)
            .where(
                (m.DailyJob.office == office_id)
                & (m.DailyJob.job == job)
                & (m.DailyJob.last_day.is_null() | (m.DailyJob.last_day < day))
            )
            .execute()
        )
    return claimed == 1


def release_day(office_id: int, job: str, previous: date | None) -> None:
    """Give a claimed day back (the job failed): the next start tries again."""
    with write_transaction(m.database_proxy.obj):
        m.DailyJob.update(last_day=previous, runs=m.DailyJob.runs - 1).where(
            (m.DailyJob.office == office_id) & (m.DailyJob.job == job)
        ).execute()


def last_day(office_id: int, job: str) -> date | None:
    day: date | None = (
        m.DailyJob.select(m.DailyJob.last_day)
        .where((m.DailyJob.office == office_id) & (m.DailyJob.job == job))
        .scalar()
    )
    return day
