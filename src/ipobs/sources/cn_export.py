"""Chinese patent exports (.xlsx, .xls, .csv): CNIPA 专利检索及分析, incoPat, Patsnap 智慧芽,
HimmPat, CNKI, CNIPR, 专利之星 and the like.

The file is recognised by its headers (the synonym table ``columns.yaml``), read in chunks
(:mod:`ipobs.sources.tabular`) and mapped to patent records (:mod:`ipobs.sources.patent_map`).
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Iterator

from ipobs.records.batch import RecordBatch
from ipobs.sources import columns as colmod
from ipobs.sources.patent_map import map_patents
from ipobs.sources.reading import Chunk, Context, Reading
from ipobs.sources.registry import Source, register
from ipobs.sources.tabular import EXCEL_EXT, TEXT_EXT, Table, UnreadableFile, magic, open_table

NAME = "cn-patent-export"
CHUNK_ROWS = 50_000
# Fields that tell a patent table from any other table.
_KEY_FIELDS = {"application_no", "publication_no", "publication_url"}
_CACHE: OrderedDict = OrderedDict()


def _score(cells: list) -> int:
    return colmod.header_hits(cells, "patents")


def _open(path: Path, encoding: str | None) -> Table:
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size, encoding)
    if key in _CACHE:
        return _CACHE[key]
    table = open_table(path, encoding=encoding, score=_score)
    _CACHE[key] = table
    while len(_CACHE) > 4:
        _CACHE.popitem(last=False)
    return table


def sniff(path: Path, head: bytes) -> float:
    kind = magic(head)
    ext = path.suffix.lower()
    if kind not in ("zip", "ole", "text"):
        return 0.0
    if kind == "text" and ext not in TEXT_EXT and ext:
        return 0.0
    if kind in ("zip", "ole") and ext not in EXCEL_EXT:
        return 0.0
    try:
        table = _open(path, None)
    except UnreadableFile:
        return 0.0
    cmap = colmod.map_columns(table.header, "patents")
    if not (_KEY_FIELDS & set(cmap.fields)) or "title" not in cmap.fields and "filing_date" not in cmap.fields:
        return 0.0
    hits = sum(len(v) for v in cmap.fields.values())
    return min(0.95, 0.4 + 0.05 * hits)


def open_reading(path: Path, kind: str | None = None, encoding: str | None = None) -> Reading:
    path = Path(path)
    table = _open(path, encoding)
    cmap = colmod.map_columns(table.header, "patents")
    labels = {f: table.header[pos[0]] for f, pos in cmap.positions.items()}
    labels["patent_id"] = labels.get("application_no") or labels.get("publication_no") or "申请号"
    labels["kind"] = labels.get("patent_type") or labels.get("kind_code") or labels["patent_id"]
    labels["ipc_main"] = labels.get("ipc_main") or labels.get("ipc_all", "ipc_main")
    labels["region_code"] = labels.get("applicant_address", "region_code")
    reading = Reading(
        kind="patents", format=NAME, describe=table.describe(),
        mapping={table.header[p]: f for f, ps in cmap.positions.items() for p in ps},
        unmapped=list(cmap.unknown), ignored=list(cmap.ignored), warnings=list(table.warnings),
        encoding=table.encoding, sheet=table.sheet, header_row=table.header_row, header=list(table.header),
        labels=labels,
    )
    if table.header_row > 1:
        reading.warnings.append(f"header found on row {table.header_row}; rows above it were not read")

    def chunks(ctx: Context) -> Iterator[Chunk]:
        for df in table.chunks(CHUNK_ROWS):
            m = map_patents(df, cmap, table.columns, observed_on=ctx.observed_on,
                            lookup_publication=ctx.lookup_publication, sheet=None)
            batch = RecordBatch("patents", m.frames, rejects=m.rejects, source=path, format=NAME,
                                warnings=list(table.warnings))
            yield Chunk(batch, m.merged, m.unmatched_addresses, m.unknown_statuses)

    reading.chunks = chunks
    reading.reader_rejects = lambda: table.rejects
    reading.data_rows = lambda: table.data_rows
    reading.blank_rows = lambda: table.blank_rows
    return reading


def read(path: Path, kind: str | None = None, encoding: str | None = None) -> RecordBatch:
    """The whole file as one batch (small files; the importer streams instead)."""
    import datetime as dt

    import pandas as pd

    reading = open_reading(path, kind, encoding)
    frames: dict[str, list] = {}
    rejects = list()
    for ch in reading.chunks(Context(dt.date.today())):
        for k, v in ch.batch.frames.items():
            frames.setdefault(k, []).append(v)
        rejects += ch.batch.rejects
    rejects += reading.reader_rejects()
    return RecordBatch("patents", {k: pd.concat(v, ignore_index=True) for k, v in frames.items()},
                       rejects=rejects, source=Path(path), format=NAME, warnings=reading.warnings)


SOURCE = register(Source(NAME, "Chinese patent export (CNIPA / incoPat / Patsnap / CNKI …; xlsx, xls, csv)",
                         ("patents",), sniff, read, open_reading))
