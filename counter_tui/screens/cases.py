"""Provides ``CasesScreen``: multi-day cases after the counter (Act s.10) for a supervisor.

Overdue cases, owed delay notices and results notified late stand out in the theme's error and
warning colours (Rich ``Text`` cells from ``widgets.signals``, built again on a theme change),
with words that say the same in a monochrome terminal. Dates are in the Buddhist Era.

Keys: o open, w due this week, v overdue, a all; n progress note, d decision, r result
notified, l delay notice (recorded, copied to ก.พ.ร., and written as a Thai official letter
PDF in the data folder), Esc back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from counter_tui.core.thai_dates import format_date_th
from counter_tui.screens.base import CounterScreen
from counter_tui.screens.dialogs import ReasonDialog
from counter_tui.services import cases as svc
from counter_tui.services.staff import StaffInfo, unit_scope
from counter_tui.widgets.signals import Signals

FILTER_TH = {
    "open": "เรื่องที่ยังไม่เสร็จ",
    "week": "ครบกำหนดภายใน 7 วัน",
    "overdue": "เกินกำหนด",
    "all": f"ทั้งหมด (ไม่เกิน {svc.ALL_LIMIT:,} เรื่องที่ครบกำหนดล่าสุด)",
}
FILTER_KEYS = (
    ("o", "open", "ยังไม่เสร็จ"),
    ("w", "week", "สัปดาห์นี้"),
    ("v", "overdue", "เกินกำหนด"),
    ("a", "all", "ทั้งหมด"),
)


class CasesScreen(CounterScreen[None]):
    CSS = """
    #heading { height: auto; padding: 0 1; background: $boost; }
    #cases { height: 1fr; }
    #detail { height: auto; min-height: 4; padding: 0 1; border-top: solid $primary; }
    """
    BINDINGS = [
        # The lists are named in the heading (the one shown marked): the footer keeps the acts,
        # which then fit at 80 columns.
        Binding("o", "filter('open')", "ยังไม่เสร็จ", show=False),
        Binding("w", "filter('week')", "สัปดาห์นี้", show=False),
        Binding("v", "filter('overdue')", "เกินกำหนด", show=False),
        Binding("a", "filter('all')", "ทั้งหมด", show=False),
        Binding("n", "note", "ความคืบหน้า"),
        Binding("d", "decide", "ผลพิจารณา"),
        Binding("r", "notified", "แจ้งผลแล้ว"),
        Binding("l", "delay_notice", "แจ้งล่าช้า"),
        Binding("escape", "back", "กลับ"),
    ]

    class Loaded(Message):
        def __init__(self, cases: list[svc.CaseInfo]) -> None:
            super().__init__()
            self.cases = cases

    def __init__(self, staff: StaffInfo) -> None:
        super().__init__()
        self.staff = staff
        self.which = "open"
        self.cases: list[svc.CaseInfo] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="heading")
        yield DataTable(id="cases", cursor_type="row")
        yield Static("", id="detail")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#cases", DataTable)
        for label in ("คำขอ", "บริการ", "ครบกำหนด", "สถานะ", "แจ้งล่าช้า", "แจ้งผล"):
            table.add_column(label)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.sub_title = "เรื่องรับไว้ดำเนินการ"
        self.load()

    def load(self) -> None:
        self.run_worker(self._load(), group="cases", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        units = unit_scope(self.staff)
        cases = await self._run(
            svc.list_cases, self._now(), self.which, units, actor_id=self.staff.id
        )
        self.post_message(self.Loaded(cases))

    def on_cases_screen_loaded(self, message: Loaded) -> None:
        self.cases = message.cases
        self.show_cases()

    def _theme_changed(self, _theme) -> None:
        """The signal colours are the theme's: show the same cases in the new ones."""
        self.show_cases()

    def show_cases(self) -> None:
        signals = Signals.of(self.app)
        keys = "  ".join(
            f"[reverse] {key} {label} [/]" if which == self.which else f"{key} {label}"
            for key, which, label in FILTER_KEYS
        )
        self.query_one("#heading", Static).update(
            f"[b]{FILTER_TH[self.which]}[/b] ({len(self.cases)} เรื่อง)\n{keys}"
        )
        table = self.query_one("#cases", DataTable)
        row = table.cursor_row
        table.clear()
        for c in self.cases:
            due = format_date_th(c.due, short=True)
            status = "พิจารณาแล้ว" if c.decided_at else "กำลังดำเนินการ"
            notice = (
                signals.cell("ต้องแจ้ง", "warn")
                if c.notice_needed
                else (f"{c.notices} ครั้ง" if c.notices else "")
            )
            result = (
                signals.cell("ช้ากว่า 7 วัน", "over")
                if c.result_late
                else ("แจ้งแล้ว" if c.result_notified_at else "")
            )
            table.add_row(
                c.application,
                c.service_name[:40],
                signals.join((due, None), (" เกินกำหนด", "over")) if c.overdue else due,
                status,
                notice,
                result,
                key=str(c.id),
            )
        if self.cases and row:
            table.move_cursor(row=min(row, len(self.cases) - 1))
        self._show_detail()

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()

    def _selected(self) -> svc.CaseInfo | None:
        table = self.query_one("#cases", DataTable)
        if not self.cases or table.cursor_row is None or table.cursor_row >= len(self.cases):
            return None
        return self.cases[table.cursor_row]

    def _show_detail(self) -> None:
        c = self._selected()
        detail = self.query_one("#detail", Static)
        if c is None:
            detail.update("ไม่มีเรื่องในรายการนี้")
            return
        lines = [
            f"คำขอเลขที่ {c.application} {c.service_name} ({c.unit}) — รับเรื่องครบ "
            f"{format_date_th(c.complete_date)} ครบกำหนด {format_date_th(c.due)} "
            f"({'วันทำการ' if c.day_kind == 'working' else 'วันปฏิทิน'})"
        ]
        if c.decision:
            lines.append(f"ผลการพิจารณา: {c.decision}")
        lines.extend(c.progress[-3:])
        detail.update("\n".join(lines))

    def action_filter(self, which: str) -> None:
        self.which = which
        self.load()

    def action_note(self) -> None:
        c = self._selected()
        if c:
            self.app.push_screen(
                ReasonDialog(f"ความคืบหน้า คำขอเลขที่ {c.application}", ()),
                lambda note: (
                    note
                    and self._write(svc.record_progress, c.id, self.staff.id, note, self._now())
                ),
            )

    def action_decide(self) -> None:
        c = self._selected()
        if c:
            self.app.push_screen(
                ReasonDialog(
                    f"ผลการพิจารณา คำขอเลขที่ {c.application}", ("อนุญาต", "ไม่อนุญาต (ระบุเหตุผล)")
                ),
                lambda text: (
                    text and self._write(svc.decide, c.id, self.staff.id, text, self._now())
                ),
            )

    def action_notified(self) -> None:
        c = self._selected()
        if c:
            self._write(
                svc.notify_result,
                c.id,
                self.staff.id,
                self._now(),
                done=lambda late: self.notify(
                    "แจ้งผลช้ากว่า 7 วันนับแต่วันพิจารณา (ม.10)" if late else "บันทึกการแจ้งผลแล้ว",
                    severity="warning" if late else "information",
                ),
            )

    def action_delay_notice(self) -> None:
        c = self._selected()
        if c and not c.under_act:  # said before anything is asked
            self.notify(
                f"{c.service_name} ไม่อยู่ในบังคับ พ.ร.บ.การอำนวยความสะดวกฯ: ไม่มีหนังสือแจ้ง"
                "เหตุล่าช้าตามมาตรา 10 สำหรับเรื่องนี้",
                severity="warning",
                timeout=10,
            )
            return
        if c:
            self.app.push_screen(
                ReasonDialog(f"เหตุแห่งความล่าช้า คำขอเลขที่ {c.application} (สำเนาถึง ก.พ.ร.)", ()),
                lambda reason: (
                    reason
                    and self._write(
                        svc.send_delay_notice_with_letter,
                        c.id,
                        self.staff.id,
                        reason,
                        self._now(),
                        done=lambda path: self.notify(f"บันทึกแล้ว หนังสือ: {path}", timeout=12),
                    )
                ),
            )

    def action_back(self) -> None:
        self.app.pop_screen()
