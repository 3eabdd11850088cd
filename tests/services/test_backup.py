"""Backups (issue 11 item 10): SQLite's online backup taken while counters work restores to a
database that passes its integrity check and gives the same ``report stats`` as the source at
the backup's moment; the daily automatic backup runs once a day and keeps N; restore refuses a
non-empty database and a damaged file; backup files are 0600. PostgreSQL goes through
pg_dump/pg_restore (the CLI wraps them), tested end to end on a database of its own."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import stat
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from conftest import FIXED_NOW, PG_ENV, REPO
from support.actors import admin_id, as_admin

from counter_tui.db import models as m
from counter_tui.db.database import open_database
from counter_tui.errors import UserError
from counter_tui.services import backup as bk
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import staff as st
from counter_tui.services import visit as v
from counter_tui.services.day_start import start_of_day
from counter_tui.services.reports import stats_report
from counter_tui.services.settings import set_setting

WORKER = REPO / "tests" / "services" / "queue_worker.py"


@pytest.fixture
def sqlite_office(tmp_path):
    from counter_tui.services.office import connect

    url = f"sqlite:///{tmp_path / 'data' / 'counter.db'}"
    database, office = connect(url, FIXED_NOW)
    yield url, office
    database.close()
    m.database_proxy.initialize(None)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def stats_of(url: str, now: datetime) -> dict:
    """``report stats`` (this fiscal year) of the database at ``url``, the models bound back
    to the database they were bound to."""
    before = m.database_proxy.obj
    database = open_database(url)
    m.database_proxy.initialize(database)
    try:
        office = m.Office.select().order_by(m.Office.id).first()
        return stats_report(office.id, "year", None, None, now, actor_id=admin_id(office.id))
    finally:
        database.close()
        m.database_proxy.initialize(before)


def some_visits(office_id: int, n: int, when: datetime) -> None:
    staff = st.add_staff(
        office_id,
        f"เจ้าหน้าที่ {uuid.uuid4().hex[:4]}",
        "officer",
        "1234",
        when,
        actor_id=admin_id(office_id),
    )
    counter = ct.add_counter(
        office_id,
        f"ช่อง {uuid.uuid4().hex[:4]}",
        "กองคลัง",
        ["SIGNBOARD_TAX"],
        when,
        actor_id=admin_id(office_id),
    )
    ct.open_counter(office_id, counter.id, staff.id, when)
    for i in range(n):
        q.issue_ticket(office_id, "SIGNBOARD_TAX", when + timedelta(seconds=i))
    for i in range(n // 2):
        t = when + timedelta(minutes=5, seconds=i * 30)
        q.call_next(office_id, counter.id, staff.id, t)
        q.start_serving(office_id, counter.id, staff.id, t + timedelta(seconds=5))
        v.finish_application(
            office_id, counter.id, staff.id, "completed", t + timedelta(seconds=20)
        )


# --- a backup while counters work --------------------------------------------------------------


def _start_workers(url: str, office_id: int, tmp_path: Path, tickets: int):
    officers = [
        st.add_staff(
            office_id, f"เจ้าหน้าที่ {i}", "officer", "1234", FIXED_NOW, actor_id=admin_id(office_id)
        )
        for i in range(3)
    ]
    counters = [
        ct.add_counter(
            office_id,
            f"ช่อง {i + 1}",
            "กองคลัง",
            ["SIGNBOARD_TAX", "LAND_BUILDING_TAX"],
            FIXED_NOW,
            actor_id=admin_id(office_id),
        )
        for i in range(2)
    ]
    for counter, officer in zip(counters, officers):
        ct.open_counter(office_id, counter.id, officer.id, datetime.now(UTC))
    go, until = tmp_path / "go", tmp_path / "kiosks-done"
    procs = []
    for k in range(2):
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    str(WORKER),
                    "issue",
                    url,
                    str(office_id),
                    str(officers[-1].id),
                    "--pattern",
                    "N" * (tickets // 2),
                    "--seed",
                    str(k),
                    "--max-sleep-ms",
                    "8",
                    "--ready",
                    str(tmp_path / f"k{k}"),
                    "--go",
                    str(go),
                ],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for counter, officer in zip(counters, officers):
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    str(WORKER),
                    "serve",
                    url,
                    str(office_id),
                    str(counter.id),
                    str(officer.id),
                    "--until",
                    str(until),
                    "--serve-ms",
                    "5",
                    "--ready",
                    str(tmp_path / f"c{counter.id}"),
                    "--go",
                    str(go),
                ],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    ready = [tmp_path / f"k{k}" for k in range(2)] + [tmp_path / f"c{c.id}" for c in counters]
    deadline = time.monotonic() + 120
    while not all(p.exists() for p in ready):
        assert time.monotonic() < deadline, "workers did not start"
        time.sleep(0.01)
    go.write_text("go")
    return procs, until


def _finish(procs, until: Path) -> None:
    try:
        for proc in procs[:2]:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0 and not err.strip(), err
        until.write_text("done")
        for proc in procs[2:]:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0 and not err.strip(), err
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()


def _wait_for_tickets(n: int) -> None:
    deadline = time.monotonic() + 120
    while m.Ticket.select().where(m.Ticket.status == "done").count() < n:
        assert time.monotonic() < deadline, "the workers made no progress"
        time.sleep(0.02)


@pytest.mark.slow
def test_a_backup_during_a_stress_run_restores_to_the_source_at_its_moment(sqlite_office, tmp_path):
    """Two kiosks and two counters work in their own processes. Backup A is taken while they
    write: it must be whole (integrity check) and transaction-consistent (every ticket's status
    matches its events: no use-case half in it). Backup B is taken holding the app's writer lock
    (every writer queues on it), so "the backup's moment" is a moment at which the source's
    statistics are read too: the restored B gives exactly those statistics."""
    url, office = sqlite_office
    db_path = bk.sqlite_path(url)
    procs, until = _start_workers(url, office.id, tmp_path, 240)
    try:
        _wait_for_tickets(20)
        a = bk.backup_sqlite(db_path, tmp_path / "out" / "a.sqlite").path
        _wait_for_tickets(40)
        now = datetime.now(UTC)
        fd = os.open(f"{db_path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # no writer commits while held
            source_then = stats_report(
                office.id, "year", None, None, now, actor_id=admin_id(office.id)
            )
            b = bk.backup_sqlite(db_path, tmp_path / "out" / "b.sqlite").path
            tickets_then = m.Ticket.select().count()
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
    finally:
        _finish(procs, until)
    assert m.Ticket.select().count() == 240 > tickets_then  # the run went on after B
    assert mode(a) == mode(b) == 0o600
    for name, backup in (("a", a), ("b", b)):
        restored_url = f"sqlite:///{tmp_path / 'restored' / name / 'counter.db'}"
        target = bk.restore_sqlite(backup, restored_url)
        assert mode(target) == 0o600
        conn = sqlite3.connect(target)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            issued = conn.execute("SELECT COUNT(*) FROM event WHERE kind = 'issued'").fetchone()
            assert issued == conn.execute("SELECT COUNT(*) FROM ticket").fetchone()
            # each use-case is one transaction: a ticket's status and its events agree
            for status, kinds in conn.execute(
                "SELECT t.status, group_concat(e.kind) FROM ticket t JOIN event e "
                "ON e.ticket_id = t.id GROUP BY t.id"
            ):
                kinds = set(kinds.split(","))
                expected = {
                    "waiting": set(),
                    "called": {"called"},
                    "serving": {"called", "started"},
                    "done": {"called", "started", "finished"},
                }[status]
                assert kinds - {"issued", "closed"} == expected, (status, kinds)
        finally:
            conn.close()
        if name == "b":
            assert stats_of(restored_url, now) == source_then
            assert stats_of(restored_url, now) != stats_report(
                office.id, "year", None, None, now, actor_id=admin_id(office.id)
            )


# --- the daily backup, rotation, restore's refusals --------------------------------------------


def test_the_daily_backup_runs_once_a_day_and_keeps_n(sqlite_office, tmp_path):
    url, office = sqlite_office
    folder = tmp_path / "backups"
    set_setting(
        office.id,
        "backup.folder",
        str(folder),
        FIXED_NOW,
        FIXED_NOW.date(),
        actor_id=admin_id(office.id),
    )
    set_setting(
        office.id, "backup.keep", "3", FIXED_NOW, FIXED_NOW.date(), actor_id=admin_id(office.id)
    )
    made = []
    for day in range(5):
        morning = FIXED_NOW + timedelta(days=day)
        first = start_of_day(url, office.id, morning)
        assert first is not None and first.path.parent == folder
        made.append(first.path)
        # the other counters starting that day: nothing more
        assert start_of_day(url, office.id, morning + timedelta(minutes=1)) is None
        assert start_of_day(url, office.id, morning + timedelta(hours=5)) is None
    kept = sorted(p.name for p in folder.iterdir() if p.suffix == ".sqlite")  # + pepper keys
    assert kept == sorted(p.name for p in made[-3:])
    assert mode(folder) == 0o700
    assert all(mode(p) == 0o600 for p in folder.iterdir())
    assert m.DailyJob.get(m.DailyJob.job == bk.BACKUP_JOB).runs == 5


def test_a_failed_daily_backup_is_tried_again_at_the_next_start(sqlite_office, tmp_path):
    url, office = sqlite_office
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    set_setting(
        office.id,
        "backup.folder",
        str(blocker),
        FIXED_NOW,
        FIXED_NOW.date(),
        actor_id=admin_id(office.id),
    )
    with pytest.raises((UserError, OSError)):
        start_of_day(url, office.id, FIXED_NOW)
    set_setting(
        office.id,
        "backup.folder",
        str(tmp_path / "ok"),
        FIXED_NOW,
        FIXED_NOW.date(),
        actor_id=admin_id(office.id),
    )
    assert start_of_day(url, office.id, FIXED_NOW + timedelta(minutes=5)) is not None


def test_default_backup_name_and_folder(sqlite_office):
    url, office = sqlite_office
    result = bk.backup_now(url, office.id, FIXED_NOW)
    assert result.path.parent == bk.sqlite_path(url).parent / "backups"
    assert result.path.name == "counter-2026-11-24T10-00-00.sqlite"  # Bangkok time
    again = bk.backup_now(url, office.id, FIXED_NOW)  # same second: a new name, not overwritten
    assert again.path.name == "counter-2026-11-24T10-00-00-1.sqlite"
    with pytest.raises(UserError, match="มีไฟล์"):
        bk.backup_now(url, office.id, FIXED_NOW, result.path)


def test_restore_refuses_a_database_with_records_and_a_damaged_file(sqlite_office, tmp_path):
    url, office = sqlite_office
    some_visits(office.id, 4, FIXED_NOW)
    backup = bk.backup_now(url, office.id, FIXED_NOW).path
    before = bk.sqlite_path(url).read_bytes()
    with pytest.raises(UserError, match="มีข้อมูลอยู่แล้ว"):
        bk.restore_sqlite(backup, url)
    assert bk.sqlite_path(url).read_bytes() == before
    damaged = tmp_path / "damaged.sqlite"
    data = bytearray(backup.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    damaged.write_bytes(bytes(data))
    new_url = f"sqlite:///{tmp_path / 'new' / 'counter.db'}"
    with pytest.raises(UserError, match="เสียหาย|ไม่ใช่"):
        bk.restore_sqlite(damaged, new_url)
    not_ours = tmp_path / "other.sqlite"
    sqlite3.connect(not_ours).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(UserError, match="ไม่ใช่ฐานข้อมูลของ counter-tui"):
        bk.restore_sqlite(not_ours, new_url)
    assert not (tmp_path / "new" / "counter.db").exists()
    # a new database (what a first start makes: the office and the catalog) may be replaced
    target = bk.restore_sqlite(backup, new_url)
    assert stats_of(new_url, FIXED_NOW + timedelta(hours=1)) == stats_report(
        office.id, "year", None, None, FIXED_NOW + timedelta(hours=1), actor_id=admin_id(office.id)
    )
    assert mode(target) == 0o600


def test_cli_backup_and_restore(cli, sqlite_office, tmp_path):
    url, office = sqlite_office
    some_visits(office.id, 4, FIXED_NOW)
    out = tmp_path / "b" / "manual.sqlite"
    done = as_admin("--database", url, "backup", str(out))
    assert done.returncode == 0, done.stderr
    assert "สำรองข้อมูลแล้ว" in done.stdout and mode(out) == 0o600
    again = as_admin("--database", url, "backup", str(out))
    assert again.returncode != 0 and "มีไฟล์" in again.stderr and "Traceback" not in again.stderr
    refused = cli("--database", url, "restore", str(out))
    assert refused.returncode != 0 and "มีข้อมูลอยู่แล้ว" in refused.stderr
    assert "Traceback" not in refused.stderr
    new_url = f"sqlite:///{tmp_path / 'fresh' / 'counter.db'}"
    restored = cli("--database", new_url, "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    missing = cli(
        "--database", f"sqlite:///{tmp_path / 'x.db'}", "restore", str(tmp_path / "nothing.sqlite")
    )
    assert missing.returncode != 0 and "ไม่พบไฟล์สำรอง" in missing.stderr
    now = (FIXED_NOW + timedelta(hours=1)).isoformat()
    assert stats_of(new_url, datetime.fromisoformat(now)) == stats_report(
        office.id, "year", None, None, datetime.fromisoformat(now), actor_id=admin_id(office.id)
    )


# --- PostgreSQL: pg_dump / pg_restore through the CLI ------------------------------------------


@pytest.fixture
def pg_databases():
    """Two fresh databases on the test server (pg_dump works on a whole database)."""
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} is not set")
    import psycopg

    base = os.environ[PG_ENV]
    names = [f"bk_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    with psycopg.connect(base, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(base)
    yield [urlunsplit(parts._replace(path=f"/{name}")) for name in names]
    with psycopg.connect(base, autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_postgresql_backup_and_restore_through_pg_dump(cli, pg_databases, tmp_path):
    source, target = pg_databases
    from counter_tui.services.office import connect

    database, office = connect(source, FIXED_NOW)
    try:
        some_visits(office.id, 4, FIXED_NOW)
        expected = stats_report(
            office.id,
            "year",
            None,
            None,
            FIXED_NOW + timedelta(hours=1),
            actor_id=admin_id(office.id),
        )
    finally:
        database.close()
        m.database_proxy.initialize(None)
    dump = tmp_path / "pg" / "counter.dump"
    done = as_admin("--database", source, "backup", str(dump))
    assert done.returncode == 0, done.stderr
    assert mode(dump) == 0o600
    refused = cli("--database", source, "restore", str(dump))
    assert refused.returncode != 0 and "มีตารางอยู่แล้ว" in refused.stderr
    assert "Traceback" not in refused.stderr
    restored = cli("--database", target, "restore", str(dump))
    assert restored.returncode == 0, restored.stderr
    assert stats_of(target, FIXED_NOW + timedelta(hours=1)) == expected


def test_the_pin_pepper_goes_with_a_backup_and_comes_back_with_a_restore(
    cli, sqlite_office, tmp_path
):
    """Every PIN hash mixes in the pepper kept beside the database: a restore without it would
    sign nobody in. The backup carries it, the restore puts it back, and a folder holding another
    database's key is refused before anything is written."""
    from counter_tui.services import staff as st
    from counter_tui.services.pin_pepper import PEPPER_FILE

    url, office = sqlite_office
    st.add_staff(office.id, "สมชาย ใจดี", "officer", "2468", FIXED_NOW, actor_id=admin_id(office.id))
    out = tmp_path / "b" / "with-key.sqlite"
    done = as_admin("--database", url, "backup", str(out))
    assert done.returncode == 0, done.stderr
    key = out.with_name(out.name + ".pin-pepper.key")
    assert key.read_bytes() == (tmp_path / "data" / PEPPER_FILE).read_bytes()
    assert mode(key) == 0o600

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / PEPPER_FILE).write_bytes(b"x" * 32)
    refused = cli("--database", f"sqlite:///{elsewhere / 'counter.db'}", "restore", str(out))
    assert refused.returncode != 0 and PEPPER_FILE in refused.stderr
    assert "Traceback" not in refused.stderr and not (elsewhere / "counter.db").exists()

    fresh = tmp_path / "fresh"
    restored = cli("--database", f"sqlite:///{fresh / 'counter.db'}", "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    assert (fresh / PEPPER_FILE).read_bytes() == key.read_bytes()
    assert mode(fresh / PEPPER_FILE) == 0o600
    from counter_tui.services.office import connect

    database, restored_office = connect(f"sqlite:///{fresh / 'counter.db'}", FIXED_NOW)
    try:
        assert st.sign_in(restored_office.id, "สมชาย ใจดี", "2468", FIXED_NOW).name == "สมชาย ใจดี"
    finally:
        database.close()
