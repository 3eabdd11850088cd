"""Staff administration and sign-in: PIN rules and hashing, add_staff checks, the lock-out."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from conftest import FIXED_NOW
from support.actors import ADMIN, admin_id

from counter_tui.db import models as m
from counter_tui.errors import UserError
from counter_tui.services import staff as st

PIN = "2468"


# --- pure: PINs -------------------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["0000", "1234", "000000", "123456789012", "9876543"])
def test_valid_pins(pin):
    assert st.validate_pin(pin) == pin


@pytest.mark.parametrize(
    "pin",
    [
        "",
        "123",
        "1234567890123",
        "12a4",
        "12 34",
        " 1234",
        "1234\n",
        "-123",
        "+1234",
        "๑๒๓๔",  # Thai digits: str.isdigit() says yes, the PIN pad and the rule say no
        "１２３４",  # full-width digits
        "12.34",
    ],
)
def test_invalid_pins(pin):
    with pytest.raises(UserError, match="4–12"):
        st.validate_pin(pin)


def test_hash_is_salted_and_verifies():
    first, second = st.hash_pin(PIN), st.hash_pin(PIN)
    assert first != second
    assert first.split("$")[:4] == ["scrypt", str(2**14), "8", "1"]
    assert first.split("$")[4] != second.split("$")[4]
    assert st.verify_pin(PIN, first) and st.verify_pin(PIN, second)


@pytest.mark.parametrize("wrong", ["2469", "24680", "246", "", "0000", "8642"])
def test_wrong_pin_never_verifies(wrong):
    assert not st.verify_pin(wrong, st.hash_pin(PIN))


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plain",
        "scrypt$16384$8$1$xx$yy",
        "bcrypt$a$b$c$d$e",
        "scrypt$99999999999$8$1$AAAA$AAAA",
        None,
    ],
)
def test_malformed_stored_hash_is_refused_not_raised(stored):
    assert st.verify_pin(PIN, stored) is False


def test_hash_pin_refuses_an_invalid_pin():
    with pytest.raises(UserError):
        st.hash_pin("12")


# --- add / list / get -------------------------------------------------------------------------


def test_add_list_get(db):
    admin = st.add_staff(db.id, "  ผู้ดูแล   ระบบ ", "admin", PIN, FIXED_NOW)
    boss = st.add_staff(
        db.id,
        "สมศรี มีสุข",
        "supervisor",
        PIN,
        FIXED_NOW,
        units=["กองคลัง", "กองช่าง", "กองคลัง"],
        actor_id=admin_id(db.id),
    )
    officer = st.add_staff(db.id, "สมชาย ใจดี", "Officer", PIN, FIXED_NOW, actor_id=admin_id(db.id))
    assert admin.name == "ผู้ดูแล ระบบ" and admin.role == "admin" and admin.active
    assert boss.units == ("กองคลัง", "กองช่าง")
    assert officer.role == "officer" and officer.units == ()
    listed = st.list_staff(db.id)
    assert [s.name for s in listed] == sorted([admin.name, boss.name, officer.name])
    assert st.get_staff(boss.id) == boss
    assert {s.id: s for s in listed}[boss.id] == boss
    row = m.Staff.get_by_id(officer.id)
    assert row.pin_hash.startswith("scrypt-pepper$") and PIN not in row.pin_hash


def test_has_admin(db):
    from counter_tui.services.permissions import PermissionDenied

    assert not st.has_admin(db.id)
    with pytest.raises(PermissionDenied, match="ผู้ดูแลระบบ"):  # only the first admin needs no one
        st.add_staff(db.id, "สมชาย ใจดี", "officer", PIN, FIXED_NOW)
    assert not st.has_admin(db.id)
    first = st.add_staff(db.id, "ผู้ดูแล", "admin", PIN, FIXED_NOW)
    assert st.has_admin(db.id)
    with pytest.raises(PermissionDenied):  # a second admin: added by the first
        st.add_staff(db.id, "ผู้ดูแล 2", "admin", PIN, FIXED_NOW)
    assert st.add_staff(db.id, "ผู้ดูแล 2", "admin", PIN, FIXED_NOW, actor_id=first.id).role == "admin"


def test_get_unknown_staff(db):
    with pytest.raises(UserError, match="ไม่พบผู้ใช้"):
        st.get_staff(987654)


def test_bad_role_lists_the_roles(db):
    with pytest.raises(UserError) as err:
        st.add_staff(db.id, "สมชาย", "boss", PIN, FIXED_NOW, actor_id=admin_id(db.id))
    for role in st.ROLES:
        assert role in str(err.value)


def test_supervisor_needs_a_unit(db):
    with pytest.raises(UserError, match="supervisor"):
        st.add_staff(db.id, "สมศรี", "supervisor", PIN, FIXED_NOW, actor_id=admin_id(db.id))
    with pytest.raises(UserError, match="supervisor"):
        st.add_staff(
            db.id, "สมศรี", "supervisor", PIN, FIXED_NOW, units=["  "], actor_id=admin_id(db.id)
        )
    assert [s.name for s in st.list_staff(db.id)] == [ADMIN]


def test_unknown_unit_lists_the_known_units(db):
    with pytest.raises(UserError) as err:
        st.add_staff(
            db.id,
            "สมศรี",
            "supervisor",
            PIN,
            FIXED_NOW,
            units=["กองคลัง", "กองเกษตร"],
            actor_id=admin_id(db.id),
        )
    text = str(err.value)
    assert "กองเกษตร" in text
    for unit in ("สำนักปลัด", "กองคลัง", "กองช่าง"):
        assert unit in text
    assert [s.name for s in st.list_staff(db.id)] == [ADMIN]  # nothing half-added


def test_a_bare_unit_string_is_one_unit(db):
    boss = st.add_staff(
        db.id, "สมศรี", "supervisor", PIN, FIXED_NOW, units="กองช่าง", actor_id=admin_id(db.id)
    )
    assert boss.units == ("กองช่าง",)


def test_duplicate_name_is_refused(db):
    st.add_staff(db.id, "สมชาย ใจดี", "officer", PIN, FIXED_NOW, actor_id=admin_id(db.id))
    with pytest.raises(UserError, match="สมชาย ใจดี"):
        st.add_staff(db.id, " สมชาย  ใจดี", "admin", "1357", FIXED_NOW, actor_id=admin_id(db.id))
    assert len(st.list_staff(db.id)) == 2  # the admin and สมชาย


def test_same_name_in_another_office_is_fine(db):
    from counter_tui.services.office import add_office

    other = add_office("nongbua", "อบต.หนองบัว", FIXED_NOW, actor_id=admin_id(db.id))
    st.add_staff(db.id, "สมชาย", "officer", PIN, FIXED_NOW, actor_id=admin_id(db.id))
    st.add_staff(other.id, "สมชาย", "officer", PIN, FIXED_NOW, actor_id=admin_id(other.id))
    assert [s.name for s in st.list_staff(other.id) if s.role == "officer"] == ["สมชาย"]


@pytest.mark.parametrize("name", ["", "   ", "ก" * 101])
def test_empty_or_long_name_is_refused(db, name):
    with pytest.raises(UserError):
        st.add_staff(db.id, name, "officer", PIN, FIXED_NOW, actor_id=admin_id(db.id))


def test_bad_pin_is_refused_on_add(db):
    with pytest.raises(UserError, match="4–12"):
        st.add_staff(db.id, "สมชาย", "officer", "12", FIXED_NOW, actor_id=admin_id(db.id))


# --- sign-in ----------------------------------------------------------------------------------


@pytest.fixture
def officer(db):
    return st.add_staff(db.id, "สมชาย ใจดี", "officer", PIN, FIXED_NOW, actor_id=admin_id(db.id))


def _failed(staff_id: int) -> int:
    return m.Staff.get_by_id(staff_id).failed_pins


def test_sign_in(db, officer):
    assert st.sign_in(db.id, "สมชาย  ใจดี ", PIN, FIXED_NOW) == officer


@pytest.mark.parametrize("name", ["สมหญิง", ""])
def test_unknown_name(db, officer, name):
    with pytest.raises(UserError, match="ไม่พบชื่อผู้ใช้"):
        st.sign_in(db.id, name, PIN, FIXED_NOW)


def test_inactive_staff_cannot_sign_in(db, officer):
    m.Staff.update(active=False).where(m.Staff.id == officer.id).execute()
    with pytest.raises(UserError, match="ไม่พบชื่อผู้ใช้"):
        st.sign_in(db.id, officer.name, PIN, FIXED_NOW)


def test_staff_of_another_office_cannot_sign_in_here(db, officer):
    from counter_tui.services.office import add_office

    other = add_office(
        "nongbua", "อบต.หนองบัว", FIXED_NOW, load_sample=False, actor_id=admin_id(db.id)
    )
    with pytest.raises(UserError, match="ไม่พบชื่อผู้ใช้"):
        st.sign_in(other.id, officer.name, PIN, FIXED_NOW)


def test_wrong_pin_count_is_stored_and_says_tries_left(db, officer):
    with pytest.raises(UserError, match="เหลืออีก 4 ครั้ง"):
        st.sign_in(db.id, officer.name, "1111", FIXED_NOW)
    # Read back from the database: the count survived the error (committed before raising).
    assert _failed(officer.id) == 1
    database = m.database_proxy.obj
    assert not database.in_transaction()
    # Not a PIN at all (an Enter on an empty field, letters typed into it, too short or long)
    # can never be right: refused with a message, and no try is counted against the account.
    for malformed in ("", "abc", "12", "1" * 13, "๑๒๓๔"):
        with pytest.raises(UserError, match="ยังไม่นับ"):
            st.sign_in(db.id, officer.name, malformed, FIXED_NOW)
    assert _failed(officer.id) == 1
    with pytest.raises(UserError, match="เหลืออีก 3 ครั้ง"):
        st.sign_in(db.id, officer.name, "2222", FIXED_NOW)
    assert _failed(officer.id) == 2


def test_four_wrong_then_right_resets_the_count(db, officer):
    for i in range(4):
        with pytest.raises(UserError, match=f"เหลืออีก {4 - i} ครั้ง"):
            st.sign_in(db.id, officer.name, "0000", FIXED_NOW + timedelta(seconds=i))
    assert _failed(officer.id) == 4
    assert st.sign_in(db.id, officer.name, PIN, FIXED_NOW + timedelta(seconds=10)) == officer
    assert _failed(officer.id) == 0
    # A fresh run of four: the earlier misses no longer count.
    for _ in range(4):
        with pytest.raises(UserError, match="เหลืออีก"):
            st.sign_in(db.id, officer.name, "0000", FIXED_NOW + timedelta(seconds=20))
    assert m.Staff.get_by_id(officer.id).locked_until is None


@pytest.fixture
def sqlite_officer(tmp_path):
    """An officer in a SQLite database, where locks follow the app's (injected) clock; on
    PostgreSQL they follow the server's, tested below without the injected clock."""
    from counter_tui.services.office import connect

    database, office = connect(f"sqlite:///{tmp_path / 'counter.db'}", FIXED_NOW)
    yield (
        office,
        st.add_staff(
            office.id, "สมชาย ใจดี", "officer", PIN, FIXED_NOW, actor_id=admin_id(office.id)
        ),
    )
    database.close()
    m.database_proxy.initialize(None)


