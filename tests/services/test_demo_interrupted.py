"""``demo`` cut short by SIGKILL leaves a database that works, and a rerun finishes the job;
its sizes are bounded with a clear Thai message before any database is made."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from conftest import FIXED_NOW, REPO
from support.databases import digest, model_row_counts, pg_definition

from counter_tui.core.fiscal import fiscal_year_of
from counter_tui.core.thai_dates import BANGKOK
from counter_tui.db import models as m
from counter_tui.services import queue as q
from counter_tui.services.demo import UNFINISHED_KEY, generate_demo
from counter_tui.services.office import connect

RUN = {"days": 120, "seed": 4, "visits_per_day": 40}
SCRIPT = """
import sys
from datetime import datetime
from counter_tui.services.office import connect
from counter_tui.services.demo import generate_demo
connect(sys.argv[1], datetime.fromisoformat(sys.argv[2]))
generate_demo({days}, {seed}, datetime.fromisoformat(sys.argv[2]),
              visits_per_day={visits_per_day},
              progress=lambda message: print(message, file=sys.stderr, flush=True))
print("FINISHED", flush=True)
""".format(**RUN)


def _start_demo(url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, url, FIXED_NOW.isoformat()],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill(process: subprocess.Popen) -> None:
    assert process.poll() is None, "the demo finished before it could be cut short"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert "FINISHED" not in process.stdout.read()


def _bind(url: str):
    database, office = connect(url, FIXED_NOW)
    return database, office


def _unbind(database) -> None:
    database.close()
    m.database_proxy.initialize(None)


def test_sqlite_killed_midway_issues_fresh_numbers_and_a_rerun_completes(tmp_path):
    path = tmp_path / "cut.db"
    url = f"sqlite:///{path}"
    _unbind(_bind(url)[0])  # migrated, with its office and catalog, as `demo` finds it
    process = _start_demo(url)
    try:
        reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        deadline = time.monotonic() + 120
        while reader.execute("SELECT COUNT(*) FROM ticket").fetchone()[0] == 0:
            assert time.monotonic() < deadline and process.poll() is None, (
                process.stderr.read() if process.poll() is not None else "no rows in 120 s"
            )
            time.sleep(0.01)
        reader.close()
        _kill(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    database, office = _bind(url)
    try:
        assert m.Setting.select().where(m.Setting.key == UNFINISHED_KEY).exists()
        last_day = (
            m.Ticket.select(m.Ticket.service_date).order_by(m.Ticket.service_date.desc()).scalar()
        )
        assert last_day < FIXED_NOW.astimezone(BANGKOK).date()  # cut short, not finished
        # The app's issue use-case on the last day the run reached: the next number of that
        # fiscal year, not one the demo gave already.
        year = fiscal_year_of(last_day)
        given = [
            int(n.split("/")[0])
            for (n,) in m.Application.select(m.Application.number)
            .where(m.Application.number.endswith(f"/{year}"))
            .tuples()
        ]
        assert given
        at = FIXED_NOW.replace(
            year=last_day.year, month=last_day.month, day=last_day.day
        ) + timedelta(hours=5)
        ticket = q.issue_ticket(office.id, "LAND_BUILDING_TAX", at)
        assert ticket.application_number == f"{max(given) + 1}/{year}"
        assert (
            m.Application.select().where(m.Application.number == ticket.application_number).count()
            == 1
        )
        # A rerun removes the unfinished run's rows (and what came after it) and completes:
        # the same rows as a run that was never cut short.
        report = generate_demo(now=FIXED_NOW, **RUN)
        assert report.tickets == m.Ticket.select().count()
        assert not m.Setting.select().where(m.Setting.key == UNFINISHED_KEY).exists()
        rerun = digest()
        with pytest.raises(Exception, match="append-only"):  # the triggers are back
            with database.atomic():
                m.Event.delete().where(m.Event.id == 1).execute()
    finally:
        _unbind(database)
    database, _ = _bind(f"sqlite:///{tmp_path / 'whole.db'}")
    try:
        generate_demo(now=FIXED_NOW, **RUN)
        assert digest() == rerun
    finally:
        _unbind(database)


@pytest.mark.postgres
def test_postgres_killed_midway_leaves_nothing(pg_schema_url):
    """One transaction: a client killed during the load leaves the schema and the rows as they
    were (the dropped foreign keys and indexes come back with the rollback)."""
    url = f"{pg_schema_url}&application_name={quote('demo-kill-test')}"
    database, _ = _bind(url)
    schema, counts = pg_definition(), model_row_counts()
    _unbind(database)
    process = _start_demo(url)
    try:
        months = 0
        deadline = time.monotonic() + 120
        while months < 3:  # three months handed to the writer thread: one at least COPYed
            line = process.stderr.readline()
            assert line and time.monotonic() < deadline, "the demo did not get going"
            months += line.startswith("office main: 20")
        _kill(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    database, office = _bind(url)
    try:
        deadline = time.monotonic() + 60
        while database.execute_sql(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE "
            "application_name = 'demo-kill-test' AND pid <> "
            "pg_backend_pid()"
        ).fetchone()[0]:
            assert time.monotonic() < deadline, "the killed client's session is still there"
            time.sleep(0.1)
        assert pg_definition() == schema
        assert model_row_counts() == counts
        # A rerun completes, and the app issues the next number after it.
        report = generate_demo(3, 2, FIXED_NOW, visits_per_day=20)
        assert report.tickets == m.Ticket.select().count() > 0 and pg_definition() == schema
        ticket = q.issue_ticket(office.id, "LAND_BUILDING_TAX", FIXED_NOW)
        year = fiscal_year_of(FIXED_NOW.date())
        assert ticket.application_number == f"{report.applications + 1}/{year}"
    finally:
        _unbind(database)


@pytest.mark.parametrize(
    "args, option, limit",
    [
        (["--days", "99999999999"], "--days", "3,660"),
        (["--days", "0"], "--days", "3,660"),
        (["--offices", "100000000"], "--offices", "200"),
        (["--visits-per-day", "5000"], "--visits-per-day", "2,000"),
    ],
)
def test_sizes_are_bounded_before_a_database_is_made(cli, tmp_path, args, option, limit):
    path = tmp_path / "never.db"
    result = cli("--database", f"sqlite:///{path}", "demo", *args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "out of range" not in result.stderr
    assert f"ต้องอยู่ระหว่าง 1 ถึง {limit}" in result.stderr and option in result.stderr
    assert not path.exists()


def test_help_states_the_limits(cli):
    result = cli("demo", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for limit in ("1-3660", "1-200", "1-2000"):
        assert limit in text
