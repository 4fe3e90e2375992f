"""The patent indicators for many dates, regions and industries from one pass over the data (DuckDB).

The registry's patent definitions (``ipobs/indicators/defs/patents.py``) are stated per date and region:
"patents of the region whose latest status-changing event on or before D is a grant", "patents of the
region filed from 1 January to D". Evaluated one by one, each date rebuilds the legal status of every patent.
Here the same definitions are computed for all requested dates at once:

- **status intervals**: each status-changing event of ``patent_event`` holds until the patent's next
  status-changing event, so a patent is valid at D exactly when D falls in one of its ``granted`` intervals
  ``[event_date, next_event_date)``. Two status events on the same day are ordered as
  ``ipobs.store.history`` orders them; the spans are made once per content of the event table and kept
  (:mod:`ipobs.store.derived`);
- for the sorted requested dates, an interval covers the dates with index ``start ≤ k < end`` where
  ``start``/``end`` count the dates before its two ends, so one GROUP BY over (region code, kind, domestic,
  industry, start, end) holds every stock at every date;
- flows count patents by (region code, kind, industry, year of the date column) for year-end dates;
- a region covers the codes of :func:`ipobs.entities.regions.descendants`, summed per code (PCT applications
  are counted distinct per requested region, as the registry counts them).

The parts come out under the registry's own part names and are finished by each indicator's own
``finish`` (ratios, per 10,000 people, missing-data sentences), so the values equal ``compute``'s; the
parity test runs every indicator listed here against ``compute``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
import pandas as pd

from ipobs.entities.regions import descendants
from ipobs.indicators.base import IndicatorValue, get
from ipobs.indicators.compute import query
from ipobs.indicators.common import vintage_rank_text
from ipobs.store import derived

KIND_OF = {None: None, "invention": "invention", "utility": "utility", "design": "design"}
STOCKS = {"valid_patents": None, "valid_inventions": "invention", "valid_utility_models": "utility",
          "valid_designs": "design"}
FLOWS = {  # id -> (date column, kind)
    "patent_applications": ("filing_date", None), "invention_applications": ("filing_date", "invention"),
    "utility_applications": ("filing_date", "utility"), "design_applications": ("filing_date", "design"),
    "patent_grants": ("grant_date", None), "invention_grants": ("grant_date", "invention"),
}
MARK_STOCKS = {"registered_trademarks": None, "well_known_marks": "well_known",
               "geographical_indications": "geo_indication"}
SME_FLAGS = ("sme", "sme_tech", "specialized")  # as ipobs/indicators/defs/patents.py
COPYRIGHT_FLOWS = {"copyright_registrations": None, "software_copyrights": "software", "works_copyrights": "works"}
MARK_FLOWS = {  # id -> (date column, Madrid only)
    "madrid_registrations": ("application_date", True), "new_trademark_registrations": ("registration_date", False),
    "trademarks_to_new_enterprises": ("registration_date", False),
}
FLAG_HOLDERS = {  # as ipobs/indicators/defs/entities.py
    "ip_enterprises": ("ip_demo_national", "ip_adv_national", "ip_demo_municipal", "ip_adv_municipal",
                       "ip_pilot_district"),
    "gbt29490_units": ("gbt29490",), "ip_hosting_smes": ("ip_hosting",),
    "ip_intensive_universities": ("ip_intensive_university",),
}
YEAR_END_ONLY = frozenset(FLOWS) | frozenset(COPYRIGHT_FLOWS) | frozenset(MARK_FLOWS) | {
    "invention_share", "pct_applications", "industries_meeting_volume"}
PANEL_INDICATORS = (frozenset(STOCKS) | frozenset(FLOWS) | frozenset(MARK_STOCKS) | frozenset(COPYRIGHT_FLOWS)
                    | frozenset(MARK_FLOWS) | frozenset(FLAG_HOLDERS) | {
                        "invention_share", "inventions_per_10k", "pct_applications", "industries_meeting_volume",
                        "sme_first_patents", "hv_portfolios_qualified"})


YEAR_ARITHMETIC = True  # Panel.before_sql may count consecutive year-ends by arithmetic (tests turn it off)


def _is_year_end(d: dt.date) -> bool:
    return (d.month, d.day) == (12, 31)


def _date_sql(d: dt.date) -> str:
    return f"DATE '{d.isoformat()}'"


class Panel:
    """Grouped patent counts of one store for a sorted list of dates."""

    def __init__(self, con, dates: list[dt.date]):
        self.con = con
        self.dates = sorted(set(dates))
        self.index = {d: i for i, d in enumerate(self.dates)}
        self._stock = None
        self._flows: dict[str, pd.DataFrame] = {}
        self._pct = None
        self._pct_index = None
        self._events = None
        self._period: dict[str, dict[int, int]] = {}
        self._marks_by_day = None
        self._sme_flags = None
        self._copyright = None
        self._holders: dict[tuple, tuple] = {}
        self._derived: dict[str, str] = {}

    def derived(self, name: str) -> str:
        """The qualified name of the derived table ``name`` (:mod:`ipobs.store.derived`: made once per content
        of the tables it reads and kept; checked once per panel)."""
        if name not in self._derived:
            place = derived.table(self.con, name).rsplit(".", 1)[0]  # its group's tables are current there too
            group = derived.GROUP_OF[name]
            self._derived.update({n: f"{place}.{n}" for n, g in derived.GROUP_OF.items() if g == group})
        return self._derived[name]

    def before_sql(self, col: str) -> str:
        """SQL for the number of requested dates strictly before ``col`` (the index of the first date on or
        after it). For consecutive year-ends (31 December of years y0, y0+1, …) that is the year of ``col``
        minus y0, clipped to [0, m]: one expression instead of a comparison per date."""
        m = len(self.dates)
        y0 = self.dates[0].year
        if YEAR_ARITHMETIC and all(_is_year_end(d) and d.year == y0 + i for i, d in enumerate(self.dates)):
            return f"least(greatest(year({col}) - {y0}, 0), {m})"
        return " + ".join(f"({col} > {_date_sql(d)})::INT" for d in self.dates)

    # -- stocks -------------------------------------------------------------------------------------
    def stock_table(self) -> dict[tuple, np.ndarray]:
        """{(region_code, kind, domestic, industry): count of valid patents at each date}."""
        if self._stock is not None:
            return self._stock
        m = len(self.dates)
        before = self.before_sql
        sql = f"""
        WITH g AS (
            SELECT region_code, kind, domestic, industry, {before('d')} AS s,
                   CASE WHEN nd IS NULL THEN {m} ELSE {before('nd')} END AS e
            FROM {self.derived("patent_granted_spans")})
        SELECT region_code, kind, domestic, industry, s, e, count(*) AS n FROM g WHERE e > s GROUP BY ALL
        """
        df = self.con.execute(sql).df()
        cols = ["region_code", "kind", "domestic", "industry"]
        group = df.groupby(cols, dropna=False, sort=False).ngroup().to_numpy()
        diff = np.zeros((int(group.max()) + 1 if len(group) else 0, m + 1), dtype=np.int64)  # per group, per date
        n = df.n.to_numpy(dtype=np.int64)
        np.add.at(diff, (group, df.s.to_numpy(dtype=np.int64)), n)
        np.add.at(diff, (group, df.e.to_numpy(dtype=np.int64)), -n)
        first = np.unique(group, return_index=True)[1]
        code, kind, dom, ind = (df[c].to_numpy(dtype=object)[first] for c in cols)
        keys = [(_none(a), _none(b), bool(c), _none(d)) for a, b, c, d in zip(code, kind, dom, ind)]
        stocks = np.cumsum(diff, axis=1)[:, :m]
        self._stock = dict(zip(keys, stocks))
        return self._stock

    def events_before(self, d: dt.date) -> int:
        """Patent events dated on or before ``d`` (the registry's ``have_events``)."""
        if self._events is None:
            rows = self.con.execute("SELECT CAST(event_date AS DATE) AS d, count(*) FROM patent_event "
                                    "GROUP BY 1 ORDER BY 1").fetchall()
            self._events = (np.array([r[0] for r in rows], dtype="datetime64[D]"), np.cumsum([r[1] for r in rows]))
        days, cum = self._events
        i = int(np.searchsorted(days, np.datetime64(d), side="right"))
        return int(cum[i - 1]) if i else 0

    # -- flows --------------------------------------------------------------------------------------
    def flow_table(self, col: str) -> dict[tuple, dict[int, int]]:
        """{(region_code, kind, industry): {year: patents with ``col`` in that year}} (kept counts,
        :data:`ipobs.store.derived.PATENT_FLOWS_SQL`)."""
        if col not in derived.FLOW_COLUMNS:
            raise KeyError(f"patent flows are kept by {', '.join(derived.FLOW_COLUMNS)}, not {col}")
        if col not in self._flows:
            years = sorted({d.year for d in self.dates})
            sql = (f"SELECT region_code, kind, industry, y, n FROM {self.derived('patent_flows')} "
                   f"WHERE col = ? AND y IN ({', '.join(map(str, years))})")
            table: dict[tuple, dict[int, int]] = defaultdict(dict)
            for code, kind, industry, y, n in self.con.execute(sql, [col]).fetchall():
                table[(code, kind, industry)][int(y)] = int(n)
            self._flows[col] = table
        return self._flows[col]

    def period_count(self, col: str, year: int) -> int:
        """Patents of any region with ``col`` in the year (the registry's ``have_period``)."""
        if col not in derived.FLOW_COLUMNS:
            raise KeyError(f"patent flows are kept by {', '.join(derived.FLOW_COLUMNS)}, not {col}")
        if col not in self._period:
            rows = self.con.execute(f"SELECT y, sum(n) FROM {self.derived('patent_flows')} WHERE col = ? GROUP BY 1",
                                    [col]).fetchall()
            self._period[col] = {int(y): int(n) for y, n in rows}
        return self._period[col].get(year, 0)

    def sme_flags(self) -> int:
        """Rows of SME flags (the registry's ``have_entities``)."""
        if self._sme_flags is None:
            flags = ", ".join(f"'{f}'" for f in SME_FLAGS)
            self._sme_flags = int(self.con.execute(f"SELECT count(*) FROM entity_flag WHERE flag IN ({flags})")
                                  .fetchone()[0])
        return self._sme_flags

    def granted_intervals(self, patent_ids: list[str]) -> pd.DataFrame:
        """(patent_id, f, u): the ``granted`` status intervals of the given patents (u NULL = still)."""
        if not patent_ids:
            return pd.DataFrame({"patent_id": [], "f": [], "u": []})
        sql = (f"SELECT patent_id, d AS f, nd AS u FROM {self.derived('patent_granted_spans')} "
               "WHERE patent_id IN (SELECT unnest(?::VARCHAR[])) AND (nd IS NULL OR nd > d)")
        return _as_dates(self.con.execute(sql, [list(patent_ids)]).df(), "f", "u")

    def pct_frame(self) -> pd.DataFrame:
        """Distinct (year, pct_key, region_code, industry) of PCT applications in the requested years."""
        if self._pct is None:
            years = sorted({d.year for d in self.dates})
            sql = f"""
            SELECT DISTINCT year(COALESCE(pct_date, filing_date)) AS y,
                   COALESCE(pct_application_no, patent_id) AS pct_key, region_code, industry
            FROM patent
            WHERE COALESCE(pct, FALSE) AND year(COALESCE(pct_date, filing_date)) IN ({', '.join(map(str, years))})
            """
            self._pct = self.con.execute(sql).df()
        return self._pct


    def pct_count(self, year: int, codes, industry) -> int:
        """Distinct PCT applications (:meth:`pct_frame`) of the year with a region code in ``codes`` (and of the
        industry, when given)."""
        if self._pct_index is None:
            f = self.pct_frame()
            key, ind = pd.factorize(f.pct_key)[0], f.industry.to_numpy(dtype=object)
            self._pct_index = {(int(y), code): (key[rows], ind[rows])
                               for (y, code), rows in f.groupby(["y", "region_code"], sort=False).indices.items()}
        parts = [self._pct_index[(year, c)] for c in codes if (year, c) in self._pct_index]
        if not parts:
            return 0
        keys = np.concatenate([p[0] for p in parts])
        if industry is not None:
            keys = keys[np.concatenate([p[1] for p in parts]) == industry]
        return int(np.unique(keys).size)

    # -- trademarks ---------------------------------------------------------------------------------
    def mark_table(self, regions: dict[str, tuple]) -> dict[tuple, list]:
        """{(region, flag or None): [(marks, classes) at each date]} for marks in force — the registry's
        ``in_force``: with events, the latest event's status is 'registered'; without, registered by date
        and not cancelled, invalidated or rejected; either way not past ``expiry_date`` (the class spans of
        :func:`ipobs.store.derived.marks_in_force_sql`, kept).

        Classes in force at date k are the class spans with s ≤ k < e, and marks in force the union spans of
        :func:`ipobs.store.derived.mark_spans_sql` covering k: both summed by difference arrays over (s, e)
        counts. A mark whose classes have several region codes is counted by expanding its spans to the dates
        and counting it once per region."""
        m = len(self.dates)
        before = self.before_sql
        end = lambda col: f"CASE WHEN {col} IS NULL THEN {m} ELSE {before(col)} END"  # noqa: E731
        regions_of: dict[str, list] = defaultdict(list)  # region code -> the requested regions holding it
        for region, codes in regions.items():
            for code in codes:
                regions_of[code].append(region)
        flags = (None, "well_known", "geo_indication")
        marks = {(r, f): np.zeros(m + 1, dtype=np.int64) for r in regions for f in flags}
        classes = {(r, f): np.zeros(m + 1, dtype=np.int64) for r in regions for f in flags}
        in_force, unions = self.derived("trademarks_in_force"), self.derived("trademark_mark_spans")
        sql = f"""
        SELECT 'classes' AS part, region_code, wk, gi, s, e, count(*) FROM (
            SELECT region_code, wk, gi, {before('f')} AS s, {end('u')} AS e FROM {in_force}) WHERE e > s GROUP BY ALL
        UNION ALL
        SELECT 'marks', region_code, flag = 'well_known', flag = 'geo_indication', s, e, sum(n) FROM (
            SELECT region_code, flag, n, {before('f')} AS s, {end('u')} AS e FROM {unions}) WHERE e > s GROUP BY ALL
        """
        for part, code, wk, gi, s, e, n in self.con.execute(sql).fetchall():
            for region in regions_of.get(code, ()):
                if part == "classes":
                    on = ((None, True), ("well_known", wk), ("geo_indication", gi))
                else:  # a union row is of one flag: 'all' (None), well-known or geographical indication
                    on = ((None, not wk and not gi), ("well_known", wk), ("geo_indication", gi))
                for flag, yes in on:
                    if yes:
                        table = (classes if part == "classes" else marks)[(region, flag)]
                        table[int(s)] += n
                        table[int(e)] -= n
        out = {k: np.cumsum(v)[:m] for k, v in marks.items()}
        rmap = _rmap_values(regions)
        several = f"""
        WITH rmap(code, region) AS (VALUES {rmap}),
        cov AS (SELECT mark, region_code, wk, gi, unnest(range(s, e)) AS k FROM (
            SELECT mark, region_code, wk, gi, {before('f')} AS s, {end('u')} AS e FROM {in_force} WHERE NOT one_code))
        SELECT r.region, cov.k, count(DISTINCT mark), count(DISTINCT mark) FILTER (WHERE wk),
               count(DISTINCT mark) FILTER (WHERE gi)
        FROM cov JOIN rmap r ON r.code = cov.region_code GROUP BY ALL
        """
        for region, k, n_all, n_wk, n_gi in self.con.execute(several).fetchall() if rmap else ():
            for flag, n in zip(flags, (n_all, n_wk, n_gi)):
                out[(region, flag)][int(k)] += n
        return {key: [(int(x), int(y)) for x, y in zip(out[key], np.cumsum(classes[key])[:m])] for key in out}

    def marks_before(self, d: dt.date) -> int:
        """Trademarks applied for on or before ``d`` (the registry's ``have_marks``)."""
        if self._marks_by_day is None:
            rows = self.con.execute("SELECT CAST(application_date AS DATE), count(*) FROM trademark "
                                    "WHERE application_date IS NOT NULL GROUP BY 1 ORDER BY 1").fetchall()
            self._marks_by_day = (np.array([r[0] for r in rows], dtype="datetime64[D]"),
                                  np.cumsum([r[1] for r in rows]))
        days, cum = self._marks_by_day
        i = int(np.searchsorted(days, np.datetime64(d), side="right"))
        return int(cum[i - 1]) if i else 0

    def mark_flows(self, regions: dict[str, tuple]) -> dict[tuple, dict[int, int]]:
        """{(id, region): {year: distinct registration numbers}} of the trademark flows (Madrid applications
        by application date, new registrations by registration date), for year-end dates (the kept counts of
        :data:`ipobs.store.derived.MARK_FLOWS_SQL`: per region code, summed over a region's codes, and marks
        with several codes counted once per region)."""
        years = ", ".join(str(y) for y in sorted({d.year for d in self.dates}))
        rmap = _rmap_values(regions)
        sql = f"""
        WITH rmap(code, region) AS (VALUES {rmap}),
        f AS (SELECT * FROM {self.derived("trademark_flows")} WHERE y IN ({years}))
        SELECT r.region, f.part, f.y, sum(f.n) FROM f JOIN rmap r ON r.code = f.region_code
        WHERE f.reg_no IS NULL GROUP BY ALL
        UNION ALL
        SELECT r.region, f.part, f.y, count(DISTINCT f.reg_no) FROM f JOIN rmap r ON r.code = f.region_code
        WHERE f.reg_no IS NOT NULL GROUP BY ALL
        """
        out: dict[tuple, dict[int, int]] = defaultdict(dict)
        for region, part, y, n in self.con.execute(sql).fetchall():
            per_year = out[(part, region)]
            per_year[int(y)] = per_year.get(int(y), 0) + int(n)
        return out

    def year_count(self, table: str, col: str, year: int) -> int:
        """Rows of ``table`` with ``col`` in the year, any region (the registry's ``have_period``)."""
        key = (table, col)
        if key not in self._period:
            rows = self.con.execute(f"SELECT year({col}), count(*) FROM {table} WHERE {col} IS NOT NULL "
                                    "GROUP BY 1").fetchall()
            self._period[key] = {int(y): int(n) for y, n in rows}
        return self._period[key].get(year, 0)

    def copyright_table(self) -> dict[tuple, dict[int, int]]:
        """{(region_code, kind): {year: registrations}}."""
        if self._copyright is None:
            years = ", ".join(str(y) for y in sorted({d.year for d in self.dates}))
            rows = self.con.execute(f"SELECT region_code, kind, year(registration_date), count(*) FROM copyright "
                                    f"WHERE year(registration_date) IN ({years}) GROUP BY ALL").fetchall()
            table: dict[tuple, dict[int, int]] = defaultdict(dict)
            for code, kind, y, n in rows:
                table[(code, kind)][int(y)] = int(n)
            self._copyright = table
        return self._copyright

    def holders(self, flags: tuple[str, ...]) -> dict[tuple, np.ndarray]:
        """{(region_code, industry): entities holding any of ``flags`` at each date} — the registry's
        ``holders``: a designation holds from ``valid_from`` to before ``valid_to``; an entity counts once."""
        if flags not in self._holders:
            m = len(self.dates)
            before = self.before_sql
            names = ", ".join(f"'{f}'" for f in flags)
            sql = f"""
            WITH iv AS (
                SELECT f.entity_id, e.region_code, e.industry, {before('CAST(f.valid_from AS DATE)')} AS s,
                       CASE WHEN f.valid_to IS NULL THEN {m} ELSE {before('CAST(f.valid_to AS DATE)')} END AS e
                FROM entity_flag f JOIN entity e USING (entity_id) WHERE f.flag IN ({names})),
            cov AS (SELECT DISTINCT entity_id, region_code, industry, unnest(range(s, e)) AS k FROM iv WHERE e > s)
            SELECT region_code, industry, k, count(*) FROM cov GROUP BY ALL
            """
            table: dict[tuple, np.ndarray] = {}
            for code, industry, k, n in self.con.execute(sql).fetchall():
                table.setdefault((code, industry), np.zeros(m, dtype=np.int64))[int(k)] = int(n)
            have = int(self.con.execute(f"SELECT count(*) FROM entity_flag WHERE flag IN ({names})").fetchone()[0])
            self._holders[flags] = (table, have)
        return self._holders[flags]

    # -- SMEs' first patents --------------------------------------------------------------------------
    def sme_frame(self) -> pd.DataFrame:
        """Per SME-flagged entity: region, first SME flag date, first filing and first invention grant as
        applicant (the registry's ``_sme_firsts`` before its date filter)."""
        flags = ", ".join(f"'{f}'" for f in SME_FLAGS)
        sql = f"""
        WITH smes AS (SELECT entity_id, min(CAST(valid_from AS DATE)) AS sme_from FROM entity_flag
                 WHERE flag IN ({flags}) GROUP BY 1),
        firsts AS (  -- only SMEs' patents: the join below keeps no other entity
            SELECT pp.entity_id, min(p.filing_date) AS first_filing,
                   min(p.grant_date) FILTER (WHERE p.kind = 'invention') AS first_invention_grant
            FROM patent_party pp SEMI JOIN smes USING (entity_id) JOIN patent p USING (patent_id)
            WHERE pp.role = 'applicant' AND pp.entity_id IS NOT NULL GROUP BY 1)
        SELECT e.entity_id, e.region_code, s.sme_from, CAST(f.first_filing AS DATE) AS first_filing,
               CAST(f.first_invention_grant AS DATE) AS first_invention_grant
        FROM entity e JOIN smes s USING (entity_id) JOIN firsts f USING (entity_id)
        """
        df = self.con.execute(sql).df()
        for c in ("sme_from", "first_filing", "first_invention_grant"):
            df[c] = pd.to_datetime(df[c]).to_numpy(dtype="datetime64[D]")
        return df


def _rmap_values(regions: dict[str, tuple]) -> str:
    """The rows ``(code, region)`` of every requested region's codes, for a ``VALUES`` list."""
    return ", ".join(f"('{c}', '{r}')" for r, codes in regions.items() for c in codes)


def _none(v):
    """A missing value of a DataFrame cell (None or NaN) as None."""
    return None if v is None or (isinstance(v, float) and v != v) else v


def _as_dates(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    """Date columns as ``datetime.date`` objects (None when missing), comparable with an as-of date."""
    for c in cols:
        df[c] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in df[c]]
    return df


def _codes(region: str) -> set:
    return set(descendants(region))


class _Sums:
    """Sums of the grouped tables over a region's codes, one vector (stocks) or year map (flows) per
    (region, kind, industry) computed once and reused for every date."""

    def __init__(self, panel: Panel):
        self.panel = panel
        self._stock_arrays = None
        self._cache: dict[tuple, object] = {}

    def stock(self, codes: frozenset, kind, industry, domestic_only: bool) -> np.ndarray:
        key = ("stock", codes, kind, industry, domestic_only)
        if key not in self._cache:
            if self._stock_arrays is None:
                table = self.panel.stock_table()
                keys = list(table)
                m = len(self.panel.dates)
                self._stock_arrays = (
                    np.array([k[0] for k in keys], dtype=object), np.array([k[1] for k in keys], dtype=object),
                    np.array([k[2] for k in keys], dtype=bool), np.array([k[3] for k in keys], dtype=object),
                    np.vstack([table[k] for k in keys]) if keys else np.zeros((0, m), dtype=np.int64))
            code, knd, dom, ind, matrix = self._stock_arrays
            mask = np.isin(code, list(codes))
            if kind is not None:
                mask &= knd == kind
            if industry is not None:
                mask &= ind == industry
            if domestic_only:
                mask &= dom
            self._cache[key] = matrix[mask].sum(axis=0) if mask.any() else np.zeros(len(self.panel.dates), int)
        return self._cache[key]

    def flow(self, col: str, codes: frozenset, kind, industry) -> dict[int, int]:
        key = ("flow", col, codes, kind, industry)
        if key not in self._cache:
            if ("flow_arrays", col) not in self._cache:
                table = self.panel.flow_table(col)
                keys = list(table)
                years = sorted({y for v in table.values() for y in v})
                counts = np.zeros((len(keys), len(years)), dtype=np.int64)
                for i, k in enumerate(keys):
                    for y, n in table[k].items():
                        counts[i, years.index(y)] = n
                self._cache[("flow_arrays", col)] = (
                    np.array([k[0] for k in keys], dtype=object), np.array([k[1] for k in keys], dtype=object),
                    np.array([k[2] for k in keys], dtype=object), years, counts)
            code, knd, ind, years, counts = self._cache[("flow_arrays", col)]
            mask = np.isin(code, list(codes))
            if kind is not None:
                mask &= knd == kind
            if industry is not None:
                mask &= ind == industry
            total = counts[mask].sum(axis=0)
            self._cache[key] = {y: int(n) for y, n in zip(years, total) if n}
        return self._cache[key]


_NO_FACTS = pd.DataFrame({"region_code": [], "year": [], "fact": [], "value": [], "source": [], "vintage": []})


def _fact_groups(facts: pd.DataFrame) -> dict[tuple, pd.DataFrame]:
    """The region facts split once by (region, fact, year), for :func:`_fact_parts`."""
    return {(r, f, int(y)): g for (r, f, y), g in facts.groupby(["region_code", "fact", "year"], sort=False)}


def _fact_parts(facts: dict, region: str, year: int, fact: str, prefix: str, settings) -> dict:
    """The registry's ``fact_parts`` (value, vintage and source of the latest vintage; a row count)."""
    f = facts.get((region, fact, int(year)))
    if f is None:
        f = _NO_FACTS
    chosen = settings.vintages.get(fact)
    if chosen:
        f = f[f.vintage == chosen]
    if f.empty:
        return {prefix: None, f"{prefix}_vintage": None, f"{prefix}_source": None, f"have_{prefix}": 0}
    rank = [vintage_rank_text(v, y) for v, y in zip(f.vintage, f.year)]
    top = f.iloc[max(range(len(rank)), key=rank.__getitem__)]
    return {prefix: float(top.value), f"{prefix}_vintage": top.vintage, f"{prefix}_source": top.source,
            f"have_{prefix}": int(len(f))}


def covers(key: tuple) -> bool:
    """Whether :func:`compute_panel` computes the value of ``(indicator, as_of, region, industry)``."""
    return key[0] in PANEL_INDICATORS and (key[0] not in YEAR_END_ONLY or _is_year_end(key[1]))


def compute_panel(store, keys, settings, *, synthetic: bool = False) -> dict[tuple, IndicatorValue]:
    """IndicatorValues for ``(indicator, as_of, region, industry)`` keys of :data:`PANEL_INDICATORS`.

    Flows at dates other than 31 December are left out (the caller computes them another way).
    """
    from ipobs.indicators.compute import finish_value

    keys = [k for k in keys if covers(k)]
    if not keys:
        return {}
    panel = Panel(store.con, [k[1] for k in keys])
    facts = None
    if any(k[0] in ("inventions_per_10k", "trademarks_to_new_enterprises") for k in keys):
        facts = _fact_groups(store.con.execute("SELECT region_code, year, fact, value, source, vintage FROM "
                                               "region_fact WHERE fact IN ('population', 'new_enterprises')").df())
    marks = mark_flows = None
    if any(k[0] in MARK_STOCKS for k in keys):
        regions = {query(get(k[0]), k[1], k[2], k[3], settings).region for k in keys if k[0] in MARK_STOCKS}
        marks = panel.mark_table({r: tuple(descendants(r)) for r in regions})
    if any(k[0] in MARK_FLOWS for k in keys):
        regions = {query(get(k[0]), k[1], k[2], k[3], settings).region for k in keys if k[0] in MARK_FLOWS}
        mark_flows = panel.mark_flows({r: tuple(descendants(r)) for r in regions})
    smes = panel.sme_frame() if any(k[0] == "sme_first_patents" for k in keys) else None
    sme_rows = {} if smes is None else {  # region code -> the SMEs' rows
        code: rows for code, rows in smes.groupby("region_code", sort=False).indices.items()}
    portfolios = _Portfolios(store.con, panel) if any(k[0] == "hv_portfolios_qualified" for k in keys) else None
    sums = _Sums(panel)
    pops: dict[tuple, dict] = {}
    out = {}
    for key in keys:
        ind_id, as_of, region, industry = key
        ind = get(ind_id)
        q = query(ind, as_of, region, industry, settings)
        codes = frozenset(q.codes)
        if ind_id in STOCKS or ind_id == "inventions_per_10k":
            k = panel.index[as_of]
            have = {"have_events": panel.events_before(as_of)}
            if ind_id == "inventions_per_10k":
                row = {"numerator": int(sums.stock(codes, "invention", industry, True)[k]), **have}
                if (q.region, q.year) not in pops:
                    pops[(q.region, q.year)] = _fact_parts(facts, q.region, q.year, "population", "population",
                                                          settings)
                row.update(pops[(q.region, q.year)])
            else:
                row = {"value": int(sums.stock(codes, STOCKS[ind_id], industry, False)[k]), **have}
        elif ind_id in FLOWS:
            col, kind = FLOWS[ind_id]
            row = {"value": sums.flow(col, codes, kind, industry).get(as_of.year, 0),
                   "have_period": panel.period_count(col, as_of.year)}
        elif ind_id == "invention_share":
            row = {"inventions": sums.flow("filing_date", codes, "invention", industry).get(as_of.year, 0),
                   "applications": sums.flow("filing_date", codes, None, industry).get(as_of.year, 0),
                   "have_period": panel.period_count("filing_date", as_of.year)}
        elif ind_id in MARK_STOCKS:
            n, c = marks.get((q.region, MARK_STOCKS[ind_id]), [(0, 0)] * len(panel.dates))[panel.index[as_of]]
            row = {"value": n, "classes": c, "have_marks": panel.marks_before(as_of)}
        elif ind_id == "industries_meeting_volume":
            from ipobs.records.industries import industries

            meets = sum(1 for i in industries()
                        if sums.flow("filing_date", codes, None, i).get(as_of.year, 0) >= settings.industry_min_applications
                        and sums.flow("grant_date", codes, None, i).get(as_of.year, 0) >= settings.industry_min_grants)
            row = {"value": meets, "have_period": panel.period_count("filing_date", as_of.year)}
        elif ind_id == "sme_first_patents":
            start, d = np.datetime64(str(settings.period_start)[:10], "D"), np.datetime64(as_of, "D")
            rows = np.concatenate([sme_rows[c] for c in codes if c in sme_rows] or [np.zeros(0, dtype=np.int64)])
            rows = rows[smes.sme_from.to_numpy()[rows] <= d]
            ff, fg = smes.first_filing.to_numpy()[rows], smes.first_invention_grant.to_numpy()[rows]
            app_new = (ff >= start) & (ff <= d)
            grant_new = (fg >= start) & (fg <= d)
            row = {"value": int((app_new | grant_new).sum()), "first_application": int(app_new.sum()),
                   "first_invention_grant": int(grant_new.sum()), "have_entities": panel.sme_flags()}
        elif ind_id == "hv_portfolios_qualified":
            row = portfolios.row(q)
        elif ind_id in COPYRIGHT_FLOWS:
            kind = COPYRIGHT_FLOWS[ind_id]
            n = sum(years.get(as_of.year, 0) for (code, knd), years in panel.copyright_table().items()
                    if code in codes and (kind is None or knd == kind))
            row = {"value": n, "have_period": panel.year_count("copyright", "registration_date", as_of.year)}
        elif ind_id in MARK_FLOWS:
            col, madrid = MARK_FLOWS[ind_id]
            n = mark_flows.get(("madrid" if madrid else "registrations", q.region), {}).get(as_of.year, 0)
            have = panel.year_count("trademark", col, as_of.year)
            if ind_id == "trademarks_to_new_enterprises":
                row = {"new_registrations": n, "have_period": have,
                       **_fact_parts(facts, q.region, q.year, "new_enterprises", "new_enterprises", settings)}
            else:
                row = {"value": n, "have_period": have}
        elif ind_id in FLAG_HOLDERS:
            table, have = panel.holders(FLAG_HOLDERS[ind_id])
            k = panel.index[as_of]
            n = sum(int(arr[k]) for (code, ind_), arr in table.items()
                    if code in codes and (industry is None or ind_ == industry))
            row = {"value": n, "have_flags": have}
        else:  # pct_applications
            row = {"value": panel.pct_count(as_of.year, codes, industry),
                   "have_period": panel.period_count("filing_date", as_of.year)}
        out[key] = finish_value(ind, q, row, synthetic)
    return out


class _Portfolios:
    """The registry's ``hv_portfolios_qualified`` for many dates: established portfolios, their members'
    validity from the status intervals, counted against the portfolio rules of the settings."""

    def __init__(self, con, panel: Panel):
        items = _as_dates(con.execute(
            "SELECT item_id, region_code, CAST(start_date AS DATE) AS start_date, members FROM program_item "
            "WHERE program = 'hv_portfolio' AND status <> 'cancelled' AND members IS NOT NULL").df(), "start_date")
        rows = []
        for item_id, members in zip(items.item_id, items.members):
            for member in str(members).split(";"):
                rows.append((item_id, member, member.strip()))
        m = pd.DataFrame(rows, columns=["item_id", "member", "patent_id"], dtype=object).drop_duplicates()
        m = m[m.patent_id != ""]
        ids = sorted(set(m.patent_id))
        pat = con.execute("SELECT patent_id, kind, pct FROM patent WHERE patent_id IN (SELECT unnest(?::VARCHAR[]))",
                          [ids]).df()
        pat["patent_id"] = pat["patent_id"].astype(object)  # no ledger members: an empty frame of the same types
        m = m.merge(pat, on="patent_id", how="left")
        known = set(pat.patent_id)
        iv = panel.granted_intervals([i for i in ids if i in known])
        # per member row: item number, invention?, PCT?, and the granted intervals of its patent
        self.item_ids = list(items.item_id)
        number = {item: n for n, item in enumerate(self.item_ids)}
        self.member_item = np.array([number[i] for i in m.item_id], dtype=np.int64)
        self.is_invention = (m.kind == "invention").to_numpy(dtype=bool)
        self.is_pct = (m.pct.fillna(False).astype(bool) | m.patent_id.str.startswith(("PCT", "WO"))).to_numpy(bool)
        self.member_patent = m.patent_id.to_numpy()
        self.intervals = list(zip(iv.patent_id, iv.f, iv.u))
        self.region = items.region_code.to_numpy(dtype=object)
        self.start = items.start_date.to_numpy(dtype=object)
        self.has_members = np.bincount(self.member_item, minlength=len(self.item_ids)) > 0
        self.pct = np.bincount(self.member_item, weights=self.is_pct, minlength=len(self.item_ids))
        self._valid_inventions: dict[dt.date, np.ndarray] = {}
        self.have = int(con.execute("SELECT count(*) FROM program_item WHERE program = 'hv_portfolio'").fetchone()[0])

    def valid_inventions(self, d: dt.date) -> np.ndarray:
        """Per portfolio: members that are invention patents valid at ``d``."""
        if d not in self._valid_inventions:
            valid = {pid for pid, f, u in self.intervals if f <= d and (u is None or u > d)}
            ok = self.is_invention & np.fromiter((pid in valid for pid in self.member_patent), bool,
                                                 len(self.member_patent))
            self._valid_inventions[d] = np.bincount(self.member_item, weights=ok, minlength=len(self.item_ids))
        return self._valid_inventions[d]

    def row(self, q) -> dict:
        s = q.settings
        home = q.region == s.home_region
        codes = set(q.codes)
        inside = np.array([r in codes or (home and (r is None or r != r)) for r in self.region], dtype=bool)
        started = np.array([d is not None and d <= q.as_of for d in self.start], dtype=bool)
        chosen = inside & started & self.has_members
        meets = (self.valid_inventions(q.as_of) >= s.portfolio_min_inventions) & (self.pct >= s.portfolio_min_pct)
        return {"value": int((meets & chosen).sum()), "portfolios": int(chosen.sum()), "have_hv_portfolio": self.have}
