"""By keys: the returning visitor's application reopened by its number (x on the queue screen),
an application returned after its deadline, and an early finish undone (u on the finish
screen). Fixed clock; both backends."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input

from conftest import FIXED_NOW
from counter_tui.db import models as m
from counter_tui.screens.finish import FinishScreen
from counter_tui.screens.queue import QueueScreen
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import staff as st
from counter_tui.services import visit as v
from test_queue_screen import Clock, _app, settle


def _deficient(db):
    officer = st.add_staff(db.id, "สมศรี", "officer", "1234", FIXED_NOW)
    counter = ct.add_counter(db.id, "ช่อง 1", "สำนักปลัด", ["ELDERLY_ALLOWANCE_REG"], FIXED_NOW)
    q.open_counter(db.id, counter.id, officer.id, FIXED_NOW)
    q.issue_ticket(db.id, "ELDERLY_ALLOWANCE_REG", FIXED_NOW)
    q.call_next(db.id, counter.id, officer.id, FIXED_NOW)
    q.start_serving(db.id, counter.id, officer.id, FIXED_NOW)
    info = v.record_deficiency(db.id, counter.id, officer.id, ["สำเนาทะเบียนบ้าน"],
                               FIXED_NOW.date() + timedelta(days=7),
                               FIXED_NOW + timedelta(minutes=6))
    return officer, counter, info.application_number


async def _type_number(pilot, number: str) -> None:
    await pilot.press("x")
    await settle(pilot)
    pilot.app.screen.query_one("#text", Input).value = number
    await pilot.press("enter")
    await settle(pilot)


async def test_reopen_by_number_continues_the_application(db, db_url, tmp_path):
    officer, counter, number = _deficient(db)
    clock = Clock()
    clock.now = FIXED_NOW + timedelta(days=2)
    app = _app(db_url, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(QueueScreen(officer, counter.id))
        await settle(pilot)
        await _type_number(pilot, number)
        await pilot.press("enter")  # reopen
        await settle(pilot)
        assert type(app.screen).__name__ == "ServiceScreen"
        assert app.screen.view.active.number == number
        assert app.screen.view.active.timing.service_seconds == 6 * 60
    assert m.Event.select().where(m.Event.kind == "reopened").count() == 1


async def test_return_after_the_deadline(db, db_url, tmp_path):
    officer, counter, number = _deficient(db)
    clock = Clock()
    clock.now = FIXED_NOW + timedelta(days=9)
    app = _app(db_url, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(QueueScreen(officer, counter.id))
        await settle(pilot)
        await _type_number(pilot, number)
        await pilot.press("down", "enter")  # return
        await settle(pilot)
        await pilot.press("enter")  # the listed reason
        await settle(pilot)
    application = m.Application.get(m.Application.number == number)
    assert application.outcome == "returned"
    assert m.DeficiencyRecord.get().return_reason == "ไม่ส่งเอกสารเพิ่มเติมภายในกำหนด"


async def test_an_early_finish_is_undone_from_the_finish_screen(db, db_url, tmp_path):
    officer = st.add_staff(db.id, "สมศรี", "officer", "1234", FIXED_NOW)
    counter = ct.add_counter(db.id, "ช่อง 1", "กองคลัง", ["SIGNBOARD_TAX"], FIXED_NOW)
    q.open_counter(db.id, counter.id, officer.id, FIXED_NOW)
    ticket = q.issue_ticket(db.id, "SIGNBOARD_TAX", FIXED_NOW)
    q.call_next(db.id, counter.id, officer.id, FIXED_NOW)
    q.start_serving(db.id, counter.id, officer.id, FIXED_NOW)
    v.finish_application(db.id, counter.id, officer.id, "completed",
                         FIXED_NOW + timedelta(minutes=2))
    clock = Clock()
    clock.now = FIXED_NOW + timedelta(minutes=3)
    app = _app(db_url, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(FinishScreen(officer, counter.id, ticket.id))
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("enter")  # a listed reason
        await settle(pilot)
        assert type(app.screen).__name__ == "ServiceScreen"
        assert app.screen.view.active.timing.status == "serving"
    correction = m.Event.get(m.Event.kind == "corrected")
    assert '"finish"' in correction.data and correction.reason
    assert m.Event.select().where(m.Event.kind == "finished").count() == 1  # original kept
