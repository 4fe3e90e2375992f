"""Computing indicators: one value as of a date, a yearly series, the records behind a value."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ipobs.entities import regions as reg
from ipobs.indicators.base import HAVE, Indicator, IndicatorValue, Query, get, plain, registry
from ipobs.indicators.engine import tables_of
from ipobs.indicators.settings import Settings
from ipobs.records.dates import as_date
from ipobs.records.industries import industries


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
    return Query(as_date(as_of), region, tuple(codes), industry, s)


def _one_row_tables(exprs: dict, prefix: str = "") -> tuple[dict, list]:
    """Split parts into Python constants and one-row Ibis tables with prefixed column names.

    A part is a scalar expression (one column named after the part) or a one-row table (an
    aggregate: each of its columns is a part), so parts read from one table share one scan.
    """
    import ibis

    consts, tables = {}, []
    for name, expr in exprs.items():
        if isinstance(expr, ibis.Table):
            tables.append(expr.select(**{f"{prefix}{c}": expr[c] for c in expr.columns}))
        elif hasattr(expr, "as_table"):
            tables.append(expr.name(f"{prefix}{name}").as_table())
        else:
            consts[name] = expr
    return consts, tables


def _cross(tables: list):
    out = None
    for one in tables:
        out = one if out is None else out.cross_join(one)
    return out


def run_parts(t, exprs: dict) -> dict:
    """Execute the parts as one one-row query; Python constants pass through."""
    row, tables = _one_row_tables(exprs)
    if tables:
        df = t.execute(_cross(tables))
        row.update({k: plain(df[k].iloc[0]) for k in df.columns})
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
    return finish_value(ind, q, run_parts(t, ind.parts(t, q)), t.synthetic)


def finish_value(ind: Indicator, q: Query, row: dict, synthetic: bool = False) -> IndicatorValue:
    """The value from an executed row of parts: coverage checks, the indicator's finish, the parts shown."""
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
                          ind.unit, missing, parts, vintage, synthetic)


def compute_many(store, indicator_ids=None, as_of=None, region=None, industry=None, settings=None,
                 chunk: int = 8) -> dict[str, IndicatorValue]:
    """Several indicators as of one date with few queries (``chunk`` indicators per query).

    The same parts and finishing steps as :func:`compute`, executed together: on Spark this saves
    a job per indicator. Indicators without the asked industry breakdown are computed without it.
    """
    t = tables_of(store)
    ids = list(indicator_ids or sorted(registry()))
    out: dict[str, IndicatorValue] = {}
    for start in range(0, len(ids), chunk):
        batch = []
        tables: list = []
        for k, iid in enumerate(ids[start:start + chunk]):
            ind = get(iid)
            q = query(ind, as_of, region, industry if "industry" in ind.dims else None, settings)
            consts, tabs = _one_row_tables(ind.parts(t, q), prefix=f"i{k}__")
            batch.append((k, ind, q, consts))
            tables += tabs
        row_all = {}
        if tables:
            df = t.execute(_cross(tables))
            row_all = {c: plain(df[c].iloc[0]) for c in df.columns}
        for k, ind, q, consts in batch:
            pre = f"i{k}__"
            row = dict(consts)
            row.update({c[len(pre):]: v for c, v in row_all.items() if c.startswith(pre)})
            out[ind.id] = finish_value(ind, q, row, t.synthetic)
    return out


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