def test_five_wrong_lock_for_five_minutes(sqlite_officer):
    db, officer = sqlite_officer
    for _ in range(4):
        with pytest.raises(UserError, match="เหลืออีก"):
            st.sign_in(db.id, officer.name, "0000", FIXED_NOW)
    # FIXED_NOW is 10:00 in Bangkok: locked until 10:05 น.
    with pytest.raises(UserError, match="10:05 น."):
        st.sign_in(db.id, officer.name, "0000", FIXED_NOW)
    row = m.Staff.get_by_id(officer.id)
    assert row.failed_pins == 5  # every failure since the last success is kept
    assert row.locked_until is not None
    # Even the right PIN is refused while locked, and that refusal counts nothing.
    for later in (timedelta(0), timedelta(minutes=2), timedelta(minutes=4, seconds=59)):
        with pytest.raises(UserError, match="10:05 น."):
            st.sign_in(db.id, officer.name, PIN, FIXED_NOW + later)
    assert _failed(officer.id) == 5
    assert st.sign_in(db.id, officer.name, PIN, FIXED_NOW + timedelta(minutes=5)) == officer
    row = m.Staff.get_by_id(officer.id)
    assert row.failed_pins == 0 and row.locked_until is None and row.last_failed_at is None


def test_after_a_lock_expires_the_count_goes_on_towards_a_longer_lock(sqlite_officer):
    db, officer = sqlite_officer
    for _ in range(5):
        with pytest.raises(UserError):
            st.sign_in(db.id, officer.name, "0000", FIXED_NOW)
    with pytest.raises(UserError, match="เหลืออีก 4 ครั้งก่อนบัญชีถูกล็อก 15 นาที"):
        st.sign_in(db.id, officer.name, "0000", FIXED_NOW + timedelta(minutes=6))
    assert _failed(officer.id) == 6


