"""Patent histories of the demo region, simulated for all applications at once as numbers.

:func:`simulate` draws every application's applicant, kind, dates, examination outcome,
annuity lapses, transfers, PCT filing and citations as numpy arrays (cheap even at
scale 10). :mod:`ipobs.demo.patent_rows` then turns one chunk of applications at a time into
canonical rows, so strings are built per chunk and memory stays flat.

Legal rules followed: inventions are published ~18 months after filing and granted after
substantive examination (1.5–4 years); utility models and designs are granted 3–12 months
after filing; an annuity not paid by a filing anniversary ends the right on that
anniversary; terms are 20 years (invention), 10 (utility model), 10 or 15 (design, 15 when
filed on or after 2021-06-01). The region of attribution follows CNIPA: the owner's address
for grants announced up to 2020-12-31, the applicant's for later grants and for
applications not granted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ipobs.demo.config import calibration, end_date, scaled_counts, series, stream, vocab, years
from ipobs.demo.entities import (
    ACADEMIC, ENTERPRISE, INDIVIDUAL, INDUSTRY_IDS, INDUSTRY_WEIGHTS, OTHER_INDUSTRY, EntityPool,
)

INVENTION, UTILITY, DESIGN = 0, 1, 2
KINDS = ("invention", "utility", "design")
KIND_DIGIT = np.array([1, 2, 3])
TERM_YEARS = np.array([20, 10, 10])
DESIGN_15_FROM = np.datetime64("2021-06-01")
OWNER_BASIS_UNTIL = np.datetime64("2020-12-31")
NAT = np.datetime64("NaT", "D")

# outcome codes
PENDING, GRANTED, REJECTED, WITHDRAWN = 0, 1, 2, 3
# end-of-right codes
NONE, LAPSED, EXPIRED, INVALIDATED, SURRENDERED = 0, 1, 2, 3, 4
END_EVENTS = ("", "lapsed", "expired", "invalidated", "surrendered")
CLASS_KEYS = {ENTERPRISE: "enterprise", INDIVIDUAL: "individual", ACADEMIC: "academic"}


@dataclass
class Topics:
    """All topics of all industries, flattened: topic t belongs to industry ``industry[t]``."""

    industry: np.ndarray
    ids: list[str]
    data: list[dict]
    ipc: list[list[str]]
    locarno: dict[int, list[str]]  # industry index -> Locarno classes for designs


def topics() -> Topics:
    v = vocab()
    ind, ids, data, ipc = [], [], [], []
    for i, name in enumerate(INDUSTRY_IDS):
        for t in v["industries"][name]:
            ind.append(i)
            ids.append(t["id"])
            data.append(t)
            ipc.append(t["ipc"])
    from ipobs.records.industries import industries

    loc = {i: [] for i in range(len(INDUSTRY_IDS))}
    owned = set()
    for i, name in enumerate(INDUSTRY_IDS[:-1]):
        for cls in industries()[name].locarno:
            if cls in v["locarno_products"]:
                loc[i].append(cls)
                owned.add(cls)
    loc[OTHER_INDUSTRY] = [c for c in v["locarno_products"] if c not in owned]
    return Topics(np.array(ind), ids, data, ipc, loc)


@dataclass
class PatentSim:
    """One array per attribute, one row per application (sorted by filing date)."""

    year: np.ndarray
    filing: np.ndarray
    kind: np.ndarray
    applicant: np.ndarray
    co_applicant: np.ndarray
    industry: np.ndarray
    topic: np.ndarray
    number12: np.ndarray
    outcome: np.ndarray
    decision: np.ndarray      # date of grant / rejection / withdrawal (NaT while pending)
    pub: np.ndarray
    fast: np.ndarray
    end_code: np.ndarray
    end: np.ndarray
    restored: np.ndarray
    end2_code: np.ndarray
    end2: np.ndarray
    transfer: np.ndarray
    new_owner: np.ndarray
    licence: np.ndarray
    licensee: np.ndarray
    pct: np.ndarray
    pct_date: np.ndarray
    pct_serial: np.ndarray
    pub_serial: np.ndarray
    cited_by: np.ndarray
    cite_from: np.ndarray
    cite_to: np.ndarray
    cite_examiner: np.ndarray

    def __len__(self) -> int:
        return len(self.year)

    @property
    def granted(self) -> np.ndarray:
        return self.outcome == GRANTED

    @property
    def grant(self) -> np.ndarray:
        return np.where(self.granted, self.decision, NAT)

    def owner(self) -> np.ndarray:
        """Current owner (after any transfer up to the end date); applicant when ungranted."""
        return np.where(self.new_owner >= 0, self.new_owner, self.applicant)

    def attributed_binhai(self, pool: EntityPool) -> np.ndarray:
        by_owner = self.granted & (self.decision <= OWNER_BASIS_UNTIL)
        who = np.where(by_owner, self.owner(), self.applicant)
        return pool.binhai[who]

    def valid_at(self, d: np.datetime64) -> np.ndarray:
        """Granted and in force at ``d`` (status history: grant, ends, restoration)."""
        g = self.granted & (self.decision <= d)
        ended = (self.end_code > 0) & (self.end <= d)
        back = ~np.isnat(self.restored) & (self.restored <= d)
        ended2 = (self.end2_code > 0) & (self.end2 <= d)
        return g & (~ended | (back & ~ended2))

    def valid_through(self, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """In force on every day of [start, stop] (conservatively: before any end of right)."""
        first_end = np.where(self.end_code > 0, self.end, np.datetime64("2100-01-01"))
        return self.granted & (self.decision <= start) & (first_end > stop)


# ------------------------------------------------------------------ simulation
def _years_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (b - a).astype("timedelta64[D]").astype(float) / 365.25


def _add_years(d: np.ndarray, yrs) -> np.ndarray:
    return d + np.rint(np.asarray(yrs) * 365.25).astype("timedelta64[D]")


def _add_whole_years(d: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Same day k years later (anniversaries; 29 Feb falls back to 28 Feb)."""
    y = d.astype("datetime64[Y]")
    offset = (d - y.astype("datetime64[D]"))
    target_y = y + np.asarray(k).astype("timedelta64[Y]")
    out = target_y.astype("datetime64[D]") + offset
    # a 29 Feb anniversary in a non-leap year rolls to 1 Mar; keep it in the same year
    return np.minimum(out, (target_y + 1).astype("datetime64[D]") - 1)


