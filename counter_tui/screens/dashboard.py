"""Provides ``DashboardScreen``: the supervisor's live view of their units (admins: all).

It refreshes itself every few seconds on the database thread (a timer re-armed after each load,
so loads never overlap). A counter past its standard is shown in the error colour at a glance.
Keys: r reports, k cases, Esc back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Sparkline, Static

from counter_tui.core.timing import format_hms, timer_state
from counter_tui.screens.base import ShowsWorkerErrors
from counter_tui.services.dashboard import Dashboard, dashboard
from counter_tui.services.staff import StaffInfo
from counter_tui.widgets.tables import ReadOnlyTable

STATE_TH = {"open": "เปิด", "break": "พักกลางวัน", "away": "ออกนอกสถานที่", "closed": "ปิด"}
REFRESH_SECONDS = 5


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


class DashboardScreen(ShowsWorkerErrors, Screen[None]):
    CSS_PATH = "dashboard.tcss"
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
        self._timer = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="banner")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Label("ช่องบริการ", classes="section")
                yield ReadOnlyTable(id="counters", cursor_type="none")
                yield Label("คิวที่รอ แยกตามบริการ", classes="section")
                yield ReadOnlyTable(id="waiting", cursor_type="none")
                yield Label("เรื่องที่ครบกำหนดใน 7 วัน / เกินกำหนด (พ.ร.บ. ม.10)", classes="section")
                yield ReadOnlyTable(id="cases", cursor_type="none")
            with Vertical(id="right"):
                yield Label("วันนี้", classes="section")
                yield Static("", id="today")
                yield Label("ผู้มารับบริการรายชั่วโมง 08–17 น.", classes="section")
                yield Sparkline([], id="arrivals")
                yield Label("เหตุผลการเรียกข้ามลำดับ/ข้าม/เรียกซ้ำ รายเจ้าหน้าที่", classes="section")
                yield ReadOnlyTable(id="officers", cursor_type="none")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "ภาพรวมผู้บังคับบัญชา" + (
            f" — {', '.join(self.staff.units)}" if self.staff.role == "supervisor" else "")
        columns = {
            "counters": ("ช่อง", "สถานะ", "เจ้าหน้าที่", "คิว", "บริการ", "เวลา/มาตรฐาน"),
            "waiting": ("บริการ", "รอ", "รอนานสุด"),
            "cases": ("คำขอ", "บริการ", "ครบกำหนด", "หนังสือแจ้งเหตุล่าช้า"),
            "officers": ("เจ้าหน้าที่", "ข้ามลำดับ", "ข้าม", "เรียกซ้ำ", "ไม่มา", "เหตุผล"),
        }
        for table_id, labels in columns.items():
            table = self.query_one(f"#{table_id}", ReadOnlyTable)
            for label in labels:
                table.add_column(label)
        self.load()

    def load(self) -> None:
        self.run_worker(self._load(), group="dashboard", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        app = self.app
        units = list(self.staff.units) if self.staff.role != "admin" else None
        try:
            board = await app.db.run(dashboard, app.db.office.id, app.clock(),  # type: ignore
                                     units)
            self.post_message(self.Loaded(board))
        finally:
            if self._timer is not None:
                self._timer.stop()
            self._timer = self.set_timer(REFRESH_SECONDS, self.load)

    def on_dashboard_screen_loaded(self, message: Loaded) -> None:
        b = message.board
        notes = []
        if b.sample_standards:
            notes.append("[reverse] มาตรฐานตัวอย่าง [/] ตัวเลขเทียบกับมาตรฐานตัวอย่าง: เป็นร่าง")
        if b.survey_link_problem:
            notes.append(f"[bold $warning]{b.survey_link_problem}[/]")
        self.query_one("#banner", Static).update(f"[b]{b.office_name}[/b]   " + "   ".join(notes))
        t = b.today
        eit = ""
        if b.eit_window and b.eit_target:
            eit = (f"\nEIT: เสนอแบบวัดแล้ว {b.eit_offered}/{b.eit_target} "
                   f"({_pct(100 * b.eit_offered / b.eit_target)}) ช่วง "
                   f"{b.eit_window[0].isoformat()} ถึง {b.eit_window[1].isoformat()}")
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
            f"({t['rating_count']} ราย)  {ratings}")
        self.query_one("#arrivals", Sparkline).data = list(b.arrivals_per_hour)
        with self.app.batch_update():
            counters = self.query_one("#counters", ReadOnlyTable)
            counters.clear()
            for c in b.counters:
                timing = ""
                if c.elapsed_seconds is not None:
                    state = timer_state(c.elapsed_seconds, c.standard_seconds)
                    text = f"{format_hms(c.elapsed_seconds)}/{format_hms(c.standard_seconds)}"
                    timing = {"over": f"[bold $error]{text} เกิน[/]",
                              "warn": f"[$warning]{text}[/]"}.get(state, text)
                elif c.state in ("break", "away") and c.state_seconds is not None:
                    timing = format_hms(c.state_seconds)
                counters.add_row(c.name, STATE_TH.get(c.state, c.state), c.officer or "",
                                 c.ticket or "", _short(c.service_name), timing)
            waiting = self.query_one("#waiting", ReadOnlyTable)
            waiting.clear()
            for w in b.waiting:
                waiting.add_row(_short(w.service_name, 40), str(w.waiting),
                                format_hms(w.longest_wait_seconds))
            cases = self.query_one("#cases", ReadOnlyTable)
            cases.clear()
            for case in b.cases:
                due = case.due.isoformat() + (" [bold $error]เกินกำหนด[/]" if case.overdue else "")
                notice = "[bold $warning]ต้องแจ้ง[/]" if case.notice_needed else (
                    case.last_notice.isoformat() if case.last_notice else "")
                cases.add_row(case.application, _short(case.service_name, 30), due, notice)
            officers = self.query_one("#officers", ReadOnlyTable)
            officers.clear()
            for o in b.officers:
                officers.add_row(o.officer, str(o.out_of_order), str(o.skips), str(o.recalls),
                                 str(o.no_shows), "; ".join(o.reasons[-3:]))

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
