"""`ipobs analyze`, `ipobs portfolios`, `ipobs report navigation`: thin commands over the services."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ipobs.cli import app

runner = CliRunner()


def test_cli_analyze_json(mini_db):
    r = runner.invoke(app, ["analyze", "ipc:G06F", "--db", str(mini_db[0]), "--as-of", "2024-12-31",
                            "--sections", "overview,trends", "--format", "json"])
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    assert [s["id"] for s in body["sections"]] == ["overview", "trends"]
    assert body["sections"][0]["facts"]["patents"] == 53


def test_cli_analyze_bad_industry(mini_db):
    r = runner.invoke(app, ["analyze", "industry:bogus", "--db", str(mini_db[0])])
    assert r.exit_code == 2
    assert "Error: unknown industry 'bogus'; known: next_gen_it" in r.output


def test_cli_portfolios(mini_db):
    r = runner.invoke(app, ["portfolios", "--db", str(mini_db[0]), "--as-of", "2024-12-31"])
    assert r.exit_code == 0 and "HV1" in r.stdout


def test_cli_report_navigation_needs_a_set_and_a_known_format(mini_db, tmp_path):
    r = runner.invoke(app, ["report", "navigation", "-o", str(tmp_path / "x.pdf"), "--db", str(mini_db[0])])
    assert r.exit_code == 2 and "--query, --ipc, --industry, --entity or --set" in r.output
    r = runner.invoke(app, ["report", "navigation", "--ipc", "H01M", "-o", str(tmp_path / "x.docx"), "--db", str(mini_db[0])])
    assert r.exit_code == 2 and "must end in .pdf, .html or .xlsx" in r.output


def test_cli_report_navigation_html(mini_db, tmp_path):
    out = tmp_path / "nav.html"
    r = runner.invoke(app, ["report", "navigation", "--ipc", "H01M", "-o", str(out), "--db", str(mini_db[0]),
                            "--as-of", "2024-12-31"])
    assert r.exit_code == 0, r.output
    assert "发展路径建议" in out.read_text(encoding="utf-8")