def _draw_applicants(rng, pool: EntityPool, binhai: bool, n: int, year: int) -> np.ndarray:
    cal = calibration()["patents"]
    mix = cal["applicant_mix"]
    classes = [ENTERPRISE, INDIVIDUAL, ACADEMIC]
    p = np.array([mix[CLASS_KEYS[c]] for c in classes], dtype=float)
    counts = rng.multinomial(n, p / p.sum())
    eligible_date = np.datetime64(f"{year}-12-31")
    out = []
    for c, k in zip(classes, counts):
        if not k:
            continue
        if c == ENTERPRISE and not binhai:
            # domestic and (a few) foreign firms
            idx = pool.of(c, False)
        else:
            idx = pool.of(c, binhai)
        if not len(idx):
            idx = pool.of(c)
        founded = pool.founded[idx]
        ok = np.isnat(founded) | (founded <= eligible_date)
        w = pool.weight[idx] * ok
        if w.sum() <= 0:
            w = pool.weight[idx]
        out.append(rng.choice(idx, k, p=w / w.sum()))
    res = np.concatenate(out) if out else np.zeros(0, np.int64)
    return res[rng.permutation(len(res))]


def _kinds(rng, pool: EntityPool, applicant: np.ndarray, year: int) -> np.ndarray:
    cal = calibration()["patents"]
    s_inv = float(series(cal["invention_share"], [year])[0])
    s_des = float(series(cal["design_share"], [year])[0])
    cls = pool.cls[applicant]
    lean_inv = np.array([cal["invention_lean"].get(CLASS_KEYS.get(c, "enterprise"), 1.0) for c in range(8)])
    lean_des = np.array([cal["design_lean"].get(CLASS_KEYS.get(c, "enterprise"), 1.0) for c in range(8)])
    li, ld = lean_inv[cls], lean_des[cls]
    # renormalize so the year's mix holds on average
    p_inv = s_inv * li / li.mean()
    p_des = s_des * ld / ld.mean()
    p_inv = np.clip(p_inv, 0, 0.95)
    p_des = np.clip(p_des, 0, 0.95 - p_inv)
    u = rng.random(len(applicant))
    return np.where(u < p_inv, INVENTION, np.where(u < p_inv + p_des, DESIGN, UTILITY)).astype(np.int8)


