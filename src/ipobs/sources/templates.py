"""Department ledger (台账) templates, generated from the canonical schema — never by hand.

``ipobs template cases -o cases.xlsx`` writes a workbook a clerk fills and imports back:

- one data sheet per table of the kind: the main table first (``案件``), then its child
  tables (``案件当事人``, ``案件进程``), linked by the key column (``案件编号``);
- row 1: the Chinese column names (``field.zh``), required ones marked ``*`` and red;
  row 2: the English names (``field.en``) in grey — the importer recognises and skips it;
  data from row 3; the two header rows are frozen;
- data validation: dropdown lists of the Chinese labels for every enumeration (kept in the
  hidden sheet ``_lists``), 是/否 for yes/no columns, dates, whole numbers, amounts ≥ 0 (a
  warning only: ``500万元`` may be typed and is converted at import, with a warning), Nice
  classes 1–45, region codes;
- a ``说明`` sheet: what every column means, required or not, its type, the allowed
  values, the schema's notes, and how to import; trademarks add a ``尼斯分类`` sheet;
- a very hidden ``_ipobs`` sheet with the marker, the kind, the programme (if fixed), the
  sheet → table map and a fingerprint of the columns, which is how the importer
  (:mod:`ipobs.sources.ledger`) recognises a template and notices an outdated one.

Programme ledgers: ``ipobs template programs`` has a validated 台账类别 column;
``ipobs template programs --program training`` fixes the programme (the column is left out
and the importer fills it in). :func:`write_template` can also pre-fill rows (records of the
kind, e.g. to hand a department its current ledger to update).

Which schema fields a clerk fills is decided here, once: the system's bookkeeping columns
(``batch_id``, ``synthetic``), entity ids the system resolves from names (non-required
``*entity_id``) and computed columns (``(computed)`` in the field's English name) are left
out; child ``seq`` columns are optional (blank = the order of the rows).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ipobs.records.schema import ENUMS, KINDS, TABLES, Field, Table, enum_label

MARKER = "ipobs-ledger-template"
VERSION = "1"
MARKER_SHEET = "_ipobs"
LISTS_SHEET = "_lists"
INSTRUCTIONS_SHEET = "说明"
NICE_SHEET = "尼斯分类"
HEADER_ROWS = 2  # Chinese names, English names; data starts on row 3
VALIDATED_ROWS = 5000  # rows the validations cover
SYSTEM_FIELDS = ("batch_id", "synthetic")
YES_NO = ("是", "否")
NICE_FIELDS = ("nice_class",)
REGION_FIELDS = ("region_code", "parent_code")
TYPE_ZH = {"str": "文本", "int": "整数", "float": "数值", "bool": "是/否", "date": "日期", "timestamp": "日期时间",
           "json": "JSON"}


@dataclass(frozen=True)
class Column:
    field: Field
    required: bool

    @property
    def header(self) -> str:
        return ("*" if self.required else "") + self.field.zh


@dataclass(frozen=True)
class SheetSpec:
    table: Table
    title: str
    columns: tuple[Column, ...]


def template_fields(table: Table, *, child: bool = False) -> list[Column]:
    """The columns of ``table`` a clerk fills (see the module docstring for the rule)."""
    out = []
    for f in table.fields:
        if f.name in SYSTEM_FIELDS or "(computed)" in f.en:
            continue
        if f.name.endswith("entity_id") and not f.required:
            continue
        required = f.required and not (child and f.name == "seq")
        out.append(Column(f, required))
    return out


def sheet_title(text: str) -> str:
    """An Excel-safe sheet name (no ``/\\?*[]:``, at most 31 characters)."""
    return re.sub(r"[/\\?*\[\]:]", "、", text)[:31]


def program_label(code: str) -> str:
    return enum_label("program", code, "zh")


def layout(kind: str, program: str | None = None) -> list[SheetSpec]:
    """The data sheets of a kind's template, main table first."""
    k = KINDS[kind]
    if program is not None:
        if kind != "programs":
            raise ValueError(f"--program applies to the programs ledger only, not to {kind}")
        if program not in ENUMS["program"]:
            raise ValueError(f"unknown programme {program!r}; known: {', '.join(ENUMS['program'])}")
    sheets = []
    for i, name in enumerate(k.tables):
        t = TABLES[name]
        cols = template_fields(t, child=i > 0)
        title = t.zh
        if program is not None and i == 0:
            cols = [c for c in cols if c.field.name != "program"]
            title = program_label(program)
        sheets.append(SheetSpec(t, sheet_title(title), tuple(cols)))
    return sheets


