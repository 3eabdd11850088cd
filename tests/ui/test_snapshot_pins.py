"""The snapshot tests run against the exact releases they were recorded with: every pin of
tests/constraints.txt (Textual, Rich, the snapshot plugin) is the installed release."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

CONSTRAINTS = Path(__file__).resolve().parent.parent / "constraints.txt"


def pins() -> dict[str, str]:
    found = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)", line)
            assert match, f"{CONSTRAINTS.name}: not an exact pin: {line!r}"
            found[match.group(1)] = match.group(2)
    return found


def test_textual_and_rich_are_pinned_exactly():
    assert {"textual", "rich"} <= set(pins())


def test_the_installed_releases_are_the_pinned_ones():
    installed = {name: version(name) for name in pins()}
    assert installed == pins(), (
        "the snapshot tests were recorded with the releases in tests/constraints.txt; install "
        "them (./dev test does), or move the pins as that file says"
    )
