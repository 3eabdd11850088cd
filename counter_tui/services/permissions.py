"""Provides the one permission layer: who may do each use-case that changes data or reads
personal data or per-officer figures, checked by the use-case itself, inside its transaction,
against its actor (the signed-in staff member's id).

Three kinds of rule, one table (``RULES``):

- ``counter``: at a counter (call, serve, record, correct, close): the staff member who holds that
  counter now (``Counter.officer``), whatever their role. A ticket is issued by any active staff
  member of the office (the officer at the reception desk who holds no counter, or the officer at
  their counter; ``issue_ticket``'s ``staff_id``), as PRODUCT.md's small office has one person
  issuing and serving.
- ``supervise``: a supervisor within their units (``services.staff.unit_scope``: the ปลัด, a
  supervisor with ``all_units``, and admins see every unit); when the row's unit is known it is
  checked.
- ``admin``: admins only. Creating the first admin of an office that has none is the one thing
  done without an actor (``staff.create_first_admin``, and ``staff add --role admin`` on such an
  office).

A refusal is ``PermissionDenied`` (a ``UserError``): the CLI prints it and exits 77, the app shows
it; its Thai message says who may do it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from counter_tui.db import models as m
from counter_tui.db.rows import tuples
from counter_tui.errors import UserError


class PermissionDenied(UserError):
    """The actor may not do this use-case; the message says who may."""

    exit_code = 77  # EX_NOPERM


@dataclass(frozen=True)
class Rule:
    kind: str  # "counter" | "issue" | "supervise" | "admin"
    what_th: str  # the use-case, in the refusal ("เรียกคิวถัดไป")


_AT_COUNTER = {
    "call_next": "เรียกคิวถัดไป",
    "call_ticket": "เรียกคิวตามหมายเลข",
    "recall": "เรียกซ้ำ",
    "skip": "ข้ามคิว",
    "start_serving": "เริ่มให้บริการ",
    "serve_now": "รับบริการทันที",
    "complete_step": "บันทึกขั้นตอน",
    "toggle_pause": "พัก/ให้บริการต่อ",
    "save_checklist": "บันทึกรายการเอกสาร",
    "save_people": "บันทึกข้อมูลผู้ยื่นคำขอ",
    "record_deficiency": "บันทึกความบกพร่องของเอกสาร",
    "finish": "จบการให้บริการ",
    "add_service": "เพิ่มบริการ",
    "transfer": "ส่งต่อไปช่องอื่น",
    "correct": "แก้ไขบันทึก",
    "reopen": "เปิดคำขอที่รอเอกสารอีกครั้ง",
    "return_application": "คืนคำขอ",
    "undo_finish": "ยกเลิกการจบบริการ",
    "counter_state": "เปลี่ยนสถานะช่องบริการ",
    "close_counter": "ปิดช่องบริการ",
    "offer_survey": "เสนอแบบประเมิน",
    "rate": "บันทึกคะแนนประเมิน",
    "slip_printed": "บันทึกการพิมพ์ใบแจ้งผล",
}
_SUPERVISE = {
    "dashboard": "ดูแดชบอร์ดหัวหน้างาน",
    "list_cases": "ดูรายการเรื่อง",
    "case_progress": "บันทึกความคืบหน้าของเรื่อง",
    "case_decide": "บันทึกผลการพิจารณา",
    "case_notify": "บันทึกการแจ้งผล",
    "case_delay_notice": "ส่งหนังสือแจ้งความล่าช้า",
    "stats_with_officers": "ดูสถิติรายเจ้าหน้าที่",
    "visits_export": "ส่งออกข้อมูลการให้บริการ",
}
_ADMIN = {
    "add_staff": "เพิ่มผู้ใช้",
    "set_pin": "ตั้ง PIN ใหม่",
    "set_staff_active": "เปิด/ปิดผู้ใช้",
    "add_counter": "เพิ่มจุดบริการ",
    "set_counter_services": "เปลี่ยนบริการของจุดบริการ",
    "set_counter_printer": "ตั้งเครื่องพิมพ์ของจุดบริการ",
    "settings_set": "เปลี่ยนการตั้งค่า",
    "catalog_import": "นำเข้าคู่มือ",
    "office_add": "เพิ่มสำนักงาน",
    "restore": "กู้คืนข้อมูล",
    "backup": "สำรองข้อมูล",
    "list_staff": "ดูรายชื่อผู้ใช้และบทบาท",
}

RULES: dict[str, Rule] = {
    **{action: Rule("counter", what) for action, what in _AT_COUNTER.items()},
    "issue_ticket": Rule("issue", "ออกบัตรคิว"),
    "open_counter": Rule("issue", "เปิดช่องบริการ"),
    **{action: Rule("supervise", what) for action, what in _SUPERVISE.items()},
    **{action: Rule("admin", what) for action, what in _ADMIN.items()},
}
"""Every use-case that changes data or reads personal data or per-officer figures → its rule."""

_WHO = {
    "counter": "เจ้าหน้าที่ที่เปิดช่องบริการนั้นอยู่เท่านั้น (only the officer who holds the counter)",
    "issue": "เจ้าหน้าที่ของสำนักงานนี้ที่ลงชื่อเข้าใช้ (a signed-in staff member of this office)",
    "supervise": "หัวหน้างานของหน่วยงานนั้น ปลัด หรือผู้ดูแลระบบเท่านั้น "
    "(a supervisor of that unit, the ปลัด, or an admin)",
    "admin": "ผู้ดูแลระบบ (admin) เท่านั้น (admins only)",
}


@dataclass(frozen=True)
class Actor:
    id: int
    office_id: int
    name: str
    role: str
    all_units: bool
    units: tuple[str, ...]

    def unit_scope(self) -> tuple[str, ...] | None:
        """Units whose data the actor may read; None for every unit (``scope_of``)."""
        return scope_of(self.role, self.all_units, self.units)


def scope_of(role: str, all_units: bool, units: tuple[str, ...]) -> tuple[str, ...] | None:
    """The units whose data a staff member may read, or None for every unit: an admin, or a
    supervisor marked ``all_units`` (the ปลัด). Anyone else: their own units (none if they
    have none). The one place this is decided (``services.staff.unit_scope`` asks it too)."""
    if role == "admin" or (role == "supervisor" and all_units):
        return None
    return tuple(units)


def _denied(rule: Rule, why: str = "") -> PermissionDenied:
    extra = f" {why}" if why else ""
    return PermissionDenied(
        f"ไม่มีสิทธิ์{rule.what_th}:{extra} ทำได้โดย{_WHO[rule.kind]} ให้ผู้มีสิทธิ์ลงชื่อเข้าใช้แล้วทำอีกครั้ง"
    )


def load_actor(actor_id: int | None) -> Actor | None:
    """The active staff member ``actor_id`` with their units, else None."""
    if actor_id is None:
        return None
    row: m.Staff | None = (
        m.Staff.select(
            m.Staff.id,
            m.Staff.office,
            m.Staff.name,
            m.Staff.role,
            m.Staff.all_units,
            m.Staff.active,
        )
        .where(m.Staff.id == actor_id)
        .first()
    )
    if row is None or not row.active:
        return None
    units = tuple(
        sorted(
            name
            for (name,) in tuples(
                m.StaffUnit.select(m.Unit.name).join(m.Unit).where(m.StaffUnit.staff == row.id),
                tuple[str],
            )
        )
    )
    return Actor(row.id, row.office_id, row.name, row.role, bool(row.all_units), units)


def scoped_units(
    actor: int | None, action: str, office_id: int, units: Iterable[str] | None = None
) -> tuple[str, ...] | None:
    """For a supervisor's read of many rows (``action``: dashboard, cases list, statistics with
    officers, the visits export): ``authorize``, then the units to read: the actor's scope
    (None: every unit), narrowed to ``units`` when the caller asks for fewer."""
    scope = authorize(actor, action, office_id=office_id).unit_scope()
    if units is None:
        return scope
    asked = tuple(dict.fromkeys(units))
    return asked if scope is None else tuple(u for u in asked if u in scope)


class _HolderRow(TypedDict):
    """A counter with its holder, as ``_at_counter`` reads it."""

    name: str
    office: int
    officer: int
    staff_name: str
    role: str
    all_units: bool
    active: bool


def _at_counter(
    actor: int | None, rule: Rule, counter_id: int | None, office_id: int | None
) -> Actor:
    """A ``counter`` rule in one query (call next runs it at every call): the counter's holder,
    active, of the office, is the actor. The Actor returned has no units (not read)."""
    row: _HolderRow | None = None
    if actor is not None and counter_id is not None:
        row = (
            m.Counter.select(
                m.Counter.name,
                m.Counter.office,
                m.Counter.officer,
                m.Staff.name.alias("staff_name"),
                m.Staff.role,
                m.Staff.all_units,
                m.Staff.active,
            )
            .join(m.Staff, on=(m.Counter.officer == m.Staff.id))
            .where(m.Counter.id == counter_id)
            .dicts()
            .first()
        )
    if (
        row is not None
        and row["officer"] == actor
        and row["active"]
        and (office_id is None or row["office"] == office_id)
    ):
        return Actor(
            row["officer"],
            row["office"],
            row["staff_name"],
            row["role"],
            bool(row["all_units"]),
            (),
        )
    who = load_actor(actor)
    if who is None:
        raise _denied(rule, "ยังไม่ได้ลงชื่อเข้าใช้ หรือบัญชีนี้ถูกปิดใช้งาน (no active signed-in staff member);")
    if counter_id is None:
        raise _denied(rule, f"{who.name} ยังไม่ได้เปิดช่องบริการ (holds no counter);")
    name = m.Counter.select(m.Counter.name).where(m.Counter.id == counter_id).scalar() or str(
        counter_id
    )
    raise _denied(rule, f"{who.name} ไม่ได้เปิดช่อง {name} อยู่ (does not hold the counter);")


def holder_may(
    actor: int | None,
    action: str,
    holder: int | None,
    holder_active: object,
    counter_office: int | None,
    office_id: int | None,
) -> bool:
    """The ``counter`` rule decided from facts the caller has read already (call next reads its
    counter, holder included, in one hand-written statement): the actor holds the counter, is
    active, and the counter is the office's. False means "ask ``authorize``" (which refuses with
    the full message, or allows by the same rule)."""
    return (
        RULES[action].kind == "counter"
        and actor is not None
        and holder == actor
        and bool(holder_active)
        and (office_id is None or counter_office == office_id)
    )


def held_counter(staff_id: int | None) -> int | None:
    """The counter ``staff_id`` holds now, if any (a counter use-case named by its ticket or
    application rather than its counter)."""
    if staff_id is None:
        return None
    held: int | None = m.Counter.select(m.Counter.id).where(m.Counter.officer == staff_id).scalar()
    return held


def authorize(
    actor: int | None,
    action: str,
    *,
    unit: str | None = None,
    counter_id: int | None = None,
    office_id: int | None = None,
) -> Actor:
    """The actor (a staff id) if they may do ``action`` (a key of ``RULES``), else
    ``PermissionDenied``. ``counter_id``: the counter the use-case acts at (``counter`` rules);
    ``unit``: the unit of the row a supervisor reads or changes; ``office_id``: the office the
    use-case works in (the actor must belong to it). Call it inside the use-case's transaction,
    so a counter handed over or a role changed meanwhile counts."""
    rule = RULES[action]  # a KeyError is a bug: every checked use-case is in the table
    if rule.kind == "counter":
        return _at_counter(actor, rule, counter_id, office_id)
    who = load_actor(actor)
    if who is None:
        raise _denied(rule, "ยังไม่ได้ลงชื่อเข้าใช้ หรือบัญชีนี้ถูกปิดใช้งาน (no active signed-in staff member);")
    if office_id is not None and who.office_id != office_id:
        raise _denied(rule, f"{who.name} อยู่สำนักงานอื่น (another office's staff member);")
    if rule.kind == "issue":
        return who
    if rule.kind == "admin":
        if who.role != "admin":
            raise _denied(rule)
        return who
    if who.role not in ("supervisor", "admin"):
        raise _denied(rule)
    scope = who.unit_scope()
    if unit is not None and scope is not None and unit not in scope:
        raise _denied(rule, f"{who.name} ไม่ได้ดูแลหน่วยงาน {unit} (not a supervisor of that unit);")
    return who