def _industries(rng, pool: EntityPool, applicant: np.ndarray) -> np.ndarray:
    own = pool.industry[applicant]
    w = INDUSTRY_WEIGHTS / INDUSTRY_WEIGHTS.sum()
    random = rng.choice(len(w), len(applicant), p=w)
    keep = (own >= 0) & (rng.random(len(applicant)) < 0.82)
    return np.where(keep, own, random).astype(np.int8)


def _topic_of(rng, tp: Topics, industry: np.ndarray) -> np.ndarray:
    out = np.zeros(len(industry), dtype=np.int16)
    for i in range(len(INDUSTRY_IDS)):
        rows = np.flatnonzero(industry == i)
        cand = np.flatnonzero(tp.industry == i)
        out[rows] = rng.choice(cand, len(rows))
    return out


def _outcomes(rng, pool, applicant, kind, filing, fast):
    cal = calibration()["patents"]
    oc = cal["outcome"]
    n = len(kind)
    cls = pool.cls[applicant]
    lean = np.array([cal["grant_lean"].get(CLASS_KEYS.get(c, "enterprise"), 1.0) for c in range(8)])[cls]
    outcome = np.full(n, WITHDRAWN, dtype=np.int8)
    lag = np.zeros(n)
    u = rng.random(n)
    # inventions
    inv = kind == INVENTION
    g = np.clip(oc["invention"]["grant"] * lean, 0, 0.95)
    g = np.where(fast, 0.88, g)
    r = oc["invention"]["reject"]
    lo, hi = oc["invention"]["grant_lag_years"]
    outcome[inv & (u < g)] = GRANTED
    outcome[inv & (u >= g) & (u < g + r)] = REJECTED
    lag_inv = np.where(outcome == GRANTED, lo + (hi - lo) * rng.beta(1.8, 2.6, n),
                       np.where(outcome == REJECTED, rng.uniform(2.0, 4.5, n), rng.uniform(0.6, 3.5, n)))
    lag_inv = np.where(fast & (outcome == GRANTED), rng.uniform(0.2, 0.55, n), lag_inv)
    lag = np.where(inv, lag_inv, lag)
    for k, key in ((UTILITY, "utility"), (DESIGN, "design")):
        m = kind == k
        g = np.clip(oc[key]["grant"] * lean, 0, 0.97)
        r = oc[key]["reject"]
        outcome[m & (u < g)] = GRANTED
        outcome[m & (u >= g) & (u < g + r)] = REJECTED
        lo, hi = oc[key]["grant_lag_months"]
        months = np.where(outcome == GRANTED, lo + (hi - lo) * rng.beta(2.0, 2.4, n),
                          np.where(outcome == REJECTED, rng.uniform(6, 14, n), rng.uniform(2, 12, n)))
        lag = np.where(m, months / 12.0, lag)
    decision = _add_years(filing, lag)
    return outcome, decision


def _publication(rng, kind, filing, outcome, decision):
    oc = calibration()["patents"]["outcome"]["invention"]
    n = len(kind)
    early = rng.random(n) < oc["early_publication"]
    months = np.where(early, rng.uniform(4, 11, n), 18 + rng.uniform(0, 0.8, n))
    pub = _add_years(filing, months / 12.0)
    granted = outcome == GRANTED
    inv = kind == INVENTION
    # a fast grant is published first; an application dropped before publication never is
    pub = np.where(inv & granted & (decision <= pub), decision - np.timedelta64(20, "D"), pub)
    dropped = inv & ~granted & (decision <= pub)
    pub = np.where(inv & ~dropped, pub, NAT)
    pub = np.where(~inv & granted, decision, pub)
    return pub


