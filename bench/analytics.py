"""Analytics benchmark: the full navigation analysis of a ~200,000-patent set, and the monitoring PDF.

    .venv/bin/python bench/analytics.py [--db PATH] [--scale 10] [--set SET] [--as-of 2024-12-31] [--skip-monitoring]
        [--one-thread] [--cold] [--dump FILE]

1. The store: ``--db``, else ``bench/demo-scale10.duckdb`` when it exists (opened READ-ONLY), else a demo
   database at ``--scale`` built with ``ipobs.demo.build.build_demo`` at ``var/bench-analytics-<scale>.duckdb``.
2. The set: ``--set`` or, by default, the plan industry whose patent count is closest to 200,000
   (deterministic; printed). On the scale-10 demo that is ``industry:culture_creative``, 213,825 patents.
3. Timed in the same process, DuckDB at ``SET threads=2``, each phase with wall time AND process CPU time
   (all threads, DuckDB's included); the machine is shared, so CPU seconds are the steadier figure:
   - imports of the libraries the analysis and the PDF load on first use (a server pays them once);
   - baseline: a plain DuckDB group-by count (filing year × kind) over the same set;
   - ``resolve`` of the set, then ``analyze`` (every section), with per-section wall and CPU times;
   - the monitoring report: ``evaluate`` (monitor + indicators: ``ipobs.monitor``'s cost, reported apart)
     and report build + PDF render (this module's cost; the 20 s goal is measured on it).
Goals: analysis under 30 s, monitoring PDF (build + render) under 20 s.
Writes bench/results/analytics.json and prints a summary with ratios and the load average.

Latest, 2026-11-29 09:00–09:25 on the quiet machine (load 0.6–2.6), after the scope's tables were shared by both
threads (one attached in-memory database per analysis): 29 two-thread runs, analysis median 23.0 s wall (16.9–24.8 s,
one run 35.3 s; 33–49 s CPU), against 27.2 s median (23.1–35.8 s, 3 of 16 over 30 s) before. Goal 30 s: met. PDF
build + render 5.5 s (goal met). docs/analytics.md, "Fifth session", has the table.

Measured 2026-11-29 (scale-10 demo, industry:culture_creative, 213,825 patents; docs/analytics.md
"Performance" has the tables). The machine was shared all day; under load even CPU seconds inflate
(≈1.45× at load 7), so compare runs made in the same load window:
  first pass   analysis 567 s wall / 191 s CPU (load ≈10) → 356 s wall / 77 s CPU (load ≈15)
  second pass  same load window (≈7), before → after: 106–131 s wall / 72–81 s CPU → 92–93 s wall / 58 s CPU
               (value 35–40 → 15 s CPU); this script at 04:31, load 4.7 → 4.2: 73.8 s wall / 56.2 s CPU,
               baseline group-by 1.2 s wall (61×); at 03:32 before the pass, load 0.7 → 5.2: 91.7 s wall / 53.1 s CPU.
               Results identical (--dump JSON equal). Goal 30 s: not shown; quiet-machine estimate 25–35 s wall.
  PDF          build + render 10.2 s wall / 6.3 s CPU (goal met; first pass, not re-run);
               evaluate (ipobs.monitor) 76 s wall / 37 s CPU; imports 5–6 s CPU once per process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
TARGET_SET_SIZE = 200_000


CPU: dict[str, float] = {}  # process CPU seconds per phase (all threads): steadier than wall time on a shared machine


def _timed(fn, *a, label: str | None = None, **kw):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn(*a, **kw)
    if label:
        CPU[label] = time.process_time() - c0
    return out, time.perf_counter() - t0


def ensure_db(path: Path, scale: float) -> None:
    if path.exists():
        return
    try:
        from ipobs.demo.build import build_demo
    except ImportError:
        sys.exit(f"{path} is missing and ipobs.demo.build is not available to build it; pass --db")
    print(f"building demo scale {scale} at {path} …", flush=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    _, secs = _timed(build_demo, path, scale=scale, seed=2019)
    print(f"  built in {secs:.0f} s", flush=True)


def _imports(skip_monitoring: bool) -> None:
    """Load the libraries the analysis (and the PDF) import on first use, so their one-off cost is timed apart."""
    import ibis  # noqa: F401
    import ibis.backends.duckdb  # noqa: F401  (with sqlglot's dialects: what the first compiled expression loads)
    import networkx  # noqa: F401
    import rjieba  # noqa: F401
    import scipy.sparse  # noqa: F401
    import sklearn.decomposition  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401

    import ipobs.analytics.navigation  # noqa: F401
    import ipobs.indicators  # noqa: F401
    import ipobs.store.history  # noqa: F401

    if not skip_monitoring:
        import weasyprint  # noqa: F401

        import ipobs.monitor  # noqa: F401


def evict_from_page_cache(path: Path) -> bool:
    """Drop the store file's pages from the OS page cache (``posix_fadvise(DONTNEED)``; no privileges needed),
    so the run reads it from disk like the first analysis after a reboot. False where the call is missing."""
    if not hasattr(os, "posix_fadvise"):
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)  # dirty pages are not dropped
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    return True


def default_set(store) -> str:
    rows = store.con.execute("SELECT industry, count(*) FROM patent WHERE industry IS NOT NULL GROUP BY 1").fetchall()
    if not rows:
        return "years:2010-2030"
    ind, _ = min(rows, key=lambda r: abs(r[1] - TARGET_SET_SIZE))
    return f"industry:{ind}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=10.0)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--set", dest="set_", default=None)
    ap.add_argument("--as-of", default="2024-12-31")
    ap.add_argument("--monitoring-as-of", default="2022-12-31")
    ap.add_argument("--skip-monitoring", action="store_true")
    ap.add_argument("--dump", type=Path, help="also write the analysis result (JSON) here, to compare runs")
    ap.add_argument("--one-thread", action="store_true", help="every section in one thread (analyze(parallel=False))")
    ap.add_argument("--cold", action="store_true",
                    help="drop the store file from the OS page cache first (else it is read as the OS cached it: "
                         "a server that ran an analysis before has most of it in memory)")
    args = ap.parse_args()
    shared10 = ROOT / "bench" / "demo-scale10.duckdb"
    db = args.db or (shared10 if shared10.exists() and args.scale == 10 else
                     ROOT / "var" / f"bench-analytics-{args.scale:g}.duckdb")
    ensure_db(db, args.scale)

    out: dict = {"db": str(db), "scale": args.scale, "as_of": args.as_of, "cpu_count": os.cpu_count(),
                 "load_avg_start": os.getloadavg()}
    _, out["imports_s"] = _timed(_imports, args.skip_monitoring, label="imports")
    out["page_cache"] = "evicted" if args.cold and evict_from_page_cache(db) else "as the OS left it"

    from ipobs.analytics.navigation import analyze
    from ipobs.analytics.patent_set import resolve
    from ipobs.store import open_store

    with open_store(db, read_only=True) as store:
        store.con.execute("SET threads = 2")
        set_text = args.set_ or default_set(store)
        how = "--set" if args.set_ else f"the plan industry with the count closest to {TARGET_SET_SIZE:,}"
        print(f"set {set_text} ({how})", flush=True)
        out["patents_in_store"] = store.count("patent")
        rset, t_resolve = _timed(resolve, store, set_text)
        out |= {"set": set_text, "set_size": len(rset), "resolve_s": t_resolve}
        cur = store.con.cursor()
        cur.register("pset", rset.frame())
        sql = ("SELECT year(p.filing_date) AS y, p.kind, count(*) FROM pset JOIN patent p USING (patent_id) "
               "GROUP BY ALL")
        _, t_base = _timed(lambda: cur.execute(sql).fetchall(), label="baseline")
        cur.close()
        out["baseline_groupby_s"] = t_base
        result, t_an = _timed(analyze, store, rset, as_of=args.as_of, parallel=not args.one_thread, label="analysis")
        out["analysis_s"] = t_an
        out["sections_s"] = result["timings"]
        out["sections_cpu_s"] = result.get("timings_cpu", {})
        out["sections_cpu_clock"] = result.get("cpu_clock")  # "thread" when value and clusters ran beside the rest
        if args.dump:
            args.dump.write_text(json.dumps({k: v for k, v in result.items() if not k.startswith("timings")},
                                            ensure_ascii=False, default=str, sort_keys=True))
        out["analysis_over_baseline"] = t_an / t_base if t_base else None
        out["analysis_goal_s"] = 30
        failed = [s["id"] for s in result["sections"] for m in s["missing"] if "failed" in m["en"]]
        out["sections_failed"] = failed

        if not args.skip_monitoring:
            from ipobs.monitor import evaluate
            from ipobs.reports.monitoring import build_monitoring_report
            from ipobs.reports.render import to_pdf

            statuses, t_eval = _timed(lambda: [s.to_dict() for s in evaluate(store, "binhai-2019", args.monitoring_as_of)],
                                      label="monitoring_evaluate")
            (report, _), t_build = _timed(build_monitoring_report, store, args.monitoring_as_of, statuses=statuses,
                                          label="monitoring_build")
            pdf, t_pdf = _timed(to_pdf, report, label="monitoring_pdf")
            out |= {"monitoring_evaluate_s": t_eval, "monitoring_build_s": t_build, "monitoring_pdf_render_s": t_pdf,
                    "monitoring_build_render_s": t_build + t_pdf,
                    "monitoring_total_s": t_eval + t_build + t_pdf, "monitoring_pdf_bytes": len(pdf),
                    "monitoring_targets": len(statuses), "monitoring_goal_s": 20,
                    "monitoring_render_over_baseline": (t_build + t_pdf) / t_base if t_base else None}
    out["cpu_s"] = CPU
    out["load_avg_end"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "analytics.json").write_text(json.dumps(out, indent=1, default=str))
    print(f"imports (first use of sklearn, scipy, networkx, ibis, rjieba, WeasyPrint): {out['imports_s']:.1f} s wall, "
          f"{CPU['imports']:.1f} s CPU")
    print(f"set {set_text}: {out['set_size']:,} of {out['patents_in_store']:,} patents (resolve {t_resolve:.2f} s); "
          f"store file in the OS page cache: {out['page_cache']}")
    print(f"baseline DuckDB group-by count: {t_base:.3f} s wall, {CPU['baseline']:.2f} s CPU")
    print(f"navigation analysis: {t_an:.1f} s wall, {CPU['analysis']:.1f} s CPU (goal 30 s) = "
          f"{out['analysis_over_baseline']:.0f}× the baseline (wall)")
    cpu = out["sections_cpu_s"]
    for sid, secs in sorted(result["timings"].items(), key=lambda kv: -kv[1]):
        print(f"   {sid:14s} {secs:7.2f} s wall {cpu.get(sid, float('nan')):7.2f} s CPU ({out['sections_cpu_clock']})")
    if failed:
        print(f"   sections that failed: {', '.join(failed)}")
    if not args.skip_monitoring:
        print(f"monitoring report ({out['monitoring_targets']} targets): evaluate {t_eval:.1f} s wall / "
              f"{CPU['monitoring_evaluate']:.1f} s CPU (ipobs.monitor, not this goal)")
        print(f"   build {t_build:.2f} s + PDF render {t_pdf:.1f} s = {t_build + t_pdf:.1f} s wall, "
              f"{CPU['monitoring_build'] + CPU['monitoring_pdf']:.1f} s CPU (goal 20 s); "
              f"{out['monitoring_pdf_bytes'] / 1024:.0f} KB")
    print("process CPU seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in CPU.items()))
    print(f"load average {out['load_avg_start']} → {out['load_avg_end']}; results in {RESULTS / 'analytics.json'}")


if __name__ == "__main__":
    main()
