"""Provides ``ReportsScreen``: the service statistics of a month, quarter, half or Thai fiscal
year, ready to publish, with exports to the data folder (CSV, XLSX, PDF). Supervisors and admins
only (it shows figures per officer).

Keys: m/q/h/y period, [ and ] previous/next fiscal year, c CSV, x XLSX, p PDF, Esc back.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from counter_tui.core.timing import format_hms
from counter_tui.screens.base import ShowsWorkerErrors
from counter_tui.services.staff import StaffInfo
from counter_tui.widgets.tables import ReadOnlyTable

SHOWN = (("requests", "คำขอ"), ("completed", "เสร็จ"), ("documents_requested", "เอกสารเพิ่ม"),
         ("returned", "คืนคำขอ"), ("cases_overdue", "เกินกำหนด"), ("on_time_pct", "ทันเวลา%"),
         ("median_service_seconds", "มัธยฐาน"), ("p90_service_seconds", "P90"),
         ("median_wait_seconds", "รอ"), ("survey_offered_pct", "EIT%"),
         ("rating_mean", "พึงพอใจ"))
SECONDS = {"median_service_seconds", "p90_service_seconds", "median_wait_seconds"}


def export_report(report: dict[str, Any], fmt: str) -> str:
    """Write the report into the user data folder; returns the path."""
    from counter_tui.paths import data_dir
    from counter_tui.services import report_formats as out

    folder = data_dir() / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    period = report["period"]
    path = folder / f"stats-{period['kind']}-{period['from']}-{period['to']}.{fmt}"
    if fmt == "xlsx":
        out.write_xlsx(report, str(path))
    elif fmt == "pdf":
        from counter_tui.printing.stats_pdf import stats_pdf

        stats_pdf(report, str(path))
    else:
        with path.open("w", encoding="utf-8", newline="") as stream:
            out.write_csv(report, stream)
    return str(path)


class ReportsScreen(ShowsWorkerErrors, Screen[None]):
    CSS = """
    #heading { height: auto; padding: 0 1; background: $boost; }
    ReadOnlyTable { height: auto; max-height: 14; margin: 1 1 0 1; }
    """
    BINDINGS = [
        Binding("m", "period('month')", "เดือน"), Binding("q", "period('quarter')", "ไตรมาส"),
        Binding("h", "period('half')", "ครึ่งปี"), Binding("y", "period('year')", "ปีงบประมาณ"),
        Binding("left_square_bracket", "year(-1)", "ปีก่อน"),
        Binding("right_square_bracket", "year(1)", "ปีถัดไป"),
        Binding("c", "export('csv')", "CSV"), Binding("x", "export('xlsx')", "XLSX"),
        Binding("p", "export('pdf')", "PDF"), Binding("escape", "back", "กลับ"),
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
        self.report: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="heading")
        for table_id in ("totals", "services", "units", "officers"):
            yield ReadOnlyTable(id=table_id, cursor_type="none")
        yield Footer()

    def on_mount(self) -> None:
        for table_id, first in (("totals", "สำนักงาน"), ("services", "บริการ"),
                                ("units", "หน่วยงาน"), ("officers", "เจ้าหน้าที่")):
            table = self.query_one(f"#{table_id}", ReadOnlyTable)
            table.add_column(first)
            for _, label in SHOWN:
                table.add_column(label)
        self.load()

    def load(self) -> None:
        self.run_worker(self._load(), group="reports", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        from counter_tui.services.reports import stats_report

        app = self.app
        report = await app.db.run(stats_report, app.db.office.id, self.kind,  # type: ignore
                                  self.fiscal_year, None, app.clock(),  # type: ignore
                                  self.staff.role in ("supervisor", "admin"))
        self.post_message(self.Loaded(report))

    def on_reports_screen_loaded(self, message: Loaded) -> None:
        report = self.report = message.report
        self.fiscal_year = int(report["period"]["fiscal_year"])
        draft = "   [reverse] ร่าง: มาตรฐานตัวอย่าง [/]" if report["draft"] else ""
        self.query_one("#heading", Static).update(
            f"[b]{report['office']}[/b] — สถิติการให้บริการ {report['period']['label']}{draft}")
        with self.app.batch_update():
            for table_id in ("totals", "services", "units", "officers"):
                table = self.query_one(f"#{table_id}", ReadOnlyTable)
                table.clear()
                lines = [(report["office"], report["totals"])] if table_id == "totals" else \
                    list(report[table_id].items())
                for name, figures in lines:
                    table.add_row(name, *(self._cell(figures, key) for key, _ in SHOWN))

    @staticmethod
    def _cell(figures: dict[str, Any], key: str) -> str:
        value = figures.get(key)
        if value is None:
            return "—"
        return format_hms(value) if key in SECONDS else str(value)

    def action_period(self, kind: str) -> None:
        self.kind = kind
        self.load()

    def action_year(self, step: int) -> None:
        if self.fiscal_year:
            self.fiscal_year += step
            self.load()

    def action_export(self, fmt: str) -> None:
        report = self.report
        if report is None:
            return

        async def run() -> None:
            app = self.app
            path = await app.db.run(export_report, report, fmt)  # type: ignore[attr-defined]
            self.notify(f"บันทึกไฟล์แล้ว: {path}", title="ส่งออก", timeout=10)

        self.run_worker(run(), group="reports-export", exit_on_error=False)

    def action_back(self) -> None:
        self.app.pop_screen()

