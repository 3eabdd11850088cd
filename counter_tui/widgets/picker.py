"""Provides ``Picker``: one choice from a short list, shown whole, moved with ↑↓.

The sign-in screen's counter list: a handful of counters, chosen once a day. It is drawn as
plain lines of one widget (no overlay, no option list), so the first screen of the app costs
little to build: Textual's ``Select`` was the single most expensive widget of that screen.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

T = TypeVar("T")


class Picker(Widget, Generic[T], can_focus=True):
    DEFAULT_CSS = """
    Picker {
        height: auto;
        max-height: 9;
        border: tall $border-blurred;
        background: $surface;
        padding: 0 1;
    }
    Picker:focus {
        border: tall $border;
    }
    """
    BINDINGS = [
        Binding("up,left", "move(-1)", "ก่อนหน้า", show=False),
        Binding("down,right", "move(1)", "ถัดไป", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "submit", "ตกลง", show=False),
    ]
    WINDOW = 7  # lines shown at once; longer lists scroll with the choice

    class Changed(Message):
        def __init__(self, picker: Picker, value: object) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> Picker:
            return self.picker

    class Submitted(Changed):
        """Enter on the picker: the choice is made."""

    def __init__(self, prompt: str, *, id: str | None = None, classes: str | None = None) -> None:
        """``prompt``: the first line, meaning "none of these" (value None)."""
        super().__init__(id=id, classes=classes)
        self._options: list[tuple[str, T | None]] = [(prompt, None)]
        self._index = 0

    @property
    def value(self) -> T | None:
        return self._options[self._index][1]

    @value.setter
    def value(self, value: T | None) -> None:
        for index, (_, option) in enumerate(self._options):
            if option == value:
                self._select(index)
                return
        raise ValueError(f"{value!r} is not one of the choices")

    def set_options(self, options: list[tuple[str, T]]) -> None:
        """Replace the choices (after the prompt), keeping the chosen value when it remains."""
        keep = self.value
        self._options = [self._options[0], *options]
        self._index = next((i for i, (_, v) in enumerate(self._options) if v == keep), 0)
        self.refresh(layout=True)

    def _select(self, index: int) -> None:
        index = max(0, min(index, len(self._options) - 1))
        if index != self._index:
            self._index = index
            self.refresh()
            self.post_message(self.Changed(self, self.value))

    def action_move(self, step: int) -> None:
        self._select(self._index + step)

    def action_jump(self, index: int) -> None:
        self._select(index if index >= 0 else len(self._options) + index)

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self, self.value))

    def get_content_height(self, container, viewport, width: int) -> int:
        return min(len(self._options), self.WINDOW)

    def render(self) -> Text:
        first = max(0, min(self._index - self.WINDOW // 2, len(self._options) - self.WINDOW))
        lines = []
        for index in range(first, min(first + self.WINDOW, len(self._options))):
            label = self._options[index][0]
            if index == self._index:
                lines.append(Text(f"▶ {label}", style="bold reverse"))
            else:
                lines.append(Text(f"  {label}", style="dim" if index == 0 else ""))
        return Text("\n").join(lines)
