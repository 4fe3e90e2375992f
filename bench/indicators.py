"""Benchmark: indicator computation on the demo database.

    .venv/bin/python bench/indicators.py [--scale 0.05] [--db PATH] [--spark]

Times, in one process on the same data:
- headline indicators through Ibis on DuckDB against a baseline that reads the rows into pandas
  and computes the same numbers there (the oracle of tests/indicators/test_headline.py);
- every indicator one ``compute`` call at a time against ``compute_many`` (few queries);
- with ``--spark``: ``compute_many`` on PySpark (local[2]) over the Parquet export.
Writes bench/results/indicators.json and prints ratios (machines are noisy: compare ratios).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "indicators"))

AS_OF = dt.date(2021, 12, 31)
HEADLINE = ("valid_patents", "inventions_per_10k", "invention_share", "registered_trademarks")


def same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a))


def timed(fn, repeat=3):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def pandas_baseline(store):
    import test_headline as oracle  # the pandas computations the tests trust

    frames = {name: store.query(f'SELECT * FROM "{name}"') for name in
              ("patent", "patent_event", "region_fact", "trademark", "trademark_event")}
    for df in frames.values():
        for c in df.columns:
            if c.endswith("_date") or c in ("event_date",):
                df[c] = pd.to_datetime(df[c])
    fns = {"valid_patents": oracle.expect_valid_patents, "inventions_per_10k": oracle.expect_inventions_per_10k,
           "invention_share": oracle.expect_invention_share, "registered_trademarks": oracle.expect_registered_trademarks}
    return {k: fns[k](frames, AS_OF.isoformat(), "120116") for k in HEADLINE}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=0.05)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--spark", action="store_true")
    args = ap.parse_args()

    from ipobs.demo.build import build_demo
    from ipobs.indicators import compute, compute_many, registry
    from ipobs.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="ipobs-bench-"))
    db = args.db or tmp / "demo.duckdb"
    if not db.exists():
        build_demo(db, scale=args.scale, seed=7)
    store = open_store(db, read_only=True)
    res: dict = {"scale": args.scale, "db": str(db), "patents": store.count("patent")}

    t_ibis, ibis_vals = timed(lambda: {k: compute(store, k, AS_OF).value for k in HEADLINE})
    t_pd, pd_vals = timed(lambda: pandas_baseline(store))
    res["headline"] = {"ibis_duckdb_s": t_ibis, "pandas_baseline_s": t_pd, "ratio_pandas_over_ibis": t_pd / t_ibis,
                       "differ": [k for k in HEADLINE if not same(ibis_vals[k], pd_vals[k])]}

    ids = sorted(registry())
    t_loop, loop = timed(lambda: {i: compute(store, i, AS_OF) for i in ids}, repeat=1)
    t_many, many = timed(lambda: compute_many(store, ids, as_of=AS_OF), repeat=1)
    res["all"] = {"indicators": len(ids), "compute_loop_s": t_loop, "compute_many_s": t_many,
                  "ratio_loop_over_many": t_loop / t_many,
                  "differ": [i for i in ids if not same(loop[i].value, many[i].value)]}

    if args.spark:
        import ibis

        from ipobs.indicators import export_parquet, parquet_tables, spark_session

        export_parquet(store, tmp / "parquet")
        t0 = time.perf_counter()
        tables = parquet_tables(tmp / "parquet", backend=ibis.pyspark.connect(spark_session()))
        start = time.perf_counter() - t0
        t_spark, sp = timed(lambda: compute_many(tables, ids, as_of=AS_OF), repeat=1)
        res["spark"] = {"session_start_s": start, "compute_many_s": t_spark, "ratio_spark_over_duckdb": t_spark / t_many,
                        "differ": [i for i in ids if not same(sp[i].value, many[i].value)]}

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "indicators.json").write_text(json.dumps(res, indent=1), encoding="utf-8")
    h, a = res["headline"], res["all"]
    print(f"demo scale {args.scale}: {res['patents']:,} patents")
    print(f"headline 4 indicators: Ibis/DuckDB {h['ibis_duckdb_s']:.2f}s, pandas baseline {h['pandas_baseline_s']:.2f}s "
          f"(pandas/Ibis = {h['ratio_pandas_over_ibis']:.1f}x), differ: {h['differ'] or 'none'}")
    print(f"all {a['indicators']} indicators: compute loop {a['compute_loop_s']:.1f}s, compute_many {a['compute_many_s']:.1f}s "
          f"(loop/many = {a['ratio_loop_over_many']:.2f}x), differ: {a['differ'] or 'none'}")
    if "spark" in res:
        s = res["spark"]
        print(f"PySpark local[2]: session {s['session_start_s']:.1f}s, compute_many {s['compute_many_s']:.1f}s "
              f"(Spark/DuckDB = {s['ratio_spark_over_duckdb']:.1f}x), differ: {s['differ'] or 'none'}")


if __name__ == "__main__":
    main()
