"""Provides ``counter-tui office``: the offices of a shared (district) database."""

from __future__ import annotations

import argparse

from counter_tui.commands.common import open_office, signed_in
from counter_tui.core.text import safe_text


def add_office_command(subparsers: argparse._SubParsersAction) -> None:
    office = subparsers.add_parser("office", help="offices in a shared (district) database")
    office_commands = office.add_subparsers(
        title="office commands", metavar="ACTION", required=True
    )
    add = office_commands.add_parser("add", help="add another office (with the sample catalog)")
    add.add_argument("code")
    add.add_argument("name")
    add.set_defaults(handler=_office_add)


def _office_add(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services.office import add_office

    _, current = open_office(args)
    actor = signed_in(args, current)  # an admin of the office given by --office (or the first)
    office = add_office(args.code, args.name, utc_now(), actor_id=actor.id)
    print(f"office {office.code} added: {safe_text(office.name)}")
    return 0
