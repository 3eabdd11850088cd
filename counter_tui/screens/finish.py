"""Provides ``FinishScreen``: the visit summarised for the officer and the visitor — wait, walk,
service and paused time, each step against its standard — and the way back to the queue."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from counter_tui.screens.base import ShowsWorkerErrors
from counter_tui.core.timing import format_hms, on_time
from counter_tui.services import visit as svc
from counter_tui.services.staff import StaffInfo
from counter_tui.widgets.tables import ReadOnlyTable


class FinishScreen(ShowsWorkerErrors, Screen[None]):
    CSS_PATH = "finish.tcss"
    BINDINGS = [Binding("enter,escape", "done", "กลับไปที่คิว", id="done")]

    class Loaded(Message):
        def __init__(self, summary: svc.VisitSummary) -> None:
            super().__init__()
            self.summary = summary

    def __init__(self, staff: StaffInfo, counter_id: int, ticket_id: int) -> None:
        super().__init__()
        self.staff = staff
        self.counter_id = counter_id
        self.ticket_id = ticket_id

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Static("", id="heading")
                yield Static("", id="times")
                yield ReadOnlyTable(id="steps", cursor_type="none")
            yield Vertical(id="right")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#steps", DataTable)
        for label in ("คำขอ / ขั้นตอน", "ใช้เวลา", "มาตรฐาน", "ผล"):
            table.add_column(label)
        self.run_worker(self._load(), group="finish-load", exit_on_error=False)

    async def _load(self) -> None:
        app = self.app
        summary = await app.db.run(svc.visit_summary, app.db.office.id,  # type: ignore
                                   self.ticket_id, app.clock())  # type: ignore[attr-defined]
        self.post_message(self.Loaded(summary))

    def on_finish_screen_loaded(self, message: Loaded) -> None:
        s = message.summary
        self.query_one("#heading", Static).update(
            f"[b]สรุปการให้บริการ บัตรคิว {s.ticket_number}[/b]")
        self.query_one("#times", Static).update(
            f"รอเรียก {format_hms(s.wait_seconds)}   เดินมาที่ช่อง {format_hms(s.walk_seconds)}")
        table = self.query_one("#steps", DataTable)
        for a in s.applications:
            verdict = on_time(a.timing.service_seconds, a.standard_seconds)
            mark = {True: "ทันเวลา", False: "เกินมาตรฐาน", None: "ไม่มีมาตรฐาน"}[verdict]
            outcome = svc.OUTCOME_TH.get(a.timing.outcome or "", a.timing.status)
            due = f" ครบกำหนด {s.case_dues[a.number].isoformat()}" if a.number in s.case_dues \
                else ""
            table.add_row(f"{a.number} {a.service_name}", format_hms(a.timing.service_seconds),
                          a.standard_text or "—", f"{mark} · {outcome}{due}")
            if a.timing.paused_seconds:
                table.add_row("   หยุดเวลา (ไม่นับ)", format_hms(a.timing.paused_seconds), "", "")
            for step, timing in zip(a.steps, a.timing.steps):
                verdict = on_time(timing.seconds, step.standard_seconds)
                table.add_row(f"   {step.name}", format_hms(timing.seconds),
                              step.standard_text or "—",
                              {True: "ทันเวลา", False: "เกิน", None: ""}[verdict])
            if a.sample:
                table.add_row("   (มาตรฐานตัวอย่าง — ยังไม่ใช่คู่มือของสำนักงาน)", "", "", "")

    def action_done(self) -> None:
        self.app.pop_screen()
