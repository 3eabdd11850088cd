"""Provides ``generate_demo``: realistic simulated activity for an empty database
(``counter-tui demo``).

The demo fills the N working days up to ``now`` (Asia/Bangkok) of one or more offices with the
rows the real use-cases would have written, as if a busy office had used the app: staff,
counters and settings; tickets issued before and during office hours, peaking mid-morning; a
queue simulated counter by counter under the office's priority policy (so waits grow with the
queue), lunch breaks and field visits; calls, recalls, skips, no-shows and out-of-order calls
with reasons; guided service with the manual's steps timed around their standards, pauses,
corrections, added services; deficiency records (Act s.8) reopened or returned later; cases of
multi-day services with due dates, decisions, result notices and, for services under the Act,
s.10 delay notices; the EIT survey offer and the satisfaction rating after each visit. Today's
visits stop at ``now``: some are waiting, called or being served, so the live screens have
something to show.

Every figure is derived from the events exactly as for real visits (``core.visit_timing``), so
the events carry the kinds, ``data`` JSON and reasons that ``services.queue`` and
``services.visit`` write. Deterministic: one seed and one ``now`` give identical rows (every
random draw comes from ``random.Random`` instances seeded from ``seed``; no set is iterated).

Demo sign-in: every demo staff member (the admin is "ผู้ดูแลระบบ") has the PIN **1234**
(``DEMO_PIN``). The hash is computed once per run with a salt drawn from the seed, so that the
same seed gives the same rows.

Speed: rows are built as tuples and written in bulk with the primary keys assigned here (from
the tables' MAX(id), read once) so that events reference tickets and applications without a
query per row; ids follow time order. SQLite: one transaction per office-month, ``executemany``
of one prepared INSERT (3.5x faster than peewee's ``insert_many``, whose SQL building dominates:
71,000 vs 20,000 event rows/s); 170,000-210,000 visits/min on a 2-core machine (WAL,
synchronous=FULL; one busy year, 61,700 visits and 476,000 events: 20 s; ten years, 617,000
visits: 2 min 56 s, 95 MB). PostgreSQL: the whole run is one transaction; the bulk tables'
foreign keys and plain indexes are dropped for the load and re-created from their pg_catalog
definitions at the end (``_LoadMode``: per-row foreign-key triggers were half of the server's
time), rows go in with ``COPY ... FROM STDIN`` on a writer thread so that the server works while
Python simulates the next month, then the serial sequences are set and the tables analyzed.
Measured on a 2-core machine shared with other work: 33 offices x 245 days x 250 visits/day
(2.04 million visits, 15.8 million events) in 6 min 50 s, 300,000 visits/min (4 min 33 s of
load, 2 min 5 s of index builds and foreign-key checks); before, 100,000-130,000 visits/min.
"""

from __future__ import annotations

import json
import math
import queue
import random
import threading
import time
from bisect import bisect, insort
from collections import deque
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from operator import itemgetter
from typing import Callable

from peewee import fn, sort_models

from counter_tui.core import queue as rules
from counter_tui.core.clock import to_db
from counter_tui.core.fiscal import fiscal_year_of
from counter_tui.core.national_id import check_digit
from counter_tui.core.thai_dates import local_date
from counter_tui.core.workdays import due_date, is_working_day
from counter_tui.db import models as m
from counter_tui.db.database import is_postgres
from counter_tui.errors import UserError
from counter_tui.services.queue import OFFICE_CLOSED_REASON
from counter_tui.services.visit import CORRECTION_REASONS, PAUSE_REASONS

DEMO_PIN = "1234"
DEFAULT_VISITS_PER_DAY = 60
DEMO_OFFICE_NAME = "องค์การบริหารส่วนตำบลตัวอย่าง"
ADMIN_NAME = "ผู้ดูแลระบบ"
# The largest run asked for: about 15 years of working days, a large district (the bench's is 33
# offices), a very busy counter. Beyond them a run takes hours or runs out of dates.
MAX_DAYS = 3660
MAX_OFFICES = 200
MAX_VISITS_PER_DAY = 2000
# SQLite: a setting that says a run has begun and not finished (its value: each table's MAX(id)
# before the run), committed with the run's first rows and removed with its last.
UNFINISHED_KEY = "demo.unfinished"

# Asia/Bangkok has kept UTC+7 without daylight saving since 1920: local times are plain offsets.
UTC_OFFSET = 7 * 3600
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
OPENS = 8 * 3600 + 30 * 60
CLOSES = 16 * 3600 + 30 * 60
FIRST_ARRIVAL = 8 * 3600
LAST_ARRIVAL = 16 * 3600 + 20 * 60
LUNCH = (12 * 3600, 13 * 3600)
OFFICE_HOURS = "08:30-16:30"
RETENTION_DAYS = 365  # privacy.retention_days default: older applications keep no personal data

# Fixed-date Thai public holidays (a weekend one gives the next weekday as a substitute).
# The lunar Buddhist holidays move every year and are left out rather than guessed.
FIXED_HOLIDAYS = ((1, 1), (1, 2), (4, 6), (4, 13), (4, 14), (4, 15), (5, 4), (6, 3), (7, 28),
                  (8, 12), (10, 13), (10, 23), (12, 5), (12, 10), (12, 31))

# Per service code: (share of visits, median minutes at the counter, lognormal spread, season).
# Medians sit below the standards so that most services are on time and some are over
# (land tax: 21 % over its 5 minutes; elderly allowance: 3 % over its 60 minutes).
PROFILES: dict[str, tuple[float, float, float, str]] = {
    "LAND_BUILDING_TAX": (22, 3.6, 0.40, "land_tax"),
    "ELDERLY_ALLOWANCE_REG": (17, 24.0, 0.50, "elderly"),
    "SIGNBOARD_TAX": (5, 3.8, 0.40, "sign_tax"),
    "DISABILITY_ALLOWANCE_REG": (5, 20.0, 0.40, ""),
    "AIDS_PATIENT_ALLOWANCE": (1, 15.0, 0.40, ""),
    "COMMERCIAL_REG_NEW": (4, 28.0, 0.45, ""),
    "BUILDING_PERMIT_S21": (4, 18.0, 0.40, ""),
    "HEALTH_HAZARD_LICENSE": (4, 15.0, 0.40, ""),
    "COMPLAINT": (4, 15.0, 0.50, ""),
    "OFFICIAL_INFO_REQUEST": (3, 10.0, 0.50, ""),
    "VENUE_BOOKING": (3, 6.0, 0.40, ""),
    "WATER_SUPPORT": (4, 10.0, 0.40, "water"),
}
OTHER_PROFILE = (2, 10.0, 0.45, "")
# Month multipliers: land & building tax is paid by the end of April, signboard tax by the end
# of March; elderly allowance registration peaks in Oct-Nov; water requests in the dry season.
SEASONS: dict[str, dict[int, float]] = {
    "land_tax": {1: 1.8, 2: 2.2, 3: 2.6, 4: 2.8, 5: 0.6, 6: 0.4, 7: 0.4, 8: 0.4, 9: 0.4,
                 10: 0.5, 11: 0.6, 12: 0.8},
    "sign_tax": {1: 2.0, 2: 2.5, 3: 3.0, 4: 0.8},
    "elderly": {10: 1.3, 11: 1.4, 12: 0.8},
    "water": {2: 1.6, 3: 2.2, 4: 2.4, 5: 1.6},
}
SEASON_OTHER = {"land_tax": 1.0, "sign_tax": 0.5, "elderly": 1.0, "water": 0.6, "": 1.0}
MOSTLY_ACCEPTED = ("WATER_SUPPORT", "OFFICIAL_INFO_REQUEST")
WEEKDAY_FACTOR = (1.15, 1.05, 1.0, 0.95, 0.85)
UNIT_ORDER = ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองสาธารณสุขและสิ่งแวดล้อม")

# How often things happen.
P_PRIORITY = 0.07
P_PRIORITY_ELDERLY_SERVICE = 0.25
PRIORITY_WEIGHTS = (("elderly", 0.70), ("disabled", 0.15), ("pregnant", 0.08), ("monk", 0.07))
CHANNEL_WEIGHTS = (("walk_in", 0.90), ("phone", 0.03), ("letter", 0.03), ("e_service", 0.025),
                   ("online", 0.015))
P_NO_SHOW = 0.03
P_SKIP = 0.02
P_RECALL = 0.04
P_OUT_OF_ORDER = 0.05  # of calls with someone else waiting: about 2 % of all calls
P_MORE_SERVICES = 0.10
P_PAUSE = 0.08
P_CORRECTION = 0.015
P_DEFICIENCY = 0.07
P_REOPEN = 0.60
P_SURVEY = 0.88
P_RATING = 0.60
P_ABSENT = 0.05
P_FIELD_VISIT = 0.12
P_DELAY_NOTICES = 0.70
SURVEY_HOW = (("screen", 0.72), ("slip", 0.18), ("no_phone", 0.10))
RATINGS = ((5, 0.55), (4, 0.30), (3, 0.10), (2, 0.03), (1, 0.02))

REFERRED_REASONS = ("ไม่อยู่ในอำนาจหน้าที่ของ อบต. แนะนำให้ติดต่ออำเภอ",
                    "ส่งต่อหน่วยงานที่รับผิดชอบโดยตรง")
CANCELLED_REASONS = ("ผู้รับบริการขอยกเลิก", "ผู้รับบริการเลือกบริการไม่ถูกต้อง",
                     "ผู้รับบริการขอกลับไปเตรียมเอกสารมาใหม่")
RETURN_REASON = "พ้นกำหนดส่งเอกสารตามบันทึกความบกพร่อง (พ.ร.บ.การอำนวยความสะดวกฯ มาตรา 8)"
REOPEN_REASON = "ผู้ยื่นคำขอเดิมกลับมายื่นเอกสาร คำขอเลขที่ {}"  # as services.visit writes it
DELAY_REASONS = ("อยู่ระหว่างตรวจสอบสถานที่", "อยู่ระหว่างรอความเห็นจากหน่วยงานที่เกี่ยวข้อง",
                 "อยู่ระหว่างเสนอผู้มีอำนาจพิจารณา")
