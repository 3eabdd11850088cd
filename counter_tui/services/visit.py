"""Provides guided service: the manual of the application being served, its timed steps, pauses,
the document checklist, the applicant and filer, deficiency records (Act s.8) and reopening,
adding a service, transfers, corrections, and finishing (opening a case for multi-day services).

Every action is one transaction that appends events; figures are derived from the events by
``core.visit_timing`` so that a restart after a crash shows the true elapsed time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import IntegrityError

from counter_tui.core import national_id
from counter_tui.core.clock import from_db, to_db
from counter_tui.core.thai_dates import local_date
from counter_tui.core.visit_timing import ApplicationTiming, TimedEvent, derive
from counter_tui.db import models as m
from counter_tui.db.database import claim_transaction, for_update, write_transaction
from counter_tui.db.rows import tuples
from counter_tui.errors import UserError
from counter_tui.services.events import after_events, append_event, require_reason
from counter_tui.services.permissions import authorize, held_counter
from counter_tui.services.tickets import application_number, current_service, current_ticket

OUTCOMES = ("completed", "accepted", "referred", "returned", "cancelled")
OUTCOME_TH = {
    "completed": "เสร็จสิ้น ณ จุดบริการ",
    "accepted": "รับเรื่องไว้ดำเนินการ",
    "referred": "ส่งต่อหน่วยงานอื่น",
    "returned": "คืนคำขอ",
    "cancelled": "ยกเลิก",
    "no_show": "ไม่มาตามเรียก",
    "office_closed": "ปิดทำการ",
    "merged": "รวมกับคำขอเดิม",
}
OPEN = ("waiting", "serving", "paused")
PAUSE_REASONS = ("ผู้รับบริการไปถ่ายเอกสาร", "รอเอกสารจากหน่วยงานอื่น", "ผู้รับบริการขอพักชั่วคราว")
CORRECTION_REASONS = ("กดผิดปุ่ม", "เลือกบริการผิด", "ยังไม่เสร็จจริง")


# --- plain data out --------------------------------------------------------------------------


@dataclass(frozen=True)
class StepView:
    name: str
    unit: str | None
    standard_text: str | None
    standard_seconds: int | None


@dataclass(frozen=True)
class DocumentView:
    index: int
    name: str
    originals: int | None
    copies: int | None
    unit: str | None
    condition: str | None
    when: str
    """always | proxy | if"""


@dataclass(frozen=True)
class PersonView:
    role: str
    name: str | None
    national_id_masked: str | None
    address: str | None
    phone: str | None


@dataclass(frozen=True)
class ApplicationView:
    id: int
    number: str
    position: int
    service_code: str
    service_name: str
    version: int
    unit: str
    under_act: bool
    sensitive: bool
    sample: bool
    standard_text: str | None
    standard_seconds: int | None
    standard_days: int | None
    day_kind: str | None
    steps: tuple[StepView, ...]
    documents: tuple[DocumentView, ...]
    personal_data: dict[str, str]
    fee_text: str
    complaint_channels: tuple[str, ...]
    timing: ApplicationTiming
    checklist: frozenset[int]
    people: tuple[PersonView, ...]
    proxy: bool
    deficiency_deadline: date | None
    deficiency_used: bool


@dataclass(frozen=True)
class ServiceView:
    ticket_id: int
    ticket_number: str
    ticket_status: str
    issued_at: datetime
    called_at: datetime | None
    applications: tuple[ApplicationView, ...]
    active: ApplicationView | None
    now: datetime


@dataclass(frozen=True)
class FinishResult:
    application_number: str
    outcome: str
    case_due: date | None
    next_application: str | None
    ticket_done: bool


# --- reading ---------------------------------------------------------------------------------


def _manual(service: m.Service) -> dict[str, Any]:
    """The service's manual as stored: the JSON object of core.manual.Manual.to_json."""
    manual: dict[str, Any] = json.loads(service.manual_json)
    return manual


def _timed_events(application_id: int) -> list[TimedEvent]:
    rows = tuples(
        m.Event.select(
            m.Event.id, m.Event.kind, m.Event.at, m.Event.corrects, m.Event.data, m.Event.reason
        )
        .where(m.Event.application == application_id)
        .order_by(m.Event.id),
        tuple[int, str, datetime, int | None, str | None, str | None],
    )
    out = []
    for event_id, kind, at, corrects, data, reason in rows:
        outcome = json.loads(data).get("outcome") if data and kind == "finished" else None
        out.append(TimedEvent(event_id, kind, from_db(at), corrects, outcome, reason))
    return out


