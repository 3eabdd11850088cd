"""Control characters (ESC, BEL, U+202E...) are refused where text is entered, and stored text
never reaches the terminal raw (settings get/list, staff and counter lists, report stats)."""

from __future__ import annotations

import pytest
from conftest import FIXED_NOW
from support.actors import ADMIN, as_admin

BAD = ("ช่อง\x1b[2J1", "ช่อง\x07", "\u202eช่อง 1")


def _no_raw_control(text: str) -> None:
    for char in ("\x1b", "\x07", "\u202e"):
        assert char not in text, repr(text)


@pytest.mark.parametrize("bad", BAD)
def test_settings_set_refuses_control_characters(cli, db_url, bad):
    result = as_admin("--database", db_url, "settings", "set", "office.address", bad)
    assert result.returncode != 0
    assert "office.address" in result.stderr and "อักขระควบคุม" in result.stderr
    assert "Traceback" not in result.stderr
    _no_raw_control(result.stderr)
    shown = cli("--database", db_url, "settings", "get", "office.address")
    assert shown.returncode == 0 and shown.stdout.strip() == ""  # nothing was stored


def test_staff_add_and_counter_add_refuse_control_characters(cli, db_url):
    result = as_admin(
        "--database",
        db_url,
        "staff",
        "add",
        "สมชาย\x1b[31m",
        "--role",
        "officer",
        "--pin-stdin",
        input="2468\n",
    )
    assert result.returncode != 0 and "ชื่อผู้ใช้มีอักขระควบคุม" in result.stderr
    assert "\\x1b" in result.stderr and "Traceback" not in result.stderr
    _no_raw_control(result.stderr)
    result = as_admin(
        "--database",
        db_url,
        "counter",
        "add",
        "ช่อง\u202e1",
        "--unit",
        "กองคลัง",
        "--services",
        "LAND_BUILDING_TAX",
    )
    assert result.returncode != 0 and "ชื่อจุดบริการมีอักขระควบคุม" in result.stderr
    result = as_admin(
        "--database",
        db_url,
        "counter",
        "add",
        "ช่อง 1",
        "--unit",
        "กอง\x07คลัง",
        "--services",
        "LAND_BUILDING_TAX",
    )
    assert result.returncode != 0 and "ชื่อหน่วยงานมีอักขระควบคุม" in result.stderr
    listed = as_admin("--database", db_url, "staff", "list")
    assert listed.returncode == 0 and listed.stdout.split("\t")[0] == ADMIN  # nobody added
    listed = cli("--database", db_url, "counter", "list")
    assert listed.returncode == 0 and listed.stdout == ""


def test_stored_control_characters_are_printed_visibly(cli, db_url):
    """Text stored before the check (or written around it) is shown escaped, never raw."""
    from counter_tui.core.clock import to_db
    from counter_tui.db import models as m
    from counter_tui.services.office import connect

    database, office = connect(db_url, FIXED_NOW)
    try:
        m.Setting.create(
            office=office.id,
            key="office.address",
            fiscal_year=0,
            value="1 หมู่ 1\x1b]0;pwned\x07",
            updated_at=to_db(FIXED_NOW),
        )
        m.Office.update(name="อบต.\u202eหนองบัว\x1b[2J").where(m.Office.id == office.id).execute()
        unit = m.Unit.select().where(m.Unit.office == office.id).first()
        m.Staff.create(
            office=office.id,
            name="สมชาย\x1b[31m",
            role="officer",
            pin_hash="x",
            failed_pins=0,
            active=True,
            created_at=to_db(FIXED_NOW),
        )
        m.Counter.create(
            office=office.id,
            name="ช่อง\x071",
            unit=unit.id,
            state="closed",
            created_at=to_db(FIXED_NOW),
        )
    finally:
        database.close()
        m.database_proxy.initialize(None)
    got = cli("--database", db_url, "settings", "get", "office.address")
    assert got.returncode == 0 and got.stdout.strip() == "1 หมู่ 1\\x1b]0;pwned\\x07"
    for args in (
        ("settings", "list"),
        ("settings", "get", "office.name"),
        ("staff", "list"),
        ("counter", "list"),
        ("report", "stats", "--fiscal-year", "2570"),
        ("catalog", "list"),
    ):
        result = as_admin("--database", db_url, *args)
        assert result.returncode == 0, (args, result.stderr)
        _no_raw_control(result.stdout + result.stderr)
        assert "\\x1b" in result.stdout or "\\x07" in result.stdout or "\\u202e" in result.stdout, (
            args,
            result.stdout,
        )


def test_staff_reset_pin_lifts_the_admin_only_lock(cli, db_url):
    """``counter-tui staff reset-pin NAME``: the admin's way out of the lock after 20 wrong PINs
    (kept here with the other staff commands run as a user would)."""
    from counter_tui.db import models as m
    from counter_tui.errors import UserError
    from counter_tui.services import staff as st
    from counter_tui.services.office import connect

    added = as_admin(
        "--database",
        db_url,
        "staff",
        "add",
        "สมชาย ใจดี",
        "--role",
        "officer",
        "--pin-stdin",
        input="2468\n",
    )
    assert added.returncode == 0, added.stderr
    database, office = connect(db_url, FIXED_NOW)
    try:
        m.Staff.update(failed_pins=st.ADMIN_LOCK_AFTER).where(m.Staff.name == "สมชาย ใจดี").execute()
        with pytest.raises(UserError, match="staff reset-pin"):
            st.sign_in(office.id, "สมชาย ใจดี", "2468", FIXED_NOW)
        short = as_admin(
            "--database", db_url, "staff", "reset-pin", "สมชาย ใจดี", "--pin-stdin", input="12\n"
        )
        assert short.returncode != 0 and "4–12" in short.stderr
        unknown = as_admin(
            "--database", db_url, "staff", "reset-pin", "ไม่มีคนนี้", "--pin-stdin", input="97531\n"
        )
        assert unknown.returncode != 0 and "ไม่พบชื่อผู้ใช้" in unknown.stderr
        reset = as_admin(
            "--database", db_url, "staff", "reset-pin", "สมชาย  ใจดี", "--pin-stdin", input="97531\n"
        )
        assert reset.returncode == 0, reset.stderr
        assert "ตั้ง PIN ใหม่ให้ สมชาย ใจดี" in reset.stdout
        assert st.sign_in(office.id, "สมชาย ใจดี", "97531", FIXED_NOW).name == "สมชาย ใจดี"
    finally:
        database.close()
        m.database_proxy.initialize(None)