FIELD_VISIT_REASON = "ออกตรวจสถานที่"
DECISIONS = {
    "BUILDING_PERMIT_S21": ("อนุญาตให้ก่อสร้างอาคาร (อ.1)",
                            "ไม่อนุญาต: แบบแปลนไม่เป็นไปตามกฎกระทรวง"),
    "HEALTH_HAZARD_LICENSE": ("ออกใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ",
                              "ไม่อนุญาต: สถานประกอบการไม่ผ่านเกณฑ์ด้านสุขลักษณะ"),
    "COMPLAINT": ("ตรวจสอบข้อเท็จจริงและดำเนินการแก้ไขแล้ว",
                  "ไม่อยู่ในอำนาจหน้าที่ ส่งเรื่องต่อหน่วยงานที่เกี่ยวข้อง"),
}
DECISION_OTHER = ("พิจารณาแล้วเสร็จ", "ไม่อนุมัติ")

MALE_NAMES = ("สมชาย", "ประเสริฐ", "สุนทร", "อนุชา", "ธนากร", "วีระพงษ์", "ชัยวัฒน์", "ปิยะพงษ์",
              "สุริยา", "เกียรติศักดิ์", "ณัฐพล", "บุญมี", "ประยูร", "อำนาจ", "ธีรวัฒน์")
FEMALE_NAMES = ("สมศรี", "วิไลวรรณ", "กัญญา", "พรทิพย์", "จันทร์เพ็ญ", "สุภาพร", "นงลักษณ์", "รัตนา",
                "อรุณี", "มาลัย", "ศิริพร", "ทองใบ", "สายสุนีย์", "วาสนา", "กมลชนก")
LAST_NAMES = ("ใจดี", "ศรีสุข", "มั่นคง", "ทองดี", "บุญเรือง", "แก้วมณี", "สุขเจริญ", "พูลผล",
              "รักษาศักดิ์", "วงศ์ใหญ่", "ชัยมงคล", "ศรีวงศ์", "อินทร์แก้ว", "คำภา", "พรหมมา",
              "สีหาราช", "บุญประเสริฐ", "ทองคำ", "จันทร์หอม", "สมบูรณ์", "นาคสวัสดิ์", "ปัญญาดี",
              "ศักดิ์ศรี", "เพชรรัตน์", "ยอดยิ่ง", "แสงทอง", "หอมจันทร์", "พันธ์ุดี")


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


class _Cut(Exception):
    """An event would fall after ``now``: the visit stops where it is (today's live visits)."""


# --- small helpers --------------------------------------------------------------------------

def _midnight(d: date) -> int:
    """UTC epoch seconds of local (Bangkok) midnight starting ``d``."""
    return (d.toordinal() - _EPOCH_ORDINAL) * 86400 - UTC_OFFSET


_TWO_DIGITS = tuple(f"{n:02d}" for n in range(60))


class _Formatter:
    """Epoch seconds -> the naive UTC text SQLite stores ('YYYY-MM-DD HH:MM:SS'), cached by
    minute (a few events share one; the cache is emptied when it grows large)."""

    def __init__(self) -> None:
        self._minutes: dict[int, str] = {}

    def __call__(self, ts: int | None) -> str | None:
        if ts is None:
            return None
        minute, second = divmod(ts, 60)
        prefix = self._minutes.get(minute)
        if prefix is None:
            if len(self._minutes) >= 100_000:
                self._minutes.clear()
            day, rest = divmod(minute, 1440)
            hours, minutes = divmod(rest, 60)
            prefix = self._minutes[minute] = \
                f"{date.fromordinal(day + _EPOCH_ORDINAL).isoformat()} {hours:02d}:{minutes:02d}:"
        return prefix + _TWO_DIGITS[second]

    def clear(self) -> None:
        self._minutes.clear()


def _aware(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, timezone.utc)


def _pick(rng: random.Random, weighted) -> object:
    x = rng.random()
    for value, weight in weighted:
        x -= weight
        if x < 0:
            return value
    return weighted[-1][0]


def _dumps(**data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


def holidays_between(first_year: int, last_year: int) -> frozenset[date]:
    """The fixed-date Thai public holidays of these years, with substitutes for weekend ones."""
    days = {date(y, mo, d) for y in range(first_year, last_year + 1) for mo, d in FIXED_HOLIDAYS}
    result = set(days)
    for day in sorted(days):
        if day.weekday() >= 5:
            sub = day + timedelta(days=1)
            while sub.weekday() >= 5 or sub in result:
                sub += timedelta(days=1)
            result.add(sub)
    return frozenset(result)


def working_days(today: date, count: int, holidays: frozenset[date]) -> list[date]:
    """The ``count`` working days up to and including ``today`` (if it is one), oldest first."""
    found: list[date] = []
    day = today
    while len(found) < count:
        if is_working_day(day, holidays):
            found.append(day)
        day -= timedelta(days=1)
    return found[::-1]


def _pin_hash(seed: int) -> str:
    """``hash_pin(DEMO_PIN)`` with a salt drawn from the seed (a random one would make two runs
    with one seed differ)."""
    from counter_tui.services import staff as st

    return st.hash_pin(DEMO_PIN, salt=random.Random(f"pin/{seed}").randbytes(st.SALT_BYTES))


# --- simulation objects -----------------------------------------------------------------------

class _Svc:
    __slots__ = ("id", "code", "version", "letter", "unit_id", "under_act", "standard", "days",
                 "day_kind", "steps", "docs", "needs_id", "needs_address", "weight", "median",
                 "sigma", "season", "issued_data", "added_data")


class _Ticket:
    __slots__ = ("id", "idx", "day", "letter", "seq", "number", "issued", "issued_by", "svc",
                 "channel", "priority", "status", "counter", "called", "apps", "flushed", "dirty",
                 "avail", "overtaken", "key", "skipped", "reopen")


class _App:
    __slots__ = ("id", "idx", "ticket", "number", "position", "svc", "counter", "officer",
                 "status", "created", "started", "finished", "outcome", "flushed", "dirty",
                 "rest", "deficiency")


class _Deficiency:
    __slots__ = ("id", "app", "created", "staff", "deadline", "missing", "checklist", "mark",
                 "witness", "resolved", "returned", "reason", "flushed", "dirty")


class _CounterDef:
    __slots__ = ("id", "name", "unit_id", "codes", "officer", "order", "lunch_offset", "months")


class _CounterDay:
    __slots__ = ("d", "id", "officer", "free_at", "sched", "done", "order")


@dataclass
class _Plan:
    outcome: str
    reason: str | None
    steps: list[int]
    tail: int
    pause: tuple[float, int, str] | None
    deficiency_after: int | None
    rest_tail: int
    correction: int | None


# --- the bulk writer --------------------------------------------------------------------------

TICKET_COLS = ("id", "office_id", "service_date", "group_letter", "seq", "number", "issued_at",
               "issued_by_id", "service_id", "channel", "priority", "status", "counter_id",
               "assigned_counter_id", "called_at")
APPLICATION_COLS = ("id", "office_id", "ticket_id", "number", "position", "service_id",
                    "counter_id", "officer_id", "status", "created_at", "started_at",
                    "finished_at", "outcome")
EVENT_COLS = ("id", "office_id", "at", "kind", "ticket_id", "application_id", "counter_id",
              "staff_id", "corrects_id", "reason", "data")
PERSON_COLS = ("id", "application_id", "role", "name", "national_id", "address", "phone",
               "created_at")
DEFICIENCY_COLS = ("id", "application_id", "created_at", "staff_id", "deadline", "missing",
                   "checklist", "applicant_mark", "witness_name", "resolved_at", "returned_at",
                   "return_reason")
CASE_COLS = ("id", "application_id", "opened_at", "complete_date", "due_date", "day_kind",
             "status", "decided_at", "decision", "result_notified_at", "office_id")
NOTICE_COLS = ("id", "case_id", "number", "sent_at", "sent_by_id", "reason", "copied_to_opdc")
BULK_TABLES = ((m.Ticket, TICKET_COLS), (m.Application, APPLICATION_COLS),
               (m.PersonalData, PERSON_COLS), (m.Event, EVENT_COLS),
               (m.DeficiencyRecord, DEFICIENCY_COLS), (m.Case, CASE_COLS),
               (m.DelayNotice, NOTICE_COLS))
UPDATES = {
    m.Ticket: ("status", "counter_id"),
    m.Application: ("status", "counter_id", "officer_id", "finished_at", "outcome"),
    m.DeficiencyRecord: ("resolved_at", "returned_at", "return_reason"),
}


def _check_columns() -> None:
    for model, cols in BULK_TABLES:
        actual = tuple(f.column_name for f in model._meta.sorted_fields)
        if actual != cols:  # the schema changed: this module must follow it
            raise RuntimeError(f"demo: columns of {model._meta.table_name} are {actual}")


class _Writer:
    """Writes one batch (an office-month) of rows.

    SQLite: at once, one transaction per batch. PostgreSQL: batches go to a writer thread that
    COPYs them while the caller simulates the next month, on the caller's connection and inside
    its transaction (``generate_demo`` holds one for the whole run; psycopg connections are
    thread-safe, and the caller does not touch the database until ``close``).
    """

    def __init__(self, db) -> None:
        self.db = db
        self.pg = is_postgres(db)
        self.conn = db.connection() if self.pg else None
        param = db.param
        self.insert_sql = {}
        for model, cols in BULK_TABLES:
            table = model._meta.table_name
            names = ", ".join(f'"{c}"' for c in cols)
            if self.pg:
                self.insert_sql[model] = f'COPY "{table}" ({names}) FROM STDIN'
            else:
                marks = ", ".join(param for _ in cols)
                self.insert_sql[model] = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
        self.update_sql = {}
        for model, cols in UPDATES.items():
            sets = ", ".join(f'"{c}" = {param}' for c in cols)
            self.update_sql[model] = \
                f'UPDATE "{model._meta.table_name}" SET {sets} WHERE "id" = {param}'
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._abort = False

    def write(self, batch: list[tuple[object, list, bool]],
              then: Callable[[], None] | None = None) -> None:
        """``batch``: (model, rows, is_update) in FK order; SQLite: ``then`` runs in the
        batch's transaction (PostgreSQL has one transaction for the run)."""
        if not self.pg:
            with self.db.atomic():
                self._write(self.db.cursor(), batch)
                if then is not None:
                    then()
            return
        if self._thread is None:
            self._queue = queue.Queue(maxsize=2)
            self._thread = threading.Thread(target=self._run, name="demo-writer", daemon=True)
            self._thread.start()
        self._raise()
        assert self._queue is not None
        self._queue.put(batch)

    def _write(self, cursor, batch) -> None:
        for model, rows, is_update in batch:
            if not rows:
                continue
            if is_update:
                cursor.executemany(self.update_sql[model], rows)
            elif self.pg:
                with cursor.copy(self.insert_sql[model]) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.insert_sql[model], rows)

    def _run(self) -> None:
        assert self._queue is not None and self.conn is not None
        try:
            with self.conn.cursor() as cursor:
                while True:
                    batch = self._queue.get()
                    if batch is None:
                        break
                    if not self._abort:
                        self._write(cursor, batch)
        except BaseException as exc:  # reported by the caller's thread
            self._error = exc
            while self._queue.get() is not None:  # drain so the producer never blocks
                pass

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def close(self, abort: bool = False) -> None:
        """Wait for the writer thread to finish its batches (``abort``: skip the ones still
        queued); re-raise its error."""
        if self._thread is not None:
            assert self._queue is not None
            self._abort = self._abort or abort
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        self._raise()