def _checklist(application_id: int) -> frozenset[int]:
    last = (
        m.Event.select(m.Event.data)
        .where((m.Event.application == application_id) & (m.Event.kind == "checklist"))
        .order_by(m.Event.id.desc())
        .first()
    )
    return frozenset(json.loads(last.data)["ticked"]) if last else frozenset()


def _application_view(application: m.Application, now: datetime) -> ApplicationView:
    service = application.service
    manual = _manual(service)
    steps = tuple(
        StepView(s.name_th, s.unit_name, s.standard_text, s.standard_seconds)
        for s in m.ServiceStep.select()
        .where(m.ServiceStep.service == service.id)
        .order_by(m.ServiceStep.position)
    )
    docs = tuple(
        DocumentView(d.position, d.name_th, d.originals, d.copies, d.unit_word, d.condition, d.when)
        for d in m.ServiceDocument.select()
        .where(m.ServiceDocument.service == service.id)
        .order_by(m.ServiceDocument.position)
    )
    people = tuple(
        PersonView(
            p.role,
            p.name,
            national_id.mask(p.national_id) if p.national_id else None,
            p.address,
            p.phone,
        )
        for p in m.PersonalData.select()
        .where(m.PersonalData.application == application.id)
        .order_by(m.PersonalData.role)
    )
    deficiency = m.DeficiencyRecord.get_or_none(m.DeficiencyRecord.application == application.id)
    return ApplicationView(
        id=application.id,
        number=application.number,
        position=application.position,
        service_code=service.code,
        service_name=service.name_th,
        version=service.version,
        unit=service.unit.name,
        under_act=service.under_act,
        sensitive=service.sensitive,
        sample=service.sample,
        standard_text=service.standard_text,
        standard_seconds=service.standard_seconds,
        standard_days=service.standard_days,
        day_kind=service.day_kind,
        steps=steps,
        documents=docs,
        personal_data=dict(manual.get("personal_data") or {}),
        fee_text=(manual.get("fee") or {}).get("text", ""),
        complaint_channels=tuple(manual.get("complaint_channels") or ()),
        timing=derive(_timed_events(application.id), [s.standard_seconds for s in steps], now),
        checklist=_checklist(application.id),
        people=people,
        proxy=any(p.role == "filer" for p in people),
        deficiency_deadline=deficiency.deadline if deficiency else None,
        deficiency_used=deficiency is not None,
    )


def service_view(office_id: int, counter_id: int, now: datetime) -> ServiceView | None:
    """The ticket at this counter with its applications; None when the counter is free."""
    ticket = current_ticket(counter_id)
    if ticket is None:
        return None
    applications = tuple(
        _application_view(a, now)
        for a in m.Application.select()
        .where(m.Application.ticket == ticket.id)
        .order_by(m.Application.position)
    )
    active = next((a for a in applications if a.timing.status in ("serving", "paused")), None)
    return ServiceView(
        ticket.id,
        ticket.number,
        ticket.status,
        from_db(ticket.issued_at),
        from_db(ticket.called_at),
        applications,
        active,
        now,
    )


def _active(counter_id: int, now: datetime) -> tuple[m.Ticket, m.Application, ApplicationView]:
    """The application being served at the counter, its ticket's row locked (PostgreSQL)
    until the transaction ends: two terminals acting on it at once take turns."""
    ticket = current_ticket(counter_id, lock=True)
    if ticket is None:
        raise UserError("ยังไม่มีบัตรคิวที่ช่องบริการนี้ (no ticket at this counter)")
    for application in (
        m.Application.select()
        .where(m.Application.ticket == ticket.id)
        .order_by(m.Application.position)
    ):
        view = _application_view(application, now)
        if view.timing.status in ("serving", "paused"):
            return ticket, application, view
    raise UserError("ยังไม่ได้เริ่มให้บริการ: กด Enter เมื่อผู้รับบริการมาถึงช่อง")


# --- steps, pauses, checklist ---------------------------------------------------------------


def complete_step(office_id: int, counter_id: int, staff_id: int, now: datetime) -> ApplicationView:
    with write_transaction(m.database_proxy.obj):
        authorize(staff_id, "complete_step", counter_id=counter_id, office_id=office_id)
        ticket, application, view = _active(counter_id, now)
        now = after_events(now, application.id)  # the clock may have gone back
        if view.timing.status == "paused":
            raise UserError("นาฬิกาหยุดอยู่: กด F9 เพื่อเดินต่อก่อน (the clock is paused)")
        if view.timing.current_step is None:
            raise UserError(
                "ครบทุกขั้นตอนแล้ว: กด F10 เพื่อจบการให้บริการ"
                if view.steps
                else "คู่มือนี้ไม่มีขั้นตอนย่อย: กด F10 เมื่อเสร็จ"
            )
        append_event(
            office_id,
            "step_completed",
            now,
            ticket=ticket,
            application=application,
            counter=counter_id,
            staff=staff_id,
            step=view.timing.current_step,
        )
    return _application_view(application, now)


