"""Importing a filled ledger template (see :mod:`ipobs.sources.templates`).

A workbook is recognised by the very hidden ``_ipobs`` marker sheet (kind, programme, sheet →
table map, column fingerprint); a workbook that lost it (re-saved by another program, or a
department's own sheet) is still read when its ``说明`` sheet is there or its headers match
a kind's columns. Each data sheet is matched to a table by its name or its headers; the
header row is searched in the first rows (a title above the table is fine) and the English
row under it is skipped. Rows are numbered as Excel shows them.

What the reader does before the store validates:

- merged cells count as their top-left value in every cell they cover (listed in the
  warnings); formulas are read as their saved result, a formula without one is rejected;
- amounts written with units (``500万元``, ``1.2亿``, ``300,000元``) become yuan, with one
  warning per row; a number typed into a date column is read as an Excel date, with a
  warning;
- Nice classes are checked against the 45 classes (``bad-value`` outside 1–45);
  region cells may carry the name after the code (``120116 滨海新区``);
- a programme template fills the 台账类别 of every row (a different value is rejected);
- child rows without 顺序 are numbered in sheet order; child rows whose main row was
  rejected here are rejected with it (``parent-rejected``);
- cells longer than Excel's 32,767 characters, and columns no table knows, are reported.

Everything else (types, enumeration labels → codes, required cells, date order, duplicate
keys) is the store's validation, which names the same sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ipobs.records.batch import RecordBatch, Reject
from ipobs.records.schema import ENUMS, KINDS, TABLES, Field, enum_code
from ipobs.sources import templates as T
from ipobs.sources.nice import parse_class
from ipobs.sources.registry import Source, register

MAX_CELL = 32767
HEADER_SEARCH_ROWS = 20
UNITS = {"元": 1, "圆": 1, "块": 1, "千元": 1e3, "千": 1e3, "万元": 1e4, "万": 1e4, "百万元": 1e6, "百万": 1e6,
         "千万元": 1e7, "千万": 1e7, "亿元": 1e8, "亿": 1e8}
_AMOUNT = re.compile(r"^(?:人民币|RMB|CNY|¥|￥)?\s*([-+]?[\d,，]*\.?\d+)\s*(百万元|千万元|万元|亿元|千元|百万|千万|万|亿|千|元|圆|块)?"
                     r"\s*(?:人民币|RMB|CNY)?$", re.I)


class LedgerError(Exception):
    """The workbook cannot be read as a ledger at all."""


def parse_amount(value) -> tuple[float | None, str | None, str | None]:
    """``(yuan, note, error)`` of an amount cell.

    ``note`` is set when units were converted; ``error`` when the text is no amount.

    >>> parse_amount("500万元"), parse_amount("1.2亿")[0], parse_amount("300,000元")[0], parse_amount(12.5)
    ((5000000.0, "'500万元' read as 5,000,000 yuan", None), 120000000.0, 300000.0, (12.5, None, None))
    """
    if value is None:
        return None, None, None
    if isinstance(value, bool):
        return None, None, f"{value!r} is not an amount"
    if isinstance(value, (int, float)):
        return float(value), None, None
    t = str(value).strip().replace(" ", "")
    if not t:
        return None, None, None
    m = _AMOUNT.match(t)
    if not m:
        return None, None, f"{t!r} is not an amount (write yuan, e.g. 5000000 or 500万元)"
    number = float(m.group(1).replace(",", "").replace("，", ""))
    unit = m.group(2)
    text_units = unit is not None or bool(re.search(r"人民币|RMB|CNY|¥|￥", t, re.I))
    yuan = number * UNITS.get(unit or "元", 1)
    if text_units:
        return yuan, f"{t!r} read as {yuan:,.0f} yuan" if yuan == int(yuan) else f"{t!r} read as {yuan:,} yuan", None
    return yuan, None, None


def _norm_header(text) -> str:
    """Header text compared loosely: no ``*``, spaces, full-width brackets or trailing colon."""
    return _norm_header_text(str(text or ""))


@lru_cache(maxsize=1 << 14)
def _norm_header_text(text: str) -> str:
    t = text.strip().lstrip("*＊").strip()
    t = t.replace("（", "(").replace("）", ")").replace("：", "").replace(":", "")
    return re.sub(r"\s+", "", t).lower()


@dataclass
class Marker:
    kind: str | None = None
    program: str | None = None
    fingerprint: str | None = None
    sheets: dict[str, str] = field(default_factory=dict)  # sheet title → table
    found: bool = False


def _marker(wb) -> Marker:
    m = Marker()
    if T.MARKER_SHEET not in wb.sheetnames:
        return m
    ws = wb[T.MARKER_SHEET]
    for row in ws.iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        key = str(row[0])
        if key == T.MARKER:
            m.found = True
        elif key == "kind" and len(row) > 1:
            m.kind = str(row[1] or "") or None
        elif key == "program" and len(row) > 1:
            m.program = str(row[1] or "") or None
        elif key == "fingerprint" and len(row) > 1:
            m.fingerprint = str(row[1] or "")
        elif key == "sheet" and len(row) > 2:
            m.sheets[str(row[1])] = str(row[2])
    return m


def _labels(f: Field) -> set[str]:
    return {_norm_header(f.zh), _norm_header(f.en), _norm_header(f.name)}


def _header_match(cells: list, table_name: str) -> dict[int, Field]:
    """Column index → field for a candidate header row."""
    out = {}
    for f in TABLES[table_name].fields:
        labels = _labels(f)
        for j, c in enumerate(cells):
            if j not in out and c is not None and _norm_header(c) in labels:
                out[j] = f
                break
    return out


class _Sheet:
    """The cells of one worksheet with merged ranges filled in."""

    def __init__(self, ws, values_ws=None):
        self.title = ws.title
        self.state = ws.sheet_state
        self.rows: list[list] = [list(r) for r in ws.iter_rows(values_only=True)]
        self.formulas: dict[tuple[int, int], str] = {}
        self.merged: list[str] = []
        for i, row in enumerate(self.rows):
            for j, v in enumerate(row):
                if isinstance(v, str) and v.startswith("="):
                    self.formulas[(i, j)] = v
        if self.formulas:
            cached = [list(r) for r in values_ws.iter_rows(values_only=True)] if values_ws is not None else []
            for (i, j) in self.formulas:
                self.rows[i][j] = cached[i][j] if i < len(cached) and j < len(cached[i]) else None
        for rng in list(ws.merged_cells.ranges):
            r0, c0, r1, c1 = rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1
            if r0 >= len(self.rows):
                continue
            top = self.rows[r0][c0] if c0 < len(self.rows[r0]) else None
            for i in range(r0, min(r1, len(self.rows) - 1) + 1):
                row = self.rows[i]
                if len(row) <= c1:
                    row.extend([None] * (c1 + 1 - len(row)))
                for j in range(c0, c1 + 1):
                    row[j] = top
            self.merged.append(str(rng))
        self.hidden_rows = {i - 1 for i, d in ws.row_dimensions.items() if d.hidden}


def _load(path: Path):
    import warnings

    from openpyxl import load_workbook

    data = path.read_bytes()  # opened as bytes: openpyxl judges files by their extension otherwise
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), data_only=False)
            values = None
            if any(isinstance(c, str) and c.startswith("=") for ws in wb.worksheets
                   for row in ws.iter_rows(values_only=True) for c in row):
                values = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # noqa: BLE001 - any failure to open is the file's, reported as such
        raise LedgerError(f"{path.name}: not a readable Excel workbook ({type(e).__name__}: {str(e)[:120]})") from None
    return wb, values


def _guess_kind(sheets: list[_Sheet]) -> str | None:
    best, best_score = None, 0.0
    for kind in T.ledger_kinds():
        main = KINDS[kind].main
        required = [f for f in TABLES[main].fields if f.required]
        for s in sheets:
            for row in s.rows[:HEADER_SEARCH_ROWS]:
                hit = _header_match(row, main)
                score = sum(1 for f in hit.values() if f.required) / max(len(required), 1)
                if score > best_score:
                    best, best_score = kind, score
    return best if best_score >= 0.6 else None


@dataclass
class _Read:
    frames: dict[str, list[dict]] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    data_rows: int = 0
    blank_rows: int = 0


def read(path: Path, kind: str | None = None, **_options) -> RecordBatch:
    """Read a filled ledger workbook into a batch of its kind."""
    batch, _labels, _counts = _read(Path(path), kind)
    return batch


def _read(path: Path, kind: str | None):
    try:
        wb, values = _load(path)
    except LedgerError as e:
        rej = Reject("bad-format", str(e))
        return RecordBatch(kind or "programs", {}, rejects=[rej], source=path, format="ledger-xlsx"), {}, (0, 0)
    marker = _marker(wb)
    skip = {T.MARKER_SHEET, T.LISTS_SHEET, T.INSTRUCTIONS_SHEET, T.NICE_SHEET}
    sheets = [_Sheet(ws, values[ws.title] if values is not None else None) for ws in wb.worksheets
              if ws.title not in skip]
    out = _Read()
    if marker.found and kind and marker.kind and kind != marker.kind:
        out.warnings.append(f"the workbook is a {marker.kind} template; read as {marker.kind}, not {kind}")
    kind = marker.kind if marker.found and marker.kind in KINDS else (kind or _guess_kind(sheets))
    if kind is None or kind not in KINDS:
        rej = Reject("bad-format", f"{path.name}: no sheet has the columns of a ledger kind (generate a template with "
                                   "`ipobs template <kind>`)")
        return RecordBatch("programs", {}, rejects=[rej], source=path, format="ledger-xlsx"), {}, (0, 0)
    program = marker.program if marker.found else None
    if marker.found:
        expected = T.fingerprint(T.layout(kind, program))
        if marker.fingerprint and marker.fingerprint != expected:
            out.warnings.append("this template was generated from an older data model; columns were matched by "
                                "name — generate a new template for the next round")
    elif T.INSTRUCTIONS_SHEET not in wb.sheetnames:
        out.warnings.append("no template marker: the sheets were matched to the data model by their headers")
    used: set[str] = set()
    for s in sheets:
        table = marker.sheets.get(s.title) or _table_of(s, kind)
        if table is None or table in used:
            if any(any(c is not None for c in row) for row in s.rows):
                out.warnings.append(f"sheet {s.title!r} is not part of the {kind} template; it was not read")
            continue
        used.add(table)
        if s.state != "visible":
            out.warnings.append(f"sheet {s.title!r} is hidden in Excel; it was read")
        _read_sheet(s, table, kind, program, out)
    _link_children(kind, out)
    frames = {t: pd.DataFrame(rows) for t, rows in out.frames.items() if rows}
    batch = RecordBatch(kind, frames, rejects=out.rejects, source=path, format="ledger-xlsx", warnings=out.warnings)
    return batch, out.labels, (out.data_rows, out.blank_rows)


def _table_of(s: _Sheet, kind: str) -> str | None:
    for t in KINDS[kind].tables:
        if _norm_header(s.title) in (_norm_header(TABLES[t].zh), _norm_header(TABLES[t].en), t):
            return t
    best, best_n = None, 0
    for t in KINDS[kind].tables:
        for row in s.rows[:HEADER_SEARCH_ROWS]:
            n = len(_header_match(row, t))
            if n > best_n:
                best, best_n = t, n
    return best if best_n >= 2 else None


def _find_header(s: _Sheet, table: str) -> tuple[int | None, dict[int, Field]]:
    best_i, best = None, {}
    for i, row in enumerate(s.rows[:HEADER_SEARCH_ROWS]):
        hit = _header_match(row, table)
        if len(hit) > len(best):
            best_i, best = i, hit
    return best_i, best


def _read_sheet(s: _Sheet, table: str, kind: str, program: str | None, out: _Read) -> None:
    t = TABLES[table]
    hi, cols = _find_header(s, table)
    if hi is None or not cols:
        out.rejects.append(Reject("bad-format", f"sheet {s.title!r}: no header row with the columns of {t.zh}",
                                  sheet=s.title, table=table))
        return
    header = s.rows[hi]
    for j, c in enumerate(header):
        if c not in (None, "") and j not in cols:
            out.rejects.append(Reject("unknown-column", f"column {c!r} is not a column of {t.zh}; not imported",
                                      row=hi + 1, column=str(c), sheet=s.title, table=table))
    for j, f in cols.items():
        out.labels.setdefault(f.name, str(header[j]).lstrip("*＊").strip())
    start = hi + 1
    if start < len(s.rows):
        nxt = s.rows[start]
        en_hits = sum(1 for j, f in cols.items() if j < len(nxt) and nxt[j] is not None
                      and _norm_header(nxt[j]) == _norm_header(f.en))
        if en_hits and en_hits >= max(1, len(cols) // 2):
            start += 1
    if s.merged:
        shown = ", ".join(s.merged[:8]) + ("…" if len(s.merged) > 8 else "")
        out.warnings.append(f"sheet {s.title!r}: merged cells {shown} were read as their top-left value in every cell")
    main = table == KINDS[kind].main
    hidden = []
    rows = out.frames.setdefault(table, [])
    formula_rows = {i for i, _j in s.formulas}  # a row of formulas never calculated is not blank
    for i in range(start, len(s.rows)):
        cells = s.rows[i]
        if i not in formula_rows and not any(c is not None and str(c).strip() != "" for c in cells):
            if main:
                out.blank_rows += 1
            continue
        excel_row = i + 1
        if i in s.hidden_rows:
            hidden.append(excel_row)
        rec, bad = {"_row": excel_row, "_sheet": s.title}, False
        for j, f in cols.items():
            value = cells[j] if j < len(cells) else None
            ok, v = _cell(f, value, (i, j) in s.formulas and value is None, s.formulas.get((i, j)), excel_row,
                          out.labels.get(f.name, f.zh), s.title, table, out)
            bad |= not ok
            rec[f.name] = v
        if table == "program_item" and program:
            given = rec.get("program")
            if given not in (None, "") and (enum_code("program", str(given)) or given) != program:
                out.rejects.append(Reject("bad-value", f"this template is for {T.program_label(program)}; the row says "
                                          f"{given!r}", row=excel_row, column=out.labels.get("program", "台账类别"),
                                          value=str(given), sheet=s.title, table=table))
                bad = True
            rec["program"] = program
        if main:
            out.data_rows += 1
        if bad:
            rec["_rejected"] = True
        rows.append(rec)
    if hidden:
        out.warnings.append(f"sheet {s.title!r}: rows {', '.join(map(str, hidden[:20]))} are hidden in Excel; "
                            "they were read")


def _cell(f: Field, value, formula_without_value: bool, formula: str | None, row: int, label: str, sheet: str,
          table: str, out: _Read):
    """``(ok, value)``: the cell as the store's validation expects it, or a reject."""
    def reject(code, note, v=value):
        out.rejects.append(Reject(code, note, row=row, column=label, value=None if v is None else str(v)[:200],
                                  sheet=sheet, table=table))
        return False, None

    if formula_without_value:
        return reject("bad-value", f"the cell holds a formula ({formula}) whose result was never calculated; type the "
                                   "value, or open and save the file in Excel", formula)
    if value is None:
        return True, None
    if isinstance(value, str):
        if len(value) >= MAX_CELL:
            return reject("bad-value", f"the cell has {len(value):,} characters, at or over Excel's limit of "
                                       f"{MAX_CELL:,}: its text may have been cut off", value[:50] + "…")
        value = value.strip()
        if value == "":
            return True, None
    if isinstance(value, float) and not math.isfinite(value):  # a huge number Excel saved as inf
        return reject("type-error", f"{value!r} is not a finite number")
    if f.name in T.NICE_FIELDS:
        n, why = parse_class(value)
        return (True, n) if why is None else reject("bad-value" if "does not exist" in why else "type-error", why)
    if f.name in T.REGION_FIELDS and table != "region":
        code = _region_code(value)
        if code is None:
            return reject("unknown-region", f"{value!r} is not a region code or name of the region table "
                                            "(choose from the dropdown, e.g. 120116 滨海新区)")
        return True, code
    if f.name in T.REGION_FIELDS and isinstance(value, str):
        return True, value.split()[0]  # the regions ledger adds codes: taken as written
    if f.type == "float":
        yuan, note, err = parse_amount(value)
        if err:
            return reject("type-error", err)
        if note:
            out.warnings.append(f"sheet {sheet} row {row} column {label}: {note}")
        return True, yuan
    if f.type in ("date", "timestamp"):
        if isinstance(value, (dt.datetime, dt.date)):
            return True, value.strftime("%Y-%m-%d" if f.type == "date" else "%Y-%m-%d %H:%M:%S")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if 1 <= value < 2958466:  # Excel's date range
                d = (dt.datetime(1899, 12, 30) + dt.timedelta(days=float(value))).date()
                out.warnings.append(f"sheet {sheet} row {row} column {label}: the number {value:g} was read as the "
                                    f"Excel date {d.isoformat()}")
                return True, d.isoformat()
            return reject("type-error", f"{value!r} is not a date")
        return True, str(value)
    if f.type == "int" and isinstance(value, float):
        return True, int(value) if value == int(value) else value
    if isinstance(value, (dt.datetime, dt.date)):
        return True, value.strftime("%Y-%m-%d")
    if f.type == "str" and isinstance(value, float) and value == int(value):
        return True, str(int(value))  # a number typed into a text column (a case no. 2024001)
    if f.enum and isinstance(value, str):
        return True, value
    return True, value


