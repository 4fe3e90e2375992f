"""Patent value: CNIPA's high-value flag (reused from ``ipobs.indicators``) and a quality score.

The quality score follows the OECD tradition (anchors.md §14): forward citations, family size,
claims, scope (IPC subclasses), backward citations, grant lag, remaining life and years in
force. Each component becomes a percentile within the patent's cohort — same kind, filing
year and field (WIPO technology field of the main IPC, or the IPC subclass) — and the score is
the weighted mean of the available percentiles × 100. Weights live in ``value_weights.yaml``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from ipobs.analytics.reference import split_ipc, wipo_field
from ipobs.analytics.scope import Scope, Section, msg, records
from ipobs.records.dates import date_or_today

DESIGN_15Y_FROM = dt.date(2021, 6, 1)  # designs filed from the 2020 Patent Law amendment get 15 years
ENDED = ("lapsed", "expired", "invalidated", "surrendered")


@lru_cache(maxsize=1)
def weights() -> dict:
    """The score configuration (``value_weights.yaml``): cohort, min_cohort, components."""
    text = resources.files("ipobs.analytics").joinpath("value_weights.yaml").read_text(encoding="utf-8")
    cfg = yaml.safe_load(text)
    total = sum(c["weight"] for c in cfg["components"].values())
    if total <= 0:
        raise ValueError("value_weights.yaml: the weights must add up to more than 0")
    return cfg


def _field_key(ipc_main: str | None, cohort: str) -> str | None:
    if not ipc_main:
        return None
    if cohort == "ipc_subclass":
        return split_ipc(ipc_main)[0]
    f = wipo_field(ipc_main)
    return None if f is None else f"W{f:02d}"


PATENT_INPUTS = ("patent_id", "kind", "filing_date", "ipc_main", "cited_by_count", "family_size", "claims_count",
                 "grant_date")  # the columns of ``patent`` the components read
RAW_COLUMNS = ("patent_id", "kind", "filing_year", "filing_date", "ipc_main", "forward_citations", "family_size", "claims",
               "scope", "backward_citations", "grant_lag", "status", "remaining_life", "maintenance")


def _components_sql(store, con, as_of: dt.date, pat: str, carry: tuple[str, ...] = (), events: str | None = None,
                    ipcs: str | None = None) -> tuple[str, list]:
    """(CTEs and SELECT, parameters) of the raw components (:data:`RAW_COLUMNS`) of every row of ``pat``, a table
    or CTE with :data:`PATENT_INPUTS` (distinct patents); ``carry`` names more of its columns to pass through.
    ``events`` / ``ipcs``: tables already holding exactly the rows of ``patent_event`` / ``patent_ipc`` of
    ``pat``'s patents (else they are read here)."""
    from ipobs.analytics.scope import EVENT_COLUMNS, status_sql

    has_cites = bool(con.execute("SELECT EXISTS (SELECT 1 FROM patent_citation)").fetchone()[0])
    extra = "".join(f", p.{c}" for c in carry)
    pev = (f"SELECT {EVENT_COLUMNS} FROM {events} e" if events else
           f"SELECT {EVENT_COLUMNS} FROM patent_event e SEMI JOIN {pat} USING (patent_id)")
    ipc = f"{ipcs} i" if ipcs else f"patent_ipc i SEMI JOIN {pat} USING (patent_id)"
    sql = f"""
        pev AS ({pev}),
        cnt AS (  -- citations received (fwd) and made (bwd), family rows (fam): one join, one group, one row per patent
            SELECT patent_id, count(*) FILTER (WHERE w = 1) AS fwd, count(*) FILTER (WHERE w = 2) AS bwd,
                   count(*) FILTER (WHERE w = 3) AS fam
            FROM (SELECT c.cited_id AS patent_id, 1 AS w FROM patent_citation c
                  UNION ALL SELECT c.citing_id, 2 FROM patent_citation c
                  UNION ALL SELECT f.patent_id, 3 FROM patent_family f) x
            SEMI JOIN {pat} USING (patent_id) GROUP BY 1),
        scp AS (SELECT i.patent_id, count(DISTINCT i.subclass) AS n FROM {ipc} WHERE i.subclass NOT LIKE 'LOC%' GROUP BY 1),
        st AS ({status_sql(store, as_of, events='pev')}),
        ended AS (SELECT e.patent_id, max(e.event_date) AS ended FROM pev e
                  WHERE e.status_after IN {ENDED} AND e.event_date <= ? GROUP BY 1)
        SELECT p.patent_id, p.kind, year(p.filing_date) AS filing_year, p.filing_date, p.ipc_main,
               CASE WHEN ? THEN greatest(coalesce(cnt.fwd, 0), coalesce(p.cited_by_count, 0))
                    ELSE p.cited_by_count END AS forward_citations,
               coalesce(p.family_size, 1 + coalesce(cnt.fam, 0)) AS family_size,
               p.claims_count AS claims,
               scp.n AS scope,
               CASE WHEN ? THEN coalesce(cnt.bwd, 0) END AS backward_citations,
               CASE WHEN p.grant_date <= ? THEN date_diff('day', p.filing_date, p.grant_date) END AS grant_lag,
               st.status,
               CASE WHEN st.status = 'granted' THEN greatest(0, date_diff('day', ?, date_add(p.filing_date, to_years(
                        CASE p.kind WHEN 'utility' THEN 10
                                    WHEN 'design' THEN CASE WHEN p.filing_date >= ? THEN 15 ELSE 10 END
                                    ELSE 20 END))) / 365.25)
                    WHEN st.status IN {ENDED} THEN 0.0 END AS remaining_life,
               CASE WHEN p.grant_date <= ? THEN greatest(0, date_diff('day', p.grant_date,
                        CASE WHEN st.status IN {ENDED} THEN coalesce(ended.ended, ?) ELSE ? END) / 365.25) END AS maintenance
               {extra}
        FROM {pat} p
        LEFT JOIN cnt USING (patent_id) LEFT JOIN scp USING (patent_id) LEFT JOIN st USING (patent_id)
        LEFT JOIN ended USING (patent_id)"""
    return sql, [as_of, has_cites, has_cites, as_of, as_of, DESIGN_15Y_FROM, as_of, as_of, as_of]