class _Ids:
    """Primary keys assigned here: MAX(id) of each bulk table, read once."""

    def __init__(self) -> None:
        self.next = {model: (model.select(fn.MAX(model.id)).scalar() or 0) + 1
                     for model, _ in BULK_TABLES}

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


# --- PostgreSQL: no foreign keys or secondary indexes during the load -----------------------

# The bulk tables' foreign keys and their plain (non-unique) indexes, as pg_catalog defines
# them. Only what can be re-created exactly from these definitions is dropped: no inherited or
# commented constraint, no index that is unique, clustered, in a tablespace of its own,
# commented, backing a constraint or with a column statistics target.
_BULK_RELATIONS = "SELECT to_regclass(name) FROM unnest(%s::text[]) AS name"
_FOREIGN_KEYS = f"""
    SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
    FROM pg_constraint c
    WHERE c.contype = 'f' AND c.conrelid IN ({_BULK_RELATIONS})
      AND c.conislocal AND c.coninhcount = 0
      AND obj_description(c.oid, 'pg_constraint') IS NULL
    ORDER BY c.oid"""
_PLAIN_INDEXES = f"""
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
    WHERE i.indrelid IN ({_BULK_RELATIONS})
      AND NOT i.indisprimary AND NOT i.indisunique AND NOT i.indisexclusion
      AND NOT i.indisclustered AND i.indisvalid AND i.indisready AND i.indislive
      AND x.reltablespace = 0 AND obj_description(i.indexrelid, 'pg_class') IS NULL
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indexrelid
                      AND COALESCE(a.attstattarget, -1) <> -1)
    ORDER BY i.indexrelid"""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _LoadMode:
    """Drops the bulk tables' foreign keys and plain indexes (inside the caller's transaction)
    and re-creates them from their pg_catalog definitions.

    A foreign key checks each row with a trigger (half of the server's time in the load); added
    afterwards it validates the whole table with one join. An index built once is cheaper than
    one grown row by row. Everything happens in one transaction with the load: a failure, an
    interrupt or a lost connection rolls the drop back with the rows, so the database is never
    left without them.
    """

    def __init__(self, db) -> None:
        assert db.in_transaction(), "the drop must roll back with a failed load"
        self.db = db
        tables = [_quote(model._meta.table_name) for model, _ in BULK_TABLES]
        self.foreign_keys = db.execute_sql(_FOREIGN_KEYS, (tables,)).fetchall()
        self.indexes = db.execute_sql(_PLAIN_INDEXES, (tables,)).fetchall()
        for table, name, _ in self.foreign_keys:
            self._ddl(f"ALTER TABLE {table} DROP CONSTRAINT {_quote(name)}")
        for name, _ in self.indexes:
            self._ddl(f"DROP INDEX {name}")

    def restore(self) -> None:
        # More memory for the sorts and the validating joins, for this transaction only (never
        # less than the server's setting): about a tenth off the foreign-key checks.
        for name, size in (("maintenance_work_mem", "256MB"), ("work_mem", "64MB")):
            self.db.execute_sql("SELECT set_config(%s, %s, true) WHERE pg_size_bytes("
                                "current_setting(%s)) < pg_size_bytes(%s)",
                                (name, size, name, size))
        for _, definition in self.indexes:
            self._ddl(definition)
        for table, name, definition in self.foreign_keys:
            self._ddl(f"ALTER TABLE {table} ADD CONSTRAINT {_quote(name)} {definition}")

    def _ddl(self, sql: str) -> None:
        with self.db.cursor() as cursor:
            cursor.execute(sql)  # no parameters: a "%" in a definition stays as it is


# --- SQLite: a run cut short ----------------------------------------------------------------

def _wipe_unfinished(db, marker: m.Setting) -> None:
    """Remove the rows of a run that did not finish: every row above the MAX(id) each table had
    before it (the marker's value), in one transaction, children first. The append-only
    triggers step aside inside it (a kill rolls that back with the rest); the demo only ever
    fills a database without visits, so these rows are all its own."""
    before = json.loads(marker.value)
    with db.atomic():
        triggers = db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                  "AND sql IS NOT NULL ORDER BY name").fetchall()
        for name, _ in triggers:
            db.execute_sql(f"DROP TRIGGER {_quote(name)}")
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
            (visits_per_day, 1, MAX_VISITS_PER_DAY, "--visits-per-day",
             "จำนวนผู้รับบริการต่อวัน")):
        if value is not None and not low <= value <= high:
            raise UserError(f"{what} ({option}) ต้องอยู่ระหว่าง {low:,} ถึง {high:,} "
                            f"แต่ได้รับ {value:,}: สั่งใหม่ด้วยค่าในช่วงนี้ "
                            f"({option} must be {low}-{high})")


def generate_demo(days: int, seed: int, now: datetime, offices: int = 1,
                  visits_per_day: int | None = None,
                  progress: Callable[[str], None] | None = None) -> DemoReport:
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
            "empty database: give --database a new file or URL)")
    _check_columns()
    clock = time.perf_counter()
    today = local_date(now)
    now_ts = math.floor(now.timestamp())
    holidays = holidays_between(today.year - days // 230 - 2, today.year + 2)
    day_list = working_days(today, days, holidays)
    setup_ts = _midnight(day_list[0]) + 7 * 3600
    pin_hash = _pin_hash(seed)
    with db.atomic() if pg else nullcontext():
        # Every office's staff, counters and settings first (each office draws from its own
        # random stream, so the order does not change the rows): while the writer thread uses
        # the connection, this thread only simulates. SQLite: one transaction, with the marker.
        setups = []
        with db.atomic():
            before = {model._meta.table_name: model.select(fn.MAX(model.id)).scalar() or 0
                      for model in m.ALL_MODELS}
            targets = _offices(offices, _aware(setup_ts))
            for index, (office_id, code) in enumerate(targets):
                rng = random.Random(f"{seed}/{index}")
                say(f"office {code}: staff, counters and settings")
                with db.atomic():
                    setups.append((rng, _setup_office(office_id, index, rng, pin_hash, vpd,
                                                      day_list, holidays, today, now,
                                                      setup_ts)))
            if not pg:
                m.Setting.create(office=targets[0][0], key=UNFINISHED_KEY, fiscal_year=0,
                                 value=json.dumps(before), updated_at=to_db(now))
        ids = _Ids()
        load = _LoadMode(db) if pg else None
        writer = _Writer(db)
        sims = []
        try:
            for (office_id, code), (rng, setup) in zip(targets, setups):
                sim = _OfficeSim(office_id, code, rng, setup, holidays, day_list, now_ts, today,
                                 vpd, ids, writer, say)
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
                for model, _ in BULK_TABLES:
                    table = model._meta.table_name
                    db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                   f'MAX("id")) FROM "{table}"')
    if pg:  # fresh statistics for the planner (autovacuum may be off or not there yet)
        say("analyze")
        db.execute_sql("ANALYZE " + ", ".join(_quote(model._meta.table_name)
                                              for model in m.ALL_MODELS))
    totals = {"staff": 0, "counters": 0, "tickets": 0, "applications": 0, "events": 0,
              "cases": 0, "deficiency_records": 0}
    for (_, setup), sim in zip(setups, sims):
        totals["staff"] += setup["staff"]
        totals["counters"] += len(setup["counters"])
        for key in ("tickets", "applications", "events", "cases", "deficiency_records"):
            totals[key] += sim.counts[key]
    seconds = time.perf_counter() - clock
    report = DemoReport(offices=len(targets), staff=totals["staff"], counters=totals["counters"],
                        days=len(day_list), tickets=totals["tickets"],
                        applications=totals["applications"], events=totals["events"],
                        seconds=seconds, cases=totals["cases"],
                        deficiency_records=totals["deficiency_records"])
    say(f"done: {report.tickets:,} visits, {report.events:,} events in {seconds:.1f} s "
        f"({report.visits_per_minute:,.0f} visits/min)")
    return report


# --- setup: offices, staff, counters, settings ------------------------------------------------

