"""Tests of the manual format: parse_manual, its problems and their lines, validate_paths,
key_lines, and the JSON form of a Manual."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter_tui.catalog.loader import validate_paths
from counter_tui.core.durations import Duration
from counter_tui.core.manual import Document, Fee, Manual, PersonalData, Step
from counter_tui.core.manual_validator import Problem, parse_manual
from counter_tui.core.toml_lines import key_lines, nearest_line

DATA = Path(__file__).parent / "data"
VALID = (DATA / "valid_manual.toml").read_bytes()
README = Path(__file__).parents[2] / "counter_tui" / "catalog" / "README.md"

# A minimal valid manual; HEAD[i] is on line i + 1.
HEAD = [
    'code = "TEST_SERVICE"',  # 1
    'name_th = "บริการทดสอบ"',  # 2
    'name_en = "Test service"',  # 3
    'group = "A"',  # 4
    'unit = "สำนักปลัด"',  # 5
    "under_act = true",  # 6
    "",  # 7
    "[fee]",  # 8
    'text = "ไม่มีค่าธรรมเนียม"',  # 9
    "amount_thb = 0",  # 10
]


def doc(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")


def parse(data: bytes) -> tuple[Manual | None, list[Problem]]:
    return parse_manual(data, "m.toml")


def errors(data: bytes) -> list[str]:
    return [str(p) for p in parse(data)[1] if p.severity == "error"]


def warnings(data: bytes) -> list[str]:
    return [str(p) for p in parse(data)[1] if p.severity == "warning"]


# ------------------------------------------------------------------------------------------
# A valid manual
# ------------------------------------------------------------------------------------------


def test_valid_manual_parses() -> None:
    manual, problems = parse(VALID)
    assert problems == []
    assert manual is not None
    assert manual.code == "TEST_SERVICE"
    assert manual.name_th == "บริการทดสอบ"
    assert manual.group == "A"
    assert manual.unit == "สำนักปลัด"
    assert manual.under_act is True
    assert manual.sample is True
    assert manual.sensitive is False
    assert manual.legal_basis == ("ระเบียบทดสอบ พ.ศ. 2560",)
    assert manual.notes[1].startswith("หมายเหตุหลายบรรทัด\nfoo")
    assert manual.standard == Duration(20, "minute")
    assert manual.total_standard == Duration(20, "minute")
    assert manual.fee == Fee(text="ไม่มีค่าธรรมเนียม", amount_thb=0)
    assert manual.personal_data == PersonalData("required", "required", "optional", "none")
    assert [s.name_th for s in manual.steps] == ["รับคำขอ", "ตรวจสอบเอกสาร", "บันทึกข้อมูล"]
    assert manual.steps[0] == Step(
        "รับคำขอ", "Receive the application", "สำนักปลัด", Duration(5, "minute"), "tests"
    )
    assert manual.documents[1] == Document(
        "หนังสือมอบอำนาจ", 1, None, "ฉบับ", "กรณีมอบอำนาจให้ผู้อื่นยื่นแทน", "proxy"
    )
    assert manual.documents[0].when == "always"
    assert isinstance(manual.steps, tuple) and isinstance(manual.documents, tuple)


def test_minimal_manual_and_defaults() -> None:
    manual, problems = parse(doc(*HEAD))
    assert problems == []
    assert manual is not None
    assert manual.personal_data == PersonalData("required", "none", "none", "optional")
    assert manual.sensitive is False and manual.sample is False
    assert manual.steps == () and manual.documents == ()
    assert manual.total_standard is None


def test_total_standard_is_sum_of_steps_when_not_stated() -> None:
    steps = ["[[steps]]", 'name_th = "ก"', 'standard = "1 ชั่วโมง"',
             "[[steps]]", 'name_th = "ข"', 'standard = "30 นาที"']  # fmt: skip
    manual, _ = parse(doc(*HEAD, *steps))
    assert manual is not None
    assert manual.total_standard == Duration(90, "minute")


def test_no_total_standard_when_a_step_has_none() -> None:
    steps = ["[[steps]]", 'name_th = "ก"', 'standard = "1 ชั่วโมง"', "[[steps]]", 'name_th = "ข"']
    manual, _ = parse(doc(*HEAD, *steps))
    assert manual is not None
    assert manual.total_standard is None


def test_no_total_standard_when_steps_cannot_be_added() -> None:
    steps = ["[[steps]]", 'name_th = "ก"', 'standard = "1 ชั่วโมง"',
             "[[steps]]", 'name_th = "ข"', 'standard = "2 วันทำการ"']  # fmt: skip
    manual, problems = parse(doc(*HEAD, *steps))
    assert manual is not None and problems == []
    assert manual.total_standard is None


def test_byte_order_mark_is_accepted() -> None:
    manual, problems = parse(b"\xef\xbb\xbf" + doc(*HEAD))
    assert manual is not None and problems == []


# ------------------------------------------------------------------------------------------
# Errors and their lines
# ------------------------------------------------------------------------------------------


def with_line(line: int, row: str) -> bytes:
    """HEAD with line `line` replaced by row."""
    rows = list(HEAD)
    rows[line - 1] = row
    return doc(*rows)


@pytest.mark.parametrize(
    ("data", "expected", "fragment"),
    [
        # bad encoding: the line of the first bad byte
        (
            doc(*HEAD[:2]) + b'name_en = "Te\xffst"\n' + doc(*HEAD[3:]),
            "m.toml:3: error: ",
            "not valid UTF-8",
        ),
        # TOML syntax: the line from tomllib
        (with_line(5, 'unit = "สำนักปลัด'), "m.toml:5: error: ", "TOML syntax error"),
        (with_line(4, "group = A"), "m.toml:4: error: ", "TOML syntax error"),
        (doc(*HEAD, 'text = "again"'), "m.toml:11: error: ", "TOML syntax error"),
        # unknown keys, at every level
        (doc(*HEAD[:6], 'colour = "red"', *HEAD[6:]), "m.toml:7: error: ", "unknown key 'colour'"),
        (doc(*HEAD, 'txt = "x"'), "m.toml:11: error: ", "unknown key 'txt' in [fee]"),
        (
            doc(*HEAD, "[personal_data]", 'nationality = "none"'),
            "m.toml:12: error: ",
            "unknown key 'nationality' in [personal_data]",
        ),
        (
            doc(*HEAD[:6], 'fee.text = "x"', "fee.extra = 1"),
            "m.toml:8: error: ",
            "unknown key 'extra' in [fee]",
        ),
        (
            doc(*HEAD, "[[documents]]", 'name_th = "บัตร"', "copies = 1", 'kind = "x"'),
            "m.toml:14: error: ",
            "unknown key 'kind' in document 1",
        ),
        # missing required keys: the enclosing table header, or line 1
        (doc(*HEAD[1:]), "m.toml:1: error: ", "missing required key 'code'"),
        (doc(*HEAD[:5], *HEAD[6:]), "m.toml:1: error: ", "missing required key 'under_act'"),
        (doc(*HEAD[:8]), "m.toml:8: error: ", "missing required key 'text' in [fee]"),
        (doc(*HEAD[:6]), "m.toml:1: error: ", "missing the [fee] section"),
        (
            doc(*HEAD, "", "[[steps]]", 'name_th = "ก"', "", "[[steps]]", 'name_en = "B"'),
            "m.toml:15: error: ",
            "missing required key 'name_th' in step 2",
        ),
        # wrong types
        (with_line(6, 'under_act = "yes"'), "m.toml:6: error: ", "must be true or false"),
        (with_line(2, "name_th = 5"), "m.toml:2: error: ", "must be text"),
        (with_line(2, 'name_th = "  "'), "m.toml:2: error: ", "is empty"),
        (
            doc(*HEAD[:6], 'notes = "one note"', *HEAD[6:]),
            "m.toml:7: error: ",
            "must be a list of texts",
        ),
        (
            doc(*HEAD[:6], 'notes = ["a",', "  3,", "]", *HEAD[6:]),
            "m.toml:8: error: ",
            "item 2 of 'notes'",
        ),
        (doc(*HEAD[:6], 'fee = "none"'), "m.toml:7: error: ", "'fee' must be a table"),
        (
            doc(*HEAD, "[[steps]]", 'name_th = "ก"', "standard = 30"),
            "m.toml:13: error: ",
            "must be a duration in double quotes",
        ),
        (
            doc(*HEAD[:6], 'steps = "one"', *HEAD[6:]),
            "m.toml:7: error: ",
            "must be a list of [[steps]] sections",
        ),
        (with_line(10, 'amount_thb = "50"'), "m.toml:10: error: ", "must be a number of baht"),
        (with_line(10, "amount_thb = -1"), "m.toml:10: error: ", "must be 0 or more"),
        (
            doc(*HEAD, "[[documents]]", 'name_th = "บัตร"', 'copies = "1"'),
            "m.toml:13: error: ",
            "must be a whole number",
        ),
        (
            doc(*HEAD, "[[documents]]", 'name_th = "บัตร"', "copies = -1"),
            "m.toml:13: error: ",
            "cannot be negative",
        ),
        (
            doc(*HEAD, "[[documents]]", 'name_th = "บัตร"', "originals = 0", "copies = 0"),
            "m.toml:14: error: ",
            "0 originals and 0 copies",
        ),
        # bad enum values
        (
            doc(*HEAD, "[personal_data]", 'phone = "maybe"'),
            "m.toml:12: error: ",
            '"required", "optional" or "none"',
        ),
        (
            doc(*HEAD, "[[documents]]", 'name_th = "บัตร"', "copies = 1", 'when = "sometimes"'),
            "m.toml:14: error: ",
            'when = "proxy"',
        ),
        # durations
        (doc(*HEAD[:6], 'standard = "soon"', *HEAD[6:]), "m.toml:7: error: ", "accepted forms"),
        (
            doc(*HEAD[:6], 'standard = "0 นาที"', *HEAD[6:]),
            "m.toml:7: error: ",
            "must be greater than zero",
        ),
        (
            doc(*HEAD[:6], 'standard = "-5 นาที"', *HEAD[6:]),
            "m.toml:7: error: ",
            "must be greater than zero",
        ),
        (
            doc(
                *HEAD,
                "[[steps]]",
                'name_th = "ก"',
                "",
                "[[steps]]",
                'name_th = "ข"',
                'standard = "14 days"',
            ),
            "m.toml:16: error: ",
            "does not say which days",
        ),
        (
            doc(*HEAD[:6], 'standard = "99999999999999999999 วัน"', *HEAD[6:]),
            "m.toml:7: error: ",
            "ยาวเกินไป: ไม่เกิน 365 วัน",
        ),
        (
            doc(*HEAD[:6], 'standard = "3000000 วัน"', *HEAD[6:]),
            "m.toml:7: error: ",
            "ยาวเกินไป: ไม่เกิน 365 วัน",
        ),
        (
            doc(*HEAD, "[[steps]]", 'name_th = "ก"', 'standard = "2001 ชั่วโมง"'),
            "m.toml:13: error: ",
            "ยาวเกินไป: ไม่เกิน 2,000 ชั่วโมง",
        ),
        (
            doc(*HEAD, "[[steps]]", 'name_th = "ก"', 'standard = "10001 นาที"'),
            "m.toml:13: error: ",
            "ยาวเกินไป: ไม่เกิน 10,000 นาที",
        ),
        # code and group
        (with_line(1, 'code = "elderly"'), "m.toml:1: error: ", "not a valid service code"),
        (with_line(1, 'code = "A"'), "m.toml:1: error: ", "not a valid service code"),
        (
            with_line(1, 'code = "' + "A" * 41 + '"'),
            "m.toml:1: error: ",
            "not a valid service code",
        ),
        (with_line(4, 'group = "AB"'), "m.toml:4: error: ", "one capital letter"),
        (with_line(4, 'group = "a"'), "m.toml:4: error: ", "one capital letter"),
        (with_line(4, 'group = "ก"'), "m.toml:4: error: ", "one capital letter"),
    ],
)
def test_error_line(data: bytes, expected: str, fragment: str) -> None:
    manual, problems = parse(data)
    assert manual is None
    found = [str(p) for p in problems if p.severity == "error"]
    assert found, problems
    assert found[0].startswith(expected), found
    assert fragment in found[0], found


def test_unknown_key_in_second_step_points_at_its_line() -> None:
    data = doc(
        *HEAD,  # 1-10
        "",  # 11
        "[[steps]]",  # 12
        'name_th = "รับคำขอ"',  # 13
        'standard = "5 นาที"',  # 14
        "",  # 15
        "[[steps]]",  # 16
        'name_th = "ตรวจสอบ"',  # 17
        'standrad = "5 นาที"',  # 18
        'unit = "สำนักปลัด"',  # 19
    )
    assert errors(data) == [
        "m.toml:18: error: unknown key 'standrad' in step 2; did you mean 'standard'? "
        "the allowed keys are: name_th, name_en, unit, standard, source"
    ]


def test_unknown_key_in_inline_steps_points_at_its_line() -> None:
    data = doc(
        *HEAD[:6],
        "steps = [",  # 7
        '  {name_th = "ก", standard = "5 นาที"},',  # 8
        '  {name_th = "ข", colour = "red"},',  # 9
        "]",  # 10
        *HEAD[6:],
    )
    found = errors(data)
    assert len(found) == 1
    assert found[0].startswith("m.toml:9: error: unknown key 'colour' in step 2")


def test_key_like_text_inside_a_multiline_string_is_not_a_key() -> None:
    data = doc(
        *HEAD[:6],
        'notes = ["""',  # 7
        "colour = 1",  # 8
        "[[steps]]",  # 9
        '"""]',  # 10
        'colour = "red"',  # 11
        *HEAD[6:],
    )
    assert errors(data) == [
        "m.toml:11: error: unknown key 'colour'; the allowed keys are: "
        + re.sub(
            r"\s+",
            " ",
            """code, name_th, name_en, group, unit, category, legal_basis,
        under_act, sensitive, sample, source, channels, hours, standard, standard_source,
        complaint_channels, notes, fee, personal_data, steps, documents""",
        )
    ]


