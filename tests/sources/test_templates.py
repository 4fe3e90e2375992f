"""Ledger templates are generated from the schema, and every template round-trips: fill it,
import it into an empty store, get the same records back."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from ipobs.records.schema import ENUMS, KINDS, TABLES
from ipobs.sources import ledger, templates
from ipobs.sources.templates import layout, ledger_kinds, write_template
from tests.sources.ledger_samples import sample_records


def test_templates_cover_every_ledger_kind():
    assert set(ledger_kinds()) == set(KINDS) - {"patents", "saved_searches"}
    assert set(ledger_kinds()) >= {"trademarks", "copyrights", "entities", "entity_flags", "cases", "credit",
                                   "pledges", "insurance", "transactions", "programs", "regions", "region_facts"}


def test_templates_leave_out_system_columns():
    case_cols = [c.field.name for c in layout("cases")[0].columns]
    assert "batch_id" not in case_cols and "synthetic" not in case_cols
    assert "deadline_date" not in case_cols  # "(computed)": the docket rules compute it
    assert "entity_id" not in [c.field.name for c in layout("trademarks")[0].columns]  # resolved from the name
    assert "entity_id" in [c.field.name for c in layout("entity_flags")[0].columns]  # required key: kept
    party = {c.field.name: c.required for c in layout("cases")[1].columns}
    assert party["seq"] is False and party["case_id"] is True


@pytest.mark.parametrize("kind", ledger_kinds())
def test_templates_layout_of_each_kind(kind, tmp_path):
    path = write_template(kind, tmp_path / f"{kind}.xlsx")
    wb = openpyxl.load_workbook(path)
    sheets = layout(kind)
    assert wb.sheetnames[0] == templates.INSTRUCTIONS_SHEET
    assert [s.title for s in sheets] == [n for n in wb.sheetnames if n in {s.title for s in sheets}]
    assert wb[templates.MARKER_SHEET].sheet_state == "veryHidden"
    assert wb[templates.LISTS_SHEET].sheet_state == "hidden"
    marker = {r[0]: r[1] for r in wb[templates.MARKER_SHEET].iter_rows(values_only=True)}
    assert marker["kind"] == kind and marker[templates.MARKER] == templates.VERSION
    lists = wb[templates.LISTS_SHEET]
    list_items = {lists.cell(1, j).value: [lists.cell(i, j).value for i in range(2, lists.max_row + 1)
                                           if lists.cell(i, j).value is not None]
                  for j in range(1, lists.max_column + 1)}
    for spec in sheets:
        ws = wb[spec.title]
        assert ws.freeze_panes == "A3"
        heads = [c.value for c in ws[1]]
        assert heads == [("*" if c.required else "") + c.field.zh for c in spec.columns]
        assert [c.value for c in ws[2]] == [c.field.en for c in spec.columns]
        for j, col in enumerate(spec.columns, 1):
            color = ws.cell(1, j).font.color
            assert (color is not None and color.rgb == "00C00000") == col.required
        dvs = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
        for j, col in enumerate(spec.columns, 1):
            f = col.field
            dv = dvs.get(f"{openpyxl.utils.get_column_letter(j)}3")
            if f.enum:
                assert dv.type == "list"
                assert list_items[f.enum] == [zh for zh, _ in ENUMS[f.enum].values()]
            elif f.type == "date":
                assert dv.type == "date"
            elif f.type == "float":
                assert (dv.type, dv.operator) == ("decimal", "greaterThanOrEqual")
            elif f.type == "bool":
                assert dv.formula1 == '"是,否"'
            elif f.name == "nice_class":
                assert (dv.type, dv.formula1, dv.formula2) == ("whole", "1", "45")
    info = [r for r in wb[templates.INSTRUCTIONS_SHEET].iter_rows(values_only=True)]
    described = {(r[0], r[1]) for r in info if r and len(r) > 1}
    for spec in sheets:
        for col in spec.columns:
            assert (spec.title, col.field.zh) in described
    assert any("ipobs import" in str(r[0]) for r in info if r and r[0])


def test_templates_trademarks_have_nice_sheet(tmp_path):
    wb = openpyxl.load_workbook(write_template("trademarks", tmp_path / "tm.xlsx"))
    rows = list(wb[templates.NICE_SHEET].iter_rows(values_only=True))
    assert len(rows) == 46 and rows[9][:2] == (9, "第九类")


def test_templates_program_fixed(tmp_path):
    path = write_template("programs", tmp_path / "t.xlsx", program="training")
    wb = openpyxl.load_workbook(path)
    title = templates.sheet_title(ENUMS["program"]["training"][0])
    assert title == "知识产权培训、研修活动"  # "/" is not allowed in sheet names
    assert "台账类别" not in [str(c.value).lstrip("*") for c in wb[title][1]]
    marker = {r[0]: r[1] for r in wb[templates.MARKER_SHEET].iter_rows(values_only=True)}
    assert marker["program"] == "training"
    with pytest.raises(ValueError, match="unknown programme 'nope'"):
        layout("programs", "nope")
    with pytest.raises(ValueError, match="programs ledger only"):
        layout("cases", "training")


def _stored(store, table: str, columns: list[str]) -> pd.DataFrame:
    key = list(TABLES[table].key)
    df = store.query(f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{table}"')
    return _normal(df, table).sort_values(key).reset_index(drop=True)


def _normal(df: pd.DataFrame, table: str) -> pd.DataFrame:
    out = pd.DataFrame(index=df.index)
    for c in df.columns:
        f = TABLES[table].field(c)
        s = df[c]
        if f.type in ("date", "timestamp"):
            out[c] = pd.to_datetime(s).dt.strftime("%Y-%m-%d")
        elif f.type == "float":
            out[c] = s.astype("float64").round(2)
        elif f.type == "int":
            out[c] = s.astype("Int64")
        elif f.type == "bool":
            out[c] = s.astype("boolean")
        else:
            out[c] = s.astype("string")
    return out


def _round_trip(kind, records, tmp_path, store, program=None):
    path = write_template(kind, tmp_path / f"{kind}.xlsx", program=program, records=records)
    batch = ledger.read(path)
    assert batch.kind == kind
    res = store.import_batch(batch)
    assert (res.rejected, [r.message for r in res.rejects]) == (0, [])
    for table, df in records.items():
        cols = [c for c in df.columns]
        got = _stored(store, table, cols)
        want = _normal(df, table).sort_values(list(TABLES[table].key)).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)


@pytest.mark.parametrize("kind", ledger_kinds())
def test_templates_round_trip_sample_rows(kind, tmp_path, store):
    _round_trip(kind, sample_records(kind), tmp_path, store)


@pytest.mark.parametrize("program", ["training", "hv_portfolio", "financial_institution", "killer_product"])
def test_templates_round_trip_fixed_program(program, tmp_path, store):
    recs = sample_records("programs", program=program)
    _round_trip("programs", recs, tmp_path, store, program=program)
    assert set(store.query("SELECT program FROM program_item")["program"]) == {program}


@pytest.mark.slow
def test_templates_round_trip_demo_data(demo_store, tmp_path, store):
    """Each ledger kind's demo records → its template → an empty store → the same records."""
    for kind in ledger_kinds():
        records = {}
        for table in KINDS[kind].tables:
            spec = next(s for s in layout(kind) if s.table.name == table)
            cols = [c.field.name for c in spec.columns]
            df = demo_store.query(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}" '
                                  f'ORDER BY {", ".join(TABLES[table].key)} LIMIT 200')
            if len(df):
                records[table] = df
        main = KINDS[kind].main
        if main not in records:
            continue
        keys = set(records[main][TABLES[main].key[0]].astype(str))
        for child in KINDS[kind].children:
            if child in records:
                link = TABLES[main].key[0] if TABLES[main].key[0] in records[child] else TABLES[child].key[0]
                records[child] = records[child][records[child][link].astype(str).isin(keys)]
        _round_trip(kind, records, tmp_path, store)


