"""Counter administration: add/list/get, every validation, printer URLs, bounded queries."""

from __future__ import annotations

import pytest
from conftest import FIXED_NOW
from playhouse.test_utils import count_queries
from support.actors import admin_id

from counter_tui.db import models as m
from counter_tui.errors import UserError
from counter_tui.services import counters as ct
from counter_tui.services import staff as st

# --- pure: printer URLs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, stored",
    [
        ("tcp://192.168.1.50:9100", "tcp://192.168.1.50:9100"),
        ("TCP://printer.local:9100", "tcp://printer.local:9100"),
        ("tcp://slip-printer:1", "tcp://slip-printer:1"),
        ("tcp://10.0.0.7:65535", "tcp://10.0.0.7:65535"),
        ("tcp://[fe80::1]:9100", "tcp://[fe80::1]:9100"),
        ("tcp://localhost:9100/", "tcp://localhost:9100"),
        ("  tcp://localhost:9100  ", "tcp://localhost:9100"),
        ("usb://04b8:0e28", "usb://04b8:0e28"),
        ("usb://04B8:0E28", "usb://04b8:0e28"),
        ("file:/dev/usb/lp0", "file:/dev/usb/lp0"),
        ("file:slips/out.bin", "file:slips/out.bin"),
        ("file:C:\\slips\\out.bin", "file:C:\\slips\\out.bin"),
        ("cups:slip_printer", "cups:slip_printer"),
        ("cups:EPSON-TM-T82.counter1", "cups:EPSON-TM-T82.counter1"),
    ],
)
def test_valid_printer_urls(url, stored):
    assert ct.validate_printer(url) == stored


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "printer",
        "192.168.1.50:9100",
        "http://192.168.1.50:9100",
        "tcp://192.168.1.50",
        "tcp://:9100",
        "tcp://192.168.1.50:0",
        "tcp://192.168.1.50:65536",
        "tcp://192.168.1.50:99999",
        "tcp://192.168.1.300:9100",
        "tcp://bad_host!:9100",
        "tcp://-bad.example:9100",
        "tcp://host:9100/path",
        "tcp://host:port",
        "tcp://::1:9100",
        "tcp://[nonsense]:9100",
        "tcp://host:-1",
        "usb://4b8:e28",
        "usb://04b8",
        "usb://04b8:0e2g",
        "usb://04b8:0e28:01",
        "usb:04b8:0e28",
        "file:",
        "file:a\nb",
        "cups:",
        "cups:slip printer",
        "cups:สลิป",
        "cups:a/b",
        "lpt1",
        "tcp://" + "a" * 300 + ":9100",
    ],
)
def test_invalid_printer_urls_list_the_four_forms(url):
    with pytest.raises(UserError) as err:
        ct.validate_printer(url)
    text = str(err.value)
    for form in ("tcp://HOST:PORT", "usb://VID:PID", "file:PATH", "cups:QUEUE"):
        assert form in text


# --- add / list / get -------------------------------------------------------------------------


def test_add_list_get(db):
    one = ct.add_counter(
        db.id,
        " ช่อง  1 ",
        "กองคลัง",
        ["SIGNBOARD_TAX", "land_building_tax"],
        FIXED_NOW,
        printer="tcp://192.168.1.50:9100",
        actor_id=admin_id(db.id),
    )
    two = ct.add_counter(
        db.id, "ช่อง 2", "สำนักปลัด", ["ELDERLY_ALLOWANCE_REG"], FIXED_NOW, actor_id=admin_id(db.id)
    )
    assert one == ct.CounterInfo(
        id=one.id,
        name="ช่อง 1",
        unit="กองคลัง",
        services=("SIGNBOARD_TAX", "LAND_BUILDING_TAX"),
        printer="tcp://192.168.1.50:9100",
        state="closed",
        state_since=None,
        officer=None,
    )
    assert two.printer is None and two.services == ("ELDERLY_ALLOWANCE_REG",)
    assert ct.list_counters(db.id) == [one, two]
    assert ct.get_counter(one.id) == one
    assert ct.counter_by_name(db.id, "ช่อง 2") == two
    assert ct.counter_by_name(db.id, "ช่อง 9") is None
    row = m.Counter.get_by_id(one.id)
    assert row.state == "closed" and row.created_at is not None


def test_a_counter_may_serve_services_of_other_units(db):
    # A small office's one counter serves everything; the unit is the counter's own.
    counter = ct.add_counter(
        db.id,
        "ช่องเดียว",
        "สำนักปลัด",
        ["SIGNBOARD_TAX", "BUILDING_PERMIT_S21", "COMPLAINT"],
        FIXED_NOW,
        actor_id=admin_id(db.id),
    )
    assert counter.services == ("SIGNBOARD_TAX", "BUILDING_PERMIT_S21", "COMPLAINT")


