"""Provides the line numbers of the keys of a TOML document.

tomllib reports line numbers only for syntax errors, so a validator that wants to point at the
offending key (``FILE:LINE: error: ...``) has to find the lines itself. This is a small, lenient
scanner: it follows tables, arrays of tables, dotted and quoted keys, inline tables and arrays
(recording each element's index), and skips strings — multi-line ones included — and comments,
so that text inside them is never taken for a key. It never raises: on text it cannot follow it
skips to the next line and goes on.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

__all__ = ["KeyPath", "key_lines", "nearest_line"]

KeyPath = tuple[str | int, ...]

_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_MAX_DEPTH = 64
_ESCAPES = {
    "b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b",
}  # fmt: skip


class _Bail(Exception):
    """Raised inside the scanner when a statement cannot be followed."""


class _Scanner:
    def __init__(self, text: str) -> None:
        self.s = text
        self.n = len(text)
        self.i = 0
        self.starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self.starts.append(index + 1)
        self.lines: dict[KeyPath, int] = {}
        self.aot_counts: dict[KeyPath, int] = {}

    # -- positions -------------------------------------------------------------------------
    def line_at(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos)

    def record(self, path: KeyPath, pos: int, overwrite: bool = True) -> None:
        if overwrite or path not in self.lines:
            self.lines[path] = self.line_at(pos)

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < self.n else ""

    def skip_spaces(self) -> None:
        while self.i < self.n and self.s[self.i] in " \t":
            self.i += 1

    def skip_comment(self) -> None:
        if self.peek() == "#":
            while self.i < self.n and self.s[self.i] != "\n":
                self.i += 1

    def skip_blank(self) -> None:
        """Skip spaces, newlines and comments (inside arrays)."""
        while self.i < self.n:
            char = self.s[self.i]
            if char in " \t\r\n":
                self.i += 1
            elif char == "#":
                self.skip_comment()
            else:
                break

    def skip_line(self) -> None:
        while self.i < self.n and self.s[self.i] != "\n":
            self.i += 1
        if self.i < self.n:
            self.i += 1

    # -- document --------------------------------------------------------------------------
    def run(self) -> None:
        table: KeyPath = ()
        while self.i < self.n:
            self.skip_blank()
            if self.i >= self.n:
                break
            start = self.i
            try:
                if self.s.startswith("[[", self.i):
                    table = self.array_table_header()
                elif self.peek() == "[":
                    table = self.table_header()
                else:
                    self.key_value(table, depth=0)
                self.skip_spaces()
                self.skip_comment()
                if self.peek() not in ("", "\n", "\r"):
                    raise _Bail
            except _Bail:
                # Skip the rest of the line, but never go backwards (a value may span lines).
                self.i = max(self.i, start)
                self.skip_line()

    def resolve_header(self, parts: Sequence[str]) -> KeyPath:
        """Map header key parts to a path, indexing through arrays of tables."""
        resolved: KeyPath = ()
        for number, part in enumerate(parts):
            resolved = resolved + (part,)
            if number < len(parts) - 1 and resolved in self.aot_counts:
                resolved = resolved + (self.aot_counts[resolved] - 1,)
        return resolved

    def table_header(self) -> KeyPath:
        pos = self.i
        self.i += 1
        self.skip_spaces()
        parts = self.key_parts()
        self.skip_spaces()
        if self.peek() != "]":
            raise _Bail
        self.i += 1
        path = self.resolve_header(parts)
        for k in range(1, len(path)):
            self.record(path[:k], pos, overwrite=False)
        self.record(path, pos)
        return path

    def array_table_header(self) -> KeyPath:
        pos = self.i
        self.i += 2
        self.skip_spaces()
        parts = self.key_parts()
        self.skip_spaces()
        if not self.s.startswith("]]", self.i):
            raise _Bail
        self.i += 2
        path = self.resolve_header(parts)
        index = self.aot_counts.get(path, 0)
        self.aot_counts[path] = index + 1
        for k in range(1, len(path)):
            self.record(path[:k], pos, overwrite=False)
        self.record(path, pos, overwrite=False)
        self.record(path + (index,), pos)
        return path + (index,)

    # -- keys ------------------------------------------------------------------------------
    def key_parts(self) -> list[str]:
        parts = [self.simple_key()]
        while True:
            save = self.i
            self.skip_spaces()
            if self.peek() == ".":
                self.i += 1
                self.skip_spaces()
                parts.append(self.simple_key())
            else:
                self.i = save
                return parts

    def simple_key(self) -> str:
        char = self.peek()
        if char == '"':
            return self.basic_string(decode=True)
        if char == "'":
            return self.literal_string()
        start = self.i
        while self.i < self.n and self.s[self.i] in _BARE_KEY_CHARS:
            self.i += 1
        if self.i == start:
            raise _Bail
        return self.s[start : self.i]

    def key_value(self, table: KeyPath, depth: int) -> None:
        pos = self.i
        parts = self.key_parts()
        path = table + tuple(parts)
        for k in range(len(table) + 1, len(path)):
            self.record(path[:k], pos, overwrite=False)
        self.record(path, pos)
        self.skip_spaces()
        if self.peek() != "=":
            raise _Bail
        self.i += 1
        self.skip_spaces()
        self.value(path, depth + 1)

    # -- values ----------------------------------------------------------------------------
    def value(self, path: KeyPath, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise _Bail
        char = self.peek()
        if self.s.startswith('"""', self.i):
            self.multiline_string('"""')
        elif self.s.startswith("'''", self.i):
            self.multiline_string("'''")
        elif char == '"':
            self.basic_string(decode=False)
        elif char == "'":
            self.literal_string()
        elif char == "[":
            self.array(path, depth)
        elif char == "{":
            self.inline_table(path, depth)
        else:
            start = self.i
            while self.i < self.n and self.s[self.i] not in ",]}#\r\n":
                self.i += 1
            if self.i == start:
                raise _Bail

    def multiline_string(self, quote: str) -> None:
        self.i += 3
        while self.i < self.n:
            if quote == '"""' and self.s[self.i] == "\\":
                self.i += 2
                continue
            if self.s.startswith(quote, self.i):
                self.i += 3
                # Up to two quotes may sit just before the closing delimiter.
                extra = 0
                while extra < 2 and self.peek() == quote[0]:
                    self.i += 1
                    extra += 1
                return
            self.i += 1
        # Unterminated: the rest of the document is inside the string.

    def basic_string(self, decode: bool) -> str:
        self.i += 1
        out: list[str] = []
        while self.i < self.n:
            char = self.s[self.i]
            if char == '"':
                self.i += 1
                return "".join(out)
            if char == "\n":
                raise _Bail
            if char == "\\":
                nxt = self.peek(1)
                if decode and nxt in _ESCAPES:
                    out.append(_ESCAPES[nxt])
                    self.i += 2
                    continue
                if decode and nxt in ("u", "U"):
                    width = 4 if nxt == "u" else 8
                    digits = self.s[self.i + 2 : self.i + 2 + width]
                    try:
                        out.append(chr(int(digits, 16)))
                    except (ValueError, OverflowError):
                        raise _Bail from None
                    self.i += 2 + width
                    continue
                out.append(char + nxt)
                self.i += 2
                continue
            out.append(char)
            self.i += 1
        raise _Bail

    def literal_string(self) -> str:
        self.i += 1
        start = self.i
        while self.i < self.n:
            char = self.s[self.i]
            if char == "'":
                self.i += 1
                return self.s[start : self.i - 1]
            if char == "\n":
                raise _Bail
            self.i += 1
        raise _Bail

    def array(self, path: KeyPath, depth: int) -> None:
        self.i += 1
        index = 0
        while True:
            self.skip_blank()
            if self.i >= self.n:
                raise _Bail
            if self.peek() == "]":
                self.i += 1
                return
            element = path + (index,)
            self.record(element, self.i)
            self.value(element, depth + 1)
            index += 1
            self.skip_blank()
            if self.peek() == ",":
                self.i += 1
            elif self.peek() == "]":
                self.i += 1
                return
            else:
                raise _Bail

    def inline_table(self, path: KeyPath, depth: int) -> None:
        self.i += 1
        while True:
            self.skip_blank()
            if self.i >= self.n:
                raise _Bail
            if self.peek() == "}":
                self.i += 1
                return
            self.key_value(path, depth + 1)
            self.skip_blank()
            if self.peek() == ",":
                self.i += 1
            elif self.peek() == "}":
                self.i += 1
                return
            else:
                raise _Bail


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map each key path of a TOML text to its 1-based line.

    Paths: ``("code",)`` for a top-level key, ``("fee",)`` for a table header and
    ``("fee", "text")`` for its keys, ``("steps", 0)`` for the first ``[[steps]]`` header and
    ``("steps", 0, "standard")`` for its keys; array elements get their index the same way.
    Never raises: whatever could be followed before a problem is returned.
    """
    try:
        scanner = _Scanner(text if isinstance(text, str) else str(text))
    except Exception:  # noqa: BLE001 - the contract is "never raises"
        return {}
    try:
        scanner.run()
    except Exception:  # noqa: BLE001 - e.g. RecursionError on pathological input
        pass
    return scanner.lines


def nearest_line(lines_map: dict[KeyPath, int], path: Sequence[str | int]) -> int:
    """Line of the longest prefix of path found in lines_map; 1 when none is known."""
    try:
        key = tuple(path)
        for length in range(len(key), 0, -1):
            line = lines_map.get(key[:length])
            if line is not None:
                return line
    except Exception:  # noqa: BLE001 - unhashable parts and the like
        pass
    return 1
