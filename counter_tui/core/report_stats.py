"""Provides the service statistics an office publishes (ITA open data: service statistics and
satisfaction), computed from the rows of ``report visits`` and nothing else, so every number can
be recomputed by anyone holding that report.

Definitions (also printed in the README):

- a request is every row (a service asked for on a ticket issued in the period), whatever its
  outcome (except "merged": a returning visitor's new ticket folded into the application they
  came back for); ``outcomes`` breaks them down;
- ``on_time_pct``: on-time rows over rows with a verdict (finished, with a standard);
- service-time and wait percentiles: ``core.stats.percentile_cont`` (linear interpolation, as
  PostgreSQL's percentile_cont and Excel's PERCENTILE.INC) over finished rows / called rows;
- ``served``: requests whose outcome is one of ``SERVED_OUTCOMES`` (completed, accepted,
  referred, returned) — not cancelled, no-show or still open; ``no_shows``: requests whose
  visitor did not come when called;
- ``survey_offered_pct``: visits (tickets) offered the EIT survey over visits that were served
  (a visit is served when any of its services was);
- satisfaction: ratings 1-5 per visit;
- cases: opened (a due date), decided (a decision time), overdue (due before the end of the
  period, or before ``today`` for a period still running, and not decided by then).

The rows are folded one at a time (``Figures``, ``Statistics``), so a year of rows is never held
in memory: only counters, and the service times and waits (the percentiles need them all) as
arrays of floats. A visit is counted at its first row and served at its first served row; its
survey and rating are the visit's own (the same on each of its rows). The rows of one ticket must
come together, as ``report visits`` gives them (ticket, then position).
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from counter_tui.core.stats import mean, median, pct, percentile_cont

SERVED_OUTCOMES = ("completed", "accepted", "referred", "returned")


def _round(value: float | None, digits: int = 1) -> float | None:
    return round(value, digits) if value is not None else None


def _facts(r: Mapping[str, Any], as_of: date) -> tuple[Any, ...] | None:
    """What one row adds to the figures of every group it is in (None: it adds nothing)."""
    outcome = r["outcome"]
    # A returning visitor's second ticket merged into the original application is the same
    # request: counting it would count the request twice.
    if outcome == "merged":
        return None
    due = r["case_due"]
    decided = r["case_decided_at"]
    served = outcome in SERVED_OUTCOMES
    return (
        f"{r['issued_at'][:10]}/{r['ticket']}",
        outcome or "open",
        r["channel"],
        1 if r["deficiency"] else 0,
        r["on_time"],
        r["service_seconds"] if r["finished_at"] else None,
        r["wait_seconds"],
        r["standard_seconds"],
        bool(due),
        1 if due and decided else 0,
        1 if due and date.fromisoformat(due) < as_of and (not decided or decided[:10] > due) else 0,
        sum(1 for reason in r["reasons"] if reason["kind"] == "called"),
        1 if served else 0,
        1 if served and r["survey_offered"] else 0,
        r["rating"],
    )


class Figures:
    """The figures of one group of rows (a service, a unit, an officer or everything), folded
    one row at a time with ``add``; ``result`` gives them."""

    __slots__ = (
        "as_of",
        "requests",
        "channels",
        "outcomes",
        "documents_requested",
        "verdicts",
        "on_time",
        "service_times",
        "waits",
        "standards",
        "cases_opened",
        "cases_decided",
        "cases_overdue",
        "visits",
        "served_visits",
        "offered_visits",
        "ratings",
        "out_of_order_calls",
        "_visit",
        "_visit_served",
    )

    def __init__(self, as_of: date) -> None:
        self.as_of = as_of
        self.requests = 0
        self.channels: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.documents_requested = 0
        self.verdicts = 0
        self.on_time = 0
        self.service_times = array("d")
        self.waits = array("d")
        self.standards: set[int] = set()
        self.cases_opened = self.cases_decided = self.cases_overdue = 0
        self.visits = self.served_visits = self.offered_visits = 0
        self.ratings = array("d")
        self.out_of_order_calls = 0
        self._visit: str | None = None
        self._visit_served = False

    def add(self, r: Mapping[str, Any]) -> None:
        facts = _facts(r, self.as_of)
        if facts is not None:
            self._fold(facts)

    def _fold(self, facts: tuple[Any, ...]) -> None:
        (
            visit,
            outcome,
            channel,
            deficiency,
            on_time,
            service_time,
            wait,
            standard,
            case,
            decided,
            overdue,
            out_of_order,
            served,
            offered,
            rating,
        ) = facts
        self.requests += 1
        self.channels[channel] += 1
        self.outcomes[outcome] += 1
        self.documents_requested += deficiency
        if on_time is not None:
            self.verdicts += 1
            self.on_time += on_time
        if service_time is not None:
            self.service_times.append(service_time)
        if wait is not None:
            self.waits.append(wait)
        if standard:
            self.standards.add(standard)
        if case:
            self.cases_opened += 1
            self.cases_decided += decided
            self.cases_overdue += overdue
        self.out_of_order_calls += out_of_order
        if visit != self._visit:  # the visit's first (counted) row
            self._visit = visit
            self._visit_served = False
            self.visits += 1
            if rating is not None:
                self.ratings.append(rating)
        if served and not self._visit_served:  # the visit's first served service
            self._visit_served = True
            self.served_visits += 1
            self.offered_visits += offered

    def result(self) -> dict[str, Any]:
        standards = sorted(self.standards)
        ratings = self.ratings
        return {
            "requests": self.requests,
            "channels": dict(sorted(self.channels.items())),
            "outcomes": dict(sorted(self.outcomes.items())),
            "completed": self.outcomes["completed"],
            "served": sum(self.outcomes[outcome] for outcome in SERVED_OUTCOMES),
            "no_shows": self.outcomes["no_show"],
            "documents_requested": self.documents_requested,
            "returned": self.outcomes["returned"],
            "cases_opened": self.cases_opened,
            "cases_decided": self.cases_decided,
            "cases_overdue": self.cases_overdue,
            "on_time_pct": _round(pct(self.on_time, self.verdicts)),
            "median_service_seconds": _round(median(self.service_times)),
            "p90_service_seconds": _round(percentile_cont(self.service_times, 0.9)),
            "standard_seconds": standards[0] if len(standards) == 1 else None,
            "median_wait_seconds": _round(median(self.waits)),
            "p90_wait_seconds": _round(percentile_cont(self.waits, 0.9)),
            "visits": self.visits,
            "survey_offered_pct": _round(pct(self.offered_visits, self.served_visits)),
            "ratings": {str(score): ratings.count(score) for score in range(1, 6)},
            "rating_count": len(ratings),
            "rating_mean": _round(mean(ratings), 2),
            "out_of_order_calls": self.out_of_order_calls,
        }


def figures(rows: Iterable[Mapping[str, Any]], as_of: date) -> dict[str, Any]:
    """The figures of one group of rows (a service, a unit, an officer or everything)."""
    acc = Figures(as_of)
    for row in rows:
        acc.add(row)
    return acc.result()


GROUPS = ("service", "unit", "officer")


class Statistics:
    """The ``report stats`` figures folded one row at a time: totals, and by service, unit
    and officer (groups named by the row's key; rows without one are in the totals only)."""

    def __init__(self, as_of: date, with_officers: bool = True) -> None:
        self.as_of = as_of
        self.totals = Figures(as_of)
        self.keys = GROUPS if with_officers else GROUPS[:2]
        self.groups: dict[str, dict[str, Figures]] = {key: {} for key in GROUPS}

    def add(self, row: Mapping[str, Any]) -> None:
        facts = _facts(row, self.as_of)
        if facts is not None:
            self.totals._fold(facts)
        for key in self.keys:
            name = row[key]
            if name is not None:
                group = self.groups[key].get(name)
                if group is None:  # made even for a merged row: the group is listed
                    group = self.groups[key][name] = Figures(self.as_of)
                if facts is not None:
                    group._fold(facts)

    def grouped(self, key: str) -> dict[str, Any]:
        return {name: acc.result() for name, acc in sorted(self.groups[key].items())}


def statistics(
    rows: Iterable[Mapping[str, Any]],
    *,
    office: str,
    period: Mapping[str, str],
    sample_standards: bool,
    as_of: date,
    with_officers: bool,
) -> dict[str, Any]:
    """The ``report stats`` object: totals, then the same figures by service, unit, officer.
    ``rows`` may be a list or a stream (``services.reports.iter_visit_rows``): one pass."""
    acc = Statistics(as_of, with_officers)
    for row in rows:
        acc.add(row)
    return {
        "office": office,
        "period": dict(period),
        "sample_standards": sample_standards,
        "draft": sample_standards,
        "totals": acc.totals.result(),
        "services": acc.grouped("service"),
        "units": acc.grouped("unit"),
        "officers": acc.grouped("officer") if with_officers else {},
    }


def as_of_date(period_end: date, today: date) -> date:
    """Overdue is judged at the end of the period, or today for a period still running."""
    return min(period_end, today)
