"""Provides the PIN pepper: a secret mixed into every PIN hash and kept outside the app's tables.

A 4-digit PIN has 10,000 values: whoever holds a copy of the database can try them all against
a scrypt hash in under a minute. With a 32-byte random pepper mixed in (services/staff.py), the
hash alone tells nothing; the pepper must be stolen too.

SQLite: ``pin-pepper.key`` (32 random bytes, 0600) in the database's folder, made on first use.
It sits beside the database file, not inside it, so a copy of ``counter.db`` alone is not
enough; a backup must keep the two together (a database restored into the same folder keeps
working).

PostgreSQL: every PC must use the same pepper, and a per-PC file would have to be copied to each
by hand (one PC with a missing or stale copy locks its officers out). It is kept on the server
instead, as the database-level setting ``counter_tui.pepper`` (``ALTER DATABASE ... SET``), made
on first use under the migration lock. It is in no table: ``pg_dump`` of the database or of
the app's tables leaves it out (only ``pg_dump --create`` or ``pg_dumpall`` carry it), so a dump
alone does not give up PINs. Making it needs the database's owner; otherwise the message says
which statement the database administrator runs.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from peewee import Database
from peewee import DatabaseError as PeeweeDatabaseError

from counter_tui.db.database import is_postgres, migration_lock
from counter_tui.errors import UserError

PEPPER_BYTES = 32
PEPPER_FILE = "pin-pepper.key"
PG_SETTING = "counter_tui.pepper"


def pepper_id(pepper: bytes) -> str:
    """A short fingerprint stored with each hash, so a hash made with another pepper is told
    apart from a wrong PIN (it says nothing usable about the pepper itself)."""
    return hashlib.sha256(b"counter-tui pepper id" + pepper).hexdigest()[:8]


def current_pepper(db: Database) -> bytes:
    """The pepper of ``db``, made on first use."""
    if is_postgres(db):
        return _pg_pepper(db)
    return _file_pepper(pepper_path(db))


# --- SQLite: a file beside the database -------------------------------------------------------


def pepper_path(db: Database) -> Path:
    path = getattr(db, "database", ":memory:")
    if path == ":memory:":
        from counter_tui.paths import data_dir

        return data_dir() / PEPPER_FILE
    return Path(path).expanduser().parent / PEPPER_FILE


def _file_pepper(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = _create_file(path)
    except OSError as exc:
        raise UserError(
            f"อ่านไฟล์กุญแจ PIN {path} ไม่ได้ ({exc.strerror}) ตรวจสิทธิ์ของไฟล์ "
            f"(cannot read the PIN pepper file {path})"
        ) from None
    if len(data) != PEPPER_BYTES:
        raise UserError(
            f"ไฟล์กุญแจ PIN {path} เสียหาย (ต้องยาว {PEPPER_BYTES} ไบต์) นำไฟล์เดิมจาก"
            "สำเนาสำรองกลับมา หรือลบไฟล์นี้แล้วตั้ง PIN ใหม่ทุกคนด้วย "
            "counter-tui staff reset-pin (the PIN pepper file is damaged)"
        )
    return data


def _create_file(path: Path) -> bytes:
    """32 random bytes in a new 0600 file; if another counter made one first, that one wins."""
    from counter_tui.private_files import private_folder, write_private

    private_folder(path.parent)
    temp = path.with_name(f"{path.name}.{os.getpid()}.new")
    write_private(temp, os.urandom(PEPPER_BYTES))
    try:
        os.link(temp, path)  # atomic, and refuses to replace an existing file
    except FileExistsError:
        pass
    finally:
        temp.unlink(missing_ok=True)
    return path.read_bytes()


# --- PostgreSQL: a database-level setting ---------------------------------------------------


def _pg_read(db: Database) -> str | None:
    cursor = db.execute_sql(
        "SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase "
        "WHERE d.datname = current_database() AND s.setrole = 0"
    )
    row: tuple[list[str] | None] | None = cursor.fetchone()  # the role's settings, "name=value"
    for item in row[0] if row and row[0] else ():
        name, _, value = item.partition("=")
        if name == PG_SETTING:
            return value
    return None


def _pg_pepper(db: Database) -> bytes:
    value = _pg_read(db)
    if value is None:
        with migration_lock(db):
            value = _pg_read(db)
            if value is None:
                value = os.urandom(PEPPER_BYTES).hex()  # hex digits: safe as a literal
                name: str = db.execute_sql("SELECT current_database()").fetchone()[0]
                quoted = '"' + name.replace('"', '""') + '"'
                try:
                    with db.atomic():
                        db.execute_sql(f"ALTER DATABASE {quoted} SET {PG_SETTING} = '{value}'")
                except PeeweeDatabaseError as exc:  # not the database's owner
                    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                    raise UserError(
                        "ผู้ใช้ฐานข้อมูลนี้สร้างกุญแจ PIN (pepper) ไม่ได้ ให้ผู้ดูแลฐานข้อมูลรันครั้งเดียว: "
                        f"ALTER DATABASE <ชื่อฐานข้อมูล> SET {PG_SETTING} = '<ค่าจาก openssl "
                        f"rand -hex 32>' ({first})"
                    ) from None
    try:
        pepper = bytes.fromhex(value)
    except ValueError:
        pepper = b""
    if len(pepper) != PEPPER_BYTES:
        raise UserError(
            f"ค่า {PG_SETTING} ของฐานข้อมูลไม่ใช่เลขฐานสิบหก 64 หลัก ให้ผู้ดูแลฐานข้อมูล"
            f"แก้ด้วย ALTER DATABASE ... SET {PG_SETTING} = '<openssl rand -hex 32>' "
            f"(the database's {PG_SETTING} is not 64 hex digits)"
        )
    return pepper
