"""Provides ``CounterApp`` and ``make_app``: screens, global keys, theme, one worker-error handler.

The app owns a ``DatabaseThread``; screens never touch the database themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from counter_tui.config import Settings
from counter_tui.core.clock import utc_now
from counter_tui.services.runner import DatabaseThread, PrinterThread

if TYPE_CHECKING:
    from counter_tui.services.staff import StaffInfo


DAILY_JOBS_AFTER = 10  # seconds after the start


class CounterApp(App[None]):
    TITLE = "counter-tui"
    CSS = "Screen { background: $background; }"
    BINDINGS = [
        Binding("f1,question_mark", "help", "ช่วยเหลือ", id="help"),
        Binding("ctrl+q", "quit", "ออก", id="quit"),
        # Named here so the footer says it in Thai (Textual adds an English "palette" otherwise).
        Binding(
            "ctrl+p", "command_palette", "คำสั่ง", show=False, priority=True, id="command-palette"
        ),
    ]

    def __init__(
        self,
        settings: Settings,
        office_code: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        office=None,
        first=None,
        opened: bool = True,
        daily_jobs: bool = False,
    ) -> None:
        super().__init__()
        self._first = first
        self._daily_jobs = daily_jobs
        self.settings = settings
        self.clock = clock
        self.db = DatabaseThread(
            settings.resolved_database_url(), office_code, clock, office, opened
        )
        self.printer = PrinterThread()

    def get_default_screen(self):
        """The sign-in screen is the bottom of the stack (no empty default screen under it to
        build and lay out first: the first frame is the sign-in)."""
        from counter_tui.screens.sign_in import SignInScreen

        first, self._first = self._first, None
        return SignInScreen(first)

    def on_mount(self) -> None:
        if self.settings.theme:
            self.theme = self.settings.theme
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        if self._daily_jobs:  # after the start, not in its way (sign-in needs the database)
            self.set_timer(DAILY_JOBS_AFTER, self.start_of_day)

    def start_of_day(self) -> None:
        """The day's first start backs the database up (rotated), on the database thread."""
        from counter_tui.services.day_start import start_of_day

        async def run() -> None:
            if self.db.office is None:
                await self.db.start()
            made = await self.db.run(start_of_day, self.db.url, self.db.office_id, self.clock())
            if made is not None:
                self.notify(f"สำรองข้อมูลประจำวันแล้ว: {made.path}", title="สำรองข้อมูล", timeout=5)

        self.run_worker(run(), group="daily", exit_on_error=False)

    def show_service(self, staff: StaffInfo, counter_id: int) -> None:
        """The service screen in place of the current one (the finish screen, after an early
        finish is undone). Screens go to each other through the app, so neither imports the
        other."""
        from counter_tui.screens.service import ServiceScreen

        self.switch_screen(ServiceScreen(staff, counter_id))

    def show_finish(self, staff: StaffInfo, counter_id: int, ticket_id: int) -> None:
        """The finish screen in place of the service screen, once the ticket's last service is
        finished."""
        from counter_tui.screens.finish import FinishScreen

        self.switch_screen(FinishScreen(staff, counter_id, ticket_id))

    def get_system_commands(self, screen):
        """The palette (Ctrl+P), in Thai: the staff's own IIT survey link, the keys of this
        screen, the theme, quitting. (Textual's own commands are English; not offered.)"""
        from textual.app import SystemCommand

        yield SystemCommand(
            "แบบวัด IIT สำหรับเจ้าหน้าที่ (QR)",
            "ลิงก์แบบวัดการรับรู้ของผู้มีส่วนได้เสียภายใน ปีงบประมาณนี้",
            self.action_iit,
        )
        yield SystemCommand("ปุ่มลัดของหน้านี้", "ทุกปุ่มที่ใช้ได้บนหน้าจอนี้ (F1)", self.action_help)
        yield SystemCommand("เปลี่ยนธีมสี", "สว่างสำหรับเคาน์เตอร์ที่มีแดดส่อง หรือมืด", self.action_change_theme)
        yield SystemCommand("ออกจากโปรแกรม", "ปิด counter-tui (Ctrl+Q)", self.action_quit)

    def action_iit(self) -> None:
        from counter_tui.screens.dialogs import SurveyQRDialog
        from counter_tui.services.survey import survey_link

        async def run() -> None:
            if self.db.office is None:
                await self.db.start()
            url = await self.db.run(survey_link, self.db.office_id, self.clock(), "iit")
            self.push_screen(
                SurveyQRDialog(
                    "แบบวัดการรับรู้ของผู้มีส่วนได้เสียภายใน (IIT) — สำหรับเจ้าหน้าที่",
                    url,
                    "สแกนเพื่อตอบแบบวัด IIT ของสำนักงาน ป.ป.ช. (ตอบโดยไม่ระบุตัวตน)",
                    kind="iit",
                )
            )

        self.run_worker(run(), group="iit", exit_on_error=False)

    def action_help(self) -> None:
        """F1: this screen's keys in Thai (F1 or Esc closes it)."""
        from counter_tui.screens.help import KeysHelp

        if not isinstance(self.screen, KeysHelp):
            self.push_screen(KeysHelp(self.screen))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_worker_error(event)

    def report_worker_error(self, event: Worker.StateChanged) -> None:
        """Worker errors are shown, not fatal: the counter keeps working. Screens forward their
        workers' state changes here (``Worker.StateChanged`` does not bubble)."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            from counter_tui.error_log import message_for  # Thai; a bug's traceback is logged

            message = message_for(event.worker.error, f"app worker {event.worker.name}")
            self.notify(message, title="ข้อผิดพลาด", severity="error", timeout=10)

    def on_unmount(self) -> None:
        self.printer.close()
        self.db.close()


def make_app(
    settings: Settings,
    office_code: str | None = None,
    clock: Callable[[], datetime] = utc_now,
    office=None,
    first=None,
    opened: bool = True,
    daily_jobs: bool = False,
) -> CounterApp:
    """The one factory for the CLI and the tests. ``office``: found already, and with
    ``opened`` the database open, migrated and bound in this process (see ``DatabaseThread``);
    ``first``: the sign-in screen's data, read with it; ``daily_jobs``: run the day's first
    start's jobs (the automatic backup) shortly after the start, as the CLI's app does."""
    return CounterApp(
        settings,
        office_code=office_code,
        clock=clock,
        office=office,
        first=first,
        opened=opened,
        daily_jobs=daily_jobs,
    )
