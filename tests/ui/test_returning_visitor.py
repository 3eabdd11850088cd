"""By keys: the returning visitor's application reopened by its number (x on the queue screen),
an application returned after its deadline, and an early finish undone (u on the finish
screen). Fixed clock; both backends."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import timedelta

from conftest import FIXED_NOW
from support.clock import Clock
from support.office import ticket_in_service
from support.ui import counter_app, settle
from textual.widgets import Input

from counter_tui.db import models as m
from counter_tui.screens.finish import FinishScreen
from counter_tui.screens.queue import QueueScreen
from counter_tui.services import visit as v


def _deficient(db):
    officer, counter, _ = ticket_in_service(db.id, "ELDERLY_ALLOWANCE_REG", unit="สำนักปลัด")
    info = v.record_deficiency(
        db.id,
        counter.id,
        officer.id,
        ["สำเนาทะเบียนบ้าน"],
        FIXED_NOW.date() + timedelta(days=7),
        FIXED_NOW + timedelta(minutes=6),
    )
    return officer, counter, info.application_number


async def _type_number(pilot, number: str) -> None:
    await pilot.press("x")
    await settle(pilot)
    pilot.app.screen.query_one("#text", Input).value = number
    await pilot.press("enter")
    await settle(pilot)


@asynccontextmanager
async def _number_typed(db_url, tmp_path, officer, counter, number: str, days: int):
    """The counter's queue screen ``days`` after the deficiency record, the number typed (x):
    yields the app and the pilot."""
    app = counter_app(db_url, tmp_path, Clock(FIXED_NOW + timedelta(days=days)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(QueueScreen(officer, counter.id))
        await settle(pilot)
        await _type_number(pilot, number)
        yield app, pilot


async def test_reopen_by_number_continues_the_application(db, db_url, tmp_path):
    officer, counter, number = _deficient(db)
    async with _number_typed(db_url, tmp_path, officer, counter, number, 2) as (app, pilot):
        await pilot.press("enter")  # reopen
        await settle(pilot)
        assert type(app.screen).__name__ == "ServiceScreen"
        assert app.screen.view.active.number == number
        assert app.screen.view.active.timing.service_seconds == 6 * 60
    assert m.Event.select().where(m.Event.kind == "reopened").count() == 1


async def test_return_after_the_deadline(db, db_url, tmp_path):
    officer, counter, number = _deficient(db)
    async with _number_typed(db_url, tmp_path, officer, counter, number, 9) as (app, pilot):
        await pilot.press("down", "enter")  # return
        await settle(pilot)
        await pilot.press("enter")  # the listed reason
        await settle(pilot)
    application = m.Application.get(m.Application.number == number)
    assert application.outcome == "returned"
    assert m.DeficiencyRecord.get().return_reason == "ไม่ส่งเอกสารเพิ่มเติมภายในกำหนด"


async def test_an_early_finish_is_undone_from_the_finish_screen(db, db_url, tmp_path):
    officer, counter, ticket = ticket_in_service(db.id, "SIGNBOARD_TAX")
    v.finish_application(
        db.id, counter.id, officer.id, "completed", FIXED_NOW + timedelta(minutes=2)
    )
    clock = Clock()
    clock.now = FIXED_NOW + timedelta(minutes=3)
    app = counter_app(db_url, tmp_path, clock)
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
