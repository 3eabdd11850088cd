"""Issue 11 items 5 and 12: a failing database or an unexpected error reaches the user as a Thai
sentence saying what is wrong and what to do, never as raw text; the traceback of a bug goes to
a 0600 log in the data folder. The command-line cases (read-only, corrupt, not a database) are
in tests/cli/test_cli_bounds.py."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from conftest import FIXED_NOW
from peewee import DatabaseError

from counter_tui.db import models as m
from counter_tui.db.database import explain_database_error
from counter_tui.error_log import log_path, message_for
from counter_tui.services import queue as q


@pytest.fixture
def sqlite_db(tmp_path):
    from counter_tui.services.office import connect

    database, office = connect(f"sqlite:///{tmp_path / 'counter.db'}", FIXED_NOW)
    yield database, office
    database.close()
    m.database_proxy.initialize(None)


def _fill_until_full(database, office) -> tuple[int, BaseException]:
    """A real file whose size is capped (PRAGMA max_page_count): the disk is "full" after a few
    tickets. Returns how many tickets were issued and the error the next one raised."""
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages + 1}")
    issued = 0
    for _ in range(5000):
        try:
            q.issue_ticket(office.id, "ELDERLY_ALLOWANCE_REG", FIXED_NOW)
        except DatabaseError as exc:
            return issued, exc
        issued += 1
    raise AssertionError("the capped database never filled up")


def test_a_full_disk_is_told_as_a_full_disk_not_a_failed_rollback(sqlite_db):
    database, office = sqlite_db
    issued, error = _fill_until_full(database, office)
    # What peewee raises is its failed ROLLBACK (SQLite rolled back already): the cause is
    # only in the chain, and it is what the user must read.
    assert "no transaction is active" in str(error)
    message = explain_database_error(error)
    assert message is not None and "ที่เก็บข้อมูลเต็ม" in message
    assert "database or disk is full" in message and "no transaction" not in message
    assert "ข้อมูลที่บันทึกไว้ก่อนหน้าไม่สูญหาย" in message
    assert message_for(error) == message  # what the app shows
    # Nothing half-written: every ticket before the failure is there, the failed one is not.
    database.execute_sql("PRAGMA max_page_count = 1073741823")
    assert m.Ticket.select().count() == issued


def test_the_app_shows_a_database_failure_in_thai(sqlite_db):
    from textual.worker import WorkerState

    from counter_tui.app import CounterApp

    database, office = sqlite_db
    _, error = _fill_until_full(database, office)
    shown = []
    app = SimpleNamespace(notify=lambda message, **kw: shown.append(message))
    event = SimpleNamespace(
        state=WorkerState.ERROR, worker=SimpleNamespace(error=error, name="call-next")
    )
    CounterApp.report_worker_error(app, event)  # type: ignore[arg-type]
    assert len(shown) == 1 and "ที่เก็บข้อมูลเต็ม" in shown[0]
    assert "OperationalError" not in shown[0] and "cannot rollback" not in shown[0]


def test_an_unexpected_error_is_a_thai_sentence_and_its_traceback_is_logged_0600():
    from textual.worker import WorkerState

    from counter_tui.app import CounterApp

    try:
        datetime(2026, 1, 1, tzinfo=UTC).date().fromordinal(10**9)
    except (OverflowError, ValueError) as exc:
        error = exc
    shown = []
    app = SimpleNamespace(notify=lambda message, **kw: shown.append(message))
    event = SimpleNamespace(
        state=WorkerState.ERROR, worker=SimpleNamespace(error=error, name="finish")
    )
    CounterApp.report_worker_error(app, event)  # type: ignore[arg-type]
    (message,) = shown
    assert str(error) not in message  # no raw text
    assert "เกิดข้อผิดพลาดที่ไม่คาดคิด" in message and "ข้อมูลที่บันทึกไว้ไม่สูญหาย" in message
    assert str(log_path()) in message
    logged = log_path().read_text(encoding="utf-8")
    assert "Traceback" in logged and str(error) in logged and "app worker finish" in logged
    assert stat.S_IMODE(log_path().stat().st_mode) == 0o600


def test_a_user_error_is_shown_as_it_is():
    from counter_tui.errors import UserError

    assert message_for(UserError("ยังไม่มีบัตรคิวที่ช่องบริการนี้")) == "ยังไม่มีบัตรคิวที่ช่องบริการนี้"
    assert not log_path().exists()


def test_the_cli_tells_a_bug_in_thai_exits_70_and_logs_the_traceback(monkeypatch, capsys):
    from counter_tui import cli

    def broken(args):
        raise RuntimeError("an internal detail the user cannot act on")

    monkeypatch.setattr(cli, "_locate", broken)
    assert cli.main(["locate"]) == 70
    err = capsys.readouterr().err
    assert "Traceback" not in err and "an internal detail" not in err
    assert "เกิดข้อผิดพลาดที่ไม่คาดคิด (RuntimeError)" in err and str(log_path()) in err
    assert "an internal detail the user cannot act on" in log_path().read_text(encoding="utf-8")
