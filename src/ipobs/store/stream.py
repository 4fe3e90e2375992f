"""Streamed batch imports: one file read in chunks, still one atomic, logged batch.

:func:`import_stream` applies the rules of :func:`ipobs.store.batch.import_batch` (same
file twice adds nothing; default mode keeps good rows and logs rejects; strict mode
refuses the whole batch when any row is rejected) to a file too large to hold in memory:
each chunk is validated and merged as it arrives, inside a single transaction that is
committed after the last chunk, so the store holds the whole batch or none of it.
"""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ipobs.records.batch import RecordBatch, Reject
from ipobs.records.schema import KINDS, TABLES
from ipobs.store.batch import (
    BatchError, BatchResult, TableCounts, _archive, _log_rejects, _merge_table, _rejected_rows, _validate_all,
    file_sha256,
)
from ipobs.store.checks import batch_warnings
from ipobs.store.db import log_warnings


def prior_batch(store, sha: str, kind: str) -> dict | None:
    """The committed batch that already imported this content for this kind, if any."""
    df = store.query(
        "SELECT batch_id, accepted, updated, duplicate, rejected FROM import_batch "
        "WHERE sha256 = ? AND kind = ? AND status = 'committed' ORDER BY batch_id LIMIT 1", [sha, kind])
    return None if df.empty else {k: (None if v is None else int(v)) for k, v in df.iloc[0].items()}


class _NewRows:
    """Tells whether a chunk's rows can only be new to the store, so that they are inserted without the per-table
    join against everything stored (``_merge_table``'s ``new_keys``), whose cost grows with the batch: a
    first load of 1,000,000 rows spent about half of its CPU there, joining each chunk against the chunks
    before it. They can when every table the chunk writes was empty when the batch began (it then holds only
    this batch's earlier chunks), no main key of the chunk came in an earlier chunk (hashes of those keys are
    kept; a hash collision only sends a chunk down the exact path), and every child row's key starts with a
    main key of the chunk. Otherwise the chunk is merged as before."""

    def __init__(self, con, kind: str):
        self.con = con
        self.main = KINDS[kind].main
        self.key = TABLES[self.main].key
        self.empty_at_start: dict[str, bool] = {}  # a table first written by chunk k was untouched before it
        self.seen = np.empty(0, dtype=np.uint64)  # sorted hashes of the main keys of earlier chunks

    def only_new(self, good: dict[str, pd.DataFrame]) -> bool:
        """Call once per chunk, before it is merged (every chunk's main keys are remembered)."""
        main = good.get(self.main)
        if len(self.key) != 1 or main is None:
            return False
        keys = main[self.key[0]].astype("string")
        hashes = np.unique(pd.util.hash_array(keys.to_numpy(dtype=object)))
        at = np.minimum(np.searchsorted(self.seen, hashes), max(len(self.seen) - 1, 0))
        repeated = bool(len(self.seen) and (self.seen[at] == hashes).any())
        self.seen = np.union1d(self.seen, hashes)
        for name in good:
            if name not in self.empty_at_start:
                self.empty_at_start[name] = bool(self.con.execute(f'SELECT count(*) = 0 FROM "{name}"').fetchone()[0])
        if repeated or keys.isna().any() or not all(self.empty_at_start[n] for n in good):
            return False
        mine = pa.array(keys.to_numpy(dtype=object), type=pa.string())
        return all(pc.all(pc.is_in(pa.array(df[TABLES[name].key[0]].to_numpy(dtype=object), type=pa.string()),
                                   value_set=mine)).as_py()
                   for name, df in good.items() if name != self.main and len(df))


def import_stream(store, chunks: Iterable[RecordBatch], *, kind: str, source: Path | None = None,
                  sha256: str | None = None, label: str | None = None, format: str = "", user: str | None = None,
                  strict: bool = False, label_of=None,
                  on_chunk: Callable[[RecordBatch, dict[str, TableCounts], list[Reject]], None] | None = None,
                  ) -> BatchResult:
    """Import every chunk of one source as one batch (see the module docstring)."""
    if kind not in KINDS:
        raise BatchError(f"unknown record kind {kind!r}")
    user = user or getpass.getuser()
    source = Path(source) if source else None
    sha = sha256 or (file_sha256(source) if source else None)
    if sha is None:
        raise BatchError("a streamed batch needs a source file or a content hash")
    file_name = source.name if source else label
    started = datetime.now()
    con = store.con
    main = KINDS[kind].main
    state = {"format": format, "synthetic": False}

    def log(batch_id, res: BatchResult, archive=None):
        con.execute(
            "INSERT INTO import_batch VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [batch_id, kind, file_name, sha, state["format"], "strict" if strict else "default", res.status,
             res.accepted, res.updated, res.duplicate, res.rejected, started, datetime.now(), user, archive,
             res.message, state["synthetic"]],
        )
        log_warnings(con, batch_id, res.warnings)

    def next_id() -> int:
        return con.execute("SELECT nextval('import_batch_seq')").fetchone()[0]

    prior = prior_batch(store, sha, kind)
    if prior:
        res = BatchResult(None, kind, file_name, sha, "duplicate_file",
                          message=f"already imported as batch {prior['batch_id']}; nothing added")
        con.execute("BEGIN TRANSACTION")
        res.batch_id = next_id()
        log(res.batch_id, res)
        con.execute("COMMIT")
        return res

    res = BatchResult(None, kind, file_name, sha, "committed")
    rejects: list[Reject] = []
    new_rows = _NewRows(con, kind)
    con.execute("BEGIN TRANSACTION")
    try:
        res.batch_id = next_id()
        for chunk in chunks:
            if chunk.kind != kind:
                raise BatchError(f"chunk of kind {chunk.kind!r} in a {kind} batch")
            state["format"] = chunk.format or state["format"]
            state["synthetic"] = state["synthetic"] or chunk.synthetic
            good, rej = _validate_all(chunk, label_of)
            rejects += rej
            for w in chunk.warnings + batch_warnings(store, chunk):
                if w not in res.warnings:
                    res.warnings.append(w)
            counts: dict[str, TableCounts] = {}
            if not (strict and rejects):
                only_new = new_rows.only_new(good)
                for name, df in good.items():
                    counts[name] = _merge_table(con, name, df, res.batch_id, update_main=(name == main),
                                                new_keys=only_new)
                    total = res.tables.setdefault(name, TableCounts())
                    total.inserted += counts[name].inserted
                    total.updated += counts[name].updated
                    total.duplicate += counts[name].duplicate
            if on_chunk:
                on_chunk(chunk, counts, rej)
        res.rejects = rejects
        res.rejected = _rejected_rows(rejects)
        mc = res.tables.get(main, TableCounts())
        res.accepted, res.updated, res.duplicate = mc.inserted, mc.updated, mc.duplicate
        if strict and res.rejected:
            con.execute("ROLLBACK")
            res.status = "failed"
            res.accepted = res.updated = res.duplicate = 0
            res.tables = {}
            res.message = f"strict mode: {res.rejected} row(s) rejected, nothing imported"
            con.execute("BEGIN TRANSACTION")
            res.batch_id = next_id()
            _log_rejects(con, res.batch_id, rejects)
            log(res.batch_id, res)
            con.execute("COMMIT")
            return res
        res.message = (f"{res.accepted} new, {res.updated} updated, {res.duplicate} duplicate, "
                       f"{res.rejected} rejected")
        _log_rejects(con, res.batch_id, rejects)
        if source:
            res.archive_path = _archive(store, source, sha)
        log(res.batch_id, res, res.archive_path)
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except Exception:  # the transaction may already be gone
            pass
        raise
    return res
