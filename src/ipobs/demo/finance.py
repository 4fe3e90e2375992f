"""IP finance of the demo region: pledges (patents, marks, mixed), insurance, transactions.

Pledged patents are granted, never transferred, and in force from the pledge date until
the release (or the end date); each patent is pledged at most once, and its patent_event
history gets ``pledged`` / ``pledge_released`` rows. Pledge amounts and insurance sums
follow calibration.yaml (≥20% a year after 2019 with one weaker year). Assignments and
licences are the patents' own ``transferred`` / ``licensed`` events, with amounts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ipobs.demo.config import calibration, end_date, series, stream
from ipobs.demo.entities import ACADEMIC, BANK, ENTERPRISE, GUARANTOR, INSURER, EntityPool
from ipobs.demo.marks import MarkSim
from ipobs.demo.patents import NAT, PatentSim, _add_years
from ipobs.demo.strings import column

INSURANCE_PRODUCTS = {"专利执行保险": 0.35, "专利被侵权损失保险": 0.3, "侵犯专利权责任保险": 0.15,
                      "知识产权海外侵权责任保险": 0.08, "专利代理人职业责任保险": 0.05, "商标被侵权损失保险": 0.07}


def _yearly_totals(points: dict, yrs: np.ndarray, scale: float) -> np.ndarray:
    first = min(int(k) for k in points)
    return np.where(yrs < first, 0.0, series(points, yrs) * scale)


def _split_amounts(rng, total: float, mean: float) -> np.ndarray:
    """Contract amounts (lognormal, rounded to 10,000 yuan) adding up to the year's total."""
    k = max(1, int(round(total / mean)))
    raw = rng.lognormal(0, 0.8, k)
    amounts = np.round(raw / raw.sum() * total, -4)
    amounts[np.argmax(amounts)] += total - amounts.sum()  # the total holds exactly
    return np.maximum(amounts, 10_000)


