"""What happens at the counter once a ticket is called, and what follows from it on later days:
the manual's steps timed around their standards, pauses, corrections and added services, the
people record, the EIT survey and the rating; deficiency records (Act s.8) with the visitor back
by the deadline or the application returned after it; cases of multi-day services with due
dates, decisions, result notices and s.10 delay notices.

``Serving`` is mixed into ``simulation.OfficeSim``: the day, the queue and the rows are there.
"""

from __future__ import annotations

import json
import math
import random
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from counter_tui.core.national_id import check_digit
from counter_tui.core.workdays import due_date, is_working_day
from counter_tui.db import models as m
from counter_tui.db.bulk_load import Ids
from counter_tui.services.demo.profile import Svc, thai_name
from counter_tui.services.demo.rows import (
    AppRow,
    CaseRow,
    CounterDay,
    Cut,
    DeficiencyRow,
    EventRow,
    Formatter,
    NoticeRow,
    PeopleRow,
    Plan,
    Scheduled,
    TicketRow,
    dumps,
    midnight,
    pick,
)
from counter_tui.services.visit import CORRECTION_REASONS, PAUSE_REASONS

MOSTLY_ACCEPTED = ("WATER_SUPPORT", "OFFICIAL_INFO_REQUEST")

P_MORE_SERVICES = 0.10
P_PAUSE = 0.08
P_CORRECTION = 0.015
P_DEFICIENCY = 0.07
P_REOPEN = 0.60
P_SURVEY = 0.88
P_RATING = 0.60
P_DELAY_NOTICES = 0.70
SURVEY_HOW = (("screen", 0.72), ("slip", 0.18), ("no_phone", 0.10))
RATINGS = ((5, 0.55), (4, 0.30), (3, 0.10), (2, 0.03), (1, 0.02))

REFERRED_REASONS = ("ไม่อยู่ในอำนาจหน้าที่ของ อบต. แนะนำให้ติดต่ออำเภอ", "ส่งต่อหน่วยงานที่รับผิดชอบโดยตรง")
CANCELLED_REASONS = (
    "ผู้รับบริการขอยกเลิก",
    "ผู้รับบริการเลือกบริการไม่ถูกต้อง",
    "ผู้รับบริการขอกลับไปเตรียมเอกสารมาใหม่",
)
RETURN_REASON = "พ้นกำหนดส่งเอกสารตามบันทึกความบกพร่อง (พ.ร.บ.การอำนวยความสะดวกฯ มาตรา 8)"
REOPEN_REASON = "ผู้ยื่นคำขอเดิมกลับมายื่นเอกสาร คำขอเลขที่ {}"  # as services.visit writes it
DELAY_REASONS = (
    "อยู่ระหว่างตรวจสอบสถานที่",
    "อยู่ระหว่างรอความเห็นจากหน่วยงานที่เกี่ยวข้อง",
    "อยู่ระหว่างเสนอผู้มีอำนาจพิจารณา",
)
DECISIONS = {
    "BUILDING_PERMIT_S21": ("อนุญาตให้ก่อสร้างอาคาร (อ.1)", "ไม่อนุญาต: แบบแปลนไม่เป็นไปตามกฎกระทรวง"),
    "HEALTH_HAZARD_LICENSE": (
        "ออกใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ",
        "ไม่อนุญาต: สถานประกอบการไม่ผ่านเกณฑ์ด้านสุขลักษณะ",
    ),
    "COMPLAINT": ("ตรวจสอบข้อเท็จจริงและดำเนินการแก้ไขแล้ว", "ไม่อยู่ในอำนาจหน้าที่ ส่งเรื่องต่อหน่วยงานที่เกี่ยวข้อง"),
}
DECISION_OTHER = ("พิจารณาแล้วเสร็จ", "ไม่อนุมัติ")

