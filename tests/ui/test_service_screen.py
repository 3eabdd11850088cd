"""The guided service screen driven by keys, as an officer would: the manual on screen, F8 steps,
F9 pauses with a reason, live timers against the standards (80 % / 100 %), the applicant (PDPA:
masked ID, errors inside the dialog), the deficiency record, F10 outcomes, the finish screen and
the way back to the queue. A fixed clock that the test advances; both backends; snapshots of the
service and finish screens at 120×40.
"""

from __future__ import annotations

import json
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path

from conftest import FIXED_NOW, settle
from support.actors import add_admin, admin_id
from support.clock import Clock
from support.manuals import (
    HOUSE_REGISTRATION_IF_MOVED,
    PROXY_LETTER,
    REQUEST_FORM,
    import_toml,
    with_documents,
    with_people,
)
from support.manuals import TIMED_TOML as BASE_TIMED_TOML
from support.ui import press
from textual.widgets import DataTable, Input, Label, SelectionList

from counter_tui.app import make_app
from counter_tui.config import Settings
from counter_tui.core import national_id
from counter_tui.db import models as m
from counter_tui.screens.dialogs import ChoiceDialog, ReasonDialog
from counter_tui.screens.finish import FinishScreen
from counter_tui.screens.queue import QueueScreen
from counter_tui.screens.service import DeficiencyDialog, PeopleDialog, ServiceScreen
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import staff as st

VALID_ID = "3012304567082"  # 3-0123-04567-08-2
BAD_ID = "3012304567083"


TIMED_TOML = with_documents(
    with_people(BASE_TIMED_TOML, name="required", national_id="required", address="required"),
    REQUEST_FORM,
    HOUSE_REGISTRATION_IF_MOVED,
    PROXY_LETTER,
)


def _app(db_url: str, tmp_path: Path, clock) -> object:
    settings = Settings(config_path=tmp_path / "config.toml", database_url=db_url, counter="ช่อง 1")
    return make_app(settings, clock=clock)


def _setup(office_id: int) -> int:
    """The timed manual, an admin, one officer and ช่อง 1; returns the officer's id."""
    import_toml(office_id, TIMED_TOML, "timed_permit.toml")
    add_admin(office_id)
    officer = st.add_staff(
        office_id, "สมชาย ใจดี", "officer", "1234", FIXED_NOW, actor_id=admin_id(office_id)
    )
    ct.add_counter(
        office_id,
        "ช่อง 1",
        "สำนักปลัด",
        ["TIMED_PERMIT", "ELDERLY_ALLOWANCE_REG", "OFFICIAL_INFO_REQUEST", "LAND_BUILDING_TAX"],
        FIXED_NOW,
        actor_id=admin_id(office_id),
    )
    return officer.id


async def _sign_in(pilot) -> None:
    # Pilot.press drops Thai combining marks: the name is set as typed text. The counter comes
    # from the config; Tab passes over it to the PIN.
    pilot.app.screen.query_one("#name", Input).value = "สมชาย ใจดี"
    await press(pilot, "enter", "tab", *"1234", "enter")
    assert isinstance(pilot.app.screen, QueueScreen)


async def _call_and_start(pilot, clock: Clock) -> ServiceScreen:
    """F5 one minute after the sign-in, Enter one minute later: the service screen opens."""
    clock.advance(1)
    await press(pilot, "f5")
    clock.advance(1)
    await press(pilot, "enter")
    screen = pilot.app.screen
    assert isinstance(screen, ServiceScreen)
    return screen


@asynccontextmanager
async def _serving(db_url: str, tmp_path: Path, clock: Clock):
    """The app at 120×40 at ช่อง 1, สมชาย ใจดี signed in, the first waiting ticket called (F5,
    one minute after the sign-in) and started (Enter, one minute later): yields the app, the
    pilot and the service screen."""
    app = _app(db_url, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _sign_in(pilot)
        screen = await _call_and_start(pilot, clock)
        yield app, pilot, screen


async def _reload(pilot) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, ServiceScreen)
    screen.load()
    await settle(pilot)


def _timers(screen) -> str:
    return str(screen.query_one("#timers").render())


def _timers_markup(screen) -> str:
    return str(screen.query_one("#timers").content)


