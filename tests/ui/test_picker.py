"""The sign-in screen's counter picker: keys, value, options kept across reloads, long lists."""

from __future__ import annotations

import pytest
from textual.app import App

from counter_tui.widgets.picker import Picker


class PickerApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[object] = []
        self.submitted: list[object] = []

    def compose(self):
        yield Picker("(ไม่เลือก)", id="p")

    def on_picker_changed(self, event: Picker.Changed) -> None:
        self.changes.append(event.value)

    def on_picker_submitted(self, event: Picker.Submitted) -> None:
        self.submitted.append(event.value)


async def test_arrows_move_enter_submits_and_value_round_trips():
    app = PickerApp()
    async with app.run_test() as pilot:
        picker = app.query_one(Picker)
        picker.set_options([("ช่อง 1 — กองคลัง", 11), ("ช่อง 2 — สำนักปลัด", 22)])
        picker.focus()
        assert picker.value is None
        await pilot.press("down", "down", "down")  # stops at the last
        assert picker.value == 22
        await pilot.press("up")
        assert picker.value == 11
        await pilot.press("enter")
        await pilot.pause()
        assert app.changes == [11, 22, 11] and app.submitted == [11]
        picker.value = None
        assert picker.value is None
        with pytest.raises(ValueError):
            picker.value = 99
        await pilot.press("end")
        assert picker.value == 22
        await pilot.press("home")
        assert picker.value is None


async def test_new_options_keep_the_choice_and_a_long_list_shows_a_window_around_it():
    app = PickerApp()
    async with app.run_test(size=(60, 20)) as pilot:
        picker = app.query_one(Picker)
        picker.set_options([(f"ช่อง {i}", i) for i in range(1, 21)])
        picker.value = 15
        picker.set_options([(f"ช่อง {i}", i) for i in range(10, 21)])  # a reload
        assert picker.value == 15
        picker.set_options([(f"ช่อง {i}", i) for i in range(1, 5)])  # 15 is gone
        assert picker.value is None
        picker.set_options([(f"ช่อง {i}", i) for i in range(1, 21)])
        picker.value = 20
        await pilot.pause()
        lines = picker.render().plain.splitlines()
        assert len(lines) == Picker.WINDOW and lines[-1] == "▶ ช่อง 20"
        assert picker.size.height == Picker.WINDOW
