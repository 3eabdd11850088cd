"""Provides ``QRView``: the EIT survey QR code drawn with half blocks, with a Thai invitation, or
the warning that the link is missing or unusable where the code would be.

The code is drawn black on white with explicit colours (never theme colours), so it scans the
same in a dark and a light theme. Size: 37-41 columns by 19-21 rows for a typical ITAS link
(2 module rows per text row). Imports neither fpdf nor escpos; qrcode only when composing.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from counter_tui.printing.qr import DEFAULT_INVITATION, survey_link_problem, terminal_text

__all__ = ["QRView"]


class QRView(Widget):
    """The survey QR code, centred, above its invitation.

    To put the invitation beside the code instead: ``QRView { layout: horizontal; }
    QRView > .qr-frame { width: auto; }``.

    ``url`` and ``invitation`` are reactive: assigning either redraws the widget.
    ``has_code`` tells whether a code is shown (False when the link has a problem).
    """

    DEFAULT_CSS = """
    QRView {
        layout: vertical;
        width: 1fr;
        height: auto;
    }
    QRView > .qr-frame {
        width: 1fr;
        height: auto;
        align-horizontal: center;
    }
    QRView .qr-code {
        width: auto;
        height: auto;
    }
    QRView > .qr-invitation {
        width: 1fr;
        height: auto;
        padding: 1 1 0 1;
        text-align: center;
    }
    QRView > .qr-problem {
        width: 1fr;
        height: auto;
        color: $warning;
        border: round $warning;
        padding: 1 2;
    }
    """

    url: reactive[str | None] = reactive(None, recompose=True)
    invitation: reactive[str] = reactive(DEFAULT_INVITATION, recompose=True)

    def __init__(
        self,
        url: str | None,
        invitation: str = DEFAULT_INVITATION,
        *,
        kind: str = "eit",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.kind = kind
        self.set_reactive(QRView.url, url)
        self.set_reactive(QRView.invitation, invitation)

    @property
    def problem(self) -> str | None:
        """The Thai message shown instead of the code, or None when the link is usable."""
        return survey_link_problem(self.url, self.kind)

    @property
    def has_code(self) -> bool:
        return self.problem is None

    def compose(self) -> ComposeResult:
        problem = self.problem
        if problem is not None:
            yield Static(problem, classes="qr-problem", markup=False)
            return
        assert self.url is not None
        with Center(classes="qr-frame"):
            yield Static(terminal_text(self.url.strip()), classes="qr-code")
        yield Static(self.invitation, classes="qr-invitation", markup=False)
