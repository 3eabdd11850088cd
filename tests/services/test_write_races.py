"""Read-then-write use-cases raced by two real processes, round after round, on both backends.

Each use-case reads a row and writes by what it read. On PostgreSQL (READ COMMITTED) two
terminals doing that at the same instant both read the row before either writes, unless the
use-case locks it (``SELECT ... FOR UPDATE``) or a unique index holds an "at most one" rule.
Every round, the two workers (tests/services/queue_worker.py ``race``) meet at a file barrier
and call at once; a round is bad when both did what only one may do, or a call failed with an
exception that is not a user's error. The tests count the bad rounds and want none.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from conftest import FIXED_NOW, REPO
from support.actors import admin_id
from support.office import make_counter, make_staff
from support.workers import run_workers

from counter_tui.core.clock import to_db
from counter_tui.db import models as m
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import visit as v

pytestmark = pytest.mark.slow

ROUNDS = 10
NOW = FIXED_NOW  # every call gets its time from the plan: no real clock
TODAY = date(2026, 11, 24)
TAX = ["SIGNBOARD_TAX", "LAND_BUILDING_TAX"]


def race(
    request, tmp_path, db_url: str, office_id: int, rounds: list[list[tuple[str, dict]]]
) -> list[list[str]]:
    """Play ``rounds`` (per round, one ``(module.function, kwargs)`` per worker) with one
    process per worker; returns each round's outcomes: "done", "user: …" or "crash: …"."""
    workers = len(rounds[0])
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            {
                "barrier": str(barrier),
                "workers": workers,
                "rounds": [
                    [{"call": call, "kwargs": kwargs} for call, kwargs in r] for r in rounds
                ],
            },
            default=str,
        ),
        encoding="utf-8",
    )
    results, _elapsed = run_workers(
        request,
        tmp_path,
        [
            ["race", db_url, str(office_id), "--plan", str(plan), "--who", str(w)]
            for w in range(workers)
        ],
    )
    return [[results[w]["outcomes"][r] for w in range(workers)] for r in range(len(rounds))]


def tally(request, name: str, outcomes: list[list[str]], bad: list[int]) -> None:
    crashes = [o for r in outcomes for o in r if o.startswith("crash")]
    line = (
        f"{name}: {len(bad)} bad rounds of {len(outcomes)}, "
        f"{len(crashes)} crashes{': ' + crashes[0] if crashes else ''}"
    )
    request.node.user_properties.append((name, line))
    print(line)


def one_done(outcomes: list[str]) -> bool:
    """Exactly one call did it, the other was told why not (in Thai), nothing crashed."""
    return sorted(o.split(":")[0] for o in outcomes) == ["done", "user"]


def events_of(kind: str, **where) -> list[m.Event]:
    query = m.Event.select().where(m.Event.kind == kind)
    for column, value in where.items():
        query = query.where(getattr(m.Event, column) == value)
    return list(query.order_by(m.Event.id))


def serving(office_id: int, counter: int, staff: int, code: str, minute: int) -> q.TicketInfo:
    """Open ``counter`` (if closed), issue a ticket of ``code`` and start serving it there."""
    when = NOW + timedelta(minutes=minute)
    if m.Counter.get_by_id(counter).state == "closed":
        ct.open_counter(office_id, counter, staff, when)
    ticket = q.issue_ticket(office_id, code, when)
    called = q.call_next(office_id, counter, staff, when)
    assert called is not None and called.id == ticket.id
    return q.start_serving(office_id, counter, staff, when)


# --- counters --------------------------------------------------------------------------------


def test_two_officers_open_one_counter_at_once(db, db_url, tmp_path, request):
    """Sign-in at the same counter from two PCs: one holds it, the other is told who does."""
    counters = [make_counter(db.id, f"ช่อง {r + 1}", "กองคลัง", TAX) for r in range(ROUNDS)]
    officers = [(make_staff(db.id, f"ก {r}"), make_staff(db.id, f"ข {r}")) for r in range(ROUNDS)]
    outcomes = race(
        request,
        tmp_path,
        db_url,
        db.id,
        [
            [
                (
                    "counters.open_counter",
                    {"office_id": db.id, "counter_id": c, "staff_id": s, "now": NOW},
                )
                for s in pair
            ]
            for c, pair in zip(counters, officers)
        ],
    )
    bad = []
    for r, (c, pair) in enumerate(zip(counters, officers)):
        done = [s for s, o in zip(pair, outcomes[r]) if o == "done"]
        counter = m.Counter.get_by_id(c)
        if (
            not one_done(outcomes[r])
            or counter.officer_id != done[0]
            or len(events_of("counter_state", counter=c)) != 1
        ):
            bad.append(r)
    tally(request, "open_one_counter_twice", outcomes, bad)
    assert bad == []
    refusals = [o for r in outcomes for o in r if o != "done"]
    assert all("เปิดอยู่โดย" in o for o in refusals), refusals


