"""A supervisor's scope is their units, in every supervisor read (issue 11, item 2).

One office, two units, each with its own counter, officer, service, tickets (a skip, an
out-of-order call and a recall, each with a reason), a rating and a case. The supervisor of
unit A reads the dashboard, the cases list, the statistics (and their CSV/XLSX) and the visits
export: nothing of unit B may appear in any of them — its officer, counter, service, unit,
reasons, ticket and application numbers, or its counts. The ปลัด (a supervisor marked
``all_units``) and an admin see both units.
"""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from conftest import FIXED_NOW
from support.actors import add_admin, admin_id

from counter_tui.db import models as m
from counter_tui.errors import UserError
from counter_tui.printing import report_formats as out
from counter_tui.printing.report_sections import SCOPED_TOTALS_TH
from counter_tui.services import cases as cs
from counter_tui.services import counters as ct
from counter_tui.services import queue as q
from counter_tui.services import staff as st
from counter_tui.services import survey
from counter_tui.services import visit as v
from counter_tui.services.dashboard import dashboard
from counter_tui.services.reports import iter_visit_rows, stats_report, visit_rows, write_visits

TODAY = FIXED_NOW.date()
UNIT_A, UNIT_B = "กองช่าง", "กองสาธารณสุขและสิ่งแวดล้อม"
# Both multi-day services under the Act: accepting one opens a case.
CODE_A, CODE_B = "BUILDING_PERMIT_S21", "HEALTH_HAZARD_LICENSE"
LATER = FIXED_NOW + timedelta(days=35)  # both cases overdue: on the dashboard's case list


def at(minutes: float):
    return FIXED_NOW + timedelta(minutes=minutes)


def _unit_day(
    office_id: int,
    unit: str,
    code: str,
    counter_name: str,
    officer_name: str,
    tag: str,
    rating: int,
    start: float,
) -> SimpleNamespace:
    officer = st.add_staff(
        office_id, officer_name, "officer", "1234", FIXED_NOW, [unit], actor_id=admin_id(office_id)
    )
    counter = ct.add_counter(
        office_id, counter_name, unit, [code], FIXED_NOW, actor_id=admin_id(office_id)
    )
    ct.open_counter(office_id, counter.id, officer.id, at(start))
    tickets = [q.issue_ticket(office_id, code, at(start + i)) for i in range(3)]
    c, o = counter.id, officer.id
    reasons = (f"ผู้ขอไม่อยู่ที่จุดบริการ {tag}", f"ผู้สูงอายุรอนาน {tag}", f"ผู้ขอไม่ได้ยินเสียงเรียก {tag}")
    assert q.call_next(office_id, c, o, at(start + 10)).number == tickets[0].number
    q.skip(office_id, c, o, reasons[0], at(start + 11))
    q.call_ticket(office_id, c, o, tickets[2].number, reasons[1], at(start + 12))  # out of order
    q.recall(office_id, c, o, reasons[2], at(start + 13))
    q.start_serving(office_id, c, o, at(start + 14))
    v.finish_application(office_id, c, o, "accepted", at(start + 20))  # opens a case
    survey.rate(office_id, tickets[2].id, o, rating, at(start + 20))
    service = m.Service.get((m.Service.code == code) & m.Service.is_current)
    return SimpleNamespace(
        unit=unit,
        code=code,
        officer=officer.name,
        counter=counter.name,
        reasons=reasons,
        tickets=[t.number for t in tickets],
        service_name=service.name_th,
        application=tickets[2].application_number,
    )


@pytest.fixture
def office(db):
    a = _unit_day(db.id, UNIT_A, CODE_A, "ช่อง 1", "ประภา ทองมา", "หน่วยก", 5, 0)
    b = _unit_day(db.id, UNIT_B, CODE_B, "ช่อง 7", "ชวน ทองมาก", "หน่วยข", 1, 1)
    staff = SimpleNamespace(
        supervisor=st.add_staff(
            db.id,
            "หัวหน้า ช่างใหญ่",
            "supervisor",
            "1234",
            FIXED_NOW,
            [UNIT_A],
            actor_id=admin_id(db.id),
        ),
        palat=st.add_staff(
            db.id,
            "ปลัด ดูแลทั่ว",
            "supervisor",
            "1234",
            FIXED_NOW,
            ["สำนักปลัด"],
            all_units=True,
            actor_id=admin_id(db.id),
        ),
        admin=add_admin(db.id, "ผู้ดูแล ระบบ", "1234"),
    )
    return SimpleNamespace(id=db.id, a=a, b=b, staff=staff)


