"""Provides ``Signals``: table cells that carry a warning or an alarm in the current theme's
colours, as Rich ``Text``.

Textual's own markup (Static, Label, ``notify``) knows the theme's ``$warning`` and ``$error``;
Rich's markup, which a DataTable applies to string cells, does not: ``[$warning]`` raises
``MarkupError`` and ``[bold $error]`` silently loses its colour. (That crashed the supervisor
dashboard the first time a counter passed 80 % of its standard.) So a cell that must stand out
is a ``Text`` whose style is resolved from the theme's variables here; a screen keeps what it
showed and builds its cells again when the theme changes (``App.theme_changed_signal``).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

#: signal -> (theme variable, bold). "warn": near a limit (a timer at 80 % of its standard, a
#: notice still owed); "over": past it (a timer at 100 %, a case overdue, a result notified late).
#: The theme's text variants of $warning and $error: the plain ones are made for backgrounds
#: (orange #FEA62B text on the light theme's grey is hard to read at a bright counter).
SIGNALS: dict[str, tuple[str, bool]] = {
    "warn": ("text-warning", True),
    "over": ("text-error", True),
}


class Signals:
    """The signal styles of one theme (``App.get_css_variables()``)."""

    def __init__(self, variables: dict[str, str]) -> None:
        self.styles = {
            name: Style(color=variables[var], bold=bold) for name, (var, bold) in SIGNALS.items()
        }

    @classmethod
    def of(cls, app) -> Signals:
        return cls(app.get_css_variables())

    def cell(self, text: str, signal: str | None = None) -> Text:
        """``text`` as a cell; with ``signal`` ("warn", "over") in that signal's style. Never
        parsed as markup: a name with brackets in it is shown as it is."""
        return self.join((text, signal))

    def join(self, *parts: tuple[str, str | None]) -> Text:
        """One cell of several parts, each (text, signal or None). The styles are spans, which
        ``Text.__eq__`` compares (it ignores ``Text.style``): a table updated by value sees the
        same words in another theme's colour as a change."""
        text = Text(no_wrap=True, overflow="ellipsis")
        for part, signal in parts:
            text.append(part, self.styles[signal] if signal else "")
        return text
