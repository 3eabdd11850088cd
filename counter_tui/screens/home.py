"""Provides ``HomeScreen``: the office's services with their standard times, in Thai.

Marked as a sample while the catalog is the bundled one. Data arrives through the database
thread (``ServicesLoaded``); the screen never queries.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from counter_tui.screens.base import CounterScreen
from counter_tui.services.catalog import CatalogView, catalog_view


class HomeScreen(CounterScreen[None]):
    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("r", "reload", "โหลดใหม่", id="reload"),
        Binding("escape", "back", "กลับ", id="back"),
    ]

    def __init__(self, staff=None) -> None:
        super().__init__()
        self.staff = staff

    class ServicesLoaded(Message):
        def __init__(self, data: CatalogView) -> None:
            super().__init__()
            self.data = data

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="body"):
            yield Static("กำลังเปิดฐานข้อมูล…", id="office")
            yield Static("", id="sample")
            yield DataTable(id="services", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#services", DataTable)
        table.add_column("กลุ่ม", key="group")
        table.add_column("บริการ", key="name")
        table.add_column("หน่วยงานรับผิดชอบ", key="unit")
        table.add_column("มาตรฐานเวลา", key="standard")
        table.add_column("ขั้นตอน", key="steps")
        self.action_reload()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:  # never the sign-in screen at the bottom
            self.app.pop_screen()

    def action_reload(self) -> None:
        self.run_worker(self._load(), group="home-load", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        app = self.app
        office = app.db.office or await app.db.start()
        data = await app.db.run(catalog_view, office.id)
        self.post_message(self.ServicesLoaded(data))

    def on_home_screen_services_loaded(self, message: ServicesLoaded) -> None:
        data = message.data
        self.query_one("#office", Static).update(
            f"[b]{data.office_name}[/b] — บริการประชาชน {len(data.services)} รายการ"
        )
        sample = self.query_one("#sample", Static)
        if any(s.sample for s in data.services):
            sample.update(
                "ตัวอย่าง: มาตรฐานเวลาเหล่านี้มาจากคู่มือของสำนักงานอื่น "
                "สำนักงานต้องนำเข้าคู่มือสำหรับประชาชนของตนเองก่อนใช้จริง"
            )
            sample.display = True
        else:
            sample.display = False
        table = self.query_one("#services", DataTable)
        with self.app.batch_update():
            table.clear()
            for s in data.services:
                table.add_row(
                    s.group,
                    s.name_th,
                    s.unit,
                    s.standard_text or "ไม่ระบุ",
                    str(s.steps) if s.steps else "—",
                    key=s.code,
                )
