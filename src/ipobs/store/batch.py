"""Batch imports: atomic, idempotent, logged, archived.

One :class:`~ipobs.records.batch.RecordBatch` becomes one transaction: its new rows, its
updates, its rejects and its log entry are committed together or not at all. The same file
(same SHA-256) a second time adds nothing and says so; the same records from another file
count as duplicates. The main table of a kind is updated in place when a later source
says more about a known key (non-empty values win); history tables only ever grow.

Modes: ``strict=False`` (the default) stores the good rows and keeps every rejected row
with its reason; ``strict=True`` refuses the whole batch if any row is rejected (the
store's records are left untouched; the failed attempt and its rejects are logged).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ipobs.records.batch import RecordBatch, Reject
from ipobs.records.schema import KINDS, TABLES
from ipobs.records.validate import validate
from ipobs.store.db import log_warnings


class BatchError(Exception):
    """The batch could not be imported at all (nothing was written)."""


@dataclass
class TableCounts:
    inserted: int = 0
    updated: int = 0
    duplicate: int = 0


@dataclass
class BatchResult:
    batch_id: int | None
    kind: str
    file_name: str | None
    sha256: str
    status: str  # committed | duplicate_file | failed
    accepted: int = 0
    updated: int = 0
    duplicate: int = 0
    rejected: int = 0
    rejects: list[Reject] = field(default_factory=list)
    tables: dict[str, TableCounts] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    message: str = ""
    archive_path: str | None = None

    def to_dict(self) -> dict:
        return {
            "batch_id": self.batch_id,
            "kind": self.kind,
            "file": self.file_name,
            "sha256": self.sha256,
            "status": self.status,
            "accepted": self.accepted,
            "updated": self.updated,
            "duplicate": self.duplicate,
            "rejected": self.rejected,
            "message": self.message,
            "warnings": self.warnings,
            "tables": {k: vars(v) for k, v in self.tables.items()},
        }


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def frames_sha256(frames: dict[str, pd.DataFrame]) -> str:
    """A content hash for batches without a file (demo chunks, API posts).

    SHA-256 over a canonical byte form of each frame's columns as Arrow arrays: the type,
    the null bitmap, then the values (fixed-width values as bytes with nulls zeroed; text
    as rebased offsets and the UTF-8 bytes). Equal frames give equal digests however
    their arrays are chunked or sliced, and no cell becomes a Python object.
    """
    h = hashlib.sha256()
    for name in sorted(frames):
        df = frames[name]
        h.update(name.encode())
        h.update(",".join(map(str, df.columns)).encode())
        if len(df):
            table = pa.Table.from_pandas(df, preserve_index=False)
            for col in table.columns:
                for part in _column_bytes(col.combine_chunks()):
                    h.update(part)
    return h.hexdigest()


def batch_sha256(batch: RecordBatch) -> str:
    """The batch's identity for idempotence: its file's SHA-256, else the digest its producer
    vouches for, else :func:`frames_sha256` of its frames."""
    if batch.source:
        return file_sha256(Path(batch.source))
    return batch.digest or frames_sha256(batch.frames)


def _column_bytes(arr: pa.Array):
    t = arr.type
    yield str(t).encode()
    nulls = arr.is_null().to_numpy(zero_copy_only=False) if arr.null_count else None
    if nulls is not None:
        yield np.packbits(nulls).tobytes()
    if pa.types.is_null(t):
        return
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t) or pa.types.is_large_binary(t):
        arr = arr.fill_null("" if pa.types.is_string(t) or pa.types.is_large_string(t) else b"")
        arr = arr.cast(pa.large_binary())
        off = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset: arr.offset + len(arr) + 1]
        yield (off - off[0]).tobytes()
        data = arr.buffers()[2]
        if data is not None and off[-1] > off[0]:
            yield memoryview(data)[int(off[0]): int(off[-1])]
        return
    if not (pa.types.is_primitive(t) or pa.types.is_decimal(t)):
        # nested or dictionary values (not produced by the record frames): their text form
        yield "\x1f".join(map(str, arr.to_pylist())).encode()
        return
    if pa.types.is_boolean(t):
        yield np.packbits(arr.fill_null(False).to_numpy(zero_copy_only=False)).tobytes()
        return
    width = t.bit_width // 8
    values = np.frombuffer(arr.buffers()[1], dtype=np.uint8)[arr.offset * width:(arr.offset + len(arr)) * width]
    if nulls is not None:
        values = values.reshape(len(arr), width).copy()
        values[nulls] = 0
    yield values.tobytes()


def _children_of_rejected(kind, main_key_rejected: set, frames) -> dict[str, pd.Series]:
    """Masks of child rows whose parent key was rejected."""
    masks = {}
    if not main_key_rejected:
        return masks
    main = TABLES[kind.main]
    parent_col = main.key[0]
    for child in kind.children:
        df = frames.get(child)
        if df is None or not len(df):
            continue
        col = parent_col if parent_col in df.columns else TABLES[child].key[0]
        masks[child] = df[col].astype("string").isin(main_key_rejected)
    return masks


def _validate_all(batch: RecordBatch, label_of) -> tuple[dict[str, pd.DataFrame], list[Reject]]:
    kind = KINDS[batch.kind]
    unknown = set(batch.frames) - set(kind.tables)
    if unknown:
        raise BatchError(f"kind {kind.name} has no table(s) {', '.join(sorted(unknown))}")
    rejects = list(batch.rejects)
    good: dict[str, pd.DataFrame] = {}
    main_rejected: set = set()
    main_df = batch.frames.get(kind.main)
    if main_df is not None:
        ok, rej = validate(kind.main, main_df, label_of=label_of)
        rejects += rej
        good[kind.main] = ok
        key0 = TABLES[kind.main].key[0]
        if key0 in main_df.columns:
            # keys of the file that no good row carries (vectorized: a set of millions of keys is slow)
            all_keys = pa.array(main_df[key0].astype("string").dropna(), type=pa.large_string())
            kept = pa.array(ok[key0].astype("string").dropna(), type=pa.large_string())
            lost = pc.filter(all_keys, pc.invert(pc.is_in(all_keys, value_set=kept)))
            main_rejected = set(pc.unique(lost).to_pylist())
    frames = dict(batch.frames)
    for child, mask in _children_of_rejected(kind, main_rejected, frames).items():
        df = frames[child]
        rows = df["_row"] if "_row" in df.columns else pd.Series([None] * len(df), index=df.index)
        for r, k in zip(rows[mask], df.loc[mask, TABLES[child].key[0]]):
            rejects.append(Reject("parent-rejected", f"its {kind.main} {k} was rejected",
                                  row=None if pd.isna(r) else int(r), table=child))
        frames[child] = df[~mask]
    for child in kind.children:
        if child in frames:
            ok, rej = validate(child, frames[child], label_of=label_of)
            rejects += rej
            good[child] = ok
    return good, rejects


def _merge_table(con, name: str, df: pd.DataFrame, batch_id: int, *, update_main: bool,
                 new_keys: bool = False) -> TableCounts:
    t = TABLES[name]
    cols = [c for c in t.columns if c != "batch_id"]
    df = df[cols].copy()
    df["batch_id"] = batch_id
    if not len(df):
        return TableCounts()
    # DuckDB reads the local variable ``_incoming`` by replacement scan: a registered view would keep
    # every chunk's Arrow buffers alive until a streamed (one-transaction) import commits
    _incoming = pa.Table.from_pandas(df, preserve_index=False)  # noqa: F841
    try:
        existing = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        quoted = ", ".join(f'"{c}"' for c in t.columns)
        if existing == 0 or new_keys:
            con.execute(f'INSERT INTO "{name}" ({quoted}) SELECT {quoted} FROM _incoming')
            return TableCounts(inserted=len(df))
        on = " AND ".join(f'o."{k}" = n."{k}"' for k in t.key)
        values = [c for c in cols if c not in t.key]
        changed = " OR ".join(f'(n."{c}" IS NOT NULL AND n."{c}" IS DISTINCT FROM o."{c}")' for c in values) or "FALSE"
        known, upd = con.execute(
            f'SELECT count(*), count(*) FILTER (WHERE {changed}) FROM _incoming n JOIN "{name}" o ON {on}'
        ).fetchone()
        # no incoming key is known: a plain insert (the anti-join would scan the whole table)
        where = f'WHERE NOT EXISTS (SELECT 1 FROM "{name}" o WHERE {on})' if known else ""
        con.execute(f'INSERT INTO "{name}" ({quoted}) SELECT {quoted} FROM _incoming n {where}')
        counts = TableCounts(inserted=len(df) - known, duplicate=known)
        if update_main and upd:
            sets = ", ".join(f'"{c}" = COALESCE(n."{c}", o."{c}")' for c in values)
            con.execute(
                f'UPDATE "{name}" o SET {sets}, batch_id = n.batch_id FROM _incoming n WHERE {on} AND ({changed})'
            )
            counts.updated, counts.duplicate = upd, known - upd
        return counts
    finally:
        del _incoming


def _log_rejects(con, batch_id: int, rejects: list[Reject]) -> None:
    if not rejects:
        return
    df = pd.DataFrame(
        {
            "batch_id": batch_id,
            "sheet": [r.sheet for r in rejects],
            "row_no": pd.array([r.row for r in rejects], dtype="Int64"),
            "column_name": [r.column for r in rejects],
            "code": [r.code for r in rejects],
            "value": [None if r.value is None else str(r.value)[:1000] for r in rejects],
            "note": [r.note for r in rejects],
            "record_table": [r.table for r in rejects],
            "raw": [None if r.raw is None else json.dumps(r.raw, ensure_ascii=False, default=str) for r in rejects],
        }
    )
    con.register("_rejects", df)
    try:
        con.execute("INSERT INTO import_reject SELECT * FROM _rejects")
    finally:
        con.unregister("_rejects")


def _archive(store, source: Path, sha: str) -> str:
    store.archive_dir.mkdir(parents=True, exist_ok=True)
    dest = store.archive_dir / f"{sha[:16]}_{source.name}"
    if not dest.exists():
        shutil.copyfile(source, dest)
    return str(dest)


def _rejected_rows(rejects: list[Reject]) -> int:
    """Rows of the source rejected: child rows share their parent's source row."""
    return len({(r.sheet, r.row) if r.row is not None else id(r) for r in rejects if r.code != "unknown-column"})


