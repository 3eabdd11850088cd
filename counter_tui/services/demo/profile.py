"""The sample office of the demo: its services and how much each is asked for, its staff and
counters, its hours, holidays and settings.

``setup_office`` writes an office's staff, counters and settings through the models and the
settings service (as an admin would set them) and returns what the simulation needs; the
visits themselves are simulated in ``simulation``.
"""

from __future__ import annotations

import json
import math
import random
from datetime import date, datetime, timedelta
from typing import TypedDict

from counter_tui.core.clock import to_db
from counter_tui.core.fiscal import fiscal_year_of
from counter_tui.core.workdays import is_working_day
from counter_tui.db import models as m
from counter_tui.db.rows import tuples
from counter_tui.errors import UserError
from counter_tui.services.demo.rows import aware, dumps

DEMO_PIN = "1234"
DEFAULT_VISITS_PER_DAY = 60
DEMO_OFFICE_NAME = "องค์การบริหารส่วนตำบลตัวอย่าง"
ADMIN_NAME = "ผู้ดูแลระบบ"

OPENS = 8 * 3600 + 30 * 60
CLOSES = 16 * 3600 + 30 * 60
FIRST_ARRIVAL = 8 * 3600
LAST_ARRIVAL = 16 * 3600 + 20 * 60
LUNCH = (12 * 3600, 13 * 3600)
OFFICE_HOURS = "08:30-16:30"
RETENTION_DAYS = 365  # privacy.retention_days default: older applications keep no personal data

# Fixed-date Thai public holidays (a weekend one gives the next weekday as a substitute).
# The lunar Buddhist holidays move every year and are left out rather than guessed.
FIXED_HOLIDAYS = (
    (1, 1),
    (1, 2),
    (4, 6),
    (4, 13),
    (4, 14),
    (4, 15),
    (5, 4),
    (6, 3),
    (7, 28),
    (8, 12),
    (10, 13),
    (10, 23),
    (12, 5),
    (12, 10),
    (12, 31),
)

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
    "land_tax": {
        1: 1.8,
        2: 2.2,
        3: 2.6,
        4: 2.8,
        5: 0.6,
        6: 0.4,
        7: 0.4,
        8: 0.4,
        9: 0.4,
        10: 0.5,
        11: 0.6,
        12: 0.8,
    },
    "sign_tax": {1: 2.0, 2: 2.5, 3: 3.0, 4: 0.8},
    "elderly": {10: 1.3, 11: 1.4, 12: 0.8},
    "water": {2: 1.6, 3: 2.2, 4: 2.4, 5: 1.6},
}
SEASON_OTHER = {"land_tax": 1.0, "sign_tax": 0.5, "elderly": 1.0, "water": 0.6, "": 1.0}
UNIT_ORDER = ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองสาธารณสุขและสิ่งแวดล้อม")

MALE_NAMES = (
    "สมชาย",
    "ประเสริฐ",
    "สุนทร",
    "อนุชา",
    "ธนากร",
    "วีระพงษ์",
    "ชัยวัฒน์",
    "ปิยะพงษ์",
    "สุริยา",
    "เกียรติศักดิ์",
    "ณัฐพล",
    "บุญมี",
    "ประยูร",
    "อำนาจ",
    "ธีรวัฒน์",
)
FEMALE_NAMES = (
    "สมศรี",
    "วิไลวรรณ",
    "กัญญา",
    "พรทิพย์",
    "จันทร์เพ็ญ",
    "สุภาพร",
    "นงลักษณ์",
    "รัตนา",
    "อรุณี",
    "มาลัย",
    "ศิริพร",
    "ทองใบ",
    "สายสุนีย์",
    "วาสนา",
    "กมลชนก",
)
LAST_NAMES = (
    "ใจดี",
    "ศรีสุข",
    "มั่นคง",
    "ทองดี",
    "บุญเรือง",
    "แก้วมณี",
    "สุขเจริญ",
    "พูลผล",
    "รักษาศักดิ์",
    "วงศ์ใหญ่",
    "ชัยมงคล",
    "ศรีวงศ์",
    "อินทร์แก้ว",
    "คำภา",
    "พรหมมา",
    "สีหาราช",
    "บุญประเสริฐ",
    "ทองคำ",
    "จันทร์หอม",
    "สมบูรณ์",
    "นาคสวัสดิ์",
    "ปัญญาดี",
    "ศักดิ์ศรี",
    "เพชรรัตน์",
    "ยอดยิ่ง",
    "แสงทอง",
    "หอมจันทร์",
    "พันธ์ุดี",
)


