"""Paper documents: the A5 desk card (its QR rendered to an image and decoded), the service slip,
the list of documents and the deficiency record; the Thai read back with pypdf exactly as
written, Buddhist Era dates, page counts and sizes."""

from __future__ import annotations

import re

import pypdfium2
import pytest
from printing_support import ITAS_URL, OFFICE, decode, deficiency, document_list, service_slip
from pypdf import PdfReader

from counter_tui.errors import UserError
from counter_tui.printing import pdf
from counter_tui.printing.layout import ACT_REFERENCE, DEFICIENCY_TITLE, ONLY_ONCE_NOTE
from counter_tui.printing.qr import SURVEY_HEADLINE, SURVEY_WHY

A4_PT = (595.28, 841.89)
A5_PT = (419.53, 595.28)


def text_of(path, page: int | None = None) -> str:
    reader = PdfReader(path)
    pages = reader.pages if page is None else [reader.pages[page]]
    return "\n".join(p.extract_text() for p in pages)


def squeeze(text: str) -> str:
    """Without spaces and line breaks: a wrapped paragraph compared with what was written."""
    return re.sub(r"\s+", "", text)


def page_sizes(path) -> list[tuple[float, float]]:
    return [
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
        for p in PdfReader(path).pages
    ]


def rendered(path, page: int = 0, scale: float = 2.0):
    document = pypdfium2.PdfDocument(str(path))
    try:
        return document[page].render(scale=scale).to_pil()
    finally:
        document.close()


@pytest.fixture(scope="module")
def card(tmp_path_factory):
    return pdf.desk_card_pdf(
        OFFICE, ITAS_URL, tmp_path_factory.mktemp("pdf") / "card.pdf", fiscal_year=2570
    )


def test_desk_card_is_one_a5_page(card):
    assert page_sizes(card) == [A5_PT]


def test_desk_card_qr_scans_from_the_rendered_page(card):
    assert decode(rendered(card)) == [ITAS_URL]


def test_desk_card_qr_scans_at_print_resolution_of_a_cheap_printer(card):
    # 72 dpi (scale 1): still a large code
    assert decode(rendered(card, scale=1.0)) == [ITAS_URL]


def test_desk_card_reads_back_the_thai_as_written(card):
    text = text_of(card)
    lines = text.split("\n")
    assert OFFICE in lines  # องค์การบริหารส่วนตำบล...: ำ must not leave stray characters
    assert squeeze(SURVEY_HEADLINE) in squeeze(text)
    assert squeeze(SURVEY_WHY) in squeeze(text)
    assert "ปีงบประมาณ พ.ศ. 2570" in text
    assert ITAS_URL in text
    assert all(ord(char) >= 32 for char in text.replace("\n", ""))


def test_desk_card_embeds_the_bundled_font(card):
    reader = PdfReader(card)
    fonts = {
        str(font["/BaseFont"])
        for font in (
            reader.pages[0]["/Resources"]["/Font"][name].get_object()
            for name in reader.pages[0]["/Resources"]["/Font"]
        )
    }
    assert any("Laksaman" in name for name in fonts)


@pytest.mark.parametrize("url", [None, "", "http://itas.nacc.go.th/go/eit/abc"])
def test_desk_card_refuses_a_missing_or_plain_http_link(tmp_path, url):
    with pytest.raises(UserError) as caught:
        pdf.desk_card_pdf(OFFICE, url, tmp_path / "card.pdf")
    assert "EIT" in str(caught.value)
    assert not (tmp_path / "card.pdf").exists()


def test_a_long_office_name_still_fits_one_page(tmp_path):
    name = "องค์การบริหารส่วนตำบลบ้านหนองน้ำใสเหนือพัฒนา อำเภอเมืองขอนแก่น จังหวัดขอนแก่น"
    path = pdf.desk_card_pdf(name, ITAS_URL, tmp_path / "card.pdf")
    assert page_sizes(path) == [A5_PT]
    assert squeeze(name) in squeeze(text_of(path))
    assert decode(rendered(path)) == [ITAS_URL]