def fingerprint(sheets: list[SheetSpec]) -> str:
    """A short hash of the sheets and columns; the importer warns when a template is outdated."""
    text = "|".join(f"{s.table.name}:{','.join(c.field.name + ('*' if c.required else '') for c in s.columns)}"
                    for s in sheets)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _allowed(col: Column) -> str:
    f = col.field
    if f.enum:
        return "；".join(zh for zh, _en in ENUMS[f.enum].values())
    if f.name in NICE_FIELDS:
        return "1–45（尼斯分类，见“尼斯分类”工作表；可写 9、09、第9类）"
    if f.name in REGION_FIELDS:
        return "区域代码（下拉列表，可带名称，如 “120116 滨海新区”）"
    if f.type == "bool":
        return "是 / 否"
    if f.type in ("date", "timestamp"):
        return "日期，如 2024-05-01（也可 2024/5/1、2024年5月1日）"
    if f.type == "float":
        return "数值 ≥ 0；金额以元为单位，写“500万元”“1.2亿”“300,000元”时换算为元并提示"
    if f.type == "int":
        return "整数"
    return "文本"


def _region_items() -> list[str]:
    from ipobs.entities.regions import regions

    return [f"{r.code} {r.name}" for r in regions().values()]


def _lists_sheet(wb: Workbook, sheets: list[SheetSpec]) -> dict[str, str]:
    """Write every list the validations need; return name → absolute range reference."""
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    lists: dict[str, list[str]] = {}
    for s in sheets:
        for c in s.columns:
            if c.field.enum:
                lists.setdefault(c.field.enum, [zh for zh, _ in ENUMS[c.field.enum].values()])
            elif c.field.name in REGION_FIELDS:
                lists.setdefault("region", _region_items())
    refs = {}
    for j, (name, items) in enumerate(sorted(lists.items()), 1):
        letter = get_column_letter(j)
        ws.cell(1, j, name)
        for i, item in enumerate(items, 2):
            ws.cell(i, j, item)
        refs[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(items) + 1}"
    return refs


def _validation(col: Column, refs: dict[str, str]) -> DataValidation | None:
    f = col.field
    common = {"allow_blank": True, "showErrorMessage": True, "errorStyle": "warning", "errorTitle": f.zh}
    if f.enum:
        return DataValidation(type="list", formula1=refs[f.enum], error="请从下拉列表中选择", **common)
    if f.name in REGION_FIELDS:
        return DataValidation(type="list", formula1=refs["region"], error="请选择区域代码", **common)
    if f.type == "bool":
        return DataValidation(type="list", formula1='"是,否"', error="请填 是 或 否", **common)
    if f.name in NICE_FIELDS:
        return DataValidation(type="whole", operator="between", formula1="1", formula2="45",
                              error="尼斯分类为 1–45", **common)
    if f.type in ("date", "timestamp"):
        return DataValidation(type="date", operator="between", formula1="1", formula2="73415",
                              error="请填日期，如 2024-05-01", **common)
    if f.type == "float":
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                              error="请填数值（元）；带单位的金额导入时会换算并提示", **common)
    if f.type == "int":
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", error="请填整数", **common)
    return None