def pledges(seed: int, scale: float, pool: EntityPool, sim: PatentSim, marks: MarkSim):
    """(pledges frames, patent pledge events as (patent index, pledged, released))."""
    cal = calibration()["finance"]
    rng = stream(seed, "pledges")
    end_d = end_date()
    yrs = np.arange(calibration()["first_year"], calibration()["last_year"] + 1)
    totals = _yearly_totals(cal["pledge_amount"], yrs, scale)
    banks = np.flatnonzero(pool.cls == BANK)
    guarantors = np.flatnonzero(pool.cls == GUARANTOR)
    used = np.zeros(len(sim), bool)
    used_mark = np.zeros(len(marks.owner), bool)
    never_moved = sim.new_owner < 0
    binhai_owner = pool.binhai[sim.applicant] & np.isin(pool.cls[sim.applicant], [ENTERPRISE, ACADEMIC])
    rows_p, rows_r, ev = [], [], []
    serial = 0
    for y, total in zip(yrs, totals):
        if total <= 0:
            continue
        y = int(y)
        amounts = _split_amounts(rng, float(total), cal["pledge_mean_yuan"])
        k = len(amounts)
        reg = np.datetime64(f"{y}-01-01") + rng.integers(0, 365, k).astype("timedelta64[D]")
        reg = np.minimum(reg, end_d)
        release = _add_years(reg, rng.uniform(1.0, 3.0, k))
        release = np.where(release > end_d, NAT, release)
        mixed_share = 0.05 if y < 2019 else 0.15
        kind = np.where(rng.random(k) < 0.15, "trademark", np.where(rng.random(k) < mixed_share, "mixed", "patent"))
        # patents in force over the whole pledge (from the year's start to three years on, conservatively)
        window_end = np.datetime64(f"{y + 3}-12-31")
        cand = np.flatnonzero(sim.valid_through(np.datetime64(f"{y}-01-01"), min(window_end, end_d)) & never_moved
                              & binhai_owner & ~used)
        pledgor = np.full(k, -1, np.int64)
        if len(cand):
            owners, counts = np.unique(sim.applicant[cand], return_counts=True)
            w = counts.astype(float) ** 0.8
            chosen = rng.choice(owners, k, p=w / w.sum())
            pledgor = chosen
        # trademark-only pledges: owners of marks in force
        tm_ok = (~np.isnat(marks.registered) & (marks.registered < np.datetime64(f"{y}-01-01"))
                 & (marks.in_force_until > min(window_end, end_d)) & marks.binhai & ~used_mark)
        tm_cand = np.flatnonzero(tm_ok)
        patents_of, marks_of = _assign_rights(rng, kind, pledgor, cand, sim, tm_cand, marks, used, used_mark)
        has_p = np.array([len(p) > 0 for p in patents_of])
        has_m = np.array([len(m) > 0 for m in marks_of])
        pledgor = np.where(has_p, pledgor, np.array([marks.owner[m[0]] if len(m) else -1 for m in marks_of]))
        ok = has_p | has_m
        kind = np.where(has_p & has_m, "mixed", np.where(has_p, "patent", "trademark"))
        pledgee = np.where(rng.random(k) < 0.12, rng.choice(guarantors, k), rng.choice(banks, k))
        for i in np.flatnonzero(ok):
            serial += 1
            pid = f"Y{y}120000{serial:05d}"
            rows_p.append((pid, int(pledgor[i]), int(pledgee[i]), kind[i], float(amounts[i]), reg[i], release[i]))
            for p in patents_of[i]:
                rows_r.append((pid, int(p), "patent"))
                ev.append((int(p), reg[i], release[i]))
            for m in marks_of[i]:
                rows_r.append((pid, int(m), "trademark"))
    pid, who, bank, kinds, amt, reg_d, rel_d = (np.array(c, dtype=object) for c in zip(*rows_p))
    who = who.astype(np.int64)
    bank = bank.astype(np.int64)
    pledge = pd.DataFrame({
        "pledge_id": pid, "pledgor": column(pool.name.take(pa.array(who))),
        "pledgor_entity_id": column(pool.ids.take(pa.array(who))),
        "pledgee": column(pool.name.take(pa.array(bank))), "pledgee_entity_id": column(pool.ids.take(pa.array(bank))),
        "right_kind": kinds, "amount_yuan": amt.astype(float),
        "registration_date": reg_d.astype("datetime64[D]"), "release_date": rel_d.astype("datetime64[D]"),
        "region_code": pool.region[who], "synthetic": True,
    })
    r_pid, r_idx, r_kind = (np.array(c, dtype=object) for c in zip(*rows_r))
    r_idx = r_idx.astype(np.int64)
    is_pat = r_kind == "patent"
    right_no = np.empty(len(r_idx), dtype=object)
    right_no[is_pat] = np.char.add("CN", sim.number12[r_idx[is_pat]].astype(str))
    right_no[~is_pat] = np.asarray(marks.reg_no.take(pa.array(r_idx[~is_pat])).to_pylist(), dtype=object)
    right = pd.DataFrame({"pledge_id": r_pid, "right_no": right_no, "right_kind": r_kind}).drop_duplicates(
        ["pledge_id", "right_no"])
    e_idx = np.array([e[0] for e in ev], dtype=np.int64)
    order = np.argsort(e_idx)
    events = (e_idx[order], np.array([e[1] for e in ev], dtype="datetime64[D]")[order],
              np.array([e[2] for e in ev], dtype="datetime64[D]")[order])
    return {"pledge": pledge, "pledge_right": right}, events


