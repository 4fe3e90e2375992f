"""Spreadsheets and CSV files as a header plus chunks of text cells, streamed.

:func:`open_table` finds the sheet and the header row (the row with the most known
headers among the first rows: exports put titles and blank rows above it), sniffs a CSV's
encoding and delimiter, and yields the data in chunks of string cells with the row number
a spreadsheet shows (``_row``; the first row of the file is 1). Nothing is dropped
silently: blank rows are counted, rows that cannot be split into the header's columns
become ``bad-format`` rejects, and everything chosen (sheet, header row, encoding,
delimiter) is reported.

CSV is read in blocks cut at record boundaries (quote parity), transcoded to UTF-8 when
needed and parsed with pyarrow; a block with a ragged row is parsed again with the csv
module so every row keeps its exact number. Excel files are read with calamine (cached
formula values, hidden sheets listed, merged header cells filled).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ipobs.records.batch import Reject

HEAD_ROWS = 30  # rows searched for the header
BLOCK_BYTES = 24 << 20
MAGIC = [
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"{\\rtf", "RTF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
]
EXCEL_EXT = {".xlsx", ".xlsm", ".xls", ".xlsb", ".et"}
TEXT_EXT = {".csv", ".txt", ".tsv"}


class UnreadableFile(Exception):
    """The file cannot be read as a table at all (the message names the file and the fix)."""


# ------------------------------------------------------------------ sniffing
def magic(head: bytes) -> str:
    """What the first bytes say the file is: ``zip``, ``ole``, ``text``, ``empty`` or a name."""
    if not head:
        return "empty"
    for sig, name in MAGIC:
        if head.startswith(sig):
            return name
    if head[:4].lstrip().startswith((b"<?xm", b"<htm", b"<HTM", b"<!DO", b"<tab")):
        return "xml/html"
    return "text" if looks_like_text(head) else "binary"


def looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if _utf16_without_bom(head):
        return True
    sample = head[:8192]
    if b"\x00" in sample:
        return False
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control <= len(sample) // 100


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    enc = None
    if odd > half * 0.3 and even < half * 0.05:
        enc = "utf-16-le"
    elif even > half * 0.3 and odd < half * 0.05:
        enc = "utf-16-be"
    if enc is None:
        return None
    text = sample[: len(sample) // 2 * 2].decode(enc, errors="replace")
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    return enc if control <= len(text) // 50 else None


def sniff_encoding(head: bytes) -> str:
    """BOM, then UTF-16 without BOM, then UTF-8, then GB18030 (a superset of GBK/GB2312)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    u16 = _utf16_without_bom(head)
    if u16:
        return u16
    for enc in ("utf-8", "gb18030", "big5"):
        try:
            codecs.getincrementaldecoder(enc)().decode(head, final=False)
            return enc
        except UnicodeDecodeError:
            continue
    return "gb18030"


# ------------------------------------------------------------------ the table
@dataclass
class Table:
    """An opened table: where its header is and how to stream its rows."""

    path: Path
    format: str  # csv | xlsx | xls
    header: list[str]  # header labels as written (blank ones named "列N")
    header_row: int  # row number of the header as a spreadsheet shows it
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    warnings: list[str] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)  # rows that could not be read
    blank_rows: int = 0
    data_rows: int = 0  # non-blank rows seen so far (complete once chunks are exhausted)
    _chunks: Callable[[int], Iterator[pd.DataFrame]] | None = None

    @property
    def columns(self) -> list[str]:
        """Internal column names of the chunks (unique even when headers repeat)."""
        return [f"c{i}" for i in range(len(self.header))]

    def chunks(self, rows: int = 50_000) -> Iterator[pd.DataFrame]:
        """DataFrames of string cells (``c0``…, blank = ``""``) plus ``_row``."""
        assert self._chunks is not None
        yield from self._chunks(rows)

    def describe(self) -> str:
        parts = [f"{self.format}"]
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        parts.append(f"header on row {self.header_row}")
        if self.encoding:
            parts.append(f"encoding {self.encoding}")
        if self.delimiter and self.delimiter != ",":
            parts.append(f"delimiter {self.delimiter!r}")
        return ", ".join(parts)