def test_templates_cli(tmp_path):
    from ipobs.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["template", "cases", "-o", str(tmp_path / "c.xlsx")])
    assert res.exit_code == 0 and "fill it from row 3" in res.output
    assert (tmp_path / "c.xlsx").exists()
    res = runner.invoke(app, ["template", "programs", "--program", "training", "-o", str(tmp_path / "p.xlsx")])
    assert res.exit_code == 0
    res = runner.invoke(app, ["template", "nope"])
    assert res.exit_code == 2 and "no ledger template for 'nope'" in res.output


@pytest.mark.slow
def test_templates_cli_all(tmp_path):
    from ipobs.cli import app

    res = CliRunner().invoke(app, ["template", "all", "-o", str(tmp_path / "all")])
    assert res.exit_code == 0
    assert len(list((tmp_path / "all").glob("*.xlsx"))) == len(ledger_kinds()) + len(ENUMS["program"])


def test_templates_dates_written_as_dates(tmp_path):
    recs = sample_records("cases", 1)
    wb = openpyxl.load_workbook(write_template("cases", tmp_path / "c.xlsx", records=recs))
    ws = wb["案件"]
    col = [c.value for c in ws[1]].index("*收案日期") + 1
    assert isinstance(ws.cell(3, col).value, dt.datetime)


def test_templates_docs_list_matches_templates():
    """docs/importing.md's ledger column list is the generated one (regenerate: python -m ipobs.sources.templates)."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "importing.md").read_text(encoding="utf-8")
    block = text.split("<!-- ledger-columns:start -->\n", 1)[1].split("<!-- ledger-columns:end -->", 1)[0]
    assert block == templates.columns_markdown()
