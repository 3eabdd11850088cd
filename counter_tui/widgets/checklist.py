"""Provides ``CheckList``: a SelectionList whose ticked and unticked boxes differ in shape (✓ or
empty), not only in colour, and which Space alone ticks.

Textual's SelectionList draws the same "X" in both states, told apart by colour only (a colour-
blind officer, a washed-out screen at a bright counter, a monochrome terminal cannot), and takes
Enter to toggle, so Enter in the add-staff dialog ticked a unit instead of saving. Here Enter is
left to the dialog or screen around the list.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import SelectionType

TICKED, UNTICKED = "✓", " "


class CheckList(SelectionList[SelectionType], inherit_bindings=False):
    """Generic in its values as SelectionList is (the admin's unit names, the checklist's
    document indexes)."""

    BINDINGS = [
        Binding("space", "select", "เลือก/ไม่เลือก", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("up", "cursor_up", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("pageup", "page_up", show=False),
    ]

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        _, scroll_y = self.scroll_offset
        try:
            selection = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:
            return strip
        mark = TICKED if selection.value in self._selected else UNTICKED
        segments[1] = Segment(mark, segments[1].style)
        return Strip(segments, strip.cell_length)