def _region_code(value) -> str | None:
    """A region code from ``120116``, ``120116 滨海新区``, ``滨海新区`` or an alias: the home
    district's regions (:mod:`ipobs.entities.regions`) or any division of China
    (:mod:`ipobs.entities.divisions`, for records of entities outside the district)."""
    from ipobs.entities.divisions import divisions
    from ipobs.entities.regions import regions

    text = str(int(value)) if isinstance(value, float) and value == int(value) else str(value).strip()
    first = text.split()[0] if text.split() else text
    home, china = regions(), divisions()
    if first in home or first in china:
        return first
    for r in home.values():
        if text in (r.name, r.name_en) or text in r.aliases:
            return r.code
    return None


def _link_children(kind: str, out: _Read) -> None:
    """Reject children of rows rejected here; number children without 顺序; drop reader-rejected rows."""
    k = KINDS[kind]
    main = TABLES[k.main]
    key0 = main.key[0]
    main_rows = out.frames.get(k.main, [])
    rejected_keys = {str(r.get(key0)) for r in main_rows if r.get("_rejected") and r.get(key0) is not None}
    known_keys = {str(r.get(key0)) for r in main_rows if r.get(key0) is not None}
    out.frames[k.main] = [r for r in main_rows if not r.get("_rejected")]
    for child in k.children:
        rows = out.frames.get(child, [])
        t = TABLES[child]
        parent_col = key0 if key0 in t.columns else t.key[0]
        kept, unknown = [], set()
        for r in rows:
            key = r.get(parent_col)
            if r.get("_rejected"):
                continue
            if key is not None and str(key) in rejected_keys:
                out.rejects.append(Reject("parent-rejected", f"its {main.zh} {key} was rejected", row=r["_row"],
                                          sheet=r["_sheet"], table=child))
                continue
            if key is not None and main_rows and str(key) not in known_keys:
                unknown.add(str(key))
            kept.append(r)
        if "seq" in t.columns:
            counters: dict[str, int] = {}
            for r in kept:
                if r.get("seq") not in (None, ""):
                    counters[str(r.get(parent_col))] = max(counters.get(str(r.get(parent_col)), 0),
                                                           int(float(r["seq"])) if _is_number(r["seq"]) else 0)
            for r in kept:
                if r.get("seq") in (None, ""):
                    p = str(r.get(parent_col))
                    counters[p] = counters.get(p, 0) + 1
                    r["seq"] = counters[p]
        if unknown:
            shown = ", ".join(sorted(unknown)[:10])
            out.warnings.append(f"{len(unknown)} {t.zh} key(s) are not in the {main.zh} sheet ({shown}); their rows "
                                "are added to records already in the database")
        out.frames[child] = kept


