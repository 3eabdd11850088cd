"""Test databases: a fresh PostgreSQL schema per use (the ``pg_schema_url`` fixture, and a second
one where a test needs two databases)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

PG_ENV = "COUNTER_TUI_TEST_PG_URL"


def _pg_admin():
    import psycopg

    return psycopg.connect(os.environ[PG_ENV], autocommit=True)


@contextmanager
def pg_schema() -> Iterator[str]:
    """A URL whose search_path is a fresh schema in the database named by COUNTER_TUI_TEST_PG_URL,
    dropped on leaving."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    base = os.environ[PG_ENV]
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with _pg_admin() as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def digest() -> str:
    """A stable digest of every table's rows, in id order (the models' database)."""
    import hashlib

    from counter_tui.db import models as m

    result = hashlib.sha256()
    for model in m.ALL_MODELS:
        result.update(model._meta.table_name.encode())
        for row in model.select().order_by(model.id).tuples():
            result.update(repr(row).encode())
    return result.hexdigest()


def model_row_counts() -> dict[str, int]:
    """Rows in each model's table (the models' database)."""
    from counter_tui.db import models as m

    return {model._meta.table_name: model.select().count() for model in m.ALL_MODELS}


def pg_definition() -> dict[str, list[tuple]]:
    """Constraints, indexes and triggers of the current PostgreSQL schema (the models'
    database), as pg_catalog defines them (internal foreign-key triggers by their constraint:
    their names carry OIDs)."""
    from counter_tui.db import models as m

    db = m.database_proxy.obj
    queries = {
        "constraints": """
            SELECT conrelid::regclass::text, conname, contype::text,
                   pg_get_constraintdef(oid), convalidated, condeferrable, condeferred
            FROM pg_constraint WHERE connamespace = current_schema()::regnamespace""",
        "indexes": """
            SELECT tablename, indexname, indexdef FROM pg_indexes
            WHERE schemaname = current_schema()""",
        "index_state": """
            SELECT i.indexrelid::regclass::text, i.indisvalid, i.indisready, i.indislive,
                   i.indisclustered, c.reltablespace::int
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE c.relnamespace = current_schema()::regnamespace""",
        "triggers": """
            SELECT t.tgrelid::regclass::text, COALESCE(k.conname, t.tgname), t.tgtype::int,
                   t.tgfoid::regproc::text, t.tgenabled::text,
                   CASE WHEN t.tgisinternal THEN '' ELSE pg_get_triggerdef(t.oid) END
            FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
            LEFT JOIN pg_constraint k ON k.oid = t.tgconstraint
            WHERE r.relnamespace = current_schema()::regnamespace""",
    }
    return {name: sorted(db.execute_sql(sql).fetchall()) for name, sql in queries.items()}
