"""Provides the Thai words the screens share for stored codes (a counter's state), so that no
code ("open") leaks onto a Thai screen and each word is written once."""

COUNTER_STATE_TH = {"open": "เปิด", "break": "พักกลางวัน", "away": "ออกนอกสถานที่", "closed": "ปิด"}
