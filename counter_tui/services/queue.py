"""Provides the queue use-cases: issue a ticket, call next by the office's policy, call out of
order / recall / skip / no-show with reasons, serve now, closing time (the tickets left waiting
after it), and the snapshot a counter screen refreshes from. A counter's own state (open,
break, away, closed, the hand-over) lives in ``services.counters``.

Every use-case is one transaction, records its events (who acted, when, why) and returns plain
dataclasses. Claims run in ``claim_transaction`` (IMMEDIATE on SQLite, a per-office advisory
lock on PostgreSQL) so two counters calling at the same instant never get the same ticket and
the priority rule holds under races.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from weakref import WeakKeyDictionary

from peewee import Database, fn

from counter_tui.core import queue as rules
from counter_tui.core.clock import from_db, to_db
from counter_tui.core.thai_dates import BANGKOK, local_date
from counter_tui.db import models as m
from counter_tui.db.database import bound_database, claim_transaction, write_transaction
from counter_tui.db.queries import call_next_sql, choose_bounded
from counter_tui.db.rows import tuples
from counter_tui.errors import UserError
from counter_tui.services.counters import CounterRow, counter_codes, counter_record, counter_rows
from counter_tui.services.events import after_events, append_event, not_before, require_reason
from counter_tui.services.permissions import authorize, holder_may
from counter_tui.services.tickets import (
    WaitingTicket,
    application_number,
    current_service,
    current_ticket,
    waiting_tickets,
)

OFFICE_CLOSED_REASON = "ปิดทำการ (office closed)"


# --- plain data out --------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketInfo:
    id: int
    number: str
    service_code: str
    service_name: str
    sensitive: bool
    priority: str | None
    channel: str
    status: str
    issued_at: datetime
    called_at: datetime | None
    application_number: str
    people_ahead: int = 0


@dataclass(frozen=True)
class WaitingRow:
    ticket_id: int
    number: str
    service_code: str
    service_name: str
    priority: str | None
    issued_at: datetime
    wait_seconds: float
    handed_over: bool


@dataclass(frozen=True)
class QueueSnapshot:
    counter: CounterRow
    current: TicketInfo | None
    waiting: list[WaitingRow]
    counters: list[CounterRow]
    served_today: int
    waiting_office: int
    policy: str


# --- helpers ---------------------------------------------------------------------------------


def _setting(office_id: int, key: str, today: date) -> str:
    from counter_tui.services.settings import get_setting

    value = get_setting(office_id, key, today)
    assert value is not None
    return value


def _policy(office_id: int, today: date) -> tuple[str, int]:
    return _setting(office_id, "queue.policy", today), int(
        _setting(office_id, "queue.max_overtake", today)
    )


def _ticket_info(ticket: m.Ticket, people_ahead: int = 0) -> TicketInfo:
    service = ticket.service
    application: m.Application | None = (
        m.Application.select(m.Application.number)
        .where(m.Application.ticket == ticket.id)
        .order_by(m.Application.position)
        .first()
    )
    return TicketInfo(
        id=ticket.id,
        number=ticket.number,
        service_code=service.code,
        service_name=service.name_th,
        sensitive=service.sensitive,
        priority=ticket.priority,
        channel=ticket.channel,
        status=ticket.status,
        issued_at=from_db(ticket.issued_at),
        called_at=from_db(ticket.called_at),
        application_number=application.number if application else "",
        people_ahead=people_ahead,
    )


def _overtaken(
    office_id: int, today: date, pairs: Sequence[tuple[rules.QueueEntry, WaitingTicket]]
) -> dict[int, int]:
    """For each waiting normal ticket: the priority tickets issued after it that were called by
    a counter that could have served it instead (any counter, not only the calling one, so
    counters with overlapping services share one bound)."""
    normal = [(e, t.code) for e, t in pairs if not e.priority]
    if not normal:
        return {}
    oldest = min(e.issued_at for e, _ in normal)
    # a called ticket has its counter (a ticket sent back to the queue loses both)
    called = list(
        tuples(
            m.Ticket.select(m.Ticket.issued_at, m.Ticket.id, m.Ticket.counter).where(
                (m.Ticket.office == office_id)
                & (m.Ticket.service_date == today)
                & m.Ticket.priority.is_null(False)
                & m.Ticket.called_at.is_null(False)
                & (m.Ticket.issued_at >= to_db(oldest))
            ),
            tuple[datetime, int, int],
        )
    )
    scopes: dict[int, set[str]] = {}
    for counter_id, code in tuples(
        m.CounterService.select(m.CounterService.counter, m.CounterService.service_code).where(
            m.CounterService.counter.in_({c for _, _, c in called})
        ),
        tuple[int, str],
    ):
        scopes.setdefault(counter_id, set()).add(code)
    counts: dict[int, int] = {}
    for entry, code in normal:
        keys = [(from_db(t), i) for t, i, c in called if code in scopes.get(c, ())]
        counts.update(rules.count_overtaken([entry], keys))
    return counts


def _ordered(
    office_id: int, today: date, codes: Sequence[str], counter_id: int | None
) -> list[WaitingTicket]:
    pairs = waiting_tickets(office_id, today, codes, counter_id)
    entries = [e for e, _ in pairs]
    policy, max_overtake = _policy(office_id, today)
    order = rules.order_queue(entries, policy, max_overtake, _overtaken(office_id, today, pairs))
    by_id = {t.id: t for _, t in pairs}
    return [by_id[e.ticket_id] for e in order]


# --- use-cases -------------------------------------------------------------------------------


def issue_ticket(
    office_id: int,
    service_code: str,
    now: datetime,
    *,
    staff_id: int | None = None,
    priority: str | None = None,
    channel: str = "walk_in",
) -> TicketInfo:
    """A new ticket (letter + 3 digits, restarting daily) with its first application."""
    try:
        priority = rules.validate_priority(priority)
        channel = rules.validate_channel(channel)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    today = local_date(now)
    with claim_transaction(bound_database(), office_id):
        if staff_id is not None:  # the app's issue: a signed-in staff member of the office
            authorize(staff_id, "issue_ticket", office_id=office_id)
        service = current_service(office_id, service_code)
        letter = service.group_letter
        last: int = (
            m.Ticket.select(fn.MAX(m.Ticket.seq))
            .where(
                (m.Ticket.office == office_id)
                & (m.Ticket.service_date == today)
                & (m.Ticket.group_letter == letter)
            )
            .scalar()
        ) or 0
        seq = last + 1
        ticket = m.Ticket.create(
            office=office_id,
            service_date=today,
            group_letter=letter,
            seq=seq,
            number=rules.format_ticket_number(letter, seq),
            issued_at=to_db(now),
            issued_by=staff_id,
            service=service,
            channel=channel,
            priority=priority,
            status="waiting",
        )
        application = m.Application.create(
            office=office_id,
            ticket=ticket,
            number=application_number(office_id, today),
            position=1,
            service=service,
            created_at=to_db(now),
        )
        append_event(
            office_id,
            "issued",
            now,
            ticket=ticket,
            application=application,
            staff=staff_id,
            service=service.code,
            version=service.version,
            channel=channel,
            priority=priority,
        )
        ahead = _people_ahead(office_id, today, ticket)
        return _ticket_info(ticket, ahead)


def _people_ahead(office_id: int, today: date, ticket: m.Ticket) -> int:
    """Waiting tickets of the same queue (group letter) that the policy calls before it."""
    policy, _ = _policy(office_id, today)
    if policy == "fifo":  # one COUNT, whatever the length of the queue
        return (
            m.Ticket.select()
            .where(
                (m.Ticket.office == office_id)
                & (m.Ticket.service_date == today)
                & (m.Ticket.status == "waiting")
                & (m.Ticket.group_letter == ticket.group_letter)
                & (
                    (m.Ticket.issued_at < ticket.issued_at)
                    | ((m.Ticket.issued_at == ticket.issued_at) & (m.Ticket.id < ticket.id))
                )
            )
            .count()
        )
    codes = [
        c
        for (c,) in tuples(
            m.Service.select(m.Service.code).where(
                (m.Service.office == office_id)
                & (m.Service.is_current == True)  # noqa: E712
                & (m.Service.group_letter == ticket.group_letter)
            ),
            tuple[str],
        )
    ]
    order = _ordered(office_id, today, codes, None)
    ids = [t.id for t in order]
    return ids.index(ticket.id) if ticket.id in ids else 0


def call_next(office_id: int, counter_id: int, staff_id: int, now: datetime) -> TicketInfo | None:
    """Claim the next ticket by the office's policy; None when nobody is waiting.

    The officer's most frequent write, so it is written out in SQL: one read of the counter
    (state, current ticket) and the policy, one or two indexed ``LIMIT 1`` reads of today's
    queue (plus, under the priority policy, one count of the overtakes the first normal ticket
    has suffered), the conditional update and the event. ``core.queue.choose_next`` decides
    from the same three facts (the oldest normal and priority tickets, that count).
    """
    today = local_date(now)
    db = bound_database()
    sql = call_next_sql(db)
    year_policy = _setting_year("queue.policy", today)
    year_max = _setting_year("queue.max_overtake", today)
    with claim_transaction(db, office_id):
        row = db.execute_sql(
            sql["counter"], (office_id, year_policy, office_id, year_max, counter_id)
        ).fetchone()
        if row is None:
            raise UserError(f"counter {counter_id} does not exist")
        state, name, current, policy, max_overtake, holder, counter_office, holder_active = row
        _require_free_state(name, state, current)  # a closed counter: told so, not "no right"
        # The counter rule from the facts just read (no second query at every call); anyone
        # else is refused by authorize, with its full message.
        if not holder_may(staff_id, "call_next", holder, holder_active, counter_office, office_id):
            authorize(staff_id, "call_next", counter_id=counter_id, office_id=office_id)
        policy = policy or _default("queue.policy")
        max_overtake = int(max_overtake or _default("queue.max_overtake"))
        scope = (office_id, today, counter_id, counter_id)
        if policy == "fifo":
            chosen = db.execute_sql(sql["oldest"], scope).fetchone()
        else:
            chosen = choose_bounded(db, sql, office_id, today, scope, max_overtake)
        if chosen is None:
            return None
        (
            ticket_id,
            number,
            issued_at,
            priority,
            channel,
            code,
            service_name,
            sensitive,
            application,
        ) = chosen
        called_at = not_before(now, issued_at)
        claimed = db.execute_sql(sql["claim"], (counter_id, to_db(called_at), ticket_id)).rowcount
        if claimed != 1:  # pragma: no cover - the claim lock makes this unreachable
            raise UserError("บัตรคิวนี้ถูกเรียกไปแล้วโดยช่องบริการอื่น (already called elsewhere)")
        append_event(
            office_id,
            "called",
            called_at,
            ticket=ticket_id,
            counter=counter_id,
            staff=staff_id,
            policy=policy,
        )
    return TicketInfo(
        id=ticket_id,
        number=number,
        service_code=code,
        service_name=service_name,
        sensitive=bool(sensitive),
        priority=priority,
        channel=channel,
        status="called",
        issued_at=from_db(issued_at),
        called_at=called_at,
        application_number=application or "",
    )


def _setting_year(key: str, today: date) -> int:
    from counter_tui.core.office_settings import spec_for

    return _fy(today) if spec_for(key).per_fiscal_year else 0


def _fy(today: date) -> int:
    from counter_tui.core.fiscal import fiscal_year_of

    return fiscal_year_of(today)


def _default(key: str) -> str:
    from counter_tui.core.office_settings import spec_for

    value = spec_for(key).default
    assert value is not None
    return value


def _require_free_state(name: str, state: str, current: str | None) -> None:
    if state != "open":
        raise UserError(f"ช่องบริการ {name} ไม่ได้เปิดให้บริการ (state: {state}); เปิดช่องบริการก่อน")
    if current is not None:
        raise UserError(f"ช่องบริการนี้ยังมีบัตรคิว {current} อยู่: ให้บริการให้เสร็จ หรือข้าม (F7) ก่อนเรียกคิวถัดไป")


def _require_free(counter: m.Counter) -> None:
    current = current_ticket(counter.id) if counter.state == "open" else None
    _require_free_state(counter.name, counter.state, current.number if current else None)


def _claim(
    office_id: int, counter: m.Counter, staff_id: int, ticket_id: int, now: datetime
) -> m.Ticket:
    """The conditional update: only a ticket still waiting can be claimed.

    The call time is never before the issue time: the PCs of one office share a database, not
    a clock, and a few seconds of skew must not make a wait negative.
    """
    called_at = not_before(
        now, m.Ticket.select(m.Ticket.issued_at).where(m.Ticket.id == ticket_id).scalar()
    )
    claimed = (
        m.Ticket.update(status="called", counter=counter.id, called_at=to_db(called_at))
        .where((m.Ticket.id == ticket_id) & (m.Ticket.status == "waiting"))
        .execute()
    )
    if claimed != 1:
        raise UserError("บัตรคิวนี้ถูกเรียกไปแล้วโดยช่องบริการอื่น (already called elsewhere)")
    return (
        m.Ticket.select(m.Ticket, m.Service).join(m.Service).where(m.Ticket.id == ticket_id).get()
    )


def call_ticket(
    office_id: int, counter_id: int, staff_id: int, number: str, reason: str | None, now: datetime
) -> TicketInfo:
    """Call a specific waiting ticket out of order; the reason is recorded."""
    reason = require_reason(reason, "เรียกคิวข้ามลำดับ")
    today = local_date(now)
    with claim_transaction(bound_database(), office_id):
        counter = counter_record(counter_id, lock=True)
        _require_free(counter)  # a closed or busy counter: told so first
        authorize(staff_id, "call_ticket", counter_id=counter_id, office_id=office_id)
        ticket: m.Ticket | None = (
            m.Ticket.select()
            .where(
                (m.Ticket.office == office_id)
                & (m.Ticket.service_date == today)
                & (m.Ticket.number == number.strip().upper())
            )
            .first()
        )
        if ticket is None or ticket.status != "waiting":
            raise UserError(f"ไม่พบบัตรคิว {number} ที่กำลังรออยู่วันนี้ (no waiting ticket {number})")
        codes = counter_codes(counter_id)
        order = _ordered(office_id, today, codes, counter_id)
        if ticket.id not in {t.id for t in order}:
            raise UserError(
                f"บัตรคิว {ticket.number} ไม่อยู่ในคิวของช่องบริการนี้ "
                "(not in this counter's queue: another service or handed elsewhere)"
            )
        expected = order[0].number if order else None
        ticket = _claim(office_id, counter, staff_id, ticket.id, now)
        called_at = from_db(ticket.called_at)
        assert called_at is not None  # written by the claim
        append_event(
            office_id,
            "called",
            called_at,
            ticket=ticket,
            counter=counter,
            staff=staff_id,
            reason=reason,
            out_of_order=True,
            expected=expected,
        )
        return _ticket_info(ticket)


def recall(
    office_id: int, counter_id: int, staff_id: int, reason: str | None, now: datetime
) -> TicketInfo:
    reason = require_reason(reason, "เรียกซ้ำ")
    with write_transaction():
        authorize(staff_id, "recall", counter_id=counter_id, office_id=office_id)
        ticket = _active_or_error(counter_id)
        append_event(
            office_id,
            "recalled",
            now,
            ticket=ticket,
            counter=counter_id,
            staff=staff_id,
            reason=reason,
        )
        return _ticket_info(ticket)


def skip(
    office_id: int,
    counter_id: int,
    staff_id: int,
    reason: str | None,
    now: datetime,
    *,
    no_show: bool = False,
) -> TicketInfo:
    """Skip: the ticket goes back to waiting in its place. No-show: it is closed."""
    reason = require_reason(reason, "ไม่มาตามเรียก" if no_show else "ข้ามคิว")
    with write_transaction():
        authorize(staff_id, "skip", counter_id=counter_id, office_id=office_id)
        ticket = _active_or_error(counter_id)
        if ticket.status != "called":
            raise UserError("เริ่มให้บริการแล้ว ข้ามคิวไม่ได้ — ใช้ปุ่มจบการให้บริการ (F10)")
        if no_show:
            m.Ticket.update(status="no_show").where(m.Ticket.id == ticket.id).execute()
            m.Application.update(status="no_show", outcome="no_show").where(
                m.Application.ticket == ticket.id
            ).execute()
        else:
            m.Ticket.update(status="waiting", counter=None, called_at=None).where(
                m.Ticket.id == ticket.id
            ).execute()
        append_event(
            office_id,
            "no_show" if no_show else "skipped",
            now,
            ticket=ticket,
            counter=counter_id,
            staff=staff_id,
            reason=reason,
        )
        return _ticket_info(m.Ticket.get_by_id(ticket.id))


def _active_or_error(counter_id: int) -> m.Ticket:
    ticket = current_ticket(counter_id, lock=True)
    if ticket is None:
        raise UserError("ยังไม่มีบัตรคิวที่เรียกอยู่ที่ช่องบริการนี้ (no ticket at this counter)")
    return ticket


def start_serving(office_id: int, counter_id: int, staff_id: int, now: datetime) -> TicketInfo:
    """The visitor has reached the counter: the service clock starts."""
    with write_transaction():
        authorize(staff_id, "start_serving", counter_id=counter_id, office_id=office_id)
        ticket = _active_or_error(counter_id)
        if ticket.status == "serving":
            return _ticket_info(ticket)
        now = not_before(now, ticket.called_at)
        m.Ticket.update(status="serving").where(m.Ticket.id == ticket.id).execute()
        # The first application still waiting (after a transfer, earlier ones may be done).
        application: m.Application | None = (
            m.Application.select()
            .where((m.Application.ticket == ticket.id) & (m.Application.status == "waiting"))
            .order_by(m.Application.position)
            .first()
        )
        if application is None:
            raise UserError(f"บัตรคิว {ticket.number} ไม่มีคำขอที่รอให้บริการ")
        now = after_events(now, application.id)  # a transferred one has events already
        first_start = application.started_at or to_db(now)
        m.Application.update(
            status="serving", started_at=first_start, counter=counter_id, officer=staff_id
        ).where(m.Application.id == application.id).execute()
        append_event(
            office_id,
            "started",
            now,
            ticket=ticket,
            application=application,
            counter=counter_id,
            staff=staff_id,
        )
        return _ticket_info(
            m.Ticket.select(m.Ticket, m.Service)
            .join(m.Service)
            .where(m.Ticket.id == ticket.id)
            .get()
        )


def serve_now(
    office_id: int,
    counter_id: int,
    staff_id: int,
    service_code: str,
    now: datetime,
    *,
    priority: str | None = None,
    channel: str = "walk_in",
) -> TicketInfo:
    """Issue a ticket and start serving it at once (the officer is also the receptionist)."""
    with claim_transaction(bound_database(), office_id):
        counter = counter_record(counter_id, lock=True)
        _require_free(counter)  # a closed or busy counter: told so first
        authorize(staff_id, "serve_now", counter_id=counter_id, office_id=office_id)
        ticket = issue_ticket(
            office_id, service_code, now, staff_id=staff_id, priority=priority, channel=channel
        )
        claimed = _claim(office_id, counter, staff_id, ticket.id, now)
        called_at = from_db(claimed.called_at)
        assert called_at is not None  # written by the claim
        append_event(
            office_id,
            "called",
            called_at,
            ticket=claimed,
            counter=counter,
            staff=staff_id,
            serve_now=True,
        )
        return start_serving(office_id, counter_id, staff_id, now)


def closing_time(office_id: int, day: date) -> datetime:
    """The end of the last opening-hours range of ``day``, as an aware Bangkok datetime."""
    hours = _setting(office_id, "office.hours", day)
    end = hours.split(",")[-1].split("-")[1]
    hh, mm = (int(x) for x in end.split(":"))
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=BANGKOK)


CLOSING_JOB = "close_leftovers"


def _closing_due(last_at: datetime | None, now: datetime, closes: datetime) -> bool:
    """Due at the day's first run (earlier days' leftovers) and once more after closing time."""
    if last_at is None or local_date(now) > local_date(last_at):
        return True
    return now >= closes > last_at


def close_waiting_after_hours(office_id: int, now: datetime) -> int:
    """Close the tickets still waiting ("office closed") once a day: at the day's first run the
    earlier days' leftovers (the office PC was off at closing), after closing time today's too;
    returns how many. Tickets issued before opening time are untouched: they wait as usual.

    When it last ran is recorded (``daily_job``), so a second call the same day before closing
    time does nothing, and the tickets read are those of the days since that run (one range of
    the (office, service_date, status, ...) index), not the office's whole history. Re-checked
    under the office's claim lock: two counters starting together close each ticket once.
    """
    from counter_tui.services import daily

    today = local_date(now)
    closes = closing_time(office_id, today)
    if not _closing_due(daily.last_run(office_id, CLOSING_JOB), now, closes):
        return 0
    with claim_transaction(bound_database(), office_id):
        job = daily.job_row(office_id, CLOSING_JOB)
        last_at = from_db(job.last_at)
        if not _closing_due(last_at, now, closes):
            return 0  # another counter ran it meanwhile
        condition = (m.Ticket.office == office_id) & (m.Ticket.status == "waiting")
        if now < closes:
            condition &= m.Ticket.service_date < today
        else:
            condition &= m.Ticket.service_date <= today
        if last_at is not None:
            # the last run's day again: tickets issued after that run (after closing time)
            condition &= m.Ticket.service_date >= local_date(last_at)
        tickets = list(m.Ticket.select().where(condition))
        for ticket in tickets:
            m.Ticket.update(status="closed").where(
                (m.Ticket.id == ticket.id) & (m.Ticket.status == "waiting")
            ).execute()
            m.Application.update(status="closed", outcome="office_closed").where(
                m.Application.ticket == ticket.id
            ).execute()
            append_event(office_id, "closed", now, ticket=ticket, reason=OFFICE_CLOSED_REASON)
        daily.record_run(office_id, CLOSING_JOB, now, today)
        return len(tickets)


# Per database and office, the (day, closing time) up to which the closing job is known not to
# be due: a refresh then asks the database nothing about it (see ``refresh_queue``).
_CLOSING_CHECKED: WeakKeyDictionary[Database, dict[int, tuple[date, datetime | None]]] = (
    WeakKeyDictionary()
)


def close_leftovers_if_due(office_id: int, now: datetime) -> int:
    """``close_waiting_after_hours`` when it may be due (this process's first call of a day,
    the first after closing time), else nothing: no query at all."""
    checked = _CLOSING_CHECKED.setdefault(bound_database(), {})
    seen = checked.get(office_id)
    today = local_date(now)
    if seen is not None and seen[0] == today and (seen[1] is None or now < seen[1]):
        return 0
    closed = close_waiting_after_hours(office_id, now)
    closes = closing_time(office_id, today)
    checked[office_id] = (today, closes if now < closes else None)
    return closed


# --- the refresh -----------------------------------------------------------------------------


def snapshot(office_id: int, counter_id: int, now: datetime) -> QueueSnapshot:
    """Everything a counter screen shows; touches only today's rows."""
    today = local_date(now)
    codes = counter_codes(counter_id)
    ordered = _ordered(office_id, today, codes, counter_id)
    waiting = [
        WaitingRow(
            t.id,
            t.number,
            t.code,
            t.service_name,
            t.priority,
            t.issued_at,
            (now - t.issued_at).total_seconds(),
            t.assigned_counter_id == counter_id,
        )
        for t in ordered
    ]
    rows = counter_rows(office_id)
    me = next((r for r in rows if r.id == counter_id), None)
    if me is None:
        raise UserError(f"counter {counter_id} does not exist")
    current = current_ticket(counter_id)
    served = (
        m.Ticket.select()
        .where(
            (m.Ticket.office == office_id)
            & (m.Ticket.service_date == today)
            & (m.Ticket.counter == counter_id)
            & (m.Ticket.status == "done")
        )
        .count()
    )
    waiting_office = (
        m.Ticket.select()
        .where(
            (m.Ticket.office == office_id)
            & (m.Ticket.service_date == today)
            & (m.Ticket.status == "waiting")
        )
        .count()
    )
    policy, _ = _policy(office_id, today)
    return QueueSnapshot(
        counter=me,
        current=_ticket_info(current) if current else None,
        waiting=waiting,
        counters=rows,
        served_today=served,
        waiting_office=waiting_office,
        policy=policy,
    )


def refresh_queue(office_id: int, counter_id: int, now: datetime) -> QueueSnapshot:
    """A counter screen's refresh: the snapshot, after the once-a-day closing job when it may
    be due (``close_leftovers_if_due`` asks the database nothing the rest of the day)."""
    close_leftovers_if_due(office_id, now)
    return snapshot(office_id, counter_id, now)
