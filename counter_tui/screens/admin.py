"""Provides ``AdminScreen``: staff and counters of the office, and the forms to add them.

The same use-cases as ``counter-tui staff add`` and ``counter add``. A form stays open until
the database accepts it, showing what is wrong in place, so nothing typed is lost.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Label, Select

from counter_tui.screens.base import CounterScreen
from counter_tui.screens.dialogs import FormDialog, Submit
from counter_tui.screens.words import COUNTER_STATE_TH
from counter_tui.services.admin import AdminData, load_admin
from counter_tui.services.staff import StaffInfo
from counter_tui.widgets.checklist import CheckList

ROLE_TH = {"officer": "เจ้าหน้าที่", "supervisor": "หัวหน้างาน", "admin": "ผู้ดูแลระบบ"}


class AddStaffDialog(FormDialog):
    def __init__(self, submit: Submit, units: list[str]) -> None:
        super().__init__(submit)
        self.units = units

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("เพิ่มเจ้าหน้าที่", classes="title")
            yield Input(placeholder="ชื่อ-นามสกุล", id="name")
            yield Select(
                [(th, key) for key, th in ROLE_TH.items()],
                value="officer",
                allow_blank=False,
                id="role",
            )
            yield Label("สังกัดหน่วยงาน (Space เลือก; หัวหน้างานต้องมีอย่างน้อยหนึ่ง)")
            yield CheckList(*[(u, u) for u in self.units], id="units")
            yield Input(
                placeholder="PIN ตัวเลข 4–12 หลัก",
                password=True,
                restrict=r"[0-9]*",
                max_length=12,
                id="pin",
            )
            yield Input(
                placeholder="ยืนยัน PIN", password=True, restrict=r"[0-9]*", max_length=12, id="pin2"
            )
            yield Label("", id="error", classes="error")
            yield Label("Enter หรือ Ctrl+S บันทึก  Esc ยกเลิก", classes="hint")

    def values(self) -> dict:
        pin = self.query_one("#pin", Input).value
        if pin != self.query_one("#pin2", Input).value:
            raise ValueError("PIN ทั้งสองช่องไม่ตรงกัน (the two PINs differ)")
        return {
            "name": self.query_one("#name", Input).value,
            "role": self.query_one("#role", Select).value,
            "units": list(self.query_one("#units", CheckList).selected),
            "pin": pin,
        }


class ResetPinDialog(FormDialog):
    """A new PIN for the staff member chosen in the list: also the way out of a lock."""

    def __init__(self, submit: Submit, name: str) -> None:
        super().__init__(submit)
        self.staff_name = name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"ตั้ง PIN ใหม่ให้ {self.staff_name}", classes="title")
            yield Input(
                placeholder="PIN ใหม่ ตัวเลข 4–12 หลัก",
                password=True,
                restrict=r"[0-9]*",
                max_length=12,
                id="pin",
            )
            yield Input(
                placeholder="ยืนยัน PIN", password=True, restrict=r"[0-9]*", max_length=12, id="pin2"
            )
            yield Label("", id="error", classes="error")
            yield Label("Enter หรือ Ctrl+S บันทึก (ปลดล็อกบัญชีด้วย)  Esc ยกเลิก", classes="hint")

    def values(self) -> dict:
        pin = self.query_one("#pin", Input).value
        if pin != self.query_one("#pin2", Input).value:
            raise ValueError("PIN ทั้งสองช่องไม่ตรงกัน (the two PINs differ)")
        return {"pin": pin}


class AddCounterDialog(FormDialog):
    def __init__(self, submit: Submit, units: list[str], services: list[tuple[str, str]]) -> None:
        super().__init__(submit)
        self.units = units
        self.services = services

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("เพิ่มช่องบริการ", classes="title")
            yield Input(placeholder="ชื่อช่องบริการ เช่น ช่อง 1", id="name")
            yield Select([(u, u) for u in self.units], prompt="หน่วยงาน", id="unit")
            yield Label("บริการที่ช่องนี้ให้บริการ (Space เลือก)")
            yield CheckList(
                *[(f"{name} ({code})", code) for code, name in self.services], id="services"
            )
            yield Input(
                placeholder="เครื่องพิมพ์ (ไม่บังคับ): tcp://HOST:9100, usb://VID:PID, "
                "file:PATH, cups:QUEUE",
                id="printer",
            )
            yield Label("", id="error", classes="error")
            yield Label("Enter หรือ Ctrl+S บันทึก  Esc ยกเลิก", classes="hint")

    def values(self) -> dict:
        unit = self.query_one("#unit", Select).value
        return {
            "name": self.query_one("#name", Input).value,
            "unit": unit if isinstance(unit, str) else "",
            "services": list(self.query_one("#services", CheckList).selected),
            "printer": self.query_one("#printer", Input).value.strip() or None,
        }


class AdminScreen(CounterScreen[None]):
    CSS_PATH = "admin.tcss"
    BINDINGS = [
        Binding("s", "add_staff", "เพิ่มผู้ใช้", id="add-staff"),
        Binding("c", "add_counter", "เพิ่มช่อง", id="add-counter"),
        # Not in the footer (it is full at 80 columns): the staff heading names the key.
        Binding("p", "reset_pin", "ตั้ง PIN ใหม่", id="reset-pin", show=False),
        Binding("m", "manuals", "คู่มือ", id="manuals"),
        Binding("d", "dashboard", "ภาพรวม", id="dashboard"),
        Binding("r", "reports", "รายงาน", id="reports"),
        Binding("escape", "sign_out", "ลงชื่อออก", id="sign-out"),
    ]

    class Loaded(Message):
        def __init__(self, data: AdminData) -> None:
            super().__init__()
            self.data = data

    def __init__(self, staff: StaffInfo) -> None:
        super().__init__()
        self.staff = staff
        self.data: AdminData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="body"):
            yield Label("เจ้าหน้าที่  (p ตั้ง PIN ใหม่ให้คนที่เลือก และปลดล็อก)", classes="section")
            yield DataTable(id="staff", cursor_type="row")
            yield Label("ช่องบริการ", classes="section")
            yield DataTable(id="counters", cursor_type="row")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = f"ผู้ดูแลระบบ — {self.staff.name}"
        staff = self.query_one("#staff", DataTable)
        for label in ("ชื่อ", "บทบาท", "สังกัด"):
            staff.add_column(label)
        counters = self.query_one("#counters", DataTable)
        for label in ("ช่อง", "หน่วยงาน", "สถานะ", "บริการ", "เครื่องพิมพ์"):
            counters.add_column(label)
        self.reload()

    def reload(self) -> None:
        self.run_worker(self._load(), group="admin-load", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        self.post_message(self.Loaded(await self._run(load_admin, actor_id=self.staff.id)))

    def on_admin_screen_loaded(self, message: Loaded) -> None:
        data = self.data = message.data
        with self.app.batch_update():
            staff = self.query_one("#staff", DataTable)
            staff.clear()
            for s in data.staff:
                staff.add_row(
                    s.name, ROLE_TH.get(s.role, s.role), ", ".join(s.units), key=str(s.id)
                )
            counters = self.query_one("#counters", DataTable)
            counters.clear()
            for c in data.counters:
                counters.add_row(
                    c.name,
                    c.unit,
                    COUNTER_STATE_TH.get(c.state, c.state),
                    ", ".join(c.services),
                    c.printer or "",
                    key=str(c.id),
                )

    def _after(self, message: str | None) -> None:
        if message:
            self.notify(message, title="บันทึกแล้ว")
            self.reload()

    def action_add_staff(self) -> None:
        from counter_tui.services.staff import add_staff

        async def submit(v: dict) -> str:
            added = await self._run(
                add_staff,
                v["name"],
                v["role"],
                v["pin"],
                self._now(),
                v["units"],
                actor_id=self.staff.id,
            )
            return f"เพิ่ม{ROLE_TH[added.role]} {added.name} แล้ว"

        if self.data:
            self.app.push_screen(AddStaffDialog(submit, self.data.units), self._after)

    def action_reset_pin(self) -> None:
        """A new PIN for the staff member under the cursor (lifts any lock)."""
        from counter_tui.services.staff import set_pin

        table = self.query_one("#staff", DataTable)
        if not self.data or not self.data.staff or table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        chosen = next((s for s in self.data.staff if str(s.id) == key), None)
        if chosen is None:
            return

        async def submit(v: dict) -> str:
            app = self.app
            done = await app.db.run(
                set_pin, chosen.id, v["pin"], app.clock(), actor_id=self.staff.id
            )
            return f"ตั้ง PIN ใหม่ให้ {done.name} แล้ว"

        self.app.push_screen(ResetPinDialog(submit, chosen.name), self._after)

    def action_add_counter(self) -> None:
        from counter_tui.services.counters import add_counter

        async def submit(v: dict) -> str:
            added = await self._run(
                add_counter,
                v["name"],
                v["unit"],
                v["services"],
                self._now(),
                v["printer"],
                actor_id=self.staff.id,
            )
            return f"เพิ่ม{added.name} ({added.unit}) แล้ว"

        if self.data:
            self.app.push_screen(
                AddCounterDialog(submit, self.data.units, self.data.services), self._after
            )

    def action_manuals(self) -> None:
        from counter_tui.screens.home import HomeScreen

        self.app.push_screen(HomeScreen(staff=self.staff))

    def action_dashboard(self) -> None:
        from counter_tui.screens.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen(self.staff))

    def action_reports(self) -> None:
        from counter_tui.screens.reports import ReportsScreen

        self.app.push_screen(ReportsScreen(self.staff))

    def action_sign_out(self) -> None:
        self.app.pop_screen()
