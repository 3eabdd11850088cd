"""Provides the citizen-manual format (one TOML file per service) and its validator.

A manual file holds what a Thai คู่มือสำหรับประชาชน states — steps with their standard times,
documents with counts of originals and copies, the fee — plus what the counter needs (ticket
group letter, responsible unit, personal data the application records, whether the service
falls under the Licensing Facilitation Act B.E. 2558). ``parse_manual`` turns the bytes of one
file into a frozen ``Manual`` and a list of ``Problem`` s that point at the offending line;
``validate_paths`` checks files and folders together (duplicate codes across files).
The format is described for administrators in ``counter_tui/catalog/README.md``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from counter_tui.core.durations import Duration, parse_duration, sum_durations
from counter_tui.core.toml_lines import KeyPath, key_lines, nearest_line

__all__ = [
    "DOCUMENT_WHEN",
    "PERSONAL_DATA_LEVELS",
    "CatalogCheck",
    "Document",
    "Fee",
    "Manual",
    "PersonalData",
    "Problem",
    "Severity",
    "Step",
    "bundled_manuals_dir",
    "parse_manual",
    "validate_paths",
]

Severity = Literal["error", "warning"]
DocumentWhen = Literal["always", "proxy", "if"]
PersonalDataLevel = Literal["required", "optional", "none"]

DOCUMENT_WHEN: tuple[str, ...] = ("always", "proxy", "if")
PERSONAL_DATA_LEVELS: tuple[str, ...] = ("required", "optional", "none")

CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")
GROUP_RE = re.compile(r"^[A-Z]$")


# --------------------------------------------------------------------------------------------
# The manual
# --------------------------------------------------------------------------------------------


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
            personal_data=PersonalData(**{k: personal[k] for k in _PERSONAL_KEYS if k in personal}),
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


# --------------------------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem in a manual file, at a 1-based line (0 when the file could not be read)."""

    path: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


# --------------------------------------------------------------------------------------------
# The schema
# --------------------------------------------------------------------------------------------

_TOP_KEYS: tuple[str, ...] = (
    "code", "name_th", "name_en", "group", "unit", "category", "legal_basis", "under_act",
    "sensitive", "sample", "source", "channels", "hours", "standard", "standard_source",
    "complaint_channels", "notes", "fee", "personal_data", "steps", "documents",
)  # fmt: skip
_FEE_KEYS: tuple[str, ...] = ("amount_thb", "text")
_PERSONAL_KEYS: tuple[str, ...] = ("name", "national_id", "address", "phone")
_STEP_KEYS: tuple[str, ...] = ("name_th", "name_en", "unit", "standard", "source")
_DOCUMENT_KEYS: tuple[str, ...] = ("name_th", "originals", "copies", "unit", "condition", "when")

_TOP_STR_REQUIRED = ("name_th", "name_en", "unit")
_TOP_STR_OPTIONAL = ("category", "source", "hours", "standard_source")
_TOP_LIST_OPTIONAL = ("legal_basis", "channels", "complaint_channels", "notes")

_UNKNOWN_FEE_HINT = 'text = "ไม่มีค่าธรรมเนียม" and amount_thb = 0 when there is no fee'


