"""Provides ``DashboardScreen``: the supervisor's live view of their units (admins and the ปลัด:
all).

It refreshes itself every few seconds on the database thread (a timer re-armed after each load,
so loads never overlap). A counter near its standard (80 %) is shown in the warning colour, past
it (100 %) in the error colour and marked "เกิน", so the signal survives a monochrome terminal;
overdue cases and owed delay notices likewise. Those cells are Rich ``Text`` styled from the
current theme (``widgets.signals``) and built again when the theme changes.
At 80 columns the sections stack in one scrolling column, the counters first; Tab moves between
the tables and the arrows and Page Up/Down scroll them.
Keys: r reports, k cases, Esc back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.markup import escape
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Header, Label, Sparkline, Static

from counter_tui.core.thai_dates import format_date_th
from counter_tui.core.timing import format_hms, timer_state
from counter_tui.screens.base import CounterScreen
from counter_tui.screens.words import COUNTER_STATE_TH
from counter_tui.services.dashboard import CaseLine, CounterLine, Dashboard, dashboard
from counter_tui.services.staff import StaffInfo, unit_scope
from counter_tui.widgets.signals import Signals
from counter_tui.widgets.tables import ScrollingTable

REFRESH_SECONDS = 5
#: the counters' columns: the timing right after the counter, so that it stays on screen at 80x24
COUNTER_COLUMNS = ("ช่อง", "เวลา/มาตรฐาน", "สถานะ", "คิว", "เจ้าหน้าที่", "บริการ")


def _short(text: str | None, width: int = 22) -> str:
    """Service names run long in Thai; the timing column must stay on screen."""
    if not text:
        return ""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    while cell_len(text) > width - 1:
        text = text[:-1]
    return text + "…"


def _pct(value) -> str:
    return "—" if value is None else f"{value:.0f}%"


def counter_timing(signals: Signals, c: CounterLine):
    """The timing cell of a counter: elapsed/standard, in the warning colour from 80 % and in
    the error colour with "เกิน" from 100 %; "หยุดเวลา" while the service is paused; the time
    in the state for a break or an absence."""
    if c.elapsed_seconds is not None:
        state = timer_state(c.elapsed_seconds, c.standard_seconds)
        text = f"{format_hms(c.elapsed_seconds)}/{format_hms(c.standard_seconds)}"
        if state == "over":
            text += " เกิน"
        if c.paused:
            text += " หยุดเวลา"
        return signals.cell(text, state if state in ("warn", "over") else None)
    if c.state in ("break", "away") and c.state_seconds is not None:
        return format_hms(c.state_seconds)
    return ""


def case_due(signals: Signals, case) -> object:
    """A case's due date (BE), "เกินกำหนด" in the error colour once it has passed."""
    due = format_date_th(case.due, short=True)
    return signals.join((due, None), (" เกินกำหนด", "over")) if case.overdue else due


def case_notice(signals: Signals, case: CaseLine) -> object:
    """The 7-day delay notice (Act s.10): "ต้องแจ้ง" in the warning colour when one is owed,
    else the date of the last one sent."""
    if case.notice_needed:
        return signals.cell("ต้องแจ้ง", "warn")
    return format_date_th(case.last_notice, short=True) if case.last_notice else ""


