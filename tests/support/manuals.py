"""Small service manuals for tests (the catalog's TOML format), and importing one.

``TIMED_TOML``: ใบอนุญาตทดสอบจับเวลา (group T, สำนักปลัด, under the Act), 10 minutes in three
steps of 5, 3 and no standard. Tests that need its applicant fields or documents add them with
``with_people`` and ``with_documents`` (tables may follow the steps in TOML). ``HOUR_TOML``: a
one-hour request in one step. ``WORKDAY_TOML``: a licence counted in working days."""

from __future__ import annotations

from datetime import datetime

from support.actors import admin_id

TIMED_TOML = """
code = "TIMED_PERMIT"
name_th = "ใบอนุญาตทดสอบจับเวลา"
name_en = "Timed test permit"
group = "T"
unit = "สำนักปลัด"
under_act = true
standard = "10 นาที"

[fee]
text = "ไม่มีค่าธรรมเนียม"
amount_thb = 0

[[steps]]
name_th = "ตรวจเอกสาร"
unit = "งานธุรการ"
standard = "5 นาที"

[[steps]]
name_th = "บันทึกคำขอ"
unit = "สำนักปลัด"
standard = "3 นาที"

[[steps]]
name_th = "ลงนามรับคำขอ"
"""

REQUEST_FORM = """
[[documents]]
name_th = "แบบคำขอ"
originals = 1
copies = 2
unit = "ฉบับ"
"""

HOUSE_REGISTRATION_IF_MOVED = """
[[documents]]
name_th = "สำเนาทะเบียนบ้าน"
copies = 1
unit = "ฉบับ"
condition = "ถ้ามีการย้ายที่อยู่"
when = "if"
"""

PROXY_LETTER = """
[[documents]]
name_th = "หนังสือมอบอำนาจ"
originals = 1
condition = "กรณีมอบอำนาจ"
when = "proxy"
"""

HOUR_TOML = """
code = "HOUR_PERMIT"
name_th = "คำขอทดสอบมาตรฐานหนึ่งชั่วโมง"
name_en = "One-hour test request"
group = "H"
unit = "สำนักปลัด"
under_act = true
standard = "1 ชั่วโมง"

[fee]
text = "ไม่มีค่าธรรมเนียม"
amount_thb = 0

[[steps]]
name_th = "ตรวจเอกสารและบันทึกคำขอ"
standard = "1 ชั่วโมง"
"""

WORKDAY_TOML = """
code = "WORKDAY_LICENCE"
name_th = "ใบอนุญาตนับวันทำการ"
name_en = "Licence counted in working days"
group = "W"
unit = "กองช่าง"
under_act = true
standard = "3 วันทำการ"

[fee]
text = "ไม่มีค่าธรรมเนียม"
"""


def with_people(toml: str, **fields: str) -> str:
    """``toml`` asking for these applicant fields (``name="required"``, ...)."""
    lines = "".join(f'{field} = "{need}"\n' for field, need in fields.items())
    return f"{toml}\n[personal_data]\n{lines}"


def with_documents(toml: str, *documents: str) -> str:
    """``toml`` with these ``[[documents]]`` entries, in this order."""
    return toml + "".join(documents)


def import_toml(
    office_id: int, text: str, filename: str = "test.toml", now: datetime | None = None
) -> None:
    """Validate ``text`` as the catalog does and import it into the office (at FIXED_NOW)."""
    from counter_tui.core.manual_validator import parse_manual
    from counter_tui.services.catalog import import_manuals
    from support.clock import FIXED_NOW

    manual, problems = parse_manual(text.encode("utf-8"), filename)
    assert manual is not None, problems
    import_manuals(office_id, [manual], now or FIXED_NOW, actor_id=admin_id(office_id))