def test_lock_time_is_rounded_up_to_the_minute(sqlite_officer):
    db, officer = sqlite_officer
    at = FIXED_NOW + timedelta(seconds=30)  # 10:00:30 -> locked until 10:05:30, say 10:06
    for _ in range(5):
        with pytest.raises(UserError) as err:
            st.sign_in(db.id, officer.name, "0000", at)
    assert "10:06 น." in str(err.value)


def test_growing_locks_with_the_injected_clock(sqlite_officer):
    """5 minutes, 15 minutes, an hour; the twentieth failure needs an admin, whatever the time."""
    db, officer = sqlite_officer
    now = FIXED_NOW
    for minutes in (5, 15, 60):
        for _ in range(4):
            with pytest.raises(UserError, match="เหลืออีก"):
                st.sign_in(db.id, officer.name, "0000", now)
        with pytest.raises(UserError, match="ถูกล็อกชั่วคราว"):
            st.sign_in(db.id, officer.name, "0000", now)
        with pytest.raises(UserError, match="ถูกล็อกชั่วคราว"):
            st.sign_in(db.id, officer.name, PIN, now + timedelta(minutes=minutes, seconds=-1))
        now += timedelta(minutes=minutes)
    for _ in range(4):
        with pytest.raises(UserError, match="จนกว่าผู้ดูแลระบบจะตั้ง PIN ใหม่"):
            st.sign_in(db.id, officer.name, "0000", now)
    with pytest.raises(UserError, match="ให้ผู้ดูแลระบบตั้ง PIN ใหม่"):
        st.sign_in(db.id, officer.name, "0000", now)
    assert _failed(officer.id) == st.ADMIN_LOCK_AFTER == 20
    for later in (timedelta(hours=2), timedelta(days=400)):
        with pytest.raises(UserError, match="staff reset-pin"):
            st.sign_in(db.id, officer.name, PIN, now + later)
    assert _failed(officer.id) == 20


