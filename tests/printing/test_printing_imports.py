"""Printing libraries are imported lazily: fpdf2 (~0.2 s) and python-escpos (~0.17 s) must not
be paid at app start."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

PROBE = """
import sys
import counter_tui.printing, counter_tui.printing.documents, counter_tui.printing.qr
import counter_tui.printing.layout, counter_tui.printing.cli
import counter_tui.printing.escpos_out, counter_tui.printing.pdf
import counter_tui.widgets.qr_view
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'fpdf', 'escpos', 'PIL', 'qrcode',
                                                      'uharfbuzz', 'fontTools', 'usb'})
print(','.join(heavy))
"""


def test_printing_modules_and_the_widget_load_neither_fpdf_nor_escpos():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_the_probe_would_see_a_heavy_import():
    # The probe itself can fail: rendering a PDF does load fpdf.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, counter_tui.printing.pdf as p, tempfile, os\n"
            "p.desk_card_pdf('x', 'https://itas.nacc.go.th/go/eit/a', "
            "os.path.join(tempfile.mkdtemp(), 'c.pdf'))\nprint('fpdf' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.stdout.strip() == "True", result.stderr
