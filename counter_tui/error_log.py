"""Provides ``report_unexpected``: an error that is not the user's, told in Thai and logged.

A ``UserError`` says what is wrong and what to do. Anything else (a bug, a failing disk) must not
reach a screen or a terminal as raw text or a traceback: the person at the counter gets one Thai
sentence (what happened, that what was saved is safe, where the details are) and the traceback
goes to ``errors.log`` in the data folder, readable by the owner only (it may quote personal
data). Stdlib only; nothing touches the filesystem at import time.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

LOG_NAME = "errors.log"


def log_path() -> Path:
    from counter_tui.paths import data_dir

    return data_dir() / LOG_NAME


def _append(path: Path, text: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the umask may have widened nothing, but an old file may be 0644
        os.write(fd, text.encode("utf-8", "replace"))
    finally:
        os.close(fd)


def report_unexpected(error: BaseException, where: str = "app") -> str:
    """Log ``error``'s traceback to the data folder; return the Thai message to show."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    path = log_path()
    try:
        _append(path, f"--- {stamp} {where} pid {os.getpid()}\n{details}\n")
        where_logged = f"รายละเอียดบันทึกไว้ที่ {path}"
    except OSError:
        where_logged = f"บันทึกรายละเอียดลง {path} ไม่ได้"
    return (
        f"เกิดข้อผิดพลาดที่ไม่คาดคิด ({type(error).__name__}) — ข้อมูลที่บันทึกไว้ไม่สูญหาย: "
        "แต่ละรายการบันทึกครบทั้งรายการหรือไม่บันทึกเลย ตรวจดูว่ารายการล่าสุดบันทึกแล้วหรือยัง"
        f"ก่อนทำอีกครั้ง หากเกิดซ้ำให้แจ้งผู้ดูแลระบบ ({where_logged})"
    )


def message_for(error: BaseException, where: str = "app") -> str:
    """What to show for ``error``: a ``UserError``'s own words; a database failure a person can
    act on (full disk, read-only, corrupt, not a database, server gone) in Thai; anything else
    the sentence of ``report_unexpected``, its traceback logged."""
    from counter_tui.errors import UserError

    if isinstance(error, UserError):
        return str(error)
    if "peewee" in sys.modules:  # no database error can exist before peewee is loaded
        from peewee import DatabaseError, InterfaceError

        if isinstance(error, (DatabaseError, InterfaceError)):
            from counter_tui.db.database import explain_database_error

            explained = explain_database_error(error)
            if explained is not None:
                return explained
    return report_unexpected(error, where)
