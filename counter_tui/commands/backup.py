"""Provides ``counter-tui backup`` and ``counter-tui restore`` (SQLite's online backup;
pg_dump and pg_restore for PostgreSQL)."""

from __future__ import annotations

import argparse

from counter_tui.commands.common import load_cli_settings, open_office, signed_in


def add_backup_commands(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="copy the database to FILE while counters work (SQLite's online backup; "
        "PostgreSQL: pg_dump)",
    )
    backup.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="the backup file (default: counter-DATE-TIME.sqlite in the backup "
        "folder, the backup.folder setting or backups/ beside the database)",
    )
    backup.set_defaults(handler=_backup)
    restore = subparsers.add_parser(
        "restore", help="restore a backup FILE onto a new or empty database (--database)"
    )
    restore.add_argument("file", metavar="FILE", help="a file made by counter-tui backup")
    restore.set_defaults(handler=_restore)


def _backup(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services import backup as bk
    from counter_tui.services.permissions import authorize

    settings, office = open_office(args)
    # the whole database, visitors' personal data included: an admin's
    authorize(signed_in(args, office).id, "backup", office_id=office.id)
    url = settings.resolved_database_url()
    if bk.is_postgres_url(url):
        return _pg_tool(
            bk.postgres_backup_command, url, _pg_backup_target(args, office.id), "pg_dump"
        )
    result = bk.backup_now(url, office.id, utc_now(), args.file)
    print(f"สำรองข้อมูลแล้ว: {result.path} ({result.size / 1_048_576:.1f} MB)")
    return 0


def _pg_backup_target(args: argparse.Namespace, office_id: int):
    from pathlib import Path

    from counter_tui.core.clock import utc_now
    from counter_tui.paths import data_dir
    from counter_tui.private_files import create_private_file
    from counter_tui.services import backup as bk

    if args.file:
        target = Path(args.file).expanduser()
    else:
        folder, _ = bk._settings(office_id, utc_now())
        target = (Path(folder).expanduser() if folder else data_dir() / "backups") / bk.backup_name(
            utc_now()
        ).replace(".sqlite", ".dump")
    if target.exists():
        from counter_tui.errors import UserError

        raise UserError(f"มีไฟล์ {target} อยู่แล้ว: ตั้งชื่อไฟล์สำรองใหม่")
    return create_private_file(target)


def _pg_tool(command, url: str, path, tool: str) -> int:
    import os
    import subprocess

    from counter_tui.errors import UserError
    from counter_tui.services import backup as bk

    if not bk.have_tool(tool):
        raise UserError(
            f"ไม่พบคำสั่ง {tool}: ติดตั้ง postgresql-client (apt install postgresql-client) "
            "แล้วลองอีกครั้ง หรือทำตามหัวข้อ Backups ใน README"
        )
    done = subprocess.run(command(url, path), capture_output=True, text=True)
    if done.returncode != 0:
        if tool == "pg_dump":
            path.unlink(missing_ok=True)
        first = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[0]
        raise UserError(f"{tool} ไม่สำเร็จ: {first}")
    if tool == "pg_dump":
        os.chmod(path, 0o600)
        print(f"สำรองข้อมูลแล้ว (pg_dump): {path}")
    else:
        print(f"กู้คืนแล้ว (pg_restore) จาก {path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from counter_tui.core.clock import utc_now
    from counter_tui.services import backup as bk

    settings = load_cli_settings(args)
    url = settings.resolved_database_url()
    backup = Path(args.file).expanduser()
    if bk.is_postgres_url(url):
        _pg_restore_target_empty(url)
        if not backup.is_file():
            from counter_tui.errors import UserError

            raise UserError(f"ไม่พบไฟล์สำรอง {backup}: ตรวจชื่อไฟล์แล้วลองอีกครั้ง")
        return _pg_tool(bk.postgres_restore_command, url, backup, "pg_restore")
    target = bk.restore_sqlite(backup, url)
    from counter_tui.services.office import connect

    database, _ = connect(url, utc_now(), args.office or settings.office)  # newer migrations
    database.close()
    print(f"กู้คืนแล้ว: {target} จาก {backup}")
    return 0


def _pg_restore_target_empty(url: str) -> None:
    from counter_tui.db.database import describe_url, open_database
    from counter_tui.errors import UserError

    database = open_database(url)
    try:
        tables = database.get_tables()
    finally:
        database.close()
    if tables:
        raise UserError(
            f"ฐานข้อมูลปลายทาง {describe_url(url)} มีตารางอยู่แล้ว ({len(tables)} ตาราง): "
            "pg_restore ลงฐานข้อมูลใหม่ที่ว่างเท่านั้น สร้างด้วย createdb แล้วระบุด้วย --database"
        )
