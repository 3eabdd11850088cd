"""Provides ``QueueScreen``: one counter's live queue, its current ticket, the other counters.

Keys (F-keys with plain-letter twins for laptops): F2/i issue, F3/s serve now, F5/n call next,
o call out of order, F6/r recall, F7/k skip or no-show, Enter/g visitor arrived (start),
b break, a away, c close the counter. Every write runs on the database thread;
the screen refreshes by re-arming a timer after each load, so polls never overlap. A load
changes only what differs on screen: table rows by key (``ReadOnlyTable.sync_rows``), texts
only when they changed, a layout only when a text's size changed.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Digits, Footer, Header, Label, Static

from counter_tui.core import queue as rules
from counter_tui.core.thai_dates import format_time_th
from counter_tui.core.timing import format_hms
from counter_tui.screens.base import CounterScreen
from counter_tui.screens.dialogs import ChoiceDialog, IssueTicketDialog, ReasonDialog, TicketRequest
from counter_tui.services import counters
from counter_tui.services import queue as svc
from counter_tui.services.catalog import find_services
from counter_tui.services.staff import StaffInfo
from counter_tui.widgets.tables import ReadOnlyTable

STATE_TH = {"open": "เปิดให้บริการ", "break": "พักกลางวัน", "away": "ออกนอกสถานที่", "closed": "ปิด"}
STATUS_TH = {"called": "เรียกแล้ว รอผู้รับบริการมาที่ช่อง", "serving": "กำลังให้บริการ"}


class QueueScreen(CounterScreen[None]):
    CSS_PATH = "queue.tcss"
    BINDINGS = [
        Binding("f2,i", "issue", "ออกบัตรคิว", id="issue"),
        Binding("f3,s", "serve_now", "รับบริการทันที", id="serve-now"),
        Binding("f5,n", "call_next", "เรียกคิวถัดไป", id="call-next"),
        Binding("o", "call_specific", "เรียกข้ามลำดับ", id="call-specific", show=False),
        Binding("f6,r", "recall", "เรียกซ้ำ", id="recall", show=False),
        Binding("f7,k", "skip", "ข้าม/ไม่มา", id="skip"),
        Binding("enter,g", "start", "เริ่มบริการ", id="start"),
        Binding("b", "state('break')", "พัก", id="break"),
        Binding("a", "state('away')", "ออกนอก", id="away", show=False),
        Binding("c", "close_counter", "ปิดช่อง", id="close-counter"),
        Binding("v", "survey", "แบบวัด EIT", id="survey-qr"),
        Binding("x", "earlier_application", "คำขอเดิม", id="earlier-application"),
        Binding("p", "reprint", "พิมพ์บัตรซ้ำ", id="reprint", show=False),
        Binding("m", "manuals", "บริการ", id="manuals", show=False),
    ]

    class QueueLoaded(Message):
        def __init__(self, snapshot: svc.QueueSnapshot) -> None:
            super().__init__()
            self.snapshot = snapshot

    def __init__(self, staff: StaffInfo, counter_id: int) -> None:
        super().__init__()
        self.staff = staff
        self.counter_id = counter_id
        self.snapshot: svc.QueueSnapshot | None = None
        self._timer: Timer | None = None
        self._opened_for: int | None = None
        self._last_issued: svc.TicketInfo | None = None
        self._shown: dict[str, str] = {}  # selector -> the text on screen
        # ticket id -> (what its fixed cells derive from, those cells): see _waiting_cells
        self._waiting_fixed: dict[int, tuple[tuple, tuple[str, ...]]] = {}

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="status")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Label("บัตรคิวปัจจุบัน", classes="section")
                yield Digits("---", id="number")
                yield Static("ยังไม่ได้เรียกคิว — กด F5 หรือ n เพื่อเรียกคิวถัดไป", id="current")
                yield Label("ช่องบริการทั้งหมด", classes="section")
                yield ReadOnlyTable(id="counters", cursor_type="none")
            with Vertical(id="right"):
                yield Label("คิวที่รอ (ตามลำดับที่จะเรียก)", classes="section", id="waiting-title")
                yield ReadOnlyTable(id="waiting", cursor_type="none", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        waiting = self.query_one("#waiting", DataTable)
        for label, key in (
            ("ลำดับ", "pos"),
            ("บัตรคิว", "number"),
            ("บริการ", "service"),
            ("สิทธิ์", "priority"),
            ("เวลารับบัตร", "issued"),
            ("รอแล้ว", "wait"),
        ):
            waiting.add_column(label, key=key)
        counters = self.query_one("#counters", DataTable)
        # The ticket before the officer's name: a long Thai name must not push it off the pane.
        for label, key in (
            ("ช่อง", "name"),
            ("สถานะ", "state"),
            ("คิว", "current"),
            ("เจ้าหน้าที่", "officer"),
        ):
            counters.add_column(label, key=key)
        self.load()

    # --- reading -----------------------------------------------------------------------------

    def load(self) -> None:
        self.run_worker(self._load(), group="queue-read", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        try:
            snapshot = await self._run(svc.refresh_queue, self.counter_id, self._now())
            self.post_message(self.QueueLoaded(snapshot))
        finally:
            if self._timer is not None:
                self._timer.stop()
            seconds = 3
            self._timer = self.set_timer(seconds, self.load)

    def on_queue_screen_queue_loaded(self, message: QueueLoaded) -> None:
        """Show a snapshot, changing only what differs from the one on screen: each table is
        updated by row key (see ``ReadOnlyTable.sync_rows``), each text only when it changed."""
        snap = self.snapshot = message.snapshot
        now = self._now()
        me = snap.counter
        self.sub_title = f"{me.name} — {self.staff.name}"
        policy = "ลำดับก่อนหลัง" if snap.policy == "fifo" else "ให้สิทธิ์กลุ่มพิเศษก่อน"
        status = (
            f"[b]{me.name}[/b]  สถานะ: {STATE_TH.get(me.state, me.state)}   "
            f"ให้บริการแล้ววันนี้ {snap.served_today} ราย   "
            f"รอทั้งสำนักงาน {snap.waiting_office} ราย   นโยบายคิว: {policy}"
        )
        current = snap.current
        if current:
            since = current.called_at or current.issued_at
            info = (
                f"{current.service_name}\n{STATUS_TH.get(current.status, current.status)}"
                f" — {format_hms((now - since).total_seconds())}\n"
                f"คำขอเลขที่ {current.application_number}"
                + (
                    "\nกด Enter เมื่อผู้รับบริการมาถึงช่อง"
                    if current.status == "called"
                    else "\nกด Enter เพื่อเปิดหน้าการให้บริการ"
                )
            )
        else:
            info = "ยังไม่ได้เรียกคิว — กด F5 หรือ n เพื่อเรียกคิวถัดไป"
        with self.app.batch_update():
            self._show("#status", Static, status, fixed_size=True)
            self._show("#number", Digits, current.number if current else "---")
            self._show("#current", Static, info)
            known, self._waiting_fixed = self._waiting_fixed, {}
            self.query_one("#waiting", ReadOnlyTable).sync_rows(
                (str(row.ticket_id), self._waiting_cells(position, row, known))
                for position, row in enumerate(snap.waiting, start=1)
            )
            self._show("#waiting-title", Label, f"คิวที่รอ {len(snap.waiting)} ราย (ตามลำดับที่จะเรียก)")
            self.query_one("#counters", ReadOnlyTable).sync_rows(
                (
                    str(row.id),
                    (
                        row.name,
                        STATE_TH.get(row.state, row.state),
                        row.current or "",
                        row.officer or "",
                    ),
                )
                for row in snap.counters
            )
        if (
            current
            and current.status == "serving"
            and self._opened_for != current.id
            and self.app.screen is self
        ):
            # Back at a visit in progress (e.g. after a restart): the guided screen opens
            # once by itself, with the true elapsed time derived from the stored events.
            self._open_service(current.id)

    def _waiting_cells(
        self, position: int, row: svc.WaitingRow, known: dict[int, tuple[tuple, tuple[str, ...]]]
    ) -> tuple[str, ...]:
        """One waiting row's cells. Its number, service, priority and issue time do not change
        while the ticket waits: they are formatted once and kept (in ``known``, by ticket id)
        for as long as the ticket is listed."""
        source = (row.number, row.handed_over, row.service_name, row.priority, row.issued_at)
        fixed = known.get(row.ticket_id)
        if fixed is None or fixed[0] != source:
            priority = rules.PRIORITY_CATEGORIES[row.priority][0] if row.priority else ""
            number = f"{row.number} ⇐" if row.handed_over else row.number
            fixed = (source, (number, row.service_name, priority, format_time_th(row.issued_at)))
        self._waiting_fixed[row.ticket_id] = fixed
        return (str(position), *fixed[1], format_hms(row.wait_seconds))

    def _show(
        self, selector: str, kind: type[Static | Digits], text: str, fixed_size: bool = False
    ) -> None:
        """Update a Static, Label or Digits only when its text changed, and lay the screen out
        again only when that changes the widget's size (never for ``fixed_size``: height and
        width set by CSS). A layout repaints the whole screen: for a ticket called every few
        seconds, a new elapsed time or ticket number should repaint only its own lines."""
        previous = self._shown.get(selector)
        if previous == text:
            return
        self._shown[selector] = text
        widget = self.query_one(selector, kind)
        if isinstance(widget, Digits):
            widget.update(text)  # Digits works out for itself whether its size changed
            return
        if fixed_size or not widget.size:  # fixed, or not laid out yet (the layout measures it)
            widget.update(text, layout=not fixed_size)
            return
        if self._same_size(widget, previous, text):
            widget.update(text, layout=False)
            return
        before = self._content_size(widget)
        widget.update(text, layout=False)
        if self._content_size(widget) != before:
            widget.refresh(layout=True)

    @staticmethod
    def _same_size(widget: Static, previous: str | None, text: str) -> bool:
        """The quick answer, without rendering: plain text whose lines all fit unwrapped, as
        many lines as before, and (auto width, a Label) as wide as before."""
        if previous is None or "[" in previous or "[" in text:
            return False
        old_widths = [cell_len(line) for line in previous.split("\n")]
        new_widths = [cell_len(line) for line in text.split("\n")]
        room = widget.size.width
        if len(old_widths) != len(new_widths) or max(old_widths + new_widths) > room:
            return False
        width = widget.styles.width
        return width is None or not width.is_auto or max(old_widths) == max(new_widths)

    @staticmethod
    def _content_size(widget: Static) -> tuple[int, int]:
        """The content size a layout would give ``widget`` (height from its text wrapped to its
        width; width from its text too when that is auto), with its current surroundings."""
        container, viewport = widget.container_size, widget.screen.size
        width = widget.styles.width
        if width is not None and width.is_auto:
            content_width = widget.get_content_width(container, viewport)
        else:
            content_width = widget.size.width
        return content_width, widget.get_content_height(container, viewport, content_width)

    # --- writing -----------------------------------------------------------------------------

    async def _search(self, text: str):
        return await self._run(find_services, text)

    def action_issue(self) -> None:
        def issued(ticket: svc.TicketInfo) -> None:
            self.notify(
                f"บัตรคิว {ticket.number} — {ticket.service_name}\n"
                f"มีผู้รออยู่ก่อน {ticket.people_ahead} ราย",
                title="ออกบัตรคิวแล้ว",
                timeout=8,
            )
            self._last_issued = ticket
            self._print_ticket(ticket, quiet_without_printer=True)

        def chosen(request: TicketRequest | None) -> None:
            if request:
                self._write(
                    svc.issue_ticket,
                    request.service_code,
                    self._now(),
                    staff_id=self.staff.id,
                    priority=request.priority,
                    channel=request.channel,
                    done=issued,
                )

        self.app.push_screen(IssueTicketDialog("ออกบัตรคิว (F2)", self._search), chosen)

    def action_serve_now(self) -> None:
        def chosen(request: TicketRequest | None) -> None:
            if request:
                self._write(
                    svc.serve_now,
                    self.counter_id,
                    self.staff.id,
                    request.service_code,
                    self._now(),
                    priority=request.priority,
                    channel=request.channel,
                    done=lambda t: self.notify(f"รับบริการทันที: {t.number}"),
                )

        self.app.push_screen(
            IssueTicketDialog("รับบริการทันที (F3): ออกบัตรและเริ่มให้บริการ", self._search), chosen
        )

    def _print_ticket(self, ticket: svc.TicketInfo, quiet_without_printer: bool = False) -> None:
        """Print on the counter's printer: a failing printer never holds up or loses the
        ticket, which is already committed; p reprints it."""
        from counter_tui.services.printouts import ticket_job

        self._print(
            ticket_job,
            self.counter_id,
            ticket.id,
            ticket.people_ahead,
            self._now(),
            failed=f"บัตรคิว {ticket.number} บันทึกแล้ว: กด p เพื่อพิมพ์ซ้ำ",
            quiet_without_printer=quiet_without_printer,
        )

    def action_reprint(self) -> None:
        if self._last_issued is None:
            self.notify("ยังไม่มีบัตรคิวที่ออกจากช่องนี้", severity="warning")
            return
        self._print_ticket(self._last_issued)

    def action_earlier_application(self) -> None:
        """A visitor back with the documents the deficiency record asked for: reopen their
        application by its number (its timing continues); or, past the deadline, return it."""
        from counter_tui.screens.dialogs import TextDialog
        from counter_tui.services import visit as visits

        def act(number: str | None) -> None:
            if not number:
                return

            def chosen(action: str | None) -> None:
                if action == "reopen":
                    self._write(
                        visits.reopen_application,
                        self.counter_id,
                        self.staff.id,
                        number,
                        self._now(),
                        done=lambda view: self._open_service(view.ticket_id),
                    )
                elif action == "return":
                    self.app.push_screen(
                        ReasonDialog(f"เหตุผลที่คืนคำขอเลขที่ {number}", ("ไม่ส่งเอกสารเพิ่มเติมภายในกำหนด",)),
                        lambda reason: (
                            reason
                            and self._write(
                                lambda office, *args: visits.return_application(office, *args),
                                self.staff.id,
                                number,
                                reason,
                                self._now(),
                                done=lambda n: self.notify(f"คืนคำขอเลขที่ {n} แล้ว"),
                            )
                        ),
                    )

            self.app.push_screen(
                ChoiceDialog(
                    f"คำขอเลขที่ {number}",
                    [
                        ("reopen", "ผู้ยื่นนำเอกสารมาครบ: เปิดคำขอเดิมต่อ (เวลานับต่อจากเดิม)"),
                        ("return", "พ้นกำหนดส่งเอกสาร: คืนคำขอพร้อมเหตุผล"),
                    ],
                ),
                chosen,
            )

        self.app.push_screen(TextDialog("เลขที่คำขอตามบันทึกความบกพร่อง เช่น 12/2570"), act)

    def action_survey(self) -> None:
        from counter_tui.screens.dialogs import SurveyQRDialog
        from counter_tui.services.survey import survey_link

        async def run() -> None:
            url = await self._run(survey_link, self._now())
            self.app.push_screen(SurveyQRDialog("แบบวัดการรับรู้ของผู้มีส่วนได้เสียภายนอก (EIT)", url))

        self.run_worker(run(), group="survey", exit_on_error=False)

    def action_call_next(self) -> None:
        def called(ticket: svc.TicketInfo | None) -> None:
            if ticket is None:
                self.notify("ไม่มีคิวที่รออยู่", severity="warning")
            else:
                self.notify(f"เรียกบัตรคิว {ticket.number} — {ticket.service_name}", title="เรียกคิว")

        self._write(svc.call_next, self.counter_id, self.staff.id, self._now(), done=called)

    def action_call_specific(self) -> None:
        snap = self.snapshot
        if not snap or not snap.waiting:
            self.notify("ไม่มีคิวที่รออยู่", severity="warning")
            return
        choices = [(row.number, f"{row.number}  {row.service_name}") for row in snap.waiting]

        def picked(number: str | None) -> None:
            if number:
                self.app.push_screen(
                    ReasonDialog(
                        f"เหตุผลที่เรียก {number} ข้ามลำดับ (จะถูกบันทึก)", rules.OUT_OF_ORDER_REASONS
                    ),
                    lambda reason: (
                        reason
                        and self._write(
                            svc.call_ticket,
                            self.counter_id,
                            self.staff.id,
                            number,
                            reason,
                            self._now(),
                        )
                    ),
                )

        self.app.push_screen(ChoiceDialog("เรียกบัตรคิวข้ามลำดับ: เลือกบัตรคิว", choices), picked)

    def action_recall(self) -> None:
        self.app.push_screen(
            ReasonDialog("เหตุผลที่เรียกซ้ำ", rules.RECALL_REASONS),
            lambda reason: (
                reason
                and self._write(svc.recall, self.counter_id, self.staff.id, reason, self._now())
            ),
        )

    def action_skip(self) -> None:
        def kind(choice: str | None) -> None:
            if choice is None:
                return
            no_show = choice == "no_show"
            self.app.push_screen(
                ReasonDialog(
                    "เหตุผลที่ไม่มาตามเรียก" if no_show else "เหตุผลที่ข้ามคิว",
                    rules.NO_SHOW_REASONS if no_show else rules.SKIP_REASONS,
                ),
                lambda reason: (
                    reason
                    and self._write(
                        svc.skip,
                        self.counter_id,
                        self.staff.id,
                        reason,
                        self._now(),
                        no_show=no_show,
                    )
                ),
            )

        self.app.push_screen(
            ChoiceDialog(
                "ข้ามคิว หรือ ไม่มาตามเรียก?",
                [("skip", "ข้ามไปก่อน — บัตรกลับไปรอในลำดับเดิม"), ("no_show", "ไม่มาตามเรียก — ปิดบัตรคิว")],
            ),
            kind,
        )

    def action_start(self) -> None:
        current = self.snapshot.current if self.snapshot else None
        if current is not None and current.status == "serving":
            self._open_service(current.id)
            return
        self._write(
            svc.start_serving,
            self.counter_id,
            self.staff.id,
            self._now(),
            done=lambda ticket: self._open_service(ticket.id),
        )

    def _open_service(self, ticket_id: int) -> None:
        from counter_tui.screens.service import ServiceScreen

        self._opened_for = ticket_id
        self.app.push_screen(ServiceScreen(self.staff, self.counter_id))

    def on_screen_resume(self) -> None:
        self.load()

    def action_state(self, state: str) -> None:
        snap = self.snapshot
        target = "open" if snap and snap.counter.state == state else state
        self._write(
            counters.set_counter_state,
            self.counter_id,
            self.staff.id,
            target,
            self._now(),
            done=lambda row: self.notify(f"สถานะช่องบริการ: {STATE_TH[row.state]}"),
        )

    def action_close_counter(self) -> None:
        if self.snapshot and self.snapshot.current:
            self.notify(
                f"ให้บริการบัตรคิว {self.snapshot.current.number} ให้เสร็จก่อนปิดช่องบริการ",
                severity="warning",
            )
            return

        async def run() -> None:
            check = await self._run(counters.closing_check, self.counter_id, self._now())
            if check.needed and check.candidates:
                choices = [(str(c.id), f"{c.name} ({STATE_TH[c.state]})") for c in check.candidates]
                self.app.push_screen(
                    ChoiceDialog(
                        f"บัตรคิว {', '.join(check.needed)} รอบริการที่มีเฉพาะช่องนี้: ส่งต่อให้ช่องใด?", choices
                    ),
                    lambda cid: cid and self._close(int(cid)),
                )
            else:
                self._close(None)

        self.run_worker(run(), group="queue-write", exit_on_error=False)

    def _close(self, handover_to: int | None) -> None:
        def closed(result: counters.Handover) -> None:
            if result.handed_to:
                self.notify(f"ส่งต่อบัตรคิว {', '.join(result.needed)} ให้ {result.handed_to}")
            elif result.stranded:
                self.notify(
                    f"ไม่มีช่องบริการอื่นรับบัตรคิว {', '.join(result.stranded)} ได้: บัตรยังรออยู่",
                    severity="warning",
                    timeout=10,
                )
            self.app.pop_screen()

        self._write(
            counters.close_counter,
            self.counter_id,
            self.staff.id,
            self._now(),
            handover_to=handover_to,
            done=closed,
        )

    def action_manuals(self) -> None:
        from counter_tui.screens.home import HomeScreen

        self.app.push_screen(HomeScreen(staff=self.staff))

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.stop()
