"""Provides ``KeysHelp``: F1's help, in Thai — every key of the screen underneath that works now,
with what it does, closed by F1 or Esc.

Textual's own key panel is English ("Focus Next", "Copy selected text") and F1 did not close it.
This one lists the screen's own bindings (their descriptions are Thai), the app's, and the few
Textual keys an officer uses, named in Thai; a Textual binding without a Thai name is left out
rather than shown in English.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

#: Textual's keys that an officer uses, named in Thai (the others are not listed).
TEXTUAL_KEYS_TH = {
    "tab": "ไปช่องหรือตารางถัดไป",
    "shift+tab": "ย้อนกลับไปช่องก่อนหน้า",
    "ctrl+p": "ค้นหาคำสั่ง (เช่น แบบวัด IIT, เปลี่ยนธีม)",
}


def _thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


def keys_of(screen: Screen) -> list[tuple[str, str]]:
    """(key as shown, what it does) for every key that acts on ``screen`` now: its own and its
    widgets' bindings with a Thai description, then the app's, then Textual's named in Thai."""
    app = screen.app
    rows: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not active.enabled:
            continue
        description = binding.description
        if not (description and _thai(description)):
            description = TEXTUAL_KEYS_TH.get(key, "")
        if not description or (binding.action, description) in seen:
            continue
        seen.add((binding.action, description))
        rows.append((app.get_key_display(binding), description))
    return rows


class KeysHelp(ModalScreen[None]):
    DEFAULT_CSS = """
    KeysHelp { align: center middle; }
    KeysHelp > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    KeysHelp .title { text-style: bold; margin-bottom: 1; }
    KeysHelp VerticalScroll { height: auto; max-height: 30; }
    KeysHelp .hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("f1,escape,question_mark", "close", "ปิด", show=False),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.rows = keys_of(under)
        self.title_text = under.sub_title or under.title or ""

    def compose(self) -> ComposeResult:
        from rich.table import Table
        from rich.text import Text

        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold")
        table.add_column()
        for key, description in self.rows:
            table.add_row(Text(key), Text(description))
        with Vertical():
            yield Label(f"ปุ่มที่ใช้ได้ในหน้านี้ — {self.title_text}".rstrip(" —"), classes="title")
            with VerticalScroll():
                yield Static(table, id="keys")
            yield Label("F1 หรือ Esc ปิดหน้านี้", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
