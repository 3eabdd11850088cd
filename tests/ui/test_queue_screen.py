"""The counter flows driven by keys, as an officer would: first admin, sign-in, issue, call,
start, finish, skip with a reason, break, close with hand-over. Fixed clock; both backends."""

from __future__ import annotations

from datetime import timedelta

from conftest import FIXED_NOW, settle
from support.actors import add_admin, admin_id
from support.clock import Clock
from support.ui import counter_app, sign_in, snapshot_db
from textual.widgets import DataTable, Input

from counter_tui.db import models as m
from counter_tui.screens.queue import QueueScreen
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import staff as st


def _setup(db, officers=("สมชาย", "สมหญิง")):
    staff = [
        st.add_staff(db.id, name, "officer", "1234", FIXED_NOW, actor_id=admin_id(db.id))
        for name in officers
    ]
    c1 = ct.add_counter(
        db.id,
        "ช่อง 1",
        "กองคลัง",
        ["SIGNBOARD_TAX", "LAND_BUILDING_TAX"],
        FIXED_NOW,
        actor_id=admin_id(db.id),
    )
    c2 = ct.add_counter(
        db.id,
        "ช่อง 2",
        "สำนักปลัด",
        ["ELDERLY_ALLOWANCE_REG", "SIGNBOARD_TAX"],
        FIXED_NOW,
        actor_id=admin_id(db.id),
    )
    return staff, c1, c2


