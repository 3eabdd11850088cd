"""Provides the conversions between aware UTC datetimes and the naive UTC the database stores.

Every rule that needs the time takes ``now`` as an argument; ``utc_now`` is called only at the
edges (the CLI, the app's clock) so tests can fix the time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload

UTC = UTC


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_db(dt: datetime) -> datetime:
    """Aware datetime -> naive UTC for storage. A naive datetime is refused: it is ambiguous."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime (UTC or Asia/Bangkok)")
    return dt.astimezone(UTC).replace(tzinfo=None)


@overload
def from_db(value: datetime | str) -> datetime: ...


@overload
def from_db(value: datetime | str | None) -> datetime | None: ...


def from_db(value: datetime | str | None) -> datetime | None:
    """Naive UTC from storage -> aware UTC (SQLite may hand back the ISO text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
