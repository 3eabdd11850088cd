"""0002 makes the event log append-only: the database itself refuses UPDATE and DELETE on it.

A timing record that can be edited in place cannot stand in an integrity assessment, so the
rule is enforced below the application (a correction is a new event naming the one it corrects).
"""

from peewee import PostgresqlDatabase

SQLITE_TRIGGERS = (
    "CREATE TRIGGER event_no_update BEFORE UPDATE ON event "
    "BEGIN SELECT RAISE(ABORT, 'event log is append-only'); END",
    "CREATE TRIGGER event_no_delete BEFORE DELETE ON event "
    "BEGIN SELECT RAISE(ABORT, 'event log is append-only'); END",
)

PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION event_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'event log is append-only'; END; $$ LANGUAGE plpgsql"
)
PG_TRIGGER = (
    "CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event "
    "FOR EACH ROW EXECUTE FUNCTION event_append_only()"
)


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(PG_FUNCTION)
        db.execute_sql(PG_TRIGGER)
    else:
        for sql in SQLITE_TRIGGERS:
            db.execute_sql(sql)


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("DROP TRIGGER IF EXISTS event_append_only ON event")
        db.execute_sql("DROP FUNCTION IF EXISTS event_append_only()")
    else:
        db.execute_sql("DROP TRIGGER IF EXISTS event_no_update")
        db.execute_sql("DROP TRIGGER IF EXISTS event_no_delete")
