"""Provides the wording and the order of every printed document, once, as a list of simple
blocks (text, table, rule, QR, signature line, thumbprint box) that both the thermal printer
renderer (``escpos_out``) and the PDF renderer (``pdf``) draw; plus the bundled font and the
Thai-aware line wrapping they share.

Stdlib only (and ``counter_tui.core``): the renderers import Pillow, python-escpos and fpdf2.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Literal, NamedTuple

from counter_tui.core.thai_dates import (
    format_date_th,
    format_datetime_th,
    format_time_th,
    local_date,
    to_thai_digits,
)
from counter_tui.core.timing import format_duration_th
from counter_tui.printing.documents import (
    DeficiencyDoc,
    DocumentList,
    ServiceSlip,
    TicketSlip,
)
from counter_tui.printing.qr import SURVEY_HEADLINE, survey_link_problem

__all__ = [
    "ACT_REFERENCE",
    "APPLICANT_COPY",
    "Block",
    "Columns",
    "DEFICIENCY_TITLE",
    "FONT_BOLD",
    "FONT_DIR",
    "FONT_REGULAR",
    "OFFICE_COPY",
    "ONLY_ONCE_NOTE",
    "QR",
    "Rule",
    "Gap",
    "Signature",
    "Table",
    "Text",
    "ThumbBox",
    "deficiency_blocks",
    "document_list_blocks",
    "service_slip_blocks",
    "signature_line",
    "ticket_blocks",
    "wrap_text",
]

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR = FONT_DIR / "Laksaman.ttf"
FONT_BOLD = FONT_DIR / "Laksaman-Bold.ttf"
"""TLWG Laksaman (GPL-2+ with the font exception, licence in fonts/COPYING): Thai, Latin and
digits in one font, so mixed lines need no font switching."""

Size = Literal["s", "m", "l", "xl", "huge"]
Align = Literal["left", "center", "right"]


# Blocks are NamedTuples rather than dataclasses: importing this module stays cheap (a frozen
# dataclass costs ~0.75 ms to define, a NamedTuple ~0.15 ms).
class Text(NamedTuple):
    text: str
    size: Size = "m"
    bold: bool = False
    align: Align = "left"


class Table(NamedTuple):
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    """Fractions of the line width, one per column."""
    aligns: tuple[Align, ...]
    size: Size = "s"


class Rule(NamedTuple):
    pass


class Gap(NamedTuple):
    lines: float = 1.0


class QR(NamedTuple):
    url: str


class Signature(NamedTuple):
    """A signature line: "ลงชื่อ ........ role" with "(name)" under it (dotted when None)."""

    role: str
    name: str | None


class ThumbBox(NamedTuple):
    caption: str


class Columns(NamedTuple):
    """Blocks side by side on paper (each tuple is one column); one after the other on a
    narrow thermal roll."""

    columns: tuple[tuple[Block, ...], ...]


Block = Text | Table | Rule | Gap | QR | Signature | ThumbBox | Columns


def draw_blocks(blocks, renderer) -> None:
    """Hand each block to the renderer's method for its kind: one dispatch for every output
    (ESC/POS, PDF), so a new kind of block is drawn everywhere or fails everywhere."""
    for block in blocks:
        if isinstance(block, Rule):
            renderer.rule()
        elif isinstance(block, Gap):
            renderer.gap(block.lines)
        else:
            name = _DRAW.get(type(block))
            if name is None:  # pragma: no cover - a new block type without a renderer
                raise TypeError(f"cannot draw {block!r}")
            getattr(renderer, name)(block)


_DRAW = {
    Text: "text",
    Table: "table",
    QR: "qr",
    Signature: "signature",
    ThumbBox: "thumb_box",
    Columns: "columns",
}

DEFICIENCY_TITLE = "แบบตรวจสอบคำขอและบันทึกความบกพร่อง"
ACT_REFERENCE = "ตามมาตรา 8 แห่งพระราชบัญญัติการอำนวยความสะดวกในการพิจารณาอนุญาตของทางราชการ พ.ศ. 2558"
OFFICE_COPY = "ต้นฉบับ (สำหรับหน่วยงาน)"
APPLICANT_COPY = "สำเนา (สำหรับผู้ยื่นคำขอ)"
ONLY_ONCE_NOTE = (
    "เมื่อผู้ยื่นคำขอยื่นเอกสารหรือหลักฐานครบตามบันทึกนี้แล้ว "
    "เจ้าหน้าที่จะขอเอกสารหรือหลักฐานเพิ่มเติมอีกไม่ได้ "
    "(ขอเอกสารเพิ่มเติมได้เพียงครั้งเดียว)"
)
SAMPLE_NOTE = "หมายเหตุ: เวลามาตรฐานนี้เป็นตัวอย่าง จากคู่มือของหน่วยงานอื่น ยังไม่ใช่คู่มือสำหรับประชาชน ของสำนักงานนี้"


def signature_line(role: str, max_width: float, measure: Callable[[str], float]) -> str:
    """ "ลงชื่อ ....... role" with as many dots as fit in max_width (at least 12)."""
    dots = 12
    while measure(f"ลงชื่อ {'.' * (dots + 4)} {role}") <= max_width and dots < 80:
        dots += 4
    return f"ลงชื่อ {'.' * dots} {role}"


def _digits(text: str, thai_digits: bool) -> str:
    return to_thai_digits(text) if thai_digits else text


def _when(dt: datetime | None, thai_digits: bool) -> str:
    return format_time_th(dt, thai_digits=thai_digits) if dt is not None else "—"


def ticket_blocks(slip: TicketSlip, *, thai_digits: bool = False) -> list[Block]:
    """The queue ticket: office, number in huge type, service, people ahead, time."""
    ahead = f"มีผู้รอก่อนหน้า {slip.people_ahead} คิว" if slip.people_ahead else "ไม่มีผู้รอก่อนหน้า"
    blocks: list[Block] = [
        Text(slip.office_name, "m", True, "center"),
        Text("บัตรคิว", "m", False, "center"),
        Text(slip.number, "huge", True, "center"),
        Text(slip.service_name, "l", True, "center"),
    ]
    if slip.priority_label:
        blocks.append(Text(f"ลำดับพิเศษ: {slip.priority_label}", "m", True, "center"))
    blocks += [
        Text(_digits(ahead, thai_digits), "m", False, "center"),
        Text(
            format_datetime_th(slip.issued_at, short=False, thai_digits=thai_digits),
            "s",
            False,
            "center",
        ),
        Rule(),
        Text("กรุณารอเรียกตามหมายเลขบัตรคิว", "s", False, "center"),
    ]
    return blocks


def _verdict(service_seconds: float | None, standard_seconds: int | None, thai_digits: bool) -> str:
    if service_seconds is None:
        return "—"
    if standard_seconds is None:
        return "ไม่มีเวลามาตรฐานกำหนดไว้"
    if service_seconds <= standard_seconds:
        return "ภายในเวลามาตรฐาน"
    over = format_duration_th(service_seconds - standard_seconds, thai_digits=thai_digits)
    return f"เกินเวลามาตรฐาน {over}"


def service_slip_blocks(
    slip: ServiceSlip, *, thai_digits: bool = False, with_qr: bool = True
) -> list[Block]:
    """The service slip: who served what and when, time against the standard, each step,
    the outcome, the complaint channels and (when the link is usable) the EIT survey QR."""
    d = thai_digits
    day = local_date(slip.finished_at or slip.started_at or slip.issued_at)
    blocks: list[Block] = [
        Text(slip.office_name, "l", True, "center"),
        Text("ใบสรุปการให้บริการ", "m", True, "center"),
        Rule(),
        Text(
            f"บัตรคิว: {slip.ticket_number}"
            + (f"    เลขที่คำขอ: {slip.application_number}" if slip.application_number else "")
        ),
        Text(f"งานบริการ: {slip.service_name}", bold=True),
        Text(f"เจ้าหน้าที่ผู้ให้บริการ: {slip.officer}"),
        Text(f"วันที่: {format_date_th(day, thai_digits=d)}"),
        Text(f"ออกบัตรคิว {_when(slip.issued_at, d)}   เรียกคิว {_when(slip.called_at, d)}"),
        Text(f"เริ่มให้บริการ {_when(slip.started_at, d)}   เสร็จสิ้น {_when(slip.finished_at, d)}"),
        Text(
            f"ใช้เวลาให้บริการ: {format_duration_th(slip.service_seconds, thai_digits=d)}", bold=True
        ),
        Text(
            "เวลามาตรฐานตามคู่มือ: "
            + (
                format_duration_th(slip.standard_seconds, thai_digits=d)
                if slip.standard_seconds is not None
                else "ไม่ได้กำหนด"
            )
        ),
        Text(f"ผล: {_verdict(slip.service_seconds, slip.standard_seconds, d)}", bold=True),
    ]
    if slip.steps:
        rows = tuple(
            (
                name,
                format_duration_th(seconds, thai_digits=d),
                format_duration_th(standard, thai_digits=d),
            )
            for name, seconds, standard in slip.steps
        )
        blocks += [
            Gap(0.3),
            Table(
                ("ขั้นตอน", "ใช้เวลา", "มาตรฐาน"), rows, (0.44, 0.30, 0.26), ("left", "right", "right")
            ),
        ]
        blocks.append(Gap(0.3))
    blocks.append(Text(f"ผลการให้บริการ: {slip.outcome_label}", bold=True))
    if slip.sample_standards:
        blocks.append(Text(SAMPLE_NOTE, "s"))
    if slip.complaint_channels:
        blocks += [Rule(), Text("ช่องทางร้องเรียน / แสดงความคิดเห็น", bold=True)]
        blocks += [Text(f"• {channel}", "s") for channel in slip.complaint_channels]
    if with_qr and slip.survey_url and survey_link_problem(slip.survey_url) is None:
        url = slip.survey_url.strip()
        blocks += [
            Rule(),
            Text(SURVEY_HEADLINE, "m", True, "center"),
            Text("ความเห็นของท่านช่วยให้หน่วยงานโปร่งใส และให้บริการได้ดียิ่งขึ้น", "s", False, "center"),
            QR(url),
            Text(url, "s", False, "center"),
        ]
    blocks += [Rule(), Text("ขอบคุณที่มาใช้บริการ", "m", False, "center")]
    return blocks


def _count(number: int | None, unit: str | None, thai_digits: bool) -> str:
    return _digits(f"{number} {unit or 'ฉบับ'}", thai_digits) if number else ""


def document_list_blocks(doc: DocumentList, *, thai_digits: bool = False) -> list[Block]:
    """The documents to bring, numbered, with originals and copies and their conditions."""
    blocks: list[Block] = [
        Text(doc.office_name, "l", True, "center"),
        Text("รายการเอกสารที่ต้องนำมา", "m", True, "center"),
        Text(f"งานบริการ: {doc.service_name}", "m", True),
        Rule(),
    ]
    for index, (name, originals, copies, unit, condition) in enumerate(doc.documents, 1):
        blocks.append(Text(_digits(f"{index}. ", thai_digits) + name, bold=True))
        counts = [
            part
            for part in (
                ("ฉบับจริง " + _count(originals, unit, thai_digits)) if originals else "",
                ("สำเนา " + _count(copies, unit, thai_digits)) if copies else "",
            )
            if part
        ]
        detail = " · ".join(counts)
        if condition:
            detail = f"{detail} ({condition})" if detail else f"({condition})"
        if detail:
            blocks.append(Text(f"– {detail}", "s"))
    if not doc.documents:
        blocks.append(Text("ไม่ต้องใช้เอกสาร"))
    blocks += [
        Rule(),
        Text(_digits(doc.fee_text, thai_digits), bold=True),
        Text("สำเนาเอกสารทุกฉบับ กรุณาลงลายมือชื่อ รับรองสำเนาถูกต้อง", "s"),
    ]
    return blocks


def deficiency_blocks(
    doc: DeficiencyDoc, copy_label: str, *, thai_digits: bool = False
) -> list[Block]:
    """One copy of the deficiency record (copy_label: OFFICE_COPY or APPLICANT_COPY)."""
    d = thai_digits
    blocks: list[Block] = [
        Text(copy_label, "s", True, "right"),
        Text(DEFICIENCY_TITLE, "l", True, "center"),
        Text(ACT_REFERENCE, "s", False, "center"),
        Gap(0.5),
        Text(doc.office_name, "m", True, "center"),
    ]
    if doc.office_address:
        blocks.append(Text(doc.office_address, "s", False, "center"))
    blocks += [
        Rule(),
        Text(f"เลขที่คำขอ: {doc.application_number}", bold=True),
        Text(f"งานบริการ: {doc.service_name}"),
        Text(f"ชื่อผู้ยื่นคำขอ: {doc.applicant_name}"),
        Text(f"วันที่ยื่นคำขอ: {format_datetime_th(doc.filed_at, short=False, thai_digits=d)}"),
        Gap(0.5),
        Text("ผลการตรวจสอบคำขอและเอกสารหลักฐาน", bold=True),
        Table(
            ("ที่", "รายการเอกสาร/หลักฐาน", "ผลตรวจสอบ"),
            tuple(
                (_digits(str(i), d), name, "ครบถ้วน" if supplied else "ไม่มี/ไม่ครบ")
                for i, (name, supplied) in enumerate(doc.checklist, 1)
            ),
            (0.08, 0.64, 0.28),
            ("center", "left", "center"),
        ),
        Gap(0.5),
        Text("ความบกพร่อง: เอกสารหรือหลักฐานที่ผู้ยื่นคำขอต้องยื่นเพิ่มเติม", bold=True),
    ]
    blocks += [Text(_digits(f"{i}. ", d) + name) for i, name in enumerate(doc.missing, 1)]
    if not doc.missing:
        blocks.append(Text("ไม่มี"))
    blocks += [
        Text(
            "ผู้ยื่นคำขอต้องยื่นเอกสารหรือหลักฐานเพิ่มเติมภายในวันที่ "
            f"{format_date_th(doc.deadline, thai_digits=d)}",
            bold=True,
        ),
        Text("หากไม่ยื่นภายในกำหนด เจ้าหน้าที่จะคืนคำขอพร้อมแจ้งเหตุผล", "s"),
        Text(ONLY_ONCE_NOTE, "s"),
        Gap(1),
    ]
    if doc.applicant_mark == "thumbprint":
        applicant: tuple[Block, ...] = (
            ThumbBox(f"ลายพิมพ์นิ้วมือของ {doc.applicant_name} ผู้ยื่นคำขอ"),
            Signature("พยาน", doc.witness_name),
        )
    else:
        applicant = (Signature("ผู้ยื่นคำขอ", doc.applicant_name),)
    blocks.append(Columns((applicant, (Signature("เจ้าหน้าที่ผู้รับคำขอ", doc.officer),))))
    return blocks


# --- line wrapping ---------------------------------------------------------------------------

_LEADING_VOWELS = frozenset("เแโใไ")
# Characters that never start a line: Thai marks above and below, and the following vowels.
_FOLLOWERS = (
    frozenset("ะาำๅๆฯ")
    | {chr(c) for c in range(0x0E31, 0x0E3B)}
    | {chr(c) for c in range(0x0E47, 0x0E4F)}
)
# A syllable ends after these (a final consonant never follows them).
_SYLLABLE_ENDS = frozenset("ะำๆฯ")


def _is_thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"


def _clusters(word: str, keep_runs: bool = True) -> list[str]:
    """Pieces of word that may be split between lines: a Thai character with its marks and
    following vowels (a leading vowel stays with the consonant after it); a run of Latin
    letters and digits stays whole unless keep_runs is False."""
    pieces: list[str] = []
    for char in word:
        glue = bool(pieces) and (
            char in _FOLLOWERS
            or bool(unicodedata.combining(char))
            or pieces[-1][-1] in _LEADING_VOWELS
            or (
                keep_runs
                and char.isascii()
                and char.isalnum()
                and pieces[-1][-1].isascii()
                and pieces[-1][-1].isalnum()
            )
        )
        if glue:
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def _segments(word: str) -> list[str]:
    """Split a space-free word where a Thai syllable surely starts: before a leading vowel
    (เ แ โ ใ ไ), after ะ ำ ๆ ฯ, and where Thai meets another script. Thai puts no spaces
    between words; breaking a line at a syllable is far better than inside one."""
    segments: list[str] = []
    for piece in _clusters(word):
        if segments:
            last = segments[-1][-1]
            first = piece[0]
            lone_consonant = len(segments[-1]) == 1 and "\u0e01" <= last <= "\u0e2e"
            boundary = (
                (first in _LEADING_VOWELS and not lone_consonant)  # not ส|แกน
                or (last in _SYLLABLE_ENDS and _is_thai(first))
                or (_is_thai(last) != _is_thai(first) and first.isalnum() and last.isalnum())
            )
            if not boundary:
                segments[-1] += piece
                continue
        segments.append(piece)
    return segments


def _split_long(word: str, max_width: float, measure: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    current = ""
    pieces = _clusters(word)
    while pieces:
        piece = pieces.pop(0)
        if not current and measure(piece) > max_width and len(piece) > 1:
            # A Latin run (a long link) wider than a line: break it between characters.
            chars = _clusters(piece, keep_runs=False)
            if len(chars) > 1:
                pieces[:0] = chars
                continue
        if current and measure(current + piece) > max_width:
            lines.append(current)
            current = ""
            pieces.insert(0, piece)
        else:
            current += piece
    if current:
        lines.append(current)
    return lines


def _fill(
    lines: list[str],
    current: str,
    glue: str,
    word: str,
    max_width: float,
    measure: Callable[[str], float],
) -> str:
    """Put word after current (glue between), a syllable segment at a time, closing lines into
    lines as they fill; return the line still open."""
    for index, segment in enumerate(_segments(word)):
        candidate = current + (glue if index == 0 else "") + segment if current else segment
        if measure(candidate) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if measure(segment) <= max_width:
            current = segment
        else:
            *full, current = _split_long(segment, max_width, measure) or [""]
            lines += full
    return current


def wrap_text(
    text: str, max_width: float, measure: Callable[[str], float], fill: float = 0.7
) -> list[str]:
    """Break text into lines no wider than max_width (as measured).

    Lines break at spaces. Thai puts no spaces between words, so a word that does not fit is
    moved whole to the next line only when the line is already ``fill`` full; otherwise it is
    split where a Thai syllable surely starts, and a piece still wider than a line between
    character clusters (never between a consonant and its marks or vowels). Newlines and runs
    of spaces inside a line are kept.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, pending = "", ""
        for token in re.split(r"( +)", paragraph):
            if not token:
                continue
            if token[0] == " ":
                pending = token if current else ""
                continue
            candidate = current + pending + token if current else token
            if measure(candidate) <= max_width:
                current = candidate
            elif current and measure(current) >= fill * max_width:
                lines.append(current)
                current = _fill(lines, "", "", token, max_width, measure)
            else:
                current = _fill(lines, current, pending, token, max_width, measure)
            pending = ""
        lines.append(current)
    return lines