def _describe(value: Any) -> str:
    """How a TOML value reads in a message: its kind and, when short, itself."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {json.dumps(shown, ensure_ascii=False)}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__} ({value})"


class _Checker:
    """Collects problems for one file while reading its TOML data into a Manual."""

    def __init__(self, path: str, lines: dict[KeyPath, int]) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[Problem] = []

    # -- reporting -------------------------------------------------------------------------
    def line(self, key: KeyPath) -> int:
        return nearest_line(self.lines, key)

    def error(self, key: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.path, self.line(key), "error", message))

    def warning(self, key: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.path, self.line(key), "warning", message))

    def missing(self, table_key: KeyPath, where: str, key: str, example: str) -> None:
        """A required key is absent: report at the enclosing table's header (or line 1)."""
        line = self.lines.get(table_key, 1) if table_key else 1
        self.problems.append(
            Problem(
                self.path,
                line,
                "error",
                f"missing required key '{key}'{where}; add a line such as {example}",
            )
        )

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    # -- generic checks --------------------------------------------------------------------
    def unknown_keys(
        self, table: Mapping[str, Any], key: KeyPath, allowed: tuple[str, ...], where: str
    ) -> None:
        for name in table:
            if name in allowed:
                continue
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            self.error(
                key + (name,),
                f"unknown key '{name}'{where}; {hint}the allowed keys are: {', '.join(allowed)}",
            )

    def text(
        self,
        table: Mapping[str, Any],
        key: KeyPath,
        name: str,
        where: str,
        required: bool,
        example: str,
    ) -> str | None:
        if name not in table:
            if required:
                self.missing(key, where, name, example)
            return None
        value = table[name]
        if not isinstance(value, str):
            self.error(
                key + (name,),
                f"'{name}'{where} must be text in double quotes, not {_describe(value)}; "
                f"write e.g. {example}",
            )
            return None
        if not value.strip():
            self.error(
                key + (name,),
                f"'{name}'{where} is empty; write the text (e.g. {example}) or leave the key out"
                if not required
                else f"'{name}'{where} is empty; write e.g. {example}",
            )
            return None
        return value

    def text_list(
        self, table: Mapping[str, Any], key: KeyPath, name: str, where: str
    ) -> tuple[str, ...]:
        if name not in table:
            return ()
        value = table[name]
        example = f'{name} = ["first item", "second item"]'
        if not isinstance(value, list):
            self.error(
                key + (name,),
                f"'{name}'{where} must be a list of texts, not {_describe(value)}; "
                f"write e.g. {example}",
            )
            return ()
        items: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                shown = "an empty text" if isinstance(item, str) else _describe(item)
                self.error(
                    key + (name, index),
                    f"item {index + 1} of '{name}'{where} must be a non-empty text, not {shown}; "
                    f"write e.g. {example}",
                )
                continue
            items.append(item)
        return tuple(items)

    def boolean(
        self,
        table: Mapping[str, Any],
        key: KeyPath,
        name: str,
        where: str,
        default: bool | None,
    ) -> bool | None:
        if name not in table:
            if default is None:
                self.missing(key, where, name, f"{name} = true (or false)")
            return default
        value = table[name]
        if not isinstance(value, bool):
            self.error(
                key + (name,),
                f"'{name}'{where} must be true or false (without quotes), not {_describe(value)}; "
                f"write {name} = true or {name} = false",
            )
            return default
        return value

    def count(
        self, table: Mapping[str, Any], key: KeyPath, name: str, where: str
    ) -> int | None:
        if name not in table:
            return None
        value = table[name]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(
                key + (name,),
                f"'{name}'{where} must be a whole number (0 or more, without quotes), "
                f"not {_describe(value)}; write e.g. {name} = 1",
            )
            return None
        if value < 0:
            self.error(
                key + (name,),
                f"'{name}'{where} is {value}: a count cannot be negative; write 0 or more",
            )
            return None
        return value

    def duration(
        self, table: Mapping[str, Any], key: KeyPath, name: str, where: str
    ) -> Duration | None:
        if name not in table:
            return None
        value = table[name]
        if not isinstance(value, str):
            self.error(
                key + (name,),
                f"'{name}'{where} must be a duration in double quotes, not {_describe(value)}; "
                f'write e.g. {name} = "30 นาที" or {name} = "14 วันทำการ"',
            )
            return None
        try:
            duration = parse_duration(value)
        except ValueError as exc:
            self.error(key + (name,), f"'{name}'{where}: {exc}")
            return None
        if duration.day_kind == "unknown":
            self.warning(
                key + (name,),
                f"'{name}'{where} = {json.dumps(value, ensure_ascii=False)} does not say whether "
                "the days are working or calendar days, so a case's due date is uncertain; "
                f'write "{duration.value} วันทำการ" or "{duration.value} วัน" (calendar days) '
                "once the office's manual says which",
            )
        return duration

    def subtable(
        self, data: Mapping[str, Any], name: str, example: str
    ) -> Mapping[str, Any] | None:
        value = data[name]
        if not isinstance(value, dict):
            self.error(
                (name,),
                f"'{name}' must be a table, not {_describe(value)}; write a [{name}] section, "
                f"e.g. {example}",
            )
            return None
        return value

    def table_list(self, data: Mapping[str, Any], name: str, label: str) -> list[Any]:
        if name not in data:
            return []
        value = data[name]
        if not isinstance(value, list):
            self.error(
                (name,),
                f"'{name}' must be a list of [[{name}]] sections, not {_describe(value)}; "
                f"write each {label} as a [[{name}]] section",
            )
            return []
        return value

    # -- the manual ------------------------------------------------------------------------
    def manual(self, data: Mapping[str, Any]) -> Manual | None:
        self.unknown_keys(data, (), _TOP_KEYS, "")

        code = self.text(data, (), "code", "", True, 'code = "ELDERLY_ALLOWANCE_REG"')
        if code is not None and not CODE_RE.match(code):
            self.error(
                ("code",),
                f"'code' {json.dumps(code, ensure_ascii=False)} is not a valid service code: use "
                "2 to 40 characters, capital letters A-Z, digits and _, starting with a letter "
                '(e.g. code = "ELDERLY_ALLOWANCE_REG")',
            )
        name_th = self.text(data, (), "name_th", "", True, 'name_th = "การชำระภาษีป้าย"')
        name_en = self.text(data, (), "name_en", "", True, 'name_en = "Signboard tax payment"')
        group = self.text(data, (), "group", "", True, 'group = "E"')
        if group is not None and not GROUP_RE.match(group):
            self.error(
                ("group",),
                f"'group' {json.dumps(group, ensure_ascii=False)} must be one capital letter A-Z "
                '(the ticket letter; services sharing a queue share it), e.g. group = "A"',
            )
        unit = self.text(data, (), "unit", "", True, 'unit = "สำนักปลัด"')
        category = self.text(data, (), "category", "", False, 'category = "ขึ้นทะเบียน"')
        source = self.text(data, (), "source", "", False, 'source = "https://..."')
        hours = self.text(data, (), "hours", "", False, 'hours = "จันทร์–ศุกร์ 08.30–16.30 น."')
        standard_source = self.text(
            data, (), "standard_source", "", False, 'standard_source = "https://..."'
        )
        lists = {name: self.text_list(data, (), name, "") for name in _TOP_LIST_OPTIONAL}
        under_act = self.boolean(data, (), "under_act", "", None)
        sensitive = self.boolean(data, (), "sensitive", "", False)
        sample = self.boolean(data, (), "sample", "", False)
        standard = self.duration(data, (), "standard", "")

        fee = self.fee(data)
        personal = self.personal_data(data)
        steps = self.steps(data)
        documents = self.documents(data)

        self.compare_steps_with_total(standard, steps)

        if (
            self.has_errors
            or code is None
            or name_th is None
            or name_en is None
            or group is None
            or unit is None
            or under_act is None
            or fee is None
            or personal is None
            or steps is None
            or documents is None
        ):
            return None
        return Manual(
            code=code,
            name_th=name_th,
            name_en=name_en,
            group=group,
            unit=unit,
            under_act=under_act,
            fee=fee,
            category=category,
            legal_basis=lists["legal_basis"],
            sensitive=bool(sensitive),
            sample=bool(sample),
            source=source,
            channels=lists["channels"],
            hours=hours,
            standard=standard,
            standard_source=standard_source,
            complaint_channels=lists["complaint_channels"],
            notes=lists["notes"],
            personal_data=personal,
            steps=steps,
            documents=documents,
        )

    def fee(self, data: Mapping[str, Any]) -> Fee | None:
        if "fee" not in data:
            self.problems.append(
                Problem(
                    self.path,
                    1,
                    "error",
                    "missing the [fee] section: a manual must state its fee explicitly; add "
                    f'[fee] with {_UNKNOWN_FEE_HINT}',
                )
            )
            return None
        table = self.subtable(data, "fee", '[fee] text = "ไม่มีค่าธรรมเนียม"')
        if table is None:
            return None
        key: KeyPath = ("fee",)
        where = " in [fee]"
        self.unknown_keys(table, key, _FEE_KEYS, where)
        text = self.text(table, key, "text", where, True, 'text = "ไม่มีค่าธรรมเนียม"')
        amount: int | float | None = None
        if "amount_thb" in table:
            value = table["amount_thb"]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.error(
                    key + ("amount_thb",),
                    f"'amount_thb' in [fee] must be a number of baht (without quotes), not "
                    f"{_describe(value)}; write e.g. amount_thb = 50, or amount_thb = 0 for no fee",
                )
            elif not math.isfinite(value) or value < 0:
                self.error(
                    key + ("amount_thb",),
                    f"'amount_thb' in [fee] is {value!r}: it must be 0 or more "
                    "(0 means no fee; leave it out when the fee is not a fixed amount)",
                )
            else:
                amount = value
        if text is None:
            return None
        return Fee(text=text, amount_thb=amount)

    def personal_data(self, data: Mapping[str, Any]) -> PersonalData | None:
        if "personal_data" not in data:
            return PersonalData()
        table = self.subtable(data, "personal_data", '[personal_data] name = "required"')
        if table is None:
            return None
        key: KeyPath = ("personal_data",)
        where = " in [personal_data]"
        self.unknown_keys(table, key, _PERSONAL_KEYS, where)
        defaults = PersonalData()
        values: dict[str, str] = {}
        ok = True
        for name in _PERSONAL_KEYS:
            if name not in table:
                continue
            value = table[name]
            if value not in PERSONAL_DATA_LEVELS or not isinstance(value, str):
                self.error(
                    key + (name,),
                    f"'{name}'{where} is {_describe(value)}; write "
                    f'{name} = "required", "optional" or "none"',
                )
                ok = False
                continue
            values[name] = value
        if not ok:
            return None
        return PersonalData(
            name=values.get("name", defaults.name),  # type: ignore[arg-type]
            national_id=values.get("national_id", defaults.national_id),  # type: ignore[arg-type]
            address=values.get("address", defaults.address),  # type: ignore[arg-type]
            phone=values.get("phone", defaults.phone),  # type: ignore[arg-type]
        )

    def steps(self, data: Mapping[str, Any]) -> tuple[Step, ...] | None:
        entries = self.table_list(data, "steps", "step")
        steps: list[Step] = []
        ok = True
        for index, entry in enumerate(entries):
            key: KeyPath = ("steps", index)
            where = f" in step {index + 1}"
            if not isinstance(entry, dict):
                self.error(
                    key,
                    f"step {index + 1} must be a [[steps]] section, not {_describe(entry)}",
                )
                ok = False
                continue
            before = len(self.problems)
            self.unknown_keys(entry, key, _STEP_KEYS, where)
            name_th = self.text(entry, key, "name_th", where, True, 'name_th = "รับคำขอ"')
            name_en = self.text(entry, key, "name_en", where, False, 'name_en = "Receive"')
            unit = self.text(entry, key, "unit", where, False, 'unit = "สำนักปลัด"')
            source = self.text(entry, key, "source", where, False, 'source = "https://..."')
            standard = self.duration(entry, key, "standard", where)
            if name_th is None or any(
                p.severity == "error" for p in self.problems[before:]
            ):
                ok = False
                continue
            steps.append(Step(name_th, name_en, unit, standard, source))
        return tuple(steps) if ok else None

    def documents(self, data: Mapping[str, Any]) -> tuple[Document, ...] | None:
        entries = self.table_list(data, "documents", "document")
        documents: list[Document] = []
        ok = True
        for index, entry in enumerate(entries):
            key: KeyPath = ("documents", index)
            where = f" in document {index + 1}"
            if not isinstance(entry, dict):
                self.error(
                    key,
                    f"document {index + 1} must be a [[documents]] section, "
                    f"not {_describe(entry)}",
                )
                ok = False
                continue
            before = len(self.problems)
            self.unknown_keys(entry, key, _DOCUMENT_KEYS, where)
            name_th = self.text(
                entry, key, "name_th", where, True, 'name_th = "สำเนาทะเบียนบ้าน"'
            )
            originals = self.count(entry, key, "originals", where)
            copies = self.count(entry, key, "copies", where)
            unit = self.text(entry, key, "unit", where, False, 'unit = "ฉบับ"')
            condition = self.text(
                entry, key, "condition", where, False, 'condition = "กรณีมอบอำนาจ"'
            )
            when = "always"
            if "when" in entry:
                value = entry["when"]
                if not isinstance(value, str) or value not in DOCUMENT_WHEN:
                    self.error(
                        key + ("when",),
                        f"'when'{where} is {_describe(value)}; write when = \"always\", "
                        'when = "proxy" (only when a proxy files) or when = "if" '
                        "(only when the condition holds; the officer ticks it)",
                    )
                else:
                    when = value
            errors_here = any(p.severity == "error" for p in self.problems[before:])
            if not errors_here:
                if originals == 0 and copies == 0:
                    self.error(
                        key + ("copies",),
                        f"document {index + 1} asks for 0 originals and 0 copies; "
                        "give the number the manual states (e.g. copies = 1), or remove the "
                        "document",
                    )
                    errors_here = True
                elif not originals and not copies:
                    stated = (
                        "states no counts"
                        if originals is None and copies is None
                        else "states no count to bring (one count is 0, the other is missing)"
                    )
                    self.warning(
                        key,
                        f"document {index + 1} ({name_th}) {stated}; write originals = ... "
                        "and copies = ... as the office's manual states them",
                    )
                if when == "if" and condition is None:
                    self.warning(
                        key + ("when",),
                        f'document {index + 1} has when = "if" but no condition; add '
                        'condition = "..." so the officer knows when to tick it',
                    )
            if name_th is None or errors_here:
                ok = False
                continue
            documents.append(
                Document(
                    name_th, originals, copies, unit, condition, when  # type: ignore[arg-type]
                )
            )
        return tuple(documents) if ok else None

    def compare_steps_with_total(
        self, total: Duration | None, steps: tuple[Step, ...] | None
    ) -> None:
        if total is None or not steps:
            return
        stated = [step.standard for step in steps if step.standard is not None]
        step_sum = sum_durations(stated)
        if step_sum is None:
            return
        if total.seconds is not None and step_sum.seconds is not None:
            exceeds = step_sum.seconds > total.seconds
        elif total.is_days and step_sum.is_days and total.day_kind == step_sum.day_kind:
            exceeds = step_sum.value > total.value
        else:
            return  # not comparable (minutes against days, working against calendar days)
        if exceeds:
            which = "the step standards" if len(stated) == len(steps) else (
                "the steps that state a standard"
            )
            self.warning(
                ("standard",),
                f"{which} add up to {step_sum.text_th()}, more than the total standard "
                f"{total.text_th()}; check both against the office's manual (each step is timed "
                "against its own standard, the visit against the total)",
            )


