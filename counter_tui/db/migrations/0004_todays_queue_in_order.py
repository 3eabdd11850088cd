"""0004 lets today's queue be read in call order from one index: (office, service_date, status,
issued_at, id) replaces (office, service_date, status). Without it SQLite walked the
(office, issued_at) index from the first ticket ever to find the oldest waiting one, so FIFO
call-next grew with the years of history (bench/run.py: 105 ms at ten years; 0.01 ms with it).
"""


def up(migrator, db):
    migrator.migrate(
        migrator.drop_index("ticket", "ticket_office_id_service_date_status"),
        migrator.add_index(
            "ticket", ("office_id", "service_date", "status", "issued_at", "id"), False
        ),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("ticket", "ticket_office_id_service_date_status_issued_at_id"),
        migrator.add_index("ticket", ("office_id", "service_date", "status"), False),
    )
