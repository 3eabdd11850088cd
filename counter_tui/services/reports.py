"""Provides the visits report: one row per service of a visit (application) with every timing
figure, derived from the events by ``core.visit_timing`` exactly as the screens derive them.

Machine-readable: ISO-8601 timestamps with their UTC offset (Asia/Bangkok), seconds as numbers,
keys in English. No personal data: the applicant table is never read here.

Streamed: ``iter_visit_rows`` reads the period's tickets in chunks (``CHUNK_TICKETS`` tickets,
in ticket order), each chunk with one query for its applications (with their case and
deficiency record) and one for its events, and yields each row as it is made. Memory is one
chunk's rows, whatever the length of the period; cost follows the period's rows, not history:
every read is an index range or lookup (the period's ticket ids come from the
``(office, service_date, ...)`` index; a chunk's applications and events from their
``ticket_id`` indexes). The query count is fixed per chunk, whatever the number of visits.

Scoped: ``units`` (a supervisor's, from ``services.staff.unit_scope``; None for the whole office)
keeps the rows of those units' services only, so a scoped statistics report and visits export
hold nothing of another unit (its services, officers, reasons, counts).
"""

from __future__ import annotations

import json
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import IO, Any, overload

from peewee import SQL, Expression, ForeignKeyField, ModelSelect, Query

from counter_tui.core.clock import to_db
from counter_tui.core.thai_dates import BANGKOK
from counter_tui.core.timing import on_time
from counter_tui.core.visit_timing import TimedEvent, derive
from counter_tui.db import models as m
from counter_tui.errors import UserError

VISIT_KEYS = (
    "ticket",
    "application",
    "office",
    "unit",
    "service",
    "manual_version",
    "counter",
    "officer",
    "channel",
    "priority",
    "issued_at",
    "called_at",
    "started_at",
    "finished_at",
    "wait_seconds",
    "walk_seconds",
    "service_seconds",
    "paused_seconds",
    "standard_seconds",
    "on_time",
    "outcome",
    "case_due",
    "case_decided_at",
    "steps",
    "deficiency",
    "survey_offered",
    "rating",
    "reasons",
)
REASON_KINDS = (
    "called",
    "recalled",
    "skipped",
    "no_show",
    "paused",
    "corrected",
    "transferred",
    "finished",
    "closed",
)
CHUNK_TICKETS = 256
"""Tickets per round trip: bounds the memory (a chunk's rows and events: ~0.6 MB; 500 tickets
made the app's RSS ~1 MB bigger and were no faster)."""
MAX_CHUNK_TICKETS = 1024
"""Longer chunks are cut to this: SQLite stops using the ``ticket_id`` indexes for IN lists of
thousands (bench/README.md), and PostgreSQL binds at most 65,535 values."""


_ICT = timedelta(hours=7)
_ICT_SINCE = datetime(1920, 4, 1)  # Asia/Bangkok is UTC+07:00 from then on


def _iso(value: datetime | None) -> str | None:
    """A naive UTC time (as stored, and as derived here) in Bangkok time, ISO-8601."""
    if not value:
        return None
    if value >= _ICT_SINCE:  # the same text as astimezone(BANGKOK).isoformat(), faster
        return f"{(value + _ICT).isoformat()}+07:00"
    return value.replace(tzinfo=UTC).astimezone(BANGKOK).isoformat()


@overload
def _naive(value: datetime | str) -> datetime: ...


@overload
def _naive(value: datetime | str | None) -> datetime | None: ...


def _naive(value: datetime | str | None) -> datetime | None:
    """A stored timestamp as the naive UTC datetime it is (SQLite hands back ISO text)."""
    if value.__class__ is str:
        return datetime.fromisoformat(value)
    # Not a str now (tested by class above, faster than isinstance; mypy narrows only the str
    # case of such a test): the ignores below are for the str that cannot be there.
    if value is not None and value.tzinfo:  # type: ignore[union-attr]
        return to_db(value)  # type: ignore[arg-type]
    return value  # type: ignore[return-value]


def _seconds(value: float | None) -> float | None:
    return round(value, 3) if value is not None else None