def _markers(unit: SimpleNamespace) -> list[str]:
    """Every text that belongs to one unit only."""
    return [
        unit.unit,
        unit.code,
        unit.service_name,
        unit.officer,
        unit.counter,
        *unit.reasons,
        *unit.tickets,
    ]


def _text(value) -> str:
    if dataclasses.is_dataclass(value):
        value = dataclasses.asdict(value)
    elif isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
        value = [dataclasses.asdict(x) for x in value]
    return json.dumps(value, ensure_ascii=False, default=str)


def _absent(text: str, unit: SimpleNamespace) -> None:
    found = [marker for marker in _markers(unit) if marker in text]
    assert not found, f"another unit's data leaked: {found}"


def _present(text: str, unit: SimpleNamespace) -> None:
    """The unit's names and reasons (the dashboard shows no waiting ticket's number)."""
    missing = [marker for marker in _markers(unit)[: -len(unit.tickets)] if marker not in text]
    assert not missing, f"missing: {missing}"


def test_the_scope_is_decided_in_one_place(office):
    s = office.staff
    assert st.unit_scope(s.supervisor) == (UNIT_A,)
    assert st.unit_scope(s.palat) is None and s.palat.all_units
    assert st.unit_scope(s.admin) is None
    # what sign-in and the staff list give carry the mark as well
    assert st.sign_in(office.id, "ปลัด ดูแลทั่ว", "1234", FIXED_NOW).all_units
    assert not st.sign_in(office.id, "หัวหน้า ช่างใหญ่", "1234", FIXED_NOW).all_units
    assert {x.name: x.all_units for x in st.list_staff(office.id)}["ปลัด ดูแลทั่ว"] is True
    assert st.get_staff(s.palat.id).all_units and not st.get_staff(s.admin.id).all_units


def test_all_units_is_for_a_supervisor_and_frees_them_from_naming_a_unit(db):
    with pytest.raises(UserError, match="--all-units"):
        st.add_staff(
            db.id,
            "เจ้าหน้าที่ ทั่วไป",
            "officer",
            "1234",
            FIXED_NOW,
            ["กองคลัง"],
            all_units=True,
            actor_id=admin_id(db.id),
        )
    with pytest.raises(UserError, match="--unit"):  # a unit supervisor still needs a unit
        st.add_staff(
            db.id, "หัวหน้า ไม่มีหน่วย", "supervisor", "1234", FIXED_NOW, actor_id=admin_id(db.id)
        )
    palat = st.add_staff(
        db.id,
        "ปลัด ไม่มีหน่วย",
        "supervisor",
        "1234",
        FIXED_NOW,
        all_units=True,
        actor_id=admin_id(db.id),
    )
    assert palat.units == () and st.unit_scope(palat) is None


def test_a_unit_supervisor_sees_nothing_of_another_unit_on_the_dashboard(office):
    scope = st.unit_scope(office.staff.supervisor)
    board = dashboard(office.id, at(40), scope, actor_id=admin_id(office.id))
    _absent(_text(board), office.b)
    assert [o.officer for o in board.officers] == [office.a.officer]
    mine = board.officers[0]
    assert (mine.out_of_order, mine.skips, mine.recalls) == (1, 1, 1)
    assert sorted(mine.reasons) == sorted(office.a.reasons)
    assert [c.name for c in board.counters] == [office.a.counter]
    assert [(w.service, w.waiting) for w in board.waiting] == [(CODE_A, 2)]
    assert sum(board.arrivals_per_hour) == 3
    t = board.today
    assert (t["requests"], t["out_of_order_calls"], t["rating_count"], t["rating_mean"]) == (
        3,
        1,
        1,
        5,
    )
    later = dashboard(office.id, LATER, scope, actor_id=admin_id(office.id))
    assert [c.application for c in later.cases] == [office.a.application]
    _absent(_text(later), office.b)


@pytest.mark.parametrize("who", ["palat", "admin"])
def test_the_palat_and_an_admin_see_every_unit_on_the_dashboard(office, who):
    scope = st.unit_scope(getattr(office.staff, who))
    board = dashboard(office.id, at(40), scope, actor_id=admin_id(office.id))
    for unit in (office.a, office.b):
        _present(_text(board), unit)
    assert [o.officer for o in board.officers] == sorted([office.a.officer, office.b.officer])
    assert board.today["requests"] == 6 and board.today["rating_count"] == 2
    assert sum(board.arrivals_per_hour) == 6
    later = dashboard(office.id, LATER, scope, actor_id=admin_id(office.id))
    assert sorted(c.application for c in later.cases) == sorted(
        [office.a.application, office.b.application]
    )