class _Groups:
    """``items`` grouped by ``owner_of[item]`` (order kept within a group), as a dict of lists
    whose lists are made on first ``get`` and then shared (callers consume them in place)."""

    def __init__(self, items: np.ndarray, owner_of: np.ndarray, py: bool = False):
        self.py = py
        owners = owner_of[items].astype(np.int64)
        srt = np.argsort(owners, kind="stable")
        self.items, owners = items[srt], owners[srt]
        self.bounds = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1], True]) if len(owners) else np.zeros(1, int)
        self.keys = owners[self.bounds[:-1]]
        self.made: dict[int, list] = {}

    @classmethod
    def empty(cls) -> _Groups:
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))

    def get(self, owner: int, default: list) -> list:
        if owner in self.made:
            return self.made[owner]
        j = int(np.searchsorted(self.keys, owner))
        if j >= len(self.keys) or self.keys[j] != owner:
            return default
        part = self.items[self.bounds[j]:self.bounds[j + 1]]
        lst = part.tolist() if self.py else list(part)
        self.made[owner] = lst
        return lst


def _assign_rights(rng, kind, pledgor, cand, sim, tm_cand, marks, used, used_mark):
    """Patents and marks of each pledge: 1–10 of the pledgor's own, each right used once."""
    k = len(kind)
    # candidates grouped by owner in the permuted order; a group becomes a list only when a
    # pledge asks for it (building every owner's list was most of this function's time)
    by_owner = _Groups(cand[rng.permutation(len(cand))], sim.applicant) if len(cand) else _Groups.empty()
    tm_perm = tm_cand[rng.permutation(len(tm_cand))]
    tm_by_owner = _Groups(tm_perm, marks.owner, py=True)
    # owners in order of first appearance in the permutation (as a dict filled in that order)
    tm_own = marks.owner[tm_perm].astype(np.int64)
    uniq, first = np.unique(tm_own, return_index=True)
    tm_owners = uniq[np.argsort(first)].tolist()
    patents_of, marks_of = [], []
    n_rights = np.clip(rng.geometric(0.35, k), 1, 10)
    for i in range(k):
        ps, ms = [], []
        if kind[i] in ("patent", "mixed") and pledgor[i] >= 0:
            lst = by_owner.get(int(pledgor[i]), [])
            take = min(len(lst), int(n_rights[i]))
            ps = lst[:take]
            del lst[:take]
            used[ps] = True
        if kind[i] in ("trademark", "mixed"):
            owner = int(pledgor[i]) if kind[i] == "mixed" else (tm_owners[rng.integers(0, len(tm_owners))] if tm_owners else -1)
            lst = tm_by_owner.get(owner, [])
            take = min(len(lst), int(rng.integers(1, 4)))
            ms = lst[:take]
            del lst[:take]
            used_mark[ms] = True
        patents_of.append(ps)
        marks_of.append(ms)
    return patents_of, marks_of


def insurance(seed: int, scale: float, pool: EntityPool) -> pd.DataFrame:
    cal = calibration()["finance"]
    rng = stream(seed, "insurance")
    end_d = end_date()
    yrs = np.arange(calibration()["first_year"], calibration()["last_year"] + 1)
    totals = _yearly_totals(cal["insurance_amount"], yrs, scale)
    firms = np.flatnonzero((pool.cls == ENTERPRISE) & pool.binhai)
    insurers = np.flatnonzero(pool.cls == INSURER)
    out = []
    serial = 0
    for y, total in zip(yrs, totals):
        if total <= 0:
            continue
        amounts = _split_amounts(rng, float(total), cal["insurance_mean_yuan"])
        k = len(amounts)
        start = np.datetime64(f"{int(y)}-01-01") + rng.integers(0, 365, k).astype("timedelta64[D]")
        start = np.minimum(start, end_d)
        insured = rng.choice(firms, k, p=pool.weight[firms] ** 0.5 / (pool.weight[firms] ** 0.5).sum())
        products = list(INSURANCE_PRODUCTS)
        pw = np.array(list(INSURANCE_PRODUCTS.values()))
        prod = np.array(products, dtype=object)[rng.choice(len(products), k, p=pw / pw.sum())]
        ids = [f"PI{int(y)}1201{serial + j + 1:06d}" for j in range(k)]
        serial += k
        out.append(pd.DataFrame({
            "policy_id": ids, "insured": column(pool.name.take(pa.array(insured))),
            "entity_id": column(pool.ids.take(pa.array(insured))),
            "insurer": column(pool.name.take(pa.array(rng.choice(insurers, k)))), "product": prod,
            "amount_yuan": amounts, "premium_yuan": np.round(amounts * rng.uniform(0.01, 0.03, k), 0),
            "start_date": start, "end_date": start + np.timedelta64(364, "D"), "region_code": pool.region[insured],
            "synthetic": True,
        }))
    return pd.concat(out, ignore_index=True)


