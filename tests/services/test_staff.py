"""Staff administration and sign-in: PIN rules and hashing, add_staff checks, the lock-out."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import FIXED_NOW
from counter_tui.db import models as m
from counter_tui.errors import UserError
from counter_tui.services import staff as st

PIN = "2468"


# --- pure: PINs -------------------------------------------------------------------------------

@pytest.mark.parametrize("pin", ["0000", "1234", "000000", "123456789012", "9876543"])
def test_valid_pins(pin):
    assert st.validate_pin(pin) == pin


@pytest.mark.parametrize("pin", [
    "", "123", "1234567890123", "12a4", "12 34", " 1234", "1234\n", "-123", "+1234",
    "๑๒๓๔",  # Thai digits: str.isdigit() says yes, the PIN pad and the rule say no
    "１２３４",  # full-width digits
    "12.34",
])
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


@pytest.mark.parametrize("stored", ["", "plain", "scrypt$16384$8$1$xx$yy", "bcrypt$a$b$c$d$e",
                                    "scrypt$99999999999$8$1$AAAA$AAAA", None])
def test_malformed_stored_hash_is_refused_not_raised(stored):
    assert st.verify_pin(PIN, stored) is False


def test_hash_pin_refuses_an_invalid_pin():
    with pytest.raises(UserError):
        st.hash_pin("12")


# --- add / list / get -------------------------------------------------------------------------

def test_add_list_get(db):
    admin = st.add_staff(db.id, "  ผู้ดูแล   ระบบ ", "admin", PIN, FIXED_NOW)
    boss = st.add_staff(db.id, "สมศรี มีสุข", "supervisor", PIN, FIXED_NOW,
                        units=["กองคลัง", "กองช่าง", "กองคลัง"])
    officer = st.add_staff(db.id, "สมชาย ใจดี", "Officer", PIN, FIXED_NOW)
    assert admin.name == "ผู้ดูแล ระบบ" and admin.role == "admin" and admin.active
    assert boss.units == ("กองคลัง", "กองช่าง")
    assert officer.role == "officer" and officer.units == ()
    listed = st.list_staff(db.id)
    assert [s.name for s in listed] == sorted([admin.name, boss.name, officer.name])
    assert st.get_staff(boss.id) == boss
    assert {s.id: s for s in listed}[boss.id] == boss
    row = m.Staff.get_by_id(officer.id)
    assert row.pin_hash.startswith("scrypt$") and PIN not in row.pin_hash


def test_has_admin(db):
    assert not st.has_admin(db.id)
    st.add_staff(db.id, "สมชาย ใจดี", "officer", PIN, FIXED_NOW)
    assert not st.has_admin(db.id)
    st.add_staff(db.id, "ผู้ดูแล", "admin", PIN, FIXED_NOW)
    assert st.has_admin(db.id)


def test_get_unknown_staff(db):
    with pytest.raises(UserError, match="ไม่พบผู้ใช้"):
        st.get_staff(987654)


def test_bad_role_lists_the_roles(db):
    with pytest.raises(UserError) as err:
        st.add_staff(db.id, "สมชาย", "boss", PIN, FIXED_NOW)
    for role in st.ROLES:
        assert role in str(err.value)


def test_supervisor_needs_a_unit(db):
    with pytest.raises(UserError, match="supervisor"):
        st.add_staff(db.id, "สมศรี", "supervisor", PIN, FIXED_NOW)
    with pytest.raises(UserError, match="supervisor"):
        st.add_staff(db.id, "สมศรี", "supervisor", PIN, FIXED_NOW, units=["  "])
    assert st.list_staff(db.id) == []


def test_unknown_unit_lists_the_known_units(db):
    with pytest.raises(UserError) as err:
        st.add_staff(db.id, "สมศรี", "supervisor", PIN, FIXED_NOW, units=["กองคลัง", "กองเกษตร"])
    text = str(err.value)
    assert "กองเกษตร" in text
    for unit in ("สำนักปลัด", "กองคลัง", "กองช่าง"):
        assert unit in text
    assert st.list_staff(db.id) == []  # nothing half-added


def test_a_bare_unit_string_is_one_unit(db):
    boss = st.add_staff(db.id, "สมศรี", "supervisor", PIN, FIXED_NOW, units="กองช่าง")
    assert boss.units == ("กองช่าง",)


def test_duplicate_name_is_refused(db):
    st.add_staff(db.id, "สมชาย ใจดี", "officer", PIN, FIXED_NOW)
    with pytest.raises(UserError, match="สมชาย ใจดี"):
        st.add_staff(db.id, " สมชาย  ใจดี", "admin", "1357", FIXED_NOW)
    assert len(st.list_staff(db.id)) == 1


def test_same_name_in_another_office_is_fine(db):
    from counter_tui.services.office import add_office

    other = add_office("nongbua", "อบต.หนองบัว", FIXED_NOW)
    st.add_staff(db.id, "สมชาย", "officer", PIN, FIXED_NOW)
    st.add_staff(other.id, "สมชาย", "officer", PIN, FIXED_NOW)
    assert [s.name for s in st.list_staff(other.id)] == ["สมชาย"]


@pytest.mark.parametrize("name", ["", "   ", "ก" * 101])
def test_empty_or_long_name_is_refused(db, name):
    with pytest.raises(UserError):
        st.add_staff(db.id, name, "officer", PIN, FIXED_NOW)


def test_bad_pin_is_refused_on_add(db):
    with pytest.raises(UserError, match="4–12"):
        st.add_staff(db.id, "สมชาย", "officer", "12", FIXED_NOW)


# --- sign-in ----------------------------------------------------------------------------------

@pytest.fixture
def officer(db):
    return st.add_staff(db.id, "สมชาย ใจดี", "officer", PIN, FIXED_NOW)


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

    other = add_office("nongbua", "อบต.หนองบัว", FIXED_NOW, load_sample=False)
    with pytest.raises(UserError, match="ไม่พบชื่อผู้ใช้"):
        st.sign_in(other.id, officer.name, PIN, FIXED_NOW)


def test_wrong_pin_count_is_stored_and_says_tries_left(db, officer):
    with pytest.raises(UserError, match="เหลืออีก 4 ครั้ง"):
        st.sign_in(db.id, officer.name, "1111", FIXED_NOW)
    # Read back from the database: the count survived the error (committed before raising).
    assert _failed(officer.id) == 1
    database = m.database_proxy.obj
    assert not database.in_transaction()
    with pytest.raises(UserError, match="เหลืออีก 3 ครั้ง"):
        st.sign_in(db.id, officer.name, "abc", FIXED_NOW)  # malformed counts as wrong
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


def test_five_wrong_lock_for_five_minutes(db, officer):
    for _ in range(4):
        with pytest.raises(UserError, match="เหลืออีก"):
            st.sign_in(db.id, officer.name, "0000", FIXED_NOW)
    # FIXED_NOW is 10:00 in Bangkok: locked until 10:05 น.
    with pytest.raises(UserError, match="10:05 น."):
        st.sign_in(db.id, officer.name, "0000", FIXED_NOW)
    row = m.Staff.get_by_id(officer.id)
    assert row.failed_pins == 0
    assert row.locked_until is not None
    # Even the right PIN is refused while locked, and that refusal counts nothing.
    for later in (timedelta(0), timedelta(minutes=2), timedelta(minutes=4, seconds=59)):
        with pytest.raises(UserError, match="10:05 น."):
            st.sign_in(db.id, officer.name, PIN, FIXED_NOW + later)
    assert _failed(officer.id) == 0
    assert st.sign_in(db.id, officer.name, PIN, FIXED_NOW + timedelta(minutes=5)) == officer
    row = m.Staff.get_by_id(officer.id)
    assert row.failed_pins == 0 and row.locked_until is None


def test_after_a_lock_expires_a_wrong_pin_starts_a_new_count(db, officer):
    for _ in range(5):
        with pytest.raises(UserError):
            st.sign_in(db.id, officer.name, "0000", FIXED_NOW)
    with pytest.raises(UserError, match="เหลืออีก 4 ครั้ง"):
        st.sign_in(db.id, officer.name, "0000", FIXED_NOW + timedelta(minutes=6))
    assert _failed(officer.id) == 1


def test_lock_time_is_rounded_up_to_the_minute(db, officer):
    at = FIXED_NOW + timedelta(seconds=30)  # 10:00:30 -> locked until 10:05:30, say 10:06
    for _ in range(5):
        with pytest.raises(UserError) as err:
            st.sign_in(db.id, officer.name, "0000", at)
    assert "10:06 น." in str(err.value)


def test_set_pin_clears_the_lock(db, officer):
    for _ in range(5):
        with pytest.raises(UserError):
            st.sign_in(db.id, officer.name, "0000", FIXED_NOW)
    st.set_pin(officer.id, "13579", FIXED_NOW)
    with pytest.raises(UserError, match="เหลืออีก 4 ครั้ง"):
        st.sign_in(db.id, officer.name, PIN, FIXED_NOW)  # the old PIN is gone
    assert st.sign_in(db.id, officer.name, "13579", FIXED_NOW) == officer


def test_set_pin_validates(db, officer):
    with pytest.raises(UserError, match="4–12"):
        st.set_pin(officer.id, "12", FIXED_NOW)
    with pytest.raises(UserError, match="ไม่พบผู้ใช้"):
        st.set_pin(987654, "1234", FIXED_NOW)
    assert st.sign_in(db.id, officer.name, PIN, FIXED_NOW) == officer
