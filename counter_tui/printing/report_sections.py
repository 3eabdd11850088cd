"""Provides what every output of ``report stats`` shares: its sections, their Thai titles (the
totals titled for what they add up) and the draft note while the standards are a sample. The
table, CSV, XLSX and JSON (``printing.report_formats``) and the PDF (``printing.stats_pdf``) read
them here."""

from __future__ import annotations

from typing import Any

SECTIONS = (
    ("totals", "รวมทั้งสำนักงาน"),
    ("services", "รายบริการ"),
    ("units", "รายหน่วยงาน"),
    ("officers", "รายเจ้าหน้าที่"),
)
SCOPED_TOTALS_TH = "รวมหน่วยงานที่ดูแล"
"""the totals' title in a report scoped to a supervisor's units (``scope``): not the office's"""
SAMPLE_NOTE = (
    "ร่าง: มาตรฐานเวลาเป็นข้อมูลตัวอย่างจากสำนักงานอื่น ตรวจทานก่อนเผยแพร่ "
    "(draft based on sample standards: review before publishing)"
)


def sections(report: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """``SECTIONS``, the totals titled for what they add up: a report scoped to some units
    (``services.reports.stats_report``'s ``scope``) is not the whole office's."""
    if report.get("scope") is None:
        return SECTIONS
    return (("totals", SCOPED_TOTALS_TH),) + SECTIONS[1:]
