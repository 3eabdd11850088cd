"""The queue policy, pure: FIFO, priority first with the overtaking bound, ticket numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_tui.core.queue import (
    CHANNELS,
    PRIORITY_CATEGORIES,
    QueueEntry,
    choose_next,
    count_overtaken,
    format_ticket_number,
    order_queue,
    validate_channel,
    validate_priority,
)

T0 = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)  # 08:30 in Bangkok


def make(pattern: str, start: int = 1) -> list[QueueEntry]:
    """``"NNPPN"``: one ticket per letter, a minute apart, N normal, P priority (elderly)."""
    return [
        QueueEntry(i, f"A{i:03d}", T0 + timedelta(minutes=i), "elderly" if kind == "P" else None)
        for i, kind in enumerate(pattern, start=start)
    ]


def ids(entries) -> list[int]:
    return [e.ticket_id for e in entries]


def overtakes(order: list[QueueEntry]) -> dict[int, int]:
    """For each normal ticket: the priority tickets issued after it and called before it."""
    result = {}
    for pos, entry in enumerate(order):
        if entry.priority:
            continue
        result[entry.ticket_id] = sum(
            1 for before in order[:pos] if before.priority and before.key > entry.key
        )
    return result


def call_one_by_one(entries: list[QueueEntry], policy: str, n: int) -> list[QueueEntry]:
    """What the services layer does: choose_next, with the overtaking counts rebuilt from the
    issue times of the priority tickets already called (count_overtaken)."""
    remaining = list(entries)
    called_priority: list[tuple[datetime, int]] = []
    order = []
    while remaining:
        counts = count_overtaken(remaining, called_priority)
        chosen = choose_next(remaining, policy, n, counts)
        assert chosen is not None
        remaining.remove(chosen)
        order.append(chosen)
        if chosen.priority:
            called_priority.append(chosen.key)
    return order


# --- FIFO -----------------------------------------------------------------------------------


def test_fifo_calls_in_issue_order_whatever_the_priority():
    entries = make("NPNPPN")
    shuffled = [entries[i] for i in (3, 0, 5, 1, 4, 2)]
    assert ids(order_queue(shuffled, "fifo", 3, {})) == [1, 2, 3, 4, 5, 6]
    assert choose_next(shuffled, "fifo", 3, {}).ticket_id == 1


def test_fifo_ties_on_issue_time_break_by_ticket_id():
    same = [QueueEntry(7, "A007", T0), QueueEntry(3, "A003", T0), QueueEntry(5, "A005", T0)]
    assert ids(order_queue(same, "fifo", 0, {})) == [3, 5, 7]


def test_empty_queue_has_no_next():
    assert choose_next([], "priority", 3, {}) is None
    assert choose_next([], "fifo", 3, {}) is None
    assert order_queue([], "priority", 3, {}) == []


def test_unknown_policy_is_refused():
    with pytest.raises(ValueError, match="policy"):
        choose_next(make("N"), "lottery", 3, {})


# --- priority -------------------------------------------------------------------------------


def test_priority_first_when_the_bound_is_not_reached():
    entries = make("NNP")
    assert choose_next(entries, "priority", 3, {}).ticket_id == 3


def test_priority_only_or_normal_only_queues_are_fifo():
    assert ids(order_queue(make("PPP"), "priority", 0, {})) == [1, 2, 3]
    assert ids(order_queue(make("NNN"), "priority", 0, {})) == [1, 2, 3]


def test_priority_issued_before_a_normal_ticket_is_not_overtaking():
    # P1 came first: it goes first even with N = 0, and it does not count against N2.
    entries = make("PN")
    assert ids(order_queue(entries, "priority", 0, {})) == [1, 2]
    # P1 P2 before N3: both first, N3 still has its full allowance for P5.
    entries = make("PPNNP")
    assert ids(order_queue(entries, "priority", 1, {})) == [1, 2, 5, 3, 4]


@pytest.mark.parametrize(
    "n, expected",
    [
        # N1 then four priority tickets issued after it.
        (0, [1, 2, 3, 4, 5]),
        (1, [2, 1, 3, 4, 5]),
        (3, [2, 3, 4, 1, 5]),
    ],
)
def test_overtaking_bound(n, expected):
    entries = make("NPPPP")
    order = order_queue(entries, "priority", n, {})
    assert ids(order) == expected
    assert overtakes(order)[1] == n


@pytest.mark.parametrize("n", [0, 1, 3])
def test_a_normal_ticket_goes_next_once_overtaken_n_times(n):
    entries = make("NNPPPPP")
    # Normal ticket 1 has already been overtaken n times by priority tickets called earlier.
    assert choose_next(entries, "priority", n, {1: n, 2: n}).ticket_id == 1
    if n > 0:
        assert choose_next(entries, "priority", n, {1: n - 1, 2: n - 1}).ticket_id == 3


@pytest.mark.parametrize("n", [0, 1, 3])
def test_every_normal_ticket_in_a_long_queue_respects_the_bound(n):
    entries = make("NNPNPPPNPPPPPPNPP")
    order = order_queue(entries, "priority", n, {})
    assert max(overtakes(order).values()) <= n
    # the second normal ticket was overtaken no more than the first
    counts = overtakes(order)
    assert counts[2] <= counts[1]


def test_counts_already_reached_are_taken_into_account():
    entries = make("NPP")
    assert ids(order_queue(entries, "priority", 2, {1: 2})) == [1, 2, 3]
    assert ids(order_queue(entries, "priority", 2, {1: 1})) == [2, 1, 3]


def test_order_queue_does_not_mutate_the_given_counts():
    counts = {1: 0}
    order_queue(make("NPP"), "priority", 2, counts)
    assert counts == {1: 0}


def test_count_overtaken_counts_only_priority_issued_after():
    entries = make("NNP")  # N1 at +1 min, N2 at +2 min
    called = [
        (T0, 90),
        (T0 + timedelta(minutes=1, seconds=30), 91),
        (T0 + timedelta(minutes=5), 92),
    ]
    assert count_overtaken(entries, called) == {1: 2, 2: 1}
    # Same instant as N1 but a later id: issued after it, on the key the policy orders by.
    assert count_overtaken(entries, [(T0 + timedelta(minutes=1), 93)]) == {1: 1, 2: 0}


@pytest.mark.parametrize("pattern", ["NPPPP", "NNPPNPPPNP", "PNPNPNPN", "NNNPPP"])
@pytest.mark.parametrize("n", [0, 1, 3])
def test_order_queue_equals_repeated_choose_next(pattern, n):
    entries = make(pattern)
    assert ids(order_queue(entries, "priority", n, {})) == ids(
        call_one_by_one(entries, "priority", n)
    )


def test_overtaking_bound_holds_for_tickets_issued_at_the_same_instant():
    same = [QueueEntry(1, "A001", T0), *(QueueEntry(i, f"A{i:03d}", T0, "monk") for i in (2, 3, 4))]
    order = call_one_by_one(same, "priority", 1)
    assert overtakes(order)[1] <= 1
    assert ids(order) == ids(order_queue(same, "priority", 1, {}))


# --- property-based ---------------------------------------------------------------------------

# An arrival: seconds after the previous one (>= 1 so times are distinct) and priority or not.
arrivals = st.lists(st.tuples(st.integers(1, 600), st.booleans()), min_size=0, max_size=40)


def build(spec) -> list[QueueEntry]:
    entries, t = [], T0
    for i, (gap, prio) in enumerate(spec, start=1):
        t = t + timedelta(seconds=gap)
        entries.append(QueueEntry(i, f"A{i:03d}", t, "pregnant" if prio else None))
    return entries


@settings(max_examples=300, deadline=None)
@given(arrivals, st.integers(0, 6))
def test_property_priority_bound_and_order(spec, n):
    entries = build(spec)
    order = order_queue(list(reversed(entries)), "priority", n, {})
    assert sorted(ids(order)) == ids(entries)  # a permutation
    assert all(v <= n for v in overtakes(order).values())
    # each class keeps its own issue order
    assert ids(e for e in order if e.priority) == ids(e for e in entries if e.priority)
    assert ids(e for e in order if not e.priority) == ids(e for e in entries if not e.priority)
    # a normal ticket is only passed over by priority tickets while below the bound: whenever a
    # priority ticket issued after the oldest waiting normal ticket is called, that normal
    # ticket had been overtaken fewer than n times
    for pos, chosen in enumerate(order):
        waiting_normal = [e for e in order[pos:] if not e.priority]
        if chosen.priority and waiting_normal:
            first = min(waiting_normal, key=lambda e: e.key)
            if chosen.key > first.key:
                assert overtakes(order[:pos] + [first])[first.ticket_id] < n
    assert ids(order) == ids(call_one_by_one(entries, "priority", n))


@settings(max_examples=200, deadline=None)
@given(arrivals, st.integers(0, 6))
def test_property_fifo_returns_issue_order(spec, n):
    entries = build(spec)
    assert ids(order_queue(list(reversed(entries)), "fifo", n, {})) == ids(entries)


# Arrivals interleaved with calls: ("arrive", gap, priority) or ("call",).
steps = st.lists(
    st.one_of(
        st.tuples(st.just("arrive"), st.integers(1, 300), st.booleans()), st.tuples(st.just("call"))
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(steps, st.integers(0, 5))
def test_property_bound_holds_with_arrivals_during_calls(script, n):
    """Simulate a day: tickets arrive while counters call; every call is order_queue's head."""
    waiting: list[QueueEntry] = []
    called: list[QueueEntry] = []
    t, next_id = T0, 1
    for step in script + [("call",)] * 60:
        if step[0] == "arrive":
            t += timedelta(seconds=step[1])
            waiting.append(
                QueueEntry(next_id, f"A{next_id:03d}", t, "disabled" if step[2] else None)
            )
            next_id += 1
        elif waiting:
            counts = count_overtaken(waiting, [c.key for c in called if c.priority])
            head = order_queue(waiting, "priority", n, counts)[0]
            assert head == choose_next(waiting, "priority", n, counts)
            waiting.remove(head)
            called.append(head)
    assert not waiting
    assert all(v <= n for v in overtakes(called).values())