def test_one_officer_opens_two_counters_at_once(db, db_url, tmp_path, request):
    """An officer holds one counter at a time (a partial unique index holds it on both backends):
    signing in at two counters at once leaves one held and says so at the other."""
    pairs = [
        (
            make_counter(db.id, f"ช่อง {r + 1}ก", "กองคลัง", TAX),
            make_counter(db.id, f"ช่อง {r + 1}ข", "กองคลัง", TAX),
        )
        for r in range(ROUNDS)
    ]
    officers = [make_staff(db.id, f"ค {r}") for r in range(ROUNDS)]
    outcomes = race(
        request,
        tmp_path,
        db_url,
        db.id,
        [
            [
                (
                    "counters.open_counter",
                    {"office_id": db.id, "counter_id": c, "staff_id": s, "now": NOW},
                )
                for c in pair
            ]
            for pair, s in zip(pairs, officers)
        ],
    )
    bad = [
        r
        for r, s in enumerate(officers)
        if not one_done(outcomes[r])
        or m.Counter.select().where(m.Counter.officer == s).count() != 1
    ]
    tally(request, "one_officer_two_counters", outcomes, bad)
    assert bad == []
    refusals = [o for r in outcomes for o in r if o != "done"]
    assert all("เปิดช่องบริการ" in o and "อยู่แล้ว" in o for o in refusals), refusals


def test_close_with_hand_over_while_the_target_goes_away(db, db_url, tmp_path, request):
    """Closing hands the tickets only it serves to an open counter; that counter's officer goes
    away at the same instant. Either the hand-over saw it open (and the away came after), or the
    closing is refused: never tickets handed to a counter already away. Twice the rounds of
    the others: the window (between reading the target's state and handing over) is narrow."""
    rounds, plan = [], []
    for r in range(2 * ROUNDS):
        # one office per round: a closing looks at every open counter of its office
        from counter_tui.services.office import add_office

        office = add_office(f"R{r}", f"สำนักงาน {r}", NOW, actor_id=admin_id(db.id)).id
        closing = make_counter(office, "ช่อง 1", "สำนักปลัด", ["ELDERLY_ALLOWANCE_REG"])
        target = make_counter(office, "ช่อง 2", "กองคลัง", TAX)
        ct.open_counter(office, closing, make_staff(office, "ก"), NOW)
        ct.open_counter(office, target, make_staff(office, "ข"), NOW)
        q.issue_ticket(office, "ELDERLY_ALLOWANCE_REG", NOW)
        rounds.append((office, closing, target))
        later = NOW + timedelta(minutes=5)
        plan.append(
            [
                (
                    "counters.close_counter",
                    {
                        "office_id": office,
                        "counter_id": closing,
                        "staff_id": m.Counter.get_by_id(closing).officer_id,
                        "now": later,
                        "handover_to": target,
                    },
                ),
                (
                    "counters.set_counter_state",
                    {
                        "office_id": office,
                        "counter_id": target,
                        "staff_id": m.Counter.get_by_id(target).officer_id,
                        "state": "away",
                        "now": later,
                        "reason": "ลงพื้นที่",
                    },
                ),
            ]
        )
    outcomes = race(request, tmp_path, db_url, db.id, plan)
    bad = []
    for r, (office, _closing, target) in enumerate(rounds):
        if any(o.startswith("crash") for o in outcomes[r]) or outcomes[r][1] != "done":
            bad.append(r)
            continue
        handed = events_of("transferred", office=office)
        away = events_of("counter_state", counter=target)[-1]
        if outcomes[r][0] == "done":
            # handed over while the target was open: its away event comes after
            if not handed or away.id < handed[0].id:
                bad.append(r)
        elif handed or "ไม่ได้เปิดอยู่" not in outcomes[r][0]:
            bad.append(r)
    tally(request, "close_hand_over_vs_away", outcomes, bad)
    assert bad == []


