"""Provides the ``counter-tui qr`` subcommand: the EIT survey QR code printed to the terminal, or
written as a bare PNG or SVG, or as an A5 PDF desk card for the counter.

``add_qr_command`` registers the parser; the main CLI fetches the office name and the link of the
fiscal year from the database and calls ``run_qr``. Nothing heavy is imported until it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from counter_tui.errors import UserError
from counter_tui.printing.qr import EXAMPLE_URL, survey_link_problem

__all__ = ["ACCEPTED_EXTENSIONS", "add_qr_command", "run_qr"]

ACCEPTED_EXTENSIONS = (".png", ".svg", ".pdf")


def add_qr_command(
    subparsers: argparse._SubParsersAction,
    handler: Callable[[argparse.Namespace], int] | None = None,
) -> argparse.ArgumentParser:
    """Register ``qr [--out FILE.png|.svg|.pdf] [--fiscal-year YYYY]``; set handler if given."""
    parser = subparsers.add_parser(
        "qr",
        help="the EIT survey QR code; --out FILE.pdf makes an A5 desk card",
        description="Print the EIT survey QR code of the fiscal year to the terminal, or write "
        "it to a file: .png or .svg (the bare code) or .pdf (an A5 desk card with "
        "the office name and a Thai invitation).",
    )
    parser.add_argument(
        "--out", metavar="FILE", help="write FILE.png, FILE.svg or FILE.pdf instead of printing"
    )
    parser.add_argument(
        "--fiscal-year",
        type=int,
        metavar="YYYY",
        help="Buddhist Era fiscal year whose link to use (default: current)",
    )
    if handler is not None:
        parser.set_defaults(handler=handler)
    return parser


def _set_link_command(fiscal_year: int | None) -> str:
    year = f" --fiscal-year {fiscal_year}" if fiscal_year else " --fiscal-year NNNN"
    return f"counter-tui settings set survey.eit_url {EXAMPLE_URL}{year}"


def run_qr(
    out: str | None,
    office_name: str,
    url: str | None,
    *,
    fiscal_year: int | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Print or write the code; UserError (Thai, then English) when it cannot.

    fiscal_year (Buddhist Era) only goes into the messages: the caller has already chosen the
    link of that year. Returns the exit status (0).
    """
    problem = survey_link_problem(url)
    if problem is not None:
        year = f"ปีงบประมาณ {fiscal_year}" if fiscal_year else "ปีงบประมาณนี้"
        raise UserError(
            f"{problem}\nผู้ดูแลระบบตั้งลิงก์ของ{year}ได้ด้วยคำสั่ง "
            f"(set the link of the fiscal year with):\n  {_set_link_command(fiscal_year)}\n"
            "(ลิงก์แบบวัด EIT ของหน่วยงานดูได้ในระบบ ITAS ของสำนักงาน ป.ป.ช.)"
        )
    assert url is not None
    url = url.strip()
    if out is None:
        _print_terminal(url, stdout or sys.stdout)
        return 0
    target = Path(out)
    extension = target.suffix.lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise UserError(
            f"ไม่รู้จักชนิดไฟล์ {target.suffix or '(ไม่มีนามสกุล)'} ของ {out}: "
            f"ใช้ .png .svg หรือ .pdf (unknown file type {target.suffix!r}: use "
            f"{', '.join(ACCEPTED_EXTENSIONS)}, e.g. --out card.pdf)"
        )
    if not target.parent.is_dir():
        raise UserError(f"ไม่มีโฟลเดอร์ {target.parent} (folder {target.parent} does not exist)")
    try:
        if extension == ".pdf":
            from counter_tui.printing.pdf import desk_card_pdf

            desk_card_pdf(office_name, url, target, fiscal_year=fiscal_year)
        elif extension == ".png":
            from counter_tui.printing.qr import write_png

            write_png(url, target)
        else:
            from counter_tui.printing.qr import write_svg

            write_svg(url, target)
    except OSError as exc:
        raise UserError(
            f"บันทึกไฟล์ {target} ไม่ได้: {exc.strerror or exc} (cannot write {target}: {exc})"
        ) from None
    print(f"บันทึก {target} แล้ว (wrote {target})", file=stdout or sys.stdout)
    return 0


def _print_terminal(url: str, stdout: TextIO) -> None:
    """Black on white with explicit colours on a colour terminal (dark or light, the code reads
    the same); plain half blocks (glyphs = dark modules) when the output is not a terminal."""
    from counter_tui.printing.qr import DEFAULT_INVITATION, terminal_lines, terminal_text

    if stdout.isatty():
        from rich.console import Console

        console = Console(file=stdout, highlight=False)
        if console.color_system is not None:
            console.print(terminal_text(url), crop=False, soft_wrap=True)
            console.print(DEFAULT_INVITATION, markup=False)
            console.print(url, markup=False)
            return
    for line in terminal_lines(url):
        print(line, file=stdout)
    print(DEFAULT_INVITATION, file=stdout)
    print(url, file=stdout)