class Svc:
    """A current service of the office's catalog, with its share of the visits and its timing."""

    __slots__ = (
        "id",
        "code",
        "version",
        "letter",
        "unit_id",
        "under_act",
        "standard",
        "days",
        "day_kind",
        "steps",
        "docs",
        "needs_id",
        "needs_address",
        "weight",
        "median",
        "sigma",
        "season",
        "issued_data",
        "added_data",
    )
    id: int
    code: str
    version: int
    letter: str
    unit_id: int
    under_act: bool
    standard: int | None  # seconds at the counter
    days: int | None  # a multi-day service
    day_kind: str
    steps: list[int | None]  # the standard seconds of the steps done at the counter
    docs: list[str]
    needs_id: bool
    needs_address: bool
    weight: float  # share of the visits
    median: float  # seconds at the counter
    sigma: float
    season: str
    issued_data: dict[tuple[str, str | None], str]  # the issued event's JSON by (channel, priority)
    added_data: str  # the service_added event's JSON


class CounterDef:
    """A counter, its unit's services, its officer and the months it is open."""

    __slots__ = ("id", "name", "unit_id", "codes", "officer", "order", "lunch_offset", "months")
    id: int
    name: str
    unit_id: int
    codes: tuple[str, ...]
    officer: int
    order: int
    lunch_offset: int  # seconds after the office's lunch hour starts
    months: frozenset[int]


class OfficeSetup(TypedDict):
    """What ``setup_office`` gives the simulation."""

    services: list[Svc]
    counters: list[CounterDef]
    supervisors: dict[int, int]  # unit id -> staff id
    spares: list[int]  # staff ids
    staff: int  # staff rows added
    max_overtake: int


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


def demo_pin_hash(seed: int) -> str:
    """``hash_pin(DEMO_PIN)`` with a salt drawn from the seed (a random one would make two runs
    with one seed differ)."""
    from counter_tui.services import staff as st

    return st.hash_pin(DEMO_PIN, salt=random.Random(f"pin/{seed}").randbytes(st.SALT_BYTES))


def find_or_add_offices(count: int, created: datetime) -> list[tuple[int, str]]:
    """The database's first ``count`` offices, adding "demo2", "demo3", ... as needed."""
    from counter_tui.services.office import add_demo_office

    found = [(o.id, o.code) for o in m.Office.select().order_by(m.Office.id).limit(count)]
    taken = {code for (code,) in tuples(m.Office.select(m.Office.code), tuple[str])}
    number = len(found) + 1
    while len(found) < count:
        code = f"demo{number}"
        if code not in taken:
            info = add_demo_office(code, f"{DEMO_OFFICE_NAME} {number}", created)
            found.append((info.id, info.code))
        number += 1
    return found


def _unit_key(name: str) -> tuple[int, str]:
    return (UNIT_ORDER.index(name) if name in UNIT_ORDER else len(UNIT_ORDER), name)


def season_factor(name: str, month: int) -> float:
    return SEASONS.get(name, {}).get(month, SEASON_OTHER.get(name, 1.0))