def test_literal_multiline_string_is_skipped() -> None:
    data = doc(*HEAD[:6], "notes = ['''", "code = 1", "''']", "oops = 1", *HEAD[6:])
    assert errors(data)[0].startswith("m.toml:10: error: unknown key 'oops'")


def test_quoted_keys() -> None:
    data = doc(*HEAD[:6], '"quoted key" = 1', *HEAD[6:])
    assert errors(data)[0].startswith("m.toml:7: error: unknown key 'quoted key'")


def test_every_problem_is_reported_not_only_the_first() -> None:
    data = doc(
        'code = "x"',  # 1
        "name_th = 1",  # 2
        'name_en = "E"',  # 3
        'group = "AA"',  # 4
        'unit = "U"',  # 5
        "under_act = 1",  # 6
        "[fee]",  # 7
        "amount_thb = -3",  # 8
    )
    found = errors(data)
    assert [line.split(": error:")[0] for line in found] == [
        "m.toml:1", "m.toml:2", "m.toml:4", "m.toml:6", "m.toml:7", "m.toml:8",
    ]  # fmt: skip


# ------------------------------------------------------------------------------------------
# Warnings
# ------------------------------------------------------------------------------------------


def test_steps_exceeding_the_total_warn_but_parse() -> None:
    data = doc(
        *HEAD[:6],
        'standard = "10 นาที"',  # 7
        *HEAD[6:],  # 8-11
        "[[steps]]",  # 12
        'name_th = "ก"',  # 13
        'standard = "6 นาที"',  # 14
        "[[steps]]",  # 15
        'name_th = "ข"',  # 16
        'standard = "5 นาที"',  # 17
    )
    manual, problems = parse(data)
    assert manual is not None
    assert [str(p) for p in problems] == [
        "m.toml:7: warning: the step standards add up to 11 นาที, more than the total standard "
        "10 นาที; check both against the office's manual (each step is timed against its own "
        "standard, the visit against the total)"
    ]
    assert manual.total_standard == Duration(10, "minute")


