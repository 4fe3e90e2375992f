"""Filing and grant trends by kind, and the technology life cycle (a documented heuristic)."""

from __future__ import annotations

import pandas as pd

from ipobs.analytics.scope import Scope, Section, msg, records

KIND_ORDER = ["invention", "utility", "design"]
GROWTH_BAND = 0.10  # ±10 %: below it a count is "flat"
MIN_LIFECYCLE_YEARS = 6  # two windows of three complete years
WINDOW = 3


def overview(s: Scope) -> Section:
    sec = Section("overview", "概况", "Overview")
    if s.size == 0:
        sec.missing.append(msg("集合为空：没有可分析的专利。", "The set is empty: there are no patents to analyse."))
        sec.facts = {"patents": 0}
        return sec
    row = s.q(f"""
        SELECT count(*) AS patents,
               count(*) FILTER (WHERE p.kind = 'invention') AS inventions,
               count(*) FILTER (WHERE p.kind = 'utility') AS utility_models,
               count(*) FILTER (WHERE p.kind = 'design') AS designs,
               count(*) FILTER (WHERE p.grant_date IS NOT NULL AND p.grant_date <= ?) AS granted,
               count(*) FILTER (WHERE st.status = 'granted') AS valid,
               count(*) FILTER (WHERE st.status = 'granted' AND p.kind = 'invention') AS valid_inventions,
               count(*) FILTER (WHERE p.pct) AS pct,
               min(year(p.filing_date)) AS first_year, max(year(p.filing_date)) AS last_year,
               count(*) FILTER (WHERE {s.region_in()}) AS in_region
        FROM {s.patents()} p
        LEFT JOIN {s.status()} st USING (patent_id)""", [s.as_of]).iloc[0]
    f = {k: (None if pd.isna(v) else int(v)) for k, v in row.items()}
    f["invention_share"] = f["inventions"] / f["patents"]
    f["region_share"] = f["in_region"] / f["patents"] if s.region else None
    sec.facts = f
    sec.notes.append(msg(f"法律状态截至 {s.as_of}，取自法律状态事件。", f"Legal status as of {s.as_of}, from legal-status events."))
    return sec


def trends(s: Scope) -> Section:
    sec = Section("trends", "申请与授权趋势", "Filing and grant trends")
    if s.size == 0:
        sec.missing.append(msg("集合为空，无法给出趋势。", "The set is empty: no trend to show."))
        return sec
    filed = s.q(f"""
        SELECT year(p.filing_date) AS year, p.kind, count(*) AS n
        FROM {s.patents()} p GROUP BY ALL""")
    granted = s.q(f"""
        SELECT year(p.grant_date) AS year, p.kind, count(*) AS n
        FROM {s.patents()} p
        WHERE p.grant_date IS NOT NULL AND p.grant_date <= ? GROUP BY ALL""", [s.as_of])
    sec.tables["filings"] = records(_wide(filed, s))
    sec.tables["grants"] = records(_wide(granted, s))
    if not len(granted):
        sec.missing.append(msg("集合中没有已授权专利，无法给出授权趋势。", "No patent of the set is granted: no grant trend."))
    sec.notes.append(msg(
        f"申请按申请日计年；{s.last_complete_year} 年以后的申请可能尚未全部公开（公开滞后约18个月），标为“不完整”。",
        f"Applications by filing year; those after {s.last_complete_year} may not all be published yet "
        "(≈18-month publication lag) and are marked provisional."))
    return sec


def _wide(df: pd.DataFrame, s: Scope) -> pd.DataFrame:
    if not len(df):
        return pd.DataFrame(columns=["year", *KIND_ORDER, "total", "provisional"])
    w = df.pivot_table(index="year", columns="kind", values="n", aggfunc="sum", fill_value=0)
    w = w.reindex(columns=KIND_ORDER, fill_value=0)
    years = range(int(w.index.min()), int(w.index.max()) + 1)
    w = w.reindex(years, fill_value=0).astype(int)
    w["total"] = w.sum(axis=1)
    w = w.reset_index().rename(columns={"index": "year"})
    w["provisional"] = w["year"] > s.last_complete_year
    return w


