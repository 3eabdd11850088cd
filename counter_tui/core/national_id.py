"""Provides checks and display forms for the 13-digit Thai national ID (เลขประจำตัวประชาชน).

Check digit: for digits d1..d12 with weights 13..2, s = Σ di·(14−i) and
d13 = (11 − s mod 11) mod 10; 3-0123-04567-08-2 is valid (s = 229).
Messages are Thai first, then English, and never repeat the whole number (it is personal
data that may end up in a log). Stdlib only.
"""

from __future__ import annotations

import re

from counter_tui.core.thai_dates import from_thai_digits

__all__ = [
    "check_digit",
    "format_id",
    "is_valid",
    "mask",
    "normalize",
    "validate",
    "warnings",
]

LENGTH = 13
_GROUPS = (1, 4, 5, 2, 1)  # N-NNNN-NNNNN-NN-N
# Whitespace and the dashes people paste from documents: - ‐ ‑ ‒ – — −
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212]+")
_ASCII_DIGITS = frozenset("0123456789")


def normalize(text: str) -> str:
    """Drop spaces and dashes and turn Thai digits into ASCII; other characters are kept."""
    return _SEPARATORS.sub("", from_thai_digits(text))


def _digits_only(digits: str) -> None:
    bad = next((ch for ch in digits if ch not in _ASCII_DIGITS), None)
    if bad is not None:
        raise ValueError(
            f"เลขประจำตัวประชาชนต้องเป็นตัวเลขเท่านั้น (พบ {bad!r}) / "
            f"The national ID must contain digits only (found {bad!r})"
        )


def _thirteen_digits(text: str) -> str:
    digits = normalize(text)
    if not digits:
        raise ValueError("กรุณากรอกเลขประจำตัวประชาชน 13 หลัก / Enter the 13-digit national ID number")
    _digits_only(digits)
    if len(digits) != LENGTH:
        raise ValueError(
            f"เลขประจำตัวประชาชนต้องมี 13 หลัก (ได้ {len(digits)} หลัก) / "
            f"The national ID must have 13 digits (got {len(digits)})"
        )
    return digits


def check_digit(first12: str) -> int:
    """Return the check digit (the 13th digit) for the first 12 digits."""
    digits = normalize(first12)
    _digits_only(digits)
    if len(digits) != LENGTH - 1:
        raise ValueError(
            f"ต้องใช้ 12 หลักแรกเพื่อคำนวณเลขตรวจสอบ (ได้ {len(digits)} หลัก) / "
            f"The check digit needs the first 12 digits (got {len(digits)})"
        )
    s = sum(int(ch) * (LENGTH - i) for i, ch in enumerate(digits))  # weights 13..2
    return (11 - s % 11) % 10


def validate(text: str) -> str:
    """Return the normalized 13 digits, or raise ValueError with a Thai/English message.

    A first digit of 0 or 9 is accepted (see warnings()).
    """
    digits = _thirteen_digits(text)
    # The expected check digit is deliberately not shown: the typo is as likely to be in
    # any other digit, and "fixing" the last one would make a wrong number look valid.
    if check_digit(digits[:12]) != int(digits[12]):
        raise ValueError(
            "เลขตรวจสอบ (หลักที่ 13) ไม่ถูกต้อง: มีเลขหลักใดหลักหนึ่งผิด โปรดตรวจกับบัตรอีกครั้ง / "
            "The check digit (13th digit) is wrong: a digit is mistyped, please check against the card"
        )
    return digits


def is_valid(text: str) -> bool:
    """True when text is a 13-digit national ID with a correct check digit."""
    try:
        validate(text)
    except ValueError:
        return False
    return True


def warnings(text: str) -> list[str]:
    """Return notes on an ID that is not an error but deserves a second look (Thai / English).

    A first digit of 0 or 9 is rare (0 is reported for some persons without Thai
    registration status): the counter accepts it and only asks the officer to check the card.
    """
    digits = normalize(text)
    if digits[:1] in ("0", "9"):
        return [
            f"เลขประจำตัวประชาชนขึ้นต้นด้วย {digits[0]} ซึ่งพบไม่บ่อย โปรดตรวจกับบัตรอีกครั้ง / "
            f"The national ID starts with {digits[0]}, which is uncommon; please check against the card"
        ]
    return []


def _grouped(digits: str) -> str:
    parts = []
    pos = 0
    for size in _GROUPS:
        parts.append(digits[pos : pos + size])
        pos += size
    return "-".join(parts)


def format_id(text: str) -> str:
    """Display form N-NNNN-NNNNN-NN-N (needs 13 digits; the check digit is not verified)."""
    return _grouped(_thirteen_digits(text))


def mask(text: str, visible: int = 4) -> str:
    """Display form with all but the last `visible` digits as "x": "x-xxxx-xxxx7-08-2"."""
    digits = _thirteen_digits(text)
    if not 0 <= visible <= LENGTH:
        raise ValueError(f"visible must be 0 to {LENGTH}, got {visible}")
    return _grouped("x" * (LENGTH - visible) + digits[LENGTH - visible :])
