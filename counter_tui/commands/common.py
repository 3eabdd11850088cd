"""Provides what every subcommand shares: the settings read from the global options (with the
warning about a readable SQLite file), the office in the opened database, and today's date."""

from __future__ import annotations

import argparse
import sys

from counter_tui.core.text import safe_text  # stored text never reaches a terminal raw

PROG = "counter-tui"


def load_cli_settings(args: argparse.Namespace):
    from counter_tui.config import load_settings

    settings = load_settings(args.config, args.database)
    warn_if_exposed(settings.resolved_database_url())
    return settings


warned_urls: set[str] = set()


def warn_if_exposed(url: str) -> None:
    """One Thai line on standard error when the SQLite database can be read by others."""
    import re

    from counter_tui.private_files import exposed_warning

    match = re.fullmatch(r"sqlite:///(.+)", url, re.IGNORECASE)
    if match is None or match.group(1) == ":memory:" or url in warned_urls:
        return
    warned_urls.add(url)
    warning = exposed_warning(match.group(1))
    if warning:
        print(f"{PROG}: {safe_text(warning)}", file=sys.stderr)


def open_office(args: argparse.Namespace):
    """Settings, and the office after the database is opened, migrated and bootstrapped."""
    from counter_tui.core.clock import utc_now
    from counter_tui.services.office import connect

    settings = load_cli_settings(args)
    _, office = connect(settings.resolved_database_url(), utc_now(), args.office or settings.office)
    return settings, office


AS_HINT = (
    "ระบุผู้ใช้ที่ลงชื่อเข้าใช้ด้วย --as ชื่อ ก่อนชื่อคำสั่ง เช่น counter-tui --as 'สมชาย ใจดี' "
    "staff list (ระบบจะถาม PIN; สคริปต์ใช้ --pin-stdin แล้วส่ง PIN ทางอินพุตมาตรฐาน)"
)


def read_pin(from_stdin: bool, prompt: str = "PIN: ", confirm: bool = False) -> str:
    """A PIN: one line of standard input with ``from_stdin`` (scripts), else asked on the
    terminal without echo (twice with ``confirm``, for a new PIN)."""
    if from_stdin:
        return sys.stdin.readline().strip()
    import getpass

    from counter_tui.errors import UserError

    if not sys.stdin.isatty():
        raise UserError(
            "ไม่มีหน้าจอให้พิมพ์ PIN: ใช้ --pin-stdin แล้วส่ง PIN ทางอินพุตมาตรฐาน "
            "(no terminal to ask for the PIN: use --pin-stdin and pipe it in)"
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("PIN again: ") != first:
        raise UserError(
            "PIN ที่พิมพ์สองครั้งไม่ตรงกัน ยังไม่ได้บันทึกอะไร สั่งคำสั่งอีกครั้ง "
            "(the two PINs differ; nothing was saved)"
        )
    return first


def signed_in(args: argparse.Namespace, office, required: bool = True):
    """The staff member named by the global ``--as``, signed in with their PIN (asked, or the
    first line of standard input with the global ``--pin-stdin``) through
    ``services.staff.sign_in``: a wrong PIN is counted and locks the account as in the app.
    Without ``--as``: PermissionDenied naming the flag, or None when not ``required``."""
    from counter_tui.core.clock import utc_now
    from counter_tui.services.permissions import PermissionDenied
    from counter_tui.services.staff import sign_in

    name = getattr(args, "as_name", None)
    if not name:
        if not required:
            return None
        raise PermissionDenied("คำสั่งนี้เปลี่ยนข้อมูลหรืออ่านข้อมูลส่วนบุคคล ต้องลงชื่อเข้าใช้ก่อน: " + AS_HINT)
    pin = read_pin(getattr(args, "pin_stdin_as", False), f"PIN ของ {safe_text(name)}: ")
    return sign_in(office.id, name, pin, utc_now())


def local_today():
    from counter_tui.core.clock import utc_now
    from counter_tui.core.thai_dates import local_date

    return local_date(utc_now())
