"""Build the synthetic demo region into a store, through the real batch-import path.

>>> summary = build_demo("var/demo.duckdb", scale=0.02, seed=7)   # doctest: +SKIP

Everything is drawn from independent random streams per record kind (seeded by ``seed``), so
the same scale and seed give the same tables. Patents are simulated for all years at once
as numbers (:mod:`ipobs.demo.patents`) and imported in batches of at most ``CHUNK_PATENTS``
applications in filing-date order, so memory stays flat as the scale grows.
"""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ipobs import __version__
from ipobs.demo import cases as case_gen
from ipobs.demo import finance, flags, ledgers, marks
from ipobs.demo.config import calibration, stream
from ipobs.demo.entities import build_entities
from ipobs.demo.patent_rows import Context, chunk_frames
from ipobs.demo.patents import simulate, topics
from ipobs.entities import regions
from ipobs.records.batch import RecordBatch
from ipobs.records.schema import KINDS
from ipobs.store import open_store, resolve_db_path
from ipobs.store.batch import prepare_batch


# patents per import batch (applications in filing-date order): few batches at small scales,
# flat memory at large ones; one of DuckDB's row groups, see _patent_chunks
CHUNK_PATENTS = 122_880


class DemoError(Exception):
    """The demo could not be built (nothing half-built is left behind as a finished store)."""


