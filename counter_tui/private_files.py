"""Provides the one way the app writes files that hold personal data, readable by the owner only.

The database and its -wal/-shm files, official letters, service slips, deficiency records, visit
exports and backups hold names, national ID numbers, addresses and phones: they are written
0600 in folders made 0700. Public documents (posters, web pages, QR desk cards, published
statistics) are written the ordinary way and keep the user's normal mode.

SQLite gives the -wal and -shm files the mode of the database file, so creating the database file
0600 (``create_private_file``) before SQLite opens it is enough for all three.

Stdlib only; nothing touches the filesystem at import time.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(folder: str | Path) -> Path:
    """Create ``folder`` (and missing parents) 0700. A folder that exists already keeps its
    mode, except the app's own data folder and the folders inside it, which are made 0700."""
    folder = Path(folder).expanduser()
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for part in reversed(missing):
        try:
            part.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # made meanwhile by another counter
            pass
        os.chmod(part, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    if not missing and _inside_data_dir(folder):
        _tighten(folder, FOLDER_MODE)
    return folder


def _inside_data_dir(folder: Path) -> bool:
    from counter_tui.paths import data_dir

    try:
        mine = data_dir().resolve()
        here = folder.resolve()
    except OSError:
        return False
    return here == mine or mine in here.parents


def _tighten(path: Path, mode: int) -> None:
    try:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            os.chmod(path, mode)
    except OSError:  # not ours to change: left as it is
        pass


def create_private_file(path: str | Path) -> Path:
    """Make sure ``path`` exists as a 0600 file without changing what it holds (an empty file
    is a valid new SQLite database). An existing file keeps its mode: see ``exposed_warning``."""
    target = Path(path).expanduser()
    private_folder(target.parent)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return target
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return target


@contextmanager
def open_private(path: str | Path, mode: str = "w", **kwargs) -> Iterator[IO]:
    """``open(path, mode)`` for writing a private file: created 0600 (an existing file is
    truncated and made 0600 too). Its folder must exist: make it with ``private_folder``."""
    if not any(c in mode for c in "wax"):
        raise ValueError("open_private is for writing: use mode 'w', 'wb', 'a', 'x'...")
    target = Path(path).expanduser()
    flags = os.O_WRONLY | os.O_CREAT
    flags |= os.O_APPEND if "a" in mode else os.O_EXCL if "x" in mode else os.O_TRUNC
    fd = os.open(target, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        stream = os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise
    with stream:
        yield stream


def write_private(path: str | Path, data: bytes | bytearray | str) -> Path:
    """Write ``data`` to ``path`` as a private (0600) file; returns the path."""
    target = Path(path).expanduser()
    if isinstance(data, str):
        with open_private(target, "w", encoding="utf-8") as stream:
            stream.write(data)
    else:
        with open_private(target, "wb") as stream:
            stream.write(bytes(data))
    return target


def exposed_warning(database_path: str | Path) -> str | None:
    """One Thai line when an existing database file can be read or written by others than its
    owner, saying the ``chmod`` to run; None when it is private or absent."""
    path = Path(database_path).expanduser()
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    if not mode & 0o077:
        return None
    import shlex

    files = " ".join(
        shlex.quote(str(p))
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
        if p == path or p.exists()
    )
    command = f"chmod 600 {files}"
    try:
        if stat.S_IMODE(path.parent.stat().st_mode) & 0o077:
            command += f" && chmod 700 {shlex.quote(str(path.parent))}"
    except OSError:
        pass
    return (
        f"คำเตือน: ไฟล์ฐานข้อมูล {path} (สิทธิ์ {mode:04o}) มีข้อมูลส่วนบุคคลแต่ผู้ใช้อื่นในเครื่องนี้"
        f"อ่านได้ ให้รันคำสั่ง: {command}"
    )