def test_steps_in_hours_compare_with_total_in_minutes() -> None:
    data = doc(*HEAD[:6], 'standard = "90 นาที"', *HEAD[6:],
               "[[steps]]", 'name_th = "ก"', 'standard = "2 ชั่วโมง"')  # fmt: skip
    assert warnings(data)[0].startswith(
        "m.toml:7: warning: the step standards add up to 2 ชั่วโมง, more than the total "
        "standard 90 นาที"
    )


@pytest.mark.parametrize(
    ("total", "step"),
    [
        ("10 นาที", "10 นาที"),  # equal is fine
        ("1 วัน", "2 วันทำการ"),  # not comparable: calendar vs working days
        ("30 นาที", "1 วันทำการ"),  # not comparable: minutes vs days
    ],
)
def test_no_warning_when_steps_fit_or_are_not_comparable(total: str, step: str) -> None:
    data = doc(*HEAD[:6], f'standard = "{total}"', *HEAD[6:],
               "[[steps]]", 'name_th = "ก"', f'standard = "{step}"')  # fmt: skip
    manual, problems = parse(data)
    assert manual is not None and problems == []


def test_unknown_day_kind_warns() -> None:
    data = doc(*HEAD[:6], 'standard = "14 วัน (ไม่ระบุ)"', *HEAD[6:])
    manual, problems = parse(data)
    assert manual is not None
    assert manual.standard == Duration(14, "day", "unknown")
    assert [p.line for p in problems] == [7]
    assert problems[0].severity == "warning"
    assert "working or calendar" in problems[0].message


