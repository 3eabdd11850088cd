"""Provides the citizen-manual model: one service's manual as frozen dataclasses.

A manual holds what a Thai คู่มือสำหรับประชาชน states — steps with their standard times, documents
with counts of originals and copies, the fee — plus what the counter needs (ticket group letter,
responsible unit, personal data the application records, whether the service falls under the
Licensing Facilitation Act B.E. 2558). ``Manual.to_json``/``from_json`` are the form a manual is
stored in (the database keeps each imported version) and ``content_hash`` tells versions apart.
A manual file is read into this model only through its validator,
``counter_tui.core.manual_validator.parse_manual``; files on disk are found and read by
``counter_tui.catalog.loader``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from counter_tui.core.durations import Duration, parse_duration, sum_durations

__all__ = [
    "DOCUMENT_WHEN",
    "PERSONAL_DATA_KEYS",
    "PERSONAL_DATA_LEVELS",
    "Document",
    "Fee",
    "Manual",
    "PersonalData",
    "Step",
]

DocumentWhen = Literal["always", "proxy", "if"]
PersonalDataLevel = Literal["required", "optional", "none"]

DOCUMENT_WHEN: tuple[str, ...] = ("always", "proxy", "if")
PERSONAL_DATA_LEVELS: tuple[str, ...] = ("required", "optional", "none")
PERSONAL_DATA_KEYS: tuple[str, ...] = ("name", "national_id", "address", "phone")


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a service, in order, with its responsible unit and standard time."""

    name_th: str
    name_en: str | None = None
    unit: str | None = None
    standard: Duration | None = None  # None: the manual publishes no standard for this step
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A document the applicant brings: counts of originals and copies, and when it applies."""

    name_th: str
    originals: int | None = None
    copies: int | None = None
    unit: str | None = None
    condition: str | None = None
    when: DocumentWhen = "always"


@dataclass(frozen=True, slots=True)
class Fee:
    """The fee, stated explicitly: amount_thb 0 means no fee, None means no amount stated."""

    text: str
    amount_thb: int | float | None = None


@dataclass(frozen=True, slots=True)
class PersonalData:
    """Which personal data an application of this service records."""

    name: PersonalDataLevel = "required"
    national_id: PersonalDataLevel = "none"
    address: PersonalDataLevel = "none"
    phone: PersonalDataLevel = "optional"


@dataclass(frozen=True, slots=True)
class Manual:
    """A citizen manual (คู่มือสำหรับประชาชน) of one service, as the counter uses it."""

    code: str
    name_th: str
    name_en: str
    group: str
    unit: str
    under_act: bool
    fee: Fee
    category: str | None = None
    legal_basis: tuple[str, ...] = ()
    sensitive: bool = False
    sample: bool = False
    source: str | None = None
    channels: tuple[str, ...] = ()
    hours: str | None = None
    standard: Duration | None = None
    standard_source: str | None = None
    complaint_channels: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    personal_data: PersonalData = field(default_factory=PersonalData)
    steps: tuple[Step, ...] = ()
    documents: tuple[Document, ...] = ()

    @property
    def total_standard(self) -> Duration | None:
        """The stated total standard, else the sum of the step standards when every step has
        one and they add up, else None (no standard: on-time is undefined)."""
        if self.standard is not None:
            return self.standard
        if not self.steps or any(step.standard is None for step in self.steps):
            return None
        return sum_durations(step.standard for step in self.steps if step.standard is not None)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict with every field (durations as their Thai text); see from_json."""

        def duration(value: Duration | None) -> str | None:
            return None if value is None else value.text_th()

        return {
            "code": self.code,
            "name_th": self.name_th,
            "name_en": self.name_en,
            "group": self.group,
            "unit": self.unit,
            "category": self.category,
            "legal_basis": list(self.legal_basis),
            "under_act": self.under_act,
            "sensitive": self.sensitive,
            "sample": self.sample,
            "source": self.source,
            "channels": list(self.channels),
            "hours": self.hours,
            "standard": duration(self.standard),
            "standard_source": self.standard_source,
            "complaint_channels": list(self.complaint_channels),
            "notes": list(self.notes),
            "fee": {"amount_thb": self.fee.amount_thb, "text": self.fee.text},
            "personal_data": {
                "name": self.personal_data.name,
                "national_id": self.personal_data.national_id,
                "address": self.personal_data.address,
                "phone": self.personal_data.phone,
            },
            "steps": [
                {
                    "name_th": step.name_th,
                    "name_en": step.name_en,
                    "unit": step.unit,
                    "standard": duration(step.standard),
                    "source": step.source,
                }
                for step in self.steps
            ],
            "documents": [
                {
                    "name_th": doc.name_th,
                    "originals": doc.originals,
                    "copies": doc.copies,
                    "unit": doc.unit,
                    "condition": doc.condition,
                    "when": doc.when,
                }
                for doc in self.documents
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Manual:
        """Rebuild a Manual from to_json() output (raises KeyError/ValueError on bad data)."""

        def duration(value: str | None) -> Duration | None:
            return None if value is None else parse_duration(value)

        fee = data["fee"]
        personal = data.get("personal_data") or {}
        return cls(
            code=data["code"],
            name_th=data["name_th"],
            name_en=data["name_en"],
            group=data["group"],
            unit=data["unit"],
            under_act=bool(data["under_act"]),
            fee=Fee(text=fee["text"], amount_thb=fee.get("amount_thb")),
            category=data.get("category"),
            legal_basis=tuple(data.get("legal_basis") or ()),
            sensitive=bool(data.get("sensitive", False)),
            sample=bool(data.get("sample", False)),
            source=data.get("source"),
            channels=tuple(data.get("channels") or ()),
            hours=data.get("hours"),
            standard=duration(data.get("standard")),
            standard_source=data.get("standard_source"),
            complaint_channels=tuple(data.get("complaint_channels") or ()),
            notes=tuple(data.get("notes") or ()),
            personal_data=PersonalData(
                **{k: personal[k] for k in PERSONAL_DATA_KEYS if k in personal}
            ),
            steps=tuple(
                Step(
                    name_th=step["name_th"],
                    name_en=step.get("name_en"),
                    unit=step.get("unit"),
                    standard=duration(step.get("standard")),
                    source=step.get("source"),
                )
                for step in data.get("steps") or ()
            ),
            documents=tuple(
                Document(
                    name_th=doc["name_th"],
                    originals=doc.get("originals"),
                    copies=doc.get("copies"),
                    unit=doc.get("unit"),
                    condition=doc.get("condition"),
                    when=doc.get("when", "always"),
                )
                for doc in data.get("documents") or ()
            ),
        )

    def content_hash(self) -> str:
        """sha256 of the canonical JSON: a changed hash means a new version of the manual."""
        canonical = json.dumps(
            self.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
