"""Provides ``start_of_day``: the app's once-a-day jobs at its start (a module of its own above
``services.daily``, whose records they use, and the services that do the jobs)."""

from __future__ import annotations

from datetime import datetime

from counter_tui.services.backup import BackupResult


def start_of_day(url: str, office_id: int, now: datetime) -> BackupResult | None:
    """The app's once-a-day jobs at its start, on the database thread: the leftover tickets of
    earlier days, then the automatic backup (SQLite). Returns the backup made, if any."""
    from counter_tui.services.backup import daily_backup
    from counter_tui.services.queue import close_leftovers_if_due

    close_leftovers_if_due(office_id, now)
    return daily_backup(url, office_id, now)