def components(store, con, as_of: dt.date, population_sql: str, params: list) -> pd.DataFrame:
    """Raw component values for the patents selected by ``population_sql`` (a query of distinct patent_id)."""
    cols = ", ".join(f"p.{c}" for c in PATENT_INPUTS)
    body, body_params = _components_sql(store, con, as_of, "pat")
    return con.execute(f"WITH pop AS ({population_sql}), pat AS (SELECT {cols} FROM pop JOIN patent p USING (patent_id)),"
                       f"{body}", [*params, *body_params]).df()


def score_frame(df: pd.DataFrame, cfg: dict | None = None) -> pd.DataFrame:
    """Cohort percentiles and the composite score for a population of raw components."""
    cfg = cfg or weights()
    comps = cfg["components"]
    cohort_kind = cfg.get("cohort", "wipo_field")
    min_cohort = int(cfg.get("min_cohort", 30))
    df = df.copy()
    fields = {c: _field_key(c, cohort_kind) for c in df["ipc_main"].dropna().unique()}
    df["field"] = df["ipc_main"].map(fields)
    df["cohort"] = df["kind"] + "|" + df["filing_year"].astype("Int64").astype(str) + "|" + df["field"].fillna("?")
    size = df.groupby("cohort")["patent_id"].transform("size")
    wide = df["kind"] + "|" + df["filing_year"].astype("Int64").astype(str) + "|*"
    df["cohort"] = df["cohort"].where((size >= min_cohort) & df["field"].notna(), wide)
    codes, _ = pd.factorize(df["cohort"], use_na_sentinel=True)  # group once, rank eight times
    group = pd.Series(np.where(codes >= 0, codes, np.nan), index=df.index)
    df["cohort_size"] = df.groupby(group)["patent_id"].transform("size")
    num = np.zeros(len(df))
    den = np.zeros(len(df))
    for name, c in comps.items():
        v = df[name].astype("float64")
        if not c.get("higher_is_better", True):
            v = -v
        pct = v.groupby(group).rank(method="average", pct=True)
        df[f"{name}_pct"] = pct
        ok = pct.notna().to_numpy()
        num += np.where(ok, pct.fillna(0).to_numpy() * c["weight"], 0.0)
        den += np.where(ok, c["weight"], 0.0)
    df["weight_used"] = den
    df["score"] = np.where(den > 0, 100 * num / np.where(den > 0, den, 1), np.nan)
    return df


