"""Statistics to publish: every number recomputed independently from ``report visits``."""

from __future__ import annotations

import io
import json
import statistics
from datetime import date

import pytest
from support.actors import admin_id
from support.office import minutes_after as at
from support.office import serve_two_visits

from counter_tui.printing import report_formats as out
from counter_tui.services.reports import stats_report, visit_rows

LATER = at(3 * 24 * 60)


@pytest.fixture
def served(db):
    """The two visits of ``support.office.serve_two_visits``."""
    return serve_two_visits(db)


def p90(values):
    """Excel's PERCENTILE.INC, independently: statistics.quantiles' inclusive method."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def test_totals_and_services_recompute_from_report_visits(served):
    report = stats_report(served.id, "year", None, None, LATER, actor_id=admin_id(served.id))
    assert report["period"]["from"] == "2026-10-01" and report["period"]["to"] == "2027-09-30"
    assert report["period"]["label"] == "ปีงบประมาณ พ.ศ. 2570"
    rows = visit_rows(served.id, date(2026, 10, 1), date(2027, 9, 30), LATER)
    totals = report["totals"]
    assert totals["requests"] == len(rows) == 3
    finished = [r["service_seconds"] for r in rows if r["finished_at"]]
    assert totals["median_service_seconds"] == round(statistics.median(finished), 1)
    assert totals["p90_service_seconds"] == round(p90(sorted(finished)), 1)
    verdicts = [r["on_time"] for r in rows if r["on_time"] is not None]
    assert totals["on_time_pct"] == round(100 * sum(verdicts) / len(verdicts), 1)
    waits = [r["wait_seconds"] for r in rows if r["wait_seconds"] is not None]
    assert totals["median_wait_seconds"] == round(statistics.median(waits), 1)
    assert totals["documents_requested"] == sum(r["deficiency"] for r in rows) == 1
    assert totals["channels"] == {"walk_in": 3}
    for code, figures in report["services"].items():
        mine = [r for r in rows if r["service"] == code]
        assert figures["requests"] == len(mine)
        assert figures["outcomes"] == dict(
            sorted(
                {
                    o: sum(1 for r in mine if (r["outcome"] or "open") == o)
                    for o in {r["outcome"] or "open" for r in mine}
                }.items()
            )
        )
    assert set(report["units"]) == {r["unit"] for r in rows}
    assert report["sample_standards"] is True and report["draft"] is True


def test_quarter_and_fiscal_year_boundaries(served):
    q1 = stats_report(
        served.id, "quarter", 2570, date(2026, 11, 24), LATER, actor_id=admin_id(served.id)
    )
    assert (q1["period"]["from"], q1["period"]["to"]) == ("2026-10-01", "2026-12-31")
    assert q1["totals"]["requests"] == 3
    previous = stats_report(served.id, "year", 2569, None, LATER, actor_id=admin_id(served.id))
    assert previous["period"]["to"] == "2026-09-30" and previous["totals"]["requests"] == 0
    month = stats_report(
        served.id, "month", 2570, date(2026, 10, 31), LATER, actor_id=admin_id(served.id)
    )
    assert month["totals"]["requests"] == 0
    from counter_tui.errors import UserError

    with pytest.raises(UserError, match="not in fiscal year 2569"):
        stats_report(
            served.id, "month", 2569, date(2026, 10, 1), LATER, actor_id=admin_id(served.id)
        )


def test_formats(served, tmp_path):
    report = stats_report(served.id, "year", None, None, LATER, actor_id=admin_id(served.id))
    stream = io.StringIO()
    out.write_csv(report, stream)
    assert stream.getvalue().startswith("\ufeff") and "ปีงบประมาณ พ.ศ. 2570" in stream.getvalue()
    stream = io.StringIO()
    out.write_json(report, stream)
    assert set(json.loads(stream.getvalue())) == {
        "office",
        "period",
        "sample_standards",
        "draft",
        "totals",
        "services",
        "units",
        "officers",
    }
    path = tmp_path / "stats.xlsx"
    out.write_xlsx(report, str(path))
    from openpyxl import load_workbook

    book = load_workbook(path)
    assert book.sheetnames == ["รวมทั้งสำนักงาน", "รายบริการ", "รายหน่วยงาน", "รายเจ้าหน้าที่"]
    cells = [c.value for row in book["รายบริการ"].iter_rows() for c in row if c.value]
    assert any("ปีงบประมาณ พ.ศ. 2570" in str(c) for c in cells)
    assert any("ร่าง" in str(c) for c in cells) and "SIGNBOARD_TAX" in cells
    assert "คำขอ" in cells


def test_cli_stats(cli, db_url, tmp_path):
    result = cli("--database", db_url, "report", "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["totals"]["requests"] == 0
    need_out = cli("--database", db_url, "report", "stats", "--format", "xlsx")
    assert need_out.returncode == 1 and "--out" in need_out.stderr
    xlsx = cli(
        "--database",
        db_url,
        "report",
        "stats",
        "--format",
        "xlsx",
        "--out",
        str(tmp_path / "s.xlsx"),
    )
    assert xlsx.returncode == 0 and (tmp_path / "s.xlsx").stat().st_size > 1000


def test_pdf_is_a4_landscape_thai_with_the_be_period_and_page_numbers(served, tmp_path):
    import pypdf

    from counter_tui.printing.stats_pdf import stats_pdf

    report = stats_report(served.id, "year", None, None, LATER, actor_id=admin_id(served.id))
    reader = pypdf.PdfReader(stats_pdf(report, tmp_path / "stats.pdf"))
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    assert round(float(page.mediabox.width)) == 842  # A4
    text = "".join(p.extract_text() for p in reader.pages)
    for expected in (
        "สถิติการให้บริการ ปีงบประมาณ พ.ศ. 2570",
        "สำนักงานตัวอย่าง",
        "ร่าง",
        "รายบริการ",
        "SIGNBOARD_TAX",
        f"หน้า 1/{len(reader.pages)}",
    ):
        assert expected in text, expected