def test_call_next_while_the_counter_goes_on_break(db, db_url, tmp_path, request):
    """One terminal of a counter calls the next ticket while another puts the counter on break:
    either the ticket is called (and the break refused: a ticket is at the counter) or the
    counter is on break (and the call refused): never a called ticket at a counter on break."""
    counters = [make_counter(db.id, f"ช่อง {r + 1}", "กองคลัง", TAX) for r in range(ROUNDS)]
    staff = [make_staff(db.id, f"เจ้าหน้าที่ {r}") for r in range(ROUNDS)]
    for c, s in zip(counters, staff):
        ct.open_counter(db.id, c, s, NOW)
    later = NOW + timedelta(minutes=5)
    for r in range(ROUNDS):
        q.issue_ticket(db.id, "SIGNBOARD_TAX", NOW + timedelta(seconds=r))
    outcomes = race(
        request,
        tmp_path,
        db_url,
        db.id,
        [
            [
                (
                    "queue.call_next",
                    {"office_id": db.id, "counter_id": c, "staff_id": s, "now": later},
                ),
                (
                    "counters.set_counter_state",
                    {
                        "office_id": db.id,
                        "counter_id": c,
                        "staff_id": s,
                        "state": "break",
                        "now": later,
                        "reason": "พักกลางวัน",
                    },
                ),
            ]
            for c, s in zip(counters, staff)
        ],
    )
    bad = []
    for r, c in enumerate(counters):
        called = m.Ticket.select().where(m.Ticket.counter == c).count()
        state = m.Counter.get_by_id(c).state
        if not one_done(outcomes[r]) or (called, state) not in ((1, "open"), (0, "break")):
            bad.append(r)
    tally(request, "call_next_vs_break", outcomes, bad)
    assert bad == []


# --- guided service --------------------------------------------------------------------------


def _counters_serving(office_id: int, code: str, unit: str, codes: list[str]):
    out = []
    for r in range(ROUNDS):
        counter = make_counter(office_id, f"ช่อง {r + 1}", unit, codes)
        staff = make_staff(office_id, f"เจ้าหน้าที่ {r}")
        out.append((counter, staff, serving(office_id, counter, staff, code, r)))
    return out


def test_deficiency_record_twice_at_once(db, db_url, tmp_path, request):
    """Two terminals of one counter file the deficiency record of the application at once:
    one record (Act s.8: once per application), the other is refused in Thai."""
    served = _counters_serving(db.id, "ELDERLY_ALLOWANCE_REG", "สำนักปลัด", ["ELDERLY_ALLOWANCE_REG"])
    later = NOW + timedelta(minutes=30)
    outcomes = race(
        request,
        tmp_path,
        db_url,
        db.id,
        [
            [
                (
                    "visit.record_deficiency",
                    {
                        "office_id": db.id,
                        "counter_id": c,
                        "staff_id": s,
                        "missing": [f"สำเนาทะเบียนบ้าน {w}"],
                        "deadline": TODAY + timedelta(days=7),
                        "now": later,
                    },
                )
                for w in range(2)
            ]
            for c, s, _t in served
        ],
    )
    bad = []
    for r, (_c, _s, ticket) in enumerate(served):
        application = m.Application.get(m.Application.ticket == ticket.id)
        records = (
            m.DeficiencyRecord.select()
            .where(m.DeficiencyRecord.application == application.id)
            .count()
        )
        if (
            not one_done(outcomes[r])
            or records != 1
            or len(events_of("documents_missing", application=application.id)) != 1
        ):
            bad.append(r)
    tally(request, "deficiency_twice", outcomes, bad)
    assert bad == []


def _deficient(office_id: int) -> list[tuple[int, int, str]]:
    """Per round: a free open counter, its officer, and an application waiting for documents
    (deadline tomorrow), filed at another counter."""
    served = _counters_serving(
        office_id, "ELDERLY_ALLOWANCE_REG", "สำนักปลัด", ["ELDERLY_ALLOWANCE_REG"]
    )
    out = []
    for counter, staff, _ticket in served:
        info = v.record_deficiency(
            office_id,
            counter,
            staff,
            ["สำเนาทะเบียนบ้าน"],
            TODAY + timedelta(days=1),
            NOW + timedelta(minutes=20),
        )
        out.append((counter, staff, info.application_number))
    return out


