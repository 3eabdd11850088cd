"""Provides the ``counter-tui`` command line: the app (no subcommand) and its subcommands.

Imports stay inside the handlers so that ``counter-tui --help`` and the app start lean.
Bad input ends in ``counter-tui: error: ...`` and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from counter_tui import _lazy_drivers
from counter_tui.core.text import safe_text  # stored text never reaches a terminal raw

PROG = "counter-tui"
ALL_UNITS_TH = "ทุกหน่วยงาน (all units)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Thai-first front-counter app: citizen manuals, timed service, EIT survey QR.",
    )
    parser.add_argument("--database", metavar="URL",
                        help="database URL (else env COUNTER_TUI_DATABASE_URL, else SQLite in the "
                             "user data folder), e.g. postgresql://user@host:5432/counter")
    parser.add_argument("--config", metavar="PATH",
                        help="config file (else env COUNTER_TUI_CONFIG, else config.toml in the "
                             "user config folder)")
    parser.add_argument("--office", metavar="CODE",
                        help="the office to work in, in a shared (district) database")
    parser.set_defaults(handler=_run_app)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    locate = commands.add_parser("locate", help="print the config file, data folder and "
                                                "database URL in use")
    locate.set_defaults(handler=_locate)

    catalog = commands.add_parser("catalog", help="citizen manuals: validate, import, list")
    catalog_commands = catalog.add_subparsers(title="catalog commands", metavar="ACTION",
                                              required=True)
    validate = catalog_commands.add_parser(
        "validate", help="check manual files; problems as FILE:LINE: error|warning: ...")
    validate.add_argument("paths", nargs="+", metavar="PATH", help="manual files or folders")
    validate.set_defaults(handler=_catalog_validate)
    import_ = catalog_commands.add_parser(
        "import", help="add or update services from manual files (a changed manual is a new "
                       "version)")
    import_.add_argument("paths", nargs="+", metavar="PATH", help="manual files or folders")
    import_.set_defaults(handler=_catalog_import)
    list_ = catalog_commands.add_parser("list", help="list the services")
    list_.add_argument("--format", choices=("table", "json"), default="table")
    list_.set_defaults(handler=_catalog_list)
    export = catalog_commands.add_parser(
        "export", help="the manuals as posters for the notice board (PDF) or web pages (HTML)")
    export.add_argument("--format", choices=("pdf", "html"), default="pdf")
    export.add_argument("--out", required=True, metavar="PATH",
                        help="the PDF file, or the folder for the HTML pages")
    export.set_defaults(handler=_catalog_export)

    settings = commands.add_parser("settings", help="office-wide settings kept in the database")
    settings_commands = settings.add_subparsers(title="settings commands", metavar="ACTION",
                                                required=True)
    get = settings_commands.add_parser("get", help="print a setting")
    get.add_argument("key")
    get.add_argument("--fiscal-year", type=int, metavar="YYYY",
                     help="Buddhist Era fiscal year for per-year settings (default: current)")
    get.set_defaults(handler=_settings_get)
    set_ = settings_commands.add_parser("set", help="change a setting (validated)")
    set_.add_argument("key")
    set_.add_argument("value")
    set_.add_argument("--fiscal-year", type=int, metavar="YYYY",
                      help="Buddhist Era fiscal year for per-year settings (default: current)")
    set_.set_defaults(handler=_settings_set)
    show = settings_commands.add_parser("list", help="every setting with its value")
    show.set_defaults(handler=_settings_list)

    from counter_tui.printing.cli import add_qr_command  # argparse only; nothing heavy

    add_qr_command(commands, _qr)

    demo = commands.add_parser(
        "demo", help="fill an EMPTY database with realistic simulated activity (refuses one "
                     "that holds real visits); demo staff PIN 1234")
    demo.add_argument("--days", type=int, default=60, metavar="N",
                      help="working days up to today, 1-3660 (60)")
    demo.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
    demo.add_argument("--offices", type=int, default=1, metavar="N",
                      help="offices in the database, 1-200 (1)")
    demo.add_argument("--visits-per-day", type=int, default=None, metavar="N",
                      help="average visits per office per working day, 1-2000 (60)")
    demo.set_defaults(handler=_demo)

    office = commands.add_parser("office", help="offices in a shared (district) database")
    office_commands = office.add_subparsers(title="office commands", metavar="ACTION",
                                            required=True)
    add = office_commands.add_parser("add", help="add another office (with the sample catalog)")
    add.add_argument("code")
    add.add_argument("name")
    add.set_defaults(handler=_office_add)
    staff = commands.add_parser("staff", help="staff members (officers, supervisors, admins)")
    staff_commands = staff.add_subparsers(title="staff commands", metavar="ACTION", required=True)
    staff_add = staff_commands.add_parser(
        "add", help="add a staff member; asks for the PIN (4-12 digits) twice")
    staff_add.add_argument("name")
    staff_add.add_argument("--role", choices=("officer", "supervisor", "admin"), required=True)
    staff_add.add_argument("--unit", action="append", default=[], metavar="UNIT",
                           help="a unit the member belongs to (repeat for several); "
                                "supervisors need at least one")
    staff_add.add_argument("--all-units", action="store_true",
                           help="a supervisor who oversees every unit (the ปลัด): sees all "
                                "units' dashboard, cases and reports")
    staff_add.add_argument("--pin-stdin", action="store_true",
                           help="read the PIN from standard input (for scripts)")
    staff_add.set_defaults(handler=_staff_add)
    reset_pin = staff_commands.add_parser(
        "reset-pin", help="set a new PIN for a staff member (also lifts any lock); asks for it "
                          "twice")
    reset_pin.add_argument("name")
    reset_pin.add_argument("--pin-stdin", action="store_true",
                           help="read the PIN from standard input (for scripts)")
    reset_pin.set_defaults(handler=_staff_reset_pin)
    staff_list = staff_commands.add_parser("list", help="list staff members")
    staff_list.set_defaults(handler=_staff_list)

    counter = commands.add_parser("counter", help="counters (service points)")
    counter_commands = counter.add_subparsers(title="counter commands", metavar="ACTION",
                                              required=True)
    counter_add = counter_commands.add_parser("add", help="create a counter")
    counter_add.add_argument("name")
    counter_add.add_argument("--unit", required=True, help="the unit the counter belongs to")
    counter_add.add_argument("--services", required=True, metavar="CODE,...",
                             help="service codes the counter serves, comma separated")
    counter_add.add_argument("--printer", metavar="URL",
                             help="slip printer: tcp://HOST:9100, usb://VID:PID, file:PATH or "
                                  "cups:QUEUE")
    counter_add.set_defaults(handler=_counter_add)
    counter_list = counter_commands.add_parser("list", help="list counters")
    counter_list.set_defaults(handler=_counter_list)
    test_print = counter_commands.add_parser(
        "test-print", help="send a short Thai test slip to a counter's printer; says whether "
                           "it arrived or exactly why not")
    test_print.add_argument("name", help="the counter's name, e.g. 'ช่อง 1'")
    test_print.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                            help="how long to wait for the printer (5)")
    test_print.set_defaults(handler=_counter_test_print)
    report = commands.add_parser("report", help="reports for publishing and for other programs")
    report_commands = report.add_subparsers(title="report commands", metavar="REPORT",
                                            required=True)
    visits = report_commands.add_parser(
        "visits", help="one row per service of a visit, with every timing figure (no personal "
                       "data)")
    visits.add_argument("--from", dest="date_from", required=True, metavar="DATE",
                        help="first day, YYYY-MM-DD (Gregorian)")
    visits.add_argument("--to", dest="date_to", required=True, metavar="DATE",
                        help="last day, YYYY-MM-DD (Gregorian)")
    visits.add_argument("--format", choices=("csv", "json"), default="csv")
    visits.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    visits.set_defaults(handler=_report_visits)
    stats = report_commands.add_parser(
        "stats", help="service statistics for publishing (ITA open data), by Thai fiscal year")
    stats.add_argument("--period", choices=("month", "quarter", "half", "year"), default="year")
    stats.add_argument("--fiscal-year", type=int, metavar="YYYY",
                       help="Buddhist Era fiscal year, e.g. 2569 (default: the current one)")
    stats.add_argument("--date", metavar="DATE",
                       help="for month/quarter/half: the period containing this day "
                            "(YYYY-MM-DD; default today, or the fiscal year's last day)")
    stats.add_argument("--format", choices=("table", "csv", "xlsx", "pdf", "json"),
                       default="table")
    stats.add_argument("--out", metavar="FILE", help="output file (required for xlsx and pdf; "
                                                     "a table is written as text)")
    stats.set_defaults(handler=_report_stats)

    backup = commands.add_parser(
        "backup", help="copy the database to FILE while counters work (SQLite's online backup; "
                       "PostgreSQL: pg_dump)")
    backup.add_argument("file", nargs="?", metavar="FILE",
                        help="the backup file (default: counter-DATE-TIME.sqlite in the backup "
                             "folder, the backup.folder setting or backups/ beside the database)")
    backup.set_defaults(handler=_backup)
    restore = commands.add_parser(
        "restore", help="restore a backup FILE onto a new or empty database (--database)")
    restore.add_argument("file", metavar="FILE", help="a file made by counter-tui backup")
    restore.set_defaults(handler=_restore)
    return parser


# --- shared helpers ------------------------------------------------------------------------

def _settings(args: argparse.Namespace):
    from counter_tui.config import load_settings

    settings = load_settings(args.config, args.database)
    _warn_if_exposed(settings.resolved_database_url())
    return settings


_warned: set[str] = set()


def _warn_if_exposed(url: str) -> None:
    """One Thai line on standard error when the SQLite database can be read by others."""
    import re

    from counter_tui.private_files import exposed_warning

    match = re.fullmatch(r"sqlite:///(.+)", url, re.IGNORECASE)
    if match is None or match.group(1) == ":memory:" or url in _warned:
        return
    _warned.add(url)
    warning = exposed_warning(match.group(1))
    if warning:
        print(f"{PROG}: {safe_text(warning)}", file=sys.stderr)


def _open(args: argparse.Namespace):
    """Settings, and the office after the database is opened, migrated and bootstrapped."""
    from counter_tui.core.clock import utc_now
    from counter_tui.services.office import connect

    settings = _settings(args)
    _, office = connect(settings.resolved_database_url(), utc_now(),
                        args.office or settings.office)
    return settings, office


def _today():
    from counter_tui.core.clock import utc_now
    from counter_tui.core.thai_dates import local_date

    return local_date(utc_now())


# --- handlers ------------------------------------------------------------------------------

def _run_app(args: argparse.Namespace) -> int:
    from counter_tui.services.sign_in import load_sign_in
    from counter_tui.services.startup import quick_start

    # The sign-in screen's data is read before the UI loop runs, so its first frame shows it:
    # straight from a ready SQLite file (peewee loads later, on the database thread), else
    # by opening the database the full way, which fails fast, before the screen is taken over.
    settings = _settings(args)
    quick = quick_start(settings.resolved_database_url(), args.office or settings.office)
    if quick is not None:
        office, first = quick
    else:
        settings, office = _open(args)
        from counter_tui.db.models import database_proxy

        first = load_sign_in(office.id)
        database_proxy.obj.close()  # this thread's connection: the database thread opens its own
    from counter_tui.app import make_app

    app = make_app(settings, office_code=office.code, office=office, first=first,
                   opened=quick is None, daily_jobs=True)
    app.run()
    # An unhandled error ends the app with its traceback and return code 1: never exit 0 then.
    return app.return_code or 0


def _locate(args: argparse.Namespace) -> int:
    from counter_tui.db.database import describe_url
    from counter_tui.paths import data_dir

    settings = _settings(args)
    exists = "" if settings.config_path.exists() else "  (not created; defaults in use)"
    print(f"config file:   {settings.config_path}{exists}")
    print(f"data folder:   {data_dir()}")
    print(f"database URL:  {describe_url(settings.resolved_database_url())}")
    return 0


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
    _, office = _open(args)
    report = import_manuals(office.id, [manual for _, manual in check.manuals], utc_now())
    print(f"added {len(report.added)}, updated {len(report.updated)} (new version), "
          f"unchanged {len(report.unchanged)}")
    for code in report.added:
        print(f"  + {safe_text(code)}")
    for code in report.updated:
        print(f"  ~ {safe_text(code)}")
    return 0


def _catalog_list(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict

    from counter_tui.services.catalog import list_services

    settings, office = _open(args)
    services = list_services(office.id)
    if args.format == "json":
        from counter_tui.core.text import for_terminal

        print(json.dumps([asdict(s) for s in services], ensure_ascii=False, indent=2),
              file=for_terminal(sys.stdout))
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    thai = settings.language == "th"
    table = Table(title=Text(f"{safe_text(office.name)} — " + ("บริการ" if thai else "services")))
    for heading in (("รหัส", "code"), ("กลุ่ม", "group"), ("บริการ", "service"),
                    ("หน่วยงาน", "unit"), ("มาตรฐาน", "standard")):
        table.add_column(heading[0] if thai else heading[1])
    for s in services:
        table.add_row(*(Text(safe_text(cell)) for cell in (  # Text: no markup in names
            s.code, s.group, s.name_th if thai else s.name_en, s.unit, s.standard_text or "—")))
    console = Console()
    console.print(table)
    if any(s.sample for s in services):
        console.print("ตัวอย่าง: มาตรฐานเวลาเป็นข้อมูลตัวอย่างจากสำนักงานอื่น — นำเข้าคู่มือของสำนักงานเอง"
                      if thai else "Sample standards from other offices: import your own manuals.")
    return 0


def _catalog_export(args: argparse.Namespace) -> int:
    from counter_tui.printing.manual_export import posters_pdf, write_html
    from counter_tui.services.catalog import current_manuals

    _, office = _open(args)
    manuals = current_manuals(office.id)
    if args.format == "pdf":
        path = posters_pdf(manuals, args.out, office.name)
    else:
        path = write_html(manuals, args.out, office.name)
    print(f"{len(manuals)} manual(s) written to {path}")
    return 0


def _settings_get(args: argparse.Namespace) -> int:
    from counter_tui.services.settings import get_setting

    _, office = _open(args)
    value = get_setting(office.id, args.key, _today(), args.fiscal_year)
    if value is None:
        print(f"{safe_text(args.key)} is not set", file=sys.stderr)
        return 1
    print(safe_text(value))
    return 0


def _settings_set(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services.settings import set_setting

    _, office = _open(args)
    value = set_setting(office.id, args.key, args.value, utc_now(), _today(), args.fiscal_year)
    print(f"{safe_text(args.key)} = {safe_text(value)}")
    return 0


def _settings_list(args: argparse.Namespace) -> int:
    from counter_tui.core.office_settings import SPECS
    from counter_tui.services.settings import all_settings

    _, office = _open(args)
    for key, value in all_settings(office.id, _today()).items():
        suffix = "  (this fiscal year)" if SPECS[key].per_fiscal_year else ""
        print(f"{key} = {safe_text(value) if value is not None else '(not set)'}{suffix}")
    return 0


def _office_add(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services.office import add_office

    _open(args)
    office = add_office(args.code, args.name, utc_now())
    print(f"office {office.code} added: {safe_text(office.name)}")
    return 0


def _report_visits(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.core.thai_dates import parse_iso_date
    from counter_tui.errors import UserError
    from counter_tui.services.reports import iter_visit_rows, write_visits

    date_from = parse_iso_date(args.date_from)
    date_to = parse_iso_date(args.date_to)
    _, office = _open(args)
    rows = iter_visit_rows(office.id, date_from, date_to, utc_now())  # streamed: years fit
    if args.out:
        import os
        from pathlib import Path

        out = Path(args.out)
        if not out.parent.is_dir():
            raise UserError(f"the folder {out.parent} does not exist: create it or choose "
                            "another --out path.")
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

        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
        write_visits(rows, args.format, for_terminal(sys.stdout))
    return 0


def _qr(args: argparse.Namespace) -> int:
    from counter_tui.printing.cli import run_qr
    from counter_tui.services.settings import get_setting

    _, office = _open(args)
    today = _today()
    url = get_setting(office.id, "survey.eit_url", today, args.fiscal_year)
    from counter_tui.services.catalog import catalog_view

    return run_qr(args.out, catalog_view(office.id).office_name, url,
                  fiscal_year=args.fiscal_year)


def _demo(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services.demo import check_sizes, generate_demo

    check_sizes(args.days, args.offices, args.visits_per_day)  # before a database is made
    _open(args)
    report = generate_demo(args.days, args.seed, utc_now(), offices=args.offices,
                           visits_per_day=args.visits_per_day,
                           progress=lambda message: print(message, file=sys.stderr))
    print(f"{report.tickets} visits, {report.events} events in {report.offices} office(s) over "
          f"{report.days} working days ({report.seconds:.1f} s). Demo staff PIN: 1234")
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
    settings, office = _open(args)
    report = stats_report(office.id, args.period, args.fiscal_year, on_date, utc_now())
    if args.out:  # every format, the table too (as plain text), through one writer
        out.write_report(report, args.format, args.out, settings.language == "th")
        print(safe_text(f"บันทึกไฟล์แล้ว: {args.out}"), file=sys.stderr)
    elif args.format == "table":
        out.print_table(report, settings.language == "th")
    else:
        from counter_tui.core.text import for_terminal

        write = out.write_json if args.format == "json" else out.write_csv
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
        write(report, for_terminal(sys.stdout))  # escaped on a terminal, exact in a pipe
    return 0


def _backup(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services import backup as bk

    settings, office = _open(args)
    url = settings.resolved_database_url()
    if bk.is_postgres_url(url):
        return _pg_tool(bk.postgres_backup_command, url, _pg_backup_target(args, office.id), "pg_dump")
    result = bk.backup_now(url, office.id, utc_now(), args.file)
    print(f"สำรองข้อมูลแล้ว: {result.path} ({result.size / 1_048_576:.1f} MB)")
    return 0


def _pg_backup_target(args: argparse.Namespace, office_id: int):
    from pathlib import Path

    from counter_tui.core.clock import utc_now
    from counter_tui.paths import data_dir
    from counter_tui.private_files import create_private_file
    from counter_tui.services import backup as bk

    if args.file:
        target = Path(args.file).expanduser()
    else:
        folder, _ = bk._settings(office_id, utc_now())
        target = (Path(folder).expanduser() if folder else data_dir() / "backups") / \
            bk.backup_name(utc_now()).replace(".sqlite", ".dump")
    if target.exists():
        from counter_tui.errors import UserError

        raise UserError(f"มีไฟล์ {target} อยู่แล้ว: ตั้งชื่อไฟล์สำรองใหม่")
    return create_private_file(target)


def _pg_tool(command, url: str, path, tool: str) -> int:
    import os
    import subprocess

    from counter_tui.errors import UserError
    from counter_tui.services import backup as bk

    if not bk.have_tool(tool):
        raise UserError(f"ไม่พบคำสั่ง {tool}: ติดตั้ง postgresql-client (apt install postgresql-client) "
                        "แล้วลองอีกครั้ง หรือทำตามหัวข้อ Backups ใน README")
    done = subprocess.run(command(url, path), capture_output=True, text=True)
    if done.returncode != 0:
        if tool == "pg_dump":
            path.unlink(missing_ok=True)
        first = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[0]
        raise UserError(f"{tool} ไม่สำเร็จ: {first}")
    if tool == "pg_dump":
        os.chmod(path, 0o600)
        print(f"สำรองข้อมูลแล้ว (pg_dump): {path}")
    else:
        print(f"กู้คืนแล้ว (pg_restore) จาก {path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from counter_tui.core.clock import utc_now
    from counter_tui.services import backup as bk

    settings = _settings(args)
    url = settings.resolved_database_url()
    backup = Path(args.file).expanduser()
    if bk.is_postgres_url(url):
        _pg_restore_target_empty(url)
        if not backup.is_file():
            from counter_tui.errors import UserError

            raise UserError(f"ไม่พบไฟล์สำรอง {backup}: ตรวจชื่อไฟล์แล้วลองอีกครั้ง")
        return _pg_tool(bk.postgres_restore_command, url, backup, "pg_restore")
    target = bk.restore_sqlite(backup, url)
    from counter_tui.services.office import connect

    database, _ = connect(url, utc_now(), args.office or settings.office)  # newer migrations
    database.close()
    print(f"กู้คืนแล้ว: {target} จาก {backup}")
    return 0


def _pg_restore_target_empty(url: str) -> None:
    from counter_tui.db.database import describe_url, open_database
    from counter_tui.errors import UserError

    database = open_database(url)
    try:
        tables = database.get_tables()
    finally:
        database.close()
    if tables:
        raise UserError(f"ฐานข้อมูลปลายทาง {describe_url(url)} มีตารางอยู่แล้ว ({len(tables)} ตาราง): "
                        "pg_restore ลงฐานข้อมูลใหม่ที่ว่างเท่านั้น สร้างด้วย createdb แล้วระบุด้วย --database")


def _read_pin(args: argparse.Namespace) -> str:
    if args.pin_stdin:
        return sys.stdin.readline().strip()
    import getpass

    from counter_tui.errors import UserError

    if not sys.stdin.isatty():
        raise UserError("no terminal to ask for the PIN: use --pin-stdin and pipe it in.")
    first = getpass.getpass("PIN (4-12 digits): ")
    second = getpass.getpass("PIN again: ")
    if first != second:
        raise UserError("the two PINs differ; nothing was saved. Run the command again.")
    return first


def _staff_add(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services.staff import add_staff, validate_pin

    _, office = _open(args)
    pin = validate_pin(_read_pin(args))
    staff = add_staff(office.id, args.name, args.role, pin, utc_now(), args.unit,
                      all_units=args.all_units)
    shown = (*staff.units, ALL_UNITS_TH) if staff.all_units else staff.units
    units = f" ({', '.join(shown)})" if shown else ""
    print(safe_text(f"added {staff.role} {staff.name}{units}"))
    return 0


def _staff_reset_pin(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services.staff import reset_pin, validate_pin

    _, office = _open(args)
    staff = reset_pin(office.id, args.name, validate_pin(_read_pin(args)), utc_now())
    print(safe_text(f"ตั้ง PIN ใหม่ให้ {staff.name} แล้ว ลงชื่อเข้าใช้ด้วย PIN ใหม่ได้ทันที "
                    f"(new PIN set for {staff.name}; any lock is lifted)"))
    return 0


def _staff_list(args: argparse.Namespace) -> int:
    from counter_tui.services.staff import list_staff

    _, office = _open(args)
    for staff in list_staff(office.id):
        units = ", ".join((*staff.units, ALL_UNITS_TH) if staff.all_units else staff.units)
        print("\t".join(safe_text(cell) for cell in (staff.name, staff.role, units))
              + ("" if staff.active else "\t(inactive)"))
    return 0


def _counter_add(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services.counters import add_counter

    _, office = _open(args)
    codes = [c.strip() for c in args.services.split(",") if c.strip()]
    counter = add_counter(office.id, args.name, args.unit, codes, utc_now(), args.printer)
    print(safe_text(f"counter {counter.name} ({counter.unit}) serves "
                    f"{', '.join(counter.services)}"))
    if counter.printer:  # the URL is only checked for its form: see whether a slip arrives
        import shlex

        print(safe_text(f"ทดสอบเครื่องพิมพ์ {counter.printer} ด้วย: counter-tui counter test-print "
                        f"{shlex.quote(counter.name)}"))
    return 0


def _counter_test_print(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.core.thai_dates import format_datetime_th
    from counter_tui.errors import UserError
    from counter_tui.printing.escpos_out import PrinterError, render_blocks, send
    from counter_tui.printing.layout import Rule, Text
    from counter_tui.services.counters import counter_by_name

    if not 0 < args.timeout <= 120:
        raise UserError("--timeout ต้องมากกว่า 0 และไม่เกิน 120 วินาที (seconds)")
    _, office = _open(args)
    counter = counter_by_name(office.id, args.name)
    if counter is None:
        raise UserError(f"ไม่พบจุดบริการชื่อ '{args.name}' ในสำนักงานนี้: ดูชื่อที่มีด้วย "
                        "counter-tui counter list (no such counter)")
    if not counter.printer:
        raise UserError(f"จุดบริการ '{counter.name}' ยังไม่ได้ตั้งเครื่องพิมพ์: ตั้งที่หน้าผู้ดูแลระบบ "
                        "แล้วทดสอบอีกครั้ง (the counter has no printer)")
    slip = render_blocks([[
        Text("ทดสอบเครื่องพิมพ์", "l", True, "center"),
        Text(office.name, "m", False, "center"),
        Text(f"จุดบริการ {counter.name}", "m", True, "center"),
        Text(format_datetime_th(utc_now(), short=False), "s", False, "center"),
        Rule(),
        Text("ก่ ก้ ก๊ ก๋ กำ กิ กี กึ กื กุ กู เก แก โก ใก ไก ฤ ฦ ๑๒๓๔๕", "m"),
        Text("ถ้าอ่านทุกบรรทัดได้ครบ เครื่องพิมพ์นี้พร้อมพิมพ์บัตรคิวและใบแจ้งผล", "s"),
    ]])
    try:
        send(counter.printer, slip, timeout=args.timeout)
    except PrinterError as exc:
        raise UserError(f"ส่งหน้าทดสอบไปที่เครื่องพิมพ์ของ {counter.name} ({counter.printer}) "
                        f"ไม่สำเร็จ: {exc.reason}") from None
    print(safe_text(f"ส่งหน้าทดสอบ {len(slip):,} ไบต์ไปที่เครื่องพิมพ์ของ {counter.name} "
                    f"({counter.printer}) แล้ว: ดูกระดาษที่ออกมาว่าพิมพ์ภาษาไทยครบทุกบรรทัด "
                    "(the test slip was delivered; check the paper)"))
    return 0


def _counter_list(args: argparse.Namespace) -> int:
    from counter_tui.services.counters import list_counters

    _, office = _open(args)
    for counter in list_counters(office.id):
        print("\t".join(safe_text(cell) for cell in (
            counter.name, counter.unit, counter.state, ",".join(counter.services),
            counter.printer or "")))
    return 0


_GLOBAL_OPTIONS = ("--database", "--config", "--office")


def _app_start(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of a plain start of the app (only the global options, each with its
    value), read without building the whole parser: argparse's set-up of every subcommand, with
    its message translations, costs more than 20 ms of a start. Anything else: None."""
    values: dict[str, str | None] = {name: None for name in _GLOBAL_OPTIONS}
    items = list(argv)
    while items:
        token = items.pop(0)
        name, eq, value = token.partition("=")
        if name not in values:
            return None
        if not eq:
            if not items or items[0].startswith("-"):
                return None  # let argparse say what is missing
            value = items.pop(0)
        values[name] = value
    return argparse.Namespace(database=values["--database"], config=values["--config"],
                              office=values["--office"], handler=_run_app)