def _offices(count: int, created: datetime) -> list[tuple[int, str]]:
    from counter_tui.services.office import add_office

    found = [(o.id, o.code) for o in m.Office.select().order_by(m.Office.id).limit(count)]
    taken = {code for (code,) in m.Office.select(m.Office.code).tuples()}
    number = len(found) + 1
    while len(found) < count:
        code = f"demo{number}"
        if code not in taken:
            info = add_office(code, f"{DEMO_OFFICE_NAME} {number}", created)
            found.append((info.id, info.code))
        number += 1
    return found


def _unit_key(name: str) -> tuple[int, str]:
    return (UNIT_ORDER.index(name) if name in UNIT_ORDER else len(UNIT_ORDER), name)


def _season(name: str, month: int) -> float:
    return SEASONS.get(name, {}).get(month, SEASON_OTHER.get(name, 1.0))


def _load_services(office_id: int) -> list[_Svc]:
    services = []
    query = (m.Service.select().where((m.Service.office == office_id)
                                      & (m.Service.is_current == True))  # noqa: E712
             .order_by(m.Service.code))
    for row in query:
        svc = _Svc()
        svc.id, svc.code, svc.version, svc.letter = row.id, row.code, row.version, row.group_letter
        svc.unit_id, svc.under_act = row.unit_id, bool(row.under_act)
        svc.standard, svc.days = row.standard_seconds, row.standard_days
        svc.day_kind = row.day_kind or "unknown"
        steps = list(m.ServiceStep.select().where(m.ServiceStep.service == row.id)
                     .order_by(m.ServiceStep.position))
        if svc.days:  # a multi-day manual: only a first step without days is done at the counter
            steps = steps[:1] if steps and not steps[0].standard_days else []
        svc.steps = [s.standard_seconds for s in steps if not s.standard_days]
        svc.docs = [d.name_th for d in m.ServiceDocument.select()
                    .where((m.ServiceDocument.service == row.id)
                           & (m.ServiceDocument.when != "proxy"))
                    .order_by(m.ServiceDocument.position)]
        personal = (json.loads(row.manual_json).get("personal_data") or {})
        svc.needs_id = personal.get("national_id", "none") != "none"
        svc.needs_address = personal.get("address", "none") != "none"
        weight, median, sigma, season = PROFILES.get(row.code, OTHER_PROFILE)
        if row.code not in PROFILES and row.standard_seconds:
            median = min(0.7 * row.standard_seconds / 60, 30.0)
        svc.weight, svc.median, svc.sigma, svc.season = weight, median * 60, sigma, season
        svc.issued_data = {}
        svc.added_data = _dumps(service=row.code, version=row.version)
        services.append(svc)
    return services


def _thai_name(rng: random.Random, taken: set[str]) -> str:
    """A fake Thai name with its title (นาย for men; นาง or นางสาว for women)."""
    while True:
        if rng.random() < 0.5:
            name = f"นาย{rng.choice(MALE_NAMES)} {rng.choice(LAST_NAMES)}"
        else:
            name = f"{rng.choice(('นาง', 'นางสาว'))}{rng.choice(FEMALE_NAMES)} " \
                   f"{rng.choice(LAST_NAMES)}"
        if name not in taken:
            taken.add(name)
            return name


def _setup_office(office_id: int, index: int, rng: random.Random, pin_hash: str, vpd: int,
                  day_list: list[date], holidays: frozenset[date], today: date, now: datetime,
                  setup_ts: int) -> dict:
    from counter_tui.services.office import DEFAULT_OFFICE_NAME
    from counter_tui.services.settings import get_setting, set_setting

    created = to_db(_aware(setup_ts))
    services = _load_services(office_id)
    if not services:
        raise UserError("สำนักงานนี้ยังไม่มีบริการในแค็ตตาล็อก: นำเข้าคู่มือก่อน "
                        "(the office has no services: run 'counter-tui catalog import' first)")
    units = dict(m.Unit.select(m.Unit.id, m.Unit.name).where(m.Unit.office == office_id).tuples())
    by_unit: dict[int, list[_Svc]] = {}
    for svc in services:
        by_unit.setdefault(svc.unit_id, []).append(svc)
    unit_ids = sorted(by_unit, key=lambda u: _unit_key(units[u]))
    # Counters per unit and month: the month's counter minutes at 80 % of 7 hours, so that
    # queues form at the daily peaks (waits grow with the queue) but clear by closing time.
    # Counters beyond a month's need stay closed that month (a tax counter opened for the
    # tax season).
    volume = {month: sum(s.weight * _season(s.season, month) for s in services)
              for month in range(1, 13)}
    mean_volume = sum(volume.values()) / 12
    needs: dict[int, dict[int, int]] = {}
    for unit_id in unit_ids:
        needs[unit_id] = {}
        for month in range(1, 13):
            load = sum(vpd * volume[month] / mean_volume * s.weight * _season(s.season, month)
                       / volume[month] * (s.median * math.exp(s.sigma ** 2 / 2) / 60 + 1.5) * 1.1
                       for s in by_unit[unit_id])
            needs[unit_id][month] = max(1, math.ceil(load / (420 * 0.80)))
    counts = {unit_id: max(needs[unit_id].values()) for unit_id in unit_ids}
    # Staff: the admin, a supervisor per unit, an officer per counter and spares.
    taken = {name for (name,) in m.Staff.select(m.Staff.name)
             .where(m.Staff.office == office_id).tuples()}
    staff_rows = 0

    def add_staff(name: str, role: str, unit_list: list[int]) -> int:
        nonlocal staff_rows
        row = m.Staff.create(office=office_id, name=name, role=role, pin_hash=pin_hash,
                             created_at=created)
        for unit_id in unit_list:
            m.StaffUnit.create(staff=row.id, unit=unit_id)
        staff_rows += 1
        return row.id

    admin = ADMIN_NAME if ADMIN_NAME not in taken else f"{ADMIN_NAME} (สาธิต)"
    taken.add(admin)
    add_staff(admin, "admin", [])
    supervisors = {u: add_staff(_thai_name(rng, taken), "supervisor", [u]) for u in unit_ids}
    counter_names = {name for (name,) in m.Counter.select(m.Counter.name)
                     .where(m.Counter.office == office_id).tuples()}
    counters: list[_CounterDef] = []
    number = 0
    for unit_id in unit_ids:
        for k in range(counts[unit_id]):
            number += 1
            while f"ช่อง {number}" in counter_names:
                number += 1
            officer = add_staff(_thai_name(rng, taken), "officer", [unit_id])
            row = m.Counter.create(office=office_id, name=f"ช่อง {number}", unit=unit_id,
                                   state="closed", created_at=created)
            for svc in by_unit[unit_id]:
                m.CounterService.create(counter=row.id, service_code=svc.code)
            cdef = _CounterDef()
            cdef.id, cdef.name, cdef.unit_id = row.id, row.name, unit_id
            cdef.codes = tuple(s.code for s in by_unit[unit_id])
            cdef.officer, cdef.order = officer, len(counters)
            cdef.lunch_offset = (k % 2) * 1800  # two counters of a unit take turns at lunch
            cdef.months = frozenset(mo for mo, need in needs[unit_id].items() if k < need)
            counters.append(cdef)
    spares = [add_staff(_thai_name(rng, taken), "officer", unit_ids)
              for _ in range(max(1, round(len(counters) / 4)))]
    # Settings (validated by the settings service, as an admin would set them).
    last = day_list[-1]
    if m.Office.get_by_id(office_id).name == DEFAULT_OFFICE_NAME:
        name = DEMO_OFFICE_NAME if index == 0 else f"{DEMO_OFFICE_NAME} {index + 1}"
        set_setting(office_id, "office.name", name, now, today)
    set_setting(office_id, "office.address", f"หมู่ {index + 1} ตำบลตัวอย่าง อำเภอเมือง "
                f"จังหวัดตัวอย่าง", now, today)
    set_setting(office_id, "office.phone", f"0 4400 {1000 + index:04d}", now, today)
    set_setting(office_id, "office.hours", OFFICE_HOURS, now, today)
    horizon = today + timedelta(days=400)
    set_setting(office_id, "office.holidays",
                ",".join(d.isoformat() for d in sorted(holidays) if day_list[0] <= d <= horizon),
                now, today)
    set_setting(office_id, "queue.policy", "priority", now, today)
    for year in range(fiscal_year_of(day_list[0]), fiscal_year_of(last) + 1):
        token = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6))
        gregorian = year - 543
        set_setting(office_id, "survey.eit_url", f"https://itas.nacc.go.th/go/eit/{token}", now,
                    today, year)
        set_setting(office_id, "survey.iit_url", f"https://itas.nacc.go.th/go/iit/{token}", now,
                    today, year)
        set_setting(office_id, "survey.window_start", f"{gregorian}-01-01", now, today, year)
        set_setting(office_id, "survey.window_end", f"{gregorian}-06-30", now, today, year)
        # 10 % of the visitors expected in the window, at least 30, at most 400.
        target = max(30, min(400, round(vpd * 120 * 0.10)))
        set_setting(office_id, "survey.target", str(target), now, today, year)
    return {"services": services, "counters": counters, "supervisors": supervisors,
            "spares": spares, "staff": staff_rows,
            "max_overtake": int(get_setting(office_id, "queue.max_overtake", today) or 3)}


# --- the simulation ---------------------------------------------------------------------------