def test_return_twice_at_once(db, db_url, tmp_path, request):
    """Past the deadline, two officers return the same application at once: returned once."""
    deficient = _deficient(db.id)
    later = NOW + timedelta(days=2)
    outcomes = race(
        request,
        tmp_path,
        db_url,
        db.id,
        [
            [
                (
                    "visit.return_application",
                    {
                        "office_id": db.id,
                        "staff_id": s,
                        "number": number,
                        "reason": "ไม่ส่งเอกสารภายในกำหนด",
                        "now": later,
                    },
                )
                for _ in range(2)
            ]
            for _c, s, number in deficient
        ],
    )
    bad = []
    for r, (_c, _s, number) in enumerate(deficient):
        application = m.Application.get(m.Application.number == number)
        if (
            not one_done(outcomes[r])
            or application.outcome != "returned"
            or len(events_of("finished", application=application.id)) != 1
        ):
            bad.append(r)
    tally(request, "return_twice", outcomes, bad)
    assert bad == []


def test_reopen_and_return_at_once(db, db_url, tmp_path, request):
    """The visitor is back at a counter whose clock says the deadline is today, while a PC whose
    clock is two days on returns the application: it is either served again or returned."""
    deficient = _deficient(db.id)
    outcomes = race(
        request,
        tmp_path,
        db_url,
        db.id,
        [
            [
                (
                    "visit.reopen_application",
                    {
                        "office_id": db.id,
                        "counter_id": c,
                        "staff_id": s,
                        "number": number,
                        "now": NOW + timedelta(hours=1),
                    },
                ),
                (
                    "visit.return_application",
                    {
                        "office_id": db.id,
                        "staff_id": s,
                        "number": number,
                        "reason": "ไม่ส่งเอกสารภายในกำหนด",
                        "now": NOW + timedelta(days=2),
                    },
                ),
            ]
            for c, s, number in deficient
        ],
    )
    bad = []
    for r, (c, _s, number) in enumerate(deficient):
        application = m.Application.get(m.Application.number == number)
        reopened = len(events_of("reopened", application=application.id))
        returned = len(events_of("finished", application=application.id))
        ticket = m.Ticket.get_by_id(application.ticket_id)
        if (
            not one_done(outcomes[r])
            or reopened + returned != 1
            or (reopened and (application.status, ticket.counter_id) != ("serving", c))
            or (returned and application.outcome != "returned")
        ):
            bad.append(r)
    tally(request, "reopen_vs_return", outcomes, bad)
    assert bad == []


def test_transfer_and_finish_at_once(db, db_url, tmp_path, request):
    """One terminal of a counter transfers the application being served while another finishes
    it: it is either transferred or finished, never both."""
    served = _counters_serving(db.id, "SIGNBOARD_TAX", "กองคลัง", TAX)
    target = make_counter(db.id, "ช่อง ส่งต่อ", "สำนักปลัด", ["ELDERLY_ALLOWANCE_REG"])
    later = NOW + timedelta(minutes=30)
    outcomes = race(
        request,
        tmp_path,
        db_url,
        db.id,
        [
            [
                (
                    "visit.transfer",
                    {
                        "office_id": db.id,
                        "counter_id": c,
                        "staff_id": s,
                        "to_counter_id": target,
                        "reason": "ผิดหน่วยงาน",
                        "now": later,
                    },
                ),
                (
                    "visit.finish_application",
                    {
                        "office_id": db.id,
                        "counter_id": c,
                        "staff_id": s,
                        "outcome": "completed",
                        "now": later,
                    },
                ),
            ]
            for c, s, _t in served
        ],
    )
    bad = []
    for r, (_c, _s, ticket) in enumerate(served):
        application = m.Application.get(m.Application.ticket == ticket.id)
        transferred = len(events_of("transferred", application=application.id))
        finished = len(events_of("finished", application=application.id))
        row = m.Ticket.get_by_id(ticket.id)
        if (
            not one_done(outcomes[r])
            or transferred + finished != 1
            or (transferred and (application.status, row.status) != ("waiting", "waiting"))
            or (finished and (application.status, row.status) != ("finished", "done"))
        ):
            bad.append(r)
    tally(request, "transfer_vs_finish", outcomes, bad)
    assert bad == []


# --- after the counter -----------------------------------------------------------------------


