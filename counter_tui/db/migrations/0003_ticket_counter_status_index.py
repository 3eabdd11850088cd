"""0003 indexes a counter's current ticket (counter, status): finding it read every ticket the
counter ever had, so each call-next grew with the years of history (measured by bench/run.py)."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("ticket", ("counter_id", "status"), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("ticket", "ticket_counter_id_status"))
