"""Provides backups of a SQLite database and restoring one, and the daily automatic backup.

A backup is SQLite's online backup (``sqlite3.Connection.backup``) in one step: it reads the
database inside one read transaction, so the copy is the database as it was at one moment, whole,
while counters go on working (in WAL mode a reader does not stop the writers). It is written as
``NAME.part`` (0600, in a 0700 folder), checked with ``PRAGMA integrity_check`` and renamed, so a
backup file is whole or absent. Default names carry the Bangkok time in ISO form
(``counter-2026-11-24T16-00-00.sqlite``), so they sort by age; rotation keeps the newest N.

A restore goes onto a new or empty database only (a non-empty one is refused: restoring would
throw its records away), after checking the backup file's integrity; the next open applies any
migration newer than the backup.

The PIN pepper (``services.pin_pepper``: a 0600 key file beside a SQLite database, mixed into
every PIN hash) goes with each backup as ``NAME.pin-pepper.key``: a database restored without it
would sign nobody in. A restore puts it beside the new database, and refuses a folder that holds
another key (the restored PINs would not match it).

PostgreSQL is backed up with its own tools (``pg_dump``/``pg_restore``, see the README):
``postgres_backup_command`` and ``postgres_restore_command`` give the commands, which
``counter-tui backup``/``restore`` run when they are on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from counter_tui.core.thai_dates import BANGKOK, local_date
from counter_tui.errors import UserError
from counter_tui.private_files import create_private_file, private_folder

BACKUP_JOB = "backup"
NAME_RE = re.compile(r"counter-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(-\d+)?\.sqlite")
# What makes a database "not empty": records of work or people (a new database holds only its
# office and the bundled catalog, which a restore may replace).
RECORD_TABLES = ("staff", "ticket", "application", "event", "personal_data", "case")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    removed: tuple[Path, ...] = ()


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL; None for any other database."""
    match = re.fullmatch(r"sqlite:///(.+)", url, re.IGNORECASE)
    if match is None:
        return None
    if match.group(1) == ":memory:":
        raise UserError("ฐานข้อมูลในหน่วยความจำ (:memory:) สำรองไม่ได้: ใช้ไฟล์ SQLite")
    return Path(match.group(1)).expanduser()


def is_postgres_url(url: str) -> bool:
    return url.split(":", 1)[0].lower() in ("postgres", "postgresql")


def default_folder(db_path: Path, setting: str | None) -> Path:
    """The ``backup.folder`` setting, else ``backups`` beside the database file."""
    return Path(setting).expanduser() if setting else db_path.parent / "backups"


def backup_name(now: datetime) -> str:
    return f"counter-{now.astimezone(BANGKOK).strftime('%Y-%m-%dT%H-%M-%S')}.sqlite"


def _free_name(folder: Path, now: datetime) -> Path:
    path = folder / backup_name(now)
    n = 1
    while path.exists():  # two backups in one second
        path = folder / f"{backup_name(now)[: -len('.sqlite')]}-{n}.sqlite"
        n += 1
    return path


def _integrity(conn: sqlite3.Connection) -> str:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    return "ok" if rows == ["ok"] else "; ".join(str(r) for r in rows[:3])


def pepper_key_of(backup: Path) -> Path:
    """The PIN pepper's copy that goes with a backup file."""
    return backup.with_name(backup.name + ".pin-pepper.key")


def _copy_pepper(db_path: Path, backup: Path) -> None:
    from counter_tui.private_files import write_private
    from counter_tui.services.pin_pepper import PEPPER_FILE

    key = db_path.parent / PEPPER_FILE
    if key.is_file():
        write_private(pepper_key_of(backup), key.read_bytes())


def _restore_pepper(backup: Path, target: Path) -> None:
    """Put the backup's pepper beside the restored database (checked before anything is
    written: see ``_check_pepper``)."""
    from counter_tui.private_files import write_private
    from counter_tui.services.pin_pepper import PEPPER_FILE

    key = pepper_key_of(backup)
    there = target.parent / PEPPER_FILE
    if key.is_file() and not there.exists():
        write_private(there, key.read_bytes())


