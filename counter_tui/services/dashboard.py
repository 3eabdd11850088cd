"""Provides the supervisor's dashboard: today's queue, every counter against its standard,
today's figures, arrivals per hour, EIT progress and the cases due soon or overdue.

Cost follows today's rows (and the open cases), not history: today's figures come from
``reports.iter_visit_rows`` for today only, with the same arithmetic as the published
statistics; each counter's current ticket from the (counter, status) index.

``units`` is the reader's scope (``services.staff.unit_scope``: a supervisor's own units; None
for an admin or the ปลัด): every part of the board but the EIT progress, which is the office's
(its target is the office's), is read for those units only. A counter belongs to its unit; a
ticket, and the calls, skips and recalls on it (the per-officer table), to its service's unit;
a visit's figures and a case to their service's unit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from peewee import JOIN, SQL

from counter_tui.core.clock import from_db, to_db
from counter_tui.core.report_stats import Figures
from counter_tui.core.sorting import natural_key
from counter_tui.core.thai_dates import BANGKOK, local_date
from counter_tui.db import models as m
from counter_tui.db.rows import tuples


@dataclass(frozen=True)
class WaitingLine:
    service: str
    service_name: str
    waiting: int
    longest_wait_seconds: float


@dataclass(frozen=True)
class CounterLine:
    name: str
    unit: str
    state: str
    officer: str | None
    ticket: str | None
    service_name: str | None
    elapsed_seconds: float | None
    standard_seconds: int | None
    state_seconds: float | None
    paused: bool = False
    """the service at this counter is paused (its clock stopped, the reason recorded)"""


@dataclass(frozen=True)
class CaseLine:
    application: str
    service_name: str
    due: date
    overdue: bool
    last_notice: date | None
    notice_needed: bool


@dataclass(frozen=True)
class OfficerReasons:
    officer: str
    out_of_order: int
    skips: int
    recalls: int
    no_shows: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Dashboard:
    office_name: str
    units: tuple[str, ...]
    sample_standards: bool
    waiting: tuple[WaitingLine, ...]
    counters: tuple[CounterLine, ...]
    today: dict[str, Any]
    arrivals_per_hour: tuple[int, ...]
    """08:00 to 16:59, one number per hour"""
    officers: tuple[OfficerReasons, ...]
    cases: tuple[CaseLine, ...]
    survey_link_problem: str | None
    eit_window: tuple[date, date] | None
    eit_target: int | None
    eit_offered: int


def dashboard(
    office_id: int,
    now: datetime,
    units: Sequence[str] | None = None,
    *,
    actor_id: int | None = None,
) -> Dashboard:
    """``actor_id``: the supervisor looking, who sees their own units (the ปลัด and admins:
    every unit); ``units`` narrows that further."""
    from counter_tui.services.cases import notice_owed
    from counter_tui.services.catalog import catalog_is_sample
    from counter_tui.services.permissions import scoped_units

    units = scoped_units(actor_id, "dashboard", office_id, units)
    from counter_tui.services.reports import iter_visit_rows
    from counter_tui.services.settings import get_setting

    today = local_date(now)
    wanted = None if units is None else set(units)
    # service id -> (code, Thai name, standard seconds, unit, under the Act)
    services = {
        service_id: (code, name_th, standard, unit, bool(under_act))
        for service_id, code, name_th, standard, under_act, unit in tuples(
            m.Service.select(
                m.Service.id,
                m.Service.code,
                m.Service.name_th,
                m.Service.standard_seconds,
                m.Service.under_act,
                m.Unit.name,
            )
            .join(m.Unit)
            .where(m.Service.office == office_id),
            tuple[int, str, str, int | None, bool, str],
        )
    }

    def visible(service_id: int) -> bool:
        return wanted is None or services[service_id][3] in wanted

    # Today's queue per service.
    waiting: dict[str, list[float]] = {}
    names: dict[str, str] = {}
    arrivals = [0] * 9
    for service_id, stored, status in tuples(
        m.Ticket.select(m.Ticket.service, m.Ticket.issued_at, m.Ticket.status).where(
            (m.Ticket.office == office_id) & (m.Ticket.service_date == today)
        ),
        tuple[int, datetime, str],
    ):
        if not visible(service_id):
            continue
        issued = from_db(stored)
        hour = issued.astimezone(BANGKOK).hour
        if 8 <= hour <= 16:
            arrivals[hour - 8] += 1
        if status == "waiting":
            code, name = services[service_id][0], services[service_id][1]
            names[code] = name
            waiting.setdefault(code, []).append((now - issued).total_seconds())
    lines = tuple(
        WaitingLine(code, names[code], len(w), max(w))
        for code, w in sorted(waiting.items(), key=lambda kv: -max(kv[1]))
    )

    # Every counter: state, officer, current ticket, elapsed against the service's standard.
    # A counter's current ticket is found as the counter screen finds it (queue._current_ticket:
    # the latest called of its tickets called or serving) through the (counter, status) index:
    # not bounded by day, since closing time closes only the tickets still waiting, but reading
    # only the counters' active tickets, never the office's history.
    counter_list = [
        _Counter(*row)
        for row in tuples(
            m.Counter.select(
                m.Counter.id,
                m.Counter.name,
                m.Counter.state,
                m.Counter.state_since,
                m.Unit.name,
                m.Staff.name,
            )
            .join(m.Unit)
            .switch(m.Counter)
            .join(m.Staff, on=(m.Counter.officer == m.Staff.id), join_type=JOIN.LEFT_OUTER)
            .where(m.Counter.office == office_id),
            tuple[int, str, str, datetime | None, str, str | None],
        )
    ]
    counter_list.sort(key=lambda c: (natural_key(c.name), c.id))  # ช่อง 2 before ช่อง 10
    if wanted is not None:
        counter_list = [c for c in counter_list if c.unit_name in wanted]
    current: dict[int, tuple[str, int, datetime | None, int, str]] = {}
    if counter_list:
        for counter_id, number, service_id, called_at, ticket_id, status in tuples(
            m.Ticket.select(
                m.Ticket.counter,
                m.Ticket.number,
                m.Ticket.service,
                m.Ticket.called_at,
                m.Ticket.id,
                m.Ticket.status,
            ).where(
                m.Ticket.counter.in_([c.id for c in counter_list])
                & m.Ticket.status.in_(("called", "serving"))
            ),
            tuple[int, str, int, datetime | None, int, str],
        ):
            called = from_db(called_at)
            held = current.get(counter_id)
            if held is None or _later(called, ticket_id, held[2], held[3]):
                current[counter_id] = (number, service_id, called, ticket_id, status)
    serving = _serving_timings(
        {t[3]: counter_id for counter_id, t in current.items() if t[4] == "serving"}, now
    )
    counters: list[CounterLine] = []
    for counter in counter_list:
        if wanted is not None and counter.unit_name not in wanted:
            continue
        ticket = current.get(counter.id)
        elapsed: float | None = None
        standard: int | None = None
        service_name: str | None = None
        paused = False
        timing = serving.get(counter.id)
        if timing is not None:
            service_id, elapsed, paused = timing
            standard, service_name = services[service_id][2], services[service_id][1]
        elif ticket is not None:
            service_name = services[ticket[1]][1]
        since = from_db(counter.state_since)
        counters.append(
            CounterLine(
                counter.name,
                counter.unit_name,
                counter.state,
                counter.officer_name,
                ticket[0] if ticket else None,
                service_name,
                elapsed,
                standard,
                (now - since).total_seconds() if since else None,
                paused,
            )
        )

    # Today's figures (streamed: folded row by row, the same arithmetic as the published
    # statistics) and the reasons behind out-of-order calls, skips and recalls per officer.
    # "served" and "no_shows" are the statistics' own (core.report_stats), stated there once.
    today_acc = Figures(today)
    for row in iter_visit_rows(office_id, today, today, now):
        if wanted is not None and row["unit"] not in wanted:
            continue
        today_acc.add(row)
    today_figures = today_acc.result()
    per_officer: dict[str, dict[str, Any]] = {}
    staff_names: dict[int | None, str] = dict(
        tuples(
            m.Staff.select(m.Staff.id, m.Staff.name).where(m.Staff.office == office_id),
            tuple[int, str],
        )
    )
    for kind, staff_id, reason, service_id in tuples(
        m.Event.select(m.Event.kind, m.Event.staff, m.Event.reason, m.Ticket.service)
        .join(m.Ticket, on=(m.Event.ticket == m.Ticket.id))
        .where(
            (m.Ticket.office == office_id)
            & (m.Ticket.service_date == today)
            & m.Event.kind.in_(("called", "skipped", "recalled", "no_show"))
            & m.Event.reason.is_null(False)
        ),
        tuple[str, int | None, str, int],
    ):
        if not visible(service_id):  # another unit's queue: its officers and reasons too
            continue
        entry = per_officer.setdefault(
            staff_names.get(staff_id, "?"),
            {"called": 0, "skipped": 0, "recalled": 0, "no_show": 0, "reasons": []},
        )
        entry[kind] += 1
        entry["reasons"].append(reason)
    officers = tuple(
        OfficerReasons(
            name, e["called"], e["skipped"], e["recalled"], e["no_show"], tuple(e["reasons"])
        )
        for name, e in sorted(per_officer.items())
    )

    # Cases due within a week or overdue, and whether a 7-day delay notice is due: this office's
    # open cases from the (office, status, due_date) index, in due order.
    cases: list[CaseLine] = []
    soon = today + timedelta(days=7)
    A, C = m.Application, m.Case
    due_query = C.select(C.id, C.application, C.due_date)
    if wanted is not None:  # before the limit: another unit's cases must not crowd these out
        due_query = due_query.join(A).where(A.service.in_([s for s in services if visible(s)]))
    # (case id, application id, due date: SQLite may give the ISO text)
    due = list(
        tuples(
            due_query.where((C.office == office_id) & (C.status == "open") & (C.due_date <= soon))
            .order_by(C.due_date, C.id)
            .limit(200),
            tuple[int, int, date | str],
        )
    )
    applications = dict(
        (
            (a, (number, service_id))
            for a, number, service_id in tuples(
                A.select(A.id, A.number, A.service).where(A.id.in_([d[1] for d in due])),
                tuple[int, str, int],
            )
        )
        if due
        else ()
    )
    notices: dict[int, date] = {}
    for case_id, sent in (
        tuples(
            m.DelayNotice.select(m.DelayNotice.case, m.DelayNotice.sent_at).where(
                m.DelayNotice.case.in_([d[0] for d in due])
            ),
            tuple[int, datetime],
        )
        if due
        else ()
    ):
        sent_day = local_date(from_db(sent))
        notices[case_id] = max(notices.get(case_id, sent_day), sent_day)
    for case_id, application_id, stored_due in due:
        number, service_id = applications[application_id]
        if not visible(service_id):
            continue
        due_date = stored_due if isinstance(stored_due, date) else date.fromisoformat(stored_due)
        overdue = due_date < today
        last = notices.get(case_id)
        cases.append(
            CaseLine(
                number,
                services[service_id][1],
                due_date,
                overdue,
                last,
                notice_owed(services[service_id][4], overdue, last, today),
            )
        )

    # EIT: the link of this fiscal year and progress towards the target inside the window.
    from counter_tui.core.fiscal import fiscal_year_of

    year = fiscal_year_of(today)
    link = get_setting(office_id, "survey.eit_url", today, year)
    problem = (
        None
        if link and link.startswith("https://")
        else "ยังไม่ได้ตั้งลิงก์แบบวัด EIT ของปีงบประมาณนี้ (counter-tui settings set survey.eit_url ...)"
    )
    start = get_setting(office_id, "survey.window_start", today, year)
    end = get_setting(office_id, "survey.window_end", today, year)
    target = get_setting(office_id, "survey.target", today, year)
    window = (date.fromisoformat(start), date.fromisoformat(end)) if start and end else None
    offered = 0
    if window is not None:
        lo = datetime(window[0].year, window[0].month, window[0].day, tzinfo=BANGKOK)
        hi = datetime(window[1].year, window[1].month, window[1].day, tzinfo=BANGKOK) + timedelta(
            days=1
        )
        # 'survey_offered' as a literal: the partial index of migration 0005 serves it
        offered = (
            m.Event.select()
            .where(
                (m.Event.office == office_id)
                & (m.Event.kind == SQL("'survey_offered'"))
                & (m.Event.at >= to_db(lo))
                & (m.Event.at < to_db(hi))
            )
            .count()
        )
    return Dashboard(
        office_name=m.Office.get_by_id(office_id).name,
        units=tuple(sorted(wanted)) if wanted is not None else (),
        sample_standards=catalog_is_sample(office_id),
        waiting=lines,
        counters=tuple(counters),
        today=today_figures,
        arrivals_per_hour=tuple(arrivals),
        officers=officers,
        cases=tuple(cases),
        survey_link_problem=problem,
        eit_window=window,
        eit_target=int(target) if target else None,
        eit_offered=offered,
    )


class _Counter(NamedTuple):
    """A counter as the dashboard reads it, with its unit's and its officer's names."""

    id: int
    name: str
    state: str
    state_since: datetime | None
    unit_name: str
    officer_name: str | None


def _later(
    called: datetime | None, ticket_id: int, than_called: datetime | None, than_id: int
) -> bool:
    """Whether a ticket comes before another in ``queue._current_ticket``'s order (latest
    called first; a ticket without a call time last)."""
    if called is None or than_called is None:
        return than_called is None and (called is not None or ticket_id > than_id)
    return (called, ticket_id) > (than_called, than_id)


def _serving_timings(tickets: dict[int, int], now: datetime) -> dict[int, tuple[int, float, bool]]:
    """For the tickets being served (ticket id -> counter id): counter id -> (service id,
    service seconds so far, paused) of the application being served or paused, derived from its events
    as the counter screen derives it (``visit._application_view``), in three queries."""
    if not tickets:
        return {}
    from counter_tui.core.visit_timing import TimedEvent, derive

    applications = list(
        tuples(
            m.Application.select(m.Application.id, m.Application.ticket, m.Application.service)
            .where(
                m.Application.ticket.in_(list(tickets))
                & m.Application.status.in_(("serving", "paused"))
            )
            .order_by(m.Application.id),
            tuple[int, int, int],
        )
    )
    if not applications:
        return {}
    standards: dict[int, list[int | None]] = {}
    for service_id, standard in tuples(
        m.ServiceStep.select(m.ServiceStep.service, m.ServiceStep.standard_seconds)
        .where(m.ServiceStep.service.in_(list({a[2] for a in applications})))
        .order_by(m.ServiceStep.service, m.ServiceStep.position),
        tuple[int, int | None],
    ):
        standards.setdefault(service_id, []).append(standard)
    events: dict[int, list[TimedEvent]] = {}
    for application_id, event_id, kind, at, corrects, data, reason in tuples(
        m.Event.select(
            m.Event.application,
            m.Event.id,
            m.Event.kind,
            m.Event.at,
            m.Event.corrects,
            m.Event.data,
            m.Event.reason,
        )
        .where(m.Event.application.in_([a[0] for a in applications]))
        .order_by(m.Event.id),
        tuple[int, int, str, datetime, int | None, str | None, str | None],
    ):
        outcome = json.loads(data).get("outcome") if data and kind == "finished" else None
        events.setdefault(application_id, []).append(
            TimedEvent(event_id, kind, from_db(at), corrects, outcome, reason)
        )
    out: dict[int, tuple[int, float, bool]] = {}
    for application_id, ticket_id, service_id in applications:
        timing = derive(events.get(application_id, []), standards.get(service_id, []), now)
        out[tickets[ticket_id]] = (service_id, timing.service_seconds, timing.status == "paused")
    return out
