"""A printer that does not answer holds only the prints: the job is made on the database thread
and sent on the printer thread, so the counter's database work (call next) goes on meanwhile,
and the print's own follow-up (the survey offered on the slip) is written once it is printed."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

from conftest import FIXED_NOW, settle
from support.actors import admin_id

from counter_tui.app import make_app
from counter_tui.config import Settings
from counter_tui.db import models as m
from counter_tui.screens.finish import FinishScreen
from counter_tui.services import counters as ct
from counter_tui.services import printouts
from counter_tui.services import queue as q
from counter_tui.services import staff as st
from counter_tui.services import visit as v
from counter_tui.services.settings import set_setting

URL = "https://itas.nacc.go.th/go/eit/xgitdi"


async def test_call_next_answers_while_the_printer_hangs(db, db_url, tmp_path, monkeypatch):
    set_setting(db.id, "survey.eit_url", URL, FIXED_NOW, FIXED_NOW.date(), actor_id=admin_id(db.id))
    staff = st.add_staff(db.id, "สมศรี", "officer", "1234", FIXED_NOW, actor_id=admin_id(db.id))
    counter = ct.add_counter(
        db.id,
        "ช่อง 1",
        "กองคลัง",
        ["SIGNBOARD_TAX"],
        FIXED_NOW,
        printer="tcp://127.0.0.1:9100",
        actor_id=admin_id(db.id),
    )
    ct.open_counter(db.id, counter.id, staff.id, FIXED_NOW)
    ticket = q.issue_ticket(db.id, "SIGNBOARD_TAX", FIXED_NOW)
    q.call_next(db.id, counter.id, staff.id, FIXED_NOW)
    q.start_serving(db.id, counter.id, staff.id, FIXED_NOW)
    v.finish_application(db.id, counter.id, staff.id, "completed", FIXED_NOW + timedelta(minutes=4))
    waiting = q.issue_ticket(db.id, "SIGNBOARD_TAX", FIXED_NOW + timedelta(minutes=1))

    sending, release, sent = threading.Event(), threading.Event(), []

    def hanging_printer(job) -> None:  # a printer that answers only when the test says so
        sending.set()
        assert release.wait(10), "the test never released the printer"
        sent.append(job)

    monkeypatch.setattr(printouts, "send_job", hanging_printer)
    app = make_app(
        Settings(config_path=tmp_path / "c.toml", database_url=db_url),
        clock=lambda: FIXED_NOW + timedelta(minutes=5),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(FinishScreen(staff, counter.id, ticket.id))
        await settle(pilot)
        await pilot.press("p")
        assert await asyncio.to_thread(sending.wait, 10)  # the slip is on its way, and hangs
        called = await asyncio.wait_for(
            app.db.run(q.call_next, db.id, counter.id, staff.id, FIXED_NOW + timedelta(minutes=6)),
            timeout=5,
        )
        assert called is not None and called.number == waiting.number
        assert not sent and not m.Event.select().where(m.Event.data.contains('"slip"')).exists()
        release.set()
        for _ in range(50):
            await settle(pilot)
            if m.Event.select().where(m.Event.data.contains('"slip"')).exists():
                break
        assert len(sent) == 1 and sent[0].printer == "tcp://127.0.0.1:9100"
        assert m.Event.select().where(m.Event.data.contains('"slip"')).exists()