def _line(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(label))


def _rows(screen, selector: str = "#steps") -> list[list[str]]:
    table = screen.query_one(selector, DataTable)
    return [[str(c) for c in table.get_row_at(r)] for r in range(table.row_count)]


def _documents(screen) -> list[tuple[str, int, bool]]:
    docs = screen.query_one("#documents", SelectionList)
    selected = set(docs.selected)
    out = []
    for i in range(docs.option_count):
        option = docs.get_option_at_index(i)
        out.append((str(option.prompt), option.value, option.value in selected))
    return out


def _kinds() -> list[str]:
    return [
        e.kind
        for e in m.Event.select().where(m.Event.application.is_null(False)).order_by(m.Event.id)
    ]


# --- the manual, steps, pauses, timers ---------------------------------------------------------


async def test_manual_steps_pause_and_timers_by_keys(db, db_url, tmp_path):
    officer = _setup(db.id)
    ticket = q.issue_ticket(db.id, "TIMED_PERMIT", FIXED_NOW - timedelta(minutes=5))
    clock = Clock()
    async with _serving(db_url, tmp_path, clock) as (app, pilot, screen):
        start = clock.now
        application = m.Application.get(m.Application.ticket == ticket.id)
        assert application.status == "serving"
        started = m.Event.get(m.Event.kind == "started")
        assert started.staff_id == officer and started.at.replace(microsecond=0) == start.replace(
            tzinfo=None
        )
        # The manual: steps in order with unit and standard; documents with their counts.
        title = str(screen.query_one("#title").render())
        assert "T001" in title and "ใบอนุญาตทดสอบจับเวลา" in title and application.number in title
        assert _rows(screen) == [
            ["▶", "ตรวจเอกสาร", "งานธุรการ", "5 นาที", "0:00"],
            ["", "บันทึกคำขอ", "สำนักปลัด", "3 นาที", ""],
            ["", "ลงนามรับคำขอ", "", "ไม่ระบุ", ""],
        ]
        assert _documents(screen) == [
            ("แบบคำขอ (ฉบับจริง 1 สำเนา 2 ฉบับ)", 1, False),
            ("สำเนาทะเบียนบ้าน (สำเนา 1 ฉบับ) — ถ้ามีการย้ายที่อยู่", 2, False),
        ]  # the power of attorney only when a proxy files
        assert "ยังไม่ได้บันทึก" in str(screen.query_one("#people").render())
        # 3 minutes: 60 % of the step, 30 % of the total — normal style.
        clock.advance(3)
        await _reload(pilot)
        text, markup = _timers(screen), _timers_markup(screen)
        assert _line(text, "ขั้นตอนที่ 1") == "ขั้นตอนที่ 1: 3:00 / 5 นาที"
        assert _line(text, "รวมทั้งบริการ") == "รวมทั้งบริการ: 3:00 / 10 นาที"
        assert "$success]3:00 / 5 นาที[/]" in _line(markup, "ขั้นตอนที่ 1")
        # 4 minutes: 80 % of the step standard — the warning style.
        clock.advance(1)
        await _reload(pilot)
        text, markup = _timers(screen), _timers_markup(screen)
        assert _line(text, "ขั้นตอนที่ 1") == "ขั้นตอนที่ 1: 4:00 / 5 นาที  ใกล้ครบเวลา"
        assert "[bold $warning]" in _line(markup, "ขั้นตอนที่ 1")
        assert "[bold $success]" in _line(markup, "รวมทั้งบริการ")
        # F8: the step is done (an event in the database, ✔ on screen), the next one runs.
        await press(pilot, "f8")
        step = m.Event.get(m.Event.kind == "step_completed")
        assert json.loads(step.data) == {"step": 0} and step.staff_id == officer
        rows = _rows(screen)
        assert rows[0][0] == "✔" and rows[0][4] == "4:00" and rows[1][0] == "▶"
        # Without a reload the once-a-second tick moves the timers with the clock.
        clock.advance(1)
        await pilot.pause(1.3)
        assert _line(_timers(screen), "ขั้นตอนที่ 2") == "ขั้นตอนที่ 2: 1:00 / 3 นาที"
        assert _line(_timers(screen), "รวมทั้งบริการ") == "รวมทั้งบริการ: 5:00 / 10 นาที"
        # 3 minutes into step 2 (standard 3 minutes): 100 % — over the standard.
        clock.advance(2)
        await _reload(pilot)
        text, markup = _timers(screen), _timers_markup(screen)
        assert _line(text, "ขั้นตอนที่ 2") == "ขั้นตอนที่ 2: 3:00 / 3 นาที  เกินมาตรฐาน"
        assert "[bold $error]" in _line(markup, "ขั้นตอนที่ 2")
        assert _line(text, "รวมทั้งบริการ") == "รวมทั้งบริการ: 7:00 / 10 นาที"
        # F9: pause with the first listed reason; the screen and the log say so.
        await press(pilot, "f9")
        assert isinstance(app.screen, ReasonDialog)
        await press(pilot, "enter")
        assert app.screen is screen
        paused = m.Event.get(m.Event.kind == "paused")
        assert paused.reason == "ผู้รับบริการไปถ่ายเอกสาร" and paused.staff_id == officer
        assert "หยุดเวลาชั่วคราว: ผู้รับบริการไปถ่ายเอกสาร" in _timers(screen)
        # Four minutes paused: the service clock stands still, the paused time runs.
        clock.advance(4)
        await _reload(pilot)
        text = _timers(screen)
        assert _line(text, "รวมทั้งบริการ") == "รวมทั้งบริการ: 7:00 / 10 นาที"
        assert _line(text, "หยุดเวลาแล้ว").startswith("หยุดเวลาแล้ว 4:00")
        # p (the letter twin of F9) resumes without a dialog.
        await press(pilot, "p")
        assert app.screen is screen
        assert m.Event.get(m.Event.kind == "resumed").at > paused.at
        clock.advance(1)
        await _reload(pilot)
        text, markup = _timers(screen), _timers_markup(screen)
        assert _line(text, "รวมทั้งบริการ") == "รวมทั้งบริการ: 8:00 / 10 นาที  ใกล้ครบเวลา"
        assert "[bold $warning]" in _line(markup, "รวมทั้งบริการ")
        assert "สถานะ: กำลังให้บริการ" in text
        # x (the twin of F8) twice: every step done; the total goes over at 10 minutes.
        await press(pilot, "x")
        clock.advance(2)
        await press(pilot, "x")
        assert [r[0] for r in _rows(screen)] == ["✔", "✔", "✔"]
        text, markup = _timers(screen), _timers_markup(screen)
        assert "ขั้นตอนที่" not in text
        assert _line(text, "รวมทั้งบริการ") == "รวมทั้งบริการ: 10:00 / 10 นาที  เกินมาตรฐาน"
        assert "[bold $error]" in _line(markup, "รวมทั้งบริการ")
        # A fourth F8 is refused with a message; nothing is written.
        await press(pilot, "f8")
        assert m.Event.select().where(m.Event.kind == "step_completed").count() == 3
        assert _kinds() == [
            "issued",
            "started",
            "step_completed",
            "paused",
            "resumed",
            "step_completed",
            "step_completed",
        ]


