"""Provides ``FinishScreen``: the visit summarised for the officer and the visitor — wait, walk,
service and paused time, each step against its standard — with the EIT survey QR code and a
Thai invitation, the visitor's 1-5 satisfaction rating (skippable), and the service slip.

Keys: 1-5 rating, n visitor has no phone, p print the slip, Enter back to the queue.
The survey counts as offered on screen once the code has been shown.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from counter_tui.core.thai_dates import format_date_th
from counter_tui.core.timing import format_hms, on_time
from counter_tui.screens.base import CounterScreen
from counter_tui.services import visit as svc
from counter_tui.services.staff import StaffInfo
from counter_tui.widgets.tables import ReadOnlyTable


class FinishScreen(CounterScreen[None]):
    CSS_PATH = "finish.tcss"
    BINDINGS = [
        Binding("enter,escape", "done", "กลับไปที่คิว", id="done"),
        Binding("1", "rate(1)", "1", show=False),
        Binding("2", "rate(2)", "2", show=False),
        Binding("3", "rate(3)", "3", show=False),
        Binding("4", "rate(4)", "4", show=False),
        Binding("5", "rate(5)", "ความพึงพอใจ 1–5", key_display="1–5"),
        Binding("n", "no_phone", "ไม่มีโทรศัพท์", id="no-phone"),
        Binding("p", "print_slip", "พิมพ์ใบบริการ", id="print-slip"),
        Binding("u", "undo_finish", "ยังไม่เสร็จ (แก้ไข)", id="undo-finish"),
    ]

    class Loaded(Message):
        def __init__(self, summary: svc.VisitSummary, url: str | None) -> None:
            super().__init__()
            self.summary = summary
            self.url = url

    def __init__(self, staff: StaffInfo, counter_id: int, ticket_id: int) -> None:
        super().__init__()
        self.staff = staff
        self.counter_id = counter_id
        self.ticket_id = ticket_id
        self.rated = False
        self.summary: svc.VisitSummary | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Static("", id="heading")
                yield Static("", id="times")
                yield ReadOnlyTable(id="steps", cursor_type="none")
            with Vertical(id="right"):
                yield Vertical(id="qr")
                yield Static("", id="rating")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#steps", DataTable)
        for label in ("คำขอ / ขั้นตอน", "ใช้เวลา", "มาตรฐาน", "ผล"):
            table.add_column(label)
        self.run_worker(self._load(), group="finish-load", exit_on_error=False)

    async def _load(self) -> None:
        from counter_tui.services.survey import survey_link

        summary = await self._run(svc.visit_summary, self.ticket_id, self._now())
        url = await self._run(survey_link, self._now())
        self.post_message(self.Loaded(summary, url))

    def on_finish_screen_loaded(self, message: Loaded) -> None:
        from counter_tui.widgets.qr_view import QRView

        s = self.summary = message.summary
        view = QRView(message.url, id="survey")
        self.query_one("#qr", Vertical).mount(view)
        self.query_one("#rating", Static).update(
            "ความพึงพอใจต่อการรับบริการครั้งนี้: กด 1 (น้อยที่สุด) ถึง 5 (มากที่สุด) หรือ Enter เพื่อข้าม"
        )
        if view.has_code:
            self._survey("screen")
        self.query_one("#heading", Static).update(f"[b]สรุปการให้บริการ บัตรคิว {s.ticket_number}[/b]")
        self.query_one("#times", Static).update(
            f"รอเรียก {format_hms(s.wait_seconds)}   เดินมาที่ช่อง {format_hms(s.walk_seconds)}"
        )
        table = self.query_one("#steps", DataTable)
        for a in s.applications:
            verdict = on_time(a.timing.service_seconds, a.standard_seconds)
            mark = {True: "ทันเวลา", False: "เกินมาตรฐาน", None: "ไม่มีมาตรฐาน"}[verdict]
            outcome = svc.OUTCOME_TH.get(a.timing.outcome or "", a.timing.status)
            due = (
                f" ครบกำหนด {format_date_th(s.case_dues[a.number], short=True)}"
                if a.number in s.case_dues
                else ""
            )
            table.add_row(
                f"{a.number} {a.service_name}",
                format_hms(a.timing.service_seconds),
                a.standard_text or "—",
                f"{mark} · {outcome}{due}",
            )
            if a.timing.paused_seconds:
                table.add_row("   หยุดเวลา (ไม่นับ)", format_hms(a.timing.paused_seconds), "", "")
            for step, timing in zip(a.steps, a.timing.steps):
                verdict = on_time(timing.seconds, step.standard_seconds)
                table.add_row(
                    f"   {step.name}",
                    format_hms(timing.seconds),
                    step.standard_text or "—",
                    {True: "ทันเวลา", False: "เกิน", None: ""}[verdict],
                )
            if a.sample:
                table.add_row("   (มาตรฐานตัวอย่าง — ยังไม่ใช่คู่มือของสำนักงาน)", "", "", "")

    def _after_write(self) -> None:
        pass  # the summary stays as it is: the outcome is final

    def _survey(self, how: str) -> None:
        from counter_tui.services.survey import offer_survey

        self._write(offer_survey, self.ticket_id, self.staff.id, how, self._now())

    def action_rate(self, score: int) -> None:
        from counter_tui.services.survey import rate

        if self.rated:
            return
        self.rated = True

        def saved(_: object) -> None:
            self.query_one("#rating", Static).update(
                f"ขอบคุณครับ/ค่ะ — ความพึงพอใจ {score} จาก 5 บันทึกแล้ว"
            )

        self._write(rate, self.ticket_id, self.staff.id, score, self._now(), done=saved)

    def action_no_phone(self) -> None:
        self._survey("no_phone")
        self.notify("บันทึกว่าผู้รับบริการไม่มีโทรศัพท์สำหรับสแกน — พิมพ์ใบบริการ (p) เพื่อให้ลิงก์แบบวัด")

    def action_print_slip(self) -> None:
        """The slip's PDF goes to the data folder; the slip is sent on the printer thread and,
        once printed with the survey QR, the survey is recorded as offered on the slip."""
        from counter_tui.services.printouts import service_slip_job, slip_printed

        def made(slip) -> None:
            if slip.job is None:
                self.notify(
                    f"ช่องบริการนี้ยังไม่ได้ตั้งเครื่องพิมพ์: PDF สำหรับพิมพ์ลง A4: {slip.pdf}",
                    title="ไม่ได้พิมพ์",
                    severity="warning",
                    timeout=12,
                )
                return

            def printed() -> None:
                self.notify(f"พิมพ์ใบบริการแล้ว (PDF: {slip.pdf})")
                if slip.offers_survey:
                    self._write(slip_printed, self.staff.id, self.ticket_id, self._now())

            self._print(
                lambda _office: slip.job,
                done=printed,
                failed=f"PDF สำหรับพิมพ์ลง A4: {slip.pdf} — กด p เพื่อพิมพ์ซ้ำ",
            )

        self._write(service_slip_job, self.counter_id, self.ticket_id, self._now(), done=made)

    def action_undo_finish(self) -> None:
        """An early finish corrected: the last service finished here is served again (a new
        event with the reason; the original finish stays in the log)."""
        from counter_tui.screens.dialogs import ReasonDialog
        from counter_tui.services.visit import CORRECTION_REASONS, undo_finish

        summary = self.summary
        finished = (
            [a for a in summary.applications if a.timing.status == "finished"] if summary else []
        )
        if not finished:
            return
        number = finished[-1].number

        def reopened(_: object) -> None:
            self.app.show_service(self.staff, self.counter_id)

        self.app.push_screen(
            ReasonDialog(f"แก้ไข: คำขอเลขที่ {number} ยังไม่เสร็จ (เหตุผล)", CORRECTION_REASONS),
            lambda reason: (
                reason
                and self._write(
                    undo_finish,
                    self.counter_id,
                    self.staff.id,
                    number,
                    reason,
                    self._now(),
                    done=reopened,
                )
            ),
        )

    def action_done(self) -> None:
        self.app.pop_screen()
