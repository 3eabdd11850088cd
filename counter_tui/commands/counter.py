"""Provides ``counter-tui counter``: add and list counters, send a test slip to a counter's printer."""

from __future__ import annotations

import argparse

from counter_tui.commands.common import open_office, signed_in
from counter_tui.core.text import safe_text


def add_counter_command(subparsers: argparse._SubParsersAction) -> None:
    counter = subparsers.add_parser("counter", help="counters (service points)")
    counter_commands = counter.add_subparsers(
        title="counter commands", metavar="ACTION", required=True
    )
    counter_add = counter_commands.add_parser("add", help="create a counter")
    counter_add.add_argument("name")
    counter_add.add_argument("--unit", required=True, help="the unit the counter belongs to")
    counter_add.add_argument(
        "--services",
        required=True,
        metavar="CODE,...",
        help="service codes the counter serves, comma separated",
    )
    counter_add.add_argument(
        "--printer",
        metavar="URL",
        help="slip printer: tcp://HOST:9100, usb://VID:PID, file:PATH or cups:QUEUE",
    )
    counter_add.set_defaults(handler=_counter_add)
    counter_list = counter_commands.add_parser("list", help="list counters")
    counter_list.set_defaults(handler=_counter_list)
    test_print = counter_commands.add_parser(
        "test-print",
        help="send a short Thai test slip to a counter's printer; says whether "
        "it arrived or exactly why not",
    )
    test_print.add_argument("name", help="the counter's name, e.g. 'ช่อง 1'")
    test_print.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how long to wait for the printer (5)",
    )
    test_print.set_defaults(handler=_counter_test_print)


def _counter_add(args: argparse.Namespace) -> int:
    from counter_tui.core.clock import utc_now
    from counter_tui.services.counters import add_counter

    _, office = open_office(args)
    actor = signed_in(args, office)
    codes = [c.strip() for c in args.services.split(",") if c.strip()]
    counter = add_counter(
        office.id, args.name, args.unit, codes, utc_now(), args.printer, actor_id=actor.id
    )
    print(
        safe_text(f"counter {counter.name} ({counter.unit}) serves {', '.join(counter.services)}")
    )
    if counter.printer:  # the URL is only checked for its form: see whether a slip arrives
        import shlex

        print(
            safe_text(
                f"ทดสอบเครื่องพิมพ์ {counter.printer} ด้วย: counter-tui counter test-print "
                f"{shlex.quote(counter.name)}"
            )
        )
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
    _, office = open_office(args)
    counter = counter_by_name(office.id, args.name)
    if counter is None:
        raise UserError(
            f"ไม่พบจุดบริการชื่อ '{args.name}' ในสำนักงานนี้: ดูชื่อที่มีด้วย "
            "counter-tui counter list (no such counter)"
        )
    if not counter.printer:
        raise UserError(
            f"จุดบริการ '{counter.name}' ยังไม่ได้ตั้งเครื่องพิมพ์: ตั้งที่หน้าผู้ดูแลระบบ "
            "แล้วทดสอบอีกครั้ง (the counter has no printer)"
        )
    slip = render_blocks(
        [
            [
                Text("ทดสอบเครื่องพิมพ์", "l", True, "center"),
                Text(office.name, "m", False, "center"),
                Text(f"จุดบริการ {counter.name}", "m", True, "center"),
                Text(format_datetime_th(utc_now(), short=False), "s", False, "center"),
                Rule(),
                Text("ก่ ก้ ก๊ ก๋ กำ กิ กี กึ กื กุ กู เก แก โก ใก ไก ฤ ฦ ๑๒๓๔๕", "m"),
                Text("ถ้าอ่านทุกบรรทัดได้ครบ เครื่องพิมพ์นี้พร้อมพิมพ์บัตรคิวและใบแจ้งผล", "s"),
            ]
        ]
    )
    try:
        send(counter.printer, slip, timeout=args.timeout)
    except PrinterError as exc:
        raise UserError(
            f"ส่งหน้าทดสอบไปที่เครื่องพิมพ์ของ {counter.name} ({counter.printer}) ไม่สำเร็จ: {exc.reason}"
        ) from None
    print(
        safe_text(
            f"ส่งหน้าทดสอบ {len(slip):,} ไบต์ไปที่เครื่องพิมพ์ของ {counter.name} "
            f"({counter.printer}) แล้ว: ดูกระดาษที่ออกมาว่าพิมพ์ภาษาไทยครบทุกบรรทัด "
            "(the test slip was delivered; check the paper)"
        )
    )
    return 0


def _counter_list(args: argparse.Namespace) -> int:
    from counter_tui.services.counters import list_counters

    _, office = open_office(args)
    for counter in list_counters(office.id):
        print(
            "\t".join(
                safe_text(cell)
                for cell in (
                    counter.name,
                    counter.unit,
                    counter.state,
                    ",".join(counter.services),
                    counter.printer or "",
                )
            )
        )
    return 0
