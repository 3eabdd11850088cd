"""Provides the citizen manuals for the notice board and the website (Act s.7: posted where
applications are filed and published electronically; ITA: steps, time, channel, fee — "no fee"
written out — and documents — "none" written out): one A4 poster per manual in a PDF, and one
HTML page per manual with an index. Both say so when a manual is a sample.
"""

from __future__ import annotations

import html
from pathlib import Path

from counter_tui.core.manual import Manual
from counter_tui.printing.layout import wrap_text
from counter_tui.printing.pdf import FAMILY

SAMPLE = (
    "ตัวอย่าง — คู่มือนี้สร้างจากข้อมูลที่สำนักงานอื่นเผยแพร่ สำนักงานต้องแทนที่ด้วยคู่มือสำหรับประชาชนของตนเองก่อนประกาศใช้"
)


def _counts(doc) -> str:
    parts = []
    if doc.originals:
        parts.append(f"ฉบับจริง {doc.originals}")
    if doc.copies:
        parts.append(f"สำเนา {doc.copies}")
    text = " ".join(parts) + (f" {doc.unit}" if parts and doc.unit else "")
    return text or "ไม่ระบุจำนวน"


def _documents(manual: Manual) -> list[str]:
    if not manual.documents:
        return ["ไม่มี"]
    out = []
    for doc in manual.documents:
        condition = f" ({doc.condition})" if doc.condition else ""
        out.append(f"{doc.name_th} — {_counts(doc)}{condition}")
    return out


def _fee(manual: Manual) -> str:
    if manual.fee.amount_thb == 0:
        return manual.fee.text or "ไม่มีค่าธรรมเนียม"
    if manual.fee.amount_thb:
        return f"{manual.fee.amount_thb:g} บาท — {manual.fee.text}"
    return manual.fee.text


def _new(office_name: str):
    from counter_tui.printing.pdf import thai_pdf

    return thai_pdf(f"คู่มือสำหรับประชาชน — {office_name}")


def _poster(pdf, manual: Manual, office_name: str, scale: float) -> None:
    width = 210 - 30

    def lines(text: str, size: float, bold: bool = False, indent: float = 0) -> None:
        size *= scale
        pdf.set_font(FAMILY, "B" if bold else "", size)
        for piece in wrap_text(text, width - indent, pdf.get_string_width):
            pdf.set_x(15 + indent)
            pdf.cell(width - indent, size * 0.58, piece, new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    if manual.sample:
        pdf.set_text_color(160, 80, 0)
        lines(SAMPLE, 11)
        pdf.set_text_color(0, 0, 0)
    lines("คู่มือสำหรับประชาชน", 14, True)
    lines(manual.name_th, 24, True)
    lines(f"หน่วยงานที่รับผิดชอบ: {manual.unit}   ({office_name})", 15)
    if manual.legal_basis:
        lines("กฎหมายที่ให้อำนาจ: " + " ; ".join(manual.legal_basis), 12)
    if manual.channels or manual.hours:
        lines(
            "ช่องทางและเวลาให้บริการ: "
            + " ; ".join([*manual.channels, *([manual.hours] if manual.hours else [])]),
            12,
        )
    total = manual.total_standard
    lines(f"ระยะเวลาให้บริการรวม: {total.text_th() if total else 'ไม่ระบุ'} (ไม่รวมเวลารอคิว)", 17, True)
    pdf.ln(3 * scale)
    lines("ขั้นตอนและระยะเวลา", 17, True)
    if manual.steps:
        for number, step in enumerate(manual.steps, start=1):
            unit = f" — {step.unit}" if step.unit else ""
            time = step.standard.text_th() if step.standard else "ไม่ระบุ"
            lines(f"{number}. {step.name_th}{unit} ({time})", 15, indent=4)
    else:
        lines("คู่มือไม่แยกขั้นตอน", 15, indent=4)
    pdf.ln(3 * scale)
    lines("เอกสารที่ต้องใช้", 17, True)
    for item in _documents(manual):
        lines(f"• {item}", 14, indent=4)
    pdf.ln(3 * scale)
    lines(f"ค่าธรรมเนียม: {_fee(manual)}", 16, True)
    if manual.complaint_channels:
        lines("ช่องทางร้องเรียน: " + " ; ".join(manual.complaint_channels), 12)
    if manual.source:
        lines(f"ที่มาของข้อมูล: {manual.source}", 9)


def _fitting_scale(manual: Manual, office_name: str) -> float:
    """The largest type that keeps the manual on one page."""
    for scale in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5):
        trial = _new(office_name)
        _poster(trial, manual, office_name, scale)
        if trial.page_no() == 1:
            return scale
    return 0.5


