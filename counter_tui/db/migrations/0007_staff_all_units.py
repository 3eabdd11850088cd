"""0007 adds ``staff.all_units``: the explicit mark of a supervisor who oversees every unit of
the office (the ปลัด), set with ``counter-tui staff add ... --all-units``. Every other
supervisor's reads are scoped to their own units (``services.staff.unit_scope``); before this,
nothing on the staff record said who may see all, and the dashboard's per-officer table showed
every unit's officers to every supervisor.

The column is NOT NULL with a default of false in the table itself, added in one ALTER TABLE on
both backends: peewee's ``add_column`` would add it nullable, fill it, then set NOT NULL, which
SQLite does by rebuilding the table, and the foreign keys pointing at ``staff`` forbid that
inside a transaction (see 0006). Existing staff, and rows written by anything that does not
name the column, get false.
"""

from peewee import SQL, BooleanField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column(
            "staff",
            "all_units",
            BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")]),
            allow_not_null=True,
        )
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column("staff", "all_units"))
