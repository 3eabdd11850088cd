"""Provides staff administration and sign-in: roles, units, PINs hashed with scrypt, lock-out.

A staff member signs in with name + PIN (4 to 12 digits; the office may ask for more with the
setting ``security.pin_min_length``). Every fifth wrong PIN without a success locks the account,
for 5 minutes, then 15, then an hour; the twentieth locks it until an admin sets a new PIN
(``counter-tui staff reset-pin NAME``). The failed count is committed before the error is
raised, so it survives the error, a crash and a restart. A lock is lifted only when the time
is past its end and not behind the last failure: on PostgreSQL the time is the server's, on
SQLite a terminal clock set back cannot lift a lock early, and one set forward gains at most a
few tries before the admin-only lock.

PIN hashes are scrypt over an HMAC of the PIN keyed with the pepper (services/pin_pepper.py), a
secret kept outside the database. A hash made before the pepper (``scrypt$...``) still
verifies and is rehashed with the pepper at the next successful sign-in.

Names are compared after trimming, collapsing inner whitespace and Unicode NFC, so "สมชาย  ใจดี"
and "สมชาย ใจดี" are one person.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from peewee import IntegrityError, Model, ModelSelect

from counter_tui.core.clock import from_db, to_db
from counter_tui.core.text import control_message_th, has_control_characters
from counter_tui.core.thai_dates import format_time_th
from counter_tui.db import models as m
from counter_tui.db.database import is_postgres, write_transaction
from counter_tui.db.rows import tuples
from counter_tui.errors import UserError
from counter_tui.services.office import has_admin
from counter_tui.services.permissions import authorize, scope_of

ROLES = ("officer", "supervisor", "admin")
MAX_FAILED = 5  # wrong PINs per lock
LOCK_STEPS_MINUTES = (5, 15, 60)  # the 1st, 2nd, 3rd lock without a success in between
ADMIN_LOCK_AFTER = 20  # wrong PINs without a success: only an admin's new PIN unlocks
LOCK_MINUTES = LOCK_STEPS_MINUTES[0]
PIN_MIN_SETTING = "security.pin_min_length"
NAME_MAX = 100  # the column is VARCHAR(255); PostgreSQL refuses longer, SQLite would not

# scrypt at n=2**14, r=8, p=1 (16 MiB): measured 40-45 ms per hash on one core of an AMD EPYC
# server (Python 3.11, OpenSSL). Slow enough that a stolen database does not give up 4-digit
# PINs in bulk, quick enough for a sign-in. It runs outside the write transaction in sign_in
# so the other counters' writes never wait for it.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
PEPPERED = "scrypt-pepper"
_PIN_RE = re.compile(r"[0-9]{4,12}")


@dataclass(frozen=True)
class StaffInfo:
    id: int
    name: str
    role: str
    units: tuple[str, ...]
    active: bool
    all_units: bool = False
    """a supervisor who oversees every unit (the ปลัด; ``staff add --all-units``)"""


def unit_scope(staff: StaffInfo) -> tuple[str, ...] | None:
    """The units whose data ``staff`` may read, or None for every unit: an admin, or a
    supervisor marked ``all_units`` (the ปลัด). Anyone else sees their own units only (none if
    they have none). The one place this is decided: the dashboard, the cases list, the reports
    screen and its exports take their unit filter from here (``permissions.scope_of``)."""
    return scope_of(staff.role, staff.all_units, tuple(staff.units))


# --- PINs -------------------------------------------------------------------------------------


def validate_pin(pin: str, min_length: int = 4) -> str:
    """The PIN if it is ``min_length`` to 12 ASCII digits, else UserError."""
    if not isinstance(pin, str) or not _PIN_RE.fullmatch(pin):
        raise UserError("PIN ต้องเป็นตัวเลข 4–12 หลัก (PIN must be 4 to 12 digits 0-9); พิมพ์ PIN ใหม่")
    if len(pin) < min_length:
        raise UserError(
            f"สำนักงานนี้กำหนดให้ PIN ยาวอย่างน้อย {min_length} หลัก พิมพ์ PIN ใหม่ที่ยาว "
            f"{min_length}–12 หลัก (this office asks for a PIN of at least "
            f"{min_length} digits)"
        )
    return pin


def min_pin_length(office_id: int) -> int:
    """The office's minimum PIN length (setting ``security.pin_min_length``, default 4)."""
    row = (
        m.Setting.select(m.Setting.value)
        .where(
            (m.Setting.office == office_id)
            & (m.Setting.key == PIN_MIN_SETTING)
            & (m.Setting.fiscal_year == 0)
        )
        .first()
    )
    try:
        return min(12, max(4, int(row.value))) if row is not None else 4
    except ValueError:
        return 4