def toggle_pause(
    office_id: int, counter_id: int, staff_id: int, now: datetime, reason: str | None = None
) -> ApplicationView:
    """Pause (a reason is required) or resume the clock of the application being served."""
    with write_transaction(m.database_proxy.obj):
        authorize(staff_id, "toggle_pause", counter_id=counter_id, office_id=office_id)
        ticket, application, view = _active(counter_id, now)
        now = after_events(now, application.id)  # the clock may have gone back
        if view.timing.status == "paused":
            append_event(
                office_id,
                "resumed",
                now,
                ticket=ticket,
                application=application,
                counter=counter_id,
                staff=staff_id,
            )
        else:
            reason = require_reason(reason, "หยุดเวลา")
            append_event(
                office_id,
                "paused",
                now,
                ticket=ticket,
                application=application,
                counter=counter_id,
                staff=staff_id,
                reason=reason,
            )
            m.Application.update(status="paused").where(
                m.Application.id == application.id
            ).execute()
        if view.timing.status == "paused":
            m.Application.update(status="serving").where(
                m.Application.id == application.id
            ).execute()
    return _application_view(application, now)


def save_checklist(
    office_id: int, counter_id: int, staff_id: int, ticked: set[int], now: datetime
) -> ApplicationView:
    with write_transaction(m.database_proxy.obj):
        authorize(staff_id, "save_checklist", counter_id=counter_id, office_id=office_id)
        ticket, application, _ = _active(counter_id, now)
        now = after_events(now, application.id)  # the clock may have gone back
        append_event(
            office_id,
            "checklist",
            now,
            ticket=ticket,
            application=application,
            counter=counter_id,
            staff=staff_id,
            ticked=sorted(ticked),
        )
    return _application_view(application, now)


# --- applicant and filer (personal data, apart from the events) -----------------------------

_FIELDS = ("name", "national_id", "address", "phone")
_FIELD_TH = {
    "name": "ชื่อ-นามสกุล",
    "national_id": "เลขประจำตัวประชาชน",
    "address": "ที่อยู่",
    "phone": "โทรศัพท์",
}
_FIELD_MAX = {"name": 200, "address": 1000, "phone": 32}


def _clean_person(values: dict[str, str], needs: dict[str, str], who: str) -> dict[str, str | None]:
    clean: dict[str, str | None] = {}
    for field in _FIELDS:
        need = needs.get(field, "none" if field in ("national_id", "address") else "optional")
        value = (values.get(field) or "").strip() or None
        if need == "none":
            value = None  # collect only what the manual needs (PDPA s.22)
        elif need == "required" and value is None:
            raise UserError(f"ต้องกรอก{_FIELD_TH[field]}ของ{who} ตามคู่มือของบริการนี้")
        if value is not None and len(value) > _FIELD_MAX.get(field, 10_000):
            raise UserError(
                f"{_FIELD_TH[field]}ของ{who}ยาวเกิน {_FIELD_MAX[field]} ตัวอักษร "
                f"(the {field} is longer than {_FIELD_MAX[field]} characters)"
            )
        if field == "national_id" and value is not None:
            try:
                value = national_id.validate(value)
            except ValueError as exc:
                raise UserError(f"{_FIELD_TH[field]}ของ{who}: {exc}") from None
        clean[field] = value
    return clean


def save_people(
    office_id: int,
    counter_id: int,
    staff_id: int,
    applicant: dict[str, str],
    filer: dict[str, str] | None,
    now: datetime,
) -> ApplicationView:
    """The applicant and, when a proxy files, the filer (who then needs a power of attorney)."""
    with write_transaction(m.database_proxy.obj):
        authorize(staff_id, "save_people", counter_id=counter_id, office_id=office_id)
        ticket, application, view = _active(counter_id, now)
        now = after_events(now, application.id)  # the clock may have gone back
        people = {"applicant": _clean_person(applicant, view.personal_data, "ผู้ขอ")}
        if filer is not None:
            # The filer: a name and, where the service takes IDs, the ID that matches the power
            # of attorney; letters go to the applicant, so no address.
            needs = {
                "name": "required",
                "address": "none",
                "phone": "optional",
                "national_id": "none"
                if view.personal_data.get("national_id", "none") == "none"
                else "required",
            }
            people["filer"] = _clean_person(filer, needs, "ผู้ยื่นแทน")
        for role, values in people.items():
            updated = (
                m.PersonalData.update(**values)
                .where(
                    (m.PersonalData.application == application.id) & (m.PersonalData.role == role)
                )
                .execute()
            )
            if not updated:
                m.PersonalData.create(
                    application=application.id, role=role, created_at=to_db(now), **values
                )
        if filer is None:
            m.PersonalData.delete().where(
                (m.PersonalData.application == application.id) & (m.PersonalData.role == "filer")
            ).execute()
        # the event says that people were recorded, never who they are
        append_event(
            office_id,
            "people_recorded",
            now,
            ticket=ticket,
            application=application,
            counter=counter_id,
            staff=staff_id,
            proxy=filer is not None,
        )
    return _application_view(application, now)