def _population_for(s_con, ids_table: str) -> str:
    """SQL: every patent sharing kind and filing year with a patent of ``ids_table`` (cohort candidates)."""
    return f"""SELECT p2.patent_id FROM patent p2
               JOIN (SELECT DISTINCT p.kind, year(p.filing_date) AS y FROM {ids_table} JOIN patent p USING (patent_id)) k
               ON p2.kind = k.kind AND year(p2.filing_date) = k.y"""


def _cohort_map(s: Scope, cfg: dict) -> pd.DataFrame:
    """(kind, y, ipc_main, field, cohort) of every (kind, filing year, main IPC) combination in a cohort a patent of
    the set falls in, as :func:`score_frame` forms cohorts over every patent of the set's kinds and filing years
    (:func:`_population_for`: all the store when the set spans every year) — decided on counts, whole cohorts only,
    so cohort sizes and percentiles are the same as over that population."""
    cohort_kind = cfg.get("cohort", "wipo_field")
    min_cohort = int(cfg.get("min_cohort", 30))
    con = s.con
    combos = con.execute(f"""
        WITH k AS (SELECT DISTINCT kind, year(filing_date) AS y FROM {s.patents()})
        SELECT p.kind, year(p.filing_date) AS y, p.ipc_main, count(*) AS n
        FROM patent p SEMI JOIN k ON p.kind = k.kind AND year(p.filing_date) = k.y GROUP BY ALL""").df()
    mine = con.execute(f"SELECT DISTINCT kind, year(filing_date) AS y, ipc_main FROM {s.patents()}").df()
    fields = {c: _field_key(c, cohort_kind) for c in combos["ipc_main"].dropna().unique()}
    combos["field"] = combos["ipc_main"].map(fields)
    size = combos.groupby(["kind", "y", combos["field"].fillna("\0")])["n"].transform("sum")
    combos["cf"] = combos["field"].where((size >= min_cohort) & combos["field"].notna(), "*")
    final = mine.merge(combos, on=["kind", "y", "ipc_main"], how="left")[["kind", "y", "cf"]].drop_duplicates()
    wanted = combos.merge(final, on=["kind", "y", "cf"])
    wanted["cohort"] = wanted["kind"] + "|" + wanted["y"].astype(str) + "|" + wanted["cf"]
    wanted["cohort_id"] = pd.factorize(wanted["cohort"])[0].astype("int64")  # groups and joins on an integer
    return wanted[["kind", "y", "ipc_main", "field", "cohort", "cohort_id"]].astype(
        {"kind": "string", "ipc_main": "string", "field": "string", "cohort": "string"})


def _double(x: float) -> str:
    return f"'{float(x)!r}'::DOUBLE"


def _score_sql(cfg: dict, comp: str, keep: str) -> str:
    """SQL: :func:`score_frame`'s columns for the rows of ``comp`` (raw components with ``field``, ``cohort`` and its
    number ``cohort_id``, every member of the cohorts) whose patent is in ``keep``. Percentiles are pandas' ``rank(method="average",
    pct=True)`` within the cohort, exactly: (values below + (ties + 1) / 2) / non-missing values, from counts per
    (cohort, value) — so only the kept rows are joined back; the score adds weights in the same order."""
    ctes, joins, pcts, num, den = [], [], [], [], []
    for i, (name, c) in enumerate(cfg["components"].items()):
        v = f"{name}::DOUBLE" if c.get("higher_is_better", True) else f"-({name}::DOUBLE)"
        ctes.append(f"""r{i} AS (
            SELECT cohort_id, v, (sum(t) OVER (PARTITION BY cohort_id ORDER BY v ROWS UNBOUNDED PRECEDING) - t
                                  + (t + 1) / 2) / sum(t) OVER (PARTITION BY cohort_id) AS pct
            FROM (SELECT cohort_id, {v} AS v, count(*)::DOUBLE AS t FROM {comp} WHERE {name} IS NOT NULL GROUP BY ALL))""")
        joins.append(f"LEFT JOIN r{i} ON r{i}.cohort_id = m.cohort_id AND r{i}.v = {v.replace(name, 'm.' + name)}")
        pcts.append(f"r{i}.pct AS {name}_pct")
        w = _double(c["weight"])
        num.append(f"coalesce({name}_pct * {w}, 0.0::DOUBLE)")
        den.append(f"CASE WHEN {name}_pct IS NOT NULL THEN {w} ELSE 0.0::DOUBLE END")
    raw = ", ".join(f"m.{c}" for c in RAW_COLUMNS)
    return f"""
        WITH {", ".join(ctes)},
        sizes AS (SELECT cohort_id, count(*) AS cohort_size FROM {comp} GROUP BY 1),
        mine AS (SELECT * FROM {comp} SEMI JOIN {keep} USING (patent_id)),
        scored AS (SELECT {raw}, m.field, m.cohort, z.cohort_size, {", ".join(pcts)}
                   FROM mine m JOIN sizes z USING (cohort_id) {" ".join(joins)})
        SELECT * EXCLUDE (num), CASE WHEN weight_used > 0 THEN 100 * num / weight_used END AS score
        FROM (SELECT *, {" + ".join(num)} AS num, {" + ".join(den)} AS weight_used FROM scored)"""