async def test_the_checklist_is_ticked_with_space_and_survives_a_reload(db, db_url, tmp_path):
    _setup(db.id)
    q.issue_ticket(db.id, "TIMED_PERMIT", FIXED_NOW - timedelta(minutes=5))
    clock = Clock()
    async with _serving(db_url, tmp_path, clock) as (app, pilot, screen):
        assert app.focused is screen.query_one("#documents")
        await press(pilot, "space")  # the first document is highlighted from the start
        assert [d[2] for d in _documents(screen)] == [True, False]
        for _ in range(3):  # reloading the screen writes nothing and keeps the ticks
            await _reload(pilot)
        events = list(m.Event.select().where(m.Event.kind == "checklist").order_by(m.Event.id))
        assert [json.loads(e.data)["ticked"] for e in events] == [[1]]
        assert [d[2] for d in _documents(screen)] == [True, False]


async def test_ticking_two_documents_in_a_row(db, db_url, tmp_path):
    _setup(db.id)
    q.issue_ticket(db.id, "TIMED_PERMIT", FIXED_NOW - timedelta(minutes=5))
    clock = Clock()
    async with _serving(db_url, tmp_path, clock) as (app, pilot, screen):
        await press(pilot, "space")
        await press(pilot, "down", "space")
        assert [d[2] for d in _documents(screen)] == [True, True]
        events = list(m.Event.select().where(m.Event.kind == "checklist").order_by(m.Event.id))
        assert [json.loads(e.data)["ticked"] for e in events] == [[1], [1, 2]]


