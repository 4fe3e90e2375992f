"""Chinese patent exports with one defect each: every row accepted, duplicate, updated or rejected."""

from __future__ import annotations

import codecs

import pytest

from cn_fixtures import HEADER, ROWS, app, rows, set_cached_values, write_csv, write_xls, write_xlsx
from ipobs.sources.importer import import_file


def accounted(s) -> bool:
    return s.accepted + s.updated + s.duplicate + s.rejected == s.data_rows


def check_three_rows(store, s):
    assert s.status == "committed", s.message
    assert (s.data_rows, s.accepted, s.rejected) == (3, 3, 0), s.flatten()
    pat = store.query("SELECT patent_id, kind, filing_date::VARCHAR AS f, title, status, coalesce(region_code, '') AS r, ipc_main "
                      "FROM patent ORDER BY patent_id")
    assert pat.values.tolist() == [
        ["CN201910012345", "invention", "2019-01-02", "一种锂电池隔膜", "granted", "120116Z4", "H01M2/16"],
        ["CN201920023456", "utility", "2019-02-03", "一种夹具", "granted", "120116014", "B25J15/00"],
        ["CN201930034567", "design", "2019-03-04", "包装盒", "pending", "", "LOC09-01"],
    ]


def test_csv_utf8(store, tmp_path):
    s = import_file(store, write_csv(tmp_path / "plain.csv", rows()))
    check_three_rows(store, s)
    assert s.mapping["申请号"] == "application_no" and s.mapping["申请（专利权）人"] == "applicants"
    assert s.ignored_columns == ["合享价值度"] and s.unmapped_columns == []


@pytest.mark.parametrize("name, encoding, reported", [
    ("gbk_encoded.csv", "gbk", "gb18030"),
    ("gb18030_encoded.csv", "gb18030", "gb18030"),
    ("utf8_bom.csv", "utf-8-sig", "utf-8-sig"),
    ("utf16.csv", "utf-16", "utf-16"),
    ("utf16le_no_bom.csv", "utf-16-le", "utf-16-le"),
])
def test_csv_encodings_are_sniffed_and_reported(store, tmp_path, name, encoding, reported):
    s = import_file(store, write_csv(tmp_path / name, rows(), encoding=encoding))
    check_three_rows(store, s)
    assert s.encoding == reported


def test_csv_explicit_encoding_wins(store, tmp_path):
    s = import_file(store, write_csv(tmp_path / "gbk_encoded.csv", rows(), encoding="gbk"), encoding="gbk")
    check_three_rows(store, s)
    assert s.encoding == "gbk"


def test_csv_wrong_encoding_is_reported_not_fatal(store, tmp_path):
    s = import_file(store, write_csv(tmp_path / "gbk_encoded.csv", rows(), encoding="gbk"), encoding="utf-8")
    assert accounted(s)
    assert any("not valid in the file's encoding" in w for w in s.warnings)


def test_csv_header_on_row_3(store, tmp_path):
    path = write_csv(tmp_path / "header_row3.csv", rows(), above=[["incoPat 检索结果"], []])
    s = import_file(store, path)
    assert s.header_row == 3
    assert s.accepted == 3 and accounted(s)


def test_csv_ragged_rows(store, tmp_path):
    data = rows()
    data[0] = data[0][:7]  # short row: padded
    data[1] = data[1] + ["多出来的值"]  # an extra non-empty cell: values may be shifted
    path = write_csv(tmp_path / "ragged_rows.csv", data)
    s = import_file(store, path)
    assert accounted(s)
    assert s.flatten() == [(3, None, "bad-format")]
    assert (s.accepted, s.rejected) == (2, 1)


def test_csv_blank_rows_are_counted_not_data(store, tmp_path):
    data = rows()
    data.insert(1, [""] * len(HEADER))
    s = import_file(store, write_csv(tmp_path / "blank_rows.csv", data))
    assert (s.data_rows, s.blank_rows, s.accepted) == (3, 1, 3)


def test_csv_quoted_newlines_keep_row_numbers(store, tmp_path):
    data = rows()
    data[0][4] = "一种锂电池\n隔膜"
    data[2][1] = "2019-13-45"  # not a date: row 4 as a spreadsheet shows it
    s = import_file(store, write_csv(tmp_path / "newline_in_cell.csv", data))
    assert s.flatten() == [(4, "申请日", "type-error")]


def test_xlsx_header_row_3(store, tmp_path):
    s = import_file(store, write_xlsx(tmp_path / "header_row3.xlsx", rows(), above=[["专利检索导出"], []]))
    check_three_rows(store, s)
    assert s.header_row == 3 and s.sheet == "专利"