def test_document_without_counts_warns() -> None:
    data = doc(*HEAD, "", "[[documents]]", 'name_th = "บัตร"', "", "[[documents]]",
               'name_th = "สำเนา"', "originals = 0")  # fmt: skip
    manual, problems = parse(data)
    assert manual is not None
    assert [str(p).split(" (")[0] for p in problems] == [
        "m.toml:12: warning: document 1",
        "m.toml:15: warning: document 2",
    ]
    assert manual.documents[0] == Document("บัตร")


def test_warnings_come_with_errors_too() -> None:
    data = doc(*HEAD[:6], 'standard = "14 วัน (ไม่ระบุ)"', "bogus = 1", *HEAD[6:])
    manual, problems = parse(data)
    assert manual is None
    assert [(p.line, p.severity) for p in problems] == [(7, "warning"), (8, "error")]


# ------------------------------------------------------------------------------------------
# JSON form and content hash
# ------------------------------------------------------------------------------------------


def test_json_round_trip() -> None:
    manual, _ = parse(VALID)
    assert manual is not None
    data = manual.to_json()
    text = json.dumps(data, ensure_ascii=False)
    again = Manual.from_json(json.loads(text))
    assert again == manual
    assert again.to_json() == data
    assert data["standard"] == "20 นาที"
    assert data["steps"][0]["standard"] == "5 นาที"


