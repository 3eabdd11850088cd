"""Bulk loading of the visit tables: rows built elsewhere (the demo's simulation) written fast.

Rows arrive as tuples in the tables' column order, with their primary keys already assigned
(``Ids`` reads each table's MAX(id) once, so that a caller can make events reference tickets and
applications without a query per row).

SQLite: one transaction per batch, ``executemany`` of one prepared INSERT (3.5x faster than
peewee's ``insert_many``, whose SQL building dominates: 71,000 vs 20,000 event rows/s).

PostgreSQL: the caller holds one transaction for the whole load; ``LoadMode`` drops the bulk
tables' foreign keys and plain indexes for the load and re-creates them from their pg_catalog
definitions at the end (per-row foreign-key triggers were half of the server's time); rows go in
with ``COPY ... FROM STDIN`` on a writer thread, so that the server works while the caller
builds the next batch; then ``set_id_sequences`` and ``analyze``.

peewee and SQL only: nothing here knows what the rows mean.

The event rows copied here are the one exception to ``services.events.append_event`` appending
every event: they are simulated history (the demo), copied in bulk, never a use-case's record.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from peewee import fn

from counter_tui.db import models as m
from counter_tui.db.database import is_postgres

# --- the bulk writer --------------------------------------------------------------------------

TICKET_COLS = (
    "id",
    "office_id",
    "service_date",
    "group_letter",
    "seq",
    "number",
    "issued_at",
    "issued_by_id",
    "service_id",
    "channel",
    "priority",
    "status",
    "counter_id",
    "assigned_counter_id",
    "called_at",
)
APPLICATION_COLS = (
    "id",
    "office_id",
    "ticket_id",
    "number",
    "position",
    "service_id",
    "counter_id",
    "officer_id",
    "status",
    "created_at",
    "started_at",
    "finished_at",
    "outcome",
)
EVENT_COLS = (
    "id",
    "office_id",
    "at",
    "kind",
    "ticket_id",
    "application_id",
    "counter_id",
    "staff_id",
    "corrects_id",
    "reason",
    "data",
)
PERSON_COLS = (
    "id",
    "application_id",
    "role",
    "name",
    "national_id",
    "address",
    "phone",
    "created_at",
)
DEFICIENCY_COLS = (
    "id",
    "application_id",
    "created_at",
    "staff_id",
    "deadline",
    "missing",
    "checklist",
    "applicant_mark",
    "witness_name",
    "resolved_at",
    "returned_at",
    "return_reason",
)
CASE_COLS = (
    "id",
    "application_id",
    "opened_at",
    "complete_date",
    "due_date",
    "day_kind",
    "status",
    "decided_at",
    "decision",
    "result_notified_at",
    "office_id",
)
NOTICE_COLS = ("id", "case_id", "number", "sent_at", "sent_by_id", "reason", "copied_to_opdc")
BULK_TABLES: tuple[tuple[type[m.BaseModel], tuple[str, ...]], ...] = (
    (m.Ticket, TICKET_COLS),
    (m.Application, APPLICATION_COLS),
    (m.PersonalData, PERSON_COLS),
    (m.Event, EVENT_COLS),
    (m.DeficiencyRecord, DEFICIENCY_COLS),
    (m.Case, CASE_COLS),
    (m.DelayNotice, NOTICE_COLS),
)
UPDATES: dict[type[m.BaseModel], tuple[str, ...]] = {
    m.Ticket: ("status", "counter_id"),
    m.Application: ("status", "counter_id", "officer_id", "finished_at", "outcome"),
    m.DeficiencyRecord: ("resolved_at", "returned_at", "return_reason"),
}


def check_columns() -> None:
    """Refuse to load when the schema no longer has the columns the row tuples are built for."""
    for model, cols in BULK_TABLES:
        actual = tuple(f.column_name for f in model._meta.sorted_fields)
        if actual != cols:  # the schema changed: this module (and the row builders) must follow
            raise RuntimeError(f"bulk load: columns of {model._meta.table_name} are {actual}")


class Writer:
    """Writes one batch (an office-month) of rows.

    SQLite: at once, one transaction per batch. PostgreSQL: batches go to a writer thread that
    COPYs them while the caller simulates the next month, on the caller's connection and inside
    its transaction (the caller holds one for the whole load; psycopg connections are
    thread-safe, and the caller does not touch the database until ``close``).
    """

    def __init__(self, db) -> None:
        self.db = db
        self.pg = is_postgres(db)
        self.conn = db.connection() if self.pg else None
        param = db.param
        self.insert_sql = {}
        for model, cols in BULK_TABLES:
            table = model._meta.table_name
            names = ", ".join(f'"{c}"' for c in cols)
            if self.pg:
                self.insert_sql[model] = f'COPY "{table}" ({names}) FROM STDIN'
            else:
                marks = ", ".join(param for _ in cols)
                self.insert_sql[model] = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
        self.update_sql = {}
        for model, cols in UPDATES.items():
            sets = ", ".join(f'"{c}" = {param}' for c in cols)
            self.update_sql[model] = (
                f'UPDATE "{model._meta.table_name}" SET {sets} WHERE "id" = {param}'
            )
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._abort = False

    def write(
        self, batch: list[tuple[object, list, bool]], then: Callable[[], None] | None = None
    ) -> None:
        """``batch``: (model, rows, is_update) in FK order; SQLite: ``then`` runs in the
        batch's transaction (PostgreSQL has one transaction for the run)."""
        if not self.pg:
            with self.db.atomic():
                self._write(self.db.cursor(), batch)
                if then is not None:
                    then()
            return
        if self._thread is None:
            self._queue = queue.Queue(maxsize=2)
            self._thread = threading.Thread(target=self._run, name="bulk-writer", daemon=True)
            self._thread.start()
        self._raise()
        assert self._queue is not None
        self._queue.put(batch)

    def _write(self, cursor, batch) -> None:
        for model, rows, is_update in batch:
            if not rows:
                continue
            if is_update:
                cursor.executemany(self.update_sql[model], rows)
            elif self.pg:
                with cursor.copy(self.insert_sql[model]) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.insert_sql[model], rows)

    def _run(self) -> None:
        assert self._queue is not None and self.conn is not None
        try:
            with self.conn.cursor() as cursor:
                while True:
                    batch = self._queue.get()
                    if batch is None:
                        break
                    if not self._abort:
                        self._write(cursor, batch)
        except BaseException as exc:  # reported by the caller's thread
            self._error = exc
            while self._queue.get() is not None:  # drain so the producer never blocks
                pass

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def close(self, abort: bool = False) -> None:
        """Wait for the writer thread to finish its batches (``abort``: skip the ones still
        queued); re-raise its error."""
        if self._thread is not None:
            assert self._queue is not None
            self._abort = self._abort or abort
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        self._raise()


