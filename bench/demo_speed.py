#!/usr/bin/env python
"""How fast ``counter-tui demo`` fills a SQLite database, against the same rows written by hand.

    python bench/demo_speed.py [--days 25] [--visits-per-day 250] [--repeat 3]

Each round generates the demo (seed 1, the bench's fixed clock) into a fresh file, then writes
the very rows it made into a copy of that file emptied of them, with plain ``sqlite3``: the same
pragmas (WAL, synchronous=FULL, foreign_keys), one ``executemany`` per table, one transaction.
That is the floor any generator pays for the writes on this machine, measured in the same run;
the ratio is what simulating the visits costs on top. Rounds alternate; medians are printed.
See bench/README.md. A script, not a test: nothing here fails the build.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counter_tui.db import models as m  # noqa: E402
from counter_tui.db.bulk_load import BULK_TABLES  # noqa: E402
from counter_tui.services.demo import generate_demo  # noqa: E402
from counter_tui.services.office import connect  # noqa: E402

# The clock of bench/run.py: Tuesday 24 Nov 2026, 16:00 Bangkok.
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SEED = 1
# The floor tests/services/test_demo.py asserted before speed left the tests (issue 12 item 9).
MIN_VISITS_PER_MINUTE = 50_000


def generate(path: Path, days: int, vpd: int) -> tuple[float, int, int]:
    """Seconds, visits and events of one demo run into a new database at ``path``."""
    database, _ = connect(f"sqlite:///{path}", NOW)
    try:
        started = time.perf_counter()
        report = generate_demo(days, SEED, NOW, visits_per_day=vpd)
        seconds = time.perf_counter() - started
    finally:
        database.close()
        m.database_proxy.initialize(None)
    return seconds, report.tickets, report.events


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=5000"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def raw_write(made: Path, empty: Path) -> float:
    """Seconds to write the demo's bulk rows from ``made`` into ``empty`` (a copy of ``made``
    without them) with sqlite3: the baseline."""
    tables = [(model._meta.table_name, cols) for model, cols in BULK_TABLES]
    source = sqlite3.connect(made)
    rows = {}
    for table, cols in tables:
        names = ", ".join(f'"{c}"' for c in cols)
        rows[table] = source.execute(f'SELECT {names} FROM "{table}" ORDER BY id').fetchall()
    source.close()
    shutil.copyfile(made, empty)
    conn = _open(empty)
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL"
    ).fetchall()
    conn.execute("BEGIN")
    for name, _ in triggers:  # the append-only triggers refuse the delete
        conn.execute(f'DROP TRIGGER "{name}"')
    for table, _ in reversed(tables):
        conn.execute(f'DELETE FROM "{table}"')
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("VACUUM")
    started = time.perf_counter()
    conn.execute("BEGIN")
    for table, cols in tables:
        names = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" for _ in cols)
        conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows[table])
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=25, help="working days (25)")
    parser.add_argument("--visits-per-day", type=int, default=250, help="visits a day (250)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (3)")
    args = parser.parse_args()
    demo, raw = [], []
    visits = events = 0
    with tempfile.TemporaryDirectory(prefix="demo-speed-") as tmp:
        for round_ in range(args.repeat):
            made = Path(tmp) / f"demo{round_}.sqlite"
            seconds, visits, events = generate(made, args.days, args.visits_per_day)
            demo.append(seconds)
            raw.append(raw_write(made, Path(tmp) / f"raw{round_}.sqlite"))
            print(
                f"[round {round_ + 1}] demo {seconds:.2f} s, the same rows by hand {raw[-1]:.2f} s",
                file=sys.stderr,
                flush=True,
            )
    value, baseline = statistics.median(demo), statistics.median(raw)
    per_minute = visits * 60 / value
    rows = [
        ("measure", "value", "baseline", "ratio", "budget", "ok"),
        (
            f"demo generation, SQLite ({args.days} d x {args.visits_per_day}/day: {visits:,} "
            f"visits, {events:,} events)",
            f"{value:.3f} s",
            f"{baseline:.3f} s",
            f"{value / baseline:.2f}x",
            "- (baseline: its rows by hand)",
            "-",
        ),
        (
            "demo visits per minute",
            f"{per_minute:,.0f}",
            "-",
            "-",
            f">= {MIN_VISITS_PER_MINUTE:,}",
            "yes" if per_minute >= MIN_VISITS_PER_MINUTE else "NO",
        ),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    print(f"\nmedian of {args.repeat} rounds, seed {SEED}\n")
    print(line(rows[0]))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows[1:]:
        print(line(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
