"""Benchmark: forecast accuracy of the two ETS fitters (``ets_fitter``: numpy grid vs statsmodels) in the
monitor's rolling-origin backtest, on the demo store's yearly series of every plan indicator, district and
sub-regions.

    .venv/bin/python bench/backtest.py [--db bench/demo-scale10.duckdb] [--origins 4] [--regions all|home]

For each fitter the monitor's whole forecaster runs (trend, drift, ETS when the cheap models fail their
backtest, calibration) at the latest ``--origins`` origins of every series, and is scored 1–3 years ahead
against what happened: mean and median absolute percentage error per horizon, 80% interval coverage, how
often ETS was chosen, and the seconds spent. A second pass forces ETS onto every series (``ets_trigger: 0``)
on the district alone, so the fitters themselves are compared on many more fits. The store is opened
read-only. Results go to bench/results/backtest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FITTERS = ("grid", "statsmodels")


def _summary(rows) -> dict:
    by_h: dict[int, list] = {1: [], 2: [], 3: []}
    cover: dict[int, list] = {1: [], 2: [], 3: []}
    for r in rows:
        for k, y in enumerate(r.years):
            h = y - r.origin
            if h in by_h and r.model_ape[k] is not None:
                by_h[h].append(r.model_ape[k])
            if h in cover and r.lo80[k] is not None and r.actual[k] is not None:
                cover[h].append(r.lo80[k] <= r.actual[k] <= r.hi80[k])
    return {
        "forecasts": sum(1 for r in rows if r.model),
        "models": dict(Counter(r.model for r in rows if r.model)),
        "by_horizon": {h: {"n": len(v), "mape": float(np.mean(v)) if v else None,
                           "median_ape": float(np.median(v)) if v else None,
                           "coverage80": float(np.mean(cover[h])) if cover[h] else None} for h, v in by_h.items()},
    }


def run(store, plan, regions, origins, settings, values=None) -> tuple[dict, float, float]:
    """The backtest summary with ``settings``, wall and CPU seconds (``values``: a shared ValueSource)."""
    from ipobs.monitor import Monitor
    from ipobs.monitor.backtest import backtest_store, latest_year_end

    last = latest_year_end(store).year
    wanted = list(range(last - origins, last))
    mon = Monitor(store, settings)
    if values is not None:
        mon.values = values
    rows = []
    t0, c0 = time.perf_counter(), time.process_time()
    for g in regions:
        rows += backtest_store(store, plan, region=g, origins=wanted, settings=settings, monitor=mon)
    return _summary(rows), time.perf_counter() - t0, time.process_time() - c0


def main(argv=None) -> int:
    from ipobs.entities.regions import HOME, sub_regions
    from ipobs.plan import load_plan
    from ipobs.store import open_store

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=ROOT / "bench" / "demo-scale10.duckdb")
    ap.add_argument("--origins", type=int, default=4, help="latest origins per series (default 4)")
    ap.add_argument("--regions", choices=("all", "home"), default="all")
    args = ap.parse_args(argv)
    plan = load_plan("binhai-2019")
    regions = [None] + (list(sub_regions(HOME)) if args.regions == "all" else [])
    out: dict = {"db": str(args.db), "origins": args.origins, "load_start": os.getloadavg()}
    with open_store(args.db, read_only=True) as store:
        store.con.execute("SET threads=2")
        from ipobs.monitor import Monitor

        from ipobs.monitor.backtest import backtest_store

        warm = Monitor(store)  # indicator values fetched once and shared by every run: only forecasts differ
        t0 = time.perf_counter()
        for g in regions:
            backtest_store(store, plan, region=g, origins=[], monitor=warm)
        values = warm.values
        out["values_s"] = time.perf_counter() - t0
        for label, extra, regs in (("default", {}, regions), ("ets_always_home", {"ets_trigger": 0}, [None])):
            for fitter in FITTERS:
                summary, wall, cpu = run(store, plan, regs, args.origins, {"ets_fitter": fitter, **extra}, values)
                out.setdefault(label, {})[fitter] = {**summary, "wall_s": wall, "cpu_s": cpu}
                h = summary["by_horizon"]
                print(f"{label:16s} {fitter:11s} {summary['forecasts']:4d} forecasts, {wall:6.1f} s wall "
                      f"{cpu:6.1f} s CPU; MAPE h1/h2/h3 " + " / ".join(
                          f"{h[k]['mape']:.2f}" if h[k]['mape'] is not None else "-" for k in (1, 2, 3))
                      + "; coverage80 " + " / ".join(
                          f"{h[k]['coverage80']:.2f}" if h[k]['coverage80'] is not None else "-" for k in (1, 2, 3))
                      + f"; models {summary['models']}", flush=True)
    out["load_end"] = os.getloadavg()
    path = ROOT / "bench" / "results" / "backtest.json"
    path.write_text(json.dumps(out, indent=1, default=str))
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