def transactions(seed: int, scale: float, pool: EntityPool, sim: PatentSim) -> pd.DataFrame:
    """Assignments and licences (the patents' own events) with amounts, plus offered rights."""
    cal = calibration()["finance"]
    rng = stream(seed, "transactions")
    end_d = end_date()
    ids = np.char.add("CN", sim.number12.astype(str)).astype(object)
    parts = []
    for kind, when, to in (("assignment", sim.transfer, sim.new_owner), ("license", sim.licence, sim.licensee)):
        rows = np.flatnonzero(~np.isnat(when) & (when <= end_d))
        if not len(rows):
            continue
        frm = sim.applicant[rows]
        amount = np.round(rng.lognormal(np.log(150_000 if kind == "assignment" else 60_000), 1.0, len(rows)), -3)
        amount = np.where(rng.random(len(rows)) < 0.25, np.nan, amount)  # undisclosed
        parts.append(pd.DataFrame({
            "kind": kind, "right_kind": "patent", "right_no": ids[rows],
            "from_party": column(pool.name.take(pa.array(frm))), "to_party": column(pool.name.take(pa.array(to[rows]))),
            "amount_yuan": amount, "txn_date": when[rows], "region_code": pool.region[frm],
        }))
    # rights offered for transaction or licence (项目交易展示)
    yrs = np.arange(calibration()["first_year"], calibration()["last_year"] + 1)
    first = min(int(k) for k in cal["offers_per_year"])
    counts = np.where(yrs < first, 0, np.maximum(np.rint(series(cal["offers_per_year"], yrs) * scale), 1)).astype(np.int64)
    for y, k in zip(yrs, counts):
        if not k:
            continue
        d0, d1 = np.datetime64(f"{int(y)}-01-01"), np.datetime64(f"{int(y)}-12-31")
        ok = np.flatnonzero(sim.valid_through(d0, d1) & pool.binhai[sim.applicant] & (sim.new_owner < 0))
        if not len(ok):
            continue
        pick_ = rng.choice(ok, min(int(k), len(ok)), replace=False)
        parts.append(pd.DataFrame({
            "kind": "offer", "right_kind": "patent", "right_no": ids[pick_],
            "from_party": column(pool.name.take(pa.array(sim.applicant[pick_]))), "to_party": None,
            "amount_yuan": np.round(rng.lognormal(np.log(200_000), 0.9, len(pick_)), -3),
            "txn_date": d0 + rng.integers(0, 365, len(pick_)).astype("timedelta64[D]"),
            "region_code": pool.region[sim.applicant[pick_]],
        }))
    df = pd.concat(parts, ignore_index=True)
    df = df[df["txn_date"] <= pd.Timestamp(str(end_d))].sort_values(["txn_date", "right_no"], kind="stable")
    year = pd.to_datetime(df["txn_date"]).dt.year.to_numpy()
    seq = pd.Series(1, index=df.index).groupby(year).cumsum().to_numpy()
    df.insert(0, "txn_id", [f"T{y}{s:06d}" for y, s in zip(year.tolist(), seq.tolist())])
    df["synthetic"] = True
    return df.reset_index(drop=True)