def _check_pepper(backup: Path, target: Path) -> None:
    from counter_tui.services.pin_pepper import PEPPER_FILE

    key, there = pepper_key_of(backup), target.parent / PEPPER_FILE
    if key.is_file() and there.is_file() and key.read_bytes() != there.read_bytes():
        raise UserError(
            f"โฟลเดอร์ {target.parent} มีไฟล์กุญแจ PIN ({PEPPER_FILE}) ของฐานข้อมูลอื่นอยู่แล้ว: PIN ที่กู้คืน"
            " จะใช้ไม่ได้ กู้คืนลงโฟลเดอร์ใหม่ด้วย --database sqlite:///โฟลเดอร์ใหม่/counter.db (ไม่ได้แก้ไขอะไร)"
        )


def backup_sqlite(db_path: Path, target: Path) -> BackupResult:
    """Copy the database at ``db_path`` to ``target`` (which must not exist), consistent while
    others write; 0600. Its PIN pepper goes with it (``pepper_key_of``)."""
    if not db_path.is_file():
        raise UserError(f"ไม่พบไฟล์ฐานข้อมูล {db_path}: ตรวจ --database แล้วลองอีกครั้ง")
    if target.exists():
        raise UserError(f"มีไฟล์ {target} อยู่แล้ว: ตั้งชื่อไฟล์สำรองใหม่ หรือไม่ระบุชื่อเพื่อใช้ชื่อตามวันเวลา")
    private_folder(target.parent)
    part = target.with_name(target.name + ".part")
    for leftover in (part, Path(f"{part}-journal"), Path(f"{part}-wal"), Path(f"{part}-shm")):
        leftover.unlink(missing_ok=True)
    create_private_file(part)
    try:
        source = sqlite3.connect(str(db_path), timeout=15)
        try:
            copy = sqlite3.connect(str(part))
            try:
                # One step (pages=-1): one read transaction, hence one moment of the database.
                source.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                problem = _integrity(copy)
            finally:
                copy.close()
        finally:
            source.close()
        if problem != "ok":
            raise UserError(f"สำเนาที่ได้ไม่สมบูรณ์ ({problem}): ตรวจพื้นที่ดิสก์แล้วสำรองใหม่")
        os.chmod(part, 0o600)
        _copy_pepper(db_path, target)
        os.replace(part, target)
    except sqlite3.Error as exc:
        raise UserError(
            f"สำรองข้อมูลไม่สำเร็จ: {exc}. ตรวจว่าอ่านไฟล์ฐานข้อมูลได้และดิสก์ปลายทางมีที่ว่าง แล้วลองอีกครั้ง"
        ) from None
    finally:
        part.unlink(missing_ok=True)
    return BackupResult(target, target.stat().st_size)


def rotate(folder: Path, keep: int) -> tuple[Path, ...]:
    """Delete the oldest backups (by the time in their names) beyond the newest ``keep``."""
    backups = sorted(p for p in folder.iterdir() if NAME_RE.fullmatch(p.name))
    old = backups[:-keep] if keep > 0 else backups
    for path in old:
        path.unlink(missing_ok=True)
        pepper_key_of(path).unlink(missing_ok=True)
    return tuple(old)


def _settings(office_id: int, now: datetime) -> tuple[str | None, int]:
    from counter_tui.services.settings import get_setting

    today = local_date(now)
    folder = get_setting(office_id, "backup.folder", today) or None
    keep = int(get_setting(office_id, "backup.keep", today) or "14")
    return folder, keep


def backup_now(
    url: str,
    office_id: int,
    now: datetime,
    target: str | Path | None = None,
    rotate_after: bool = False,
) -> BackupResult:
    """``counter-tui backup [FILE]``: SQLite only (see ``postgres_backup_command``)."""
    db_path = sqlite_path(url)
    if db_path is None:
        raise UserError("ฐานข้อมูลนี้เป็น PostgreSQL: สำรองด้วย pg_dump (ดูหัวข้อ Backups ใน README)")
    folder_setting, keep = _settings(office_id, now)
    if target is None:
        folder = default_folder(db_path, folder_setting)
        private_folder(folder)
        result = backup_sqlite(db_path, _free_name(folder, now))
        if rotate_after:
            return BackupResult(result.path, result.size, rotate(folder, keep))
        return result
    return backup_sqlite(db_path, Path(target).expanduser())


