"""Provides the EIT survey QR code: the link check, the module matrix, the terminal rendering
(half blocks, explicit black-on-white colours), and the bare PNG and SVG files.

Error correction M and a 4-module quiet zone everywhere. A typical ITAS link
(``https://itas.nacc.go.th/go/eit/<code>``, about 40 bytes) gives version 3 or 4: 37-41 modules
with the quiet zone, so 37-41 terminal columns by 19-21 rows, which leaves room for the
invitation beside it in a 120x40 terminal. ``qrcode`` is cheap to import (~40 ms with Pillow
left out), but it is still imported inside the functions so that importing this module costs
nothing; Pillow is needed only for PNG.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from counter_tui.core.office_settings import SettingError, validate_setting

if TYPE_CHECKING:
    from rich.text import Text

__all__ = [
    "DEFAULT_INVITATION",
    "EXAMPLE_URL",
    "QUIET_ZONE",
    "SURVEY_HEADLINE",
    "SURVEY_WHY",
    "TERMINAL_DARK",
    "TERMINAL_LIGHT",
    "qr_matrix",
    "survey_link_problem",
    "terminal_lines",
    "terminal_text",
    "write_png",
    "write_svg",
]

QUIET_ZONE = 4
"""Modules of white border around the code, as the QR standard asks."""

EXAMPLE_URL = "https://itas.nacc.go.th/go/eit/..."

SURVEY_HEADLINE = "สแกนเพื่อตอบแบบวัดการรับรู้ ของผู้มีส่วนได้เสียภายนอก (EIT)"
SURVEY_WHY = (
    "ส่วนหนึ่งของการประเมินคุณธรรมและความโปร่งใส ในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
    "ความเห็นของท่าน ช่วยให้หน่วยงานโปร่งใส และให้บริการได้ดียิ่งขึ้น"
)
DEFAULT_INVITATION = f"{SURVEY_HEADLINE} {SURVEY_WHY}"
"""The invitation shown beside the code on screen."""

# Fixed colours, never theme colours: a QR code must be dark modules on a light ground whatever
# the theme, or phone scanners that do not try inverted codes fail.
TERMINAL_DARK = "#000000"
TERMINAL_LIGHT = "#ffffff"

_UPPER, _LOWER, _FULL, _EMPTY = "▀", "▄", "█", " "


def survey_link_problem(url: str | None, kind: str = "eit") -> str | None:
    """A Thai message (English after it) when the survey link of ``kind`` ("eit" for visitors,
    "iit" for staff) is missing or not https; else None."""
    name, key = kind.upper(), f"survey.{kind}_url"
    if url is None or not url.strip():
        return (
            f"ยังไม่ได้ตั้งลิงก์แบบวัด {name} ของปีงบประมาณนี้ — "
            f"ผู้ดูแลระบบตั้งได้ที่ค่าตั้ง {key} "
            f"(the {name} survey link for this fiscal year is not set)"
        )
    try:
        validate_setting(key, url)
    except SettingError:
        return (
            f"ลิงก์แบบวัด {name} ที่ตั้งไว้ใช้ไม่ได้: ต้องขึ้นต้นด้วย https:// เช่น {EXAMPLE_URL} — "
            f"ผู้ดูแลระบบแก้ได้ที่ค่าตั้ง {key} "
            f"(the {name} survey link {url.strip()!r} is not an https:// link)"
        )
    return None


def _code(data: str, box_size: int = 1, image_factory=None):
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    if not data:
        raise ValueError("a QR code needs some data")
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M,
        border=QUIET_ZONE,
        box_size=box_size,
        image_factory=image_factory,
    )
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_matrix(data: str) -> list[list[bool]]:
    """Modules of the QR code for data, True = dark, with the 4-module quiet zone included."""
    return [[bool(module) for module in row] for row in _code(data).get_matrix()]


def _half_block_rows(matrix: list[list[bool]]) -> list[str]:
    rows: list[str] = []
    width = len(matrix[0])
    for top in range(0, len(matrix), 2):
        upper = matrix[top]
        # An odd last row: the missing half is light, like the quiet zone around it.
        lower = matrix[top + 1] if top + 1 < len(matrix) else [False] * width
        rows.append(
            "".join(
                _FULL if up and down else _UPPER if up else _LOWER if down else _EMPTY
                for up, down in zip(upper, lower)
            )
        )
    return rows


def terminal_lines(data: str) -> list[str]:
    """The code as text lines, one line per two module rows: ▀ ▄ █ and space.

    A glyph marks DARK modules, so the lines read correctly only as dark ink on a light ground
    (paper, a light terminal). On screen use ``terminal_text``, which fixes the colours.
    """
    return _half_block_rows(qr_matrix(data))


def terminal_text(data: str) -> Text:
    """The code as a ``rich.text.Text``: the lines of ``terminal_lines`` drawn black on white.

    The colours are explicit, so the code reads the same in a dark and a light theme.
    """
    from rich.style import Style
    from rich.text import Text

    style = Style(color=TERMINAL_DARK, bgcolor=TERMINAL_LIGHT)
    return Text("\n".join(terminal_lines(data)), style=style, no_wrap=True, overflow="crop", end="")


def write_png(data: str, path: str | Path, scale: int = 10) -> Path:
    """Write the code as a black-and-white PNG, scale pixels per module (quiet zone included)."""
    from qrcode.image.pil import PilImage

    if scale < 1:
        raise ValueError(f"scale must be at least 1 pixel per module, got {scale}")
    target = Path(path)
    _code(data, scale, PilImage).make_image().save(target)
    return target


def write_svg(data: str, path: str | Path) -> Path:
    """Write the code as an SVG, 1 mm per module, with a white background (qrcode's
    ``SvgPathFillImage``: without the background it would vanish on a dark page)."""
    from qrcode.image.svg import SvgPathFillImage

    target = Path(path)
    _code(data, 10, SvgPathFillImage).make_image().save(target)
    return target
