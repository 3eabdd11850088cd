"""Provides counter administration: create counters, set their services and slip printer, list them;
and a counter's state: open (held by one officer), on break, away, closed, with the hand-over
of the tickets only it could serve when it closes.

A counter belongs to one unit and serves a set of services, kept by service code so that a new
manual version keeps its counters. It may serve services of other units (a small office's one
counter serves everything). Its state starts "closed"; each change of state is an event.

Printer URLs: ``tcp://HOST:PORT`` (a network ESC/POS printer, usually port 9100),
``usb://VID:PID`` (4 hex digits each), ``file:PATH`` (a device or file), ``cups:QUEUE``.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from peewee import JOIN, Expression, IntegrityError

from counter_tui.core.clock import from_db, to_db
from counter_tui.core.sorting import natural_key
from counter_tui.core.text import control_message_th, has_control_characters
from counter_tui.core.thai_dates import local_date
from counter_tui.db import models as m
from counter_tui.db.database import bound_database, claim_transaction, for_update, write_transaction
from counter_tui.db.rows import dicts, tuples
from counter_tui.errors import UserError
from counter_tui.services.events import append_event
from counter_tui.services.permissions import authorize
from counter_tui.services.tickets import ACTIVE, current_ticket, waiting_tickets

NAME_MAX = 100  # the column is VARCHAR(255); PostgreSQL refuses longer, SQLite would not
PRINTER_MAX = 255

PRINTER_FORMS = (
    "tcp://HOST:PORT (เช่น/e.g. tcp://192.168.1.50:9100), "
    "usb://VID:PID (เช่น/e.g. usb://04b8:0e28), "
    "file:PATH (เช่น/e.g. file:/dev/usb/lp0), "
    "cups:QUEUE (เช่น/e.g. cups:slip_printer)"
)

_TCP_RE = re.compile(r"tcp://(\[[^\]/]+\]|[^:/\[\]]+):([0-9]{1,5})/?", re.IGNORECASE)
_USB_RE = re.compile(r"usb://([0-9a-f]{4}):([0-9a-f]{4})", re.IGNORECASE)
_CUPS_RE = re.compile(r"cups:([A-Za-z0-9_.-]+)", re.IGNORECASE)
_LABEL_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


@dataclass(frozen=True)
class CounterInfo:
    id: int
    name: str
    unit: str
    services: tuple[str, ...]
    printer: str | None
    state: str
    state_since: datetime | None
    officer: str | None


# --- validation -------------------------------------------------------------------------------


def _bad_printer(url: str, why: str = "") -> UserError:
    reason = f" — {why}" if why else ""
    return UserError(
        f"ที่อยู่เครื่องพิมพ์ '{url}' ใช้ไม่ได้{reason}; ใช้รูปแบบใดรูปแบบหนึ่ง: "
        f"{PRINTER_FORMS} (invalid printer URL: use one of these forms)"
    )


def _valid_host(host: str) -> bool:
    if host.startswith("["):
        try:
            return isinstance(ipaddress.ip_address(host[1:-1]), ipaddress.IPv6Address)
        except ValueError:
            return False
    try:
        ipaddress.IPv4Address(host)
        return True
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    if len(host) > 253 or not all(_LABEL_RE.fullmatch(label) for label in labels):
        return False
    # "192.168.1.300" is a mistyped address, not a host name.
    return not all(label.isdigit() for label in labels)


def validate_printer(url: str) -> str:
    """The printer URL, normalised (scheme and USB ids in lower case), else UserError."""
    text = str(url).strip()
    if not text or len(text) > PRINTER_MAX:
        raise _bad_printer(text, "ว่างหรือยาวเกินไป / empty or too long")
    scheme = text.split(":", 1)[0].lower()
    rest = text[len(scheme) + 1 :]
    if scheme == "tcp":
        match = _TCP_RE.fullmatch(text)
        if not match:
            raise _bad_printer(text, "ต้องมีชื่อเครื่องหรือ IP และพอร์ต / needs HOST:PORT")
        host, port = match.group(1), int(match.group(2))
        if not _valid_host(host):
            raise _bad_printer(text, f"'{host}' ไม่ใช่ชื่อเครื่องหรือ IP / not a host name or IP")
        if not 1 <= port <= 65535:
            raise _bad_printer(text, f"พอร์ต {port} ต้องอยู่ระหว่าง 1–65535 / port must be 1-65535")
        return f"tcp://{host}:{port}"
    if scheme == "usb":
        match = _USB_RE.fullmatch(text)
        if not match:
            raise _bad_printer(
                text, "VID และ PID ต้องเป็นเลขฐานสิบหก 4 หลัก / VID and PID are 4 hex digits"
            )
        return f"usb://{match.group(1).lower()}:{match.group(2).lower()}"
    if scheme == "file":
        if not rest or any(ch in rest for ch in "\0\r\n"):
            raise _bad_printer(text, "ต้องระบุพาธ / needs a path")
        return f"file:{rest}"
    if scheme == "cups":
        match = _CUPS_RE.fullmatch(text)
        if not match:
            raise _bad_printer(
                text, "ชื่อคิวใช้ได้เฉพาะ A-Z a-z 0-9 _ . - / queue name: letters, digits, _ . -"
            )
        return f"cups:{match.group(1)}"
    raise _bad_printer(text)


def _clean_name(name: str) -> str:
    return unicodedata.normalize("NFC", " ".join(str(name).split()))


def _refuse_control(text: str, field_th: str, field_en: str) -> None:
    if has_control_characters(text):
        raise UserError(control_message_th(field_th, text, field_en))


def _check_name(name: str) -> str:
    _refuse_control(name, "ชื่อจุดบริการ", "the counter name")
    clean = _clean_name(name)
    if not clean:
        raise UserError("ชื่อจุดบริการว่างอยู่ ใส่ชื่อ เช่น 'ช่อง 1' (the counter name is empty)")
    if len(clean) > NAME_MAX:
        raise UserError(
            f"ชื่อจุดบริการยาวเกิน {NAME_MAX} ตัวอักษร "
            f"(the counter name is longer than {NAME_MAX} characters)"
        )
    return clean


def _wanted_codes(service_codes: Sequence[str] | str) -> list[str]:
    if isinstance(service_codes, str):  # "A,B" as typed on the command line
        service_codes = service_codes.split(",")
    codes = [str(c).strip().upper() for c in service_codes]
    codes = list(dict.fromkeys(c for c in codes if c))
    if not codes:
        raise UserError(
            "จุดบริการต้องให้บริการอย่างน้อยหนึ่งบริการ ระบุรหัสบริการ เช่น "
            "--services SIGNBOARD_TAX,LAND_BUILDING_TAX "
            "(a counter needs at least one service code)"
        )
    return codes


def _check_codes(office_id: int, codes: list[str]) -> None:
    known = {
        code
        for (code,) in tuples(
            m.Service.select(m.Service.code)
            .distinct()
            .where((m.Service.office == office_id) & (m.Service.is_current == True)),  # noqa: E712
            tuple[str],
        )
    }
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise UserError(
            f"ไม่พบรหัสบริการ {', '.join(unknown)} ในสำนักงานนี้ รหัสที่มี: "
            f"{', '.join(sorted(known)) or '-'} — ดูด้วย 'counter-tui catalog list' "
            f"(unknown service code(s): {', '.join(unknown)})"
        )


# --- reading ----------------------------------------------------------------------------------


class _InfoRow(TypedDict):
    """A counter's columns as ``_infos`` reads them (the stored time: SQLite may give text)."""

    id: int
    name: str
    printer: str | None
    state: str
    state_since: datetime | None
    unit_name: str
    officer_name: str | None