def _is_number(v) -> bool:
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


def open_ledger(path: Path, kind: str | None = None, encoding: str | None = None):
    """The importer's streaming interface: one chunk, with columns named as in the workbook."""
    from ipobs.sources.reading import Chunk, Reading

    batch, labels, (data_rows, blank_rows) = _read(Path(path), kind)
    main = KINDS[batch.kind].main
    reading = Reading(kind=batch.kind, format="ledger-xlsx", describe=f"ledger template ({KINDS[batch.kind].zh})",
                      warnings=[], labels=labels, header=list(labels.values()),
                      mapping={v: k for k, v in labels.items()})
    reading.chunks = lambda ctx: iter([Chunk(batch)])
    rejected_here = len({(r.sheet, r.row) for r in batch.rejects if r.table in (None, main) and r.row is not None
                         and r.code != "unknown-column"})
    reading.data_rows = lambda: data_rows if main in batch.frames or rejected_here else \
        sum(len(df) for df in batch.frames.values())
    reading.blank_rows = lambda: blank_rows
    return reading


def sniff(path: Path, head: bytes) -> float:
    """1 for a template (marker sheet), 0.7 with its instructions sheet, 0.6 when a sheet's headers
    are a ledger kind's columns (a department's own workbook)."""
    if not head.startswith(b"PK\x03\x04"):
        return 0.0
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "xl/workbook.xml" not in names:
                return 0.0
            wbxml = z.read("xl/workbook.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, KeyError):
        return 0.0
    if f'name="{T.MARKER_SHEET}"' in wbxml:
        return 1.0
    if f'name="{T.INSTRUCTIONS_SHEET}"' in wbxml:
        return 0.7
    return 0.6 if _headers_look_like_ledger(path) else 0.0


def _headers_look_like_ledger(path: Path) -> bool:
    """Whether the first rows of one of the first three worksheets hold a ledger kind's headers.

    Reads the heads calamine loaded for every sniffer (:func:`ipobs.sources.tabular.excel_sheets`),
    not the whole sheet again with openpyxl."""
    from ipobs.sources.tabular import excel_sheets

    try:
        found = excel_sheets(path)
    except Exception:  # noqa: BLE001 - sniffing must never fail; the reader reports a broken file
        return False
    sheets = []
    for xs in found[:3]:
        s = _Sheet.__new__(_Sheet)
        s.rows = [[None if c == "" else c for c in r] for r in xs.head[:HEADER_SEARCH_ROWS]]
        sheets.append(s)
    return _guess_kind(sheets) is not None


_STREAMING = {"open": open_ledger} if "open" in getattr(Source, "__dataclass_fields__", {}) else {}
register(Source("ledger", "Department ledger template (台账, .xlsx generated by `ipobs template`)",
                tuple(T.ledger_kinds()), sniff, read, **_STREAMING))