def posters_pdf(manuals: list[Manual], path: str | Path, office_name: str) -> Path:
    """One A4 page per manual."""
    from counter_tui.printing.pdf import save_pdf

    pdf = _new(office_name)
    for manual in manuals:
        _poster(pdf, manual, office_name, _fitting_scale(manual, office_name))
    return save_pdf(pdf, path)


def manual_html(manual: Manual, office_name: str) -> str:
    e = html.escape
    total = manual.total_standard
    steps = (
        "".join(
            f"<tr><td>{n}</td><td>{e(s.name_th)}</td><td>{e(s.unit or '')}</td>"
            f"<td>{e(s.standard.text_th() if s.standard else 'ไม่ระบุ')}</td></tr>"
            for n, s in enumerate(manual.steps, start=1)
        )
        or "<tr><td colspan='4'>คู่มือไม่แยกขั้นตอน</td></tr>"
    )
    documents = "".join(f"<li>{e(item)}</li>" for item in _documents(manual))
    sample = f'<p class="sample">{e(SAMPLE)}</p>' if manual.sample else ""
    legal = "".join(f"<li>{e(x)}</li>" for x in manual.legal_basis)
    complaints = "".join(f"<li>{e(x)}</li>" for x in manual.complaint_channels)
    return f"""<!doctype html>
<html lang="th"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(manual.name_th)} — คู่มือสำหรับประชาชน</title>
<style>body{{font-family:sans-serif;max-width:50rem;margin:auto;padding:1rem;line-height:1.6}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #999;padding:.3rem}}
.sample{{background:#fff3cd;padding:.5rem;border-left:4px solid #e0a800}}</style></head>
<body>{sample}
<p>คู่มือสำหรับประชาชน — {e(office_name)}</p>
<h1>{e(manual.name_th)}</h1>
<p>{e(manual.name_en)}</p>
<p>หน่วยงานที่รับผิดชอบ: {e(manual.unit)}</p>
<h2>กฎหมายที่ให้อำนาจ</h2><ul>{legal or "<li>ไม่ระบุ</li>"}</ul>
<h2>ระยะเวลาให้บริการรวม</h2><p>{e(total.text_th() if total else "ไม่ระบุ")} (ไม่รวมเวลารอคิว)</p>
<h2>ขั้นตอนและระยะเวลา</h2>
<table><tr><th>ที่</th><th>ขั้นตอน</th><th>ผู้รับผิดชอบ</th><th>ระยะเวลา</th></tr>{steps}</table>
<h2>เอกสารที่ต้องใช้</h2><ul>{documents}</ul>
<h2>ค่าธรรมเนียม</h2><p>{e(_fee(manual))}</p>
<h2>ช่องทางร้องเรียน</h2><ul>{complaints or "<li>ไม่ระบุ</li>"}</ul>
<p><small>ที่มาของข้อมูล: {e(manual.source or "ไม่ระบุ")}</small></p>
</body></html>
"""


def write_html(manuals: list[Manual], folder: str | Path, office_name: str) -> Path:
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    items = []
    for manual in manuals:
        name = f"{manual.code.lower()}.html"
        (target / name).write_text(manual_html(manual, office_name), encoding="utf-8")
        items.append(f'<li><a href="{name}">{html.escape(manual.name_th)}</a></li>')
    (target / "index.html").write_text(
        f"<!doctype html><html lang='th'><head><meta charset='utf-8'><title>คู่มือสำหรับประชาชน"
        f"</title></head><body><h1>คู่มือสำหรับประชาชน — {html.escape(office_name)}</h1>"
        f"<ul>{''.join(items)}</ul></body></html>\n",
        encoding="utf-8",
    )
    return target
