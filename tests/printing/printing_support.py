"""Helpers for the printing tests: sample documents; decode every QR code with a real decoder
(zxing-cpp, inverted codes NOT tried); rasterise Textual's SVG screenshots with their real
colours; read ESC/POS byte streams back (the GS ( k QR payload, the GS v 0 raster images)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, timedelta

import zxingcpp
from conftest import FIXED_NOW
from PIL import Image

from counter_tui.printing.documents import (
    ChecklistItem,
    DeficiencyDoc,
    DocumentList,
    RequiredDocument,
    ServiceSlip,
    SlipStep,
    TicketSlip,
)

ITAS_URL = "https://itas.nacc.go.th/go/eit/d5e8c1a7b2"
SVG_NS = "{http://www.w3.org/2000/svg}"


def read(image: Image.Image) -> list:
    """The QR codes zxing-cpp finds (its Barcode objects); light-on-dark codes not tried."""
    return zxingcpp.read_barcodes(
        image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode, try_invert=False
    )


def decode(image: Image.Image) -> list[str]:
    """Texts of the QR codes zxing-cpp finds; light-on-dark codes are not tried."""
    return [barcode.text for barcode in read(image)]


# --- Textual screenshots -------------------------------------------------------------------


def _parse_colour(value: str) -> tuple[int, int, int]:
    value = value.strip()
    if value.startswith("#") and len(value) == 7:
        return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]
    match = re.fullmatch(r"rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*[\d.]+)?\)", value)
    if match:
        return tuple(int(part) for part in match.groups())  # type: ignore[return-value]
    raise ValueError(f"unknown colour {value!r}")


HALF_BLOCKS = {"█": (0.0, 1.0), "▀": (0.0, 0.5), "▄": (0.5, 1.0)}


def rasterise_screenshot(
    svg: str, size: tuple[int, int], cell_w: int = 10, cell_h: int = 20
) -> Image.Image:
    """Paint a Textual/Rich SVG screenshot of a size=(columns, rows) terminal, cell by cell,
    with the colours it really uses.

    Backgrounds come from the <rect> elements of the terminal group, glyph colours from the
    CSS classes (or fill) of the <text> elements. The half-block glyphs ▀ ▄ █ are painted
    exactly (the upper or lower half, or the whole cell, in the glyph colour); other glyphs
    leave their cell's background. A cell is cell_w x cell_h pixels, the shape of a real
    terminal cell, so a half block is a square module.
    """
    cols, rows = size
    root = ET.fromstring(svg)
    styles = "".join(node.text or "" for node in root.iter(f"{SVG_NS}style"))
    class_fill = {
        name: _parse_colour(colour)
        for name, colour in re.findall(r"\.([\w-]+)\s*\{[^}]*?fill:\s*([^;}\s]+)", styles)
    }
    line_h = float(re.search(r"line-height:\s*([\d.]+)px", styles).group(1))
    terminal = next(
        g for g in root.iter(f"{SVG_NS}g") if "clip-terminal" in (g.get("clip-path") or "")
    )
    texts = [t for t in terminal.iter(f"{SVG_NS}text") if (t.text or "").strip()]
    # The cell width: the most common width per character (runs of plain characters; Thai
    # runs hold zero-width marks and give less).
    char_w = Counter(round(float(t.get("textLength")) / len(t.text), 3) for t in texts).most_common(
        1
    )[0][0]
    image = Image.new("RGB", (cols * cell_w, rows * cell_h), (255, 0, 255))
    for rect in terminal.findall(f"{SVG_NS}rect"):
        col = round(float(rect.get("x")) / char_w)
        row = round((float(rect.get("y")) - 1.5) / line_h)
        width = round(float(rect.get("width")) / char_w)
        image.paste(
            _parse_colour(rect.get("fill")),
            (col * cell_w, row * cell_h, (col + width) * cell_w, (row + 1) * cell_h),
        )
    for text in texts:
        glyphs = text.text.replace("\xa0", " ")
        cells = round(float(text.get("textLength")) / char_w)
        if cells != len(glyphs):
            continue  # wide or combining characters (Thai): no half blocks in this run
        colour = (
            _parse_colour(text.get("fill")) if text.get("fill") else class_fill[text.get("class")]
        )
        col0 = round(float(text.get("x")) / char_w)
        row = int(float(text.get("y")) // line_h)
        for i, glyph in enumerate(glyphs):
            if glyph in HALF_BLOCKS:
                top, bottom = HALF_BLOCKS[glyph]
                x0, y0 = (col0 + i) * cell_w, row * cell_h
                image.paste(
                    colour, (x0, y0 + round(top * cell_h), x0 + cell_w, y0 + round(bottom * cell_h))
                )
    return image


def rasterise_lines(
    lines: list[str], cell_w: int = 10, cell_h: int = 20, ink: int = 0, paper: int = 255
) -> Image.Image:
    """Plain half-block text as printed on paper: glyphs in ink, the rest paper."""
    width = max(len(line) for line in lines)
    image = Image.new("L", (width * cell_w, len(lines) * cell_h), paper)
    for row, line in enumerate(lines):
        for col, glyph in enumerate(line):
            if glyph in HALF_BLOCKS:
                top, bottom = HALF_BLOCKS[glyph]
                image.paste(
                    ink,
                    (
                        col * cell_w,
                        row * cell_h + round(top * cell_h),
                        (col + 1) * cell_w,
                        row * cell_h + round(bottom * cell_h),
                    ),
                )
            elif glyph != " ":
                raise AssertionError(f"unexpected glyph {glyph!r} in a QR line")
    return image


# --- ESC/POS ---------------------------------------------------------------------------------

GS = b"\x1d"


def qr_store_payloads(data: bytes) -> list[bytes]:
    """The data of every GS ( k <pL> <pH> 49 80 48 (store QR data) command in the stream."""
    payloads = []
    start = 0
    while (at := data.find(GS + b"(k", start)) != -1:
        length = data[at + 3] + 256 * data[at + 4]
        body = data[at + 5 : at + 5 + length]
        if body[:3] == b"1P0":
            payloads.append(body[3:])
        start = at + 5 + length
    return payloads


def raster_images(data: bytes) -> list[Image.Image]:
    """Every GS v 0 raster image in the stream, as a white-ground black-ink image.

    Parsing walks the known commands so image data is never mistaken for a command.
    """
    images = []
    at = 0
    while (at := data.find(GS + b"v0", at)) != -1:
        width_bytes = data[at + 4] + 256 * data[at + 5]
        height = data[at + 6] + 256 * data[at + 7]
        size = width_bytes * height
        raw = data[at + 8 : at + 8 + size]
        assert len(raw) == size, "truncated raster image"
        # ESC/POS raster: bit set = dot printed (black); PIL mode "1": bit set = white.
        image = Image.frombytes("1", (width_bytes * 8, height), bytes(b ^ 0xFF for b in raw))
        images.append(image)
        at += 8 + size
    return images


def stack(images: list[Image.Image], gap: int = 0) -> Image.Image:
    """The images one below the other on white paper, as the printer lays them out."""
    width = max(image.width for image in images)
    height = sum(image.height + gap for image in images)
    paper = Image.new("L", (width, height), 255)
    y = 0
    for image in images:
        paper.paste(image.convert("L"), (0, y))
        y += image.height + gap
    return paper


def escpos_commands(data: bytes) -> list[tuple]:
    """Split an ESC/POS stream into the commands this app sends; anything else (such as text
    sent as characters, which a printer without Thai fonts would garble) fails."""
    commands: list[tuple] = []
    at = 0
    while at < len(data):
        head = data[at : at + 2]
        if head == b"\x1b@":
            commands.append(("init",))
            at += 2
        elif head == b"\x1ba":
            commands.append(("align", data[at + 2]))
            at += 3
        elif head == b"\x1bd":
            commands.append(("feed", data[at + 2]))
            at += 3
        elif head == b"\x1dV":
            mode = data[at + 2]
            if mode in (65, 66):
                commands.append(("cut", mode, data[at + 3]))
                at += 4
            else:
                commands.append(("cut", mode))
                at += 3
        elif data[at : at + 3] == b"\x1dv0":
            width_bytes = data[at + 4] + 256 * data[at + 5]
            height = data[at + 6] + 256 * data[at + 7]
            size = width_bytes * height
            commands.append(("raster", width_bytes * 8, height, data[at + 8 : at + 8 + size]))
            at += 8 + size
        elif data[at : at + 3] == b"\x1d(k":
            length = data[at + 3] + 256 * data[at + 4]
            commands.append(("2d", data[at + 5 : at + 5 + length]))
            at += 5 + length
        else:
            raise AssertionError(f"unexpected bytes {data[at : at + 16]!r} at offset {at}")
    return commands


# --- sample documents ------------------------------------------------------------------

OFFICE = "องค์การบริหารส่วนตำบลบ้านน้ำใส"


def ticket() -> TicketSlip:
    return TicketSlip(OFFICE, "A001", "ขอรับเบี้ยยังชีพผู้สูงอายุ", FIXED_NOW, 3, "ผู้สูงอายุ")


def service_slip(url: str | None = ITAS_URL) -> ServiceSlip:
    return ServiceSlip(
        office_name=OFFICE,
        ticket_number="A001",
        application_number="2570-000123",
        service_name="ขออนุญาตก่อสร้างอาคาร ดัดแปลงอาคาร หรือรื้อถอนอาคาร",
        officer="นางสาวสมศรี ใจดี",
        issued_at=FIXED_NOW,
        called_at=FIXED_NOW + timedelta(minutes=12),
        started_at=FIXED_NOW + timedelta(minutes=13),
        finished_at=FIXED_NOW + timedelta(minutes=31),
        service_seconds=18 * 60 + 5,
        standard_seconds=15 * 60,
        steps=(
            SlipStep("ตรวจสอบคำขอและเอกสาร", 600, 600),
            SlipStep("รับชำระค่าธรรมเนียม", 485.3, 300),
            ("ออกใบรับคำขอ", None, None),
        ),
        outcome_label="รับเรื่องไว้พิจารณา",
        complaint_channels=("โทร 0-4400-0000", "ศูนย์ดำรงธรรม โทร 1567"),
        survey_url=url,
        sample_standards=True,
    )


def document_list() -> DocumentList:
    return DocumentList(
        OFFICE,
        "ขอรับเบี้ยยังชีพผู้สูงอายุ",
        (
            RequiredDocument("บัตรประจำตัวประชาชน", 1, 1),
            ("สมุดบัญชีเงินฝากธนาคาร", None, 1, "เล่ม", None),
            RequiredDocument("หนังสือมอบอำนาจ", 1, None, None, "กรณีมอบอำนาจ"),
        ),
        "ไม่มีค่าธรรมเนียม",
    )


def deficiency(mark: str = "signature") -> DeficiencyDoc:
    return DeficiencyDoc(
        office_name=OFFICE,
        office_address="99 หมู่ 1 ตำบลบ้านน้ำใส อำเภอเมือง จังหวัดขอนแก่น",
        application_number="2570-000123",
        service_name="ขออนุญาตก่อสร้างอาคาร",
        applicant_name="นายสมชาย มีสุข",
        filed_at=FIXED_NOW,
        checklist=(
            ChecklistItem("คำขออนุญาต (แบบ ข.1)", True),
            ("แผนผังบริเวณ แบบแปลน และรายการประกอบแบบแปลน", False),
        ),
        missing=("แผนผังบริเวณ แบบแปลน และรายการประกอบแบบแปลน",),
        deadline=date(2026, 12, 8),
        officer="นางสาวสมศรี ใจดี",
        applicant_mark=mark,
        witness_name="นายวิชัย พยานดี" if mark == "thumbprint" else None,
    )
