"""Provides staff administration and sign-in: roles, units, PINs hashed with scrypt, lock-out.

A staff member signs in with name + PIN (4 to 12 digits). Five wrong PINs in a row lock the
account for five minutes; the failed count is committed before the error is raised, so it
survives the error, a crash and a restart. An admin can set a new PIN, which also lifts a lock.

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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

from peewee import IntegrityError

from counter_tui.core.clock import from_db, to_db
from counter_tui.core.thai_dates import format_time_th
from counter_tui.db import models as m
from counter_tui.db.database import is_postgres, write_transaction
from counter_tui.services.office import has_admin
from counter_tui.errors import UserError

ROLES = ("officer", "supervisor", "admin")
MAX_FAILED = 5
LOCK_MINUTES = 5
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
_PIN_RE = re.compile(r"[0-9]{4,12}")


@dataclass(frozen=True)
class StaffInfo:
    id: int
    name: str
    role: str
    units: tuple[str, ...]
    active: bool


# --- PINs -------------------------------------------------------------------------------------

def validate_pin(pin: str) -> str:
    """The PIN if it is 4 to 12 ASCII digits, else UserError."""
    if not isinstance(pin, str) or not _PIN_RE.fullmatch(pin):
        raise UserError("PIN ต้องเป็นตัวเลข 4–12 หลัก (PIN must be 4 to 12 digits 0-9); "
                        "พิมพ์ PIN ใหม่")
    return pin


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    # OpenSSL needs about 128*r*(n + p + 2) bytes; the default limit (32 MiB) would refuse a
    # stronger setting chosen later, so the limit follows the parameters.
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen,
                          maxmem=128 * r * (n + p + 2) + 1024 * 1024)


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """A salted scrypt hash: ``scrypt$n$r$p$salt_b64$hash_b64``. ``salt`` is random unless
    given (the demo data gives one drawn from its seed, to be reproducible)."""
    validate_pin(pin)
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return "$".join(("scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
                     base64.b64encode(salt).decode("ascii"),
                     base64.b64encode(digest).decode("ascii")))


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches ``stored``; False for a wrong PIN or a malformed hash."""
    try:
        scheme, n_text, r_text, p_text, salt_b64, hash_b64 = stored.split("$")
        n, r, p = int(n_text), int(r_text), int(p_text)
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(hash_b64, validate=True)
    except (AttributeError, ValueError, binascii.Error):
        return False
    # Bounds keep a corrupted row from asking for gigabytes of memory.
    if scheme != "scrypt" or not (2 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16) \
            or not expected or len(expected) > 64:
        return False
    try:
        actual = _scrypt(pin, salt, n, r, p, len(expected))
    except (ValueError, TypeError, AttributeError):
        return False
    return hmac.compare_digest(actual, expected)


# --- helpers ----------------------------------------------------------------------------------

def _write_transaction():
    return write_transaction(m.database_proxy.obj)


def _for_update(query):
    return query.for_update() if is_postgres(m.database_proxy.obj) else query


def clean_name(name: str) -> str:
    """The name as stored: trimmed, inner whitespace collapsed, NFC."""
    return unicodedata.normalize("NFC", " ".join(str(name).split()))


def _unit_names(office_id: int) -> dict[str, int]:
    return dict(m.Unit.select(m.Unit.name, m.Unit.id).where(m.Unit.office == office_id)
                .order_by(m.Unit.name).tuples())


def _known(names) -> str:
    return ", ".join(sorted(names)) or "-"


