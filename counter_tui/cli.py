"""Provides the ``counter-tui`` command line: the app (no subcommand), the global options,
``locate``, and the one error handler; each command group is a module of
``counter_tui.commands`` with its ``add_*_command``.

Imports stay inside the handlers so that ``counter-tui --help`` and the app start lean.
Bad input ends in ``counter-tui: error: ...`` and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from counter_tui import _lazy_drivers
from counter_tui.commands.common import PROG
from counter_tui.commands.common import load_cli_settings as _settings
from counter_tui.commands.common import open_office as _open
from counter_tui.commands.common import warned_urls as _warned  # noqa: F401  (tests clear it)
from counter_tui.core.text import safe_text  # stored text never reaches a terminal raw


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Thai-first front-counter app: citizen manuals, timed service, EIT survey QR.",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="database URL (else env COUNTER_TUI_DATABASE_URL, else SQLite in the "
        "user data folder), e.g. postgresql://user@host:5432/counter",
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (else env COUNTER_TUI_CONFIG, else config.toml in the "
        "user config folder)",
    )
    parser.add_argument(
        "--office", metavar="CODE", help="the office to work in, in a shared (district) database"
    )
    parser.add_argument(
        "--as",
        dest="as_name",
        metavar="NAME",
        help="sign in as this staff member (PIN asked) for a command that "
        "changes data or reads personal data",
    )
    parser.add_argument(
        "--pin-stdin",
        dest="pin_stdin_as",
        action="store_true",
        help="with --as: read that PIN from the first line of standard input (for scripts)",
    )
    parser.set_defaults(handler=_run_app)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    locate = commands.add_parser(
        "locate", help="print the config file, data folder and database URL in use"
    )
    locate.set_defaults(handler=_locate)

    from counter_tui.commands import (  # argparse only at module level; nothing heavy
        backup,
        catalog,
        counter,
        demo,
        office,
        qr,
        report,
        settings,
        staff,
    )

    catalog.add_catalog_command(commands)
    settings.add_settings_command(commands)
    qr.add_qr_command(commands)
    demo.add_demo_command(commands)
    office.add_office_command(commands)
    staff.add_staff_command(commands)
    counter.add_counter_command(commands)
    report.add_report_command(commands)
    backup.add_backup_commands(commands)
    return parser


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

    app = make_app(
        settings,
        office_code=office.code,
        office=office,
        first=first,
        opened=quick is None,
        daily_jobs=True,
    )
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
    return argparse.Namespace(
        database=values["--database"],
        config=values["--config"],
        office=values["--office"],
        as_name=None,
        pin_stdin_as=False,
        handler=_run_app,
    )


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
            print(
                f"{PROG}: error: {exc.strerror or exc} ({exc.filename}): check the path and "
                "its folder's permissions and free space, then run the command again.",
                file=sys.stderr,
            )
        else:
            print(
                f"{PROG}: error: {exc.strerror or exc}: run the "
                "command again once the cause is fixed.",
                file=sys.stderr,
            )
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
        print(
            f"{PROG}: error: {report_unexpected(exc, 'cli ' + ' '.join(argv[:2]))}", file=sys.stderr
        )
        return 70  # EX_SOFTWARE