# What falls within a stretch of service, by (offset, kind) with its payload: 0 a pause (its
# place as a share of the stretch, seconds, reason), 1 a step done (its index), 2 and 3 a step
# done early and its correction, 4 a service added, 5 the people record.
Mark = (
    tuple[int, Literal[0], tuple[float, int, str]]
    | tuple[int, Literal[1], int]
    | tuple[int, Literal[2, 3, 5], None]
    | tuple[int, Literal[4], Svc]
)


class Serving:
    """Guided service, deficiency records and cases of one office's simulation (``OfficeSim``,
    which holds this state and the event helpers)."""

    office: int
    rng: random.Random
    by_code: dict[str, Svc]
    supervisors: dict[int, int]
    holidays: frozenset[date]
    now_ts: int
    today: date
    day: date
    retention_from: date
    ids: Ids
    fmt: Formatter
    scheduled: dict[date, list[Scheduled]]
    day_apps: list[AppRow]
    b_people: list[PeopleRow]
    b_defs: list[DeficiencyRow]
    b_cases: list[CaseRow]
    b_notices: list[NoticeRow]

    if TYPE_CHECKING:  # OfficeSim's

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
        ) -> EventRow: ...

        def _data(self, *key: str | int | bool) -> str: ...

        def _touch(self, obj: TicketRow | AppRow | DeficiencyRow) -> None: ...

        def _new_app(self, tk: TicketRow, svc: Svc, ts: int, counter: int | None) -> AppRow: ...

    def _survey(self, cd: CounterDay, tk: TicketRow, t: int) -> int:
        rng = self.rng
        if rng.random() < P_SURVEY:
            t += rng.randint(5, 20)
            how = pick(rng, SURVEY_HOW)
            self._ev(
                t, "survey_offered", tk, None, cd.id, cd.officer, None, self._data("survey", how)
            )
            if rng.random() < P_RATING:
                t += rng.randint(8, 40)
                self._ev(
                    t,
                    "rating_given",
                    tk,
                    None,
                    cd.id,
                    cd.officer,
                    None,
                    self._data("rating", pick(rng, RATINGS)),
                )
        return t + rng.randint(10, 40)

    # --- guided service -----------------------------------------------------------------------

    def _plan(self, svc: Svc, last: bool, visit_starts: bool = True) -> Plan:
        rng = self.rng
        r = rng.random()
        reason = None
        base = "accepted" if svc.days or svc.code in MOSTLY_ACCEPTED else "completed"
        if r < 0.95:
            outcome = base
        elif r < 0.975:
            outcome, reason = "referred", rng.choice(REFERRED_REASONS)
        else:
            outcome, reason = "cancelled", rng.choice(CANCELLED_REASONS)
        total = svc.median * math.exp(rng.gauss(0, svc.sigma))
        total = int(min(max(total, 40), svc.median * 5))
        n = len(svc.steps)
        if n == 0:
            steps, tail = [], total
        else:
            if any(svc.steps):
                steps = [
                    int(s * 0.7 * math.exp(rng.gauss(0, 0.35))) if s else total // n
                    for s in svc.steps
                ]
            else:
                weights = [rng.uniform(0.5, 1.5) for _ in range(n)]
                scale = total / sum(weights)
                steps = [max(5, int(w * scale)) for w in weights]
            tail = rng.randint(3, 30)
        if outcome in ("referred", "cancelled"):
            steps = steps[: rng.randint(0, max(0, n - 1))]
            tail = rng.randint(30, 180)
        pause = None
        if rng.random() < P_PAUSE:
            length = int(min(1800, max(60, rng.lognormvariate(math.log(300), 0.5))))
            pause = (
                rng.uniform(0.15, 0.85),
                length,
                pick(
                    rng,
                    ((PAUSE_REASONS[0], 0.6), (PAUSE_REASONS[1], 0.25), (PAUSE_REASONS[2], 0.15)),
                ),
            )
        deficiency = None
        rest_tail = 0
        if (
            last
            and visit_starts
            and svc.under_act
            and svc.docs
            and outcome in ("completed", "accepted")
            and rng.random() < P_DEFICIENCY
        ):
            if n:
                deficiency = rng.randint(0, n - 1)
                rest_tail, tail = tail, 0
            else:
                done = int(tail * rng.uniform(0.3, 0.6))
                deficiency, rest_tail, tail = 0, tail - done, done
        correction = None
        if n and rng.random() < P_CORRECTION:
            limit = deficiency if deficiency is not None else len(steps)
            long_steps = [j for j in range(limit) if steps[j] >= 60]
            if long_steps:
                correction = rng.choice(long_steps)
        return Plan(outcome, reason, steps, tail, pause, deficiency, rest_tail, correction)

    def _start(self, cd: CounterDay, tk: TicketRow, app: AppRow, t: int) -> None:
        self._ev(t, "started", tk, app, cd.id, cd.officer)
        tk.status = "serving"
        app.status, app.counter, app.officer = "serving", cd.id, cd.officer
        if app.started is None:
            app.started = t

    def _serve_apps(self, cd: CounterDay, tk: TicketRow, t: int) -> int:
        rng = self.rng
        extras: list[Svc] = []
        if len(cd.d.codes) > 1 and rng.random() < P_MORE_SERVICES:
            choices = [self.by_code[c] for c in cd.d.codes if c != tk.svc.code]
            for _ in range(1 if rng.random() < 0.85 else 2):
                total = sum(s.weight for s in choices)
                x = rng.random() * total
                for svc in choices:
                    x -= svc.weight
                    if x < 0:
                        break
                extras.append(svc)
        position = 0
        app = tk.apps[0]
        self._start(cd, tk, app, t)
        adds = extras
        while True:
            last = position == len(tk.apps) - 1 and not adds
            plan = self._plan(app.svc, last)
            t = self._run(cd, tk, app, t, plan, adds)
            adds = []
            position += 1
            if position >= len(tk.apps):
                break
            app = tk.apps[position]
            self._start(cd, tk, app, t)
        tk.status = "done"
        return t

    def _segment(
        self,
        cd: CounterDay,
        tk: TicketRow,
        app: AppRow,
        t: int,
        steps: list[int],
        first_index: int,
        tail: int,
        pause: tuple[float, int, str] | None,
        correction: int | None,
        adds: list[Svc],
        people: bool,
    ) -> int:
        """Steps, pause, correction, added services and the people record of one stretch of
        service from ``t``; returns when its closing event falls."""
        rng = self.rng
        marks: list[Mark] = []
        cumulative = 0
        for j, seconds in enumerate(steps):
            cumulative += seconds
            marks.append((cumulative, 1, j))
        total = cumulative + tail
        if pause is not None:
            marks.append((int(total * pause[0]), 0, pause))
        if correction is not None:
            boundary = sum(steps[: correction + 1])
            early = boundary - int(steps[correction] * rng.uniform(0.3, 0.6))
            marks.append((early, 2, None))
            marks.append((early + max(3, min(30, steps[correction] // 10)), 3, None))
        for svc in adds:
            marks.append((int(total * rng.uniform(0.1, 0.9)), 4, svc))
        if people:
            marks.append((min(90, total // 3), 5, None))
        if len(marks) > 1:
            marks.sort(key=lambda mark: (mark[0], mark[1]))
        paused = 0
        done = first_index
        early_event = None
        cid, staff = cd.id, cd.officer
        for mark in marks:  # mark[1] (its kind) tells what mark[2] is
            at = t + mark[0] + paused
            if mark[1] == 1:
                self._ev(at, "step_completed", tk, app, cid, staff, None, self._data("step", done))
                done += 1
            elif mark[1] == 0:
                _, length, reason = mark[2]
                self._ev(at, "paused", tk, app, cid, staff, reason)
                app.status = "paused"
                self._ev(at + length, "resumed", tk, app, cid, staff)
                app.status = "serving"
                paused += length
            elif mark[1] == 2:
                early_event = self._ev(
                    at, "step_completed", tk, app, cid, staff, None, self._data("step", done)
                )
            elif mark[1] == 3:
                self._ev(
                    at,
                    "corrected",
                    tk,
                    app,
                    cid,
                    staff,
                    rng.choice(CORRECTION_REASONS),
                    '{"what": "step"}',
                    corrects=early_event,
                )
            elif mark[1] == 4:
                new = self._new_app(tk, mark[2], at, cid)
                new.position = len(tk.apps) + 1
                self._ev(at, "service_added", tk, new, cid, staff, None, mark[2].added_data)
                tk.apps.append(new)
                self.day_apps.append(new)
            else:
                self._people(tk, app, cd, at)
        return t + total + paused

    def _run(
        self, cd: CounterDay, tk: TicketRow, app: AppRow, t: int, plan: Plan, adds: list[Svc]
    ) -> int:
        """One application from its start to documents_missing or finished."""
        svc = app.svc
        will_case = plan.outcome == "accepted" and bool(svc.days)
        people = self.day >= self.retention_from and (
            plan.deficiency_after is not None or will_case or self.rng.random() < 0.10
        )
        if plan.deficiency_after is not None:
            k = plan.deficiency_after
            form = self.rng.randint(120, 300)  # the officer fills in the deficiency record
            t = self._segment(
                cd,
                tk,
                app,
                t,
                plan.steps[:k],
                0,
                plan.tail + form,
                plan.pause,
                plan.correction,
                adds,
                people,
            )
            self._deficiency(cd, tk, app, t, plan, k)
            return t
        t = self._segment(
            cd, tk, app, t, plan.steps, 0, plan.tail, plan.pause, plan.correction, adds, people
        )
        self._finish(cd, tk, app, t, plan.outcome, plan.reason)
        return t

    def _finish(
        self, cd: CounterDay, tk: TicketRow, app: AppRow, t: int, outcome: str, reason: str | None
    ) -> None:
        self._ev(t, "finished", tk, app, cd.id, cd.officer, reason, self._data("outcome", outcome))
        app.status, app.outcome, app.finished = "finished", outcome, t
        svc = app.svc
        if outcome == "accepted" and svc.days:
            self._case(cd, tk, app, t)

    def _people(self, tk: TicketRow, app: AppRow, cd: CounterDay, at: int) -> None:
        rng = self.rng
        proxy = rng.random() < 0.10
        self._ev(
            at, "people_recorded", tk, app, cd.id, cd.officer, None, self._data("proxy", proxy)
        )
        svc = app.svc
        created = self.fmt(at)
        phone = f"08{rng.randrange(10**8):08d}" if rng.random() < 0.6 else None
        applicant = (
            self.ids.take(m.PersonalData),
            app,
            "applicant",
            thai_name(rng, set()),
            self._national_id(svc) if svc.needs_id else None,
            f"{rng.randint(1, 250)} หมู่ {rng.randint(1, 12)} ตำบลตัวอย่าง อำเภอเมือง จังหวัดตัวอย่าง"
            if svc.needs_address
            else None,
            phone,
            created,
        )
        self.b_people.append(applicant)
        if proxy:
            self.b_people.append(
                (
                    self.ids.take(m.PersonalData),
                    app,
                    "filer",
                    thai_name(rng, set()),
                    self._national_id(svc) if svc.needs_id else None,
                    None,
                    f"09{rng.randrange(10**8):08d}",
                    created,
                )
            )

    def _national_id(self, svc: Svc) -> str:
        rng = self.rng
        first = "3" if svc.code == "ELDERLY_ALLOWANCE_REG" else rng.choice("1123458")
        digits = first + "".join(rng.choice("0123456789") for _ in range(11))
        return digits + str(check_digit(digits))

    # --- deficiency records, reopening, returning ---------------------------------------------

    def _deficiency(
        self, cd: CounterDay, tk: TicketRow, app: AppRow, t: int, plan: Plan, k: int
    ) -> None:
        rng = self.rng
        svc = app.svc
        deadline = self.day + timedelta(days=rng.randint(7, 15))
        missing = rng.sample(svc.docs, min(len(svc.docs), 1 if rng.random() < 0.7 else 2))
        self._ev(
            t,
            "documents_missing",
            tk,
            app,
            cd.id,
            cd.officer,
            None,
            dumps(deadline=deadline.isoformat(), missing=len(missing)),
        )
        app.status = "deficient"
        record = DeficiencyRow()
        record.id = self.ids.take(m.DeficiencyRecord)
        record.app, record.created, record.staff, record.deadline = app, t, cd.officer, deadline
        record.missing = json.dumps(missing, ensure_ascii=False)
        record.checklist = json.dumps([[d, d not in missing] for d in svc.docs], ensure_ascii=False)
        thumb = rng.random() < 0.05
        record.mark = "thumbprint" if thumb else "signature"
        record.witness = thai_name(rng, set()) if thumb else None
        record.resolved = record.returned = record.reason = None
        record.flushed = record.dirty = False
        self.b_defs.append(record)
        app.deficiency = record
        app.rest = (plan.steps[k:], k, plan.rest_tail, plan.outcome, plan.reason)
        # What happens next: back with the documents by the deadline, or returned after it.
        if rng.random() < P_REOPEN:
            choices = []
            day = self.day + timedelta(days=1)
            while day <= deadline:
                if is_working_day(day, self.holidays):
                    choices.append(day)
                day += timedelta(days=1)
            if choices:
                back = choices[int(len(choices) * rng.random() ** 1.5)]
                if back <= self.today:
                    self.scheduled.setdefault(back, []).append(("reopen", app))
                return
        day = deadline + timedelta(days=1)
        for _ in range(rng.randint(0, 4) + 1):
            while not is_working_day(day, self.holidays):
                day += timedelta(days=1)
            found = day
            day += timedelta(days=1)
        if found <= self.today:
            self.scheduled.setdefault(found, []).append(("return", app))

    def _reopen(self, cd: CounterDay, tk: TicketRow, t: int) -> int:
        """services.visit.reopen_application on the visitor's new ticket, then the rest."""
        old = tk.reopen
        assert old is not None and old.rest is not None and old.deficiency is not None
        self._ev(
            t,
            "finished",
            tk,
            None,
            cd.id,
            cd.officer,
            REOPEN_REASON.format(old.number),
            self._data("outcome", "cancelled"),
        )
        old_ticket = old.ticket
        self._ev(t, "reopened", old_ticket, old, cd.id, cd.officer)
        tk.status = "done"
        for app in tk.apps:
            app.status, app.outcome, app.finished = "finished", "cancelled", t
        old_ticket.status, old_ticket.counter = "serving", cd.id
        old.status, old.counter, old.officer = "serving", cd.id, cd.officer
        old.deficiency.resolved = t
        self._touch(old_ticket)
        self._touch(old)
        self._touch(old.deficiency)
        steps, first_index, tail, outcome, reason = old.rest
        pause = None
        if self.rng.random() < P_PAUSE / 2:
            pause = (self.rng.uniform(0.2, 0.8), self.rng.randint(60, 600), PAUSE_REASONS[0])
        t = self._segment(cd, old_ticket, old, t, steps, first_index, tail, pause, None, [], False)
        self._finish(cd, old_ticket, old, t, outcome, reason)
        old_ticket.status = "done"
        return t

    def _return(self, app: AppRow, ts: int) -> None:
        """services.visit.return_application after the deadline (away from the counter)."""
        record = app.deficiency
        assert record is not None  # scheduled by _deficiency
        try:
            self._ev(
                ts,
                "finished",
                app.ticket,
                app,
                None,
                record.staff,
                RETURN_REASON,
                self._data("outcome", "returned"),
            )
        except Cut:
            return
        app.status, app.outcome, app.finished = "finished", "returned", ts
        record.returned, record.reason = ts, RETURN_REASON
        self._touch(app)
        self._touch(record)

    # --- cases (multi-day services) ---------------------------------------------------------

    def _case(self, cd: CounterDay, tk: TicketRow, app: AppRow, t: int) -> None:
        rng = self.rng
        svc = app.svc
        assert svc.days is not None  # _finish opens cases of multi-day services only
        day = self.day
        due = due_date(day, svc.days, svc.day_kind, self.holidays)
        self._ev(
            t,
            "case_opened",
            tk,
            app,
            cd.id,
            cd.officer,
            None,
            dumps(due=due.isoformat(), day_kind=svc.day_kind),
        )
        period = max(1, (due - day).days)
        r = rng.random()
        if r < 0.78:
            offset = max(1, math.ceil(period * rng.uniform(0.3, 0.95)))
        elif r < 0.92:
            offset = period + rng.randint(1, max(1, int(period * 0.6)))
        else:
            offset = period + int(period * rng.uniform(0.6, 2.5))
        decided_day = self._working_on_or_after(day + timedelta(days=offset))
        decided = midnight(decided_day) + rng.randint(9 * 3600, 16 * 3600)
        status, decided_at, decision, notified_at = "open", None, None, None
        if decided <= self.now_ts:
            status, decided_at = "decided", decided
            options = DECISIONS.get(svc.code, DECISION_OTHER)
            decision = options[0] if rng.random() < 0.9 else options[1]
            if rng.random() < 0.9:
                lag = rng.randint(1, 5)
            else:
                lag = rng.randint(8, 14)  # notified late (Act s.10 asks for 7 days)
            notify_day = self._working_on_or_after(decided_day + timedelta(days=lag))
            notified = midnight(notify_day) + rng.randint(9 * 3600, 16 * 3600)
            if notified <= self.now_ts:
                notified_at = notified
        case_id = self.ids.take(m.Case)
        self.b_cases.append(
            (
                case_id,
                app,
                self.fmt(t),
                day.isoformat(),
                due.isoformat(),
                svc.day_kind,
                status,
                self.fmt(decided_at),
                decision,
                self.fmt(notified_at),
                self.office,
            )
        )
        # Late: a delay notice every 7 days from the due date (not every office sends them;
        # services under the Act only, see _notice).
        if decided_day > due and rng.random() < P_DELAY_NOTICES:
            staff = self.supervisors.get(svc.unit_id, cd.officer)
            number = 1
            notice_day = due + timedelta(days=1)
            while True:
                when = self._working_on_or_after(notice_day)
                if when >= decided_day or when > self.today:
                    break
                self.scheduled.setdefault(when, []).append(
                    ("notice", (case_id, tk, app), number, staff)
                )
                number += 1
                notice_day += timedelta(days=7)

    def _working_on_or_after(self, day: date) -> date:
        while not is_working_day(day, self.holidays):
            day += timedelta(days=1)
        return day

    def _notice(
        self, case: tuple[int, TicketRow, AppRow], number: int, staff: int, ts: int
    ) -> None:
        case_id, tk, app = case
        reason = self.rng.choice(DELAY_REASONS)
        if not app.svc.under_act:  # no s.10 notice outside the Act (the draw above is kept,
            return  # so that a seed's other rows stay as they were)
        try:
            self._ev(
                ts,
                "delay_notice_sent",
                tk,
                app,
                None,
                staff,
                reason,
                dumps(number=number, copied_to_opdc=True),
            )
        except Cut:
            return
        self.b_notices.append(
            (self.ids.take(m.DelayNotice), case_id, number, self.fmt(ts), staff, reason, True)
        )