def _iso_date(value: date | str | None) -> str | None:
    """A stored date as ISO text (SQLite hands back the text, PostgreSQL a ``date``)."""
    if value is None:
        return None
    return value[:10] if isinstance(value, str) else value.isoformat()


def _raw(query: Query) -> Any:
    """The driver's cursor for a peewee query: rows as plain tuples, without peewee's
    conversion of every value (timestamps go through ``_naive``, which takes SQLite's text
    and PostgreSQL's datetimes alike)."""
    return m.database_proxy.obj.execute(query)


_CHUNK_SQL: dict[tuple[str, str, int], str] = {}


def _chunk_query(kind: str) -> tuple[ModelSelect[Any], ForeignKeyField[Any]]:
    """The two reads of a chunk, without their ``ticket_id IN (...)`` condition."""
    A, T, C, D, E = m.Application, m.Ticket, m.Case, m.DeficiencyRecord, m.Event
    if kind == "applications":
        # With its ticket, and its case and deficiency record (at most one of each) read by
        # scalar subqueries, one index lookup per application: as outer joins (or EXISTS)
        # PostgreSQL hashed the whole case and deficiency tables for every chunk.
        return (
            A.select(
                A.id,
                A.ticket,
                A.number,
                A.position,
                A.service,
                A.counter,
                A.officer,
                A.outcome,
                T.number,
                T.issued_at,
                T.channel,
                T.priority,
                C.select(C.due_date).where(C.application == A.id),
                C.select(C.decided_at).where(C.application == A.id),
                D.select(D.id).where(D.application == A.id),
            )
            .join(T, on=(A.ticket == T.id))
            .order_by(A.ticket, A.position, A.id)
        ), A.ticket
    return (
        E.select(
            E.id, E.kind, E.at, E.ticket, E.application, E.corrects, E.data, E.reason
        ).order_by(E.ticket, E.id)
    ), E.ticket


def _in_tickets(kind: str, ticket_ids: list[int]) -> Any:
    """The driver's cursor for a chunk's read of ``kind`` for these tickets.

    The statement is built once per IN-list length and the list padded (repeating its last id,
    which IN ignores) to a power of two: a handful of statements, reused by the driver's
    statement cache, and the ids bound as they are (peewee would wrap and convert each of them,
    and rebuilding the SQL was a third of the time of a chunk)."""
    db = m.database_proxy.obj
    size = 1 << (len(ticket_ids) - 1).bit_length()
    key = (kind, db.param, size)
    sql = _CHUNK_SQL.get(key)
    if sql is None:
        query, column = _chunk_query(kind)
        marks = SQL(f"({', '.join([db.param] * size)})")
        sql, params = db.get_sql_context().sql(query.where(column.in_(marks))).query()
        assert not params, "the IN list must be the only bound values"
        _CHUNK_SQL[key] = sql
    return db.execute_sql(sql, ticket_ids + ticket_ids[-1:] * (size - len(ticket_ids)))


