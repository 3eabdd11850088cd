"""Provides what a counter prints: the queue ticket, the service slip (with the survey QR), the
list of documents to bring, and the deficiency record (the office's original and the applicant's
copy) — built from the database into ``printing.documents`` and sent to the counter's printer.

Each print is two halves: a ``*_job`` use-case reads the database and renders the printer's
bytes (on the database thread) and returns a ``PrintJob``; ``send_job`` delivers it, on the
app's printer thread (``services.runner.PrinterThread``), so that a printer that does not answer
(up to its 5 s timeout) never holds the database thread: call-next keeps answering meanwhile.
A printer that fails raises ``PrinterError`` (a ``UserError``): the visit is already committed,
so nothing is lost; the screen says so and the officer can reprint. A counter without a printer
raises ``NoPrinter``. The printing libraries are imported only when something is printed. PDFs of the slip and the deficiency record are also
written into the data folder (``printed/``) for the paper file and for reprints on A4.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from counter_tui.core.clock import from_db
from counter_tui.core.queue import PRIORITY_CATEGORIES
from counter_tui.core.thai_dates import local_date
from counter_tui.db import models as m
from counter_tui.errors import NoPrinter

if TYPE_CHECKING:
    from counter_tui.printing.documents import DeficiencyDoc, DocumentList, ServiceSlip, TicketSlip


@dataclass(frozen=True)
class PrintJob:
    """ESC/POS bytes for one printer, ready to send (no database needed any more)."""

    printer: str
    data: bytes


def send_job(job: PrintJob) -> None:
    """Deliver a job (``PrinterError`` on failure): the printer thread's half."""
    from counter_tui.printing.escpos_out import send

    send(job.printer, job.data)


def _printer(counter_id: int) -> str:
    counter = m.Counter.get_by_id(counter_id)
    if not counter.printer:
        raise NoPrinter(
            f"ช่องบริการ {counter.name} ยังไม่ได้ตั้งเครื่องพิมพ์: ผู้ดูแลระบบตั้งได้ที่หน้าผู้ดูแล "
            "หรือ counter-tui counter add ... --printer URL (no printer set)"
        )
    return counter.printer


def _thai_digits(office_id: int, now: datetime) -> bool:
    from counter_tui.services.settings import get_setting

    return get_setting(office_id, "print.thai_digits", local_date(now)) == "true"


def _office_name(office_id: int) -> str:
    return m.Office.get_by_id(office_id).name


def ticket_slip(office_id: int, ticket_id: int, people_ahead: int) -> TicketSlip:
    from counter_tui.printing.documents import TicketSlip

    ticket = m.Ticket.get_by_id(ticket_id)
    priority = PRIORITY_CATEGORIES[ticket.priority][0] if ticket.priority else None
    return TicketSlip(
        _office_name(office_id),
        ticket.number,
        ticket.service.name_th,
        from_db(ticket.issued_at),
        people_ahead,
        priority,
    )


def service_slips(office_id: int, ticket_id: int, now: datetime) -> list[ServiceSlip]:
    """One slip per service of the visit."""
    from counter_tui.printing.documents import ServiceSlip, SlipStep
    from counter_tui.services.survey import survey_link
    from counter_tui.services.visit import OUTCOME_TH, visit_summary

    summary = visit_summary(office_id, ticket_id, now)
    ticket = m.Ticket.get_by_id(ticket_id)
    url = survey_link(office_id, now)
    slips: list[ServiceSlip] = []
    for view in summary.applications:
        application = m.Application.get_by_id(view.id)
        staff = application.officer if application.officer_id else None
        officer = staff.name if staff is not None else ""
        slips.append(
            ServiceSlip(
                office_name=_office_name(office_id),
                ticket_number=ticket.number,
                application_number=view.number,
                service_name=view.service_name,
                officer=officer,
                issued_at=from_db(ticket.issued_at),
                called_at=from_db(ticket.called_at),
                started_at=view.timing.started_at,
                finished_at=view.timing.finished_at,
                service_seconds=view.timing.service_seconds if view.timing.started_at else None,
                standard_seconds=view.standard_seconds,
                steps=tuple(
                    SlipStep(step.name, t.seconds if t.completed else None, step.standard_seconds)
                    for step, t in zip(view.steps, view.timing.steps)
                ),
                outcome_label=OUTCOME_TH.get(view.timing.outcome or "", view.timing.status),
                complaint_channels=view.complaint_channels,
                survey_url=url,
                sample_standards=view.sample,
            )
        )
    return slips