def population(s: Scope, cfg: dict | None = None) -> str:
    """Make the table ``vpat``: the members of every cohort a patent of the set falls in (:func:`_cohort_map`),
    with the ``patent`` columns the components read, their ``field`` and ``cohort``; made once per scope. It holds
    the set, so it serves as the scope's :attr:`~ipobs.analytics.scope.Scope.population`."""
    cfg = cfg or weights()

    def make() -> None:
        s.memo["value_cfg"] = cfg
        con = s.con
        con.register("_vwanted", _cohort_map(s, cfg))
        try:
            cols = ", ".join(f"p.{c}" for c in PATENT_INPUTS)
            con.execute(f"""CREATE TABLE {s.db}.main.vpat AS
                            SELECT {cols}, w.field, w.cohort, w.cohort_id FROM patent p JOIN _vwanted w
                            ON p.kind = w.kind AND year(p.filing_date) = w.y
                            AND p.ipc_main IS NOT DISTINCT FROM w.ipc_main""")
        finally:
            con.unregister("_vwanted")

    s.once("vpat", make)
    if s.memo.get("value_cfg") != cfg:
        raise ValueError("this scope's cohort members were made for another value configuration")
    return "vpat"


def value_table(s: Scope, cfg: dict | None = None) -> str:
    """Make the table ``vscore``: every patent of the set with :func:`score_frame`'s columns (components,
    cohort, percentiles, score; peers: its whole cohort in the store), made once per scope.

    Only the cohorts the set's patents fall in are read (:func:`population`); components are computed for their
    members (``vcomp``; events and IPC codes from the scope's population tables when it has them), and
    percentiles and scores in DuckDB (:func:`_score_sql`)."""
    cfg = cfg or weights()
    if s.made("vscore"):
        return "vscore"
    if s.population is None:
        s.population = lambda sc: population(sc, cfg)
    pat = population(s, cfg)
    body, params = _components_sql(s.store, s.con, s.as_of, pat, carry=("field", "cohort", "cohort_id"),
                                   events=s.population_events(), ipcs=s.population_ipcs())
    s._temp("vcomp", f"WITH {body}", params)
    return s._temp("vscore", _score_sql(cfg, "vcomp", "pset"))


def value_scores(store, pset, as_of=None, cfg: dict | None = None) -> pd.DataFrame:
    """Score and component percentiles of every patent in a set (peers: its whole cohort in the store), one row per
    patent in ``patent_id`` order: :func:`score_frame`'s columns, computed by :func:`value_table`."""
    as_of = date_or_today(as_of)
    cfg = cfg or weights()
    with Scope(store, pset, as_of=as_of, region=None) as s:
        if s.size == 0:
            return pd.DataFrame(columns=["patent_id", "score", "cohort"])
        return s.q(f"SELECT * FROM {value_table(s, cfg)} ORDER BY patent_id")