def visit_rows(
    office_id: int,
    date_from: date,
    date_to: date,
    now: datetime,
    *,
    units: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Every application on tickets issued from ``date_from`` to ``date_to`` (Bangkok dates),
    of a service of ``units`` (None: every unit), as a list: ``iter_visit_rows`` for the same
    rows one at a time."""
    return list(iter_visit_rows(office_id, date_from, date_to, now, units=units))


def iter_visit_rows(
    office_id: int,
    date_from: date,
    date_to: date,
    now: datetime,
    *,
    chunk: int = CHUNK_TICKETS,
    units: Iterable[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """The rows of ``visit_rows``, in the same order (ticket, then position), made ``chunk``
    tickets at a time. A bad range raises here, before the first row."""
    if date_from > date_to:
        raise UserError(
            f"--from {date_from.isoformat()} is after --to {date_to.isoformat()}: "
            "give the earlier date first."
        )
    if chunk < 1:
        raise ValueError(f"chunk must be at least 1, got {chunk}")
    return _visit_rows(
        office_id,
        date_from,
        date_to,
        to_db(now),
        min(chunk, MAX_CHUNK_TICKETS),
        None if units is None else frozenset(units),
    )


def visits_export(
    office_id: int, date_from: date, date_to: date, now: datetime, *, actor_id: int | None
) -> Iterator[dict[str, Any]]:
    """``report visits``: the rows of ``iter_visit_rows`` (per officer) of the units the
    supervisor ``actor_id`` oversees (the ปลัด and admins: every unit)."""
    from counter_tui.services.permissions import scoped_units

    units = scoped_units(actor_id, "visits_export", office_id)
    return iter_visit_rows(office_id, date_from, date_to, now, units=units)


def _period_ticket_ids(office_id: int, date_from: date, date_to: date) -> array[int]:
    # Sorted here rather than by ORDER BY: SQLite (no ANALYZE statistics) might then prefer
    # walking the primary key through the whole history to sorting the period's ids.
    query = m.Ticket.select(m.Ticket.id).where(
        (m.Ticket.office == office_id)
        & (m.Ticket.service_date >= date_from)
        & (m.Ticket.service_date <= date_to)
    )
    return array("q", sorted(ticket_id for (ticket_id,) in _raw(query)))


class _Catalog:
    """The office's services (every version), their steps, counters and staff: small, read once."""

    def __init__(self, office_id: int) -> None:
        self.services: dict[int, tuple[str, str, int, int | None]] = {}
        self.steps: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
        self._standards: dict[int, list[int | None]] = {}
        self._load_services(m.Service.office == office_id)
        self.counters = dict(
            _raw(
                m.Counter.select(m.Counter.id, m.Counter.name).where(m.Counter.office == office_id)
            )
        )
        self.staff = dict(
            _raw(m.Staff.select(m.Staff.id, m.Staff.name).where(m.Staff.office == office_id))
        )

    def _load_services(self, condition: Expression) -> None:
        ids = []
        for service_id, unit, code, version, standard in _raw(
            m.Service.select(
                m.Service.id,
                m.Unit.name,
                m.Service.code,
                m.Service.version,
                m.Service.standard_seconds,
            )
            .join(m.Unit)
            .where(condition)
        ):
            self.services[service_id] = (unit, code, version, standard)
            ids.append(service_id)
        if ids:
            for service_id, name, standard in _raw(
                m.ServiceStep.select(
                    m.ServiceStep.service, m.ServiceStep.name_th, m.ServiceStep.standard_seconds
                )
                .where(m.ServiceStep.service.in_(ids))
                .order_by(m.ServiceStep.service, m.ServiceStep.position)
            ):
                self.steps[service_id].append((name, standard))

    def step_standards(self, service_id: int) -> list[int | None]:
        standards = self._standards.get(service_id)
        if standards is None:
            standards = self._standards[service_id] = [
                standard for _, standard in self.steps.get(service_id, ())
            ]
        return standards

    def service(self, service_id: int) -> tuple[str, str, int, int | None]:
        if service_id not in self.services:  # not the office's own: never in practice
            self._load_services(m.Service.id == service_id)
        return self.services[service_id]


def _visit_rows(
    office_id: int,
    date_from: date,
    date_to: date,
    now: datetime,
    chunk: int,
    units: frozenset[str] | None,
) -> Iterator[dict[str, Any]]:
    """``now``: naive UTC."""
    ids = _period_ticket_ids(office_id, date_from, date_to)
    if not ids:
        return
    office_code = m.Office.get_by_id(office_id).code
    catalog = _Catalog(office_id)
    payloads: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), chunk):
        yield from _chunk_rows(
            office_code, catalog, ids[start : start + chunk].tolist(), now, payloads, units
        )