def required_documents(view: ApplicationView) -> list[DocumentView]:
    """The checklist as it applies: proxy documents only when a proxy files."""
    return [d for d in view.documents if d.when != "proxy" or view.proxy]


# --- deficiency records (Act s.8) ------------------------------------------------------------


@dataclass(frozen=True)
class DeficiencyInfo:
    application_number: str
    service_name: str
    deadline: date
    missing: tuple[str, ...]
    checklist: tuple[tuple[str, bool], ...]
    applicant_name: str | None
    applicant_mark: str
    witness_name: str | None
    officer: str
    filed_at: datetime


def record_deficiency(
    office_id: int,
    counter_id: int,
    staff_id: int,
    missing: list[str],
    deadline: date,
    now: datetime,
    applicant_mark: str = "signature",
    witness_name: str | None = None,
) -> DeficiencyInfo:
    """แบบตรวจสอบคำขอและบันทึกความบกพร่อง: once per application; the application keeps its number."""
    if applicant_mark not in ("signature", "thumbprint"):
        raise UserError("applicant_mark must be signature or thumbprint")
    if applicant_mark == "thumbprint" and not (witness_name or "").strip():
        raise UserError("พิมพ์ลายนิ้วมือต้องมีพยาน: กรอกชื่อพยาน (a thumbprint needs a witness)")
    missing = [item.strip() for item in missing if item.strip()]
    if not missing:
        raise UserError("ระบุเอกสารที่ขาดอย่างน้อยหนึ่งรายการ")
    if deadline <= local_date(now):
        raise UserError("กำหนดส่งเอกสารต้องเป็นวันหลังจากวันนี้")
    with write_transaction(m.database_proxy.obj):
        authorize(staff_id, "record_deficiency", counter_id=counter_id, office_id=office_id)
        ticket, application, view = _active(counter_id, now)
        now = after_events(now, application.id)  # the clock may have gone back
        if not view.under_act:
            raise UserError("บริการนี้ไม่อยู่ภายใต้ พ.ร.บ.การอำนวยความสะดวกฯ จึงไม่ใช้บันทึกความบกพร่อง")
        used = UserError(
            f"คำขอเลขที่ {view.number} เคยมีบันทึกความบกพร่องแล้ว: พ.ร.บ.การอำนวยความสะดวกฯ "
            "มาตรา 8 ให้เรียกเอกสารเพิ่มได้เพียงครั้งเดียว (more documents may be asked for "
            "only once per application)"
        )
        if view.deficiency_used:
            raise used
        documents = required_documents(view)
        checklist = [(d.name, d.index in view.checklist) for d in documents]
        try:  # the unique index on the application holds "once" whatever the race
            m.DeficiencyRecord.create(
                application=application.id,
                created_at=to_db(now),
                staff=staff_id,
                deadline=deadline,
                missing=json.dumps(missing, ensure_ascii=False),
                checklist=json.dumps(checklist, ensure_ascii=False),
                applicant_mark=applicant_mark,
                witness_name=(witness_name or "").strip() or None,
            )
        except IntegrityError:
            raise used from None
        append_event(
            office_id,
            "documents_missing",
            now,
            ticket=ticket,
            application=application,
            counter=counter_id,
            staff=staff_id,
            deadline=deadline.isoformat(),
            missing=len(missing),
        )
        m.Application.update(status="deficient").where(m.Application.id == application.id).execute()
        _start_following(office_id, ticket, counter_id, staff_id, now)
        _close_ticket_if_done(ticket, counter_id, staff_id, office_id, now)
    return deficiency_info(application.id)


def deficiency_info(application_id: int) -> DeficiencyInfo:
    record = m.DeficiencyRecord.get(m.DeficiencyRecord.application == application_id)
    application = record.application
    applicant = m.PersonalData.get_or_none(
        (m.PersonalData.application == application_id) & (m.PersonalData.role == "applicant")
    )
    return DeficiencyInfo(
        application.number,
        application.service.name_th,
        record.deadline,
        tuple(json.loads(record.missing)),
        tuple((name, bool(ok)) for name, ok in json.loads(record.checklist)),
        applicant.name if applicant else None,
        record.applicant_mark,
        record.witness_name,
        record.staff.name,
        from_db(record.created_at),
    )