def deficiency_doc(office_id: int, application_id: int) -> DeficiencyDoc:
    from counter_tui.printing.documents import ChecklistItem, DeficiencyDoc
    from counter_tui.services.settings import get_setting
    from counter_tui.services.visit import deficiency_info

    info = deficiency_info(application_id)
    return DeficiencyDoc(
        office_name=_office_name(office_id),
        office_address=get_setting(office_id, "office.address", local_date(info.filed_at)) or None,
        application_number=info.application_number,
        service_name=info.service_name,
        applicant_name=info.applicant_name or "",
        filed_at=info.filed_at,
        checklist=tuple(ChecklistItem(name, ok) for name, ok in info.checklist),
        missing=info.missing,
        deadline=info.deadline,
        officer=info.officer,
        # one of the two: checked when recorded (services.visit), and by DeficiencyDoc
        applicant_mark=cast(Literal["signature", "thumbprint"], info.applicant_mark),
        witness_name=info.witness_name,
    )


def document_list(office_id: int, service_code: str) -> DocumentList:
    import json

    from counter_tui.printing.documents import DocumentList, RequiredDocument
    from counter_tui.services.tickets import current_service

    service = current_service(office_id, service_code)
    manual = json.loads(service.manual_json)
    return DocumentList(
        _office_name(office_id),
        service.name_th,
        tuple(
            RequiredDocument(d.name_th, d.originals, d.copies, d.unit_word, d.condition)
            for d in m.ServiceDocument.select()
            .where(m.ServiceDocument.service == service)
            .order_by(m.ServiceDocument.position)
        ),
        (manual.get("fee") or {}).get("text", ""),
    )


def _printed_folder() -> Path:
    from counter_tui.paths import data_dir
    from counter_tui.private_files import private_folder

    return private_folder(data_dir() / "printed")  # slips and records: personal data


# --- print jobs (the bytes for the counter's printer; sent by ``send_job``) -------------------


def ticket_job(
    office_id: int, counter_id: int, ticket_id: int, people_ahead: int, now: datetime
) -> PrintJob:
    from counter_tui.printing.escpos_out import render_ticket

    printer = _printer(counter_id)
    return PrintJob(
        printer,
        render_ticket(
            ticket_slip(office_id, ticket_id, people_ahead),
            thai_digits=_thai_digits(office_id, now),
        ),
    )


@dataclass(frozen=True)
class SlipJob:
    job: PrintJob | None
    """None: the counter has no printer (the PDF is written all the same)"""
    pdf: Path
    offers_survey: bool
    """the slip carries the survey QR: record the offer once it is printed"""


def service_slip_job(office_id: int, counter_id: int, ticket_id: int, now: datetime) -> SlipJob:
    """The slips of a visit (one per service) as a print job, and their PDF in the data folder
    (written also when the printer then fails)."""
    from counter_tui.printing.escpos_out import render_service_slip
    from counter_tui.printing.pdf import service_slip_pdf

    slips = service_slips(office_id, ticket_id, now)
    digits = _thai_digits(office_id, now)
    pdf = service_slip_pdf(
        slips[0], _printed_folder() / f"slip-{ticket_id}.pdf", thai_digits=digits
    )
    try:
        printer = _printer(counter_id)
    except NoPrinter:
        return SlipJob(None, pdf, False)
    data = b"".join(render_service_slip(slip, thai_digits=digits) for slip in slips)
    return SlipJob(PrintJob(printer, data), pdf, bool(slips and slips[0].survey_url))


def slip_printed(office_id: int, staff_id: int, ticket_id: int, now: datetime) -> None:
    """The slip with the survey QR reached the visitor: the survey was offered on the slip."""
    from counter_tui.services.survey import offer_survey

    offer_survey(office_id, ticket_id, staff_id, "slip", now)


def write_deficiency_pdf(office_id: int, application_id: int, now: datetime) -> Path:
    from counter_tui.printing.pdf import deficiency_pdf

    doc = deficiency_doc(office_id, application_id)
    safe = doc.application_number.replace("/", "-")
    return deficiency_pdf(
        doc, _printed_folder() / f"deficiency-{safe}.pdf", thai_digits=_thai_digits(office_id, now)
    )


def deficiency_job(office_id: int, counter_id: int, application_id: int, now: datetime) -> PrintJob:
    from counter_tui.printing.escpos_out import render_deficiency

    printer = _printer(counter_id)
    return PrintJob(
        printer,
        render_deficiency(
            deficiency_doc(office_id, application_id), thai_digits=_thai_digits(office_id, now)
        ),
    )


def document_list_job(
    office_id: int, counter_id: int, service_code: str, now: datetime
) -> PrintJob:
    from counter_tui.printing.escpos_out import render_document_list

    printer = _printer(counter_id)
    return PrintJob(
        printer,
        render_document_list(
            document_list(office_id, service_code), thai_digits=_thai_digits(office_id, now)
        ),
    )