def main(argv: Sequence[str] | None = None) -> int:
    _lazy_drivers.install()  # this process: peewee without psycopg until a PostgreSQL URL
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _app_start(argv) or _parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    from counter_tui.errors import UserError

    try:
        return handler(args)
    except UserError as exc:
        print(f"{PROG}: error: {safe_text(exc)}", file=sys.stderr)
        return exc.exit_code
    except ValueError as exc:  # SettingError and date parsing: bad input, said plainly
        print(f"{PROG}: error: {safe_text(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # an output file or folder that cannot be written, a full disk
        if exc.filename:
            print(f"{PROG}: error: {exc.strerror or exc} ({exc.filename}): check the path and "
                  "its folder's permissions and free space, then run the command again.",
                  file=sys.stderr)
        else:
            print(f"{PROG}: error: {exc.strerror or exc}: run the "
                  "command again once the cause is fixed.", file=sys.stderr)
        return 1
    except Exception as exc:
        from peewee import DatabaseError, InterfaceError

        from counter_tui.error_log import report_unexpected

        if isinstance(exc, (DatabaseError, InterfaceError)):
            from counter_tui.db.database import explain_database_error

            explained = explain_database_error(exc)
            if explained is not None:
                print(f"{PROG}: error: {explained}", file=sys.stderr)
                return 1
        # A bug, not the user's doing: one Thai sentence here, the traceback in the log.
        print(f"{PROG}: error: {report_unexpected(exc, 'cli ' + ' '.join(argv[:2]))}",
              file=sys.stderr)
        return 70  # EX_SOFTWARE