def test_a_clock_moved_back_does_not_lift_a_lock(sqlite_officer):
    """Four failures with the clock an hour ahead, the fifth after it is set back: the 5-minute
    lock ends only once the time has passed the last failure, not at 'now + 5 minutes'."""
    db, officer = sqlite_officer
    ahead = FIXED_NOW + timedelta(hours=1)
    for _ in range(4):
        with pytest.raises(UserError, match="เหลืออีก"):
            st.sign_in(db.id, officer.name, "0000", ahead)
    with pytest.raises(UserError, match="ถูกล็อกชั่วคราว"):
        st.sign_in(db.id, officer.name, "0000", FIXED_NOW)  # the clock set back an hour
    for later in (timedelta(minutes=6), timedelta(minutes=59)):
        with pytest.raises(UserError, match="นาฬิกาของเครื่องนี้ย้อนหลัง"):
            st.sign_in(db.id, officer.name, PIN, FIXED_NOW + later)
    assert _failed(officer.id) == 5
    assert st.sign_in(db.id, officer.name, PIN, ahead + timedelta(seconds=1)) == officer


def _age(staff_id: int, delta: timedelta) -> None:
    """Time passes on whichever clock judges the lock: its stored times move back by ``delta``."""
    row = m.Staff.get_by_id(staff_id)
    (
        m.Staff.update(
            locked_until=row.locked_until - delta if row.locked_until else None,
            last_failed_at=row.last_failed_at - delta if row.last_failed_at else None,
        )
        .where(m.Staff.id == staff_id)
        .execute()
    )