def build_demo(path=None, scale: float = 1.0, seed: int = 2019, force: bool = False,
               echo: Callable[[str], None] = print) -> dict:
    """Create a store at ``path`` holding the synthetic region; returns a summary dict.

    The summary has ``counts`` (rows per table), ``seconds`` (per step and total) and
    ``calibration`` (the end-2018 figures the demo is tuned to, measured from the store).
    """
    if not scale or scale <= 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    db = resolve_db_path(path)
    if db.exists() and not force:
        raise FileExistsError(f"{db} already exists; pass force=True (ipobs demo --force) to replace it.")
    # built under another name and renamed when finished: a build that is killed never leaves a file that
    # `make run` or a benchmark would take for a finished store (the old store stays until then)
    final, db = db, building_path(db)
    _remove_store(db)
    started = time.perf_counter()
    steps: dict[str, float] = {}
    cpu: dict[str, float] = {}
    rejected: dict[str, int] = {}
    last_cpu = [time.process_time()]
    run = f"seed={seed} scale={scale!r}"

    def step(name: str, t0: float) -> None:
        steps[name] = round(time.perf_counter() - t0, 2)
        now = time.process_time()
        cpu[name] = round(now - last_cpu[0], 2)
        last_cpu[0] = now
        echo(f"  {name}: {steps[name]:.1f}s (cpu {cpu[name]:.1f}s)")

    echo(f"Building the synthetic demo region (合成演示数据) at scale {scale:g}, seed {seed} → {final}")
    store = open_store(db)
    # checkpoints only after the patents and at the end, not one per batch (each would rewrite
    # and fsync the file)
    store.con.execute("SET checkpoint_threshold = '64GB'")
    # DuckDB's buffer pool would otherwise keep much of the growing file in memory: at scale 10,
    # 1 GB instead of 2 GB took 0.9 GB off the peak and no measurable time
    store.con.execute("SET memory_limit = '1GB'")
    # one DuckDB thread while loading: the other core generates the next chunk (see _prefetch)
    store.con.execute("SET threads = 1")
    try:
        def load(kind: str, frames: dict, chunk: str = "all", new_keys: bool = False, ready=None) -> None:
            batch, prepared = ready or (_batch(kind, frames, run, chunk), None)
            res = store.import_batch(batch, new_keys=new_keys, prepared=prepared)
            if res.rejected:
                rejected[f"{kind}:{chunk}"] = res.rejected
                first = res.rejects[0]
                raise DemoError(f"demo batch {kind}:{chunk} had {res.rejected} rejected row(s), e.g. "
                                f"{first.table} {first.message}")

        t0 = time.perf_counter()
        pool = build_entities(seed, scale)
        load("regions", {"region": regions.frame()})
        load("entities", {"entity": pool.frame(), "entity_alias": pool.alias_frame()})
        step("entities", t0)

        # the patent histories (numpy) are simulated while the trademarks are generated and stored
        histories = ThreadPoolExecutor(1, thread_name_prefix="demo-histories")
        sim_future = histories.submit(simulate, seed, scale, pool)
        histories.shutdown(wait=False)
        t0 = time.perf_counter()
        made: dict = {}

        def mark_batches():
            tm, made["mark_sim"] = marks.trademarks(seed, scale, pool)
            yield "trademarks", tm
            # only what the ledgers read is kept (the whole frames would stay in memory all build)
            made["tm"] = tm["trademark"][["region_code", "registration_date"]].copy()
            del tm
            made["tp"] = topics()
            cr = marks.copyrights(seed, scale, pool, made["tp"])
            yield "copyrights", cr
            made["cr"] = cr["copyright"][["entity_id", "reg_no", "registration_date"]].copy()

        # copyrights are generated and validated while the trademarks are stored
        for kind, ready in _prefetch(_prepared(mark_batches(), run)):
            load(kind, {}, ready=ready)
            del ready
        tm_dates, mark_sim, tp, cr_owners = made.pop("tm"), made["mark_sim"], made["tp"], made.pop("cr")
        step("trademarks and copyrights", t0)

        t0 = time.perf_counter()
        sim = sim_future.result()
        step("patent histories", t0)  # what is left of it once the marks are stored

        t0 = time.perf_counter()
        pledge_frames, pledge_events = finance.pledges(seed, scale, pool, sim, mark_sim)
        ctx = Context(seed, sim, pool, tp, pledges=pledge_events)
        # every chunk's keys are new to the store (checked: see _patent_chunks), so the
        # batches skip the anti-join; the next chunk is generated while this one is stored
        _check_fresh(store, "patents")
        for chunk, ready in _prefetch(_patent_batches(ctx, seed, CHUNK_PATENTS, run)):
            load("patents", {}, chunk, new_keys=True, ready=ready)
            del ready
        step("patents", t0)

        t0 = time.perf_counter()

        def ledger_batches():
            yield "entity_flags", {"entity_flag": flags.entity_flags(seed, scale, pool)}
            case_frames, repeaters = case_gen.cases(seed, scale, pool, sim, mark_sim, cr_owners)
            yield "cases", case_frames
            yield "credit", {"credit_entry": case_gen.credit(seed, scale, pool, repeaters)}
            yield "pledges", pledge_frames
            yield "insurance", {"insurance": finance.insurance(seed, scale, pool)}
            yield "transactions", {"ip_transaction": finance.transactions(seed, scale, pool, sim)}
            yield "programs", {"program_item": ledgers.programs(seed, pool, sim, tp)}
            yield "region_facts", {"region_fact": ledgers.region_facts(seed, scale, tm_dates)}

        # the first ledgers are generated and validated while DuckDB checkpoints what the patent
        # chunks left in the WAL; then each while the one before it is stored
        with _prefetch(_prepared(ledger_batches(), run), depth=2) as ledgers_ready:
            store.con.execute("CHECKPOINT")
            for kind, ready in ledgers_ready:
                load(kind, {}, ready=ready)
                del ready
        step("ledgers", t0)

        store.set_meta("synthetic", "true")
        store.set_meta("demo_scale", f"{scale:g}")
        store.set_meta("demo_seed", str(seed))
        store.set_meta("demo_label", "合成演示数据 SYNTHETIC — a Binhai-like region, not real statistics")
        t0 = time.perf_counter()
        store.con.execute("SET threads = 2")
        check = calibration_check(store, scale)
        step("calibration check", t0)
        counts = store.counts()
        t0 = time.perf_counter()
        store.con.execute("CHECKPOINT")
        step("final checkpoint", t0)
    except BaseException:
        store.close()
        _remove_store(db)
        raise
    store.close()
    _remove_store(final, keep_file=True)  # the old store's WAL and archive go; its file is replaced in one step
    os.replace(db, final)
    db = final
    total = round(time.perf_counter() - started, 2)
    echo(f"Done in {total:.1f}s: {counts['patent']:,} patents, {counts['trademark']:,} trademark rows, "
         f"{counts['entity']:,} entities.")
    return {"path": str(db), "scale": scale, "seed": seed, "synthetic": True, "counts": counts,
            "seconds": {**steps, "total": total}, "cpu_seconds": {**cpu, "total": round(sum(cpu.values()), 2)},
            "calibration": check, "rejected": rejected}


