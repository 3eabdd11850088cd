"""Thermal receipts: ESC/POS bytes made with python-escpos's Dummy printer hold only raster
images (Thai rendered with the bundled font), the printer's own QR command and a cut; the QR is
decoded from what the printer would print."""

from __future__ import annotations

import pytest
import qrcode
from printing_support import (
    ITAS_URL,
    OFFICE,
    decode,
    deficiency,
    document_list,
    escpos_commands,
    qr_store_payloads,
    raster_images,
    service_slip,
    stack,
    ticket,
)

from counter_tui.printing import escpos_out

RENDERS = {
    "ticket": lambda: escpos_out.render_ticket(ticket()),
    "service slip": lambda: escpos_out.render_service_slip(service_slip()),
    "document list": lambda: escpos_out.render_document_list(document_list()),
    "deficiency": lambda: escpos_out.render_deficiency(deficiency()),
    "deficiency thumbprint": lambda: escpos_out.render_deficiency(deficiency("thumbprint")),
}


@pytest.mark.parametrize("name", RENDERS)
def test_receipts_are_rasters_qr_and_cuts_only(name):
    commands = escpos_commands(RENDERS[name]())
    kinds = [command[0] for command in commands]
    assert kinds[0] == "init" and kinds[-1] == "cut"
    assert "raster" in kinds
    assert set(kinds) <= {"init", "align", "feed", "cut", "raster", "2d"}  # no text at all
    for _, width, height, _data in (c for c in commands if c[0] == "raster"):
        assert width == escpos_out.PAPER_80MM_DOTS and height > 0
    ink = sum(bin(byte).count("1") for c in commands if c[0] == "raster" for byte in c[3])
    assert ink > 2000  # text was drawn


def test_the_deficiency_record_prints_two_copies_cut_apart():
    kinds = [c[0] for c in escpos_commands(escpos_out.render_deficiency(deficiency()))]
    assert kinds.count("cut") == 2
    one = [
        c[0]
        for c in escpos_commands(
            escpos_out.render_deficiency(deficiency(), copies=("ต้นฉบับ (สำหรับหน่วยงาน)",))
        )
    ]
    assert one.count("cut") == 1


def test_the_ticket_number_is_printed_large():
    # The ticket number line is the tallest strip of ink: check that some raster row band
    # holds glyphs taller than 80 dots (10 mm at 203 dpi).
    paper = stack(raster_images(escpos_out.render_ticket(ticket()))).convert("1")
    width, height = paper.size
    rows_with_ink = [
        y for y in range(height) if any(paper.getpixel((x, y)) == 0 for x in range(0, width, 2))
    ]
    runs, start, last = [], rows_with_ink[0], rows_with_ink[0]
    for y in rows_with_ink[1:]:
        if y != last + 1:
            runs.append(last - start + 1)
            start = y
        last = y
    runs.append(last - start + 1)
    assert max(runs) > 80


def test_native_qr_command_carries_the_link_at_level_m():
    data = escpos_out.render_service_slip(service_slip())
    payloads = qr_store_payloads(data)
    assert [p.decode("utf-8") for p in payloads] == [ITAS_URL]
    two_d = [c[1] for c in escpos_commands(data) if c[0] == "2d"]
    # model 2, module size, error correction M (48 + 1), store, print - in that order
    assert two_d[0] == b"1A2\x00"
    assert two_d[1][:2] == b"1C" and two_d[1][2] == 7
    assert two_d[2] == b"1E1"
    assert two_d[3] == b"1P0" + ITAS_URL.encode()
    assert two_d[4] == b"1Q0"


def test_what_a_printer_makes_of_the_qr_command_scans():
    # Emulate the printer: encode the stored payload at the commanded error correction and
    # module size, as 80 mm printers do, and decode what would come out.
    data = escpos_out.render_service_slip(service_slip(), qr_module_dots=6)
    two_d = [c[1] for c in escpos_commands(data) if c[0] == "2d"]
    module = two_d[1][2]
    level = {
        48: qrcode.constants.ERROR_CORRECT_L,
        49: qrcode.constants.ERROR_CORRECT_M,
        50: qrcode.constants.ERROR_CORRECT_Q,
        51: qrcode.constants.ERROR_CORRECT_H,
    }
    code = qrcode.QRCode(error_correction=level[two_d[2][2]], box_size=module, border=4)
    code.add_data(qr_store_payloads(data)[0])
    image = code.make_image().get_image()
    assert image.width <= escpos_out.PAPER_80MM_DOTS
    assert decode(image) == [ITAS_URL]


def test_image_qr_option_prints_a_raster_that_scans():
    data = escpos_out.render_service_slip(service_slip(), native_qr=False)
    assert qr_store_payloads(data) == []
    assert "2d" not in {c[0] for c in escpos_commands(data)}
    assert decode(stack(raster_images(data))) == [ITAS_URL]


def test_native_slip_raster_alone_holds_no_code():
    # the code is only in the QR command; the decoder finds none in the printed images
    assert decode(stack(raster_images(escpos_out.render_service_slip(service_slip())))) == []


@pytest.mark.parametrize("url", [None, "http://itas.nacc.go.th/go/eit/abc"])
def test_a_slip_without_a_usable_link_has_no_code(url):
    for native in (True, False):
        data = escpos_out.render_service_slip(service_slip(url), native_qr=native)
        assert qr_store_payloads(data) == []
        assert decode(stack(raster_images(data))) == []


def test_a_58mm_printer_gets_narrower_images():
    data = escpos_out.render_service_slip(service_slip(), width_dots=384, native_qr=False)
    widths = {c[1] for c in escpos_commands(data) if c[0] == "raster"}
    assert widths == {384}
    assert decode(stack(raster_images(data))) == [ITAS_URL]


def test_qr_module_size_is_checked():
    with pytest.raises(ValueError):
        escpos_out.render_service_slip(service_slip(), qr_module_dots=17)


def test_thai_is_drawn_not_sent_as_characters():
    data = escpos_out.render_ticket(ticket())
    for encoding in ("utf-8", "tis-620"):
        assert "บัตรคิว".encode(encoding) not in data
        assert OFFICE.encode(encoding) not in data
