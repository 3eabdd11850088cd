"""Provides ``ServiceScreen``: the manual of the application being served, step by step, timed
against its standards, with the document checklist and the applicant.

Keys: F8/x complete the step, F9/p pause or resume (reason), F10/f finish (outcome), d missing
documents (deficiency record), e applicant and filer, + add a service, t transfer to another
counter, u correct a mistake, Esc back to the queue (the clock keeps running).
Timers are the figures derived from the stored events at the last load, plus the wall-clock
time since that load; the screen reloads after every action and every few seconds.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from counter_tui.core.thai_dates import format_date_th
from counter_tui.core.timing import format_hms, timer_state
from counter_tui.screens.base import CounterScreen
from counter_tui.screens.dialogs import (
    ChoiceDialog,
    FormDialog,
    IssueTicketDialog,
    ReasonDialog,
    Submit,
)
from counter_tui.services import visit as svc
from counter_tui.services.staff import StaffInfo
from counter_tui.widgets.checklist import CheckList
from counter_tui.widgets.tables import ReadOnlyTable

STATUS_TH = {
    "serving": "กำลังให้บริการ",
    "paused": "หยุดเวลาชั่วคราว",
    "waiting": "รอให้บริการ",
    "deficient": "รอเอกสารเพิ่ม",
    "transferred": "ส่งต่อแล้ว",
    "finished": "เสร็จแล้ว",
}


def _counts(doc: svc.DocumentView) -> str:
    parts = []
    if doc.originals:
        parts.append(f"ฉบับจริง {doc.originals}")
    if doc.copies:
        parts.append(f"สำเนา {doc.copies}")
    unit = f" {doc.unit}" if doc.unit and parts else ""
    return (" ".join(parts) + unit) if parts else "ไม่ระบุจำนวน"


class PeopleDialog(FormDialog):
    """The applicant and, when a proxy files, the filer: only the fields the manual needs."""

    def __init__(self, submit: Submit, view: svc.ApplicationView) -> None:
        super().__init__(submit)
        self.view = view

    def compose(self) -> ComposeResult:
        needs = self.view.personal_data
        with Vertical():
            yield Label(f"ผู้ยื่นคำขอ — {self.view.service_name}", classes="title")
            for field, label in (
                ("name", "ชื่อ-นามสกุลผู้ขอ"),
                ("national_id", "เลขประจำตัวประชาชน 13 หลัก"),
                ("address", "ที่อยู่ (สำหรับส่งหนังสือ)"),
                ("phone", "โทรศัพท์"),
            ):
                need = needs.get(
                    field, "none" if field in ("national_id", "address") else "optional"
                )
                if need != "none":
                    mark = " *" if need == "required" else " (ไม่บังคับ)"
                    yield Input(
                        placeholder=label + mark, id=f"a-{field}", password=field == "national_id"
                    )
            yield Label("ยื่นแทนโดยผู้รับมอบอำนาจ? กรอกชื่อผู้ยื่นแทน (เว้นว่างถ้ายื่นเอง)")
            yield Input(placeholder="ชื่อ-นามสกุลผู้ยื่นแทน", id="f-name")
            if needs.get("national_id", "none") != "none":
                yield Input(
                    placeholder="เลขประจำตัวประชาชนผู้ยื่นแทน", id="f-national_id", password=True
                )
            yield Label("", id="error", classes="error")
            yield Label(
                "Enter หรือ Ctrl+S บันทึก  Esc ยกเลิก  (เลขประจำตัวแสดงแบบปิดบังบนจอ)", classes="hint"
            )

    def _values(self, prefix: str) -> dict[str, str]:
        return {w.id[2:]: w.value for w in self.query(Input) if w.id and w.id.startswith(prefix)}

    def values(self):
        filer = self._values("f-")
        return self._values("a-"), filer if filer.get("name", "").strip() else None


class DeficiencyDialog(FormDialog):
    """The missing documents (ticked from the checklist's unticked items) and the deadline."""

    def __init__(self, submit: Submit, missing: list[str], today: date) -> None:
        super().__init__(submit)
        self.missing = missing
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                "แบบตรวจสอบคำขอและบันทึกความบกพร่อง (พ.ร.บ.การอำนวยความสะดวกฯ ม.8)", classes="title"
            )
            yield Label("เอกสารที่ยังขาด (Space เลือก) — เรียกเอกสารเพิ่มได้ครั้งเดียวต่อคำขอ")
            yield CheckList(*[(name, name, True) for name in self.missing], id="missing")
            yield Input(placeholder="เอกสารอื่นที่ขาด (ถ้ามี)", id="other")
            yield Input(
                value=(self.today + timedelta(days=7)).isoformat(),
                placeholder="กำหนดส่งเอกสาร YYYY-MM-DD",
                id="deadline",
            )
            yield Input(placeholder="ชื่อพยาน (กรณีผู้ยื่นพิมพ์ลายนิ้วมือแทนการลงชื่อ)", id="witness")
            yield Label("", id="error", classes="error")
            yield Label("Ctrl+S บันทึก  Esc ยกเลิก", classes="hint")

    def values(self):
        from counter_tui.core.thai_dates import parse_iso_date

        missing = list(self.query_one("#missing", CheckList).selected)
        other = self.query_one("#other", Input).value.strip()
        if other:
            missing.append(other)
        deadline = parse_iso_date(self.query_one("#deadline", Input).value)
        witness = self.query_one("#witness", Input).value.strip() or None
        return missing, deadline, witness