async def test_first_run_asks_for_the_admin_then_shows_the_services(db_url, tmp_path):
    app = counter_app(db_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "สร้างบัญชีผู้ดูแลระบบ" in str(app.screen.query_one("#heading").render())
        await pilot.press(*"admin", "enter", *"9999", "enter", *"9998", "enter")
        await settle(pilot)
        assert m.Staff.select().where(m.Staff.role == "admin").count() == 0  # PINs differ
        pin2 = app.screen.query_one("#pin2", Input)
        pin2.value = ""
        pin2.focus()
        await pilot.press(*"9999", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
        assert app.screen.query_one("#services", DataTable).row_count >= 10
        admin = m.Staff.get(m.Staff.role == "admin")
        assert admin.name == "admin" and admin.pin_hash.startswith("scrypt-pepper$")


async def test_officer_serves_the_queue_by_keys(db, db_url, tmp_path):
    add_admin(db.id)
    (somchai, _), c1, _ = _setup(db)
    clock = Clock()
    app = counter_app(db_url, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await sign_in(pilot, "สมชาย", "1234", 1)
        assert isinstance(app.screen, QueueScreen)
        assert m.Counter.get_by_id(c1.id).state == "open"
        # F2: type part of the Thai name, Enter issues.
        await pilot.press("f2")
        await settle(pilot)
        # Pilot.press drops Thai combining marks (a terminal sends them): type it as text.
        app.screen.query_one("#query", Input).insert_text_at_cursor("ป้าย")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        ticket = m.Ticket.get(m.Ticket.number == "E001")
        assert ticket.status == "waiting" and ticket.issued_by_id == somchai.id
        clock.now += timedelta(minutes=2)
        await pilot.press("i")  # the plain-letter twin of F2
        await settle(pilot)
        await pilot.press(*"land")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one("#waiting", DataTable)
        assert table.row_count == 2
        # F5 calls E001 (first come, first served); Enter starts; F10 finishes.
        clock.now += timedelta(minutes=1)
        await pilot.press("f5")
        await settle(pilot)
        assert m.Ticket.get(m.Ticket.number == "E001").status == "called"
        assert app.screen.query_one("#number").value == "E001"
        await pilot.press("enter")  # the visitor is here: the guided service screen opens
        await settle(pilot)
        assert m.Ticket.get(m.Ticket.number == "E001").status == "serving"
        assert type(app.screen).__name__ == "ServiceScreen"
        clock.now += timedelta(minutes=4)
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("enter")  # completed
        await settle(pilot)
        assert m.Ticket.get(m.Ticket.number == "E001").status == "done"
        assert type(app.screen).__name__ == "FinishScreen"
        await pilot.press("enter")  # back to the queue
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        kinds = [
            e.kind for e in m.Event.select().where(m.Event.ticket == ticket.id).order_by(m.Event.id)
        ]
        assert kinds == ["issued", "called", "started", "finished"]
        # n calls E002; k skips it with the first listed reason: back to waiting, recorded.
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("enter")  # skip (not no-show)
        await settle(pilot)
        await pilot.press("enter")  # first reason
        await settle(pilot)
        skipped = m.Event.get(m.Event.kind == "skipped")
        assert skipped.reason and skipped.staff_id == somchai.id
        assert m.Ticket.get(m.Ticket.number == "E002").status == "waiting"
        # b: lunch break, recorded; b again reopens.
        await pilot.press("b")
        await settle(pilot)
        assert m.Counter.get_by_id(c1.id).state == "break"
        await pilot.press("b")
        await settle(pilot)
        assert m.Counter.get_by_id(c1.id).state == "open"
        states = [e.data for e in m.Event.select().where(m.Event.kind == "counter_state")]
        assert any('"break"' in d for d in states)


async def test_closing_hands_waiting_tickets_to_another_counter(db, db_url, tmp_path):
    add_admin(db.id)
    (somchai, somying), c1, c2 = _setup(db)
    ct.open_counter(db.id, c2.id, somying.id, FIXED_NOW)
    app = counter_app(db_url, tmp_path, counter="ช่อง 1")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*"สมชาย", "enter", "tab")  # the counter comes from the config
        await pilot.press(*"1234", "enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen) and app.screen.counter_id == c1.id
        q.issue_ticket(db.id, "LAND_BUILDING_TAX", FIXED_NOW)  # only ช่อง 1 serves it
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter")  # hand over to ช่อง 2
        await settle(pilot)
        ticket = m.Ticket.get(m.Ticket.number == "E001")
        assert ticket.assigned_counter_id == c2.id
        assert m.Counter.get_by_id(c1.id).state == "closed"
        assert m.Event.get(m.Event.kind == "transferred").staff_id == somchai.id
        snap = q.snapshot(db.id, c2.id, FIXED_NOW)
        assert [w.number for w in snap.waiting] == ["E001"] and snap.waiting[0].handed_over


def test_sign_in_screen_snapshot(snap_compare, tmp_path):
    app = counter_app(snapshot_db(tmp_path), tmp_path)
    assert snap_compare(app, terminal_size=(120, 40), run_before=settle)


def test_queue_screen_snapshot(snap_compare, tmp_path):
    url = snapshot_db(tmp_path)
    app = counter_app(url, tmp_path)

    async def signed_in(pilot) -> None:
        await settle(pilot)
        await sign_in(pilot, "สมชาย ใจดี", "1234", 1)
        assert isinstance(pilot.app.screen, QueueScreen)
        await pilot.press("f5")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=signed_in)


# --- reloads update the tables in place --------------------------------------------------------


def _rows(table) -> list[tuple[str, list]]:
    """What a table shows: row keys and cells, in order."""
    from textual.coordinate import Coordinate

    keys = [
        table.coordinate_to_cell_key(Coordinate(index, 0)).row_key
        for index in range(table.row_count)
    ]
    return [(key.value, table.get_row(key)) for key in keys]


def _built_from_scratch(snap) -> tuple[list, list]:
    """The rows a from-scratch build of the screen's tables shows for ``snap``: formatted here
    the way the screen did before it updated by key (clear, then one add_row per row)."""
    from counter_tui.core.queue import PRIORITY_CATEGORIES
    from counter_tui.core.thai_dates import format_time_th
    from counter_tui.core.timing import format_hms
    from counter_tui.screens.queue import STATE_TH

    waiting = [
        (
            str(w.ticket_id),
            [
                str(position),
                f"{w.number} ⇐" if w.handed_over else w.number,
                w.service_name,
                PRIORITY_CATEGORIES[w.priority][0] if w.priority else "",
                format_time_th(w.issued_at),
                format_hms(w.wait_seconds),
            ],
        )
        for position, w in enumerate(snap.waiting, start=1)
    ]
    counters = [
        (str(c.id), [c.name, STATE_TH.get(c.state, c.state), c.current or "", c.officer or ""])
        for c in snap.counters
    ]
    return waiting, counters


async def test_a_reload_updates_the_tables_by_key(db, db_url, tmp_path):
    """Between two reloads: another counter calls a ticket from the middle of the list, a
    ticket is issued, two priority tickets jump ahead, a counter goes on break and waits grow.
    The tables then show exactly what a from-scratch build would, and the cursor is still on
    the ticket it was on (which has moved)."""
    from textual.coordinate import Coordinate

    from counter_tui.core.thai_dates import local_date
    from counter_tui.services.settings import set_setting
    from counter_tui.services.staff import StaffInfo
    from counter_tui.widgets.tables import ReadOnlyTable

    (somchai, somying), c1, c2 = _setup(db)
    somsri = st.add_staff(db.id, "สมศรี", "officer", "1234", FIXED_NOW, actor_id=admin_id(db.id))
    c3 = ct.add_counter(
        db.id, "ช่อง 3", "กองช่าง", ["LAND_BUILDING_TAX"], FIXED_NOW, actor_id=admin_id(db.id)
    )
    set_setting(
        db.id,
        "queue.policy",
        "priority",
        FIXED_NOW,
        local_date(FIXED_NOW),
        actor_id=admin_id(db.id),
    )
    for counter, officer in ((c1, somchai), (c2, somying), (c3, somsri)):
        ct.open_counter(db.id, counter.id, officer.id, FIXED_NOW)
    # ช่อง 1 serves both; ช่อง 2 only the signboard tax of these.
    codes = [
        "LAND_BUILDING_TAX",
        "SIGNBOARD_TAX",
        "LAND_BUILDING_TAX",
        "SIGNBOARD_TAX",
        "LAND_BUILDING_TAX",
    ]
    tickets = [
        q.issue_ticket(db.id, code, FIXED_NOW + timedelta(minutes=i))
        for i, code in enumerate(codes)
    ]
    clock = Clock()
    clock.now = FIXED_NOW + timedelta(minutes=10)
    app = counter_app(db_url, tmp_path, clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await app.db.start()
        staff = StaffInfo(somchai.id, somchai.name, "officer", (), True)
        await app.push_screen(QueueScreen(staff, c1.id))
        await settle(pilot)
        screen = app.screen
        waiting = screen.query_one("#waiting", ReadOnlyTable)
        counters = screen.query_one("#counters", ReadOnlyTable)
        before = q.snapshot(db.id, c1.id, clock.now)
        assert (_rows(waiting), _rows(counters)) == _built_from_scratch(before)
        assert [w.number for w in before.waiting] == [t.number for t in tickets]
        followed = tickets[2]  # the cursor is on the third ticket
        waiting.cursor_coordinate = Coordinate(waiting.get_row_index(str(followed.id)), 0)

        called = q.call_next(db.id, c2.id, somying.id, clock.now)
        assert called.id == tickets[1].id  # from the middle of ช่อง 1's list
        q.issue_ticket(db.id, "LAND_BUILDING_TAX", clock.now)
        q.issue_ticket(db.id, "SIGNBOARD_TAX", clock.now, priority="elderly")
        q.issue_ticket(db.id, "LAND_BUILDING_TAX", clock.now, priority="disabled")
        ct.set_counter_state(db.id, c3.id, somsri.id, "break", clock.now)
        clock.now += timedelta(seconds=75)
        screen.load()
        await settle(pilot)

        after = q.snapshot(db.id, c1.id, clock.now)
        expected_waiting, expected_counters = _built_from_scratch(after)
        assert _rows(waiting) == expected_waiting
        assert _rows(counters) == expected_counters
        # The changes the test means to make did happen.
        numbers = [w.number for w in after.waiting]
        assert tickets[1].number not in numbers and len(numbers) == 7
        assert [w.priority for w in after.waiting[:2]] == ["elderly", "disabled"]
        assert [c.state for c in after.counters if c.id == c3.id] == ["break"]
        index = waiting.get_row_index(str(followed.id))
        assert index == 3 != 2  # moved down by one: two ahead of it, one gone before it
        assert waiting.cursor_coordinate == Coordinate(index, 0)
        assert "คิวที่รอ 7 ราย" in str(screen.query_one("#waiting-title").render())
