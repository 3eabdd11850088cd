"""Issue 11 items 5, 12, 15 as a user meets them on the command line: bounded manual durations,
database failures told in Thai, out-of-range input refused; every case exits non-zero without a
traceback. Both backends where a database is involved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.actors import as_admin

from counter_tui.catalog.loader import bundled_manuals_dir


def _manual_with_standard(tmp_path: Path, standard: str) -> tuple[Path, int]:
    """The bundled signboard-tax manual with its total standard replaced; (file, that line)."""
    source = Path(str(bundled_manuals_dir())) / "signboard_tax.toml"
    lines = source.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("standard = "))
    lines[index] = f'standard = "{standard}"'
    path = tmp_path / "signboard_tax.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, index + 1


@pytest.mark.parametrize(
    "standard", ["99999999999999999999 วัน", "3000000 วัน", "366 วันทำการ", "2001 ชั่วโมง"]
)
def test_validate_and_import_refuse_a_standard_past_its_ceiling(cli, db_url, tmp_path, standard):
    path, line = _manual_with_standard(tmp_path, standard)
    checked = cli("catalog", "validate", str(path))
    assert checked.returncode == 1
    assert f"{path}:{line}: error:" in checked.stderr and "ยาวเกินไป" in checked.stderr
    before = cli("--database", db_url, "catalog", "list", "--format", "json")
    imported = as_admin("--database", db_url, "catalog", "import", str(path))
    assert imported.returncode == 1 and "Traceback" not in imported.stderr
    assert f"{path}:{line}: error:" in imported.stderr and "nothing imported" in imported.stderr
    after = cli("--database", db_url, "catalog", "list", "--format", "json")
    assert json.loads(after.stdout) == json.loads(before.stdout)


def test_a_standard_at_its_ceiling_imports(cli, db_url, tmp_path):
    path, _ = _manual_with_standard(tmp_path, "365 วันทำการ")
    imported = as_admin("--database", db_url, "catalog", "import", str(path))
    assert imported.returncode == 0, imported.stderr
    listed = json.loads(cli("--database", db_url, "catalog", "list", "--format", "json").stdout)
    signboard = next(s for s in listed if s["code"] == "SIGNBOARD_TAX")
    assert signboard["standard_days"] == 365


# --- database files that cannot be used (issue 11 item 12) ------------------------------------


def _database_file(cli, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "counter.db"
    url = f"sqlite:///{path}"
    made = cli("--database", url, "catalog", "list")
    assert made.returncode == 0, made.stderr
    return path, url


def _told(result, *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "check the server" not in result.stderr and "cannot rollback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_a_file_that_is_not_a_database_is_told_so(cli, tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("รายการซื้อของ: ไข่ นม ข้าว\n" * 50, encoding="utf-8")
    before = path.read_bytes()
    result = cli("--database", f"sqlite:///{path}", "catalog", "list")
    _told(result, f"ไฟล์ {path} ไม่ใช่ฐานข้อมูล SQLite", "--database", "ไม่ได้แก้ไขไฟล์นี้")
    assert path.read_bytes() == before


def test_a_corrupt_database_is_told_so(cli, tmp_path):
    """The header after SQLite's 16-byte magic overwritten (page size, format numbers...). With
    the magic itself overwritten the file is indistinguishable from any other file and is told
    as not a database (the test above)."""
    path, url = _database_file(cli, tmp_path)
    with path.open("r+b") as stream:
        stream.seek(16)
        stream.write(b"\xff" * 84)
    result = cli("--database", url, "catalog", "list")
    _told(result, f"ไฟล์ฐานข้อมูล {path} เสียหาย", "ไฟล์สำรอง")


def test_a_corrupt_page_inside_a_database_is_told_so(cli, tmp_path):
    path, url = _database_file(cli, tmp_path)
    with path.open("r+b") as stream:  # the schema page's b-tree and the next pages
        stream.seek(100)
        stream.write(b"\xa5" * 8192)
    result = cli("--database", url, "catalog", "list")
    _told(result, f"ไฟล์ฐานข้อมูล {path} เสียหาย")


def _as_a_plain_user(args: list[str]) -> list[str]:
    """Tests run as root, and root ignores file modes (CAP_DAC_OVERRIDE). ``setpriv`` drops that
    capability (and CAP_DAC_READ_SEARCH) from the bounding set of the child, which stays uid 0
    and so the owner of the files: a 0444 file is then as read-only as it is for any user."""
    import os
    import shutil

    if os.geteuid() != 0:
        return args
    setpriv = shutil.which("setpriv")
    assert setpriv, "root runs these tests: util-linux's setpriv is needed to drop DAC override"
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *args]


def test_a_read_only_database_is_told_so(cli, tmp_path):
    import os
    import subprocess
    import sys

    from conftest import REPO
    from support.actors import ADMIN, ADMIN_PIN, ensure_admin

    path, url = _database_file(cli, tmp_path)
    ensure_admin(url)
    path.chmod(0o444)
    command = _as_a_plain_user(
        [
            sys.executable,
            "-m",
            "counter_tui",
            "--database",
            url,
            "--as",
            ADMIN,
            "--pin-stdin",
            "settings",
            "set",
            "office.name",
            "อบต.ทดสอบ",
        ]
    )
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env=dict(os.environ),
        input=f"{ADMIN_PIN}\n",
    )
    _told(result, f"ไฟล์ฐานข้อมูล {path} อ่านได้อย่างเดียว", "chmod")
    path.chmod(0o600)
    name = cli("--database", url, "settings", "get", "office.name")
    assert name.stdout.strip() != "อบต.ทดสอบ"  # really refused, not written


# --- report stats: fiscal years, the table into a file (issue 11 item 15) ---------------------


@pytest.mark.parametrize("year", ["0", "-1", "99999"])
def test_report_stats_refuses_a_fiscal_year_out_of_range(cli, db_url, year):
    result = cli("--database", db_url, "report", "stats", "--fiscal-year", year)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"ปีงบประมาณ {year} อยู่นอกช่วงที่รับได้: ใช้ปี พ.ศ. 2400 ถึง" in result.stderr
    assert result.stdout == ""  # not silently the current year


def test_report_stats_table_goes_into_the_file_it_says(cli, db_url, tmp_path):
    out = tmp_path / "stats.txt"
    result = cli(
        "--database",
        db_url,
        "report",
        "stats",
        "--fiscal-year",
        "2570",
        "--format",
        "table",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert f"บันทึกไฟล์แล้ว: {out}" in result.stderr and result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "สถิติการให้บริการ" in text and "ปีงบประมาณ" in text and "\x1b[" not in text
    shown = cli("--database", db_url, "report", "stats", "--fiscal-year", "2570")
    assert shown.stdout == text  # the same table as on a terminal-less stdout


# --- counter test-print (issue 11 item 15) -----------------------------------------------------


class _Listener:
    """A printer on 127.0.0.1: accepts one connection and keeps every byte sent."""

    def __init__(self) -> None:
        import socket
        import threading

        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(60)
        conn, _ = self.sock.accept()
        with conn:
            while chunk := conn.recv(65536):
                self.received += chunk

    def close(self) -> None:
        self.thread.join(timeout=60)
        self.sock.close()


def _closed_port() -> int:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as sock:
        return sock.getsockname()[1]  # nothing listens there once closed


def _add_counter(cli, db_url: str, name: str, printer: str):
    return as_admin(
        "--database",
        db_url,
        "counter",
        "add",
        name,
        "--unit",
        "กองคลัง",
        "--services",
        "LAND_BUILDING_TAX",
        "--printer",
        printer,
    )


def test_test_print_sends_a_thai_slip_to_a_listening_printer(cli, db_url):
    printer = _Listener()
    try:
        added = _add_counter(cli, db_url, "ช่อง 1", f"tcp://127.0.0.1:{printer.port}")
        assert added.returncode == 0, added.stderr
        assert "counter-tui counter test-print 'ช่อง 1'" in added.stdout
        result = cli("--database", db_url, "counter", "test-print", "ช่อง 1")
    finally:
        printer.close()
    assert result.returncode == 0, result.stderr
    assert "ส่งหน้าทดสอบ" in result.stdout and f"tcp://127.0.0.1:{printer.port}" in result.stdout
    assert printer.received.startswith(b"\x1b@")  # ESC @: an ESC/POS job
    assert printer.received.rstrip().endswith((b"\x1dV\x00", b"\x1dVA\x00", b"\x1dV\x01"))
    assert len(printer.received) > 1000  # the Thai lines, as raster images


def test_test_print_to_a_closed_port_says_exactly_what_failed(cli, db_url):
    port = _closed_port()
    added = _add_counter(cli, db_url, "ช่อง 2", f"tcp://127.0.0.1:{port}")
    assert added.returncode == 0, added.stderr  # the form is right: only a test tells more
    result = cli("--database", db_url, "counter", "test-print", "ช่อง 2")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"เครื่องพิมพ์ 127.0.0.1:{port} ปฏิเสธการเชื่อมต่อ" in result.stderr
    assert "connection refused" in result.stderr
    assert "the visit is saved" not in result.stderr  # a test print is no visit


def test_test_print_names_a_missing_counter_or_printer(cli, db_url):
    missing = cli("--database", db_url, "counter", "test-print", "ช่อง 9")
    assert missing.returncode == 1 and "ไม่พบจุดบริการชื่อ 'ช่อง 9'" in missing.stderr
    added = as_admin(
        "--database",
        db_url,
        "counter",
        "add",
        "ช่อง 3",
        "--unit",
        "กองคลัง",
        "--services",
        "LAND_BUILDING_TAX",
    )
    assert added.returncode == 0 and "test-print" not in added.stdout
    none = cli("--database", db_url, "counter", "test-print", "ช่อง 3")
    assert none.returncode == 1 and "ยังไม่ได้ตั้งเครื่องพิมพ์" in none.stderr