def test_list_shows_the_officer_and_aware_state_since(db):
    counter = ct.add_counter(
        db.id, "ช่อง 1", "กองคลัง", ["SIGNBOARD_TAX"], FIXED_NOW, actor_id=admin_id(db.id)
    )
    officer = st.add_staff(
        db.id, "สมชาย ใจดี", "officer", "2468", FIXED_NOW, actor_id=admin_id(db.id)
    )
    from counter_tui.core.clock import to_db

    (
        m.Counter.update(officer=officer.id, state="open", state_since=to_db(FIXED_NOW))
        .where(m.Counter.id == counter.id)
        .execute()
    )
    info = ct.get_counter(counter.id)
    assert info.officer == "สมชาย ใจดี" and info.state == "open"
    assert info.state_since == FIXED_NOW and info.state_since.utcoffset().total_seconds() == 0


def test_counters_of_another_office_are_not_listed(db):
    from counter_tui.services.office import add_office

    other = add_office("nongbua", "อบต.หนองบัว", FIXED_NOW, actor_id=admin_id(db.id))
    ct.add_counter(db.id, "ช่อง 1", "กองคลัง", ["SIGNBOARD_TAX"], FIXED_NOW, actor_id=admin_id(db.id))
    mine = ct.add_counter(
        other.id, "ช่อง 1", "กองคลัง", ["SIGNBOARD_TAX"], FIXED_NOW, actor_id=admin_id(other.id)
    )
    assert ct.list_counters(other.id) == [mine]
    assert ct.counter_by_name(other.id, "ช่อง 1") == mine


def test_list_counters_makes_a_bounded_number_of_queries(db):
    counts = []
    for n in (1, 3, 12):
        while len(ct.list_counters(db.id)) < n:
            k = len(ct.list_counters(db.id)) + 1
            info = ct.add_counter(
                db.id,
                f"ช่อง {k:02d}",
                "สำนักปลัด",
                ["ELDERLY_ALLOWANCE_REG", "COMPLAINT"],
                FIXED_NOW,
                actor_id=admin_id(db.id),
            )
            # an officer holds one counter at a time (migration 0008)
            officer = st.add_staff(
                db.id, f"สมชาย {k:02d}", "officer", "2468", FIXED_NOW, actor_id=admin_id(db.id)
            )
            m.Counter.update(officer=officer.id).where(m.Counter.id == info.id).execute()
        with count_queries() as counted:
            listed = ct.list_counters(db.id)
        assert len(listed) == n
        assert [c.officer for c in listed] == [f"สมชาย {k:02d}" for k in range(1, n + 1)]
        assert all(c.unit == "สำนักปลัด" and len(c.services) == 2 for c in listed)
        counts.append(counted.count)
    assert counts == [2, 2, 2]


def test_list_of_no_counters_is_one_query(db):
    with count_queries() as counted:
        assert ct.list_counters(db.id) == []
    assert counted.count == 1


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "ช" * 101])
def test_empty_or_long_name(db, name):
    with pytest.raises(UserError, match="ชื่อจุดบริการ"):
        ct.add_counter(
            db.id, name, "กองคลัง", ["SIGNBOARD_TAX"], FIXED_NOW, actor_id=admin_id(db.id)
        )


def test_duplicate_name(db):
    ct.add_counter(db.id, "ช่อง 1", "กองคลัง", ["SIGNBOARD_TAX"], FIXED_NOW, actor_id=admin_id(db.id))
    with pytest.raises(UserError, match="ช่อง 1"):
        ct.add_counter(
            db.id, "ช่อง  1", "กองช่าง", ["BUILDING_PERMIT_S21"], FIXED_NOW, actor_id=admin_id(db.id)
        )
    assert len(ct.list_counters(db.id)) == 1


def test_unknown_unit_lists_the_known_units(db):
    with pytest.raises(UserError) as err:
        ct.add_counter(
            db.id, "ช่อง 1", "กองเกษตร", ["SIGNBOARD_TAX"], FIXED_NOW, actor_id=admin_id(db.id)
        )
    text = str(err.value)
    assert "กองเกษตร" in text
    for unit in ("สำนักปลัด", "กองคลัง", "กองช่าง"):
        assert unit in text


