"""``generate_demo``: fills an empty database with the simulated activity of one or more offices.

Every office's staff, counters and settings are written first (``profile``), then each office
is simulated (``simulation``) and its rows written month by month with ``db.bulk_load``.

Speed: 170,000-210,000 visits/min on SQLite on a 2-core machine (WAL, synchronous=FULL; one busy
year, 61,700 visits and 476,000 events: 20 s; ten years, 617,000 visits: 2 min 56 s, 95 MB).
PostgreSQL, measured on a 2-core machine shared with other work: 33 offices x 245 days x 250
visits/day (2.04 million visits, 15.8 million events) in 6 min 50 s, 300,000 visits/min (4 min
33 s of load, 2 min 5 s of index builds and foreign-key checks); before the load mode,
100,000-130,000 visits/min. ``bench/demo_speed.py`` measures it.

A run cut short (SQLite): the setup commits with an "unfinished" marker (``UNFINISHED_KEY``)
holding each table's MAX(id) before the run; the next run removes the rows above them first.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from peewee import (  # type: ignore[attr-defined]  # sort_models: in peewee, not in its stubs
    Database,
    fn,
    sort_models,
)

from counter_tui.core.clock import to_db
from counter_tui.core.thai_dates import local_date
from counter_tui.db import bulk_load
from counter_tui.db import models as m
from counter_tui.db.database import is_postgres
from counter_tui.errors import UserError
from counter_tui.services.demo.profile import (
    DEFAULT_VISITS_PER_DAY,
    demo_pin_hash,
    find_or_add_offices,
    holidays_between,
    setup_office,
    working_days,
)
from counter_tui.services.demo.rows import aware, midnight
from counter_tui.services.demo.simulation import OfficeSim

# The largest run asked for: about 15 years of working days, a large district (the bench's is 33
# offices), a very busy counter. Beyond them a run takes hours or runs out of dates.
MAX_DAYS = 3660
MAX_OFFICES = 200
MAX_VISITS_PER_DAY = 2000
# SQLite: a setting that says a run has begun and not finished (its value: each table's MAX(id)
# before the run), committed with the run's first rows and removed with its last.
UNFINISHED_KEY = "demo.unfinished"


@dataclass(frozen=True)
class DemoReport:
    """What ``generate_demo`` made, and how long it took."""

    offices: int
    staff: int
    counters: int
    days: int
    tickets: int
    applications: int
    events: int
    seconds: float
    cases: int = 0
    deficiency_records: int = 0

    @property
    def visits_per_minute(self) -> float:
        return self.tickets * 60 / self.seconds if self.seconds > 0 else 0.0

    @property
    def events_per_minute(self) -> float:
        return self.events * 60 / self.seconds if self.seconds > 0 else 0.0


# --- SQLite: a run cut short ----------------------------------------------------------------


def _wipe_unfinished(db: Database, marker: m.Setting) -> None:
    """Remove the rows of a run that did not finish: every row above the MAX(id) each table had
    before it (the marker's value), in one transaction, children first. The append-only
    triggers step aside inside it (a kill rolls that back with the rest); the demo only ever
    fills a database without visits, so these rows are all its own."""
    before = json.loads(marker.value)
    with db.atomic():
        triggers = db.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND sql IS NOT NULL ORDER BY name"
        ).fetchall()
        for name, _ in triggers:
            db.execute_sql(f"DROP TRIGGER {bulk_load.quote_name(name)}")
        for model in reversed(sort_models(m.ALL_MODELS)):
            last = before.get(model._meta.table_name)
            if last is not None:
                model.delete().where(model.id > last).execute()
        m.Setting.delete().where(m.Setting.key == UNFINISHED_KEY).execute()
        for _, sql in triggers:
            db.execute_sql(sql)


# --- public API -------------------------------------------------------------------------------


def check_sizes(days: int, offices: int, visits_per_day: int | None) -> None:
    """Refuse a run that is empty or too large to finish (before anything is opened)."""
    for value, low, high, option, what in (
        (days, 1, MAX_DAYS, "--days", "จำนวนวันทำการย้อนหลัง"),
        (offices, 1, MAX_OFFICES, "--offices", "จำนวนสำนักงาน"),
        (visits_per_day, 1, MAX_VISITS_PER_DAY, "--visits-per-day", "จำนวนผู้รับบริการต่อวัน"),
    ):
        if value is not None and not low <= value <= high:
            raise UserError(
                f"{what} ({option}) ต้องอยู่ระหว่าง {low:,} ถึง {high:,} "
                f"แต่ได้รับ {value:,}: สั่งใหม่ด้วยค่าในช่วงนี้ "
                f"({option} must be {low}-{high})"
            )


def generate_demo(
    days: int,
    seed: int,
    now: datetime,
    offices: int = 1,
    visits_per_day: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoReport:
    """Fill the (empty) database bound to ``database_proxy`` with the activity of ``offices``
    busy offices over the ``days`` working days up to ``now``; refuses a database with visits.

    The first office of the database is used, then offices "demo2", "demo3", ... are added with
    the sample catalog. Every demo staff member signs in with the PIN ``1234``.

    Interrupted (killed, power cut), a run leaves a database that works: on PostgreSQL the
    whole run is one transaction, so it fills the database or leaves it as it was. On SQLite
    each office-month commits with the application-number sequences it used, so tickets issued
    afterwards get fresh numbers; the setup commits with an "unfinished" marker
    (``UNFINISHED_KEY``), and the next run removes the rows of the unfinished one before it
    starts.
    """
    check_sizes(days, offices, visits_per_day)
    vpd = DEFAULT_VISITS_PER_DAY if visits_per_day is None else visits_per_day
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    db = m.database_proxy.obj
    pg = is_postgres(db)
    say = progress or (lambda message: None)
    if not pg:
        marker = m.Setting.select().where(m.Setting.key == UNFINISHED_KEY).first()
        if marker is not None:
            say("an earlier demo run did not finish: removing its rows")
            _wipe_unfinished(db, marker)
    existing = m.Ticket.select().count()
    if existing:
        raise UserError(
            f"ฐานข้อมูลนี้มีบัตรคิวอยู่แล้ว {existing:,} ใบ: คำสั่ง demo ใช้กับฐานข้อมูลว่างเท่านั้น "
            "จึงไม่เขียนทับข้อมูลจริง (this database already holds visits; demo only fills an "
            "empty database: give --database a new file or URL)"
        )
    if m.Staff.select().exists():  # none to sign in as: services.office.add_demo_office
        raise UserError(
            "ฐานข้อมูลนี้มีผู้ใช้อยู่แล้ว: คำสั่ง demo ใช้กับฐานข้อมูลว่างที่ยังไม่มีผู้ใช้เท่านั้น ระบุ --database "
            "เป็นไฟล์หรือ URL ใหม่ (this database has staff already; demo only fills an empty "
            "database)"
        )
    bulk_load.check_columns()
    clock = time.perf_counter()
    today = local_date(now)
    now_ts = math.floor(now.timestamp())
    holidays = holidays_between(today.year - days // 230 - 2, today.year + 2)
    day_list = working_days(today, days, holidays)
    setup_ts = midnight(day_list[0]) + 7 * 3600
    pin_hash = demo_pin_hash(seed)
    with db.atomic() if pg else nullcontext():
        # Every office's staff, counters and settings first (each office draws from its own
        # random stream, so the order does not change the rows): while the writer thread uses
        # the connection, this thread only simulates. SQLite: one transaction, with the marker.
        setups = []
        with db.atomic():
            before = {
                model._meta.table_name: model.select(fn.MAX(model.id)).scalar() or 0
                for model in m.ALL_MODELS
            }
            targets = find_or_add_offices(offices, aware(setup_ts))
            for index, (office_id, code) in enumerate(targets):
                rng = random.Random(f"{seed}/{index}")
                say(f"office {code}: staff, counters and settings")
                with db.atomic():
                    setups.append(
                        (
                            rng,
                            setup_office(
                                office_id,
                                index,
                                rng,
                                pin_hash,
                                vpd,
                                day_list,
                                holidays,
                                today,
                                now,
                                setup_ts,
                            ),
                        )
                    )
            if not pg:
                m.Setting.create(
                    office=targets[0][0],
                    key=UNFINISHED_KEY,
                    fiscal_year=0,
                    value=json.dumps(before),
                    updated_at=to_db(now),
                )
        ids = bulk_load.Ids()
        load = bulk_load.LoadMode(db) if pg else None
        writer = bulk_load.Writer(db)
        sims = []
        try:
            for (office_id, code), (rng, setup) in zip(targets, setups):
                sim = OfficeSim(
                    office_id,
                    code,
                    rng,
                    setup,
                    holidays,
                    day_list,
                    now_ts,
                    today,
                    vpd,
                    ids,
                    writer,
                    say,
                )
                sim.run()
                sims.append(sim)
            writer.close()
        except BaseException:
            try:
                writer.close(abort=True)
            except BaseException:
                pass
            raise
        if load is not None:
            say("re-creating the indexes and foreign keys")
            load.restore()
        with db.atomic():
            for sim in sims:
                sim.finish()
            m.Setting.delete().where(m.Setting.key == UNFINISHED_KEY).execute()
            if pg:
                bulk_load.set_id_sequences(db)
    if pg:  # fresh statistics for the planner (autovacuum may be off or not there yet)
        say("analyze")
        bulk_load.analyze(db)
    totals = {
        "staff": 0,
        "counters": 0,
        "tickets": 0,
        "applications": 0,
        "events": 0,
        "cases": 0,
        "deficiency_records": 0,
    }
    for (_, setup), sim in zip(setups, sims):
        totals["staff"] += setup["staff"]
        totals["counters"] += len(setup["counters"])
        for key in ("tickets", "applications", "events", "cases", "deficiency_records"):
            totals[key] += sim.counts[key]
    seconds = time.perf_counter() - clock
    report = DemoReport(
        offices=len(targets),
        staff=totals["staff"],
        counters=totals["counters"],
        days=len(day_list),
        tickets=totals["tickets"],
        applications=totals["applications"],
        events=totals["events"],
        seconds=seconds,
        cases=totals["cases"],
        deficiency_records=totals["deficiency_records"],
    )
    say(
        f"done: {report.tickets:,} visits, {report.events:,} events in {seconds:.1f} s "
        f"({report.visits_per_minute:,.0f} visits/min)"
    )
    return report