def explain_value(store, patent_id: str, as_of=None, lang: str = "zh", cfg: dict | None = None) -> dict:
    """One patent's score with each part: value, cohort percentile, weight, contribution."""
    cfg = cfg or weights()
    as_of = date_or_today(as_of)
    if store.con.execute("SELECT count(*) FROM patent WHERE patent_id = ?", [patent_id]).fetchone()[0] == 0:
        raise KeyError(f"no patent {patent_id!r} in the store")
    df = value_scores(store, f"ids:{patent_id}", as_of, cfg)
    row = df.iloc[0]
    parts, left_out = [], []
    total_w = float(row["weight_used"])
    for name, c in cfg["components"].items():
        pct = row[f"{name}_pct"]
        item = {"component": name, "zh": c["zh"], "en": c["en"], "unit": c.get("unit", ""),
                "value": None if pd.isna(row[name]) else float(row[name]), "weight": c["weight"],
                "higher_is_better": c.get("higher_is_better", True)}
        if pd.isna(pct):
            item |= {"percentile": None, "contribution": None}
            left_out.append(name)
        else:
            item |= {"percentile": float(pct), "contribution": 100 * c["weight"] * float(pct) / total_w}
        parts.append(item)
    wide = str(row["cohort"]).endswith("|*")
    kind, year, field = str(row["cohort"]).split("|")
    return {
        "patent_id": patent_id, "as_of": as_of.isoformat(),
        "score": None if pd.isna(row["score"]) else float(row["score"]),
        "cohort": {"key": row["cohort"], "kind": kind, "filing_year": int(year), "field": None if field == "*" else field,
                   "size": int(row["cohort_size"]), "basis": cfg.get("cohort", "wipo_field"), "widened": wide},
        "parts": parts, "left_out": left_out,
        "method_zh": "各分项在同类型、同申请年、同技术领域的专利中取百分位（0–1，越高越好；授权周期越短越好），"
                     "综合分 = Σ(权重×百分位)/Σ可用权重 × 100。缺失的分项不计，其余权重按比例放大。"
                     + ("该领域同期专利过少，比较范围放宽为同类型、同申请年的全部专利。" if wide else ""),
        "method_en": "Each part is a percentile (0–1, higher is better; shorter grant lag is better) among patents "
                     "of the same kind, filing year and field; score = Σ(weight × percentile) / Σ available "
                     "weights × 100. Missing parts are left out and the other weights scaled up."
                     + (" The field's cohort is too small: peers widened to the same kind and filing year." if wide else ""),
    }


# ------------------------------------------------------------------ high value
def high_value_flags(store, as_of=None, ids: list[str] | None = None, settings=None) -> pd.DataFrame:
    """CNIPA's five high-value categories per valid domestic invention patent (any region), with reasons.

    This is ``ipobs.indicators.defs.high_value.hv_table`` — the definition the indicator
    ``hv_inventions`` counts — run over every region (or only ``ids``)."""
    import ibis

    from ipobs.indicators import Query, Settings, tables_of
    from ipobs.indicators.defs.high_value import hv_table

    as_of = date_or_today(as_of)
    t = tables_of(store)
    codes = tuple(r[0] for r in store.con.execute(
        "SELECT DISTINCT region_code FROM patent WHERE region_code IS NOT NULL").fetchall())
    q = Query(as_of, "*", codes, None, Settings.of(settings))
    if ids is not None:
        if not ids:
            return pd.DataFrame(columns=["patent_id", "sei", "foreign_family", "maintained", "pledge", "award", "reasons"])
        wanted = ibis.memtable({"patent_id": list(ids)})
        t = _set_tables(t, wanted)
        expr = hv_table(t, q).inner_join(wanted, "patent_id")
    else:
        expr = hv_table(t, q)
    df = t.execute(expr)
    df["reasons"] = df["reasons"].str.rstrip(";")
    return df


class _NarrowedTables:
    """An ``ipobs.indicators`` Tables whose per-patent tables hold only a set's rows: ``narrow(name)`` gives
    the table to read instead of ``base[name]``, or None to read ``base[name]`` (every high-value flag is per
    patent, so reading only the set's rows changes no flag of the set)."""

    def __init__(self, base, narrow):
        self._base, self._narrow, self._cache = base, narrow, {}
        self.backend, self.synthetic, self.label = base.backend, base.synthetic, base.label

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str):
        if name not in self._cache:
            narrowed = self._narrow(name)
            self._cache[name] = self._base[name] if narrowed is None else narrowed
        return self._cache[name]

    def execute(self, expr):
        return self._base.execute(expr)


PER_PATENT_TABLES = ("patent", "patent_event", "patent_ipc", "patent_family")


def _set_tables(base, ids):
    """``base`` with the per-patent tables semi-joined to the ids of the table ``ids``."""
    return _NarrowedTables(base, lambda name: base[name].semi_join(ids, "patent_id")
                           if name in PER_PATENT_TABLES else None)


