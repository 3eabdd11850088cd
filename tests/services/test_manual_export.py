"""Manuals for the notice board (PDF posters) and the website (HTML), in Thai, sample-marked."""

from __future__ import annotations

import pypdf

from counter_tui.catalog.loader import bundled_manuals_dir, validate_paths
from counter_tui.printing.manual_export import posters_pdf, write_html


def _manuals():
    from pathlib import Path

    return [m for _, m in validate_paths([Path(str(bundled_manuals_dir()))]).manuals]


def test_one_thai_poster_per_manual(tmp_path):
    manuals = _manuals()
    reader = pypdf.PdfReader(posters_pdf(manuals, tmp_path / "p.pdf", "อบต.หนองบัว"))
    assert len(reader.pages) == len(manuals)
    elderly = next(i for i, m in enumerate(manuals) if m.code == "ELDERLY_ALLOWANCE_REG")
    text = reader.pages[elderly].extract_text().replace("\n", " ")
    for expected in (
        "คู่มือสำหรับประชาชน",
        "การลงทะเบียนและยื่นคำขอรับเงินเบี้ยยังชีพผู้สูงอายุ",
        "60 นาที",
        "ไม่มีค่าธรรมเนียม",
        "สำเนาทะเบียนบ้าน",
        "ตัวอย่าง",
        "อบต.หนองบัว",
        "ช่องทางร้องเรียน",
    ):
        assert expected in text, expected


def test_html_pages_and_index(tmp_path):
    manuals = _manuals()
    folder = write_html(manuals, tmp_path / "web", "อบต.หนองบัว")
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert all(m.name_th in index for m in manuals)
    page = (folder / "signboard_tax.html").read_text(encoding="utf-8")
    assert '<html lang="th">' in page and "การชำระภาษีป้าย" in page and "5 นาที" in page
    assert "ตัวอย่าง" in page and "&lt;" not in page.split("<body>")[0]