RED = Font(bold=True, color="C00000")
BOLD = Font(bold=True)
GREY = Font(italic=True, color="808080")
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def _data_sheet(wb: Workbook, spec: SheetSpec, refs: dict[str, str], rows: pd.DataFrame | None) -> None:
    ws = wb.create_sheet(spec.title)
    for j, col in enumerate(spec.columns, 1):
        f = col.field
        top = ws.cell(1, j, col.header)
        top.font = RED if col.required else BOLD
        top.fill = HEAD_FILL
        top.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        note = f"{f.en}{'（必填）' if col.required else ''}\n{_allowed(col)}" + (f"\n{f.note}" if f.note else "")
        top.comment = Comment(note, "ipobs")
        en = ws.cell(2, j, f.en)
        en.font = GREY
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(10, min(40, len(f.zh) * 2 + 4, len(f.en) + 2))
        dv = _validation(col, refs)
        if dv is not None:
            dv.add(f"{letter}{HEADER_ROWS + 1}:{letter}{HEADER_ROWS + VALIDATED_ROWS}")
            ws.add_data_validation(dv)
        if f.type in ("date", "timestamp"):
            for i in range(HEADER_ROWS + 1, HEADER_ROWS + 1 + max(len(rows) if rows is not None else 0, 1)):
                ws.cell(i, j).number_format = "yyyy-mm-dd"
    ws.freeze_panes = ws.cell(HEADER_ROWS + 1, 1)
    if rows is not None:
        for i, rec in enumerate(rows.to_dict("records"), HEADER_ROWS + 1):
            for j, col in enumerate(spec.columns, 1):
                value = _cell_value(col.field, rec.get(col.field.name))
                if value is not None:
                    cell = ws.cell(i, j, value)
                    if isinstance(value, dt.date):
                        cell.number_format = "yyyy-mm-dd"


def _cell_value(f: Field, value):
    """A stored value as a clerk would type it (labels, not codes)."""
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return None
    if f.enum:
        return enum_label(f.enum, str(value), "zh")
    if f.type == "bool":
        return YES_NO[0] if bool(value) else YES_NO[1]
    if f.type in ("date", "timestamp"):
        return pd.Timestamp(value).date()
    if f.type == "int":
        return int(value)
    if f.type == "float":
        return float(value)
    return str(value)


def _instructions(wb: Workbook, kind: str, program: str | None, sheets: list[SheetSpec]) -> None:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET, 0)
    k = KINDS[kind]
    title = program_label(program) if program else k.zh
    lines = [
        (f"《{title}》台账模板 — {k.en} ledger template", RED),
        (f"由 IP Observatory 按数据模型生成（模板版本 {VERSION}）。请勿改动表头、工作表名称和隐藏工作表。", GREY),
        ("", None),
        ("填写与导入步骤", BOLD),
        ("1. 在数据工作表第 3 行起每行填写一条记录；第 1 行中文列名、第 2 行英文列名不要删除。", None),
        ("2. 带 * 的红色列为必填；有下拉箭头的列请从列表中选择；日期写 2024-05-01。", None),
        ("3. 金额以“元”为单位；写“500万元”“1.2亿”“300,000元”也可以，导入时换算为元并在摘要中逐行提示。", None),
        ("4. 子表（第二个及以后的数据工作表）用主表的编号列与主表关联，一条主记录可有多行子记录；顺序列可不填（按行序编号）。",
         None),
        ("5. 保存后导入：ipobs import 文件.xlsx（或在网页“导入”页上传）。同一文件重复导入不会重复入库。", None),
        ("6. 阅读导入摘要：新增 / 更新 / 重复 / 拒绝 各多少行；被拒绝的行给出工作表、行号、列名和原因。", None),
        ("7. 修改被拒绝的行（摘要可导出为 Excel），只导入修改后的行即可；已入库的行再次导入计为“重复”。", None),
        ("", None),
    ]
    for text, font in lines:
        ws.append([text])
        if font:
            ws.cell(ws.max_row, 1).font = font
    if program:
        ws.append([f"本模板固定台账类别为“{program_label(program)}”（{program}），不需要填写台账类别列。"])
        ws.append([""])
    ws.append(["工作表", "列名", "English", "必填", "类型", "允许值 / 格式", "说明"])
    for c in range(1, 8):
        ws.cell(ws.max_row, c).font = BOLD
        ws.cell(ws.max_row, c).fill = HEAD_FILL
    for s in sheets:
        for col in s.columns:
            f = col.field
            ws.append([s.title, f.zh, f.en, "是" if col.required else "否", TYPE_ZH[f.type], _allowed(col),
                       f.note or ("空白时按行的顺序编号" if f.name == "seq" else "")])
    for letter, width in zip("ABCDEFG", (16, 18, 30, 6, 8, 60, 50)):
        ws.column_dimensions[letter].width = width