class DashboardScreen(CounterScreen[None]):
    CSS_PATH = "dashboard.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("r", "reports", "รายงานสถิติ", id="reports"),
        Binding("k", "cases", "เรื่องรับไว้ดำเนินการ", id="cases"),
        Binding("escape", "back", "กลับ", id="back"),
    ]

    class Loaded(Message):
        def __init__(self, board: Dashboard) -> None:
            super().__init__()
            self.board = board

    def __init__(self, staff: StaffInfo) -> None:
        super().__init__()
        self.staff = staff
        self._timer: Timer | None = None
        self.board: Dashboard | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="banner")
        with ScrollableContainer(id="main", can_focus=False):
            with Vertical(id="left"):
                yield Label("ช่องบริการ", classes="section")
                yield ScrollingTable(id="counters", cursor_type="none")
                yield Label("คิวที่รอ แยกตามบริการ", classes="section")
                yield ScrollingTable(id="waiting", cursor_type="none")
                yield Label("เรื่องที่ครบกำหนดใน 7 วัน / เกินกำหนด", classes="section")
                yield ScrollingTable(id="cases", cursor_type="none")
            with Vertical(id="right"):
                yield Label("วันนี้", classes="section")
                yield Static("", id="today")
                yield Label("ผู้มารับบริการรายชั่วโมง 08–17 น.", classes="section")
                yield Sparkline([], id="arrivals")
                yield Label("เหตุผลการเรียกข้ามลำดับ/ข้าม/เรียกซ้ำ รายเจ้าหน้าที่", classes="section")
                yield ScrollingTable(id="officers", cursor_type="none")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        scope = unit_scope(self.staff)  # the ปลัด (all units) sees every unit, as admins do
        self.sub_title = "ภาพรวมผู้บังคับบัญชา" + (
            f" — {', '.join(scope)}"
            if scope is not None
            else " — ทุกหน่วยงาน"
            if self.staff.role == "supervisor"
            else ""
        )
        columns = {
            "counters": COUNTER_COLUMNS,
            "waiting": ("บริการ", "รอ", "รอนานสุด"),
            "cases": ("คำขอ", "บริการ", "ครบกำหนด", "แจ้งล่าช้า"),
            "officers": ("เจ้าหน้าที่", "ข้ามลำดับ", "ข้าม", "เรียกซ้ำ", "ไม่มา", "เหตุผล"),
        }
        for table_id, labels in columns.items():
            table = self.query_one(f"#{table_id}", ScrollingTable)
            for label in labels:
                table.add_column(label)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.load()

    def _theme_changed(self, _theme) -> None:
        """The signal colours are the theme's: show the same board in the new ones."""
        if self.board is not None:
            self.show_board(self.board)

    def load(self) -> None:
        self.run_worker(self._load(), group="dashboard", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        units = unit_scope(self.staff)
        try:
            board = await self._run(dashboard, self._now(), units, actor_id=self.staff.id)
            self.post_message(self.Loaded(board))
        finally:
            if self._timer is not None:
                self._timer.stop()
            self._timer = self.set_timer(REFRESH_SECONDS, self.load)

    def on_dashboard_screen_loaded(self, message: Loaded) -> None:
        self.show_board(message.board)

    def show_board(self, b: Dashboard) -> None:
        self.board = b
        signals = Signals.of(self.app)
        notes = []
        if b.sample_standards:
            notes.append("[reverse] มาตรฐานตัวอย่าง [/] ตัวเลขเทียบกับมาตรฐานตัวอย่าง: เป็นร่าง")
        if b.survey_link_problem:  # Textual markup (a Static): $warning is the theme's
            notes.append(f"[bold $text-warning]{escape(b.survey_link_problem)}[/]")
        self.query_one("#banner", Static).update(
            f"[b]{escape(b.office_name)}[/b]   " + "   ".join(notes)
        )
        t = b.today
        eit = ""
        if b.eit_window and b.eit_target:
            eit = (
                f"\nEIT: เสนอแบบวัดแล้ว {b.eit_offered}/{b.eit_target} "
                f"({_pct(100 * b.eit_offered / b.eit_target)}) ช่วง "
                f"{format_date_th(b.eit_window[0], short=True)} ถึง "
                f"{format_date_th(b.eit_window[1], short=True)}"
            )
        ratings = " ".join(f"{k}★{v}" for k, v in t["ratings"].items())
        self.query_one("#today", Static).update(
            f"รับบัตรคิว {t['visits']}  ให้บริการเสร็จ {t['served']}  ไม่มา {t['no_shows']}\n"
            f"ทันเวลามาตรฐาน {_pct(t['on_time_pct'])}\n"
            f"เวลาบริการ มัธยฐาน {format_hms(t['median_service_seconds'])}  "
            f"P90 {format_hms(t['p90_service_seconds'])}\n"
            f"เวลารอ มัธยฐาน {format_hms(t['median_wait_seconds'])}  "
            f"P90 {format_hms(t['p90_wait_seconds'])}\n"
            f"เรียกข้ามลำดับ {t['out_of_order_calls']}  เอกสารไม่ครบ {t['documents_requested']}\n"
            f"เสนอแบบวัด EIT {_pct(t['survey_offered_pct'])}{eit}\n"
            f"ความพึงพอใจ {t['rating_mean'] if t['rating_mean'] is not None else '—'} "
            f"({t['rating_count']} ราย)  {ratings}"
        )
        self.query_one("#arrivals", Sparkline).data = list(b.arrivals_per_hour)
        # Rows by key (sync_rows): a refresh keeps each table's scroll position.
        with self.app.batch_update():
            self.query_one("#counters", ScrollingTable).sync_rows(
                (
                    c.name,
                    (
                        c.name,
                        counter_timing(signals, c),
                        COUNTER_STATE_TH.get(c.state, c.state),
                        c.ticket or "",
                        c.officer or "",
                        _short(c.service_name, 18),
                    ),
                )
                for c in b.counters
            )
            self.query_one("#waiting", ScrollingTable).sync_rows(
                (
                    w.service,
                    (
                        _short(w.service_name, 40),
                        str(w.waiting),
                        format_hms(w.longest_wait_seconds),
                    ),
                )
                for w in b.waiting
            )
            self.query_one("#cases", ScrollingTable).sync_rows(
                (
                    case.application,
                    (
                        case.application,
                        _short(case.service_name, 22),
                        case_due(signals, case),
                        case_notice(signals, case),
                    ),
                )
                for case in b.cases
            )
            self.query_one("#officers", ScrollingTable).sync_rows(
                (
                    o.officer,
                    (
                        o.officer,
                        str(o.out_of_order),
                        str(o.skips),
                        str(o.recalls),
                        str(o.no_shows),
                        "; ".join(o.reasons[-3:]),
                    ),
                )
                for o in b.officers
            )

    def action_reports(self) -> None:
        from counter_tui.screens.reports import ReportsScreen

        self.app.push_screen(ReportsScreen(self.staff))

    def action_cases(self) -> None:
        from counter_tui.screens.cases import CasesScreen

        self.app.push_screen(CasesScreen(self.staff))

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.stop()
