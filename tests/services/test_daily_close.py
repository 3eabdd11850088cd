"""Closing the day's leftover tickets is a once-a-day job, not part of a queue refresh (issue 11
item 9): a refresh asks the database nothing about it after the day's first, the job runs once
per office per day (and once more after closing time) whoever starts first, and it reads the
days since its last run, not the office's whole history. The cases screen's "all" view reads the
newest cases from an index, not every case the office ever had."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import FIXED_NOW
from support.actors import admin_id
from support.clock import TODAY
from support.office import bkk, build_office, events, ticket_row

from counter_tui.db import models as m
from counter_tui.db.database import is_postgres
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services.daily import job_row


@pytest.fixture
def opened(db):
    office = build_office(db.id)
    ct.open_counter(office.id, office.c1, office.alice, bkk(8, 30))
    return office


def statements_of(fn, *args) -> list[tuple[str, tuple]]:
    database = m.database_proxy.obj
    seen: list[tuple[str, tuple]] = []
    database.query_hooks.append(lambda event: seen.append((event.sql, tuple(event.params or ()))))
    try:
        fn(*args)
    finally:
        database.query_hooks.clear()
    return seen


def runs() -> int:
    row = m.DailyJob.get_or_none(m.DailyJob.job == q.CLOSING_JOB)
    return row.runs if row is not None else 0


def new_process() -> None:
    """What another counter's process knows: nothing remembered about the closing job."""
    q._CLOSING_CHECKED.clear()


def test_a_refresh_after_the_days_first_runs_only_the_snapshots_queries(opened):
    q.issue_ticket(opened.id, "SIGNBOARD_TAX", bkk(9, 0))
    new_process()
    first = statements_of(q.refresh_queue, opened.id, opened.c1, bkk(9, 1))
    assert any("daily_job" in sql for sql, _ in first)  # the day's first: the job's record
    snapshot_only = statements_of(q.snapshot, opened.id, opened.c1, bkk(9, 2))
    for minute in range(2, 12):
        refresh = statements_of(q.refresh_queue, opened.id, opened.c1, bkk(9, minute))
        assert [sql for sql, _ in refresh] == [sql for sql, _ in snapshot_only]
        assert not any(
            "daily_job" in sql or re.search(r'"service_date" <[^=]', sql) for sql, _ in refresh
        )
    assert runs() == 1


def test_the_closing_job_runs_once_a_day_and_once_after_closing_whoever_refreshes(opened):
    leftover = q.issue_ticket(opened.id, "SIGNBOARD_TAX", bkk(15, 0, TODAY - timedelta(days=1)))
    today = q.issue_ticket(opened.id, "SIGNBOARD_TAX", bkk(9, 0))
    for counter in range(4):  # four counters start at 09:00-09:03, each its own process
        new_process()
        q.refresh_queue(opened.id, opened.c1, bkk(9, counter))
    assert runs() == 1
    assert ticket_row(leftover.id).status == "closed"
    assert ticket_row(today.id).status == "waiting"
    for minute in (10, 20, 29):
        q.refresh_queue(opened.id, opened.c1, bkk(16, minute))
    assert runs() == 1 and ticket_row(today.id).status == "waiting"
    q.refresh_queue(opened.id, opened.c1, bkk(16, 31))  # closing time passed
    assert runs() == 2 and ticket_row(today.id).status == "closed"
    new_process()
    q.refresh_queue(opened.id, opened.c1, bkk(16, 40))  # another counter: done already
    assert runs() == 2
    assert [e.ticket_id for e in events("closed")] == [leftover.id, today.id]


def test_a_ticket_issued_after_the_closing_run_is_closed_the_next_morning(opened):
    q.issue_ticket(opened.id, "SIGNBOARD_TAX", bkk(9, 0))
    assert q.close_waiting_after_hours(opened.id, bkk(16, 31)) == 1
    late = q.issue_ticket(opened.id, "SIGNBOARD_TAX", bkk(16, 45))
    assert q.close_waiting_after_hours(opened.id, bkk(16, 50)) == 0  # ran today already
    tomorrow = TODAY + timedelta(days=1)
    assert q.close_waiting_after_hours(opened.id, bkk(8, 0, tomorrow)) == 1
    assert ticket_row(late.id).status == "closed"