def _ends(rng, pool, applicant, kind, filing, outcome, decision):
    """First end of right (lapse / expiry / invalidation / surrender), restoration, second end."""
    cal = calibration()["patents"]
    n = len(kind)
    granted = outcome == GRANTED
    term = TERM_YEARS[kind].copy()
    term[(kind == DESIGN) & (filing >= DESIGN_15_FROM)] = 15
    grant_age = _years_between(filing, decision)
    a_min = np.floor(grant_age).astype(np.int64) + 1
    cls = pool.cls[applicant]
    lean_tab = cal["lapse_lean"]
    m = np.array([lean_tab.get(CLASS_KEYS.get(c, "enterprise"), 1.0) for c in range(8)])[cls]
    m = np.where(pool.top[applicant], m * lean_tab["top"], m)
    m = m * series(cal["lapse_cohort"], filing.astype("datetime64[Y]").astype(np.int64) + 1970)
    lapse_age = np.full(n, 10**6, dtype=np.int64)
    at_risk = granted.copy()
    for a in range(1, 21):
        hz = np.zeros(n)
        for k, key in enumerate(KINDS):
            h = cal["lapse_hazard"][key]
            hz[kind == k] = h[min(a - 1, len(h) - 1)]
        hit = at_risk & (a >= a_min) & (a < term) & (rng.random(n) < np.clip(hz * m, 0, 0.95))
        lapse_age[hit] = a
        at_risk &= ~hit
    lapse = np.where(lapse_age < 10**6, _add_whole_years(filing, np.minimum(lapse_age, 200)), NAT)
    expiry = _add_whole_years(filing, term)
    inval_p = np.where(kind == DESIGN, 2.0, 1.0) * cal["invalidated_share"]
    inval = np.where(granted & (rng.random(n) < inval_p), _add_years(decision, rng.uniform(0.4, 6, n)), NAT)
    surr = np.where(granted & (rng.random(n) < cal["surrendered_share"]), _add_years(decision, rng.uniform(1, 8, n)), NAT)
    cands = np.stack([lapse, expiry, inval, surr])
    codes = np.array([LAPSED, EXPIRED, INVALIDATED, SURRENDERED])
    big = np.datetime64("2200-01-01")
    filled = np.where(np.isnat(cands), big, cands)
    first = filled.argmin(axis=0)
    end = filled[first, np.arange(n)]
    end_code = np.where(granted, codes[first], NONE).astype(np.int8)
    end = np.where(granted, end, NAT)
    # restoration of some lapses, then either in force to the term or a second lapse
    restored = np.where((end_code == LAPSED) & (rng.random(n) < cal["restored_share"]),
                        end + rng.integers(60, 180, n).astype("timedelta64[D]"), NAT)
    has_r = ~np.isnat(restored)
    relapse_age = lapse_age + rng.integers(1, 5, n)
    relapse = rng.random(n) < 0.5
    end2 = np.where(has_r & relapse & (relapse_age < term), _add_whole_years(filing, np.minimum(relapse_age, 200)),
                    np.where(has_r, expiry, NAT))
    end2_code = np.where(has_r, np.where(relapse & (relapse_age < term), LAPSED, EXPIRED), NONE).astype(np.int8)
    return end_code, end, restored, end2_code, end2


