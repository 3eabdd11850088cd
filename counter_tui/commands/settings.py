"""Provides ``counter-tui settings``: get, set and list the office-wide settings."""

from __future__ import annotations

import argparse
import sys

from counter_tui.commands.common import local_today, open_office, signed_in
from counter_tui.core.text import safe_text


def add_settings_command(subparsers: argparse._SubParsersAction) -> None:
    settings = subparsers.add_parser("settings", help="office-wide settings kept in the database")
    settings_commands = settings.add_subparsers(
        title="settings commands", metavar="ACTION", required=True
    )
    get = settings_commands.add_parser("get", help="print a setting")
    get.add_argument("key")
    get.add_argument(
        "--fiscal-year",
        type=int,
        metavar="YYYY",
        help="Buddhist Era fiscal year for per-year settings (default: current)",
    )
    get.set_defaults(handler=_settings_get)
    set_ = settings_commands.add_parser("set", help="change a setting (validated)")
    set_.add_argument("key")
    set_.add_argument("value")
    set_.add_argument(
        "--fiscal-year",
        type=int,
        metavar="YYYY",
        help="Buddhist Era fiscal year for per-year settings (default: current)",
    )
    set_.set_defaults(handler=_settings_set)
    show = settings_commands.add_parser("list", help="every setting with its value")
    show.set_defaults(handler=_settings_list)


def _settings_get(args: argparse.Namespace) -> int:
    from counter_tui.services.settings import get_setting

    _, office = open_office(args)
    value = get_setting(office.id, args.key, local_today(), args.fiscal_year)
    if value is None:
        print(f"{safe_text(args.key)} is not set", file=sys.stderr)
        return 1
    print(safe_text(value))
    return 0


def _settings_set(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services.settings import set_setting

    _, office = open_office(args)
    actor = signed_in(args, office)
    value = set_setting(
        office.id,
        args.key,
        args.value,
        utc_now(),
        local_today(),
        args.fiscal_year,
        actor_id=actor.id,
    )
    print(f"{safe_text(args.key)} = {safe_text(value)}")
    return 0


def _settings_list(args: argparse.Namespace) -> int:
    from counter_tui.core.office_settings import SPECS
    from counter_tui.services.settings import all_settings

    _, office = open_office(args)
    for key, value in all_settings(office.id, local_today()).items():
        suffix = "  (this fiscal year)" if SPECS[key].per_fiscal_year else ""
        print(f"{key} = {safe_text(value) if value is not None else '(not set)'}{suffix}")
    return 0
