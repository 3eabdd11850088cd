"""Guided service on both backends: the manual of the application being served, timed steps and
pauses derived from the stored events, the applicant and filer (PDPA), deficiency records and
reopening (Act s.8), finishing and cases (working/calendar days), several services on one ticket,
transfers, corrections, and the visit summary. Asserted on the rows and the returned dataclasses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from conftest import FIXED_NOW
from support.actors import admin_id
from support.manuals import (
    PROXY_LETTER,
    REQUEST_FORM,
    WORKDAY_TOML,
    import_toml,
    with_documents,
    with_people,
)
from support.manuals import TIMED_TOML as BASE_TIMED_TOML
from support.office import make_counter, make_staff

from counter_tui.core import national_id
from counter_tui.core.clock import to_db
from counter_tui.db import models as m
from counter_tui.errors import UserError
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import visit as v
from counter_tui.services.settings import set_setting

TODAY = date(2026, 11, 24)  # FIXED_NOW is 10:00 in Bangkok on Tuesday 24 November 2026
VALID_ID = "3012304567082"  # 3-0123-04567-08-2: a valid check digit
FILER_ID = "110170020345" + str(national_id.check_digit("110170020345"))
BAD_ID = "3012304567083"  # the check digit is wrong
APPLICANT = {
    "name": "นางสมศรี ทดสอบ",
    "national_id": "3-0123-04567-08-2",
    "address": "99 หมู่ 1 ตำบลหนองบัว",
    "phone": "0812345678",
}


def at(minutes: float, days: int = 0) -> datetime:
    return FIXED_NOW + timedelta(days=days, minutes=minutes)


TIMED_TOML = with_documents(
    with_people(BASE_TIMED_TOML, name="required", national_id="optional"),
    REQUEST_FORM,
    PROXY_LETTER,
)


# --- an office with two counters ---------------------------------------------------------------

ALL_CODES = [
    "ELDERLY_ALLOWANCE_REG",
    "OFFICIAL_INFO_REQUEST",
    "COMMERCIAL_REG_NEW",
    "BUILDING_PERMIT_S21",
    "LAND_BUILDING_TAX",
    "TIMED_PERMIT",
    "WORKDAY_LICENCE",
]


@dataclass
class Office:
    id: int
    alice: int  # officer at c1
    bob: int  # officer at c2
    c1: int  # สำนักปลัด: every service of these tests
    c2: int  # กองคลัง: LAND_BUILDING_TAX only


@pytest.fixture
def office(db) -> Office:
    import_toml(db.id, TIMED_TOML)
    import_toml(db.id, WORKDAY_TOML)
    o = Office(
        db.id,
        make_staff(db.id, "สมชาย ใจดี"),
        make_staff(db.id, "สมหญิง รักงาน"),
        make_counter(db.id, "ช่อง 1", "สำนักปลัด", ALL_CODES),
        make_counter(db.id, "ช่อง 2", "กองคลัง", ["LAND_BUILDING_TAX"]),
    )
    ct.open_counter(o.id, o.c1, o.alice, at(-60))
    ct.open_counter(o.id, o.c2, o.bob, at(-60))
    return o


def serve(
    o: Office,
    code: str,
    issued: float = -10,
    called: float = -1,
    started: float = 0,
    counter: int | None = None,
    staff: int | None = None,
) -> q.TicketInfo:
    """Issue a ticket at ``issued``, call it at ``called``, start at ``started`` (minutes)."""
    counter = counter or o.c1
    staff = staff or o.alice
    ticket = q.issue_ticket(o.id, code, at(issued))
    called_ticket = q.call_next(o.id, counter, staff, at(called))
    assert called_ticket is not None and called_ticket.id == ticket.id
    return q.start_serving(o.id, counter, staff, at(started))


def view(o: Office, minutes: float, counter: int | None = None, days: int = 0) -> v.ServiceView:
    result = v.service_view(o.id, counter or o.c1, at(minutes, days))
    assert result is not None
    return result


def active(
    o: Office, minutes: float, counter: int | None = None, days: int = 0
) -> v.ApplicationView:
    a = view(o, minutes, counter, days).active
    assert a is not None
    return a


def app_events(application_id: int) -> list[m.Event]:
    return list(m.Event.select().where(m.Event.application == application_id).order_by(m.Event.id))


def data(event: m.Event) -> dict:
    return json.loads(event.data) if event.data else {}


def application_of(ticket: q.TicketInfo, position: int = 1) -> m.Application:
    return m.Application.get(
        (m.Application.ticket == ticket.id) & (m.Application.position == position)
    )


# --- the manual on screen ----------------------------------------------------------------------


def test_service_view_shows_the_manual_steps_and_documents(office):
    assert v.service_view(office.id, office.c1, at(0)) is None  # nothing at the counter
    ticket = serve(office, "TIMED_PERMIT")
    sv = view(office, 1)
    assert sv.ticket_number == ticket.number == "T001" and sv.ticket_status == "serving"
    assert sv.issued_at == at(-10) and sv.called_at == at(-1) and sv.now == at(1)
    a = sv.active
    assert a is not None and sv.applications == (a,)
    assert a.service_code == "TIMED_PERMIT" and a.service_name == "ใบอนุญาตทดสอบจับเวลา"
    assert a.unit == "สำนักปลัด" and a.under_act and not a.sample and a.version == 1
    assert a.number == ticket.application_number
    assert [(s.name, s.unit, s.standard_text, s.standard_seconds) for s in a.steps] == [
        ("ตรวจเอกสาร", "งานธุรการ", "5 นาที", 300),
        ("บันทึกคำขอ", "สำนักปลัด", "3 นาที", 180),
        ("ลงนามรับคำขอ", None, None, None),
    ]
    assert a.standard_text == "10 นาที" and a.standard_seconds == 600
    docs = [(d.name, d.originals, d.copies, d.unit, d.condition, d.when) for d in a.documents]
    assert docs == [
        ("แบบคำขอ", 1, 2, "ฉบับ", None, "always"),
        ("หนังสือมอบอำนาจ", 1, None, None, "กรณีมอบอำนาจ", "proxy"),
    ]
    assert a.personal_data["name"] == "required" and a.fee_text == "ไม่มีค่าธรรมเนียม"
    assert a.timing.status == "serving" and a.timing.current_step == 0
    assert a.checklist == frozenset() and a.people == () and not a.proxy
    assert not a.deficiency_used and a.deficiency_deadline is None


def test_the_bundled_manual_with_counts_conditions_and_sample_mark(office):
    serve(office, "BUILDING_PERMIT_S21")
    a = active(office, 0)
    assert a.sample and a.standard_text == "14 วัน (ไม่ระบุ)" and a.standard_days == 14
    assert a.day_kind == "unknown" and a.standard_seconds is None
    assert [s.unit for s in a.steps] == ["กองช่าง", "กองช่าง", None]
    plans = next(d for d in a.documents if d.name == "แบบแปลนก่อสร้าง")
    assert (plans.originals, plans.copies, plans.unit) == (5, None, "ชุด")
    consent = next(d for d in a.documents if d.when == "if")
    assert consent.condition == "เจ้าของอาคารไม่ใช่เจ้าของที่ดิน"
    # Without a proxy, the three proxy documents are not asked for.
    assert all(d.when != "proxy" for d in v.required_documents(a))
    assert len(v.required_documents(a)) == len(a.documents) - 3


# --- timed steps and pauses --------------------------------------------------------------------


def test_steps_pauses_and_checklist_are_events_with_staff_and_counter(office):
    ticket = serve(office, "TIMED_PERMIT")
    application = application_of(ticket)
    a = v.complete_step(office.id, office.c1, office.alice, at(3))
    assert a.timing.current_step == 1 and a.timing.steps[0].completed
    a = v.toggle_pause(office.id, office.c1, office.alice, at(5), "ผู้รับบริการไปถ่ายเอกสาร")
    assert a.timing.status == "paused" and a.timing.pause_reason == "ผู้รับบริการไปถ่ายเอกสาร"
    assert m.Application.get_by_id(application.id).status == "paused"
    a = v.toggle_pause(office.id, office.c1, office.alice, at(9))
    assert a.timing.status == "serving" and a.timing.pause_reason is None
    assert m.Application.get_by_id(application.id).status == "serving"
    a = v.save_checklist(office.id, office.c1, office.alice, {0, 1}, at(10))
    assert a.checklist == frozenset({0, 1})
    a = v.complete_step(office.id, office.c1, office.alice, at(12))
    a = v.complete_step(office.id, office.c1, office.alice, at(13))
    assert a.timing.current_step is None and all(s.completed for s in a.timing.steps)
    events = app_events(application.id)
    assert [e.kind for e in events] == [
        "issued",
        "started",
        "step_completed",
        "paused",
        "resumed",
        "checklist",
        "step_completed",
        "step_completed",
    ]
    for e in events[1:]:
        assert e.staff_id == office.alice and e.counter_id == office.c1
        assert e.ticket_id == ticket.id
    assert [data(e).get("step") for e in events if e.kind == "step_completed"] == [0, 1, 2]
    assert events[3].reason == "ผู้รับบริการไปถ่ายเอกสาร" and events[4].reason is None
    assert data(events[5]) == {"ticked": [0, 1]}
    # Figures come from the stored events for fixed times: 13 min less 4 min paused.
    a = active(office, 13)
    assert a.timing.service_seconds == 9 * 60 and a.timing.paused_seconds == 4 * 60
    assert [s.seconds for s in a.timing.steps] == [180, (2 + 3) * 60, 60]
    assert [s.standard_seconds for s in a.timing.steps] == [300, 180, None]


def test_timers_are_derived_from_the_stored_events_and_now(office):
    serve(office, "TIMED_PERMIT")
    v.complete_step(office.id, office.c1, office.alice, at(2))
    # The same stored events read at two instants: the clock runs without anything written.
    first, later = active(office, 4), active(office, 7.5)
    assert first.timing.service_seconds == 240 and later.timing.service_seconds == 450
    assert first.timing.steps[1].seconds == 120 and later.timing.steps[1].seconds == 330
    assert later.timing.step_started_at == at(2) and later.timing.started_at == at(0)
    v.toggle_pause(office.id, office.c1, office.alice, at(8), "รอเอกสารจากหน่วยงานอื่น")
    # Paused: service time stands still, paused time runs.
    p1, p2 = active(office, 10), active(office, 20)
    assert p1.timing.service_seconds == p2.timing.service_seconds == 480
    assert (p1.timing.paused_seconds, p2.timing.paused_seconds) == (120, 720)


def test_step_and_pause_rules(office):
    with pytest.raises(UserError, match="ยังไม่มีบัตรคิว"):
        v.complete_step(office.id, office.c1, office.alice, at(0))
    ticket = q.issue_ticket(office.id, "TIMED_PERMIT", at(-5))
    q.call_next(office.id, office.c1, office.alice, at(-1))
    with pytest.raises(UserError, match="ยังไม่ได้เริ่มให้บริการ"):  # called, not started
        v.complete_step(office.id, office.c1, office.alice, at(0))
    q.start_serving(office.id, office.c1, office.alice, at(0))
    for reason in (None, "", "   "):
        with pytest.raises(UserError, match="เหตุผล"):
            v.toggle_pause(office.id, office.c1, office.alice, at(1), reason)
    v.toggle_pause(office.id, office.c1, office.alice, at(1), "ผู้รับบริการขอพักชั่วคราว")
    with pytest.raises(UserError, match="F9"):
        v.complete_step(office.id, office.c1, office.alice, at(2))
    v.toggle_pause(office.id, office.c1, office.alice, at(3))
    for minute in (4, 5, 6):
        v.complete_step(office.id, office.c1, office.alice, at(minute))
    with pytest.raises(UserError, match="F10"):
        v.complete_step(office.id, office.c1, office.alice, at(7))
    kinds = [e.kind for e in app_events(application_of(ticket).id)]
    assert kinds.count("step_completed") == 3 and kinds.count("paused") == 1


def test_steps_without_a_standard_and_a_total_only_manual(office):
    serve(office, "ELDERLY_ALLOWANCE_REG")  # three steps, none with a standard; total 60 min
    v.complete_step(office.id, office.c1, office.alice, at(4))
    a = active(office, 10)
    assert [s.standard_seconds for s in a.timing.steps] == [None, None, None]
    assert [s.seconds for s in a.timing.steps] == [240, 360, 0]
    assert a.standard_seconds == 3600 and a.timing.service_seconds == 600
    v.finish_application(office.id, office.c1, office.alice, "completed", at(10))
    # LAND_BUILDING_TAX: no steps, a total of 5 minutes.
    serve(office, "LAND_BUILDING_TAX", issued=5, called=11, started=12)
    a = active(office, 15)
    assert a.steps == () and a.timing.steps == () and a.timing.current_step is None
    assert a.timing.service_seconds == 180 and a.standard_seconds == 300
    with pytest.raises(UserError, match="ไม่มีขั้นตอนย่อย"):
        v.complete_step(office.id, office.c1, office.alice, at(15))
    result = v.finish_application(office.id, office.c1, office.alice, "completed", at(18))
    assert result.ticket_done
    summary = v.visit_summary(office.id, m.Ticket.get(m.Ticket.number == "E001").id, at(30))
    assert summary.applications[0].timing.service_seconds == 360


# --- applicant and filer (personal data) -------------------------------------------------------


def test_required_personal_data_follows_the_manual(office):
    serve(office, "ELDERLY_ALLOWANCE_REG")  # name, national_id and address required
    for missing in ("name", "national_id", "address"):
        values = {k: val for k, val in APPLICANT.items() if k != missing}
        with pytest.raises(UserError, match="ตามคู่มือ"):
            v.save_people(office.id, office.c1, office.alice, values, None, at(1))
    assert m.PersonalData.select().count() == 0
    a = v.save_people(
        office.id,
        office.c1,
        office.alice,
        {k: val for k, val in APPLICANT.items() if k != "phone"},
        None,
        at(1),
    )
    person = m.PersonalData.get()
    assert (person.role, person.name, person.national_id, person.address, person.phone) == (
        "applicant",
        "นางสมศรี ทดสอบ",
        VALID_ID,
        "99 หมู่ 1 ตำบลหนองบัว",
        None,
    )
    assert a.people[0].national_id_masked == "x-xxxx-xxxx7-08-2"
    assert VALID_ID not in repr(a) and "3-0123-04567-08-2" not in repr(a)


def test_an_invalid_check_digit_is_refused_and_nothing_is_stored(office):
    serve(office, "ELDERLY_ALLOWANCE_REG")
    with pytest.raises(UserError, match="เลขตรวจสอบ") as err:
        v.save_people(
            office.id, office.c1, office.alice, {**APPLICANT, "national_id": BAD_ID}, None, at(1)
        )
    assert BAD_ID not in str(err.value)
    with pytest.raises(UserError, match="13 หลัก"):
        v.save_people(
            office.id,
            office.c1,
            office.alice,
            {**APPLICANT, "national_id": "301230456708"},
            None,
            at(1),
        )
    assert m.PersonalData.select().count() == 0
    assert not m.Event.select().where(m.Event.kind == "people_recorded").exists()


def test_a_service_that_takes_no_id_does_not_store_one(office):
    ticket = serve(office, "OFFICIAL_INFO_REQUEST")  # national_id = "none"
    a = v.save_people(
        office.id,
        office.c1,
        office.alice,
        {"name": "นายขอข้อมูล ทดสอบ", "national_id": VALID_ID},
        None,
        at(1),
    )
    person = m.PersonalData.get(m.PersonalData.application == application_of(ticket).id)
    assert person.name == "นายขอข้อมูล ทดสอบ" and person.national_id is None
    assert person.address is None and a.people[0].national_id_masked is None
    # Even an invalid one is not looked at: it is not collected at all.
    v.save_people(
        office.id,
        office.c1,
        office.alice,
        {"name": "นายขอข้อมูล ทดสอบ", "national_id": BAD_ID},
        None,
        at(2),
    )
    assert m.PersonalData.get().national_id is None
    assert m.PersonalData.select().count() == 1  # updated, not duplicated


def test_a_proxy_filer_brings_the_three_proxy_documents(office):
    ticket = serve(office, "ELDERLY_ALLOWANCE_REG")
    a = active(office, 1)
    assert [d.name for d in v.required_documents(a)] == [
        "บัตรประจำตัวประชาชน",
        "สำเนาทะเบียนบ้าน (ทร.14)",
    ]
    with pytest.raises(UserError, match="ผู้ยื่นแทน"):  # the filer's ID is required here
        v.save_people(
            office.id, office.c1, office.alice, APPLICANT, {"name": "นายผู้รับมอบ ทดสอบ"}, at(1)
        )
    with pytest.raises(UserError, match="เลขตรวจสอบ"):
        v.save_people(
            office.id,
            office.c1,
            office.alice,
            APPLICANT,
            {"name": "นายผู้รับมอบ ทดสอบ", "national_id": BAD_ID},
            at(1),
        )
    a = v.save_people(
        office.id,
        office.c1,
        office.alice,
        APPLICANT,
        {"name": "นายผู้รับมอบ ทดสอบ", "national_id": FILER_ID, "address": "ไม่ควรเก็บ"},
        at(2),
    )
    assert a.proxy
    proxy_docs = [d.name for d in v.required_documents(a) if d.when == "proxy"]
    assert proxy_docs == [
        "หนังสือมอบอำนาจ",
        "สำเนาบัตรประจำตัวประชาชนของผู้มอบอำนาจ",
        "สำเนาบัตรประจำตัวประชาชนของผู้รับมอบอำนาจ",
    ]
    assert len(v.required_documents(a)) == 5
    filer = m.PersonalData.get(
        (m.PersonalData.application == application_of(ticket).id) & (m.PersonalData.role == "filer")
    )
    assert filer.national_id == FILER_ID and filer.address is None  # letters go to the applicant
    roles = {p.role: p.national_id_masked for p in a.people}
    assert roles == {"applicant": "x-xxxx-xxxx7-08-2", "filer": national_id.mask(FILER_ID)}
    # The applicant comes back in person: the filer and the proxy documents go.
    a = v.save_people(office.id, office.c1, office.alice, APPLICANT, None, at(3))
    assert not a.proxy and [p.role for p in a.people] == ["applicant"]
    assert all(d.when != "proxy" for d in v.required_documents(a))
    recorded = [
        data(e)
        for e in m.Event.select().where(m.Event.kind == "people_recorded").order_by(m.Event.id)
    ]
    assert recorded == [{"proxy": True}, {"proxy": False}]


@pytest.mark.parametrize(
    "field, value",
    [("phone", "08-1234-5678 ต่อ 1234 (มือถือของลูกสาว)"), ("name", "นางสมศรี " + "ก" * 260)],
    ids=["phone", "name"],
)
def test_overlong_personal_data_is_refused_clearly_on_both_backends(office, field, value):
    serve(office, "ELDERLY_ALLOWANCE_REG")
    with pytest.raises(UserError):
        v.save_people(office.id, office.c1, office.alice, {**APPLICANT, field: value}, None, at(1))


def test_no_event_ever_holds_a_name_an_id_or_an_address(office):
    serve(office, "ELDERLY_ALLOWANCE_REG")
    v.save_people(
        office.id,
        office.c1,
        office.alice,
        APPLICANT,
        {"name": "นายผู้รับมอบ ทดสอบ", "national_id": FILER_ID},
        at(1),
    )
    v.save_checklist(office.id, office.c1, office.alice, {0}, at(2))
    v.complete_step(office.id, office.c1, office.alice, at(3))
    v.toggle_pause(office.id, office.c1, office.alice, at(4), "ผู้รับบริการไปถ่ายเอกสาร")
    v.toggle_pause(office.id, office.c1, office.alice, at(5))
    v.record_deficiency(
        office.id,
        office.c1,
        office.alice,
        ["สำเนาทะเบียนบ้าน (ทร.14)"],
        TODAY + timedelta(days=7),
        at(6),
        applicant_mark="thumbprint",
        witness_name="นายพยาน ทดสอบ",
    )
    number = m.Application.get().number
    v.reopen_application(office.id, office.c1, office.alice, number, at(0, days=1))
    v.finish_application(office.id, office.c1, office.alice, "completed", at(10, days=1))
    secrets = [
        "สมศรี",
        "ผู้รับมอบ",
        "พยาน",
        "หนองบัว",
        "0812345678",
        VALID_ID,
        FILER_ID,
        VALID_ID[-4:] + '"',
        "3-0123",
    ]
    events = list(m.Event.select())
    assert len(events) >= 12
    for event in events:
        text = f"{event.data or ''}|{event.reason or ''}"
        for secret in secrets:
            assert secret not in text, (event.kind, text)


# --- missing documents (Act s.8) and reopening --------------------------------------------------


def test_deficiency_only_for_services_under_the_act(office):
    serve(office, "OFFICIAL_INFO_REQUEST")
    with pytest.raises(UserError, match="ไม่อยู่ภายใต้"):
        v.record_deficiency(
            office.id,
            office.c1,
            office.alice,
            ["สำเนาบัตรประชาชน"],
            TODAY + timedelta(days=3),
            at(1),
        )
    assert m.DeficiencyRecord.select().count() == 0
    assert active(office, 1).timing.status == "serving"


def test_deficiency_needs_items_a_future_deadline_and_a_witness_for_a_thumbprint(office):
    serve(office, "ELDERLY_ALLOWANCE_REG")
    future = TODAY + timedelta(days=7)
    with pytest.raises(UserError, match="อย่างน้อยหนึ่งรายการ"):
        v.record_deficiency(office.id, office.c1, office.alice, ["  "], future, at(1))
    for deadline in (TODAY, TODAY - timedelta(days=1)):
        with pytest.raises(UserError, match="หลังจากวันนี้"):
            v.record_deficiency(office.id, office.c1, office.alice, ["x"], deadline, at(1))
    for witness in (None, "", "  "):
        with pytest.raises(UserError, match="พยาน"):
            v.record_deficiency(
                office.id,
                office.c1,
                office.alice,
                ["x"],
                future,
                at(1),
                applicant_mark="thumbprint",
                witness_name=witness,
            )
    with pytest.raises(UserError):
        v.record_deficiency(
            office.id, office.c1, office.alice, ["x"], future, at(1), applicant_mark="stamp"
        )
    assert m.DeficiencyRecord.select().count() == 0
    info = v.record_deficiency(
        office.id,
        office.c1,
        office.alice,
        ["x"],
        future,
        at(1),
        applicant_mark="thumbprint",
        witness_name=" นายพยาน ทดสอบ ",
    )
    record = m.DeficiencyRecord.get()
    assert record.applicant_mark == "thumbprint" and record.witness_name == "นายพยาน ทดสอบ"
    assert info.witness_name == "นายพยาน ทดสอบ" and info.applicant_mark == "thumbprint"


def test_deficiency_record_keeps_the_number_and_stops_the_clock(office):
    ticket = serve(office, "ELDERLY_ALLOWANCE_REG")
    v.save_people(office.id, office.c1, office.alice, APPLICANT, None, at(1))
    first_doc = active(office, 2).documents[0]
    assert first_doc.index == 1  # documents are numbered from 1, in the manual's order
    v.save_checklist(office.id, office.c1, office.alice, {first_doc.index}, at(2))
    deadline = TODAY + timedelta(days=7)
    info = v.record_deficiency(
        office.id,
        office.c1,
        office.alice,
        ["สำเนาทะเบียนบ้าน (ทร.14)", "ใบรับรองแพทย์"],
        deadline,
        at(5),
    )
    application = application_of(ticket)
    assert info.application_number == application.number == ticket.application_number
    assert info.deadline == deadline and info.applicant_name == "นางสมศรี ทดสอบ"
    assert info.missing == ("สำเนาทะเบียนบ้าน (ทร.14)", "ใบรับรองแพทย์")
    assert info.checklist == (("บัตรประจำตัวประชาชน", True), ("สำเนาทะเบียนบ้าน (ทร.14)", False))
    assert info.officer == "สมชาย ใจดี" and info.filed_at == at(5)
    assert info.applicant_mark == "signature" and info.witness_name is None
    assert application.status == "deficient"
    assert m.Ticket.get_by_id(ticket.id).status == "done"
    event = m.Event.get(m.Event.kind == "documents_missing")
    assert data(event) == {"deadline": deadline.isoformat(), "missing": 2}
    assert event.staff_id == office.alice and event.counter_id == office.c1
    # The counter is free for the next visitor; the application waits with its number.
    assert v.service_view(office.id, office.c1, at(6)) is None
    assert q.snapshot(office.id, office.c1, at(6)).current is None


def test_reopen_by_number_continues_the_timing_and_a_second_request_is_refused(office):
    ticket = serve(office, "ELDERLY_ALLOWANCE_REG")
    v.complete_step(office.id, office.c1, office.alice, at(4))
    v.record_deficiency(
        office.id,
        office.c1,
        office.alice,
        ["สำเนาทะเบียนบ้าน (ทร.14)"],
        TODAY + timedelta(days=7),
        at(6),
    )
    number = ticket.application_number
    with pytest.raises(UserError, match="ไม่พบคำขอ"):
        v.reopen_application(office.id, office.c1, office.alice, "999/2570", at(0, days=2))
    # Two days later the visitor is back with the documents.
    sv = v.reopen_application(office.id, office.c1, office.alice, f" {number} ", at(0, days=2))
    a = sv.active
    assert a is not None and a.number == number and a.id == application_of(ticket).id
    assert sv.ticket_number == ticket.number
    assert a.timing.status == "serving" and a.timing.current_step == 1
    assert m.DeficiencyRecord.get().resolved_at is not None
    # The days away are not service time: 6 minutes then, 3 now.
    a = active(office, 3, days=2)
    assert a.timing.service_seconds == 9 * 60 and a.timing.paused_seconds == 0
    assert a.timing.steps[1].seconds == 2 * 60 + 3 * 60
    assert a.deficiency_used and a.deficiency_deadline == TODAY + timedelta(days=7)
    with pytest.raises(UserError, match="มาตรา 8") as err:
        v.record_deficiency(
            office.id, office.c1, office.alice, ["อีกฉบับ"], TODAY + timedelta(days=10), at(4, days=2)
        )
    assert "ครั้งเดียว" in str(err.value) and number in str(err.value)
    assert m.DeficiencyRecord.select().count() == 1
    result = v.finish_application(office.id, office.c1, office.alice, "completed", at(5, days=2))
    assert result.application_number == number and result.ticket_done
    kinds = [e.kind for e in app_events(a.id)]
    assert kinds == [
        "issued",
        "started",
        "step_completed",
        "documents_missing",
        "reopened",
        "finished",
    ]
    summary = v.visit_summary(office.id, ticket.id, at(30, days=2))
    assert summary.applications[0].timing.service_seconds == 11 * 60


def test_reopen_closes_the_new_ticket_the_returning_visitor_was_called_with(office):
    first = serve(office, "ELDERLY_ALLOWANCE_REG")
    v.record_deficiency(office.id, office.c1, office.alice, ["x"], TODAY + timedelta(days=7), at(6))
    later = q.issue_ticket(office.id, "ELDERLY_ALLOWANCE_REG", at(0, days=1))
    q.call_next(office.id, office.c1, office.alice, at(1, days=1))
    sv = v.reopen_application(
        office.id, office.c1, office.alice, first.application_number, at(2, days=1)
    )
    assert sv.ticket_id == first.id and sv.active is not None
    assert m.Ticket.get_by_id(later.id).status == "done"
    merged = m.Event.get((m.Event.ticket == later.id) & (m.Event.kind == "finished"))
    assert data(merged)["outcome"] == "merged" and first.application_number in merged.reason


def test_the_merged_ticket_is_finished_in_its_events_too(office):
    first = serve(office, "ELDERLY_ALLOWANCE_REG")
    v.record_deficiency(office.id, office.c1, office.alice, ["x"], TODAY + timedelta(days=7), at(6))
    later = q.issue_ticket(office.id, "ELDERLY_ALLOWANCE_REG", at(0, days=1))
    q.call_next(office.id, office.c1, office.alice, at(1, days=1))
    v.reopen_application(
        office.id, office.c1, office.alice, first.application_number, at(2, days=1)
    )
    row = m.Application.get(m.Application.ticket == later.id)
    assert (row.status, row.outcome) == ("finished", "merged")
    timing = v.visit_summary(office.id, later.id, at(3, days=1)).applications[0].timing
    assert (timing.status, timing.outcome) == ("finished", "merged")


def test_reopen_is_refused_in_the_middle_of_another_visit(office):
    first = serve(office, "ELDERLY_ALLOWANCE_REG")
    v.record_deficiency(office.id, office.c1, office.alice, ["x"], TODAY + timedelta(days=7), at(6))
    serve(office, "TIMED_PERMIT", issued=7, called=8, started=9)
    with pytest.raises(UserError, match="บัตรคิวอื่น"):
        v.reopen_application(office.id, office.c1, office.alice, first.application_number, at(10))
    assert m.Application.get_by_id(application_of(first).id).status == "deficient"
    assert not m.Event.select().where(m.Event.kind == "reopened").exists()


def test_reopen_refused_when_not_deficient_or_past_the_deadline(office):
    ticket = serve(office, "ELDERLY_ALLOWANCE_REG")
    with pytest.raises(UserError, match="ไม่ได้รอเอกสารเพิ่ม"):
        v.reopen_application(office.id, office.c2, office.bob, ticket.application_number, at(1))
    v.record_deficiency(office.id, office.c1, office.alice, ["x"], TODAY + timedelta(days=3), at(2))
    with pytest.raises(UserError, match="พ้นกำหนด"):
        v.reopen_application(
            office.id, office.c1, office.alice, ticket.application_number, at(0, days=4)
        )
    # On the deadline day itself it may still be reopened.
    sv = v.reopen_application(
        office.id, office.c1, office.alice, ticket.application_number, at(0, days=3)
    )
    assert sv.active is not None and sv.active.number == ticket.application_number


def test_return_only_after_the_deadline_and_with_a_reason(office):
    ticket = serve(office, "ELDERLY_ALLOWANCE_REG")
    number = ticket.application_number
    with pytest.raises(UserError, match="ไม่ได้รอเอกสารเพิ่ม"):
        v.return_application(office.id, office.alice, number, "พ้นกำหนด", at(1))
    v.record_deficiency(office.id, office.c1, office.alice, ["x"], TODAY + timedelta(days=3), at(5))
    for reason in (None, " "):
        with pytest.raises(UserError, match="เหตุผล"):
            v.return_application(office.id, office.alice, number, reason, at(0, days=4))
    with pytest.raises(UserError, match="ยังไม่พ้นกำหนด"):
        v.return_application(office.id, office.alice, number, "ไม่มาส่งเอกสาร", at(0, days=3))
    assert (
        v.return_application(
            office.id, office.alice, number, " ไม่มาส่งเอกสารตามกำหนด ", at(0, days=4)
        )
        == number
    )
    application = application_of(ticket)
    assert (application.status, application.outcome) == ("finished", "returned")
    record = m.DeficiencyRecord.get()
    assert record.return_reason == "ไม่มาส่งเอกสารตามกำหนด" and record.returned_at is not None
    finished = app_events(application.id)[-1]
    assert finished.kind == "finished" and finished.reason == "ไม่มาส่งเอกสารตามกำหนด"
    assert data(finished) == {"outcome": "returned"} and finished.staff_id == office.alice
    timing = v.visit_summary(office.id, ticket.id, at(0, days=5)).applications[0].timing
    assert timing.status == "finished" and timing.outcome == "returned"
    assert timing.service_seconds == 5 * 60  # the days away are not service time
    with pytest.raises(UserError, match="ไม่ได้รอเอกสารเพิ่ม"):
        v.reopen_application(office.id, office.c1, office.alice, number, at(0, days=5))


# --- finishing and cases ----------------------------------------------------------------------


def test_finish_outcomes_and_reasons(office):
    serve(office, "TIMED_PERMIT")
    with pytest.raises(UserError, match="unknown outcome"):
        v.finish_application(office.id, office.c1, office.alice, "done", at(1))
    for outcome in ("cancelled", "returned", "referred"):
        with pytest.raises(UserError, match="เหตุผล"):
            v.finish_application(office.id, office.c1, office.alice, outcome, at(1))
        with pytest.raises(UserError, match="เหตุผล"):
            v.finish_application(office.id, office.c1, office.alice, outcome, at(1), "  ")
    assert not m.Event.select().where(m.Event.kind == "finished").exists()
    result = v.finish_application(
        office.id, office.c1, office.alice, "cancelled", at(4), " ผู้รับบริการเปลี่ยนใจ "
    )
    assert result.outcome == "cancelled" and result.ticket_done and result.case_due is None
    assert result.next_application is None
    application = m.Application.get()
    assert (application.status, application.outcome) == ("finished", "cancelled")
    finished = m.Event.get(m.Event.kind == "finished")
    assert finished.reason == "ผู้รับบริการเปลี่ยนใจ" and data(finished) == {"outcome": "cancelled"}
    assert finished.at.replace(microsecond=0) == to_db(at(4))
    assert m.Ticket.get().status == "done"
    with pytest.raises(UserError):
        v.finish_application(office.id, office.c1, office.alice, "completed", at(5))


@pytest.mark.parametrize("outcome", ["completed", "referred"])
def test_other_outcomes_open_no_case(office, outcome):
    serve(office, "BUILDING_PERMIT_S21")
    result = v.finish_application(
        office.id,
        office.c1,
        office.alice,
        outcome,
        at(20),
        "ส่งต่อ" if outcome == "referred" else None,
    )
    assert result.case_due is None and m.Case.select().count() == 0


def test_accepted_building_permit_opens_a_case_in_calendar_days(office):
    ticket = serve(office, "BUILDING_PERMIT_S21")
    result = v.finish_application(office.id, office.c1, office.alice, "accepted", at(20))
    # "14 วัน (ไม่ระบุ)": an unknown kind is read as calendar days.
    assert result.case_due == date(2026, 12, 8)
    case = m.Case.get()
    assert case.application_id == application_of(ticket).id
    assert case.due_date == date(2026, 12, 8) and case.complete_date == TODAY
    assert case.day_kind == "unknown" and case.status == "open"
    opened = m.Event.get(m.Event.kind == "case_opened")
    assert data(opened) == {"due": "2026-12-08", "day_kind": "unknown"}
    summary = v.visit_summary(office.id, ticket.id, at(30))
    assert summary.case_dues == {ticket.application_number: date(2026, 12, 8)}


def test_a_standard_stored_before_durations_were_bounded_refuses_the_finish_in_thai(office):
    """Issue 11 item 5: "3000000 วัน" could be imported before; its due date overflows. The finish
    is refused with a Thai message saying what to do, and nothing is written."""
    m.Service.update(standard_days=3_000_000, standard_text="3000000 วัน").where(
        m.Service.code == "WORKDAY_LICENCE"
    ).execute()
    ticket = serve(office, "WORKDAY_LICENCE")
    events = len(app_events(application_of(ticket).id))
    with pytest.raises(UserError, match="ยาวเกินกว่าจะคำนวณวันครบกำหนดได้.*catalog import"):
        v.finish_application(office.id, office.c1, office.alice, "accepted", at(5))
    assert application_of(ticket).status == "serving"
    assert len(app_events(application_of(ticket).id)) == events
    assert m.Case.select().count() == 0


def test_accepted_in_working_days_skips_the_weekend_and_the_office_holidays(office):
    serve(office, "WORKDAY_LICENCE")
    # 3 working days from Tue 24 Nov: Wed 25, Thu 26, Fri 27.
    assert v.finish_application(
        office.id, office.c1, office.alice, "accepted", at(5)
    ).case_due == date(2026, 11, 27)
    set_setting(
        office.id,
        "office.holidays",
        "2026-11-26, 2026-11-30",
        FIXED_NOW,
        TODAY,
        actor_id=admin_id(office.id),
    )
    serve(office, "WORKDAY_LICENCE", issued=6, called=7, started=8)
    # Thu 26 and Mon 30 are holidays: Wed 25, Fri 27, Tue 1 Dec.
    result = v.finish_application(office.id, office.c1, office.alice, "accepted", at(10))
    assert result.case_due == date(2026, 12, 1)
    assert [c.day_kind for c in m.Case.select().order_by(m.Case.id)] == ["working", "working"]


# --- several services on one ticket -----------------------------------------------------------


def test_an_added_service_starts_when_the_first_finishes_and_is_timed_on_its_own(office):
    ticket = serve(office, "ELDERLY_ALLOWANCE_REG")
    number = v.add_service(office.id, office.c1, office.alice, "TIMED_PERMIT", at(2))
    added = application_of(ticket, 2)
    assert added.number == number != ticket.application_number and added.status == "waiting"
    event = m.Event.get(m.Event.kind == "service_added")
    assert data(event) == {"service": "TIMED_PERMIT", "version": 1}
    assert event.application_id == added.id and event.staff_id == office.alice
    sv = view(office, 3)
    assert sv.active is not None and sv.active.service_code == "ELDERLY_ALLOWANCE_REG"
    assert [x.timing.status for x in sv.applications] == ["serving", "waiting"]
    result = v.finish_application(office.id, office.c1, office.alice, "completed", at(10))
    assert result.next_application == number and not result.ticket_done
    assert m.Ticket.get_by_id(ticket.id).status == "serving"
    a = active(office, 13)
    assert a.number == number and a.standard_seconds == 600 and a.timing.started_at == at(10)
    assert a.timing.service_seconds == 180 and a.timing.current_step == 0
    v.complete_step(office.id, office.c1, office.alice, at(14))
    result = v.finish_application(office.id, office.c1, office.alice, "completed", at(16))
    assert result.ticket_done and m.Ticket.get_by_id(ticket.id).status == "done"
    summary = v.visit_summary(office.id, ticket.id, at(20))
    first, second = summary.applications
    assert (first.timing.service_seconds, second.timing.service_seconds) == (600, 360)
    assert (first.standard_seconds, second.standard_seconds) == (3600, 600)
    assert second.timing.steps[0].seconds == 240


def test_adding_a_service_needs_a_ticket_and_a_known_service(office):
    with pytest.raises(UserError, match="ยังไม่มีบัตรคิว"):
        v.add_service(office.id, office.c1, office.alice, "TIMED_PERMIT", at(0))
    serve(office, "ELDERLY_ALLOWANCE_REG")
    with pytest.raises(UserError, match="NO_SUCH"):
        v.add_service(office.id, office.c1, office.alice, "NO_SUCH", at(1))
    assert m.Application.select().count() == 1


def test_a_deficiency_on_the_first_service_starts_the_added_one(office):
    """A visitor with two services: the first lacks a document, the second goes on."""
    ticket = serve(office, "ELDERLY_ALLOWANCE_REG")
    number = v.add_service(office.id, office.c1, office.alice, "TIMED_PERMIT", at(1))
    v.record_deficiency(office.id, office.c1, office.alice, ["x"], TODAY + timedelta(days=7), at(5))
    assert m.Ticket.get_by_id(ticket.id).status == "serving"
    sv = view(office, 6)
    assert sv.active is not None and sv.active.number == number
    assert sv.active.timing.started_at == at(5)
    v.finish_application(office.id, office.c1, office.alice, "completed", at(8))
    assert m.Ticket.get_by_id(ticket.id).status == "done"


# --- transfers ---------------------------------------------------------------------------------


def test_transfer_keeps_the_ticket_and_history_and_the_clock_continues_there(office):
    ticket = serve(office, "LAND_BUILDING_TAX", issued=-10, called=-2, started=0)
    application = application_of(ticket)
    for reason in (None, ""):
        with pytest.raises(UserError, match="เหตุผล"):
            v.transfer(office.id, office.c1, office.alice, office.c2, reason, at(3))
    with pytest.raises(UserError, match="ช่องบริการปลายทางอื่น"):
        v.transfer(office.id, office.c1, office.alice, office.c1, "ส่งต่อ", at(3))
    with pytest.raises(UserError, match="ช่องบริการปลายทางอื่น"):
        v.transfer(office.id, office.c1, office.alice, 99999, "ส่งต่อ", at(3))
    assert (
        v.transfer(office.id, office.c1, office.alice, office.c2, "ชำระค่าธรรมเนียมที่กองคลัง", at(3))
        == "ช่อง 2"
    )
    row = m.Ticket.get_by_id(ticket.id)
    assert (row.status, row.counter_id, row.assigned_counter_id) == ("waiting", None, office.c2)
    assert row.number == ticket.number
    assert m.Application.get_by_id(application.id).status == "waiting"
    moved = m.Event.get(m.Event.kind == "transferred")
    assert data(moved) == {"to_counter": office.c2} and moved.reason == "ชำระค่าธรรมเนียมที่กองคลัง"
    assert q.snapshot(office.id, office.c1, at(4)).current is None
    waiting = q.snapshot(office.id, office.c2, at(4)).waiting
    assert [(w.number, w.handed_over) for w in waiting] == [(ticket.number, True)]
    # ช่อง 2 calls it at 5 and starts at 6; the time away from a counter is not service time.
    called = q.call_next(office.id, office.c2, office.bob, at(5))
    assert called is not None and called.id == ticket.id
    q.start_serving(office.id, office.c2, office.bob, at(6))
    a = active(office, 8, counter=office.c2)
    assert a.id == application.id and a.number == ticket.application_number
    assert a.timing.service_seconds == (3 + 2) * 60 and a.timing.started_at == at(0)
    v.finish_application(office.id, office.c2, office.bob, "completed", at(9))
    kinds = [
        (e.kind, e.counter_id)
        for e in m.Event.select().where(m.Event.ticket == ticket.id).order_by(m.Event.id)
    ]
    assert kinds == [
        ("issued", None),
        ("called", office.c1),
        ("started", office.c1),
        ("transferred", office.c1),
        ("called", office.c2),
        ("started", office.c2),
        ("finished", office.c2),
    ]
    summary = v.visit_summary(office.id, ticket.id, at(10))
    assert summary.wait_seconds == 8 * 60 and summary.walk_seconds == 2 * 60
    assert summary.applications[0].timing.service_seconds == 6 * 60


# --- corrections --------------------------------------------------------------------------------


def test_correct_a_step_completed_too_early(office):
    ticket = serve(office, "TIMED_PERMIT")
    with pytest.raises(UserError, match="ยังไม่มีขั้นตอน"):
        v.correct(office.id, office.c1, office.alice, "step", "กดผิดปุ่ม", at(1))
    v.complete_step(office.id, office.c1, office.alice, at(2))
    v.complete_step(office.id, office.c1, office.alice, at(3))
    with pytest.raises(UserError, match="เหตุผล"):
        v.correct(office.id, office.c1, office.alice, "step", None, at(4))
    with pytest.raises(UserError, match="unknown correction"):
        v.correct(office.id, office.c1, office.alice, "nonsense", "x", at(4))
    a = v.correct(office.id, office.c1, office.alice, "step", "กดผิดปุ่ม", at(4))
    steps = [e for e in app_events(application_of(ticket).id) if e.kind == "step_completed"]
    assert len(steps) == 2  # the original is kept
    fix = m.Event.get(m.Event.kind == "corrected")
    assert fix.corrects_id == steps[1].id and fix.reason == "กดผิดปุ่ม"
    assert data(fix) == {"what": "step"} and fix.staff_id == office.alice
    assert a.timing.current_step == 1 and a.timing.steps[1].seconds == 120
    # Correcting again voids the step before it, not the same one twice.
    a = v.correct(office.id, office.c1, office.alice, "step", "ยังไม่เสร็จจริง", at(5))
    assert m.Event.select().where(m.Event.kind == "corrected").count() == 2
    assert a.timing.current_step == 0 and a.timing.steps[0].seconds == 300
    v.complete_step(office.id, office.c1, office.alice, at(6))
    a = active(office, 7)
    assert a.timing.current_step == 1 and [s.seconds for s in a.timing.steps[:2]] == [360, 60]


def test_correct_the_wrong_service_keeps_the_times(office):
    ticket = serve(office, "ELDERLY_ALLOWANCE_REG")
    v.toggle_pause(office.id, office.c1, office.alice, at(2), "ผู้รับบริการไปถ่ายเอกสาร")
    v.toggle_pause(office.id, office.c1, office.alice, at(3))
    before = active(office, 5).timing
    with pytest.raises(UserError, match="เลือกบริการ"):
        v.correct(office.id, office.c1, office.alice, "service", "เลือกบริการผิด", at(5))
    with pytest.raises(UserError, match="NO_SUCH"):
        v.correct(
            office.id,
            office.c1,
            office.alice,
            "service",
            "เลือกบริการผิด",
            at(5),
            service_code="NO_SUCH",
        )
    a = v.correct(
        office.id,
        office.c1,
        office.alice,
        "service",
        "เลือกบริการผิด",
        at(5),
        service_code="TIMED_PERMIT",
    )
    assert a.service_code == "TIMED_PERMIT" and a.number == ticket.application_number
    application = application_of(ticket)
    assert application.service.code == "TIMED_PERMIT"
    assert m.Ticket.get_by_id(ticket.id).service.code == "TIMED_PERMIT"
    assert a.timing.service_seconds == before.service_seconds == 4 * 60
    assert a.timing.paused_seconds == before.paused_seconds == 60
    assert a.timing.started_at == at(0) and a.standard_seconds == 600
    fix = m.Event.get(m.Event.kind == "corrected")
    assert fix.reason == "เลือกบริการผิด" and fix.corrects_id is None
    assert data(fix) == {
        "what": "service",
        "from_service": "ELDERLY_ALLOWANCE_REG",
        "to_service": "TIMED_PERMIT",
        "version": 1,
    }
    issued = m.Event.get(m.Event.kind == "issued")
    assert data(issued)["service"] == "ELDERLY_ALLOWANCE_REG"  # the original is kept


def test_undo_an_early_finish(office):
    ticket = serve(office, "TIMED_PERMIT")
    v.complete_step(office.id, office.c1, office.alice, at(2))
    v.finish_application(office.id, office.c1, office.alice, "completed", at(4))
    number = ticket.application_number
    with pytest.raises(UserError, match="เหตุผล"):
        v.undo_finish(office.id, office.c1, office.alice, number, "", at(5))
    with pytest.raises(UserError, match="ไม่ได้เพิ่งจบที่ช่องนี้"):
        v.undo_finish(office.id, office.c2, office.bob, number, "ยังไม่เสร็จจริง", at(5))
    sv = v.undo_finish(office.id, office.c1, office.alice, number, "ยังไม่เสร็จจริง", at(5))
    assert sv.ticket_id == ticket.id and sv.active is not None and sv.active.number == number
    application = application_of(ticket)
    assert (application.status, application.outcome, application.finished_at) == (
        "serving",
        None,
        None,
    )
    assert m.Ticket.get_by_id(ticket.id).status == "serving"
    finished = m.Event.get(m.Event.kind == "finished")  # kept
    fix = m.Event.get(m.Event.kind == "corrected")
    assert fix.corrects_id == finished.id and data(fix) == {"what": "finish"}
    a = active(office, 6)
    assert a.timing.status == "serving" and a.timing.current_step == 1
    assert a.timing.service_seconds == 6 * 60  # the early finish never happened
    v.finish_application(office.id, office.c1, office.alice, "completed", at(8))
    timing = v.visit_summary(office.id, ticket.id, at(9)).applications[0].timing
    assert timing.finished_at == at(8) and timing.service_seconds == 8 * 60


def test_undo_finish_is_refused_for_a_case_another_ticket_or_a_later_day(office):
    first = serve(office, "BUILDING_PERMIT_S21")
    v.finish_application(office.id, office.c1, office.alice, "accepted", at(3))
    with pytest.raises(UserError, match="เรื่องดำเนินการ"):
        v.undo_finish(office.id, office.c1, office.alice, first.application_number, "ผิด", at(4))
    second = serve(office, "TIMED_PERMIT", issued=1, called=5, started=6)
    v.finish_application(office.id, office.c1, office.alice, "completed", at(7))
    serve(office, "TIMED_PERMIT", issued=2, called=8, started=9)
    with pytest.raises(UserError, match="บัตรคิวอื่น"):
        v.undo_finish(office.id, office.c1, office.alice, second.application_number, "ผิด", at(10))
    v.finish_application(office.id, office.c1, office.alice, "completed", at(11))
    with pytest.raises(UserError, match="วันนี้"):
        v.undo_finish(
            office.id, office.c1, office.alice, second.application_number, "ผิด", at(11, days=1)
        )  # the next day: the rule is "today", not 12 hours


# --- the visit summary --------------------------------------------------------------------------


def test_visit_summary_wait_walk_service_paused_and_steps(office):
    ticket = serve(office, "TIMED_PERMIT", issued=-12, called=-2, started=0)
    v.complete_step(office.id, office.c1, office.alice, at(4))
    v.toggle_pause(office.id, office.c1, office.alice, at(5), "ผู้รับบริการไปถ่ายเอกสาร")
    v.toggle_pause(office.id, office.c1, office.alice, at(7))
    v.complete_step(office.id, office.c1, office.alice, at(9))
    v.complete_step(office.id, office.c1, office.alice, at(10))
    v.finish_application(office.id, office.c1, office.alice, "completed", at(11))
    s = v.visit_summary(office.id, ticket.id, at(30))
    assert s.ticket_number == "T001"
    assert (s.wait_seconds, s.walk_seconds) == (600, 120)
    (a,) = s.applications
    assert a.timing.status == "finished" and a.timing.outcome == "completed"
    assert (a.timing.service_seconds, a.timing.paused_seconds) == (540, 120)
    assert [x.seconds for x in a.timing.steps] == [240, 180, 60]
    assert [x.standard_seconds for x in a.timing.steps] == [300, 180, None]
    assert s.case_dues == {}


def test_a_clock_set_back_during_a_pause_gives_no_negative_figure(office):
    """Issue 11 item 11: paused at 10:20, the PC's clock set back 20 minutes, then resume, a step,
    the checklist and finish: the finish summary and ``report visits`` show nothing negative,
    and every stored event is at or after the one before it."""
    from counter_tui.services.reports import visit_rows

    ticket = serve(office, "TIMED_PERMIT", issued=-12, called=-2, started=0)
    v.toggle_pause(office.id, office.c1, office.alice, at(20), "ผู้รับบริการไปถ่ายเอกสาร")
    v.toggle_pause(office.id, office.c1, office.alice, at(0))  # the clock went back 20 min
    v.complete_step(office.id, office.c1, office.alice, at(1))
    v.save_checklist(office.id, office.c1, office.alice, {0}, at(2))
    v.finish_application(office.id, office.c1, office.alice, "completed", at(3))
    s = v.visit_summary(office.id, ticket.id, at(4))
    (a,) = s.applications
    assert a.timing.paused_seconds == 0 and a.timing.service_seconds == 20 * 60
    assert all(x.seconds >= 0 for x in a.timing.steps)
    times = [e.at for e in app_events(a.id)]
    assert times == sorted(times)
    (row,) = visit_rows(office.id, TODAY, TODAY, at(4))
    figures = [
        row[k] for k in ("wait_seconds", "walk_seconds", "service_seconds", "paused_seconds")
    ]
    assert figures == [600, 120, 1200, 0]
    assert all(step["seconds"] is None or step["seconds"] >= 0 for step in row["steps"])


def test_visit_summary_of_a_ticket_not_yet_called(office):
    ticket = q.issue_ticket(office.id, "TIMED_PERMIT", at(0))
    s = v.visit_summary(office.id, ticket.id, at(5))
    assert s.wait_seconds is None and s.walk_seconds is None
    assert s.applications[0].timing.status == "waiting"


def test_undo_finish_with_an_added_service_runs_one_clock_only(office):
    ticket = serve(office, "ELDERLY_ALLOWANCE_REG")
    v.add_service(office.id, office.c1, office.alice, "TIMED_PERMIT", at(1))
    v.finish_application(office.id, office.c1, office.alice, "completed", at(4))
    v.undo_finish(
        office.id, office.c1, office.alice, ticket.application_number, "ยังไม่เสร็จจริง", at(5)
    )
    sv = view(office, 10)
    running = [a.number for a in sv.applications if a.timing.status in ("serving", "paused")]
    assert running == [ticket.application_number]
    assert sv.applications[1].timing.service_seconds == 0
