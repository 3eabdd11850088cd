"""The supervisor's screens on demo data with a fixed clock: the dashboard (its numbers are the
service's), the reports screen, and the cases screen printing a delay notice."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXED_NOW, settle
from support.actors import admin_id

from counter_tui.app import make_app
from counter_tui.config import Settings
from counter_tui.db import models as m
from counter_tui.screens.cases import CasesScreen
from counter_tui.screens.dashboard import DashboardScreen
from counter_tui.screens.reports import ReportsScreen
from counter_tui.services.staff import StaffInfo


def _demo_db(tmp_path: Path, days: int = 8) -> str:
    from counter_tui.services.demo import generate_demo
    from counter_tui.services.office import connect

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    database, _ = connect(url, FIXED_NOW)
    generate_demo(days, 3, FIXED_NOW)
    database.close()
    m.database_proxy.initialize(None)
    return url


@pytest.fixture
def demo(tmp_path):
    return _demo_db(tmp_path)


def _app(url: str, tmp_path: Path):
    return make_app(
        Settings(config_path=tmp_path / "c.toml", database_url=url), clock=lambda: FIXED_NOW
    )


def _supervisor(units=None) -> StaffInfo:
    supervisor = m.Staff.select().where(m.Staff.role == "supervisor").order_by(m.Staff.id).first()
    names = tuple(u.unit.name for u in supervisor.unit_links)
    return StaffInfo(supervisor.id, supervisor.name, "supervisor", units or names, True)


async def test_supervisor_signs_in_to_the_dashboard_of_their_units(demo, tmp_path):
    app = _app(demo, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        supervisor = _supervisor()
        app.screen.query_one("#name").value = supervisor.name  # Pilot drops Thai marks
        await pilot.press("enter", "tab", *"1234", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        from counter_tui.services.dashboard import dashboard

        board = dashboard(
            app.db.office.id, FIXED_NOW, list(supervisor.units), actor_id=admin_id(app.db.office.id)
        )
        counters = app.screen.query_one("#counters")
        assert counters.row_count == len(board.counters) > 0
        today = str(app.screen.query_one("#today").render())
        assert f"รับบัตรคิว {board.today['visits']}" in today
        assert f"ให้บริการเสร็จ {board.today['served']}" in today


async def test_reports_and_cases_screens(tmp_path):
    app = _app(_demo_db(tmp_path, days=40), tmp_path)  # long enough for overdue cases
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        supervisor = _supervisor()
        await app.push_screen(ReportsScreen(supervisor))
        await settle(pilot)
        report = app.screen.report
        assert report["period"]["label"] == "ปีงบประมาณ พ.ศ. 2570" and report["draft"]
        assert app.screen.query_one("#services").row_count == len(report["services"]) > 0
        await pilot.press("q")
        await settle(pilot)
        assert app.screen.report["period"]["kind"] == "quarter"
        await pilot.press("x")
        await settle(pilot)
        from counter_tui.paths import data_dir

        assert list((data_dir() / "reports").glob("*.xlsx"))
        await pilot.press("escape")
        await settle(pilot)
        admin = StaffInfo(1, "admin", "admin", (), True)
        await app.push_screen(CasesScreen(admin))
        await settle(pilot)
        await pilot.press("v")  # overdue
        await settle(pilot)
        cases = app.screen.cases
        assert cases and all(c.overdue for c in cases)
        needing = [c for c in cases if c.notice_needed]
        assert needing, "the demo data holds overdue cases owed a delay notice"
        notices = m.DelayNotice.select().count()
        app.screen.query_one("#cases").move_cursor(row=cases.index(needing[0]))
        await pilot.press("l")
        await settle(pilot)
        app.screen.query_one("#other").value = "รอความเห็นของหน่วยงานอื่น"
        await pilot.press("enter")
        await settle(pilot)
        assert m.DelayNotice.select().count() == notices + 1
        letters = list((data_dir() / "letters").glob("delay-notice-*.pdf"))
        assert len(letters) == 1


def test_dashboard_snapshot(snap_compare, tmp_path):
    url = _demo_db(tmp_path)
    app = _app(url, tmp_path)

    async def open_dashboard(pilot) -> None:
        await settle(pilot)
        staff = _supervisor()
        await pilot.app.push_screen(DashboardScreen(staff))
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=open_dashboard)


def _two_units_db(tmp_path: Path) -> tuple[str, StaffInfo, StaffInfo]:
    """Two units, each with a counter whose officer skipped a ticket (with a reason) today;
    the supervisor of the first unit, and the ปลัด (all units)."""
    from counter_tui.services import counters as ct
    from counter_tui.services import queue as q
    from counter_tui.services import staff as st
    from counter_tui.services.office import connect

    url = f"sqlite:///{tmp_path / 'units.db'}"
    database, office = connect(url, FIXED_NOW)
    for unit, code, counter_name, officer_name in (
        ("กองช่าง", "BUILDING_PERMIT_S21", "ช่อง 1", "อำนาจ ช่างดี"),
        ("กองคลัง", "SIGNBOARD_TAX", "ช่อง 5", "บุญมี คลังเงิน"),
    ):
        officer = st.add_staff(
            office.id,
            officer_name,
            "officer",
            "1234",
            FIXED_NOW,
            [unit],
            actor_id=admin_id(office.id),
        )
        counter = ct.add_counter(
            office.id, counter_name, unit, [code], FIXED_NOW, actor_id=admin_id(office.id)
        )
        ct.open_counter(office.id, counter.id, officer.id, FIXED_NOW)
        q.issue_ticket(office.id, code, FIXED_NOW)
        q.call_next(office.id, counter.id, officer.id, FIXED_NOW)
        q.skip(office.id, counter.id, officer.id, f"ไม่อยู่ที่จุดบริการ ({unit})", FIXED_NOW)
    supervisor = st.add_staff(
        office.id,
        "หัวหน้า ช่างใหญ่",
        "supervisor",
        "1234",
        FIXED_NOW,
        ["กองช่าง"],
        actor_id=admin_id(office.id),
    )
    palat = st.add_staff(
        office.id,
        "ปลัด ดูแลทั่ว",
        "supervisor",
        "1234",
        FIXED_NOW,
        ["สำนักปลัด"],
        all_units=True,
        actor_id=admin_id(office.id),
    )
    database.close()
    m.database_proxy.initialize(None)
    return url, supervisor, palat


async def test_a_unit_supervisors_officers_table_lacks_the_other_units_officer(tmp_path):
    url, supervisor, palat = _two_units_db(tmp_path)
    app = _app(url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for staff, officers, counters in (
            (supervisor, ["อำนาจ ช่างดี"], ["ช่อง 1"]),
            (palat, ["บุญมี คลังเงิน", "อำนาจ ช่างดี"], ["ช่อง 1", "ช่อง 5"]),
        ):
            await app.push_screen(DashboardScreen(staff))
            await settle(pilot)
            table = app.screen.query_one("#officers")
            rows = [[str(cell) for cell in table.get_row_at(r)] for r in range(table.row_count)]
            assert sorted(row[0] for row in rows) == officers
            assert all("กองคลัง" not in " ".join(row) for row in rows) or staff is palat
            table = app.screen.query_one("#counters")
            assert [str(table.get_row_at(r)[0]) for r in range(table.row_count)] == counters
            assert ("ทุกหน่วยงาน" in app.screen.sub_title) == (staff is palat)
            await pilot.press("escape")
            await settle(pilot)
