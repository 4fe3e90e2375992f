"""Benchmark: build the synthetic demo region at several scales, against a DuckDB baseline.

    .venv/bin/python bench/demo_build.py [--scales 1,3,10] [--seed 2019] [--keep DIR]

For each scale a child process builds the demo (``ipobs.demo.build.build_demo``) into a
temporary file; the child reports wall time, CPU time and its peak resident memory
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``: tracemalloc would miss numpy's and DuckDB's
allocations, and a child per scale keeps the peaks apart).

Baseline (the fair floor for "write these records"): in another child, DuckDB writes the
same number of rows into the same canonical tables (``ipobs.store.open_store``) from
pre-built Arrow tables of trivial values (zeros, one short string, one date), one INSERT
per table. The demo does much more per row (generate, validate, hash, log; the next batch
is prepared in a worker thread while DuckDB stores this one), so the ratio says how far the
whole pipeline is from raw storage speed; the ratio is also steadier than the raw times on a
busy machine. Each scale also prints its CPU time, per-step wall/CPU and the load average at
its start and end; the results file is rewritten after every scale (partial: true until the
last).

Measured 2026-11-29 05:23 on the 2-core machine, quiet (load average 1.2-1.8): scale 1 37.5 s
wall / 47.4 s CPU / 2,192 MiB peak, ratio 4.78 to the baseline (7.9 s); scale 3 94.9 s / 143.7 s /
3,163 MiB, ratio 4.15; scale 10 254.4 s / 409.2 s / 5,907 MiB, ratio 4.92 (baseline 51.8 s). 10x the
patents took 6.8x the time. docs/demo.md, Performance, has the steps and what changed.

Linearity: seconds per 100,000 patent applications at each scale (flat = linear), and
the time ratio between the largest and smallest scale against their size ratio.

Results go to bench/results/demo_build.json and a summary is printed. Goals (issue): scale 1
under 60 s; scale 10 under 5 minutes on 2 cores with peak memory under 6 GB (read strictly:
6 × 10^9 bytes, 5,722 MiB; the peaks are printed in MiB).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import tempfile
import time
from datetime import datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux


def _build_child(scale: float, seed: int, path: str, conn) -> None:
    from ipobs.demo.build import build_demo

    t0, c0 = time.perf_counter(), time.process_time()
    summary = build_demo(path, scale=scale, seed=seed, force=True, echo=lambda s: None)
    conn.send({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "peak_mb": _peak_mb(),
               "counts": summary["counts"], "steps": summary["seconds"], "cpu_steps": summary["cpu_seconds"],
               "calibration": summary["calibration"], "file_mb": os.path.getsize(path) / 2**20})
    conn.close()


def _trivial_table(table, n: int):
    import numpy as np
    import pyarrow as pa

    cols = {}
    for f in table.fields:
        if f.name == "batch_id":
            cols[f.name] = pa.array(np.ones(n, dtype=np.int64))
        elif f.type in ("int",):
            cols[f.name] = pa.array(np.zeros(n, dtype=np.int64))
        elif f.type == "float":
            cols[f.name] = pa.array(np.zeros(n))
        elif f.type == "bool":
            cols[f.name] = pa.array(np.zeros(n, dtype=bool))
        elif f.type in ("date", "timestamp"):
            cols[f.name] = pa.array(np.full(n, np.datetime64("2020-01-01", "D")))
        else:
            cols[f.name] = pa.array(np.char.add("x", (np.arange(n) % 1000).astype(str)) if f.name in table.key
                                    else np.full(n, "x"))
    return pa.table(cols)


def _baseline_child(counts: dict, path: str, conn) -> None:
    from ipobs.records.schema import TABLES
    from ipobs.store import open_store

    tables = {name: _trivial_table(TABLES[name], n) for name, n in counts.items() if n and name in TABLES}
    store = open_store(path)
    t0, c0 = time.perf_counter(), time.process_time()
    for name, arrow in tables.items():
        store.con.register("_t", arrow)
        cols = ", ".join(f'"{c}"' for c in TABLES[name].columns)
        store.con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM _t')
        store.con.unregister("_t")
    store.con.execute("CHECKPOINT")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    store.close()
    conn.send({"wall": wall, "cpu": cpu, "peak_mb": _peak_mb(), "rows": sum(counts.values())})
    conn.close()


def _run(target, *args) -> dict:
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=target, args=(*args, child))
    p.start()
    child.close()
    out = parent.recv()
    p.join()
    if p.exitcode:
        raise SystemExit(f"child for {target.__name__}{args[:1]} failed with exit code {p.exitcode}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="1,3,10", help="comma-separated scales (default 1,3,10)")
    ap.add_argument("--seed", type=int, default=2019)
    ap.add_argument("--keep", help="folder to keep the built stores in (default: a temporary folder)")
    args = ap.parse_args()
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="demo_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    runs = []
    for scale in scales:
        path = str(folder / f"demo_{scale:g}.duckdb")
        load_start = os.getloadavg()[0]
        demo = _run(_build_child, scale, args.seed, path)
        load_end = os.getloadavg()[0]
        base_path = str(folder / f"baseline_{scale:g}.duckdb")
        if os.path.exists(base_path):
            os.remove(base_path)
        base = _run(_baseline_child, demo["counts"], base_path)
        rows = sum(demo["counts"].values())
        patents = demo["counts"]["patent"]
        run = {
            "scale": scale, "patents": patents, "rows": rows,
            "demo_seconds": round(demo["wall"], 2), "demo_cpu_seconds": round(demo["cpu"], 2),
            "demo_peak_mb": round(demo["peak_mb"], 1), "file_mb": round(demo["file_mb"], 1),
            "baseline_seconds": round(base["wall"], 2), "baseline_cpu_seconds": round(base["cpu"], 2),
            "baseline_peak_mb": round(base["peak_mb"], 1),
            "load_average_start": round(load_start, 2), "load_average_end": round(load_end, 2),
            "ratio_to_baseline": round(demo["wall"] / base["wall"], 2) if base["wall"] else None,
            "seconds_per_100k_patents": round(demo["wall"] / patents * 1e5, 2),
            "steps": demo["steps"], "cpu_steps": demo["cpu_steps"],
            "calibration": {k: v for k, v in demo["calibration"].items()} if scale == 1 else None,
        }
        runs.append(run)
        for p in (path, base_path):
            if not args.keep and os.path.exists(p):
                os.remove(p)
        print(f"scale {scale:g}: {patents:,} patents, {rows:,} rows in {run['demo_seconds']:.1f}s "
              f"(cpu {run['demo_cpu_seconds']:.1f}s, peak {run['demo_peak_mb']:,.0f} MB); baseline "
              f"{run['baseline_seconds']:.2f}s (cpu {run['baseline_cpu_seconds']:.1f}s) → ratio "
              f"{run['ratio_to_baseline']}; {run['seconds_per_100k_patents']:.2f}s per 100k patents; "
              f"load average {load_start:.1f} → {load_end:.1f}", flush=True)
        print("  steps (wall):", run["steps"], "\n  steps (cpu): ", run["cpu_steps"], flush=True)
        _write(args.seed, runs, None, None, partial=scale != scales[-1])  # a long run keeps what it measured
    linear = None
    if len(runs) > 1:
        a, b = runs[0], runs[-1]
        linear = {"size_ratio": round(b["patents"] / a["patents"], 2),
                  "time_ratio": round(b["demo_seconds"] / a["demo_seconds"], 2)}
        print(f"linearity: {linear['size_ratio']}x the patents took {linear['time_ratio']}x the time")
    load = os.getloadavg()
    print(f"load average during the run: {load[0]:.1f} (2 cores; other work inflates wall times)")
    goals = {"scale_1_under_60s": next((r["demo_seconds"] < 60 for r in runs if r["scale"] == 1), None),
             "scale_10_under_300s": next((r["demo_seconds"] < 300 for r in runs if r["scale"] == 10), None),
             "scale_10_under_6GB": next((r["demo_peak_mb"] * 2**20 < 6e9 for r in runs if r["scale"] == 10), None)}
    print("goals:", goals)
    print(f"wrote {_write(args.seed, runs, linear, goals)}")


def _write(seed: int, runs: list, linear, goals, partial: bool = False) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {"bench": "demo_build", "when": datetime.now().isoformat(timespec="seconds"), "seed": seed,
           "cpu_count": os.cpu_count(), "load_average": os.getloadavg(), "partial": partial, "runs": runs,
           "linearity": linear, "goals": goals}
    path = RESULTS / "demo_build.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1, default=str))
    return path


if __name__ == "__main__":
    main()
