"""Provides opening a database for use: migrate, create the first office, load the sample catalog.

Whichever command opens a fresh database first (the app or any CLI command) does this once,
under the migration lock, so eight counters starting together create one office, not eight.
"""

from __future__ import annotations

from datetime import datetime

from peewee import Database, IntegrityError

from counter_tui.core.clock import to_db
from counter_tui.db import models as m
from counter_tui.db.database import migrate, migration_lock, open_database, write_transaction
from counter_tui.errors import UserError
from counter_tui.services.permissions import PermissionDenied
from counter_tui.services.startup import OfficeInfo  # noqa: F401  (here for its users)

DEFAULT_OFFICE_CODE = "main"
DEFAULT_OFFICE_NAME = "สำนักงานตัวอย่าง"


def connect(url: str, now: datetime, office_code: str | None = None) -> tuple[Database, OfficeInfo]:
    """Open ``url``, bind the models to it, bring it up to date and pick the office."""
    db = open_database(url)
    m.database_proxy.initialize(db)
    prepare(db, now)
    return db, find_office(office_code)


def prepare(db: Database, now: datetime) -> None:
    migrate(db)
    if m.Office.select().exists():
        return
    with migration_lock(db):
        if m.Office.select().exists():  # another process got there first
            return
        with db.atomic():
            office = m.Office.create(
                code=DEFAULT_OFFICE_CODE, name=DEFAULT_OFFICE_NAME, created_at=to_db(now)
            )
            from counter_tui.services.catalog import import_bundled

            import_bundled(office.id, now)


def has_admin(office_id: int) -> bool:
    """True when the office has an active admin (the first admin is added from the CLI)."""
    return (
        m.Staff.select()
        .where((m.Staff.office == office_id) & (m.Staff.role == "admin") & (m.Staff.active == True))  # noqa: E712
        .exists()
    )


def office_name(office_id: int) -> str:
    name: str = m.Office.select(m.Office.name).where(m.Office.id == office_id).scalar()
    return name


def find_office(code: str | None) -> OfficeInfo:
    query = m.Office.select().order_by(m.Office.id)
    office = query.where(m.Office.code == code).first() if code else query.first()
    if office is None:
        known = ", ".join(o.code for o in query) or "none"
        raise UserError(
            f"no office with code {code!r} in this database (offices: {known}); "
            "add it with 'counter-tui office add CODE NAME'."
        )
    return OfficeInfo(office.id, office.code, office.name)


def add_office(
    code: str, name: str, now: datetime, load_sample: bool = True, *, actor_id: int | None = None
) -> OfficeInfo:
    """Another office in a shared (district) database, with the sample catalog of its own;
    ``actor_id``: an admin of the database (services.permissions)."""
    return _add_office(code, name, now, load_sample, actor_id=actor_id, checked=True)


def add_demo_office(code: str, name: str, now: datetime) -> OfficeInfo:
    """An office of ``counter-tui demo``, which runs only on a database without staff (so with
    no one to sign in as); anything else adds offices with ``add_office``."""
    if m.Staff.select().exists():
        raise PermissionDenied(
            "คำสั่ง demo ใช้กับฐานข้อมูลว่างที่ยังไม่มีผู้ใช้เท่านั้น (demo only fills a database without staff)"
        )
    return _add_office(code, name, now, True, checked=False)


def _add_office(
    code: str,
    name: str,
    now: datetime,
    load_sample: bool,
    *,
    actor_id: int | None = None,
    checked: bool,
) -> OfficeInfo:
    import re

    if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", code):
        raise UserError(f"office code {code!r} is not valid: use 1-32 letters, digits, - or _.")
    if not name.strip():
        raise UserError("the office name is empty: give the name, e.g. 'อบต.หนองบัว'.")
    from counter_tui.core.text import control_message_th, has_control_characters

    if has_control_characters(name):
        raise UserError(control_message_th("ชื่อสำนักงาน", name, "the office name"))
    db = m.database_proxy.obj
    exists = UserError(f"มีสำนักงานรหัส {code} อยู่แล้ว: ใช้รหัสอื่น (office {code!r} exists already.)")
    with write_transaction(db):  # read, then write: IMMEDIATE on SQLite
        if checked:
            from counter_tui.services.permissions import authorize

            authorize(actor_id, "office_add")
        if m.Office.select().where(m.Office.code == code).exists():
            raise exists
        try:
            office = m.Office.create(code=code, name=name.strip(), created_at=to_db(now))
        except IntegrityError:  # the unique code: added by another terminal since the check
            raise exists from None
        if load_sample:
            from counter_tui.services.catalog import import_bundled

            import_bundled(office.id, now)
    return OfficeInfo(office.id, office.code, office.name)


def list_offices() -> list[OfficeInfo]:
    return [OfficeInfo(o.id, o.code, o.name) for o in m.Office.select().order_by(m.Office.id)]
