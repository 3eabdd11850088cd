"""The queue use-cases on both backends, asserted on the database rows and returned dataclasses."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta

import pytest
from conftest import FIXED_NOW
from support.actors import admin_id
from support.clock import TODAY
from support.office import (
    Office,
    bkk,
    build_office,
    events,
    make_counter,
    set_policy,
    ticket_row,
)
from support.office import seconds_after as at

from counter_tui.core.clock import from_db
from counter_tui.db import models as m
from counter_tui.errors import UserError
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import tickets
from counter_tui.services import visit as v
from counter_tui.services.catalog import find_services
from counter_tui.services.settings import set_setting

# --- setting up an office ---------------------------------------------------------------------


@pytest.fixture
def office(db) -> Office:
    """Three counters, all closed; open them with open_counter in the test."""
    return build_office(db.id)


@pytest.fixture
def opened(office) -> Office:
    """Counters 1 and 2 open (alice, bob), counter 3 closed; at 08:30 Bangkok."""
    ct.open_counter(office.id, office.c1, office.alice, bkk(8, 30))
    ct.open_counter(office.id, office.c2, office.bob, bkk(8, 30))
    return office


@pytest.mark.postgres
def test_claim_transaction_on_postgresql(pg_schema_url):
    from counter_tui.db.database import claim_transaction, open_database

    database = open_database(pg_schema_url)
    try:
        with claim_transaction(database, 1):
            assert database.execute_sql("SELECT 1").fetchone() == (1,)
    finally:
        database.close()


def data(event: m.Event) -> dict:
    return json.loads(event.data) if event.data else {}


def issue(office: Office, code: str, when: datetime, **kw) -> q.TicketInfo:
    return q.issue_ticket(office.id, code, when, **kw)


def serve_through(office: Office, counter: int, staff: int, when: datetime) -> q.TicketInfo | None:
    """Call next, start, complete; the ticket called (None when the queue is empty)."""
    ticket = q.call_next(office.id, counter, staff, when)
    if ticket is not None:
        q.start_serving(office.id, counter, staff, when + timedelta(seconds=10))
        v.finish_application(office.id, counter, staff, "completed", when + timedelta(seconds=20))
    return ticket


# --- issuing ----------------------------------------------------------------------------------


def test_issue_ticket_records_row_application_and_event(office):
    info = issue(
        office,
        "SIGNBOARD_TAX",
        FIXED_NOW,
        staff_id=office.alice,
        channel="phone",
        priority="elderly",
    )
    assert info.number == "E001"
    assert (info.service_code, info.status, info.channel, info.priority) == (
        "SIGNBOARD_TAX",
        "waiting",
        "phone",
        "elderly",
    )
    assert info.issued_at == FIXED_NOW and info.called_at is None
    assert info.service_name == "การชำระภาษีป้าย"
    assert info.people_ahead == 0
    assert info.application_number  # e.g. "1/2570"
    row = ticket_row(info.id)
    assert (row.group_letter, row.seq, row.number, row.status) == ("E", 1, "E001", "waiting")
    assert row.service_date == TODAY
    assert from_db(row.issued_at) == FIXED_NOW
    assert row.issued_by_id == office.alice
    assert row.counter_id is None and row.assigned_counter_id is None
    app = m.Application.get(m.Application.ticket == info.id)
    assert app.number == info.application_number and app.position == 1
    (event,) = events("issued")
    assert event.ticket_id == info.id and event.application_id == app.id
    assert event.staff_id == office.alice and event.counter_id is None
    assert data(event)["service"] == "SIGNBOARD_TAX"
    assert data(event)["channel"] == "phone" and data(event)["priority"] == "elderly"


def test_ticket_numbers_are_per_group_letter(office):
    numbers = [
        issue(office, code, at(i)).number
        for i, code in enumerate(
            [
                "SIGNBOARD_TAX",
                "LAND_BUILDING_TAX",
                "ELDERLY_ALLOWANCE_REG",
                "BUILDING_PERMIT_S21",
                "SIGNBOARD_TAX",
                "DISABILITY_ALLOWANCE_REG",
            ]
        )
    ]
    assert numbers == ["E001", "E002", "A001", "C001", "E003", "A002"]


def test_ticket_numbers_restart_the_next_day(office):
    assert issue(office, "SIGNBOARD_TAX", FIXED_NOW).number == "E001"
    assert issue(office, "SIGNBOARD_TAX", at(60)).number == "E002"
    tomorrow = FIXED_NOW + timedelta(days=1)
    first = issue(office, "LAND_BUILDING_TAX", tomorrow)
    assert first.number == "E001"
    assert ticket_row(first.id).service_date == TODAY + timedelta(days=1)
    assert issue(office, "SIGNBOARD_TAX", tomorrow + timedelta(minutes=1)).number == "E002"
    # application numbers run on through the fiscal year: never reused
    apps = [a.number for a in m.Application.select()]
    assert len(set(apps)) == 4


def test_the_day_is_the_bangkok_day_not_the_utc_day(office):
    late = bkk(23, 59)  # 16:59 UTC on the 24th
    after_midnight = bkk(0, 1, TODAY + timedelta(days=1))  # 17:01 UTC, still the 24th in UTC
    assert issue(office, "SIGNBOARD_TAX", late).number == "E001"
    assert issue(office, "SIGNBOARD_TAX", late + timedelta(seconds=30)).number == "E002"
    ticket = issue(office, "SIGNBOARD_TAX", after_midnight)
    assert ticket.number == "E001"
    assert ticket_row(ticket.id).service_date == TODAY + timedelta(days=1)


def test_the_thousandth_ticket_of_a_day_gets_four_digits(office):
    first = issue(office, "SIGNBOARD_TAX", FIXED_NOW)
    m.Ticket.update(seq=999, number="E999").where(m.Ticket.id == first.id).execute()
    assert issue(office, "SIGNBOARD_TAX", at(1)).number == "E1000"


def test_issue_refuses_bad_input(office):
    with pytest.raises(UserError, match="vip"):
        issue(office, "SIGNBOARD_TAX", FIXED_NOW, priority="vip")
    with pytest.raises(UserError, match="fax"):
        issue(office, "SIGNBOARD_TAX", FIXED_NOW, channel="fax")
    with pytest.raises(UserError, match="NO_SUCH"):
        issue(office, "NO_SUCH", FIXED_NOW)
    assert m.Ticket.select().count() == 0
    assert events("issued") == []


def test_people_ahead_fifo_counts_the_same_queue_only(office):
    assert [issue(office, "SIGNBOARD_TAX", at(i)).people_ahead for i in range(3)] == [0, 1, 2]
    # group E is one queue for both tax services; group A is another queue
    assert issue(office, "LAND_BUILDING_TAX", at(3)).people_ahead == 3
    assert issue(office, "ELDERLY_ALLOWANCE_REG", at(4)).people_ahead == 0
    # priority does not jump the queue under FIFO
    assert issue(office, "SIGNBOARD_TAX", at(5), priority="monk").people_ahead == 4


def test_people_ahead_follows_the_priority_policy(office):
    set_policy(office.id, "priority", 3)
    for i in range(3):
        issue(office, "SIGNBOARD_TAX", at(i))
    assert issue(office, "SIGNBOARD_TAX", at(3), priority="pregnant").people_ahead == 0
    # order now P4 N1 N2 N3 then a new normal N5 waits behind all of them
    assert issue(office, "SIGNBOARD_TAX", at(4)).people_ahead == 4


def test_people_ahead_excludes_tickets_already_called(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))
    issue(opened, "SIGNBOARD_TAX", at(1))
    q.call_next(opened.id, opened.c1, opened.alice, at(2))
    assert issue(opened, "SIGNBOARD_TAX", at(3)).people_ahead == 1


def test_offices_in_one_database_have_their_own_numbers_and_queues(opened):
    from counter_tui.services.office import add_office

    other = add_office("nongbua", "อบต.หนองบัว", FIXED_NOW, actor_id=admin_id(opened.id))
    assert issue(opened, "SIGNBOARD_TAX", at(0)).number == "E001"
    theirs = q.issue_ticket(other.id, "SIGNBOARD_TAX", at(1))
    assert theirs.number == "E001" and theirs.people_ahead == 0
    assert ticket_row(theirs.id).office_id == other.id
    called = q.call_next(opened.id, opened.c1, opened.alice, at(2))
    assert called.number == "E001" and ticket_row(called.id).office_id == opened.id
    assert q.call_next(opened.id, opened.c2, opened.bob, at(3)) is None


# --- call next --------------------------------------------------------------------------------


def test_call_next_on_an_empty_queue_returns_none(opened):
    assert q.call_next(opened.id, opened.c1, opened.alice, FIXED_NOW) is None
    assert events("called") == []
    # a ticket for a service this counter does not serve is not its queue
    issue(opened, "ELDERLY_ALLOWANCE_REG", FIXED_NOW)
    assert q.call_next(opened.id, opened.c1, opened.alice, at(1)) is None


def test_call_next_claims_the_oldest_ticket_and_records_the_event(opened):
    first = issue(opened, "SIGNBOARD_TAX", at(0))
    second = issue(opened, "LAND_BUILDING_TAX", at(1))
    called = q.call_next(opened.id, opened.c1, opened.alice, at(30))
    assert (called.id, called.number, called.status) == (first.id, "E001", "called")
    assert called.called_at == at(30)
    row = ticket_row(first.id)
    assert row.status == "called" and row.counter_id == opened.c1
    assert from_db(row.called_at) == at(30)
    (event,) = events("called")
    assert (event.ticket_id, event.counter_id, event.staff_id) == (
        first.id,
        opened.c1,
        opened.alice,
    )
    assert from_db(event.at) == at(30)
    assert event.reason is None and data(event)["policy"] == "fifo"
    # the other counter gets the next one, never the same
    assert q.call_next(opened.id, opened.c2, opened.bob, at(31)).id == second.id


def test_call_next_is_refused_while_the_counter_has_a_current_ticket(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))
    issue(opened, "SIGNBOARD_TAX", at(1))
    q.call_next(opened.id, opened.c1, opened.alice, at(10))
    with pytest.raises(UserError, match="E001"):
        q.call_next(opened.id, opened.c1, opened.alice, at(11))
    q.start_serving(opened.id, opened.c1, opened.alice, at(12))
    with pytest.raises(UserError, match="E001"):
        q.call_next(opened.id, opened.c1, opened.alice, at(13))
    assert len(events("called")) == 1
    v.finish_application(opened.id, opened.c1, opened.alice, "completed", at(14))
    assert q.call_next(opened.id, opened.c1, opened.alice, at(15)).number == "E002"


@pytest.mark.parametrize("state", ["closed", "break", "away"])
def test_call_next_is_refused_when_the_counter_is_not_open(office, state):
    issue(office, "SIGNBOARD_TAX", at(0))
    if state != "closed":
        ct.open_counter(office.id, office.c1, office.alice, at(1))
        ct.set_counter_state(office.id, office.c1, office.alice, state, at(2), reason="พักกลางวัน")
    with pytest.raises(UserError, match=state):
        q.call_next(office.id, office.c1, office.alice, at(3))
    assert events("called") == []
    assert m.Ticket.get().status == "waiting"


def test_call_next_fifo_ignores_priority(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))
    issue(opened, "SIGNBOARD_TAX", at(1), priority="elderly")
    assert serve_through(opened, opened.c1, opened.alice, at(10)).number == "E001"
    assert serve_through(opened, opened.c1, opened.alice, at(40)).number == "E002"


@pytest.mark.parametrize(
    "n, expected",
    [
        (0, ["E001", "E002", "E003", "E004"]),
        (1, ["E002", "E001", "E003", "E004"]),
        (2, ["E002", "E003", "E001", "E004"]),
    ],
)
def test_call_next_priority_policy_with_bound(opened, n, expected):
    set_policy(opened.id, "priority", n)
    issue(opened, "SIGNBOARD_TAX", at(0))
    for i in (1, 2, 3):
        issue(opened, "LAND_BUILDING_TAX", at(i), priority="disabled")
    order = [
        serve_through(opened, opened.c1, opened.alice, at(100 * k)).number for k in range(1, 5)
    ]
    assert order == expected
    assert serve_through(opened, opened.c1, opened.alice, at(1000)) is None
    assert all(data(e)["policy"] == "priority" for e in events("called"))


def test_priority_policy_across_two_counters_counts_calls_of_both(opened):
    set_policy(opened.id, "priority", 1)
    issue(opened, "LAND_BUILDING_TAX", at(0))  # E001 normal
    issue(opened, "LAND_BUILDING_TAX", at(1), priority="monk")  # E002
    issue(opened, "LAND_BUILDING_TAX", at(2), priority="monk")  # E003
    assert q.call_next(opened.id, opened.c1, opened.alice, at(10)).number == "E002"
    # counter 2: E001 has been overtaken once (by counter 1's call) -> it goes now
    assert q.call_next(opened.id, opened.c2, opened.bob, at(11)).number == "E001"


def test_priority_bound_holds_for_tickets_issued_at_the_same_instant(opened):
    set_policy(opened.id, "priority", 1)
    issue(opened, "SIGNBOARD_TAX", FIXED_NOW)
    for _ in range(3):
        issue(opened, "SIGNBOARD_TAX", FIXED_NOW, priority="elderly")
    order = [
        serve_through(opened, opened.c1, opened.alice, at(100 * k)).number for k in range(1, 5)
    ]
    assert order == ["E002", "E001", "E003", "E004"]


def test_handed_over_ticket_is_only_in_the_queue_of_its_new_counter(opened):
    ct.open_counter(opened.id, opened.c3, opened.chai, at(0))
    ticket = issue(opened, "SIGNBOARD_TAX", at(1))  # only counter 1 serves it
    ct.close_counter(opened.id, opened.c1, opened.alice, at(2), handover_to=opened.c3)
    assert q.call_next(opened.id, opened.c2, opened.bob, at(3)) is None
    assert q.call_next(opened.id, opened.c3, opened.chai, at(4)).id == ticket.id


# --- out of order, recall, skip, no-show ------------------------------------------------------


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_call_out_of_order_needs_a_reason(opened, reason):
    issue(opened, "SIGNBOARD_TAX", at(0))
    issue(opened, "SIGNBOARD_TAX", at(1))
    with pytest.raises(UserError, match="เหตุผล"):
        q.call_ticket(opened.id, opened.c1, opened.alice, "E002", reason, at(5))
    assert events("called") == []
    assert {t.status for t in m.Ticket.select()} == {"waiting"}


def test_call_out_of_order_records_reason_and_expected(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))
    second = issue(opened, "SIGNBOARD_TAX", at(1))
    called = q.call_ticket(opened.id, opened.c1, opened.alice, " e002 ", "  ผู้บริหารสั่งการ ", at(5))
    assert called.id == second.id and called.status == "called"
    row = ticket_row(second.id)
    assert row.status == "called" and row.counter_id == opened.c1
    (event,) = events("called")
    assert (event.ticket_id, event.counter_id, event.staff_id) == (
        second.id,
        opened.c1,
        opened.alice,
    )
    assert event.reason == "ผู้บริหารสั่งการ"
    assert data(event) == {"out_of_order": True, "expected": "E001"}
    # the skipped-over ticket is still first for the next call
    assert q.call_next(opened.id, opened.c2, opened.bob, at(6)) is None  # c2: land tax only
    q.start_serving(opened.id, opened.c1, opened.alice, at(7))
    v.finish_application(opened.id, opened.c1, opened.alice, "completed", at(8))
    assert q.call_next(opened.id, opened.c1, opened.alice, at(9)).number == "E001"


def test_call_out_of_order_expected_follows_the_policy(opened):
    set_policy(opened.id, "priority", 3)
    issue(opened, "SIGNBOARD_TAX", at(0))
    issue(opened, "SIGNBOARD_TAX", at(1), priority="elderly")
    issue(opened, "SIGNBOARD_TAX", at(2))
    q.call_ticket(opened.id, opened.c1, opened.alice, "E003", "ผู้รับบริการนัดหมายไว้", at(5))
    assert data(events("called")[0])["expected"] == "E002"


def test_call_out_of_order_refuses_unknown_or_not_waiting_tickets(opened):
    issue(opened, "SIGNBOARD_TAX", FIXED_NOW - timedelta(days=1))  # yesterday's E001, waiting
    issue(opened, "LAND_BUILDING_TAX", at(0))  # today's E001
    with pytest.raises(UserError, match="E999"):
        q.call_ticket(opened.id, opened.c1, opened.alice, "E999", "นัดหมาย", at(2))
    q.call_next(opened.id, opened.c1, opened.alice, at(4))  # today's E001 at counter 1
    # neither today's E001 (called) nor yesterday's E001 (another day) can be called
    with pytest.raises(UserError, match="E001"):
        q.call_ticket(opened.id, opened.c2, opened.bob, "E001", "นัดหมาย", at(5))
    assert len(events("called")) == 1


def test_call_out_of_order_is_refused_while_busy_or_closed(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))
    second = issue(opened, "SIGNBOARD_TAX", at(1))
    q.call_next(opened.id, opened.c1, opened.alice, at(2))
    with pytest.raises(UserError, match="E001"):
        q.call_ticket(opened.id, opened.c1, opened.alice, "E002", "นัดหมาย", at(3))
    with pytest.raises(UserError, match="closed"):
        q.call_ticket(opened.id, opened.c3, opened.chai, "E002", "นัดหมาย", at(3))
    assert ticket_row(second.id).status == "waiting"


@pytest.mark.parametrize("reason", [None, "", " "])
def test_recall_needs_a_reason(opened, reason):
    issue(opened, "SIGNBOARD_TAX", at(0))
    q.call_next(opened.id, opened.c1, opened.alice, at(1))
    with pytest.raises(UserError, match="เหตุผล"):
        q.recall(opened.id, opened.c1, opened.alice, reason, at(2))
    assert events("recalled") == []


def test_recall_records_an_event_and_keeps_the_ticket(opened):
    ticket = issue(opened, "SIGNBOARD_TAX", at(0))
    q.call_next(opened.id, opened.c1, opened.alice, at(1))
    info = q.recall(opened.id, opened.c1, opened.alice, "ผู้รับบริการไม่ได้ยิน", at(61))
    assert info.id == ticket.id and info.status == "called"
    (event,) = events("recalled")
    assert (event.ticket_id, event.counter_id, event.staff_id, event.reason) == (
        ticket.id,
        opened.c1,
        opened.alice,
        "ผู้รับบริการไม่ได้ยิน",
    )
    assert from_db(event.at) == at(61)
    assert ticket_row(ticket.id).status == "called"


def test_recall_skip_finish_need_a_current_ticket(opened):
    with pytest.raises(UserError):
        q.recall(opened.id, opened.c1, opened.alice, "ไม่ได้ยิน", at(0))
    with pytest.raises(UserError):
        q.skip(opened.id, opened.c1, opened.alice, "ไม่อยู่", at(0))
    with pytest.raises(UserError):
        q.start_serving(opened.id, opened.c1, opened.alice, at(0))
    with pytest.raises(UserError):
        v.finish_application(opened.id, opened.c1, opened.alice, "completed", at(0))
    assert events("recalled") + events("skipped") + events("started") + events("finished") == []


@pytest.mark.parametrize("no_show", [False, True])
@pytest.mark.parametrize("reason", [None, "", "  "])
def test_skip_and_no_show_need_a_reason(opened, no_show, reason):
    ticket = issue(opened, "SIGNBOARD_TAX", at(0))
    q.call_next(opened.id, opened.c1, opened.alice, at(1))
    with pytest.raises(UserError, match="เหตุผล"):
        q.skip(opened.id, opened.c1, opened.alice, reason, at(2), no_show=no_show)
    assert ticket_row(ticket.id).status == "called"
    assert events("skipped") + events("no_show") == []


def test_skip_puts_the_ticket_back_in_its_place(opened):
    first = issue(opened, "SIGNBOARD_TAX", at(0))
    issue(opened, "SIGNBOARD_TAX", at(1))
    issue(opened, "SIGNBOARD_TAX", at(2))
    q.call_next(opened.id, opened.c1, opened.alice, at(10))
    info = q.skip(opened.id, opened.c1, opened.alice, "ไปถ่ายเอกสาร", at(20))
    assert info.id == first.id and info.status == "waiting" and info.called_at is None
    row = ticket_row(first.id)
    assert row.status == "waiting" and row.counter_id is None and row.called_at is None
    assert from_db(row.issued_at) == at(0)  # keeps its place
    (event,) = events("skipped")
    assert (event.ticket_id, event.counter_id, event.staff_id, event.reason) == (
        first.id,
        opened.c1,
        opened.alice,
        "ไปถ่ายเอกสาร",
    )
    snap = q.snapshot(opened.id, opened.c1, at(21))
    assert [w.number for w in snap.waiting] == ["E001", "E002", "E003"]
    assert snap.current is None
    # the counter is free again; the ticket is called again in its place
    assert q.call_next(opened.id, opened.c1, opened.alice, at(22)).id == first.id
    assert [e.kind for e in events(ticket=first.id)] == ["issued", "called", "skipped", "called"]


def test_skip_is_refused_once_serving_started(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))
    q.call_next(opened.id, opened.c1, opened.alice, at(1))
    q.start_serving(opened.id, opened.c1, opened.alice, at(2))
    with pytest.raises(UserError):
        q.skip(opened.id, opened.c1, opened.alice, "ไม่อยู่", at(3))
    with pytest.raises(UserError):
        q.skip(opened.id, opened.c1, opened.alice, "ไม่อยู่", at(3), no_show=True)
    assert m.Ticket.get().status == "serving"


def test_no_show_closes_the_ticket_and_its_application(opened):
    ticket = issue(opened, "SIGNBOARD_TAX", at(0))
    issue(opened, "SIGNBOARD_TAX", at(1))
    q.call_next(opened.id, opened.c1, opened.alice, at(10))
    info = q.skip(opened.id, opened.c1, opened.alice, "เรียก 3 ครั้งแล้วไม่มา", at(200), no_show=True)
    assert info.status == "no_show"
    assert ticket_row(ticket.id).status == "no_show"
    app = m.Application.get(m.Application.ticket == ticket.id)
    assert (app.status, app.outcome) == ("no_show", "no_show")
    (event,) = events("no_show")
    assert (event.ticket_id, event.counter_id, event.staff_id, event.reason) == (
        ticket.id,
        opened.c1,
        opened.alice,
        "เรียก 3 ครั้งแล้วไม่มา",
    )
    assert events("skipped") == []
    snap = q.snapshot(opened.id, opened.c1, at(201))
    assert [w.number for w in snap.waiting] == ["E002"] and snap.current is None
    assert q.call_next(opened.id, opened.c1, opened.alice, at(202)).number == "E002"


# --- serving ----------------------------------------------------------------------------------


def test_start_serving_records_started_once(opened):
    ticket = issue(opened, "SIGNBOARD_TAX", at(0))
    q.call_next(opened.id, opened.c1, opened.alice, at(10))
    info = q.start_serving(opened.id, opened.c1, opened.alice, at(40))
    assert info.id == ticket.id and info.status == "serving"
    app = m.Application.get(m.Application.ticket == ticket.id)
    assert (app.status, app.counter_id, app.officer_id) == ("serving", opened.c1, opened.alice)
    assert from_db(app.started_at) == at(40)
    again = q.start_serving(opened.id, opened.c1, opened.alice, at(50))
    assert again.status == "serving"
    (event,) = events("started")
    assert (event.ticket_id, event.application_id, event.counter_id, event.staff_id) == (
        ticket.id,
        app.id,
        opened.c1,
        opened.alice,
    )
    assert from_db(event.at) == at(40)


def test_serve_now_issues_calls_and_starts_at_once(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))  # someone waiting is not in the way of serve now
    info = q.serve_now(
        opened.id,
        opened.c1,
        opened.alice,
        "LAND_BUILDING_TAX",
        at(5),
        priority="monk",
        channel="walk_in",
    )
    assert info.status == "serving" and info.number == "E002" and info.priority == "monk"
    row = ticket_row(info.id)
    assert row.status == "serving" and row.counter_id == opened.c1
    assert row.issued_by_id == opened.alice
    kinds = [(e.kind, e.staff_id, e.counter_id) for e in events(ticket=info.id)]
    assert kinds == [
        ("issued", opened.alice, None),
        ("called", opened.alice, opened.c1),
        ("started", opened.alice, opened.c1),
    ]
    assert data(events("called", ticket=info.id)[0]).get("serve_now") is True
    snap = q.snapshot(opened.id, opened.c1, at(6))
    assert snap.current.id == info.id
    assert [w.number for w in snap.waiting] == ["E001"]


def test_serve_now_is_refused_when_busy_or_closed_and_issues_nothing(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))
    q.call_next(opened.id, opened.c1, opened.alice, at(1))
    with pytest.raises(UserError, match="E001"):
        q.serve_now(opened.id, opened.c1, opened.alice, "SIGNBOARD_TAX", at(2))
    with pytest.raises(UserError, match="closed"):
        q.serve_now(opened.id, opened.c3, opened.chai, "ELDERLY_ALLOWANCE_REG", at(2))
    assert m.Ticket.select().count() == 1
    assert len(events("issued")) == 1


def test_finish_completed(opened):
    ticket = issue(opened, "SIGNBOARD_TAX", at(0))
    q.call_next(opened.id, opened.c1, opened.alice, at(1))
    with pytest.raises(UserError):  # not started yet
        v.finish_application(opened.id, opened.c1, opened.alice, "completed", at(2))
    q.start_serving(opened.id, opened.c1, opened.alice, at(3))
    result = v.finish_application(opened.id, opened.c1, opened.alice, "completed", at(300))
    assert result.ticket_done and result.application_number == ticket.application_number
    assert result.case_due is None and result.next_application is None
    assert ticket_row(ticket.id).status == "done"
    app = m.Application.get(m.Application.ticket == ticket.id)
    assert (app.status, app.outcome) == ("finished", "completed")
    assert from_db(app.finished_at) == at(300)
    (event,) = events("finished")
    assert (event.ticket_id, event.application_id, event.counter_id, event.staff_id) == (
        ticket.id,
        app.id,
        opened.c1,
        opened.alice,
    )
    assert data(event) == {"outcome": "completed"} and event.reason is None
    snap = q.snapshot(opened.id, opened.c1, at(301))
    assert snap.current is None and snap.served_today == 1


@pytest.mark.parametrize("outcome", ["cancelled", "returned", "referred"])
def test_finish_with_these_outcomes_needs_a_reason(opened, outcome):
    issue(opened, "SIGNBOARD_TAX", at(0))
    q.call_next(opened.id, opened.c1, opened.alice, at(1))
    q.start_serving(opened.id, opened.c1, opened.alice, at(2))
    for reason in (None, "", "  "):
        with pytest.raises(UserError, match="เหตุผล"):
            v.finish_application(opened.id, opened.c1, opened.alice, outcome, at(3), reason=reason)
    assert events("finished") == []
    result = v.finish_application(
        opened.id, opened.c1, opened.alice, outcome, at(4), reason="ผู้รับบริการขอยกเลิก"
    )
    assert result.ticket_done and m.Ticket.get().status == "done"
    (event,) = events("finished")
    assert event.reason == "ผู้รับบริการขอยกเลิก" and data(event)["outcome"] == outcome
    assert m.Application.get().outcome == outcome


def test_finish_accepted_needs_no_reason_and_unknown_outcome_is_refused(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))
    q.call_next(opened.id, opened.c1, opened.alice, at(1))
    q.start_serving(opened.id, opened.c1, opened.alice, at(2))
    with pytest.raises(UserError, match="lost"):
        v.finish_application(opened.id, opened.c1, opened.alice, "lost", at(3))
    result = v.finish_application(opened.id, opened.c1, opened.alice, "accepted", at(4))
    assert result.ticket_done and m.Ticket.get().status == "done"
    assert result.case_due is None and m.Case.select().count() == 0  # served the same day


def test_finish_accepted_of_a_multi_day_service_opens_its_case(office):
    """The app's finish (what ``queue.finish_ticket``, called only by tests, never did): a
    service of several days accepted for processing opens a case with its due date."""
    permits = make_counter(office.id, "ช่อง 4", "กองช่าง", ["BUILDING_PERMIT_S21"])
    ct.open_counter(office.id, permits, office.bob, at(0))
    ticket = issue(office, "BUILDING_PERMIT_S21", at(1))
    q.call_next(office.id, permits, office.bob, at(2))
    q.start_serving(office.id, permits, office.bob, at(3))
    result = v.finish_application(office.id, permits, office.bob, "accepted", at(20))
    assert result.ticket_done and ticket_row(ticket.id).status == "done"
    case = m.Case.get()
    assert case.application_id == m.Application.get(m.Application.ticket == ticket.id).id
    assert result.case_due == case.due_date == TODAY + timedelta(days=14)  # "14 วัน"
    assert [e.kind for e in events(ticket=ticket.id)][-2:] == ["finished", "case_opened"]


# --- counter states ---------------------------------------------------------------------------


def test_open_counter_records_state_and_officer(office):
    row = ct.open_counter(office.id, office.c1, office.alice, bkk(8, 25))
    assert (row.id, row.state, row.officer, row.current) == (office.c1, "open", "สมศรี ใจดี", None)
    counter = m.Counter.get_by_id(office.c1)
    assert counter.state == "open" and counter.officer_id == office.alice
    assert from_db(counter.state_since) == bkk(8, 25)
    (event,) = events("counter_state")
    assert (event.counter_id, event.staff_id, event.ticket_id) == (office.c1, office.alice, None)
    assert data(event) == {"state": "open", "previous": "closed"}


def test_open_counter_held_by_another_officer_is_refused(opened):
    with pytest.raises(UserError, match="Bob"):
        ct.open_counter(opened.id, opened.c2, opened.alice, at(0))
    assert m.Counter.get_by_id(opened.c2).officer_id == opened.bob
    # the same officer signing in again is fine
    assert ct.open_counter(opened.id, opened.c2, opened.bob, at(1)).state == "open"


@pytest.mark.parametrize("state, reason", [("break", "พักกลางวัน"), ("away", "ออกตรวจพื้นที่")])
def test_break_and_away_are_recorded_with_the_previous_state(opened, state, reason):
    row = ct.set_counter_state(opened.id, opened.c1, opened.alice, state, bkk(12, 0), reason=reason)
    assert row.state == state and row.officer == "สมศรี ใจดี"  # still held by the officer
    counter = m.Counter.get_by_id(opened.c1)
    assert counter.state == state and from_db(counter.state_since) == bkk(12, 0)
    event = events("counter_state")[-1]
    assert (event.counter_id, event.staff_id, event.reason) == (opened.c1, opened.alice, reason)
    assert data(event) == {"state": state, "previous": "open"}
    assert from_db(event.at) == bkk(12, 0)
    back = ct.set_counter_state(opened.id, opened.c1, opened.alice, "open", bkk(13, 0))
    assert back.state == "open"
    assert data(events("counter_state")[-1]) == {"state": "open", "previous": state}
    # other counters see it in the snapshot
    ct.set_counter_state(opened.id, opened.c1, opened.alice, state, bkk(14, 0), reason=reason)
    snap = q.snapshot(opened.id, opened.c2, bkk(14, 1))
    assert {r.id: r.state for r in snap.counters}[opened.c1] == state


def test_break_is_refused_while_a_ticket_is_at_the_counter(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))
    q.call_next(opened.id, opened.c1, opened.alice, at(1))
    with pytest.raises(UserError):
        ct.set_counter_state(opened.id, opened.c1, opened.alice, "break", at(2))
    assert m.Counter.get_by_id(opened.c1).state == "open"


@pytest.mark.parametrize("state", ["closed", "serving", "lunch"])
def test_set_counter_state_refuses_other_states(opened, state):
    with pytest.raises(UserError):
        ct.set_counter_state(opened.id, opened.c1, opened.alice, state, at(0))
    assert m.Counter.get_by_id(opened.c1).state == "open"


# --- closing a counter: hand-over -------------------------------------------------------------


def test_closing_check_lists_tickets_only_this_counter_serves(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))  # E001: only counter 1 serves signboard tax
    issue(opened, "LAND_BUILDING_TAX", at(1))  # E002: counter 2 serves it too
    issue(opened, "SIGNBOARD_TAX", at(2))  # E003
    check = ct.closing_check(opened.id, opened.c1, at(3))
    assert check.needed == ["E001", "E003"]
    assert [c.id for c in check.candidates] == [opened.c2]  # counter 3 is closed
    assert check.handed_to is None and check.stranded == []
    # nothing needed when the other counter serves everything waiting
    assert ct.closing_check(opened.id, opened.c2, at(3)).needed == []


def test_close_counter_hands_over_to_another_counter(opened):
    e1 = issue(opened, "SIGNBOARD_TAX", at(0))
    e2 = issue(opened, "LAND_BUILDING_TAX", at(1))
    result = ct.close_counter(opened.id, opened.c1, opened.alice, at(10), handover_to=opened.c2)
    assert result.needed == ["E001"] and result.handed_to == "ช่อง 2" and result.stranded == []
    row = ticket_row(e1.id)
    assert row.assigned_counter_id == opened.c2 and row.status == "waiting"
    assert ticket_row(e2.id).assigned_counter_id is None
    (event,) = events("transferred")
    assert (event.ticket_id, event.counter_id, event.staff_id) == (e1.id, opened.c1, opened.alice)
    assert data(event)["to_counter"] == opened.c2 and event.reason
    # the closing itself, officer released
    counter = m.Counter.get_by_id(opened.c1)
    assert counter.state == "closed" and counter.officer_id is None
    assert data(events("counter_state")[-1]) == {"state": "closed", "previous": "open"}
    # counter 2 now shows it, marked as handed over, in its place
    snap = q.snapshot(opened.id, opened.c2, at(11))
    assert [(w.number, w.handed_over) for w in snap.waiting] == [("E001", True), ("E002", False)]
    assert q.call_next(opened.id, opened.c2, opened.bob, at(12)).id == e1.id
    # not a no-show
    assert events("no_show") == []


def test_close_counter_when_no_counter_can_take_them(opened):
    ct.close_counter(opened.id, opened.c2, opened.bob, at(0))  # only counter 1 is left open
    e1 = issue(opened, "SIGNBOARD_TAX", at(1))
    e2 = issue(opened, "LAND_BUILDING_TAX", at(2))
    check = ct.closing_check(opened.id, opened.c1, at(3))
    assert check.needed == ["E001", "E002"] and check.candidates == []
    result = ct.close_counter(opened.id, opened.c1, opened.alice, at(4))
    assert result.stranded == ["E001", "E002"] and result.handed_to is None
    assert events("transferred") == []
    assert {ticket_row(t.id).status for t in (e1, e2)} == {"waiting"}
    assert m.Counter.get_by_id(opened.c1).state == "closed"


def test_close_counter_refuses_a_counter_that_cannot_take_them(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))
    with pytest.raises(UserError):
        ct.close_counter(opened.id, opened.c1, opened.alice, at(1), handover_to=opened.c3)  # closed
    with pytest.raises(UserError):
        ct.close_counter(opened.id, opened.c1, opened.alice, at(1), handover_to=opened.c1)
    assert m.Counter.get_by_id(opened.c1).state == "open"
    assert events("transferred") == []
    assert m.Ticket.get().assigned_counter_id is None


def test_close_counter_is_refused_with_a_ticket_at_the_counter(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))
    q.call_next(opened.id, opened.c1, opened.alice, at(1))
    with pytest.raises(UserError):
        ct.close_counter(opened.id, opened.c1, opened.alice, at(2), handover_to=opened.c2)
    assert m.Counter.get_by_id(opened.c1).state == "open"


def test_tickets_handed_to_a_counter_go_on_when_that_counter_closes(opened):
    ct.open_counter(opened.id, opened.c3, opened.chai, at(0))
    e1 = issue(opened, "SIGNBOARD_TAX", at(1))
    ct.close_counter(opened.id, opened.c1, opened.alice, at(2), handover_to=opened.c2)
    check = ct.closing_check(opened.id, opened.c2, at(3))
    assert check.needed == ["E001"]
    ct.close_counter(opened.id, opened.c2, opened.bob, at(4), handover_to=opened.c3)
    assert ticket_row(e1.id).assigned_counter_id == opened.c3
    assert [data(e)["to_counter"] for e in events("transferred")] == [opened.c2, opened.c3]


# --- closing time -----------------------------------------------------------------------------


def test_closing_time_is_the_end_of_the_last_range(office):
    assert q.closing_time(office.id, TODAY) == bkk(16, 30)
    set_setting(
        office.id,
        "office.hours",
        "08:30-12:00,13:00-16:00",
        FIXED_NOW,
        TODAY,
        actor_id=admin_id(office.id),
    )
    assert q.closing_time(office.id, TODAY) == bkk(16, 0)
    assert q.closing_time(office.id, TODAY).utcoffset() == timedelta(hours=7)


def test_before_closing_only_earlier_days_are_closed(opened):
    old = issue(opened, "SIGNBOARD_TAX", FIXED_NOW - timedelta(days=1))
    today = issue(opened, "SIGNBOARD_TAX", bkk(9, 0))
    assert q.close_waiting_after_hours(opened.id, bkk(10, 0)) == 1
    assert ticket_row(old.id).status == "closed"
    assert ticket_row(today.id).status == "waiting"
    (event,) = events("closed")
    assert event.ticket_id == old.id and "office closed" in event.reason
    assert q.close_waiting_after_hours(opened.id, bkk(10, 1)) == 0


def test_at_closing_time_waiting_tickets_are_closed_and_counted(opened):
    waiting = [issue(opened, "SIGNBOARD_TAX", bkk(15, i)) for i in range(3)]
    other = issue(opened, "ELDERLY_ALLOWANCE_REG", bkk(15, 10))
    called = issue(opened, "LAND_BUILDING_TAX", bkk(15, 20))
    q.call_next(opened.id, opened.c2, opened.bob, bkk(16, 0))
    assert q.close_waiting_after_hours(opened.id, bkk(16, 29)) == 0
    assert q.close_waiting_after_hours(opened.id, bkk(16, 31)) == 4
    for t in [*waiting, other]:
        assert ticket_row(t.id).status == "closed"
        app = m.Application.get(m.Application.ticket == t.id)
        assert (app.status, app.outcome) == ("closed", "office_closed")
    assert ticket_row(called.id).status == "called"  # at a counter: left alone
    closed = events("closed")
    assert sorted(e.ticket_id for e in closed) == sorted(t.id for t in [*waiting, other])
    assert all("office closed" in e.reason for e in closed)
    assert all(from_db(e.at) == bkk(16, 31) for e in closed)
    assert q.close_waiting_after_hours(opened.id, bkk(16, 35)) == 0
    snap = q.snapshot(opened.id, opened.c1, bkk(16, 36))
    assert snap.waiting == [] and snap.waiting_office == 0


def test_closing_time_follows_the_office_hours_setting(opened):
    set_setting(
        opened.id,
        "office.hours",
        "08:30-12:00,13:00-15:00",
        FIXED_NOW,
        TODAY,
        actor_id=admin_id(opened.id),
    )
    issue(opened, "SIGNBOARD_TAX", bkk(11, 50))
    assert q.close_waiting_after_hours(opened.id, bkk(12, 30)) == 0  # lunch is not closing
    assert q.close_waiting_after_hours(opened.id, bkk(15, 0)) == 1


def test_a_ticket_issued_before_opening_waits_and_is_called(office):
    early = issue(office, "SIGNBOARD_TAX", bkk(7, 0))
    assert early.number == "E001" and early.people_ahead == 0
    assert ticket_row(early.id).service_date == TODAY
    assert q.close_waiting_after_hours(office.id, bkk(7, 5)) == 0
    assert q.close_waiting_after_hours(office.id, bkk(8, 30)) == 0
    ct.open_counter(office.id, office.c1, office.alice, bkk(8, 30))
    called = q.call_next(office.id, office.c1, office.alice, bkk(8, 31))
    assert called.id == early.id
    assert called.called_at - called.issued_at == timedelta(minutes=91)


def test_a_ticket_issued_just_after_midnight_belongs_to_that_day(office):
    night = issue(office, "SIGNBOARD_TAX", bkk(0, 30))  # 17:30 UTC the day before
    assert ticket_row(night.id).service_date == TODAY
    assert q.close_waiting_after_hours(office.id, bkk(1, 0)) == 0
    assert ticket_row(night.id).status == "waiting"


# --- snapshot ---------------------------------------------------------------------------------


def test_snapshot_waiting_in_policy_order(opened):
    set_policy(opened.id, "priority", 1)
    issue(opened, "SIGNBOARD_TAX", at(0))  # E001 N
    issue(opened, "LAND_BUILDING_TAX", at(1))  # E002 N
    issue(opened, "SIGNBOARD_TAX", at(2), priority="elderly")  # E003 P
    issue(opened, "SIGNBOARD_TAX", at(3), priority="monk")  # E004 P
    issue(opened, "ELDERLY_ALLOWANCE_REG", at(4))  # A001: not counter 1's
    snap = q.snapshot(opened.id, opened.c1, at(60))
    assert snap.policy == "priority"
    assert [w.number for w in snap.waiting] == ["E003", "E001", "E002", "E004"]
    first = snap.waiting[1]
    assert (first.service_code, first.priority, first.handed_over) == ("SIGNBOARD_TAX", None, False)
    assert first.wait_seconds == 60
    assert snap.waiting[0].priority == "elderly"
    # counter 2 sees only land tax
    assert [w.number for w in q.snapshot(opened.id, opened.c2, at(60)).waiting] == ["E002"]
    assert snap.waiting_office == 5
    # the order shown is the order called
    called = [
        serve_through(opened, opened.c1, opened.alice, at(100 * k)).number for k in range(1, 5)
    ]
    assert called == ["E003", "E001", "E002", "E004"]


def test_snapshot_fifo(opened):
    for i in range(3):
        issue(opened, "SIGNBOARD_TAX", at(i), priority="elderly" if i == 2 else None)
    snap = q.snapshot(opened.id, opened.c1, at(10))
    assert snap.policy == "fifo"
    assert [w.number for w in snap.waiting] == ["E001", "E002", "E003"]


def test_snapshot_shows_the_other_counters(opened):
    ct.open_counter(opened.id, opened.c3, opened.chai, at(0))
    issue(opened, "LAND_BUILDING_TAX", at(1))
    issue(opened, "LAND_BUILDING_TAX", at(2))
    q.call_next(opened.id, opened.c2, opened.bob, at(3))
    ct.set_counter_state(opened.id, opened.c3, opened.chai, "away", at(4), reason="ออกพื้นที่")
    snap = q.snapshot(opened.id, opened.c1, at(5))
    assert snap.counter.id == opened.c1 and snap.counter.state == "open"
    assert snap.current is None
    rows = {r.id: r for r in snap.counters}
    assert set(rows) == {opened.c1, opened.c2, opened.c3}
    assert (rows[opened.c2].state, rows[opened.c2].officer, rows[opened.c2].current) == (
        "open",
        "Bob",
        "E001",
    )
    assert (rows[opened.c3].state, rows[opened.c3].officer) == ("away", "ชัย")
    assert [w.number for w in snap.waiting] == ["E002"]
    mine = q.snapshot(opened.id, opened.c2, at(5))
    assert mine.current.number == "E001" and mine.current.status == "called"
    assert mine.counter.current == "E001"


def test_snapshot_touches_only_today(opened):
    issue(opened, "SIGNBOARD_TAX", FIXED_NOW - timedelta(days=1))
    issue(opened, "SIGNBOARD_TAX", FIXED_NOW)
    snap = q.snapshot(opened.id, opened.c1, at(1))
    assert [w.number for w in snap.waiting] == ["E001"]
    assert snap.waiting[0].issued_at == FIXED_NOW
    assert snap.waiting_office == 1


def test_snapshot_of_an_unknown_counter(opened):
    with pytest.raises(UserError):
        q.snapshot(opened.id, 9999, at(0))


# --- finding services -------------------------------------------------------------------------


def codes(found) -> list[str]:
    return [code for code, _th, _letter in found]


def test_find_services_by_thai_english_and_code(office):
    assert set(codes(find_services(office.id, "ภาษี"))) == {"SIGNBOARD_TAX", "LAND_BUILDING_TAX"}
    assert codes(find_services(office.id, "ผู้สูงอายุ")) == ["ELDERLY_ALLOWANCE_REG"]
    assert codes(find_services(office.id, "Signboard")) == ["SIGNBOARD_TAX"]
    assert codes(find_services(office.id, "  Construction PERMIT ")) == ["BUILDING_PERMIT_S21"]
    assert codes(find_services(office.id, "s21")) == ["BUILDING_PERMIT_S21"]
    assert codes(find_services(office.id, "elderly_allow")) == ["ELDERLY_ALLOWANCE_REG"]
    assert find_services(office.id, "no such service") == []


def test_find_services_returns_name_and_letter_sorted_by_letter(office):
    found = find_services(office.id, "")
    assert len(found) == 12
    assert [letter for _c, _t, letter in found] == sorted(letter for _c, _t, letter in found)
    assert ("SIGNBOARD_TAX", "การชำระภาษีป้าย", "E") in found
    assert len(find_services(office.id, "", limit=3)) == 3


# --- known races, reproduced deterministically ------------------------------------------------


@pytest.fixture
def lone_sqlite(tmp_path):
    """A SQLite database of our own (the race is SQLite's): its path and a ready office."""
    from counter_tui.services.office import connect

    path = tmp_path / "counter.db"
    database, info = connect(f"sqlite:///{path}", FIXED_NOW)
    office = build_office(info.id)
    ct.open_counter(office.id, office.c1, office.alice, at(0))
    ct.open_counter(office.id, office.c2, office.bob, at(0))
    issue(office, "SIGNBOARD_TAX", at(1))
    q.call_next(office.id, office.c1, office.alice, at(2))
    yield path, office
    database.close()
    m.database_proxy.initialize(None)


READ_THEN_WRITE = {
    "recall": lambda o: q.recall(o.id, o.c1, o.alice, "ไม่ได้ยิน", at(10)),
    "skip": lambda o: q.skip(o.id, o.c1, o.alice, "ไปถ่ายเอกสาร", at(10)),
    "no_show": lambda o: q.skip(o.id, o.c1, o.alice, "ไม่มา", at(10), no_show=True),
    "start_serving": lambda o: q.start_serving(o.id, o.c1, o.alice, at(10)),
    "finish_application": lambda o: (
        q.start_serving(o.id, o.c1, o.alice, at(9)),
        v.finish_application(o.id, o.c1, o.alice, "completed", at(10)),
    ),
    "set_counter_state": lambda o: ct.set_counter_state(o.id, o.c2, o.bob, "break", at(10)),
    "open_counter": lambda o: ct.open_counter(o.id, o.c3, o.chai, at(10)),
}


@pytest.mark.parametrize("use_case", list(READ_THEN_WRITE))
def test_read_then_write_use_cases_survive_a_concurrent_write_on_sqlite(
    lone_sqlite, monkeypatch, use_case
):
    path, office = lone_sqlite
    other = sqlite3.connect(path, timeout=0.2, isolation_level=None)  # another counter's PC
    armed = {"on": False}

    def write_from_another_counter():
        armed["on"] = False
        try:
            other.execute(
                "INSERT INTO event (office_id, at, kind) VALUES (?, ?, ?)",
                (office.id, "2026-11-24 03:00:09", "counter_state"),
            )
        except sqlite3.OperationalError as exc:  # our transaction holds the write lock: fine
            assert "locked" in str(exc)

    def after_read(fn):
        def wrapper(*args, **kwargs):
            result = fn(*args, **kwargs)
            if armed["on"]:
                write_from_another_counter()
            return result

        return wrapper

    # the reads each use-case writes by, wherever it calls them from
    for module in (q, ct, v):
        for name, read in (
            ("counter_record", ct.counter_record),
            ("current_ticket", tickets.current_ticket),
        ):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, after_read(read))
    before = m.Event.select().count()
    armed["on"] = True
    try:
        READ_THEN_WRITE[use_case](office)
    finally:
        other.close()
    # The use-case committed (before the fix it raised "database is locked"); the other
    # counter either wrote first or waited for our lock.
    assert m.Event.select().count() >= before + 1