def _infos(where: Expression) -> list[CounterInfo]:
    """Counters matching ``where``, by name: one query for counters + unit + officer, one for
    their services, whatever the number of counters."""
    officer = m.Staff.alias()
    rows = list(
        dicts(
            m.Counter.select(
                m.Counter.id,
                m.Counter.name,
                m.Counter.printer,
                m.Counter.state,
                m.Counter.state_since,
                m.Unit.name.alias("unit_name"),
                officer.name.alias("officer_name"),
            )
            .join(m.Unit, on=(m.Counter.unit == m.Unit.id))
            .join_from(m.Counter, officer, JOIN.LEFT_OUTER, on=(m.Counter.officer == officer.id))
            .where(where),
            _InfoRow,
        )
    )
    services: dict[int, list[str]] = {}
    if rows:
        query = (
            m.CounterService.select(m.CounterService.counter, m.CounterService.service_code)
            .where(m.CounterService.counter.in_([r["id"] for r in rows]))
            .order_by(m.CounterService.id)
        )
        for counter_id, code in tuples(query, tuple[int, str]):
            services.setdefault(counter_id, []).append(code)
    infos = [
        CounterInfo(
            id=r["id"],
            name=r["name"],
            unit=r["unit_name"],
            services=tuple(services.get(r["id"], ())),
            printer=r["printer"],
            state=r["state"],
            state_since=from_db(r["state_since"]),
            officer=r["officer_name"],
        )
        for r in rows
    ]
    # Sorted here, not in SQL, so SQLite and PostgreSQL (whose collation varies) agree, and
    # "ช่อง 2" comes before "ช่อง 10".
    return sorted(infos, key=lambda c: (natural_key(c.name), c.id))