def test_service_slip_pdf(tmp_path):
    path = pdf.service_slip_pdf(service_slip(), tmp_path / "slip.pdf")
    assert page_sizes(path) == [A4_PT]
    text = text_of(path)
    for expected in (
        "ใบสรุปการให้บริการ",
        OFFICE,
        "นางสาวสมศรี ใจดี",
        "รับเรื่องไว้พิจารณา",
        "24 พฤศจิกายน 2569",
        "ใช้เวลาให้บริการ: 18 นาที 5 วินาที",
        "เกินเวลามาตรฐาน 3 นาที 5 วินาที",
        "ศูนย์ดำรงธรรม โทร 1567",
        "ตรวจสอบคำขอและเอกสาร",
    ):
        assert expected in text, expected
    assert squeeze("ขออนุญาตก่อสร้างอาคาร ดัดแปลงอาคาร หรือรื้อถอนอาคาร") in squeeze(text)
    assert "ตัวอย่าง" in text  # sample standards are marked
    assert decode(rendered(path)) == [ITAS_URL]


def test_service_slip_pdf_in_thai_digits(tmp_path):
    path = pdf.service_slip_pdf(service_slip(), tmp_path / "slip.pdf", thai_digits=True)
    text = text_of(path)
    assert "๒๔ พฤศจิกายน ๒๕๖๙" in text and "๑๘ นาที ๕ วินาที" in text
    assert "A001" in text and ITAS_URL in text  # numbers that are identifiers stay as they are


def test_service_slip_pdf_without_a_link_has_no_code(tmp_path):
    path = pdf.service_slip_pdf(service_slip(None), tmp_path / "slip.pdf")
    assert decode(rendered(path)) == []
    assert "EIT" not in text_of(path)


def test_document_list_pdf(tmp_path):
    path = pdf.document_list_pdf(document_list(), tmp_path / "docs.pdf")
    text = text_of(path)
    for expected in (
        "รายการเอกสารที่ต้องนำมา",
        "1. บัตรประจำตัวประชาชน",
        "ฉบับจริง 1 ฉบับ · สำเนา 1 ฉบับ",
        "สำเนา 1 เล่ม",
        "(กรณีมอบอำนาจ)",
        "ไม่มีค่าธรรมเนียม",
    ):
        assert expected in text, expected


@pytest.mark.parametrize("mark", ["signature", "thumbprint"])
def test_deficiency_record_has_the_original_and_the_copy(tmp_path, mark):
    path = pdf.deficiency_pdf(deficiency(mark), tmp_path / "deficiency.pdf")
    assert page_sizes(path) == [A4_PT, A4_PT]
    first, second = text_of(path, 0), text_of(path, 1)
    assert "ต้นฉบับ (สำหรับหน่วยงาน)" in first and "สำเนา" not in first.split("\n")[0]
    assert "สำเนา (สำหรับผู้ยื่นคำขอ)" in second
    for page in (first, second):
        assert DEFICIENCY_TITLE in page and "บันทึกความบกพร่อง" in page
        assert squeeze(ACT_REFERENCE) in squeeze(page)
        assert "เลขที่คำขอ: 2570-000123" in page
        assert "วันที่ยื่นคำขอ: 24 พฤศจิกายน 2569 10:00 น." in page
        assert "1. แผนผังบริเวณ แบบแปลน และรายการประกอบแบบแปลน" in page
        assert "ภายในวันที่ 8 ธันวาคม 2569" in page
        assert squeeze(ONLY_ONCE_NOTE) in squeeze(page)
        assert "เพียงครั้งเดียว" in page
        assert "(นางสาวสมศรี ใจดี)" in page and "เจ้าหน้าที่ผู้รับคำขอ" in page
        if mark == "thumbprint":
            assert "ลายพิมพ์นิ้วมือ" in page and "(นายวิชัย พยานดี)" in page
            assert "พยาน" in page
        else:
            assert "ลายพิมพ์นิ้วมือ" not in page and "(นายสมชาย มีสุข)" in page


def test_deficiency_record_thai_digits(tmp_path):
    path = pdf.deficiency_pdf(deficiency(), tmp_path / "d.pdf", thai_digits=True)
    assert "ภายในวันที่ ๘ ธันวาคม ๒๕๖๙" in text_of(path, 0)


def test_unwritable_target_is_a_user_error(tmp_path):
    with pytest.raises(UserError):
        pdf.service_slip_pdf(service_slip(), tmp_path / "missing" / "slip.pdf")


def test_sara_am_text_reads_back_without_stray_codes(tmp_path):
    # HarfBuzz splits ำ into two glyphs; the second must map to no text at all.
    name = "เทศบาลตำบลน้ำคำ"
    path = pdf.desk_card_pdf(name, ITAS_URL, tmp_path / "c.pdf")
    assert name in text_of(path).split("\n")