def _load_services(office_id: int) -> list[Svc]:
    services: list[Svc] = []
    query = (
        m.Service.select()
        .where((m.Service.office == office_id) & (m.Service.is_current == True))  # noqa: E712
        .order_by(m.Service.code)
    )
    for row in query:
        svc = Svc()
        svc.id, svc.code, svc.version, svc.letter = row.id, row.code, row.version, row.group_letter
        svc.unit_id, svc.under_act = row.unit_id, bool(row.under_act)
        svc.standard, svc.days = row.standard_seconds, row.standard_days
        svc.day_kind = row.day_kind or "unknown"
        steps = list(
            m.ServiceStep.select()
            .where(m.ServiceStep.service == row.id)
            .order_by(m.ServiceStep.position)
        )
        if svc.days:  # a multi-day manual: only a first step without days is done at the counter
            steps = steps[:1] if steps and not steps[0].standard_days else []
        svc.steps = [s.standard_seconds for s in steps if not s.standard_days]
        svc.docs = [
            d.name_th
            for d in m.ServiceDocument.select()
            .where((m.ServiceDocument.service == row.id) & (m.ServiceDocument.when != "proxy"))
            .order_by(m.ServiceDocument.position)
        ]
        personal = json.loads(row.manual_json).get("personal_data") or {}
        svc.needs_id = personal.get("national_id", "none") != "none"
        svc.needs_address = personal.get("address", "none") != "none"
        weight, median, sigma, season = PROFILES.get(row.code, OTHER_PROFILE)
        if row.code not in PROFILES and row.standard_seconds:
            median = min(0.7 * row.standard_seconds / 60, 30.0)
        svc.weight, svc.median, svc.sigma, svc.season = weight, median * 60, sigma, season
        svc.issued_data = {}
        svc.added_data = dumps(service=row.code, version=row.version)
        services.append(svc)
    return services


def thai_name(rng: random.Random, taken: set[str]) -> str:
    """A fake Thai name with its title (นาย for men; นาง or นางสาว for women)."""
    while True:
        if rng.random() < 0.5:
            name = f"นาย{rng.choice(MALE_NAMES)} {rng.choice(LAST_NAMES)}"
        else:
            name = (
                f"{rng.choice(('นาง', 'นางสาว'))}{rng.choice(FEMALE_NAMES)} "
                f"{rng.choice(LAST_NAMES)}"
            )
        if name not in taken:
            taken.add(name)
            return name


