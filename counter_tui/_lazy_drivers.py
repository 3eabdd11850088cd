"""Keeps peewee from importing the PostgreSQL drivers until a PostgreSQL URL is opened.

peewee imports psycopg (and psycopg2) at module level whenever they are installed: importing
peewee then takes ~125 ms instead of ~40 ms and 17 MiB more memory, in every run of the app and
of each command, which on the default SQLite database never use them. The app's first frame on
a ready SQLite database does not wait for it (the database thread imports peewee after it,
``services/startup.py``), but the officer's first seconds and every command do.

``install()`` puts a finder first on ``sys.meta_path`` that lets peewee's module run with the
driver imports failing, as if they were not installed. Only the process's entry point calls it:
``counter_tui.cli.main`` (the app and every command; ``python -m counter_tui`` too), before
anything imports peewee; importing ``counter_tui`` installs nothing, so a program or a test that
uses the package gets peewee as usual. ``enable_psycopg()`` imports psycopg 3 and gives peewee
what its module would have set, just before a PostgreSQL database is created (nothing to do when
peewee was imported with its drivers). A process that imported peewee or psycopg before
``install()`` is left alone.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from importlib.abc import Loader

_DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi")
# peewee and the playhouse modules that import a driver at module level (migrate imports
# cockroachdb, which imports postgres_ext; none of their driver-specific parts is used here).
_WRAPPED = ("peewee", "playhouse.cockroachdb", "playhouse.postgres_ext")


class _WithoutDrivers:
    """Wraps peewee's loader: the driver imports fail while peewee's module runs."""

    def __init__(self, inner) -> None:
        self._inner = inner

    def create_module(self, spec):
        return self._inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        blocked = [name for name in _DRIVERS if name not in sys.modules]
        for name in blocked:
            sys.modules[name] = None  # type: ignore[assignment]  # "import name" raises
        try:
            self._inner.exec_module(module)
        finally:
            for name in blocked:
                if name in sys.modules and sys.modules[name] is None:
                    del sys.modules[name]

    def __getattr__(self, name: str):  # get_source, is_package ...: tracebacks keep working
        return getattr(self._inner, name)


class _PeeweeFinder:
    def find_spec(self, fullname: str, path=None, target=None):
        if fullname not in _WRAPPED:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    # the wrapper does what a Loader does here (create and exec a module)
                    spec.loader = cast("Loader", _WithoutDrivers(spec.loader))
                return spec
        return None


def install() -> None:
    if "peewee" in sys.modules or any(isinstance(f, _PeeweeFinder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _PeeweeFinder())


def enable_psycopg() -> None:
    """Import psycopg 3 and hand it to peewee (raises ImportError when it is not installed)."""
    import peewee

    if getattr(peewee, "psycopg", None) is not None:  # imported with the drivers: nothing to do
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    # What peewee's module sets when psycopg imports (peewee.py, module level and
    # Psycopg3Adapter's class body); PostgresqlDatabase.init then picks the psycopg 3 adapter.
    for name, value in (
        ("psycopg", psycopg),
        ("TransactionStatus", TransactionStatus),
        ("Json_pg3", Json),
        ("Jsonb_pg3", Jsonb),
    ):
        setattr(peewee, name, value)
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN
