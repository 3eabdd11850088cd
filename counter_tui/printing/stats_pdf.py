"""Provides ``stats_pdf``: the service statistics as an A4 landscape PDF to publish (ITA open
data): the office name, the period in the Buddhist Era, the draft note while the standards are
a sample, the tables, and page numbers. fpdf2 is imported here only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from counter_tui.printing.pdf import FAMILY


def _value(figures: dict[str, Any], key: str) -> str:
    from counter_tui.core.timing import format_hms

    value = figures.get(key)
    if value is None:
        return "—"
    return format_hms(value) if key.endswith("_seconds") else str(value)


def stats_pdf(report: dict[str, Any], path: str | Path) -> Path:
    from fpdf import FPDF

    from counter_tui.printing.pdf import save_pdf, thai_pdf
    from counter_tui.printing.report_sections import SAMPLE_NOTE, sections

    # Thai has no spaces to wrap at: the header breaks are placed by hand.
    columns = (
        ("requests", "คำขอ"),
        ("completed", "เสร็จ"),
        ("documents_requested", "เอกสาร\nเพิ่ม"),
        ("returned", "คืน\nคำขอ"),
        ("cases_overdue", "เกิน\nกำหนด"),
        ("on_time_pct", "ทันเวลา\n%"),
        ("median_service_seconds", "เวลาบริการ\nมัธยฐาน"),
        ("p90_service_seconds", "เวลาบริการ\nP90"),
        ("standard_seconds", "มาตรฐาน"),
        ("median_wait_seconds", "เวลารอ\nมัธยฐาน"),
        ("survey_offered_pct", "เสนอ\nEIT %"),
        ("rating_mean", "พึงพอใจ\n(1-5)"),
    )

    class Doc(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FAMILY, "", 10)
            self.cell(0, 6, f"หน้า {self.page_no()}/{{nb}}", align="C")

    pdf = thai_pdf(
        f"สถิติการให้บริการ {report['period']['label']}",
        orientation="landscape",
        margins=(12, 12, 12),
        cls=Doc,
    )
    pdf.set_auto_page_break(True, 16)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 18)
    pdf.cell(0, 10, report["office"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 14)
    pdf.cell(0, 8, f"สถิติการให้บริการ {report['period']['label']}", new_x="LMARGIN", new_y="NEXT")
    if report["draft"]:
        pdf.set_text_color(160, 80, 0)
        pdf.multi_cell(0, 7, SAMPLE_NOTE, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    for section, title in sections(report):
        lines = (
            [(report["office"], report["totals"])]
            if section == "totals"
            else list(report[section].items())
        )
        if not lines:
            continue
        pdf.ln(3)
        pdf.set_font(FAMILY, "B", 13)
        pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 10)
        widths = (57,) + (18,) * 6 + (22, 22, 18, 22, 18, 18)
        with pdf.table(col_widths=widths, text_align="CENTER", line_height=6) as table:
            header = table.row()
            for label in ("ชื่อ", *(label for _, label in columns)):
                header.cell(label)
            for name, figures in lines:
                row = table.row()
                row.cell(name, align="LEFT")
                for key, _ in columns:
                    row.cell(_value(figures, key))
    return save_pdf(pdf, path)
