"""Provides ``open_database(url)``, the migration runner under a lock, and ``describe_url``.

SQLite (the embedded default) runs in WAL mode with ``synchronous=FULL`` (a power cut loses no
committed visit), foreign keys on and a busy timeout. PostgreSQL is reached by URL through
psycopg 3 (the ``postgres`` extra). Nothing touches the filesystem at import time.
"""

from __future__ import annotations

import os
import re
import threading
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

from peewee import (Database, OperationalError, PostgresqlDatabase, ProgrammingError,
                    SqliteDatabase)

from counter_tui.errors import UserError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_PRAGMAS = (
    ("journal_mode", "wal"),
    ("synchronous", 2),  # FULL: every commit is on disk before the screen says it happened
    ("foreign_keys", 1),
    ("busy_timeout", 15000),
)
# One key for every process migrating one PostgreSQL database.
_PG_LOCK_KEY = zlib.crc32(b"counter_tui.migrate") % 2**31  # int4 for the two-key lock form


class DatabaseError(UserError):
    """The database URL is malformed, or the database cannot be reached."""


def describe_url(url: str) -> str:
    """The URL with any password replaced by ``***`` (for messages and ``locate``)."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def is_postgres(db: Database) -> bool:
    return isinstance(db, PostgresqlDatabase)


def open_database(url: str) -> Database:
    """Open (and check) the database at ``url``: ``sqlite:///PATH`` or ``postgresql://...``."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        db = _open_sqlite(url)
    elif scheme in ("postgres", "postgresql"):
        db = _open_postgres(url)
    else:
        raise DatabaseError(
            f"unsupported database URL {describe_url(url)!r}: use sqlite:///PATH/counter.db or "
            "postgresql://USER@HOST:5432/NAME.")
    try:
        db.connect(reuse_if_open=True)
    except OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseError(
            f"cannot open the database {describe_url(url)}: {first}. Check that the server is "
            "running and that --database / COUNTER_TUI_DATABASE_URL is right.") from None
    return db


def _open_sqlite(url: str) -> SqliteDatabase:
    match = re.match(r"sqlite:///(.*)$", url, re.IGNORECASE)
    if not match or not match.group(1):
        raise DatabaseError(f"malformed SQLite URL {url!r}: use sqlite:///relative/path.db or "
                            "sqlite:////absolute/path.db.")
    path = match.group(1)
    if path != ":memory:":
        folder = Path(path).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create the data folder {folder}: {exc.strerror}.") from None
        path = str(Path(path).expanduser())
    return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=15)


def _open_postgres(url: str) -> PostgresqlDatabase:
    from playhouse.db_url import connect

    from counter_tui._lazy_drivers import enable_psycopg

    try:
        enable_psycopg()
    except ImportError:
        raise DatabaseError(
            "PostgreSQL needs the psycopg driver: install counter-tui with the 'postgres' extra "
            "(pip install 'counter-tui[postgres]').") from None
    try:
        db = connect(url)
    except Exception as exc:  # malformed URL: db_url raises several kinds
        raise DatabaseError(f"malformed PostgreSQL URL {describe_url(url)!r}: {exc}.") from None
    assert isinstance(db, PostgresqlDatabase)
    return db


@contextmanager
def migration_lock(db: Database) -> Iterator[None]:
    """Hold a lock that makes concurrent starts on a fresh database migrate it once.

    SQLite: an IMMEDIATE transaction (one writer at a time; the others wait on the busy
    timeout). PostgreSQL: a session advisory lock (DDL is transactional there too).
    """
    if is_postgres(db):
        db.execute_sql("SELECT pg_advisory_lock(%s)", (_PG_LOCK_KEY,))
        try:
            yield
        finally:
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (_PG_LOCK_KEY,))
    else:
        with db.atomic("IMMEDIATE"):
            yield


def pending_migrations(db: Database) -> list[str]:
    from playhouse.migrations import Runner

    runner = Runner(db, str(MIGRATIONS_DIR))
    return [m.name for m in runner.status() if m.path is not None and not m.applied]


def _all_applied(db: Database) -> bool:
    """True when every migration file is recorded in peewee's history table: one small query,
    without importing the migration machinery (every start of the app asks this)."""
    names = {p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py")}
    try:
        with db.atomic():  # on PostgreSQL a missing table must not abort an outer transaction
            applied = {name for (name,) in db.execute_sql("SELECT name FROM schema_migration")}
    except (OperationalError, ProgrammingError):  # a fresh database: no history table yet
        return False
    return names <= applied


def migrate(db: Database) -> list[str]:
    """Apply pending migrations (peewee's runner) under the lock; returns what was applied."""
    if _all_applied(db) or not pending_migrations(db):  # the common case: no lock taken
        return []
    from playhouse.migrations import Runner

    with migration_lock(db):
        return Runner(db, str(MIGRATIONS_DIR)).up()


_writer = threading.local()


@contextmanager
def _sqlite_writer_lock(db: Database) -> Iterator[None]:
    """One writer at a time across the processes sharing a SQLite file, queued by the OS.

    SQLite's own busy handler sleeps between retries, so under steady contention (eight
    counters) a waiter can lose every race until its timeout and the user sees "database is
    locked" (measured: the 2,000-ticket stress test failed without this). An exclusive
    ``flock`` on ``<db>.lock`` blocks in the kernel instead and is granted on release. It is
    re-entrant per thread (use-cases nest), costs microseconds, and is skipped where there is
    no ``fcntl`` (the busy timeout still applies there).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    path = getattr(db, "database", ":memory:")
    if path == ":memory:" or getattr(_writer, "depth", 0):
        _writer.depth = getattr(_writer, "depth", 0) + 1
        try:
            yield
        finally:
            _writer.depth -= 1
        return
    fds = getattr(_writer, "fds", None)
    if fds is None:
        fds = _writer.fds = {}
    fd = fds.get(path)
    if fd is None:
        fd = fds[path] = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    _writer.depth = 1
    try:
        yield
    finally:
        _writer.depth = 0
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def write_transaction(db: Database) -> Iterator[None]:
    """A transaction that reads then writes: IMMEDIATE on SQLite (a deferred one fails with
    SQLITE_BUSY under WAL when another counter wrote meanwhile), behind the writer lock; on
    PostgreSQL a plain one, the caller locking the rows it read with FOR UPDATE where that
    matters."""
    if is_postgres(db):
        with db.atomic():
            yield
    else:
        with _sqlite_writer_lock(db), db.atomic("IMMEDIATE"):
            yield


@contextmanager
def claim_transaction(db: Database, office_id: int) -> Iterator[None]:
    """A transaction for read-then-write use-cases (call next, issue a number).

    SQLite: IMMEDIATE, so the write lock is taken before the read (a deferred transaction that
    reads then writes fails with SQLITE_BUSY under WAL whatever the busy timeout). PostgreSQL:
    a per-office transaction advisory lock, because the priority policy looks at several rows
    (a row lock on the chosen ticket alone would not keep the overtaking count right).
    """
    if is_postgres(db):
        with db.atomic():
            db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (_PG_LOCK_KEY, office_id))
            yield
    else:
        with _sqlite_writer_lock(db), db.atomic("IMMEDIATE"):
            yield
