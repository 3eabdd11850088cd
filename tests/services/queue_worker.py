"""A counter (or a ticket kiosk) in its own process, for the queue race tests.

    python tests/services/queue_worker.py serve URL OFFICE COUNTER STAFF --ready F --go F \
        [--until F] [--serve-ms MS]
    python tests/services/queue_worker.py issue URL OFFICE STAFF --ready F --go F \
        --pattern NPNN... [--codes A,B] [--max-sleep-ms MS] [--seed S]
    python tests/services/queue_worker.py race URL OFFICE --plan FILE --who I --ready F --go F

Each process opens the database itself (``services.office.connect``), writes the ``--ready`` file,
then spins until the ``--go`` file exists so that all processes start calling at the same moment.
Real time is used (``datetime.now(timezone.utc)``), as a counter would.

``serve`` loops call_next -> start_serving -> (a visit of up to ``--serve-ms``) ->
finish_application(completed) until call_next returns None (with ``--until``: None after the
``--until`` file appeared, i.e. after the kiosk finished).
``issue`` issues one ticket per letter of the pattern (N normal, P priority), alternating the
services given with ``--codes``.
``race`` plays this worker's part of a plan of rounds (tests/services/test_write_races.py): in
each round every worker of the plan waits for the others at a file barrier, then calls one
use-case; what each call did (done, a user's error, or any other exception) is returned, so
that a race that went wrong is counted, not only the first one.

On success one JSON object goes to stdout; on any error the traceback goes to stderr and the exit
status is 1.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import traceback
from datetime import UTC, date, datetime
from pathlib import Path


def now() -> datetime:
    return datetime.now(UTC)


def wait_for_go(args) -> None:
    with open(args.ready, "w") as f:
        f.write(str(os.getpid()))
    deadline = time.monotonic() + 120
    while not os.path.exists(args.go):
        if time.monotonic() > deadline:
            raise TimeoutError("the go file never appeared")
        time.sleep(0.001)


def serve(args) -> dict:
    from counter_tui.services import queue as q
    from counter_tui.services import visit as v

    wait_for_go(args)
    rng = random.Random(args.counter)
    start = time.monotonic()
    calls: list[int] = []
    empty_polls = 0
    while True:
        done = args.until is None or os.path.exists(args.until)
        ticket = q.call_next(args.office, args.counter, args.staff, now())
        if ticket is None:
            if done:
                break
            empty_polls += 1
            time.sleep(0.002)
            continue
        calls.append(ticket.id)
        q.start_serving(args.office, args.counter, args.staff, now())
        if args.serve_ms:  # the visit itself, outside any transaction
            time.sleep(rng.uniform(0, args.serve_ms) / 1000)
        v.finish_application(args.office, args.counter, args.staff, "completed", now())
    return {
        "counter": args.counter,
        "calls": calls,
        "empty_polls": empty_polls,
        "seconds": round(time.monotonic() - start, 3),
    }


def issue(args) -> dict:
    from counter_tui.services import queue as q

    wait_for_go(args)
    start = time.monotonic()
    rng = random.Random(args.seed)
    codes = args.codes.split(",")
    issued = []
    for i, kind in enumerate(args.pattern):
        ticket = q.issue_ticket(
            args.office,
            codes[i % len(codes)],
            now(),
            staff_id=args.staff,
            priority="elderly" if kind == "P" else None,
        )
        issued.append(ticket.id)
        if args.max_sleep_ms:
            time.sleep(rng.uniform(0, args.max_sleep_ms) / 1000)
    return {"issued": issued, "seconds": round(time.monotonic() - start, 3)}


def _value(key: str, value):
    if isinstance(value, str) and key in ("now", "deadline", "today"):
        return (datetime if key == "now" else date).fromisoformat(value)
    return value


def race(args) -> dict:
    """Each round: the barrier of the round, then ``module.function(**kwargs)``."""
    import importlib

    from counter_tui.errors import UserError

    with open(args.plan) as f:
        plan = json.load(f)
    barrier, workers = Path(plan["barrier"]), plan["workers"]
    wait_for_go(args)
    outcomes = []
    for number, calls in enumerate(plan["rounds"]):
        call = calls[args.who]
        module_name, name = call["call"].split(".")
        function = getattr(importlib.import_module(f"counter_tui.services.{module_name}"), name)
        kwargs = {k: _value(k, v) for k, v in call["kwargs"].items()}
        (barrier / f"r{number}.w{args.who}").touch()
        deadline = time.monotonic() + 60
        while not all((barrier / f"r{number}.w{w}").exists() for w in range(workers)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"round {number}: the other workers never came")
        try:
            function(**kwargs)
            outcomes.append("done")
        except UserError as exc:
            outcomes.append(f"user: {exc}")
        except Exception as exc:  # noqa: BLE001 - counted by the test, with its type
            outcomes.append(f"crash: {type(exc).__name__}: {exc}")
    return {"who": args.who, "outcomes": outcomes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("serve")
    s.add_argument("url")
    s.add_argument("office", type=int)
    s.add_argument("counter", type=int)
    s.add_argument("staff", type=int)
    s.add_argument("--until")
    s.add_argument("--serve-ms", type=float, default=0)
    i = sub.add_parser("issue")
    i.add_argument("url")
    i.add_argument("office", type=int)
    i.add_argument("staff", type=int)
    i.add_argument("--pattern", required=True)
    i.add_argument("--codes", default="SIGNBOARD_TAX,LAND_BUILDING_TAX")
    i.add_argument("--max-sleep-ms", type=float, default=0)
    i.add_argument("--seed", type=int, default=0)
    r = sub.add_parser("race")
    r.add_argument("url")
    r.add_argument("office", type=int)
    r.add_argument("--plan", required=True)
    r.add_argument("--who", type=int, required=True)
    for p in (s, i, r):
        p.add_argument("--ready", required=True)
        p.add_argument("--go", required=True)
    args = parser.parse_args(argv)
    try:
        from counter_tui.services.office import connect

        database, _office = connect(args.url, now())
        result = {"serve": serve, "issue": issue, "race": race}[args.mode](args)
        database.close()
    except BaseException:  # noqa: BLE001 - every failure must reach the test
        traceback.print_exc()
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
