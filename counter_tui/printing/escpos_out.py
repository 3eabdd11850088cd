"""Provides the thermal-printer output (ESC/POS, python-escpos): the queue ticket, the service
slip, the list of documents to bring and the deficiency record as bytes, and ``send`` to deliver
bytes to the counter's printer (``tcp://HOST[:9100]``, ``usb://VID:PID``, ``file:PATH``,
``cups:QUEUE``).

Thai is printed as a raster image rendered with Pillow and the bundled Laksaman font, so a
printer without Thai fonts (or with the wrong code page) prints it legibly; no text is sent as
characters. The survey QR code is sent with the printer's own QR command (GS ( k, which common
80 mm printers support) or, with ``native_qr=False``, as a raster image.

python-escpos (~0.17 s) and Pillow are imported inside the functions: importing this module
costs nothing at app start. ``send`` blocks for at most about ``timeout`` seconds: call it from
a worker thread, never on the UI thread.
"""

from __future__ import annotations

import re
import socket
import subprocess
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from counter_tui.errors import UserError
from counter_tui.printing.documents import DeficiencyDoc, DocumentList, ServiceSlip, TicketSlip
from counter_tui.printing.layout import (
    APPLICANT_COPY,
    FONT_BOLD,
    FONT_REGULAR,
    OFFICE_COPY,
    QR,
    Block,
    Columns,
    Signature,
    Table,
    Text,
    ThumbBox,
    deficiency_blocks,
    document_list_blocks,
    draw_blocks,
    service_slip_blocks,
    signature_line,
    ticket_blocks,
    wrap_text,
)
from counter_tui.printing.qr import qr_matrix

if TYPE_CHECKING:
    from PIL import Image, ImageFont

__all__ = [
    "PAPER_80MM_DOTS",
    "PrinterError",
    "PrinterTarget",
    "parse_printer_url",
    "render_blocks",
    "render_deficiency",
    "render_document_list",
    "render_service_slip",
    "render_ticket",
    "send",
]

PAPER_80MM_DOTS = 576
"""Printable width of a common 80 mm printer at 203 dpi (72 mm). 58 mm printers: 384."""

_SIZE_PX = {"s": 24, "m": 28, "l": 34, "xl": 44, "huge": 128}
_MARGIN = 6
_THRESHOLD = 150  # anti-aliased grey darker than this prints as a dot: firm strokes on thermal


class PrinterError(UserError):
    """The printer could not be reached or refused the job. The message (Thai, then English)
    says what failed and what to do; the visit itself is already saved."""

    def __init__(self, message: str, printer_url: str | None = None) -> None:
        super().__init__(message)
        self.printer_url = printer_url
        self.reason = message


def _failure(url: str, thai: str, todo: str, english: str) -> PrinterError:
    error = PrinterError(
        f"พิมพ์ไม่สำเร็จ: {thai} — {todo} "
        "ข้อมูลการให้บริการบันทึกไว้แล้ว สั่งพิมพ์ซ้ำได้ภายหลัง "
        f"(printing to {url} failed: {english}; the visit is saved, reprint later)",
        url,
    )
    error.reason = f"{thai} — {todo} ({english})"  # without the visit: for a test print
    return error


_CHECK_DEVICE = "ตรวจสอบว่าเครื่องพิมพ์เปิดอยู่ มีกระดาษ และสายเชื่อมต่อเสียบแน่น"
_CHECK_NETWORK = "ตรวจสอบว่าเครื่องพิมพ์เปิดอยู่ สายแลนเสียบแน่น และที่อยู่ IP/พอร์ตถูกต้อง"
_ACCEPTED = "tcp://HOST:9100, usb://VID:PID, file:PATH, cups:QUEUE"


# --- rendering -------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _font(px: int, bold: bool) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont, features

    # Raqm (HarfBuzz) places Thai marks; Pillow wheels carry it, loading FriBiDi from the
    # system (every desktop Linux has it). Without it the basic layout is still legible.
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(FONT_BOLD if bold else FONT_REGULAR), px, layout_engine=engine)


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    ascent, descent = font.getmetrics()
    return ascent + descent


