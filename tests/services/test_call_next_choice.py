"""call_next's hand-written SQL against the queue order computed from every waiting ticket.

``call_next`` decides from three facts read with ``LIMIT 1`` queries and a count (the oldest
normal and priority tickets in the counter's scope, the overtakes the normal one suffered);
``queue._ordered`` builds the whole queue in Python with ``core.queue.order_queue``. Random
days of issues, calls, skips, no-shows and hand-overs must give the same ticket every time, on
both backends, under both policies.
"""

from __future__ import annotations

import random

import pytest
from support.clock import TODAY
from support.office import build_office, set_policy
from support.office import seconds_after as at

from counter_tui.core.queue import PRIORITY_CATEGORIES
from counter_tui.errors import UserError
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import visit as v

CODES = ("SIGNBOARD_TAX", "LAND_BUILDING_TAX", "ELDERLY_ALLOWANCE_REG")


def _expected(office_id: int, counter_id: int) -> int | None:
    order = q._ordered(office_id, TODAY, ct.counter_codes(counter_id), counter_id)
    return order[0].id if order else None


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("policy", ["priority", "fifo"])
def test_call_next_picks_what_the_whole_queue_order_puts_first(db, seed, policy):
    rng = random.Random(seed)
    office = build_office(db.id)
    set_policy(office.id, policy, rng.randint(0, 3))
    staff = {office.c1: office.alice, office.c2: office.bob, office.c3: office.chai}
    second = 0
    for counter_id, staff_id in staff.items():
        ct.open_counter(office.id, counter_id, staff_id, at(second))
    calls = 0
    for _ in range(70):
        second += rng.choice((0, 1, 1, 5))  # same-instant issues too
        roll = rng.random()
        if roll < 0.45:
            q.issue_ticket(
                office.id,
                rng.choice(CODES),
                at(second),
                priority=rng.choice(sorted(PRIORITY_CATEGORIES)) if rng.random() < 0.35 else None,
            )
            continue
        counter_id = rng.choice(list(staff))
        if roll < 0.5:  # close with a hand-over, then open again: assigned tickets
            others = [c for c in staff if c != counter_id]
            try:
                ct.close_counter(
                    office.id,
                    counter_id,
                    staff[counter_id],
                    at(second),
                    handover_to=rng.choice(others),
                )
            except UserError:  # a ticket is still at the counter, or the target is closed
                pass
            ct.open_counter(office.id, counter_id, staff[counter_id], at(second))
            continue
        expected = _expected(office.id, counter_id)
        info = q.call_next(office.id, counter_id, staff[counter_id], at(second))
        assert (info.id if info else None) == expected
        if info is None:
            continue
        calls += 1
        assert info.status == "called" and info.called_at >= info.issued_at
        after = rng.random()
        if after < 0.2:
            q.skip(office.id, counter_id, staff[counter_id], "ไม่อยู่", at(second))
        elif after < 0.4:
            q.skip(office.id, counter_id, staff[counter_id], "ไม่มา", at(second), no_show=True)
        else:
            q.start_serving(office.id, counter_id, staff[counter_id], at(second))
            v.finish_application(office.id, counter_id, staff[counter_id], "completed", at(second))
    assert calls >= 10  # the scenario really called tickets


def test_call_next_refuses_a_busy_or_closed_counter_and_unknown_counter(db):
    office = build_office(db.id)
    with pytest.raises(UserError, match="ไม่ได้เปิดให้บริการ"):
        q.call_next(office.id, office.c1, office.alice, at(0))
    ct.open_counter(office.id, office.c1, office.alice, at(0))
    q.issue_ticket(office.id, "SIGNBOARD_TAX", at(1))
    q.issue_ticket(office.id, "SIGNBOARD_TAX", at(2))
    first = q.call_next(office.id, office.c1, office.alice, at(3))
    with pytest.raises(UserError, match=first.number):
        q.call_next(office.id, office.c1, office.alice, at(4))
    with pytest.raises(UserError, match="does not exist"):
        q.call_next(office.id, 999_999, office.alice, at(5))
