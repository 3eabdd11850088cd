"""Helpers for the printing tests: decode every QR code with a real decoder (zxing-cpp, inverted
codes NOT tried), rasterise Textual's SVG screenshots with their real colours, and read ESC/POS
byte streams back (the GS ( k QR payload, the GS v 0 raster images)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import zxingcpp
from PIL import Image

ITAS_URL = "https://itas.nacc.go.th/go/eit/d5e8c1a7b2"
SVG_NS = "{http://www.w3.org/2000/svg}"


def decode(image: Image.Image) -> list[str]:
    """Texts of the QR codes zxing-cpp finds; light-on-dark codes are not tried."""
    found = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode,
                                   try_invert=False)
    return [barcode.text for barcode in found]


# --- Textual screenshots -------------------------------------------------------------------

def _parse_colour(value: str) -> tuple[int, int, int]:
    value = value.strip()
    if value.startswith("#") and len(value) == 7:
        return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]
    match = re.fullmatch(r"rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*[\d.]+)?\)", value)
    if match:
        return tuple(int(part) for part in match.groups())  # type: ignore[return-value]
    raise ValueError(f"unknown colour {value!r}")


def rasterise_screenshot(svg: str, cell_w: int = 10, cell_h: int = 20) -> Image.Image:
    """Paint a Textual/Rich SVG screenshot cell by cell with the colours it really uses.

    Backgrounds come from the <rect> elements of the terminal group, glyph colours from the
    CSS classes of the <text> elements. The half-block glyphs ▀ ▄ █ are painted exactly (the
    upper or lower half, or the whole cell, in the glyph colour); any other glyph leaves its
    cell's background. A cell is cell_w x cell_h pixels, the aspect of a real terminal cell,
    so a half block is a square module.
    """
    root = ET.fromstring(svg)
    styles = "".join(node.text or "" for node in root.iter(f"{SVG_NS}style"))
    class_fill = {name: _parse_colour(colour) for name, colour in
                  re.findall(r"\.([\w-]+)\s*\{[^}]*?fill:\s*([^;}\s]+)", styles)}
    char_w = float(re.search(r"-matrix\s*\{[^}]*?font-size:\s*([\d.]+)px", styles).group(1)) \
        * 0.61
    line_h = float(re.search(r"line-height:\s*([\d.]+)px", styles).group(1))
    terminal = next(g for g in root.iter(f"{SVG_NS}g")
                    if "clip-terminal" in (g.get("clip-path") or ""))
    clip = next(r for r in root.iter(f"{SVG_NS}rect") if r.get("width") and
                r.get("x") == "0" and r.get("y") == "0" and r.get("fill") is None)
    cols = round(float(clip.get("width")) / char_w)
    rows = round(float(clip.get("height")) / line_h)
    bg = [[(0, 0, 0)] * cols for _ in range(rows)]
    for rect in terminal.findall(f"{SVG_NS}rect"):
        colour = _parse_colour(rect.get("fill"))
        col = round(float(rect.get("x")) / char_w)
        row = round((float(rect.get("y")) - 1.5) / line_h)
        width = round(float(rect.get("width")) / char_w)
        for c in range(col, min(col + width, cols)):
            if 0 <= row < rows:
                bg[row][c] = colour
    image = Image.new("RGB", (cols * cell_w, rows * cell_h))
    for row in range(rows):
        for col in range(cols):
            image.paste(bg[row][col], (col * cell_w, row * cell_h, (col + 1) * cell_w,
                                       (row + 1) * cell_h))
    for matrix in terminal.iter(f"{SVG_NS}g"):
        for text in matrix.findall(f"{SVG_NS}text"):
            glyphs = (text.text or "").replace("\xa0", " ")
            cells = round(float(text.get("textLength", "0")) / char_w)
            if cells != len(glyphs) or not glyphs.strip():
                continue  # wide or combining characters: no half blocks to place
            colour = class_fill.get(text.get("class", ""), (255, 255, 255))
            if text.get("fill"):
                colour = _parse_colour(text.get("fill"))
            col0 = round(float(text.get("x")) / char_w)
            row = int(float(text.get("y")) // line_h)
            for i, glyph in enumerate(glyphs):
                x0, y0 = (col0 + i) * cell_w, row * cell_h
                box = {"█": (x0, y0, x0 + cell_w, y0 + cell_h),
                       "▀": (x0, y0, x0 + cell_w, y0 + cell_h // 2),
                       "▄": (x0, y0 + cell_h // 2, x0 + cell_w, y0 + cell_h)}.get(glyph)
                if box is not None:
                    image.paste(colour, box)
    return image


# --- ESC/POS ---------------------------------------------------------------------------------

GS = b"\x1d"


def qr_store_payloads(data: bytes) -> list[bytes]:
    """The data of every GS ( k <pL> <pH> 49 80 48 (store QR data) command in the stream."""
    payloads = []
    start = 0
    while (at := data.find(GS + b"(k", start)) != -1:
        length = data[at + 3] + 256 * data[at + 4]
        body = data[at + 5:at + 5 + length]
        if body[:3] == b"1P0":
            payloads.append(body[3:])
        start = at + 5 + length
    return payloads


def raster_images(data: bytes) -> list[Image.Image]:
    """Every GS v 0 raster image in the stream, as a white-ground black-ink image.

    Parsing walks the known commands so image data is never mistaken for a command.
    """
    images = []
    at = 0
    while (at := data.find(GS + b"v0", at)) != -1:
        width_bytes = data[at + 4] + 256 * data[at + 5]
        height = data[at + 6] + 256 * data[at + 7]
        size = width_bytes * height
        raw = data[at + 8:at + 8 + size]
        assert len(raw) == size, "truncated raster image"
        # ESC/POS raster: bit set = dot printed (black); PIL mode "1": bit set = white.
        image = Image.frombytes("1", (width_bytes * 8, height), bytes(b ^ 0xFF for b in raw))
        images.append(image)
        at += 8 + size
    return images


def stack(images: list[Image.Image], gap: int = 0) -> Image.Image:
    """The images one below the other on white paper, as the printer lays them out."""
    width = max(image.width for image in images)
    height = sum(image.height + gap for image in images)
    paper = Image.new("L", (width, height), 255)
    y = 0
    for image in images:
        paper.paste(image.convert("L"), (0, y))
        y += image.height + gap
    return paper
