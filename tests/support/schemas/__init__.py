"""Databases as earlier releases left them, one module per schema version (``v0006``: the schema
of migrations 0001-0006). Each module holds ``MIGRATIONS`` (how many migration files made that
schema), ``DAY`` (plain SQL statements for that schema, in order), ``DAY_DATE`` and ``NOW``
(when the figures are read). A schema change that ships adds the next module beside these and
names it in ``VERSIONS``: the upgrade test (tests/db/test_upgrade.py) runs over every one."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import ModuleType

from peewee import Database

from support.schemas import v0006

VERSIONS: tuple[ModuleType, ...] = (v0006,)


def migration_files(count: int) -> list[Path]:
    """The first ``count`` migration files of this checkout (0001, 0002, ...)."""
    from counter_tui.db.database import MIGRATIONS_DIR

    return sorted(MIGRATIONS_DIR.glob("[0-9]*.py"))[:count]


def build_old_schema(db: Database, version: ModuleType) -> list[str]:
    """Give the empty database ``db`` the schema of ``version``: the project's migration runner
    over a folder holding only that release's migration files. Returns what was applied."""
    from playhouse.migrations import Runner

    with tempfile.TemporaryDirectory(prefix="migrations-") as folder:
        for path in migration_files(version.MIGRATIONS):
            shutil.copy(path, folder)
        return Runner(db, folder).up()


def write_day(db: Database, version: ModuleType) -> None:
    """The day of ``version`` in its plain SQL, in one transaction."""
    with db.atomic():
        for statement in version.DAY:
            db.execute_sql(statement)


def row_counts(db: Database) -> dict[str, int]:
    """Rows in each of the database's tables (the migration history left out)."""
    return {
        table: db.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        for table in sorted(db.get_tables())
        if table != "schema_migration"
    }
