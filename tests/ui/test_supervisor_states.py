"""Every state the supervisor's live screens can show, rendered, with the style of each cell.

The dashboard once crashed the app the first time a counter passed 80 % of its standard: its
cells were Rich markup carrying Textual's ``$warning`` (MarkupError) and ``$error`` (silently no
colour). Here a counter is served on a clock the test moves across 80 % and 100 % of a one-hour
standard, and paused, while the dashboard refreshes itself on its own timer; the cases (due,
overdue, notice owed, result notified late) are shown on the dashboard and the cases screen. Each
state is checked by the colour of its cell, which must be the current theme's, in the dark and the
light theme (switching theme rebuilds the cells), and by its words (a monochrome terminal).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import FIXED_NOW, settle
from rich.style import Style
from rich.text import Text
from support.actors import add_admin, admin_id
from support.clock import Clock
from support.manuals import HOUR_TOML, import_toml
from support.office import ticket_in_service
from textual.coordinate import Coordinate

from counter_tui.app import make_app
from counter_tui.config import Settings
from counter_tui.screens import dashboard as dashboard_screen
from counter_tui.screens.cases import CasesScreen
from counter_tui.screens.dashboard import DashboardScreen
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import staff as st
from counter_tui.services import visit
from counter_tui.services.cases import CaseInfo
from counter_tui.services.dashboard import CaseLine
from counter_tui.services.staff import StaffInfo


@pytest.fixture
def serving(db):
    """ช่อง 1 open and serving a one-hour request, started at FIXED_NOW."""
    import_toml(db.id, HOUR_TOML, "hour.toml")
    admin = add_admin(db.id)
    officer, counter, _ = ticket_in_service(
        db.id, "HOUR_PERMIT", officer="สมชาย ใจดี", unit="สำนักปลัด"
    )
    return db, admin, officer, counter


def _app(db_url: str, tmp_path: Path, clock):
    return make_app(Settings(config_path=tmp_path / "c.toml", database_url=db_url), clock=clock)


def _admin(admin) -> StaffInfo:
    return StaffInfo(admin.id, admin.name, "admin", (), True)


def _signal(app, name: str) -> Style:
    variables = app.get_css_variables()
    return Style(color=variables[{"warn": "text-warning", "over": "text-error"}[name]], bold=True)


def _styles(cell) -> list[Style]:
    """The styles a cell carries (a plain string carries none)."""
    if not isinstance(cell, Text):
        return []
    styles = [cell.style] if cell.style else []
    return styles + [span.style for span in cell.spans]


def _timing(screen) -> Text | str:
    return screen.query_one("#counters").get_cell_at(Coordinate(0, 1))


async def _wait_for_refresh(pilot) -> None:
    """Let the dashboard's own refresh timer fire (shortened by the test) and its load land."""
    await pilot.pause(0.3)
    await settle(pilot)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_a_counter_crosses_80_and_100_percent_and_pauses_while_the_dashboard_watches(
    serving, db_url, tmp_path, monkeypatch, theme
):
    office, admin, officer, counter = serving
    monkeypatch.setattr(dashboard_screen, "REFRESH_SECONDS", 0.1)
    clock = Clock()
    clock.now = FIXED_NOW + timedelta(minutes=46, seconds=34)
    app = _app(db_url, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        await settle(pilot)
        await app.push_screen(DashboardScreen(_admin(admin)))
        await settle(pilot)
        screen = app.screen
        cell = _timing(screen)
        assert str(cell) == "46:34/1:00:00"  # normal: below 80 %, no signal
        assert not _styles(cell)

        clock.now = FIXED_NOW + timedelta(minutes=48)  # 80 % of the standard
        await _wait_for_refresh(pilot)
        cell = _timing(screen)
        assert str(cell) == "48:00/1:00:00"
        assert _styles(cell) == [_signal(app, "warn")]
        app.export_screenshot()  # rendered whole: the cell is drawn, nothing raised

        visit.toggle_pause(office.id, counter.id, officer.id, clock.now, "รอผลตรวจสอบจากระบบ")
        clock.now += timedelta(minutes=30)  # paused time does not count
        await _wait_for_refresh(pilot)
        cell = _timing(screen)
        assert str(cell) == "48:00/1:00:00 หยุดเวลา"
        assert _styles(cell) == [_signal(app, "warn")]

        visit.toggle_pause(office.id, counter.id, officer.id, clock.now, None)
        clock.now += timedelta(minutes=12, seconds=5)  # 60:05 of service: over the standard
        await _wait_for_refresh(pilot)
        cell = _timing(screen)
        assert str(cell) == "1:00:05/1:00:00 เกิน"
        assert _styles(cell) == [_signal(app, "over")]
        app.export_screenshot()
        assert app.return_code in (None, 0) and app.is_running


async def test_the_signal_colours_follow_a_theme_change(serving, db_url, tmp_path):
    clock = Clock()
    clock.now = FIXED_NOW + timedelta(minutes=61)
    app = _app(db_url, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "textual-dark"
        await settle(pilot)
        await app.push_screen(DashboardScreen(_admin(serving[1])))
        await settle(pilot)
        dark = _styles(_timing(app.screen))
        assert dark == [_signal(app, "over")]
        app.theme = "textual-light"
        await settle(pilot)
        light = _styles(_timing(app.screen))
        assert light == [_signal(app, "over")] and light != dark


def _case_line(overdue: bool, notice_needed: bool, last_notice: date | None = None) -> CaseLine:
    return CaseLine(
        "0001/2570",
        "ใบอนุญาตก่อสร้าง ดัดแปลง หรือรื้อถอนอาคาร",
        date(2026, 11, 20 if overdue else 27),
        overdue,
        last_notice,
        notice_needed,
    )


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize(
    "case, due, notice",
    [
        (_case_line(False, False), ("27 พ.ย. 2569", None), ("", None)),
        (_case_line(True, True), ("20 พ.ย. 2569 เกินกำหนด", "over"), ("ต้องแจ้ง", "warn")),
        (
            _case_line(True, False, date(2026, 11, 21)),
            ("20 พ.ย. 2569 เกินกำหนด", "over"),
            ("21 พ.ย. 2569", None),
        ),
    ],
    ids=["due", "overdue-notice-owed", "overdue-notice-sent"],
)
async def test_dashboard_case_states(serving, db_url, tmp_path, theme, case, due, notice):
    app = _app(db_url, tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        await settle(pilot)
        await app.push_screen(DashboardScreen(_admin(serving[1])))
        await settle(pilot)
        screen = app.screen
        screen.show_board(screen.board.__class__(**{**screen.board.__dict__, "cases": (case,)}))
        await pilot.pause()
        table = screen.query_one("#cases")
        for column, (text, signal) in ((2, due), (3, notice)):
            cell = table.get_cell_at(Coordinate(0, column))
            assert str(cell) == text
            styles = _styles(cell)
            if signal is None:
                assert not styles
            else:  # the signal is on the word, the date stays plain
                assert _signal(app, signal) in styles
        app.export_screenshot()


def _case_info(**changes) -> CaseInfo:
    base = dict(
        id=1,
        application="0001/2570",
        service_name="ใบอนุญาตประกอบกิจการ",
        unit="กองสาธารณสุข",
        complete_date=date(2026, 11, 2),
        due=date(2026, 11, 27),
        day_kind="working",
        status="open",
        decided_at=None,
        decision=None,
        result_notified_at=None,
        result_late=False,
        overdue=False,
        notices=0,
        last_notice=None,
        notice_needed=False,
        progress=(),
    )
    return CaseInfo(**{**base, **changes})


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize(
    "info, cells",
    [
        (_case_info(), {2: ("27 พ.ย. 2569", None), 4: ("", None), 5: ("", None)}),
        (
            _case_info(due=date(2026, 11, 20), overdue=True, notice_needed=True),
            {2: ("20 พ.ย. 2569 เกินกำหนด", "over"), 4: ("ต้องแจ้ง", "warn")},
        ),
        (
            _case_info(
                due=date(2026, 11, 20), overdue=True, notices=1, last_notice=date(2026, 11, 21)
            ),
            {2: ("20 พ.ย. 2569 เกินกำหนด", "over"), 4: ("1 ครั้ง", None)},
        ),
        (
            _case_info(
                decided_at=FIXED_NOW - timedelta(days=10), decision="อนุญาต", result_late=True
            ),
            {3: ("พิจารณาแล้ว", None), 5: ("ช้ากว่า 7 วัน", "over")},
        ),
    ],
    ids=["due", "overdue-notice-owed", "notice-sent", "result-late"],
)
async def test_cases_screen_states(serving, db_url, tmp_path, theme, info, cells):
    app = _app(db_url, tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        await settle(pilot)
        await app.push_screen(CasesScreen(_admin(serving[1])))
        await settle(pilot)
        screen = app.screen
        screen.cases = [info]
        screen.show_cases()
        await pilot.pause()
        table = screen.query_one("#cases")
        for column, (text, signal) in cells.items():
            cell = table.get_cell_at(Coordinate(0, column))
            assert str(cell) == text
            if signal is None:
                assert not _styles(cell)
            else:
                assert _signal(app, signal) in _styles(cell)
        detail = str(screen.query_one("#detail").render())
        assert "2569" in detail and "2026" not in detail  # Buddhist Era where a person reads
        app.export_screenshot()
        previous = _styles(table.get_cell_at(Coordinate(0, max(cells))))
        app.theme = "textual-light" if theme == "textual-dark" else "textual-dark"
        await settle(pilot)
        after = _styles(table.get_cell_at(Coordinate(0, max(cells))))
        if previous:
            assert after != previous  # rebuilt in the new theme's colours


async def test_an_unhandled_error_ends_the_app_with_a_non_zero_status(tmp_path):
    """Textual prints the traceback and exits; the CLI returns the app's code, never 0 then."""
    from counter_tui.cli import main

    def broken_run(self, *args, **kwargs):
        self._return_code = 1  # what Textual's _handle_exception sets

    import counter_tui.app as app_module

    original = app_module.CounterApp.run
    app_module.CounterApp.run = broken_run
    try:
        code = main(["--database", f"sqlite:///{tmp_path / 'x.db'}"])
    finally:
        app_module.CounterApp.run = original
    assert code == 1


async def test_reports_step_through_periods_to_last_month(serving, db_url, tmp_path):
    """Early December an office publishes November: m then [ reaches it, without the CLI."""
    from counter_tui.screens.reports import ReportsScreen

    clock = Clock()
    clock.now = FIXED_NOW + timedelta(days=13)  # Monday 7 December 2026
    app = _app(db_url, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(ReportsScreen(_admin(serving[1])))
        await settle(pilot)
        screen = app.screen

        def label() -> str:
            return screen.report["period"]["label"]

        assert label() == "ปีงบประมาณ พ.ศ. 2570"
        await pilot.press("m")
        await settle(pilot)
        assert label() == "ธันวาคม 2569"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert label() == "พฤศจิกายน 2569"
        assert screen.report["totals"]["requests"] == 1  # the ticket of 24 November
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert label() == "กันยายน 2569"  # across the fiscal year's start
        assert screen.report["period"]["fiscal_year"] == "2569"
        await pilot.press("q")
        await settle(pilot)
        assert label().startswith("ไตรมาสที่ 4 ปีงบประมาณ พ.ศ. 2569")
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert label().startswith("ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. 2570")
        await pilot.press("right_square_bracket")  # the next quarter has not begun
        await settle(pilot)
        assert label().startswith("ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. 2570")
        await pilot.press("y", "left_square_bracket")
        await settle(pilot)
        assert label() == "ปีงบประมาณ พ.ศ. 2569"


async def test_reports_tables_scroll_sideways_from_the_keyboard_at_80_columns(
    serving, db_url, tmp_path
):
    """The later columns (satisfaction...) are off screen at 80 columns: Tab moves between the
    tables, the arrows scroll the one focused; the screen's letter keys still reach the screen."""
    from counter_tui.screens.reports import ReportsScreen

    app = _app(db_url, tmp_path, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(ReportsScreen(_admin(serving[1])))
        await settle(pilot)
        table = app.screen.query_one("#totals")
        assert table.virtual_size.width > table.size.width  # columns beyond the edge
        assert app.focused is table  # the first table has the focus when the screen opens
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#services")
        await pilot.press("shift+tab")
        assert app.focused is table
        await pilot.press(*["right"] * 40)
        await pilot.pause()
        assert table.scroll_x > 0
        await pilot.press("m")  # a letter key is still the screen's
        await settle(pilot)
        assert app.screen.report["period"]["kind"] == "month"


def _serving_sqlite(tmp_path: Path) -> tuple[str, int]:
    """The ``serving`` office in a SQLite file of its own (snapshots are taken once, on
    SQLite); returns its URL and the admin's id."""
    from counter_tui.db import models as m
    from counter_tui.services.office import connect

    url = f"sqlite:///{tmp_path / 'snap.db'}"
    database, office = connect(url, FIXED_NOW)
    import_toml(office.id, HOUR_TOML, "hour.toml")
    admin = add_admin(office.id)
    officer = st.add_staff(
        office.id, "สมชาย ใจดี", "officer", "1234", FIXED_NOW, actor_id=admin_id(office.id)
    )
    counter = ct.add_counter(
        office.id, "ช่อง 1", "สำนักปลัด", ["HOUR_PERMIT"], FIXED_NOW, actor_id=admin_id(office.id)
    )
    ct.open_counter(office.id, counter.id, officer.id, FIXED_NOW)
    for _ in range(3):
        q.issue_ticket(office.id, "HOUR_PERMIT", FIXED_NOW)
    q.call_next(office.id, counter.id, officer.id, FIXED_NOW)
    q.start_serving(office.id, counter.id, officer.id, FIXED_NOW)
    database.close()
    m.database_proxy.initialize(None)
    return url, admin.id


@pytest.mark.parametrize("which", ["dashboard", "reports", "cases"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_supervisor_screens_snapshots(snap_compare, tmp_path, size, which):
    """The dashboard with a counter over its standard and two visitors waiting, the reports
    and the cases screens, at both sizes, on a fixed clock."""
    from counter_tui.screens.reports import ReportsScreen

    url, admin_id = _serving_sqlite(tmp_path)
    clock = Clock()
    clock.now = FIXED_NOW + timedelta(minutes=61)
    app = _app(url, tmp_path, clock)
    staff = StaffInfo(admin_id, "admin", "admin", (), True)

    async def open_screen(pilot) -> None:
        await settle(pilot)
        screen = {"dashboard": DashboardScreen, "reports": ReportsScreen, "cases": CasesScreen}[
            which
        ](staff)
        await pilot.app.push_screen(screen)
        await settle(pilot)
        await pilot.pause(0.2)  # tables fit their columns to new rows when idle

    assert snap_compare(app, terminal_size=size, run_before=open_screen)


async def test_cases_all_view_says_it_is_the_latest_cases(serving, db_url, tmp_path):
    """ "All" lists the newest cases by due date (bounded), and its heading says so."""
    app = _app(db_url, tmp_path, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(CasesScreen(_admin(serving[1])))
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        heading = str(app.screen.query_one("#heading").render())
        assert "ทั้งหมด (ไม่เกิน 1,000 เรื่องที่ครบกำหนดล่าสุด)" in heading


async def test_signing_out_leaves_an_empty_form_and_an_empty_pin_is_no_wrong_try(
    serving, db_url, tmp_path
):
    """After a supervisor leaves, the next person must not type into the previous name (their
    Enter would count a wrong PIN against that account); an empty PIN is refused uncounted."""
    from textual.widgets import Input

    from counter_tui.db import models as m
    from counter_tui.screens.admin import AdminScreen

    app = _app(db_url, tmp_path, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#name", Input).value = "admin"
        await pilot.press("enter", "tab", *"9999", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AdminScreen)
        await pilot.press("escape")
        await settle(pilot)
        name = app.screen.query_one("#name", Input)
        assert name.value == "" and app.focused is name
        name.value = "admin"
        await pilot.press("enter", "tab", "enter")  # Enter on an empty PIN
        await settle(pilot)
        assert m.Staff.get(m.Staff.name == "admin").failed_pins == 0
        assert any("ยังไม่นับ" in n.message for n in app._notifications)


async def test_a_delay_notice_for_a_case_outside_the_act_is_refused_before_asking(
    serving, db_url, tmp_path
):
    """A complaint's case owes no s.10 letter: l says so at once, without asking for a reason
    first; a permit's case opens the reason dialog."""
    from counter_tui.screens.dialogs import ReasonDialog

    app = _app(db_url, tmp_path, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(CasesScreen(_admin(serving[1])))
        await settle(pilot)
        screen = app.screen
        screen.cases = [
            _case_info(
                service_name="การรับเรื่องร้องเรียน/ร้องทุกข์",
                under_act=False,
                due=date(2026, 11, 20),
                overdue=True,
            )
        ]
        screen.show_cases()
        await pilot.press("l")
        await settle(pilot)
        assert app.screen is screen
        assert any("มาตรา 10" in n.message for n in app._notifications)
        screen.cases = [_case_info(due=date(2026, 11, 20), overdue=True, notice_needed=True)]
        screen.show_cases()
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
