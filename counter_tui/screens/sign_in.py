"""Provides ``SignInScreen``: the first-admin set-up on a fresh database, then name + PIN and the
counter to open.

An officer must pick a counter; a supervisor or admin may sign in without one (to manage staff,
counters and the catalog). Signing in at a counter opens it (a counter-state event).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label

from counter_tui.screens.base import CounterScreen
from counter_tui.services.sign_in import load_sign_in
from counter_tui.services.startup import SignInData
from counter_tui.widgets.picker import Picker


class SignInScreen(CounterScreen[None]):
    # Inline, not a .tcss beside this file: this is the app's default screen (the bottom of the
    # stack, see CounterApp.get_default_screen), and Textual reads a default screen's
    # DEFAULT_CSS but not its CSS_PATH.
    DEFAULT_CSS = """
    SignInScreen {
        align: center middle;
    }
    #box {
        width: 80;
        height: auto;
        border: round $primary;
        padding: 1 2;
    }
    #office {
        width: 100%;
        content-align: center middle;
        margin-bottom: 1;
    }
    #heading {
        text-style: bold;
        margin-bottom: 1;
    }
    .field {
        margin-top: 1;
    }
    #hint {
        color: $text-muted;
        margin-top: 1;
    }
    #title {
        dock: top;
        width: 100%;
        height: 1;
        content-align: center middle;
        background: $panel;
        color: $foreground;
    }
    """

    class Loaded(Message):
        def __init__(self, data: SignInData) -> None:
            super().__init__()
            self.data = data

    def __init__(self, data: SignInData | None = None) -> None:
        """``data``: already loaded (the CLI reads it while opening the database), so the
        first frame shows it; every later visit of the screen reloads it."""
        super().__init__()
        self._preloaded = data

    def compose(self) -> ComposeResult:
        # A title line rather than Textual's Header, the keys in the hint rather than a Footer,
        # and the PIN confirmation only on a first run: this is the first screen of every start,
        # and each widget costs start-up time.
        yield Label("counter-tui  ·  ลงชื่อเข้าใช้งาน", id="title")
        with Vertical(id="box"):
            yield Label("", id="office")
            yield Label("", id="heading")
            yield Label("ชื่อผู้ใช้", classes="field")
            yield Input(id="name", placeholder="ชื่อเจ้าหน้าที่")
            yield Label("ช่องบริการ", classes="field signin")
            yield Picker("(ไม่เปิดช่องบริการ — ผู้ดูแล/หัวหน้า)", id="counter", classes="signin")
            yield Label("PIN (ตัวเลข 4–12 หลัก)", classes="field")
            yield Input(id="pin", password=True, restrict=r"[0-9]*", max_length=12)
            if self._preloaded is None or not self._preloaded.has_admin:
                yield from self._confirmation()
            yield Label(
                "Enter/Tab ช่องถัดไป  ↑↓ เลือกช่องบริการ  Enter ที่ช่อง PIN เพื่อเข้าสู่ระบบ\n"
                "F1 ช่วยเหลือ  Ctrl+Q ออกจากโปรแกรม",
                id="hint",
            )

    @staticmethod
    def _confirmation():
        yield Label("ยืนยัน PIN อีกครั้ง", classes="field setup")
        yield Input(id="pin2", password=True, restrict=r"[0-9]*", max_length=12, classes="setup")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()
        if self._preloaded is not None:
            self.show(self._preloaded)

    def reload(self) -> None:
        self.run_worker(self._load(), group="sign-in", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        app = self.app
        office = app.db.office or await app.db.start()
        self.post_message(self.Loaded(await app.db.run(load_sign_in, office.id)))

    def on_sign_in_screen_loaded(self, message: Loaded) -> None:
        self.show(message.data)

    def show(self, data: SignInData) -> None:
        self.data = data
        self.query_one("#office", Label).update(f"[b]{data.office_name}[/b]")
        setup = not data.has_admin
        if setup and not self.query("#pin2"):
            self.query_one("#box", Vertical).mount_all(list(self._confirmation()), before="#hint")
        self.query_one("#heading", Label).update(
            "ตั้งค่าครั้งแรก: สร้างบัญชีผู้ดูแลระบบ (first run: create the admin account)"
            if setup
            else "ลงชื่อเข้าใช้งาน"
        )
        for widget in self.query(".setup"):
            widget.display = setup
        for widget in self.query(".signin"):
            widget.display = not setup
        picker = self.query_one("#counter", Picker)
        picker.set_options([(f"{c.name} — {c.unit}", c.id) for c in data.counters])
        default = self.app.settings.counter
        match = next((c for c in data.counters if c.name == default), None)
        if match is not None:
            picker.value = match.id

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "name":
            if self.data.has_admin:
                self.query_one("#counter", Picker).focus()
            else:
                self.query_one("#pin", Input).focus()
        elif event.input.id == "pin" and not self.data.has_admin:
            self.query_one("#pin2", Input).focus()
        else:
            self._go()

    @on(Picker.Submitted, "#counter")
    def _counter_chosen(self) -> None:
        self.query_one("#pin", Input).focus()

    def _go(self) -> None:
        name = self.query_one("#name", Input).value
        pin = self.query_one("#pin", Input).value
        if not self.data.has_admin:
            if pin != self.query_one("#pin2", Input).value:
                self.notify("PIN ทั้งสองช่องไม่ตรงกัน กรุณาพิมพ์ใหม่", severity="error")
                return
            self.run_worker(
                self._create_admin(name, pin), group="sign-in-write", exit_on_error=False
            )
            return
        counter = self.query_one("#counter", Picker).value
        self.run_worker(
            self._sign_in(name, pin, counter if isinstance(counter, int) else None),
            group="sign-in-write",
            exit_on_error=False,
        )

    async def _create_admin(self, name: str, pin: str) -> None:
        from counter_tui.services.staff import create_first_admin

        staff = await self._run(create_first_admin, name, pin, self._now())
        self.notify(
            f"สร้างบัญชีผู้ดูแลระบบ {staff.name} แล้ว: เพิ่มเจ้าหน้าที่ (s) และช่องบริการ (c) ได้ที่หน้าผู้ดูแล",
            title="สำเร็จ",
            timeout=10,
        )
        await self._enter(staff, None)
        from counter_tui.screens.home import HomeScreen

        # First run: the catalog first (marked as a sample), Esc leads to the admin screen.
        self.app.push_screen(HomeScreen(staff=staff))

    async def _sign_in(self, name: str, pin: str, counter_id: int | None) -> None:
        from counter_tui.services.staff import sign_in

        try:
            staff = await self._run(sign_in, name, pin, self._now())
        finally:
            self.query_one("#pin", Input).value = ""
        if counter_id is None and staff.role == "officer":
            self.notify("เลือกช่องบริการที่จะเปิด", severity="warning")
            return
        await self._enter(staff, counter_id)

    async def _enter(self, staff, counter_id: int | None) -> None:
        from counter_tui.screens.home import HomeScreen
        from counter_tui.screens.queue import QueueScreen
        from counter_tui.services.counters import open_counter

        app = self.app
        self.query_one("#pin", Input).value = ""
        for pin2 in self.query("#pin2").results(Input):
            pin2.value = ""
        if counter_id is None:
            if staff.role == "admin":
                from counter_tui.screens.admin import AdminScreen

                app.push_screen(AdminScreen(staff))
            elif staff.role == "supervisor":
                from counter_tui.screens.dashboard import DashboardScreen

                app.push_screen(DashboardScreen(staff))
            else:
                app.push_screen(HomeScreen(staff=staff))
            return
        await self._run(open_counter, counter_id, staff.id, self._now())
        app.push_screen(QueueScreen(staff=staff, counter_id=counter_id))

    def on_screen_resume(self) -> None:
        if self._preloaded is not None:  # the first resume: shown already
            self._preloaded = None
            return
        # Back from a signed-in screen: the next person starts from an empty form (with the
        # previous name still there, their typing would spend the previous officer's PIN tries).
        self.query_one("#name", Input).value = ""
        self.query_one("#pin", Input).value = ""
        self.query_one("#name", Input).focus()
        self.reload()
