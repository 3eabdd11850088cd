"""Nothing is lost: the real app runs in a child process (tests/ui/crash_child.py), serves a
visit by keys and is killed with SIGKILL at several points — after the start, after a step,
while paused, right after the finish — and once at each of three points of one visit, restarting
in between. Then the app starts again in this process with a later clock, the officer signs in
at the same counter, and: the service screen is back by itself at that visit, its timers show the
true elapsed time derived from the stored events, and the event log holds every action the child
confirmed on screen — none lost, none duplicated, each at the time it happened.

The child writes "reached N ACTION" only after its screen showed the action done; the parent
kills it once the last marker is there. SQLite file and PostgreSQL (both via ``db_url``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FIXED_NOW, REPO, settle
from support.actors import add_admin, admin_id
from support.clock import Clock
from support.manuals import TIMED_TOML, import_toml
from textual.widgets import DataTable, Input

from counter_tui.app import make_app
from counter_tui.config import Settings
from counter_tui.core.clock import from_db
from counter_tui.db import models as m
from counter_tui.screens.queue import QueueScreen
from counter_tui.screens.service import ServiceScreen
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import staff as st

pytestmark = pytest.mark.slow

CHILD = Path(__file__).with_name("crash_child.py")
MARKER_TIMEOUT = 90  # seconds for a child to reach its last point
KIND_OF = {
    "call": "called",
    "start": "started",
    "step": "step_completed",
    "pause": "paused",
    "resume": "resumed",
    "finish": "finished",
}


def at(minutes: float):
    return FIXED_NOW + timedelta(minutes=minutes)


def _setup(office_id: int) -> int:
    """The timed manual, an admin, the officer, ช่อง 1 and ticket T001 issued at −5 min."""
    import_toml(office_id, TIMED_TOML, "timed_permit.toml")
    add_admin(office_id)
    st.add_staff(office_id, "สมชาย ใจดี", "officer", "1234", FIXED_NOW, actor_id=admin_id(office_id))
    ct.add_counter(
        office_id, "ช่อง 1", "สำนักปลัด", ["TIMED_PERMIT"], FIXED_NOW, actor_id=admin_id(office_id)
    )
    return q.issue_ticket(office_id, "TIMED_PERMIT", at(-5)).id


def _run_child_until_killed(url: str, tmp_path: Path, plan: str) -> list[tuple[str, float]]:
    """Run the app in a child until it has confirmed every action of ``plan``, SIGKILL it, and
    return the actions it confirmed with their minutes."""
    marker = tmp_path / f"marker-{time.monotonic_ns()}.txt"
    env = {
        **os.environ,
        "CRASH_CLOCK_BASE": FIXED_NOW.isoformat(),
        "CRASH_CHILD_MAX_SECONDS": "150",
    }
    child = subprocess.Popen(
        [sys.executable, str(CHILD), url, str(tmp_path), str(marker), plan],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + MARKER_TIMEOUT
        while True:
            lines = marker.read_text(encoding="utf-8").splitlines() if marker.exists() else []
            if lines and lines[-1] == "blocked":
                break
            if child.poll() is not None:
                _, err = child.communicate(timeout=10)
                pytest.fail(f"the child stopped (status {child.returncode}) after {lines}:\n{err}")
            if time.monotonic() > deadline:
                pytest.fail(f"the child did not reach the end of its plan in time: {lines}")
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
        child.stdout.close()
        child.stderr.close()
    steps = [item.partition("@") for item in plan.split(",")]
    confirmed = []
    for number, line in enumerate(lines[:-1], start=1):
        assert line == f"reached {number} {steps[number - 1][0]}"
        confirmed.append((steps[number - 1][0], float(steps[number - 1][2])))
    assert len(confirmed) == len(steps)
    return confirmed


def _ticket_events(ticket_id: int) -> list[tuple[str, object]]:
    """(kind, naive UTC time to the second) of the ticket's events, in log order."""
    return [
        (e.kind, from_db(e.at).replace(microsecond=0, tzinfo=None))
        for e in m.Event.select().where(m.Event.ticket == ticket_id).order_by(m.Event.id)
    ]


def _expected(confirmed: list[tuple[str, float]]) -> list[tuple[str, object]]:
    out = [("issued", at(-5).replace(tzinfo=None))]
    out += [
        (KIND_OF[action], at(minutes).replace(tzinfo=None))
        for action, minutes in confirmed
        if action in KIND_OF
    ]
    return out


