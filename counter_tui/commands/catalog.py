"""Provides ``counter-tui catalog``: validate, import, list and export the citizen manuals."""

from __future__ import annotations

import argparse
import sys

from counter_tui.commands.common import open_office, signed_in
from counter_tui.core.text import safe_text


def add_catalog_command(subparsers: argparse._SubParsersAction) -> None:
    catalog = subparsers.add_parser("catalog", help="citizen manuals: validate, import, list")
    catalog_commands = catalog.add_subparsers(
        title="catalog commands", metavar="ACTION", required=True
    )
    validate = catalog_commands.add_parser(
        "validate", help="check manual files; problems as FILE:LINE: error|warning: ..."
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="manual files or folders")
    validate.set_defaults(handler=_catalog_validate)
    import_ = catalog_commands.add_parser(
        "import",
        help="add or update services from manual files (a changed manual is a new version)",
    )
    import_.add_argument("paths", nargs="+", metavar="PATH", help="manual files or folders")
    import_.set_defaults(handler=_catalog_import)
    list_ = catalog_commands.add_parser("list", help="list the services")
    list_.add_argument("--format", choices=("table", "json"), default="table")
    list_.set_defaults(handler=_catalog_list)
    export = catalog_commands.add_parser(
        "export", help="the manuals as posters for the notice board (PDF) or web pages (HTML)"
    )
    export.add_argument("--format", choices=("pdf", "html"), default="pdf")
    export.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="the PDF file, or the folder for the HTML pages",
    )
    export.set_defaults(handler=_catalog_export)


def _catalog_validate(args: argparse.Namespace) -> int:
    from counter_tui.catalog.loader import validate_paths

    check = validate_paths(args.paths)
    for problem in check.problems:
        print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)
    errors = sum(p.severity == "error" for p in check.problems)
    warnings = len(check.problems) - errors
    print(f"{len(check.manuals)} manual(s) checked: {errors} error(s), {warnings} warning(s)")
    return 1 if check.has_errors else 0


def _catalog_import(args: argparse.Namespace) -> int:
    from counter_tui.catalog.loader import validate_paths
    from counter_tui.core.clock import utc_now
    from counter_tui.services.catalog import import_manuals

    check = validate_paths(args.paths)
    for problem in check.problems:
        print(problem, file=sys.stderr)
    if check.has_errors:
        print("nothing imported: fix the errors above first.", file=sys.stderr)
        return 1
    _, office = open_office(args)
    actor = signed_in(args, office)
    report = import_manuals(
        office.id, [manual for _, manual in check.manuals], utc_now(), actor_id=actor.id
    )
    print(
        f"added {len(report.added)}, updated {len(report.updated)} (new version), "
        f"unchanged {len(report.unchanged)}"
    )
    for code in report.added:
        print(f"  + {safe_text(code)}")
    for code in report.updated:
        print(f"  ~ {safe_text(code)}")
    return 0


def _catalog_list(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict

    from counter_tui.services.catalog import list_services

    settings, office = open_office(args)
    services = list_services(office.id)
    if args.format == "json":
        from counter_tui.core.text import for_terminal

        print(
            json.dumps([asdict(s) for s in services], ensure_ascii=False, indent=2),
            file=for_terminal(sys.stdout),
        )
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    thai = settings.language == "th"
    table = Table(title=Text(f"{safe_text(office.name)} — " + ("บริการ" if thai else "services")))
    for heading in (
        ("รหัส", "code"),
        ("กลุ่ม", "group"),
        ("บริการ", "service"),
        ("หน่วยงาน", "unit"),
        ("มาตรฐาน", "standard"),
    ):
        table.add_column(heading[0] if thai else heading[1])
    for s in services:
        table.add_row(
            *(
                Text(safe_text(cell))
                for cell in (  # Text: no markup in names
                    s.code,
                    s.group,
                    s.name_th if thai else s.name_en,
                    s.unit,
                    s.standard_text or "—",
                )
            )
        )
    console = Console()
    console.print(table)
    if any(s.sample for s in services):
        console.print(
            "ตัวอย่าง: มาตรฐานเวลาเป็นข้อมูลตัวอย่างจากสำนักงานอื่น — นำเข้าคู่มือของสำนักงานเอง"
            if thai
            else "Sample standards from other offices: import your own manuals."
        )
    return 0


def _catalog_export(args: argparse.Namespace) -> int:
    from counter_tui.printing.manual_export import posters_pdf, write_html
    from counter_tui.services.catalog import current_manuals

    _, office = open_office(args)
    manuals = current_manuals(office.id)
    if args.format == "pdf":
        path = posters_pdf(manuals, args.out, office.name)
    else:
        path = write_html(manuals, args.out, office.name)
    print(f"{len(manuals)} manual(s) written to {path}")
    return 0
