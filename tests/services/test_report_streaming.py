"""The visits report and the statistics are streamed: rows are made a chunk of tickets at a
time and folded into the figures as they come, and nothing of it changes a published number.

The reference arithmetic below is the list-based one the statistics were first published with
(every row held, then counted); the streamed accumulators must give exactly its numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from conftest import FIXED_NOW
from playhouse.test_utils import count_queries
from support.actors import admin_id

from counter_tui.core import report_stats
from counter_tui.core.stats import mean, median, pct, percentile_cont
from counter_tui.db import models as m
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import staff as st
from counter_tui.services import visit as v
from counter_tui.services.demo import generate_demo
from counter_tui.services.reports import (
    MAX_CHUNK_TICKETS,
    iter_visit_rows,
    stats_report,
    visit_rows,
    write_visits,
)

FY_START, FY_END = date(2026, 10, 1), date(2027, 9, 30)
LATER = FIXED_NOW + timedelta(days=3)


def at(days: float, minutes: float = 0):
    return FIXED_NOW + timedelta(days=days, minutes=minutes)


@pytest.fixture
def history(db):
    """Twelve demo days (multi-service tickets, cases, ratings, corrections, a reopened
    application), then two days of our own: a deficiency whose visitor comes back on a new
    ticket that is merged into the reopened application, skips and a no-show with reasons."""
    generate_demo(12, 3, FIXED_NOW, visits_per_day=30)
    officer = st.add_staff(db.id, "ผู้ทดสอบ", "officer", "1234", FIXED_NOW, actor_id=admin_id(db.id))
    counter = ct.add_counter(
        db.id,
        "ช่องทดสอบ",
        "สำนักปลัด",
        ["ELDERLY_ALLOWANCE_REG", "SIGNBOARD_TAX", "LAND_BUILDING_TAX"],
        FIXED_NOW,
        actor_id=admin_id(db.id),
    )
    o, c = officer.id, counter.id
    ct.open_counter(db.id, c, o, at(1))
    q.issue_ticket(db.id, "ELDERLY_ALLOWANCE_REG", at(1, 1))
    q.issue_ticket(db.id, "SIGNBOARD_TAX", at(1, 2))
    q.issue_ticket(db.id, "SIGNBOARD_TAX", at(1, 3))
    q.call_next(db.id, c, o, at(1, 4))
    q.start_serving(db.id, c, o, at(1, 5))
    deficient = v.record_deficiency(
        db.id, c, o, ["สำเนาทะเบียนบ้าน"], FIXED_NOW.date() + timedelta(days=8), at(1, 9)
    )
    q.call_next(db.id, c, o, at(1, 10))
    q.start_serving(db.id, c, o, at(1, 11))
    v.add_service(db.id, c, o, "LAND_BUILDING_TAX", at(1, 13))
    v.finish_application(db.id, c, o, "completed", at(1, 15))
    v.finish_application(db.id, c, o, "completed", at(1, 19))
    q.call_next(db.id, c, o, at(1, 20))
    q.skip(db.id, c, o, "ไม่อยู่ที่จุดบริการเมื่อเรียก", at(1, 21))
    q.call_next(db.id, c, o, at(1, 25))
    q.skip(db.id, c, o, "เรียก 3 ครั้งแล้วไม่มา", at(1, 27), no_show=True)
    ct.close_counter(db.id, c, o, at(1, 30))
    # the next day the visitor is back with the document, on a new ticket: merged
    ct.open_counter(db.id, c, o, at(2))
    q.issue_ticket(db.id, "ELDERLY_ALLOWANCE_REG", at(2, 1))
    q.call_next(db.id, c, o, at(2, 2))
    v.reopen_application(db.id, c, o, deficient.application_number, at(2, 3))
    v.finish_application(db.id, c, o, "accepted", at(2, 8))
    return db


def _ticket_keys(rows):
    return [f"{r['issued_at'][:10]}/{r['ticket']}" for r in rows]


def test_the_history_has_what_the_streaming_must_keep_whole(history):
    rows = visit_rows(history.id, FY_START, FY_END, LATER)
    outcomes = Counter(r["outcome"] for r in rows)
    assert outcomes["merged"] == 1 and outcomes["no_show"] >= 1 and outcomes["accepted"] > 1
    keys = _ticket_keys(rows)
    assert any(a == b for a, b in zip(keys, keys[1:]))  # tickets of several applications
    assert any(r["case_due"] for r in rows) and any(r["rating"] for r in rows)
    assert any(r["reasons"] for r in rows) and any(r["deficiency"] for r in rows)


def test_rows_are_the_same_whatever_the_chunk(history):
    """Chunk boundaries fall between any two tickets, among them the reopened application's
    ticket and the returning visitor's merged one, two days apart."""
    whole = visit_rows(history.id, FY_START, FY_END, LATER)
    for chunk in (1, 2, 7, 64, 100_000):
        streamed = iter_visit_rows(history.id, FY_START, FY_END, LATER, chunk=chunk)
        assert not isinstance(streamed, list)
        assert list(streamed) == whole, chunk


