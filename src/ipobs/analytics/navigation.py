"""The full navigation analysis of a patent set: every section, as one JSON-ready dict.

Sections register in :data:`SECTIONS` (id → function of a :class:`Scope`); the built-in ones use
the same registry, so a deployment can add its own. Each section reports what it cannot show.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from ipobs.analytics import classes, clusters, geography, players, trends, value
from ipobs.analytics.scope import Scope, Section, msg
from ipobs.records.dates import date_or_today

SECTIONS: dict[str, Callable[[Scope], Section]] = {}


def register(section_id: str, fn: Callable[[Scope], Section]) -> None:
    SECTIONS[section_id] = fn


for _id, _fn in [
    ("overview", trends.overview), ("trends", trends.trends), ("lifecycle", trends.lifecycle),
    ("applicants", players.applicants), ("inventors", players.inventors), ("network", players.network),
    ("ipc", classes.ipc_distribution), ("blank_spots", classes.blank_spots), ("industries", classes.industry_mapping),
    ("regions", geography.regional), ("region_share", geography.region_share), ("legal_status", geography.legal_status),
    ("clusters", clusters.clusters), ("value", value.value_section),
]:
    register(_id, _fn)


# sections run in a second thread on a fork of the scope (its own cursor, the same tables: each is made once,
# by whichever thread needs it first), beside the others; the two halves take about as long
SIDE_SECTIONS = ("value", "clusters")


def analyze(store, pset, as_of=None, region: str | None = "120116", lang: str = "zh",
            sections: list[str] | None = None, parallel: bool = True) -> dict:
    """Run the navigation sections on a set. ``sections`` picks some (unknown ids: ValueError).

    ``parallel``: :data:`SIDE_SECTIONS` run in a second thread on a fork of the scope (:meth:`Scope.fork`) while
    this thread runs the others (same results; ``timings_cpu`` is then each thread's own CPU time, DuckDB's
    worker threads not included, and ``cpu_clock`` says so)."""
    wanted = sections or list(SECTIONS)
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section(s) {', '.join(unknown)}; known: {', '.join(SECTIONS)}")
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be zh or en, not {lang!r}")
    side = [sid for sid in wanted if sid in SIDE_SECTIONS] if parallel else []
    main = [sid for sid in wanted if sid not in side]
    if not main:
        main, side = side, []
    with Scope(store, pset, as_of=date_or_today(as_of), region=region, lang=lang) as s:
        if "value" in wanted:  # the set's events and IPC codes are then read with those of its value cohorts
            s.population = value.population
        if side:
            with s.fork() as s2, ThreadPoolExecutor(1, thread_name_prefix="ipobs-analysis") as pool:
                later = pool.submit(_run_sections, s2, side, time.thread_time)
                done = _run_sections(s, main, time.thread_time)
                done.update(later.result())
        else:
            done = _run_sections(s, main, time.process_time)
        result = {
            "set": s.rset.to_dict(), "as_of": s.as_of.isoformat(), "region": region, "lang": lang,
            "synthetic": bool(store.synthetic), "sections": [done[sid][0] for sid in wanted],
            "timings": {sid: done[sid][1] for sid in wanted}, "timings_cpu": {sid: done[sid][2] for sid in wanted},
            "cpu_clock": "thread" if side else "process",
        }
    return result


def _run_sections(s: Scope, ids: list[str], clock) -> dict[str, tuple[dict, float, float]]:
    """{id: (section dict, wall seconds, CPU seconds by ``clock``)} of the sections ``ids`` on one scope."""
    out = {}
    for sid in ids:
        t0, c0 = time.perf_counter(), clock()
        try:
            sec = SECTIONS[sid](s)
        except Exception as exc:  # one broken section must not hide the others
            sec = Section(sid, sid, sid)
            sec.missing.append(msg(f"该部分计算失败：{exc}", f"This section failed: {exc}"))
        out[sid] = (sec.to_dict(), round(time.perf_counter() - t0, 3), round(clock() - c0, 3))
    return out


def section(result: dict, section_id: str) -> dict:
    """One section of an :func:`analyze` result by id."""
    for sec in result["sections"]:
        if sec["id"] == section_id:
            return sec
    raise KeyError(f"analysis has no section {section_id!r}")
