"""Provides the modal dialogs of the counter: a reason (short list + free text), issuing a ticket
(service search, priority, channel), a visit outcome, and choosing a counter.

Each is a ``ModalScreen[T]`` that returns its result through ``dismiss`` (None when cancelled
with Esc). Service search results are handed in by the caller: dialogs never query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from counter_tui.core.queue import CHANNELS, PRIORITY_CATEGORIES
from counter_tui.screens.base import CounterDialog


class Dialog(CounterDialog[Any]):
    """The frame every counter dialog shares: centred, bordered, keyboard hints underneath.

    Not scoped: Textual prefixes a widget's DEFAULT_CSS with its own type, which would stop
    these rules from reaching the dialogs that subclass this one.
    """

    SCOPED_CSS = False
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 84; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    Dialog .title { text-style: bold; margin-bottom: 1; }
    Dialog .hint { color: $text-muted; margin-top: 1; }
    Dialog .error { color: $text-error; }
    Dialog OptionList, Dialog SelectionList { height: auto; max-height: 12; }
    Dialog Input, Dialog Select { margin-bottom: 1; }
    """


class ReasonDialog(Dialog):
    """Pick a reason from a short list or type one; Enter confirms, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "ยกเลิก")]

    def __init__(self, title: str, reasons: Sequence[str]) -> None:
        super().__init__()
        self.title_text = title
        self.reasons = list(reasons)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield OptionList(
                *[Option(r, id=str(i)) for i, r in enumerate(self.reasons)], id="reasons"
            )
            yield Input(placeholder="หรือพิมพ์เหตุผลอื่น แล้วกด Enter", id="other")
            yield Label("↑↓ เลือก  Enter ยืนยัน  Tab ไปช่องพิมพ์  Esc ยกเลิก", classes="hint")

    def on_mount(self) -> None:
        if not self.reasons:  # nothing to pick from: straight to typing
            self.query_one("#reasons", OptionList).display = False
            self.query_one("#other", Input).focus()

    @on(OptionList.OptionSelected, "#reasons")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.reasons[int(event.option.id or 0)])

    @on(Input.Submitted, "#other")
    def _typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
        else:
            self.notify("พิมพ์เหตุผล หรือเลือกจากรายการ", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class TicketRequest:
    service_code: str
    priority: str | None
    channel: str


ServiceSearch = Callable[[str], Awaitable[list[tuple[str, str, str]]]]


class IssueTicketDialog(Dialog):
    """Type part of the Thai or English name or the code; choose; Enter issues."""

    BINDINGS = [Binding("escape", "cancel", "ยกเลิก")]

    def __init__(self, title: str, search: ServiceSearch) -> None:
        super().__init__()
        self.title_text = title
        self.search = search

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Input(placeholder="ค้นหาบริการ: ชื่อภาษาไทย ชื่ออังกฤษ หรือรหัส", id="query")
            yield OptionList(id="services")
            yield Select(
                [(th, key) for key, (th, _) in PRIORITY_CATEGORIES.items()],
                prompt="ไม่มีสิทธิ์ลำดับก่อน (ปกติ)",
                id="priority",
            )
            yield Select(
                [(th, key) for key, (th, _) in CHANNELS.items()],
                value="walk_in",
                allow_blank=False,
                id="channel",
            )
            yield Label("พิมพ์เพื่อค้นหา  ↓ เลือกบริการ  Enter ออกบัตร  Esc ยกเลิก", classes="hint")

    def on_mount(self) -> None:
        self._refresh("")

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self._refresh(event.value)

    def _refresh(self, text: str) -> None:
        self.run_worker(
            self._search(text), group="service-search", exclusive=True, exit_on_error=False
        )

    async def _search(self, text: str) -> None:
        found = await self.search(text)
        options = self.query_one("#services", OptionList)
        options.clear_options()
        options.add_options(
            [Option(f"{letter}  {name}  ({code})", id=code) for code, name, letter in found]
        )
        if found:
            options.highlighted = 0

    @on(Input.Submitted, "#query")
    def _submit_query(self) -> None:
        options = self.query_one("#services", OptionList)
        if options.highlighted is None:
            self.notify("ไม่พบบริการที่ค้นหา", severity="warning")
            return
        self._issue(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#services")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._issue(event.option.id)

    def _issue(self, code: str | None) -> None:
        if not code:
            return
        priority = self.query_one("#priority", Select).value
        channel = self.query_one("#channel", Select).value
        self.dismiss(
            TicketRequest(code, priority if isinstance(priority, str) else None, str(channel))
        )

    def on_key(self, event) -> None:
        if event.key == "down" and self.focused is self.query_one("#query", Input):
            self.query_one("#services", OptionList).focus()
            event.stop()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(Dialog):
    """Choose one of a few labelled values (an outcome, a counter)."""

    BINDINGS = [Binding("escape", "cancel", "ยกเลิก")]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.hint = hint or "↑↓ เลือก  Enter ยืนยัน  Esc ยกเลิก"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield OptionList(
                *[Option(label, id=value) for value, label in self.choices], id="choices"
            )
            yield Label(self.hint, classes="hint")

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


Submit = Callable[[Any], Awaitable[str]]


class FormDialog(Dialog):
    """A form whose values go to ``submit``; it closes only when that succeeds, and shows what
    is wrong in its ``#error`` label otherwise, keeping everything typed."""

    # Enter saves from anywhere in the form: an input submits, and a CheckList leaves Enter to
    # the form (Space ticks), so Enter in the list of units saves instead of ticking one.
    BINDINGS = [
        Binding("escape", "cancel", "ยกเลิก"),
        Binding("ctrl+s", "save", "บันทึก"),
        Binding("enter", "save", "บันทึก", show=False),
    ]

    def __init__(self, submit: Submit) -> None:
        super().__init__()
        self.submit = submit

    def values(self) -> Any:
        """What the form holds; raise ValueError to refuse before anything is sent."""
        raise NotImplementedError

    def action_save(self) -> None:
        self.run_worker(self._save(), group="form", exclusive=True, exit_on_error=False)

    async def _save(self) -> None:
        from counter_tui.errors import UserError

        error = self.query_one("#error", Label)
        try:
            message = await self.submit(self.values())
        except (UserError, ValueError) as exc:
            error.update(str(exc))
            return
        self.dismiss(message)

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)


class SurveyQRDialog(Dialog):
    """The survey QR code on demand (a visitor not served yet, or the IIT link for staff)."""

    BINDINGS = [Binding("escape,enter", "close", "ปิด")]

    def __init__(
        self, title: str, url: str | None, invitation: str | None = None, kind: str = "eit"
    ) -> None:
        super().__init__()
        self.title_text = title
        self.url = url
        self.invitation = invitation
        self.kind = kind  # which survey: "eit" (visitors) or "iit" (staff), named if unset

    def compose(self) -> ComposeResult:
        from counter_tui.widgets.qr_view import QRView

        with Vertical():
            yield Label(self.title_text, classes="title")
            if self.invitation:
                yield QRView(self.url, self.invitation, kind=self.kind)
            else:
                yield QRView(self.url, kind=self.kind)
            yield Label("Enter หรือ Esc ปิด", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)


class TextDialog(Dialog):
    """One line of text (e.g. an application number); Enter confirms, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "ยกเลิก")]

    def __init__(self, title: str, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Input(placeholder=self.placeholder, id="text")
            yield Label("Enter ยืนยัน  Esc ยกเลิก", classes="hint")

    @on(Input.Submitted, "#text")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
