"""Provides the paper documents as PDF (fpdf2): the A5 desk card with the EIT survey QR code, the
service slip (A4), the list of documents to bring (A4) and the deficiency record (A4, the
office's original and the applicant's copy on their own pages).

Thai is shaped with HarfBuzz (``set_text_shaping``, uharfbuzz) in the bundled Laksaman font,
which has Thai, Latin and digits. QR codes are drawn as vector rectangles from the module
matrix. fpdf2 (~0.2 s) is imported inside the functions, never at app start.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from counter_tui.errors import UserError
from counter_tui.printing.documents import DeficiencyDoc, DocumentList, ServiceSlip
from counter_tui.printing.layout import (
    APPLICANT_COPY,
    DEFICIENCY_TITLE,
    FONT_BOLD,
    FONT_REGULAR,
    OFFICE_COPY,
    QR,
    Block,
    Columns,
    Gap,
    Rule,
    Signature,
    Table,
    Text,
    ThumbBox,
    deficiency_blocks,
    document_list_blocks,
    draw_blocks,
    service_slip_blocks,
    signature_line,
    wrap_text,
)
from counter_tui.printing.qr import (
    SURVEY_HEADLINE,
    SURVEY_WHY,
    qr_matrix,
    survey_link_problem,
)

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["deficiency_pdf", "desk_card_pdf", "document_list_pdf", "service_slip_pdf"]

A4 = (210.0, 297.0)
A5 = (148.0, 210.0)
FAMILY = "Laksaman"
_ALIGN = {"left": "L", "center": "C", "right": "R"}
# Laksaman, like TH Sarabun, is small for its point size: Thai documents set it at 14-16 pt.
_SIZES_PT = {"s": 12, "m": 14, "l": 18, "xl": 24, "huge": 48}


class _NoText(tuple):
    """An empty ToUnicode entry: a glyph that adds no text of its own when the PDF is read."""

    def __len__(self) -> int:
        return 1  # not skipped by fpdf2's ToUnicode writer ...

    def __iter__(self):
        return iter(())  # ... which then writes "<code> <>": no characters


def _map_extra_glyphs(pdf: FPDF) -> None:
    """Give the glyphs HarfBuzz adds inside a cluster an empty text mapping.

    HarfBuzz draws SARA AM (ำ) as two glyphs, NIKHAHIT and SARA AA; fpdf2 maps the first to the
    cluster's text and leaves the second without a ToUnicode entry, so text extraction shows
    its raw code ("ตำ\\x11บล"). An empty entry makes "ตำบล" read back exactly as written.
    """
    for font in pdf.fonts.values():
        subset = getattr(font, "subset", None)
        if subset is None:
            continue
        for glyph, _code in subset.items():
            if glyph is not None and type(glyph.unicode) is tuple and len(glyph.unicode) == 0:
                glyph.unicode = _NoText()


def _new_pdf(page: tuple[float, float], margin: float, title: str, author: str) -> FPDF:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format=page)
    pdf.add_font(FAMILY, "", str(FONT_REGULAR))
    pdf.add_font(FAMILY, "B", str(FONT_BOLD))
    pdf.set_text_shaping(True)
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(True, margin)
    pdf.c_margin = 0
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("counter-tui")
    pdf.set_lang("th")
    return pdf


def thai_pdf(
    title: str,
    *,
    orientation: str = "portrait",
    page: str = "A4",
    margins: tuple[float, float, float] = (15, 12, 15),
    cls=None,
) -> FPDF:
    """A new FPDF with the bundled Thai font (regular and bold as ``FAMILY``), HarfBuzz
    shaping and Thai as the document language: the one set-up every PDF of the app shares.
    ``cls``: an FPDF subclass (for a footer with page numbers, say)."""
    from fpdf import FPDF

    pdf = (cls or FPDF)(orientation=orientation, unit="mm", format=page)
    pdf.add_font(FAMILY, "", str(FONT_REGULAR))
    pdf.add_font(FAMILY, "B", str(FONT_BOLD))
    pdf.set_text_shaping(True)
    pdf.set_margins(*margins)
    pdf.set_auto_page_break(True, margins[1])
    pdf.set_title(title)
    pdf.set_creator("counter-tui")
    pdf.set_lang("th")
    return pdf


def save_pdf(pdf: FPDF, path: str | Path, *, private: bool = False) -> Path:
    """Write the PDF (Thai that reads back as written; a clear error if the file cannot be
    written). ``private``: it holds personal data, so it is written 0600 (private_files)."""
    return _save(pdf, path, private=private)


def _save(pdf: FPDF, path: str | Path, *, private: bool = False) -> Path:
    _map_extra_glyphs(pdf)
    target = Path(path)
    try:
        if private:
            from counter_tui.private_files import write_private

            write_private(target, pdf.output())
        else:
            pdf.output(str(target))
    except OSError as exc:
        raise UserError(
            f"บันทึกไฟล์ {target} ไม่ได้: {exc.strerror or exc} (cannot write {target}: {exc})"
        ) from None
    return target


def _draw_qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """The code as black rectangles (one per horizontal run of dark modules) on white."""
    matrix = qr_matrix(url)
    module = size / len(matrix)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            # A hair taller than a module so anti-aliased viewers show no seams between rows.
            pdf.rect(
                x + start * module,
                y + row_index * module,
                (col - start) * module,
                module * 1.02,
                style="F",
            )


class _Writer:
    def __init__(self, pdf: FPDF, scale: float = 1.0, qr_mm: float = 55.0) -> None:
        self.pdf = pdf
        self.scale = scale
        self.qr_mm = qr_mm

    def font(self, size: str, bold: bool = False) -> float:
        points = _SIZES_PT[size] * self.scale
        self.pdf.set_font(FAMILY, "B" if bold else "", points)
        return points * 0.3528 * 1.4  # line height in mm: Thai needs room above and below

    def text(self, block: Text) -> None:
        pdf = self.pdf
        height = self.font(block.size, block.bold)
        for line in wrap_text(block.text, pdf.epw, pdf.get_string_width):
            pdf.cell(
                pdf.epw, height, line, align=_ALIGN[block.align], new_x="LMARGIN", new_y="NEXT"
            )

    def table(self, block: Table) -> None:
        pdf = self.pdf
        pad = 1.5
        edges = [pdf.l_margin]
        for fraction in block.widths:
            edges.append(edges[-1] + fraction * pdf.epw)
        rows = [(True, block.headers)] + [(False, row) for row in block.rows]
        for header, row in rows:
            height = self.font(block.size, header)
            cells = [
                wrap_text(cell, edges[i + 1] - edges[i] - 2 * pad, pdf.get_string_width)
                for i, cell in enumerate(row)
            ]
            row_height = height * max(len(lines) for lines in cells) + pad
            if pdf.will_page_break(row_height):
                pdf.add_page()
            top = pdf.get_y()
            for i, lines in enumerate(cells):
                pdf.rect(edges[i], top, edges[i + 1] - edges[i], row_height)
                for n, line in enumerate(lines):
                    pdf.set_xy(edges[i] + pad, top + pad / 2 + n * height)
                    pdf.cell(
                        edges[i + 1] - edges[i] - 2 * pad,
                        height,
                        line,
                        align=_ALIGN[block.aligns[i]],
                    )
            pdf.set_xy(pdf.l_margin, top + row_height)

    def rule(self) -> None:
        pdf = self.pdf
        y = pdf.get_y() + 1.5
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.set_y(y + 1.5)

    def gap(self, lines: float) -> None:
        self.pdf.ln(lines * self.font("m"))

    def qr(self, block: QR) -> None:
        pdf = self.pdf
        size = min(self.qr_mm, pdf.epw)
        if pdf.will_page_break(size):
            pdf.add_page()
        y = pdf.get_y()
        _draw_qr(pdf, block.url, (pdf.w - size) / 2, y, size)
        pdf.set_y(y + size)

    def signature(self, block: Signature) -> None:
        self.gap(1.2)
        self.font("m")
        line = signature_line(block.role, self.pdf.epw * 0.95, self.pdf.get_string_width)
        self.text(Text(line, "m", False, "center"))
        self.text(Text(f"({block.name or '.' * 40})", "m", False, "center"))

    def thumb_box(self, block: ThumbBox) -> None:
        pdf = self.pdf
        width, height = 25.0, 30.0
        if pdf.will_page_break(height + 10):
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_line_width(0.3)
        pdf.rect(pdf.l_margin + (pdf.epw - width) / 2, y, width, height)
        pdf.set_y(y + height + 1)
        self.text(Text(block.caption, "s", False, "center"))

    def _text_height(self, block: Text, width: float) -> float:
        height = self.font(block.size, block.bold)
        return height * len(wrap_text(block.text, width, self.pdf.get_string_width))

    def height(self, block: Block, width: float) -> float:
        """The height (mm) a block takes in a column of the given width (for keeping side by
        side columns on one page)."""
        if isinstance(block, Text):
            return self._text_height(block, width)
        if isinstance(block, Gap):
            return block.lines * self.font("m")
        if isinstance(block, Signature):
            return 1.2 * self.font("m") + 2 * self._text_height(Text(block.role, "m"), width)
        if isinstance(block, ThumbBox):
            return 31 + self._text_height(Text(block.caption, "s"), width)
        if isinstance(block, Rule):
            return 3.0
        if isinstance(block, QR):
            return min(self.qr_mm, width)
        raise TypeError(f"no height for {block!r} in a column")

    def draw(self, blocks: Iterable[Block]) -> None:
        draw_blocks(blocks, self)

    def columns(self, block: Columns) -> None:
        """Each column drawn in its share of the width, all starting at the same height, all
        on one page (a page break first if they do not fit)."""
        pdf = self.pdf
        width = pdf.epw / len(block.columns)
        needed = max(sum(self.height(b, width) for b in column) for column in block.columns)
        if pdf.will_page_break(needed):
            pdf.add_page()
        left, right = pdf.l_margin, pdf.r_margin
        top = pdf.get_y()
        bottom = top
        for index, column in enumerate(block.columns):
            pdf.set_left_margin(left + index * width)
            pdf.set_right_margin(pdf.w - (left + (index + 1) * width))
            pdf.set_xy(pdf.l_margin, top)
            self.draw(column)
            bottom = max(bottom, pdf.get_y())
        pdf.set_left_margin(left)
        pdf.set_right_margin(right)
        pdf.set_xy(left, bottom)


def desk_card_pdf(
    office_name: str, url: str | None, path: str | Path, *, fiscal_year: int | None = None
) -> Path:
    """An A5 portrait desk card: office name, the Thai invitation and a large QR code.

    Refuses (UserError with the Thai message) when the link is missing or not https.
    """
    problem = survey_link_problem(url)
    if problem is not None:
        raise UserError(problem)
    assert url is not None
    url = url.strip()
    pdf = _new_pdf(A5, 12, f"แบบวัด EIT — {office_name}", office_name)
    pdf.add_page()
    writer = _Writer(pdf)
    writer.draw(
        [
            Text(office_name, "xl", True, "center"),
            *([Text(f"ปีงบประมาณ พ.ศ. {fiscal_year}", "m", False, "center")] if fiscal_year else []),
            Gap(0.4),
            Text(SURVEY_HEADLINE, "l", True, "center"),
            Text(SURVEY_WHY, "m", False, "center"),
        ]
    )
    below = [
        Text("เปิดกล้องโทรศัพท์มือถือแล้วสแกนรหัสนี้", "m", True, "center"),
        Text(url, "s", False, "center"),
    ]
    footer = Text("ขอบคุณที่ร่วมตอบแบบวัด EIT", "s", False, "center")
    reserved = writer.font("m") + 2 * writer.font("s") + 8
    # As large as the page allows (a long office name leaves less room), at most 95 mm.
    size = max(40.0, min(95.0, pdf.epw, pdf.h - pdf.b_margin - pdf.get_y() - reserved))
    y = pdf.get_y() + 3
    _draw_qr(pdf, url, (pdf.w - size) / 2, y, size)
    pdf.set_y(y + size + 2)
    writer.draw(below)
    pdf.set_y(max(pdf.get_y(), pdf.h - pdf.b_margin - writer.font("s")))
    writer.draw([footer])
    return _save(pdf, path)


def service_slip_pdf(slip: ServiceSlip, path: str | Path, *, thai_digits: bool = False) -> Path:
    """The service slip on A4 (the same wording as the thermal slip, QR included)."""
    pdf = _new_pdf(A4, 18, f"ใบสรุปการให้บริการ {slip.ticket_number}", slip.office_name)
    pdf.add_page()
    _Writer(pdf, scale=1.1, qr_mm=50).draw(service_slip_blocks(slip, thai_digits=thai_digits))
    return _save(pdf, path, private=True)  # the visitor's name and ticket


def document_list_pdf(doc: DocumentList, path: str | Path, *, thai_digits: bool = False) -> Path:
    """The documents to bring, on A4."""
    pdf = _new_pdf(A4, 18, f"รายการเอกสาร — {doc.service_name}", doc.office_name)
    pdf.add_page()
    _Writer(pdf, scale=1.1).draw(document_list_blocks(doc, thai_digits=thai_digits))
    return _save(pdf, path)


def deficiency_pdf(
    doc: DeficiencyDoc,
    path: str | Path,
    *,
    thai_digits: bool = False,
    copies: Sequence[str] = (OFFICE_COPY, APPLICANT_COPY),
) -> Path:
    """The deficiency record on A4: each copy (the office's original, then the applicant's
    copy) starts on its own page."""
    pdf = _new_pdf(A4, 15, f"{DEFICIENCY_TITLE} {doc.application_number}", doc.office_name)
    writer = _Writer(pdf)
    for label in copies:
        pdf.add_page()
        writer.draw(deficiency_blocks(doc, label, thai_digits=thai_digits))
    return _save(pdf, path, private=True)  # the applicant's name, ID and address
