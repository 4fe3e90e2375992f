"""Filled ledgers as clerks really fill them: units in amounts, odd Nice classes, a title above
the header, merged cells, formulas, hidden sheets, extra sheets and columns."""

from __future__ import annotations

import openpyxl
import pytest

from ipobs.sources import ledger
from ipobs.sources.ledger import parse_amount
from ipobs.sources.registry import detect
from ipobs.sources.templates import write_template
from tests.sources.conftest import flatten, frame
from tests.sources.ledger_samples import sample_records


def _template(tmp_path, kind, n=3, program=None, name=None):
    path = tmp_path / (name or f"{kind}.xlsx")
    return write_template(kind, path, program=program, records=sample_records(kind, n, program=program))


def _col(ws, header: str) -> int:
    for c in ws[1]:
        if str(c.value).lstrip("*") == header:
            return c.column
    raise KeyError(header)


@pytest.mark.parametrize("text, yuan, noted", [
    ("500万元", 5_000_000, True), ("1.2亿", 120_000_000, True), ("300,000元", 300_000, True),
    ("5千元", 5_000, True), ("￥2,000", 2_000, True), ("人民币100万元", 1_000_000, True),
    ("300000", 300_000, False), (12.5, 12.5, False), ("1，000万", 10_000_000, True),
])
def test_ledger_amounts_with_units(text, yuan, noted):
    got, note, err = parse_amount(text)
    assert (got, bool(note), err) == (yuan, noted, None)


@pytest.mark.parametrize("text", ["五百万", "about 5M", "500万美元", "1.2.3"])
def test_ledger_amounts_not_amounts(text):
    got, _note, err = parse_amount(text)
    assert got is None and err


def test_ledger_amount_units_converted_with_warning_per_row(tmp_path, imported):
    path = _template(tmp_path, "pledges")
    wb = openpyxl.load_workbook(path)
    ws = wb["质押融资"]
    c = _col(ws, "融资金额(元)")
    ws.cell(3, c, "500万元")
    ws.cell(4, c, "1.2亿")
    ws.cell(5, c, "大约一百万")
    wb.save(path)
    batch = ledger.read(path)
    assert batch.warnings == ["sheet 质押融资 row 3 column 融资金额(元): '500万元' read as 5,000,000 yuan",
                              "sheet 质押融资 row 4 column 融资金额(元): '1.2亿' read as 120,000,000 yuan"]
    assert flatten(batch.rejects, ("sheet", "row", "column", "code")) == [
        ["质押融资", 5, "融资金额(元)", "type-error"],
        ["质押标的", 7, None, "parent-rejected"], ["质押标的", 8, None, "parent-rejected"]]
    res, store = imported(batch)
    assert (res.accepted, res.rejected) == (2, 3)
    assert sorted(store.query("SELECT amount_yuan FROM pledge")["amount_yuan"]) == [5e6, 1.2e8]


def test_ledger_nice_class_checked(tmp_path):
    path = _template(tmp_path, "trademarks", n=4)
    wb = openpyxl.load_workbook(path)
    ws = wb["商标"]
    c = _col(ws, "国际分类")
    ws.cell(3, c, "第9类")
    ws.cell(4, c, 46)
    ws.cell(5, c, "第四十五类")
    ws.cell(6, c, "服装")
    wb.save(path)
    batch = ledger.read(path)
    main = [r for r in batch.rejects if r.table == "trademark"]
    assert flatten(main, ("row", "column", "code")) == [[4, "国际分类", "bad-value"], [6, "国际分类", "type-error"]]
    assert main[0].note == "Nice class 46 does not exist (classes are 1–45)"
    assert sorted(frame(batch, "trademark")["nice_class"]) == [9, 45]