def setup_office(
    office_id: int,
    index: int,
    rng: random.Random,
    pin_hash: str,
    vpd: int,
    day_list: list[date],
    holidays: frozenset[date],
    today: date,
    now: datetime,
    setup_ts: int,
) -> OfficeSetup:
    """An office's staff, counters and settings; returns its services, counters, supervisors,
    spare officers, staff count and overtake limit for the simulation."""
    from counter_tui.services import settings
    from counter_tui.services.office import DEFAULT_OFFICE_NAME
    from counter_tui.services.settings import get_setting

    created = to_db(aware(setup_ts))
    services = _load_services(office_id)
    if not services:
        raise UserError(
            "สำนักงานนี้ยังไม่มีบริการในแค็ตตาล็อก: นำเข้าคู่มือก่อน "
            "(the office has no services: run 'counter-tui catalog import' first)"
        )
    units = dict(
        tuples(
            m.Unit.select(m.Unit.id, m.Unit.name).where(m.Unit.office == office_id), tuple[int, str]
        )
    )
    by_unit: dict[int, list[Svc]] = {}
    for svc in services:
        by_unit.setdefault(svc.unit_id, []).append(svc)
    unit_ids = sorted(by_unit, key=lambda u: _unit_key(units[u]))
    # Counters per unit and month: the month's counter minutes at 80 % of 7 hours, so that
    # queues form at the daily peaks (waits grow with the queue) but clear by closing time.
    # Counters beyond a month's need stay closed that month (a tax counter opened for the
    # tax season).
    volume = {
        month: sum(s.weight * season_factor(s.season, month) for s in services)
        for month in range(1, 13)
    }
    mean_volume = sum(volume.values()) / 12
    needs: dict[int, dict[int, int]] = {}
    for unit_id in unit_ids:
        needs[unit_id] = {}
        for month in range(1, 13):
            load = sum(
                vpd
                * volume[month]
                / mean_volume
                * s.weight
                * season_factor(s.season, month)
                / volume[month]
                * (s.median * math.exp(s.sigma**2 / 2) / 60 + 1.5)
                * 1.1
                for s in by_unit[unit_id]
            )
            needs[unit_id][month] = max(1, math.ceil(load / (420 * 0.80)))
    counts = {unit_id: max(needs[unit_id].values()) for unit_id in unit_ids}
    # Staff: the admin, a supervisor per unit, an officer per counter and spares.
    taken = {
        name
        for (name,) in tuples(
            m.Staff.select(m.Staff.name).where(m.Staff.office == office_id), tuple[str]
        )
    }
    staff_rows = 0

    def add_staff(name: str, role: str, unit_list: list[int]) -> int:
        nonlocal staff_rows
        row = m.Staff.create(
            office=office_id, name=name, role=role, pin_hash=pin_hash, created_at=created
        )
        for unit_id in unit_list:
            m.StaffUnit.create(staff=row.id, unit=unit_id)
        staff_rows += 1
        return row.id

    admin = ADMIN_NAME if ADMIN_NAME not in taken else f"{ADMIN_NAME} (สาธิต)"
    taken.add(admin)
    admin_id = add_staff(admin, "admin", [])
    supervisors = {u: add_staff(thai_name(rng, taken), "supervisor", [u]) for u in unit_ids}
    counter_names = {
        name
        for (name,) in tuples(
            m.Counter.select(m.Counter.name).where(m.Counter.office == office_id), tuple[str]
        )
    }
    counters: list[CounterDef] = []
    number = 0
    for unit_id in unit_ids:
        for k in range(counts[unit_id]):
            number += 1
            while f"ช่อง {number}" in counter_names:
                number += 1
            officer = add_staff(thai_name(rng, taken), "officer", [unit_id])
            row = m.Counter.create(
                office=office_id,
                name=f"ช่อง {number}",
                unit=unit_id,
                state="closed",
                created_at=created,
            )
            for svc in by_unit[unit_id]:
                m.CounterService.create(counter=row.id, service_code=svc.code)
            cdef = CounterDef()
            cdef.id, cdef.name, cdef.unit_id = row.id, row.name, unit_id
            cdef.codes = tuple(s.code for s in by_unit[unit_id])
            cdef.officer, cdef.order = officer, len(counters)
            cdef.lunch_offset = (k % 2) * 1800  # two counters of a unit take turns at lunch
            cdef.months = frozenset(mo for mo, need in needs[unit_id].items() if k < need)
            counters.append(cdef)
    spares = [
        add_staff(thai_name(rng, taken), "officer", unit_ids)
        for _ in range(max(1, round(len(counters) / 4)))
    ]
    # Settings (validated by the settings service, set by the demo's admin).

    def set_setting(
        office_id: int,
        key: str,
        value: str,
        now: datetime,
        today: date,
        fiscal_year: int | None = None,
    ) -> str:
        return settings.set_setting(
            office_id, key, value, now, today, fiscal_year, actor_id=admin_id
        )

    last = day_list[-1]
    if m.Office.get_by_id(office_id).name == DEFAULT_OFFICE_NAME:
        name = DEMO_OFFICE_NAME if index == 0 else f"{DEMO_OFFICE_NAME} {index + 1}"
        set_setting(office_id, "office.name", name, now, today)
    set_setting(
        office_id, "office.address", f"หมู่ {index + 1} ตำบลตัวอย่าง อำเภอเมือง จังหวัดตัวอย่าง", now, today
    )
    set_setting(office_id, "office.phone", f"0 4400 {1000 + index:04d}", now, today)
    set_setting(office_id, "office.hours", OFFICE_HOURS, now, today)
    horizon = today + timedelta(days=400)
    set_setting(
        office_id,
        "office.holidays",
        ",".join(d.isoformat() for d in sorted(holidays) if day_list[0] <= d <= horizon),
        now,
        today,
    )
    set_setting(office_id, "queue.policy", "priority", now, today)
    for year in range(fiscal_year_of(day_list[0]), fiscal_year_of(last) + 1):
        token = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6))
        gregorian = year - 543
        set_setting(
            office_id, "survey.eit_url", f"https://itas.nacc.go.th/go/eit/{token}", now, today, year
        )
        set_setting(
            office_id, "survey.iit_url", f"https://itas.nacc.go.th/go/iit/{token}", now, today, year
        )
        set_setting(office_id, "survey.window_start", f"{gregorian}-01-01", now, today, year)
        set_setting(office_id, "survey.window_end", f"{gregorian}-06-30", now, today, year)
        # 10 % of the visitors expected in the window, at least 30, at most 400.
        target = max(30, min(400, round(vpd * 120 * 0.10)))
        set_setting(office_id, "survey.target", str(target), now, today, year)
    return {
        "services": services,
        "counters": counters,
        "supervisors": supervisors,
        "spares": spares,
        "staff": staff_rows,
        "max_overtake": int(get_setting(office_id, "queue.max_overtake", today) or 3),
    }