# --------------------------------------------------------------------------------------------
# Parsing one file
# --------------------------------------------------------------------------------------------

_TOML_POSITION_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END_RE = re.compile(r"\s*\(at end of document\)\s*$")


def _line_count(text: str) -> int:
    return max(1, len(text.splitlines()))


def parse_manual(data: bytes, path: str) -> tuple[Manual | None, list[Problem]]:
    """Read one manual file. The Manual is None when there is any error. Never raises."""
    path = str(path)
    try:
        return _parse_manual(data, path)
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises"
        return None, [
            Problem(
                path,
                1,
                "error",
                f"could not read this file as a manual ({type(exc).__name__}); check that it is "
                "a UTF-8 TOML file in the format of counter_tui/catalog/README.md",
            )
        ]


def _parse_manual(data: bytes, path: str) -> tuple[Manual | None, list[Problem]]:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = bytes(data)[: exc.start].count(b"\n") + 1
        bad = bytes(data)[exc.start : exc.start + 1].hex()
        return None, [
            Problem(
                path,
                line,
                "error",
                f"the file is not valid UTF-8 text (byte 0x{bad} on this line); save it as "
                "UTF-8 (in most editors: Save As, encoding UTF-8)",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark from Windows editors; harmless
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION_RE.search(message)
        if match:
            line = int(match.group(1))
            detail = f"{message[: match.start()]} at column {match.group(2)}"
        else:
            end = _TOML_END_RE.search(message)
            line = _line_count(text)
            detail = f"{message[: end.start()]} at the end of the file" if end else message
        if detail.startswith("Illegal character '\\n'"):
            hint = "a text value is not closed: add the closing double quote on this line"
        else:
            hint = (
                "check quotes, brackets and '=' on this line (text values go in double quotes, "
                'e.g. name_th = "...")'
            )
        return None, [Problem(path, line, "error", f"TOML syntax error: {detail}; {hint}")]
    except RecursionError:
        return None, [
            Problem(path, 1, "error", "TOML syntax error: values nested too deeply")
        ]
    checker = _Checker(path, key_lines(text))
    manual = checker.manual(document)
    problems = sorted(checker.problems, key=lambda p: p.line)
    if any(p.severity == "error" for p in problems):
        manual = None
    return manual, problems


# --------------------------------------------------------------------------------------------
# Checking files and folders
# --------------------------------------------------------------------------------------------


@dataclass
class CatalogCheck:
    """The result of validate_paths: the manuals that parsed and every problem found."""

    manuals: list[tuple[str, Manual]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warning_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")


def bundled_manuals_dir() -> Traversable:
    """The folder of the bundled sample manuals shipped inside the package."""
    return resources.files("counter_tui.catalog") / "manuals"


def _as_entry(item: str | os.PathLike[str] | Traversable) -> Path | Traversable:
    if isinstance(item, (str, os.PathLike)):
        return Path(item)
    return item


def _expand(
    items: Iterable[str | os.PathLike[str] | Traversable], problems: list[Problem]
) -> list[tuple[str, Path | Traversable]]:
    files: list[tuple[str, Path | Traversable]] = []
    seen: set[str] = set()

    def add(entry: Path | Traversable) -> None:
        name = str(entry)
        try:
            ident = str(Path(name).resolve()) if isinstance(entry, Path) else name
        except (OSError, RuntimeError, ValueError):
            ident = name
        if ident not in seen:
            seen.add(ident)
            files.append((name, entry))

    for item in items:
        entry = _as_entry(item)
        name = str(entry)
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except (OSError, ValueError) as exc:
            problems.append(Problem(name, 0, "error", f"cannot read this path: {exc}"))
            continue
        if is_dir:
            try:
                children = sorted(
                    (c for c in entry.iterdir() if c.name.endswith(".toml") and c.is_file()),
                    key=lambda c: c.name,
                )
            except OSError as exc:
                problems.append(
                    Problem(name, 0, "error", f"cannot list this folder: {exc.strerror or exc}")
                )
                continue
            if not children:
                problems.append(
                    Problem(
                        name,
                        0,
                        "error",
                        "this folder holds no manual files (*.toml); give the folder of the "
                        "manuals or the files themselves",
                    )
                )
            for child in children:
                add(child)
        elif is_file:
            add(entry)
        else:
            problems.append(
                Problem(
                    name,
                    0,
                    "error",
                    "no such file or folder; check the path (give manual files *.toml or a "
                    "folder of them)",
                )
            )
    return files


def validate_paths(paths: Iterable[str | os.PathLike[str] | Traversable]) -> CatalogCheck:
    """Check manual files; a folder stands for its *.toml files (sorted by name).

    Unreadable or missing paths are error problems at line 0, never exceptions. A service
    code used by two files is an error at the second file's code line.
    """
    check = CatalogCheck()
    files = _expand(paths, check.problems)
    first_file_of_code: dict[str, str] = {}
    for name, entry in files:
        try:
            data = entry.read_bytes()
        except OSError as exc:
            check.problems.append(
                Problem(name, 0, "error", f"cannot read this file: {exc.strerror or exc}")
            )
            continue
        manual, problems = parse_manual(data, name)
        check.problems.extend(problems)
        if manual is None:
            continue
        first = first_file_of_code.get(manual.code)
        if first is not None:
            text = data.decode("utf-8", "replace").lstrip("\ufeff")
            line = nearest_line(key_lines(text), ("code",))
            check.problems.append(
                Problem(
                    name,
                    line,
                    "error",
                    f"code '{manual.code}' is already used by {first}; each service needs its "
                    "own code — change one of them",
                )
            )
            continue
        first_file_of_code[manual.code] = name
        check.manuals.append((name, manual))
    return check