def _labels(cells: list) -> list[str]:
    out = []
    for i, c in enumerate(cells):
        s = "" if c is None else str(c).strip()
        out.append(s or f"列{i + 1}")
    return out


def _choose_header(rows: list[list], score: Callable[[list], int]) -> int:
    """Index of the header among the first rows: most known headers, else the first non-blank row."""
    best, best_i = 0, None
    for i, r in enumerate(rows[:HEAD_ROWS]):
        s = score(r)
        if s > best:
            best, best_i = s, i
    if best_i is not None:
        return best_i
    for i, r in enumerate(rows):
        if any(str(c).strip() for c in r if c is not None):
            return i
    return 0


def open_table(path: Path, *, encoding: str | None = None, score: Callable[[list], int] | None = None) -> Table:
    """Open a CSV or Excel file; raise :class:`UnreadableFile` when it is neither or is empty."""
    path = Path(path)
    score = score or (lambda cells: 0)
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 18)
    except OSError as e:
        raise UnreadableFile(f"{path.name}: cannot open the file ({e.strerror})") from None
    kind = magic(head)
    ext = path.suffix.lower()
    if kind == "empty":
        raise UnreadableFile(f"{path.name}: the file is empty")
    if kind in ("zip", "ole"):
        return _open_excel(path, kind, score)
    if kind == "text":
        return _open_csv(path, head, encoding, score)
    expected = "an Excel workbook" if ext in EXCEL_EXT else "a CSV text file" if ext in TEXT_EXT else "a table"
    raise UnreadableFile(f"{path.name}: this is a {kind}, not {expected} ({ext or 'no extension'})")


