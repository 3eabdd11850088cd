"""Provides ``natural_key``: names with numbers in the order people count ("ช่อง 2" before
"ช่อง 10"), the same on SQLite and PostgreSQL whatever the server's collation."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[tuple[int, int, str], ...]:
    parts = _DIGITS.split(name)
    return tuple((0, int(p), "") if i % 2 else (1, 0, p) for i, p in enumerate(parts) if p)
