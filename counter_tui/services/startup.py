"""Provides what the app's first screen needs, read as cheaply as the start allows.

``services.sign_in.load_sign_in`` reads the sign-in screen's data through the services (peewee),
on any backend. ``quick_start`` reads the same from a SQLite file with the standard ``sqlite3``
module (the statements are ``db.queries.sign_in_rows``), when the database is ready for use
(every migration applied, the office there): peewee and the services are then imported by the
database thread after the first frame, while the officer types, not before it (importing them
is a sixth of a start). Anything else (a PostgreSQL
URL, a new or older database, an unknown office, any error) gives None, and the caller opens the
database the full way, which migrates, bootstraps and explains what is wrong.

Nothing here imports peewee at module level.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from counter_tui.core.sorting import natural_key
from counter_tui.db.queries import sign_in_rows


@dataclass(frozen=True)
class OfficeInfo:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class CounterChoice:
    id: int
    name: str
    unit: str


@dataclass(frozen=True)
class SignInData:
    office_name: str
    has_admin: bool
    counters: list[CounterChoice]


def quick_start(url: str, office_code: str | None) -> tuple[OfficeInfo, SignInData] | None:
    match = re.fullmatch(r"sqlite:///(.+)", url, re.IGNORECASE)
    if match is None or match.group(1) == ":memory:":
        return None
    path = Path(match.group(1)).expanduser()
    if not path.is_file():
        return None
    try:
        # Read-only: a file this cannot read as it expects is left to the full open.
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
    except (sqlite3.Error, ValueError):
        return None
    try:
        return _read(conn, office_code)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _read(
    conn: sqlite3.Connection, office_code: str | None
) -> tuple[OfficeInfo, SignInData] | None:
    rows = sign_in_rows(conn, office_code)
    if rows is None:
        return None
    office_row, has_admin, counter_rows = rows
    office = OfficeInfo(*office_row)
    counters = [CounterChoice(*r) for r in counter_rows]
    counters.sort(key=lambda c: (natural_key(c.name), c.id))  # as services.counters orders
    return office, SignInData(office.name, has_admin, counters)