def _find_application(office_id: int, number: str, lock: bool = False) -> m.Application:
    """The application by its number; with ``lock``, its row is locked until the transaction
    ends (PostgreSQL), for a use-case that changes it by its status (reopen, return, undo)."""
    query = m.Application.select().where(
        (m.Application.office == office_id) & (m.Application.number == number.strip())
    )
    application: m.Application | None = (for_update(query) if lock else query).first()
    if application is None:
        raise UserError(f"ไม่พบคำขอเลขที่ {number} (no application {number})")
    return application


def reopen_application(
    office_id: int, counter_id: int, staff_id: int, number: str, now: datetime
) -> ServiceView:
    """The visitor is back with the missing documents: the same application, its timing goes on.

    If the officer has just called the visitor's new queue ticket (not started), that ticket is
    closed as merged into the reopened application.
    """
    today = local_date(now)
    with claim_transaction(m.database_proxy.obj, office_id):
        authorize(staff_id, "reopen", counter_id=counter_id, office_id=office_id)
        application = _find_application(office_id, number, lock=True)
        record = m.DeficiencyRecord.get_or_none(m.DeficiencyRecord.application == application.id)
        if record is None or application.status != "deficient":
            raise UserError(f"คำขอเลขที่ {number} ไม่ได้รอเอกสารเพิ่ม (not waiting for documents)")
        if record.deadline < today:
            raise UserError(
                f"คำขอเลขที่ {number} พ้นกำหนดส่งเอกสาร ({record.deadline.isoformat()}) "
                "แล้ว: คืนคำขอพร้อมเหตุผล (return it) แทนการเปิดใหม่"
            )
        current = current_ticket(counter_id, lock=True)
        if current is not None:
            if current.status != "called":
                raise UserError("ช่องบริการนี้กำลังให้บริการบัตรคิวอื่นอยู่: จบการให้บริการก่อน")
            m.Ticket.update(status="done").where(m.Ticket.id == current.id).execute()
            # Not a cancelled request: the same visitor's returning application ("merged" is
            # left out of the statistics so the request is not counted twice).
            for merged in m.Application.select().where(
                (m.Application.ticket == current.id) & m.Application.finished_at.is_null()
            ):
                m.Application.update(
                    status="finished", outcome="merged", finished_at=to_db(now)
                ).where(m.Application.id == merged.id).execute()
                append_event(
                    office_id,
                    "finished",
                    now,
                    ticket=current,
                    application=merged,
                    counter=counter_id,
                    staff=staff_id,
                    outcome="merged",
                    reason=f"ผู้ยื่นคำขอเดิมกลับมายื่นเอกสาร คำขอเลขที่ {number}",
                )
        ticket = application.ticket
        m.Ticket.update(status="serving", counter=counter_id).where(
            m.Ticket.id == ticket.id
        ).execute()
        m.Application.update(status="serving", counter=counter_id, officer=staff_id).where(
            m.Application.id == application.id
        ).execute()
        reopened = after_events(now, application.id)  # the clock may have gone back
        m.DeficiencyRecord.update(resolved_at=to_db(reopened)).where(
            m.DeficiencyRecord.id == record.id
        ).execute()
        append_event(
            office_id,
            "reopened",
            reopened,
            ticket=ticket,
            application=application,
            counter=counter_id,
            staff=staff_id,
        )
    view = service_view(office_id, counter_id, now)
    assert view is not None
    return view


def return_application(
    office_id: int, staff_id: int, number: str, reason: str | None, now: datetime
) -> str:
    """คืนคำขอ: past the deadline, with the reason (Act s.8/s.9)."""
    reason = require_reason(reason, "คืนคำขอ")
    with write_transaction(m.database_proxy.obj):
        authorize(
            staff_id, "return_application", counter_id=held_counter(staff_id), office_id=office_id
        )
        application = _find_application(office_id, number, lock=True)
        record = m.DeficiencyRecord.get_or_none(m.DeficiencyRecord.application == application.id)
        if record is None or application.status != "deficient":
            raise UserError(f"คำขอเลขที่ {number} ไม่ได้รอเอกสารเพิ่ม (not waiting for documents)")
        if record.deadline >= local_date(now):
            raise UserError(
                f"ยังไม่พ้นกำหนดส่งเอกสาร ({record.deadline.isoformat()}): คืนคำขอได้เมื่อพ้นกำหนดแล้ว"
            )
        m.Application.update(status="finished", outcome="returned", finished_at=to_db(now)).where(
            m.Application.id == application.id
        ).execute()
        m.DeficiencyRecord.update(returned_at=to_db(now), return_reason=reason).where(
            m.DeficiencyRecord.id == record.id
        ).execute()
        append_event(
            office_id,
            "finished",
            now,
            ticket=application.ticket,
            application=application,
            staff=staff_id,
            reason=reason,
            outcome="returned",
        )
    return application.number


