"""The database layer on both backends: pragmas, migrations, the append-only log, locking."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC

import pytest
from conftest import FIXED_NOW, REPO
from peewee import DatabaseError as PeeweeDatabaseError

from counter_tui.core.clock import to_db
from counter_tui.db import models as m
from counter_tui.db.database import (
    MIGRATIONS_DIR,
    describe_url,
    migrate,
    open_database,
    pending_migrations,
)
from counter_tui.errors import UserError


def test_sqlite_runs_wal_full_sync_with_foreign_keys(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
    db.close()


def test_migrations_applied_once_and_idempotent(db):
    database = m.database_proxy.obj
    assert pending_migrations(database) == []
    assert migrate(database) == []
    tables = set(database.get_tables())
    for model in m.ALL_MODELS:
        assert model._meta.table_name in tables


def test_indexes_for_todays_queue_and_date_ranges(db):
    database = m.database_proxy.obj
    ticket_indexes = {tuple(i.columns) for i in database.get_indexes("ticket")}
    assert ("office_id", "service_date", "status", "issued_at", "id") in ticket_indexes
    assert ("office_id", "issued_at") in ticket_indexes
    event_indexes = {tuple(i.columns) for i in database.get_indexes("event")}
    assert ("office_id", "at") in event_indexes


def test_event_log_refuses_update_and_delete(db):
    event = m.Event.create(
        office=db.id, at=to_db(FIXED_NOW), kind="counter_state", data=json.dumps({"state": "open"})
    )
    database = m.database_proxy.obj
    with pytest.raises(PeeweeDatabaseError, match="append-only"):
        with database.atomic():
            m.Event.update(kind="forged").where(m.Event.id == event.id).execute()
    with pytest.raises(PeeweeDatabaseError, match="append-only"):
        with database.atomic():
            m.Event.delete().where(m.Event.id == event.id).execute()
    assert m.Event.get_by_id(event.id).kind == "counter_state"


def test_bad_urls_get_clear_errors(tmp_path):
    with pytest.raises(UserError, match="unsupported database URL"):
        open_database("mysql://root@localhost/x")
    with pytest.raises(UserError, match="malformed SQLite URL"):
        open_database("sqlite://")
    with pytest.raises(UserError, match="cannot open the database"):
        open_database("postgresql://postgres@127.0.0.1:1/none")


def test_describe_url_hides_the_password():
    assert describe_url("postgresql://u:secret@h:5432/d") == "postgresql://u:***@h:5432/d"


CONCURRENT_START = """
import sys
from datetime import datetime, timezone
from counter_tui.services.office import connect
connect(sys.argv[1], datetime.now(timezone.utc))
"""


@pytest.mark.slow
def test_many_processes_starting_on_a_fresh_database_migrate_it_once(db_url):
    """Eight counters switched on together: one office, one catalog, each migration once."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT_START, db_url],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, errors
    database = open_database(db_url)
    m.database_proxy.initialize(database)
    try:
        assert m.Office.select().count() == 1
        codes = [s.code for s in m.Service.select()]
        assert len(codes) == len(set(codes)) >= 10
        history = [r[0] for r in database.execute_sql("SELECT name FROM schema_migration")]
        assert sorted(history) == sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))
        assert "0010_daily_jobs" in history
    finally:
        database.close()
        m.database_proxy.initialize(None)


def test_an_older_database_is_migrated_forward(tmp_path):
    """A database made by the first release (migrations 0001-0002) gets the later ones on the
    next open."""
    from playhouse.migrations import Runner

    from counter_tui.db.database import MIGRATIONS_DIR

    url = f"sqlite:///{tmp_path / 'old.db'}"
    database = open_database(url)
    Runner(database, str(MIGRATIONS_DIR)).up("0002_event_append_only")
    later = sorted(
        p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py") if p.stem > "0002_event_append_only"
    )
    assert later[:4] == [
        "0003_ticket_counter_status_index",
        "0004_todays_queue_in_order",
        "0005_survey_offers_in_window",
        "0006_case_office",
    ]
    assert pending_migrations(database) == later
    assert migrate(database) == later
    indexes = {tuple(i.columns) for i in database.get_indexes("ticket")}
    assert ("counter_id", "status") in indexes
    database.close()


def test_migration_0006_gives_every_case_its_applications_office(db, db_url):
    """Cases made before 0006 (here: by the demo, then the column taken away by 0006's down)
    get their office from their application; the dashboard's index exists after."""
    from datetime import datetime

    from playhouse.migrations import Runner

    from counter_tui.db.database import MIGRATIONS_DIR
    from counter_tui.services.demo import generate_demo

    database = m.database_proxy.obj
    generate_demo(40, 3, datetime(2026, 11, 24, 9, tzinfo=UTC), offices=2, visits_per_day=40)
    expected = dict(
        database.execute_sql(
            'SELECT c.id, a.office_id FROM "case" c JOIN application a ON a.id = c.application_id'
        )
    )
    assert len(expected) > 20 and len(set(expected.values())) == 2
    Runner(database, str(MIGRATIONS_DIR)).down("0006_case_office")
    columns = {c.name for c in database.get_columns("case")}
    assert "office_id" not in columns
    assert migrate(database) == sorted(
        p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py") if p.stem >= "0006_case_office"
    )
    assert dict(database.execute_sql('SELECT id, office_id FROM "case"')) == expected
    assert ("office_id", "status", "due_date") in {
        tuple(i.columns) for i in database.get_indexes("case")
    }
    if "postgres" in db_url:  # SQLite: nullable (see the migration)
        assert not next(c for c in database.get_columns("case") if c.name == "office_id").null


def test_migration_0007_marks_no_existing_staff_member_as_seeing_all_units(db_url):
    """Staff made before 0007 (and rows written without the column) are not the ปลัด: the
    column is NOT NULL, false by default, on both backends; its down takes it away again."""
    from playhouse.migrations import Runner

    database = open_database(db_url)
    try:
        runner = Runner(database, str(MIGRATIONS_DIR))
        runner.up("0006_case_office")
        p = database.param
        database.execute_sql(
            f"INSERT INTO office (code, name, created_at) VALUES ({p}, {p}, {p})",
            ("X1", "สำนักงาน", to_db(FIXED_NOW)),
        )
        insert = (
            "INSERT INTO staff (office_id, name, role, pin_hash, failed_pins, active, "
            f"created_at) VALUES (1, {p}, {p}, 'x', 0, TRUE, {p})"
        )
        database.execute_sql(insert, ("หัวหน้า เดิม", "supervisor", to_db(FIXED_NOW)))
        assert runner.up("0007_staff_all_units") == ["0007_staff_all_units"]
        database.execute_sql(insert, ("หัวหน้า ใหม่", "supervisor", to_db(FIXED_NOW)))
        rows = database.execute_sql("SELECT name, all_units FROM staff ORDER BY id").fetchall()
        assert [(name, bool(flag)) for name, flag in rows] == [
            ("หัวหน้า เดิม", False),
            ("หัวหน้า ใหม่", False),
        ]
        assert not next(c for c in database.get_columns("staff") if c.name == "all_units").null
        assert runner.down("0007_staff_all_units") == ["0007_staff_all_units"]
        assert "all_units" not in {c.name for c in database.get_columns("staff")}
        assert "0007_staff_all_units" in migrate(database)
        assert [bool(f) for (f,) in database.execute_sql("SELECT all_units FROM staff")] == [
            False,
            False,
        ]
    finally:
        database.close()