def _nice_sheet(wb: Workbook) -> None:
    from ipobs.sources.nice import classes

    ws = wb.create_sheet(NICE_SHEET)
    ws.append(["类别", "名称", "类别标题"])
    for c in range(1, 4):
        ws.cell(1, c).font = BOLD
    for n, c in sorted(classes().items()):
        ws.append([n, c.name, c.heading])
    ws.column_dimensions["C"].width = 100


def _marker(wb: Workbook, kind: str, program: str | None, sheets: list[SheetSpec]) -> None:
    ws = wb.create_sheet(MARKER_SHEET)
    ws.sheet_state = "veryHidden"
    ws.append([MARKER, VERSION])
    ws.append(["kind", kind])
    ws.append(["program", program or ""])
    ws.append(["fingerprint", fingerprint(sheets)])
    for s in sheets:
        ws.append(["sheet", s.title, s.table.name])


def build_template(kind: str, program: str | None = None, records: dict[str, pd.DataFrame] | None = None) -> Workbook:
    """The template workbook of a kind (optionally pre-filled with ``records``: table → rows)."""
    if kind not in KINDS:
        raise ValueError(f"unknown record kind {kind!r}; known: {', '.join(KINDS)}")
    sheets = layout(kind, program)
    wb = Workbook()
    wb.remove(wb.active)
    refs = _lists_sheet(wb, sheets)
    for s in sheets:
        _data_sheet(wb, s, refs, None if records is None else records.get(s.table.name))
    _instructions(wb, kind, program, sheets)
    if any(c.field.name in NICE_FIELDS for s in sheets for c in s.columns):
        _nice_sheet(wb)
    _marker(wb, kind, program, sheets)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    wb.active = wb.sheetnames.index(sheets[0].title)
    return wb


def write_template(kind: str, path, program: str | None = None,
                   records: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write the template of ``kind`` to ``path`` (``.xlsx``) and return the path."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"{path.name}: a template is an Excel workbook; use a .xlsx file name")
    wb = build_template(kind, program, records)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# Kinds no department keeps as a ledger: patents come from office and vendor exports, saved
# searches are an analyst's patent sets made in the search page.
NOT_LEDGERS = ("patents", "saved_searches")


def ledger_kinds() -> list[str]:
    """The record kinds that have a ledger template."""
    return [k for k in KINDS if k not in NOT_LEDGERS]


def write_all(folder) -> list[Path]:
    """Every template: one per ledger kind and one per programme, into ``folder``."""
    folder = Path(folder)
    out = [write_template(k, folder / f"{k}.xlsx") for k in ledger_kinds()]
    out += [write_template("programs", folder / f"programs-{p}.xlsx", program=p) for p in ENUMS["program"]]
    return out


def columns_markdown() -> str:
    """The per-kind column tables of docs/importing.md (checked by a test; regenerate with
    ``python -m ipobs.sources.templates``)."""
    out = []
    for kind in ledger_kinds():
        k = KINDS[kind]
        out.append(f"#### {k.zh} — `ipobs template {kind}`\n")
        for s in layout(kind):
            required = "、".join(c.field.zh for c in s.columns if c.required)
            optional = "、".join(c.field.zh for c in s.columns if not c.required)
            out.append(f"- sheet **{s.title}** ({s.table.en}): required {required}" +
                       (f"; optional {optional}" if optional else ""))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":  # python -m ipobs.sources.templates > the block in docs/importing.md
    print(columns_markdown(), end="")