# --- finishing, adding, transferring, correcting ---------------------------------------------


def _holidays(office_id: int, today: date) -> frozenset[date]:
    from counter_tui.core.workdays import parse_holidays
    from counter_tui.services.settings import get_setting

    return parse_holidays(get_setting(office_id, "office.holidays", today) or "")


def _close_ticket_if_done(
    ticket: m.Ticket, counter_id: int, staff_id: int, office_id: int, now: datetime
) -> bool:
    still_open = (
        m.Application.select()
        .where((m.Application.ticket == ticket.id) & m.Application.status.in_(OPEN))
        .exists()
    )
    if not still_open:
        m.Ticket.update(status="done").where(m.Ticket.id == ticket.id).execute()
    return not still_open


def _start_following(
    office_id: int, ticket: m.Ticket, counter_id: int, staff_id: int, at: datetime
) -> m.Application | None:
    """The next service waiting on the same ticket starts when one ends at the counter."""
    following: m.Application | None = (
        m.Application.select()
        .where((m.Application.ticket == ticket.id) & (m.Application.status == "waiting"))
        .order_by(m.Application.position)
        .first()
    )
    if following is not None:
        m.Application.update(
            status="serving", started_at=to_db(at), counter=counter_id, officer=staff_id
        ).where(m.Application.id == following.id).execute()
        append_event(
            office_id,
            "started",
            at,
            ticket=ticket,
            application=following,
            counter=counter_id,
            staff=staff_id,
        )
    return following


def finish_application(
    office_id: int,
    counter_id: int,
    staff_id: int,
    outcome: str,
    now: datetime,
    reason: str | None = None,
) -> FinishResult:
    """F10: the application being served ends with an outcome; the next one on the ticket
    starts; a multi-day service accepted for processing opens a case with its due date."""
    if outcome not in OUTCOMES:
        raise UserError(f"unknown outcome {outcome!r}; use one of {', '.join(OUTCOMES)}")
    if outcome in ("cancelled", "returned", "referred"):
        reason = require_reason(reason, "ยกเลิก/คืน/ส่งต่อ")
    today = local_date(now)
    with write_transaction(m.database_proxy.obj):
        authorize(staff_id, "finish", counter_id=counter_id, office_id=office_id)
        ticket, application, view = _active(counter_id, now)
        end = after_events(now, application.id)  # the clock may have gone back
        m.Application.update(status="finished", outcome=outcome, finished_at=to_db(end)).where(
            m.Application.id == application.id
        ).execute()
        append_event(
            office_id,
            "finished",
            end,
            ticket=ticket,
            application=application,
            counter=counter_id,
            staff=staff_id,
            reason=reason,
            outcome=outcome,
        )
        case_due = None
        if outcome == "accepted" and view.standard_days:
            from counter_tui.core.workdays import due_date

            kind = view.day_kind or "unknown"
            try:
                case_due = due_date(today, view.standard_days, kind, _holidays(office_id, today))
            except OverflowError:  # a standard imported before durations were bounded
                raise UserError(
                    f"มาตรฐานเวลาของบริการ {view.service_code} ({view.standard_text}) ยาวเกินกว่าจะ"
                    "คำนวณวันครบกำหนดได้: ยังไม่ได้บันทึกการจบบริการ — ให้ผู้ดูแลระบบแก้คู่มือแล้ว"
                    "นำเข้าใหม่ (counter-tui catalog import) จากนั้นกดจบอีกครั้ง"
                ) from None
            m.Case.create(
                application=application.id,
                office=office_id,
                opened_at=to_db(end),
                complete_date=today,
                due_date=case_due,
                day_kind=kind,
            )
            append_event(
                office_id,
                "case_opened",
                end,
                ticket=ticket,
                application=application,
                counter=counter_id,
                staff=staff_id,
                due=case_due.isoformat(),
                day_kind=kind,
            )
        following = _start_following(office_id, ticket, counter_id, staff_id, end)
        done = _close_ticket_if_done(ticket, counter_id, staff_id, office_id, now)
    return FinishResult(
        application.number, outcome, case_due, following.number if following else None, done
    )