def test_json_round_trip_of_days_and_missing_values() -> None:
    data = doc(*HEAD[:6], 'standard = "14 วัน (ไม่ระบุ)"', "[fee]",
               'text = "ไม่พบข้อมูล"', "[[steps]]", 'name_th = "ก"',
               "[[documents]]", 'name_th = "บัตร"', 'when = "if"', 'condition = "ถ้ามี"')  # fmt: skip
    manual, _ = parse(data)
    assert manual is not None
    assert manual.fee.amount_thb is None
    assert Manual.from_json(json.loads(json.dumps(manual.to_json()))) == manual


def test_content_hash_is_stable_and_changes_with_a_step_time() -> None:
    manual, _ = parse(VALID)
    assert manual is not None
    again, _ = parse(VALID)
    assert again is not None
    assert manual.content_hash() == again.content_hash()
    assert re.fullmatch(r"[0-9a-f]{64}", manual.content_hash())

    changed = VALID.replace('standard = "10 นาที"'.encode(), 'standard = "12 นาที"'.encode())
    assert changed != VALID
    other, problems = parse(changed)
    assert other is not None and problems[0].severity == "warning"  # 22 > 20
    assert other.content_hash() != manual.content_hash()

    steps = list(manual.steps)
    steps[2] = replace(steps[2], standard=Duration(6, "minute"))
    assert replace(manual, steps=tuple(steps)).content_hash() != manual.content_hash()


def test_content_hash_ignores_comments_and_layout() -> None:
    manual, _ = parse(VALID)
    relaid = b"# another comment\n\n" + VALID.replace(b"\n[fee]\n", b"\n[ fee ]  # fee\n").replace(
        b'code = "', b'code="'
    )
    assert relaid.count(b"[ fee ]") == 1
    other, problems = parse(relaid)
    assert other is not None and problems == []
    assert manual is not None and other.content_hash() == manual.content_hash()


