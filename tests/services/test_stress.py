"""Stress: 8 processes (4 ticket kiosks, 4 counters) issue and serve 2,000 tickets on one
database, on each backend. Bounded in count and time, loopback only. Every ticket is called
exactly once, no event is lost, and no process meets an error ("database is locked" or any
other) — an error in a worker is what a user would have seen."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC

import pytest
from conftest import FIXED_NOW, REPO
from support.actors import admin_id

from counter_tui.db import models as m
from counter_tui.services import counters as ct
from counter_tui.services import staff as st

WORKER = REPO / "tests" / "services" / "queue_worker.py"
TICKETS = 2000
KIOSKS = 4
COUNTERS = 4
TIMEOUT = 600


@pytest.mark.slow
def test_eight_processes_issue_and_serve_two_thousand_tickets(db, db_url, tmp_path):
    staff = [
        st.add_staff(db.id, f"เจ้าหน้าที่ {i}", "officer", "1234", FIXED_NOW, actor_id=admin_id(db.id))
        for i in range(COUNTERS + 1)
    ]
    counters = [
        ct.add_counter(
            db.id,
            f"ช่อง {i + 1}",
            "กองคลัง",
            ["SIGNBOARD_TAX", "LAND_BUILDING_TAX"],
            FIXED_NOW,
            actor_id=admin_id(db.id),
        )
        for i in range(COUNTERS)
    ]
    from datetime import datetime

    for counter, officer in zip(counters, staff):
        ct.open_counter(db.id, counter.id, officer.id, datetime.now(UTC))
    go, until = tmp_path / "go", tmp_path / "kiosks-done"
    per_kiosk = TICKETS // KIOSKS
    procs = []
    for k in range(KIOSKS):
        pattern = "".join("P" if (i + k) % 7 == 0 else "N" for i in range(per_kiosk))
        procs.append(
            (
                "kiosk",
                subprocess.Popen(
                    [
                        sys.executable,
                        str(WORKER),
                        "issue",
                        db_url,
                        str(db.id),
                        str(staff[-1].id),
                        "--pattern",
                        pattern,
                        "--seed",
                        str(k),
                        "--ready",
                        str(tmp_path / f"k{k}"),
                        "--go",
                        str(go),
                    ],
                    cwd=REPO,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )
    for counter, officer in zip(counters, staff):
        procs.append(
            (
                "counter",
                subprocess.Popen(
                    [
                        sys.executable,
                        str(WORKER),
                        "serve",
                        db_url,
                        str(db.id),
                        str(counter.id),
                        str(officer.id),
                        "--until",
                        str(until),
                        "--ready",
                        str(tmp_path / f"c{counter.id}"),
                        "--go",
                        str(go),
                    ],
                    cwd=REPO,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )
    deadline = time.monotonic() + 120
    while not all(
        (tmp_path / name).exists()
        for name in [f"k{k}" for k in range(KIOSKS)] + [f"c{c.id}" for c in counters]
    ):
        assert time.monotonic() < deadline, "workers did not start"
        time.sleep(0.01)
    started = time.monotonic()
    go.write_text("go")
    outputs = {}
    try:
        for i, (_kind, proc) in enumerate(procs[:KIOSKS]):
            outputs[i] = proc.communicate(timeout=TIMEOUT)
        until.write_text("done")
        for i, (_kind, proc) in enumerate(procs[KIOSKS:], start=KIOSKS):
            outputs[i] = proc.communicate(timeout=TIMEOUT)
    finally:
        for _, proc in procs:
            if proc.poll() is None:
                proc.kill()
    elapsed = time.monotonic() - started
    errors = [
        (i, procs[i][1].returncode, err)
        for i, (out, err) in outputs.items()
        if procs[i][1].returncode != 0 or err.strip()
    ]
    assert not errors, errors
    served = [json.loads(outputs[i][0]) for i in range(KIOSKS, KIOSKS + COUNTERS)]
    tickets = list(m.Ticket.select())
    assert len(tickets) == TICKETS
    called = Counter(e.ticket_id for e in m.Event.select().where(m.Event.kind == "called"))
    assert set(called) == {t.id for t in tickets} and set(called.values()) == {1}
    assert {t.status for t in tickets} == {"done"}
    kinds = Counter(e.kind for e in m.Event.select().where(m.Event.ticket.is_null(False)))
    assert kinds["issued"] == kinds["called"] == kinds["started"] == kinds["finished"] == TICKETS
    assert len({t.number for t in tickets}) == TICKETS
    per_counter = [len(s["calls"]) for s in served]
    assert sum(per_counter) == TICKETS
    print(
        f"\n{db_url.split(':')[0]}: {TICKETS} tickets by {KIOSKS} kiosks and {COUNTERS} "
        f"counters in {elapsed:.1f} s; calls per counter {per_counter}"
    )
