"""An office with staff and counters written straight to the tables, the small day of two visits
the report tests read, and reading back what the use-cases wrote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from support.actors import admin_id
from support.clock import FIXED_NOW, TODAY


def bkk(hh: int, mm: int = 0, day: date = TODAY) -> datetime:
    """An aware instant at HH:MM Bangkok time on ``day``."""
    from counter_tui.core.thai_dates import BANGKOK

    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=BANGKOK)


def seconds_after(seconds: float) -> datetime:
    """FIXED_NOW plus ``seconds``."""
    return FIXED_NOW + timedelta(seconds=seconds)


def minutes_after(minutes: float) -> datetime:
    """FIXED_NOW plus ``minutes``."""
    return FIXED_NOW + timedelta(minutes=minutes)


@dataclass
class Office:
    id: int
    alice: int  # officer at counter 1
    bob: int  # officer at counter 2
    chai: int  # officer at counter 3
    c1: int  # กองคลัง: SIGNBOARD_TAX + LAND_BUILDING_TAX
    c2: int  # กองคลัง: LAND_BUILDING_TAX only
    c3: int  # สำนักปลัด: ELDERLY_ALLOWANCE_REG


def make_staff(office_id: int, name: str) -> int:
    """An officer (no usable PIN) of the office; returns the id."""
    from counter_tui.core.clock import to_db
    from counter_tui.db import models as m

    return m.Staff.create(
        office=office_id, name=name, role="officer", pin_hash="x", created_at=to_db(FIXED_NOW)
    ).id


def make_counter(office_id: int, name: str, unit: str, codes: list[str]) -> int:
    """A closed counter of ``unit`` serving ``codes``; returns the id."""
    from counter_tui.core.clock import to_db
    from counter_tui.db import models as m

    counter = m.Counter.create(
        office=office_id,
        name=name,
        unit=m.Unit.get((m.Unit.name == unit) & (m.Unit.office == office_id)),
        created_at=to_db(FIXED_NOW),
    )
    for code in codes:
        m.CounterService.create(counter=counter, service_code=code)
    return counter.id


def set_policy(office_id: int, policy: str, max_overtake: int | None = None) -> None:
    from counter_tui.services.settings import set_setting

    set_setting(office_id, "queue.policy", policy, FIXED_NOW, TODAY, actor_id=admin_id(office_id))
    if max_overtake is not None:
        set_setting(
            office_id,
            "queue.max_overtake",
            str(max_overtake),
            FIXED_NOW,
            TODAY,
            actor_id=admin_id(office_id),
        )


def build_office(office_id: int) -> Office:
    """Three officers and three counters, all closed (see ``Office``)."""
    return Office(
        id=office_id,
        alice=make_staff(office_id, "สมศรี ใจดี"),
        bob=make_staff(office_id, "Bob"),
        chai=make_staff(office_id, "ชัย"),
        c1=make_counter(office_id, "ช่อง 1", "กองคลัง", ["SIGNBOARD_TAX", "LAND_BUILDING_TAX"]),
        c2=make_counter(office_id, "ช่อง 2", "กองคลัง", ["LAND_BUILDING_TAX"]),
        c3=make_counter(office_id, "ช่อง 3", "สำนักปลัด", ["ELDERLY_ALLOWANCE_REG"]),
    )


def events(kind: str | None = None, ticket: int | None = None) -> list:
    """The event log (of ``kind``, of ``ticket``), in the order it was written."""
    from counter_tui.db import models as m

    query = m.Event.select().order_by(m.Event.id)
    if kind:
        query = query.where(m.Event.kind == kind)
    if ticket:
        query = query.where(m.Event.ticket == ticket)
    return list(query)


def ticket_row(ticket_id: int):
    from counter_tui.db import models as m

    return m.Ticket.get_by_id(ticket_id)


def serve_two_visits(office):
    """E001 walk-in: called at +2, started at +3, step at +5, paused +6..+9, signboard tax
    finished at +12; then land tax added and finished at +15. A001: elderly allowance with a
    deficiency record (reopened two days later, accepted). Returns ``office``."""
    from counter_tui.services import counters as ct
    from counter_tui.services import queue as q
    from counter_tui.services import staff as st
    from counter_tui.services import visit as v

    at = minutes_after
    officer = st.add_staff(
        office.id, "สมศรี", "officer", "1234", FIXED_NOW, actor_id=admin_id(office.id)
    )
    c1 = ct.add_counter(
        office.id,
        "ช่อง 1",
        "กองคลัง",
        ["SIGNBOARD_TAX", "LAND_BUILDING_TAX"],
        FIXED_NOW,
        actor_id=admin_id(office.id),
    )
    c2 = ct.add_counter(
        office.id,
        "ช่อง 2",
        "สำนักปลัด",
        ["ELDERLY_ALLOWANCE_REG"],
        FIXED_NOW,
        actor_id=admin_id(office.id),
    )
    ct.open_counter(office.id, c1.id, officer.id, FIXED_NOW)
    q.issue_ticket(office.id, "SIGNBOARD_TAX", at(0), priority="elderly")
    q.call_next(office.id, c1.id, officer.id, at(2))
    q.start_serving(office.id, c1.id, officer.id, at(3))
    v.complete_step(office.id, c1.id, officer.id, at(5))
    v.toggle_pause(office.id, c1.id, officer.id, at(6), "ไปถ่ายเอกสาร")
    v.toggle_pause(office.id, c1.id, officer.id, at(9))
    v.add_service(office.id, c1.id, officer.id, "LAND_BUILDING_TAX", at(10))
    v.finish_application(office.id, c1.id, officer.id, "completed", at(12))
    v.finish_application(office.id, c1.id, officer.id, "completed", at(15))
    ct.close_counter(office.id, c1.id, officer.id, at(16))
    ct.open_counter(office.id, c2.id, officer.id, at(16))
    q.issue_ticket(office.id, "ELDERLY_ALLOWANCE_REG", at(20))
    q.call_next(office.id, c2.id, officer.id, at(21))
    q.start_serving(office.id, c2.id, officer.id, at(22))
    v.save_people(
        office.id,
        c2.id,
        officer.id,
        {"name": "นางสมใจ ลับเฉพาะ", "national_id": "3012304567082", "address": "1 หมู่ 2"},
        None,
        at(23),
    )
    info = v.record_deficiency(
        office.id, c2.id, officer.id, ["สำเนาทะเบียนบ้าน"], TODAY + timedelta(days=7), at(30)
    )
    v.reopen_application(office.id, c2.id, officer.id, info.application_number, at(2 * 24 * 60))
    v.finish_application(office.id, c2.id, officer.id, "accepted", at(2 * 24 * 60 + 4))
    return office


def ticket_in_service(
    office_id: int,
    code: str,
    *,
    officer: str = "สมศรี",
    counter: str = "ช่อง 1",
    unit: str = "กองคลัง",
    printer: str | None = None,
):
    """A ticket in service: ``officer`` (an officer, PIN 1234) opens ``counter`` (of ``unit``,
    serving ``code`` only, sending slips to ``printer``), and a ticket of ``code`` is issued,
    called and started, all at FIXED_NOW. Returns the officer, the counter and the ticket as the
    services give them."""
    from counter_tui.services import counters as ct
    from counter_tui.services import queue as q
    from counter_tui.services import staff as st

    staff = st.add_staff(
        office_id, officer, "officer", "1234", FIXED_NOW, actor_id=admin_id(office_id)
    )
    place = ct.add_counter(
        office_id, counter, unit, [code], FIXED_NOW, printer=printer, actor_id=admin_id(office_id)
    )
    ct.open_counter(office_id, place.id, staff.id, FIXED_NOW)
    ticket = q.issue_ticket(office_id, code, FIXED_NOW)
    q.call_next(office_id, place.id, staff.id, FIXED_NOW)
    q.start_serving(office_id, place.id, staff.id, FIXED_NOW)
    return staff, place, ticket
