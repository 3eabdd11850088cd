"""Provides ``ReportsScreen``: the service statistics of a month, quarter, half or Thai fiscal
year, ready to publish, with exports to the data folder (CSV, XLSX, PDF). Supervisors and admins
only (it shows figures per officer). A supervisor's report and exports hold their own units only
(``services.staff.unit_scope``; the ปลัด and admins: the whole office).

Keys: m/q/h/y the kind of period (month, quarter, half, fiscal year), [ and ] the previous and
next period of that kind (in early December, [ on the month view gives November, the month an
office publishes), c CSV, x XLSX, p PDF, Esc back. At 80 columns Tab focuses a table and the
arrows scroll it sideways to its later columns.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.widgets import Footer, Header, Static

from counter_tui.core.timing import format_hms
from counter_tui.screens.base import CounterScreen
from counter_tui.services.staff import StaffInfo
from counter_tui.widgets.tables import ScrollingTable

SHOWN = (
    ("requests", "คำขอ"),
    ("completed", "เสร็จ"),
    ("documents_requested", "เอกสารเพิ่ม"),
    ("returned", "คืนคำขอ"),
    ("cases_overdue", "เกินกำหนด"),
    ("on_time_pct", "ทันเวลา%"),
    ("median_service_seconds", "มัธยฐาน"),
    ("p90_service_seconds", "P90"),
    ("median_wait_seconds", "รอ"),
    ("survey_offered_pct", "EIT%"),
    ("rating_mean", "พึงพอใจ"),
)
PERIOD_KEYS = (
    ("m", "month", "เดือน"),
    ("q", "quarter", "ไตรมาส"),
    ("h", "half", "ครึ่งปี"),
    ("y", "year", "ปีงบประมาณ"),
)
SECONDS = {"median_service_seconds", "p90_service_seconds", "median_wait_seconds"}


class ReportsScreen(CounterScreen[None]):
    CSS = """
    #heading { height: auto; padding: 0 1; background: $boost; }
    #tables { height: 1fr; }
    ScrollingTable { height: auto; max-height: 14; margin: 1 1 0 1; }
    ScrollingTable:focus { background-tint: $foreground 10%; }
    """
    BINDINGS = [
        # The periods are named in the heading (the one shown marked): the footer keeps the
        # exports, which then fit at 80 columns.
        Binding("m", "period('month')", "เดือน", show=False),
        Binding("q", "period('quarter')", "ไตรมาส", show=False),
        Binding("h", "period('half')", "ครึ่งปี", show=False),
        Binding("y", "period('year')", "ปีงบประมาณ", show=False),
        Binding("left_square_bracket", "step(-1)", "ช่วงก่อน", show=False),
        Binding("right_square_bracket", "step(1)", "ช่วงถัดไป", show=False),
        Binding("c", "export('csv')", "CSV"),
        Binding("x", "export('xlsx')", "XLSX"),
        Binding("p", "export('pdf')", "PDF"),
        Binding("escape", "back", "กลับ"),
    ]

    class Loaded(Message):
        def __init__(self, report: dict[str, Any]) -> None:
            super().__init__()
            self.report = report

    def __init__(self, staff: StaffInfo) -> None:
        super().__init__()
        self.staff = staff
        self.kind = "year"
        self.fiscal_year: int | None = None
        self.on_date: date | None = None
        """a day inside the period shown (None: today's period)"""
        self.report: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="heading")
        with VerticalScroll(id="tables", can_focus=False):
            for table_id in ("totals", "services", "units", "officers"):
                yield ScrollingTable(id=table_id, cursor_type="none")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "รายงานสถิติการให้บริการ"
        for table_id, first in (
            ("totals", "สำนักงาน"),
            ("services", "บริการ"),
            ("units", "หน่วยงาน"),
            ("officers", "เจ้าหน้าที่"),
        ):
            table = self.query_one(f"#{table_id}", ScrollingTable)
            table.add_column(first)
            for _, label in SHOWN:
                table.add_column(label)
        self.load()

    def load(self) -> None:
        self.run_worker(self._load(), group="reports", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        from counter_tui.services.reports import stats_report
        from counter_tui.services.staff import unit_scope

        report = await self._run(
            stats_report,
            self.kind,
            self.fiscal_year,
            self.on_date,
            self._now(),
            self.staff.role in ("supervisor", "admin"),
            unit_scope(self.staff),
            actor_id=self.staff.id,
        )
        self.post_message(self.Loaded(report))

    def on_reports_screen_loaded(self, message: Loaded) -> None:
        report = self.report = message.report
        self.fiscal_year = int(report["period"]["fiscal_year"])
        if self.on_date is None:  # today's period: step from today (or the year's last day)
            from counter_tui.core.thai_dates import local_date

            self.on_date = min(local_date(self._now()), date.fromisoformat(report["period"]["to"]))
        draft = "   [reverse] ร่าง: มาตรฐานตัวอย่าง [/]" if report["draft"] else ""
        kinds = "  ".join(
            f"[reverse] {key} {label} [/]" if kind == self.kind else f"{key} {label}"
            for key, kind, label in PERIOD_KEYS
        )
        self.query_one("#heading", Static).update(
            f"[b]{escape(report['office'])}[/b] — สถิติการให้บริการ {report['period']['label']}"
            f"{draft}\n{kinds}  \\[ ช่วงก่อน  ] ช่วงถัดไป"
        )
        with self.app.batch_update():
            for table_id in ("totals", "services", "units", "officers"):
                table = self.query_one(f"#{table_id}", ScrollingTable)
                table.clear()
                lines = (
                    [(report["office"], report["totals"])]
                    if table_id == "totals"
                    else list(report[table_id].items())
                )
                for name, figures in lines:
                    table.add_row(name, *(self._cell(figures, key) for key, _ in SHOWN))

    @staticmethod
    def _cell(figures: dict[str, Any], key: str) -> str:
        value = figures.get(key)
        if value is None:
            return "—"
        return format_hms(value) if key in SECONDS else str(value)

    def action_period(self, kind: str) -> None:
        """Another kind of period around the same day (the month of the quarter shown...)."""
        self.kind = kind
        self.load()

    def action_step(self, step: int) -> None:
        """The previous or next period of the kind shown; not past today's."""
        from counter_tui.core.thai_dates import local_date

        if self.report is None or self.on_date is None:
            return
        period = self.report["period"]
        day = (
            date.fromisoformat(period["from"]) - timedelta(days=1)
            if step < 0
            else date.fromisoformat(period["to"]) + timedelta(days=1)
        )
        if day > local_date(self._now()):
            self.notify("ช่วงถัดไปยังไม่เริ่ม: นี่คือช่วงล่าสุดแล้ว", severity="warning")
            return
        from counter_tui.core.fiscal import fiscal_year_of

        self.on_date, self.fiscal_year = day, fiscal_year_of(day)
        self.load()

    def action_export(self, fmt: str) -> None:
        report = self.report
        if report is None:
            return

        async def run() -> None:
            from counter_tui.services.reports import export_stats

            path = await self.app.db.run(export_stats, report, fmt)
            self.notify(f"บันทึกไฟล์แล้ว: {path}", title="ส่งออก", timeout=10)

        self.run_worker(run(), group="reports-export", exit_on_error=False)

    def action_back(self) -> None:
        self.app.pop_screen()