async def test_steps_without_standards_and_a_total_only_manual(db, db_url, tmp_path):
    _setup(db.id)
    q.issue_ticket(db.id, "OFFICIAL_INFO_REQUEST", FIXED_NOW - timedelta(minutes=5))
    q.issue_ticket(db.id, "LAND_BUILDING_TAX", FIXED_NOW - timedelta(minutes=4))
    clock = Clock()
    async with _serving(db_url, tmp_path, clock) as (app, pilot, screen):
        # No step standard and no total: the timers count up with nothing to compare with.
        assert [r[3] for r in _rows(screen)] == ["ไม่ระบุ"] * 4
        clock.advance(2)
        await _reload(pilot)
        text, markup = _timers(screen), _timers_markup(screen)
        assert _line(text, "ขั้นตอนที่ 1") == "ขั้นตอนที่ 1: 2:00 / ไม่มีมาตรฐาน"
        assert _line(text, "รวมทั้งบริการ") == "รวมทั้งบริการ: 2:00 / ไม่มีมาตรฐาน"
        assert "$" not in _line(markup, "ขั้นตอนที่ 1") + _line(markup, "รวมทั้งบริการ")
        await press(pilot, "f8")
        assert _line(_timers(screen), "ขั้นตอนที่ 2") == "ขั้นตอนที่ 2: 0:00 / ไม่มีมาตรฐาน"
        await press(pilot, "f10", "enter")
        assert isinstance(app.screen, FinishScreen)
        assert _rows(app.screen)[0][2:] == ["—", "ไม่มีมาตรฐาน · เสร็จสิ้น ณ จุดบริการ"]
        await press(pilot, "enter")
        # LAND_BUILDING_TAX: no steps, a total of 5 minutes.
        screen = await _call_and_start(pilot, clock)
        assert _rows(screen) == [["", "คู่มือไม่แยกขั้นตอน — ใช้มาตรฐานรวมของบริการ", "", "5 นาที", ""]]
        clock.advance(4)
        await _reload(pilot)
        text = _timers(screen)
        assert "ขั้นตอนที่" not in text
        assert _line(text, "รวมทั้งบริการ") == "รวมทั้งบริการ: 4:00 / 5 นาที  ใกล้ครบเวลา"
        steps_before = m.Event.select().where(m.Event.kind == "step_completed").count()
        await press(pilot, "f8")
        assert m.Event.select().where(m.Event.kind == "step_completed").count() == steps_before
        assert any("ไม่มีขั้นตอนย่อย" in n.message for n in app._notifications)


async def test_esc_goes_back_to_the_queue_and_enter_reopens_the_running_visit(db, db_url, tmp_path):
    _setup(db.id)
    q.issue_ticket(db.id, "TIMED_PERMIT", FIXED_NOW - timedelta(minutes=5))
    clock = Clock()
    async with _serving(db_url, tmp_path, clock) as (app, pilot, screen):
        await press(pilot, "escape")
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        clock.advance(3)
        queue.load()
        await settle(pilot)
        assert app.screen is queue  # opened once by itself, not again after Esc
        assert "กด Enter เพื่อเปิดหน้าการให้บริการ" in str(queue.query_one("#current").render())
        await press(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ServiceScreen)
        assert _line(_timers(screen), "รวมทั้งบริการ") == "รวมทั้งบริการ: 3:00 / 10 นาที"
        assert m.Event.select().where(m.Event.kind == "started").count() == 1


# --- the applicant and the filer -----------------------------------------------------------------


