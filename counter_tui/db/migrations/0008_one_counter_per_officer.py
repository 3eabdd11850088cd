"""0008: an officer holds at most one counter, held by a partial unique index on
counter(officer_id) WHERE officer_id IS NOT NULL (``open_counter`` turns a violation into its Thai
refusal). A rule "at most one" needs an index, not a lock: two sign-ins of one officer at two
counters at once lock two different rows, and on PostgreSQL (READ COMMITTED) both passed the check.

Nothing forbade holding two counters before, so an existing database may have an officer on
several (a sign-in at a second counter without closing the first). Each such officer keeps the
counter opened last; the others are closed as the app closes a counter (officer cleared, state
"closed"), each with its counter-state event, dated when the officer opened the counter kept.
The other "at most one" rules already have their unique index (a deficiency record per
application, a case per application, a delay notice number per case).
"""

import json

from peewee import SQL

NAME = "counter_officer_id_held"
REASON = (
    "ปิดเมื่อปรับฐานข้อมูล: เจ้าหน้าที่เปิดช่องบริการอื่นภายหลัง "
    "(closed by an upgrade: the officer opened another counter later)"
)


def _release_extra_counters(db) -> None:
    param = db.param
    rows = db.execute_sql(
        "SELECT id, office_id, officer_id, state, state_since, created_at FROM counter "
        "WHERE officer_id IS NOT NULL ORDER BY officer_id, id"
    ).fetchall()
    by_officer: dict[int, list[tuple]] = {}
    for row in rows:
        by_officer.setdefault(row[2], []).append(row)
    for officer, held in by_officer.items():
        if len(held) < 2:
            continue
        # the counter opened last is kept (a missing time counts as the oldest)
        held.sort(key=lambda r: (r[4] is not None, str(r[4] or ""), r[0]))
        kept = held[-1]
        for counter_id, office_id, _officer, state, since, created in held[:-1]:
            at = kept[4] or since or created
            db.execute_sql(
                f"UPDATE counter SET state = 'closed', officer_id = NULL, "
                f"state_since = {param} WHERE id = {param}",
                (at, counter_id),
            )
            db.execute_sql(
                f"INSERT INTO event (office_id, at, kind, counter_id, staff_id, reason, data) "
                f"VALUES ({param}, {param}, 'counter_state', {param}, {param}, {param}, {param})",
                (
                    office_id,
                    at,
                    counter_id,
                    officer,
                    REASON,
                    json.dumps({"state": "closed", "previous": state}, ensure_ascii=False),
                ),
            )


def up(migrator, db):
    _release_extra_counters(db)
    migrator.migrate(
        migrator.add_index(
            "counter", ("officer_id",), True, where=SQL("officer_id IS NOT NULL"), name=NAME
        )
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index("counter", NAME))
