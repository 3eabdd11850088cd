"""counter_tui.printing: everything printed or drawn as a QR code, in Thai.

- ``documents``: the plain data the app fills (TicketSlip, ServiceSlip, DocumentList,
  DeficiencyDoc).
- ``qr``: the EIT survey link check, the QR matrix, the terminal rendering, PNG and SVG.
- ``layout``: the wording of every document as blocks, the bundled font, Thai line wrapping.
- ``escpos_out``: thermal receipts (ESC/POS bytes) and ``send`` to the counter's printer.
- ``pdf``: the A5 desk card, the service slip, the documents list and the deficiency record.
- ``cli``: the ``counter-tui qr`` subcommand.

(Other modules here draw the reports and letters; each says what it provides.)

Importing this package imports nothing: python-escpos (~0.17 s) and fpdf2 (~0.2 s) are loaded
inside the functions that print.
"""