async def test_people_dialog_masks_the_id_and_keeps_errors_inside(db, db_url, tmp_path):
    _setup(db.id)
    ticket = q.issue_ticket(db.id, "TIMED_PERMIT", FIXED_NOW - timedelta(minutes=5))
    clock = Clock()
    async with _serving(db_url, tmp_path, clock) as (app, pilot, screen):
        await press(pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, PeopleDialog)
        # Pilot.press drops Thai combining marks: set the values as typed text.
        dialog.query_one("#a-name", Input).value = "นางสมศรี ทดสอบ"
        dialog.query_one("#a-national_id", Input).value = BAD_ID
        dialog.query_one("#a-address", Input).value = "99 หมู่ 1 ตำบลหนองบัว"
        await press(pilot, "ctrl+s")
        assert app.screen is dialog  # still open, everything typed kept
        error = str(dialog.query_one("#error", Label).render())
        assert "เลขตรวจสอบ" in error and BAD_ID not in error
        assert dialog.query_one("#a-name", Input).value == "นางสมศรี ทดสอบ"
        assert m.PersonalData.select().count() == 0
        # Fixed: Enter in a field saves too.
        dialog.query_one("#a-national_id", Input).value = "3-0123-04567-08-2"
        dialog.query_one("#a-national_id", Input).focus()
        await press(pilot, "enter")
        assert app.screen is screen
        person = m.PersonalData.get()
        assert (person.role, person.name, person.national_id) == (
            "applicant",
            "นางสมศรี ทดสอบ",
            VALID_ID,
        )
        assert person.application_id == m.Application.get(m.Application.ticket == ticket.id).id
        people = str(screen.query_one("#people").render())
        assert "ผู้ขอ: นางสมศรี ทดสอบ  x-xxxx-xxxx7-08-2" in people
        screenshot = app.export_screenshot()
        assert VALID_ID not in screenshot and "04567" not in screenshot
        # A proxy: the filer's name and ID; the power of attorney joins the checklist.
        await press(pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, PeopleDialog)
        dialog.query_one("#a-name", Input).value = "นางสมศรี ทดสอบ"
        dialog.query_one("#a-national_id", Input).value = VALID_ID
        dialog.query_one("#a-address", Input).value = "99 หมู่ 1 ตำบลหนองบัว"
        dialog.query_one("#f-name", Input).value = "นายผู้รับมอบ ทดสอบ"
        filer_id = "110170020345" + str(national_id.check_digit("110170020345"))
        dialog.query_one("#f-national_id", Input).value = filer_id
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        people = str(screen.query_one("#people").render())
        assert (
            f"ผู้ยื่นแทน (ต้องมีหนังสือมอบอำนาจ): นายผู้รับมอบ ทดสอบ  {national_id.mask(filer_id)}" in people
        )
        assert [d[0] for d in _documents(screen)][-1] == "หนังสือมอบอำนาจ (ฉบับจริง 1) — กรณีมอบอำนาจ"
        assert filer_id not in app.export_screenshot()
        for event in m.Event.select():
            assert "สมศรี" not in (event.data or "") + (event.reason or "")
            assert VALID_ID not in (event.data or "") and filer_id not in (event.data or "")


async def test_a_service_without_ids_asks_for_none(db, db_url, tmp_path):
    _setup(db.id)
    q.issue_ticket(db.id, "OFFICIAL_INFO_REQUEST", FIXED_NOW - timedelta(minutes=5))
    clock = Clock()
    async with _serving(db_url, tmp_path, clock) as (app, pilot, screen):
        await press(pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, PeopleDialog)
        ids = {w.id for w in dialog.query(Input)}
        assert "a-national_id" not in ids and "f-national_id" not in ids
        assert {"a-name", "a-address", "a-phone", "f-name"} <= ids
        await press(pilot, "escape")
        assert isinstance(app.screen, ServiceScreen)
        # Not under the Act: d explains and opens nothing.
        await press(pilot, "d")
        assert isinstance(app.screen, ServiceScreen)
        assert m.DeficiencyRecord.select().count() == 0


# --- missing documents ------------------------------------------------------------------------


