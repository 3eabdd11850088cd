"""Control characters: found in typed text, and shown visibly instead of raw."""

from __future__ import annotations

import pytest

from counter_tui.core.text import control_characters, has_control_characters, safe_text


@pytest.mark.parametrize(
    "text",
    [
        "\x1b[2J",
        "\x07",
        "\u202e",
        "\u2066",
        "\u200f",
        "\x00",
        "\t",
        "\n",
        "\r",
        "\x7f",
        "\x85",
        "\x9b",
        "\u2028",
    ],
)
def test_every_control_character_is_found_and_made_visible(text):
    value = f"ชื่อ{text}ท้าย"
    assert has_control_characters(value)
    assert control_characters(value)
    shown = safe_text(value)
    assert not has_control_characters(shown)
    assert shown.startswith("ชื่อ\\") and shown.endswith("ท้าย")


@pytest.mark.parametrize(
    "text",
    [
        "สมชาย ใจดี",
        "ช่อง ๒",
        "กองคลัง (การเงิน)",
        "น้ำ ก่ำ ฟ้า",
        "https://itas.nacc.go.th/go/eit/abc",
        "08:30-16:30",
        "",
    ],
)
def test_ordinary_thai_and_ascii_pass_untouched(text):
    assert not has_control_characters(text)
    assert safe_text(text) == text


def test_the_escapes_name_each_character_once():
    assert control_characters("a\x1bb\u202ec\x1b") == ["\\x1b", "\\u202e"]
    assert safe_text("\x1b[31mแดง\u202e") == "\\x1b[31mแดง\\u202e"


def test_csv_or_json_to_a_terminal_is_escaped_but_a_pipe_gets_the_data_exactly():
    import csv
    import io

    from counter_tui.core.text import for_terminal

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, expected in (
        (Terminal(), "อบต.\\x1b[2Jหนองบัว,\\u202e1\r\n"),
        (io.StringIO(), "อบต.\x1b[2Jหนองบัว,\u202e1\r\n"),
    ):
        csv.writer(for_terminal(stream), lineterminator="\r\n").writerow(
            ["อบต.\x1b[2Jหนองบัว", "\u202e1"]
        )
        assert stream.getvalue() == expected