def daily_backup(url: str, office_id: int, now: datetime) -> BackupResult | None:
    """The automatic backup: at the app's first start of a day (whichever counter starts first
    claims the day), rotated to ``backup.keep``; None when not due or not SQLite."""
    from counter_tui.services import daily

    if sqlite_path(url) is None:
        return None
    today = local_date(now)
    previous = daily.last_day(office_id, BACKUP_JOB)
    if previous is not None and previous >= today:
        return None
    if not daily.claim_day(office_id, BACKUP_JOB, today, now):
        return None  # another counter took today's
    try:
        return backup_now(url, office_id, now, rotate_after=True)
    except BaseException:
        daily.release_day(office_id, BACKUP_JOB, previous)  # the next start tries again
        raise


def check_backup_file(path: Path) -> None:
    """A readable SQLite file that passes ``PRAGMA integrity_check`` and holds counter-tui
    tables; else a ``UserError`` saying what is wrong."""
    if not path.is_file():
        raise UserError(f"ไม่พบไฟล์สำรอง {path}: ตรวจชื่อไฟล์แล้วลองอีกครั้ง")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            problem = _integrity(conn)
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"ไฟล์ {path} ไม่ใช่ไฟล์สำรองของโปรแกรมนี้ ({exc}): เลือกไฟล์สำรองอื่น") from None
    if problem != "ok":
        raise UserError(f"ไฟล์สำรอง {path} เสียหาย ({problem}): ใช้ไฟล์สำรองชุดอื่น")
    if not {"schema_migration", "office", "ticket"} <= tables:
        raise UserError(f"ไฟล์ {path} ไม่ใช่ฐานข้อมูลของ counter-tui: เลือกไฟล์สำรองอื่น")


def _records_in(path: Path) -> int:
    """Rows of work or people in the SQLite database at ``path`` (0 for a new one)."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=15)
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            return sum(
                conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
                for t in RECORD_TABLES
                if t in tables
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise UserError(
            f"ไฟล์ปลายทาง {path} ไม่ใช่ฐานข้อมูลที่ว่าง: ระบุไฟล์ใหม่ด้วย --database sqlite:///PATH"
        ) from None


def restore_sqlite(backup: Path, url: str) -> Path:
    """Copy ``backup`` onto the new or empty SQLite database of ``url``; returns its path."""
    target = sqlite_path(url)
    if target is None:
        raise UserError("ฐานข้อมูลนี้เป็น PostgreSQL: กู้คืนด้วย pg_restore (ดูหัวข้อ Backups ใน README)")
    check_backup_file(backup)
    if target.exists() and backup.resolve() == target.resolve():
        raise UserError("ไฟล์สำรองกับฐานข้อมูลปลายทางเป็นไฟล์เดียวกัน: ระบุฐานข้อมูลใหม่ด้วย --database")
    records = _records_in(target)
    if records:
        raise UserError(
            f"ฐานข้อมูลปลายทาง {target} มีข้อมูลอยู่แล้ว ({records:,} รายการ): กู้คืนได้เฉพาะลงฐานข้อมูลใหม่"
            " หรือที่ว่าง ระบุไฟล์ใหม่ด้วย --database sqlite:///PATH แล้วลองอีกครั้ง (ไม่ได้แก้ไขอะไร)"
        )
    _check_pepper(backup, target)
    create_private_file(target)
    try:
        source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(str(target), timeout=15)
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode=WAL")
                problem = _integrity(dest)
            finally:
                dest.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise UserError(f"กู้คืนไม่สำเร็จ: {exc}. ตรวจพื้นที่ดิสก์และสิทธิ์ของโฟลเดอร์ปลายทาง") from None
    if problem != "ok":
        raise UserError(f"ฐานข้อมูลที่กู้คืนไม่สมบูรณ์ ({problem}): ลบไฟล์ {target} แล้วลองอีกครั้ง")
    for path in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        if path.exists():
            os.chmod(path, 0o600)
    _restore_pepper(backup, target)
    return target


# --- PostgreSQL: its own tools -----------------------------------------------------------------


def postgres_backup_command(url: str, target: Path) -> list[str]:
    return ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", f"--dbname={url}"]


def postgres_restore_command(url: str, backup: Path) -> list[str]:
    return ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={url}", str(backup)]


def have_tool(name: str) -> bool:
    return shutil.which(name) is not None
