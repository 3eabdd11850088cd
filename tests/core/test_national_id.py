from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_tui.core.national_id import (
    check_digit,
    format_id,
    is_valid,
    mask,
    normalize,
    validate,
    warnings,
)

WEIGHTS = [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]


def _reference_remainder(first12: str) -> int:
    return sum(int(ch) * w for ch, w in zip(first12, WEIGHTS)) % 11


@pytest.mark.parametrize(
    ("first12", "expected"),
    [
        ("301230456708", 2),  # s = 229, 229 mod 11 = 9, (11 - 9) mod 10 = 2
        ("110170023070", 8),  # s = 146, 146 mod 11 = 3 -> 8
        ("000000000000", 1),  # s = 0 -> (11 - 0) mod 10 = 1
        ("001000000000", 1),  # s = 11, remainder 0 -> 1
        ("010000000000", 0),  # s = 12, remainder 1 -> 10 mod 10 = 0
        ("900000000000", 4),  # s = 117, remainder 7 -> 4
    ],
)
def test_check_digit(first12: str, expected: int) -> None:
    assert check_digit(first12) == expected


def test_check_digit_needs_twelve_digits() -> None:
    with pytest.raises(ValueError, match="12"):
        check_digit("30123045670")


@pytest.mark.parametrize(
    "text",
    [
        "3012304567082",
        "3-0123-04567-08-2",
        " 3 0123 04567 08 2 ",
        "๓๐๑๒๓๐๔๕๖๗๐๘๒",
        "3–0123–04567–08–2",
    ],
)
def test_validate_normalizes(text: str) -> None:
    assert validate(text) == "3012304567082"
    assert is_valid(text)


def test_normalize_keeps_other_characters() -> None:
    assert normalize("๓-0123 x") == "30123x"


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("301230456708", ["ต้องมี 13 หลัก (ได้ 12 หลัก)", "13 digits (got 12)"]),
        ("30123045670821", ["ต้องมี 13 หลัก (ได้ 14 หลัก)", "(got 14)"]),
        ("30123O4567082", ["ตัวเลขเท่านั้น", "'O'", "digits only"]),
        ("", ["13 หลัก", "13-digit"]),
        ("3012304567083", ["เลขตรวจสอบ (หลักที่ 13) ไม่ถูกต้อง", "check digit"]),
        ("3012304567092", ["เลขตรวจสอบ (หลักที่ 13) ไม่ถูกต้อง"]),
    ],
)
def test_validate_errors_are_thai_first(text: str, fragments: list[str]) -> None:
    with pytest.raises(ValueError) as info:
        validate(text)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message
    assert message.index(" / ") > 0  # Thai, then " / ", then English
    assert "3012304567082" not in message  # the number is not echoed
    assert not is_valid(text)


@pytest.mark.parametrize("text", ["0010000000001", "0100000000000", "9000000000004"])
def test_first_digit_0_or_9_is_valid_with_a_warning(text: str) -> None:
    assert validate(text) == text
    notes = warnings(text)
    assert len(notes) == 1
    assert f"ขึ้นต้นด้วย {text[0]}" in notes[0]


def test_no_warning_for_an_ordinary_id() -> None:
    assert warnings("3-0123-04567-08-2") == []


def test_format_and_mask() -> None:
    assert format_id("3012304567082") == "3-0123-04567-08-2"
    assert format_id("๓๐๑๒๓๐๔๕๖๗๐๘๒") == "3-0123-04567-08-2"
    assert mask("3012304567082") == "x-xxxx-xxxx7-08-2"
    assert mask("3-0123-04567-08-2", visible=2) == "x-xxxx-xxxxx-x8-2"
    assert mask("3012304567082", visible=0) == "x-xxxx-xxxxx-xx-x"


@pytest.mark.parametrize("fn", [format_id, mask])
def test_format_and_mask_need_13_digits(fn: Callable[[str], str]) -> None:
    with pytest.raises(ValueError, match="13"):
        fn("301230456708")


def test_the_third_digit_is_a_blind_spot_of_the_check_digit() -> None:
    # Weight 11 adds a multiple of 11 to s: 3052304567082 has s = 229 + 5*11 = 284,
    # 284 mod 11 = 9, so the same check digit 2. The algorithm cannot catch this typo.
    assert is_valid("3052304567082")


TWELVE = st.text(alphabet="0123456789", min_size=12, max_size=12)


@given(TWELVE)
def test_any_twelve_digits_with_their_check_digit_are_valid(first12: str) -> None:
    text = first12 + str(check_digit(first12))
    assert is_valid(text)
    assert validate(format_id(text)) == text
    assert mask(text) == f"x-xxxx-xxxx{text[9]}-{text[10:12]}-{text[12]}"


@given(TWELVE, st.integers(min_value=0, max_value=12), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_is_caught_except_where_the_scheme_cannot(
    first12: str, position: int, delta: int
) -> None:
    valid = first12 + str(check_digit(first12))
    changed_digit = str((int(valid[position]) + delta) % 10)
    changed = valid[:position] + changed_digit + valid[position + 1 :]
    if position == 12:
        assert not is_valid(changed)  # a wrong check digit is always caught
        return
    before = _reference_remainder(valid[:12])
    after = _reference_remainder(changed[:12])
    # Missed only when s mod 11 does not move (3rd digit, weight 11) or moves between
    # remainders 0 and 10, which both give check digit 1.
    blind = before == after or {before, after} == {0, 10}
    assert is_valid(changed) is blind
    if position != 2:
        assert before != after