def _overdue_cases(office_id: int) -> list[int]:
    cases = []
    for r in range(ROUNDS):
        ticket = q.issue_ticket(
            office_id,
            "ELDERLY_ALLOWANCE_REG",  # under the Act (s.10)
            NOW - timedelta(days=30, minutes=r),
        )
        application = m.Application.get(m.Application.ticket == ticket.id)
        cases.append(
            m.Case.create(
                application=application.id,
                office=office_id,
                opened_at=to_db(NOW - timedelta(days=30)),
                complete_date=TODAY - timedelta(days=30),
                due_date=TODAY - timedelta(days=5),
                day_kind="working",
            ).id
        )
    return cases


def test_case_decided_twice_at_once(db, db_url, tmp_path, request):
    """Two supervisors record the decision of one case at once: one decision."""
    cases = _overdue_cases(db.id)
    staff = admin_id(db.id)  # case writes are a supervisor's or an admin's
    outcomes = race(
        request,
        tmp_path,
        db_url,
        db.id,
        [
            [
                (
                    "cases.decide",
                    {
                        "office_id": db.id,
                        "case_id": c,
                        "staff_id": staff,
                        "decision": f"อนุญาต {w}",
                        "now": NOW,
                    },
                )
                for w in range(2)
            ]
            for c in cases
        ],
    )
    bad = [
        r
        for r, c in enumerate(cases)
        if not one_done(outcomes[r])
        or len(events_of("case_decided", application=m.Case.get_by_id(c).application_id)) != 1
    ]
    tally(request, "decide_twice", outcomes, bad)
    assert bad == []


def test_delay_notices_at_once(db, db_url, tmp_path, request):
    """Two delay notices of one overdue case at once get numbers 1 and 2, not a crash."""
    cases = _overdue_cases(db.id)
    staff = admin_id(db.id)  # case writes are a supervisor's or an admin's
    outcomes = race(
        request,
        tmp_path,
        db_url,
        db.id,
        [
            [
                (
                    "cases.send_delay_notice",
                    {
                        "office_id": db.id,
                        "case_id": c,
                        "staff_id": staff,
                        "reason": "รอความเห็นหน่วยงานอื่น",
                        "now": NOW,
                    },
                )
                for _ in range(2)
            ]
            for c in cases
        ],
    )
    bad = [
        r
        for r, c in enumerate(cases)
        if outcomes[r] != ["done", "done"]
        or sorted(n.number for n in m.DelayNotice.select().where(m.DelayNotice.case == c)) != [1, 2]
    ]
    tally(request, "delay_notices", outcomes, bad)
    assert bad == []


def test_survey_rated_twice_at_once(db, db_url, tmp_path, request):
    """A visit is rated once, even from two terminals at the same instant."""
    served = _counters_serving(db.id, "SIGNBOARD_TAX", "กองคลัง", TAX)
    outcomes = race(
        request,
        tmp_path,
        db_url,
        db.id,
        [
            [
                (
                    "survey.rate",
                    {
                        "office_id": db.id,
                        "ticket_id": t.id,
                        "staff_id": s,
                        "rating": 4 + w,
                        "now": NOW,
                    },
                )
                for w in range(2)
            ]
            for _c, s, t in served
        ],
    )
    bad = [
        r
        for r, (_c, _s, t) in enumerate(served)
        if not one_done(outcomes[r]) or len(events_of("rating_given", ticket=t.id)) != 1
    ]
    tally(request, "rate_twice", outcomes, bad)
    assert bad == []


# --- administration --------------------------------------------------------------------------


def test_a_new_setting_saved_twice_at_once(db, db_url, tmp_path, request):
    """Two admins save a setting their office has not stored yet, at once: one row, no crash."""
    from counter_tui.services.office import add_office

    offices = [
        add_office(f"S{r}", f"สำนักงาน {r}", NOW, load_sample=False, actor_id=admin_id(db.id)).id
        for r in range(ROUNDS)
    ]
    outcomes = race(
        request,
        tmp_path,
        db_url,
        db.id,
        [
            [
                (
                    "settings.set_setting",
                    {
                        "office_id": o,
                        "key": "office.address",
                        "value": address,
                        "now": NOW,
                        "today": TODAY.isoformat(),
                        "actor_id": admin_id(o),
                    },
                )
                for address in ("1 หมู่ 1", "2 หมู่ 2")
            ]
            for o in offices
        ],
    )
    bad = [
        r
        for r, o in enumerate(offices)
        if outcomes[r] != ["done", "done"]
        or m.Setting.select()
        .where((m.Setting.office == o) & (m.Setting.key == "office.address"))
        .count()
        != 1
    ]
    tally(request, "new_setting_twice", outcomes, bad)
    assert bad == []