def _scrypt(secret: bytes, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    # OpenSSL needs about 128*r*(n + p + 2) bytes; the default limit (32 MiB) would refuse a
    # stronger setting chosen later, so the limit follows the parameters.
    return hashlib.scrypt(
        secret, salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=128 * r * (n + p + 2) + 1024 * 1024
    )


def _peppered(pin: str, pepper: bytes) -> bytes:
    return hmac.new(pepper, pin.encode("utf-8"), hashlib.sha256).digest()


def hash_pin(pin: str, salt: bytes | None = None, pepper: bytes | None = None) -> str:
    """A salted scrypt hash. With ``pepper`` (what the use-cases always give):
    ``scrypt-pepper$id$n$r$p$salt_b64$hash_b64`` over HMAC-SHA256(pepper, PIN), ``id`` naming
    the pepper; without, the older ``scrypt$n$r$p$salt_b64$hash_b64`` (the demo data's public
    PIN, upgraded at its first sign-in). ``salt`` is random unless given (the demo data gives
    one drawn from its seed, to be reproducible)."""
    validate_pin(pin)
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    params = (str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P))
    if pepper is None:
        head: tuple[str, ...] = ("scrypt", *params)
        secret = pin.encode("utf-8")
    else:
        from counter_tui.services.pin_pepper import pepper_id

        head = (PEPPERED, pepper_id(pepper), *params)
        secret = _peppered(pin, pepper)
    digest = _scrypt(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return "$".join(
        (*head, base64.b64encode(salt).decode("ascii"), base64.b64encode(digest).decode("ascii"))
    )


def hash_pepper_id(stored: str) -> str | None:
    """The pepper id of a peppered hash; None for an older (unpeppered) or malformed one."""
    parts = str(stored).split("$")
    return parts[1] if len(parts) == 7 and parts[0] == PEPPERED else None


def verify_pin(pin: str, stored: str, pepper: bytes | None = None) -> bool:
    """True when ``pin`` matches ``stored``; False for a wrong PIN, a malformed hash, or a
    peppered hash checked without its pepper (or with another one)."""
    try:
        parts = stored.split("$")
        if len(parts) == 7 and parts[0] == PEPPERED:
            from counter_tui.services.pin_pepper import pepper_id

            if pepper is None or parts[1] != pepper_id(pepper):
                return False
            secret = _peppered(pin, pepper)
            parts = parts[:1] + parts[2:]
        elif len(parts) == 6 and parts[0] == "scrypt":
            secret = pin.encode("utf-8")
        else:
            return False
        _, n_text, r_text, p_text, salt_b64, hash_b64 = parts
        n, r, p = int(n_text), int(r_text), int(p_text)
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(hash_b64, validate=True)
    except (AttributeError, ValueError, binascii.Error):
        return False
    # Bounds keep a corrupted row from asking for gigabytes of memory.
    if (
        not (2 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16)
        or not expected
        or len(expected) > 64
    ):
        return False
    try:
        actual = _scrypt(secret, salt, n, r, p, len(expected))
    except (ValueError, TypeError, AttributeError):
        return False
    return hmac.compare_digest(actual, expected)


def _pepper() -> bytes:
    from counter_tui.services.pin_pepper import current_pepper

    return current_pepper(m.database_proxy.obj)


# --- helpers ----------------------------------------------------------------------------------

_M = TypeVar("_M", bound=Model)


def _for_update(query: ModelSelect[_M]) -> ModelSelect[_M]:
    return query.for_update() if is_postgres(m.database_proxy.obj) else query


def clean_name(name: str) -> str:
    """The name as stored: trimmed, inner whitespace collapsed, NFC."""
    return unicodedata.normalize("NFC", " ".join(str(name).split()))


def _refuse_control(text: str, field_th: str, field_en: str) -> None:
    if has_control_characters(text):
        raise UserError(control_message_th(field_th, text, field_en))


def _unit_names(office_id: int) -> dict[str, int]:
    return dict(
        tuples(
            m.Unit.select(m.Unit.name, m.Unit.id)
            .where(m.Unit.office == office_id)
            .order_by(m.Unit.name),
            tuple[str, int],
        )
    )


def _known(names: Iterable[str]) -> str:
    return ", ".join(sorted(names)) or "-"


def _units_of(staff_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Unit names per staff id, in one query."""
    found: dict[int, list[str]] = {}
    if staff_ids:
        query = (
            m.StaffUnit.select(m.StaffUnit.staff, m.Unit.name)
            .join(m.Unit)
            .where(m.StaffUnit.staff.in_(staff_ids))
        )
        for staff_id, unit_name in tuples(query, tuple[int, str]):
            found.setdefault(staff_id, []).append(unit_name)
    return {sid: tuple(sorted(names)) for sid, names in found.items()}


def _info(row: m.Staff, units: tuple[str, ...]) -> StaffInfo:
    return StaffInfo(
        id=row.id,
        name=row.name,
        role=row.role,
        units=units,
        active=row.active,
        all_units=bool(row.all_units),
    )


def _locked_message(name: str, until: datetime, failed: int) -> str:
    # Round up to the minute shown, so that trying again at the time said always works.
    shown = until
    if until.second or until.microsecond:
        shown = until.replace(second=0, microsecond=0) + timedelta(minutes=1)
    at = format_time_th(shown)
    return (
        f"บัญชีของ '{name}' ถูกล็อกชั่วคราวเพราะใส่ PIN ผิด {failed} ครั้งโดยยังไม่สำเร็จ "
        f"ลองใหม่ได้ตั้งแต่ {at} หรือให้ผู้ดูแลระบบตั้ง PIN ใหม่ "
        f"(account locked after {failed} wrong PINs until {at} Bangkok time; try "
        "again then, or ask an admin to set a new PIN)"
    )


def _admin_locked_message(name: str) -> str:
    return (
        f"บัญชีของ '{name}' ถูกล็อกเพราะใส่ PIN ผิด {ADMIN_LOCK_AFTER} ครั้งโดยยังไม่สำเร็จ "
        "ให้ผู้ดูแลระบบตั้ง PIN ใหม่ (หน้าผู้ดูแลระบบ หรือ counter-tui staff reset-pin "
        f"ชื่อ) (account locked after {ADMIN_LOCK_AFTER} wrong PINs: an admin must set a new "
        "PIN)"
    )


def _clock_behind_message(name: str, last_failed: datetime) -> str:
    at = format_time_th(last_failed)
    return (
        f"บัญชีของ '{name}' ยังถูกล็อก: นาฬิกาของเครื่องนี้ย้อนหลังเวลาที่ใส่ PIN ผิดครั้งล่าสุด "
        f"({at}) ตั้งวันเวลาของเครื่องให้ถูกต้อง หรือให้ผู้ดูแลระบบตั้ง PIN ใหม่ (the lock "
        "stays: this PC's clock is behind the last wrong PIN; set the clock right or ask "
        "an admin to set a new PIN)"
    )


def _lock_error(row: m.Staff, name: str, now: datetime) -> str | None:
    """Why ``row`` may not try a PIN at ``now``, or None. A lock is lifted only when ``now`` is
    past its end AND not behind the last failure (a clock set back lifts nothing)."""
    if row.failed_pins >= ADMIN_LOCK_AFTER:
        return _admin_locked_message(name)
    locked_until = from_db(row.locked_until)
    if locked_until is None:
        return None
    if now < locked_until:
        return _locked_message(name, locked_until, row.failed_pins)
    last_failed = from_db(row.last_failed_at)
    if last_failed is not None and now < last_failed:
        return _clock_behind_message(name, last_failed)
    return None


def _lock_now(now: datetime) -> datetime:
    """The time locks are judged by: the server's on PostgreSQL (one clock for every PC, which
    no terminal can move), else ``now`` (the app's clock)."""
    db = m.database_proxy.obj
    if not is_postgres(db):
        return now
    value: datetime = db.execute_sql("SELECT now()").fetchone()[0]
    return from_db(value)


def _wrong_pin(row: m.Staff, name: str, now: datetime) -> str:
    """Count a wrong PIN on ``row`` (in the caller's transaction); the message to show."""
    failed = row.failed_pins + 1
    last = from_db(row.last_failed_at)
    last = now if last is None or now > last else last  # never moves back with the clock
    until = None
    if failed < ADMIN_LOCK_AFTER and failed % MAX_FAILED == 0:
        step = min(failed // MAX_FAILED, len(LOCK_STEPS_MINUTES)) - 1
        until = now + timedelta(minutes=LOCK_STEPS_MINUTES[step])
    (
        m.Staff.update(
            failed_pins=failed,
            locked_until=to_db(until) if until else None,
            last_failed_at=to_db(last),
        )
        .where(m.Staff.id == row.id)
        .execute()
    )
    if failed >= ADMIN_LOCK_AFTER:
        return _admin_locked_message(name)
    if until is not None:
        return _locked_message(name, until, failed)
    left = MAX_FAILED - failed % MAX_FAILED
    next_lock = failed // MAX_FAILED + 1
    tries = "try" if left == 1 else "tries"
    if next_lock * MAX_FAILED >= ADMIN_LOCK_AFTER:
        return (
            f"PIN ไม่ถูกต้อง เหลืออีก {left} ครั้งก่อนบัญชีถูกล็อกจนกว่าผู้ดูแลระบบจะตั้ง PIN ใหม่ "
            f"(wrong PIN: {left} {tries} left before the account is locked until an admin "
            "sets a new PIN)"
        )
    minutes = LOCK_STEPS_MINUTES[min(next_lock, len(LOCK_STEPS_MINUTES)) - 1]
    return (
        f"PIN ไม่ถูกต้อง เหลืออีก {left} ครั้งก่อนบัญชีถูกล็อก {minutes} นาที "
        f"(wrong PIN: {left} {tries} left before a {minutes}-minute lock)"
    )


def _pepper_mismatch_message(name: str) -> str:
    return (
        f"PIN ของ '{name}' ตั้งไว้กับกุญแจ PIN (pepper) ชุดอื่น ซึ่งไม่ใช่ของฐานข้อมูลนี้ "
        "นำไฟล์ pin-pepper.key เดิมกลับมาไว้ข้างฐานข้อมูล หรือให้ผู้ดูแลระบบตั้ง PIN ใหม่ "
        "(this PIN was set with another pepper: restore the pepper or ask an admin to set a "
        "new PIN)"
    )


def _unknown_message(name: str) -> str:
    return (
        f"ไม่พบชื่อผู้ใช้ '{name}' ในสำนักงานนี้ ตรวจการสะกดชื่อ หรือให้ผู้ดูแลระบบเพิ่มผู้ใช้ "
        f"(no active staff member named '{name}' in this office; check the spelling or ask "
        "an admin to add you)"
    )


# --- use-cases --------------------------------------------------------------------------------


def add_staff(
    office_id: int,
    name: str,
    role: str,
    pin: str,
    now: datetime,
    units: Sequence[str] = (),
    all_units: bool = False,
    *,
    actor_id: int | None = None,
) -> StaffInfo:
    """Add a staff member with a PIN and the units they belong to, in one transaction.
    ``all_units`` marks a supervisor who oversees every unit (the ปลัด). ``actor_id``: the
    admin adding them (services.permissions); without one, only the office's first admin."""
    _refuse_control(name, "ชื่อผู้ใช้", "the staff name")
    clean = clean_name(name)
    if not clean:
        raise UserError(
            "ชื่อผู้ใช้ว่างอยู่ ใส่ชื่อ-นามสกุล เช่น 'สมชาย ใจดี' (the staff name is empty: give a name)"
        )
    if len(clean) > NAME_MAX:
        raise UserError(
            f"ชื่อผู้ใช้ยาวเกิน {NAME_MAX} ตัวอักษร ใช้ชื่อที่สั้นลง "
            f"(the staff name is longer than {NAME_MAX} characters)"
        )
    role_clean = str(role).strip().lower()
    if role_clean not in ROLES:
        raise UserError(
            f"ไม่รู้จักบทบาท '{role}' ใช้ {' | '.join(ROLES)} "
            f"(unknown role '{role}': use one of {', '.join(ROLES)})"
        )
    if isinstance(units, str):  # one unit given bare, not a list of its characters
        units = (units,)
    for unit in units:
        _refuse_control(unit, "ชื่อหน่วยงาน", "the unit name")
    wanted = list(dict.fromkeys(clean_name(u) for u in units if clean_name(u)))
    if all_units and role_clean != "supervisor":
        raise UserError(
            "--all-units ใช้ได้กับหัวหน้างาน (--role supervisor) เท่านั้น เช่น ปลัด "
            "ผู้ดูแลทุกหน่วยงาน; ผู้ดูแลระบบ (admin) เห็นทุกหน่วยงานอยู่แล้ว ให้ตัด "
            "--all-units ออก (--all-units is for a supervisor only; an admin sees "
            "every unit anyway)"
        )
    if role_clean == "supervisor" and not wanted and not all_units:
        raise UserError(
            "หัวหน้างาน (supervisor) ต้องสังกัดอย่างน้อยหนึ่งหน่วยงาน ระบุด้วย --unit "
            "เช่น --unit สำนักปลัด (a supervisor must belong to at least one unit)"
        )
    validate_pin(pin, min_pin_length(office_id))
    pin_hash = hash_pin(pin, pepper=_pepper())  # slow: done before the transaction opens
    with write_transaction():
        if not (actor_id is None and role_clean == "admin" and not has_admin(office_id)):
            authorize(actor_id, "add_staff", office_id=office_id)
        known = _unit_names(office_id)
        unknown = [u for u in wanted if u not in known]
        if unknown:
            raise UserError(
                f"ไม่พบหน่วยงาน {', '.join(unknown)} ในสำนักงานนี้ หน่วยงานที่มี: "
                f"{_known(known)} (unknown unit(s): {', '.join(unknown)})"
            )
        existing = (
            m.Staff.select(m.Staff.active)
            .where((m.Staff.office == office_id) & (m.Staff.name == clean))
            .first()
        )
        if existing is not None:
            raise _duplicate(clean, existing.active)
        try:
            row = m.Staff.create(
                office=office_id,
                name=clean,
                role=role_clean,
                pin_hash=pin_hash,
                failed_pins=0,
                locked_until=None,
                active=True,
                created_at=to_db(now),
                all_units=all_units,
            )
        except IntegrityError:  # added by another counter since the check above
            raise _duplicate(clean, True) from None
        for unit in wanted:
            m.StaffUnit.create(staff=row.id, unit=known[unit])
    return _info(row, tuple(sorted(wanted)))


def _duplicate(name: str, active: bool) -> UserError:
    note = "" if active else " (ปิดใช้งานอยู่ / inactive)"
    return UserError(
        f"มีผู้ใช้ชื่อ '{name}'{note} ในสำนักงานนี้แล้ว ใช้ชื่ออื่น เช่น เติมนามสกุล "
        f"(a staff member named '{name}' exists already in this office)"
    )


def create_first_admin(office_id: int, name: str, pin: str, now: datetime) -> StaffInfo:
    """The first-run admin account; refused once any admin exists, even if two terminals on a
    fresh database submit at the same moment (the check and the insert share one lock)."""
    from counter_tui.db.database import claim_transaction

    with claim_transaction(m.database_proxy.obj, office_id):
        if has_admin(office_id):
            raise UserError(
                "มีผู้ดูแลระบบแล้ว: ลงชื่อเข้าใช้ด้วยบัญชีนั้น (an admin exists already; sign in with it)"
            )
        return add_staff(office_id, name, "admin", pin, now)


def list_staff(office_id: int) -> list[StaffInfo]:
    """Every staff member of the office, active or not, by name (two queries)."""
    rows = list(
        m.Staff.select(
            m.Staff.id, m.Staff.name, m.Staff.role, m.Staff.active, m.Staff.all_units
        ).where(m.Staff.office == office_id)
    )
    units = _units_of([r.id for r in rows])
    # Sorted here, not in SQL, so SQLite and PostgreSQL (whose collation varies) agree.
    return sorted((_info(r, units.get(r.id, ())) for r in rows), key=lambda s: (s.name, s.id))


def get_staff(staff_id: int) -> StaffInfo:
    row: m.Staff | None = (
        m.Staff.select(m.Staff.id, m.Staff.name, m.Staff.role, m.Staff.active, m.Staff.all_units)
        .where(m.Staff.id == staff_id)
        .first()
    )
    if row is None:
        raise UserError(f"ไม่พบผู้ใช้หมายเลข {staff_id} (no staff member with id {staff_id})")
    return _info(row, _units_of([row.id]).get(row.id, ()))


def sign_in(office_id: int, name: str, pin: str, now: datetime) -> StaffInfo:
    """Check name + PIN. A wrong PIN is counted (and committed) before the UserError. Something
    that is not a PIN at all (empty, or not 4–12 digits: an Enter pressed on an empty field, a
    name typed into the PIN field) is refused without counting a try against the account."""
    clean = clean_name(name)
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        raise UserError("พิมพ์ PIN เป็นตัวเลข 4–12 หลัก (ยังไม่นับเป็นการใส่ PIN ผิด)")
    query = m.Staff.select().where((m.Staff.office == office_id) & (m.Staff.name == clean))
    first: m.Staff | None = query.first()
    if first is None or not first.active:
        raise UserError(_unknown_message(clean))
    locked = _lock_error(first, clean, _lock_now(now))
    if locked is not None:
        raise UserError(locked)  # not even checked while locked
    pepper = _pepper()
    verified_hash = first.pin_hash
    made_with = hash_pepper_id(verified_hash)
    from counter_tui.services.pin_pepper import pepper_id

    if made_with is not None and made_with != pepper_id(pepper):
        raise UserError(_pepper_mismatch_message(clean))  # not the officer's mistake: not counted
    ok = verify_pin(pin, verified_hash, pepper)  # slow: outside the write transaction
    # An older hash, without the pepper, is made again with it (also slow, so also here).
    upgraded = hash_pin(pin, pepper=pepper) if ok and made_with is None else None

    error: str | None = None
    info: StaffInfo | None = None
    with write_transaction():
        # Read again under the lock: another counter may have counted a try or locked it.
        row: m.Staff | None = _for_update(m.Staff.select().where(m.Staff.id == first.id)).first()
        lock_now = _lock_now(now)
        if row is None or not row.active:
            error = _unknown_message(clean)
        elif (locked := _lock_error(row, clean, lock_now)) is not None:
            error = locked
        else:
            if row.pin_hash != verified_hash:  # an admin set a new PIN meanwhile
                ok = verify_pin(pin, row.pin_hash, pepper)
                upgraded = None
            if ok:
                changes: dict[str, object] = {}
                if row.failed_pins or row.locked_until is not None or row.last_failed_at:
                    changes.update(failed_pins=0, locked_until=None, last_failed_at=None)
                if upgraded is not None:
                    changes["pin_hash"] = upgraded
                if changes:
                    m.Staff.update(**changes).where(m.Staff.id == row.id).execute()
                info = _info(row, _units_of([row.id]).get(row.id, ()))
            else:
                error = _wrong_pin(row, clean, lock_now)
    # Raised only now, after the commit: the failed count must survive the error.
    if error is not None:
        raise UserError(error)
    assert info is not None
    return info


def set_pin(staff_id: int, pin: str, now: datetime, *, actor_id: int | None = None) -> StaffInfo:
    """An admin (``actor_id``) sets a new PIN: the failed count and any lock are cleared.

    ``now`` is taken for the use-case signature; the Staff table keeps no change time.
    """
    validate_pin(pin)
    office_id = m.Staff.select(m.Staff.office).where(m.Staff.id == staff_id).scalar()
    if office_id is None:
        raise UserError(f"ไม่พบผู้ใช้หมายเลข {staff_id} (no staff member with id {staff_id})")
    validate_pin(pin, min_pin_length(office_id))
    pin_hash = hash_pin(pin, pepper=_pepper())
    with write_transaction():
        authorize(actor_id, "set_pin", office_id=office_id)
        updated = (
            m.Staff.update(pin_hash=pin_hash, failed_pins=0, locked_until=None, last_failed_at=None)
            .where(m.Staff.id == staff_id)
            .execute()
        )
        if not updated:
            raise UserError(f"ไม่พบผู้ใช้หมายเลข {staff_id} (no staff member with id {staff_id})")
    return get_staff(staff_id)


def reset_pin(
    office_id: int, name: str, pin: str, now: datetime, *, actor_id: int | None = None
) -> StaffInfo:
    """An admin sets a new PIN for the staff member named ``name`` (``counter-tui staff
    reset-pin``): the only way out of the lock after many wrong PINs."""
    clean = clean_name(name)
    row = (
        m.Staff.select(m.Staff.id)
        .where((m.Staff.office == office_id) & (m.Staff.name == clean))
        .first()
    )
    if row is None:
        raise UserError(_unknown_message(clean))
    return set_pin(row.id, pin, now, actor_id=actor_id)
