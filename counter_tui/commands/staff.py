"""Provides ``counter-tui staff``: add staff members, reset a PIN, list them."""

from __future__ import annotations

import argparse

from counter_tui.commands.common import AS_HINT, open_office, read_pin, signed_in
from counter_tui.core.text import safe_text

ALL_UNITS_TH = "ทุกหน่วยงาน (all units)"


def add_staff_command(subparsers: argparse._SubParsersAction) -> None:
    staff = subparsers.add_parser("staff", help="staff members (officers, supervisors, admins)")
    staff_commands = staff.add_subparsers(title="staff commands", metavar="ACTION", required=True)
    staff_add = staff_commands.add_parser(
        "add", help="add a staff member; asks for the PIN (4-12 digits) twice"
    )
    staff_add.add_argument("name")
    staff_add.add_argument("--role", choices=("officer", "supervisor", "admin"), required=True)
    staff_add.add_argument(
        "--unit",
        action="append",
        default=[],
        metavar="UNIT",
        help="a unit the member belongs to (repeat for several); supervisors need at least one",
    )
    staff_add.add_argument(
        "--all-units",
        action="store_true",
        help="a supervisor who oversees every unit (the ปลัด): sees all "
        "units' dashboard, cases and reports",
    )
    staff_add.add_argument(
        "--pin-stdin", action="store_true", help="read the PIN from standard input (for scripts)"
    )
    staff_add.set_defaults(handler=_staff_add)
    reset_pin = staff_commands.add_parser(
        "reset-pin",
        help="set a new PIN for a staff member (also lifts any lock); asks for it twice",
    )
    reset_pin.add_argument("name")
    reset_pin.add_argument(
        "--pin-stdin", action="store_true", help="read the PIN from standard input (for scripts)"
    )
    reset_pin.set_defaults(handler=_staff_reset_pin)
    staff_list = staff_commands.add_parser("list", help="list staff members")
    staff_list.set_defaults(handler=_staff_list)


def _read_pin(args: argparse.Namespace) -> str:
    """The new PIN: after the signed-in member's own (``--as``), when both come from standard
    input, it is the next line."""
    return read_pin(args.pin_stdin, "PIN (4-12 digits): ", confirm=True)


def _staff_add(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services.staff import add_staff, validate_pin

    _, office = open_office(args)
    actor = signed_in(args, office, required=False)
    if actor is None and args.role == "admin":  # the first admin: the one thing done without --as
        from counter_tui.services.office import has_admin
        from counter_tui.services.permissions import PermissionDenied

        if has_admin(office.id):
            raise PermissionDenied(
                "สำนักงานนี้มีผู้ดูแลระบบแล้ว: ผู้ดูแลระบบเพิ่มผู้ใช้ได้โดย"
                + AS_HINT.removeprefix("ระบุผู้ใช้ที่ลงชื่อเข้าใช้")
            )
    elif actor is None:
        signed_in(args, office)  # refused, naming --as
    pin = validate_pin(_read_pin(args))
    if actor is None:
        from counter_tui.services.staff import create_first_admin

        staff = create_first_admin(office.id, args.name, pin, utc_now())
    else:
        staff = add_staff(
            office.id,
            args.name,
            args.role,
            pin,
            utc_now(),
            args.unit,
            all_units=args.all_units,
            actor_id=actor.id,
        )
    shown = (*staff.units, ALL_UNITS_TH) if staff.all_units else staff.units
    units = f" ({', '.join(shown)})" if shown else ""
    print(safe_text(f"added {staff.role} {staff.name}{units}"))
    return 0


def _staff_reset_pin(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services.staff import reset_pin, validate_pin

    _, office = open_office(args)
    actor = signed_in(args, office)
    staff = reset_pin(
        office.id, args.name, validate_pin(_read_pin(args)), utc_now(), actor_id=actor.id
    )
    print(
        safe_text(
            f"ตั้ง PIN ใหม่ให้ {staff.name} แล้ว ลงชื่อเข้าใช้ด้วย PIN ใหม่ได้ทันที "
            f"(new PIN set for {staff.name}; any lock is lifted)"
        )
    )
    return 0


def _staff_list(args: argparse.Namespace) -> int:
    from counter_tui.services.permissions import authorize
    from counter_tui.services.staff import list_staff

    _, office = open_office(args)
    authorize(signed_in(args, office).id, "list_staff", office_id=office.id)
    for staff in list_staff(office.id):
        units = ", ".join((*staff.units, ALL_UNITS_TH) if staff.all_units else staff.units)
        print(
            "\t".join(safe_text(cell) for cell in (staff.name, staff.role, units))
            + ("" if staff.active else "\t(inactive)")
        )
    return 0