def test_rows_keep_report_order_and_every_visit_once(history):
    rows = visit_rows(history.id, FY_START, FY_END, LATER)
    ids = [
        t
        for (t,) in m.Ticket.select(m.Ticket.id)
        .join(m.Application)
        .order_by(m.Ticket.id, m.Application.position)
        .tuples()
    ]
    assert len(rows) == len(ids)
    keys = _ticket_keys(rows)
    runs = [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k]
    assert len(runs) == len(set(runs))  # the rows of one ticket come together


def test_rows_are_made_a_chunk_at_a_time(history):
    """Up to the first row, the reads do not depend on the length of the period: a year of
    tickets is never read before the first row is made."""

    def queries_to_first_row(date_from, date_to):
        with count_queries() as counted:
            next(iter_visit_rows(history.id, date_from, date_to, LATER, chunk=5))
        return counted.count

    one_day = queries_to_first_row(FIXED_NOW.date(), FIXED_NOW.date())
    assert queries_to_first_row(FY_START, FY_END) == one_day
    tickets = m.Ticket.select().count()
    with count_queries() as counted:
        rows = list(iter_visit_rows(history.id, FY_START, FY_END, LATER, chunk=5))
    chunks = -(-tickets // 5)
    assert rows and counted.count <= one_day + 2 * chunks


def test_a_chunk_too_big_is_cut(history):
    assert MAX_CHUNK_TICKETS <= 4096
    assert list(iter_visit_rows(history.id, FY_START, FY_END, LATER, chunk=10**9)) == visit_rows(
        history.id, FY_START, FY_END, LATER
    )
    with pytest.raises(ValueError):
        iter_visit_rows(history.id, FY_START, FY_END, LATER, chunk=0)


# --- the published arithmetic, as first written: every row held in a list --------------------


def _reference_figures(rows, as_of):
    rows = [r for r in rows if r["outcome"] != "merged"]
    finished = [r for r in rows if r["finished_at"] and r["service_seconds"] is not None]
    verdicts = [r["on_time"] for r in rows if r["on_time"] is not None]
    service_times = [r["service_seconds"] for r in finished]
    waits = [r["wait_seconds"] for r in rows if r["wait_seconds"] is not None]
    tickets = {}
    for r in rows:
        tickets.setdefault(f"{r['issued_at'][:10]}/{r['ticket']}", r)
    served_outcomes = ("completed", "accepted", "referred", "returned")
    served_tickets = {
        f"{r['issued_at'][:10]}/{r['ticket']}" for r in rows if r["outcome"] in served_outcomes
    }
    served_visits = [t for key, t in tickets.items() if key in served_tickets]
    ratings = [t["rating"] for t in tickets.values() if t["rating"] is not None]
    standards = sorted({r["standard_seconds"] for r in rows if r["standard_seconds"]})
    cases = [r for r in rows if r["case_due"]]
    decided = [r for r in cases if r["case_decided_at"]]
    overdue = [
        r
        for r in cases
        if date.fromisoformat(r["case_due"]) < as_of
        and (not r["case_decided_at"] or r["case_decided_at"][:10] > r["case_due"])
    ]
    rnd = lambda value, digits=1: round(value, digits) if value is not None else None  # noqa
    return {
        "requests": len(rows),
        "channels": dict(sorted(Counter(r["channel"] for r in rows).items())),
        "outcomes": dict(sorted(Counter(r["outcome"] or "open" for r in rows).items())),
        "completed": sum(1 for r in rows if r["outcome"] == "completed"),
        "served": sum(1 for r in rows if r["outcome"] in served_outcomes),
        "no_shows": sum(1 for r in rows if r["outcome"] == "no_show"),
        "documents_requested": sum(1 for r in rows if r["deficiency"]),
        "returned": sum(1 for r in rows if r["outcome"] == "returned"),
        "cases_opened": len(cases),
        "cases_decided": len(decided),
        "cases_overdue": len(overdue),
        "on_time_pct": rnd(pct(sum(verdicts), len(verdicts))),
        "median_service_seconds": rnd(median(service_times)),
        "p90_service_seconds": rnd(percentile_cont(service_times, 0.9)),
        "standard_seconds": standards[0] if len(standards) == 1 else None,
        "median_wait_seconds": rnd(median(waits)),
        "p90_wait_seconds": rnd(percentile_cont(waits, 0.9)),
        "visits": len(tickets),
        "survey_offered_pct": rnd(
            pct(sum(1 for t in served_visits if t["survey_offered"]), len(served_visits))
        ),
        "ratings": {str(score): ratings.count(score) for score in range(1, 6)},
        "rating_count": len(ratings),
        "rating_mean": rnd(mean(ratings), 2),
        "out_of_order_calls": sum(
            1 for r in rows for reason in r["reasons"] if reason["kind"] == "called"
        ),
    }


def _reference_grouped(rows, key, as_of):
    groups = defaultdict(list)
    for row in rows:
        if row[key] is not None:
            groups[row[key]].append(row)
    return {name: _reference_figures(group, as_of) for name, group in sorted(groups.items())}


def test_streamed_statistics_are_the_list_arithmetic(history):
    for kind, on_date in (
        ("year", None),
        ("month", date(2026, 11, 20)),
        ("quarter", date(2026, 11, 24)),
    ):
        report = stats_report(history.id, kind, 2570, on_date, LATER, actor_id=admin_id(history.id))
        period = report["period"]
        rows = visit_rows(
            history.id, date.fromisoformat(period["from"]), date.fromisoformat(period["to"]), LATER
        )
        as_of = report_stats.as_of_date(date.fromisoformat(period["to"]), LATER.date())
        assert report["totals"] == _reference_figures(rows, as_of), kind
        assert report["totals"]["requests"] > 0
        for key, section in (("service", "services"), ("unit", "units"), ("officer", "officers")):
            assert report[section] == _reference_grouped(rows, key, as_of), (kind, section)
        # and the same object from a list as from a stream
        args = dict(
            office="x", period=period, sample_standards=False, as_of=as_of, with_officers=True
        )
        assert report_stats.statistics(rows, **args) == report_stats.statistics(iter(rows), **args)


def test_without_officers_the_officers_are_left_out(history):
    report = stats_report(history.id, "year", 2570, None, LATER, with_officers=False)
    assert report["officers"] == {} and report["services"]


def test_figures_of_no_rows_and_of_merged_rows_only(history):
    empty = report_stats.figures([], FIXED_NOW.date())
    assert empty == _reference_figures([], FIXED_NOW.date())
    merged = [
        r for r in visit_rows(history.id, FY_START, FY_END, LATER) if r["outcome"] == "merged"
    ]
    assert report_stats.figures(merged, FIXED_NOW.date())["requests"] == 0
    stats = report_stats.statistics(
        merged,
        office="x",
        period={},
        sample_standards=False,
        as_of=FIXED_NOW.date(),
        with_officers=True,
    )
    assert stats["services"] == _reference_grouped(merged, "service", FIXED_NOW.date())


# --- report visits: written as the rows come ------------------------------------------------


def test_json_and_csv_written_from_the_stream_are_those_of_the_list(history):
    rows = visit_rows(history.id, FY_START, FY_END, LATER)
    listed, streamed = io.StringIO(), io.StringIO()
    json.dump(rows, listed, ensure_ascii=False, indent=2)
    listed.write("\n")
    written = write_visits(
        iter_visit_rows(history.id, FY_START, FY_END, LATER, chunk=3), "json", streamed
    )
    assert written == len(rows) and streamed.getvalue() == listed.getvalue()
    assert json.loads(streamed.getvalue()) == rows

    from_list, from_stream = io.StringIO(), io.StringIO()
    write_visits(rows, "csv", from_list)
    assert write_visits(iter(rows), "csv", from_stream) == len(rows)
    assert from_stream.getvalue() == from_list.getvalue()
    parsed = list(csv.DictReader(io.StringIO(from_stream.getvalue()[1:])))
    assert [p["ticket"] for p in parsed] == [r["ticket"] for r in rows]


def test_no_rows_write_an_empty_array(db):
    stream = io.StringIO()
    assert write_visits(iter_visit_rows(db.id, FY_START, FY_END, LATER), "json", stream) == 0
    assert stream.getvalue() == "[]\n" == json.dumps([]) + "\n"