async def test_deficiency_dialog_records_the_missing_documents(db, db_url, tmp_path):
    officer = _setup(db.id)
    ticket = q.issue_ticket(db.id, "TIMED_PERMIT", FIXED_NOW - timedelta(minutes=5))
    clock = Clock()
    async with _serving(db_url, tmp_path, clock) as (app, pilot, screen):
        await press(pilot, "space")  # แบบคำขอ (highlighted first) received
        clock.advance(3)
        await press(pilot, "d")
        dialog = app.screen
        assert isinstance(dialog, DeficiencyDialog)
        missing = dialog.query_one("#missing", SelectionList)
        assert list(missing.selected) == ["สำเนาทะเบียนบ้าน"]  # what is not ticked
        deadline = dialog.query_one("#deadline", Input)
        assert deadline.value == "2026-12-01"  # a week from today by default
        deadline.value = "2026-11-20"
        await press(pilot, "ctrl+s")
        assert app.screen is dialog and "หลังจากวันนี้" in str(
            dialog.query_one("#error", Label).render()
        )
        deadline.value = "2026-12-04"
        dialog.query_one("#other", Input).value = "ใบรับรองแพทย์"
        await press(pilot, "ctrl+s")
        assert screen.last_deficiency is not None
        record = m.DeficiencyRecord.get()
        assert record.deadline == date(2026, 12, 4) and record.staff_id == officer
        assert json.loads(record.missing) == ["สำเนาทะเบียนบ้าน", "ใบรับรองแพทย์"]
        assert json.loads(record.checklist) == [["แบบคำขอ", True], ["สำเนาทะเบียนบ้าน", False]]
        application = m.Application.get(m.Application.ticket == ticket.id)
        assert application.status == "deficient"
        assert m.Event.get(m.Event.kind == "documents_missing").staff_id == officer
        # The visitor leaves with the copy; the counter is back at its queue, free.
        assert isinstance(app.screen, QueueScreen)
        assert app.screen.snapshot is not None and app.screen.snapshot.current is None


# --- finishing ---------------------------------------------------------------------------------


async def test_finish_shows_the_summary_and_returns_to_the_queue(db, db_url, tmp_path):
    officer = _setup(db.id)
    ticket = q.issue_ticket(db.id, "TIMED_PERMIT", FIXED_NOW - timedelta(minutes=5))
    clock = Clock()
    # wait 6:00 (issued −5, called +1), walk 1:00
    async with _serving(db_url, tmp_path, clock) as (app, pilot, screen):
        clock.advance(4)
        await press(pilot, "f8")
        clock.advance(1)
        await press(pilot, "f9")
        await press(pilot, "enter")
        clock.advance(2, 30)
        await press(pilot, "f9")
        clock.advance(2)
        await press(pilot, "f10")
        assert isinstance(app.screen, ChoiceDialog)
        await press(pilot, "enter")  # the first outcome: completed at the counter
        finish = app.screen
        assert isinstance(finish, FinishScreen)
        application = m.Application.get(m.Application.ticket == ticket.id)
        assert (application.status, application.outcome) == ("finished", "completed")
        assert m.Ticket.get_by_id(ticket.id).status == "done"
        event = m.Event.get(m.Event.kind == "finished")
        assert json.loads(event.data) == {"outcome": "completed"} and event.staff_id == officer
        assert "บัตรคิว T001" in str(finish.query_one("#heading").render())
        assert str(finish.query_one("#times").render()) == "รอเรียก 6:00   เดินมาที่ช่อง 1:00"
        rows = _rows(finish)
        assert rows[0] == [
            f"{application.number} ใบอนุญาตทดสอบจับเวลา",
            "7:00",
            "10 นาที",
            "ทันเวลา · เสร็จสิ้น ณ จุดบริการ",
        ]
        assert rows[1] == ["   หยุดเวลา (ไม่นับ)", "2:30", "", ""]
        assert rows[2:5] == [
            ["   ตรวจเอกสาร", "4:00", "5 นาที", "ทันเวลา"],
            ["   บันทึกคำขอ", "3:00", "3 นาที", "ทันเวลา"],
            ["   ลงนามรับคำขอ", "0:00", "—", ""],
        ]
        await press(pilot, "enter")
        assert isinstance(app.screen, QueueScreen)
        assert app.screen.snapshot is not None and app.screen.snapshot.current is None
        assert app.screen.snapshot.served_today == 1