class Ids:
    """Primary keys assigned here: MAX(id) of each bulk table, read once."""

    def __init__(self) -> None:
        self.next = {
            model: (model.select(fn.MAX(model.id)).scalar() or 0) + 1 for model, _ in BULK_TABLES
        }

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


# --- PostgreSQL: no foreign keys or secondary indexes during the load -----------------------

# The bulk tables' foreign keys and their plain (non-unique) indexes, as pg_catalog defines
# them. Only what can be re-created exactly from these definitions is dropped: no inherited or
# commented constraint, no index that is unique, clustered, in a tablespace of its own,
# commented, backing a constraint or with a column statistics target.
_BULK_RELATIONS = "SELECT to_regclass(name) FROM unnest(%s::text[]) AS name"
_FOREIGN_KEYS = f"""
    SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
    FROM pg_constraint c
    WHERE c.contype = 'f' AND c.conrelid IN ({_BULK_RELATIONS})
      AND c.conislocal AND c.coninhcount = 0
      AND obj_description(c.oid, 'pg_constraint') IS NULL
    ORDER BY c.oid"""
_PLAIN_INDEXES = f"""
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
    WHERE i.indrelid IN ({_BULK_RELATIONS})
      AND NOT i.indisprimary AND NOT i.indisunique AND NOT i.indisexclusion
      AND NOT i.indisclustered AND i.indisvalid AND i.indisready AND i.indislive
      AND x.reltablespace = 0 AND obj_description(i.indexrelid, 'pg_class') IS NULL
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indexrelid
                      AND COALESCE(a.attstattarget, -1) <> -1)
    ORDER BY i.indexrelid"""


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class LoadMode:
    """Drops the bulk tables' foreign keys and plain indexes (inside the caller's transaction)
    and re-creates them from their pg_catalog definitions.

    A foreign key checks each row with a trigger (half of the server's time in the load); added
    afterwards it validates the whole table with one join. An index built once is cheaper than
    one grown row by row. Everything happens in one transaction with the load: a failure, an
    interrupt or a lost connection rolls the drop back with the rows, so the database is never
    left without them.
    """

    def __init__(self, db) -> None:
        assert db.in_transaction(), "the drop must roll back with a failed load"
        self.db = db
        tables = [quote_name(model._meta.table_name) for model, _ in BULK_TABLES]
        self.foreign_keys = db.execute_sql(_FOREIGN_KEYS, (tables,)).fetchall()
        self.indexes = db.execute_sql(_PLAIN_INDEXES, (tables,)).fetchall()
        for table, name, _ in self.foreign_keys:
            self._ddl(f"ALTER TABLE {table} DROP CONSTRAINT {quote_name(name)}")
        for name, _ in self.indexes:
            self._ddl(f"DROP INDEX {name}")

    def restore(self) -> None:
        # More memory for the sorts and the validating joins, for this transaction only (never
        # less than the server's setting): about a tenth off the foreign-key checks.
        for name, size in (("maintenance_work_mem", "256MB"), ("work_mem", "64MB")):
            self.db.execute_sql(
                "SELECT set_config(%s, %s, true) WHERE pg_size_bytes("
                "current_setting(%s)) < pg_size_bytes(%s)",
                (name, size, name, size),
            )
        for _, definition in self.indexes:
            self._ddl(definition)
        for table, name, definition in self.foreign_keys:
            self._ddl(f"ALTER TABLE {table} ADD CONSTRAINT {quote_name(name)} {definition}")

    def _ddl(self, sql: str) -> None:
        with self.db.cursor() as cursor:
            cursor.execute(sql)  # no parameters: a "%" in a definition stays as it is


def set_id_sequences(db) -> None:
    """PostgreSQL: each bulk table's id sequence to its MAX(id) (the load assigned the keys)."""
    for model, _ in BULK_TABLES:
        table = model._meta.table_name
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'MAX("id")) FROM "{table}"'
        )


def analyze(db) -> None:
    """PostgreSQL: fresh statistics for the planner (autovacuum may be off or not there yet)."""
    db.execute_sql(
        "ANALYZE " + ", ".join(quote_name(model._meta.table_name) for model in m.ALL_MODELS)
    )
