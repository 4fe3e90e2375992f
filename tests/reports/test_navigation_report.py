"""The navigation report: its numbers are the analytics API's, in PDF text, HTML and XLSX; pages are not blank."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from pdfcheck import page_ink, pdf_text
from ipobs.analytics.navigation import section
from ipobs.reports.model import fmt
from ipobs.reports.navigation import build_navigation_report
from ipobs.reports.render import render, write

AS_OF = "2024-12-31"
HEADINGS_ZH = ["一、导航范围", "二、数据与方法", "三、产业发展现状", "四、区域产业定位", "五、重点创新主体", "六、技术聚类",
               "七、专利价值", "八、技术空白点", "九、发展路径建议"]


@pytest.fixture(scope="module")
def built(rstore, tmp_path_factory):
    report, analysis = build_navigation_report(rstore, "ipc:A,B,G,H", AS_OF)
    out = tmp_path_factory.mktemp("nav")
    pdf = write(report, out / "nav.pdf")
    return report, analysis, pdf, out


def test_navigation_report_pdf_has_every_section(built):
    text = pdf_text(built[2])
    for h in HEADINGS_ZH:
        assert h in text
    assert "合成演示数据" in text


def test_navigation_report_pdf_numbers_equal_analysis(built, rstore):
    from ipobs.analytics.api import router  # the API serves the same analyze() result
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    app = FastAPI()
    app.state.store = rstore
    app.include_router(router)
    api = TestClient(app).get("/api/analytics", params={"set": "ipc:A,B,G,H", "as_of": AS_OF}).json()
    text = pdf_text(built[2])
    ov = section(api, "overview")["facts"]
    top = section(api, "applicants")["tables"]["top"][0]
    spot = section(api, "blank_spots")["tables"]["spots"][0]
    assert f"{ov['patents']:,}" in text and fmt(ov["region_share"], "pct") in text
    assert fmt(section(api, "applicants")["facts"]["cr4"], "pct") in text
    line = next(ln for ln in text.splitlines() if top["name"] in ln and fmt(top["share"], "pct") in ln)
    assert f" {top['applications']} " in f" {line} "
    assert any(spot["code"] in ln and "absent" in ln for ln in text.splitlines())


def test_navigation_report_recommendations_left_to_the_analyst(built):
    rec = built[0].sections[-1]
    assert [b.type for b in rec.blocks] == ["guidance"]
    assert "由分析人员撰写" in rec.blocks[0].text


def test_navigation_report_pages_not_blank(built, tmp_path):
    assert page_ink(built[2], 1, tmp_path) > 0.01
    assert page_ink(built[2], 3, tmp_path) > 0.01


def test_navigation_report_xlsx_sheet_per_section(built, tmp_path):
    report, analysis = built[0], built[1]
    path = write(report, tmp_path / "nav.xlsx")
    wb = load_workbook(path)
    assert len(wb.sheetnames) == 1 + len(report.sections)
    players = wb[wb.sheetnames[5]]
    values = [c.value for row in players.iter_rows() for c in row]
    top = section(analysis, "applicants")["tables"]["top"][0]
    assert top["name"] in values and top["applications"] in values


def test_navigation_report_english(rstore, tmp_path):
    report, _ = build_navigation_report(rstore, "ipc:H01M", AS_OF, lang="en")
    text = pdf_text(write(report, tmp_path / "en.pdf"))
    assert "1. Scope" in text and "9. Recommendations" in text and "SYNTHETIC" in text


def test_navigation_report_empty_set_still_renders(rstore, tmp_path):
    report, analysis = build_navigation_report(rstore, "ipc:Z99", AS_OF)
    assert analysis["set"]["size"] == 0
    text = pdf_text(write(report, tmp_path / "empty.pdf"))
    assert "集合为空" in text and "九、发展路径建议" in text
    assert render(report, "xlsx")[:2] == b"PK"