def add_service(
    office_id: int, counter_id: int, staff_id: int, service_code: str, now: datetime
) -> str:
    """Another service on the same ticket, timed against its own manual after the current one."""
    today = local_date(now)
    with claim_transaction(m.database_proxy.obj, office_id):
        authorize(staff_id, "add_service", counter_id=counter_id, office_id=office_id)
        ticket = current_ticket(counter_id, lock=True)
        if ticket is None:
            raise UserError("ยังไม่มีบัตรคิวที่ช่องบริการนี้")
        service = current_service(office_id, service_code)
        position = (m.Application.select().where(m.Application.ticket == ticket.id).count()) + 1
        application = m.Application.create(
            office=office_id,
            ticket=ticket,
            number=application_number(office_id, today),
            position=position,
            service=service,
            created_at=to_db(now),
            counter=counter_id,
        )
        append_event(
            office_id,
            "service_added",
            now,
            ticket=ticket,
            application=application,
            counter=counter_id,
            staff=staff_id,
            service=service.code,
            version=service.version,
        )
        if (
            not (
                m.Application.select()
                .where(
                    (m.Application.ticket == ticket.id)
                    & m.Application.status.in_(("serving", "paused"))
                )
                .exists()
            )
            and ticket.status == "serving"
        ):
            m.Application.update(status="serving", started_at=to_db(now), officer=staff_id).where(
                m.Application.id == application.id
            ).execute()
            append_event(
                office_id,
                "started",
                now,
                ticket=ticket,
                application=application,
                counter=counter_id,
                staff=staff_id,
            )
        return application.number


def transfer(
    office_id: int,
    counter_id: int,
    staff_id: int,
    to_counter_id: int,
    reason: str | None,
    now: datetime,
) -> str:
    """Send the application being served to another unit's counter: the ticket keeps its number,
    its place and its history; that counter calls it and its clock continues there."""
    reason = require_reason(reason, "ส่งต่อ")
    with claim_transaction(m.database_proxy.obj, office_id):
        authorize(staff_id, "transfer", counter_id=counter_id, office_id=office_id)
        ticket, application, _ = _active(counter_id, now)
        now = after_events(now, application.id)  # the clock may have gone back
        target = m.Counter.get_or_none(
            (m.Counter.id == to_counter_id) & (m.Counter.office == office_id)
        )
        if target is None or target.id == counter_id:
            raise UserError("เลือกช่องบริการปลายทางอื่น (choose another counter)")
        append_event(
            office_id,
            "transferred",
            now,
            ticket=ticket,
            application=application,
            counter=counter_id,
            staff=staff_id,
            reason=reason,
            to_counter=target.id,
        )
        m.Application.update(status="waiting", counter=target.id).where(
            m.Application.id == application.id
        ).execute()
        m.Ticket.update(status="waiting", counter=None, assigned_counter=target.id).where(
            m.Ticket.id == ticket.id
        ).execute()
        return target.name


def correct(
    office_id: int,
    counter_id: int,
    staff_id: int,
    what: str,
    reason: str | None,
    now: datetime,
    service_code: str | None = None,
) -> ApplicationView:
    """A mistake corrected on screen; the correction is a new event naming what it corrects.

    ``what``: ``step`` (the last step was completed too early), ``service`` (the wrong service
    was chosen: the application continues under ``service_code``, keeping its times).
    """
    reason = require_reason(reason, "แก้ไข")
    with write_transaction(m.database_proxy.obj):
        authorize(staff_id, "correct", counter_id=counter_id, office_id=office_id)
        ticket, application, view = _active(counter_id, now)
        now = after_events(now, application.id)  # the clock may have gone back
        if what == "step":
            voided = {
                e.corrects
                for e in m.Event.select(m.Event.corrects).where(
                    (m.Event.application == application.id) & (m.Event.kind == "corrected")
                )
            }
            last = (
                m.Event.select()
                .where(
                    (m.Event.application == application.id)
                    & (m.Event.kind == "step_completed")
                    & m.Event.id.not_in([v for v in voided if v] or [0])
                )
                .order_by(m.Event.id.desc())
                .first()
            )
            if last is None:
                raise UserError("ยังไม่มีขั้นตอนที่เสร็จให้แก้ไข")
            append_event(
                office_id,
                "corrected",
                now,
                ticket=ticket,
                application=application,
                counter=counter_id,
                staff=staff_id,
                reason=reason,
                corrects=last.id,
                what="step",
            )
        elif what == "service":
            if not service_code:
                raise UserError("เลือกบริการที่ถูกต้อง")
            service = current_service(office_id, service_code)
            append_event(
                office_id,
                "corrected",
                now,
                ticket=ticket,
                application=application,
                counter=counter_id,
                staff=staff_id,
                reason=reason,
                what="service",
                from_service=view.service_code,
                to_service=service.code,
                version=service.version,
            )
            m.Application.update(service=service.id).where(
                m.Application.id == application.id
            ).execute()
            if application.position == 1:
                m.Ticket.update(service=service.id).where(m.Ticket.id == ticket.id).execute()
        else:
            raise UserError(f"unknown correction {what!r}")
    return _application_view(m.Application.get_by_id(application.id), now)