def test_ledger_header_below_a_title_without_marker(tmp_path, imported):
    """A department's own sheet: a title on row 1, the header on row 3, no template marker."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024年案件台账"
    ws["A1"] = "滨海新区知识产权案件台账（2024年）"
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["案件编号", "案件类型", "权利类型", "承办部门", "收案日期", "涉案金额(元)", "经办人"])
    ws.append(["2024-001", "专利侵权纠纷行政裁决", "专利", "区知识产权局", "2024-03-01", "20万元", "张三"])
    ws.append(["2024-002", "假冒专利案件", "专利", "区市场监管局", "2024/4/2", 15000, "李四"])
    path = tmp_path / "own.xlsx"
    wb.save(path)
    source, _ = detect(path, "cases")
    assert source.name == "ledger"
    batch = ledger.read(path)
    assert batch.kind == "cases"
    assert frame(batch, "ip_case")["_row"].tolist() == [4, 5]
    assert flatten(batch.rejects, ("row", "column", "code")) == [[3, "经办人", "unknown-column"]]
    assert "no template marker" in batch.warnings[0]
    res, store = imported(batch)
    assert res.accepted == 2
    assert store.query("SELECT kind, amount_yuan FROM ip_case ORDER BY case_id").values.tolist() == [
        ["admin_patent_dispute", 200000.0], ["admin_counterfeit_patent", 15000.0]]


def test_ledger_merged_cells_and_formulas(tmp_path):
    path = _template(tmp_path, "cases")
    wb = openpyxl.load_workbook(path)
    ws = wb["案件当事人"]
    key = _col(ws, "案件编号")
    ws.cell(4, key, None)
    ws.merge_cells(start_row=3, start_column=key, end_row=4, end_column=key)  # one case no. for two parties
    main = wb["案件"]
    amount = _col(main, "涉案金额(元)")
    main.cell(4, amount, "=1000*5")  # never calculated: openpyxl saves no result
    wb.save(path)
    batch = ledger.read(path)
    parties = frame(batch, "case_party")
    assert parties[parties._row.isin([3, 4])]["case_id"].nunique() == 1
    assert any("merged cells" in w for w in batch.warnings)
    bad = [r for r in batch.rejects if r.table == "ip_case"]
    assert flatten(bad, ("row", "column", "code")) == [[4, "涉案金额(元)", "bad-value"]]
    assert "formula (=1000*5)" in bad[0].note
    assert {r.code for r in batch.rejects if r.table == "case_party"} == {"parent-rejected"}


def test_ledger_hidden_and_extra_sheets_and_rows(tmp_path):
    path = _template(tmp_path, "copyrights", n=4)
    wb = openpyxl.load_workbook(path)
    ws = wb["著作权登记"]
    ws.row_dimensions[4].hidden = True
    ws.sheet_state = "hidden"
    extra = wb.create_sheet("备注")
    extra["A1"] = "随便写的东西"
    wb.save(path)
    batch = ledger.read(path)
    assert len(frame(batch, "copyright")) == 4
    assert "sheet '著作权登记' is hidden in Excel; it was read" in batch.warnings
    assert any("rows 4 are hidden" in w for w in batch.warnings)
    assert any("sheet '备注' is not part of the copyrights template" in w for w in batch.warnings)


def test_ledger_huge_cell_rejected(tmp_path):
    path = _template(tmp_path, "credit", n=2)
    wb = openpyxl.load_workbook(path)
    ws = wb["失信主体"]
    ws.cell(3, _col(ws, "主体名称"), "名" * 40000)  # openpyxl cuts it to 32,767 when saving, as Excel would
    wb.save(path)
    batch = ledger.read(path)
    assert flatten(batch.rejects, ("row", "column", "code")) == [[3, "主体名称", "bad-value"]]
    assert len(frame(batch, "credit_entry")) == 1


def test_ledger_child_seq_numbered_in_row_order(tmp_path):
    path = _template(tmp_path, "cases", n=1)
    wb = openpyxl.load_workbook(path)
    ws = wb["案件当事人"]
    seq = _col(ws, "顺序")
    for r in (3, 4):
        ws.cell(r, seq, None)
    wb.save(path)
    parties = frame(ledger.read(path), "case_party")
    assert parties["seq"].tolist() == [1, 2]


def test_ledger_fixed_program_fills_and_checks(tmp_path, imported):
    path = _template(tmp_path, "programs", n=2, program="training")
    batch = ledger.read(path)
    assert set(frame(batch, "program_item")["program"]) == {"training"}
    wb = openpyxl.load_workbook(path)
    ws = wb["知识产权培训、研修活动"]
    ws.cell(1, ws.max_column + 1, "台账类别")
    ws.cell(3, ws.max_column, "高价值专利组合")
    wb.save(path)
    batch = ledger.read(path)
    assert flatten(batch.rejects, ("row", "code")) == [[3, "bad-value"]]
    res, store = imported(batch)
    assert store.query("SELECT program FROM program_item")["program"].tolist() == ["training"]


def test_ledger_number_in_date_column_read_as_excel_date(tmp_path):
    path = _template(tmp_path, "insurance", n=1)
    wb = openpyxl.load_workbook(path)
    ws = wb["知识产权保险"]
    cell = ws.cell(3, _col(ws, "起保日期"), 45292)
    cell.number_format = "General"  # typed as a plain number
    wb.save(path)
    batch = ledger.read(path)
    assert frame(batch, "insurance")["start_date"].tolist() == ["2024-01-01"]
    assert "the number 45292 was read as the Excel date 2024-01-01" in batch.warnings[0]


def test_ledger_not_a_workbook(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    batch = ledger.read(path)
    assert [r.code for r in batch.rejects] == ["bad-format"]
    assert "not a readable Excel workbook" in batch.rejects[0].note


def test_ledger_import_through_importer_names_chinese_columns(tmp_path, store):
    from ipobs.sources.importer import import_file

    path = _template(tmp_path, "entity_flags", n=2)
    wb = openpyxl.load_workbook(path)
    ws = wb["主体资质"]
    ws.cell(3, _col(ws, "资质"), "不存在的资质")
    wb.save(path)
    summary = import_file(store, path)
    assert (summary.kind, summary.data_rows, summary.accepted, summary.rejected) == ("entity_flags", 2, 1, 1)
    assert summary.flatten(("sheet", "row", "column", "code")) == [("主体资质", 3, "资质", "enum-error")]


def test_ledger_region_by_code_name_or_alias(tmp_path):
    path = _template(tmp_path, "insurance", n=4)
    wb = openpyxl.load_workbook(path)
    ws = wb["知识产权保险"]
    c = _col(ws, "所属区域代码")
    for row, value in [(3, "120116Z1 天津经济技术开发区"), (4, "滨海新区"), (5, 120116), (6, "火星新区")]:
        ws.cell(row, c, value)
    wb.save(path)
    batch = ledger.read(path)
    assert frame(batch, "insurance")["region_code"].tolist() == ["120116Z1", "120116", "120116"]
    assert flatten(batch.rejects, ("row", "column", "code")) == [[6, "所属区域代码", "unknown-region"]]
