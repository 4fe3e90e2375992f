"""The search commands: JSON output, exit 2 with the position on a bad query, xlsx, index, similar."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ipobs.cli import app

runner = CliRunner()


@pytest.fixture()
def db(corpus_store):
    path = corpus_store.path
    corpus_store.close()
    return str(path)


def test_cli_search_json(db):
    r = runner.invoke(app, ["search", "锂电池 ipc:H01M", "--db", db, "--format", "json", "--per-page", "2"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["total"] == 5 and len(d["hits"]) == 2
    assert set(d["hits"][0]) >= {"id", "title", "score", "snippet"} and "<mark>" in d["hits"][0]["snippet"]
    assert {"year", "kind", "ipc", "applicant", "region", "status"} == set(d["facets"])


def test_cli_search_bad_query_exits_2_with_position(db):
    r = runner.invoke(app, ["search", "title:(锂电池 OR 钠电池", "--db", db])
    assert r.exit_code == 2
    assert "Error: 查询语法错误 at position 7: unbalanced parenthesis: this '(' is never closed" in r.stderr
    assert "      ^" in r.stderr


def test_cli_search_sql_fragment_exits_2(db):
    r = runner.invoke(app, ["search", "'; DROP TABLE patent; --", "--db", db])
    assert r.exit_code == 2 and "查询语法错误 at position 1" in r.stderr


def test_cli_search_table_and_xlsx(db, tmp_path):
    r = runner.invoke(app, ["search", "无人机", "--db", db])
    assert r.exit_code == 0 and "1 patents for 无人机" in r.stdout and "【无人机】" in r.stdout
    out = tmp_path / "hits.xlsx"
    r = runner.invoke(app, ["search", "电池", "--db", db, "--format", "xlsx", "-o", str(out)])
    assert r.exit_code == 0, r.output
    from openpyxl import load_workbook

    wb = load_workbook(out)
    assert wb.sheetnames == ["检索结果 hits", "分面 facets", "检索式 query"]
    assert wb["检索结果 hits"].max_row == 1 + 8


def test_cli_search_missing_db_and_bad_format(tmp_path):
    r = runner.invoke(app, ["search", "电池", "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code == 2 and "no database at" in r.stderr
    r = runner.invoke(app, ["search", "电池", "--db", str(tmp_path / "x.duckdb"), "--format", "xlsx"])
    assert r.exit_code == 2 and "needs -o" in r.stderr


def test_cli_index_and_similar(db):
    r = runner.invoke(app, ["index", "--db", db, "--rebuild"])
    assert r.exit_code == 0 and "14 patents" in r.stdout
    r = runner.invoke(app, ["index", "--db", db])
    assert r.exit_code == 0 and "up to date" in r.stdout
    r = runner.invoke(app, ["similar", "CN201810000005", "--db", db, "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["source"] == "CN201810000005"
    r = runner.invoke(app, ["similar", "--text", "无人机 避障", "--db", db])
    assert r.exit_code == 0 and "CN201810000005" in r.stdout
    r = runner.invoke(app, ["similar", "CN000", "--db", db])
    assert r.exit_code == 2 and "no patent 'CN000'" in r.stderr


def test_cli_search_save(db):
    r = runner.invoke(app, ["search", "电池", "--db", db, "--save", "电池全部"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["search", "检索式:电池全部", "--db", db, "--format", "json"])
    assert json.loads(r.stdout)["total"] == 8
