"""Provides the ``report stats`` outputs: a Thai table for the terminal, CSV (UTF-8 with a BOM so
Excel opens the Thai), XLSX (openpyxl, imported only here) and JSON, and ``write_report``, the one
way a report goes into a file in any format (the CLI's ``--out`` and the reports screen's exports;
the PDF is ``printing.stats_pdf``). Every output says when the standards are a sample and the
figures a draft."""

from __future__ import annotations

import json
from typing import Any, TextIO

from counter_tui.printing.report_sections import SAMPLE_NOTE, SECTIONS, sections

COLUMNS = (
    ("requests", "คำขอ"),
    ("completed", "เสร็จ ณ จุดบริการ"),
    ("documents_requested", "เรียกเอกสารเพิ่ม"),
    ("returned", "คืนคำขอ"),
    ("cases_opened", "เรื่องรับไว้"),
    ("cases_decided", "พิจารณาแล้ว"),
    ("cases_overdue", "เกินกำหนด"),
    ("on_time_pct", "ทันเวลา %"),
    ("median_service_seconds", "มัธยฐานเวลาบริการ (วินาที)"),
    ("p90_service_seconds", "เปอร์เซ็นไทล์ 90 (วินาที)"),
    ("standard_seconds", "มาตรฐาน (วินาที)"),
    ("median_wait_seconds", "มัธยฐานเวลารอ (วินาที)"),
    ("survey_offered_pct", "เสนอแบบวัด EIT %"),
    ("rating_count", "จำนวนผู้ประเมินความพึงพอใจ"),
    ("rating_mean", "ความพึงพอใจเฉลี่ย (1-5)"),
    ("out_of_order_calls", "เรียกข้ามลำดับ"),
)


def _rows(report: dict[str, Any]):
    """(section, name, figures) for every line of the report."""
    yield "totals", report["office"], report["totals"]
    for section, _ in SECTIONS[1:]:
        for name, figures in report[section].items():
            yield section, name, figures


def _cell(figures: dict[str, Any], key: str) -> Any:
    value = figures.get(key)
    return "" if value is None else value


def write_json(report: dict[str, Any], stream: TextIO) -> None:
    json.dump(report, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_csv(report: dict[str, Any], stream: TextIO) -> None:
    import csv

    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(["office", "period_from", "period_to", "period", "sample_standards", "draft"])
    writer.writerow(
        [
            report["office"],
            report["period"]["from"],
            report["period"]["to"],
            report["period"]["label"],
            report["sample_standards"],
            report["draft"],
        ]
    )
    writer.writerow([])
    writer.writerow(
        ["section", "name", *(key for key, _ in COLUMNS), "channels", "outcomes", "ratings"]
    )
    for section, name, figures in _rows(report):
        writer.writerow(
            [
                section,
                name,
                *(_cell(figures, key) for key, _ in COLUMNS),
                json.dumps(figures["channels"], ensure_ascii=False),
                json.dumps(figures["outcomes"], ensure_ascii=False),
                json.dumps(figures["ratings"], ensure_ascii=False),
            ]
        )


def write_xlsx(report: dict[str, Any], path: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for section, title in sections(report):
        sheet = book.create_sheet(title)
        sheet.append([f"{report['office']} — สถิติการให้บริการ {report['period']['label']}"])
        sheet["A1"].font = Font(bold=True, size=14)
        if report["draft"]:
            sheet.append([SAMPLE_NOTE])
        sheet.append([])
        sheet.append(["ชื่อ", *(label for _, label in COLUMNS)])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        lines = (
            [("totals", report["office"], report["totals"])]
            if section == "totals"
            else [(section, name, f) for name, f in report[section].items()]
        )
        for _, name, figures in lines:
            sheet.append([name, *(figures.get(key) for key, _ in COLUMNS)])
        sheet.column_dimensions["A"].width = 48
    book.save(path)


def print_table(report: dict[str, Any], thai: bool = True) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from counter_tui.core.text import safe_text  # names are stored text: never raw, no markup

    console = Console() if Console().is_terminal else Console(width=140)
    console.print(
        Text.assemble(
            (safe_text(report["office"]), "bold"), f" — สถิติการให้บริการ {report['period']['label']}"
        )
    )
    if report["draft"]:
        console.print(f"[yellow]{SAMPLE_NOTE}[/yellow]")
    from counter_tui.core.timing import format_hms

    shown = (
        ("requests", "คำขอ", str),
        ("completed", "เสร็จ", str),
        ("documents_requested", "เอกสารเพิ่ม", str),
        ("on_time_pct", "ทันเวลา%", str),
        ("median_service_seconds", "มัธยฐาน", format_hms),
        ("p90_service_seconds", "P90", format_hms),
        ("median_wait_seconds", "รอ (มัธยฐาน)", format_hms),
        ("survey_offered_pct", "EIT%", str),
        ("rating_mean", "พึงพอใจ", str),
    )
    for section, title in sections(report):
        lines = (
            [(report["office"], report["totals"])]
            if section == "totals"
            else list(report[section].items())
        )
        if not lines:
            continue
        table = Table(title=title if thai else section, title_justify="left")
        table.add_column("ชื่อ" if thai else "name", min_width=24)
        for key, label, _ in shown:
            table.add_column(label if thai else key, justify="right", no_wrap=True)
        for name, figures in lines:
            table.add_row(
                Text(safe_text(name)),
                *("—" if figures.get(key) is None else fmt(figures[key]) for key, _, fmt in shown),
            )
        console.print(table)


FILE_FORMATS = ("csv", "json", "xlsx", "pdf", "table")


def write_report(report: dict[str, Any], fmt: str, path: str, thai: bool = True) -> None:
    """Write ``report`` to the file ``path`` in ``fmt`` (one of ``FILE_FORMATS``; "table" is
    the terminal's table as plain text)."""
    from pathlib import Path

    if fmt == "xlsx":
        write_xlsx(report, path)
    elif fmt == "pdf":
        from counter_tui.printing.stats_pdf import stats_pdf

        stats_pdf(report, path)
    elif fmt == "table":
        from contextlib import redirect_stdout

        with Path(path).open("w", encoding="utf-8") as stream, redirect_stdout(stream):
            print_table(report, thai)
    elif fmt in ("csv", "json"):
        with Path(path).open("w", encoding="utf-8", newline="") as stream:
            (write_json if fmt == "json" else write_csv)(report, stream)
    else:
        raise ValueError(f"unknown report format {fmt!r}")
