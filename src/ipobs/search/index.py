"""The patent search index: where it lives, what it holds, and how it keeps up with the store.

The index is a tantivy directory beside the database (``ipobs.duckdb`` → ``ipobs.search/``) with a
``manifest.json`` that records the import batches it covers and the analysis it was built with.
After each import batch :func:`ensure_fresh` re-indexes the patents that batch touched (delete +
add by patent id); a new dictionary or schema rebuilds the whole index. When the index may not
be written (a read-only store, another process holding the writer) the caller gets a warning
saying how far behind it is — never silently stale results.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import tantivy

from ipobs.search import analysis as A
from ipobs.search.documents import docs_json, read_batches

INDEX_FORMAT = 4  # bump when the schema below changes (4: the pair fields' own analyzer)
INDEXED_KINDS = ("patents", "entities")  # import batches that change what the index holds
MANIFEST = "manifest.json"
REBUILD_SHARE = 0.5  # re-index more than this share of the documents → rebuild instead


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    raw = {"tokenizer_name": "raw"}
    sb.add_text_field("id", **raw, index_option="basic")
    sb.add_text_field("nos", **raw, index_option="basic")
    for name in ("title", "abstract", "applicant"):
        sb.add_text_field(name, tokenizer_name=A.ZH)
        sb.add_text_field(f"{name}_fine", tokenizer_name=A.ZH, index_option="freq")
    for name in ("title", "abstract"):
        sb.add_text_field(f"{name}_cjk", tokenizer_name=A.CJK)
    sb.add_text_field("title_en", tokenizer_name=A.EN)
    sb.add_text_field("applicant_name", tokenizer_name=A.NAME, index_option="basic")
    sb.add_text_field("inventor", tokenizer_name=A.ZH)
    sb.add_text_field("inventor_name", tokenizer_name=A.NAME, index_option="basic")
    for name in ("ipc", "ipc_main", "country", "entity", "region"):
        sb.add_text_field(name, **raw, index_option="basic")
    for name in ("ipc_sub", "kind", "status", "industry", "zone", "applicant_key"):
        sb.add_text_field(name, **raw, index_option="basic", fast=True)
    sb.add_text_field("region_name", tokenizer_name=A.ZH, index_option="freq")
    for name in ("filed", "granted", "published"):
        sb.add_integer_field(name, indexed=True, fast=True)
    sb.add_integer_field("filed_year", indexed=True, fast=True)
    sb.add_unsigned_field("pidnum", fast=True)  # the patent id as a number, to list large result sets
    sb.add_bytes_field("payload", stored=True)
    return sb.build()


def index_dir(store) -> Path:
    """``<db folder>/<db stem>.search``."""
    p = Path(store.path)
    return p.parent / f"{p.stem}.search"


# ------------------------------------------------------------------------------ manifest
@dataclass
class Manifest:
    format: int
    analysis: str
    covered: list[int]
    docs: int
    build_id: str
    built_at: str
    updated_at: str
    build_seconds: float | None = None

    @property
    def compatible(self) -> bool:
        return self.format == INDEX_FORMAT and self.analysis == A.fingerprint()


_MANIFESTS: dict[str, tuple[tuple[int, int], Manifest]] = {}


def read_manifest(path: Path) -> Manifest | None:
    """The manifest of the index at ``path`` (re-read only when the file changed), or None."""
    f = path / MANIFEST
    try:
        st = f.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        cached = _MANIFESTS.get(str(f))
        if cached and cached[0] == stamp:
            return cached[1]
        m = Manifest(**json.loads(f.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    _MANIFESTS[str(f)] = (stamp, m)
    return m


def write_manifest(path: Path, m: Manifest) -> None:
    tmp = path / f"{MANIFEST}.tmp{os.getpid()}"
    tmp.write_text(json.dumps(vars(m), indent=1), encoding="utf-8")
    os.replace(tmp, path / MANIFEST)


_STATES: dict[str, tuple[tuple, tuple[int, int, bool]]] = {}


def _file_stamp(db: Path) -> tuple | None:
    """Size and mtime of the database and its WAL: every commit changes one of them."""
    try:
        out = []
        for f in (db, db.with_name(db.name + ".wal")):
            try:
                st = f.stat()
                out.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                out.append(None)
        return tuple(out)
    except OSError:
        return None


def store_state(con, db: Path | None = None) -> tuple[int, int, bool]:
    """(committed index-relevant batches, the latest one, synthetic?).

    One small query; skipped when ``db`` is given and neither the database file nor its WAL
    changed since the last answer (a commit always writes one of them).
    """
    stamp = _file_stamp(db) if db is not None else None
    key = str(db)
    if stamp is not None and key in _STATES and _STATES[key][0] == stamp:
        return _STATES[key][1]
    state = _query_state(con)
    if stamp is not None:
        _STATES[key] = (stamp, state)
    return state


def _query_state(con) -> tuple[int, int, bool]:
    kinds = ", ".join(f"'{k}'" for k in INDEXED_KINDS)
    n, last, synthetic = con.execute(
        f"SELECT count(*), coalesce(max(batch_id), 0), "
        f"(SELECT value FROM store_meta WHERE key = 'synthetic') "
        f"FROM import_batch WHERE status = 'committed' AND kind IN ({kinds})"
    ).fetchone()
    return int(n), int(last), synthetic == "true"


def committed_batches(con) -> list[int]:
    """Committed import batches of the kinds the index depends on, oldest first."""
    kinds = ", ".join(f"'{k}'" for k in INDEXED_KINDS)
    rows = con.execute(
        f"SELECT batch_id FROM import_batch WHERE status = 'committed' AND kind IN ({kinds}) ORDER BY batch_id"
    ).fetchall()
    return [int(r[0]) for r in rows]


# ------------------------------------------------------------------------------- opening
_OPEN: dict[str, tuple[str, tantivy.Index]] = {}
_LOCK = threading.RLock()


def open_index(path: Path) -> tuple[tantivy.Index, Manifest] | None:
    """The index at ``path`` (cached per process, reopened after a rebuild), or None.

    An index of another format is not opened (its schema differs); one built with another
    dictionary is, and :func:`ensure_fresh` says so.
    """
    m = read_manifest(path)
    if m is None or m.format != INDEX_FORMAT or not tantivy.Index.exists(str(path)):
        return None
    key = str(path.resolve())
    with _LOCK:
        cached = _OPEN.get(key)
        if cached and cached[0] == m.build_id:
            return cached[1], m
        index = tantivy.Index(build_schema(), path=str(path), reuse=True)
        A.register(index)
        _OPEN[key] = (m.build_id, index)
        return index, m


def _forget(path: Path) -> None:
    with _LOCK:
        _OPEN.pop(str(path.resolve()), None)


# -------------------------------------------------------------------------------- writing
BUILD_HEAP = 1_000_000_000  # a full build: fewer, larger segments (fewer flushes and merges)
HEAP_PER_DOC = 3_500  # writer memory a document takes (30 MB held 9,300 demo patents)
MAX_HEAP = 4_000_000_000  # tantivy's limit per indexing thread is just under 4 GiB


def build_heap(expected: int) -> int:
    """A full build's writer heap: room for every document, so the build leaves one segment
    (facets are exact without recounting on one segment) up to about a million patents."""
    return max(BUILD_HEAP, min(MAX_HEAP, expected * HEAP_PER_DOC))
UPDATE_HEAP = 256_000_000


def _writer(index: tantivy.Index, heap: int = UPDATE_HEAP) -> tantivy.IndexWriter:
    """One indexing thread per spare core (the build's worker processes use the others)."""
    threads = max(1, min(2, (os.cpu_count() or 2) - 1))
    return index.writer(heap_size=heap, num_threads=threads)


PARALLEL_MIN = 20_000  # documents from which worker processes segment the text
CHUNK = 1_000  # rows per Arrow batch handed to a worker


def _pool(expected: int):
    """Worker processes for a large build (made before the writer, so no writer threads are forked)."""
    if expected < PARALLEL_MIN or _workers() < 2:
        return None
    import multiprocessing

    return multiprocessing.get_context("fork").Pool(_workers(), initializer=A.segmenter)


def _workers() -> int:
    return os.cpu_count() or 1


AHEAD = 4  # batches in preparation per worker: the store and the workers wait for the writer


def _prepared(batches, pool):
    """The documents of each batch, in order, made by the pool's workers at most AHEAD batches a
    worker ahead of the writer. (``Pool.imap`` ran ahead without bound: at a million patents the
    workers finished at 63 %, their 370,000 waiting documents took a gigabyte, and the writer's
    one indexing thread then worked alone with the other core idle for 100 s.)"""
    pending: deque = deque()
    for batch in batches:
        pending.append(pool.apply_async(docs_json, (batch,)))
        if len(pending) >= AHEAD * _workers():
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _add_rows(writer, batches, pool=None, echo=None, every: int = 100_000) -> int:
    """Add the patents of Arrow record batches: worker processes (when given) turn each batch
    into JSON documents, this process only hands them to the writer."""
    n, shown = 0, 0
    t0 = time.perf_counter()
    add = writer.add_json
    for docs in (_prepared(batches, pool) if pool else map(docs_json, batches)):
        for d in docs:
            add(d)
        n += len(docs)
        if echo and n - shown >= every:
            shown = n
            echo(f"  indexed {n:,} patents ({n / (time.perf_counter() - t0):,.0f}/s)")
    return n


@dataclass
class BuildInfo:
    path: str
    docs: int
    seconds: float
    bytes: int
    covered: list[int] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.docs / self.seconds if self.seconds else 0.0


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def build(store, path: Path | None = None, echo=None) -> BuildInfo:
    """Build the whole index from the store into a new directory, then swap it in."""
    path = Path(path or index_dir(store))
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}-{threading.get_ident()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    t0 = time.perf_counter()
    con = store.con.cursor()
    pool = None
    try:
        covered = committed_batches(con)
        expected = con.execute("SELECT count(*) FROM patent").fetchone()[0]
        pool = _pool(expected)
        index = tantivy.Index(build_schema(), path=str(tmp))
        A.register(index)
        writer = _writer(index, build_heap(expected))
        docs = _add_rows(writer, read_batches(con, batch_rows=CHUNK), pool, echo)
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if pool is not None:
            pool.terminate()
        con.close()
    seconds = time.perf_counter() - t0
    now = datetime.now().isoformat(timespec="seconds")
    write_manifest(tmp, Manifest(INDEX_FORMAT, A.fingerprint(), covered, docs, uuid.uuid4().hex, now, now,
                                 round(seconds, 3)))
    _swap(tmp, path)
    return BuildInfo(str(path), docs, seconds, dir_bytes(path), covered)


def _swap(new: Path, path: Path) -> None:
    old = path.with_name(f"{path.name}.old{os.getpid()}")
    with _LOCK:
        if path.exists():
            os.rename(path, old)
        os.rename(new, path)
        _forget(path)
    shutil.rmtree(old, ignore_errors=True)


def changed_patents(con, batches: list[int]) -> str:
    """Fill a temp table with the ids of patents the given batches touched; returns its name."""
    con.execute("CREATE OR REPLACE TEMP TABLE _search_changed (patent_id VARCHAR)")
    ids = ", ".join(str(int(b)) for b in batches) or "NULL"
    con.execute(f"""
        INSERT INTO _search_changed
        SELECT patent_id FROM patent WHERE batch_id IN ({ids})
        UNION SELECT patent_id FROM patent_party WHERE batch_id IN ({ids})
        UNION SELECT patent_id FROM patent_ipc WHERE batch_id IN ({ids})
        UNION SELECT patent_id FROM patent_event WHERE batch_id IN ({ids})
        UNION SELECT x.patent_id FROM patent_party x JOIN entity e ON e.entity_id = x.entity_id
              WHERE e.batch_id IN ({ids})
    """)
    return "_search_changed"


def update(store, path: Path | None = None, echo=None) -> int:
    """Re-index the patents touched by batches the index does not cover yet. Returns how many."""
    path = Path(path or index_dir(store))
    opened = open_index(path)
    if opened is None:
        return build(store, path, echo).docs
    index, m = opened
    con = store.con.cursor()
    try:
        batches = committed_batches(con)
        new = [b for b in batches if b not in set(m.covered)]
        if not new:
            return 0
        table = changed_patents(con, new)
        n_changed = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if m.docs and n_changed > REBUILD_SHARE * m.docs:
            return build(store, path, echo).docs
        writer = _writer(index)
        try:
            for (pid,) in con.execute(f"SELECT patent_id FROM {table}").fetchall():
                writer.delete_documents_by_term("id", pid)
            n = _add_rows(writer, read_batches(con, table, CHUNK), None, echo)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        index.reload()
        docs = index.searcher().num_docs
        write_manifest(path, Manifest(m.format, m.analysis, sorted(set(m.covered) | set(new)), docs, m.build_id,
                                      m.built_at, datetime.now().isoformat(timespec="seconds"), m.build_seconds))
        return n
    finally:
        con.close()


# ------------------------------------------------------------------------------ freshness
@dataclass
class Freshness:
    stale: bool
    warning: str | None = None
    reindexed: int = 0
    rebuilt: bool = False
    pending_batches: list[int] = field(default_factory=list)
    synthetic: bool = False


_WRITE = threading.Lock()  # one build or update at a time in this process (web request threads)


def ensure_fresh(store, *, update_index: bool | None = None, echo=None) -> Freshness:
    """Bring the index up to the store's latest committed patent/entity batch.

    ``update_index=None`` updates when the store is writable; a read-only store (the web app
    with ``--read-only``) gets ``stale=True`` and a warning instead. A missing index is always
    built: there is nothing to answer from otherwise. Within a process one thread updates at a
    time; the others wait and then find the index fresh.
    """
    fresh = _ensure_fresh(store, update_index=False, echo=echo, quiet_missing=True)
    if fresh is not None and not fresh.stale:
        return fresh
    with _WRITE:
        return _ensure_fresh(store, update_index=update_index, echo=echo)


class _LazyCursor:
    """A DuckDB cursor made on the first ``execute`` (making one costs about 0.2 ms a query)."""

    def __init__(self, con):
        self._con, self._cur = con, None

    def execute(self, *args):
        if self._cur is None:
            self._cur = self._con.cursor()
        return self._cur.execute(*args)

    def close(self) -> None:
        if self._cur is not None:
            self._cur.close()


def _ensure_fresh(store, *, update_index: bool | None = None, echo=None, quiet_missing: bool = False):
    """The check and the update behind :func:`ensure_fresh` (None: no index yet, when quiet)."""
    path = index_dir(store)
    may_write = (not store.read_only) if update_index is None else update_index
    con = _LazyCursor(store.con)  # a fresh index answers from file stamps: no cursor made
    try:
        db = Path(store.path)
        n, last, synthetic = store_state(con, db if db.exists() else None)
        m = read_manifest(path)
        if m is None or m.format != INDEX_FORMAT or not tantivy.Index.exists(str(path)):
            if quiet_missing:
                return None
            info = build(store, path, echo)
            return Freshness(False, reindexed=info.docs, rebuilt=True, synthetic=synthetic)
        if m.compatible and (n, last) == (len(m.covered), max(m.covered, default=0)):
            return Freshness(False, synthetic=synthetic)  # batch ids only grow: nothing new
        pending = [b for b in committed_batches(con) if b not in set(m.covered)]
    finally:
        con.close()
    if m.compatible and not pending:
        return Freshness(False, synthetic=synthetic)
    if not may_write:
        if not m.compatible:
            why = "was built with another dictionary or schema version"
        else:
            why = (f"does not cover import batch{'es' if len(pending) > 1 else ''} "
                   f"{', '.join(map(str, pending[:5]))}{'…' if len(pending) > 5 else ''}")
        return Freshness(True, f"search index {why}: results may be out of date; run `ipobs index` "
                               "with write access to update it", pending_batches=pending, synthetic=synthetic)
    try:
        if not m.compatible:
            info = build(store, path, echo)
            return Freshness(False, reindexed=info.docs, rebuilt=True, synthetic=synthetic)
        return Freshness(False, reindexed=update(store, path, echo), synthetic=synthetic)
    except ValueError as exc:  # tantivy: the writer lock is held by another process
        return Freshness(True, f"search index could not be updated ({exc}); results may be out of date",
                         pending_batches=pending, synthetic=synthetic)