def test_wait_is_never_negative(opened):
    issue(opened, "SIGNBOARD_TAX", at(10))  # the kiosk's clock, committed first
    called = q.call_next(opened.id, opened.c1, opened.alice, at(5))  # this counter's clock
    assert called is None or called.called_at >= called.issued_at


@pytest.mark.parametrize("out_of_order", [False, True])
def test_visit_times_never_run_backwards_with_a_clock_behind(opened, out_of_order):
    ticket = issue(opened, "SIGNBOARD_TAX", at(10))  # the kiosk's clock
    # counter 1's clock is 5 s behind the kiosk's
    if out_of_order:
        q.call_ticket(opened.id, opened.c1, opened.alice, "E001", "นัดหมาย", at(5))
    else:
        q.call_next(opened.id, opened.c1, opened.alice, at(5))
    q.start_serving(opened.id, opened.c1, opened.alice, at(7))
    v.finish_application(opened.id, opened.c1, opened.alice, "completed", at(60))
    row = ticket_row(ticket.id)
    app = m.Application.get(m.Application.ticket == ticket.id)
    stamps = [
        from_db(row.issued_at),
        from_db(row.called_at),
        from_db(app.started_at),
        from_db(app.finished_at),
    ]
    assert stamps == sorted(stamps)
    log = [from_db(e.at) for e in events(ticket=ticket.id)]
    assert [e.kind for e in events(ticket=ticket.id)] == ["issued", "called", "started", "finished"]
    assert log == sorted(log)