# --- ticket numbers, categories, channels -----------------------------------------------------


@pytest.mark.parametrize(
    "letter, seq, expected",
    [
        ("A", 1, "A001"),
        ("A", 42, "A042"),
        ("A", 999, "A999"),
        ("A", 1000, "A1000"),
        ("E", 7, "E007"),
        ("Z", 123, "Z123"),
    ],
)
def test_format_ticket_number(letter, seq, expected):
    assert format_ticket_number(letter, seq) == expected


@pytest.mark.parametrize("letter", ["a", "AB", "", "1", "ก", "Ä", " "])
def test_format_ticket_number_refuses_bad_letters(letter):
    with pytest.raises(ValueError, match="letter"):
        format_ticket_number(letter, 1)


@pytest.mark.parametrize("seq", [0, -1])
def test_format_ticket_number_refuses_sequence_below_one(seq):
    with pytest.raises(ValueError):
        format_ticket_number("A", seq)


def test_validate_priority():
    assert validate_priority(None) is None
    assert validate_priority("") is None
    for key in ("elderly", "disabled", "pregnant", "monk"):
        assert key in PRIORITY_CATEGORIES
        assert validate_priority(key) == key
    with pytest.raises(ValueError, match="vip"):
        validate_priority("vip")


def test_validate_channel():
    assert set(CHANNELS) == {"walk_in", "phone", "letter", "e_service", "online"}
    for key in CHANNELS:
        assert validate_channel(key) == key
    with pytest.raises(ValueError, match="fax"):
        validate_channel("fax")