def test_the_job_reads_only_the_days_since_its_last_run(opened):
    """Its ticket read is bounded on both sides of service_date (SQLite: a range of the
    (office, service_date, status, ...) index, not the office's every ticket)."""
    for days in (30, 3, 1):
        q.issue_ticket(opened.id, "SIGNBOARD_TAX", bkk(10, 0, TODAY - timedelta(days=days)))
    assert q.close_waiting_after_hours(opened.id, bkk(9, 0, TODAY - timedelta(days=3))) == 1
    seen = statements_of(q.close_waiting_after_hours, opened.id, bkk(9, 0))
    (select,) = [
        (sql, params) for sql, params in seen if sql.startswith("SELECT") and 'FROM "ticket"' in sql
    ]
    sql, params = select
    assert '"service_date" <' in sql and '"service_date" >=' in sql
    assert str(TODAY - timedelta(days=3)) in {str(p) for p in params}  # the last run's day
    assert len(events("closed")) == 3
    database = m.database_proxy.obj
    if not is_postgres(database):
        plan = " ".join(row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
        assert re.search(
            r"ticket_office_id_service_date_status\w* \(office_id=\? AND "
            r"service_date>\? AND service_date<\?\)",
            plan,
        ), plan


def test_two_counters_starting_together_close_each_ticket_once(opened, db_url):
    leftovers = [
        q.issue_ticket(opened.id, "SIGNBOARD_TAX", bkk(15, i, TODAY - timedelta(days=1)))
        for i in range(5)
    ]
    database = m.database_proxy.obj
    barrier = threading.Barrier(3)
    results: list[int] = []
    errors: list[BaseException] = []

    def counter() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(q.close_waiting_after_hours(opened.id, bkk(8, 30)))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            database.close()  # this thread's connection

    threads = [threading.Thread(target=counter) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(results) == [0, 0, 5]
    assert runs() == 1
    assert sorted(e.ticket_id for e in events("closed")) == [t.id for t in leftovers]


def test_the_job_row_is_one_per_office_and_job(opened):
    with m.database_proxy.obj.atomic():
        first = job_row(opened.id, "x")
        again = job_row(opened.id, "x")
    assert first.id == again.id
    assert m.DailyJob.select().where(m.DailyJob.job == "x").count() == 1


# --- the cases screen's "all" view ------------------------------------------------------------


@pytest.fixture
def with_cases(db):
    from counter_tui.services.demo import generate_demo

    generate_demo(30, 2, datetime(2026, 11, 24, 9, tzinfo=UTC), visits_per_day=40)
    return db


def test_all_cases_are_the_newest_by_due_date_read_from_the_index(with_cases, monkeypatch):
    from counter_tui.services import cases

    monkeypatch.setattr(cases, "ALL_LIMIT", 5)
    everything = list(m.Case.select(m.Case.id, m.Case.due_date).tuples())
    assert len(everything) > 10
    newest = sorted(everything, key=lambda r: (r[1], r[0]), reverse=True)[:5]
    listed = cases.list_cases(with_cases.id, FIXED_NOW, "all", actor_id=admin_id(with_cases.id))
    assert [(c.id, c.due) for c in listed] == [
        (i, d if isinstance(d, date) else date.fromisoformat(d)) for i, d in newest
    ]
    opened_view = cases.list_cases(
        with_cases.id, FIXED_NOW, "open", actor_id=admin_id(with_cases.id)
    )
    assert [c.due for c in opened_view] == sorted(c.due for c in opened_view)  # soonest first
    database = m.database_proxy.obj
    if not is_postgres(database):
        admin = admin_id(with_cases.id)
        seen = statements_of(
            lambda *a: cases.list_cases(*a, actor_id=admin), with_cases.id, FIXED_NOW, "all"
        )
        sql, params = next((s, p) for s, p in seen if 'FROM "case"' in s)
        plan = [row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
        assert any("case_office_id_due_date_id" in line for line in plan), plan
        assert not any("TEMP B-TREE" in line for line in plan), plan  # no sort of every case
