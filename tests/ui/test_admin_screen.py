"""The admin screen: staff and counters added in the app, errors shown in the form."""

from __future__ import annotations

import pytest
from conftest import FIXED_NOW
from support.actors import add_admin
from support.ui import counter_app, settle, snapshot_db
from textual.widgets import DataTable, Input, Label, Select, SelectionList

from counter_tui.db import models as m
from counter_tui.screens.admin import AddCounterDialog, AddStaffDialog, AdminScreen
from counter_tui.services import staff as st


async def _as_admin(pilot) -> None:
    await settle(pilot)
    await pilot.press(*"admin", "enter", "tab", *"9999", "enter")
    await settle(pilot)


async def test_admin_adds_staff_and_counters_in_the_app(db, db_url, tmp_path):
    add_admin(db.id)
    app = counter_app(db_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _as_admin(pilot)
        assert isinstance(app.screen, AdminScreen)
        assert app.screen.query_one("#staff", DataTable).row_count == 1

        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AddStaffDialog)
        dialog.query_one("#name", Input).value = "สมชาย ใจดี"
        dialog.query_one("#pin", Input).value = "1234"
        dialog.query_one("#pin2", Input).value = "1234"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AdminScreen)
        officer = m.Staff.get(m.Staff.name == "สมชาย ใจดี")
        assert officer.role == "officer" and st.sign_in(db.id, officer.name, "1234", FIXED_NOW)
        assert app.screen.query_one("#staff", DataTable).row_count == 2

        # The same name again: refused in the form, which stays open with what was typed.
        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#name", Input).value = "สมชาย ใจดี"
        dialog.query_one("#pin", Input).value = "5678"
        dialog.query_one("#pin2", Input).value = "5678"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "สมชาย ใจดี" in str(dialog.query_one("#error", Label).render())
        assert m.Staff.select().count() == 2
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AddCounterDialog)
        dialog.query_one("#name", Input).value = "ช่อง 1"
        dialog.query_one("#unit", Select).value = "กองคลัง"
        services = dialog.query_one("#services", SelectionList)
        services.select("SIGNBOARD_TAX")
        services.select("LAND_BUILDING_TAX")
        dialog.query_one("#printer", Input).value = "lpt1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "tcp://" in str(dialog.query_one("#error", Label).render())
        assert m.Counter.select().count() == 0
        dialog.query_one("#printer", Input).value = "tcp://127.0.0.1:9100"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AdminScreen)
        counter = m.Counter.get(m.Counter.name == "ช่อง 1")
        assert counter.printer == "tcp://127.0.0.1:9100"
        assert sorted(c.service_code for c in counter.service_links) == [
            "LAND_BUILDING_TAX",
            "SIGNBOARD_TAX",
        ]
        assert app.screen.query_one("#counters", DataTable).row_count == 1


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_admin_screen_snapshot(snap_compare, tmp_path, size):
    app = counter_app(snapshot_db(tmp_path), tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_as_admin)


async def test_units_tick_with_space_as_a_mark_and_enter_saves_the_form(db, db_url, tmp_path):
    """A ticked unit shows ✓ and an unticked one an empty box (not colour alone); Space ticks,
    Enter saves the form instead of ticking another unit."""
    add_admin(db.id)
    app = counter_app(db_url, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _as_admin(pilot)
        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AddStaffDialog)
        dialog.query_one("#name", Input).value = "สมหญิง รักงาน"
        dialog.query_one("#pin", Input).value = "1234"
        dialog.query_one("#pin2", Input).value = "1234"
        units = dialog.query_one("#units")
        assert not units.selected  # nothing ticked to begin with
        units.focus()
        await pilot.press("space")
        await settle(pilot)
        first = units.get_option_at_index(0).value
        assert units.selected == [first]
        lines = ["".join(segment.text for segment in units.render_line(y)) for y in range(2)]
        assert lines[0].startswith("▐✓▌") and lines[1].startswith("▐ ▌"), lines
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AdminScreen)
        staff = m.Staff.get(m.Staff.name == "สมหญิง รักงาน")
        assert [link.unit.name for link in staff.unit_links] == [first]