def simulate(seed: int, scale: float, pool: EntityPool) -> PatentSim:
    """Every application of the region 2010–2024 at a scale."""
    cal = calibration()["patents"]
    tp = topics()
    yrs = years()
    n_b = scaled_counts(cal["binhai_applications"], yrs, scale)
    n_o = np.rint(n_b * cal["outside_share"] / (1 - cal["outside_share"])).astype(np.int64)
    parts = {k: [] for k in ("year", "filing", "kind", "applicant", "co", "industry", "topic", "fast")}
    for y, nb, no in zip(yrs, n_b, n_o):
        rng = stream(seed, "patents", int(y))
        app = np.concatenate([_draw_applicants(rng, pool, True, nb, y), _draw_applicants(rng, pool, False, no, y)])
        n = len(app)
        days = 366 if y % 4 == 0 else 365
        filing = np.datetime64(f"{y}-01-01") + rng.integers(0, days, n).astype("timedelta64[D]")
        kind = _kinds(rng, pool, app, y)
        industry = _industries(rng, pool, app)
        # co-applicant: universities with firms, firms with firms
        co = np.full(n, -1, dtype=np.int64)
        has_co = rng.random(n) < cal["co_applicant_share"]
        firms = pool.of(ENTERPRISE, True)
        acad = pool.of(ACADEMIC)
        partner_acad = rng.random(n) < 0.4
        co_firm = rng.choice(firms, n, p=pool.weight[firms] / pool.weight[firms].sum())
        co_acad = rng.choice(acad, n, p=pool.weight[acad] / pool.weight[acad].sum())
        co = np.where(has_co, np.where(partner_acad & (pool.cls[app] != ACADEMIC), co_acad, co_firm), -1)
        co = np.where(co == app, -1, co)
        fast_p = float(series(cal["fast_track_share"], [y])[0])
        fast = (kind == INVENTION) & pool.binhai[app] & (pool.cls[app] == ENTERPRISE) & (rng.random(n) < fast_p)
        for k, v in (("year", np.full(n, y, dtype=np.int16)), ("filing", filing), ("kind", kind), ("applicant", app),
                     ("co", co), ("industry", industry), ("topic", _topic_of(rng, tp, industry)), ("fast", fast)):
            parts[k].append(v)
    a = {k: np.concatenate(v) for k, v in parts.items()}
    order = np.lexsort((a["applicant"], a["filing"]))
    a = {k: v[order] for k, v in a.items()}
    n = len(order)
    rng = stream(seed, "patents", "history")
    number12 = _application_numbers(rng, a["year"], a["kind"])
    outcome, decision = _outcomes(rng, pool, a["applicant"], a["kind"], a["filing"], a["fast"])
    end_d = end_date()
    pub = _publication(rng, a["kind"], a["filing"], outcome, decision)
    end_code, end, restored, end2_code, end2 = _ends(rng, pool, a["applicant"], a["kind"], a["filing"], outcome, decision)
    sim = PatentSim(
        year=a["year"], filing=a["filing"], kind=a["kind"], applicant=a["applicant"], co_applicant=a["co"],
        industry=a["industry"], topic=a["topic"], number12=number12, outcome=outcome, decision=decision, pub=pub,
        fast=a["fast"], end_code=end_code, end=end, restored=restored, end2_code=end2_code, end2=end2,
        transfer=np.full(n, NAT), new_owner=np.full(n, -1), licence=np.full(n, NAT), licensee=np.full(n, -1),
        pct=np.zeros(n, bool), pct_date=np.full(n, NAT), pct_serial=np.zeros(n, np.int64),
        pub_serial=np.zeros(n, np.int64), cited_by=np.zeros(n, np.int64), cite_from=np.zeros(0, np.int64),
        cite_to=np.zeros(0, np.int64), cite_examiner=np.zeros(0, bool),
    )
    _transfers(rng, sim, pool)
    _pct(rng, sim, pool)
    _publication_numbers(sim)
    _citations(rng, sim, pool)
    _censor(sim, end_d)
    return sim


def _application_numbers(rng, year, kind) -> np.ndarray:
    """12-digit numbers (year, kind digit, 7-digit serial rising with filing date)."""
    out = np.zeros(len(year), dtype=np.int64)
    for y in np.unique(year):
        for k in range(3):
            rows = np.flatnonzero((year == y) & (kind == k))  # already in filing-date order
            if not len(rows):
                continue
            serial = np.sort(rng.choice(9_999_999, len(rows), replace=False) + 1)
            out[rows] = int(y) * 10**8 + int(KIND_DIGIT[k]) * 10**7 + serial
    return out


