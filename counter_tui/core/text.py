"""Provides the rules for control characters in text people typed: find them, and show text safely.

A name or setting holding ESC, BEL or a bidi override (U+202E) can rewrite a terminal's screen or
reverse what an officer reads. Such characters are refused when text is entered
(``control_characters``) and replaced visibly wherever stored text goes to a terminal
(``safe_text``): ESC becomes ``\\x1b``, U+202E ``\\u202e``.

Refused: every C0 control (U+0000-U+001F, tab and line breaks included), DEL, every C1 control
(U+0080-U+009F), the bidi embeddings, overrides, isolates and marks, and the line and paragraph
separators. Thai (its vowels, tone marks and digits) and ordinary spaces are untouched.

Stdlib only.
"""

from __future__ import annotations

import re
from typing import TextIO, cast

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROL_RE = re.compile(f"[\u0000-\u001f\u007f-\u009f\u2028\u2029{_BIDI}]")


def control_characters(text: str) -> list[str]:
    """The distinct control characters in ``text``, each written visibly (``\\x1b``), in the
    order they first appear; empty when there are none."""
    seen: dict[str, None] = {}
    for match in _CONTROL_RE.finditer(str(text)):
        seen.setdefault(_visible(match.group()), None)
    return list(seen)


def has_control_characters(text: str) -> bool:
    return _CONTROL_RE.search(str(text)) is not None


def _visible(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: object, keep: str = "") -> str:
    """``text`` as a string fit for a terminal: each control character replaced by its escape
    (``\\x1b``, ``\\u202e``); anything else unchanged. ``keep``: control characters left as
    they are (``"\\t\\r\\n"`` for a CSV's or JSON's own layout)."""
    return _CONTROL_RE.sub(
        lambda match: match.group() if match.group() in keep else _visible(match.group()), str(text)
    )


class SafeTerminal:
    """A text stream for a terminal that escapes control characters in what is written through
    it, keeping tabs and line breaks (CSV or JSON printed to a terminal)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(safe_text(text, keep="\t\r\n"))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def for_terminal(stream: TextIO) -> TextIO:
    """``stream`` itself when it is a file or a pipe (the data exactly as stored), else a
    ``SafeTerminal`` around it."""
    isatty = getattr(stream, "isatty", None)
    # SafeTerminal is written to as a TextIO is (write, flush): all its callers do with one
    return cast(TextIO, SafeTerminal(stream)) if isatty is not None and isatty() else stream


def control_message_th(field_th: str, text: str, field_en: str = "") -> str:
    """The Thai message for a refused value, naming the field and the characters found (with
    the field's English name in brackets, as the other messages of the app)."""
    found = ", ".join(control_characters(text))
    english = f" ({field_en} holds control characters {found}: type it again)" if field_en else ""
    return (
        f"{field_th}มีอักขระควบคุมที่พิมพ์ไม่ได้ ({found}) ซึ่งอาจมาจากการคัดลอกข้อความ "
        f"พิมพ์{field_th}ใหม่ด้วยตัวอักษรธรรมดา{english}"
    )