def _patent_chunks(ctx: Context, seed: int, size: int):
    """(part, rows, frames) of each import chunk of ``size`` applications (the last may be smaller),
    with the keys checked to be new.

    Patent ids are unique over the whole simulation and every row of a chunk belongs to one
    of the chunk's patents, so no key of a chunk can already be in the store (which held
    no patents when the first chunk came): the guarantee ``new_keys=True`` asks for.
    """
    ids = ctx.ids
    if pc.count_distinct(ids).as_py() != len(ids):
        raise DemoError("simulated patent ids are not unique")
    # whole chunks of ``size``: DuckDB compresses full row groups as it commits them
    # (overlapping the next chunk's generation); a partial one waits for the final checkpoint
    parts = _chunk_count(len(ctx.sim), size)
    for part, rows in enumerate(np.array_split(np.arange(len(ctx.sim)), np.arange(1, parts) * size)):
        frames = chunk_frames(ctx, rows, stream(seed, "patent_rows", parts, part))
        mine = ids.take(pa.array(rows))
        for name, df in frames.items():
            col = "citing_id" if name == "patent_citation" else "patent_id"
            if len(df) and not pc.all(pc.is_in(pa.array(df[col], type=mine.type), value_set=mine)).as_py():
                raise DemoError(f"chunk {part + 1}: a {name} row belongs to a patent of another chunk")
        yield part, rows, frames