async def _until(pilot, condition, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}; screen: {pilot.app.screen}")
        await settle(pilot)


def _line(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(label))


def _restart(db_url: str, tmp_path: Path, clock: Clock):
    """The app again, in this process, at the same counter (from the config)."""
    settings = Settings(config_path=tmp_path / "config.toml", database_url=db_url, counter="ช่อง 1")
    return make_app(settings, clock=clock)


async def _sign_in(pilot) -> None:
    app = pilot.app
    await _until(pilot, lambda: app.db.office is not None, "the database")
    app.screen.query_one("#name", Input).value = "สมชาย ใจดี"
    await pilot.press("enter", "tab", *"1234", "enter")
    await settle(pilot)


def _service_screen(app) -> ServiceScreen | None:
    screen = app.screen
    if (
        isinstance(screen, ServiceScreen)
        and screen.view is not None
        and screen.view.active is not None
    ):
        return screen
    return None


PLANS = {
    "after-start": "signin@0,call@1,start@2",
    "after-a-step": "signin@0,call@1,start@2,step@4",
    "while-paused": "signin@0,call@1,start@2,step@4,pause@5",
    "after-finish": "signin@0,call@1,start@2,step@4,pause@5,resume@6,finish@8",
}


@pytest.mark.parametrize("point", list(PLANS))
async def test_killed_mid_service_resumes_with_the_true_elapsed_time(db, db_url, tmp_path, point):
    ticket_id = _setup(db.id)
    confirmed = _run_child_until_killed(db_url, tmp_path, PLANS[point])
    assert _ticket_events(ticket_id) == _expected(confirmed)
    clock = Clock(at(9))  # 7 minutes after the start
    app = _restart(db_url, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _sign_in(pilot)
        if point == "after-finish":
            await _until(
                pilot,
                lambda: isinstance(app.screen, QueueScreen) and app.screen.snapshot is not None,
                "the queue",
            )
            await settle(pilot)
            assert isinstance(app.screen, QueueScreen)  # the visit is over: no service screen
            assert app.screen.snapshot.current is None
            ticket = m.Ticket.get_by_id(ticket_id)
            application = m.Application.get(m.Application.ticket == ticket_id)
            assert ticket.status == "done"
            assert (application.status, application.outcome) == ("finished", "completed")
            from counter_tui.services.visit import visit_summary

            summary = await app.db.run(visit_summary, app.db.office.id, ticket_id, clock())
            timing = summary.applications[0].timing
            assert timing.service_seconds == 5 * 60 and timing.paused_seconds == 60
            assert (summary.wait_seconds, summary.walk_seconds) == (6 * 60, 60)
            assert _ticket_events(ticket_id) == _expected(confirmed)
            return
        # Back at the visit by itself: no key pressed after the sign-in.
        await _until(pilot, lambda: _service_screen(app) is not None, "the service screen")
        screen = _service_screen(app)
        assert screen.view.ticket_id == ticket_id and screen.view.ticket_number == "T001"
        timers = str(screen.query_one("#timers").render())
        steps = screen.query_one("#steps", DataTable)
        marks = [str(steps.get_row_at(r)[0]) for r in range(steps.row_count)]
        if point == "after-start":
            assert _line(timers, "รวมทั้งบริการ") == "รวมทั้งบริการ: 7:00 / 10 นาที"
            assert _line(timers, "ขั้นตอนที่ 1") == "ขั้นตอนที่ 1: 7:00 / 5 นาที  เกินมาตรฐาน"
            assert marks == ["▶", "", ""]
        elif point == "after-a-step":
            assert _line(timers, "รวมทั้งบริการ") == "รวมทั้งบริการ: 7:00 / 10 นาที"
            assert _line(timers, "ขั้นตอนที่ 2") == "ขั้นตอนที่ 2: 5:00 / 3 นาที  เกินมาตรฐาน"
            assert marks == ["✔", "▶", ""] and str(steps.get_row_at(0)[4]) == "2:00"
        else:  # paused at 5, four minutes ago
            assert _line(timers, "รวมทั้งบริการ") == "รวมทั้งบริการ: 3:00 / 10 นาที"
            assert _line(timers, "หยุดเวลาแล้ว").startswith("หยุดเวลาแล้ว 4:00")
            assert "หยุดเวลาชั่วคราว: ผู้รับบริการไปถ่ายเอกสาร" in timers
            # The officer resumes where the visit stood: F9 resumes, it does not pause again.
            await pilot.press("f9")
            await settle(pilot)
            assert screen.view.active.timing.status == "serving"
            confirmed.append(("resume", 9))
        # Nothing lost, nothing doubled by the restart.
        assert _ticket_events(ticket_id) == _expected(confirmed)
        # The clock runs on from the stored events: one more minute is one more minute.
        clock.now = at(10)
        screen.load()
        await settle(pilot)
        total = _line(str(screen.query_one("#timers").render()), "รวมทั้งบริการ")
        assert total.startswith(
            {
                "after-start": "รวมทั้งบริการ: 8:00",
                "after-a-step": "รวมทั้งบริการ: 8:00",
                "while-paused": "รวมทั้งบริการ: 4:00",
            }[point]
        )


async def test_killed_right_after_the_outcome_is_chosen_leaves_no_half_finish(db, db_url, tmp_path):
    """Killed as soon as Enter picked the outcome: the finish is all there or not at all."""
    ticket_id = _setup(db.id)
    confirmed = _run_child_until_killed(
        db_url, tmp_path, "signin@0,call@1,start@2,step@4,finish_nowait@8"
    )
    events = _ticket_events(ticket_id)
    finished = [e for e in events if e[0] == "finished"]
    assert events[: len(events) - len(finished)] == _expected(confirmed)
    assert finished in ([], [("finished", at(8).replace(tzinfo=None))])
    ticket = m.Ticket.get_by_id(ticket_id)
    application = m.Application.get(m.Application.ticket == ticket_id)
    if finished:
        assert (ticket.status, application.status, application.outcome) == (
            "done",
            "finished",
            "completed",
        )
    else:
        assert (ticket.status, application.status, application.outcome) == (
            "serving",
            "serving",
            None,
        )
    clock = Clock(at(9))
    app = _restart(db_url, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _sign_in(pilot)
        if finished:
            await _until(
                pilot,
                lambda: isinstance(app.screen, QueueScreen) and app.screen.snapshot is not None,
                "the queue",
            )
            await settle(pilot)
            assert isinstance(app.screen, QueueScreen) and app.screen.snapshot.current is None
        else:
            await _until(pilot, lambda: _service_screen(app) is not None, "the service screen")
            timers = str(_service_screen(app).query_one("#timers").render())
            assert _line(timers, "รวมทั้งบริการ") == "รวมทั้งบริการ: 7:00 / 10 นาที"
        assert _ticket_events(ticket_id) == events


async def test_killed_three_times_in_one_visit(db, db_url, tmp_path):
    """Kill after the start; start again, complete a step, kill; start again, pause, kill."""
    ticket_id = _setup(db.id)
    confirmed = _run_child_until_killed(db_url, tmp_path, "signin@0,call@1,start@2")
    assert _ticket_events(ticket_id) == _expected(confirmed)
    # The next child signs in and is back at the visit by itself before it presses F8.
    confirmed += [
        c for c in _run_child_until_killed(db_url, tmp_path, "signin@3,step@4") if c[0] != "signin"
    ]
    assert _ticket_events(ticket_id) == _expected(confirmed)
    confirmed += [
        c for c in _run_child_until_killed(db_url, tmp_path, "signin@5,pause@6") if c[0] != "signin"
    ]
    assert _ticket_events(ticket_id) == _expected(confirmed)
    clock = Clock(at(9))
    app = _restart(db_url, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _sign_in(pilot)
        await _until(pilot, lambda: _service_screen(app) is not None, "the service screen")
        screen = _service_screen(app)
        timers = str(screen.query_one("#timers").render())
        assert _line(timers, "รวมทั้งบริการ") == "รวมทั้งบริการ: 4:00 / 10 นาที"
        assert _line(timers, "ขั้นตอนที่ 2") == "ขั้นตอนที่ 2: 2:00 / 3 นาที"
        assert _line(timers, "หยุดเวลาแล้ว").startswith("หยุดเวลาแล้ว 3:00")
        assert [e[0] for e in _ticket_events(ticket_id)] == [
            "issued",
            "called",
            "started",
            "step_completed",
            "paused",
        ]
        # Each sign-in opened the same counter again; the counter is held by the officer.
        opened = m.Event.select().where(m.Event.kind == "counter_state").count()
        assert opened == 4
