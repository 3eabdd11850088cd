"""Provides ``counter-tui demo``: an empty database filled with simulated activity."""

from __future__ import annotations

import argparse
import sys

from counter_tui.commands.common import open_office


def add_demo_command(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="fill an EMPTY database with realistic simulated activity (refuses one "
        "that holds real visits); demo staff PIN 1234",
    )
    demo.add_argument(
        "--days", type=int, default=60, metavar="N", help="working days up to today, 1-3660 (60)"
    )
    demo.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
    demo.add_argument(
        "--offices", type=int, default=1, metavar="N", help="offices in the database, 1-200 (1)"
    )
    demo.add_argument(
        "--visits-per-day",
        type=int,
        default=None,
        metavar="N",
        help="average visits per office per working day, 1-2000 (60)",
    )
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services.demo import check_sizes, generate_demo

    check_sizes(args.days, args.offices, args.visits_per_day)  # before a database is made
    open_office(args)
    report = generate_demo(
        args.days,
        args.seed,
        utc_now(),
        offices=args.offices,
        visits_per_day=args.visits_per_day,
        progress=lambda message: print(message, file=sys.stderr),
    )
    print(
        f"{report.tickets} visits, {report.events} events in {report.offices} office(s) over "
        f"{report.days} working days ({report.seconds:.1f} s). Demo staff PIN: 1234"
    )
    return 0
