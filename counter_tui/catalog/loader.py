"""Provides reading citizen-manual files from disk: files, folders and the bundled sample.

The I/O half of the manual format: ``validate_paths`` finds the ``*.toml`` files of the paths
it is given (a folder stands for its files, sorted by name), reads them and checks them with
``counter_tui.core.manual_validator``; ``bundled_manuals_dir`` is the folder of sample manuals
shipped in this package. It lives here, beside the manuals it ships, rather than in ``core``
(pure rules, no I/O) or ``services/catalog.py`` (which needs the database): checking manuals
needs neither the database nor peewee.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from counter_tui.core.manual_validator import CatalogCheck, Problem

__all__ = ["bundled_manuals_dir", "validate_paths"]


def bundled_manuals_dir() -> Traversable:
    """The folder of the bundled sample manuals shipped inside the package."""
    return resources.files("counter_tui.catalog") / "manuals"


def _as_entry(item: str | os.PathLike[str] | Traversable) -> Path | Traversable:
    if isinstance(item, (str, os.PathLike)):
        return Path(item)
    return item


def _expand(
    items: Iterable[str | os.PathLike[str] | Traversable], problems: list[Problem]
) -> list[tuple[str, Path | Traversable]]:
    files: list[tuple[str, Path | Traversable]] = []
    seen: set[str] = set()

    def add(entry: Path | Traversable) -> None:
        name = str(entry)
        try:
            ident = str(Path(name).resolve()) if isinstance(entry, Path) else name
        except (OSError, RuntimeError, ValueError):
            ident = name
        if ident not in seen:
            seen.add(ident)
            files.append((name, entry))

    for item in items:
        entry = _as_entry(item)
        name = str(entry)
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except (OSError, ValueError) as exc:
            problems.append(Problem(name, 0, "error", f"cannot read this path: {exc}"))
            continue
        if is_dir:
            try:
                children = sorted(
                    (c for c in entry.iterdir() if c.name.endswith(".toml") and c.is_file()),
                    key=lambda c: c.name,
                )
            except OSError as exc:
                problems.append(
                    Problem(name, 0, "error", f"cannot list this folder: {exc.strerror or exc}")
                )
                continue
            if not children:
                problems.append(
                    Problem(
                        name,
                        0,
                        "error",
                        "this folder holds no manual files (*.toml); give the folder of the "
                        "manuals or the files themselves",
                    )
                )
            for child in children:
                add(child)
        elif is_file:
            add(entry)
        else:
            problems.append(
                Problem(
                    name,
                    0,
                    "error",
                    "no such file or folder; check the path (give manual files *.toml or a "
                    "folder of them)",
                )
            )
    return files


def validate_paths(paths: Iterable[str | os.PathLike[str] | Traversable]) -> CatalogCheck:
    """Check manual files; a folder stands for its *.toml files (sorted by name).

    Unreadable or missing paths are error problems at line 0, never exceptions. A service
    code used by two files is an error at the second file's code line.
    """
    check = CatalogCheck()
    files = _expand(paths, check.problems)
    for name, entry in files:
        try:
            data = entry.read_bytes()
        except OSError as exc:
            check.problems.append(
                Problem(name, 0, "error", f"cannot read this file: {exc.strerror or exc}")
            )
            continue
        check.add_file(name, data)
    return check
