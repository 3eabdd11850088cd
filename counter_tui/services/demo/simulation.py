"""One office's visits, day by day: who works at each counter, arrivals peaking mid-morning,
the queue simulated counter by counter under the office's priority policy (so waits grow with
the queue), lunch breaks and field visits, calls, recalls, skips, no-shows and out-of-order
calls with reasons; what happens once a visitor is at the counter is ``serving``. Today's visits
stop at ``now``: some are waiting, called or being served.

At the end of each day tickets, applications and events get their numbers and ids in time
order; at the end of each month the rows go to ``db.bulk_load.Writer`` in one batch.
"""

from __future__ import annotations

import math
import random
from bisect import bisect, insort
from collections import deque
from collections.abc import Callable
from datetime import date, timedelta
from operator import itemgetter

from counter_tui.core import queue as rules
from counter_tui.core.clock import to_db
from counter_tui.core.fiscal import fiscal_year_of
from counter_tui.db import models as m
from counter_tui.db.bulk_load import Ids, Writer
from counter_tui.services.demo.profile import (
    CLOSES,
    FIRST_ARRIVAL,
    LAST_ARRIVAL,
    LUNCH,
    OPENS,
    RETENTION_DAYS,
    CounterDef,
    OfficeSetup,
    Svc,
    season_factor,
)
from counter_tui.services.demo.rows import (
    AppRow,
    Arrival,
    CaseRow,
    CounterDay,
    Cut,
    DeficiencyRow,
    EventRow,
    Formatter,
    NoticeRow,
    PeopleRow,
    Scheduled,
    TicketRow,
    aware,
    dumps,
    midnight,
    pick,
)
from counter_tui.services.demo.serving import Serving
from counter_tui.services.queue import OFFICE_CLOSED_REASON

WEEKDAY_FACTOR = (1.15, 1.05, 1.0, 0.95, 0.85)

P_PRIORITY = 0.07
P_PRIORITY_ELDERLY_SERVICE = 0.25
PRIORITY_WEIGHTS = (("elderly", 0.70), ("disabled", 0.15), ("pregnant", 0.08), ("monk", 0.07))
CHANNEL_WEIGHTS = (
    ("walk_in", 0.90),
    ("phone", 0.03),
    ("letter", 0.03),
    ("e_service", 0.025),
    ("online", 0.015),
)
P_NO_SHOW = 0.03
P_SKIP = 0.02
P_RECALL = 0.04
P_OUT_OF_ORDER = 0.05  # of calls with someone else waiting: about 2 % of all calls
P_ABSENT = 0.05
P_FIELD_VISIT = 0.12
FIELD_VISIT_REASON = "ออกตรวจสถานที่"


