"""The real files in ../shared/data import with the counts their SOURCE.md gives."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ipobs.sources.importer import ImportFailed, import_file

pytestmark = pytest.mark.shared_data


def accounted(s) -> bool:
    return s.accepted + s.updated + s.duplicate + s.rejected == s.data_rows


def test_cn_patent_export_sample_61_columns(store, shared_data):
    path = shared_data / "cn-patent-export-sample" / "incopat_style_case_rows.csv"
    src = pd.read_csv(path, dtype=str)
    s = import_file(store, path)
    assert (s.data_rows, s.accepted, s.rejected) == (10, 10, 0)
    assert len(src.columns) == 61 and s.unmapped_columns == []
    assert len(s.mapping) + len(s.ignored_columns) == 61
    row = src.iloc[0]
    p = store.query("SELECT * FROM patent WHERE application_no = ?", [row["申请号"][2:]]).iloc[0]
    assert p["patent_id"] == "CN" + row["申请号"][2:14]
    assert p["kind"] == "utility" and p["title"] == row["专利名称"] and p["ipc_main"] == row["主分类号"]
    assert p["filing_date"].strftime("%Y%m%d") == row["申请日"]
    assert p["grant_date"].strftime("%Y%m%d") == row["授权公告日"]
    assert p["region_code"] == "4101" and p["attribution_basis"] == "applicant_address"  # 郑州市 (郑东新区 is no district)
    # rows 8 and 9 are pending inventions (授权公告日 0), row 10 is granted (发明公开;发明授权)
    st = store.query("SELECT application_no, kind, status, grant_date IS NULL AS ng FROM patent")
    st = st.set_index("application_no")
    for _, r in src.iterrows():
        got = st.loc[r["申请号"][2:]]
        assert got["status"] == ("granted" if r["法律状态"].startswith("有权") else "pending")
        assert bool(got["ng"]) == (r["授权公告日"] == "0")
    inventors = store.scalar("SELECT count(*) FROM patent_party WHERE role = 'inventor'")
    assert inventors == sum(len(x.split(";")) for x in src["发明人"])
    ipc = store.scalar("SELECT count(*) FROM patent_ipc")
    assert ipc == sum(len(set(x.split(";"))) for x in src["分类号"])


def test_cnki_list_imports_every_row(store, shared_data):
    path = shared_data / "cnki-cn-patents-listed-cos" / "cnki_patents.csv"
    src = pd.read_csv(path, dtype=str, keep_default_na=False)
    s = import_file(store, path)
    assert s.data_rows == len(src) == 17343
    assert accounted(s)
    pub = src["pub_no"].str.strip()
    valid = pub.str.fullmatch(r"CN\d{7,9}[A-Z]?")
    assert s.rejected == int((~valid).sum())  # one blank, one garbled number (CN104671642A501)
    assert sorted(r.code for r in s.rejects) == ["bad-value", "missing-cell"]
    serials = pub[valid].str.extract(r"CN(\d+)", expand=False)
    assert store.count("patent") == serials.nunique()  # A and B publications of one application are one record
    assert pub[pub != ""].nunique() == 16030  # SOURCE.md: 16,030 distinct pub_no
    p = store.query("SELECT * FROM patent WHERE patent_id = 'CNP2810109'").iloc[0]
    assert p["kind"] == "utility" and p["application_no"] is None
    assert p["title"] == "用于数码相机或手机显示屏连接的转轴机构"
    assert str(p["filing_date"].date()) == "2005-07-13" and str(p["grant_date"].date()) == "2006-08-23"
    kinds = store.query("SELECT kind, count(*) n FROM patent GROUP BY kind").set_index("kind")["n"].to_dict()
    assert set(kinds) == {"invention", "utility", "design"}
    b_rows = src[src["kind"] == "B"]
    granted = store.scalar("SELECT count(*) FROM patent WHERE kind = 'invention' AND grant_no IS NOT NULL")
    assert granted == b_rows["pub_no"].nunique()
    names = store.query("SELECT DISTINCT name_norm FROM patent_party WHERE role = 'applicant'")["name_norm"]
    assert "TCL奥博(天津)环保发展有限公司" in set(names)


def test_cnki_rows_find_records_a_full_export_already_holds(store, tmp_path, shared_data):
    from cn_fixtures import app, write_csv

    full = write_csv(tmp_path / "full.csv", [[app("200510089012"), "2005-07-13", "CN2810109", "2006-08-23",
                                              "用于数码相机或手机显示屏连接的转轴机构", "TCL万维科技(深圳)有限公司"]],
                     header=["申请号", "申请日", "公开（公告）号", "授权公告日", "发明名称", "申请人"])
    import_file(store, full)
    cnki = write_csv(tmp_path / "cnki.csv", [["用于数码相机或手机显示屏连接的转轴机构", "崔志刚", "TCL万维科技(深圳)有限公司",
                                               "2005-07-13", "2006-08-23", "CN2810109", ""]],
                     header=["title", "inventors", "applicants", "app_date", "pub_date", "pub_no", "kind"])
    s = import_file(store, cnki)
    assert (s.accepted, s.updated + s.duplicate) == (0, 1)
    assert store.query("SELECT patent_id FROM patent")["patent_id"].tolist() == ["CN200510089012"]


def test_qichacha_patents(store, shared_data):
    s = import_file(store, shared_data / "qichacha-ip-api-samples" / "zhuanlixinxi.json")
    assert (s.kind, s.data_rows, s.accepted, s.rejected) == ("patents", 3, 3, 0)
    p = store.query("SELECT patent_id, kind, coalesce(status, '') s, coalesce(ipc_main, '') i, "
                    "coalesce(grant_date::VARCHAR, '') g FROM patent ORDER BY patent_id")
    assert p.values.tolist() == [["CN201610311380", "invention", "pending", "", ""],
                                 ["CN201710117081", "invention", "", "", ""],  # no status given: none invented
                                 ["CN201730033448", "design", "granted", "LOC11", "2017-07-28"]]
    ev = store.query("SELECT event, event_date::VARCHAR d FROM patent_event WHERE patent_id = 'CN201610311380' "
                     "ORDER BY event_date")
    assert ev.values.tolist() == [["filed", "2016-05-12"], ["published", "2016-10-12"]]
    agents = store.query("SELECT name FROM patent_party WHERE role = 'agent' ORDER BY name")["name"].tolist()
    assert agents[0] == "北京同辉知识产权代理事务所(普通合伙)"


@pytest.mark.parametrize("name, kind, n", [
    ("shangbiaoxinxi.json", "trademarks", 3), ("ruanjianzhuzuoquan.json", "copyrights", 10),
    ("zuopinzhuzuoquan.json", "copyrights", 10),
])
def test_qichacha_trademarks_and_copyrights(store, shared_data, name, kind, n):
    s = import_file(store, shared_data / "qichacha-ip-api-samples" / name)
    assert (s.kind, s.data_rows, s.accepted, s.rejected) == (kind, n, n, 0)
    table = "trademark" if kind == "trademarks" else "copyright"
    assert store.query(f"SELECT count(DISTINCT entity_id) n FROM {table}")["n"][0] >= 1


def test_qichacha_values(store, shared_data):
    folder = shared_data / "qichacha-ip-api-samples"
    for f in ("shangbiaoxinxi.json", "ruanjianzhuzuoquan.json", "zuopinzhuzuoquan.json"):
        import_file(store, folder / f)
    tm = store.query("SELECT reg_no, nice_class, status, application_date::VARCHAR d FROM trademark ORDER BY reg_no")
    assert tm.values.tolist() == [["15392502", 42, "invalidated", "2014-09-22"], ["16435655", 45, "pending", "2015-03-04"],
                                  ["16435657", 45, "pending", "2015-03-04"]]
    kinds = store.query("SELECT kind, count(*) n FROM copyright GROUP BY kind ORDER BY kind").values.tolist()
    assert kinds == [["software", 10], ["works", 10]]
    owners = store.query("SELECT DISTINCT owner, entity_id FROM copyright WHERE kind = 'works' ORDER BY owner")
    # 小米科技有限责任公司 and 北京小米科技有限责任公司 are different names: not merged without a rule saying so
    assert len(set(owners["entity_id"])) == 2


@pytest.mark.parametrize("name", ["wangzhanxinxi.json", "zhengshuxinxi.json"])
def test_qichacha_kinds_not_stored_are_refused_clearly(store, shared_data, name):
    with pytest.raises(ImportFailed, match=re.escape(name) + ": JSON, but not records of a kind this system stores"):
        import_file(store, shared_data / "qichacha-ip-api-samples" / name)