def _chunk_count(n: int, size: int) -> int:
    """Chunks of ``size`` (the last may be smaller) that hold ``n`` applications; at least one."""
    return max(1, -(-n // size))


def _batch(kind: str, frames: dict, run: str, chunk: str = "all") -> RecordBatch:
    """A demo batch. Its digest is the SHA-256 of what determines its content (the generator's
    version, seed and scale, the kind and chunk) rather than of the content: the generator is
    deterministic, and hashing the chunks' text cost about a tenth of the build's CPU."""
    label = f"demo:{kind}:{chunk}"
    digest = hashlib.sha256(f"ipobs {__version__} {run} {label}".encode()).hexdigest()
    return RecordBatch(kind, frames, synthetic=True, label=label, digest=digest)


def _prepared(items, run: str):
    """(kind, (batch, prepared)) for each (kind, frames) of ``items``: off the store."""
    for kind, frames in items:
        batch = _batch(kind, frames, run)
        yield kind, (batch, prepare_batch(batch))


def _patent_batches(ctx: Context, seed: int, size: int, run: str):
    """(chunk label, (batch, prepared)) per patent chunk: generated, digested and validated
    off the store (in the prefetch thread), so the store only inserts."""
    sim = ctx.sim
    parts = _chunk_count(len(sim), size)
    for part, rows, frames in _patent_chunks(ctx, seed, size):
        chunk = f"{part + 1}of{parts}:{sim.filing[rows[0]]}..{sim.filing[rows[-1]]}"
        batch = _batch("patents", frames, run, chunk)
        yield chunk, (batch, prepare_batch(batch))


def _check_fresh(store, kind: str) -> None:
    for name in KINDS[kind].tables:
        if store.count(name):
            raise DemoError(f"{name} is not empty: the demo imports {kind} as new keys into a fresh store")


class _prefetch:
    """Iterate over ``items`` while a worker thread, started at once, computes the next ``depth`` items.

    The numpy/Arrow generation of the next chunk overlaps DuckDB's insert of this one
    (both release the GIL for most of their work). The order and values are those of the
    plain iterator; an exception in the worker is raised here. ``close()`` (also on
    garbage collection, and at the end of a ``with``) stops the worker.
    """

    _DONE = object()

    def __init__(self, items, depth: int = 1):
        self._q: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        # the worker holds the queue and the event, not this object, so dropping it stops the worker
        self._worker = threading.Thread(target=self._work, args=(items, self._q, self._stop), name="demo-prefetch",
                                        daemon=True)
        self._worker.start()

    @classmethod
    def _work(cls, items, q: queue.Queue, stop: threading.Event) -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        q.put((True, item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put((True, cls._DONE))
        except BaseException as exc:  # handed to the consumer
            q.put((False, exc))

    def __iter__(self):
        return self

    def __next__(self):
        if self._stop.is_set():
            raise StopIteration
        ok, item = self._q.get()
        if not ok or item is self._DONE:
            self.close()
            if not ok:
                raise item
            raise StopIteration
        return item

    def close(self) -> None:
        self._stop.set()
        while self._worker.is_alive():
            try:
                self._q.get_nowait()
            except queue.Empty:
                self._worker.join(0.1)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        self.close()


def building_path(db: Path) -> Path:
    """Where a demo store is written until it is finished (then renamed to ``db``)."""
    return db.with_name(db.name + ".building")


def _remove_store(db: Path, keep_file: bool = False) -> None:
    for p in ([] if keep_file else [db]) + [Path(str(db) + ".wal")]:
        if p.exists():
            os.remove(p)
    archive = db.parent / f"{db.stem}.archive"
    if archive.is_dir():
        shutil.rmtree(archive)


def calibration_check(store, scale: float = 1.0) -> dict:
    """The end-2018 baseline measured from the store beside its target (scaled).

    Valid patents follow :func:`ipobs.store.history.valid_patent_ids` (the latest
    status-changing event on or before the date), attributed to Binhai by region_code.
    """
    from ipobs.store.history import flags_as_of, trademark_status_as_of, valid_patent_ids

    home = list(regions.descendants(regions.HOME))
    targets = calibration()["targets_2018"]
    ib = store.ibis()
    patent = ib.table("patent").filter(lambda t: t.region_code.isin(home))
    valid = valid_patent_ids(ib.table("patent_event"), "2018-12-31")
    vp = patent.semi_join(valid, "patent_id")
    valid_all = int(vp.count().execute())
    valid_inv = int(vp.filter(vp.kind == "invention").count().execute())
    apps = int(patent.filter(patent.filing_date.year() == 2018).count().execute())
    grants = int(patent.filter(patent.grant_date.year() == 2018).count().execute())
    tm = ib.table("trademark").filter(lambda t: t.region_code.isin(home))
    tm_status = trademark_status_as_of(ib.table("trademark_event"), "2018-12-31")
    in_force = int(tm.join(tm_status, ["reg_no", "nice_class"]).filter(lambda t: t.status == "registered")
                   .count().execute())
    held = flags_as_of(ib.table("entity_flag"), "2018-12-31")
    ent = ib.table("entity").filter(lambda t: t.region_code.isin(home))
    held = held.semi_join(ent, "entity_id")
    national = int(held.filter(held.flag.isin(["ip_demo_national", "ip_adv_national"])).entity_id.nunique().execute())
    municipal = int(held.filter(held.flag.isin(["ip_demo_municipal", "ip_adv_municipal"])).entity_id.nunique().execute())
    pop = store.scalar("SELECT value FROM region_fact WHERE region_code = ? AND year = 2018 AND fact = 'population' "
                       "AND vintage = ?", [regions.HOME, ledgers.ANNUAL_VINTAGE])
    measured = {"valid_patents": valid_all, "valid_inventions": valid_inv, "applications": apps, "grants": grants,
                "trademarks_in_force": in_force, "ip_national": national, "ip_municipal": municipal,
                "population": int(pop or 0)}
    out = {}
    for key, value in measured.items():
        target = targets[key] * scale
        out[key] = {"value": value, "target": round(target, 1),
                    "ratio": round(value / target, 4) if target else None}
    out["inventions_per_10k"] = round(valid_inv / (pop / 10_000), 2) if pop else None
    return out
