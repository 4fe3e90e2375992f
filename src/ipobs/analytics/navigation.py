"""The full navigation analysis of a patent set: every section, as one JSON-ready dict.

Sections register in :data:`SECTIONS` (id → function of a :class:`Scope`); the built-in ones use
the same registry, so a deployment can add its own. Each section reports what it cannot show.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ipobs.analytics import classes, clusters, geography, players, trends, value
from ipobs.analytics.scope import Scope, Section, as_date, msg

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


def analyze(store, pset, as_of=None, region: str | None = "120116", lang: str = "zh",
            sections: list[str] | None = None) -> dict:
    """Run the navigation sections on a set. ``sections`` picks some (unknown ids: ValueError)."""
    wanted = sections or list(SECTIONS)
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section(s) {', '.join(unknown)}; known: {', '.join(SECTIONS)}")
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be zh or en, not {lang!r}")
    out_sections, timings, cpu = [], {}, {}
    with Scope(store, pset, as_of=as_date(as_of), region=region, lang=lang) as s:
        if "value" in wanted:  # the set's events and IPC codes are then read with those of its value cohorts
            s.population = value.population
        for sid in wanted:
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                sec = SECTIONS[sid](s)
            except Exception as exc:  # one broken section must not hide the others
                sec = Section(sid, sid, sid)
                sec.missing.append(msg(f"该部分计算失败：{exc}", f"This section failed: {exc}"))
            timings[sid] = round(time.perf_counter() - t0, 3)
            cpu[sid] = round(time.process_time() - c0, 3)  # this process's CPU, DuckDB's threads included
            out_sections.append(sec.to_dict())
        result = {
            "set": s.rset.to_dict(), "as_of": s.as_of.isoformat(), "region": region, "lang": lang,
            "synthetic": bool(store.synthetic), "sections": out_sections, "timings": timings, "timings_cpu": cpu,
        }
    return result


def section(result: dict, section_id: str) -> dict:
    """One section of an :func:`analyze` result by id."""
    for sec in result["sections"]:
        if sec["id"] == section_id:
            return sec
    raise KeyError(f"analysis has no section {section_id!r}")