def list_counters(office_id: int) -> list[CounterInfo]:
    return _infos(m.Counter.office == office_id)


def get_counter(counter_id: int) -> CounterInfo:
    found = _infos(m.Counter.id == counter_id)
    if not found:
        raise UserError(f"ไม่พบจุดบริการหมายเลข {counter_id} (no counter with id {counter_id})")
    return found[0]


def counter_by_name(office_id: int, name: str) -> CounterInfo | None:
    found = _infos((m.Counter.office == office_id) & (m.Counter.name == _clean_name(name)))
    return found[0] if found else None


# --- writing ----------------------------------------------------------------------------------


def _duplicate(name: str) -> UserError:
    return UserError(
        f"มีจุดบริการชื่อ '{name}' ในสำนักงานนี้แล้ว ใช้ชื่ออื่น เช่น 'ช่อง 2' "
        f"(a counter named '{name}' exists already in this office)"
    )


def add_counter(
    office_id: int,
    name: str,
    unit: str,
    service_codes: Sequence[str],
    now: datetime,
    printer: str | None = None,
    *,
    actor_id: int | None = None,
) -> CounterInfo:
    """Create a closed counter of ``unit`` serving ``service_codes``, in one transaction;
    ``actor_id``: the admin doing it (services.permissions)."""
    clean = _check_name(name)
    codes = _wanted_codes(service_codes)
    printer_url = (
        validate_printer(printer) if printer is not None and str(printer).strip() else None
    )
    _refuse_control(unit, "ชื่อหน่วยงาน", "the unit name")
    unit_name = _clean_name(unit)
    with write_transaction():
        authorize(actor_id, "add_counter", office_id=office_id)
        units = dict(
            tuples(
                m.Unit.select(m.Unit.name, m.Unit.id).where(m.Unit.office == office_id),
                tuple[str, int],
            )
        )
        if unit_name not in units:
            raise UserError(
                f"ไม่พบหน่วยงาน '{unit_name}' ในสำนักงานนี้ หน่วยงานที่มี: "
                f"{', '.join(sorted(units)) or '-'} (unknown unit '{unit_name}')"
            )
        _check_codes(office_id, codes)
        if (
            m.Counter.select()
            .where((m.Counter.office == office_id) & (m.Counter.name == clean))
            .exists()
        ):
            raise _duplicate(clean)
        try:
            counter = m.Counter.create(
                office=office_id,
                name=clean,
                unit=units[unit_name],
                printer=printer_url,
                state="closed",
                state_since=None,
                officer=None,
                created_at=to_db(now),
            )
        except IntegrityError:  # added by another terminal since the check above
            raise _duplicate(clean) from None
        for code in codes:
            m.CounterService.create(counter=counter.id, service_code=code)
    return CounterInfo(
        id=counter.id,
        name=clean,
        unit=unit_name,
        services=tuple(codes),
        printer=printer_url,
        state="closed",
        state_since=None,
        officer=None,
    )


def _office_of(counter_id: int) -> int:
    """The counter's office, its row locked until the transaction ends (PostgreSQL): its
    services are deleted and inserted again, and two terminals at once must take turns."""
    row: m.Counter | None = for_update(
        m.Counter.select(m.Counter.office).where(m.Counter.id == counter_id)
    ).first()
    if row is None:
        raise UserError(f"ไม่พบจุดบริการหมายเลข {counter_id} (no counter with id {counter_id})")
    return row.office_id


def set_counter_services(
    counter_id: int, service_codes: Sequence[str], now: datetime, *, actor_id: int | None = None
) -> CounterInfo:
    """Replace the services of a counter (same checks as ``add_counter``).

    ``now`` is taken for the use-case signature; the tables keep no change time for this.
    """
    codes = _wanted_codes(service_codes)
    with write_transaction():
        office_id = _office_of(counter_id)
        authorize(actor_id, "set_counter_services", office_id=office_id)
        _check_codes(office_id, codes)
        # Delete and re-insert, so the order given is the order listed.
        m.CounterService.delete().where(m.CounterService.counter == counter_id).execute()
        for code in codes:
            m.CounterService.create(counter=counter_id, service_code=code)
    return get_counter(counter_id)


