"""Benchmark: importing an incoPat-style CSV with full normalization vs DuckDB's bare read_csv.

Generates (and caches under bench/results/data/) a ~100 MB file and a large file (1,000,000
rows by default, ≈1.1 GB), then for each file, in separate child processes so peak memory
(ru_maxrss) is per run:

- baseline: ``CREATE TABLE t AS SELECT * FROM read_csv(file)`` in DuckDB (no normalization);
- ipobs: ``import_file`` into an empty store (encoding sniff, header mapping, number checks,
  names split/normalized/resolved, addresses placed, IPC normalized, statuses mapped,
  validation, one transaction).

Goals (issue 3): import at least 0.3× the bare speed (ratio = baseline time / import time),
peak memory under 2 GB, and memory flat from the small to the large file. Also times name
resolution of 200,000 distinct applicant names (goal: under 20 s) against a bare pandas
pass over the same names.

Usage: ``.venv/bin/python bench/import_csv.py [--rows 1000000] [--small-rows 90000]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DATA = RESULTS / "data"
sys.path.insert(0, str(HERE))

CHILD = r"""
import json, resource, sys, time, os, shutil
mode, path, db = sys.argv[1], sys.argv[2], sys.argv[3]
for f in (db, db + ".wal"):
    if os.path.exists(f):
        os.remove(f)
shutil.rmtree(db.rsplit(".", 1)[0] + ".archive", ignore_errors=True)
t = time.perf_counter()
if mode == "duckdb":
    import duckdb
    con = duckdb.connect(db)
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')")
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    con.close()
    out = {"rows": rows}
else:
    from ipobs.sources.importer import import_file
    from ipobs.store import open_store
    with open_store(db) as s:
        r = import_file(s, path)
        out = {k: getattr(r, k) for k in ("data_rows", "accepted", "updated", "duplicate", "rejected")}
        out["unmatched_region_rows"] = r.unmatched_region_rows
        out["new_entities"] = r.new_entities
out["seconds"] = time.perf_counter() - t
out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def run(mode: str, path: Path) -> dict:
    db = str(RESULTS / f"bench_{mode}.duckdb")
    p = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), db], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{mode} run failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def data_file(rows: int, seed: int = 2019) -> Path:
    from cn_export_data import write_csv

    path = DATA / f"incopat_{rows}_{seed}.csv"
    if not path.exists():
        t = time.perf_counter()
        tmp = path.with_suffix(".tmp")
        write_csv(tmp, rows, seed)
        tmp.rename(path)
        print(f"generated {path.name} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.0f} s")
    return path


def names_bench(n: int = 200_000) -> dict:
    """Resolve n distinct messy applicant names; baseline: a bare pandas normalization pass."""
    import random

    import pandas as pd

    from cn_export_data import _company, _variant
    from ipobs.entities.resolve import Resolver

    rng = random.Random(7)
    pool = [_company(rng, i) for i in range(n // 2)]  # about two written variants per company
    names = list(dict.fromkeys(_variant(rng, *pool[i % len(pool)]) for i in range(n * 4)))[:n]
    s = pd.Series(names, dtype="string")
    t = time.perf_counter()
    base = s.str.strip().str.upper().str.replace(r"\s+", "", regex=True).unique()
    t_base = time.perf_counter() - t
    t = time.perf_counter()
    r = Resolver()
    ids = r.resolve_many(s)
    t_res = time.perf_counter() - t
    return {"names": len(names), "entities": int(ids["entity_id"].nunique()), "seconds": t_res,
            "baseline_seconds": t_base, "baseline_distinct": int(len(base)), "goal_seconds": 20.0,
            "met": t_res < 20.0}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--small-rows", type=int, default=90_000, help="≈100 MB")
    ap.add_argument("--skip-names", action="store_true")
    args = ap.parse_args()
    RESULTS.mkdir(exist_ok=True)
    DATA.mkdir(parents=True, exist_ok=True)
    report = {"files": []}
    for rows in (args.small_rows, args.rows):
        path = data_file(rows)
        base = run("duckdb", path)
        imp = run("ipobs", path)
        ratio = base["seconds"] / imp["seconds"]
        entry = {"rows": rows, "mb": round(path.stat().st_size / 1e6), "duckdb": base, "ipobs": imp,
                 "speed_ratio": round(ratio, 3), "goal_ratio": 0.3, "met_speed": ratio >= 0.3,
                 "met_memory": imp["maxrss_mb"] < 2048,
                 "accounted": imp["accepted"] + imp["updated"] + imp["duplicate"] + imp["rejected"] == imp["data_rows"]}
        report["files"].append(entry)
        print(f"{rows:>9,} rows {entry['mb']:>5} MB | duckdb read_csv {base['seconds']:6.1f} s "
              f"{base['maxrss_mb']:6.0f} MB | ipobs import {imp['seconds']:6.1f} s {imp['maxrss_mb']:6.0f} MB | "
              f"ratio {ratio:.3f} (goal ≥ 0.3) | rows/s {imp['data_rows'] / imp['seconds']:,.0f}")
    small, large = report["files"][0]["ipobs"]["maxrss_mb"], report["files"][-1]["ipobs"]["maxrss_mb"]
    report["memory_growth"] = round(large / small, 2)
    print(f"peak memory {small:.0f} MB → {large:.0f} MB (×{large / small:.2f}) for a "
          f"{report['files'][-1]['mb'] / report['files'][0]['mb']:.0f}× larger file")
    if not args.skip_names:
        report["names"] = names_bench()
        nb = report["names"]
        print(f"name resolution: {nb['names']:,} distinct names → {nb['entities']:,} entities in {nb['seconds']:.1f} s "
              f"(goal < 20 s; bare pandas pass {nb['baseline_seconds']:.2f} s)")
    out = RESULTS / "import_csv.json"
    out.write_text(json.dumps(report, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