def test_locks_grow_and_end_in_an_admin_reset(db, officer):
    """Both backends: 5, 15, 60 minutes measured on the lock's own clock (the server's on
    PostgreSQL), then locked until an admin sets a new PIN."""
    for minutes in (5, 15, 60):
        for _ in range(4):
            with pytest.raises(UserError, match="เหลืออีก"):
                st.sign_in(db.id, officer.name, "0000", FIXED_NOW)
        with pytest.raises(UserError, match="ถูกล็อกชั่วคราว"):
            st.sign_in(db.id, officer.name, "0000", FIXED_NOW)
        row = m.Staff.get_by_id(officer.id)
        assert row.locked_until - row.last_failed_at == timedelta(minutes=minutes)
        _age(officer.id, timedelta(minutes=minutes) - timedelta(seconds=5))
        with pytest.raises(UserError, match="ถูกล็อกชั่วคราว"):
            st.sign_in(db.id, officer.name, PIN, FIXED_NOW)
        _age(officer.id, timedelta(seconds=6))
    for _ in range(5):
        with pytest.raises(UserError, match="ผู้ดูแลระบบ"):
            st.sign_in(db.id, officer.name, "0000", FIXED_NOW)
    _age(officer.id, timedelta(days=30))
    with pytest.raises(UserError, match="staff reset-pin"):
        st.sign_in(db.id, officer.name, PIN, FIXED_NOW)
    st.reset_pin(db.id, " สมชาย  ใจดี", "97531", FIXED_NOW, actor_id=admin_id(db.id))
    row = m.Staff.get_by_id(officer.id)
    assert row.failed_pins == 0 and row.locked_until is None and row.last_failed_at is None
    assert st.sign_in(db.id, officer.name, "97531", FIXED_NOW) == officer
    with pytest.raises(UserError, match="ไม่พบชื่อผู้ใช้"):
        st.reset_pin(db.id, "ไม่มีคนนี้", "97531", FIXED_NOW, actor_id=admin_id(db.id))


@pytest.mark.postgres
def test_postgres_locks_follow_the_server_clock_not_the_terminal(pg_schema_url):
    """A terminal's clock set a day ahead does not lift a lock on PostgreSQL."""
    from counter_tui.services.office import connect

    database, office = connect(pg_schema_url, FIXED_NOW)
    try:
        officer = st.add_staff(
            office.id, "สมชาย ใจดี", "officer", PIN, FIXED_NOW, actor_id=admin_id(office.id)
        )
        for _ in range(5):
            with pytest.raises(UserError):
                st.sign_in(office.id, officer.name, "0000", FIXED_NOW)
        server_now = database.execute_sql("SELECT now()").fetchone()[0]
        row = m.Staff.get_by_id(officer.id)
        server_utc = server_now.astimezone(UTC).replace(tzinfo=None)
        # Locked for 5 minutes of the server's time (FIXED_NOW, the terminal's, is days off).
        assert timedelta(minutes=4) < row.locked_until - server_utc <= timedelta(minutes=5)
        for ahead in (timedelta(hours=1), timedelta(days=1), timedelta(days=3650)):
            with pytest.raises(UserError, match="ถูกล็อกชั่วคราว"):
                st.sign_in(office.id, officer.name, PIN, server_now + ahead)
    finally:
        database.close()
        m.database_proxy.initialize(None)


def test_set_pin_clears_the_lock(db, officer):
    for _ in range(5):
        with pytest.raises(UserError):
            st.sign_in(db.id, officer.name, "0000", FIXED_NOW)
    st.set_pin(officer.id, "13579", FIXED_NOW, actor_id=admin_id(db.id))
    with pytest.raises(UserError, match="เหลืออีก 4 ครั้ง"):
        st.sign_in(db.id, officer.name, PIN, FIXED_NOW)  # the old PIN is gone
    assert st.sign_in(db.id, officer.name, "13579", FIXED_NOW) == officer


