"""Web benchmark: concurrent clients against the dashboard and the indicator API, on loopback.

    .venv/bin/python bench/web.py [--scale 10] [--clients 20] [--seconds 60] [--db PATH]

Builds the demo store at ``--scale`` into bench/ when it is missing (scale 10 ≈ 4M applications;
takes a while), starts ``ipobs serve`` in a subprocess with the start-up warming off, and measures:

- the cost of the first (cold) request of the dashboard and of the indicator API;
- then ``--clients`` threads, each looping over the dashboard page (``/``), the indicator API
  (``/indicators/valid_patents.json``) and a trivial route (``/healthz``, the baseline, served by
  the same server in the same run) for ``--seconds``: p50 / p95 latency and errors per route.

Goal: dashboard p95 under 300 ms with zero errors. Writes bench/results/web.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
ROUTES = {"dashboard": "/", "indicator_api": "/indicators/valid_patents.json", "baseline": "/healthz"}
GOAL_P95_MS = 300.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_demo(path: Path, scale: float, seed: int) -> float:
    """Build the demo store when missing; seconds spent (0 when it was there)."""
    if path.exists():
        return 0.0
    from ipobs.demo.build import build_demo

    t0 = time.perf_counter()
    build_demo(path, scale=scale, seed=seed, echo=lambda m: print(m, flush=True))
    return time.perf_counter() - t0


def start_server(db: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, IPOBS_WEB_WARM_CACHE="0")
    exe = Path(sys.executable).with_name("ipobs")
    proc = subprocess.Popen([str(exe), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not answer /healthz within 120 s")


def timed_get(client: httpx.Client, path: str) -> tuple[float, bool]:
    t0 = time.perf_counter()
    try:
        ok = client.get(path).status_code == 200
    except httpx.HTTPError:
        ok = False
    return (time.perf_counter() - t0) * 1000, ok


def load(base: str, clients: int, seconds: float) -> dict:
    samples: dict[str, list[float]] = {k: [] for k in ROUTES}
    errors = {k: 0 for k in ROUTES}
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        order = list(ROUTES.items())
        order = order[i % len(order):] + order[:i % len(order)]  # clients start on different routes
        with httpx.Client(base_url=base, timeout=30) as c:
            while time.perf_counter() < stop:
                for name, path in order:
                    ms, ok = timed_get(c, path)
                    with lock:
                        samples[name].append(ms)
                        errors[name] += 0 if ok else 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    out = {}
    for name, xs in samples.items():
        xs.sort()
        out[name] = {
            "requests": len(xs), "errors": errors[name],
            "p50_ms": round(statistics.median(xs), 1) if xs else None,
            "p95_ms": round(xs[int(0.95 * (len(xs) - 1))], 1) if xs else None,
            "max_ms": round(xs[-1], 1) if xs else None,
            "per_second": round(len(xs) / seconds, 1),
        }
    base_p50, base_p95 = out["baseline"]["p50_ms"], out["baseline"]["p95_ms"]
    for name in ("dashboard", "indicator_api"):
        out[name]["p50_vs_baseline"] = round(out[name]["p50_ms"] / base_p50, 2) if base_p50 else None
        out[name]["p95_vs_baseline"] = round(out[name]["p95_ms"] / base_p95, 2) if base_p95 else None
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=2019)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    db = args.db or ROOT / "bench" / f"demo-scale{args.scale:g}.duckdb"
    built = ensure_demo(db, args.scale, args.seed)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(db, port)
    try:
        cold = {}
        with httpx.Client(base_url=base, timeout=1800) as c:
            for name in ("dashboard", "indicator_api"):
                ms, ok = timed_get(c, ROUTES[name])
                cold[name] = {"ms": round(ms, 1), "ok": ok}
            warm = {name: round(timed_get(c, ROUTES[name])[0], 1) for name in ROUTES}
        result = load(base, args.clients, args.seconds)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    report = {
        "db": str(db), "scale": args.scale, "build_seconds": round(built, 1), "clients": args.clients,
        "seconds": args.seconds, "cold_first_request": cold, "warm_single_request_ms": warm, "load": result,
        "goal": f"dashboard p95 < {GOAL_P95_MS:g} ms, zero errors",
        "goal_met": result["dashboard"]["p95_ms"] < GOAL_P95_MS and result["dashboard"]["errors"] == 0,
        "cpus": os.cpu_count(), "loadavg_at_end": os.getloadavg(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "web.json").write_text(json.dumps(report, indent=1))
    print(f"web benchmark on {db.name} ({args.clients} clients, {args.seconds:g} s, loopback)")
    print(f"  cold first request: dashboard {cold['dashboard']['ms']:,.0f} ms, "
          f"indicator API {cold['indicator_api']['ms']:,.0f} ms")
    for name, r in result.items():
        ratio = f"  p95 ×{r['p95_vs_baseline']} baseline" if "p95_vs_baseline" in r else ""
        print(f"  {name:14s} {r['requests']:6d} req  {r['errors']} errors  p50 {r['p50_ms']} ms  "
              f"p95 {r['p95_ms']} ms{ratio}")
    print(f"  goal ({report['goal']}): {'met' if report['goal_met'] else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