# ------------------------------------------------------------------ Excel
def _cell_text(v) -> str:
    if v is None:
        return ""
    t = type(v)
    if t is str:
        return v
    if t is float:
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is int:
        return str(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


@dataclass
class ExcelSheet:
    """One worksheet as calamine loaded it, with its first rows (for header sniffing)."""

    name: str
    visible: bool
    sheet: object | None  # CalamineSheet; None when it could not be read
    head: list[list]
    error: str | None = None


_EXCEL_CACHE: dict = {}


def excel_sheets(path: Path) -> list[ExcelSheet]:
    """The worksheets of a workbook, each loaded once per file version (the sniffers of every
    source and the reader share them: calamine parses a whole sheet when it loads it).

    Raises :class:`UnreadableFile` when the workbook cannot be opened."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    hit = _EXCEL_CACHE.get(key)
    if hit is not None:
        return hit
    try:
        wb = CalamineWorkbook.from_path(str(path))
        metas = list(wb.sheets_metadata)
    except Exception as e:  # calamine raises its own error types for every broken file
        raise UnreadableFile(f"{path.name}: not a readable Excel workbook ({type(e).__name__}: {e})") from None
    out = []
    for meta in metas:
        if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
            continue
        visible = str(meta.visible).rsplit(".", 1)[-1] == "Visible"
        try:
            sheet = wb.get_sheet_by_name(meta.name)
            head = []
            for r in sheet.iter_rows():
                head.append(r)
                if len(head) >= HEAD_ROWS:
                    break
        except Exception as e:
            out.append(ExcelSheet(meta.name, visible, None, [], str(e)))
            continue
        out.append(ExcelSheet(meta.name, visible, sheet, head))
    _EXCEL_CACHE.clear()  # one workbook at a time: a loaded sheet holds all its cells
    _EXCEL_CACHE[key] = out
    return out


def _open_excel(path: Path, kind: str, score) -> Table:
    fmt = "xls" if kind == "ole" else "xlsx"
    candidates = []
    warnings = []
    for order, xs in enumerate(excel_sheets(path)):
        visible, sheet, head, meta = xs.visible, xs.sheet, xs.head, xs
        if xs.error is not None:
            warnings.append(f"sheet {meta.name!r} could not be read ({xs.error}); skipped")
            continue
        if not head:
            continue
        i = _choose_header(head, score)
        candidates.append((visible, score(head[i]), -order, meta.name, sheet, head, i))
        if not visible:
            warnings.append(f"hidden sheet {meta.name!r} found")
    if not candidates:
        raise UnreadableFile(f"{path.name}: the workbook has no rows in any sheet")
    candidates.sort(key=lambda c: (c[1] > 0, c[0], c[1], c[2]), reverse=True)
    visible, _, _, name, sheet, head, i = candidates[0]
    others = [c[3] for c in candidates[1:]]
    if others:
        warnings.append(f"read sheet {name!r}; other sheets not read: {', '.join(map(repr, others))}")
    if not visible:
        warnings.append(f"sheet {name!r} is hidden but holds the best header; it was read")
    start_row, start_col = sheet.start or (0, 0)
    header = list(head[i])
    _fill_merged(header, sheet, start_row + i, start_row, start_col)
    labels = _labels([_cell_text(c) for c in header])
    if start_col:
        labels = [f"列{k + 1}" for k in range(start_col)] + labels
    table = Table(path, fmt, labels, start_row + i + 1, sheet=name, warnings=warnings)
    if start_col:
        table.warnings.append(f"the sheet starts in column {start_col + 1}")

    def chunks(size: int) -> Iterator[pd.DataFrame]:
        width = len(labels)
        rows: list[list[str]] = []
        nums: list[int] = []
        overflow = 0
        for k, r in enumerate(sheet.iter_rows()):
            if k <= i:
                continue
            cells = [""] * start_col + [c if type(c) is str else _cell_text(c) for c in r]
            if len(cells) > width:
                if any(c.strip() for c in cells[width:]):
                    overflow += 1
                cells = cells[:width]
            elif len(cells) < width:
                cells += [""] * (width - len(cells))
            if not any(cells) or not any(c.strip() for c in cells):
                table.blank_rows += 1
                continue
            rows.append(cells)
            nums.append(start_row + k + 1)
            if len(rows) >= size:
                table.data_rows += len(rows)
                yield _frame(rows, nums, width)
                rows, nums = [], []
        if rows:
            table.data_rows += len(rows)
            yield _frame(rows, nums, width)
        if overflow:
            table.warnings.append(f"{overflow} row(s) have values in columns without a header; those values were not read")

    table._chunks = chunks
    return table


def _fill_merged(header: list, sheet, header_idx: int, start_row: int, start_col: int) -> None:
    """Give blank header cells the value of the merged range that covers them."""
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:
        return
    for (r0, c0), (r1, c1) in ranges:
        if not (r0 <= header_idx <= r1):
            continue
        value = None
        if r0 == header_idx:
            j = c0 - start_col
            value = header[j] if 0 <= j < len(header) else None
        if value in (None, ""):
            continue
        for c in range(c0, c1 + 1):
            j = c - start_col
            while j >= len(header):
                header.append("")
            if j >= 0 and header[j] in (None, "") and c != c0:
                header[j] = value
    # vertical merges from a row above the header: value sits in the top-left cell
    for (r0, c0), (r1, c1) in ranges:
        if r0 < header_idx <= r1:
            try:
                above = [r for k, r in enumerate(sheet.iter_rows()) if k == r0 - start_row]
            except Exception:
                return
            if above:
                j = c0 - start_col
                row = above[0]
                if 0 <= j < len(row) and 0 <= j and (j >= len(header) or header[j] in (None, "")):
                    while j >= len(header):
                        header.append("")
                    header[j] = row[j]


def _frame(rows: list[list[str]], nums: list[int], width: int) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=[f"c{i}" for i in range(width)], dtype=object)
    df["_row"] = nums
    return df


# ------------------------------------------------------------------ CSV
def _open_csv(path: Path, head: bytes, encoding: str | None, score) -> Table:
    enc = encoding or sniff_encoding(head)
    try:
        codecs.lookup(enc)
    except LookupError:
        raise UnreadableFile(f"{path.name}: unknown encoding {enc!r}") from None
    dec = codecs.getincrementaldecoder(enc)(errors="replace")
    text = dec.decode(head, final=len(head) < (1 << 18))
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if len(head) >= (1 << 18) and lines:
        lines = lines[:-1]  # the last line may be cut
    sample = "".join(lines)
    if not sample.strip():
        raise UnreadableFile(f"{path.name}: the file has no text rows")
    best = None
    for delim in (",", "\t", ";", "|"):
        try:
            rows = list(_limited(csv.reader(io.StringIO(sample), delimiter=delim), HEAD_ROWS))
        except csv.Error:
            continue
        if not rows:
            continue
        i = _choose_header(rows, score)
        s = (score(rows[i]), len(rows[i]))
        if best is None or s > best[0]:
            best = (s, delim, rows, i)
    if best is None:
        raise UnreadableFile(f"{path.name}: no rows could be read as CSV")
    _, delim, rows, i = best
    labels = _labels(rows[i])
    table = Table(path, "csv", labels, i + 1, encoding=enc, delimiter=delim)
    if encoding is None and enc not in ("utf-8", "utf-8-sig"):
        table.warnings.append(f"encoding sniffed as {enc}")
    table._chunks = lambda size: _csv_chunks(table, i + 1, size)
    return table


def _limited(it, n):
    for k, r in enumerate(it):
        if k >= n:
            break
        yield r


def _utf8_blocks(path: Path, enc: str) -> Iterator[bytes]:
    """The file as UTF-8 byte blocks (transcoded when needed, BOM removed)."""
    same = enc.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")
    dec = None if same else codecs.getincrementaldecoder(enc)(errors="replace")
    first = True
    with open(path, "rb") as fh:
        while True:
            raw = fh.read(BLOCK_BYTES)
            final = not raw
            if dec is not None:
                text = dec.decode(raw, final=final)
                if first and text.startswith("\ufeff"):
                    text = text[1:]
                out = text.encode("utf-8")
            else:
                out = raw
                if first and out.startswith(codecs.BOM_UTF8):
                    out = out[3:]
            first = False
            if out:
                yield out
            if final:
                return


def _record_blocks(blocks: Iterator[bytes], quote: bytes = b'"') -> Iterator[bytes]:
    """Re-cut byte blocks so each ends at a record boundary (a newline outside quotes)."""
    carry = b""
    for b in blocks:
        data = carry + b if carry else b
        cut = _last_record_end(data, quote)
        if cut <= 0:
            carry = data
            continue
        yield data[:cut]
        carry = data[cut:]
    if carry:
        yield carry if carry.endswith(b"\n") else carry + b"\n"


def _last_record_end(data: bytes, quote: bytes) -> int:
    total = data.count(quote)
    after = 0
    end = len(data)
    while True:
        pos = data.rfind(b"\n", 0, end)
        if pos < 0:
            return -1
        after += data.count(quote, pos + 1, end)
        if (total - after) % 2 == 0:
            return pos + 1
        end = pos


def _nth_record_end(data: bytes, n: int, quote: bytes = b'"') -> int:
    """Byte offset just after the first ``n`` records of ``data`` (-1 when it holds fewer)."""
    pos, parity, seen = 0, 0, 0
    while seen < n:
        nl = data.find(b"\n", pos)
        if nl < 0:
            return -1
        parity = (parity + data.count(quote, pos, nl)) % 2
        pos = nl + 1
        if parity == 0:
            seen += 1
    return pos


def _csv_chunks(table: Table, skip_records: int, size: int) -> Iterator[pd.DataFrame]:
    width = len(table.header)
    names = table.columns
    next_row = skip_records + 1  # row number of the first record of the next block
    pending: list[pd.DataFrame] = []
    pending_rows = 0
    first = True
    for block in _record_blocks(_utf8_blocks(table.path, table.encoding or "utf-8")):
        if first:
            cut = _nth_record_end(block, skip_records)
            if cut < 0:
                return
            block = block[cut:]
            first = False
            if not block:
                continue
        df, records = _parse_block(block, table, names, width, next_row)
        next_row += records
        if len(df):
            pending.append(df)
            pending_rows += len(df)
        while pending_rows >= size:
            whole = pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0]
            out, rest = whole.iloc[:size].reset_index(drop=True), whole.iloc[size:].reset_index(drop=True)
            table.data_rows += len(out)
            yield out
            pending, pending_rows = ([rest], len(rest)) if len(rest) else ([], 0)
    if pending_rows:
        whole = pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0]
        table.data_rows += len(whole)
        yield whole


def _parse_block(block: bytes, table: Table, names: list[str], width: int, first_row: int):
    """(frame of the non-blank rows, number of records in the block)."""
    invalid = []

    def handler(row):
        invalid.append(row)
        return "skip"

    try:
        t = pacsv.read_csv(
            io.BytesIO(block),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 20),
            parse_options=pacsv.ParseOptions(delimiter=table.delimiter or ",", newlines_in_values=True,
                                              ignore_empty_lines=False, invalid_row_handler=handler),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        invalid = [None]  # e.g. bytes that are not UTF-8: the careful parser below handles them
    if invalid:
        return _parse_block_slow(block, table, names, width, first_row)
    records = t.num_rows
    filled = None
    for col in t.columns:
        f = pc.not_equal(pc.utf8_length(pc.utf8_trim_whitespace(col)), 0)
        filled = f if filled is None else pc.or_(filled, f)
    rows = pa.array(range(first_row, first_row + records), type=pa.int64())
    t = t.append_column("_row", rows)
    if filled is not None and records:
        kept = t.filter(filled)
        table.blank_rows += records - kept.num_rows
        t = kept
    return t.to_pandas(), records


def _parse_block_slow(block: bytes, table: Table, names: list[str], width: int, first_row: int):
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        text = block.decode("utf-8", errors="replace")
        _warn_once(table, "some bytes are not valid in the file's encoding and were replaced (�); "
                          "try --encoding gb18030 or --encoding utf-16")
    rows, nums = [], []
    records = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter or ",")
    while True:
        try:
            r = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            table.rejects.append(Reject("bad-format", f"the row cannot be read as CSV ({e})", row=first_row + records))
            records += 1
            continue
        row_no = first_row + records
        records += 1
        if len(r) > width:
            extra = [c for c in r[width:] if c.strip()]
            if extra:
                table.rejects.append(Reject(
                    "bad-format", f"the row has {len(r)} cells but the header has {width}: values may be shifted "
                                  f"(an unquoted delimiter?)", row=row_no, value=str(extra[0])[:200],
                    raw=dict(zip(table.header, r[:width]))))
                table.data_rows += 1
                continue
            r = r[:width]
        elif len(r) < width:
            r = r + [""] * (width - len(r))
        rows.append(r)
        nums.append(row_no)
    df = pd.DataFrame(rows, columns=names, dtype=object) if rows else pd.DataFrame(columns=names, dtype=object)
    df["_row"] = nums
    return _drop_blank(df, table, names), records


def _drop_blank(df: pd.DataFrame, table: Table, names: list[str]) -> pd.DataFrame:
    if not len(df):
        return df
    filled = pd.Series(False, index=df.index)
    for n in names:
        filled |= df[n].str.strip().ne("")
    blank = int((~filled).sum())
    if blank:
        table.blank_rows += blank
        df = df[filled].reset_index(drop=True)
    return df


def _warn_once(table: Table, message: str) -> None:
    if message not in table.warnings:
        table.warnings.append(message)
