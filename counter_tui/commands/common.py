"""Provides what every subcommand shares: the settings read from the global options (with the
warning about a readable SQLite file), the office in the opened database, and today's date."""

from __future__ import annotations

import argparse
import sys

from counter_tui.core.text import safe_text  # stored text never reaches a terminal raw

PROG = "counter-tui"


def load_cli_settings(args: argparse.Namespace):
    from counter_tui.config import load_settings

    settings = load_settings(args.config, args.database)
    warn_if_exposed(settings.resolved_database_url())
    return settings


warned_urls: set[str] = set()


def warn_if_exposed(url: str) -> None:
    """One Thai line on standard error when the SQLite database can be read by others."""
    import re

    from counter_tui.private_files import exposed_warning

    match = re.fullmatch(r"sqlite:///(.+)", url, re.IGNORECASE)
    if match is None or match.group(1) == ":memory:" or url in warned_urls:
        return
    warned_urls.add(url)
    warning = exposed_warning(match.group(1))
    if warning:
        print(f"{PROG}: {safe_text(warning)}", file=sys.stderr)


def open_office(args: argparse.Namespace):
    """Settings, and the office after the database is opened, migrated and bootstrapped."""
    from counter_tui.core.clock import utc_now
    from counter_tui.services.office import connect

    settings = load_cli_settings(args)
    _, office = connect(settings.resolved_database_url(), utc_now(),
                        args.office or settings.office)
    return settings, office


def local_today():
    from counter_tui.core.clock import utc_now
    from counter_tui.core.thai_dates import local_date

    return local_date(utc_now())
