"""High-value patent portfolios (task 8: 50 portfolios, each ≥50 invention patents and ≥10 PCT
applications): define, check, profile, track, and the ledger that feeds the monitoring target.

A portfolio is a programme-ledger row (``program_item``, program ``hv_portfolio``) whose
``members`` lists patent ids. Counting rule, stated once here:

- *invention patents*: members that are invention patents **valid at the date** (granted and in
  force per ``ipobs.store.history``);
- *PCT applications*: members flagged ``pct`` (a PCT application or its national phase) and
  filed on or before the date, whatever their status.

Thresholds are the indicator settings ``portfolio_min_inventions`` (50) and ``portfolio_min_pct`` (10).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ipobs.analytics.patent_set import PatentSetError, resolve, split_members
from ipobs.analytics.scope import as_date, records, status_sql


def _settings(settings=None):
    from ipobs.indicators import Settings

    return Settings.of(settings)


def _members_frame(store, item_ids: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(portfolio rows, long (item_id, patent_id) members)."""
    sql = "SELECT * FROM program_item WHERE program = 'hv_portfolio'"
    params: list = []
    if item_ids is not None:
        sql += f" AND item_id IN ({','.join('?' * len(item_ids))})" if item_ids else " AND FALSE"
        params = list(item_ids)
    items = store.query(sql + " ORDER BY item_id", params)
    long = [(i, m) for i, text in zip(items["item_id"], items["members"]) for m in split_members(text)]
    return items, pd.DataFrame(long, columns=["item_id", "patent_id"])


def _counts(store, members: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Per item: members, members in the store, valid inventions, PCT applications at ``as_of``."""
    cur = store.con.cursor()
    try:
        cur.register("_members", members)
        df = cur.execute(f"""
            SELECT m.item_id, count(*) AS members, count(p.patent_id) AS in_store,
                   count(*) FILTER (WHERE p.kind = 'invention' AND st.status = 'granted') AS valid_inventions,
                   count(*) FILTER (WHERE p.kind = 'invention') AS inventions,
                   count(*) FILTER (WHERE p.pct AND p.filing_date <= ?) AS pct_applications
            FROM _members m LEFT JOIN patent p USING (patent_id)
            LEFT JOIN ({status_sql(store, as_of)}) st USING (patent_id)
            GROUP BY m.item_id""", [as_of]).df()
    finally:
        cur.close()
    return df


def portfolio_ledger(store, as_of=None, region: str | None = None, settings=None) -> pd.DataFrame:
    """Every hv_portfolio ledger row with its check at ``as_of`` (``meets`` = the plan's rule holds).

    Rows started after ``as_of`` or cancelled are listed with ``counted`` False."""
    as_of = as_date(as_of)
    s = _settings(settings)
    items, members = _members_frame(store)
    if region:
        from ipobs.entities.regions import descendants

        items = items[items["region_code"].isin(descendants(region))]
        members = members[members["item_id"].isin(set(items["item_id"]))]
    cols = ["item_id", "name", "entity_id", "department", "status", "start_date", "region_code"]
    out = items[cols].copy()
    if not len(out):
        return out.assign(members=0, in_store=0, valid_inventions=0, pct_applications=0, meets=False, counted=False)
    counts = _counts(store, members, as_of) if len(members) else pd.DataFrame(columns=["item_id"])
    out = out.merge(counts, on="item_id", how="left")
    for c in ("members", "in_store", "valid_inventions", "inventions", "pct_applications"):
        out[c] = out[c].fillna(0).astype(int)
    out["meets"] = (out["valid_inventions"] >= s.portfolio_min_inventions) & (out["pct_applications"] >= s.portfolio_min_pct)
    started = pd.to_datetime(out["start_date"]).dt.date <= as_of
    out["counted"] = started & (out["status"] != "cancelled")
    return out


def qualified_portfolios(store, as_of=None, region: str | None = None, settings=None) -> int:
    """How many ledger portfolios count and meet the rule at ``as_of`` (the monitoring target's value)."""
    led = portfolio_ledger(store, as_of, region, settings)
    return int((led["meets"] & led["counted"]).sum()) if len(led) else 0


def check_portfolio(store, item_id: str | None = None, members: list[str] | None = None, as_of=None,
                    industry: str | None = None, settings=None, track: bool = True, profile: bool = True) -> dict:
    """Full check of one portfolio (a ledger item, or a list of members): rule, industry coverage,
    value profile, yearly tracking."""
    as_of = as_date(as_of)
    s = _settings(settings)
    if item_id is not None:
        items, long = _members_frame(store, [item_id])
        if not len(items):
            raise PatentSetError(f"no high-value portfolio {item_id!r} in the programme ledger")
        name = items["name"].iloc[0]
    elif members is not None:
        long = pd.DataFrame({"item_id": "_", "patent_id": list(dict.fromkeys(members))})
        name = None
    else:
        raise ValueError("give a portfolio item_id or a list of members")
    ids = long["patent_id"].tolist()
    c = _counts(store, long.assign(item_id="_"), as_of) if ids else pd.DataFrame()
    row = c.iloc[0].to_dict() if len(c) else {"members": 0, "in_store": 0, "valid_inventions": 0, "inventions": 0,
                                              "pct_applications": 0}
    row = {k: int(v) for k, v in row.items() if k != "item_id"}
    out = {"item_id": item_id, "name": name, "as_of": as_of.isoformat(), **row,
           "rule": {"min_inventions": s.portfolio_min_inventions, "min_pct": s.portfolio_min_pct,
                    "inventions_definition": "invention patents valid at the date",
                    "pct_definition": "members flagged PCT, filed on or before the date"},
           "meets": row["valid_inventions"] >= s.portfolio_min_inventions and row["pct_applications"] >= s.portfolio_min_pct,
           "unknown_members": row["members"] - row["in_store"]}
    out["coverage"] = coverage(store, ids, industry)
    if profile:
        out["value"] = value_profile(store, ids, as_of)
    if track:
        out["tracking"] = tracking(store, ids, as_of)
    return out


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


def tracking(store, ids: list[str], as_of: dt.date) -> list[dict]:
    """Year by year (31 Dec, and ``as_of`` for the last year): members filed, valid inventions, PCT applications."""
    if not ids:
        return []
    long = pd.DataFrame({"item_id": "_", "patent_id": ids})
    first = store.con.execute(
        "SELECT min(year(filing_date)) FROM patent WHERE patent_id IN (SELECT unnest(?))", [ids]).fetchone()[0]
    if first is None:
        return []
    rows = []
    for y in range(int(first), as_of.year + 1):
        d = min(dt.date(y, 12, 31), as_of)
        c = _counts(store, long, d).iloc[0]
        filed = store.con.execute("SELECT count(*) FROM patent WHERE patent_id IN (SELECT unnest(?)) AND filing_date <= ?",
                                  [ids, d]).fetchone()[0]
        rows.append({"year": y, "date": d.isoformat(), "filed": int(filed), "valid_inventions": int(c["valid_inventions"]),
                     "pct_applications": int(c["pct_applications"])})
    return rows


def define_portfolio(store, item_id: str, name: str, pset, department: str, as_of=None,
                     entity_id: str | None = None, region_code: str | None = None, note: str | None = None):
    """Store a portfolio (members = the resolved set) as a programme-ledger row through a batch import."""
    from ipobs.records.batch import RecordBatch

    as_of = as_date(as_of)
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
