"""Test databases: a fresh PostgreSQL schema per use (the ``pg_schema_url`` fixture, and a second
one where a test needs two databases)."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator
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
