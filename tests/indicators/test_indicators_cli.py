"""The CLI: thin commands over compute / records / export."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ipobs.cli import app

runner = CliRunner()


def test_cli_indicator_value(tiny_db):
    r = runner.invoke(app, ["indicator", "valid_patents", "--as-of", "2021-12-31", "--db", str(tiny_db)])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[:2] == ["有效专利量 / valid patents — as of 2021-12-31, region 120116", "value: 7 件"]


def test_cli_indicator_json_missing(tiny_db):
    r = runner.invoke(app, ["indicator", "inventions_per_10k", "--as-of", "2019-12-31", "--format", "json",
                            "--db", str(tiny_db)])
    d = json.loads(r.output)
    assert d["value"] is None and d["missing"] == "no population figure for region 120116 in 2019 (region_fact)"


def test_cli_indicator_records_csv_with_setting(tiny_db):
    r = runner.invoke(app, ["indicator", "hv_portfolios_qualified", "--as-of", "2021-12-31", "--records", "--format",
                            "csv", "--setting", "portfolio_min_inventions=3", "--setting", "portfolio_min_pct=2",
                            "--db", str(tiny_db)])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith("item_id,name,") and lines[1].startswith("P5,电池组合,")
    assert lines[1].endswith(",4,3,2,True")


def test_cli_indicator_errors(tiny_db):
    r = runner.invoke(app, ["indicator", "valid_patent", "--as-of", "2021-12-31", "--db", str(tiny_db)])
    assert r.exit_code == 2 and "Error: unknown indicator 'valid_patent'; known: " in r.output
    r = runner.invoke(app, ["indicator", "valid_patents", "--as-of", "2021-31-12", "--db", str(tiny_db)])
    assert r.exit_code == 2 and "Error: not a date: '2021-31-12' (use YYYY-MM-DD)" in r.output


def test_cli_indicators_list_json():
    r = runner.invoke(app, ["indicators", "list", "--format", "json"])
    ids = {d["id"] for d in json.loads(r.output)}
    assert {"valid_patents", "hv_inventions_per_10k", "ms_think_tank"} <= ids


def test_cli_export_parquet(tiny_db, tmp_path):
    import pandas as pd

    r = runner.invoke(app, ["export", "--parquet", str(tmp_path / "pq"), "--db", str(tiny_db)])
    assert r.exit_code == 0, r.output
    assert len(pd.read_parquet(tmp_path / "pq" / "patent.parquet")) == 12
    assert len(pd.read_parquet(tmp_path / "pq" / "copyright.parquet")) == 0


def test_cli_plan_show_and_validate(tmp_path):
    r = runner.invoke(app, ["plan", "show", "--format", "json"])
    d = json.loads(r.output)
    assert d["doc_no"] == "津滨政发〔2019〕26号" and len(d["tasks"]) == 26
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    r = runner.invoke(app, ["plan", "validate", str(bad)])
    assert r.exit_code == 1
    assert r.output.splitlines()[0] == "Error: bad.yaml line 1: missing required field 'zh'"
