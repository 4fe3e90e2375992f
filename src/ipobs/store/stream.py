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

from ipobs.records.batch import RecordBatch, Reject
from ipobs.records.schema import KINDS
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
                for name, df in good.items():
                    counts[name] = _merge_table(con, name, df, res.batch_id, update_main=(name == main))
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