def test_set_pin_validates(db, officer):
    with pytest.raises(UserError, match="4–12"):
        st.set_pin(officer.id, "12", FIXED_NOW, actor_id=admin_id(db.id))
    with pytest.raises(UserError, match="ไม่พบผู้ใช้"):
        st.set_pin(987654, "1234", FIXED_NOW)
    assert st.sign_in(db.id, officer.name, PIN, FIXED_NOW) == officer


# --- the pepper -------------------------------------------------------------------------------


def test_a_peppered_hash_needs_its_pepper():
    pepper, other = bytes(range(32)), bytes(32)
    stored = st.hash_pin(PIN, pepper=pepper)
    assert stored.startswith("scrypt-pepper$") and st.hash_pepper_id(stored)
    assert st.verify_pin(PIN, stored, pepper)
    assert not st.verify_pin(PIN, stored, other)  # another pepper
    assert not st.verify_pin(PIN, stored)  # the database alone
    assert not st.verify_pin("1357", stored, pepper)
    # A hash made without the pepper (older databases, the demo) still verifies.
    assert st.verify_pin(PIN, st.hash_pin(PIN), pepper)


def _pepper_now() -> bytes:
    from counter_tui.services.pin_pepper import current_pepper

    return current_pepper(m.database_proxy.obj)


def test_stored_hashes_use_the_database_pepper(db, db_url):
    officer = st.add_staff(db.id, "สมชาย ใจดี", "officer", PIN, FIXED_NOW, actor_id=admin_id(db.id))
    stored = m.Staff.get_by_id(officer.id).pin_hash
    pepper = _pepper_now()
    assert len(pepper) == 32 and st.verify_pin(PIN, stored, pepper)
    assert not st.verify_pin(PIN, stored, bytes(32))
    if db_url.startswith("sqlite"):
        import os
        import stat
        from pathlib import Path

        key = Path(db_url.removeprefix("sqlite:///")).parent / "pin-pepper.key"
        assert key.read_bytes() == pepper  # beside the database file, not inside it
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    else:
        database = m.database_proxy.obj
        # On the server, outside the app's tables: a database-level setting.
        (config,) = database.execute_sql(
            "SELECT setconfig FROM pg_db_role_setting s JOIN pg_database d "
            "ON d.oid = s.setdatabase WHERE d.datname = current_database() "
            "AND s.setrole = 0"
        ).fetchone()
        assert f"counter_tui.pepper={pepper.hex()}" in config
        for table in database.get_tables():
            for (text,) in database.execute_sql(f'SELECT CAST(t AS text) FROM "{table}" t'):
                assert pepper.hex() not in text, table


def test_an_older_hash_verifies_and_is_upgraded_at_sign_in(db, officer):
    old = st.hash_pin(PIN)  # without the pepper, as before
    m.Staff.update(pin_hash=old).where(m.Staff.id == officer.id).execute()
    assert st.sign_in(db.id, officer.name, PIN, FIXED_NOW) == officer
    upgraded = m.Staff.get_by_id(officer.id).pin_hash
    assert upgraded != old and upgraded.startswith("scrypt-pepper$")
    assert st.verify_pin(PIN, upgraded, _pepper_now())
    assert st.sign_in(db.id, officer.name, PIN, FIXED_NOW) == officer
    # A wrong PIN against an older hash upgrades nothing.
    m.Staff.update(pin_hash=old).where(m.Staff.id == officer.id).execute()
    with pytest.raises(UserError, match="PIN ไม่ถูกต้อง"):
        st.sign_in(db.id, officer.name, "1357", FIXED_NOW)
    assert m.Staff.get_by_id(officer.id).pin_hash == old


def test_a_lost_pepper_file_is_said_plainly_and_counts_no_failure(tmp_path):
    from counter_tui.services.office import connect

    database, office = connect(f"sqlite:///{tmp_path / 'counter.db'}", FIXED_NOW)
    try:
        officer = st.add_staff(
            office.id, "สมชาย ใจดี", "officer", PIN, FIXED_NOW, actor_id=admin_id(office.id)
        )
        (tmp_path / "pin-pepper.key").unlink()  # a copy of counter.db alone, elsewhere
        with pytest.raises(UserError, match="pepper"):
            st.sign_in(office.id, officer.name, PIN, FIXED_NOW)
        assert _failed(officer.id) == 0
        st.set_pin(
            officer.id, "8642", FIXED_NOW, actor_id=admin_id(office.id)
        )  # the admin's way out
        assert st.sign_in(office.id, officer.name, "8642", FIXED_NOW) == officer
    finally:
        database.close()
        m.database_proxy.initialize(None)