def undo_finish(
    office_id: int, counter_id: int, staff_id: int, number: str, reason: str | None, now: datetime
) -> ServiceView:
    """An early finish corrected: the application (just finished here) is served again."""
    reason = require_reason(reason, "แก้ไขการจบบริการ")
    with claim_transaction(m.database_proxy.obj, office_id):
        authorize(staff_id, "undo_finish", counter_id=counter_id, office_id=office_id)
        application = _find_application(office_id, number, lock=True)
        if application.status != "finished" or application.counter_id != counter_id:
            raise UserError(f"คำขอเลขที่ {number} ไม่ได้เพิ่งจบที่ช่องนี้")
        current = current_ticket(counter_id, lock=True)
        if current is not None and current.id != application.ticket_id:
            raise UserError("ช่องบริการนี้มีบัตรคิวอื่นแล้ว")
        finished = (
            m.Event.select()
            .where((m.Event.application == application.id) & (m.Event.kind == "finished"))
            .order_by(m.Event.id.desc())
            .first()
        )
        if finished is None or local_date(from_db(finished.at)) != local_date(now):
            raise UserError("แก้ไขได้เฉพาะการจบบริการวันนี้ (only a finish of today can be undone)")
        case = m.Case.get_or_none(m.Case.application == application.id)
        if case is not None:
            raise UserError("คำขอนี้เปิดเป็นเรื่องดำเนินการแล้ว แก้ไขการจบบริการไม่ได้")
        append_event(
            office_id,
            "corrected",
            now,
            ticket=application.ticket,
            application=application,
            counter=counter_id,
            staff=staff_id,
            reason=reason,
            corrects=finished.id,
            what="finish",
        )
        # The finish had started the next service on the ticket: that start is corrected too,
        # so only one clock runs (the one of the application served again).
        for following in m.Application.select().where(
            (m.Application.ticket == application.ticket_id)
            & (m.Application.position > application.position)
            & m.Application.status.in_(("serving", "paused"))
        ):
            started = (
                m.Event.select()
                .where(
                    (m.Event.application == following.id)
                    & (m.Event.kind == "started")
                    & (m.Event.at == finished.at)
                )
                .order_by(m.Event.id.desc())
                .first()
            )
            if started is not None:
                append_event(
                    office_id,
                    "corrected",
                    now,
                    ticket=application.ticket,
                    application=following,
                    counter=counter_id,
                    staff=staff_id,
                    reason=reason,
                    corrects=started.id,
                    what="start",
                )
                m.Application.update(status="waiting", started_at=None).where(
                    m.Application.id == following.id
                ).execute()
        m.Application.update(status="serving", outcome=None, finished_at=None).where(
            m.Application.id == application.id
        ).execute()
        m.Ticket.update(status="serving", counter=counter_id).where(
            m.Ticket.id == application.ticket_id
        ).execute()
    view = service_view(office_id, counter_id, now)
    assert view is not None
    return view


@dataclass(frozen=True)
class VisitSummary:
    ticket_number: str
    wait_seconds: float | None
    walk_seconds: float | None
    applications: tuple[ApplicationView, ...]
    case_dues: dict[str, date]


def visit_summary(office_id: int, ticket_id: int, now: datetime) -> VisitSummary:
    """What the finish screen shows: wait (called - issued), walk (started - called), and each
    application's service and paused time and steps against their standards."""
    ticket = m.Ticket.get_by_id(ticket_id)
    applications = tuple(
        _application_view(a, now)
        for a in m.Application.select()
        .where(m.Application.ticket == ticket_id)
        .order_by(m.Application.position)
    )
    first_call = (
        m.Event.select(m.Event.at)
        .where((m.Event.ticket == ticket_id) & (m.Event.kind == "called"))
        .order_by(m.Event.id)
        .first()
    )
    issued = from_db(ticket.issued_at)
    called = from_db(first_call.at) if first_call else None
    starts = [a.timing.started_at for a in applications if a.timing.started_at]
    started = min(starts) if starts else None
    dues = {
        c.application.number: c.due_date
        for c in m.Case.select().join(m.Application).where(m.Application.ticket == ticket_id)
    }
    return VisitSummary(
        ticket.number,
        (called - issued).total_seconds() if called else None,
        (started - called).total_seconds() if called and started else None,
        applications,
        dues,
    )