class OfficeSim(Serving):
    """One office, day by day: arrivals, the queue at each counter, and (``Serving``) what
    happens at the counter and what follows later."""

    def __init__(
        self,
        office_id: int,
        code: str,
        rng: random.Random,
        setup: OfficeSetup,
        holidays: frozenset[date],
        day_list: list[date],
        now_ts: int,
        today: date,
        vpd: int,
        ids: Ids,
        writer: Writer,
        say: Callable[[str], None],
    ) -> None:
        self.office = office_id
        self.code = code
        self.rng = rng
        self.services: list[Svc] = setup["services"]
        self.by_code = {s.code: s for s in self.services}
        self.counters: list[CounterDef] = setup["counters"]
        self.supervisors: dict[int, int] = setup["supervisors"]
        self.spares: list[int] = setup["spares"]
        self.max_overtake: int = setup["max_overtake"]
        self.holidays = holidays
        self.days = day_list
        self.now_ts = now_ts
        self.today = today
        self.retention_from = today - timedelta(days=RETENTION_DAYS)
        self.vpd = vpd
        self.ids = ids
        self.writer = writer
        self.say = say
        self.fmt = Formatter()
        served = {c for cd in self.counters for c in cd.codes}
        self.arrival_services = [s for s in self.services if s.code in served]
        self.mix: dict[int, tuple[list[float], float]] = {}  # cumulative weights, their total
        yearly = []
        for month in range(1, 13):
            weights = [s.weight * season_factor(s.season, month) for s in self.arrival_services]
            cumulative: list[float] = []
            total = 0.0
            for w in weights:
                total += w
                cumulative.append(total)
            self.mix[month] = (cumulative, total)
            yearly.append(total)
        mean = sum(yearly) / 12
        self.volume = {month: yearly[month - 1] / mean for month in range(1, 13)}
        self.scheduled: dict[date, list[Scheduled]] = {}
        self.numbers: dict[int, int] = {}
        self.counter_state: dict[int, tuple[int, str, int | None]] = {}
        self.seq = 0
        self.idx = 0
        self.counts = {
            "tickets": 0,
            "applications": 0,
            "events": 0,
            "cases": 0,
            "deficiency_records": 0,
        }
        self.data_cache: dict[tuple[str | int | bool, ...], str] = {}
        self._reset_batch()

    def _reset_batch(self) -> None:
        self.b_tickets: list[TicketRow] = []
        self.b_apps: list[AppRow] = []
        self.b_events: list[EventRow] = []
        self.b_people: list[PeopleRow] = []
        self.b_defs: list[DeficiencyRow] = []
        self.b_cases: list[CaseRow] = []
        self.b_notices: list[NoticeRow] = []
        self.dirty: list[TicketRow | AppRow | DeficiencyRow] = []
        self.batch_days = 0

    # --- driving ------------------------------------------------------------------------

    def run(self) -> None:
        month: tuple[int, int] | None = None
        for day in self.days:
            key = (day.year, day.month)
            if month is not None and key != month:
                self._flush(month)
            month = key
            self._day(day)
            self.batch_days += 1
        self._flush(month)

    def _flush(self, month: tuple[int, int] | None) -> None:
        fmt = self.fmt
        office = self.office
        tickets = [
            (
                t.id,
                office,
                t.day.isoformat(),
                t.letter,
                t.seq,
                t.number,
                fmt(t.issued),
                t.issued_by,
                t.svc.id,
                t.channel,
                t.priority,
                t.status,
                t.counter,
                None,
                fmt(t.called),
            )
            for t in self.b_tickets
        ]
        apps = [
            (
                a.id,
                office,
                a.ticket.id,
                a.number,
                a.position,
                a.svc.id,
                a.counter,
                a.officer,
                a.status,
                fmt(a.created),
                fmt(a.started),
                fmt(a.finished),
                a.outcome,
            )
            for a in self.b_apps
        ]
        events = []
        for e in self.b_events:
            data = e[9]
            if data.__class__ is tuple:  # an out-of-order call names the ticket it passed over
                data = dumps(out_of_order=True, expected=data[1].number)
            events.append(
                (
                    e[10],
                    office,
                    fmt(e[0]),
                    e[2],
                    e[3].id if e[3] else None,
                    e[4].id if e[4] else None,
                    e[5],
                    e[6],
                    e[7][10] if e[7] else None,
                    e[8],
                    data,
                )
            )
        defs = [
            (
                d.id,
                d.app.id,
                fmt(d.created),
                d.staff,
                d.deadline.isoformat(),
                d.missing,
                d.checklist,
                d.mark,
                d.witness,
                fmt(d.resolved),
                fmt(d.returned),
                d.reason,
            )
            for d in self.b_defs
        ]
        cases = [(c[0], c[1].id, *c[2:]) for c in self.b_cases]
        ticket_updates, app_updates, def_updates = [], [], []
        for obj in self.dirty:
            obj.dirty = False
            if isinstance(obj, TicketRow):
                ticket_updates.append((obj.status, obj.counter, obj.id))
            elif isinstance(obj, AppRow):
                app_updates.append(
                    (obj.status, obj.counter, obj.officer, fmt(obj.finished), obj.outcome, obj.id)
                )
            else:
                def_updates.append((fmt(obj.resolved), fmt(obj.returned), obj.reason, obj.id))
        for obj in self.b_tickets:
            obj.flushed = True
        for obj in self.b_apps:
            obj.flushed = True
        for obj in self.b_defs:
            obj.flushed = True
        people = [(p[0], p[1].id, *p[2:]) for p in self.b_people]
        self.writer.write(
            [
                (m.Ticket, tickets, False),
                (m.Application, apps, False),
                (m.PersonalData, people, False),
                (m.Event, events, False),
                (m.DeficiencyRecord, defs, False),
                (m.Case, cases, False),
                (m.DelayNotice, self.b_notices, False),
                (m.Ticket, ticket_updates, True),
                (m.Application, app_updates, True),
                (m.DeficiencyRecord, def_updates, True),
            ],
            then=self._save_numbers,
        )
        self.counts["tickets"] += len(tickets)
        self.counts["applications"] += len(apps)
        self.counts["events"] += len(events)
        self.counts["cases"] += len(cases)
        self.counts["deficiency_records"] += len(defs)
        if month is not None:
            self.say(
                f"office {self.code}: {month[0]}-{month[1]:02d}: {self.batch_days} days, "
                f"{len(tickets):,} visits, {len(events):,} events"
            )
        self._reset_batch()
        fmt.clear()  # the next month has minutes of its own

    def finish(self) -> None:
        """Application-number sequences and each counter's state as of now."""
        self._save_numbers()
        for counter_id, (ts, state, officer) in sorted(self.counter_state.items()):
            m.Counter.update(state=state, state_since=to_db(aware(ts)), officer=officer).where(
                m.Counter.id == counter_id
            ).execute()

    def _save_numbers(self) -> None:
        """The application-number sequences as far as the numbers given so far (SQLite: with
        each office-month, so that a run cut short leaves no number to be given twice)."""
        for year, value in sorted(self.numbers.items()):
            name = f"application-{year}"
            updated = (
                m.NumberSequence.update(value=value)
                .where((m.NumberSequence.office == self.office) & (m.NumberSequence.name == name))
                .execute()
            )
            if not updated:
                m.NumberSequence.create(office=self.office, name=name, value=value)

    # --- events ---------------------------------------------------------------------------

    def _ev(
        self,
        ts: int,
        kind: str,
        ticket: TicketRow | None,
        app: AppRow | None,
        counter: int | None,
        staff: int | None,
        reason: str | None = None,
        data: str | tuple[str, TicketRow] | None = None,
        corrects: EventRow | None = None,
    ) -> EventRow:
        # Not services.events.append_event, which appends every event of the use-cases: the
        # simulated history is written by db.bulk_load in bulk (the one other writer of events),
        # with the kinds, data and reasons append_event's callers give.
        if ts > self.now_ts:
            raise Cut
        event = [ts, self.seq, kind, ticket, app, counter, staff, corrects, reason, data, 0]
        self.seq += 1
        self.day_events.append(event)
        return event

    def _data(self, *key: str | int | bool) -> str:
        """The JSON of common events, built once (json.dumps as the services write it)."""
        text = self.data_cache.get(key)
        if text is None:
            kind = key[0]
            if kind == "step":
                text = dumps(step=key[1])
            elif kind == "outcome":
                text = dumps(outcome=key[1])
            elif kind == "state":
                text = dumps(state=key[1], previous=key[2])
            elif kind == "survey":
                text = dumps(how=key[1])
            elif kind == "rating":
                text = dumps(rating=key[1])
            elif kind == "policy":
                text = dumps(policy=key[1])
            elif kind == "proxy":
                text = dumps(proxy=key[1])
            else:
                raise KeyError(key)
            self.data_cache[key] = text
        return text

    def _touch(self, obj: TicketRow | AppRow | DeficiencyRow) -> None:
        if obj.flushed and not obj.dirty:
            obj.dirty = True
            self.dirty.append(obj)

    def _counter_event(
        self,
        cd: CounterDay,
        ts: int,
        state: str,
        previous: str,
        reason: str | None = None,
        officer: int | None = None,
    ) -> None:
        self._ev(
            ts,
            "counter_state",
            None,
            None,
            cd.id,
            cd.officer,
            reason,
            self._data("state", state, previous),
        )
        if state == "closed":
            holder = None
        elif previous == "closed":
            holder = officer
        else:
            holder = self.counter_state[cd.id][2]
        self.counter_state[cd.id] = (ts, state, holder)

    # --- one day ----------------------------------------------------------------------------

    def _day(self, day: date) -> None:
        rng = self.rng
        base = midnight(day)
        self.day = day
        self.base = base
        self.day_tickets: list[TicketRow] = []
        self.day_apps: list[AppRow] = []
        self.day_events: list[EventRow] = []
        self.seq = 0
        self.ticket_seq: dict[str, int] = {}
        arrivals = self._arrivals(day)
        for item in self.scheduled.pop(day, []):
            if item[0] == "reopen":
                arrivals.append(
                    (base + self._arrival_second(), item[1].svc, None, "walk_in", item[1])
                )
            elif item[0] == "return":
                self._return(item[1], base + rng.randint(9 * 3600, 15 * 3600 + 1800))
            elif item[0] == "notice":
                self._notice(
                    item[1], item[2], item[3], base + rng.randint(9 * 3600 + 1800, 15 * 3600 + 1800)
                )
        arrivals.sort(key=lambda a: a[0])
        self._simulate(arrivals)
        self._close_day()

    def _arrival_second(self) -> int:
        rng = self.rng
        while True:
            u = rng.random()
            if u < 0.62:
                x = rng.gauss(35400, 3000)  # 09:50 +- 50 min
            elif u < 0.88:
                x = rng.gauss(50400, 2700)  # 14:00 +- 45 min
            else:
                x = rng.uniform(FIRST_ARRIVAL, LAST_ARRIVAL)
            if x < FIRST_ARRIVAL or x > LAST_ARRIVAL:
                continue
            if LUNCH[0] <= x < LUNCH[1] and rng.random() < 0.55:
                continue  # lunch hour: fewer visitors
            return int(x)

    def _arrivals(self, day: date) -> list[Arrival]:
        rng = self.rng
        lam = self.vpd * WEEKDAY_FACTOR[day.weekday()] * self.volume[day.month]
        count = max(0, round(rng.gauss(lam, math.sqrt(lam))))
        cumulative, total = self.mix[day.month]
        services = self.arrival_services
        base = self.base
        out: list[Arrival] = []
        for _ in range(count):
            ts = base + self._arrival_second()
            svc = services[min(bisect(cumulative, rng.random() * total), len(services) - 1)]
            priority = None
            if svc.code == "ELDERLY_ALLOWANCE_REG":
                if rng.random() < P_PRIORITY_ELDERLY_SERVICE:
                    priority = "elderly"
            elif rng.random() < P_PRIORITY:
                priority = pick(rng, PRIORITY_WEIGHTS)
            channel = "walk_in" if rng.random() < CHANNEL_WEIGHTS[0][1] else self._channel()
            out.append((ts, svc, priority, channel, None))
        return out

    def _channel(self) -> str:
        x = self.rng.random() * (1 - CHANNEL_WEIGHTS[0][1])
        for value, weight in CHANNEL_WEIGHTS[1:]:
            x -= weight
            if x < 0:
                return value
        return CHANNEL_WEIGHTS[-1][0]

    def _issue(
        self,
        ts: int,
        svc: Svc,
        priority: str | None,
        channel: str,
        staff: int | None,
        reopen: AppRow | None = None,
    ) -> TicketRow:
        tk = TicketRow()
        tk.idx = self.idx
        self.idx += 1
        tk.id = tk.seq = 0
        tk.number = ""
        tk.day, tk.letter, tk.issued, tk.issued_by, tk.svc = self.day, svc.letter, ts, staff, svc
        tk.channel, tk.priority, tk.status, tk.counter, tk.called = (
            channel,
            priority,
            "waiting",
            None,
            None,
        )
        tk.flushed = tk.dirty = tk.skipped = False
        tk.avail, tk.overtaken, tk.key, tk.reopen = ts, 0, (ts, tk.idx), reopen
        app = self._new_app(tk, svc, ts, None)
        key = (channel, priority)
        data = svc.issued_data.get(key)
        if data is None:
            data = svc.issued_data[key] = dumps(
                service=svc.code, version=svc.version, channel=channel, priority=priority
            )
        self._ev(ts, "issued", tk, app, None, staff, None, data)
        tk.apps = [app]
        self.day_tickets.append(tk)
        self.day_apps.append(app)
        return tk

    def _new_app(self, tk: TicketRow, svc: Svc, ts: int, counter: int | None) -> AppRow:
        app = AppRow()
        app.idx = self.idx
        self.idx += 1
        app.id = 0
        app.number = ""
        app.ticket, app.svc, app.counter, app.officer = tk, svc, counter, None
        app.status, app.created, app.started, app.finished, app.outcome = (
            "waiting",
            ts,
            None,
            None,
            None,
        )
        app.flushed = app.dirty = False
        app.rest = app.deficiency = None
        app.position = 1
        return app

    def _simulate(self, arrivals: list[Arrival]) -> None:
        rng = self.rng
        base = self.base
        now_ts = self.now_ts
        close_ts = base + CLOSES
        # Who works at each counter today (a spare covers an absent officer).
        free_spares = list(self.spares)
        cds: list[CounterDay] = []
        for cdef in self.counters:
            if self.day.month not in cdef.months:
                continue  # a seasonal counter, closed this month
            cd = CounterDay()
            cd.d, cd.id, cd.order, cd.done = cdef, cdef.id, cdef.order, False
            cd.officer = cdef.officer
            if free_spares and rng.random() < P_ABSENT:
                cd.officer = free_spares.pop(0)
            start = base + OPENS + rng.randint(-300, 600)
            lunch = base + LUNCH[0] + cdef.lunch_offset + rng.randint(-300, 300)
            cd.sched = [(lunch, rng.randint(50 * 60, 62 * 60), "break", None)]
            units_counters = sum(
                1 for c in self.counters if c.unit_id == cdef.unit_id and self.day.month in c.months
            )
            if (
                units_counters == 1
                and not any(self.by_code[c].standard for c in cdef.codes)
                and rng.random() < P_FIELD_VISIT
            ):
                cd.sched.append(
                    (
                        base + rng.randint(13 * 3600 + 1800, 14 * 3600 + 1800),
                        rng.randint(3600, 7200),
                        "away",
                        FIELD_VISIT_REASON,
                    )
                )
            cd.free_at = start
            cds.append(cd)
            try:
                self._counter_event(cd, start, "open", "closed", officer=cd.officer)
            except Cut:
                cd.done = True
        reception = cds[0].officer if cds else None
        # Walk-ins get their tickets on arrival; phone, letter and online requests are recorded
        # with "serve now" by a counter that has nobody waiting.
        self.waiting: dict[str, list[TicketRow]] = {s.code: [] for s in self.services}
        pending: dict[str, deque[TicketRow]] = {s.code: deque() for s in self.services}
        serve_now: dict[str, deque[tuple[int, Svc, str | None, str]]] = {
            s.code: deque() for s in self.services
        }
        for ts, svc, priority, channel, reopen in arrivals:
            if ts > now_ts:
                break
            if channel == "walk_in":
                pending[svc.code].append(self._issue(ts, svc, priority, channel, reception, reopen))
            else:
                serve_now[svc.code].append((ts, svc, priority, channel))
        active = [cd for cd in cds if not cd.done]
        while active:
            cd = min(active, key=lambda c: (c.free_at, c.order))
            t = cd.free_at
            if t > now_ts:
                break  # today: nothing later can be recorded yet
            try:
                if t >= close_ts:
                    self._counter_event(cd, t + rng.randint(30, 600), "closed", "open")
                    cd.done = True
                    active.remove(cd)
                    continue
                if cd.sched and t >= cd.sched[0][0]:
                    _, length, state, reason = cd.sched.pop(0)
                    self._counter_event(cd, t, state, "open", reason)
                    cd.free_at = t + length
                    self._counter_event(cd, t + length, "open", state)
                    continue
                for code in cd.d.codes:  # admit the tickets issued by now
                    queue_ = pending[code]
                    while queue_ and queue_[0].issued <= t:
                        self.waiting[code].append(queue_.popleft())
                tk = self._choose(cd, t)
                if tk is not None:
                    cd.free_at = self._dispatch(cd, tk, t)
                    continue
                for code in cd.d.codes:
                    items = serve_now[code]
                    if items and items[0][0] <= t:
                        ts, svc, priority, channel = items.popleft()
                        cd.free_at = self._serve_now(cd, svc, priority, channel, t)
                        break
                else:  # idle until someone arrives (noticed a little later), a break, closing
                    wake = close_ts
                    for code in cd.d.codes:
                        if pending[code]:
                            wake = min(wake, pending[code][0].issued)
                        if serve_now[code]:
                            wake = min(wake, serve_now[code][0][0])
                        for waiting in self.waiting[code]:
                            if waiting.avail > t:
                                wake = min(wake, waiting.avail)
                    if wake < close_ts:
                        wake += rng.randint(10, 90)
                    if cd.sched:
                        wake = min(wake, cd.sched[0][0])
                    cd.free_at = max(wake, t + 1)
            except Cut:
                cd.free_at = now_ts + 1
        # Closing time: the tickets still waiting are closed ("office closed").
        closed_at = close_ts + rng.randint(300, 600)
        if closed_at <= now_ts:
            for tk in self.day_tickets:
                if tk.status == "waiting":
                    self._ev(closed_at, "closed", tk, None, None, None, OFFICE_CLOSED_REASON)
                    tk.status = "closed"
                    for app in tk.apps:
                        app.status, app.outcome = "closed", "office_closed"

    # --- the queue --------------------------------------------------------------------------

    def _choose(self, cd: CounterDay, t: int) -> TicketRow | None:
        """The office's priority policy (core.queue.choose_next) over this counter's queue."""
        first_normal = first_priority = None
        waiting = self.waiting
        for code in cd.d.codes:  # each list is in (issued, id) order: its first of each kind
            got_normal = got_priority = False
            for tk in waiting[code]:
                if tk.avail > t:
                    continue  # skipped, not back yet
                if tk.priority:
                    if not got_priority:
                        got_priority = True
                        if first_priority is None or tk.key < first_priority.key:
                            first_priority = tk
                elif not got_normal:
                    got_normal = True
                    if first_normal is None or tk.key < first_normal.key:
                        first_normal = tk
                if got_normal and got_priority:
                    break
        if first_priority is None:
            return first_normal
        if first_normal is None or first_priority.key < first_normal.key:
            return first_priority
        if first_normal.overtaken >= self.max_overtake:
            return first_normal
        return first_priority

    def _take(self, cd: CounterDay, tk: TicketRow) -> None:
        self.waiting[tk.svc.code].remove(tk)
        if tk.priority:  # normal tickets issued before it have been overtaken once more
            for code in cd.d.codes:
                for other in self.waiting[code]:
                    if not other.priority and other.key < tk.key:
                        other.overtaken += 1

    def _call(
        self,
        cd: CounterDay,
        tk: TicketRow,
        t: int,
        reason: str | None = None,
        data: tuple[str, TicketRow] | None = None,
    ) -> None:
        self._ev(
            t,
            "called",
            tk,
            None,
            cd.id,
            cd.officer,
            reason,
            data or self._data("policy", "priority"),
        )
        tk.status, tk.counter, tk.called = "called", cd.id, t

    def _dispatch(self, cd: CounterDay, tk: TicketRow, t: int) -> int:
        rng = self.rng
        if rng.random() < P_OUT_OF_ORDER:
            others = [
                o
                for code in cd.d.codes
                for o in self.waiting[code]
                if o is not tk and o.avail <= t and o.reopen is None
            ]
            if others:
                others.sort(key=lambda o: o.key)
                chosen = others[rng.randrange(min(len(others), 5))]
                self._take(cd, chosen)
                self._call(cd, chosen, t, rng.choice(rules.OUT_OF_ORDER_REASONS), ("ooo", tk))
                return self._after_call(cd, chosen, t)
        self._take(cd, tk)
        self._call(cd, tk, t)
        return self._after_call(cd, tk, t)

    def _after_call(self, cd: CounterDay, tk: TicketRow, t: int) -> int:
        rng = self.rng
        staff = cd.officer
        r = rng.random()
        if tk.reopen is None and not tk.skipped:
            if r < P_NO_SHOW:
                for _ in range(rng.randint(1, 2)):
                    t += rng.randint(40, 90)
                    self._ev(t, "recalled", tk, None, cd.id, staff, rules.RECALL_REASONS[0])
                t += rng.randint(60, 150)
                reason = (
                    rules.NO_SHOW_REASONS[0] if rng.random() < 0.85 else rules.NO_SHOW_REASONS[1]
                )
                self._ev(t, "no_show", tk, None, cd.id, staff, reason)
                tk.status = "no_show"
                for app in tk.apps:
                    app.status = app.outcome = "no_show"
                return t + rng.randint(10, 40)
            if r < P_NO_SHOW + P_SKIP:
                t += rng.randint(45, 150)
                self._ev(t, "skipped", tk, None, cd.id, staff, rng.choice(rules.SKIP_REASONS))
                tk.status, tk.counter, tk.called, tk.skipped = "waiting", None, None, True
                tk.avail = t + rng.randint(300, 1200)
                insort(self.waiting[tk.svc.code], tk, key=lambda o: o.key)
                return t + rng.randint(10, 40)
        walk = int(min(120, max(8, rng.lognormvariate(math.log(25), 0.5))))
        if r > 1 - P_RECALL:
            t += rng.randint(30, 60)
            self._ev(t, "recalled", tk, None, cd.id, staff, rng.choice(rules.RECALL_REASONS))
            walk = rng.randint(30, 120)
        t += walk
        if tk.reopen is not None:
            t = self._reopen(cd, tk, t)
        else:
            t = self._serve_apps(cd, tk, t)
        return self._survey(cd, tk, t)

    def _serve_now(
        self, cd: CounterDay, svc: Svc, priority: str | None, channel: str, t: int
    ) -> int:
        tk = self._issue(t, svc, priority, channel, cd.officer)
        self._ev(t, "called", tk, None, cd.id, cd.officer, None, '{"serve_now": true}')
        tk.status, tk.counter, tk.called = "called", cd.id, t
        t = self._serve_apps(cd, tk, t)
        return t + self.rng.randint(20, 90)  # no survey: the requester is not at the counter

    # --- end of a day: numbers and keys in time order ----------------------------------------

    def _close_day(self) -> None:
        ids = self.ids
        self.day_tickets.sort(key=lambda x: (x.issued, x.idx))
        seqs = self.ticket_seq
        next_id = ids.next[m.Ticket]
        for tk in self.day_tickets:
            seq = seqs.get(tk.letter, 0) + 1
            seqs[tk.letter] = seq
            tk.seq, tk.number = seq, rules.format_ticket_number(tk.letter, seq)
            tk.id = next_id
            next_id += 1
        ids.next[m.Ticket] = next_id
        self.day_apps.sort(key=lambda x: (x.created, x.idx))
        year = fiscal_year_of(self.day)
        number = self.numbers.get(year, 0)
        next_id = ids.next[m.Application]
        for app in self.day_apps:
            number += 1
            app.number = f"{number}/{year}"
            app.id = next_id
            next_id += 1
        ids.next[m.Application] = next_id
        self.numbers[year] = number
        # By time, then seq: the list is in seq order and the sort is stable.
        self.day_events.sort(key=itemgetter(0))
        next_id = ids.next[m.Event]
        for event in self.day_events:
            event[10] = next_id
            next_id += 1
        ids.next[m.Event] = next_id
        self.b_tickets.extend(self.day_tickets)
        self.b_apps.extend(self.day_apps)
        self.b_events.extend(self.day_events)
