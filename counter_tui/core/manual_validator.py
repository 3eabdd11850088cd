"""Provides the validator of the citizen-manual format (one TOML file per service).

``parse_manual`` turns the bytes of one file into a ``Manual`` (``counter_tui.core.manual``) and
a list of ``Problem`` s that point at the offending line (``FILE:LINE: error: ...``); the manual
is built only when the file has no error. ``CatalogCheck`` gathers several files and reports a
service code used twice. Nothing here reads a file: ``counter_tui.catalog.loader`` finds and reads
them (``validate_paths``). The format is described for administrators in
``counter_tui/catalog/README.md``.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from counter_tui.core.durations import Duration, parse_duration, sum_durations
from counter_tui.core.manual import (
    DOCUMENT_WHEN,
    PERSONAL_DATA_KEYS,
    PERSONAL_DATA_LEVELS,
    Document,
    Fee,
    Manual,
    PersonalData,
    Step,
)
from counter_tui.core.toml_lines import KeyPath, key_lines, nearest_line

__all__ = [
    "CatalogCheck",
    "Problem",
    "Severity",
    "parse_manual",
]

Severity = Literal["error", "warning"]

CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")
GROUP_RE = re.compile(r"^[A-Z]$")


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
_PERSONAL_KEYS: tuple[str, ...] = PERSONAL_DATA_KEYS
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

    def count(self, table: Mapping[str, Any], key: KeyPath, name: str, where: str) -> int | None:
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
                    f"[fee] with {_UNKNOWN_FEE_HINT}",
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
            if name_th is None or any(p.severity == "error" for p in self.problems[before:]):
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
                    f"document {index + 1} must be a [[documents]] section, not {_describe(entry)}",
                )
                ok = False
                continue
            before = len(self.problems)
            self.unknown_keys(entry, key, _DOCUMENT_KEYS, where)
            name_th = self.text(entry, key, "name_th", where, True, 'name_th = "สำเนาทะเบียนบ้าน"')
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
                    name_th,
                    originals,
                    copies,
                    unit,
                    condition,
                    when,  # type: ignore[arg-type]
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
            which = (
                "the step standards"
                if len(stated) == len(steps)
                else ("the steps that state a standard")
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
        return None, [Problem(path, 1, "error", "TOML syntax error: values nested too deeply")]
    checker = _Checker(path, key_lines(text))
    manual = checker.manual(document)
    problems = sorted(checker.problems, key=lambda p: p.line)
    if any(p.severity == "error" for p in problems):
        manual = None
    return manual, problems


# --------------------------------------------------------------------------------------------
# Checking several files
# --------------------------------------------------------------------------------------------


@dataclass
class CatalogCheck:
    """The result of checking several manual files: the manuals that parsed and every problem.

    ``add_file`` checks one file's bytes; ``counter_tui.catalog.loader.validate_paths`` reads
    files and folders and adds them in order."""

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

    def add_file(self, name: str, data: bytes) -> None:
        """Check one manual file. A service code already used by an earlier file is an error
        at this file's code line (and this manual is not added)."""
        manual, problems = parse_manual(data, name)
        self.problems.extend(problems)
        if manual is None:
            return
        first = next((path for path, seen in self.manuals if seen.code == manual.code), None)
        if first is not None:
            text = data.decode("utf-8", "replace").lstrip("\ufeff")
            line = nearest_line(key_lines(text), ("code",))
            self.problems.append(
                Problem(
                    name,
                    line,
                    "error",
                    f"code '{manual.code}' is already used by {first}; each service needs its "
                    "own code — change one of them",
                )
            )
            return
        self.manuals.append((name, manual))
