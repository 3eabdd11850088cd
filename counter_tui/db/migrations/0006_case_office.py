"""0006 gives each case its office (office_id, filled from its application) and indexes the
open cases by (office, status, due date): the dashboard's "due within a week" list read the
open cases of every office in a shared database and checked each one's office through its
application (14 ms on a 33-office district, growing with the offices; bench/run.py)."""

from peewee import AutoField, ForeignKeyField, Model, SqliteDatabase


def up(migrator, db):
    class Office(Model):
        id = AutoField()  # what peewee adds unasked, named for the type checker

        class Meta:
            database = db
            table_name = "office"

    migrator.migrate(
        migrator.add_column(
            "case", "office_id", ForeignKeyField(Office, field=Office.id, null=True)
        )
    )
    db.execute_sql(
        'UPDATE "case" SET office_id = (SELECT a.office_id FROM application a '
        'WHERE a.id = "case".application_id)'
    )
    changes = [migrator.add_index("case", ("office_id", "status", "due_date"), False)]
    if not isinstance(db, SqliteDatabase):
        # SQLite adds NOT NULL by rebuilding the table, which the foreign keys of delay_notice
        # forbid inside a transaction: there the column stays nullable and the app always sets it.
        changes.insert(0, migrator.add_not_null("case", "office_id"))
    migrator.migrate(*changes)


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("case", "case_office_id_status_due_date"),
        migrator.drop_index("case", "case_office_id"),  # add_column's FK index
        migrator.drop_column("case", "office_id"),
    )
