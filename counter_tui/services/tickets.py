"""Provides the lookups the queue, the counters and guided service share: the ticket at a
counter, today's waiting tickets in a counter's scope, the current version of a service, and
the next application number of the fiscal year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from counter_tui.core import queue as rules
from counter_tui.core.clock import from_db
from counter_tui.core.fiscal import fiscal_year_of
from counter_tui.db import models as m
from counter_tui.db.database import for_update
from counter_tui.db.rows import tuples
from counter_tui.errors import UserError

ACTIVE = ("called", "serving")
"""The statuses of a ticket held by a counter."""


def current_ticket(counter_id: int, lock: bool = False) -> m.Ticket | None:
    """The ticket called or served at the counter. With ``lock`` (a use-case that writes by
    it), its row is locked until the transaction ends on PostgreSQL: a second terminal acting on
    the same ticket waits, then finds it as the first left it (transferred, finished: gone)."""
    query = (
        m.Ticket.select(m.Ticket, m.Service)
        .join(m.Service)
        .where((m.Ticket.counter == counter_id) & (m.Ticket.status.in_(ACTIVE)))
        .order_by(m.Ticket.called_at.desc())
    )
    ticket: m.Ticket | None = (for_update(query, of=m.Ticket) if lock else query).first()
    return ticket


def current_service(office_id: int, code: str) -> m.Service:
    """The current version of the service ``code``; UserError when there is none."""
    service: m.Service | None = (
        m.Service.select()
        .where(
            (m.Service.office == office_id)
            & (m.Service.code == code)
            & (m.Service.is_current == True)  # noqa: E712
        )
        .first()
    )
    if service is None:
        raise UserError(f"ไม่พบบริการรหัส {code} (no current service with code {code!r})")
    return service


def _next_number(office_id: int, name: str) -> int:
    updated = (
        m.NumberSequence.update(value=m.NumberSequence.value + 1)
        .where((m.NumberSequence.office == office_id) & (m.NumberSequence.name == name))
        .execute()
    )
    if not updated:
        m.NumberSequence.create(office=office_id, name=name, value=1)
        return 1
    return m.NumberSequence.get(
        (m.NumberSequence.office == office_id) & (m.NumberSequence.name == name)
    ).value


def application_number(office_id: int, today: date) -> str:
    """The next application number of the fiscal year of ``today``: "N/YEAR"."""
    year = fiscal_year_of(today)
    return f"{_next_number(office_id, f'application-{year}')}/{year}"


@dataclass(frozen=True, slots=True)
class WaitingTicket:
    """A waiting ticket as the queue needs it (plain columns: no model objects per row)."""

    id: int
    number: str
    issued_at: datetime
    priority: str | None
    code: str
    service_name: str
    assigned_counter_id: int | None


def waiting_tickets(
    office_id: int, today: date, codes: Sequence[str], counter_id: int | None
) -> list[tuple[rules.QueueEntry, WaitingTicket]]:
    """Today's waiting tickets in the scope of a counter (its services, or handed to it).

    With ``counter_id`` None: every waiting ticket of those services, wherever it was handed.
    """
    if counter_id is None:
        in_scope = m.Service.code.in_(list(codes))
    else:
        in_scope = (m.Service.code.in_(list(codes)) & m.Ticket.assigned_counter.is_null()) | (
            m.Ticket.assigned_counter == counter_id
        )
    query = (
        m.Ticket.select(
            m.Ticket.id,
            m.Ticket.number,
            m.Ticket.issued_at,
            m.Ticket.priority,
            m.Service.code,
            m.Service.name_th,
            m.Ticket.assigned_counter,
        )
        .join(m.Service)
        .where(
            (m.Ticket.office == office_id)
            & (m.Ticket.service_date == today)
            & (m.Ticket.status == "waiting")
            & in_scope
        )
    )
    out = []
    for ticket_id, number, issued_at, priority, code, name, assigned in tuples(
        query, tuple[int, str, datetime, str | None, str, str, int | None]
    ):
        issued = from_db(issued_at)
        out.append(
            (
                rules.QueueEntry(ticket_id, number, issued, priority),
                WaitingTicket(ticket_id, number, issued, priority, code, name, assigned),
            )
        )
    return out
