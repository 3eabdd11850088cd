"""Files that hold personal data are the owner's alone (0600 in 0700 folders), measured with
os.stat; public documents keep the normal mode; an exposed database is warned about."""

from __future__ import annotations

import os
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import FIXED_NOW
from support.actors import as_admin

from counter_tui.db.database import open_database


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def ordinary_umask():
    """The usual desktop umask (022): without the fix, files come out 0644 and folders 0755."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_new_sqlite_database_folder_wal_and_shm_are_private(tmp_path):
    path = tmp_path / "new" / "folder" / "counter.db"
    db = open_database(f"sqlite:///{path}")
    try:
        db.execute_sql("CREATE TABLE t (x TEXT)")
        db.execute_sql("INSERT INTO t VALUES ('สมชาย ใจดี 3012304567082')")
        # The connection is open, so the WAL and its shared-memory index exist now.
        for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert file.exists(), file
            assert mode(file) == 0o600, (file, oct(mode(file)))
        assert mode(path.parent) == 0o700
        assert mode(path.parent.parent) == 0o700
    finally:
        db.close()


def test_default_data_folder_is_private_and_a_loose_one_is_tightened(
    tmp_path, isolated_user_folders
):
    from counter_tui.db import models as m
    from counter_tui.paths import data_dir, default_database_url
    from counter_tui.services.office import connect

    data_dir().mkdir(parents=True, mode=0o755)
    os.chmod(data_dir(), 0o755)  # as an older version left it
    database, _ = connect(default_database_url(), FIXED_NOW)
    try:
        assert mode(data_dir()) == 0o700
        assert mode(data_dir() / "counter.db") == 0o600
    finally:
        database.close()
        m.database_proxy.initialize(None)


def test_an_existing_world_readable_database_is_warned_about_on_start(cli, tmp_path):
    path = tmp_path / "counter.db"
    url = f"sqlite:///{path}"
    first = cli("--database", url, "settings", "get", "queue.policy")
    assert first.returncode == 0, first.stderr
    assert "คำเตือน" not in first.stderr  # made private: nothing to warn about
    os.chmod(path, 0o644)
    for args in (("settings", "get", "queue.policy"), ("locate",)):
        result = cli("--database", url, *args)
        assert result.returncode == 0, result.stderr
        lines = [line for line in result.stderr.splitlines() if "คำเตือน" in line]
        assert len(lines) == 1, result.stderr
        assert str(path) in lines[0] and "0644" in lines[0]
        assert f"chmod 600 {path}" in lines[0]
    os.chmod(path, 0o600)
    assert "คำเตือน" not in cli("--database", url, "locate").stderr


def test_the_app_start_warns_too(tmp_path, capsys):
    """The warning comes before the UI takes the terminal (the same path as the app's start)."""
    from counter_tui import cli as cli_module

    path = tmp_path / "counter.db"
    path.write_bytes(b"")
    os.chmod(path, 0o640)
    args = cli_module._app_start(["--database", f"sqlite:///{path}"])
    cli_module._warned.clear()
    cli_module._settings(args)
    err = capsys.readouterr().err
    assert err.count("คำเตือน") == 1 and "0640" in err


def test_delay_letter_is_private_in_a_private_folder(isolated_user_folders):
    from counter_tui.paths import data_dir
    from counter_tui.services.cases import DelayNoticeInfo, write_delay_letter

    info = DelayNoticeInfo(
        number=1,
        sent_at=datetime(2026, 12, 9, 3, tzinfo=UTC),
        office_name="อบต.หนองบัว",
        office_address="1 หมู่ 1",
        office_code="main",
        application="1/2570",
        service_name="ขออนุญาตก่อสร้างอาคาร",
        filed_on=date(2026, 11, 24),
        due=date(2026, 12, 8),
        reason="รอความเห็นวิศวกร",
        applicant_name="นายสร้าง บ้านใหม่",
        applicant_address="9 หมู่ 1",
        copied_to_opdc=True,
    )
    path = Path(write_delay_letter(info))
    assert path.read_bytes().startswith(b"%PDF")
    assert mode(path) == 0o600
    assert mode(data_dir() / "letters") == 0o700


def test_deficiency_record_and_service_slip_pdfs_are_private(tmp_path):
    from counter_tui.printing.documents import DeficiencyDoc
    from counter_tui.printing.pdf import deficiency_pdf

    doc = DeficiencyDoc(
        office_name="อบต.หนองบัว",
        office_address=None,
        application_number="1/2570",
        service_name="ภาษีป้าย",
        applicant_name="นายสร้าง บ้านใหม่",
        filed_at=FIXED_NOW,
        checklist=(),
        missing=("สำเนาบัตรประชาชน",),
        deadline=date(2026, 12, 8),
        officer="สมชาย ใจดี",
    )
    path = deficiency_pdf(doc, tmp_path / "deficiency.pdf")
    assert mode(path) == 0o600
    # Written again over an older copy left 0644: still private.
    os.chmod(path, 0o644)
    assert mode(deficiency_pdf(doc, path)) == 0o600


def test_visits_export_is_private(cli, db_url, tmp_path):
    out = tmp_path / "visits.csv"
    result = as_admin(
        "--database",
        db_url,
        "report",
        "visits",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert out.exists() and mode(out) == 0o600


def test_public_poster_web_pages_and_desk_card_keep_the_normal_mode(tmp_path):
    from counter_tui.catalog.loader import bundled_manuals_dir, validate_paths
    from counter_tui.printing.manual_export import posters_pdf, write_html
    from counter_tui.printing.pdf import desk_card_pdf

    manuals = [manual for _, manual in validate_paths([bundled_manuals_dir()]).manuals][:2]
    poster = posters_pdf(manuals, tmp_path / "posters.pdf", "อบต.หนองบัว")
    assert mode(poster) == 0o644
    web = write_html(manuals, tmp_path / "web", "อบต.หนองบัว")
    assert mode(Path(web) / "index.html") == 0o644
    card = desk_card_pdf(
        "อบต.หนองบัว", "https://itas.nacc.go.th/go/eit/abc123", tmp_path / "card.pdf"
    )
    assert mode(card) == 0o644


def test_private_file_helper(tmp_path):
    from counter_tui.private_files import open_private, private_folder, write_private

    with pytest.raises(FileNotFoundError):  # a missing folder is the caller's to make
        write_private(tmp_path / "a" / "b.txt", "ชื่อ")
    private_folder(tmp_path / "a")
    text = write_private(tmp_path / "a" / "b.txt", "ชื่อ")
    assert text.read_text(encoding="utf-8") == "ชื่อ" and mode(text) == 0o600
    assert mode(tmp_path / "a") == 0o700
    with open_private(tmp_path / "c.bin", "wb") as stream:
        stream.write(b"x")
    assert mode(tmp_path / "c.bin") == 0o600
    with pytest.raises(ValueError):
        with open_private(tmp_path / "c.bin", "r"):
            pass


def test_slips_sent_to_a_new_file_printer_target_are_private(tmp_path):
    """A counter whose printer is ``file:PATH`` keeps its slips (names) in that file."""
    from counter_tui.printing.escpos_out import send

    target = tmp_path / "slips.bin"
    send(f"file:{target}", b"slip of a named visitor")
    assert mode(target) == 0o600
    send(f"file:{target}", b"second")
    assert target.read_bytes().endswith(b"second") and mode(target) == 0o600