def lifecycle(s: Scope) -> Section:
    """Applicants against applications per year, the textbook ratios, and the phase they suggest."""
    sec = Section("lifecycle", "技术生命周期", "Technology life cycle")
    if s.size == 0:
        sec.missing.append(msg("集合为空，无法判断生命周期。", "The set is empty: no life cycle to judge."))
        return sec
    df = s.q(f"""
        WITH a AS (
            SELECT p.patent_id, year(p.filing_date) AS year, p.kind FROM {s.patents()} p),
        who AS (
            SELECT DISTINCT a.year, coalesce(pp.entity_id, 'name:' || coalesce(pp.name_norm, pp.name)) AS who
            FROM a JOIN {s.parties()} pp USING (patent_id) WHERE pp.role = 'applicant'),
        who_n AS (SELECT year, count(*) AS applicants FROM who GROUP BY year)
        SELECT a.year, count(*) AS applications,
               count(*) FILTER (WHERE kind = 'invention') AS inventions,
               count(*) FILTER (WHERE kind = 'utility') AS utility_models,
               count(*) FILTER (WHERE kind = 'design') AS designs,
               coalesce(any_value(w.applicants), 0) AS applicants
        FROM a LEFT JOIN who_n w USING (year) GROUP BY a.year ORDER BY a.year""")
    total = df["applications"].sum()
    ab = df["inventions"] + df["utility_models"]
    df["growth_v"] = df["applications"] / total  # v = a_t / A
    df["maturity_alpha"] = (df["inventions"] / ab).where(ab > 0)  # α = a/(a+b)
    df["ageing_beta"] = (ab / df["applications"]).where(df["applications"] > 0)  # β = (a+b)/(a+b+c)
    df["provisional"] = df["year"] > s.last_complete_year
    sec.tables["by_year"] = records(df)
    phase, why = suggest_phase(df[~df["provisional"]])
    sec.facts = {"phase": phase, "phase_zh": PHASES[phase][0] if phase else None,
                 "phase_en": PHASES[phase][1] if phase else None}
    if phase is None:
        sec.missing.append(why)
    else:
        sec.notes.append(why)
    sec.notes.append(msg(
        "阶段判断是启发式方法：比较最近三个完整年度与此前三年的申请量和申请人数的变化（±10%为持平）。"
        "两者同增为成长期；申请增而申请人持平或减少、或两者持平为成熟期；两者同减为衰退期；基数很小且在增长为萌芽期。",
        "The phase is a heuristic: applications and applicants of the last three complete years against the "
        "three before (±10 % counts as flat). Both rising: growth; applications rising with applicants flat or "
        "falling, or both flat: maturity; both falling: decline; a small, rising base: emergence."))
    return sec


PHASES = {"emerging": ("萌芽期", "emergence"), "growth": ("成长期", "growth"),
          "mature": ("成熟期", "maturity"), "decline": ("衰退期", "decline")}
SMALL_BASE = 30  # applications in the earlier window below this: an emerging field


def _change(new: float, old: float) -> float | None:
    return None if old == 0 else (new - old) / old


def suggest_phase(by_year: pd.DataFrame) -> tuple[str | None, dict]:
    """The phase suggested by complete years (see :func:`lifecycle`), with the reason in words."""
    if len(by_year) < MIN_LIFECYCLE_YEARS:
        return None, msg(f"完整年度不足 {MIN_LIFECYCLE_YEARS} 年（现有 {len(by_year)} 年），无法判断生命周期阶段。",
                         f"Fewer than {MIN_LIFECYCLE_YEARS} complete years ({len(by_year)}): no phase suggested.")
    d = by_year.sort_values("year").tail(2 * WINDOW)
    old, new = d.head(WINDOW), d.tail(WINDOW)
    a_old, a_new = old["applications"].sum(), new["applications"].sum()
    n_old, n_new = old["applicants"].sum(), new["applicants"].sum()
    ga, gn = _change(a_new, a_old), _change(n_new, n_old)
    span = f"{int(new['year'].min())}–{int(new['year'].max())} vs {int(old['year'].min())}–{int(old['year'].max())}"
    if ga is None:
        phase = "emerging" if a_new > 0 else None
    elif a_old < SMALL_BASE and ga > GROWTH_BAND:
        phase = "emerging"
    elif ga > GROWTH_BAND and gn is not None and gn > GROWTH_BAND:
        phase = "growth"
    elif ga < -GROWTH_BAND and (gn is None or gn < -GROWTH_BAND):
        phase = "decline"
    else:
        phase = "mature"
    if phase is None:
        return None, msg("最近完整年度没有申请，无法判断阶段。", "No applications in recent complete years: no phase.")
    pct = lambda g: "—" if g is None else f"{g:+.0%}"  # noqa: E731
    return phase, msg(
        f"{span}：申请量 {a_old}→{a_new}（{pct(ga)}），申请人数 {n_old}→{n_new}（{pct(gn)}），提示{PHASES[phase][0]}。",
        f"{span}: applications {a_old}→{a_new} ({pct(ga)}), applicants {n_old}→{n_new} ({pct(gn)}): "
        f"suggests {PHASES[phase][1]}.")