# --- the minimum PIN length -------------------------------------------------------------------


def test_minimum_pin_length_setting(db, officer):
    from counter_tui.core.office_settings import SettingError
    from counter_tui.services.settings import get_setting, set_setting

    today = FIXED_NOW.date()
    assert get_setting(db.id, "security.pin_min_length", today) == "4"
    for bad in ("3", "13", "สี่"):
        with pytest.raises(SettingError, match="security.pin_min_length"):
            set_setting(
                db.id, "security.pin_min_length", bad, FIXED_NOW, today, actor_id=admin_id(db.id)
            )
    set_setting(db.id, "security.pin_min_length", "6", FIXED_NOW, today, actor_id=admin_id(db.id))
    for add in (
        lambda: st.add_staff(
            db.id, "สมหญิง", "officer", "12345", FIXED_NOW, actor_id=admin_id(db.id)
        ),
        lambda: st.set_pin(officer.id, "12345", FIXED_NOW, actor_id=admin_id(db.id)),
        lambda: st.reset_pin(db.id, officer.name, "2468", FIXED_NOW, actor_id=admin_id(db.id)),
    ):
        with pytest.raises(UserError, match="อย่างน้อย 6 หลัก"):
            add()
    assert (
        st.add_staff(db.id, "สมหญิง", "officer", "123456", FIXED_NOW, actor_id=admin_id(db.id)).name
        == "สมหญิง"
    )
    # A shorter PIN set before the rule still signs in (the rule applies when a PIN is set).
    assert st.sign_in(db.id, officer.name, PIN, FIXED_NOW) == officer


# --- control characters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["สมชาย\x1b[2J", "สม\x07ชาย", "\u202eยาชมส", "สมชาย\nใจดี", "สมชาย\x9b"]
)
def test_control_characters_are_refused_in_staff_names_and_units(db, bad):
    with pytest.raises(UserError, match="ชื่อผู้ใช้มีอักขระควบคุม"):
        st.add_staff(db.id, bad, "officer", PIN, FIXED_NOW, actor_id=admin_id(db.id))
    with pytest.raises(UserError, match="ชื่อหน่วยงานมีอักขระควบคุม"):
        st.add_staff(
            db.id, "สมศรี", "supervisor", PIN, FIXED_NOW, units=[bad], actor_id=admin_id(db.id)
        )
    assert [s.name for s in st.list_staff(db.id)] == [ADMIN]


@pytest.mark.postgres
def test_postgres_pepper_is_made_once_on_a_new_database(pg_schema_url):
    """On a database without one, the first use makes the setting (under the migration lock);
    every later connection, as another PC's, reads the same pepper."""
    import os
    import uuid

    import psycopg

    from counter_tui.services.office import connect
    from counter_tui.services.pin_pepper import current_pepper

    base = os.environ["COUNTER_TUI_TEST_PG_URL"]
    name = f"pepper_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = base.rsplit("/", 1)[0] + f"/{name}"
    try:
        database, office = connect(url, FIXED_NOW)
        try:
            officer = st.add_staff(
                office.id, "สมชาย ใจดี", "officer", PIN, FIXED_NOW, actor_id=admin_id(office.id)
            )
            pepper = current_pepper(database)
            assert st.verify_pin(PIN, m.Staff.get_by_id(officer.id).pin_hash, pepper)
        finally:
            database.close()
            m.database_proxy.initialize(None)
        with psycopg.connect(url) as other:  # a new session sees the database-level setting
            (shown,) = other.execute("SELECT current_setting('counter_tui.pepper')").fetchone()
        assert bytes.fromhex(shown) == pepper
        database, office = connect(url, FIXED_NOW)
        try:
            assert current_pepper(database) == pepper
            assert st.sign_in(office.id, "สมชาย ใจดี", PIN, FIXED_NOW).id == officer.id
        finally:
            database.close()
            m.database_proxy.initialize(None)
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
