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
- ``survey_offered_pct``: visits (tickets) offered the EIT survey over visits that were served;
- satisfaction: ratings 1-5 per visit;
- cases: opened (a due date), decided (a decision time), overdue (due before the end of the
  period, or before ``today`` for a period still running, and not decided by then).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any, Iterable, Mapping

from counter_tui.core.stats import mean, median, pct, percentile_cont

SERVED_OUTCOMES = ("completed", "accepted", "referred", "returned")


def _round(value: float | None, digits: int = 1) -> float | None:
    return round(value, digits) if value is not None else None


def figures(rows: list[Mapping[str, Any]], as_of: date) -> dict[str, Any]:
    """The figures of one group of rows (a service, a unit, an officer or everything)."""
    # A returning visitor's second ticket merged into the original application is the same
    # request: counting it would count the request twice.
    rows = [r for r in rows if r["outcome"] != "merged"]
    finished = [r for r in rows if r["finished_at"] and r["service_seconds"] is not None]
    verdicts = [r["on_time"] for r in rows if r["on_time"] is not None]
    service_times = [r["service_seconds"] for r in finished]
    waits = [r["wait_seconds"] for r in rows if r["wait_seconds"] is not None]
    tickets: dict[str, Mapping[str, Any]] = {}
    for r in rows:
        tickets.setdefault(f'{r["issued_at"][:10]}/{r["ticket"]}', r)
    served_visits = [t for t in tickets.values() if t["outcome"] in SERVED_OUTCOMES]
    ratings = [t["rating"] for t in tickets.values() if t["rating"] is not None]
    standards = sorted({r["standard_seconds"] for r in rows if r["standard_seconds"]})
    cases = [r for r in rows if r["case_due"]]
    decided = [r for r in cases if r["case_decided_at"]]
    overdue = [r for r in cases if date.fromisoformat(r["case_due"]) < as_of and (
        not r["case_decided_at"] or r["case_decided_at"][:10] > r["case_due"])]
    return {
        "requests": len(rows),
        "channels": dict(sorted(Counter(r["channel"] for r in rows).items())),
        "outcomes": dict(sorted(Counter(r["outcome"] or "open" for r in rows).items())),
        "completed": sum(1 for r in rows if r["outcome"] == "completed"),
        "documents_requested": sum(1 for r in rows if r["deficiency"]),
        "returned": sum(1 for r in rows if r["outcome"] == "returned"),
        "cases_opened": len(cases),
        "cases_decided": len(decided),
        "cases_overdue": len(overdue),
        "on_time_pct": _round(pct(sum(verdicts), len(verdicts))),
        "median_service_seconds": _round(median(service_times)),
        "p90_service_seconds": _round(percentile_cont(service_times, 0.9)),
        "standard_seconds": standards[0] if len(standards) == 1 else None,
        "median_wait_seconds": _round(median(waits)),
        "p90_wait_seconds": _round(percentile_cont(waits, 0.9)),
        "visits": len(tickets),
        "survey_offered_pct": _round(pct(sum(1 for t in served_visits if t["survey_offered"]),
                                         len(served_visits))),
        "ratings": {str(score): ratings.count(score) for score in range(1, 6)},
        "rating_count": len(ratings),
        "rating_mean": _round(mean(ratings), 2),
        "out_of_order_calls": sum(1 for r in rows for reason in r["reasons"]
                                  if reason["kind"] == "called"),
    }


def _grouped(rows: Iterable[Mapping[str, Any]], key: str, as_of: date) -> dict[str, Any]:
    groups: dict[str, list] = defaultdict(list)
    for row in rows:
        if row[key] is not None:
            groups[row[key]].append(row)
    return {name: figures(group, as_of) for name, group in sorted(groups.items())}


def statistics(rows: list[Mapping[str, Any]], *, office: str, period: Mapping[str, str],
               sample_standards: bool, as_of: date, with_officers: bool) -> dict[str, Any]:
    """The ``report stats`` object: totals, then the same figures by service, unit, officer."""
    return {
        "office": office,
        "period": dict(period),
        "sample_standards": sample_standards,
        "draft": sample_standards,
        "totals": figures(rows, as_of),
        "services": _grouped(rows, "service", as_of),
        "units": _grouped(rows, "unit", as_of),
        "officers": _grouped(rows, "officer", as_of) if with_officers else {},
    }


def as_of_date(period_end: date, today: date) -> date:
    """Overdue is judged at the end of the period, or today for a period still running."""
    return min(period_end, today)

