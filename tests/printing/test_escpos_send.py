"""Delivering ESC/POS bytes: a file, a TCP server on 127.0.0.1 standing in for a network printer,
one that refuses, a stub ``lp`` for CUPS, and USB without a device. Every failure is a
PrinterError (a UserError) in Thai first, within the timeout."""

from __future__ import annotations

import os
import socket
import stat
import sys
import threading
import time

import pytest
from printing_support import ticket

from counter_tui.errors import UserError
from counter_tui.printing.escpos_out import (
    PrinterError,
    PrinterTarget,
    parse_printer_url,
    render_ticket,
    send,
)

SAVED = "ข้อมูลการให้บริการบันทึกไว้แล้ว สั่งพิมพ์ซ้ำได้ภายหลัง"


@pytest.fixture(scope="module")
def receipt() -> bytes:
    return render_ticket(ticket())


def assert_thai_first(error: PrinterError) -> str:
    message = str(error)
    assert message.startswith("พิมพ์ไม่สำเร็จ")
    assert SAVED in message and "reprint later" in message
    return message


def test_printer_error_is_a_user_error():
    assert issubclass(PrinterError, UserError)


@pytest.mark.parametrize(
    "url, target",
    [
        ("tcp://192.168.1.50:9100", PrinterTarget("tcp", host="192.168.1.50", port=9100)),
        ("tcp://printer.local", PrinterTarget("tcp", host="printer.local", port=9100)),
        ("tcp://[::1]:9101", PrinterTarget("tcp", host="::1", port=9101)),
        ("usb://04b8:0202", PrinterTarget("usb", vendor_id=0x04B8, product_id=0x0202)),
        ("usb://0x0416:0x5011", PrinterTarget("usb", vendor_id=0x0416, product_id=0x5011)),
        ("file:/dev/usb/lp0", PrinterTarget("file", path="/dev/usb/lp0")),
        ("file:///dev/usb/lp0", PrinterTarget("file", path="/dev/usb/lp0")),
        ("file:slips.bin", PrinterTarget("file", path="slips.bin")),
        ("cups:Counter_1", PrinterTarget("cups", queue="Counter_1")),
        ("  CUPS:EPSON  ", PrinterTarget("cups", queue="EPSON")),
    ],
)
def test_printer_urls_are_parsed(url, target):
    assert parse_printer_url(url) == target


@pytest.mark.parametrize(
    "url",
    [
        "",
        "192.168.1.50",
        "tcp://",
        "tcp://host:99999",
        "usb://04b8",
        "usb://zz:01",
        "file:",
        "cups:",
        "cups:a b",
        "lpt1:",
    ],
)
def test_bad_printer_urls_name_the_accepted_forms(url):
    with pytest.raises(PrinterError) as caught:
        parse_printer_url(url)
    message = str(caught.value)
    assert "ใช้ไม่ได้" in message
    assert "tcp://HOST:9100, usb://VID:PID, file:PATH, cups:QUEUE" in message


def test_file_printer_appends_the_bytes(tmp_path, receipt):
    path = tmp_path / "printer.bin"
    send(f"file:{path}", receipt)
    send(f"file://{path}", b"second")
    assert path.read_bytes() == receipt + b"second"


def test_file_printer_in_a_missing_folder_fails_clearly(tmp_path, receipt):
    with pytest.raises(PrinterError) as caught:
        send(f"file:{tmp_path / 'no-such-dir' / 'p.bin'}", receipt)
    message = assert_thai_first(caught.value)
    assert "no-such-dir" in message and "เขียน" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO")
def test_a_device_that_never_accepts_the_bytes_times_out(tmp_path, receipt):
    # A FIFO with no reader blocks open() for ever, like a printer device that is off.
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(PrinterError) as caught:
        send(f"file:{fifo}", receipt, timeout=0.5)
    assert time.monotonic() - started < 3
    assert "0.5 วินาที" in assert_thai_first(caught.value)
    # Let the stuck writer thread finish: it opens, then meets a closed pipe.
    os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))


class FakeNetworkPrinter:
    """A one-job raw-print server (port 9100 style) on 127.0.0.1, on a free port."""

    def __init__(self, read: bool = True) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        self.done = threading.Event()
        self.read = read
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.server.settimeout(10)
        try:
            connection, _ = self.server.accept()
        except OSError:
            return
        with connection:
            if not self.read:
                self.done.wait(10)
                return
            connection.settimeout(10)
            while chunk := connection.recv(65536):
                self.received += chunk
        self.done.set()

    def close(self) -> None:
        self.done.set()
        self.server.close()
        self.thread.join(5)