def set_counter_printer(
    counter_id: int, printer: str | None, *, actor_id: int | None = None
) -> CounterInfo:
    """Set (or, with None or "", remove) the slip printer of a counter."""
    url = validate_printer(printer) if printer is not None and str(printer).strip() else None
    with write_transaction():
        authorize(actor_id, "set_counter_printer", office_id=_office_of(counter_id))
        updated = m.Counter.update(printer=url).where(m.Counter.id == counter_id).execute()
        if not updated:
            raise UserError(f"ไม่พบจุดบริการหมายเลข {counter_id} (no counter with id {counter_id})")
    return get_counter(counter_id)


# --- state: open, break, away, closed; the hand-over on closing ----------------------------

COUNTER_STATES = ("open", "break", "away", "closed")


@dataclass(frozen=True)
class CounterRow:
    id: int
    name: str
    state: str
    officer: str | None
    current: str | None


@dataclass(frozen=True)
class Handover:
    """What closing a counter did with tickets only it could serve."""

    needed: list[str] = field(default_factory=list)
    candidates: list[CounterRow] = field(default_factory=list)
    handed_to: str | None = None
    stranded: list[str] = field(default_factory=list)


def counter_record(counter_id: int, lock: bool = False) -> m.Counter:
    """The counter's row; with ``lock``, locked until the transaction ends (PostgreSQL), for
    a use-case that changes the counter by what it read of it."""
    query = m.Counter.select().where(m.Counter.id == counter_id)
    counter: m.Counter | None = (for_update(query) if lock else query).first()
    if counter is None:
        raise UserError(f"counter {counter_id} does not exist")
    return counter


def counter_codes(counter_id: int) -> list[str]:
    """The codes of the services the counter serves."""
    return [
        c
        for (c,) in tuples(
            m.CounterService.select(m.CounterService.service_code).where(
                m.CounterService.counter == counter_id
            ),
            tuple[str],
        )
    ]


def open_counter(office_id: int, counter_id: int, staff_id: int, now: datetime) -> CounterRow:
    """Sign-in at a counter: it is open and held by this officer, who holds no other.

    The counter's row is locked first (two officers signing in at it at once: the second one
    is told who holds it); an officer holding one counter at a time is held by a partial unique
    index (migration 0008), as two sign-ins of one officer at once lock two different rows.
    """
    with write_transaction():
        counter = counter_record(counter_id, lock=True)
        if counter.office_id != office_id:
            raise UserError("this counter belongs to another office")
        authorize(staff_id, "open_counter", office_id=office_id)  # active, of this office
        if counter.state != "closed" and counter.officer_id not in (None, staff_id):
            holder = m.Staff.get_by_id(counter.officer_id).name
            raise UserError(
                f"ช่องบริการ {counter.name} เปิดอยู่โดย {holder}: ให้ปิดช่องก่อน "
                "(the counter is held by another officer)"
            )
        _require_no_other_counter(staff_id, counter_id)
        try:
            with bound_database().atomic():  # a savepoint: the refusal below can still read
                _set_state(office_id, counter, staff_id, "open", now, officer=staff_id)
        except IntegrityError:  # the same officer signed in at another counter meanwhile
            _require_no_other_counter(staff_id, counter_id)
            raise
    return _counter_row(counter_id)


def _require_no_other_counter(staff_id: int, counter_id: int) -> None:
    other: m.Counter | None = (
        m.Counter.select(m.Counter.name)
        .where((m.Counter.officer == staff_id) & (m.Counter.id != counter_id))
        .first()
    )
    if other is not None:
        raise UserError(
            f"คุณเปิดช่องบริการ {other.name} อยู่แล้ว: ปิดช่อง {other.name} ก่อน "
            "แล้วจึงเปิดช่องนี้ (this officer holds another counter already)"
        )


def set_counter_state(
    office_id: int,
    counter_id: int,
    staff_id: int,
    state: str,
    now: datetime,
    reason: str | None = None,
) -> CounterRow:
    """Open, break (lunch) or away (called to the field); closing goes through close_counter."""
    if state not in ("open", "break", "away"):
        raise UserError(f"state must be open, break or away, not {state!r}")
    with write_transaction():
        authorize(staff_id, "counter_state", counter_id=counter_id, office_id=office_id)
        counter = counter_record(counter_id, lock=True)
        if state != "open" and current_ticket(counter_id) is not None:
            raise UserError("ให้บริการบัตรคิวปัจจุบันให้เสร็จก่อนพัก/ออกนอกสถานที่")
        _set_state(office_id, counter, staff_id, state, now, reason=reason)
    return _counter_row(counter_id)


