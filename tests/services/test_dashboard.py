"""The supervisor's dashboard: today's figures equal the published arithmetic over today's
visits report; counters against standards; unit filter; EIT progress; cases."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from conftest import FIXED_NOW
from support.actors import admin_id
from support.office import ticket_in_service

from counter_tui.core.report_stats import figures
from counter_tui.db import models as m
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import staff as st
from counter_tui.services import survey
from counter_tui.services import visit as v
from counter_tui.services.dashboard import dashboard
from counter_tui.services.reports import visit_rows
from counter_tui.services.settings import set_setting
from counter_tui.services.tickets import current_ticket

TODAY = FIXED_NOW.date()


def at(minutes: float):
    return FIXED_NOW + timedelta(minutes=minutes)


def _office(db):
    officer = st.add_staff(db.id, "สมศรี", "officer", "1234", FIXED_NOW, actor_id=admin_id(db.id))
    other = st.add_staff(db.id, "สมชาย", "officer", "1234", FIXED_NOW, actor_id=admin_id(db.id))
    tax = ct.add_counter(
        db.id,
        "ช่อง 3",
        "กองคลัง",
        ["SIGNBOARD_TAX", "LAND_BUILDING_TAX"],
        FIXED_NOW,
        actor_id=admin_id(db.id),
    )
    welfare = ct.add_counter(
        db.id, "ช่อง 1", "สำนักปลัด", ["ELDERLY_ALLOWANCE_REG"], FIXED_NOW, actor_id=admin_id(db.id)
    )
    ct.open_counter(db.id, tax.id, officer.id, FIXED_NOW)
    ct.open_counter(db.id, welfare.id, other.id, FIXED_NOW)
    for minute, code in (
        (0, "SIGNBOARD_TAX"),
        (1, "LAND_BUILDING_TAX"),
        (2, "ELDERLY_ALLOWANCE_REG"),
        (70, "SIGNBOARD_TAX"),
    ):
        q.issue_ticket(db.id, code, at(minute))
    q.call_next(db.id, tax.id, officer.id, at(3))
    q.start_serving(db.id, tax.id, officer.id, at(4))
    v.finish_application(db.id, tax.id, officer.id, "completed", at(7))  # 3 min: on time
    ticket = q.call_next(db.id, tax.id, officer.id, at(8))
    q.start_serving(db.id, tax.id, officer.id, at(9))
    survey.offer_survey(db.id, 1, officer.id, "screen", at(7))
    survey.rate(db.id, 1, officer.id, 5, at(7))
    q.call_next(db.id, welfare.id, other.id, at(10))
    q.skip(db.id, welfare.id, other.id, "ไม่อยู่ที่จุดบริการเมื่อเรียก", at(11))
    return officer, tax, welfare, ticket


def test_today_figures_are_the_published_arithmetic(db):
    _office(db)
    board = dashboard(db.id, at(20), actor_id=admin_id(db.id))
    expected = figures(visit_rows(db.id, TODAY, TODAY, at(20)), TODAY)
    for key in (
        "requests",
        "on_time_pct",
        "median_service_seconds",
        "p90_service_seconds",
        "median_wait_seconds",
        "survey_offered_pct",
        "rating_mean",
        "rating_count",
    ):
        assert board.today[key] == expected[key], key
    assert board.today["served"] == 1 and board.today["rating_mean"] == 5
    assert board.arrivals_per_hour[10 - 8] == 3 and board.arrivals_per_hour[11 - 8] == 1
    waiting = {w.service: w for w in board.waiting}
    assert waiting["ELDERLY_ALLOWANCE_REG"].waiting == 1  # skipped: back in the queue
    assert waiting["SIGNBOARD_TAX"].waiting == 1  # E003 issued at +70 is not yet issued at +20?
    skips = {o.officer: o for o in board.officers}
    assert skips["สมชาย"].skips == 1 and "ไม่อยู่" in skips["สมชาย"].reasons[0]


def test_a_counter_past_its_standard_shows_it(db):
    _office(db)
    board = dashboard(
        db.id, at(20), actor_id=admin_id(db.id)
    )  # LAND_BUILDING_TAX (5 min) started at +9: 11 min in
    tax = next(c for c in board.counters if c.name == "ช่อง 3")
    assert tax.ticket == "E002" and tax.elapsed_seconds == 11 * 60
    assert tax.standard_seconds == 300 and tax.elapsed_seconds > tax.standard_seconds


def test_supervisors_see_their_units_only(db):
    _office(db)
    board = dashboard(db.id, at(20), units=["สำนักปลัด"], actor_id=admin_id(db.id))
    assert [c.name for c in board.counters] == ["ช่อง 1"]
    assert [w.service for w in board.waiting] == ["ELDERLY_ALLOWANCE_REG"]
    assert board.today["requests"] == 1


def test_eit_progress_inside_the_window(db):
    officer, *_ = _office(db)
    assert board_problem(db) is not None
    for key, value in (
        ("survey.eit_url", "https://itas.nacc.go.th/go/eit/abc123"),
        ("survey.window_start", "2026-11-01"),
        ("survey.window_end", "2027-01-31"),
        ("survey.target", "400"),
    ):
        set_setting(db.id, key, value, FIXED_NOW, TODAY, actor_id=admin_id(db.id))
    board = dashboard(db.id, at(20), actor_id=admin_id(db.id))
    assert board.survey_link_problem is None
    assert board.eit_window == (date(2026, 11, 1), date(2027, 1, 31))
    assert board.eit_target == 400 and board.eit_offered == 1


def board_problem(db):
    return dashboard(db.id, at(20), actor_id=admin_id(db.id)).survey_link_problem


def test_cases_due_soon_and_overdue(db):
    officer, counter, _ = ticket_in_service(
        db.id, "BUILDING_PERMIT_S21", officer="ช่าง", counter="ช่อง 4", unit="กองช่าง"
    )
    v.finish_application(db.id, counter.id, officer.id, "accepted", at(30))
    assert dashboard(db.id, at(30), actor_id=admin_id(db.id)).cases == ()
    soon = dashboard(db.id, FIXED_NOW + timedelta(days=9), actor_id=admin_id(db.id)).cases
    assert len(soon) == 1 and not soon[0].overdue
    late = dashboard(db.id, FIXED_NOW + timedelta(days=16), actor_id=admin_id(db.id)).cases
    assert late[0].overdue and late[0].notice_needed


def test_a_complaint_case_past_due_owes_no_act_notice(db):
    """Complaints are outside the Licensing Facilitation Act: their cases may be overdue, never
    owed an s.10 delay notice ("ต้องแจ้ง"), beside a permit that is."""
    officer = st.add_staff(db.id, "ช่าง", "officer", "1234", FIXED_NOW, actor_id=admin_id(db.id))
    counter = ct.add_counter(
        db.id,
        "ช่อง 4",
        "สำนักปลัด",
        ["BUILDING_PERMIT_S21", "COMPLAINT"],
        FIXED_NOW,
        actor_id=admin_id(db.id),
    )
    ct.open_counter(db.id, counter.id, officer.id, FIXED_NOW)
    for code in ("BUILDING_PERMIT_S21", "COMPLAINT"):
        q.issue_ticket(db.id, code, FIXED_NOW)
        q.call_next(db.id, counter.id, officer.id, FIXED_NOW)
        q.start_serving(db.id, counter.id, officer.id, FIXED_NOW)
        v.finish_application(db.id, counter.id, officer.id, "accepted", at(30))
    late = {
        c.service_name: c
        for c in dashboard(db.id, FIXED_NOW + timedelta(days=60), actor_id=admin_id(db.id)).cases
    }
    assert len(late) == 2 and all(c.overdue for c in late.values())
    complaint = next(c for name, c in late.items() if "ร้องเรียน" in name)
    permit = next(c for name, c in late.items() if "ร้องเรียน" not in name)
    assert permit.notice_needed and not complaint.notice_needed


def test_a_ticket_left_open_yesterday_is_still_the_counters_current_ticket(db):
    """Closing time closes the tickets still waiting, not one being served: the counter screen
    still holds it (tickets.current_ticket), and so does the dashboard, on the next day too."""
    officer, tax, welfare, ticket = _office(db)
    tomorrow = FIXED_NOW + timedelta(days=1)
    q.close_waiting_after_hours(db.id, tomorrow)
    board = dashboard(db.id, tomorrow, actor_id=admin_id(db.id))
    lines = {c.name: c for c in board.counters}
    held = current_ticket(tax.id)
    assert held is not None and lines["ช่อง 3"].ticket == held.number == ticket.number == "E002"
    # still served since +9 min yesterday, against its standard
    assert lines["ช่อง 3"].elapsed_seconds == (24 * 60 - 9) * 60
    assert lines["ช่อง 3"].standard_seconds == 300
    assert lines["ช่อง 1"].ticket is None and current_ticket(welfare.id) is None
    assert board.today["requests"] == 0 and board.waiting == ()


def test_the_latest_called_ticket_is_the_counters_as_on_its_screen(db):
    _officer, _tax, welfare, _ticket = _office(db)
    holder = m.Counter.get_by_id(welfare.id).officer_id  # สมชาย holds ช่อง 1
    q.call_next(db.id, welfare.id, holder, at(30))  # welfare's skipped ticket, recalled
    board = dashboard(db.id, at(31), actor_id=admin_id(db.id))
    line = next(c for c in board.counters if c.name == "ช่อง 1")
    held = current_ticket(welfare.id)
    assert line.ticket == held.number and line.elapsed_seconds is None  # called, not started


@pytest.fixture
def sqlite_db(tmp_path):
    """The ``db`` fixture on SQLite only: the query plans below are SQLite's (PostgreSQL's
    depend on its statistics; bench/run.py measures them)."""
    from counter_tui.services.office import connect

    database, office = connect(f"sqlite:///{tmp_path / 'plans.db'}", FIXED_NOW)
    yield office
    database.close()
    m.database_proxy.initialize(None)


def test_dashboard_and_statistics_reads_never_walk_the_history(sqlite_db):
    """Every statement of a dashboard refresh and of the fiscal year's statistics is bounded by
    an index to today's rows, the year's, a counter's active tickets or the survey offers."""
    from counter_tui.services.reports import stats_report

    db = sqlite_db
    _office(db)
    for key, value in (
        ("survey.eit_url", "https://itas.nacc.go.th/go/eit/abc123"),
        ("survey.window_start", "2026-11-01"),
        ("survey.window_end", "2027-01-31"),
    ):
        set_setting(db.id, key, value, FIXED_NOW, TODAY, actor_id=admin_id(db.id))
    database = m.database_proxy.obj
    statements = []
    database.query_hooks.append(lambda event: statements.append((event.sql, event.params)))
    try:
        dashboard(db.id, at(20), actor_id=admin_id(db.id))
        stats_report(db.id, "year", None, None, at(20), actor_id=admin_id(db.id))
    finally:
        database.query_hooks.clear()
    assert any("survey_offered" in sql for sql, _ in statements)
    conn = database.connection()
    for sql, params in statements:
        plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params or ())]
        for line in plan:
            assert not line.startswith("SCAN t"), (sql, plan)  # a whole table
            # an index of the big tables searched on the office alone: every row it ever had
            found = re.search(r"INDEX (\w+) \((.*)\)", line)
            assert not (
                found
                and found.group(1).startswith(("ticket_", "event_", "application_"))
                and found.group(2) == "office_id=?"
            ), (sql, plan)
        if "survey_offered" in sql:
            assert "event_office_id_at_survey_offered" in " ".join(plan), plan
