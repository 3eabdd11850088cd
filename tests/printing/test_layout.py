"""The wording of the printed documents (Thai, Buddhist Era, Thai digits) and the Thai-aware
line wrapping shared by the thermal and the PDF renderers."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest
from conftest import FIXED_NOW
from hypothesis import given, settings
from hypothesis import strategies as st
from printing_support import ITAS_URL, OFFICE, deficiency, document_list, service_slip, ticket

from counter_tui.printing import layout
from counter_tui.printing.documents import DeficiencyDoc, TicketSlip


def texts(blocks) -> list[str]:
    found = []
    for block in blocks:
        if isinstance(block, layout.Text):
            found.append(block.text)
        elif isinstance(block, layout.Table):
            found += list(block.headers) + [cell for row in block.rows for cell in row]
        elif isinstance(block, layout.Columns):
            for column in block.columns:
                found += texts(column)
        elif isinstance(block, (layout.Signature,)):
            found += [block.role, block.name or ""]
        elif isinstance(block, layout.ThumbBox):
            found.append(block.caption)
    return found


def test_documents_are_frozen():
    with pytest.raises(FrozenInstanceError):
        ticket().number = "B002"  # type: ignore[misc]


def test_deficiency_mark_is_checked():
    with pytest.raises(ValueError):
        DeficiencyDoc(**{**deficiency().__dict__, "applicant_mark": "cross"})


def test_ticket_wording():
    words = texts(layout.ticket_blocks(ticket()))
    assert words[:4] == [OFFICE, "บัตรคิว", "A001", "ขอรับเบี้ยยังชีพผู้สูงอายุ"]
    assert "ลำดับพิเศษ: ผู้สูงอายุ" in words
    assert "มีผู้รอก่อนหน้า 3 คิว" in words
    assert "24 พฤศจิกายน 2569 10:00 น." in words
    nobody = TicketSlip(OFFICE, "A002", "x", FIXED_NOW, 0)
    assert "ไม่มีผู้รอก่อนหน้า" in texts(layout.ticket_blocks(nobody))


def test_ticket_in_thai_digits_keeps_the_ticket_number():
    words = texts(layout.ticket_blocks(ticket(), thai_digits=True))
    assert "A001" in words and "มีผู้รอก่อนหน้า ๓ คิว" in words
    assert "๒๔ พฤศจิกายน ๒๕๖๙ ๑๐:๐๐ น." in words


def test_service_slip_wording():
    blocks = layout.service_slip_blocks(service_slip())
    words = texts(blocks)
    assert "ผล: เกินเวลามาตรฐาน 3 นาที 5 วินาที" in words
    assert "8 นาที 5 วินาที" in words and "—" in words
    assert layout.SAMPLE_NOTE in words
    assert [b.url for b in blocks if isinstance(b, layout.QR)] == [ITAS_URL]


def test_service_slip_on_time_and_without_standard():
    on_time = service_slip().__class__(**{**service_slip().__dict__, "service_seconds": 900})
    assert "ผล: ภายในเวลามาตรฐาน" in texts(layout.service_slip_blocks(on_time))
    none = service_slip().__class__(
        **{**service_slip().__dict__, "standard_seconds": None, "sample_standards": False}
    )
    words = texts(layout.service_slip_blocks(none))
    assert "เวลามาตรฐานตามคู่มือ: ไม่ได้กำหนด" in words
    assert "ผล: ไม่มีเวลามาตรฐานกำหนดไว้" in words
    assert layout.SAMPLE_NOTE not in words


def test_document_list_wording():
    words = texts(layout.document_list_blocks(document_list()))
    assert "1. บัตรประจำตัวประชาชน" in words
    assert "– ฉบับจริง 1 ฉบับ · สำเนา 1 ฉบับ" in words
    assert "– สำเนา 1 เล่ม" in words
    assert "– ฉบับจริง 1 ฉบับ (กรณีมอบอำนาจ)" in words
    assert "ไม่มีค่าธรรมเนียม" in words


def test_deficiency_wording():
    words = texts(layout.deficiency_blocks(deficiency(), layout.OFFICE_COPY))
    assert words[0] == "ต้นฉบับ (สำหรับหน่วยงาน)"
    assert layout.DEFICIENCY_TITLE == "แบบตรวจสอบคำขอและบันทึกความบกพร่อง"
    assert layout.DEFICIENCY_TITLE in words and layout.ONLY_ONCE_NOTE in words
    assert "ครบถ้วน" in words and "ไม่มี/ไม่ครบ" in words
    assert "ผู้ยื่นคำขอต้องยื่นเอกสารหรือหลักฐานเพิ่มเติมภายในวันที่ 8 ธันวาคม 2569" in words
    thumb = texts(layout.deficiency_blocks(deficiency("thumbprint"), layout.APPLICANT_COPY))
    assert thumb[0] == "สำเนา (สำหรับผู้ยื่นคำขอ)"
    assert "พยาน" in thumb and "นายวิชัย พยานดี" in thumb
    assert any("ลายพิมพ์นิ้วมือ" in word for word in thumb)


def test_deficiency_deadline_in_thai_digits():
    words = texts(layout.deficiency_blocks(deficiency(), layout.OFFICE_COPY, thai_digits=True))
    assert any("๘ ธันวาคม ๒๕๖๙" in word for word in words)
    assert "เลขที่คำขอ: 2570-000123" in words


# --- wrapping --------------------------------------------------------------------------------


def test_wrapping_prefers_spaces():
    assert layout.wrap_text("aa bb cc", 5, len) == ["aa bb", "cc"]
    assert layout.wrap_text("a\nb", 10, len) == ["a", "b"]
    assert layout.wrap_text("", 10, len) == [""]


def test_a_thai_run_breaks_where_a_syllable_starts():
    lines = layout.wrap_text("แบบวัดการรับรู้ของผู้มีส่วนได้เสียภายนอก", 30, len)
    assert lines == ["แบบวัดการรับรู้ของผู้มีส่วนได้", "เสียภายนอก"]


def test_a_long_link_is_split_at_its_punctuation_or_between_characters():
    lines = layout.wrap_text(ITAS_URL, 20, len)
    assert "".join(lines) == ITAS_URL and all(len(line) <= 20 for line in lines)
    assert lines[-1] == "d5e8c1a7b2"  # a run of letters and digits kept whole when it fits
    assert layout.wrap_text("x" * 25, 10, len) == ["x" * 10, "x" * 10, "x" * 5]


FOLLOWERS = (
    set("ะาำๅๆฯ")
    | {chr(c) for c in range(0x0E31, 0x0E3B)}
    | {chr(c) for c in range(0x0E47, 0x0E4F)}
)
CONSONANTS = list("กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮ")
SYLLABLE = st.builds(
    lambda lead, consonant, marks: lead + consonant + marks,
    st.sampled_from(["", "", "เ", "แ", "โ", "ใ", "ไ"]),
    st.sampled_from(CONSONANTS),
    st.sampled_from(["", "", "ะ", "า", "ำ", "ิ", "ี", "ุ", "ู", "่", "้", "ี่", "ั้", "็", "์"]),
)
THAI = st.lists(
    st.one_of(SYLLABLE, SYLLABLE, SYLLABLE, st.sampled_from([" ", "2569", "EIT"])), max_size=30
).map("".join)


@settings(max_examples=200, deadline=None)
@given(THAI, st.integers(min_value=3, max_value=40))
def test_wrapping_keeps_every_character_and_never_orphans_a_mark(text, width):
    lines = layout.wrap_text(text, width, len)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for index, line in enumerate(lines):
        if index and line:
            assert line[0] not in FOLLOWERS, lines
        if line and line[-1] in "เแโใไ":
            assert index == len(lines) - 1 or not lines[index + 1], lines
        # a line is only wider than allowed when a single cluster is
        if len(line) > width:
            assert " " not in line.strip()
