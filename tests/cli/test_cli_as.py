"""The command line acts as a signed-in staff member (``--as NAME``, the PIN asked or read with
``--pin-stdin``) for what changes data or reads personal data; the first admin is the one thing
added without it."""

from __future__ import annotations

import json

from support.actors import ADMIN, ADMIN_PIN, as_admin


def _failed_pins(db_url: str, name: str) -> int:
    from conftest import FIXED_NOW

    from counter_tui.db import models as m
    from counter_tui.services.office import connect

    database, _ = connect(db_url, FIXED_NOW)
    try:
        return m.Staff.get(m.Staff.name == name).failed_pins
    finally:
        database.close()
        m.database_proxy.initialize(None)


def test_without_as_a_change_or_a_personal_read_stops_naming_the_flag(cli, db_url):
    for args in (
        ("staff", "list"),
        ("settings", "set", "office.phone", "0 4400 1234"),
        ("counter", "add", "ช่อง 1", "--unit", "กองคลัง", "--services", "SIGNBOARD_TAX"),
        ("office", "add", "nb2", "อบต.หนองบัว 2"),
        ("report", "visits", "--from", "2026-11-01", "--to", "2026-11-30"),
        ("staff", "add", "สมชาย", "--role", "officer", "--pin-stdin"),
    ):
        result = cli("--database", db_url, *args, input="1234\n")
        assert result.returncode == 77, (args, result.stderr)
        assert "--as" in result.stderr and "Traceback" not in result.stderr, args
    # public reads need nothing
    for args in (
        ("settings", "get", "office.name"),
        ("catalog", "list", "--format", "json"),
        ("counter", "list"),
        ("report", "stats", "--format", "json"),
    ):
        assert cli("--database", db_url, *args).returncode == 0, args


def test_the_first_admin_needs_no_as_and_the_second_does(cli, db_url):
    first = cli(
        "--database",
        db_url,
        "staff",
        "add",
        "ผู้ดูแล",
        "--role",
        "admin",
        "--pin-stdin",
        input="2468\n",
    )
    assert first.returncode == 0, first.stderr
    second = cli(
        "--database",
        db_url,
        "staff",
        "add",
        "ผู้ดูแล 2",
        "--role",
        "admin",
        "--pin-stdin",
        input="2468\n",
    )
    assert second.returncode == 77 and "--as" in second.stderr
    by_admin = cli(
        "--database",
        db_url,
        "--as",
        "ผู้ดูแล",
        "--pin-stdin",
        "staff",
        "add",
        "ผู้ดูแล 2",
        "--role",
        "admin",
        "--pin-stdin",
        input="2468\n1357\n",
    )
    assert by_admin.returncode == 0, by_admin.stderr


def test_a_wrong_pin_is_counted_as_in_the_app_and_an_officer_may_not_administer(cli, db_url):
    added = as_admin(
        "--database",
        db_url,
        "staff",
        "add",
        "สมชาย",
        "--role",
        "officer",
        "--pin-stdin",
        input="1234\n",
    )
    assert added.returncode == 0, added.stderr
    wrong = cli("--database", db_url, "--as", ADMIN, "--pin-stdin", "staff", "list", input="0000\n")
    assert wrong.returncode == 1 and "PIN ไม่ถูกต้อง" in wrong.stderr
    assert _failed_pins(db_url, ADMIN) == 1
    officer = cli(
        "--database",
        db_url,
        "--as",
        "สมชาย",
        "--pin-stdin",
        "settings",
        "set",
        "office.phone",
        "0 4400 1234",
        input="1234\n",
    )
    assert officer.returncode == 77 and "ผู้ดูแลระบบ" in officer.stderr
    right = cli(
        "--database", db_url, "--as", ADMIN, "--pin-stdin", "staff", "list", input=f"{ADMIN_PIN}\n"
    )
    assert right.returncode == 0 and "สมชาย" in right.stdout
    assert _failed_pins(db_url, ADMIN) == 0  # a success clears the count, as in the app


def test_report_stats_per_officer_only_for_a_supervisor_or_admin(cli, db_url):
    public = json.loads(cli("--database", db_url, "report", "stats", "--format", "json").stdout)
    assert public["officers"] == {}  # left out without --as
    signed = as_admin("--database", db_url, "report", "stats", "--format", "json")
    assert signed.returncode == 0, signed.stderr
    assert (
        as_admin(
            "--database",
            db_url,
            "staff",
            "add",
            "สมชาย",
            "--role",
            "officer",
            "--pin-stdin",
            input="1234\n",
        ).returncode
        == 0
    )
    officer = cli(
        "--database", db_url, "--as", "สมชาย", "--pin-stdin", "report", "stats", input="1234\n"
    )
    assert officer.returncode == 77 and "หัวหน้างาน" in officer.stderr
