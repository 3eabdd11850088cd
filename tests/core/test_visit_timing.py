"""Timing derived from events: pauses kept apart, steps, corrections, reopened applications."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_tui.core.visit_timing import TimedEvent, derive

T0 = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def log(*items) -> list[TimedEvent]:
    """items: (kind, minute[, extra dict])"""
    out = []
    for i, item in enumerate(items, start=1):
        kind, minute, *rest = item
        out.append(TimedEvent(i, kind, at(minute), **(rest[0] if rest else {})))
    return out


def test_nothing_started_is_waiting():
    t = derive([], [60, 60], at(5))
    assert t.status == "waiting" and t.service_seconds == 0 and t.current_step is None


def test_running_service_counts_up_to_now_and_the_first_step_is_current():
    t = derive(log(("started", 0)), [120, None], at(3))
    assert t.status == "serving" and t.service_seconds == 180
    assert t.current_step == 0 and t.steps[0].seconds == 180 and not t.steps[0].completed
    assert t.step_started_at == at(0)


def test_pause_is_kept_apart_from_service_and_step_time():
    events = log(
        ("started", 0),
        ("paused", 2, {"reason": "ไปถ่ายเอกสาร"}),
        ("resumed", 7),
        ("step_completed", 9),
        ("finished", 12, {"outcome": "completed"}),
    )
    t = derive(events, [300, 300], at(30))
    assert t.status == "finished" and t.outcome == "completed"
    assert t.service_seconds == (12 - 5) * 60
    assert t.paused_seconds == 5 * 60
    assert [s.seconds for s in t.steps] == [4 * 60, 3 * 60]
    assert [s.completed for s in t.steps] == [True, False]
    assert t.current_step is None and t.finished_at == at(12)


def test_an_ongoing_pause_grows_with_now_and_service_time_stands_still():
    t = derive(log(("started", 0), ("paused", 2, {"reason": "x"})), [None], at(10))
    assert t.status == "paused" and t.pause_reason == "x"
    assert t.service_seconds == 120 and t.paused_seconds == 480


def test_a_step_completed_too_early_is_voided_by_a_correction():
    events = log(
        ("started", 0),
        ("step_completed", 1),
        ("corrected", 2, {"corrects": 2, "reason": "กดผิด"}),
        ("step_completed", 5),
    )
    t = derive(events, [240, 240], at(8))
    assert [s.completed for s in t.steps] == [True, False]
    assert t.steps[0].seconds == 300 and t.steps[1].seconds == 180 and t.current_step == 1


def test_an_early_finish_corrected_keeps_the_clock_running():
    events = log(
        ("started", 0),
        ("finished", 3, {"outcome": "completed"}),
        ("corrected", 4, {"corrects": 2, "reason": "ยังไม่เสร็จ"}),
    )
    t = derive(events, [], at(10))
    assert t.status == "serving" and t.finished_at is None and t.service_seconds == 600


def test_reopened_application_continues_its_timing_but_not_the_days_away():
    events = log(
        ("started", 0),
        ("step_completed", 4),
        ("documents_missing", 6),
        ("reopened", 3 * 24 * 60),
        ("finished", 3 * 24 * 60 + 5, {"outcome": "accepted"}),
    )
    t = derive(events, [300, 600], at(10 * 24 * 60))
    assert t.service_seconds == (6 + 5) * 60
    assert [s.seconds for s in t.steps] == [240, 7 * 60]
    assert t.started_at == at(0) and t.outcome == "accepted"


def test_deficient_application_is_not_running():
    t = derive(log(("started", 0), ("documents_missing", 6)), [60], at(600))
    assert t.status == "deficient" and t.service_seconds == 360 and t.current_step is None


def test_transferred_application_stops_here_and_continues_when_started_elsewhere():
    events = log(
        ("started", 0),
        ("transferred", 5),
        ("started", 20),
        ("finished", 22, {"outcome": "completed"}),
    )
    t = derive(events, [], at(30))
    assert t.service_seconds == 7 * 60 and t.started_at == at(0)


@pytest.mark.parametrize("extra", [("resumed", 3), ("paused", 3)])
def test_stray_events_outside_service_are_ignored(extra):
    t = derive(log(extra, ("started", 5)), [], at(6))
    assert t.service_seconds == 60 and t.paused_seconds == 0


def test_steps_beyond_the_manual_are_not_counted():
    events = log(("started", 0), ("step_completed", 1), ("step_completed", 2))
    t = derive(events, [60], at(4))
    assert len(t.steps) == 1 and t.steps[0].completed and t.current_step is None
    assert t.service_seconds == 240


def test_returned_after_the_deadline_finishes_without_more_service_time():
    events = log(
        ("started", 0),
        ("documents_missing", 6),
        ("finished", 20 * 24 * 60, {"outcome": "returned", "reason": "พ้นกำหนด"}),
    )
    t = derive(events, [], at(30 * 24 * 60))
    assert t.status == "finished" and t.outcome == "returned" and t.service_seconds == 360


def test_finished_before_ever_being_served_counts_no_time():
    t = derive(log(("finished", 3, {"outcome": "merged"})), [60], at(10))
    assert t.status == "finished" and t.outcome == "merged" and t.service_seconds == 0


# --- a PC clock that goes back between events (issue 11 item 11) ------------------------------


def test_a_clock_set_back_during_a_pause_gives_no_negative_figure():
    # Paused at 10:20, the clock set back to 10:00, resumed and finished "at" 10:00 and 10:05.
    events = log(
        ("started", 0),
        ("paused", 20, {"reason": "ไปถ่ายเอกสาร"}),
        ("resumed", 0),
        ("step_completed", 2),
        ("finished", 5, {"outcome": "completed"}),
    )
    t = derive(events, [60, None], at(5))
    assert t.paused_seconds == 0 and t.service_seconds == 20 * 60 + 5 * 60
    assert all(s.seconds >= 0 for s in t.steps)


def test_a_clock_set_back_while_serving_or_paused_now_counts_nothing_negative():
    serving = derive(log(("started", 30)), [None], at(10))
    paused = derive(log(("started", 0), ("paused", 30, {"reason": "พัก"})), [None], at(10))
    assert serving.service_seconds == 0 and serving.steps[0].seconds == 0
    assert paused.paused_seconds == 0 and paused.service_seconds == 30 * 60


KINDS = (
    "started",
    "reopened",
    "paused",
    "resumed",
    "step_completed",
    "documents_missing",
    "transferred",
    "finished",
)


@given(
    st.lists(st.tuples(st.sampled_from(KINDS), st.integers(-600, 600)), max_size=14),
    st.integers(-600, 600),
)
def test_no_derived_figure_is_negative_whatever_the_clock_does(items, now):
    """Any order of events at any times (the clock stepping back and forth) gives figures >= 0."""
    events = [
        TimedEvent(
            i,
            kind,
            at(minute),
            outcome="completed" if kind == "finished" else None,
            reason="พัก" if kind == "paused" else None,
        )
        for i, (kind, minute) in enumerate(items, start=1)
    ]
    t = derive(events, [300, 180, None], at(now))
    assert t.service_seconds >= 0 and t.paused_seconds >= 0
    assert all(s.seconds >= 0 for s in t.steps)