def test_counter_services_set_twice_at_once(db, db_url, tmp_path, request):
    """Two admins set a counter's services at once: the counter serves one of the two lists.
    Every service, in two orders, so that the window between delete and insert is wide enough
    to be hit; more rounds than the others, as it is still narrow."""
    counters = [make_counter(db.id, f"ช่อง {r + 1}", "กองคลัง", TAX) for r in range(3 * ROUNDS)]
    codes = sorted({s.code for s in m.Service.select().where(m.Service.office == db.id)})
    lists = [codes, codes[::-1]]
    outcomes = race(
        request,
        tmp_path,
        db_url,
        db.id,
        [
            [
                (
                    "counters.set_counter_services",
                    {
                        "counter_id": c,
                        "service_codes": given,
                        "now": NOW,
                        "actor_id": admin_id(db.id),
                    },
                )
                for given in lists
            ]
            for c in counters
        ],
    )
    bad = [
        r
        for r, c in enumerate(counters)
        if outcomes[r] != ["done", "done"]
        or [
            code
            for (code,) in m.CounterService.select(m.CounterService.service_code)
            .where(m.CounterService.counter == c)
            .order_by(m.CounterService.id)
            .tuples()
        ]
        not in lists
    ]
    tally(request, "counter_services_twice", outcomes, bad)
    assert bad == []


def test_a_new_manual_version_imported_twice_at_once(db, db_url, tmp_path, request):
    """Two admins import the same changed manual at once: one new version, the other import
    finds it unchanged (no second version 2, no crash). One office per round."""
    from counter_tui.services.office import add_office

    bundled = REPO / "counter_tui" / "catalog" / "manuals" / "signboard_tax.toml"
    offices, plan = [], []
    for r in range(ROUNDS):
        office = add_office(f"C{r}", f"สำนักงาน {r}", NOW, actor_id=admin_id(db.id)).id
        changed = tmp_path / f"signboard_{r}.toml"
        changed.write_text(
            bundled.read_text(encoding="utf-8").replace(
                'name_th = "การชำระภาษีป้าย"', f'name_th = "การชำระภาษีป้าย (ฉบับ {r})"', 1
            ),
            encoding="utf-8",
        )
        offices.append(office)
        plan.append(
            [
                (
                    "catalog.import_paths",
                    {
                        "office_id": office,
                        "paths": [str(changed)],
                        "now": NOW,
                        "actor_id": admin_id(office),
                    },
                )
            ]
            * 2
        )
    outcomes = race(request, tmp_path, db_url, db.id, plan)
    bad = [
        r
        for r, office in enumerate(offices)
        if outcomes[r] != ["done", "done"]
        or sorted(
            v
            for (v,) in m.Service.select(m.Service.version)
            .where((m.Service.office == office) & (m.Service.code == "SIGNBOARD_TAX"))
            .tuples()
        )
        != [1, 2]
    ]
    tally(request, "manual_imported_twice", outcomes, bad)
    assert bad == []


def test_one_office_added_twice_at_once(db, db_url, tmp_path, request):
    """Two admins add the same office code at once: one office, the other is told it exists."""
    codes = [f"D{r}" for r in range(ROUNDS)]
    outcomes = race(
        request,
        tmp_path,
        db_url,
        db.id,
        [
            [
                (
                    "office.add_office",
                    {
                        "code": code,
                        "name": f"สำนักงาน {w}",
                        "now": NOW,
                        "load_sample": False,
                        "actor_id": admin_id(db.id),
                    },
                )
                for w in range(2)
            ]
            for code in codes
        ],
    )
    bad = [
        r
        for r, code in enumerate(codes)
        if not one_done(outcomes[r]) or m.Office.select().where(m.Office.code == code).count() != 1
    ]
    tally(request, "office_added_twice", outcomes, bad)
    assert bad == []
    refusals = [o for r in outcomes for o in r if o != "done"]
    assert all("มีสำนักงานรหัส" in o for o in refusals), refusals