def test_a_network_printer_receives_exactly_the_rendered_bytes(receipt):
    printer = FakeNetworkPrinter()
    try:
        send(f"tcp://127.0.0.1:{printer.port}", receipt)
        assert printer.done.wait(5)
        assert bytes(printer.received) == receipt
    finally:
        printer.close()


def test_a_refused_connection_fails_fast_and_clearly(receipt):
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    started = time.monotonic()
    with pytest.raises(PrinterError) as caught:
        send(f"tcp://127.0.0.1:{port}", receipt, timeout=2)
    assert time.monotonic() - started < 2
    message = assert_thai_first(caught.value)
    assert f"127.0.0.1:{port}" in message and "ปฏิเสธการเชื่อมต่อ" in message
    assert "ตรวจสอบว่าเครื่องพิมพ์เปิดอยู่" in message
    assert caught.value.printer_url == f"tcp://127.0.0.1:{port}"


def test_a_printer_that_stops_reading_times_out():
    printer = FakeNetworkPrinter(read=False)
    try:
        started = time.monotonic()
        with pytest.raises(PrinterError) as caught:
            # far more than the loopback buffers hold, so sendall must wait for the printer
            send(f"tcp://127.0.0.1:{printer.port}", b"\0" * (64 << 20), timeout=0.5)
        assert time.monotonic() - started < 5
        assert "ไม่ตอบสนองภายใน 0.5 วินาที" in assert_thai_first(caught.value)
    finally:
        printer.close()


def write_stub_lp(folder, body: str) -> None:
    lp = folder / "lp"
    lp.write_text(f"#!{sys.executable}\nimport sys, time, pathlib\n{body}\n")
    lp.chmod(lp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@pytest.fixture
def stub_bin(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return folder


def test_cups_sends_raw_bytes_through_lp(stub_bin, tmp_path, receipt):
    out = tmp_path / "lp-job"
    write_stub_lp(
        stub_bin,
        f"pathlib.Path({str(out)!r} + '.args').write_text("
        "'\\n'.join(sys.argv[1:]))\n"
        f"pathlib.Path({str(out)!r} + '.data').write_bytes("
        "sys.stdin.buffer.read())\n"
        "print('request id is Counter1-7 (0 file(s))')",
    )
    send("cups:Counter1", receipt)
    assert (tmp_path / "lp-job.args").read_text().split("\n") == ["-d", "Counter1", "-o", "raw"]
    assert (tmp_path / "lp-job.data").read_bytes() == receipt


def test_cups_refusing_the_job_is_reported_with_lps_words(stub_bin, receipt):
    write_stub_lp(
        stub_bin,
        "sys.stdin.buffer.read()\n"
        "sys.stderr.write('lp: The printer or class does not exist.\\n')\n"
        "sys.exit(1)",
    )
    with pytest.raises(PrinterError) as caught:
        send("cups:NoSuchQueue", receipt)
    message = assert_thai_first(caught.value)
    assert "NoSuchQueue" in message and "The printer or class does not exist." in message


def test_cups_lp_that_hangs_times_out(stub_bin, receipt):
    write_stub_lp(stub_bin, "time.sleep(30)")
    started = time.monotonic()
    with pytest.raises(PrinterError) as caught:
        send("cups:Counter1", receipt, timeout=0.5)
    assert time.monotonic() - started < 5
    assert "lp ไม่ตอบภายใน 0.5 วินาที" in assert_thai_first(caught.value)


def test_cups_without_lp_installed(tmp_path, monkeypatch, receipt):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(PrinterError) as caught:
        send("cups:Counter1", receipt)
    assert "ไม่พบคำสั่ง lp" in assert_thai_first(caught.value)


def test_usb_without_the_device_or_pyusb_fails_clearly(receipt):
    started = time.monotonic()
    with pytest.raises(PrinterError) as caught:
        send("usb://04b8:0e28", receipt, timeout=1)
    assert time.monotonic() - started < 5
    message = assert_thai_first(caught.value)
    assert "pyusb" in message or "04b8:0e28" in message
