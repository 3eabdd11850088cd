"""``counter-tui qr``: the parser, the terminal output (decoded), the PNG/SVG/PDF files (decoded)
and the errors that tell the administrator what to do."""

from __future__ import annotations

import argparse
import io
import re

import pypdfium2
import pytest
import resvg_py
from PIL import Image
from printing_support import ITAS_URL, OFFICE, decode, rasterise_lines

from counter_tui.errors import UserError
from counter_tui.printing.cli import add_qr_command, run_qr

HALF_BLOCK_LINE = re.compile(r"^[ ▀▄█]+$")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="counter-tui")
    commands = root.add_subparsers()
    add_qr_command(commands, handler=lambda args: 0)
    return root


def test_the_qr_command_parses_its_options():
    args = parser().parse_args(["qr", "--out", "card.pdf", "--fiscal-year", "2570"])
    assert (args.out, args.fiscal_year, args.handler(args)) == ("card.pdf", 2570, 0)
    args = parser().parse_args(["qr"])
    assert args.out is None and args.fiscal_year is None


def test_help_names_the_file_types(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["qr", "--help"])
    out = capsys.readouterr().out
    assert ".png" in out and ".svg" in out and ".pdf" in out and "--fiscal-year" in out


def test_without_out_the_code_goes_to_stdout_and_scans():
    out = io.StringIO()
    assert run_qr(None, OFFICE, ITAS_URL, stdout=out) == 0
    lines = out.getvalue().split("\n")
    code = [line for line in lines if line and HALF_BLOCK_LINE.match(line)]
    assert 19 <= len(code) <= 21
    assert decode(rasterise_lines(code)) == [ITAS_URL]
    assert ITAS_URL in lines and any("EIT" in line for line in lines)


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_colour_terminal_the_code_is_black_on_white(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = Tty()
    run_qr(None, OFFICE, ITAS_URL, stdout=out)
    text = out.getvalue()
    assert "\x1b[38;2;0;0;0;48;2;255;255;255m" in text
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text).split("\n")
    code = [line for line in plain if line and HALF_BLOCK_LINE.match(line)]
    assert decode(rasterise_lines(code)) == [ITAS_URL]


@pytest.mark.parametrize("name", ["code.png", "CODE.PNG"])
def test_out_png(tmp_path, name):
    out = io.StringIO()
    run_qr(str(tmp_path / name), OFFICE, ITAS_URL, stdout=out)
    assert decode(Image.open(tmp_path / name)) == [ITAS_URL]
    assert name in out.getvalue()


def test_out_svg(tmp_path):
    run_qr(str(tmp_path / "code.svg"), OFFICE, ITAS_URL, stdout=io.StringIO())
    png = resvg_py.svg_to_bytes(svg_path=str(tmp_path / "code.svg"), dpi=300.0)
    assert decode(Image.open(io.BytesIO(bytes(png)))) == [ITAS_URL]


def test_out_pdf_is_the_desk_card(tmp_path):
    run_qr(str(tmp_path / "card.pdf"), OFFICE, ITAS_URL, fiscal_year=2570, stdout=io.StringIO())
    document = pypdfium2.PdfDocument(str(tmp_path / "card.pdf"))
    try:
        assert len(document) == 1
        assert decode(document[0].render(scale=2).to_pil()) == [ITAS_URL]
    finally:
        document.close()


@pytest.mark.parametrize("name", ["code.jpg", "code", "card.pdf.txt"])
def test_an_unknown_extension_names_the_accepted_ones(tmp_path, name):
    with pytest.raises(UserError) as caught:
        run_qr(str(tmp_path / name), OFFICE, ITAS_URL, stdout=io.StringIO())
    message = str(caught.value)
    assert ".png" in message and ".svg" in message and ".pdf" in message
    assert not (tmp_path / name).exists()


def test_a_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError) as caught:
        run_qr(str(tmp_path / "nope" / "code.png"), OFFICE, ITAS_URL, stdout=io.StringIO())
    assert "nope" in str(caught.value)


@pytest.mark.parametrize("url", [None, "http://itas.nacc.go.th/go/eit/abc"])
@pytest.mark.parametrize("out", [None, "card.pdf", "code.png"])
def test_a_missing_or_plain_http_link_tells_the_exact_command(tmp_path, url, out):
    with pytest.raises(UserError) as caught:
        run_qr(out and str(tmp_path / out), OFFICE, url, fiscal_year=2570, stdout=io.StringIO())
    message = str(caught.value)
    assert (
        "counter-tui settings set survey.eit_url https://itas.nacc.go.th/go/eit/... "
        "--fiscal-year 2570"
    ) in message
    assert "ปีงบประมาณ 2570" in message
    assert not list(tmp_path.iterdir())


def test_without_a_fiscal_year_the_command_shows_a_placeholder():
    with pytest.raises(UserError) as caught:
        run_qr(None, OFFICE, None, stdout=io.StringIO())
    assert "--fiscal-year NNNN" in str(caught.value)