@dataclass
class Prepared:
    """The store-free half of an import: the batch's digest and its validated frames."""
    sha256: str
    good: dict[str, pd.DataFrame]
    rejects: list[Reject]


def prepare_batch(batch: RecordBatch, *, label_of=None) -> Prepared:
    """Digest and validate a batch without touching the store (safe in another thread).

    :func:`import_batch` does this itself; a producer may call it ahead (the demo does, for
    the next chunk while DuckDB stores this one) and pass the result as ``prepared``.
    """
    if batch.kind not in KINDS:
        raise BatchError(f"unknown record kind {batch.kind!r}")
    sha = batch_sha256(batch)
    good, rejects = _validate_all(batch, label_of)
    return Prepared(sha, good, rejects)


def import_batch(store, batch: RecordBatch, *, user: str | None = None, strict: bool = False,
                 label_of=None, new_keys: bool = False, prepared: Prepared | None = None) -> BatchResult:
    """Import one batch atomically; see the module docstring for the rules.

    ``new_keys=True`` is the caller's guarantee that no key of the batch is in the store
    yet (a generator that mints unique ids and checks it, like the demo): the rows are
    inserted without the anti-join against the stored table, which costs a scan of the
    whole table per batch. Validation, in-batch duplicate keys, the log entry and the
    SHA-256 check are unchanged. ``prepared`` is :func:`prepare_batch` of this very batch.
    """
    if batch.kind not in KINDS:
        raise BatchError(f"unknown record kind {batch.kind!r}")
    user = user or getpass.getuser()
    source = Path(batch.source) if batch.source else None
    sha = prepared.sha256 if prepared is not None else batch_sha256(batch)
    file_name = source.name if source else batch.label
    started = datetime.now()
    con = store.con
    prior = con.execute(
        "SELECT batch_id FROM import_batch WHERE sha256 = ? AND kind = ? AND status = 'committed' LIMIT 1",
        [sha, batch.kind],
    ).fetchone()

    def log(batch_id, status, res: BatchResult, archive=None):
        con.execute(
            "INSERT INTO import_batch VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [batch_id, batch.kind, file_name, sha, batch.format, "strict" if strict else "default", status,
             res.accepted, res.updated, res.duplicate, res.rejected, started, datetime.now(), user, archive,
             res.message, batch.synthetic],
        )
        log_warnings(con, batch_id, res.warnings)

    def next_id() -> int:
        return con.execute("SELECT nextval('import_batch_seq')").fetchone()[0]

    if prior:
        res = BatchResult(None, batch.kind, file_name, sha, "duplicate_file",
                          message=f"already imported as batch {prior[0]}; nothing added")
        con.execute("BEGIN TRANSACTION")
        res.batch_id = next_id()
        log(res.batch_id, res.status, res)
        con.execute("COMMIT")
        return res

    good, rejects = (prepared.good, prepared.rejects) if prepared is not None else _validate_all(batch, label_of)
    res = BatchResult(None, batch.kind, file_name, sha, "committed", rejects=rejects,
                      rejected=_rejected_rows(rejects),
                      warnings=list(batch.warnings))
    main = KINDS[batch.kind].main
    con.execute("BEGIN TRANSACTION")
    try:
        res.batch_id = next_id()
        if strict and res.rejected:
            res.status = "failed"
            res.message = f"strict mode: {res.rejected} row(s) rejected, nothing imported"
            _log_rejects(con, res.batch_id, rejects)
            log(res.batch_id, res.status, res)
            con.execute("COMMIT")
            return res
        for name, df in good.items():
            res.tables[name] = _merge_table(con, name, df, res.batch_id, update_main=(name == main),
                                            new_keys=new_keys)
        mc = res.tables.get(main, TableCounts())
        res.accepted, res.updated, res.duplicate = mc.inserted, mc.updated, mc.duplicate
        if not good.get(main, pd.DataFrame()).shape[0] and main not in batch.frames:
            # a batch of child rows only (e.g. events): count those
            for c in res.tables.values():
                res.accepted += c.inserted
                res.duplicate += c.duplicate
        res.message = (f"{res.accepted} new, {res.updated} updated, {res.duplicate} duplicate, "
                       f"{res.rejected} rejected")
        _log_rejects(con, res.batch_id, rejects)
        if source:
            res.archive_path = _archive(store, source, sha)
        log(res.batch_id, res.status, res, res.archive_path)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return res
