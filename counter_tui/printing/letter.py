"""Provides ``delay_notice_pdf``: the notice of the reason for delay (Licensing Facilitation Act
s.10) as a Thai official letter to the applicant, in the layout of a หนังสือราชการภายนอก: ที่,
the office and its address, the date in the Buddhist Era, เรื่อง, เรียน, อ้างถึง, the body,
the closing and the signature block, and the copy to ก.พ.ร. (OPDC).

fpdf2 is imported here only (≈0.2 s): never at startup.
"""

from __future__ import annotations

from pathlib import Path

from counter_tui.core.thai_dates import format_date_th, to_thai_digits
from counter_tui.printing.layout import wrap_text
from counter_tui.printing.pdf import FAMILY

ACT = "พระราชบัญญัติการอำนวยความสะดวกในการพิจารณาอนุญาตของทางราชการ พ.ศ. 2558"


def _date(day, thai_digits: bool) -> str:
    """A Thai date that never breaks across lines (no-break spaces between its parts)."""
    return format_date_th(day, thai_digits=thai_digits).replace(" ", "\u00a0")


def delay_notice_pdf(info, path: str | Path, *, thai_digits: bool = False) -> Path:
    """``info``: a ``services.cases.DelayNoticeInfo``."""
    from counter_tui.printing.pdf import thai_pdf

    def t(text: str) -> str:
        return to_thai_digits(text) if thai_digits else text

    pdf = thai_pdf("หนังสือแจ้งเหตุแห่งความล่าช้า", margins=(30, 25, 20))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(FAMILY, "", 16)
    line = 8

    def para(text: str, indent: float = 0.0) -> None:
        """A paragraph whose first line is indented (Thai official letters indent 2.5 cm)."""
        text = t(text)
        first = wrap_text(text, width - indent, pdf.get_string_width)[0] if text else ""
        rest = text[len(first) :].strip()
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(width - indent, line, first, new_x="LMARGIN", new_y="NEXT")
        for piece in wrap_text(rest, width, pdf.get_string_width) if rest else []:
            pdf.cell(width, line, piece, new_x="LMARGIN", new_y="NEXT")

    top = pdf.get_y()
    pdf.cell(width / 2, line, t(f"ที่ {info.office_code}/{info.application} ({info.number})"))
    pdf.set_xy(pdf.l_margin + width / 2, top)
    pdf.multi_cell(
        width / 2,
        line,
        t(info.office_name + (f"\n{info.office_address}" if info.office_address else "")),
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_x(pdf.l_margin + width / 2 - 20)
    pdf.cell(
        0,
        line,
        format_date_th(info.sent_at.date(), thai_digits=thai_digits),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 16)
    para("เรื่อง  แจ้งเหตุแห่งความล่าช้า ในการพิจารณาคำขอ")
    pdf.set_font(FAMILY, "", 16)
    para(f"เรียน  {info.applicant_name or 'ผู้ยื่นคำขอ'}")
    para(f"อ้างถึง  คำขอเลขที่ {info.application} ลงวันที่ {_date(info.filed_on, thai_digits)}")
    pdf.ln(3)
    # Spaces between clauses give the wrapper places to break (Thai has none between words).
    para(
        f"ตามที่ท่านได้ยื่นคำขอ {info.service_name} ตามคำขอเลขที่ {info.application} "
        f"ซึ่งตามคู่มือสำหรับประชาชน กำหนดให้พิจารณาแล้วเสร็จ ภายในวันที่ "
        f"{_date(info.due, thai_digits)} นั้น",
        indent=25,
    )
    para(
        f"บัดนี้ การพิจารณาคำขอของท่าน ยังไม่แล้วเสร็จ เนื่องจาก {info.reason} "
        f"จึงขอแจ้งเหตุแห่งความล่าช้า ให้ท่านทราบ ตามมาตรา 10 แห่ง {ACT} "
        "และจะแจ้งความคืบหน้า ให้ท่านทราบทุก 7 วัน จนกว่าการพิจารณาจะแล้วเสร็จ",
        indent=25,
    )
    para("จึงเรียนมาเพื่อโปรดทราบ", indent=25)
    pdf.ln(4)
    for text in (
        "ขอแสดงความนับถือ",
        "",
        "",
        "(..........................................)",
        "ตำแหน่ง ...........................................",
    ):
        pdf.set_x(pdf.l_margin + width / 2 - 25)
        pdf.cell(width / 2 + 25, line, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    para(info.office_name)
    para(f"หนังสือแจ้งครั้งที่ {info.number}")
    if info.copied_to_opdc:
        para("สำเนาเรียน  เลขาธิการ ก.พ.ร. (สำนักงานคณะกรรมการพัฒนาระบบราชการ) เพื่อโปรดทราบ")
    from counter_tui.printing.pdf import save_pdf

    return save_pdf(pdf, path, private=True)  # an official letter to a named applicant
