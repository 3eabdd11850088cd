"""Provides ``counter-tui report``: the visits export and the service statistics."""

from __future__ import annotations

import argparse
import sys

from counter_tui.commands.common import open_office, signed_in
from counter_tui.core.text import safe_text


def add_report_command(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser("report", help="reports for publishing and for other programs")
    report_commands = report.add_subparsers(
        title="report commands", metavar="REPORT", required=True
    )
    visits = report_commands.add_parser(
        "visits", help="one row per service of a visit, with every timing figure (no personal data)"
    )
    visits.add_argument(
        "--from",
        dest="date_from",
        required=True,
        metavar="DATE",
        help="first day, YYYY-MM-DD (Gregorian)",
    )
    visits.add_argument(
        "--to",
        dest="date_to",
        required=True,
        metavar="DATE",
        help="last day, YYYY-MM-DD (Gregorian)",
    )
    visits.add_argument("--format", choices=("csv", "json"), default="csv")
    visits.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    visits.set_defaults(handler=_report_visits)
    stats = report_commands.add_parser(
        "stats", help="service statistics for publishing (ITA open data), by Thai fiscal year"
    )
    stats.add_argument("--period", choices=("month", "quarter", "half", "year"), default="year")
    stats.add_argument(
        "--fiscal-year",
        type=int,
        metavar="YYYY",
        help="Buddhist Era fiscal year, e.g. 2569 (default: the current one)",
    )
    stats.add_argument(
        "--date",
        metavar="DATE",
        help="for month/quarter/half: the period containing this day "
        "(YYYY-MM-DD; default today, or the fiscal year's last day)",
    )
    stats.add_argument("--format", choices=("table", "csv", "xlsx", "pdf", "json"), default="table")
    stats.add_argument(
        "--out",
        metavar="FILE",
        help="output file (required for xlsx and pdf; a table is written as text)",
    )
    stats.set_defaults(handler=_report_stats)


def _report_visits(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.core.thai_dates import parse_iso_date
    from counter_tui.errors import UserError
    from counter_tui.services.reports import visits_export, write_visits

    date_from = parse_iso_date(args.date_from)
    date_to = parse_iso_date(args.date_to)
    _, office = open_office(args)
    # per-officer rows: a supervisor's own units (the ปลัด and admins: every unit)
    rows = visits_export(
        office.id,
        date_from,
        date_to,
        utc_now(),  # streamed: years fit
        actor_id=signed_in(args, office).id,
    )
    if args.out:
        import os
        from pathlib import Path

        out = Path(args.out)
        if not out.parent.is_dir():
            raise UserError(
                f"the folder {out.parent} does not exist: create it or choose another --out path."
            )
        from counter_tui.private_files import open_private

        partial = out.with_name(out.name + ".partial")
        try:  # the file appears whole or not at all, readable by its owner only (0600)
            with open_private(partial, "w", encoding="utf-8", newline="") as stream:
                count = write_visits(rows, args.format, stream)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
        print(f"{count} row(s) written to {args.out}", file=sys.stderr)
    else:
        from counter_tui.core.text import for_terminal

        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        write_visits(rows, args.format, for_terminal(sys.stdout))
    return 0


def _report_stats(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.core.thai_dates import parse_iso_date
    from counter_tui.errors import UserError
    from counter_tui.printing import report_formats as out
    from counter_tui.services.reports import stats_report

    if args.format in ("xlsx", "pdf") and not args.out:
        raise UserError(f"--format {args.format} writes a file: add --out FILE.{args.format}")
    on_date = parse_iso_date(args.date) if args.date else None
    settings, office = open_office(args)
    # Public figures without --as; with it, a supervisor's or admin's, per officer too, of the
    # units they oversee.
    signer = signed_in(args, office, required=False)
    report = stats_report(
        office.id,
        args.period,
        args.fiscal_year,
        on_date,
        utc_now(),
        with_officers=signer is not None,
        actor_id=signer.id if signer is not None else None,
    )
    if args.out:  # every format, the table too (as plain text), through one writer
        out.write_report(report, args.format, args.out, settings.language == "th")
        print(safe_text(f"บันทึกไฟล์แล้ว: {args.out}"), file=sys.stderr)
    elif args.format == "table":
        out.print_table(report, settings.language == "th")
    else:
        from counter_tui.core.text import for_terminal

        write = out.write_json if args.format == "json" else out.write_csv
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        write(report, for_terminal(sys.stdout))  # escaped on a terminal, exact in a pipe
    return 0
