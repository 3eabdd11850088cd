"""Every event is appended by one function, ``services.events.append_event`` (issue 12 item 4):
a day at the counter through the use-cases the app and the CLI call writes exactly as many
event rows as that function was asked to append, on both backends."""

from __future__ import annotations

import json

import pytest
from support.actors import admin_id
from support.office import bkk, build_office, make_counter
from support.office import minutes_after as at

from counter_tui.db import models as m
from counter_tui.services import cases, events, survey
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import visit as v


@pytest.fixture
def appended(monkeypatch) -> list[str]:
    """The kinds ``append_event`` appended, in order."""
    kinds: list[str] = []
    real = events.append_event

    def counting(office_id, kind, when, **rest):
        kinds.append(kind)
        return real(office_id, kind, when, **rest)

    # every module that appends events, by the name it imported
    for module in (events, q, ct, v, cases, survey):
        monkeypatch.setattr(module, "append_event", counting)
    return kinds


def test_every_event_row_is_appended_through_append_event(db, appended):
    office = build_office(db.id)
    permits = make_counter(db.id, "ช่อง 4", "กองช่าง", ["BUILDING_PERMIT_S21"])
    ct.open_counter(db.id, office.c1, office.alice, at(0))
    ct.open_counter(db.id, permits, office.bob, at(0))
    # the queue: issue, call next (hand-written SQL), out of order, recall, skip, serve
    q.issue_ticket(db.id, "SIGNBOARD_TAX", at(1))
    second = q.issue_ticket(db.id, "SIGNBOARD_TAX", at(2))
    q.call_next(db.id, office.c1, office.alice, at(3))
    q.recall(db.id, office.c1, office.alice, "ไม่ได้ยิน", at(4))
    q.skip(db.id, office.c1, office.alice, "ไปถ่ายเอกสาร", at(5))
    q.call_ticket(db.id, office.c1, office.alice, second.number, "นัดหมายไว้", at(6))
    q.start_serving(db.id, office.c1, office.alice, at(7))
    v.toggle_pause(db.id, office.c1, office.alice, at(8), "ผู้รับบริการไปถ่ายเอกสาร")
    v.toggle_pause(db.id, office.c1, office.alice, at(9))
    v.finish_application(db.id, office.c1, office.alice, "completed", at(10))
    survey.offer_survey(db.id, second.id, office.alice, "screen", at(10))
    survey.rate(db.id, second.id, office.alice, 5, at(11))
    # a multi-day service: its case is opened at the finish, then followed up
    q.serve_now(db.id, permits, office.bob, "BUILDING_PERMIT_S21", at(12))
    v.finish_application(db.id, permits, office.bob, "accepted", at(20))
    case = m.Case.get()
    cases.record_progress(db.id, case.id, admin_id(db.id), "ส่งตรวจแบบแล้ว", at(30))
    # counters: a break, the close; the tickets left after closing time
    ct.set_counter_state(db.id, office.c1, office.alice, "break", at(40))
    ct.close_counter(db.id, office.c1, office.alice, at(41))
    q.issue_ticket(db.id, "LAND_BUILDING_TAX", at(42))
    assert q.close_waiting_after_hours(db.id, bkk(17, 0)) >= 1

    rows = list(m.Event.select().order_by(m.Event.id))
    assert [e.kind for e in rows] == appended
    assert {"called", "case_opened", "closed", "counter_state", "rating_given"} <= set(appended)
    called = [e for e in rows if e.kind == "called"]
    # call next's event as it was written by its own SQL: the policy, the counter, the officer
    assert json.loads(called[0].data) == {"policy": q.snapshot(db.id, office.c1, at(50)).policy}
    assert (called[0].counter_id, called[0].staff_id) == (office.c1, office.alice)