def _transfers(rng, sim: PatentSim, pool: EntityPool) -> None:
    cal = calibration()["patents"]
    n = len(sim)
    cls = pool.cls[sim.applicant]
    p = np.array([cal["transfer_share"].get(CLASS_KEYS.get(c, "enterprise"), 0.05) for c in range(8)])[cls]
    first_end = np.where(sim.end_code > 0, sim.end, np.datetime64("2200-01-01"))
    when = _add_years(sim.decision, rng.uniform(0.2, 6.0, n))
    do = sim.granted & (rng.random(n) < p) & (when < first_end)
    firms_b = pool.of(ENTERPRISE, True)
    firms_o = np.flatnonzero((pool.cls == ENTERPRISE) & ~pool.binhai & (pool.country == "CN"))
    to_b = rng.choice(firms_b, n, p=pool.weight[firms_b] / pool.weight[firms_b].sum())
    to_o = rng.choice(firms_o, n, p=pool.weight[firms_o] / pool.weight[firms_o].sum())
    target = np.where(rng.random(n) < cal["transfer_outside"], to_o, to_b)
    do &= target != sim.applicant
    sim.transfer = np.where(do, when, NAT)
    sim.new_owner = np.where(do, target, -1)
    lic_when = _add_years(sim.decision, rng.uniform(0.3, 5.0, n))
    lic = sim.granted & (rng.random(n) < cal["licence_share"]) & (lic_when < first_end)
    sim.licence = np.where(lic, lic_when, NAT)
    sim.licensee = np.where(lic, to_b, -1)


def _pct(rng, sim: PatentSim, pool: EntityPool) -> None:
    cal = calibration()["patents"]
    n = len(sim)
    share = series(cal["pct_share"], sim.year)
    lean = np.where(pool.top[sim.applicant], cal["pct_top_lean"], 0.6)
    pct = (sim.kind == INVENTION) & (rng.random(n) < share * lean) & (pool.cls[sim.applicant] != INDIVIDUAL)
    when = sim.filing + rng.integers(200, 366, n).astype("timedelta64[D]")
    pct &= when <= end_date()
    sim.pct = pct
    sim.pct_date = np.where(pct, when, NAT)
    serial = np.zeros(n, dtype=np.int64)
    pyear = sim.pct_date.astype("datetime64[Y]").astype(np.int64) + 1970
    for y in np.unique(pyear[pct]):
        rows = np.flatnonzero(pct & (pyear == y))
        serial[rows] = np.sort(rng.choice(900_000, len(rows), replace=False) + 70_000)
    sim.pct_serial = serial


def _publication_numbers(sim: PatentSim) -> None:
    """Sequential publication numbers per kind in order of publication date."""
    serial = np.zeros(len(sim), dtype=np.int64)
    base = {INVENTION: 101_000_000, UTILITY: 201_000_000, DESIGN: 301_000_000}
    for k in range(3):
        rows = np.flatnonzero((sim.kind == k) & ~np.isnat(sim.pub))
        order = rows[np.argsort(sim.pub[rows], kind="stable")]
        serial[order] = base[k] + np.arange(len(order)) * 7 + 3
    sim.pub_serial = serial


