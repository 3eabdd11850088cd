"""Provides ``counter-tui staff``: add staff members, reset a PIN, list them."""

from __future__ import annotations

import argparse
import sys

from counter_tui.commands.common import open_office
from counter_tui.core.text import safe_text

ALL_UNITS_TH = "ทุกหน่วยงาน (all units)"


def add_staff_command(subparsers: argparse._SubParsersAction) -> None:
    staff = subparsers.add_parser("staff", help="staff members (officers, supervisors, admins)")
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

    _, office = open_office(args)
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

    _, office = open_office(args)
    staff = reset_pin(office.id, args.name, validate_pin(_read_pin(args)), utc_now())
    print(safe_text(f"ตั้ง PIN ใหม่ให้ {staff.name} แล้ว ลงชื่อเข้าใช้ด้วย PIN ใหม่ได้ทันที "
                    f"(new PIN set for {staff.name}; any lock is lifted)"))
    return 0


def _staff_list(args: argparse.Namespace) -> int:
    from counter_tui.services.staff import list_staff

    _, office = open_office(args)
    for staff in list_staff(office.id):
        units = ", ".join((*staff.units, ALL_UNITS_TH) if staff.all_units else staff.units)
        print("\t".join(safe_text(cell) for cell in (staff.name, staff.role, units))
              + ("" if staff.active else "\t(inactive)"))
    return 0
