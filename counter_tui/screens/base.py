"""Provides ``CounterScreen``, the one base of the app's screens, and ``CounterDialog``, of its
dialogs: ``self.app`` typed as the ``CounterApp``; a worker's failure handed to the app
(``Worker.StateChanged`` does not bubble, so without this a refusal raised in a screen's worker,
"finish the current ticket first", would vanish without a word); and a screen's one way to run a
use-case of its office on the database thread (``_run``, ``_write``) and to print (``_print``:
the job is made on the database thread and sent on the printer thread, so a printer that does not
answer never holds up the counter).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from textual.screen import ModalScreen, Screen, ScreenResultType
from textual.worker import Worker

if TYPE_CHECKING:
    from counter_tui.app import CounterApp
    from counter_tui.services.printouts import PrintJob

P = ParamSpec("P")
T = TypeVar("T")


class CounterScreen(Screen[ScreenResultType]):
    if TYPE_CHECKING:  # for the type checker only: at run time, Textual's own ``app``
        from textual import getters

        app = getters.app(CounterApp)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.report_worker_error(event)

    def _now(self) -> datetime:
        return self.app.clock()

    async def _run(
        self, fn: Callable[Concatenate[int, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """``fn(office_id, *args, **kwargs)`` on the database thread; its result."""
        db = self.app.db
        return await db.run(fn, db.office_id, *args, **kwargs)

    def _write(
        self,
        fn: Callable[..., T],
        *args: Any,
        done: Callable[[T], object] | None = None,
        **kwargs: Any,
    ) -> None:
        """Runs ``fn(office_id, *args, **kwargs)`` on the database thread in a worker (a
        refusal reaches the app, see above), hands the result to ``done``, then
        ``_after_write`` (reload the screen; a screen may do otherwise)."""

        async def run() -> None:
            result = await self._run(fn, *args, **kwargs)
            if done is not None:
                done(result)
            self._after_write()

        self.run_worker(run(), group=f"{type(self).__name__}-write", exit_on_error=False)

    def load(self) -> None:
        """Read what the screen shows (a screen that shows data of the database has one)."""

    def _after_write(self) -> None:
        self.load()

    def _print(
        self,
        make_job: Callable[..., PrintJob],
        *args: Any,
        done: Callable[[], object] | None = None,
        failed: str = "",
        quiet_without_printer: bool = False,
    ) -> None:
        """``make_job(office_id, *args)`` on the database thread gives a ``PrintJob`` (see
        ``services.printouts``), sent on the printer thread; then ``done()``. A failure is told
        with ``failed`` after it (what was kept, how to reprint); a counter without a printer
        says so, or nothing with ``quiet_without_printer`` (a ticket printed on issue)."""

        async def run() -> None:
            from counter_tui.errors import NoPrinter, UserError

            try:
                job = await self._run(make_job, *args)
                await self.app.printer.send(job)
            except NoPrinter as exc:
                if not quiet_without_printer:
                    self.notify(
                        f"{exc}\n{failed}".strip(), title="ไม่ได้พิมพ์", severity="warning", timeout=12
                    )
                return
            except UserError as exc:
                self.notify(
                    f"{exc}\n{failed}".strip(), title="พิมพ์ไม่สำเร็จ", severity="error", timeout=15
                )
                return
            if done is not None:
                done()

        self.run_worker(run(), group="print", exit_on_error=False)


class CounterDialog(ModalScreen[ScreenResultType], CounterScreen[ScreenResultType]):
    """A modal screen of the app: ``CounterScreen``'s typed app and error forwarding."""
