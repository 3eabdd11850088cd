"""Provides ``counter-tui qr``: its parser and output are ``counter_tui.printing.cli``'s; the
handler here reads the office name and the fiscal year's survey link from the database."""

from __future__ import annotations

import argparse

from counter_tui.commands.common import local_today, open_office


def add_qr_command(subparsers: argparse._SubParsersAction) -> None:
    from counter_tui.printing import cli as printing_cli  # argparse only; nothing heavy

    printing_cli.add_qr_command(subparsers, _qr)


def _qr(args: argparse.Namespace) -> int:
    from counter_tui.printing.cli import run_qr
    from counter_tui.services.settings import get_setting

    _, office = open_office(args)
    today = local_today()
    url = get_setting(office.id, "survey.eit_url", today, args.fiscal_year)
    from counter_tui.services.catalog import catalog_view

    return run_qr(args.out, catalog_view(office.id).office_name, url, fiscal_year=args.fiscal_year)