def test_bound_holds_when_counters_serve_overlapping_services(opened):
    set_policy(opened.id, "priority", 2)
    issue(opened, "LAND_BUILDING_TAX", at(0))  # E001 normal: both counters
    issue(opened, "SIGNBOARD_TAX", at(1), priority="elderly")  # E002: counter 1 only
    issue(opened, "SIGNBOARD_TAX", at(2), priority="elderly")  # E003: counter 1 only
    issue(opened, "LAND_BUILDING_TAX", at(3), priority="monk")  # E004: both counters
    assert serve_through(opened, opened.c1, opened.alice, at(10)).number == "E002"
    assert serve_through(opened, opened.c1, opened.alice, at(40)).number == "E003"
    # E001 has now been overtaken twice (it could have been called at counter 1 both times);
    # the policy calls it next wherever it is called
    assert [w.number for w in q.snapshot(opened.id, opened.c2, at(69)).waiting][0] == "E001"
    assert q.call_next(opened.id, opened.c2, opened.bob, at(70)).number == "E001"


def test_people_ahead_counts_tickets_handed_over_to_a_counter(opened):
    issue(opened, "SIGNBOARD_TAX", at(0))  # E001: only counter 1 serves it
    ct.close_counter(opened.id, opened.c1, opened.alice, at(1), handover_to=opened.c2)
    # counter 2, the only one open, will call E001 before this ticket
    later = issue(opened, "LAND_BUILDING_TAX", at(2))
    assert [w.number for w in q.snapshot(opened.id, opened.c2, at(3)).waiting] == ["E001", "E002"]
    assert later.people_ahead == 1


def test_out_of_order_call_stays_within_the_counters_queue(opened):
    issue(opened, "ELDERLY_ALLOWANCE_REG", at(0))  # A001: not a service of counter 1
    with pytest.raises(UserError, match="not in this counter's queue"):
        q.call_ticket(opened.id, opened.c1, opened.alice, "A001", "นัดหมาย", at(5))
    assert ticket_row(m.Ticket.get(m.Ticket.number == "A001").id).status == "waiting"


def test_hand_over_is_offered_only_to_open_counters(opened):
    issue(opened, "LAND_BUILDING_TAX", at(0))
    ct.set_counter_state(opened.id, opened.c2, opened.bob, "break", at(1))
    check = ct.closing_check(opened.id, opened.c1, at(2))
    assert all(c.state == "open" for c in check.candidates)
    assert opened.c2 not in [c.id for c in check.candidates]