def test_xlsx_merged_header(store, tmp_path):
    def merge(wb, ws):
        ws.insert_rows(1)
        ws["A1"] = "基本信息"
        ws.merge_cells("A1:E1")
        # 申请人 and 申请人地址 share one merged header cell spanning two rows
        ws["F1"] = "申请（专利权）人"
        ws.merge_cells("F1:F2")

    s = import_file(store, write_xlsx(tmp_path / "merged_header.xlsx", rows(), before=merge))
    check_three_rows(store, s)
    assert s.header_row == 2 and s.mapping["申请（专利权）人"] == "applicants"


def test_xlsx_hidden_sheet_is_skipped(store, tmp_path):
    def hidden(wb, ws):
        h = wb.create_sheet("说明", 0)
        h.append(["导出说明"])
        h.sheet_state = "hidden"

    s = import_file(store, write_xlsx(tmp_path / "hidden_sheet.xlsx", rows(), before=hidden))
    check_three_rows(store, s)
    assert s.sheet == "专利"
    assert any("hidden sheet '说明'" in w for w in s.warnings)


def test_xlsx_formulas_read_cached_values(store, tmp_path):
    data = rows()
    data[0][4] = '="一种锂电池"&"隔膜"'
    path = write_xlsx(tmp_path / "formulas.xlsx", data, after=lambda p: set_cached_values(p, {"E2": "一种锂电池隔膜"}))
    check_three_rows(store, import_file(store, path))


def test_xlsx_dates_and_numbers_as_cells(store, tmp_path):
    import datetime as dt

    data = rows()
    data[0][1] = dt.datetime(2019, 1, 2)
    data[1][0] = 201920023456  # an application number typed as a number (no check digit)
    check_three_rows(store, import_file(store, write_xlsx(tmp_path / "typed_cells.xlsx", data)))


def test_xls_legacy_workbook(store, tmp_path):
    check_three_rows(store, import_file(store, write_xls(tmp_path / "legacy.xls", rows())))


def test_rejects_flatten_as_a_table(store, tmp_path):
    data = rows([
        (5, app("201910099999")[:-1] + ("0" if app("201910099999")[-1] != "0" else "1"), "2019-05-06", "", "",
         "校验位错", "甲公司", "", "", "", "", "", "", ""),
        (6, app("201910088888"), "2019/99/01", "", "", "日期错", "甲公司", "", "", "", "", "", "", ""),
        (7, app("201910077777"), "2019-07-01", "", "2018-01-01", "授权早于申请", "甲公司", "", "", "", "", "", "", ""),
        (8, app("201910066666"), "2019-08-01", "", "", "", "甲公司", "", "", "", "", "", "", ""),
        (9, app("201910012345"), "2019-01-02", "", "", "同一专利再出现", "", "", "", "", "", "", "", ""),
    ])
    s = import_file(store, write_csv(tmp_path / "bad_rows.csv", data))
    assert s.flatten() == [(5, "申请号", "bad-value"), (6, "申请日", "type-error"), (7, "授权公告日", "date-order"),
                           (8, "发明名称", "missing-cell")]
    assert (s.accepted, s.duplicate, s.rejected) == (3, 1, 4) and accounted(s)


def test_unknown_columns_are_reported(store, tmp_path):
    header = HEADER + ["内部备注"]
    s = import_file(store, write_csv(tmp_path / "extra_column.csv", [r + ["x"] for r in rows()], header=header))
    assert s.unmapped_columns == ["内部备注"]
    assert any("unknown column '内部备注'" in w and "unknown-column" in w for w in s.warnings)
    assert s.accepted == 3


def test_parties_names_and_entities(store, tmp_path):
    import_file(store, write_csv(tmp_path / "plain.csv", rows()))
    party = store.query("SELECT patent_id, role, seq, name_norm, entity_id FROM patent_party "
                        "WHERE role = 'applicant' ORDER BY patent_id, seq")
    assert party["name_norm"].tolist() == ["天津南玻节能玻璃有限公司", "南开大学", "天津市南玻节能玻璃有限责任公司",
                                           "Sony Co., Ltd."]
    ids = party["entity_id"].tolist()
    assert ids[0] == ids[2] and ids[0] != ids[1]
    alias = store.query("SELECT name_norm, rule, confidence FROM entity_alias ORDER BY name_norm")
    assert ["天津市南玻节能玻璃有限责任公司", "company-form", 0.85] in alias.values.tolist()
    ent = store.query("SELECT name, kind, region_code FROM entity WHERE entity_id = ?", [ids[0]])
    assert ent.values.tolist() == [["天津南玻节能玻璃有限公司", "enterprise", "120116Z4"]]