def _payload(data: str, payloads: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """An event's JSON data, parsed once per distinct text (a handful: {"outcome": ...},
    {"how": ...}, {"rating": ...}); the parsed dicts are only read."""
    payload = payloads.get(data)
    if payload is None:
        if len(payloads) > 1024:
            payloads.clear()
        payload = payloads[data] = json.loads(data)
    return payload


def _chunk_rows(
    office_code: str,
    catalog: _Catalog,
    ticket_ids: list[int],
    now: datetime,
    payloads: dict[str, dict[str, Any]],
    units: frozenset[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """The rows of these tickets. Times stay naive UTC, as stored, up to the ISO text: the
    derivation only subtracts and compares them (``now`` is made naive UTC to match)."""
    applications = _in_tickets("applications", ticket_ids).fetchall()
    if not applications:
        return
    by_application: dict[int, list[TimedEvent]] = defaultdict(list)
    first_call: dict[int, datetime] = {}
    reasons: dict[tuple[int, int | None], list[dict[str, str | None]]] = defaultdict(list)
    survey: dict[int, str] = {}
    rating: dict[int, int] = {}
    for event_id, kind, at, ticket_id, application_id, corrects, data, reason in _in_tickets(
        "events", ticket_ids
    ):
        at = _naive(at)
        if kind == "called" and ticket_id not in first_call:
            first_call[ticket_id] = at
        if application_id is not None:
            # derive() reads the outcome of "finished" events only
            outcome = (
                _payload(data, payloads).get("outcome") if data and kind == "finished" else None
            )
            by_application[application_id].append(
                TimedEvent(event_id, kind, at, corrects, outcome, reason)
            )
        if reason and kind in REASON_KINDS:
            reasons[(ticket_id, application_id)].append(
                {"kind": kind, "reason": reason, "at": _iso(at)}
            )
        if kind == "survey_offered":
            survey[ticket_id] = (_payload(data, payloads) if data else {}).get("how", "screen")
        elif kind == "rating_given" and data:
            payload = _payload(data, payloads)
            if "rating" in payload:
                rating[ticket_id] = int(payload["rating"])
    counters, staff = catalog.counters, catalog.staff
    for (
        application_id,
        ticket_id,
        number,
        position,
        service_id,
        counter_id,
        officer_id,
        application_outcome,
        ticket_number,
        issued_at,
        channel,
        priority,
        case_due,
        case_decided_at,
        deficiency_id,
    ) in applications:
        unit, code, version, standard_seconds = catalog.service(service_id)
        if units is not None and unit not in units:
            continue  # another unit's service: outside the reader's scope
        manual_steps = catalog.steps.get(service_id, ())
        timing = derive(
            by_application.get(application_id, ()), catalog.step_standards(service_id), now
        )
        issued = _naive(issued_at)
        called = first_call.get(ticket_id)
        first = position == 1
        finished = timing.status == "finished"
        wait = (called - issued).total_seconds() if first and called else None
        walk = (
            (timing.started_at - called).total_seconds()
            if first and called and timing.started_at
            else None
        )
        service_seconds = timing.service_seconds if timing.started_at else None
        due = _iso_date(case_due)
        yield {
            "ticket": ticket_number,
            "application": number,
            "office": office_code,
            "unit": unit,
            "service": code,
            "manual_version": version,
            "counter": counters.get(counter_id),
            "officer": staff.get(officer_id),
            "channel": channel,
            "priority": priority,
            "issued_at": _iso(issued),
            "called_at": _iso(called) if first else None,
            "started_at": _iso(timing.started_at),
            "finished_at": _iso(timing.finished_at),
            "wait_seconds": _seconds(wait),
            "walk_seconds": _seconds(walk),
            "service_seconds": _seconds(service_seconds),
            "paused_seconds": _seconds(timing.paused_seconds) if timing.started_at else None,
            "standard_seconds": standard_seconds,
            "on_time": on_time(service_seconds, standard_seconds)
            if finished and service_seconds is not None
            else None,
            "outcome": timing.outcome or application_outcome,
            "case_due": due,
            "case_decided_at": _iso(_naive(case_decided_at)) if due is not None else None,
            "steps": [
                {
                    "name": name,
                    "seconds": _seconds(t.seconds) if t.completed else None,
                    "standard_seconds": standard,
                }
                for (name, standard), t in zip(manual_steps, timing.steps)
            ],
            "deficiency": deficiency_id is not None,
            "survey_offered": survey.get(ticket_id),
            "rating": rating.get(ticket_id),
            "reasons": (reasons.get((ticket_id, None), []) if first else [])
            + reasons.get((ticket_id, application_id), []),
        }


def write_visits(rows: Iterable[dict[str, Any]], fmt: str, stream: IO[str]) -> int:
    """JSON: an array of objects. CSV: UTF-8 with a BOM (Excel reads the Thai); the nested
    ``steps`` and ``reasons`` are JSON text in their cells. ``rows`` may be a list or
    ``iter_visit_rows``: each row is written as it comes (the JSON is the same text
    ``json.dump(list_of_rows, indent=2)`` writes). Returns the number of rows written."""
    count = 0
    if fmt == "json":
        for row in rows:
            # one object at nesting level 1: JSON text holds no raw newline, so indenting
            # every line by two spaces is exactly what json.dump does for a list element
            stream.write(",\n  " if count else "[\n  ")
            stream.write(json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  "))
            count += 1
        stream.write("\n]\n" if count else "[]\n")
        return count
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
        count += 1
    return count


def stats_report(
    office_id: int,
    kind: str,
    fiscal_year: int | None,
    on_date: date | None,
    now: datetime,
    with_officers: bool = True,
    units: Iterable[str] | None = None,
    *,
    actor_id: int | None = None,
) -> dict[str, Any]:
    """``report stats``: the period of ``kind`` (month, quarter, half, year) in the Thai fiscal
    year ``fiscal_year`` (BE; default the current one) that contains ``on_date`` (default today,
    or the last day of a past fiscal year).

    ``units`` (a supervisor's scope) limits it to those units' services: the report then names
    them after the office (``office``: "office — unit, unit", so every output's heading and
    totals line says whose figures they are) and lists them under ``scope``; the whole office's
    report has no ``scope``.

    The per-officer figures (``with_officers``) are a supervisor's or an admin's
    (``actor_id``): a supervisor's report holds their own units only; without them the
    figures are public (the ITA open data)."""
    from counter_tui.core import fiscal
    from counter_tui.core.report_stats import as_of_date, statistics
    from counter_tui.core.thai_dates import local_date
    from counter_tui.services.catalog import catalog_is_sample

    if with_officers:
        from counter_tui.services.permissions import scoped_units

        units = scoped_units(actor_id, "stats_with_officers", office_id, units)
    today = local_date(now)
    try:
        year = (
            fiscal_year if fiscal_year is not None else fiscal.fiscal_year_of(on_date or today)
        )  # 0 is a year to refuse, not 'now'
        whole = fiscal.fiscal_year_period(year)
        if on_date is None:
            on_date = today if whole.contains(today) else whole.end
        if not whole.contains(on_date):
            raise ValueError(
                f"{on_date.isoformat()} is not in fiscal year {year} "
                f"({whole.start.isoformat()} to {whole.end.isoformat()})"
            )
        period = whole if kind == "year" else fiscal.period_for(kind, on_date)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    # Streamed: each row is folded into the figures as it is made, never all held at once.
    scope = None if units is None else sorted(set(units))
    rows = iter_visit_rows(office_id, period.start, period.end, now, units=scope)
    office = m.Office.get_by_id(office_id)
    report = statistics(
        rows,
        office=office.name if scope is None else f"{office.name} — {', '.join(scope)}",
        period={
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "label": period.label_th(),
            "label_en": period.label_en(),
            "kind": period.kind,
            "fiscal_year": str(period.fiscal_year),
        },
        sample_standards=catalog_is_sample(office_id),
        as_of=as_of_date(period.end, today),
        with_officers=with_officers,
    )
    if scope is not None:
        report["scope"] = scope
    return report


def export_stats(report: dict[str, Any], fmt: str) -> str:
    """The reports screen's export: ``report`` written into the data folder's ``reports/``
    (CSV, XLSX, PDF); returns the path. A unit's report is named for its units, so it never
    overwrites the office's, nor another unit's."""
    from counter_tui.paths import data_dir
    from counter_tui.printing.report_formats import write_report

    folder = data_dir() / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    period = report["period"]
    scope = "".join(f"-{unit.replace('/', '-')}" for unit in report.get("scope") or ())
    path = folder / f"stats-{period['kind']}-{period['from']}-{period['to']}{scope}.{fmt}"
    write_report(report, fmt, str(path))
    return str(path)
