"""The patent indicators for many dates, regions and industries from one pass over the data (DuckDB).

The registry's patent definitions (``ipobs/indicators/defs/patents.py``) are stated per date and region:
"patents of the region whose latest status-changing event on or before D is a grant", "patents of the
region filed from 1 January to D". Evaluated one by one, each date rebuilds the legal status of every patent.
Here the same definitions are computed for all requested dates at once:

- **status intervals**: each status-changing event of ``patent_event`` holds until the patent's next
  status-changing event, so a patent is valid at D exactly when D falls in one of its ``granted`` intervals
  ``[event_date, next_event_date)`` (ties between same-day events are as arbitrary as the registry's argmax);
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

KIND_OF = {None: None, "invention": "invention", "utility": "utility", "design": "design"}
STOCKS = {"valid_patents": None, "valid_inventions": "invention", "valid_utility_models": "utility",
          "valid_designs": "design"}
FLOWS = {  # id -> (date column, kind)
    "patent_applications": ("filing_date", None), "invention_applications": ("filing_date", "invention"),
    "utility_applications": ("filing_date", "utility"), "design_applications": ("filing_date", "design"),
    "patent_grants": ("grant_date", None), "invention_grants": ("grant_date", "invention"),
}
PANEL_INDICATORS = frozenset(STOCKS) | frozenset(FLOWS) | {"invention_share", "inventions_per_10k",
                                                             "pct_applications"}


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
        self._events = None
        self._period: dict[str, dict[int, int]] = {}

    # -- stocks -------------------------------------------------------------------------------------
    def stock_table(self) -> dict[tuple, np.ndarray]:
        """{(region_code, kind, domestic, industry): count of valid patents at each date}."""
        if self._stock is not None:
            return self._stock
        m = len(self.dates)
        before = lambda col: " + ".join(f"({col} > {_date_sql(d)})::INT" for d in self.dates)  # noqa: E731
        sql = f"""
        WITH ev AS (
            SELECT patent_id, CAST(event_date AS DATE) AS d, status_after,
                   lead(CAST(event_date AS DATE)) OVER (PARTITION BY patent_id ORDER BY event_date) AS next_d
            FROM patent_event WHERE status_after IS NOT NULL
        ), g AS (
            SELECT patent_id, {before('d')} AS s,
                   CASE WHEN next_d IS NULL THEN {m} ELSE {before('next_d')} END AS e
            FROM ev WHERE status_after = 'granted'
        )
        SELECT p.region_code, p.kind, COALESCE(p.domestic, FALSE) AS domestic, p.industry, g.s, g.e,
               count(*) AS n
        FROM g JOIN patent p USING (patent_id)
        WHERE g.e > g.s
        GROUP BY ALL
        """
        out: dict[tuple, np.ndarray] = {}
        for code, kind, dom, industry, s, e, n in self.con.execute(sql).fetchall():
            arr = out.setdefault((code, kind, bool(dom), industry), np.zeros(m + 1, dtype=np.int64))
            arr[int(s)] += n
            arr[int(e)] -= n
        self._stock = {k: np.cumsum(v)[:m] for k, v in out.items()}
        return self._stock

    def events_before(self, d: dt.date) -> int:
        """Patent events dated on or before ``d`` (the registry's ``have_events``)."""
        if self._events is None:
            rows = self.con.execute("SELECT CAST(event_date AS DATE) AS d, count(*) FROM patent_event "
                                    "GROUP BY 1 ORDER BY 1").fetchall()
            self._events = ([r[0] for r in rows], np.cumsum([r[1] for r in rows]))
        days, cum = self._events
        i = int(np.searchsorted(np.array(days, dtype="datetime64[D]"), np.datetime64(d), side="right"))
        return int(cum[i - 1]) if i else 0

    # -- flows --------------------------------------------------------------------------------------
    def flow_table(self, col: str) -> dict[tuple, dict[int, int]]:
        """{(region_code, kind, industry): {year: patents with ``col`` in that year}}."""
        if col not in self._flows:
            years = sorted({d.year for d in self.dates})
            sql = (f"SELECT region_code, kind, industry, year({col}) AS y, count(*) FROM patent "
                   f"WHERE year({col}) IN ({', '.join(map(str, years))}) GROUP BY ALL")
            table: dict[tuple, dict[int, int]] = defaultdict(dict)
            for code, kind, industry, y, n in self.con.execute(sql).fetchall():
                table[(code, kind, industry)][int(y)] = int(n)
            self._flows[col] = table
        return self._flows[col]

    def period_count(self, col: str, year: int) -> int:
        """Patents of any region with ``col`` in the year (the registry's ``have_period``)."""
        if col not in self._period:
            rows = self.con.execute(f"SELECT year({col}), count(*) FROM patent WHERE {col} IS NOT NULL "
                                    "GROUP BY 1").fetchall()
            self._period[col] = {int(y): int(n) for y, n in rows}
        return self._period[col].get(year, 0)

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


def _codes(region: str) -> set:
    return set(descendants(region))


def _sum_stock(table, codes, kind, industry, domestic_only, k) -> int:
    total = 0
    for (code, knd, dom, ind), arr in table.items():
        if code in codes and (kind is None or knd == kind) and (industry is None or ind == industry) \
                and (not domestic_only or dom):
            total += int(arr[k])
    return total


def _sum_flow(table, codes, kind, industry, year) -> int:
    total = 0
    for (code, knd, ind), years in table.items():
        if code in codes and (kind is None or knd == kind) and (industry is None or ind == industry):
            total += years.get(year, 0)
    return total


def _fact_parts(facts: pd.DataFrame, region: str, year: int, fact: str, prefix: str, settings) -> dict:
    """The registry's ``fact_parts`` (value, vintage and source of the latest vintage; a row count)."""
    f = facts[(facts.region_code == region) & (facts.fact == fact) & (facts.year == year)]
    chosen = settings.vintages.get(fact)
    if chosen:
        f = f[f.vintage == chosen]
    if f.empty:
        return {prefix: None, f"{prefix}_vintage": None, f"{prefix}_source": None, f"have_{prefix}": 0}
    top = f.sort_values("vintage").iloc[-1]
    return {prefix: float(top.value), f"{prefix}_vintage": top.vintage, f"{prefix}_source": top.source,
            f"have_{prefix}": int(len(f))}


def compute_panel(store, keys, settings, *, synthetic: bool = False) -> dict[tuple, IndicatorValue]:
    """IndicatorValues for ``(indicator, as_of, region, industry)`` keys of :data:`PANEL_INDICATORS`.

    Flows at dates other than 31 December are left out (the caller computes them another way).
    """
    from ipobs.indicators.compute import finish_value

    keys = [k for k in keys if k[0] in PANEL_INDICATORS and (k[0] in STOCKS or k[0] == "inventions_per_10k"
                                                            or _is_year_end(k[1]))]
    if not keys:
        return {}
    panel = Panel(store.con, [k[1] for k in keys])
    facts = None
    if any(k[0] == "inventions_per_10k" for k in keys):
        facts = store.con.execute("SELECT region_code, year, fact, value, source, vintage FROM region_fact "
                                  "WHERE fact = 'population'").df()
    out = {}
    for key in keys:
        ind_id, as_of, region, industry = key
        ind = get(ind_id)
        q = query(ind, as_of, region, industry, settings)
        codes = set(q.codes)
        if ind_id in STOCKS or ind_id == "inventions_per_10k":
            k = panel.index[as_of]
            have = {"have_events": panel.events_before(as_of)}
            if ind_id == "inventions_per_10k":
                row = {"numerator": _sum_stock(panel.stock_table(), codes, "invention", industry, True, k), **have}
                row.update(_fact_parts(facts, q.region, q.year, "population", "population", settings))
            else:
                row = {"value": _sum_stock(panel.stock_table(), codes, STOCKS[ind_id], industry, False, k), **have}
        elif ind_id in FLOWS:
            col, kind = FLOWS[ind_id]
            row = {"value": _sum_flow(panel.flow_table(col), codes, kind, industry, as_of.year),
                   "have_period": panel.period_count(col, as_of.year)}
        elif ind_id == "invention_share":
            table = panel.flow_table("filing_date")
            row = {"inventions": _sum_flow(table, codes, "invention", industry, as_of.year),
                   "applications": _sum_flow(table, codes, None, industry, as_of.year),
                   "have_period": panel.period_count("filing_date", as_of.year)}
        else:  # pct_applications
            f = panel.pct_frame()
            sel = f[(f.y == as_of.year) & f.region_code.isin(codes)]
            if industry is not None:
                sel = sel[sel.industry == industry]
            row = {"value": int(sel.pct_key.nunique()), "have_period": panel.period_count("filing_date", as_of.year)}
        out[key] = finish_value(ind, q, row, synthetic)
    return out
