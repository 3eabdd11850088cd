"""Provides the services' hand-written SQL, beside the models it reads: each statement is built
once per backend from the models' table and column names (``Statements``), so a renamed column
breaks it loudly rather than silently.

``event_insert``: the one INSERT of ``services.events.append_event``, through which every event
is appended (a peewee ``Model.create`` costs several times the statement itself, on the officer's
most frequent writes).
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database

from counter_tui.db import models as m
from counter_tui.db.database import is_postgres

EVENT_COLUMNS = (m.Event.office, m.Event.at, m.Event.kind, m.Event.ticket, m.Event.application,
                 m.Event.counter, m.Event.staff, m.Event.corrects, m.Event.reason, m.Event.data)
"""The columns of ``event_insert``, in the order of its parameters."""

_BUILT: dict[tuple[str, bool, str], dict[str, str]] = {}


def _statements(db: Database, name: str,
                build: Callable[[bool], dict[str, str]]) -> dict[str, str]:
    """The statements ``build`` writes with ``?`` placeholders, for ``db``'s backend (its
    placeholder; ``build`` is told whether it is PostgreSQL), built once per backend."""
    postgres = is_postgres(db)
    key = (db.param, postgres, name)
    built = _BUILT.get(key)
    if built is None:
        built = build(postgres)
        if db.param != "?":
            built = {k: v.replace("?", db.param) for k, v in built.items()}
        _BUILT[key] = built
    return built


def _event_insert(postgres: bool) -> dict[str, str]:
    names = ", ".join(field.column_name for field in EVENT_COLUMNS)
    marks = ", ".join("?" for _ in EVENT_COLUMNS)
    return {"insert": f"INSERT INTO {m.Event._meta.table_name} ({names}) VALUES ({marks})"}


def event_insert(db: Database) -> str:
    """``INSERT INTO event (...) VALUES (...)`` with the parameters of ``EVENT_COLUMNS``."""
    return _statements(db, "event", _event_insert)["insert"]