class ServiceScreen(CounterScreen[None]):
    CSS_PATH = "service.tcss"
    BINDINGS = [
        Binding("f8,x", "complete_step", "ขั้นตอนเสร็จ", id="complete-step"),
        Binding("f9,p", "pause", "หยุด/เดินเวลา", id="pause"),
        Binding("f10,f", "finish", "จบบริการ", id="finish"),
        Binding("e", "people", "ผู้ยื่นคำขอ", id="people"),
        Binding("d", "deficiency", "เอกสารไม่ครบ", id="deficiency"),
        Binding("plus,a", "add_service", "เพิ่มบริการ", id="add-service"),
        Binding("t", "transfer", "ส่งต่อ", id="transfer"),
        Binding("l", "print_documents", "พิมพ์รายการเอกสาร", id="print-documents", show=False),
        Binding("u", "correct", "แก้ไข", id="correct"),
        Binding("escape", "back", "กลับคิว", id="back"),
    ]

    class ViewLoaded(Message):
        def __init__(self, view: svc.ServiceView | None) -> None:
            super().__init__()
            self.view = view

    def __init__(self, staff: StaffInfo, counter_id: int) -> None:
        super().__init__()
        self.staff = staff
        self.counter_id = counter_id
        self.view: svc.ServiceView | None = None
        self.loaded_at: datetime | None = None
        self.last_deficiency: svc.DeficiencyInfo | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="title")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Static("", id="timers")
                yield Label("ขั้นตอนตามคู่มือ", classes="section")
                yield ReadOnlyTable(id="steps", cursor_type="none")
                yield Static("", id="others")
            with Vertical(id="right"):
                yield Label("เอกสารที่ต้องใช้ (Space ติ๊กเมื่อได้รับ)", classes="section")
                yield CheckList(id="documents")
                yield Label("ผู้ยื่นคำขอ", classes="section")
                yield Static("", id="people")
        yield Footer()

    def on_mount(self) -> None:
        steps = self.query_one("#steps", DataTable)
        for label, key in (
            ("", "mark"),
            ("ขั้นตอน", "name"),
            ("ผู้รับผิดชอบ", "unit"),
            ("มาตรฐาน", "standard"),
            ("ใช้เวลา", "actual"),
        ):
            steps.add_column(label, key=key)
        self.load()
        self.set_interval(1, self._tick)

    # --- data ------------------------------------------------------------------------------

    def load(self) -> None:
        self.run_worker(self._load(), group="service-read", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        view = await self._run(svc.service_view, self.counter_id, self._now())
        self.post_message(self.ViewLoaded(view))

    def on_service_screen_view_loaded(self, message: ViewLoaded) -> None:
        self.view = message.view
        self.loaded_at = self._now()
        view = self.view
        if view is None or view.active is None:
            if self.app.screen is self:  # never pop a screen that has replaced this one
                self.app.pop_screen()
            return
        a = view.active
        sample = "  [reverse] มาตรฐานตัวอย่าง [/]" if a.sample else ""
        others = [x for x in view.applications if x.id != a.id]
        self.query_one("#title", Static).update(
            f"[b]{view.ticket_number}[/b]  คำขอเลขที่ {a.number}  [b]{a.service_name}[/b]"
            f"  ({a.unit}){sample}"
        )
        with self.app.batch_update():
            table = self.query_one("#steps", DataTable)
            table.clear()
            for i, step in enumerate(a.steps):
                timing = a.timing.steps[i]
                mark = "✔" if timing.completed else ("▶" if a.timing.current_step == i else "")
                table.add_row(
                    mark,
                    step.name,
                    step.unit or "",
                    step.standard_text or "ไม่ระบุ",
                    format_hms(timing.seconds) if timing.completed or mark else "",
                    key=str(i),
                )
            if not a.steps:
                table.add_row(
                    "", "คู่มือไม่แยกขั้นตอน — ใช้มาตรฐานรวมของบริการ", "", a.standard_text or "ไม่ระบุ", ""
                )
            documents = self.query_one("#documents", CheckList)
            # Keep the officer's place: a reload after a tick must not move the cursor back.
            highlighted = documents.highlighted
            documents.clear_options()
            for doc in svc.required_documents(a):
                condition = f" — {doc.condition}" if doc.condition else ""
                documents.add_option(
                    (f"{doc.name} ({_counts(doc)}){condition}", doc.index, doc.index in a.checklist)
                )
            if documents.option_count:
                documents.highlighted = min(highlighted or 0, documents.option_count - 1)
            self.query_one("#people", Static).update(self._people_text(a))
            lines = [
                f"  {x.number} {x.service_name} — {STATUS_TH.get(x.timing.status, x.timing.status)}"
                for x in others
            ]
            self.query_one("#others", Static).update(
                "บริการอื่นในบัตรเดียวกัน:\n" + "\n".join(lines) if lines else ""
            )
        self._tick()

    def _people_text(self, a: svc.ApplicationView) -> str:
        if not a.people:
            return "ยังไม่ได้บันทึก — กด e" + (" (บริการนี้เป็นข้อมูลอ่อนไหว)" if a.sensitive else "")
        lines = []
        for p in a.people:
            who = "ผู้ขอ" if p.role == "applicant" else "ผู้ยื่นแทน (ต้องมีหนังสือมอบอำนาจ)"
            ident = f"  {p.national_id_masked}" if p.national_id_masked else ""
            lines.append(f"{who}: {p.name or ''}{ident}")
        return "\n".join(lines)

    def _tick(self) -> None:
        view = self.view
        if view is None or view.active is None or self.loaded_at is None:
            return
        a = view.active
        running = a.timing.status == "serving"
        extra = (self._now() - self.loaded_at).total_seconds() if running else 0
        total = a.timing.service_seconds + extra
        lines = []
        if a.timing.current_step is not None:
            step = a.steps[a.timing.current_step]
            seconds = a.timing.steps[a.timing.current_step].seconds + extra
            lines.append(
                self._timer(
                    f"ขั้นตอนที่ {a.timing.current_step + 1}",
                    seconds,
                    step.standard_seconds,
                    step.standard_text,
                )
            )
        lines.append(self._timer("รวมทั้งบริการ", total, a.standard_seconds, a.standard_text))
        paused = a.timing.paused_seconds + (
            (self._now() - self.loaded_at).total_seconds() if a.timing.status == "paused" else 0
        )
        state = STATUS_TH.get(a.timing.status, a.timing.status)
        if a.timing.status == "paused":
            state = f"[reverse] {state}: {a.timing.pause_reason} [/] กด F9 เพื่อเดินต่อ"
        lines.append(f"หยุดเวลาแล้ว {format_hms(paused)}   สถานะ: {state}")
        self.query_one("#timers", Static).update("\n".join(lines))

    @staticmethod
    def _timer(label: str, seconds: float, standard: int | None, text: str | None) -> str:
        state = timer_state(seconds, standard)
        colour = {"ok": "$success", "warn": "$warning", "over": "$error"}.get(state)
        shown = f"{format_hms(seconds)} / {text or 'ไม่มีมาตรฐาน'}"
        if standard and state == "over":
            shown += "  เกินมาตรฐาน"
        elif standard and state == "warn":
            shown += "  ใกล้ครบเวลา"
        body = f"[bold {colour}]{shown}[/]" if colour else shown
        return f"{label}: {body}"

    # --- writes ----------------------------------------------------------------------------

    def _saved(self, message: str | None) -> None:
        if message:
            self.notify(message, title="บันทึกแล้ว", timeout=10)
            self.load()

    def _after_write(self) -> None:
        if self.app.screen is self:  # not after moving on to the finish screen
            self.load()

    @on(CheckList.SelectedChanged, "#documents")
    def _ticked(self, event: CheckList.SelectedChanged) -> None:
        view = self.view
        ticked = set(event.selection_list.selected)
        if view and view.active and ticked != set(view.active.checklist):
            self._write(svc.save_checklist, self.counter_id, self.staff.id, ticked, self._now())

    def action_complete_step(self) -> None:
        self._write(svc.complete_step, self.counter_id, self.staff.id, self._now())

    def action_pause(self) -> None:
        view = self.view
        if view and view.active and view.active.timing.status == "paused":
            self._write(svc.toggle_pause, self.counter_id, self.staff.id, self._now())
            return
        self.app.push_screen(
            ReasonDialog(
                "หยุดเวลาชั่วคราว: เหตุผล (เวลาที่หยุดแยกไว้ ไม่นับเป็นเวลาให้บริการ)", svc.PAUSE_REASONS
            ),
            lambda reason: (
                reason
                and self._write(
                    svc.toggle_pause, self.counter_id, self.staff.id, self._now(), reason
                )
            ),
        )

    def action_people(self) -> None:
        if not (self.view and self.view.active):
            return

        async def submit(values) -> str:
            applicant, filer = values
            await self._run(
                svc.save_people, self.counter_id, self.staff.id, applicant, filer, self._now()
            )
            return "บันทึกผู้ยื่นคำขอแล้ว"

        self.app.push_screen(PeopleDialog(submit, self.view.active), self._saved)

    def action_deficiency(self) -> None:
        view = self.view
        if not (view and view.active):
            return
        a = view.active
        if not a.under_act:
            self.notify("บริการนี้ไม่อยู่ภายใต้ พ.ร.บ.การอำนวยความสะดวกฯ", severity="warning")
            return
        if a.deficiency_used:
            self.notify("คำขอนี้เคยเรียกเอกสารเพิ่มแล้ว: เรียกได้ครั้งเดียว (ม.8)", severity="error")
            return
        missing = [d.name for d in svc.required_documents(a) if d.index not in a.checklist]
        from counter_tui.core.thai_dates import local_date

        async def submit(values) -> str:
            items, deadline, witness = values
            info = await self._run(
                svc.record_deficiency,
                self.counter_id,
                self.staff.id,
                items,
                deadline,
                self._now(),
                applicant_mark="thumbprint" if witness else "signature",
                witness_name=witness,
            )
            self.last_deficiency = info
            self._print_deficiency(a.id)
            return (
                f"บันทึกความบกพร่องคำขอเลขที่ {info.application_number} กำหนดส่ง "
                f"{format_date_th(info.deadline)}: ต้นฉบับเก็บที่สำนักงาน สำเนาให้ผู้ยื่นคำขอ"
            )

        self.app.push_screen(
            DeficiencyDialog(submit, missing, local_date(self._now())), self._saved
        )

    def _print_deficiency(self, application_id: int) -> None:
        """The A4 PDF (two copies) always goes to the data folder; the thermal printer, when the
        counter has one, prints both copies. A failure is said, never blocks: it is recorded."""
        from counter_tui.services.printouts import deficiency_job, write_deficiency_pdf

        def written(path) -> None:
            self._print(
                deficiency_job,
                self.counter_id,
                application_id,
                self._now(),
                done=lambda: self.notify(f"พิมพ์บันทึกความบกพร่อง 2 ฉบับแล้ว (PDF: {path})"),
                failed=f"PDF สำหรับพิมพ์ลง A4: {path}",
            )

        self._write(write_deficiency_pdf, application_id, self._now(), done=written)

    def action_print_documents(self) -> None:
        from counter_tui.services.printouts import document_list_job

        view = self.view
        if view and view.active:
            self._print(
                document_list_job,
                self.counter_id,
                view.active.service_code,
                self._now(),
                done=lambda: self.notify("พิมพ์รายการเอกสารแล้ว"),
            )

    def action_finish(self) -> None:
        def outcome(choice: str | None) -> None:
            if choice is None:
                return
            if choice in ("cancelled", "returned", "referred"):
                self.app.push_screen(
                    ReasonDialog("เหตุผล (จะถูกบันทึก)", ()),
                    lambda reason: reason and self._finish(choice, reason),
                )
            else:
                self._finish(choice, None)

        choices = [(k, f"{v} ({k})") for k, v in svc.OUTCOME_TH.items() if k in svc.OUTCOMES]
        self.app.push_screen(ChoiceDialog("ผลการให้บริการ (F10)", choices), outcome)

    def _finish(self, outcome: str, reason: str | None) -> None:
        view = self.view

        def finished(result: svc.FinishResult) -> None:
            due = f" — ครบกำหนด {format_date_th(result.case_due)}" if result.case_due else ""
            self.notify(
                f"คำขอเลขที่ {result.application_number}: {svc.OUTCOME_TH[result.outcome]}{due}",
                title="จบบริการ",
            )
            if result.ticket_done and view is not None:
                self.app.show_finish(self.staff, self.counter_id, view.ticket_id)

        self._write(
            svc.finish_application,
            self.counter_id,
            self.staff.id,
            outcome,
            self._now(),
            reason=reason,
            done=finished,
        )

    async def _search(self, text: str):
        from counter_tui.services.catalog import find_services

        return await self._run(find_services, text)

    def action_add_service(self) -> None:
        self.app.push_screen(
            IssueTicketDialog("เพิ่มบริการในบัตรคิวเดียวกัน (จับเวลาตามคู่มือของบริการนั้น)", self._search),
            lambda request: (
                request
                and self._write(
                    svc.add_service,
                    self.counter_id,
                    self.staff.id,
                    request.service_code,
                    self._now(),
                    done=lambda number: self.notify(f"เพิ่มคำขอเลขที่ {number}"),
                )
            ),
        )

    def action_transfer(self) -> None:
        async def run() -> None:
            from counter_tui.services.counters import list_counters

            counters = await self._run(list_counters)
            choices = [
                (str(c.id), f"{c.name} — {c.unit}") for c in counters if c.id != self.counter_id
            ]
            if not choices:
                self.notify("ไม่มีช่องบริการอื่น", severity="warning")
                return

            def picked(target: str | None) -> None:
                if target:
                    self.app.push_screen(
                        ReasonDialog("เหตุผลที่ส่งต่อ", ("ชำระค่าธรรมเนียมที่กองคลัง", "งานของหน่วยงานอื่น")),
                        lambda reason: reason and self._transfer(int(target), reason),
                    )

            self.app.push_screen(
                ChoiceDialog("ส่งต่อไปยังช่องบริการ (บัตรคิวและประวัติเดิม)", choices), picked
            )

        self.run_worker(run(), group="service-write", exit_on_error=False)

    def _transfer(self, target: int, reason: str) -> None:
        def done(name: str) -> None:
            self.notify(f"ส่งต่อให้ {name} แล้ว")
            self.app.pop_screen()

        self._write(
            svc.transfer, self.counter_id, self.staff.id, target, reason, self._now(), done=done
        )

    def action_correct(self) -> None:
        def what(choice: str | None) -> None:
            if choice == "step":
                self.app.push_screen(
                    ReasonDialog(
                        "เหตุผลที่แก้ไข (ขั้นตอนล่าสุดกลับมาเป็นขั้นตอนปัจจุบัน)", svc.CORRECTION_REASONS
                    ),
                    lambda reason: (
                        reason
                        and self._write(
                            svc.correct, self.counter_id, self.staff.id, "step", reason, self._now()
                        )
                    ),
                )
            elif choice == "service":
                self.app.push_screen(
                    IssueTicketDialog("บริการที่ถูกต้อง (เวลาที่ใช้ไปแล้วยังนับต่อ)", self._search),
                    self._correct_service,
                )

        self.app.push_screen(
            ChoiceDialog(
                "แก้ไขความผิดพลาด (บันทึกเป็นเหตุการณ์ใหม่ ต้นฉบับยังอยู่)",
                [("step", "ขั้นตอนล่าสุดกดเสร็จเร็วเกินไป"), ("service", "เลือกบริการผิด")],
            ),
            what,
        )

    def _correct_service(self, request) -> None:
        if request:
            self.app.push_screen(
                ReasonDialog("เหตุผลที่แก้ไขบริการ", svc.CORRECTION_REASONS),
                lambda reason: (
                    reason
                    and self._write(
                        svc.correct,
                        self.counter_id,
                        self.staff.id,
                        "service",
                        reason,
                        self._now(),
                        service_code=request.service_code,
                    )
                ),
            )

    def action_back(self) -> None:
        self.app.pop_screen()
