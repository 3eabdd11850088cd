"""Provides the supervisor's dashboard: today's queue, every counter against its standard,
today's figures, arrivals per hour, EIT progress and the cases due soon or overdue.

Cost follows today's rows (and the open cases), not history: today's figures come from
``reports.visit_rows`` for today only, with the same arithmetic as the published statistics.
A supervisor sees their own units; an admin sees all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Sequence

from peewee import JOIN

from counter_tui.core.clock import from_db, to_db
from counter_tui.core.report_stats import figures
from counter_tui.core.thai_dates import BANGKOK, local_date
from counter_tui.db import models as m


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


def dashboard(office_id: int, now: datetime, units: Sequence[str] | None = None) -> Dashboard:
    """``units`` None for all units (admins); a supervisor passes theirs."""
    from counter_tui.services.catalog import catalog_is_sample
    from counter_tui.services.reports import visit_rows
    from counter_tui.services.settings import get_setting

    today = local_date(now)
    wanted = None if units is None else set(units)
    services = {s.id: (s.code, s.name_th, s.standard_seconds, unit)
                for s, unit in ((s, s.unit_name) for s in m.Service.select(
                    m.Service, m.Unit.name.alias("unit_name")).join(m.Unit)
                    .where(m.Service.office == office_id).objects())}

    def visible(service_id: int) -> bool:
        return wanted is None or services[service_id][3] in wanted

    # Today's queue per service.
    waiting: dict[str, list[float]] = {}
    names: dict[str, str] = {}
    arrivals = [0] * 9
    for service_id, issued, status in (m.Ticket.select(m.Ticket.service, m.Ticket.issued_at,
                                                        m.Ticket.status)
                                       .where((m.Ticket.office == office_id)
                                              & (m.Ticket.service_date == today)).tuples()):
        if not visible(service_id):
            continue
        issued = from_db(issued)
        hour = issued.astimezone(BANGKOK).hour
        if 8 <= hour <= 16:
            arrivals[hour - 8] += 1
        if status == "waiting":
            code, name = services[service_id][0], services[service_id][1]
            names[code] = name
            waiting.setdefault(code, []).append((now - issued).total_seconds())
    lines = tuple(WaitingLine(code, names[code], len(w), max(w))
                  for code, w in sorted(waiting.items(), key=lambda kv: -max(kv[1])))

    # Every counter: state, officer, current ticket, elapsed against the service's standard.
    current: dict[int, tuple[str, int, datetime | None]] = {}
    for counter_id, number, service_id, called in (
            m.Ticket.select(m.Ticket.counter, m.Ticket.number, m.Ticket.service,
                            m.Ticket.called_at)
            .where((m.Ticket.office == office_id) & m.Ticket.status.in_(("called", "serving")))
            .tuples()):
        current[counter_id] = (number, service_id, from_db(called))
    serving = {a.ticket.counter_id: a for a in m.Application.select(m.Application, m.Ticket)
               .join(m.Ticket).where((m.Ticket.office == office_id)
                                     & (m.Ticket.status == "serving")
                                     & m.Application.status.in_(("serving", "paused")))}
    counters = []
    for counter in (m.Counter.select(m.Counter, m.Unit.name.alias("unit_name"),
                                     m.Staff.name.alias("officer_name"))
                    .join(m.Unit).switch(m.Counter)
                    .join(m.Staff, on=(m.Counter.officer == m.Staff.id), join_type=JOIN.LEFT_OUTER)
                    .where(m.Counter.office == office_id).order_by(m.Counter.name).objects()):
        if wanted is not None and counter.unit_name not in wanted:
            continue
        ticket = current.get(counter.id)
        elapsed = standard = service_name = None
        application = serving.get(counter.id)
        if application is not None:
            from counter_tui.services.visit import _application_view

            view = _application_view(application, now)
            elapsed, standard = view.timing.service_seconds, view.standard_seconds
            service_name = view.service_name
        elif ticket is not None:
            service_name = services[ticket[1]][1]
        since = from_db(counter.state_since)
        counters.append(CounterLine(
            counter.name, counter.unit_name, counter.state, counter.officer_name,
            ticket[0] if ticket else None, service_name, elapsed, standard,
            (now - since).total_seconds() if since else None))

    # Today's figures and the reasons behind out-of-order calls, skips and recalls per officer.
    rows = [r for r in visit_rows(office_id, today, today, now)
            if wanted is None or r["unit"] in wanted]
    today_figures = figures(rows, today)
    today_figures["no_shows"] = sum(1 for r in rows if r["outcome"] == "no_show")
    today_figures["served"] = sum(1 for r in rows if r["finished_at"])
    per_officer: dict[str, dict[str, Any]] = {}
    staff_names = dict(m.Staff.select(m.Staff.id, m.Staff.name)
                       .where(m.Staff.office == office_id).tuples())
    for kind, staff_id, reason, data in (m.Event.select(m.Event.kind, m.Event.staff,
                                                        m.Event.reason, m.Event.data)
                                         .join(m.Ticket, on=(m.Event.ticket == m.Ticket.id))
                                         .where((m.Ticket.office == office_id)
                                                & (m.Ticket.service_date == today)
                                                & m.Event.kind.in_(("called", "skipped",
                                                                    "recalled", "no_show"))
                                                & m.Event.reason.is_null(False))
                                         .tuples()):
        entry = per_officer.setdefault(staff_names.get(staff_id, "?"), {
            "called": 0, "skipped": 0, "recalled": 0, "no_show": 0, "reasons": []})
        entry[kind] += 1
        entry["reasons"].append(reason)
    officers = tuple(OfficerReasons(name, e["called"], e["skipped"], e["recalled"],
                                    e["no_show"], tuple(e["reasons"]))
                     for name, e in sorted(per_officer.items()))

    # Cases due within a week or overdue, and whether a 7-day delay notice is due.
    cases = []
    soon = today + timedelta(days=7)
    query = (m.Case.select(m.Case, m.Application.number.alias("number"),
                           m.Application.service.alias("service_id"))
             .join(m.Application)
             .where((m.Application.office == office_id) & (m.Case.status == "open")
                    & (m.Case.due_date <= soon))
             .order_by(m.Case.due_date).limit(200).objects())
    case_list = list(query)
    notices: dict[int, date] = {}
    for case_id, sent in (m.DelayNotice.select(m.DelayNotice.case, m.DelayNotice.sent_at)
                          .where(m.DelayNotice.case.in_([c.id for c in case_list])).tuples()):
        sent_day = local_date(from_db(sent))
        notices[case_id] = max(notices.get(case_id, sent_day), sent_day)
    for case in case_list:
        if not visible(case.service_id):
            continue
        overdue = case.due_date < today
        last = notices.get(case.id)
        cases.append(CaseLine(case.number, services[case.service_id][1], case.due_date, overdue,
                              last, overdue and (last is None or (today - last).days >= 7)))

    # EIT: the link of this fiscal year and progress towards the target inside the window.
    from counter_tui.core.fiscal import fiscal_year_of

    year = fiscal_year_of(today)
    link = get_setting(office_id, "survey.eit_url", today, year)
    problem = None if link and link.startswith("https://") else \
        "ยังไม่ได้ตั้งลิงก์แบบวัด EIT ของปีงบประมาณนี้ (counter-tui settings set survey.eit_url ...)"
    start = get_setting(office_id, "survey.window_start", today, year)
    end = get_setting(office_id, "survey.window_end", today, year)
    target = get_setting(office_id, "survey.target", today, year)
    window = (date.fromisoformat(start), date.fromisoformat(end)) if start and end else None
    offered = 0
    if window is not None:
        lo = datetime(window[0].year, window[0].month, window[0].day, tzinfo=BANGKOK)
        hi = datetime(window[1].year, window[1].month, window[1].day, tzinfo=BANGKOK) \
            + timedelta(days=1)
        offered = (m.Event.select().where((m.Event.office == office_id)
                                          & (m.Event.kind == "survey_offered")
                                          & (m.Event.at >= to_db(lo)) & (m.Event.at < to_db(hi)))
                   .count())
    return Dashboard(
        office_name=m.Office.get_by_id(office_id).name,
        units=tuple(sorted(wanted)) if wanted is not None else (),
        sample_standards=catalog_is_sample(office_id), waiting=lines,
        counters=tuple(counters), today=today_figures, arrivals_per_hour=tuple(arrivals),
        officers=officers, cases=tuple(cases), survey_link_problem=problem, eit_window=window,
        eit_target=int(target) if target else None, eit_offered=offered)

