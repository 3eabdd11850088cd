"""Provides multi-day cases after the counter (Licensing Facilitation Act s.10): the case list,
progress notes, the decision, the date the result was notified (due within 7 days of the
decision), and the delay notices owed to the applicant every 7 days while a case is overdue,
each copied to ก.พ.ร. (OPDC).

The s.10 duties (the delay notices, the result within 7 days) belong to the services under the
Act (``under_act`` in the manual). A case of another service (a complaint, an information
request) has its due date and its decision, never an s.10 notice or an s.10 "late".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from counter_tui.core.clock import from_db, to_db
from counter_tui.core.thai_dates import format_date_th, local_date
from counter_tui.db import models as m
from counter_tui.db.database import for_update, write_transaction
from counter_tui.db.rows import tuples
from counter_tui.errors import UserError
from counter_tui.services.events import append_event, require_reason
from counter_tui.services.permissions import authorize, scoped_units

NOTICE_EVERY_DAYS = 7
RESULT_WITHIN_DAYS = 7
FILTERS = ("open", "week", "overdue", "all")
ALL_LIMIT = 1000


@dataclass(frozen=True)
class CaseInfo:
    id: int
    application: str
    service_name: str
    unit: str
    complete_date: date
    due: date
    day_kind: str
    status: str
    decided_at: datetime | None
    decision: str | None
    result_notified_at: datetime | None
    result_late: bool
    """the result was (or still is) notified more than 7 days after the decision (Act s.10:
    False for a service outside the Act)"""
    overdue: bool
    notices: int
    last_notice: date | None
    notice_needed: bool
    """an s.10 delay notice is owed (``notice_owed``)"""
    progress: tuple[str, ...]
    under_act: bool = True
    """the service is under the Licensing Facilitation Act (its manual's ``under_act``)"""


def notice_owed(under_act: bool, overdue: bool, last_notice: date | None, today: date) -> bool:
    """Whether an s.10 delay notice is owed today: the service is under the Act, the case is
    overdue and undecided, and no notice was sent in the last 7 days. Every list that shows
    "ต้องแจ้ง" asks this."""
    return (
        under_act
        and overdue
        and (last_notice is None or (today - last_notice).days >= NOTICE_EVERY_DAYS)
    )


def _info(case: m.Case, today: date, notices: list[date], progress: list[str]) -> CaseInfo:
    decided = from_db(case.decided_at)
    notified = from_db(case.result_notified_at)
    application = case.application
    under_act = bool(application.service.under_act)
    late = False
    if decided is not None and under_act:
        limit = local_date(decided) + timedelta(days=RESULT_WITHIN_DAYS)
        late = (local_date(notified) if notified else today) > limit
    overdue = decided is None and case.due_date < today
    last = max(notices) if notices else None
    needed = notice_owed(under_act, overdue, last, today)
    return CaseInfo(
        case.id,
        application.number,
        application.service.name_th,
        application.service.unit.name,
        case.complete_date,
        case.due_date,
        case.day_kind,
        case.status,
        decided,
        case.decision,
        notified,
        late,
        overdue,
        len(notices),
        last,
        needed,
        tuple(progress),
        under_act,
    )


def list_cases(
    office_id: int,
    now: datetime,
    which: str = "open",
    units: Sequence[str] | None = None,
    *,
    actor_id: int | None = None,
) -> list[CaseInfo]:
    """open | week (due within 7 days or overdue) | overdue: by due date, soonest first;
    all: the newest ``ALL_LIMIT`` by due date, latest first (read from the (office, due date,
    id) index, migration 0010: sorting every case the office ever had grew with its years).
    ``actor_id``: the supervisor reading, who sees the cases of their units only (``units``
    narrows that further)."""
    if which not in FILTERS:
        raise UserError(f"unknown filter {which!r}; use one of {', '.join(FILTERS)}")
    units = scoped_units(actor_id, "list_cases", office_id, units)
    today = local_date(now)
    query = (
        m.Case.select(m.Case, m.Application, m.Service, m.Unit)
        .join(m.Application)
        .join(m.Service)
        .join(m.Unit)
        .where(m.Case.office == office_id)
    )
    if which != "all":
        query = query.where(m.Case.status == "open")
    if which == "week":
        query = query.where(m.Case.due_date <= today + timedelta(days=7))
    elif which == "overdue":
        query = query.where(m.Case.due_date < today)
    if units is not None:
        query = query.where(m.Unit.name.in_(units))
    if which == "all":
        query = query.order_by(m.Case.due_date.desc(), m.Case.id.desc())
    else:
        query = query.order_by(m.Case.due_date, m.Case.id)
    cases = list(query.limit(ALL_LIMIT))
    ids = [c.id for c in cases]
    notices: dict[int, list[date]] = {}
    for case_id, sent in tuples(
        m.DelayNotice.select(m.DelayNotice.case, m.DelayNotice.sent_at).where(
            m.DelayNotice.case.in_(ids)
        ),
        tuple[int, datetime],
    ):
        notices.setdefault(case_id, []).append(local_date(from_db(sent)))
    progress: dict[int, list[str]] = {}
    application_ids = {c.application_id: c.id for c in cases}
    for application_id, at, reason in tuples(
        m.Event.select(m.Event.application, m.Event.at, m.Event.reason)
        .where(m.Event.application.in_(list(application_ids)) & (m.Event.kind == "case_progress"))
        .order_by(m.Event.id),
        tuple[int, datetime, str | None],
    ):
        progress.setdefault(application_ids[application_id], []).append(
            f"{format_date_th(local_date(from_db(at)), short=True)} {reason}"
        )
    return [_info(c, today, notices.get(c.id, []), progress.get(c.id, [])) for c in cases]


def _case(office_id: int, case_id: int, lock: bool = False) -> m.Case:
    """The case; with ``lock``, its row is locked until the transaction ends (PostgreSQL), for
    a use-case that writes by what it read (decided already? the next notice's number)."""
    query = (
        m.Case.select(m.Case, m.Application)
        .join(m.Application)
        .where((m.Case.id == case_id) & (m.Application.office == office_id))
    )
    case: m.Case | None = (for_update(query, of=m.Case) if lock else query).first()
    if case is None:
        raise UserError(f"ไม่พบเรื่องหมายเลข {case_id} (no case {case_id})")
    return case


def _authorize(staff_id: int, action: str, office_id: int, case: m.Case) -> None:
    """The case's unit (its service's) is one ``staff_id`` supervises (services.permissions)."""
    unit = (
        m.Service.select(m.Unit.name)
        .join(m.Unit)
        .where(m.Service.id == case.application.service_id)
        .scalar()
    )
    authorize(staff_id, action, unit=unit, office_id=office_id)


def record_progress(
    office_id: int, case_id: int, staff_id: int, note: str | None, now: datetime
) -> None:
    note = require_reason(note, "บันทึกความคืบหน้า")
    with write_transaction(m.database_proxy.obj):
        case = _case(office_id, case_id)
        _authorize(staff_id, "case_progress", office_id, case)
        append_event(
            office_id,
            "case_progress",
            now,
            ticket=case.application.ticket_id,
            application=case.application_id,
            staff=staff_id,
            reason=note,
        )


def decide(
    office_id: int, case_id: int, staff_id: int, decision: str | None, now: datetime
) -> None:
    decision = require_reason(decision, "บันทึกผลการพิจารณา")
    with write_transaction(m.database_proxy.obj):
        case = _case(office_id, case_id, lock=True)
        _authorize(staff_id, "case_decide", office_id, case)
        if case.decided_at is not None:
            raise UserError("เรื่องนี้พิจารณาแล้ว (the case is decided already)")
        m.Case.update(decided_at=to_db(now), decision=decision, status="decided").where(
            m.Case.id == case.id
        ).execute()
        append_event(
            office_id,
            "case_decided",
            now,
            ticket=case.application.ticket_id,
            application=case.application_id,
            staff=staff_id,
            reason=decision,
        )


def notify_result(office_id: int, case_id: int, staff_id: int, now: datetime) -> bool:
    """Record that the applicant was told the result; returns True when that was late (> 7 days
    after the decision, Act s.10; never for a service outside the Act)."""
    with write_transaction(m.database_proxy.obj):
        case = _case(office_id, case_id, lock=True)
        _authorize(staff_id, "case_notify", office_id, case)
        if case.decided_at is None:
            raise UserError("ยังไม่ได้บันทึกผลการพิจารณา: บันทึกผลก่อนแจ้งผู้ยื่นคำขอ")
        if case.result_notified_at is not None:
            raise UserError("แจ้งผลแล้ว (the result was notified already)")
        late = bool(case.application.service.under_act) and local_date(now) > local_date(
            from_db(case.decided_at)
        ) + timedelta(days=RESULT_WITHIN_DAYS)
        m.Case.update(result_notified_at=to_db(now), status="closed").where(
            m.Case.id == case.id
        ).execute()
        append_event(
            office_id,
            "result_notified",
            now,
            ticket=case.application.ticket_id,
            application=case.application_id,
            staff=staff_id,
            late=late,
        )
    return late


@dataclass(frozen=True)
class DelayNoticeInfo:
    """What the letter says (the applicant's name and address come from the personal data)."""

    number: int
    sent_at: datetime
    office_name: str
    office_address: str
    office_code: str
    application: str
    service_name: str
    filed_on: date
    due: date
    reason: str
    applicant_name: str | None
    applicant_address: str | None
    copied_to_opdc: bool


def send_delay_notice(
    office_id: int,
    case_id: int,
    staff_id: int,
    reason: str | None,
    now: datetime,
    copied_to_opdc: bool = True,
) -> DelayNoticeInfo:
    """A notice of the reason for delay, owed every 7 days while the case is overdue (services
    under the Act only: the letter cites s.10 and is copied to ก.พ.ร.)."""
    reason = require_reason(reason, "แจ้งเหตุแห่งความล่าช้า")
    today = local_date(now)
    with write_transaction(m.database_proxy.obj):
        case = _case(office_id, case_id, lock=True)
        _authorize(staff_id, "case_delay_notice", office_id, case)
        if not case.application.service.under_act:
            raise UserError(
                f"{case.application.service.name_th} ไม่อยู่ในบังคับ พ.ร.บ.การอำนวยความสะดวกฯ "
                "จึงไม่มีหนังสือแจ้งเหตุล่าช้าตามมาตรา 10 (และไม่ต้องสำเนาถึง ก.พ.ร.): "
                "บันทึกความคืบหน้าแทน หรือแจ้งผู้ยื่นตามขั้นตอนของบริการนั้น"
            )
        if case.decided_at is not None or case.due_date >= today:
            raise UserError("ส่งหนังสือแจ้งเหตุล่าช้าได้เมื่อเรื่องเกินกำหนดและยังไม่ได้พิจารณา")
        number = m.DelayNotice.select().where(m.DelayNotice.case == case.id).count() + 1
        m.DelayNotice.create(
            case=case.id,
            number=number,
            sent_at=to_db(now),
            sent_by=staff_id,
            reason=reason,
            copied_to_opdc=copied_to_opdc,
        )
        append_event(
            office_id,
            "delay_notice_sent",
            now,
            ticket=case.application.ticket_id,
            application=case.application_id,
            staff=staff_id,
            reason=reason,
            number=number,
            copied_to_opdc=copied_to_opdc,
        )
    return delay_notice_info(office_id, case_id, number)


def delay_notice_info(office_id: int, case_id: int, number: int) -> DelayNoticeInfo:
    from counter_tui.services.settings import get_setting

    case = _case(office_id, case_id)
    notice = m.DelayNotice.get((m.DelayNotice.case == case.id) & (m.DelayNotice.number == number))
    application = case.application
    applicant = m.PersonalData.get_or_none(
        (m.PersonalData.application == application.id) & (m.PersonalData.role == "applicant")
    )
    office = m.Office.get_by_id(office_id)
    sent = from_db(notice.sent_at)
    return DelayNoticeInfo(
        number,
        sent,
        office.name,
        get_setting(office_id, "office.address", local_date(sent)) or "",
        office.code,
        application.number,
        application.service.name_th,
        case.complete_date,
        case.due_date,
        notice.reason,
        applicant.name if applicant else None,
        applicant.address if applicant else None,
        notice.copied_to_opdc,
    )


def write_delay_letter(info: DelayNoticeInfo) -> str:
    """The delay notice as a Thai official letter PDF in the data folder's ``letters/``
    (private: a letter names the applicant); returns its path."""
    from counter_tui.paths import data_dir
    from counter_tui.printing.letter import delay_notice_pdf
    from counter_tui.private_files import private_folder

    folder = private_folder(data_dir() / "letters")
    safe = info.application.replace("/", "-")
    path = folder / f"delay-notice-{safe}-{info.number}.pdf"
    delay_notice_pdf(info, path)
    return str(path)


def send_delay_notice_with_letter(
    office_id: int, case_id: int, staff_id: int, reason: str | None, now: datetime
) -> str:
    """The cases screen's l: record the notice (``send_delay_notice``) and write its letter;
    returns the letter's path."""
    return write_delay_letter(send_delay_notice(office_id, case_id, staff_id, reason, now))
