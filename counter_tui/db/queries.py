"""Provides the hand-written SQL, beside the models it reads.

The services' statements are built once per backend from the models' table and column names
(``_statements``), so a renamed column breaks them loudly rather than silently:

- ``event_insert``: the one INSERT of ``services.events.append_event``, through which every event
  is appended (a peewee ``Model.create`` costs several times the statement itself);
- ``call_next_sql`` and ``choose_bounded``: call next, the officer's most frequent write, as a
  few indexed ``LIMIT 1`` reads, a conditional update (``services.queue.call_next``).

``sign_in_rows`` reads the sign-in screen's data from a SQLite file with the standard ``sqlite3``
module, before peewee is imported (``services.startup.quick_start``): its statements are written
out, and its test compares it with the same data read through the models.

Nothing here imports peewee at module level (the quick start must not).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter_tui.core import queue as rules
from counter_tui.core.clock import from_db, to_db

if TYPE_CHECKING:
    from peewee import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

_BUILT: dict[tuple[str, bool, str], dict[str, str]] = {}


def _statements(db: Database, name: str, build: Callable[[bool], dict[str, str]]) -> dict[str, str]:
    """The statements ``build`` writes with ``?`` placeholders, for ``db``'s backend (its
    placeholder; ``build`` is told whether it is PostgreSQL), built once per backend."""
    from counter_tui.db.database import is_postgres

    postgres = is_postgres(db)
    key = (db.param, postgres, name)
    built = _BUILT.get(key)
    if built is None:
        built = build(postgres)
        if db.param != "?":
            built = {k: v.replace("?", db.param) for k, v in built.items()}
        _BUILT[key] = built
    return built


# --- the event log --------------------------------------------------------------------------


def event_columns() -> tuple:
    """The columns of ``event_insert``, in the order of its parameters."""
    from counter_tui.db import models as m

    E = m.Event
    return (
        E.office,
        E.at,
        E.kind,
        E.ticket,
        E.application,
        E.counter,
        E.staff,
        E.corrects,
        E.reason,
        E.data,
    )


def _event_insert(postgres: bool) -> dict[str, str]:
    from counter_tui.db import models as m

    columns = event_columns()
    names = ", ".join(field.column_name for field in columns)
    marks = ", ".join("?" for _ in columns)
    return {"insert": f"INSERT INTO {m.Event._meta.table_name} ({names}) VALUES ({marks})"}


def event_insert(db: Database) -> str:
    """``INSERT INTO event (...) VALUES (...)`` with the parameters of ``event_columns``:
    office, at, kind, ticket, application, counter, staff, corrects, reason, data."""
    return _statements(db, "event", _event_insert)["insert"]


# --- call next ------------------------------------------------------------------------------


def _call_next(postgres: bool) -> dict[str, str]:
    from counter_tui.db import models as m

    T, S, C, CS, A, ST, SF = (
        m.Ticket,
        m.Service,
        m.Counter,
        m.CounterService,
        m.Application,
        m.Setting,
        m.Staff,
    )
    t, s, c, cs, a, st, sf = (x._meta.table_name for x in (T, S, C, CS, A, ST, SF))
    col = lambda f: f.column_name  # noqa: E731
    setting = f"(SELECT value FROM {st} WHERE {col(ST.office)} = ? AND key = ? AND fiscal_year = ?)"
    columns = (
        f"t.id, t.number, t.issued_at, t.priority, t.channel, s.code, s.name_th, "
        f"s.sensitive, (SELECT a.number FROM {a} a WHERE a.{col(A.ticket)} = t.id "
        f"ORDER BY a.position LIMIT 1)"
    )
    scope = (
        f"FROM {t} t JOIN {s} s ON s.id = t.{col(T.service)} "
        f"WHERE t.{col(T.office)} = ? AND t.service_date = ? AND t.status = 'waiting' "
        f"AND ((t.{col(T.assigned_counter)} IS NULL AND s.code IN (SELECT service_code "
        f"FROM {cs} WHERE {col(CS.counter)} = ?)) OR t.{col(T.assigned_counter)} = ?)"
    )
    order = "ORDER BY t.issued_at, t.id LIMIT 1"
    policy = setting.replace("key = ?", "key = 'queue.policy'")
    max_overtake = setting.replace("key = ?", "key = 'queue.max_overtake'")
    statements = {
        "counter": (
            f"SELECT c.state, c.name, (SELECT t.number FROM {t} t WHERE t.{col(T.counter)} = "
            f"c.id AND t.status IN ('called', 'serving') LIMIT 1), "
            f"{policy}, {max_overtake}, "
            # who holds the counter, for the permission check (services.permissions)
            f"c.{col(C.officer)}, c.{col(C.office)}, "
            f"(SELECT {col(SF.active)} FROM {sf} WHERE id = c.{col(C.officer)}) "
            f"FROM {c} c WHERE c.id = ?"
        ),
        "oldest": f"SELECT {columns} {scope} {order}",
        "oldest_normal": f"SELECT {columns} {scope} AND t.priority IS NULL {order}",
        "oldest_priority": f"SELECT {columns} {scope} AND t.priority IS NOT NULL {order}",
        # The priority tickets issued after the first normal one and already called today by a
        # counter that could have served it (see services.queue._overtaken).
        "overtaken": (
            f"SELECT COUNT(*) FROM {t} t WHERE t.{col(T.office)} = ? AND t.service_date = ? "
            f"AND t.priority IS NOT NULL AND t.called_at IS NOT NULL "
            f"AND (t.issued_at > ? OR (t.issued_at = ? AND t.id > ?)) "
            f"AND t.{col(T.counter)} IN (SELECT {col(CS.counter)} FROM {cs} "
            f"WHERE service_code = ?)"
        ),
        "claim": (
            f"UPDATE {t} SET status = 'called', {col(T.counter)} = ?, called_at = ? "
            "WHERE id = ? AND status = 'waiting'"
        ),
    }
    if postgres:  # the counter's state decides: it cannot go on break meanwhile
        statements["counter"] += " FOR NO KEY UPDATE OF c"
    return statements


def call_next_sql(db: Database) -> dict[str, str]:
    """The statements of ``services.queue.call_next`` for this backend: ``counter`` (its state,
    name, current ticket, the policy and the overtake bound), ``oldest``, ``oldest_normal``,
    ``oldest_priority`` (a waiting ticket in a counter's scope), ``overtaken``, ``claim``."""
    return _statements(db, "call_next", _call_next)


def choose_bounded(
    db: Database, sql: dict[str, str], office_id: int, today: date, scope: tuple, max_overtake: int
) -> Any:
    """``core.queue.choose_next`` for the priority policy from two ``LIMIT 1`` reads and a
    count: the row of the ticket to call, or None when nobody waits."""
    first_normal = db.execute_sql(sql["oldest_normal"], scope).fetchone()
    first_priority = db.execute_sql(sql["oldest_priority"], scope).fetchone()
    if first_normal is None or first_priority is None:
        return first_normal or first_priority
    entry = lambda r: rules.QueueEntry(r[0], r[1], from_db(r[2]), r[3])  # noqa: E731
    normal, prio = entry(first_normal), entry(first_priority)
    overtaken = {}
    if prio.key > normal.key:  # only then can the bound matter
        overtaken[normal.ticket_id] = db.execute_sql(
            sql["overtaken"],
            (
                office_id,
                today,
                to_db(normal.issued_at),
                to_db(normal.issued_at),
                normal.ticket_id,
                first_normal[5],
            ),
        ).fetchone()[0]
    chosen = rules.choose_next([normal, prio], "priority", max_overtake, overtaken)
    return first_normal if chosen is normal else first_priority


# --- the sign-in screen, before peewee -------------------------------------------------------


def sign_in_rows(
    conn: sqlite3.Connection, office_code: str | None
) -> tuple[tuple[int, str, str], bool, list[tuple[int, str, str]]] | None:
    """From a SQLite database ready for use: the office (id, code, name; the first one without
    ``office_code``), whether it has an active admin, and its counters (id, name, unit name),
    unordered. None when a migration is still to apply, or the office is not there (a new
    database, an unknown code): the full open migrates, bootstraps or explains."""
    applied = {name for (name,) in conn.execute("SELECT name FROM schema_migration")}
    if not {p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py")} <= applied:
        return None
    if office_code:
        row = conn.execute(
            "SELECT id, code, name FROM office WHERE code = ?", (office_code,)
        ).fetchone()
    else:
        row = conn.execute("SELECT id, code, name FROM office ORDER BY id LIMIT 1").fetchone()
    if row is None:
        return None
    has_admin = (
        conn.execute(
            "SELECT 1 FROM staff WHERE office_id = ? AND role = 'admin' AND active LIMIT 1",
            (row[0],),
        ).fetchone()
        is not None
    )
    counters = list(
        conn.execute(
            "SELECT c.id, c.name, u.name FROM counter c JOIN unit u ON u.id = c.unit_id "
            "WHERE c.office_id = ?",
            (row[0],),
        )
    )
    return row, has_admin, counters
