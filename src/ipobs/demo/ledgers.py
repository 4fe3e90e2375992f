"""The plan's work ledgers (program_item) and the region facts of the demo region.

Ledger items follow ``programs.yaml`` (departments from the plan text, cumulative counts per
year, time to acceptance). Items name real demo entities where the ledger is about one
(a firm's navigation project, an agency, a bank); high-value portfolios and awards list the
entity's patents in ``members``. Region facts give population (two vintages), GDP, new
enterprises and copyright-industry value added for Binhai and each functional zone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from ipobs.demo.config import calibration, end_date, series, stream
from ipobs.demo.entities import AGENCY, BANK, ENTERPRISE, GUARANTOR, INSURER, EntityPool
from ipobs.demo.patents import INVENTION, PatentSim, Topics
from ipobs.entities.regions import HOME, sub_regions
from ipobs.records.industries import industries
from ipobs.records.schema import ENUMS

SOURCE = "滨海新区统计年鉴 (synthetic)"
ANNUAL_VINTAGE = "年度常住人口统计"
CENSUS_VINTAGE = "2020年第七次人口普查修订"


@lru_cache(maxsize=1)
def program_rules() -> dict:
    text = resources.files("ipobs.demo").joinpath("programs.yaml").read_text(encoding="utf-8")
    rules = yaml.safe_load(text)
    missing = set(ENUMS["program"]) - set(rules)
    if missing:
        raise ValueError(f"programs.yaml: no ledger rules for {', '.join(sorted(missing))}")
    return rules


def _new_per_year(rule: dict, yrs: np.ndarray) -> np.ndarray:
    if "per_year" in rule:
        first = min(int(k) for k in rule["per_year"])
        return np.where(yrs < first, 0, np.rint(series(rule["per_year"], yrs))).astype(np.int64)
    first = min(int(k) for k in rule["cumulative"])
    cum = np.where(yrs < first, 0, np.rint(series(rule["cumulative"], yrs))).astype(np.int64)
    return np.diff(np.r_[0, cum]).clip(0)


def programs(seed: int, pool: EntityPool, sim: PatentSim, tp: Topics) -> pd.DataFrame:
    """Every ledger item of every programme (counts are the region's, not scaled)."""
    end_d = end_date()
    yrs = np.arange(calibration()["first_year"] - 4, calibration()["last_year"] + 1)
    firms = np.flatnonzero((pool.cls == ENTERPRISE) & pool.binhai)
    firms = firms[np.argsort(pool.rank[firms])]
    inv_count = np.bincount(sim.applicant[sim.kind == INVENTION], minlength=len(pool))
    pct_count = np.bincount(sim.applicant[sim.pct], minlength=len(pool))
    top = firms[: max(20, min(200, len(firms) // 20))]
    first_filing = _first_filing_year(sim, len(pool))
    used_members = np.zeros(len(sim), bool)
    fields = [t["field"] for t in tp.data]
    ind_names = [i.zh for i in industries().values()]
    rows = []
    for program, rule in program_rules().items():
        rng = stream(seed, "programs", program)
        dept = rule["department"]
        if "fixed" in rule:
            for k, (name, start, done) in enumerate(rule["fixed"]):
                start_d = np.datetime64(str(start))
                done_d = np.datetime64(str(done)) if done else None
                finished = done_d is not None and done_d <= end_d
                rows.append(_item(program, k, name, None, dept, "completed" if finished else "in_progress", start_d,
                                  done_d if finished else None, None, None, None, "合成演示数据"))
            continue
        new = _new_per_year(rule, yrs)
        lo, hi = rule.get("months", [0, 0])
        who = rule.get("entity")
        seq = 0
        for y, k in zip(yrs, new):
            if not k:
                continue
            y = int(y)
            start = np.datetime64(f"{y}-01-01") + rng.integers(0, 365, k).astype("timedelta64[D]")
            start = np.minimum(start, end_d)
            ents = _entities_for(rng, who, k, pool, firms, top, first_filing, y)
            for j in range(k):
                seq += 1
                e = ents[j] if ents is not None else -1
                months = rng.integers(lo, hi + 1) if hi else 0
                done = start[j] + np.timedelta64(int(months * 30.4), "D")
                if hi == 0:
                    status, end_ = "completed", start[j]
                elif done <= end_d:
                    status, end_ = "accepted", done
                else:
                    status, end_ = "in_progress", None
                name = _name(rng, rule["names"], seq, y, pool, e, fields, ind_names)
                qty = float(rng.integers(40, 400)) if rule.get("quantity") == "participants" else None
                members = None
                if program in ("hv_portfolio", "award") and e >= 0:
                    members = _members(rng, sim, e, used_members, program, start[j])
                region = pool.region[e] if e >= 0 else HOME
                rows.append(_item(program, seq, name, pool.ids[e].as_py() if e >= 0 else None, dept, status, start[j],
                                  end_, qty, members, region, None, year=y))
    df = pd.DataFrame(rows)
    df["synthetic"] = True
    return df


def _item(program, seq, name, entity_id, dept, status, start, end, qty, members, region, note, year=None):
    return {"item_id": f"{program}-{year or 'fixed'}-{seq:04d}", "program": program, "name": name, "entity_id": entity_id,
            "department": dept, "status": status, "start_date": start, "end_date": end, "quantity": qty,
            "members": members, "region_code": region, "note": note}


def _entities_for(rng, who, k, pool, firms, top, first_filing, y) -> np.ndarray | None:
    if who is None:
        return None
    if who == "top":
        return rng.choice(top, k)
    if who == "firm":
        w = pool.weight[firms] ** 0.5
        return rng.choice(firms, k, p=w / w.sum())
    if who == "agency":
        return rng.choice(np.flatnonzero(pool.cls == AGENCY), k)
    if who == "finance":
        return rng.choice(np.flatnonzero(np.isin(pool.cls, [BANK, INSURER, GUARANTOR])), k)
    if who == "first_filer":
        cand = firms[first_filing[firms] == y]
        if len(cand) >= k:
            return rng.choice(cand, k, replace=False)
        return np.concatenate([cand, rng.choice(firms, k - len(cand))])
    if who == "person":
        return rng.choice(np.flatnonzero(pool.kind == "individual"), k)
    raise ValueError(f"programs.yaml: unknown entity pool {who!r}")


def _name(rng, templates, seq, y, pool, e, fields, ind_names) -> str:
    t = templates[int(rng.integers(0, len(templates)))]
    values = {"n": str(seq), "year": str(y), "field": fields[int(rng.integers(0, len(fields)))],
              "industry": ind_names[int(rng.integers(0, len(ind_names)))],
              "entity": pool.name[e].as_py() if e >= 0 else "滨海新区"}
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], t)


def _members(rng, sim: PatentSim, e: int, used: np.ndarray, program: str, start) -> str | None:
    """';'-joined patent ids of one entity: ≥50 inventions with ≥10 PCT when it has them."""
    own = np.flatnonzero((sim.applicant == e) & (sim.kind == INVENTION) & ~used & (sim.filing <= start))
    if program == "award":
        own = own[sim.granted[own] & (sim.decision[own] <= start)]
        take = own[rng.permutation(len(own))[: min(len(own), int(rng.integers(1, 4)))]]
    else:
        pct = own[sim.pct[own]]
        rest = own[~sim.pct[own]]
        n_pct = min(len(pct), int(rng.integers(10, 20)))
        n_rest = min(len(rest), int(rng.integers(45, 80)))
        take = np.concatenate([rng.permutation(pct)[:n_pct], rng.permutation(rest)[:n_rest]])
    if not len(take):
        return None
    used[take] = True
    return ";".join(np.char.add("CN", sim.number12[np.sort(take)].astype(str)).tolist())


def _first_filing_year(sim: PatentSim, n_entities: int) -> np.ndarray:
    first = np.full(n_entities, 9999, dtype=np.int64)
    np.minimum.at(first, sim.applicant, sim.year.astype(np.int64))
    return first


# ------------------------------------------------------------------ region facts
def region_facts(seed: int, scale: float, trademark_df: pd.DataFrame) -> pd.DataFrame:
    """Population (annual and census-revised vintages), GDP, new enterprises, copyright VA."""
    cal = calibration()["region"]
    rng = stream(seed, "region_facts")
    yrs = np.arange(calibration()["first_year"], calibration()["last_year"] + 1)
    zones = sub_regions(HOME)
    share = np.array([cal["zone_population"][z] for z in zones])
    pop = series(cal["population"], yrs) * scale
    revision = np.where((yrs >= 2011) & (yrs <= 2020), series(cal["census_revision"], yrs), 1.0)
    gdp = series(cal["gdp"], yrs) * scale
    va = gdp * series(cal["copyright_va_share"], yrs)
    # new enterprises: new trademark registrations of the year ÷ the ratio of calibration.yaml
    tm = trademark_df[trademark_df["region_code"].fillna("").str.startswith(HOME)]
    reg_year = pd.to_datetime(tm["registration_date"]).dt.year
    new_marks = reg_year.value_counts().reindex(yrs, fill_value=0).to_numpy()
    ratio = series(calibration()["trademarks"]["new_enterprise_ratio"], yrs)
    new_ent = np.rint(new_marks / ratio)
    rows = []

    def add(code, fact, values, unit, vintage, years=yrs):
        for y, v in zip(years, values):
            rows.append({"region_code": code, "year": int(y), "fact": fact, "value": float(v), "unit": unit,
                         "source": SOURCE, "vintage": vintage})

    add(HOME, "population", np.rint(pop), "人", ANNUAL_VINTAGE)
    rev = (yrs >= 2011) & (yrs <= 2020)
    add(HOME, "population", np.rint(pop * revision)[rev], "人", CENSUS_VINTAGE, yrs[rev])
    add(HOME, "gdp", np.round(gdp, -6), "元", "年度统计")
    add(HOME, "new_enterprises", new_ent, "户", "年度统计")
    add(HOME, "copyright_industry_va", np.round(va, -6), "元", "年度统计")
    # zones: shares that drift a little year to year, summing to the district
    drift = rng.normal(0, 0.01, (len(yrs), len(zones)))
    zshare = np.clip(share[None, :] * (1 + np.cumsum(drift, axis=0)), 0.005, None)
    zshare /= zshare.sum(axis=1, keepdims=True)
    for zi, z in enumerate(zones):
        add(z, "population", np.rint(pop * zshare[:, zi]), "人", ANNUAL_VINTAGE)
        add(z, "population", np.rint(pop * revision * zshare[:, zi])[rev], "人", CENSUS_VINTAGE, yrs[rev])
        add(z, "gdp", np.round(gdp * zshare[:, zi], -6), "元", "年度统计")
        add(z, "new_enterprises", np.rint(new_ent * zshare[:, zi]), "户", "年度统计")
        add(z, "copyright_industry_va", np.round(va * zshare[:, zi], -6), "元", "年度统计")
    return pd.DataFrame(rows)


__all__ = ["programs", "region_facts", "program_rules"]