def _citations(rng, sim: PatentSim, pool: EntityPool) -> None:
    """Examiner and applicant citations to earlier published demo patents (same industry mostly)."""
    cal = calibration()["patents"]["citations_mean"]
    n = len(sim)
    mean = np.select([sim.kind == INVENTION, sim.kind == UTILITY], [cal["invention"], cal["utility"]], cal["design"])
    mean = mean * np.where(pool.top[sim.applicant], 1.3, 1.0)
    k = rng.poisson(mean)
    citing = np.repeat(np.arange(n), k)
    same_ind = rng.random(len(citing)) < 0.85
    published = np.flatnonzero(~np.isnat(sim.pub))
    cited = np.full(len(citing), -1, dtype=np.int64)
    rank = pool.rank[sim.applicant]
    for grp in range(len(INDUSTRY_IDS) + 1):
        if grp < len(INDUSTRY_IDS):
            cand = published[sim.industry[published] == grp]
            rows = np.flatnonzero(same_ind & (sim.industry[citing] == grp))
        else:
            cand = published
            rows = np.flatnonzero(~same_ind)
        if not len(cand) or not len(rows):
            continue
        cand = cand[np.argsort(sim.pub[cand], kind="stable")]
        limit = np.searchsorted(sim.pub[cand], sim.filing[citing[rows]], side="left")
        ok = limit > 0
        j1 = np.floor(rng.random(len(rows)) * limit).astype(np.int64)
        j2 = np.floor(rng.random(len(rows)) * limit).astype(np.int64)
        c1, c2 = cand[np.minimum(j1, len(cand) - 1)], cand[np.minimum(j2, len(cand) - 1)]
        prefer_big = rng.random(len(rows)) < 0.6
        pick2 = prefer_big & (rank[c2] < rank[c1])
        chosen = np.where(pick2, c2, c1)
        cited[rows[ok]] = chosen[ok]
    keep = cited >= 0
    pairs = np.unique(np.stack([citing[keep], cited[keep]], axis=1), axis=0) if keep.any() else np.zeros((0, 2), np.int64)
    sim.cite_from = pairs[:, 0]
    sim.cite_to = pairs[:, 1]
    sim.cite_examiner = rng.random(len(pairs)) < 0.7
    sim.cited_by = np.bincount(sim.cite_to, minlength=n)


def _censor(sim: PatentSim, end_d: np.datetime64) -> None:
    """Forget everything after the end date (pending applications stay pending)."""
    late = sim.decision > end_d
    sim.outcome = np.where(late, PENDING, sim.outcome).astype(np.int8)
    sim.decision = np.where(late, NAT, sim.decision)
    sim.pub = np.where(sim.pub > end_d, NAT, sim.pub)
    for attr, code in (("end", "end_code"), ("end2", "end2_code")):
        d = getattr(sim, attr)
        bad = np.isnat(d) | (d > end_d) | (sim.outcome != GRANTED)
        setattr(sim, code, np.where(bad, NONE, getattr(sim, code)).astype(np.int8))
        setattr(sim, attr, np.where(bad, NAT, d))
    r_bad = np.isnat(sim.restored) | (sim.restored > end_d) | (sim.end_code != LAPSED)
    sim.restored = np.where(r_bad, NAT, sim.restored)
    no_restore = np.isnat(sim.restored)
    sim.end2_code = np.where(no_restore, NONE, sim.end2_code).astype(np.int8)
    sim.end2 = np.where(no_restore, NAT, sim.end2)
    t_bad = np.isnat(sim.transfer) | (sim.transfer > end_d) | (sim.outcome != GRANTED)
    sim.transfer = np.where(t_bad, NAT, sim.transfer)
    sim.new_owner = np.where(t_bad, -1, sim.new_owner)
    l_bad = np.isnat(sim.licence) | (sim.licence > end_d) | (sim.outcome != GRANTED)
    sim.licence = np.where(l_bad, NAT, sim.licence)
    sim.licensee = np.where(l_bad, -1, sim.licensee)
    # publication numbers only for what was published by the end date
    sim.pub_serial = np.where(np.isnat(sim.pub), 0, sim.pub_serial)


def baseline(sim: PatentSim, pool: EntityPool, year: int = 2018) -> dict[str, int]:
    """The calibration figures of a year computed from the simulation itself (Binhai-attributed):
    valid patents and inventions at year end, applications filed and grants in the year.

    :func:`ipobs.demo.build.calibration_check` measures the same from the store; the tests
    check the two agree, so the simulation can be calibrated without building a store.
    """
    home = sim.attributed_binhai(pool)
    valid = sim.valid_at(np.datetime64(f"{year}-12-31")) & home
    grant_year = sim.decision.astype("datetime64[Y]").astype(np.int64) + 1970
    return {
        "valid_patents": int(valid.sum()),
        "valid_inventions": int((valid & (sim.kind == INVENTION)).sum()),
        "applications": int(((sim.year == year) & home).sum()),
        "grants": int((sim.granted & (grant_year == year) & home).sum()),
    }
