"""Provides the visits report: one row per service of a visit (application) with every timing
figure, derived from the events by ``core.visit_timing`` exactly as the screens derive them.

Machine-readable: ISO-8601 timestamps with their UTC offset (Asia/Bangkok), seconds as numbers,
keys in English. No personal data: the applicant table is never read here.
The query count is fixed (one per table), whatever the number of visits.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from counter_tui.core.clock import from_db
from counter_tui.core.thai_dates import BANGKOK
from counter_tui.core.timing import on_time
from counter_tui.core.visit_timing import TimedEvent, derive
from counter_tui.db import models as m
from counter_tui.errors import UserError

VISIT_KEYS = (
    "ticket", "application", "office", "unit", "service", "manual_version", "counter", "officer",
    "channel", "priority", "issued_at", "called_at", "started_at", "finished_at", "wait_seconds",
    "walk_seconds", "service_seconds", "paused_seconds", "standard_seconds", "on_time",
    "outcome", "case_due", "case_decided_at", "steps", "deficiency", "survey_offered", "rating", "reasons",
)
REASON_KINDS = ("called", "recalled", "skipped", "no_show", "paused", "corrected", "transferred",
                "finished", "closed")


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(BANGKOK).isoformat() if value else None


def _seconds(value: float | None) -> float | None:
    return round(value, 3) if value is not None else None


def visit_rows(office_id: int, date_from: date, date_to: date, now: datetime) -> list[dict[str, Any]]:
    """Every application on tickets issued from ``date_from`` to ``date_to`` (Bangkok dates)."""
    if date_from > date_to:
        raise UserError(f"--from {date_from.isoformat()} is after --to {date_to.isoformat()}: "
                        "give the earlier date first.")
    office = m.Office.get_by_id(office_id)
    tickets = {t.id: t for t in m.Ticket.select().where(
        (m.Ticket.office == office_id) & (m.Ticket.service_date >= date_from)
        & (m.Ticket.service_date <= date_to))}
    if not tickets:
        return []
    # Joined on the tickets' date range rather than a list of thousands of ids, which makes
    # SQLite read the whole table (measured: bench/README.md).
    in_period = ((m.Ticket.office == office_id) & (m.Ticket.service_date >= date_from)
                 & (m.Ticket.service_date <= date_to))
    applications = list(m.Application.select(m.Application)
                        .join(m.Ticket, on=(m.Application.ticket == m.Ticket.id))
                        .where(in_period)
                        .order_by(m.Application.ticket, m.Application.position))
    services = {s.id: s for s in m.Service.select(m.Service, m.Unit.name.alias("unit_name"))
                .join(m.Unit).where(m.Service.id.in_({a.service_id for a in applications}))
                .objects()}
    steps: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    for service_id, name, standard in (m.ServiceStep.select(
            m.ServiceStep.service, m.ServiceStep.name_th, m.ServiceStep.standard_seconds)
            .where(m.ServiceStep.service.in_(list(services)))
            .order_by(m.ServiceStep.service, m.ServiceStep.position).tuples()):
        steps[service_id].append((name, standard))
    counters = dict(m.Counter.select(m.Counter.id, m.Counter.name)
                    .where(m.Counter.office == office_id).tuples())
    staff = dict(m.Staff.select(m.Staff.id, m.Staff.name).where(m.Staff.office == office_id)
                 .tuples())
    by_application: dict[int, list[TimedEvent]] = defaultdict(list)
    first_call: dict[int, datetime] = {}
    reasons: dict[tuple[int, int | None], list[dict]] = defaultdict(list)
    survey: dict[int, str] = {}
    rating: dict[int, int] = {}
    for (event_id, kind, at, ticket_id, application_id, corrects, data,
         reason) in (m.Event.select(m.Event.id, m.Event.kind, m.Event.at, m.Event.ticket,
                                    m.Event.application, m.Event.corrects, m.Event.data,
                                    m.Event.reason)
                     .join(m.Ticket, on=(m.Event.ticket == m.Ticket.id))
                     .where(in_period).order_by(m.Event.id).tuples()):
        at = from_db(at)
        payload = json.loads(data) if data else {}
        if kind == "called" and ticket_id not in first_call:
            first_call[ticket_id] = at
        if application_id is not None:
            by_application[application_id].append(TimedEvent(
                event_id, kind, at, corrects, payload.get("outcome"), reason))
        if reason and kind in REASON_KINDS:
            reasons[(ticket_id, application_id)].append(
                {"kind": kind, "reason": reason, "at": _iso(at)})
        if kind == "survey_offered":
            survey[ticket_id] = payload.get("how", "screen")
        elif kind == "rating_given" and "rating" in payload:
            rating[ticket_id] = int(payload["rating"])
    cases = {c.application_id: (c.due_date, from_db(c.decided_at))
             for c in m.Case.select(m.Case.application, m.Case.due_date, m.Case.decided_at)
             .where(m.Case.application.in_([a.id for a in applications]))}
    deficient = {d for (d,) in m.DeficiencyRecord.select(m.DeficiencyRecord.application)
                 .where(m.DeficiencyRecord.application.in_([a.id for a in applications]))
                 .tuples()}
    rows = []
    for application in applications:
        ticket = tickets[application.ticket_id]
        service = services[application.service_id]
        manual_steps = steps.get(service.id, [])
        timing = derive(by_application.get(application.id, []),
                        [standard for _, standard in manual_steps], now)
        issued = from_db(ticket.issued_at)
        called = first_call.get(ticket.id)
        first = application.position == 1
        finished = timing.status == "finished"
        wait = (called - issued).total_seconds() if first and called else None
        walk = ((timing.started_at - called).total_seconds()
                if first and called and timing.started_at else None)
        service_seconds = timing.service_seconds if timing.started_at else None
        rows.append({
            "ticket": ticket.number,
            "application": application.number,
            "office": office.code,
            "unit": service.unit_name,
            "service": service.code,
            "manual_version": service.version,
            "counter": counters.get(application.counter_id),
            "officer": staff.get(application.officer_id),
            "channel": ticket.channel,
            "priority": ticket.priority,
            "issued_at": _iso(issued),
            "called_at": _iso(called) if first else None,
            "started_at": _iso(timing.started_at),
            "finished_at": _iso(timing.finished_at),
            "wait_seconds": _seconds(wait),
            "walk_seconds": _seconds(walk),
            "service_seconds": _seconds(service_seconds),
            "paused_seconds": _seconds(timing.paused_seconds) if timing.started_at else None,
            "standard_seconds": service.standard_seconds,
            "on_time": on_time(service_seconds, service.standard_seconds)
            if finished and service_seconds is not None else None,
            "outcome": timing.outcome or application.outcome,
            "case_due": cases[application.id][0].isoformat() if application.id in cases else None,
            "case_decided_at": _iso(cases[application.id][1]) if application.id in cases
            else None,
            "steps": [{"name": name, "seconds": _seconds(t.seconds) if t.completed else None,
                       "standard_seconds": standard}
                      for (name, standard), t in zip(manual_steps, timing.steps)],
            "deficiency": application.id in deficient,
            "survey_offered": survey.get(ticket.id),
            "rating": rating.get(ticket.id),
            "reasons": (reasons.get((ticket.id, None), []) if first else [])
            + reasons.get((ticket.id, application.id), []),
        })
    return rows


def write_visits(rows: list[dict[str, Any]], fmt: str, stream) -> None:
    """JSON: an array of objects. CSV: UTF-8 with a BOM (Excel reads the Thai); the nested
    ``steps`` and ``reasons`` are JSON text in their cells."""
    if fmt == "json":
        json.dump(rows, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return
    import csv

    stream.write("\ufeff")
    writer = csv.DictWriter(stream, fieldnames=VISIT_KEYS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        flat = dict(row)
        for key in ("steps", "reasons"):
            flat[key] = json.dumps(row[key], ensure_ascii=False)
        for key in ("on_time", "deficiency"):
            flat[key] = "" if row[key] is None else str(row[key]).lower()
        writer.writerow(flat)


def stats_report(office_id: int, kind: str, fiscal_year: int | None, on_date: date | None,
                 now: datetime, with_officers: bool = True) -> dict[str, Any]:
    """``report stats``: the period of ``kind`` (month, quarter, half, year) in the Thai fiscal
    year ``fiscal_year`` (BE; default the current one) that contains ``on_date`` (default today,
    or the last day of a past fiscal year)."""
    from counter_tui.core import fiscal
    from counter_tui.core.report_stats import as_of_date, statistics
    from counter_tui.core.thai_dates import local_date
    from counter_tui.services.catalog import catalog_is_sample

    today = local_date(now)
    try:
        year = fiscal_year or fiscal.fiscal_year_of(on_date or today)
        whole = fiscal.fiscal_year_period(year)
        if on_date is None:
            on_date = today if whole.contains(today) else whole.end
        if not whole.contains(on_date):
            raise ValueError(f"{on_date.isoformat()} is not in fiscal year {year} "
                             f"({whole.start.isoformat()} to {whole.end.isoformat()})")
        period = whole if kind == "year" else fiscal.period_for(kind, on_date)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    rows = visit_rows(office_id, period.start, period.end, now)
    office = m.Office.get_by_id(office_id)
    return statistics(
        rows, office=office.name,
        period={"from": period.start.isoformat(), "to": period.end.isoformat(),
                "label": period.label_th(), "label_en": period.label_en(), "kind": period.kind,
                "fiscal_year": str(period.fiscal_year)},
        sample_standards=catalog_is_sample(office_id), as_of=as_of_date(period.end, today),
        with_officers=with_officers)
