"""0009 records when a staff member last typed a wrong PIN (``staff.last_failed_at``, UTC).

A lock-out is lifted only when the time is past its end AND not behind the last failure: moving
a terminal's clock back cannot end a lock early, and moving it forward gains at most a few more
tries before the failures without a success reach the admin-only lock (services/staff.py).
The failed count is no longer reset when a lock starts, so it counts every failure since the
last success."""

from peewee import DateTimeField


def up(migrator, db):
    migrator.migrate(migrator.add_column("staff", "last_failed_at", DateTimeField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("staff", "last_failed_at"))
