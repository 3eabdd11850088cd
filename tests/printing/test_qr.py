"""The survey QR code: link checks, sizes that fit a 120x40 terminal, and PNG, SVG and terminal
renderings decoded with a real decoder (zxing-cpp, inverted codes not tried)."""

from __future__ import annotations

import io

import pytest
import resvg_py
from PIL import Image
from printing_support import ITAS_URL, decode, rasterise_lines, read

from counter_tui.printing import qr


@pytest.mark.parametrize("url", [None, "", "   "])
def test_a_missing_link_is_reported_in_thai(url):
    problem = qr.survey_link_problem(url)
    assert problem is not None and "ยังไม่ได้ตั้งลิงก์แบบวัด EIT" in problem
    assert "survey.eit_url" in problem


@pytest.mark.parametrize(
    "url",
    [
        "http://itas.nacc.go.th/go/eit/abc",
        "itas.nacc.go.th/go/eit/abc",
        "https://",
        "https://itas.nacc.go.th/go eit",
        "ftp://x.y/z",
    ],
)
def test_a_link_that_is_not_https_is_reported(url):
    problem = qr.survey_link_problem(url)
    assert problem is not None and "https://" in problem and "ใช้ไม่ได้" in problem


def test_a_good_link_has_no_problem():
    assert qr.survey_link_problem(ITAS_URL) is None
    assert qr.survey_link_problem(f"  {ITAS_URL} ") is None


@pytest.mark.parametrize("code", ["abc123", "d5e8c1a7b2", "x" * 20])
def test_typical_itas_links_fit_a_120x40_terminal(code):
    url = f"https://itas.nacc.go.th/go/eit/{code}"
    matrix = qr.qr_matrix(url)
    side = len(matrix)
    assert 37 <= side <= 41  # version 3-4 with the quiet zone
    assert all(len(row) == side for row in matrix)
    lines = qr.terminal_lines(url)
    assert len(lines) == (side + 1) // 2 <= 21
    assert all(len(line) == side for line in lines)


def test_the_matrix_has_a_four_module_quiet_zone():
    matrix = qr.qr_matrix(ITAS_URL)
    side = len(matrix)
    border = [
        matrix[y][x]
        for y in range(side)
        for x in range(side)
        if min(x, y) < 4 or max(x, y) >= side - 4
    ]
    assert not any(border)
    # the finder pattern starts right inside it
    assert matrix[4][4] and matrix[4][10] and not matrix[5][5]


def test_error_correction_is_m(tmp_path):
    found = read(Image.open(qr.write_png(ITAS_URL, tmp_path / "code.png")))
    assert [barcode.ec_level for barcode in found] == ["M"]


def test_empty_data_is_refused():
    with pytest.raises(ValueError):
        qr.qr_matrix("")


@pytest.mark.parametrize("scale", [1, 3, 10])
def test_png_decodes_to_the_link(tmp_path, scale):
    path = qr.write_png(ITAS_URL, tmp_path / "code.png", scale=scale)
    image = Image.open(path)
    assert image.size == (len(qr.qr_matrix(ITAS_URL)) * scale,) * 2
    if scale == 1:  # one pixel per module is too small for any camera: upscale as a screen would
        image = image.resize((image.width * 4, image.height * 4), Image.Resampling.NEAREST)
    assert decode(image) == [ITAS_URL]


def test_png_scale_must_be_positive(tmp_path):
    with pytest.raises(ValueError):
        qr.write_png(ITAS_URL, tmp_path / "code.png", scale=0)


def test_svg_rendered_by_a_real_svg_renderer_decodes(tmp_path):
    path = qr.write_svg(ITAS_URL, tmp_path / "code.svg")
    svg = path.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and 'width="' in svg
    # The SVG is sized in millimetres: resvg needs a dpi to turn them into pixels.
    png = resvg_py.svg_to_bytes(svg_string=svg, dpi=300.0)
    image = Image.open(io.BytesIO(bytes(png)))
    assert decode(image) == [ITAS_URL]


def test_svg_has_its_own_white_background(tmp_path):
    # On a dark page (or a dark image viewer) a transparent SVG would show light-on-dark.
    svg = qr.write_svg(ITAS_URL, tmp_path / "code.svg").read_text(encoding="utf-8")
    png = resvg_py.svg_to_bytes(svg_string=svg, dpi=300.0, background="#000000")
    assert decode(Image.open(io.BytesIO(bytes(png)))) == [ITAS_URL]


def test_terminal_lines_decode_as_ink_on_paper():
    assert decode(rasterise_lines(qr.terminal_lines(ITAS_URL))) == [ITAS_URL]


def test_terminal_lines_read_light_on_dark_are_not_decoded():
    # The decoder really is run without inverted-image retry: the same lines shown as light
    # glyphs on a dark terminal (what theme colours would give) must not decode. This is what
    # makes the widget tests able to fail.
    image = rasterise_lines(qr.terminal_lines(ITAS_URL), ink=230, paper=20)
    assert decode(image) == []


def test_terminal_text_fixes_black_on_white():
    text = qr.terminal_text(ITAS_URL)
    assert text.plain == "\n".join(qr.terminal_lines(ITAS_URL))
    style = text.style
    assert style.color.triplet.hex == "#000000"
    assert style.bgcolor.triplet.hex == "#ffffff"
    assert text.no_wrap
