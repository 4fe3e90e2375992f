"""High-value patent portfolios (task 8: 50 portfolios, each ≥50 invention patents and ≥10 PCT
applications): check, coverage, value profile, yearly tracking, the ledger, and defining one.

A portfolio is a programme-ledger row (``program_item``, program ``hv_portfolio``) whose
``members`` lists patent ids. The counting rule is defined once, by the indicator
``hv_portfolios_qualified`` (``ipobs.indicators.defs.programs.portfolios``), and used here:

- *invention patents*: members that are invention patents **valid at the date** (granted and in
  force per ``ipobs.store.history``);
- *PCT applications*: members flagged ``pct`` (a PCT application or its national phase; ids
  starting PCT/WO count too), whatever their status.

Thresholds are the indicator settings ``portfolio_min_inventions`` (50) and ``portfolio_min_pct`` (10).
A members list that is not (yet) in the ledger is checked by the same expression over a
one-row in-memory ledger.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ipobs.analytics.patent_set import PatentSetError, resolve, split_members
from ipobs.analytics.scope import records
from ipobs.records.dates import date_or_today

RULE_COLUMNS = ["item_id", "name", "entity_id", "department", "status", "start_date", "region_code", "members",
                "valid_inventions", "pct_applications", "meets"]


def _settings(settings=None):
    from ipobs.indicators import Settings

    return Settings.of(settings)


def portfolio_ledger(store, as_of=None, region: str | None = None, settings=None) -> pd.DataFrame:
    """Every established (started, not cancelled) hv_portfolio ledger row of the region with its check at
    ``as_of``: the record list of indicator ``hv_portfolios_qualified`` (``meets`` = the plan's rule holds)."""
    from ipobs.indicators import records as indicator_records

    df, total = indicator_records(store, "hv_portfolios_qualified", date_or_today(as_of), region=region,
                                  limit=1_000_000, settings=settings)
    return df.reset_index(drop=True)


def qualified_portfolios(store, as_of=None, region: str | None = None, settings=None) -> int:
    """How many ledger portfolios meet the rule at ``as_of`` (the value of ``hv_portfolios_qualified``)."""
    led = portfolio_ledger(store, as_of, region, settings)
    return int(led["meets"].sum()) if len(led) else 0


def _rule_counts(store, members: list[str], as_of: dt.date, settings=None) -> dict:
    """members, valid_inventions, pct_applications, meets for a list of members at ``as_of``, by the
    indicator's expression over a one-row in-memory ledger."""
    import ibis

    from ipobs.entities.regions import descendants
    from ipobs.indicators import Query, tables_of
    from ipobs.indicators.defs.programs import portfolios

    s = _settings(settings)
    if not members:
        return {"members": 0, "valid_inventions": 0, "pct_applications": 0, "meets": False}
    t = tables_of(store)
    ledger = ibis.memtable(pd.DataFrame([{
        "item_id": "_", "program": "hv_portfolio", "name": "_", "entity_id": None, "department": "_",
        "status": "in_progress", "start_date": as_of, "end_date": None, "members": ";".join(members),
        "region_code": None}]).astype({"entity_id": "string", "end_date": "datetime64[s]", "region_code": "string"}))
    t._cache["program_item"] = ledger
    q = Query(as_of, s.home_region, tuple(descendants(s.home_region)), None, s)
    row = t.execute(portfolios(t, q)).iloc[0]
    return {"members": int(row["members"]), "valid_inventions": int(row["valid_inventions"]),
            "pct_applications": int(row["pct_applications"]), "meets": bool(row["meets"])}


def check_portfolio(store, item_id: str | None = None, members: list[str] | None = None, as_of=None,
                    industry: str | None = None, settings=None, track: bool = True, profile: bool = True) -> dict:
    """Full check of one portfolio (a ledger item, or a list of members): rule, industry coverage,
    value profile, yearly tracking."""
    as_of = date_or_today(as_of)
    s = _settings(settings)
    name = None
    if item_id is not None:
        row = store.con.execute("SELECT name, members FROM program_item WHERE item_id = ? AND program = 'hv_portfolio'",
                                [item_id]).fetchone()
        if row is None:
            raise PatentSetError(f"no high-value portfolio {item_id!r} in the programme ledger")
        name, ids = row[0], split_members(row[1])
    elif members is not None:
        ids = list(dict.fromkeys(members))
    else:
        raise ValueError("give a portfolio item_id or a list of members")
    counts = _rule_counts(store, ids, as_of, settings)
    in_store = _in_store(store, ids)
    out = {"item_id": item_id, "name": name, "as_of": as_of.isoformat(), **counts,
           "rule": {"min_inventions": s.portfolio_min_inventions, "min_pct": s.portfolio_min_pct,
                    "indicator": "hv_portfolios_qualified",
                    "inventions_definition": "invention patents valid at the date",
                    "pct_definition": "members flagged PCT (or ids starting PCT/WO), any status"},
           "in_store": in_store, "unknown_members": len(ids) - in_store}
    out["coverage"] = coverage(store, ids, industry)
    if profile:
        out["value"] = value_profile(store, ids, as_of)
    if track:
        out["tracking"] = tracking(store, ids, as_of, settings)
    return out


def _in_store(store, ids: list[str]) -> int:
    if not ids:
        return 0
    return int(store.con.execute("SELECT count(*) FROM patent WHERE patent_id IN (SELECT unnest(?))", [ids]).fetchone()[0])


def coverage(store, ids: list[str], industry: str | None = None) -> dict:
    """How the members cover a plan industry's IPC prefixes (default: the members' commonest industry)."""
    from ipobs.records.industries import industries

    if not ids:
        return {"industry": industry, "members_in_industry": 0, "share": None, "prefixes": []}
    cur = store.con.cursor()
    try:
        cur.register("_ids", pd.DataFrame({"patent_id": ids}))
        ind_counts = cur.execute("SELECT industry, count(*) AS n FROM _ids JOIN patent USING (patent_id) "
                                 "WHERE industry IS NOT NULL GROUP BY 1 ORDER BY n DESC, industry").fetchall()
        industry = industry or (ind_counts[0][0] if ind_counts else None)
        if industry is None:
            return {"industry": None, "members_in_industry": 0, "share": None, "prefixes": []}
        if industry not in industries():
            raise PatentSetError(f"unknown industry {industry!r}; known: {', '.join(industries())}")
        ind = industries()[industry]
        codes = [r[0] for r in cur.execute("SELECT DISTINCT ipc FROM _ids JOIN patent_ipc USING (patent_id)").fetchall()]
        n_in = dict(ind_counts).get(industry, 0)
    finally:
        cur.close()
    prefixes = [{"prefix": p, "members_with_code": sum(1 for c in codes if c.startswith(p)) > 0} for p in ind.ipc]
    covered = sum(1 for p in prefixes if p["members_with_code"])
    return {"industry": industry, "industry_zh": ind.zh, "industry_en": ind.en, "members_in_industry": int(n_in),
            "share": n_in / len(ids), "prefixes_covered": covered, "prefixes_total": len(prefixes),
            "prefixes": prefixes}


def value_profile(store, ids: list[str], as_of: dt.date) -> dict:
    from ipobs.analytics.value import high_value_flags, value_scores

    if not ids:
        return {"scored": 0, "quantiles": {}, "high_value": 0}
    sc = value_scores(store, resolve(store, "ids:" + ",".join(ids)), as_of)["score"].dropna()
    hv = high_value_flags(store, as_of, ids)
    q = sc.quantile([0.1, 0.25, 0.5, 0.75, 0.9]) if len(sc) else pd.Series(dtype=float)
    return {"scored": int(len(sc)), "quantiles": {f"p{int(k * 100)}": float(v) for k, v in q.items()},
            "mean": float(sc.mean()) if len(sc) else None, "high_value": int(len(hv)),
            "high_value_by_category": {r: int(hv[r].sum()) for r in ("sei", "foreign_family", "maintained", "pledge", "award")}
            if len(hv) else {}}


def tracking(store, ids: list[str], as_of: dt.date, settings=None) -> list[dict]:
    """Year by year (31 Dec, and ``as_of`` for the last year): members filed, valid inventions, PCT applications."""
    if not ids:
        return []
    first = store.con.execute(
        "SELECT min(year(filing_date)) FROM patent WHERE patent_id IN (SELECT unnest(?))", [ids]).fetchone()[0]
    if first is None:
        return []
    rows = []
    for y in range(int(first), as_of.year + 1):
        d = min(dt.date(y, 12, 31), as_of)
        filed = [r[0] for r in store.con.execute(
            "SELECT patent_id FROM patent WHERE patent_id IN (SELECT unnest(?)) AND filing_date <= ?", [ids, d]).fetchall()]
        c = _rule_counts(store, filed, d, settings)
        rows.append({"year": y, "date": d.isoformat(), "filed": len(filed), "valid_inventions": c["valid_inventions"],
                     "pct_applications": c["pct_applications"], "meets": c["meets"]})
    return rows


def define_portfolio(store, item_id: str, name: str, pset, department: str, as_of=None,
                     entity_id: str | None = None, region_code: str | None = None, note: str | None = None):
    """Store a portfolio (members = the resolved set) as a programme-ledger row through a batch import."""
    from ipobs.records.batch import RecordBatch

    as_of = date_or_today(as_of)
    rset = resolve(store, pset)
    if len(rset) == 0:
        raise PatentSetError("the set is empty: a portfolio needs members")
    row = {"item_id": item_id, "program": "hv_portfolio", "name": name, "entity_id": entity_id,
           "department": department, "status": "in_progress", "start_date": as_of, "members": ";".join(rset.ids),
           "region_code": region_code, "note": note or f"defined from set {rset.spec.to_text()}"}
    return store.import_batch(RecordBatch("programs", {"program_item": pd.DataFrame([row])},
                                          label=f"portfolio {item_id}"))


def ledger_records(store, as_of=None, region=None, settings=None) -> list[dict]:
    return records(portfolio_ledger(store, as_of, region, settings))
