"""Computing indicators: one value as of a date, a yearly series, the records behind a value."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ipobs.entities import regions as reg
from ipobs.indicators.base import HAVE, Indicator, IndicatorValue, Query, get, plain
from ipobs.indicators.engine import tables_of
from ipobs.indicators.settings import Settings
from ipobs.records.industries import industries


def _date(d) -> dt.date:
    if isinstance(d, dt.datetime):
        return d.date()
    if isinstance(d, dt.date):
        return d
    try:
        return dt.date.fromisoformat(str(d))
    except ValueError:
        raise ValueError(f"not a date: {d!r} (use YYYY-MM-DD)") from None


def query(ind: Indicator, as_of, region=None, industry=None, settings=None) -> Query:
    s = Settings.of(settings)
    region = region or s.home_region
    try:
        codes = reg.descendants(region)
    except KeyError:
        raise ValueError(f"unknown region {region!r}; see src/ipobs/entities/regions.csv") from None
    if industry is not None:
        if "industry" not in ind.dims:
            raise ValueError(f"indicator {ind.id} has no industry breakdown")
        if industry not in industries():
            raise ValueError(f"unknown industry {industry!r}; known: {', '.join(industries())}")
    return Query(_date(as_of), region, tuple(codes), industry, s)


def run_parts(t, exprs: dict) -> dict:
    """Execute named scalar expressions as one one-row query; Python constants pass through."""
    consts = {k: v for k, v in exprs.items() if not hasattr(v, "as_table")}
    live = [(k, v) for k, v in exprs.items() if hasattr(v, "as_table")]
    row = dict(consts)
    if live:
        table = None
        for name, expr in live:
            one = expr.name(name).as_table()
            table = one if table is None else table.cross_join(one)
        df = t.execute(table)
        row.update({k: plain(df[k].iloc[0]) for k, _ in live})
    return row


def _missing_from_coverage(ind: Indicator, row: dict) -> str | None:
    for part, sentence in ind.requires.items():
        if not row.get(part):
            return sentence
    return None


def compute(store, indicator_id: str, as_of, region=None, industry=None, settings=None) -> IndicatorValue:
    """The value of an indicator as of a date, for a region (default: the home region) and,
    for patent indicators, an industry. Missing data gives ``missing``, never a zero.
    """
    ind = get(indicator_id)
    t = tables_of(store)
    q = query(ind, as_of, region, industry, settings)
    row = run_parts(t, ind.parts(t, q))
    missing = _missing_from_coverage(ind, row)
    value, vintage = None, {}
    if missing is None:
        out = (ind.finish or (lambda r, q: (r.get("value"), None)))(row, q)
        value, missing = out[0], out[1]
        vintage = out[2] if len(out) > 2 else {}
    parts = {k: v for k, v in row.items() if not k.startswith(HAVE) and not k.endswith(("_source", "_vintage"))}
    if value is not None:
        value = float(value)
    return IndicatorValue(ind.id, q.as_of, q.region, q.industry, value if missing is None else None,
                          ind.unit, missing, parts, vintage, t.synthetic)


def series(store, indicator_id: str, years, region=None, industry=None, settings=None) -> list[IndicatorValue]:
    """Yearly values: stocks as of 31 December, flows over the calendar year."""
    return [compute(store, indicator_id, dt.date(int(y), 12, 31), region, industry, settings) for y in years]


def records(store, indicator_id: str, as_of, region=None, industry=None, limit: int = 100, offset: int = 0,
            settings=None) -> tuple[pd.DataFrame, int]:
    """The records behind a value (drill-through): a page of rows and the total count."""
    ind = get(indicator_id)
    if ind.rows is None:
        raise ValueError(f"indicator {ind.id} has no record list")
    t = tables_of(store)
    q = query(ind, as_of, region, industry, settings)
    rows = ind.rows(t, q)
    total = int(plain(t.execute(rows.count())))
    keys = [c for c in (ind.order_by or tuple(rows.columns[:1])) if c in rows.columns]
    page = rows.order_by(keys).limit(limit, offset=offset)
    df = t.execute(page)
    return df.reset_index(drop=True), total