class _Canvas:
    """Stacks rendered blocks into raster strips; a native QR command splits the strips."""

    def __init__(self, width: int, native_qr: bool, qr_module_dots: int) -> None:
        self.width = width
        self.native_qr = native_qr
        self.qr_module_dots = qr_module_dots
        self.parts: list[Image.Image | QR] = []
        self._strip: list[Image.Image] = []

    def _blank(self, height: int) -> Image.Image:
        from PIL import Image

        return Image.new("L", (self.width, max(1, height)), 255)

    def add(self, image: Image.Image) -> None:
        self._strip.append(image)

    def flush(self) -> None:
        from PIL import Image

        if not self._strip:
            return
        height = sum(image.height for image in self._strip)
        strip = Image.new("L", (self.width, height), 255)
        y = 0
        for image in self._strip:
            strip.paste(image, (0, y))
            y += image.height
        self._strip = []
        self.parts.append(strip.point(lambda v: 0 if v < _THRESHOLD else 255).convert("1"))

    def _x(self, text_width: float, align: str, left: int, right: int) -> float:
        if align == "center":
            return left + (right - left - text_width) / 2
        if align == "right":
            return right - text_width
        return left

    def text(self, block: Text) -> None:
        from PIL import ImageDraw

        font = _font(_SIZE_PX[block.size], block.bold)
        inner = self.width - 2 * _MARGIN
        lines = wrap_text(block.text, inner, font.getlength)
        step = _line_height(font)
        image = self._blank(step * len(lines))
        draw = ImageDraw.Draw(image)
        for row, line in enumerate(lines):
            x = self._x(font.getlength(line), block.align, _MARGIN, self.width - _MARGIN)
            draw.text((x, row * step), line, font=font, fill=0)
        self.add(image)

    def table(self, block: Table) -> None:
        from PIL import ImageDraw

        inner = self.width - 2 * _MARGIN
        edges = [_MARGIN]
        for fraction in block.widths:
            edges.append(edges[-1] + round(fraction * inner))
        gutter = 8
        for header, row in [(True, block.headers)] + [(False, row) for row in block.rows]:
            font = _font(_SIZE_PX[block.size], header)
            cells = [
                wrap_text(cell, edges[i + 1] - edges[i] - gutter, font.getlength)
                for i, cell in enumerate(row)
            ]
            step = _line_height(font)
            image = self._blank(step * max(len(lines) for lines in cells) + 4)
            draw = ImageDraw.Draw(image)
            for i, lines in enumerate(cells):
                for n, line in enumerate(lines):
                    x = self._x(
                        font.getlength(line), block.aligns[i], edges[i], edges[i + 1] - gutter
                    )
                    draw.text((x, n * step), line, font=font, fill=0)
            self.add(image)
            if header:
                self.rule(thin=True)

    def rule(self, thin: bool = False) -> None:
        from PIL import ImageDraw

        image = self._blank(8 if thin else 18)
        middle = image.height // 2
        ImageDraw.Draw(image).rectangle(
            (_MARGIN, middle - 1, self.width - _MARGIN, middle + (0 if thin else 1)), fill=0
        )
        self.add(image)

    def gap(self, lines: float) -> None:
        self.add(self._blank(round(lines * _line_height(_font(_SIZE_PX["m"], False)))))

    def qr(self, block: QR) -> None:
        if self.native_qr:
            self.flush()
            self.parts.append(block)
            return
        from PIL import Image

        matrix = qr_matrix(block.url)
        size = len(matrix)
        code = Image.new("L", (size, size), 255)
        code.putdata([0 if dark else 255 for row in matrix for dark in row])
        scale = self.qr_module_dots
        code = code.resize((size * scale, size * scale), Image.Resampling.NEAREST)
        image = self._blank(code.height)
        image.paste(code, ((self.width - code.width) // 2, 0))
        self.add(image)

    def signature(self, block: Signature) -> None:
        self.gap(1.5)
        font = _font(_SIZE_PX["s"], False)
        line = signature_line(block.role, (self.width - 2 * _MARGIN) * 0.9, font.getlength)
        self.text(Text(line, "s", False, "center"))
        self.text(Text(f"({block.name or '.' * 30})", "s", False, "center"))

    def thumb_box(self, block: ThumbBox) -> None:
        from PIL import ImageDraw

        box_w, box_h = 200, 240  # 25 x 30 mm at 203 dpi
        image = self._blank(box_h + 8)
        left = (self.width - box_w) // 2
        ImageDraw.Draw(image).rectangle((left, 4, left + box_w, 4 + box_h), outline=0, width=2)
        self.add(image)
        self.text(Text(block.caption, "s", False, "center"))

    def draw(self, blocks: Iterable[Block], flush: bool = True) -> None:
        draw_blocks(blocks, self)
        if flush:
            self.flush()

    def columns(self, block: Columns) -> None:
        for column in block.columns:  # too narrow for side by side: one under the other
            self.draw(column, flush=False)


@lru_cache(maxsize=4)
def _profile(width_dots: int):
    from escpos.capabilities import Profile, get_profile_class

    base = get_profile_class("default").profile_data
    profile = Profile(features=dict(base["features"]))
    # A known width: python-escpos then refuses wider images instead of printing garbage, and
    # prints no warning about an unknown width to stdout (which would hit the terminal UI).
    profile.profile_data = {
        **base,
        "media": {"dpi": 203, "width": {"mm": round(width_dots / 8), "pixels": width_dots}},
    }
    return profile


def render_blocks(
    jobs: Sequence[Sequence[Block]],
    *,
    width_dots: int = PAPER_80MM_DOTS,
    native_qr: bool = True,
    qr_module_dots: int = 7,
) -> bytes:
    """ESC/POS bytes printing each job (a list of blocks) and cutting the paper after it."""
    from escpos.constants import QR_ECLEVEL_M
    from escpos.printer import Dummy

    if not 1 <= qr_module_dots <= 16:
        raise ValueError(f"qr_module_dots must be 1-16, got {qr_module_dots}")
    printer = Dummy(profile=_profile(width_dots))
    printer.hw("INIT")
    for blocks in jobs:
        canvas = _Canvas(width_dots, native_qr, qr_module_dots)
        canvas.draw(blocks)
        for part in canvas.parts:
            if isinstance(part, QR):
                printer.set(align="center")
                printer.qr(part.url, ec=QR_ECLEVEL_M, size=qr_module_dots, native=True)
                printer.set(align="left")
            else:
                printer.image(part, impl="bitImageRaster")
        printer.cut()
    return printer.output


def render_ticket(
    slip: TicketSlip, *, thai_digits: bool = False, width_dots: int = PAPER_80MM_DOTS
) -> bytes:
    """The queue ticket as ESC/POS bytes."""
    return render_blocks([ticket_blocks(slip, thai_digits=thai_digits)], width_dots=width_dots)


def render_service_slip(
    slip: ServiceSlip,
    *,
    thai_digits: bool = False,
    native_qr: bool = True,
    width_dots: int = PAPER_80MM_DOTS,
    qr_module_dots: int = 7,
) -> bytes:
    """The service slip with the survey QR (native GS ( k, or a raster image when
    native_qr=False, for printers without the QR command)."""
    return render_blocks(
        [service_slip_blocks(slip, thai_digits=thai_digits)],
        width_dots=width_dots,
        native_qr=native_qr,
        qr_module_dots=qr_module_dots,
    )


def render_document_list(
    doc: DocumentList, *, thai_digits: bool = False, width_dots: int = PAPER_80MM_DOTS
) -> bytes:
    """The documents to bring as ESC/POS bytes."""
    return render_blocks(
        [document_list_blocks(doc, thai_digits=thai_digits)], width_dots=width_dots
    )


def render_deficiency(
    doc: DeficiencyDoc,
    *,
    thai_digits: bool = False,
    copies: Sequence[str] = (OFFICE_COPY, APPLICANT_COPY),
    width_dots: int = PAPER_80MM_DOTS,
) -> bytes:
    """The deficiency record, one cut piece per copy (the office's original, then the
    applicant's copy)."""
    return render_blocks(
        [deficiency_blocks(doc, label, thai_digits=thai_digits) for label in copies],
        width_dots=width_dots,
    )


# --- delivery --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrinterTarget:
    kind: str
    """"tcp", "usb", "file" or "cups"."""
    host: str | None = None
    port: int | None = None
    vendor_id: int | None = None
    product_id: int | None = None
    path: str | None = None
    queue: str | None = None


def parse_printer_url(url: str) -> PrinterTarget:
    """Check a printer URL and split it; PrinterError naming the accepted forms otherwise."""
    text = (url or "").strip()

    def bad(why: str) -> PrinterError:
        return PrinterError(
            f"ที่อยู่เครื่องพิมพ์ {text!r} ใช้ไม่ได้: {why} — "
            f"ใช้รูปแบบ {_ACCEPTED} "
            f"(bad printer address: {why}; use {_ACCEPTED})",
            text,
        )

    scheme, _, rest = text.partition(":")
    scheme = scheme.lower()
    if scheme == "tcp":
        parts = urlsplit(text)
        try:
            port = parts.port or 9100
        except ValueError:
            raise bad("พอร์ตไม่ถูกต้อง (bad port)") from None
        if not parts.hostname:
            raise bad("ไม่มีชื่อหรือ IP ของเครื่องพิมพ์ (no host)")
        return PrinterTarget("tcp", host=parts.hostname, port=port)
    if scheme == "usb":
        match = re.fullmatch(r"//(?:0x)?([0-9a-fA-F]{1,4}):(?:0x)?([0-9a-fA-F]{1,4})/?", rest)
        if not match:
            raise bad(
                "ต้องเป็น usb://VID:PID เลขฐานสิบหก เช่น usb://04b8:0202 "
                "(VID:PID in hex, e.g. usb://04b8:0202)"
            )
        return PrinterTarget(
            "usb", vendor_id=int(match.group(1), 16), product_id=int(match.group(2), 16)
        )
    if scheme == "file":
        path = rest[2:] if rest.startswith("//") else rest
        if not path:
            raise bad("ไม่มีชื่อไฟล์ (no path)")
        return PrinterTarget("file", path=path)
    if scheme == "cups":
        queue = rest[2:] if rest.startswith("//") else rest
        if not re.fullmatch(r"[^\s/#]+", queue):
            raise bad("ไม่มีชื่อคิวพิมพ์ของ CUPS (no CUPS queue name)")
        return PrinterTarget("cups", queue=queue)
    raise bad("ไม่รู้จักชนิดการเชื่อมต่อ (unknown kind)")


def send(printer_url: str, data: bytes, timeout: float = 5.0) -> None:
    """Deliver ESC/POS bytes to the printer; PrinterError (Thai first) on any failure.

    Blocks for at most about ``timeout`` seconds (a network or USB printer that does not answer,
    a device file that does not accept the bytes, an ``lp`` that hangs).
    """
    target = parse_printer_url(printer_url)
    url = printer_url.strip()
    if target.kind == "tcp":
        _send_tcp(url, target, data, timeout)
    elif target.kind == "usb":
        _send_usb(url, target, data, timeout)
    elif target.kind == "file":
        _send_file(url, target, data, timeout)
    else:
        _send_cups(url, target, data, timeout)


def _send_tcp(url: str, target: PrinterTarget, data: bytes, timeout: float) -> None:
    where = f"{target.host}:{target.port}"
    try:
        # create_connection bounds the connect; sendall's timeout bounds the whole send.
        with socket.create_connection((target.host, target.port), timeout=timeout) as sock:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
    except ConnectionRefusedError:
        raise _failure(
            url,
            f"เครื่องพิมพ์ {where} ปฏิเสธการเชื่อมต่อ",
            _CHECK_NETWORK,
            "connection refused: check the printer's power, network cable and address",
        ) from None
    except socket.gaierror:
        raise _failure(
            url,
            f"ไม่พบเครื่องพิมพ์ชื่อ {target.host}",
            "ตรวจสอบชื่อหรือ IP ของเครื่องพิมพ์ในค่าตั้งของช่องบริการ",
            "unknown host name: check the printer address",
        ) from None
    except TimeoutError:
        raise _failure(
            url,
            f"เครื่องพิมพ์ {where} ไม่ตอบสนองภายใน {timeout:g} วินาที",
            _CHECK_NETWORK,
            f"no answer within {timeout:g} s: check power, cable and address",
        ) from None
    except OSError as exc:
        raise _failure(
            url,
            f"เชื่อมต่อเครื่องพิมพ์ {where} ไม่ได้ ({exc.strerror or exc})",
            _CHECK_NETWORK,
            f"{exc}: check power, cable and address",
        ) from None


def _send_usb(url: str, target: PrinterTarget, data: bytes, timeout: float) -> None:
    from escpos.exceptions import DeviceNotFoundError, USBNotFoundError
    from escpos.printer import Usb

    if not Usb.is_usable():
        raise _failure(
            url,
            "เครื่องนี้ยังไม่มีโปรแกรมสำหรับพิมพ์ทาง USB (pyusb)",
            "ให้ผู้ดูแลระบบติดตั้งด้วยคำสั่ง pip install pyusb และไลบรารี libusb "
            "หรือใช้เครื่องพิมพ์ผ่าน cups:QUEUE แทน",
            "pyusb is not installed: pip install pyusb (and libusb), "
            "or print through CUPS with cups:QUEUE",
        )
    device = f"{target.vendor_id:04x}:{target.product_id:04x}"
    printer = Usb(target.vendor_id, target.product_id, timeout=int(timeout * 1000))
    try:
        printer.open()
        printer._raw(data)  # python-escpos has no public "send these bytes as they are"
    except (DeviceNotFoundError, USBNotFoundError) as exc:
        raise _failure(
            url,
            f"ไม่พบเครื่องพิมพ์ USB {device}",
            _CHECK_DEVICE,
            f"USB device {device} not found ({exc}): check power and cable",
        ) from None
    except Exception as exc:  # pyusb raises usb.core.USBError / USBTimeoutError, among others
        raise _failure(
            url,
            f"ส่งข้อมูลไปยังเครื่องพิมพ์ USB {device} ไม่สำเร็จ ({exc})",
            _CHECK_DEVICE + " และผู้ใช้มีสิทธิ์ใช้อุปกรณ์ USB",
            f"{type(exc).__name__}: {exc}",
        ) from None
    finally:
        try:
            printer.close()
        except Exception:  # closing a device that never opened
            pass


def _send_file(url: str, target: PrinterTarget, data: bytes, timeout: float) -> None:
    assert target.path is not None
    outcome: list[BaseException | None] = []

    def write() -> None:
        try:
            # A new file (slips kept on disk) holds names: made 0600. An existing file or a
            # device keeps its mode (O_CREAT's mode applies only to a file it creates).
            import os

            path = Path(target.path)  # type: ignore[arg-type]
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with open(fd, "ab") as handle:
                handle.write(data)
            outcome.append(None)
        except BaseException as exc:  # reported to the caller below
            outcome.append(exc)

    # A device file (/dev/usb/lp0) of a printer that is off can block forever: write from a
    # daemon thread and stop waiting after the timeout.
    worker = threading.Thread(target=write, name="counter-tui-print-file", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise _failure(
            url,
            f"เขียนไปยัง {target.path} ไม่เสร็จภายใน {timeout:g} วินาที",
            _CHECK_DEVICE,
            f"writing did not finish within {timeout:g} s",
        )
    error = outcome[0]
    if error is not None:
        reason = getattr(error, "strerror", None) or str(error)
        raise _failure(
            url,
            f"เขียนไปยัง {target.path} ไม่ได้ ({reason})",
            "ตรวจสอบว่าไฟล์หรืออุปกรณ์นี้มีอยู่และผู้ใช้มีสิทธิ์เขียน",
            f"cannot write {target.path}: {error}",
        )


def _send_cups(url: str, target: PrinterTarget, data: bytes, timeout: float) -> None:
    command = ["lp", "-d", str(target.queue), "-o", "raw"]
    try:
        result = subprocess.run(
            command, input=data, capture_output=True, timeout=timeout, check=False
        )
    except FileNotFoundError:
        raise _failure(
            url,
            "ไม่พบคำสั่ง lp ของ CUPS บนเครื่องนี้",
            "ให้ผู้ดูแลระบบติดตั้ง CUPS (เช่น apt install cups-client) "
            "หรือตั้งเครื่องพิมพ์เป็น tcp:// หรือ usb:// แทน",
            "the lp command is not installed (cups-client)",
        ) from None
    except subprocess.TimeoutExpired:
        raise _failure(
            url,
            f"คำสั่ง lp ไม่ตอบภายใน {timeout:g} วินาที",
            "ตรวจสอบว่าบริการ CUPS ทำงานอยู่",
            f"lp did not finish within {timeout:g} s",
        ) from None
    except OSError as exc:
        raise _failure(url, f"เรียกคำสั่ง lp ไม่ได้ ({exc})", "ตรวจสอบการติดตั้ง CUPS", str(exc)) from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
        raise _failure(
            url,
            f"CUPS ไม่รับงานพิมพ์ของคิว {target.queue} ({detail})",
            "ตรวจสอบชื่อคิวพิมพ์ (lpstat -p) และว่าเครื่องพิมพ์เปิดอยู่",
            f"lp exited with {result.returncode}: {detail}",
        )
