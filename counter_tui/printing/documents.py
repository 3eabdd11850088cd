"""Provides the plain data the app fills for each printed document: the queue ticket, the service
slip, the list of documents to bring and the deficiency record (Act B.E. 2558 s.8).

Frozen dataclasses of strings, numbers, aware datetimes and tuples; nothing here formats or
prints. The row types are NamedTuples, so plain tuples in the same order work as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, NamedTuple

__all__ = [
    "ChecklistItem",
    "DeficiencyDoc",
    "DocumentList",
    "RequiredDocument",
    "ServiceSlip",
    "SlipStep",
    "TicketSlip",
]


class SlipStep(NamedTuple):
    """One step of a served service: seconds spent (None: not reached) and its standard."""

    name: str
    seconds: float | None
    standard_seconds: int | None


class RequiredDocument(NamedTuple):
    """A document the manual asks for; None where the manual does not say."""

    name: str
    originals: int | None = None
    copies: int | None = None
    unit: str | None = None
    """The counting word: ฉบับ, ชุด, แผ่น, ... (ฉบับ when None)."""
    condition: str | None = None
    """e.g. "กรณีมอบอำนาจ" (if filed by a proxy)."""


class ChecklistItem(NamedTuple):
    name: str
    supplied: bool


@dataclass(frozen=True)
class TicketSlip:
    """The queue ticket handed to a walk-in visitor (no name: a ticket needs none)."""

    office_name: str
    number: str
    service_name: str
    issued_at: datetime
    people_ahead: int
    priority_label: str | None = None
    """e.g. "ผู้สูงอายุ" when the ticket has a priority category."""


@dataclass(frozen=True)
class ServiceSlip:
    """What the visitor takes home after the service: times against the standard, complaint
    channels and the EIT survey link."""

    office_name: str
    ticket_number: str
    application_number: str | None
    service_name: str
    officer: str
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    service_seconds: float | None
    standard_seconds: int | None
    """None: the manual gives no standard (on time is then undefined)."""
    steps: tuple[SlipStep, ...]
    outcome_label: str
    """In Thai, e.g. "ให้บริการแล้วเสร็จ"."""
    complaint_channels: tuple[str, ...]
    survey_url: str | None
    sample_standards: bool
    """True while the standards are the bundled sample, not the office's own manual."""


@dataclass(frozen=True)
class DocumentList:
    """The documents to bring for a service, as its citizen manual lists them."""

    office_name: str
    service_name: str
    documents: tuple[RequiredDocument, ...]
    fee_text: str
    """e.g. "ไม่มีค่าธรรมเนียม" or "ค่าธรรมเนียม 20 บาท"."""


@dataclass(frozen=True)
class DeficiencyDoc:
    """แบบตรวจสอบคำขอและบันทึกความบกพร่อง (Licensing Facilitation Act B.E. 2558, s.8)."""

    office_name: str
    office_address: str | None
    application_number: str
    service_name: str
    applicant_name: str
    filed_at: datetime
    checklist: tuple[ChecklistItem, ...]
    missing: tuple[str, ...]
    deadline: date
    officer: str
    applicant_mark: Literal["signature", "thumbprint"] = "signature"
    witness_name: str | None = None
    """Needed (in practice) when the applicant gives a thumbprint."""

    def __post_init__(self) -> None:
        if self.applicant_mark not in ("signature", "thumbprint"):
            raise ValueError(
                f"applicant_mark must be 'signature' or 'thumbprint', got {self.applicant_mark!r}"
            )
