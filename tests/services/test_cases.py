"""Cases after the counter (Act s.10): lists, decision, result notice within 7 days, and delay
notices every 7 days while overdue, copied to ก.พ.ร."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import FIXED_NOW
from support.actors import admin_id
from support.office import ticket_in_service

from counter_tui.db import models as m
from counter_tui.errors import UserError
from counter_tui.services import cases as cs
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import staff as st
from counter_tui.services import visit as v


def day(n: float):
    return FIXED_NOW + timedelta(days=n)


@pytest.fixture
def case(db):
    """A building permit accepted on Tue 24 Nov 2026: 14 days of unknown kind → calendar days →
    due Tue 8 Dec 2026."""
    officer, counter, _ = ticket_in_service(
        db.id, "BUILDING_PERMIT_S21", officer="ช่างสมพร", counter="ช่อง 4", unit="กองช่าง"
    )
    v.save_people(
        db.id,
        counter.id,
        officer.id,
        {"name": "นายสร้าง บ้านใหม่", "national_id": "3012304567082", "address": "9 หมู่ 1 ต.หนองบัว"},
        None,
        FIXED_NOW,
    )
    result = v.finish_application(
        db.id, counter.id, officer.id, "accepted", FIXED_NOW + timedelta(minutes=20)
    )
    assert result.case_due == date(2026, 12, 8)
    return db, officer, m.Case.get().id


def test_lists_by_due_date(case):
    db, _, case_id = case
    assert [c.id for c in cs.list_cases(db.id, day(0), "open", actor_id=admin_id(db.id))] == [
        case_id
    ]
    assert cs.list_cases(db.id, day(0), "week", actor_id=admin_id(db.id)) == []
    assert [
        c.application for c in cs.list_cases(db.id, day(10), "week", actor_id=admin_id(db.id))
    ] == ["1/2570"]
    assert (
        cs.list_cases(db.id, day(14), "overdue", actor_id=admin_id(db.id)) == []
    )  # due on 8 Dec: not yet overdue
    overdue = cs.list_cases(db.id, day(15), "overdue", actor_id=admin_id(db.id))
    assert overdue[0].overdue and overdue[0].notice_needed
    assert cs.list_cases(db.id, day(15), "open", units=["กองคลัง"], actor_id=admin_id(db.id)) == []
    with pytest.raises(UserError):
        cs.list_cases(db.id, day(0), "soon", actor_id=admin_id(db.id))


def test_delay_notices_every_seven_days_copied_to_opdc(case):
    db, officer, case_id = case
    with pytest.raises(UserError, match="เกินกำหนด"):
        cs.send_delay_notice(db.id, case_id, admin_id(db.id), "รอความเห็นวิศวกร", day(5))
    info = cs.send_delay_notice(db.id, case_id, admin_id(db.id), "รอความเห็นวิศวกร", day(15))
    assert info.number == 1 and info.copied_to_opdc and info.due == date(2026, 12, 8)
    assert info.applicant_name == "นายสร้าง บ้านใหม่" and "หนองบัว" in info.applicant_address
    listed = cs.list_cases(db.id, day(20), "overdue", actor_id=admin_id(db.id))[0]
    assert listed.notices == 1 and not listed.notice_needed
    assert cs.list_cases(db.id, day(22), "overdue", actor_id=admin_id(db.id))[
        0
    ].notice_needed  # 7 days since the last
    second = cs.send_delay_notice(db.id, case_id, admin_id(db.id), "รอเอกสารจากที่ดิน", day(22))
    assert second.number == 2
    event = m.Event.select().where(m.Event.kind == "delay_notice_sent").order_by(m.Event.id)
    assert [e.staff_id for e in event] == [admin_id(db.id)] * 2  # who sent them
    assert all("สร้าง" not in (e.data or "") for e in m.Event.select())


def test_decision_and_result_notice_within_seven_days(case):
    db, officer, case_id = case
    with pytest.raises(UserError, match="บันทึกผล"):
        cs.notify_result(db.id, case_id, admin_id(db.id), day(3))
    cs.record_progress(db.id, case_id, admin_id(db.id), "ตรวจสถานที่แล้ว", day(2))
    cs.decide(db.id, case_id, admin_id(db.id), "อนุญาต", day(5))
    listed = cs.list_cases(db.id, day(6), "all", actor_id=admin_id(db.id))[0]
    assert listed.decision == "อนุญาต" and listed.progress[0].endswith("ตรวจสถานที่แล้ว")
    # the note's date as a person reads it: Buddhist Era, never ISO
    from counter_tui.core.thai_dates import format_date_th, local_date

    assert listed.progress[0] == f"{format_date_th(local_date(day(2)), short=True)} ตรวจสถานที่แล้ว"
    assert "25" in listed.progress[0][:15] and "-" not in listed.progress[0][:12]
    assert not listed.overdue and not listed.result_late
    assert cs.list_cases(db.id, day(13), "all", actor_id=admin_id(db.id))[
        0
    ].result_late  # 8 days, not yet notified
    assert cs.notify_result(db.id, case_id, admin_id(db.id), day(13)) is True
    with pytest.raises(UserError, match="already"):
        cs.notify_result(db.id, case_id, admin_id(db.id), day(14))


def test_result_notified_in_time(case):
    db, officer, case_id = case
    cs.decide(db.id, case_id, admin_id(db.id), "อนุญาต", day(5))
    assert cs.notify_result(db.id, case_id, admin_id(db.id), day(12)) is False
    assert cs.list_cases(db.id, day(30), "open", actor_id=admin_id(db.id)) == []


def test_delay_notice_prints_as_a_thai_official_letter(case, tmp_path):
    import pypdf

    from counter_tui.printing.letter import delay_notice_pdf

    db, officer, case_id = case
    info = cs.send_delay_notice(db.id, case_id, admin_id(db.id), "รอความเห็นวิศวกรโยธา", day(15))
    path = delay_notice_pdf(info, tmp_path / "notice.pdf")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    for expected in (
        "ที่ main/1/2570",
        "สำนักงานตัวอย่าง",
        "9 ธันวาคม 2569",
        "เรื่อง  แจ้งเหตุแห่งความล่าช้า ในการพิจารณาคำขอ",
        "เรียน  นายสร้าง บ้านใหม่",
        "อ้างถึง  คำขอเลขที่ 1/2570",
        "รอความเห็นวิศวกรโยธา",
        "8 ธันวาคม 2569",
        "ขอแสดงความนับถือ",
        "สำเนาเรียน",
        "ก.พ.ร.",
    ):
        assert expected in text.replace("\n", "").replace("\xa0", " "), expected
    thai = delay_notice_pdf(info, tmp_path / "thai.pdf", thai_digits=True)
    assert "๙ ธันวาคม ๒๕๖๙" in "".join(p.extract_text() for p in pypdf.PdfReader(thai).pages)


def _accepted_case(db, code: str, unit: str) -> tuple[object, int]:
    """An application of ``code`` accepted on Tue 24 Nov 2026; returns the officer and the
    case id."""
    officer = st.add_staff(
        db.id, f"เจ้าหน้าที่ {code}", "officer", "1234", FIXED_NOW, actor_id=admin_id(db.id)
    )
    counter = ct.add_counter(
        db.id, f"ช่อง {code}", unit, [code], FIXED_NOW, actor_id=admin_id(db.id)
    )
    ct.open_counter(db.id, counter.id, officer.id, FIXED_NOW)
    q.issue_ticket(db.id, code, FIXED_NOW)
    q.call_next(db.id, counter.id, officer.id, FIXED_NOW)
    q.start_serving(db.id, counter.id, officer.id, FIXED_NOW)
    v.save_people(
        db.id,
        counter.id,
        officer.id,
        {"name": "นางร้อง เรียนดี", "address": "1 หมู่ 2 ต.หนองบัว"},
        None,
        FIXED_NOW,
    )
    result = v.finish_application(
        db.id, counter.id, officer.id, "accepted", FIXED_NOW + timedelta(minutes=20)
    )
    assert result.case_due is not None
    case = m.Case.select().join(m.Application).join(m.Service).where(m.Service.code == code).get()
    return officer, case.id


def test_a_service_outside_the_act_has_a_due_date_but_no_s10_notice(case):
    """Act s.10 delay notices (copied to ก.พ.ร.) are for services under the Act: a complaint
    past its due date is overdue, but no notice is owed, none can be sent, and its result is
    never "late" in the s.10 sense; the permit beside it keeps all of that."""
    db, permit_officer, permit = case
    officer, complaint = _accepted_case(db, "COMPLAINT", "สำนักปลัด")
    assert not m.Service.get(m.Service.code == "COMPLAINT").under_act
    later = day(20)  # the complaint was due 1 Dec, the permit 8 Dec: both overdue
    listed = {c.id: c for c in cs.list_cases(db.id, later, "overdue", actor_id=admin_id(db.id))}
    assert set(listed) == {permit, complaint}
    assert listed[complaint].overdue and listed[complaint].due == date(2026, 12, 1)
    assert not listed[complaint].notice_needed and not listed[complaint].under_act
    assert listed[permit].notice_needed and listed[permit].under_act
    with pytest.raises(UserError, match="มาตรา 10"):
        cs.send_delay_notice(db.id, complaint, admin_id(db.id), "รอผลตรวจสอบข้อเท็จจริง", later)
    assert m.DelayNotice.select().count() == 0
    assert not m.Event.select().where(m.Event.kind == "delay_notice_sent").exists()
    assert cs.send_delay_notice(db.id, permit, admin_id(db.id), "รอความเห็นวิศวกร", later).number == 1
    # Decided and told the applicant 10 days later: late for the permit, not for the complaint.
    for case_id in (complaint, permit):
        cs.decide(db.id, case_id, admin_id(db.id), "ดำเนินการแล้ว", day(21))
    results = {c.id: c for c in cs.list_cases(db.id, day(31), "all", actor_id=admin_id(db.id))}
    assert results[permit].result_late and not results[complaint].result_late
    assert cs.notify_result(db.id, complaint, admin_id(db.id), day(31)) is False
    assert cs.notify_result(db.id, permit, admin_id(db.id), day(31)) is True
    assert cs.notice_owed(False, True, None, date(2026, 12, 20)) is False
    assert cs.notice_owed(True, True, None, date(2026, 12, 20)) is True
