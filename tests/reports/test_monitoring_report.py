"""The monitoring report: every target as of a date, numbers equal to the indicator engine's,
by goal area and department, rendered as PDF/HTML/XLSX in Chinese and English."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from ipobs.reports.monitoring import build_monitoring_report, value_text
from ipobs.reports.render import write
from pdfcheck import page_ink, pdf_text

AS_OF = "2022-12-31"
LEVEL_RULES = ("at_least", "at_most", "share_at_least")

pytestmark = pytest.mark.slow  # one plan evaluation (52 targets with series and forecasts)


@pytest.fixture(scope="module")
def built(rstore, tmp_path_factory):
    report, statuses = build_monitoring_report(rstore, AS_OF)
    out = tmp_path_factory.mktemp("mon")
    return report, statuses, write(report, out / "mon.pdf"), out


def test_monitoring_report_lists_every_target(built):
    from ipobs.plan import load_plan

    report, statuses, pdf, _ = built
    plan = load_plan("binhai-2019")
    assert [s["id"] for s in statuses] == [t.id for t in plan.targets]
    text = pdf_text(pdf)
    assert "一、总体情况" in text and "按责任部门" in text and "合成演示数据" in text
    for a in plan.areas:
        assert a.zh in text


def test_monitoring_report_values_equal_indicator_engine(built, rstore):
    from ipobs.indicators import compute

    report, statuses, pdf, _ = built
    text = pdf_text(pdf)
    checked = 0
    for s in statuses:
        if s["value"] is None or s["rule"] not in LEVEL_RULES:
            continue
        assert compute(rstore, s["indicator"], AS_OF).value == pytest.approx(s["value"]), s["id"]
        assert value_text(s["value"], s["unit"]) in text, s["id"]
        checked += 1
    assert checked >= 2


def test_monitoring_report_status_counts(built):
    report, statuses, _, _ = built
    summary = report.sections[0]
    by_area = next(b for b in summary.blocks if b.type == "table")
    assert sum(r["targets"] for r in by_area.rows) == len(statuses)
    assert sum(r["no_data"] for r in by_area.rows) == sum(s["status"] == "no_data" for s in statuses)


def test_monitoring_report_pages_not_blank(built, tmp_path):
    assert page_ink(built[2], 1, tmp_path) > 0.01
    assert page_ink(built[2], 2, tmp_path) > 0.01


def test_monitoring_report_xlsx_has_chart_numbers(built):
    report, statuses, _, out = built
    wb = load_workbook(write(report, out / "mon.xlsx"))
    assert len(wb.sheetnames) == 1 + len(report.sections)
    with_series = next(s for s in statuses if sum(p["value"] is not None for p in s["series"]) >= 2)
    cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert with_series["id"] in cells


def test_monitoring_report_english_from_same_statuses(built, rstore, tmp_path):
    statuses = built[1]
    report, _ = build_monitoring_report(rstore, AS_OF, lang="en", statuses=statuses)
    text = write(report, tmp_path / "en.html").read_text(encoding="utf-8")
    assert "1. Summary" in text and "By department" in text and "SYNTHETIC" in text