class _OfficeSim:
    """One office, day by day: arrivals, the queue at each counter, and what follows later."""

    def __init__(self, office_id: int, code: str, rng: random.Random, setup: dict,
                 holidays: frozenset[date], day_list: list[date], now_ts: int, today: date,
                 vpd: int, ids: _Ids, writer: _Writer, say: Callable[[str], None]) -> None:
        self.office = office_id
        self.code = code
        self.rng = rng
        self.services: list[_Svc] = setup["services"]
        self.by_code = {s.code: s for s in self.services}
        self.counters: list[_CounterDef] = setup["counters"]
        self.supervisors: dict[int, int] = setup["supervisors"]
        self.spares: list[int] = setup["spares"]
        self.max_overtake: int = setup["max_overtake"]
        self.holidays = holidays
        self.days = day_list
        self.now_ts = now_ts
        self.today = today
        self.retention_from = today - timedelta(days=RETENTION_DAYS)
        self.vpd = vpd
        self.ids = ids
        self.writer = writer
        self.say = say
        self.fmt = _Formatter()
        served = {c for cd in self.counters for c in cd.codes}
        self.arrival_services = [s for s in self.services if s.code in served]
        self.mix = {}
        yearly = []
        for month in range(1, 13):
            weights = [s.weight * _season(s.season, month) for s in self.arrival_services]
            cumulative, total = [], 0.0
            for w in weights:
                total += w
                cumulative.append(total)
            self.mix[month] = (cumulative, total)
            yearly.append(total)
        mean = sum(yearly) / 12
        self.volume = {month: yearly[month - 1] / mean for month in range(1, 13)}
        self.scheduled: dict[date, list[tuple]] = {}
        self.numbers: dict[int, int] = {}
        self.counter_state: dict[int, tuple[int, str, int | None]] = {}
        self.seq = 0
        self.idx = 0
        self.counts = {"tickets": 0, "applications": 0, "events": 0, "cases": 0,
                       "deficiency_records": 0}
        self.data_cache: dict[tuple, str] = {}
        self._reset_batch()

    def _reset_batch(self) -> None:
        self.b_tickets: list[_Ticket] = []
        self.b_apps: list[_App] = []
        self.b_events: list[list] = []
        self.b_people: list[tuple] = []
        self.b_defs: list[_Deficiency] = []
        self.b_cases: list[list] = []
        self.b_notices: list[tuple] = []
        self.dirty: list[object] = []
        self.batch_days = 0

    # --- driving ------------------------------------------------------------------------

    def run(self) -> None:
        month = None
        for day in self.days:
            key = (day.year, day.month)
            if month is not None and key != month:
                self._flush(month)
            month = key
            self._day(day)
            self.batch_days += 1
        self._flush(month)

    def _flush(self, month) -> None:
        fmt = self.fmt
        office = self.office
        tickets = [(t.id, office, t.day.isoformat(), t.letter, t.seq, t.number, fmt(t.issued),
                    t.issued_by, t.svc.id, t.channel, t.priority, t.status, t.counter, None,
                    fmt(t.called)) for t in self.b_tickets]
        apps = [(a.id, office, a.ticket.id, a.number, a.position, a.svc.id, a.counter, a.officer,
                 a.status, fmt(a.created), fmt(a.started), fmt(a.finished), a.outcome)
                for a in self.b_apps]
        events = []
        for e in self.b_events:
            data = e[9]
            if data.__class__ is tuple:  # an out-of-order call names the ticket it passed over
                data = _dumps(out_of_order=True, expected=data[1].number)
            events.append((e[10], office, fmt(e[0]), e[2], e[3].id if e[3] else None,
                           e[4].id if e[4] else None, e[5], e[6], e[7][10] if e[7] else None,
                           e[8], data))
        defs = [(d.id, d.app.id, fmt(d.created), d.staff, d.deadline.isoformat(), d.missing,
                 d.checklist, d.mark, d.witness, fmt(d.resolved), fmt(d.returned), d.reason)
                for d in self.b_defs]
        cases = [(c[0], c[1].id, *c[2:]) for c in self.b_cases]
        ticket_updates, app_updates, def_updates = [], [], []
        for obj in self.dirty:
            obj.dirty = False
            if isinstance(obj, _Ticket):
                ticket_updates.append((obj.status, obj.counter, obj.id))
            elif isinstance(obj, _App):
                app_updates.append((obj.status, obj.counter, obj.officer, fmt(obj.finished),
                                    obj.outcome, obj.id))
            else:
                def_updates.append((fmt(obj.resolved), fmt(obj.returned), obj.reason, obj.id))
        for obj in self.b_tickets:
            obj.flushed = True
        for obj in self.b_apps:
            obj.flushed = True
        for obj in self.b_defs:
            obj.flushed = True
        people = [(p[0], p[1].id, *p[2:]) for p in self.b_people]
        self.writer.write([
            (m.Ticket, tickets, False), (m.Application, apps, False),
            (m.PersonalData, people, False), (m.Event, events, False),
            (m.DeficiencyRecord, defs, False), (m.Case, cases, False),
            (m.DelayNotice, self.b_notices, False), (m.Ticket, ticket_updates, True),
            (m.Application, app_updates, True), (m.DeficiencyRecord, def_updates, True)],
            then=self._save_numbers)
        self.counts["tickets"] += len(tickets)
        self.counts["applications"] += len(apps)
        self.counts["events"] += len(events)
        self.counts["cases"] += len(cases)
        self.counts["deficiency_records"] += len(defs)
        if month is not None:
            self.say(f"office {self.code}: {month[0]}-{month[1]:02d}: {self.batch_days} days, "
                     f"{len(tickets):,} visits, {len(events):,} events")
        self._reset_batch()
        fmt.clear()  # the next month has minutes of its own

    def finish(self) -> None:
        """Application-number sequences and each counter's state as of now."""
        self._save_numbers()
        for counter_id, (ts, state, officer) in sorted(self.counter_state.items()):
            m.Counter.update(state=state, state_since=to_db(_aware(ts)), officer=officer) \
                .where(m.Counter.id == counter_id).execute()

    def _save_numbers(self) -> None:
        """The application-number sequences as far as the numbers given so far (SQLite: with
        each office-month, so that a run cut short leaves no number to be given twice)."""
        for year, value in sorted(self.numbers.items()):
            name = f"application-{year}"
            updated = (m.NumberSequence.update(value=value)
                       .where((m.NumberSequence.office == self.office)
                              & (m.NumberSequence.name == name)).execute())
            if not updated:
                m.NumberSequence.create(office=self.office, name=name, value=value)

    # --- events ---------------------------------------------------------------------------

    def _ev(self, ts: int, kind: str, ticket, app, counter, staff, reason=None, data=None,
            corrects=None) -> list:
        if ts > self.now_ts:
            raise _Cut
        event = [ts, self.seq, kind, ticket, app, counter, staff, corrects, reason, data, 0]
        self.seq += 1
        self.day_events.append(event)
        return event

    def _data(self, *key) -> str:
        """The JSON of common events, built once (json.dumps as the services write it)."""
        text = self.data_cache.get(key)
        if text is None:
            kind = key[0]
            if kind == "step":
                text = _dumps(step=key[1])
            elif kind == "outcome":
                text = _dumps(outcome=key[1])
            elif kind == "state":
                text = _dumps(state=key[1], previous=key[2])
            elif kind == "survey":
                text = _dumps(how=key[1])
            elif kind == "rating":
                text = _dumps(rating=key[1])
            elif kind == "policy":
                text = _dumps(policy=key[1])
            elif kind == "proxy":
                text = _dumps(proxy=key[1])
            else:
                raise KeyError(key)
            self.data_cache[key] = text
        return text

    def _touch(self, obj) -> None:
        if obj.flushed and not obj.dirty:
            obj.dirty = True
            self.dirty.append(obj)

    def _counter_event(self, cd: _CounterDay, ts: int, state: str, previous: str,
                       reason: str | None = None, officer: int | None = None) -> None:
        self._ev(ts, "counter_state", None, None, cd.id, cd.officer, reason,
                 self._data("state", state, previous))
        if state == "closed":
            holder = None
        elif previous == "closed":
            holder = officer
        else:
            holder = self.counter_state[cd.id][2]
        self.counter_state[cd.id] = (ts, state, holder)

    # --- one day ----------------------------------------------------------------------------

    def _day(self, day: date) -> None:
        rng = self.rng
        base = _midnight(day)
        self.day = day
        self.base = base
        self.day_tickets: list[_Ticket] = []
        self.day_apps: list[_App] = []
        self.day_events: list[list] = []
        self.seq = 0
        self.ticket_seq: dict[str, int] = {}
        arrivals = self._arrivals(day)
        for item in self.scheduled.pop(day, []):
            kind = item[0]
            if kind == "reopen":
                arrivals.append((base + self._arrival_second(), item[1].svc, None, "walk_in",
                                 item[1]))
            elif kind == "return":
                self._return(item[1], base + rng.randint(9 * 3600, 15 * 3600 + 1800))
            elif kind == "notice":
                self._notice(item[1], item[2], item[3],
                             base + rng.randint(9 * 3600 + 1800, 15 * 3600 + 1800))
        arrivals.sort(key=lambda a: a[0])
        self._simulate(arrivals)
        self._close_day()

    def _arrival_second(self) -> int:
        rng = self.rng
        while True:
            u = rng.random()
            if u < 0.62:
                x = rng.gauss(35400, 3000)  # 09:50 +- 50 min
            elif u < 0.88:
                x = rng.gauss(50400, 2700)  # 14:00 +- 45 min
            else:
                x = rng.uniform(FIRST_ARRIVAL, LAST_ARRIVAL)
            if x < FIRST_ARRIVAL or x > LAST_ARRIVAL:
                continue
            if LUNCH[0] <= x < LUNCH[1] and rng.random() < 0.55:
                continue  # lunch hour: fewer visitors
            return int(x)

    def _arrivals(self, day: date) -> list[tuple]:
        rng = self.rng
        lam = self.vpd * WEEKDAY_FACTOR[day.weekday()] * self.volume[day.month]
        count = max(0, round(rng.gauss(lam, math.sqrt(lam))))
        cumulative, total = self.mix[day.month]
        services = self.arrival_services
        base = self.base
        out = []
        for _ in range(count):
            ts = base + self._arrival_second()
            svc = services[min(bisect(cumulative, rng.random() * total), len(services) - 1)]
            priority = None
            if svc.code == "ELDERLY_ALLOWANCE_REG":
                if rng.random() < P_PRIORITY_ELDERLY_SERVICE:
                    priority = "elderly"
            elif rng.random() < P_PRIORITY:
                priority = _pick(rng, PRIORITY_WEIGHTS)
            channel = "walk_in" if rng.random() < CHANNEL_WEIGHTS[0][1] else self._channel()
            out.append((ts, svc, priority, channel, None))
        return out

    def _channel(self) -> str:
        x = self.rng.random() * (1 - CHANNEL_WEIGHTS[0][1])
        for value, weight in CHANNEL_WEIGHTS[1:]:
            x -= weight
            if x < 0:
                return value
        return CHANNEL_WEIGHTS[-1][0]

    def _issue(self, ts: int, svc: _Svc, priority: str | None, channel: str,
               staff: int | None, reopen: _App | None = None) -> _Ticket:
        tk = _Ticket()
        tk.idx = self.idx
        self.idx += 1
        tk.id = tk.seq = 0
        tk.number = ""
        tk.day, tk.letter, tk.issued, tk.issued_by, tk.svc = self.day, svc.letter, ts, staff, svc
        tk.channel, tk.priority, tk.status, tk.counter, tk.called = \
            channel, priority, "waiting", None, None
        tk.flushed = tk.dirty = tk.skipped = False
        tk.avail, tk.overtaken, tk.key, tk.reopen = ts, 0, (ts, tk.idx), reopen
        app = self._new_app(tk, svc, ts, None)
        key = (channel, priority)
        data = svc.issued_data.get(key)
        if data is None:
            data = svc.issued_data[key] = _dumps(service=svc.code, version=svc.version,
                                                 channel=channel, priority=priority)
        self._ev(ts, "issued", tk, app, None, staff, None, data)
        tk.apps = [app]
        self.day_tickets.append(tk)
        self.day_apps.append(app)
        return tk

    def _new_app(self, tk: _Ticket, svc: _Svc, ts: int, counter: int | None) -> _App:
        app = _App()
        app.idx = self.idx
        self.idx += 1
        app.id = 0
        app.number = ""
        app.ticket, app.svc, app.counter, app.officer = tk, svc, counter, None
        app.status, app.created, app.started, app.finished, app.outcome = \
            "waiting", ts, None, None, None
        app.flushed = app.dirty = False
        app.rest = app.deficiency = None
        app.position = 1
        return app

    def _simulate(self, arrivals: list[tuple]) -> None:
        rng = self.rng
        base = self.base
        now_ts = self.now_ts
        close_ts = base + CLOSES
        # Who works at each counter today (a spare covers an absent officer).
        free_spares = list(self.spares)
        cds: list[_CounterDay] = []
        for cdef in self.counters:
            if self.day.month not in cdef.months:
                continue  # a seasonal counter, closed this month
            cd = _CounterDay()
            cd.d, cd.id, cd.order, cd.done = cdef, cdef.id, cdef.order, False
            cd.officer = cdef.officer
            if free_spares and rng.random() < P_ABSENT:
                cd.officer = free_spares.pop(0)
            start = base + OPENS + rng.randint(-300, 600)
            lunch = base + LUNCH[0] + cdef.lunch_offset + rng.randint(-300, 300)
            cd.sched = [(lunch, rng.randint(50 * 60, 62 * 60), "break", None)]
            units_counters = sum(1 for c in self.counters
                                 if c.unit_id == cdef.unit_id and self.day.month in c.months)
            if units_counters == 1 and not any(self.by_code[c].standard for c in cdef.codes) \
                    and rng.random() < P_FIELD_VISIT:
                cd.sched.append((base + rng.randint(13 * 3600 + 1800, 14 * 3600 + 1800),
                                 rng.randint(3600, 7200), "away", FIELD_VISIT_REASON))
            cd.free_at = start
            cds.append(cd)
            try:
                self._counter_event(cd, start, "open", "closed", officer=cd.officer)
            except _Cut:
                cd.done = True
        reception = cds[0].officer if cds else None
        # Walk-ins get their tickets on arrival; phone, letter and online requests are recorded
        # with "serve now" by a counter that has nobody waiting.
        self.waiting: dict[str, list[_Ticket]] = {s.code: [] for s in self.services}
        pending: dict[str, deque] = {s.code: deque() for s in self.services}
        serve_now: dict[str, deque] = {s.code: deque() for s in self.services}
        for ts, svc, priority, channel, reopen in arrivals:
            if ts > now_ts:
                break
            if channel == "walk_in":
                pending[svc.code].append(self._issue(ts, svc, priority, channel, reception,
                                                     reopen))
            else:
                serve_now[svc.code].append((ts, svc, priority, channel))
        active = [cd for cd in cds if not cd.done]
        while active:
            cd = min(active, key=lambda c: (c.free_at, c.order))
            t = cd.free_at
            if t > now_ts:
                break  # today: nothing later can be recorded yet
            try:
                if t >= close_ts:
                    self._counter_event(cd, t + rng.randint(30, 600), "closed", "open")
                    cd.done = True
                    active.remove(cd)
                    continue
                if cd.sched and t >= cd.sched[0][0]:
                    _, length, state, reason = cd.sched.pop(0)
                    self._counter_event(cd, t, state, "open", reason)
                    cd.free_at = t + length
                    self._counter_event(cd, t + length, "open", state)
                    continue
                for code in cd.d.codes:  # admit the tickets issued by now
                    queue_ = pending[code]
                    while queue_ and queue_[0].issued <= t:
                        self.waiting[code].append(queue_.popleft())
                tk = self._choose(cd, t)
                if tk is not None:
                    cd.free_at = self._dispatch(cd, tk, t)
                    continue
                for code in cd.d.codes:
                    items = serve_now[code]
                    if items and items[0][0] <= t:
                        ts, svc, priority, channel = items.popleft()
                        cd.free_at = self._serve_now(cd, svc, priority, channel, t)
                        break
                else:  # idle until someone arrives (noticed a little later), a break, closing
                    wake = close_ts
                    for code in cd.d.codes:
                        if pending[code]:
                            wake = min(wake, pending[code][0].issued)
                        if serve_now[code]:
                            wake = min(wake, serve_now[code][0][0])
                        for waiting in self.waiting[code]:
                            if waiting.avail > t:
                                wake = min(wake, waiting.avail)
                    if wake < close_ts:
                        wake += rng.randint(10, 90)
                    if cd.sched:
                        wake = min(wake, cd.sched[0][0])
                    cd.free_at = max(wake, t + 1)
            except _Cut:
                cd.free_at = now_ts + 1
        # Closing time: the tickets still waiting are closed ("office closed").
        closed_at = close_ts + rng.randint(300, 600)
        if closed_at <= now_ts:
            for tk in self.day_tickets:
                if tk.status == "waiting":
                    self._ev(closed_at, "closed", tk, None, None, None,
                             OFFICE_CLOSED_REASON)
                    tk.status = "closed"
                    for app in tk.apps:
                        app.status, app.outcome = "closed", "office_closed"

    # --- the queue --------------------------------------------------------------------------

    def _choose(self, cd: _CounterDay, t: int) -> _Ticket | None:
        """The office's priority policy (core.queue.choose_next) over this counter's queue."""
        first_normal = first_priority = None
        waiting = self.waiting
        for code in cd.d.codes:  # each list is in (issued, id) order: its first of each kind
            got_normal = got_priority = False
            for tk in waiting[code]:
                if tk.avail > t:
                    continue  # skipped, not back yet
                if tk.priority:
                    if not got_priority:
                        got_priority = True
                        if first_priority is None or tk.key < first_priority.key:
                            first_priority = tk
                elif not got_normal:
                    got_normal = True
                    if first_normal is None or tk.key < first_normal.key:
                        first_normal = tk
                if got_normal and got_priority:
                    break
        if first_priority is None:
            return first_normal
        if first_normal is None or first_priority.key < first_normal.key:
            return first_priority
        if first_normal.overtaken >= self.max_overtake:
            return first_normal
        return first_priority

    def _take(self, cd: _CounterDay, tk: _Ticket) -> None:
        self.waiting[tk.svc.code].remove(tk)
        if tk.priority:  # normal tickets issued before it have been overtaken once more
            for code in cd.d.codes:
                for other in self.waiting[code]:
                    if not other.priority and other.key < tk.key:
                        other.overtaken += 1

    def _call(self, cd: _CounterDay, tk: _Ticket, t: int, reason=None, data=None) -> None:
        self._ev(t, "called", tk, None, cd.id, cd.officer, reason,
                 data or self._data("policy", "priority"))
        tk.status, tk.counter, tk.called = "called", cd.id, t

    def _dispatch(self, cd: _CounterDay, tk: _Ticket, t: int) -> int:
        rng = self.rng
        if rng.random() < P_OUT_OF_ORDER:
            others = [o for code in cd.d.codes for o in self.waiting[code]
                      if o is not tk and o.avail <= t and o.reopen is None]
            if others:
                others.sort(key=lambda o: o.key)
                chosen = others[rng.randrange(min(len(others), 5))]
                self._take(cd, chosen)
                self._call(cd, chosen, t, rng.choice(rules.OUT_OF_ORDER_REASONS),
                           ("ooo", tk))
                return self._after_call(cd, chosen, t)
        self._take(cd, tk)
        self._call(cd, tk, t)
        return self._after_call(cd, tk, t)

    def _after_call(self, cd: _CounterDay, tk: _Ticket, t: int) -> int:
        rng = self.rng
        staff = cd.officer
        r = rng.random()
        if tk.reopen is None and not tk.skipped:
            if r < P_NO_SHOW:
                for _ in range(rng.randint(1, 2)):
                    t += rng.randint(40, 90)
                    self._ev(t, "recalled", tk, None, cd.id, staff, rules.RECALL_REASONS[0])
                t += rng.randint(60, 150)
                reason = rules.NO_SHOW_REASONS[0] if rng.random() < 0.85 else \
                    rules.NO_SHOW_REASONS[1]
                self._ev(t, "no_show", tk, None, cd.id, staff, reason)
                tk.status = "no_show"
                for app in tk.apps:
                    app.status = app.outcome = "no_show"
                return t + rng.randint(10, 40)
            if r < P_NO_SHOW + P_SKIP:
                t += rng.randint(45, 150)
                self._ev(t, "skipped", tk, None, cd.id, staff, rng.choice(rules.SKIP_REASONS))
                tk.status, tk.counter, tk.called, tk.skipped = "waiting", None, None, True
                tk.avail = t + rng.randint(300, 1200)
                insort(self.waiting[tk.svc.code], tk, key=lambda o: o.key)
                return t + rng.randint(10, 40)
        walk = int(min(120, max(8, rng.lognormvariate(math.log(25), 0.5))))
        if r > 1 - P_RECALL:
            t += rng.randint(30, 60)
            self._ev(t, "recalled", tk, None, cd.id, staff, rng.choice(rules.RECALL_REASONS))
            walk = rng.randint(30, 120)
        t += walk
        if tk.reopen is not None:
            t = self._reopen(cd, tk, t)
        else:
            t = self._serve_apps(cd, tk, t)
        return self._survey(cd, tk, t)

    def _serve_now(self, cd: _CounterDay, svc: _Svc, priority, channel: str, t: int) -> int:
        tk = self._issue(t, svc, priority, channel, cd.officer)
        self._ev(t, "called", tk, None, cd.id, cd.officer, None, '{"serve_now": true}')
        tk.status, tk.counter, tk.called = "called", cd.id, t
        t = self._serve_apps(cd, tk, t)
        return t + self.rng.randint(20, 90)  # no survey: the requester is not at the counter

    def _survey(self, cd: _CounterDay, tk: _Ticket, t: int) -> int:
        rng = self.rng
        if rng.random() < P_SURVEY:
            t += rng.randint(5, 20)
            how = _pick(rng, SURVEY_HOW)
            self._ev(t, "survey_offered", tk, None, cd.id, cd.officer, None,
                     self._data("survey", how))
            if rng.random() < P_RATING:
                t += rng.randint(8, 40)
                self._ev(t, "rating_given", tk, None, cd.id, cd.officer, None,
                         self._data("rating", _pick(rng, RATINGS)))
        return t + rng.randint(10, 40)

    # --- guided service -----------------------------------------------------------------------

    def _plan(self, svc: _Svc, last: bool, visit_starts: bool = True) -> _Plan:
        rng = self.rng
        r = rng.random()
        reason = None
        base = "accepted" if svc.days or svc.code in MOSTLY_ACCEPTED else "completed"
        if r < 0.95:
            outcome = base
        elif r < 0.975:
            outcome, reason = "referred", rng.choice(REFERRED_REASONS)
        else:
            outcome, reason = "cancelled", rng.choice(CANCELLED_REASONS)
        total = svc.median * math.exp(rng.gauss(0, svc.sigma))
        total = int(min(max(total, 40), svc.median * 5))
        n = len(svc.steps)
        if n == 0:
            steps, tail = [], total
        else:
            if any(svc.steps):
                steps = [int(s * 0.7 * math.exp(rng.gauss(0, 0.35))) if s else total // n
                         for s in svc.steps]
            else:
                weights = [rng.uniform(0.5, 1.5) for _ in range(n)]
                scale = total / sum(weights)
                steps = [max(5, int(w * scale)) for w in weights]
            tail = rng.randint(3, 30)
        if outcome in ("referred", "cancelled"):
            steps = steps[:rng.randint(0, max(0, n - 1))]
            tail = rng.randint(30, 180)
        pause = None
        if rng.random() < P_PAUSE:
            length = int(min(1800, max(60, rng.lognormvariate(math.log(300), 0.5))))
            pause = (rng.uniform(0.15, 0.85), length, _pick(rng, (
                (PAUSE_REASONS[0], 0.6), (PAUSE_REASONS[1], 0.25), (PAUSE_REASONS[2], 0.15))))
        deficiency = None
        rest_tail = 0
        if last and visit_starts and svc.under_act and svc.docs and \
                outcome in ("completed", "accepted") and rng.random() < P_DEFICIENCY:
            if n:
                deficiency = rng.randint(0, n - 1)
                rest_tail, tail = tail, 0
            else:
                done = int(tail * rng.uniform(0.3, 0.6))
                deficiency, rest_tail, tail = 0, tail - done, done
        correction = None
        if n and rng.random() < P_CORRECTION:
            limit = deficiency if deficiency is not None else len(steps)
            long_steps = [j for j in range(limit) if steps[j] >= 60]
            if long_steps:
                correction = rng.choice(long_steps)
        return _Plan(outcome, reason, steps, tail, pause, deficiency, rest_tail, correction)

    def _start(self, cd: _CounterDay, tk: _Ticket, app: _App, t: int) -> None:
        self._ev(t, "started", tk, app, cd.id, cd.officer)
        tk.status = "serving"
        app.status, app.counter, app.officer = "serving", cd.id, cd.officer
        if app.started is None:
            app.started = t

    def _serve_apps(self, cd: _CounterDay, tk: _Ticket, t: int) -> int:
        rng = self.rng
        extras: list[_Svc] = []
        if len(cd.d.codes) > 1 and rng.random() < P_MORE_SERVICES:
            choices = [self.by_code[c] for c in cd.d.codes if c != tk.svc.code]
            for _ in range(1 if rng.random() < 0.85 else 2):
                total = sum(s.weight for s in choices)
                x = rng.random() * total
                for svc in choices:
                    x -= svc.weight
                    if x < 0:
                        break
                extras.append(svc)
        position = 0
        app = tk.apps[0]
        self._start(cd, tk, app, t)
        adds = extras
        while True:
            last = position == len(tk.apps) - 1 and not adds
            plan = self._plan(app.svc, last)
            t = self._run(cd, tk, app, t, plan, adds)
            adds = []
            position += 1
            if position >= len(tk.apps):
                break
            app = tk.apps[position]
            self._start(cd, tk, app, t)
        tk.status = "done"
        return t

    def _segment(self, cd: _CounterDay, tk: _Ticket, app: _App, t: int, steps: list[int],
                 first_index: int, tail: int, pause, correction: int | None,
                 adds: list[_Svc], people: bool) -> int:
        """Steps, pause, correction, added services and the people record of one stretch of
        service from ``t``; returns when its closing event falls."""
        rng = self.rng
        marks: list[tuple[int, int, object]] = []
        cumulative = 0
        for j, seconds in enumerate(steps):
            cumulative += seconds
            marks.append((cumulative, 1, j))
        total = cumulative + tail
        if pause is not None:
            marks.append((int(total * pause[0]), 0, pause))
        if correction is not None:
            boundary = sum(steps[:correction + 1])
            early = boundary - int(steps[correction] * rng.uniform(0.3, 0.6))
            marks.append((early, 2, None))
            marks.append((early + max(3, min(30, steps[correction] // 10)), 3, None))
        for svc in adds:
            marks.append((int(total * rng.uniform(0.1, 0.9)), 4, svc))
        if people:
            marks.append((min(90, total // 3), 5, None))
        if len(marks) > 1:
            marks.sort(key=lambda mark: (mark[0], mark[1]))
        paused = 0
        done = first_index
        early_event = None
        cid, staff = cd.id, cd.officer
        for offset, kind, payload in marks:
            at = t + offset + paused
            if kind == 1:
                self._ev(at, "step_completed", tk, app, cid, staff, None,
                         self._data("step", done))
                done += 1
            elif kind == 0:
                _, length, reason = payload
                self._ev(at, "paused", tk, app, cid, staff, reason)
                app.status = "paused"
                self._ev(at + length, "resumed", tk, app, cid, staff)
                app.status = "serving"
                paused += length
            elif kind == 2:
                early_event = self._ev(at, "step_completed", tk, app, cid, staff, None,
                                       self._data("step", done))
            elif kind == 3:
                self._ev(at, "corrected", tk, app, cid, staff, rng.choice(CORRECTION_REASONS),
                         '{"what": "step"}', corrects=early_event)
            elif kind == 4:
                new = self._new_app(tk, payload, at, cid)
                new.position = len(tk.apps) + 1
                self._ev(at, "service_added", tk, new, cid, staff, None, payload.added_data)
                tk.apps.append(new)
                self.day_apps.append(new)
            else:
                self._people(tk, app, cd, at)
        return t + total + paused

    def _run(self, cd: _CounterDay, tk: _Ticket, app: _App, t: int, plan: _Plan,
             adds: list[_Svc]) -> int:
        """One application from its start to documents_missing or finished."""
        svc = app.svc
        will_case = plan.outcome == "accepted" and bool(svc.days)
        people = self.day >= self.retention_from and (
            plan.deficiency_after is not None or will_case or self.rng.random() < 0.10)
        if plan.deficiency_after is not None:
            k = plan.deficiency_after
            form = self.rng.randint(120, 300)  # the officer fills in the deficiency record
            t = self._segment(cd, tk, app, t, plan.steps[:k], 0, plan.tail + form, plan.pause,
                              plan.correction, adds, people)
            self._deficiency(cd, tk, app, t, plan, k)
            return t
        t = self._segment(cd, tk, app, t, plan.steps, 0, plan.tail, plan.pause,
                          plan.correction, adds, people)
        self._finish(cd, tk, app, t, plan.outcome, plan.reason)
        return t

    def _finish(self, cd: _CounterDay, tk: _Ticket, app: _App, t: int, outcome: str,
                reason: str | None) -> None:
        self._ev(t, "finished", tk, app, cd.id, cd.officer, reason, self._data("outcome",
                                                                               outcome))
        app.status, app.outcome, app.finished = "finished", outcome, t
        svc = app.svc
        if outcome == "accepted" and svc.days:
            self._case(cd, tk, app, t)

    def _people(self, tk: _Ticket, app: _App, cd: _CounterDay, at: int) -> None:
        rng = self.rng
        proxy = rng.random() < 0.10
        self._ev(at, "people_recorded", tk, app, cd.id, cd.officer, None,
                 self._data("proxy", proxy))
        svc = app.svc
        created = self.fmt(at)
        phone = f"08{rng.randrange(10**8):08d}" if rng.random() < 0.6 else None
        applicant = (self.ids.take(m.PersonalData), app, "applicant",
                     _thai_name(rng, set()), self._national_id(svc) if svc.needs_id else None,
                     f"{rng.randint(1, 250)} หมู่ {rng.randint(1, 12)} ตำบลตัวอย่าง อำเภอเมือง "
                     "จังหวัดตัวอย่าง" if svc.needs_address else None, phone, created)
        self.b_people.append(applicant)
        if proxy:
            self.b_people.append((self.ids.take(m.PersonalData), app, "filer",
                                  _thai_name(rng, set()),
                                  self._national_id(svc) if svc.needs_id else None, None,
                                  f"09{rng.randrange(10**8):08d}", created))

    def _national_id(self, svc: _Svc) -> str:
        rng = self.rng
        first = "3" if svc.code == "ELDERLY_ALLOWANCE_REG" else rng.choice("1123458")
        digits = first + "".join(rng.choice("0123456789") for _ in range(11))
        return digits + str(check_digit(digits))

    # --- deficiency records, reopening, returning ---------------------------------------------

    def _deficiency(self, cd: _CounterDay, tk: _Ticket, app: _App, t: int, plan: _Plan,
                    k: int) -> None:
        rng = self.rng
        svc = app.svc
        deadline = self.day + timedelta(days=rng.randint(7, 15))
        missing = rng.sample(svc.docs, min(len(svc.docs), 1 if rng.random() < 0.7 else 2))
        self._ev(t, "documents_missing", tk, app, cd.id, cd.officer, None,
                 _dumps(deadline=deadline.isoformat(), missing=len(missing)))
        app.status = "deficient"
        record = _Deficiency()
        record.id = self.ids.take(m.DeficiencyRecord)
        record.app, record.created, record.staff, record.deadline = app, t, cd.officer, deadline
        record.missing = json.dumps(missing, ensure_ascii=False)
        record.checklist = json.dumps([[d, d not in missing] for d in svc.docs],
                                      ensure_ascii=False)
        thumb = rng.random() < 0.05
        record.mark = "thumbprint" if thumb else "signature"
        record.witness = _thai_name(rng, set()) if thumb else None
        record.resolved = record.returned = record.reason = None
        record.flushed = record.dirty = False
        self.b_defs.append(record)
        app.deficiency = record
        app.rest = (plan.steps[k:], k, plan.rest_tail, plan.outcome, plan.reason)
        # What happens next: back with the documents by the deadline, or returned after it.
        if rng.random() < P_REOPEN:
            choices = []
            day = self.day + timedelta(days=1)
            while day <= deadline:
                if is_working_day(day, self.holidays):
                    choices.append(day)
                day += timedelta(days=1)
            if choices:
                back = choices[int(len(choices) * rng.random() ** 1.5)]
                if back <= self.today:
                    self.scheduled.setdefault(back, []).append(("reopen", app))
                return
        day = deadline + timedelta(days=1)
        for _ in range(rng.randint(0, 4) + 1):
            while not is_working_day(day, self.holidays):
                day += timedelta(days=1)
            found = day
            day += timedelta(days=1)
        if found <= self.today:
            self.scheduled.setdefault(found, []).append(("return", app))

    def _reopen(self, cd: _CounterDay, tk: _Ticket, t: int) -> int:
        """services.visit.reopen_application on the visitor's new ticket, then the rest."""
        old = tk.reopen
        assert old is not None and old.rest is not None
        self._ev(t, "finished", tk, None, cd.id, cd.officer, REOPEN_REASON.format(old.number),
                 self._data("outcome", "cancelled"))
        old_ticket = old.ticket
        self._ev(t, "reopened", old_ticket, old, cd.id, cd.officer)
        tk.status = "done"
        for app in tk.apps:
            app.status, app.outcome, app.finished = "finished", "cancelled", t
        old_ticket.status, old_ticket.counter = "serving", cd.id
        old.status, old.counter, old.officer = "serving", cd.id, cd.officer
        old.deficiency.resolved = t
        self._touch(old_ticket)
        self._touch(old)
        self._touch(old.deficiency)
        steps, first_index, tail, outcome, reason = old.rest
        pause = None
        if self.rng.random() < P_PAUSE / 2:
            pause = (self.rng.uniform(0.2, 0.8), self.rng.randint(60, 600), PAUSE_REASONS[0])
        t = self._segment(cd, old_ticket, old, t, steps, first_index, tail, pause, None, [],
                          False)
        self._finish(cd, old_ticket, old, t, outcome, reason)
        old_ticket.status = "done"
        return t

    def _return(self, app: _App, ts: int) -> None:
        """services.visit.return_application after the deadline (away from the counter)."""
        record = app.deficiency
        try:
            self._ev(ts, "finished", app.ticket, app, None, record.staff, RETURN_REASON,
                     self._data("outcome", "returned"))
        except _Cut:
            return
        app.status, app.outcome, app.finished = "finished", "returned", ts
        record.returned, record.reason = ts, RETURN_REASON
        self._touch(app)
        self._touch(record)

    # --- cases (multi-day services) ---------------------------------------------------------

    def _case(self, cd: _CounterDay, tk: _Ticket, app: _App, t: int) -> None:
        rng = self.rng
        svc = app.svc
        day = self.day
        due = due_date(day, svc.days, svc.day_kind, self.holidays)
        self._ev(t, "case_opened", tk, app, cd.id, cd.officer, None,
                 _dumps(due=due.isoformat(), day_kind=svc.day_kind))
        period = max(1, (due - day).days)
        r = rng.random()
        if r < 0.78:
            offset = max(1, math.ceil(period * rng.uniform(0.3, 0.95)))
        elif r < 0.92:
            offset = period + rng.randint(1, max(1, int(period * 0.6)))
        else:
            offset = period + int(period * rng.uniform(0.6, 2.5))
        decided_day = self._working_on_or_after(day + timedelta(days=offset))
        decided = _midnight(decided_day) + rng.randint(9 * 3600, 16 * 3600)
        status, decided_at, decision, notified_at = "open", None, None, None
        if decided <= self.now_ts:
            status, decided_at = "decided", decided
            options = DECISIONS.get(svc.code, DECISION_OTHER)
            decision = options[0] if rng.random() < 0.9 else options[1]
            if rng.random() < 0.9:
                lag = rng.randint(1, 5)
            else:
                lag = rng.randint(8, 14)  # notified late (Act s.10 asks for 7 days)
            notify_day = self._working_on_or_after(decided_day + timedelta(days=lag))
            notified = _midnight(notify_day) + rng.randint(9 * 3600, 16 * 3600)
            if notified <= self.now_ts:
                notified_at = notified
        case_id = self.ids.take(m.Case)
        self.b_cases.append([case_id, app, self.fmt(t), day.isoformat(), due.isoformat(),
                             svc.day_kind, status, self.fmt(decided_at), decision,
                             self.fmt(notified_at), self.office])
        # Late: a delay notice every 7 days from the due date (not every office sends them;
        # services under the Act only, see _notice).
        if decided_day > due and rng.random() < P_DELAY_NOTICES:
            staff = self.supervisors.get(svc.unit_id, cd.officer)
            number = 1
            notice_day = due + timedelta(days=1)
            while True:
                when = self._working_on_or_after(notice_day)
                if when >= decided_day or when > self.today:
                    break
                self.scheduled.setdefault(when, []).append(("notice", (case_id, tk, app),
                                                            number, staff))
                number += 1
                notice_day += timedelta(days=7)

    def _working_on_or_after(self, day: date) -> date:
        while not is_working_day(day, self.holidays):
            day += timedelta(days=1)
        return day

    def _notice(self, case, number: int, staff: int, ts: int) -> None:
        case_id, tk, app = case
        reason = self.rng.choice(DELAY_REASONS)
        if not app.svc.under_act:  # no s.10 notice outside the Act (the draw above is kept,
            return                 # so that a seed's other rows stay as they were)
        try:
            self._ev(ts, "delay_notice_sent", tk, app, None, staff, reason,
                     _dumps(number=number, copied_to_opdc=True))
        except _Cut:
            return
        self.b_notices.append((self.ids.take(m.DelayNotice), case_id, number, self.fmt(ts),
                               staff, reason, True))

    # --- end of a day: numbers and keys in time order ----------------------------------------

    def _close_day(self) -> None:
        ids = self.ids
        self.day_tickets.sort(key=lambda x: (x.issued, x.idx))
        seqs = self.ticket_seq
        next_id = ids.next[m.Ticket]
        for tk in self.day_tickets:
            seq = seqs.get(tk.letter, 0) + 1
            seqs[tk.letter] = seq
            tk.seq, tk.number = seq, rules.format_ticket_number(tk.letter, seq)
            tk.id = next_id
            next_id += 1
        ids.next[m.Ticket] = next_id
        self.day_apps.sort(key=lambda x: (x.created, x.idx))
        year = fiscal_year_of(self.day)
        number = self.numbers.get(year, 0)
        next_id = ids.next[m.Application]
        for app in self.day_apps:
            number += 1
            app.number = f"{number}/{year}"
            app.id = next_id
            next_id += 1
        ids.next[m.Application] = next_id
        self.numbers[year] = number
        # By time, then seq: the list is in seq order and the sort is stable.
        self.day_events.sort(key=itemgetter(0))
        next_id = ids.next[m.Event]
        for event in self.day_events:
            event[10] = next_id
            next_id += 1
        ids.next[m.Event] = next_id
        self.b_tickets.extend(self.day_tickets)
        self.b_apps.extend(self.day_apps)
        self.b_events.extend(self.day_events)

