"""Import one file: detect its format, map it, resolve names, store it as one batch, summarize.

:func:`import_file` is the service behind ``ipobs import`` and the web upload page. It
raises :class:`ImportFailed` only when the file cannot be read at all (missing, empty,
unknown format, not what its extension says); every readable row ends *accepted*,
*updated*, *duplicate* or *rejected* with a reason, and the summary's counts add up to the
file's data rows. :func:`write_rejects` writes the rejected rows with their original
columns and the reasons, as an Excel file a clerk can fix and import again.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ipobs.records.batch import RecordBatch, Reject
from ipobs.records.schema import KINDS
from ipobs.sources.prefetch import Prefetch
from ipobs.sources.reading import Chunk, Context, Reading
from ipobs.sources.registry import UnknownFormat, detect
from ipobs.sources.tabular import EXCEL_EXT, TEXT_EXT, UnreadableFile, magic

UNMATCHED_LIMIT = 200  # distinct unmatched addresses listed in a summary
IMPORT_MEMORY = "512MB"  # DuckDB's memory cap during an import (IPOBS_IMPORT_MEMORY overrides)
PARTY_ROLES_RESOLVED = ("applicant", "owner", "agent")


class ImportFailed(Exception):
    """The file could not be read at all; the message names the file and what to do."""


@dataclass
class ImportSummary:
    file: str
    kind: str
    format: str
    status: str  # committed | duplicate_file | failed
    batch_id: int | None = None
    data_rows: int = 0
    accepted: int = 0
    updated: int = 0
    duplicate: int = 0
    rejected: int = 0
    blank_rows: int = 0
    read_as: str = ""
    encoding: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    unmapped_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    unmatched_regions: list[dict] = field(default_factory=list)
    unmatched_region_rows: int = 0
    unknown_statuses: list[dict] = field(default_factory=list)
    new_entities: int = 0
    new_aliases: int = 0
    warnings: list[str] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    message: str = ""
    header: list[str] = field(default_factory=list)

    def flatten(self, cols=("row", "column", "code")) -> list[tuple]:
        """The rejects as a table, e.g. ``[(4, "申请日", "type-error")]``."""
        return [tuple(getattr(r, c) for c in cols) for r in self.rejects]

    def rejects_by_code(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rejects:
            out[r.code] = out.get(r.code, 0) + 1
        return out

    def to_dict(self) -> dict:
        return {
            "file": self.file, "kind": self.kind, "format": self.format, "status": self.status,
            "batch_id": self.batch_id, "data_rows": self.data_rows,
            "accepted": self.accepted, "updated": self.updated, "duplicate": self.duplicate,
            "rejected": self.rejected, "blank_rows": self.blank_rows,
            "read_as": self.read_as, "encoding": self.encoding, "sheet": self.sheet, "header_row": self.header_row,
            "mapping": self.mapping, "unmapped_columns": self.unmapped_columns,
            "ignored_columns": self.ignored_columns, "unmatched_regions": self.unmatched_regions,
            "unmatched_region_rows": self.unmatched_region_rows, "unknown_statuses": self.unknown_statuses,
            "new_entities": self.new_entities, "new_aliases": self.new_aliases,
            "rejects_by_code": self.rejects_by_code(),
            "rejects": [{"row": r.row, "column": r.column, "code": r.code, "value": r.value, "note": r.note,
                         "sheet": r.sheet, "table": r.table} for r in self.rejects[:1000]],
            "warnings": self.warnings, "message": self.message,
        }


# ------------------------------------------------------------------ detection
def _describe_mismatch(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    kind = magic(head)
    ext = path.suffix.lower() or "no extension"
    if kind == "empty":
        return f"{path.name}: the file is empty"
    if kind in ("zip", "ole") and path.suffix.lower() in EXCEL_EXT:
        return (f"{path.name}: an Excel workbook, but no sheet has headers this system knows "
                f"(see docs/importing.md for the columns each kind needs)")
    if kind == "text" and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"[", b"{")):
        return (f"{path.name}: JSON, but not records of a kind this system stores "
                f"(patents, trademarks, software or works copyrights)")
    if kind == "text":
        return (f"{path.name}: a text file, but its first rows have no headers this system knows "
                f"(see docs/importing.md; for another encoding try --encoding gb18030)")
    if kind in ("zip", "ole"):
        return f"{path.name}: a {'zip archive' if kind == 'zip' else 'legacy Office file'} with extension {ext}, not a known format"
    expected = ("an Excel workbook" if path.suffix.lower() in EXCEL_EXT
                else "a CSV text file" if path.suffix.lower() in TEXT_EXT else "a known format")
    return f"{path.name}: this is a {kind}, not {expected} ({ext})"


def open_source(path: Path, kind: str | None = None, encoding: str | None = None) -> Reading:
    """Detect the format of ``path`` and open it (raises :class:`ImportFailed`)."""
    path = Path(path)
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise ImportFailed(f"{path.name}: the file is empty")
    if kind is not None and kind not in KINDS:
        raise ImportFailed(f"unknown record kind {kind!r}; known: {', '.join(KINDS)}")
    try:
        src, _ = detect(path, kind)
    except UnknownFormat:
        raise ImportFailed(_describe_mismatch(path)) from None
    except UnreadableFile as e:
        raise ImportFailed(str(e)) from None
    try:
        if src.open is not None:
            reading = src.open(path, kind=kind, encoding=encoding)
        else:
            batch = src.read(path, kind) if kind else src.read(path)
            reading = _whole(batch, src.name)
    except UnreadableFile as e:
        raise ImportFailed(str(e)) from None
    return reading


def _whole(batch: RecordBatch, name: str) -> Reading:
    """A Reading over a source that returns the whole file as one batch."""
    main = KINDS[batch.kind].main
    rows = batch.frames.get(main, pd.DataFrame())
    n = len(rows) + len({(r.sheet, r.row) for r in batch.rejects if r.table in (None, main) and r.row is not None
                         and r.code != "unknown-column"})
    reading = Reading(kind=batch.kind, format=batch.format or name, describe=batch.format or name,
                      warnings=list(batch.warnings))
    reading.chunks = lambda ctx: iter([Chunk(batch)])
    reading.data_rows = lambda: n
    return reading


# ------------------------------------------------------------------ import
def import_file(store, path, kind: str | None = None, strict: bool = False, encoding: str | None = None,
                user: str | None = None) -> ImportSummary:
    """Import one file as one batch; see the module docstring."""
    from ipobs.entities.resolve import Resolver
    from ipobs.store.batch import file_sha256
    from ipobs.store.stream import import_stream, prior_batch

    path = Path(path)
    reading = open_source(path, kind, encoding)
    summary = ImportSummary(path.name, reading.kind, reading.format, "committed", read_as=reading.describe,
                            encoding=reading.encoding, sheet=reading.sheet, header_row=reading.header_row,
                            mapping=dict(reading.mapping), unmapped_columns=list(reading.unmapped),
                            ignored_columns=list(reading.ignored), header=list(reading.header))
    for col in reading.unmapped:
        summary.warnings.append(f"unknown column {col!r} was not imported (unknown-column)")
    sha = file_sha256(path)
    prior = prior_batch(store, sha, reading.kind)
    if prior:
        res = import_stream(store, [], kind=reading.kind, source=path, sha256=sha, format=reading.format, user=user)
        summary.status, summary.batch_id, summary.message = res.status, res.batch_id, res.message
        summary.data_rows = sum(prior[k] or 0 for k in ("accepted", "updated", "duplicate", "rejected"))
        summary.duplicate = summary.data_rows
        return summary

    resolver = Resolver.from_store(store)
    main = KINDS[reading.kind].main
    unmatched: dict[str, int] = {}
    unknown_status: dict[str, int] = {}
    merged = {"duplicate": 0, "updated": 0}
    seen_reader_rejects = 0

    def lookup(pubs):
        ahead.wait_merged()  # the chunks before this one are in the store
        return _lookup_publication(store, pubs)

    ctx = Context(dt.date.today(), lookup_publication=lookup)
    # the next chunk is read and mapped in a background thread while this one is stored
    ahead = Prefetch(lambda: reading.chunks(ctx))

    def chunks():
        nonlocal seen_reader_rejects
        for ch in ahead:
            rr = reading.reader_rejects()
            ch.batch.rejects = list(ch.batch.rejects) + list(rr[seen_reader_rejects:])
            seen_reader_rejects = len(rr)
            _enrich(store, ch.batch, resolver)
            for k in merged:
                merged[k] += ch.merged.get(k, 0)
            _add_counts(unmatched, ch.unmatched)
            _add_counts(unknown_status, ch.unknown_statuses)
            yield ch.batch
            del ch
            ahead.done()
            _release_memory()
        rr = reading.reader_rejects()
        if len(rr) > seen_reader_rejects:
            yield RecordBatch(reading.kind, {}, rejects=list(rr[seen_reader_rejects:]), source=path,
                              format=reading.format)

    try:
        with _bounded_memory(store):
            res = import_stream(store, chunks(), kind=reading.kind, source=path, sha256=sha, format=reading.format,
                                user=user, strict=strict, label_of=reading.label_of)
    finally:
        ahead.close()
    summary.status, summary.batch_id, summary.message = res.status, res.batch_id, res.message
    # consequences (child rows of a rejected record) stay in the store's log, not in the summary
    summary.rejects = sorted((r for r in res.rejects if r.code != "parent-rejected"),
                             key=lambda r: (r.row is None, r.row or 0))
    summary.warnings += [w for w in res.warnings if w not in summary.warnings]
    summary.warnings += [w for w in reading.warnings if w not in summary.warnings]
    summary.data_rows = reading.data_rows()
    summary.blank_rows = reading.blank_rows()
    rejected_rows = {(r.sheet, r.row) for r in res.rejects
                     if r.row is not None and r.table in (None, main) and r.code != "unknown-column"}
    summary.rejected = len(rejected_rows)
    if res.status == "committed":
        summary.accepted = res.accepted
        summary.updated = res.updated + merged["updated"]
        summary.duplicate = res.duplicate + merged["duplicate"]
        ent = resolver.frames()
        if len(ent["entity"]) or len(ent["entity_alias"]):
            er = store.import_batch(RecordBatch("entities", ent, label=f"{path.name} (names)", format="resolver"),
                                    user=user)
            summary.new_entities = er.tables.get("entity").inserted if "entity" in er.tables else 0
            summary.new_aliases = er.tables.get("entity_alias").inserted if "entity_alias" in er.tables else 0
    top = sorted(unmatched.items(), key=lambda kv: (-kv[1], kv[0]))
    summary.unmatched_regions = [{"address": a, "rows": n} for a, n in top[:UNMATCHED_LIMIT]]
    summary.unmatched_region_rows = sum(unmatched.values())
    if len(top) > UNMATCHED_LIMIT:
        summary.warnings.append(f"{len(top)} distinct addresses matched no region; the first {UNMATCHED_LIMIT} are listed")
    summary.unknown_statuses = [{"status": s, "rows": n} for s, n in sorted(unknown_status.items(), key=lambda kv: -kv[1])]
    for s in summary.unknown_statuses[:20]:
        summary.warnings.append(f"legal status {s['status']!r} is not in legal_status.csv; left empty ({s['rows']} rows)")
    total = summary.accepted + summary.updated + summary.duplicate + summary.rejected
    if res.status == "committed" and total != summary.data_rows:
        summary.warnings.append(f"row accounting: {total} rows counted for {summary.data_rows} data rows")
    return summary


def _release_memory() -> None:
    """Hand memory freed by the last chunk back to the system, so peaks do not stack up."""
    import ctypes
    import gc

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


@contextmanager
def _bounded_memory(store):
    """Cap DuckDB's memory while one large batch is open, so a big file spills to disk instead
    of growing the process (``IPOBS_IMPORT_MEMORY``, default :data:`IMPORT_MEMORY`); restored afterwards."""
    limit = os.environ.get("IPOBS_IMPORT_MEMORY", IMPORT_MEMORY)
    try:
        before = store.scalar("SELECT current_setting('memory_limit')")
        store.con.execute(f"SET memory_limit = '{limit}'")
    except Exception:  # a read-only or foreign connection: leave it as it is
        before = None
    try:
        yield
    finally:
        if before:
            store.con.execute(f"SET memory_limit = '{before}'")


def _add_counts(acc: dict, s: pd.Series | None) -> None:
    if s is None:
        return
    for k, v in s.items():
        acc[k] = acc.get(k, 0) + int(v)


def _lookup_publication(store, pubs: list[str]) -> dict[str, str]:
    """Records the store holds under a publication or grant number (for rows without 申请号)."""
    if not pubs:
        return {}
    df = store.query(
        "SELECT publication_no AS no, patent_id FROM patent WHERE publication_no IN (SELECT unnest(?::VARCHAR[])) "
        "UNION ALL SELECT grant_no, patent_id FROM patent WHERE grant_no IN (SELECT unnest(?::VARCHAR[]))",
        [pubs, pubs])
    return dict(zip(df["no"], df["patent_id"]))


def _enrich(store, batch: RecordBatch, resolver) -> None:
    """Entity ids for the names a batch carries; drop status observations the store already has."""
    f = batch.frames
    party = f.get("patent_party")
    if party is not None and len(party):
        resolved = party["role"].isin(PARTY_ROLES_RESOLVED)
        ids = resolver.resolve_many(party.loc[resolved, "name_norm"])
        party["entity_id"] = pd.Series(pd.NA, index=party.index, dtype="string")
        party.loc[resolved, "entity_id"] = ids["entity_id"]
        pat = f.get("patent")
        if pat is not None and len(pat):
            first = party[resolved & (party["seq"] == 1) & party["role"].eq("applicant")].drop_duplicates("entity_id")
            new = resolver.new_entities  # entities opened by this import (membership is per id)
            # only those with a blank left to fill (an entity named in every chunk is noted once)
            first = first[pd.Series([isinstance(e, str) and (d := new.get(e)) is not None
                                     and (d.get("address") is None or d.get("region_code") is None)
                                     for e in first["entity_id"].tolist()], index=first.index, dtype=bool)]
            if len(first):
                regions = pat.drop_duplicates("patent_id").set_index("patent_id")["applicant_region"]
                region = first["patent_id"].map(regions)
                for eid, addr, r in zip(first["entity_id"], first["address"], region):
                    resolver.note_entity(eid, address=addr if isinstance(addr, str) else None,
                                         region_code=r if isinstance(r, str) else None)
    for name in ("trademark", "copyright"):
        df = f.get(name)
        if df is not None and len(df) and "owner" in df.columns:
            df["entity_id"] = resolver.resolve_many(df["owner"])["entity_id"]
    ev = f.get("patent_event")
    if ev is not None and len(ev) and "note" in ev.columns:
        observed = ev["note"].astype("string").str.startswith("observed").fillna(False)
        if observed.any():
            ids = list(ev.loc[observed, "patent_id"].unique())
            cur = store.query("SELECT patent_id, status FROM patent WHERE patent_id IN (SELECT unnest(?::VARCHAR[]))",
                              [ids])
            now = dict(zip(cur["patent_id"], cur["status"]))
            same = observed & (ev["patent_id"].map(now).astype("string") == ev["status_after"].astype("string")).fillna(False)
            f["patent_event"] = ev[~same].reset_index(drop=True)


# ------------------------------------------------------------------ rejects file
REASON_COLUMNS = ("错误原因 reason", "行号 row", "列 column", "代码 code")


def rejected_rows_frame(path, summary: ImportSummary, encoding: str | None = None) -> pd.DataFrame:
    """The rejected rows with their original cells and the reasons (one line per source row)."""
    by_row: dict[int | None, list[Reject]] = {}
    for r in summary.rejects:
        by_row.setdefault(r.row, []).append(r)
    wanted = {k for k in by_row if k is not None}
    originals: dict[int, list] = {}
    header = list(summary.header)
    if wanted and header:
        try:
            reading = open_source(Path(path), summary.kind, encoding)
            from ipobs.sources.cn_export import _open

            table = _open(Path(path), encoding)
            for df in table.chunks(50_000):
                sel = df[df["_row"].isin(wanted)]
                for row in sel.itertuples(index=False):
                    originals[int(row[-1])] = list(row[:-1])
            del reading
        except (ImportFailed, UnreadableFile, ImportError, AttributeError):
            originals = {}
    out = []
    for row in sorted(by_row, key=lambda x: (x is None, x or 0)):
        rs = by_row[row]
        cells = originals.get(row)
        if cells is None and rs[0].raw and header:
            cells = [rs[0].raw.get(h, "") for h in header]
        record = dict(zip(header, cells)) if cells is not None else {h: "" for h in header}
        record[REASON_COLUMNS[0]] = "；".join(dict.fromkeys(r.note for r in rs))
        record[REASON_COLUMNS[1]] = row
        record[REASON_COLUMNS[2]] = "、".join(dict.fromkeys(r.column for r in rs if r.column))
        record[REASON_COLUMNS[3]] = "、".join(dict.fromkeys(r.code for r in rs))
        out.append(record)
    return pd.DataFrame(out, columns=[*header, *REASON_COLUMNS])


def write_rejects(path, summary: ImportSummary, out, encoding: str | None = None) -> int:
    """Write the rejected rows to an .xlsx (original columns first); returns the row count."""
    from openpyxl import Workbook

    df = rejected_rows_frame(path, summary, encoding)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("rejects")
    ws.append(list(df.columns))
    for rec in df.itertuples(index=False):
        ws.append(["" if v is None or (isinstance(v, float) and v != v) else v for v in rec])
    wb.save(out)
    return len(df)


# ------------------------------------------------------------------ text summary
def summary_lines(s: ImportSummary, *, limit: int = 20) -> list[str]:
    """The summary as the lines ``ipobs import`` prints."""
    out = [f"{s.file}: {s.kind} from {s.format} ({s.read_as})"]
    if s.status == "duplicate_file":
        out.append(f"  {s.message}; {s.duplicate} rows counted as duplicate")
        return out
    if s.mapping:
        out.append("  columns mapped (column → field):")
        out += [f"    {col} → {fld}" for col, fld in s.mapping.items()]
    if s.ignored_columns:
        out.append(f"  known columns not imported: {', '.join(s.ignored_columns)}")
    if s.unmapped_columns:
        out.append(f"  unknown columns (not imported): {', '.join(s.unmapped_columns)}")
    out.append(f"  status: {s.status}  batch: {s.batch_id}")
    out.append(f"  data rows {s.data_rows}: accepted {s.accepted}, updated {s.updated}, "
               f"duplicate {s.duplicate}, rejected {s.rejected}" + (f"; blank rows skipped {s.blank_rows}" if s.blank_rows else ""))
    if s.new_entities or s.new_aliases:
        out.append(f"  names: {s.new_entities} new entities, {s.new_aliases} new name variants")
    if s.unmatched_regions:
        out.append(f"  addresses matched to no region: {s.unmatched_region_rows} rows, "
                   f"{len(s.unmatched_regions)} distinct (first {min(limit, len(s.unmatched_regions))}):")
        out += [f"    {u['rows']:>6}  {u['address']}" for u in s.unmatched_regions[:limit]]
    if s.rejects:
        out.append(f"  rejects by code: " + ", ".join(f"{k} {v}" for k, v in s.rejects_by_code().items()))
        for r in s.rejects[:limit]:
            out.append(f"    {r.message} [{r.code}]")
        if len(s.rejects) > limit:
            out.append(f"    … {len(s.rejects) - limit} more (use --rejects-out FILE.xlsx)")
    for w in s.warnings:
        out.append(f"  warning: {w}")
    return out