async def test_cancel_needs_a_reason_typed_in_the_dialog(db, db_url, tmp_path):
    _setup(db.id)
    ticket = q.issue_ticket(db.id, "TIMED_PERMIT", FIXED_NOW - timedelta(minutes=5))
    clock = Clock()
    async with _serving(db_url, tmp_path, clock) as (app, pilot, screen):
        clock.advance(12)
        await press(pilot, "f")
        await press(pilot, "down", "down", "down", "down", "enter")  # ยกเลิก (cancelled)
        reason = app.screen
        assert isinstance(reason, ReasonDialog)
        await press(pilot, "escape")  # no reason: nothing happens
        assert isinstance(app.screen, ServiceScreen)
        assert not m.Event.select().where(m.Event.kind == "finished").exists()
        await press(pilot, "f10")
        await press(pilot, "end", "enter")
        reason = app.screen
        assert isinstance(reason, ReasonDialog)
        other = reason.query_one("#other", Input)
        other.value = "ผู้รับบริการขอยกเลิก"
        other.focus()
        await press(pilot, "enter")
        finish = app.screen
        assert isinstance(finish, FinishScreen)
        event = m.Event.get(m.Event.kind == "finished")
        assert event.reason == "ผู้รับบริการขอยกเลิก"
        assert json.loads(event.data) == {"outcome": "cancelled"}
        assert m.Application.get(m.Application.ticket == ticket.id).outcome == "cancelled"
        assert _rows(finish)[0][3] == "เกินมาตรฐาน · ยกเลิก"
        assert _rows(finish)[0][1] == "12:00"


async def test_a_second_service_on_the_ticket_is_served_after_the_first(db, db_url, tmp_path):
    _setup(db.id)
    ticket = q.issue_ticket(db.id, "TIMED_PERMIT", FIXED_NOW - timedelta(minutes=5))
    clock = Clock()
    async with _serving(db_url, tmp_path, clock) as (app, pilot, screen):
        await press(pilot, "a")  # add a service: type part of its English name
        await press(pilot, *"old-age")
        await press(pilot, "enter")
        assert app.screen is screen
        added = m.Application.get(
            (m.Application.ticket == ticket.id) & (m.Application.position == 2)
        )
        assert added.service.code == "ELDERLY_ALLOWANCE_REG" and added.status == "waiting"
        assert added.number in str(screen.query_one("#others").render())
        clock.advance(5)
        await press(pilot, "f10", "enter")
        # Not the end of the visit: the added service is being served now, on its own clock.
        assert app.screen is screen
        assert "การลงทะเบียนและยื่นคำขอรับเงินเบี้ยยังชีพผู้สูงอายุ" in str(screen.query_one("#title").render())
        clock.advance(2)
        await _reload(pilot)
        assert _line(_timers(screen), "รวมทั้งบริการ") == "รวมทั้งบริการ: 2:00 / 60 นาที"
        await press(pilot, "f10", "enter")
        finish = app.screen
        assert isinstance(finish, FinishScreen)
        first = [r for r in _rows(finish) if not r[0].startswith("   ")]
        assert [r[1] for r in first] == ["5:00", "2:00"]


async def test_transfer_by_keys_hands_the_ticket_to_the_other_counter(db, db_url, tmp_path):
    officer = _setup(db.id)
    other = ct.add_counter(
        db.id, "ช่อง 2", "กองคลัง", ["LAND_BUILDING_TAX"], FIXED_NOW, actor_id=admin_id(db.id)
    )
    ticket = q.issue_ticket(db.id, "TIMED_PERMIT", FIXED_NOW - timedelta(minutes=5))
    clock = Clock()
    async with _serving(db_url, tmp_path, clock) as (app, pilot, screen):
        clock.advance(3)
        await press(pilot, "t")
        assert isinstance(app.screen, ChoiceDialog)
        await press(pilot, "enter")  # ช่อง 2, the only other counter
        assert isinstance(app.screen, ReasonDialog)
        await press(pilot, "enter")  # ชำระค่าธรรมเนียมที่กองคลัง
        assert isinstance(app.screen, QueueScreen)
        row = m.Ticket.get_by_id(ticket.id)
        assert (row.status, row.assigned_counter_id, row.number) == ("waiting", other.id, "T001")
        moved = m.Event.get(m.Event.kind == "transferred")
        assert moved.reason == "ชำระค่าธรรมเนียมที่กองคลัง" and moved.staff_id == officer
        assert json.loads(moved.data) == {"to_counter": other.id}
        assert app.screen.snapshot is not None and app.screen.snapshot.current is None