def _units_of(staff_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Unit names per staff id, in one query."""
    found: dict[int, list[str]] = {}
    if staff_ids:
        query = (m.StaffUnit.select(m.StaffUnit.staff, m.Unit.name).join(m.Unit)
                 .where(m.StaffUnit.staff.in_(staff_ids)).tuples())
        for staff_id, unit_name in query:
            found.setdefault(staff_id, []).append(unit_name)
    return {sid: tuple(sorted(names)) for sid, names in found.items()}


def _info(row, units: tuple[str, ...]) -> StaffInfo:
    return StaffInfo(id=row.id, name=row.name, role=row.role, units=units, active=row.active)


def _locked_message(name: str, until: datetime) -> str:
    # Round up to the minute shown, so that trying again at the time said always works.
    shown = until
    if until.second or until.microsecond:
        shown = until.replace(second=0, microsecond=0) + timedelta(minutes=1)
    at = format_time_th(shown)
    return (f"บัญชีของ '{name}' ถูกล็อกชั่วคราวเพราะใส่ PIN ผิด {MAX_FAILED} ครั้งติดกัน "
            f"ลองใหม่ได้ตั้งแต่ {at} หรือให้ผู้ดูแลระบบตั้ง PIN ใหม่ "
            f"(account locked after {MAX_FAILED} wrong PINs until {at} Bangkok time; try "
            "again then, or ask an admin to set a new PIN)")


def _unknown_message(name: str) -> str:
    return (f"ไม่พบชื่อผู้ใช้ '{name}' ในสำนักงานนี้ ตรวจการสะกดชื่อ หรือให้ผู้ดูแลระบบเพิ่มผู้ใช้ "
            f"(no active staff member named '{name}' in this office; check the spelling or ask "
            "an admin to add you)")


# --- use-cases --------------------------------------------------------------------------------

def add_staff(office_id: int, name: str, role: str, pin: str, now: datetime,
              units: Sequence[str] = ()) -> StaffInfo:
    """Add a staff member with a PIN and the units they belong to, in one transaction."""
    clean = clean_name(name)
    if not clean:
        raise UserError("ชื่อผู้ใช้ว่างอยู่ ใส่ชื่อ-นามสกุล เช่น 'สมชาย ใจดี' "
                        "(the staff name is empty: give a name)")
    if len(clean) > NAME_MAX:
        raise UserError(f"ชื่อผู้ใช้ยาวเกิน {NAME_MAX} ตัวอักษร ใช้ชื่อที่สั้นลง "
                        f"(the staff name is longer than {NAME_MAX} characters)")
    role_clean = str(role).strip().lower()
    if role_clean not in ROLES:
        raise UserError(f"ไม่รู้จักบทบาท '{role}' ใช้ {' | '.join(ROLES)} "
                        f"(unknown role '{role}': use one of {', '.join(ROLES)})")
    if isinstance(units, str):  # one unit given bare, not a list of its characters
        units = (units,)
    wanted = list(dict.fromkeys(clean_name(u) for u in units if clean_name(u)))
    if role_clean == "supervisor" and not wanted:
        raise UserError("หัวหน้างาน (supervisor) ต้องสังกัดอย่างน้อยหนึ่งหน่วยงาน ระบุด้วย --unit "
                        "เช่น --unit สำนักปลัด (a supervisor must belong to at least one unit)")
    validate_pin(pin)
    pin_hash = hash_pin(pin)  # slow: done before the transaction opens
    with _write_transaction():
        known = _unit_names(office_id)
        unknown = [u for u in wanted if u not in known]
        if unknown:
            raise UserError(f"ไม่พบหน่วยงาน {', '.join(unknown)} ในสำนักงานนี้ หน่วยงานที่มี: "
                            f"{_known(known)} (unknown unit(s): {', '.join(unknown)})")
        existing = (m.Staff.select(m.Staff.active)
                    .where((m.Staff.office == office_id) & (m.Staff.name == clean)).first())
        if existing is not None:
            raise _duplicate(clean, existing.active)
        try:
            row = m.Staff.create(office=office_id, name=clean, role=role_clean,
                                 pin_hash=pin_hash, failed_pins=0, locked_until=None,
                                 active=True, created_at=to_db(now))
        except IntegrityError:  # added by another counter since the check above
            raise _duplicate(clean, True) from None
        for unit in wanted:
            m.StaffUnit.create(staff=row.id, unit=known[unit])
    return _info(row, tuple(sorted(wanted)))


def _duplicate(name: str, active: bool) -> UserError:
    note = "" if active else " (ปิดใช้งานอยู่ / inactive)"
    return UserError(f"มีผู้ใช้ชื่อ '{name}'{note} ในสำนักงานนี้แล้ว ใช้ชื่ออื่น เช่น เติมนามสกุล "
                     f"(a staff member named '{name}' exists already in this office)")


def create_first_admin(office_id: int, name: str, pin: str, now: datetime) -> StaffInfo:
    """The first-run admin account; refused once any admin exists, even if two terminals on a
    fresh database submit at the same moment (the check and the insert share one lock)."""
    from counter_tui.db.database import claim_transaction

    with claim_transaction(m.database_proxy.obj, office_id):
        if has_admin(office_id):
            raise UserError("มีผู้ดูแลระบบแล้ว: ลงชื่อเข้าใช้ด้วยบัญชีนั้น "
                            "(an admin exists already; sign in with it)")
        return add_staff(office_id, name, "admin", pin, now)


def list_staff(office_id: int) -> list[StaffInfo]:
    """Every staff member of the office, active or not, by name (two queries)."""
    rows = list(m.Staff.select(m.Staff.id, m.Staff.name, m.Staff.role, m.Staff.active)
                .where(m.Staff.office == office_id))
    units = _units_of([r.id for r in rows])
    # Sorted here, not in SQL, so SQLite and PostgreSQL (whose collation varies) agree.
    return sorted((_info(r, units.get(r.id, ())) for r in rows), key=lambda s: (s.name, s.id))


def get_staff(staff_id: int) -> StaffInfo:
    row = (m.Staff.select(m.Staff.id, m.Staff.name, m.Staff.role, m.Staff.active)
           .where(m.Staff.id == staff_id).first())
    if row is None:
        raise UserError(f"ไม่พบผู้ใช้หมายเลข {staff_id} (no staff member with id {staff_id})")
    return _info(row, _units_of([row.id]).get(row.id, ()))


def sign_in(office_id: int, name: str, pin: str, now: datetime) -> StaffInfo:
    """Check name + PIN. A wrong PIN is counted (and committed) before the UserError."""
    clean = clean_name(name)
    query = m.Staff.select().where((m.Staff.office == office_id) & (m.Staff.name == clean))
    first = query.first()
    if first is None or not first.active:
        raise UserError(_unknown_message(clean))
    locked_until = from_db(first.locked_until)
    if locked_until is not None and locked_until > now:
        raise UserError(_locked_message(clean, locked_until))  # not even checked while locked
    verified_hash = first.pin_hash
    ok = verify_pin(pin, verified_hash)  # slow: outside the write transaction

    error: str | None = None
    info: StaffInfo | None = None
    with _write_transaction():
        # Read again under the lock: another counter may have counted a try or locked it.
        row = _for_update(m.Staff.select().where(m.Staff.id == first.id)).first()
        locked_until = from_db(row.locked_until) if row is not None else None
        if row is None or not row.active:
            error = _unknown_message(clean)
        elif locked_until is not None and locked_until > now:
            error = _locked_message(clean, locked_until)
        else:
            if row.pin_hash != verified_hash:  # an admin set a new PIN meanwhile
                ok = verify_pin(pin, row.pin_hash)
            if ok:
                if row.failed_pins or row.locked_until is not None:
                    (m.Staff.update(failed_pins=0, locked_until=None)
                     .where(m.Staff.id == row.id).execute())
                info = _info(row, _units_of([row.id]).get(row.id, ()))
            else:
                failed = row.failed_pins + 1
                if failed >= MAX_FAILED:
                    until = now + timedelta(minutes=LOCK_MINUTES)
                    (m.Staff.update(failed_pins=0, locked_until=to_db(until))
                     .where(m.Staff.id == row.id).execute())
                    error = _locked_message(clean, until)
                else:
                    (m.Staff.update(failed_pins=failed, locked_until=None)
                     .where(m.Staff.id == row.id).execute())
                    left = MAX_FAILED - failed
                    error = (f"PIN ไม่ถูกต้อง เหลืออีก {left} ครั้งก่อนบัญชีถูกล็อก "
                             f"{LOCK_MINUTES} นาที "
                             f"(wrong PIN: {left} {'try' if left == 1 else 'tries'} left before "
                             f"a {LOCK_MINUTES}-minute lock)")
    # Raised only now, after the commit: the failed count must survive the error.
    if error is not None:
        raise UserError(error)
    assert info is not None
    return info


def set_pin(staff_id: int, pin: str, now: datetime) -> StaffInfo:
    """An admin sets a new PIN: the failed count and any lock are cleared.

    ``now`` is taken for the use-case signature; the Staff table keeps no change time.
    """
    validate_pin(pin)
    pin_hash = hash_pin(pin)
    with _write_transaction():
        updated = (m.Staff.update(pin_hash=pin_hash, failed_pins=0, locked_until=None)
                   .where(m.Staff.id == staff_id).execute())
        if not updated:
            raise UserError(f"ไม่พบผู้ใช้หมายเลข {staff_id} (no staff member with id {staff_id})")
    return get_staff(staff_id)
