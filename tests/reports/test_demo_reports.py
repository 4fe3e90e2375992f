"""Both reports from the demo database (the session's demo store), in Chinese and English:
numbers equal the analytics API's and the indicator engine's."""

from __future__ import annotations

import pytest

from ipobs.analytics.navigation import analyze, section
from ipobs.reports.model import fmt
from ipobs.reports.monitoring import build_monitoring_report, value_text
from ipobs.reports.navigation import build_navigation_report
from ipobs.reports.render import write
from pdfcheck import page_ink, pdf_text

pytestmark = pytest.mark.slow


def test_demo_navigation_report_zh_and_en(demo_store, tmp_path):
    report, analysis = build_navigation_report(demo_store, "industry:nev", "2024-12-31")
    pdf = write(report, tmp_path / "nav.pdf")
    text = pdf_text(pdf)
    direct = analyze(demo_store, "industry:nev", as_of="2024-12-31", sections=["overview", "applicants"])
    ov = section(direct, "overview")["facts"]
    assert f"{ov['patents']:,}" in text and f"{ov['valid']:,}" in text and fmt(ov["region_share"], "pct") in text
    top = section(direct, "applicants")["tables"]["top"][0]
    assert top["name"] in text
    assert "合成演示数据" in text and page_ink(pdf, 1, tmp_path) > 0.01
    en, _ = build_navigation_report(demo_store, "industry:nev", "2024-12-31", lang="en")
    html = write(en, tmp_path / "nav.html").read_text(encoding="utf-8")
    assert "3. Industry landscape" in html and "SYNTHETIC" in html


def test_demo_monitoring_report_values_equal_indicators(demo_store, tmp_path):
    from ipobs.indicators import compute

    report, statuses = build_monitoring_report(demo_store, "2022-12-31")
    pdf = write(report, tmp_path / "mon.pdf")
    text = pdf_text(pdf)
    checked = 0
    for s in statuses:
        if s["value"] is None or s["rule"] not in ("at_least", "at_most", "share_at_least"):
            continue
        assert compute(demo_store, s["indicator"], "2022-12-31").value == pytest.approx(s["value"]), s["id"]
        assert value_text(s["value"], s["unit"]) in text, s["id"]
        checked += 1
    assert checked >= 5
    assert page_ink(pdf, 2, tmp_path) > 0.01
    en, _ = build_monitoring_report(demo_store, "2022-12-31", lang="en", statuses=statuses)
    html = write(en, tmp_path / "mon.html").read_text(encoding="utf-8")
    assert "1. Summary" in html and "SYNTHETIC" in html