def _set_state(
    office_id: int,
    counter: m.Counter,
    staff_id: int,
    state: str,
    now: datetime,
    officer: int | None | str = "keep",
    reason: str | None = None,
) -> None:
    changes: dict[str, object] = {"state": state, "state_since": to_db(now)}
    if officer != "keep":
        changes["officer"] = officer
    m.Counter.update(**changes).where(m.Counter.id == counter.id).execute()
    append_event(
        office_id,
        "counter_state",
        now,
        counter=counter.id,
        staff=staff_id,
        reason=reason,
        state=state,
        previous=counter.state,
    )


def counter_rows(office_id: int) -> list[CounterRow]:
    """The office's counters with their state, officer and ticket, by name."""
    # From the office's few counters into ticket(counter_id, status): a day-free condition on
    # ticket(office_id, ...) would walk every ticket the office ever issued.
    current = {
        c: n
        for c, n in tuples(
            m.Ticket.select(m.Ticket.counter, m.Ticket.number)
            .join(m.Counter, on=(m.Ticket.counter == m.Counter.id))
            .where((m.Counter.office == office_id) & m.Ticket.status.in_(ACTIVE)),
            tuple[int, str],
        )
    }
    query = (
        m.Counter.select(m.Counter.id, m.Counter.name, m.Counter.state, m.Staff.name)
        .join(m.Staff, JOIN.LEFT_OUTER, on=(m.Counter.officer == m.Staff.id))
        .where(m.Counter.office == office_id)
    )
    rows = [
        CounterRow(cid, name, state, officer, current.get(cid))
        for cid, name, state, officer in tuples(query, tuple[int, str, str, str | None])
    ]
    return sorted(rows, key=lambda r: (natural_key(r.name), r.id))


def _counter_row(counter_id: int) -> CounterRow:
    counter = counter_record(counter_id)
    return next(r for r in counter_rows(counter.office_id) if r.id == counter_id)


def closing_check(office_id: int, counter_id: int, now: datetime) -> Handover:
    """Tickets waiting for services no other working counter serves, and who could take them."""
    today = local_date(now)
    codes = set(counter_codes(counter_id))
    # Only a counter open now can take them: one on break or away would leave them unserved.
    others = [r for r in counter_rows(office_id) if r.id != counter_id and r.state == "open"]
    covered = {
        c
        for (c,) in tuples(
            m.CounterService.select(m.CounterService.service_code).where(
                m.CounterService.counter.in_([r.id for r in others])
            ),
            tuple[str],
        )
    }
    only_here = sorted(codes - covered)
    stranded = [t for _, t in waiting_tickets(office_id, today, only_here, counter_id)]
    return Handover(needed=[t.number for t in stranded], candidates=others)


def close_counter(
    office_id: int, counter_id: int, staff_id: int, now: datetime, handover_to: int | None = None
) -> Handover:
    """Close the counter; tickets only it could serve go to ``handover_to`` (else stay waiting)."""
    today = local_date(now)
    with claim_transaction(bound_database(), office_id):
        authorize(staff_id, "close_counter", counter_id=counter_id, office_id=office_id)
        counter = counter_record(counter_id, lock=True)
        if handover_to is not None:
            # its state decides: locked so that it cannot go on break or away meanwhile
            for_update(m.Counter.select(m.Counter.id).where(m.Counter.id == handover_to)).first()
        if current_ticket(counter_id) is not None:
            raise UserError("ให้บริการบัตรคิวปัจจุบันให้เสร็จก่อนปิดช่องบริการ")
        check = closing_check(office_id, counter_id, now)
        handed_to = None
        if check.needed and handover_to is not None:
            target = next((r for r in check.candidates if r.id == handover_to), None)
            if target is None:
                raise UserError("ช่องบริการที่เลือกไม่ได้เปิดอยู่ (the chosen counter is not working)")
            for ticket in m.Ticket.select().where(
                (m.Ticket.office == office_id)
                & (m.Ticket.service_date == today)
                & m.Ticket.number.in_(check.needed)
                & (m.Ticket.status == "waiting")
            ):
                m.Ticket.update(assigned_counter=handover_to).where(
                    m.Ticket.id == ticket.id
                ).execute()
                append_event(
                    office_id,
                    "transferred",
                    now,
                    ticket=ticket,
                    counter=counter_id,
                    staff=staff_id,
                    reason="ช่องบริการปิด (counter closed)",
                    to_counter=handover_to,
                )
            handed_to = target.name
        _set_state(office_id, counter, staff_id, "closed", now, officer=None)
        return Handover(
            needed=check.needed,
            candidates=check.candidates,
            handed_to=handed_to,
            stranded=[] if handed_to else check.needed,
        )
