"""Migration 0008 on both backends: an officer holds at most one counter (a partial unique index);
an existing database where an officer held several keeps the one opened last; the demo makes no
such database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import FIXED_NOW
from peewee import IntegrityError
from playhouse.migrations import Runner

from counter_tui.core.clock import from_db, to_db
from counter_tui.db import models as m
from counter_tui.db.database import MIGRATIONS_DIR, migrate, open_database

NAME = "0008_one_counter_per_officer"


def test_0008_keeps_each_officer_on_the_counter_opened_last(db_url):
    database = open_database(db_url)
    try:
        runner = Runner(database, str(MIGRATIONS_DIR))
        runner.up(max(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py") if p.stem < NAME))
        p = database.param

        def insert(sql: str, values: tuple) -> int:
            database.execute_sql(sql, values)
            return database.execute_sql("SELECT MAX(id) FROM " + sql.split()[2]).fetchone()[0]

        office = insert(
            f"INSERT INTO office (code, name, created_at) VALUES ({p}, {p}, {p})",
            ("X1", "สำนักงาน", to_db(FIXED_NOW)),
        )
        unit = insert(f"INSERT INTO unit (office_id, name) VALUES ({p}, {p})", (office, "กองคลัง"))
        staff = [
            insert(
                "INSERT INTO staff (office_id, name, role, pin_hash, failed_pins, active, "
                f"created_at) VALUES ({p}, {p}, 'officer', 'x', 0, TRUE, {p})",
                (office, name, to_db(FIXED_NOW)),
            )
            for name in ("ก", "ข")
        ]

        def counter(name: str, state: str, since: datetime | None, officer: int | None) -> int:
            return insert(
                "INSERT INTO counter (office_id, name, unit_id, state, state_since, officer_id, "
                f"created_at) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p})",
                (
                    office,
                    name,
                    unit,
                    state,
                    to_db(since) if since else None,
                    officer,
                    to_db(FIXED_NOW),
                ),
            )

        first = FIXED_NOW + timedelta(hours=1)
        stale = counter("ช่อง 1", "open", first, staff[0])
        kept = counter("ช่อง 2", "break", first + timedelta(hours=2), staff[0])
        older = counter("ช่อง 3", "open", None, staff[0])
        alone = counter("ช่อง 4", "open", first, staff[1])
        free = counter("ช่อง 5", "closed", None, None)

        assert runner.up(NAME) == [NAME]

        rows = {
            cid: (state, officer, from_db(since))
            for cid, state, officer, since in database.execute_sql(
                "SELECT id, state, officer_id, state_since FROM counter"
            )
        }
        moved = first + timedelta(hours=2)  # closed when the officer opened the counter kept
        assert rows == {
            stale: ("closed", None, moved),
            kept: ("break", staff[0], moved),
            older: ("closed", None, moved),
            alone: ("open", staff[1], first),
            free: ("closed", None, None),
        }
        events = database.execute_sql(
            "SELECT counter_id, kind, staff_id, data, at FROM event ORDER BY id"
        ).fetchall()
        assert sorted((c, k, s, d, from_db(a)) for c, k, s, d, a in events) == [
            (stale, "counter_state", staff[0], '{"state": "closed", "previous": "open"}', moved),
            (older, "counter_state", staff[0], '{"state": "closed", "previous": "open"}', moved),
        ]

        # the index holds the rule from now on; a counter without an officer is not counted
        with pytest.raises(IntegrityError), database.atomic():
            database.execute_sql(
                f"UPDATE counter SET officer_id = {p} WHERE id = {p}", (staff[1], free)
            )
        database.execute_sql(f"UPDATE counter SET officer_id = NULL WHERE id = {p}", (alone,))
        assert runner.down(NAME) == [NAME]
        database.execute_sql(
            f"UPDATE counter SET officer_id = {p} WHERE id = {p}", (staff[0], free)
        )  # no index: allowed again
        database.execute_sql(f"UPDATE counter SET officer_id = NULL WHERE id = {p}", (free,))
        assert NAME in migrate(database)
    finally:
        database.close()
        m.database_proxy.initialize(None)


def test_the_demo_puts_each_officer_on_one_counter_at_most(db, db_url):
    """The demo writes each counter's holder as of now (services/demo.py): with the index in
    place it must not put one officer on two counters (it would fail with IntegrityError)."""
    from counter_tui.services.demo import generate_demo

    generate_demo(40, 3, datetime(2026, 11, 24, 4, tzinfo=UTC), offices=2, visits_per_day=40)
    held = [
        officer
        for (officer,) in m.Counter.select(m.Counter.officer)
        .where(m.Counter.officer.is_null(False))
        .tuples()
    ]
    assert held, "no counter is held at 11:00 on a working day: the demo did not run"
    assert len(held) == len(set(held))