async def test_corrections_by_keys_are_new_events_with_a_reason(db, db_url, tmp_path):
    officer = _setup(db.id)
    ticket = q.issue_ticket(db.id, "TIMED_PERMIT", FIXED_NOW - timedelta(minutes=5))
    clock = Clock()
    async with _serving(db_url, tmp_path, clock) as (app, pilot, screen):
        clock.advance(2)
        await press(pilot, "f8")
        assert _rows(screen)[0][0] == "✔"
        # u → the step was completed too early → a reason.
        clock.advance(1)
        await press(pilot, "u")
        assert isinstance(app.screen, ChoiceDialog)
        await press(pilot, "enter")
        assert isinstance(app.screen, ReasonDialog)
        await press(pilot, "enter")  # กดผิดปุ่ม
        assert app.screen is screen
        step = m.Event.get(m.Event.kind == "step_completed")  # the original is kept
        fix = m.Event.get(m.Event.kind == "corrected")
        assert fix.corrects_id == step.id and fix.reason == "กดผิดปุ่ม" and fix.staff_id == officer
        assert [r[0] for r in _rows(screen)] == ["▶", "", ""]
        assert _line(_timers(screen), "ขั้นตอนที่ 1") == "ขั้นตอนที่ 1: 3:00 / 5 นาที"
        # u → the wrong service: search the right one, a reason; the time goes on.
        await press(pilot, "u")
        await press(pilot, "down", "enter")
        await press(pilot, *"old-age")
        await press(pilot, "enter")
        assert isinstance(app.screen, ReasonDialog)
        await press(pilot, "down", "enter")  # เลือกบริการผิด
        assert app.screen is screen
        application = m.Application.get(m.Application.ticket == ticket.id)
        assert application.service.code == "ELDERLY_ALLOWANCE_REG"
        fixes = list(m.Event.select().where(m.Event.kind == "corrected").order_by(m.Event.id))
        assert len(fixes) == 2 and fixes[1].reason == "เลือกบริการผิด"
        assert json.loads(fixes[1].data)["from_service"] == "TIMED_PERMIT"
        assert "การลงทะเบียนและยื่นคำขอรับเงินเบี้ยยังชีพผู้สูงอายุ" in str(screen.query_one("#title").render())
        assert _line(_timers(screen), "รวมทั้งบริการ") == "รวมทั้งบริการ: 3:00 / 60 นาที"


# --- snapshots -------------------------------------------------------------------------------


def _snapshot_db(tmp_path: Path) -> str:
    from counter_tui.services.office import connect

    url = f"sqlite:///{tmp_path / 'snap.db'}"
    database, office = connect(url, FIXED_NOW)
    _setup(office.id)
    q.issue_ticket(office.id, "TIMED_PERMIT", FIXED_NOW - timedelta(minutes=7))
    q.issue_ticket(office.id, "ELDERLY_ALLOWANCE_REG", FIXED_NOW - timedelta(minutes=3))
    database.close()
    m.database_proxy.initialize(None)
    return url


async def _mid_service(pilot, clock: Clock) -> None:
    await settle(pilot)
    await _sign_in(pilot)
    await _call_and_start(pilot, clock)
    await press(pilot, "down", "space")
    clock.advance(4, 10)
    await press(pilot, "f8")
    clock.advance(1, 20)
    await press(pilot, "f9")
    await press(pilot, "enter")
    clock.advance(2, 5)
    await _reload(pilot)
    pilot.app.clear_notifications()
    await settle(pilot)


def test_service_screen_snapshot(snap_compare, tmp_path):
    clock = Clock()
    app = _app(_snapshot_db(tmp_path), tmp_path, clock)
    assert snap_compare(app, terminal_size=(120, 40), run_before=lambda p: _mid_service(p, clock))


def test_finish_screen_snapshot(snap_compare, tmp_path):
    clock = Clock()
    app = _app(_snapshot_db(tmp_path), tmp_path, clock)

    async def finished(pilot) -> None:
        await _mid_service(pilot, clock)
        await press(pilot, "f9")
        clock.advance(3)
        await press(pilot, "f10")
        await press(pilot, "enter")
        assert isinstance(pilot.app.screen, FinishScreen)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=finished)
