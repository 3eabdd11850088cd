"""Provides ``DatabaseThread``: all database work of a process on one dedicated thread; and
``PrinterThread``: the sending of print jobs on another, so a printer that does not answer (up to
its timeout) never holds the database thread.

A peewee call on the UI thread would freeze the app, and Textual's thread workers share a pool
in which two writes from one app could interleave. One single-worker executor holding the
connection serialises the writes of a process; screens ``await`` service calls on it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from counter_tui.services.printouts import PrintJob
    from counter_tui.services.startup import OfficeInfo

T = TypeVar("T")


class DatabaseThread:
    def __init__(
        self,
        url: str,
        office_code: str | None,
        clock: Callable[[], datetime],
        office: OfficeInfo | None = None,
        opened: bool = True,
    ) -> None:
        """``office``: known already (the CLI found it, to fail before the screen is taken
        over). ``opened``: this process has also opened the database and bound the models, so
        the thread only connects (peewee does, on its first query); False when the office was
        read without peewee (``services.startup.quick_start``): the first call then opens the
        database on this thread, behind the first frame."""
        self.url = url
        self.office_code = office_code
        self.clock = clock
        self.office = office
        self._opened = office is not None and opened
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="counter-db")

    @property
    def office_id(self) -> int:
        """The office's id, once it is known (given, or read by ``start`` or a first ``run``)."""
        return self._office().id

    def _office(self) -> OfficeInfo:
        if self.office is None:
            raise RuntimeError("the office is not known before the database is started")
        return self.office

    def _connect(self) -> OfficeInfo:
        from counter_tui.services.office import connect

        _, office = connect(self.url, self.clock(), self.office_code)
        self.office = office
        self._opened = True
        return office

    async def start(self) -> OfficeInfo:
        """Open, migrate and bootstrap the database on the database thread."""
        return await self.run(self._office)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(self._call, fn, *args, **kwargs))

    def _call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if not self._opened:
            self._connect()
        return fn(*args, **kwargs)

    def close(self) -> None:
        def _close() -> None:
            if not self._opened:  # never opened here (nor peewee loaded, after a quick start)
                return
            from counter_tui.db.models import database_proxy

            if database_proxy.obj is not None and not database_proxy.obj.is_closed():
                database_proxy.obj.close()

        self._executor.submit(_close).result(timeout=10)
        self._executor.shutdown(wait=True)


class PrinterThread:
    """One thread that sends print jobs (``services.printouts.send_job``), one at a time, so
    that two slips never interleave on one printer and a dead printer holds only the prints."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="counter-print")

    async def send(self, job: PrintJob) -> None:
        from counter_tui.services.printouts import send_job

        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, send_job, job)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
