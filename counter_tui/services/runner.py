"""Provides ``DatabaseThread``: all database work of a process on one dedicated thread.

A peewee call on the UI thread would freeze the app, and Textual's thread workers share a pool
in which two writes from one app could interleave. One single-worker executor holding the
connection serialises the writes of a process; screens ``await`` service calls on it.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import Any, Callable, TypeVar

T = TypeVar("T")


class DatabaseThread:
    def __init__(self, url: str, office_code: str | None, clock: Callable[[], datetime],
                 office=None) -> None:
        """``office``: given when this process has already opened and migrated the database
        (the CLI does, to fail before the screen is taken over); the thread then only connects,
        on its first call, instead of opening and migrating again."""
        self.url = url
        self.office_code = office_code
        self.clock = clock
        self.office = office
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="counter-db")

    def _connect(self):
        from counter_tui.services.office import connect

        _, self.office = connect(self.url, self.clock(), self.office_code)
        return self.office

    async def start(self):
        """Open, migrate and bootstrap the database on the database thread."""
        return await self.run(self._connect)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(fn, *args, **kwargs))

    def close(self) -> None:
        def _close() -> None:
            from counter_tui.db.models import database_proxy

            if database_proxy.obj is not None and not database_proxy.obj.is_closed():
                database_proxy.obj.close()

        self._executor.submit(_close).result(timeout=10)
        self._executor.shutdown(wait=True)
