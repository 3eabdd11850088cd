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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

from peewee import (
    Database,
    Model,
    ModelSelect,
    OperationalError,
    PostgresqlDatabase,
    ProgrammingError,
    SqliteDatabase,
)
from peewee import DatabaseError as PeeweeDatabaseError

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
    db: Database
    if scheme == "sqlite":
        db = _open_sqlite(url)
    elif scheme in ("postgres", "postgresql"):
        db = _open_postgres(url)
    else:
        raise DatabaseError(
            f"unsupported database URL {describe_url(url)!r}: use sqlite:///PATH/counter.db or "
            "postgresql://USER@HOST:5432/NAME."
        )
    try:
        db.connect(reuse_if_open=True)
    except PeeweeDatabaseError as exc:  # OperationalError, and SQLite's "not a database"
        explained = explain_database_error(exc, db) if not is_postgres(db) else None
        if explained is not None:
            raise DatabaseError(explained) from None
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseError(
            f"cannot open the database {describe_url(url)}: {first}. Check that the server is "
            "running and that --database / COUNTER_TUI_DATABASE_URL is right."
        ) from None
    return db


def _open_sqlite(url: str) -> SqliteDatabase:
    match = re.match(r"sqlite:///(.*)$", url, re.IGNORECASE)
    if not match or not match.group(1):
        raise DatabaseError(
            f"malformed SQLite URL {url!r}: use sqlite:///relative/path.db or "
            "sqlite:////absolute/path.db."
        )
    path = match.group(1)
    if path != ":memory:":
        from counter_tui.private_files import create_private_file

        # Names, national IDs, addresses: the folder is made 0700 and a new database file 0600
        # before SQLite opens it (its -wal and -shm files then get the same mode).
        try:
            create_private_file(path)
        except OSError as exc:
            folder = Path(path).expanduser().parent
            raise DatabaseError(
                f"cannot create the data folder {folder}: {exc.strerror}."
            ) from None
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
            "(pip install 'counter-tui[postgres]')."
        ) from None
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
    timeout), behind the writer lock like every write transaction, so that the two are always
    taken in the same order (the first office's catalog is imported inside). PostgreSQL: a
    session advisory lock (DDL is transactional there too).
    """
    if is_postgres(db):
        db.execute_sql("SELECT pg_advisory_lock(%s)", (_PG_LOCK_KEY,))
        try:
            yield
        finally:
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (_PG_LOCK_KEY,))
    else:
        with _sqlite_writer_lock(db), db.atomic("IMMEDIATE"):
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


def bound_database() -> Database:
    """The database the models are bound to (``models.database_proxy``): the one the services
    read and write."""
    from counter_tui.db.models import database_proxy

    return database_proxy.obj


@contextmanager
def write_transaction(db: Database | None = None) -> Iterator[None]:
    """A transaction that reads then writes: IMMEDIATE on SQLite (a deferred one fails with
    SQLITE_BUSY under WAL when another counter wrote meanwhile), behind the writer lock; on
    PostgreSQL a plain one, the caller locking the rows it read with FOR UPDATE where that
    matters. ``db``: the database the models are bound to unless given."""
    if db is None:
        db = bound_database()
    if is_postgres(db):
        with db.atomic():
            yield
    else:
        with _sqlite_writer_lock(db), db.atomic("IMMEDIATE"):
            yield


_M = TypeVar("_M", bound=Model)


def for_update(query: ModelSelect[_M], of: type[Model] | None = None) -> ModelSelect[_M]:
    """``query`` locking the rows it reads (``SELECT ... FOR NO KEY UPDATE [OF of]``) on
    PostgreSQL.

    A use-case that reads a row and writes by what it read locks that row first, inside its
    transaction: a second terminal doing the same waits, then reads the row as the first one
    left it (READ COMMITTED re-reads a locked row that changed). SQLite needs nothing: its write
    transactions are IMMEDIATE behind the writer lock, so nobody writes between read and write.
    A rule "at most one" needs a unique index instead: no lock holds a row that does not exist.
    NO KEY UPDATE (the lock an UPDATE of non-key columns takes) serialises these use-cases as
    FOR UPDATE would, but lets other transactions insert rows that refer to the locked one (an
    event naming the counter or the office) without waiting.
    """
    db = query.model._meta.database
    db = cast(Database, getattr(db, "obj", db))  # the models' DatabaseProxy
    if not is_postgres(db):
        return query
    # peewee takes the lock clause as text; its stubs know only True
    return query.for_update("FOR NO KEY UPDATE", of=of)  # type: ignore[arg-type]


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


# --- database failures told in Thai (issue 11 item 12) ---------------------------------------

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _messages(exc: BaseException) -> list[str]:
    """The texts of ``exc`` and of the errors it was raised while handling, lower-cased: a
    full disk is raised while SQLite has already rolled back, so peewee's own ROLLBACK fails
    with "cannot rollback - no transaction is active" and hides the cause in ``__context__``."""
    texts, seen = [], set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts.append(str(current).lower())
        current = current.__cause__ or current.__context__
    return texts


def _sqlite_path(db: Database | None) -> str | None:
    if isinstance(db, SqliteDatabase) and db.database != ":memory:":
        return str(db.database)
    return None


def explain_database_error(exc: BaseException, db: Database | None = None) -> str | None:
    """A Thai message saying what is wrong with the database and what to do, for the failures
    a person can act on (a full disk, a read-only, corrupt or non-database file, a file that
    cannot be opened, a lock held too long); None for anything else. ``db``: the database
    that failed (default: the one the models are bound to)."""
    if db is None:
        from counter_tui.db.models import database_proxy

        db = database_proxy.obj
    texts = _messages(exc)

    def said(*fragments: str) -> bool:
        return any(f in text for text in texts for f in fragments)

    path = _sqlite_path(db)
    where = f"ไฟล์ฐานข้อมูล {path} " if path else "ฐานข้อมูลบนเซิร์ฟเวอร์"
    if said(
        "database or disk is full", "no space left on device", "could not extend file", "disk full"
    ):
        return (
            f"ที่เก็บข้อมูลเต็ม: บันทึกลง{where}ไม่ได้ (database or disk is full) — รายการนี้"
            "ยังไม่ได้บันทึก ส่วนข้อมูลที่บันทึกไว้ก่อนหน้าไม่สูญหาย ให้ลบหรือย้ายไฟล์ที่ไม่ใช้"
            "ออกจากดิสก์นั้น (หรือแจ้งผู้ดูแลเซิร์ฟเวอร์) แล้วทำอีกครั้ง"
        )
    if said("readonly database", "read-only transaction", "read-only file system"):
        return (
            f"{where}อ่านได้อย่างเดียว เขียนไม่ได้ (attempt to write a readonly database) — "
            "รายการนี้ยังไม่ได้บันทึก ให้ผู้ดูแลระบบให้สิทธิ์ผู้ใช้นี้เขียนไฟล์และโฟลเดอร์ของไฟล์ "
            "(เช่น chmod 600 ไฟล์ และ chmod 700 โฟลเดอร์) หรือตรวจว่าดิสก์ไม่ได้ต่อแบบอ่านอย่างเดียว "
            "แล้วทำอีกครั้ง"
        )
    damaged = said("database disk image is malformed", "malformed database schema")
    if said("file is not a database") and path and not damaged:
        try:
            with open(path, "rb") as stream:
                damaged = stream.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
        except OSError:
            pass
        if not damaged:
            return (
                f"ไฟล์ {path} ไม่ใช่ฐานข้อมูล SQLite (file is not a database) — ไม่ได้แก้ไขไฟล์นี้ "
                "ตรวจว่า --database หรือ COUNTER_TUI_DATABASE_URL (หรือค่าในไฟล์ตั้งค่า) ชี้ไปที่"
                "ไฟล์ฐานข้อมูลของ counter-tui แล้วทำอีกครั้ง"
            )
    if damaged or said("file is not a database"):
        return (
            f"{where}เสียหาย (database disk image is malformed) — หยุดใช้ไฟล์นี้และอย่าลบหรือ"
            "เขียนทับ: คัดลอกเก็บไว้ แล้วกู้คืนจากไฟล์สำรองล่าสุด หรือแจ้งผู้ดูแลระบบ"
        )
    if said("unable to open database file"):
        return (
            f"เปิด{where}ไม่ได้ (unable to open database file) — ตรวจว่าโฟลเดอร์ของไฟล์มีอยู่ "
            "และผู้ใช้นี้อ่านเขียนไฟล์และโฟลเดอร์นั้นได้ แล้วทำอีกครั้ง"
        )
    if said("database is locked"):
        return (
            "ฐานข้อมูลถูกอีกช่องบริการใช้อยู่นานเกินไป (database is locked) — รายการนี้ยังไม่ได้"
            "บันทึก รอสักครู่แล้วทำอีกครั้ง หากเป็นซ้ำให้ปิดโปรแกรมที่ค้างอยู่บนเครื่องอื่น"
        )
    from peewee import InterfaceError

    if is_postgres(db) and isinstance(exc, (OperationalError, InterfaceError)):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (
            f"ติดต่อเซิร์ฟเวอร์ฐานข้อมูลไม่ได้ ({first}) — รายการนี้ยังไม่ได้บันทึก ส่วนข้อมูลที่"
            "บันทึกไว้ก่อนหน้าไม่สูญหาย ตรวจว่าเซิร์ฟเวอร์ฐานข้อมูลทำงานอยู่และเครือข่ายใช้ได้ "
            "แล้วทำอีกครั้ง"
        )
    return None
