"""Provides ``ShowsWorkerErrors``: screens and dialogs hand their workers' failures to the app
(``Worker.StateChanged`` does not bubble, so without this a refusal raised in a screen's worker,
"finish the current ticket first", would vanish without a word); and ``WritesOnTheDatabase``:
a screen's one way to run a use-case of its office on the database thread, and to print
(``_print``: the job is made on the database thread and sent on the printer thread, so a printer
that does not answer never holds up the counter).
"""

from __future__ import annotations

from datetime import datetime

from textual.worker import Worker


class ShowsWorkerErrors:
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.report_worker_error(event)  # type: ignore[attr-defined]


class WritesOnTheDatabase(ShowsWorkerErrors):
    """``_write(use_case, *args, done=...)``: runs ``use_case(office_id, *args)`` on the
    database thread in a worker (a refusal reaches the app, see above), hands the result to
    ``done``, then ``_after_write`` (reload the screen; a screen may do otherwise)."""

    def _write(self, fn, *args, done=None, **kwargs) -> None:
        async def run() -> None:
            app = self.app  # type: ignore[attr-defined]
            result = await app.db.run(fn, app.db.office.id, *args, **kwargs)
            if done is not None:
                done(result)
            self._after_write()

        self.run_worker(run(), group=f"{type(self).__name__}-write",  # type: ignore[attr-defined]
                        exit_on_error=False)

    def _after_write(self) -> None:
        self.load()  # type: ignore[attr-defined]

    def _now(self) -> datetime:
        return self.app.clock()  # type: ignore[attr-defined]

    def _print(self, make_job, *args, done=None, failed: str = "",
               quiet_without_printer: bool = False) -> None:
        """``make_job(office_id, *args)`` on the database thread gives a ``PrintJob`` (see
        ``services.printouts``), sent on the printer thread; then ``done()``. A failure is told
        with ``failed`` after it (what was kept, how to reprint); a counter without a printer
        says so, or nothing with ``quiet_without_printer`` (a ticket printed on issue)."""

        async def run() -> None:
            from counter_tui.errors import NoPrinter, UserError

            app = self.app  # type: ignore[attr-defined]
            try:
                job = await app.db.run(make_job, app.db.office.id, *args)
                await app.printer.send(job)
            except NoPrinter as exc:
                if not quiet_without_printer:
                    self.notify(f"{exc}\n{failed}".strip(),  # type: ignore[attr-defined]
                                title="ไม่ได้พิมพ์", severity="warning", timeout=12)
                return
            except UserError as exc:
                self.notify(f"{exc}\n{failed}".strip(),  # type: ignore[attr-defined]
                            title="พิมพ์ไม่สำเร็จ", severity="error", timeout=15)
                return
            if done is not None:
                done()

        self.run_worker(run(), group="print", exit_on_error=False)  # type: ignore[attr-defined]