def test_problem_str() -> None:
    assert str(Problem("a.toml", 3, "error", "bad")) == "a.toml:3: error: bad"


def test_readme_example_is_valid() -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.DOTALL)
    assert block is not None
    manual, problems = parse_manual(block.group(1).encode("utf-8"), "README.md")
    assert problems == []
    assert manual is not None and manual.code == "SIGNBOARD_TAX"


# ------------------------------------------------------------------------------------------
# validate_paths
# ------------------------------------------------------------------------------------------


def test_validate_a_folder_and_duplicate_codes(tmp_path: Path) -> None:
    (tmp_path / "b.toml").write_bytes(VALID)
    (tmp_path / "a.toml").write_bytes(with_line(1, 'code = "OTHER_SERVICE"'))
    (tmp_path / "c.toml").write_bytes(b"\n\n" + VALID)  # b's code, two lines lower
    (tmp_path / "notes.txt").write_text("not a manual")
    check = validate_paths([tmp_path])
    assert [Path(name).name for name, _ in check.manuals] == ["a.toml", "b.toml"]
    assert check.has_errors
    assert [str(p) for p in check.problems] == [
        f"{tmp_path / 'c.toml'}:4: error: code 'TEST_SERVICE' is already used by "
        f"{tmp_path / 'b.toml'}; each service needs its own code — change one of them"
    ]


def test_validate_missing_path_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    check = validate_paths([missing, str(DATA / "valid_manual.toml")])
    assert check.has_errors
    assert len(check.manuals) == 1
    assert [(p.path, p.line, p.severity) for p in check.problems] == [(str(missing), 0, "error")]


def test_validate_empty_folder(tmp_path: Path) -> None:
    check = validate_paths([tmp_path])
    assert check.has_errors and check.problems[0].line == 0


