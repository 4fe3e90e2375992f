"""``import_file`` and ``ipobs import``: summaries, history, re-imports, rejects workbook, CLI."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from cn_fixtures import HEADER, app, rows, write_csv, write_xlsx
from ipobs.cli import app as cli
from ipobs.sources.importer import ImportFailed, import_file, write_rejects

runner = CliRunner()


def accounted(s) -> bool:
    return s.accepted + s.updated + s.duplicate + s.rejected == s.data_rows


def test_same_file_twice_adds_nothing(store, tmp_path):
    path = write_csv(tmp_path / "a.csv", rows())
    first = import_file(store, path)
    again = import_file(store, path)
    assert (again.status, again.duplicate, again.accepted) == ("duplicate_file", 3, 0)
    assert "already imported as batch" in again.message and first.batch_id != again.batch_id
    assert store.count("patent") == 3


def test_same_patent_from_two_exports_is_one_record_with_status_history(store, tmp_path):
    h = ["申请号", "申请日", "公开（公告）号", "发明名称", "申请人", "当前法律状态", "授权公告日", "法律状态更新时间"]
    body = "201910012345"
    e1 = write_csv(tmp_path / "incopat_2020.csv", [[f"CN{app(body)}", "2019-01-02", "CN110000001A", "一种锂电池隔膜",
                                                     "甲公司", "实质审查", "", ""]], header=h)
    e2 = write_csv(tmp_path / "patsnap_2022.csv", [[f"ZL{body}", "2019/1/2", "CN110000001A", "一种锂电池隔膜",
                                                     "甲公司", "授权", "2021-03-04", ""]], header=h)
    e3 = write_csv(tmp_path / "cnipa_2024.csv", [[app(body), "20190102", "CN110000001A", "一种锂电池隔膜", "甲公司",
                                                   "无权-未缴年费", "2021-03-04", "2023-06-01"]], header=h)
    s1, s2, s3 = (import_file(store, p) for p in (e1, e2, e3))
    assert (s1.accepted, s2.updated, s3.updated) == (1, 1, 1)
    assert store.query("SELECT patent_id, status FROM patent").values.tolist() == [["CN201910012345", "lapsed"]]
    ev = store.query("SELECT event, event_date::VARCHAR d, status_after FROM patent_event ORDER BY event_date")
    assert ev.values.tolist() == [["filed", "2019-01-02", "pending"], ["granted", "2021-03-04", "granted"],
                                  ["lapsed", "2023-06-01", "lapsed"]]
    from ipobs.store.history import patent_status_as_of

    t = store.table("patent_event")
    as_of = lambda d: patent_status_as_of(t, d).execute()["status"].tolist()  # noqa: E731
    assert (as_of("2020-01-01"), as_of("2022-01-01"), as_of("2024-01-01")) == (["pending"], ["granted"], ["lapsed"])


def test_status_without_a_date_is_observed_once(store, tmp_path):
    h = ["申请号", "申请日", "发明名称", "法律状态"]
    p1 = write_csv(tmp_path / "x1.csv", [[app("201910012345"), "2019-01-02", "一种锂电池隔膜", "驳回"]], header=h)
    p2 = write_csv(tmp_path / "x2.csv", [[app("201910012345"), "2019-01-02", "一种锂电池隔膜 ", "驳回"]], header=h)
    import_file(store, p1)
    import_file(store, p2)
    ev = store.query("SELECT event, status_after, note FROM patent_event WHERE event = 'rejected'")
    assert len(ev) == 1 and ev["note"][0].startswith("observed")


def test_strict_mode_imports_nothing_when_a_row_is_rejected(store, tmp_path):
    data = rows()
    data[1][1] = "2019-02-30"
    s = import_file(store, write_csv(tmp_path / "strict.csv", data), strict=True)
    assert s.status == "failed" and s.flatten() == [(3, "申请日", "type-error")]
    assert store.count("patent") == 0 and store.count("patent_party") == 0


def test_rejects_workbook_round_trip(store, tmp_path):
    data = rows()
    data[1][1] = "2019-02-30"  # row 3: impossible date
    data[2][4] = ""  # row 4: no title
    path = write_csv(tmp_path / "to_fix.csv", data)
    s = import_file(store, path)
    assert s.flatten() == [(3, "申请日", "type-error"), (4, "发明名称", "missing-cell")]
    out = tmp_path / "rejects.xlsx"
    assert write_rejects(path, s, out) == 2
    fixed = pd.read_excel(out, dtype=str, engine="calamine").fillna("")
    assert list(fixed.columns[:len(HEADER)]) == HEADER
    assert fixed["行号 row"].tolist() == ["3", "4"] and fixed["代码 code"].tolist() == ["type-error", "missing-cell"]
    assert fixed.loc[0, "申请号"] == data[1][0]
    fixed.loc[0, "申请日"] = "2019-02-28"
    fixed.loc[1, "发明名称"] = "包装盒"
    fixed.to_excel(tmp_path / "fixed.xlsx", index=False)
    again = import_file(store, tmp_path / "fixed.xlsx")
    assert (again.accepted, again.rejected) == (2, 0)
    assert set(again.unmapped_columns) == {"错误原因 reason", "行号 row", "列 column", "代码 code"}
    assert store.count("patent") == 3


def test_merge_and_split_survive_reimports(store, tmp_path):
    from ipobs.entities.resolve import merge, split

    h = ["申请号", "申请日", "发明名称", "申请人"]
    p1 = write_csv(tmp_path / "m1.csv", [[app("201910000001"), "2019-01-01", "甲", "天津港集团有限公司"],
                                         [app("201910000002"), "2019-01-01", "乙", "天津港务集团有限公司"],
                                         [app("201910000003"), "2019-01-01", "丙", "天津市港集团有限责任公司"]], header=h)
    import_file(store, p1)
    ids = lambda: store.query("SELECT name_norm, entity_id FROM patent_party ORDER BY patent_id").values.tolist()  # noqa
    before = ids()
    assert before[0][1] != before[1][1] and before[0][1] == before[2][1]  # no rule groups 港务集团 with 港集团
    merge(store, "天津港集团有限公司", "天津港务集团有限公司")
    assert len({e for _, e in ids()}) == 1
    split(store, "天津市港集团有限责任公司")
    after = ids()
    assert after[2][1] not in (after[0][1], after[1][1]) and after[0][1] == after[1][1]
    p2 = write_csv(tmp_path / "m2.csv", [[app("201910000004"), "2019-02-01", "丁", "天津港务集团有限公司"],
                                         [app("201910000005"), "2019-02-01", "戊", "天津市港集团有限责任公司"]], header=h)
    import_file(store, p2)
    final = dict(store.query("SELECT patent_id, entity_id FROM patent_party").values.tolist())
    assert final["CN201910000004"] == after[0][1] and final["CN201910000005"] == after[2][1]
    manual = store.query("SELECT name_norm, rule FROM entity_alias WHERE manual ORDER BY name_norm").values.tolist()
    assert manual == [["天津市港集团有限责任公司", "manual-split"], ["天津港务集团有限公司", "manual-merge"]]


@pytest.mark.parametrize("content, name, message", [
    (b"%PDF-1.4 not a spreadsheet", "report.xlsx", "report.xlsx: this is a PDF document, not an Excel workbook (.xlsx)"),
    (b"", "empty.csv", "empty.csv: the file is empty"),
    (b"\x00\x01\x02\x03" * 100, "data.csv", "data.csv: this is a binary, not a CSV text file (.csv)"),
    ("随便写点什么\n没有表头\n".encode(), "notes.csv", "notes.csv: a text file, but its first rows have no headers"),
    (b"PK\x03\x04broken zip", "broken.xlsx", "broken.xlsx: an Excel workbook, but no sheet has headers"),
])
def test_unreadable_files_fail_with_exit_2_naming_the_file(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    r = runner.invoke(cli, ["import", str(path), "--db", str(tmp_path / "x.duckdb")])
    assert r.exit_code == 2, r.output
    assert r.output.startswith(f"Error: {message}"), r.output


def test_missing_file(tmp_path):
    with pytest.raises(ImportFailed, match="no such file"):
        from ipobs.store import open_store

        with open_store(tmp_path / "x.duckdb") as s:
            import_file(s, tmp_path / "nope.csv")


def test_cli_import_json_summary(tmp_path):
    data = rows()
    data[0][6] = "火星基地1号"  # an address that names no region
    path = write_csv(tmp_path / "a.csv", data)
    r = runner.invoke(cli, ["import", str(path), "--db", str(tmp_path / "x.duckdb"), "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    for key in ("accepted", "updated", "duplicate", "rejected", "unmapped_columns", "unmatched_regions"):
        assert key in d
    assert (d["accepted"], d["rejected"]) == (3, 0)
    assert d["unmatched_regions"] == [{"address": "东京都港区", "rows": 1}, {"address": "火星基地1号", "rows": 1}]
    assert d["mapping"]["申请日"] == "filing_date"


def test_cli_import_table_summary_and_rejects_out(tmp_path):
    data = rows()
    data[2][1] = "2019/99/01"
    path = write_xlsx(tmp_path / "a.xlsx", data)
    out = tmp_path / "rejects.xlsx"
    r = runner.invoke(cli, ["import", str(path), "--db", str(tmp_path / "x.duckdb"), "--rejects-out", str(out),
                            "--user", "clerk1"])
    assert r.exit_code == 0, r.output
    assert "申请日 → filing_date" in r.output
    assert "data rows 3: accepted 2, updated 0, duplicate 0, rejected 1" in r.output
    assert "row 4, column 申请日: '2019/99/01' is not a date [type-error]" in r.output
    assert out.exists() and "1 rejected rows written" in r.output
    r = runner.invoke(cli, ["batches", "--db", str(tmp_path / "x.duckdb"), "--json"])
    assert json.loads(r.output)[0]["user_name"] == "clerk1"


def test_cli_entities_commands(tmp_path):
    db = str(tmp_path / "x.duckdb")
    runner.invoke(cli, ["import", str(write_csv(tmp_path / "a.csv", rows())), "--db", db])
    r = runner.invoke(cli, ["entities", "show", "天津南玻节能玻璃有限公司", "--db", db])
    assert r.exit_code == 0 and "天津市南玻节能玻璃有限责任公司" in r.output and "company-form" in r.output
    r = runner.invoke(cli, ["entities", "merge", "南开大学", "不存在的公司", "--db", db])
    assert r.exit_code == 2 and "'不存在的公司' is not a known name" in r.output
    r = runner.invoke(cli, ["entities", "list", "--db", db, "--search", "南玻", "--json"])
    assert json.loads(r.output)[0]["variants"] == 2