@pytest.mark.parametrize("codes", [[], ["", "  "], ""])
def test_at_least_one_service(db, codes):
    with pytest.raises(UserError, match="at least one service"):
        ct.add_counter(db.id, "ช่อง 1", "กองคลัง", codes, FIXED_NOW, actor_id=admin_id(db.id))


def test_unknown_codes_are_named_and_known_codes_listed(db):
    with pytest.raises(UserError) as err:
        ct.add_counter(
            db.id,
            "ช่อง 1",
            "กองคลัง",
            ["SIGNBOARD_TAX", "DOG_LICENSE", "FOO"],
            FIXED_NOW,
            actor_id=admin_id(db.id),
        )
    text = str(err.value)
    assert "DOG_LICENSE, FOO" in text
    assert "SIGNBOARD_TAX" in text and "ELDERLY_ALLOWANCE_REG" in text
    assert ct.list_counters(db.id) == []  # nothing half-added
    assert m.CounterService.select().count() == 0


def test_codes_are_for_this_office_only(db):
    from counter_tui.services.office import add_office

    empty = add_office(
        "nongbua", "อบต.หนองบัว", FIXED_NOW, load_sample=False, actor_id=admin_id(db.id)
    )
    m.Unit.create(office=empty.id, name="สำนักปลัด")
    with pytest.raises(UserError, match="SIGNBOARD_TAX"):
        ct.add_counter(
            empty.id, "ช่อง 1", "สำนักปลัด", ["SIGNBOARD_TAX"], FIXED_NOW, actor_id=admin_id(empty.id)
        )


def test_bad_printer_on_add(db):
    with pytest.raises(UserError, match="tcp://HOST:PORT"):
        ct.add_counter(
            db.id,
            "ช่อง 1",
            "กองคลัง",
            ["SIGNBOARD_TAX"],
            FIXED_NOW,
            printer="tcp://printer",
            actor_id=admin_id(db.id),
        )
    assert ct.list_counters(db.id) == []


def test_comma_separated_codes_as_typed(db):
    counter = ct.add_counter(
        db.id,
        "ช่อง 1",
        "กองคลัง",
        "SIGNBOARD_TAX, LAND_BUILDING_TAX,",
        FIXED_NOW,
        actor_id=admin_id(db.id),
    )
    assert counter.services == ("SIGNBOARD_TAX", "LAND_BUILDING_TAX")


# --- changing a counter -----------------------------------------------------------------------


def test_set_counter_services(db):
    counter = ct.add_counter(
        db.id, "ช่อง 1", "กองคลัง", ["SIGNBOARD_TAX"], FIXED_NOW, actor_id=admin_id(db.id)
    )
    changed = ct.set_counter_services(
        counter.id, ["LAND_BUILDING_TAX", "SIGNBOARD_TAX"], FIXED_NOW, actor_id=admin_id(db.id)
    )
    assert changed.services == ("LAND_BUILDING_TAX", "SIGNBOARD_TAX")
    assert ct.get_counter(counter.id) == changed
    with pytest.raises(UserError, match="NOPE"):
        ct.set_counter_services(
            counter.id, ["SIGNBOARD_TAX", "NOPE"], FIXED_NOW, actor_id=admin_id(db.id)
        )
    with pytest.raises(UserError, match="at least one service"):
        ct.set_counter_services(counter.id, [], FIXED_NOW, actor_id=admin_id(db.id))
    assert ct.get_counter(counter.id).services == ("LAND_BUILDING_TAX", "SIGNBOARD_TAX")
    with pytest.raises(UserError, match="ไม่พบจุดบริการ"):
        ct.set_counter_services(987654, ["SIGNBOARD_TAX"], FIXED_NOW)


def test_set_counter_printer(db):
    counter = ct.add_counter(
        db.id, "ช่อง 1", "กองคลัง", ["SIGNBOARD_TAX"], FIXED_NOW, actor_id=admin_id(db.id)
    )
    assert (
        ct.set_counter_printer(counter.id, "USB://04B8:0E28", actor_id=admin_id(db.id)).printer
        == "usb://04b8:0e28"
    )
    with pytest.raises(UserError, match="cups:QUEUE"):
        ct.set_counter_printer(counter.id, "cups:", actor_id=admin_id(db.id))
    assert ct.get_counter(counter.id).printer == "usb://04b8:0e28"
    assert ct.set_counter_printer(counter.id, None, actor_id=admin_id(db.id)).printer is None
    with pytest.raises(UserError, match="ไม่พบจุดบริการ"):
        ct.set_counter_printer(987654, "cups:slip")


def test_get_unknown_counter(db):
    with pytest.raises(UserError, match="ไม่พบจุดบริการ"):
        ct.get_counter(987654)