def test_validate_same_file_twice_is_not_a_duplicate(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_bytes(VALID)
    check = validate_paths([tmp_path, tmp_path / "a.toml"])
    assert not check.has_errors and len(check.manuals) == 1


def test_validate_warnings_only_has_no_errors(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_bytes(doc(*HEAD, "[[documents]]", 'name_th = "บัตร"'))
    check = validate_paths([tmp_path])
    assert not check.has_errors
    assert check.warning_count == 1 and check.error_count == 0
    assert len(check.manuals) == 1


# ------------------------------------------------------------------------------------------
# key_lines and nearest_line
# ------------------------------------------------------------------------------------------


def test_key_lines_paths() -> None:
    text = "\n".join(
        [
            'code = "X"',  # 1
            "a.b = 1",  # 2
            '"q k" = { x = 1, y = { z = 2 } }',  # 3
            "arr = [",  # 4
            "  1,  # comment with key = 1",  # 5
            '  """',  # 6
            "fake = 1",  # 7
            '  """,',  # 8
            "]",  # 9
            "[fee]",  # 10
            "text = 'x'",  # 11
            "[[steps]]",  # 12
            "name_th = 1",  # 13
            "[[steps]]",  # 14
            "standard = 2",  # 15
            "[[steps.sub]]",  # 16
            "k = 3",  # 17
            '[ "t" . u ]',  # 18
            "v = 4",  # 19
        ]
    )
    lines = key_lines(text)
    assert lines[("code",)] == 1
    assert lines[("a", "b")] == 2 and lines[("a",)] == 2
    assert lines[("q k",)] == 3 and lines[("q k", "x")] == 3 and lines[("q k", "y", "z")] == 3
    assert lines[("arr",)] == 4 and lines[("arr", 0)] == 5 and lines[("arr", 1)] == 6
    assert ("fake",) not in lines
    assert lines[("fee",)] == 10 and lines[("fee", "text")] == 11
    assert lines[("steps",)] == 12
    assert lines[("steps", 0)] == 12 and lines[("steps", 0, "name_th")] == 13
    assert lines[("steps", 1)] == 14 and lines[("steps", 1, "standard")] == 15
    assert lines[("steps", 1, "sub", 0)] == 16 and lines[("steps", 1, "sub", 0, "k")] == 17
    assert lines[("t", "u")] == 18 and lines[("t", "u", "v")] == 19


def test_nearest_line() -> None:
    lines = {("steps",): 5, ("steps", 1): 9, ("steps", 1, "name_th"): 10}
    assert nearest_line(lines, ("steps", 1, "name_th")) == 10
    assert nearest_line(lines, ("steps", 1, "unit")) == 9
    assert nearest_line(lines, ("steps", 7)) == 5
    assert nearest_line(lines, ("other",)) == 1
    assert nearest_line(lines, ()) == 1


def test_key_lines_crlf() -> None:
    lines = key_lines('a = 1\r\n[fee]\r\ntext = "x"\r\n')
    assert lines == {("a",): 1, ("fee",): 2, ("fee", "text"): 3}


# ------------------------------------------------------------------------------------------
# Never raises
# ------------------------------------------------------------------------------------------


def check_contract(data: bytes) -> None:
    manual, problems = parse_manual(data, "f.toml")
    assert isinstance(problems, list)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.line >= 0
        assert problem.severity in ("error", "warning")
        assert problem.message
    if manual is not None:
        assert not any(p.severity == "error" for p in problems)
        assert Manual.from_json(json.loads(json.dumps(manual.to_json()))) == manual
    else:
        assert any(p.severity == "error" for p in problems)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    check_contract(data)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text: str) -> None:
    check_contract(text.encode("utf-8", "surrogatepass"))
    assert isinstance(key_lines(text), dict)


toml_fragments = st.lists(
    st.sampled_from(
        ["[", "]", "[[", "]]", "{", "}", "=", ".", ",", '"', "'", '"""', "'''", "\n", " ", "#",
         "a", "steps", "fee", "name_th", "1", "true", "\\", "x = ", "\r\n", "[steps]", "[[steps]]"]
    ),
    max_size=60,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(toml_fragments)
def test_toml_like_text_never_raises(text: str) -> None:
    lines = key_lines(text)
    assert all(isinstance(v, int) and v >= 1 for v in lines.values())
    check_contract(text.encode("utf-8"))


VALID_LINES = VALID.decode("utf-8").split("\n")


@st.composite
def mutated_valid(draw: st.DrawFn) -> bytes:
    lines = list(VALID_LINES)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "insert"]))
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            # swap the values of two lines (or the lines themselves when not key = value)
            a, b = lines[i].partition(" = "), lines[j].partition(" = ")
            if a[1] and b[1]:
                lines[i], lines[j] = a[0] + a[1] + b[2], b[0] + b[1] + a[2]
            else:
                lines[i], lines[j] = lines[j], lines[i]
        elif kind == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]))))]
        else:
            lines.insert(i, draw(st.sampled_from(
                ['standard = "0 นาที"', "[[steps]]", "[fee]", "x = 1", '"""', "copies = -1",
                 'when = "never"', "originals = 0", "[personal_data]", "steps = 3"])))  # fmt: skip
    return "\n".join(lines).encode("utf-8")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_valid())
def test_mutations_of_a_valid_file_never_raise(data: bytes) -> None:
    check_contract(data)
    text = data.decode("utf-8")
    total = text.count("\n") + 1
    for problem in parse_manual(data, "f.toml")[1]:
        assert 1 <= problem.line <= total


def _all_paths(obj: object, prefix: tuple = ()) -> list[tuple]:
    found: list[tuple] = []
    if isinstance(obj, dict):
        items = list(obj.items())
    elif isinstance(obj, list):
        items = list(enumerate(obj))
    else:
        return found
    for key, value in items:
        found.append(prefix + (key,))
        found.extend(_all_paths(value, prefix + (key,)))
    return found


toml_statements = st.lists(
    st.sampled_from(
        ["[a]", "[[a]]", "[a.b]", "[[a.b]]", "[[a.c]]", "a = 1", "b = [1,\n2]", "c = {x = 1}",
         "'q' = 2", '"r.s" = 3', "d.e = 4", "", 'm = """\nz = 1\n"""', "# c",
         "t = [{u = 1}, {v = 2}]", "w = '''\n[x]\n'''"]
    ),
    max_size=12,
).map("\n".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(toml_statements, mutated_valid().map(lambda b: b.decode("utf-8"))))
def test_key_lines_knows_every_key_tomllib_reads(text: str) -> None:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    lines = key_lines(text)
    assert [p for p in _all_paths(data) if p not in lines] == []
