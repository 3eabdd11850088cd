"""Upgrades are tested (issue 12 item 8): a database made by an earlier release's schema, holding
a small realistic day written in that schema's plain SQL (tests/support/schemas/), is migrated
the way the app opens it, and ``report stats`` and ``report visits`` say exactly what they say
for the same day on a database made by the current migrations; no row is lost on the way.

Every later schema change adds the next version beside ``support/schemas/v0006.py``."""

from __future__ import annotations

import io
import json
from contextlib import ExitStack
from datetime import date

import pytest
from support.actors import admin_id
from support.databases import pg_schema
from support.schemas import (
    VERSIONS,
    build_old_schema,
    migration_files,
    row_counts,
    v0006,
    write_day,
)

from counter_tui.db import models as m
from counter_tui.db.database import MIGRATIONS_DIR, migrate, open_database
from counter_tui.printing.report_formats import write_json
from counter_tui.services.office import connect
from counter_tui.services.reports import iter_visit_rows, stats_report, write_visits

ALL_MIGRATIONS = sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))


def _reports(office_id: int, version) -> tuple[str, str]:
    """``report stats --format json`` (the fiscal year) and ``report visits --format json`` (the
    day) as the CLI writes them, read at the version's fixed time."""
    day = date.fromisoformat(version.DAY_DATE)
    stats = io.StringIO()
    write_json(
        stats_report(office_id, "year", None, None, version.NOW, actor_id=admin_id(office_id)),
        stats,
    )
    visits = io.StringIO()
    write_visits(iter_visit_rows(office_id, day, day, version.NOW), "json", visits)
    return stats.getvalue(), visits.getvalue()


def _upgraded(url: str, version) -> tuple[dict[str, int], dict[str, int], tuple[str, str]]:
    """Build the old database at ``url``, then open it as the app does: the row counts before
    and after, and the reports of the migrated database."""
    old = open_database(url)
    try:
        applied = build_old_schema(old, version)
        assert applied == [p.stem for p in migration_files(version.MIGRATIONS)]
        write_day(old, version)
        before = row_counts(old)
    finally:
        old.close()
    database, office = connect(url, version.NOW, "nb")
    try:
        assert (
            sorted(name for (name,) in database.execute_sql("SELECT name FROM schema_migration"))
            == ALL_MIGRATIONS
        )
        after = row_counts(database)
        return before, after, _reports(office.id, version)
    finally:
        database.close()
        m.database_proxy.initialize(None)


def _current(url: str, version) -> tuple[str, str]:
    """The same day's SQL on a database made by the current migrations (the columns added
    later left to their defaults), and its reports."""
    database = open_database(url)
    try:
        assert migrate(database) == ALL_MIGRATIONS
        write_day(database, version)
        m.database_proxy.initialize(database)
        office = m.Office.get(m.Office.code == "nb")
        return _reports(office.id, version)
    finally:
        database.close()
        m.database_proxy.initialize(None)


@pytest.fixture
def second_url(db_url, tmp_path):
    """Another empty database on the backend of ``db_url``."""
    with ExitStack() as stack:
        if db_url.startswith("sqlite"):
            yield f"sqlite:///{tmp_path / 'current.db'}"
        else:
            yield stack.enter_context(pg_schema())


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.__name__.rsplit(".", 1)[-1])
def test_an_upgraded_database_reports_what_a_new_one_does(db_url, second_url, version):
    before, after, (stats, visits) = _upgraded(db_url, version)
    # nothing lost: every table of the old schema keeps its rows; tables added later are empty
    assert {table: after[table] for table in before} == before
    assert all(count == 0 for table, count in after.items() if table not in before)
    assert (stats, visits) == _current(second_url, version)


def test_v0006_figures_computed_by_hand(db_url):
    """The day of v0006 (see its docstring), after the upgrade: E001 6 min of service against 5
    (late), E002 4 (on time), A001 8 + 4 = 12 min against 60 (the time away for the missing
    document does not count; on time), C001 8 min without a standard; A002 a no-show, E003
    still waiting. Waits from issue to first call: 2, 13, 1, 1, 1 min."""
    _, _, (stats, visits) = _upgraded(db_url, v0006)
    totals = json.loads(stats)["totals"]
    assert totals["requests"] == 6
    assert totals["served"] == 4 and totals["completed"] == 2
    assert totals["outcomes"] == {"accepted": 2, "completed": 2, "no_show": 1, "open": 1}
    assert totals["no_shows"] == 1 and totals["documents_requested"] == 1
    assert totals["on_time_pct"] == 66.7  # 2 of the 3 rows with a verdict
    assert totals["median_wait_seconds"] == 60.0  # 60, 60, 60, 120, 780
    assert totals["median_service_seconds"] == 420.0  # 240, 360, 480, 720
    assert (totals["cases_opened"], totals["cases_decided"], totals["cases_overdue"]) == (1, 0, 1)
    assert totals["visits"] == 6
    assert totals["survey_offered_pct"] == 75.0  # E001, E002, C001 of the 4 visits served
    assert totals["rating_count"] == 2 and totals["rating_mean"] == 4.5  # 4 and 5
    rows = json.loads(visits)
    assert [(r["ticket"], r["outcome"]) for r in rows] == [
        ("E001", "completed"),
        ("E002", "completed"),
        ("A001", "accepted"),
        ("A002", "no_show"),
        ("C001", "accepted"),
        ("E003", None),
    ]
    e001, e002, a001, _, c001, _ = rows
    assert (e001["service_seconds"], e001["paused_seconds"], e001["on_time"]) == (360, 180, False)
    assert e001["steps"][0] == {"name": "ตรวจแบบ ภ.ป.1", "seconds": 120, "standard_seconds": 120}
    assert (e001["survey_offered"], e001["rating"]) == ("slip", 4)
    assert e002["wait_seconds"] == 780 and [r["kind"] for r in e002["reasons"]] == ["skipped"]
    assert a001["deficiency"] is True and a001["service_seconds"] == 720
    assert c001["case_due"] == "2026-12-08" and c001["on_time"] is None
