"""The admin screen sets a new PIN for the staff member under the cursor: the way out of the
lock that only an admin lifts (issue 11 item 13)."""

from __future__ import annotations

import pytest
from conftest import FIXED_NOW
from support.actors import add_admin, admin_id
from support.ui import counter_app, settle
from textual.widgets import DataTable, Input, Label

from counter_tui.db import models as m
from counter_tui.errors import UserError
from counter_tui.screens.admin import AdminScreen, ResetPinDialog
from counter_tui.services import staff as st


async def test_admin_resets_a_locked_officers_pin(db, db_url, tmp_path):
    add_admin(db.id)
    officer = st.add_staff(
        db.id, "สมชาย ใจดี", "officer", "2468", FIXED_NOW, actor_id=admin_id(db.id)
    )
    m.Staff.update(failed_pins=st.ADMIN_LOCK_AFTER).where(m.Staff.id == officer.id).execute()
    with pytest.raises(UserError, match="staff reset-pin"):
        st.sign_in(db.id, officer.name, "2468", FIXED_NOW)
    app = counter_app(db_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*"admin", "enter", "tab", *"9999", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AdminScreen)
        table = app.screen.query_one("#staff", DataTable)
        row = next(
            i
            for i in range(table.row_count)
            if table.coordinate_to_cell_key((i, 0)).row_key.value == str(officer.id)
        )
        table.move_cursor(row=row)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ResetPinDialog)
        dialog.query_one("#pin", Input).value = "13579"
        dialog.query_one("#pin2", Input).value = "13570"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and "ไม่ตรงกัน" in str(dialog.query_one("#error", Label).render())
        dialog.query_one("#pin2", Input).value = "13579"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AdminScreen)
    row = m.Staff.get_by_id(officer.id)
    assert row.failed_pins == 0 and row.locked_until is None
    assert st.sign_in(db.id, officer.name, "13579", FIXED_NOW).id == officer.id