def _scope_tables(s: Scope):
    """Tables on the scope's cursor, the per-patent tables being the set's rows the scope made (``ppat``,
    ``pevent``, ``pipc``, ``pfam``)."""
    import ibis

    from ipobs.indicators.engine import Tables

    made = {"patent": s.patents(), "patent_event": s.events(), "patent_ipc": s.ipcs(), "patent_family": s.families()}
    base = Tables(ibis.duckdb.from_connection(s.con), synthetic=bool(s.store.synthetic))
    return _NarrowedTables(base, lambda name: base.backend.table(made[name]) if name in made else None)


def scope_high_value_flags(s: Scope, settings=None) -> pd.DataFrame:
    """:func:`high_value_flags` of the scope's set (same rows), read from the scope's tables of the set."""
    from ipobs.indicators import Query, Settings
    from ipobs.indicators.defs.high_value import hv_table

    t = _scope_tables(s)
    # every region code of the set's patents: the same filter for them as every region code of the store
    codes = tuple(r[0] for r in s.con.execute(
        f"SELECT DISTINCT region_code FROM {s.patents()} WHERE region_code IS NOT NULL ORDER BY 1").fetchall())
    df = t.execute(hv_table(t, Query(s.as_of, "*", codes, None, Settings.of(settings))))
    df["reasons"] = df["reasons"].str.rstrip(";")
    return df


def value_section(s: Scope) -> Section:
    """Score distribution and high-value categories of a set."""
    from ipobs.indicators.defs.high_value import REASONS

    sec = Section("value", "专利价值", "Patent value")
    if s.size == 0:
        sec.missing.append(msg("集合为空。", "The set is empty."))
        return sec
    vs = value_table(s)
    sc = pd.Series(s.con.execute(f"SELECT score FROM {vs} WHERE score IS NOT NULL ORDER BY patent_id")
                   .fetchnumpy()["score"], dtype="float64")
    bins = pd.cut(sc, bins=[0, 20, 40, 60, 80, 100.0001], right=False, labels=["0–20", "20–40", "40–60", "60–80", "80–100"])
    dist = bins.value_counts().reindex(["0–20", "20–40", "40–60", "60–80", "80–100"], fill_value=0)
    sec.tables["score_distribution"] = [{"band": b, "patents": int(n)} for b, n in dist.items()]
    # the 20 best (ties by patent id); titles read for those only
    top = s.q(f"SELECT patent_id, kind, filing_year, cohort, score FROM {vs} "
              "ORDER BY score DESC NULLS LAST, patent_id LIMIT 20")
    titles = s.q(f"SELECT patent_id, title FROM {s.patents()} WHERE patent_id IN (SELECT unnest(?::VARCHAR[]))",
                 [top["patent_id"].tolist()]).set_index("patent_id")["title"]
    top = top.assign(title=top["patent_id"].map(titles))
    sec.tables["top"] = records(top[["patent_id", "title", "kind", "filing_year", "cohort", "score"]])
    hv = scope_high_value_flags(s)
    sec.tables["high_value"] = [{"category": r, "patents": int(hv[r].sum()) if len(hv) else 0} for r in REASONS]
    sec.facts = {"scored": int(sc.size), "median_score": None if sc.empty else float(sc.median()),
                 "high_value": int(len(hv)),
                 "valid_inventions": int(s.q(f"SELECT count(*) FROM {s.patents()} p "
                                             f"JOIN {s.status()} st USING (patent_id) "
                                             "WHERE st.status = 'granted' AND p.kind = 'invention'").iloc[0, 0])}
    if sc.empty:
        sec.missing.append(msg("没有可评分的专利。", "No patent could be scored."))
    if not s.q("SELECT EXISTS (SELECT 1 FROM patent_citation)").iloc[0, 0]:
        sec.missing.append(msg("库中没有引用数据：被引次数取导入的被引计数，引用文献数不计入评分。",
                               "The store holds no citations: forward citations come from imported counts, backward "
                               "citations are left out of the score."))
    sec.notes.append(msg("高价值发明专利按国家知识产权局五类情形（与指标 hv_inventions 同一定义，仅国内有效发明专利）；"
                         "质量评分见 docs/analytics.md。",
                         "High-value inventions by CNIPA's five categories (the definition of indicator hv_inventions; "
                         "valid domestic inventions only); the quality score is explained in docs/analytics.md."))
    return sec