def test_the_cases_list_is_the_supervisors_units_only(office):
    for which in cs.FILTERS:
        mine = cs.list_cases(
            office.id,
            LATER,
            which,
            st.unit_scope(office.staff.supervisor),
            actor_id=admin_id(office.id),
        )
        assert [c.application for c in mine] == [office.a.application], which
        _absent(_text(mine), office.b)
        for who in ("palat", "admin"):
            every = cs.list_cases(
                office.id,
                LATER,
                which,
                st.unit_scope(getattr(office.staff, who)),
                actor_id=admin_id(office.id),
            )
            assert sorted(c.application for c in every) == sorted(
                [office.a.application, office.b.application]
            ), (which, who)


def test_the_statistics_and_their_exports_are_the_supervisors_units_only(office, tmp_path):
    scope = st.unit_scope(office.staff.supervisor)
    report = stats_report(
        office.id, "month", None, None, at(60), True, scope, actor_id=admin_id(office.id)
    )
    whole = stats_report(
        office.id,
        "month",
        None,
        None,
        at(60),
        True,
        st.unit_scope(office.staff.admin),
        actor_id=admin_id(office.id),
    )
    _absent(_text(report), office.b)
    assert report["scope"] == [UNIT_A] and UNIT_A in report["office"]
    assert list(report["units"]) == [UNIT_A] and list(report["officers"]) == [office.a.officer]
    assert list(report["services"]) == [CODE_A]
    # unit A's own figures, exactly as the whole office's report gives them for unit A
    assert report["totals"] == whole["units"][UNIT_A]
    assert report["totals"]["requests"] == 3 and whole["totals"]["requests"] == 6
    assert "scope" not in whole and list(whole["units"]) == sorted([UNIT_A, UNIT_B])
    assert all(name in _text(whole) for name in (UNIT_B, CODE_B, office.b.officer))
    assert st.unit_scope(office.staff.palat) is None  # the ปลัด's report is the whole one

    stream = io.StringIO()
    out.write_csv(report, stream)
    _absent(stream.getvalue(), office.b)
    assert office.a.officer in stream.getvalue()
    path = tmp_path / "stats.xlsx"
    out.write_xlsx(report, str(path))
    from openpyxl import load_workbook

    book = load_workbook(path)
    cells = " ".join(
        str(c.value)
        for sheet in book
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None
    )
    _absent(cells, office.b)
    # the totals are not titled as the whole office's
    assert SCOPED_TOTALS_TH in book.sheetnames and "รวมทั้งสำนักงาน" not in book.sheetnames
    import pypdfium2

    from counter_tui.printing.stats_pdf import stats_pdf

    stats_pdf(report, str(tmp_path / "stats.pdf"))
    document = pypdfium2.PdfDocument(str(tmp_path / "stats.pdf"))
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    flat = "".join(text.split())  # names without marks above or below: the PDF's text
    # layer moves those (a PDF problem of its own, not this test's)
    assert "".join(office.a.officer.split()) in flat and SCOPED_TOTALS_TH in flat
    assert "".join(office.b.officer.split()) not in flat and UNIT_B not in flat


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_visits_export_is_the_supervisors_units_only(office, fmt):
    scope = st.unit_scope(office.staff.supervisor)
    rows = visit_rows(office.id, TODAY, TODAY, at(60), units=scope)
    assert len(rows) == 3 and {r["unit"] for r in rows} == {UNIT_A}
    assert {r["officer"] for r in rows if r["officer"]} == {office.a.officer}
    stream = io.StringIO()
    count = write_visits(iter_visit_rows(office.id, TODAY, TODAY, at(60), units=scope), fmt, stream)
    assert count == 3
    _absent(stream.getvalue(), office.b)
    every = io.StringIO()
    assert (
        write_visits(
            iter_visit_rows(
                office.id, TODAY, TODAY, at(60), units=st.unit_scope(office.staff.palat)
            ),
            fmt,
            every,
        )
        == 6
    )
    for unit in (office.a, office.b):
        assert unit.officer in every.getvalue() and unit.reasons[0] in every.getvalue()
