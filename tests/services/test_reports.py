"""The visits report: every figure derived from the events, no personal data, fixed query count."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date, timedelta

import pytest
from playhouse.test_utils import count_queries
from support.actors import as_admin
from support.office import minutes_after as at
from support.office import serve_two_visits

from counter_tui.db import models as m
from counter_tui.errors import UserError
from counter_tui.services import queue as q
from counter_tui.services import visit as v
from counter_tui.services.reports import VISIT_KEYS, visit_rows, write_visits

TODAY = date(2026, 11, 24)


@pytest.fixture
def served(db):
    """The two visits of ``support.office.serve_two_visits``."""
    return serve_two_visits(db)


def test_rows_hold_every_figure_derived_from_the_events(served):
    rows = visit_rows(served.id, TODAY, TODAY, at(3 * 24 * 60))
    assert [r["ticket"] for r in rows] == ["E001", "E001", "A001"]
    assert all(tuple(r) == VISIT_KEYS for r in rows)
    sign, land, elderly = rows
    assert sign["service"] == "SIGNBOARD_TAX" and sign["priority"] == "elderly"
    assert sign["wait_seconds"] == 120 and sign["walk_seconds"] == 60
    assert sign["service_seconds"] == (12 - 3 - 3) * 60 and sign["paused_seconds"] == 180
    assert sign["standard_seconds"] == 300 and sign["on_time"] is False
    assert sign["steps"][0] == {
        "name": sign["steps"][0]["name"],
        "seconds": 120,
        "standard_seconds": None,
    }
    assert sign["issued_at"] == "2026-11-24T10:00:00+07:00"
    assert sign["outcome"] == "completed" and sign["counter"] == "ช่อง 1"
    assert [r["kind"] for r in sign["reasons"]] == ["paused"]
    assert land["wait_seconds"] is None and land["service_seconds"] == 180
    assert land["on_time"] is True and land["manual_version"] == 1
    assert elderly["deficiency"] is True and elderly["outcome"] == "accepted"
    assert elderly["service_seconds"] == (8 + 4) * 60  # the two days away are not counted
    assert elderly["case_due"] is None  # 60 minutes: not a multi-day service


def test_no_personal_data_in_the_report(served):
    text = json.dumps(visit_rows(served.id, TODAY, TODAY, at(3 * 24 * 60)), ensure_ascii=False)
    assert "สมใจ" not in text and "3012304567082" not in text and "หมู่ 2" not in text


def test_csv_has_a_bom_and_reads_back(served):
    rows = visit_rows(served.id, TODAY, TODAY, at(3 * 24 * 60))
    stream = io.StringIO()
    write_visits(rows, "csv", stream)
    text = stream.getvalue()
    assert text.startswith("\ufeff")
    parsed = list(csv.DictReader(io.StringIO(text[1:])))
    assert [p["ticket"] for p in parsed] == ["E001", "E001", "A001"]
    assert parsed[0]["on_time"] == "false" and json.loads(parsed[0]["steps"])[0]["seconds"] == 120


def test_dates_outside_the_range_and_bad_ranges(served):
    assert visit_rows(served.id, TODAY + timedelta(days=1), TODAY + timedelta(days=2), at(0)) == []
    with pytest.raises(UserError, match="after --to"):
        visit_rows(served.id, TODAY, TODAY - timedelta(days=1), at(0))


def test_query_count_does_not_grow_with_visits(served):
    with count_queries() as few:
        visit_rows(served.id, TODAY, TODAY, at(3 * 24 * 60))
    officer = m.Staff.get(m.Staff.name == "สมศรี")
    counter = m.Counter.get(m.Counter.name == "ช่อง 2")
    for i in range(5):
        q.issue_ticket(served.id, "ELDERLY_ALLOWANCE_REG", at(3 * 24 * 60 + i))
        q.call_next(served.id, counter.id, officer.id, at(3 * 24 * 60 + i))
        q.start_serving(served.id, counter.id, officer.id, at(3 * 24 * 60 + i))
        v.finish_application(
            served.id, counter.id, officer.id, "completed", at(3 * 24 * 60 + i + 0.5)
        )
    with count_queries() as more:
        rows = visit_rows(served.id, TODAY, TODAY + timedelta(days=3), at(4 * 24 * 60))
    assert len(rows) == 8 and more.count == few.count


def test_cli_report_visits(cli, db_url):
    out = as_admin(
        "--database",
        db_url,
        "report",
        "visits",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--format",
        "json",
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []
    bad = as_admin(
        "--database", db_url, "report", "visits", "--from", "2569-11-01", "--to", "2026-11-30"
    )
    assert bad.returncode == 2 and "Buddhist Era" in bad.stderr


def test_cli_report_visits_to_a_file_appears_whole_or_not_at_all(cli, db_url, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "visits.csv"
    ok = as_admin(
        "--database",
        db_url,
        "report",
        "visits",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--format",
        "csv",
        "--out",
        str(target),
    )
    assert ok.returncode == 0, ok.stderr
    assert "0 row(s) written" in ok.stderr
    assert target.read_bytes().startswith("\ufeffticket,".encode())
    assert [p.name for p in out_dir.iterdir()] == ["visits.csv"]  # no .partial left
    missing = as_admin(
        "--database",
        db_url,
        "report",
        "visits",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        str(tmp_path / "no-such-folder" / "v.csv"),
    )
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr
    (tmp_path / "locked").mkdir(mode=0o500)
    denied = as_admin(
        "--database",
        db_url,
        "report",
        "visits",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        str(tmp_path / "locked" / "v.csv"),
    )
    if os.geteuid() != 0:  # root writes anywhere
        assert denied.returncode == 1 and "permissions" in denied.stderr
    assert "Traceback" not in denied.stderr
