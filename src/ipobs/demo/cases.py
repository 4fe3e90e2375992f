"""Enforcement and fast-track cases (with parties and dated steps) and the dishonest list.

Every kind of ENUMS['case_kind'] is generated with the department that handles it in the
plan. The statutory deadline is the received date plus the kind's time limit (LIMITS; the
protection rules own the real rules data); most cases close in time, some after an
extension or a suspension, a few late. Some respondents infringe again within two years
(repeat infringers) and some right holders sue many respondents over one right (serial).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ipobs.demo.config import calibration, end_date, series, stream
from ipobs.demo.entities import AGENCY, ENTERPRISE, INDIVIDUAL, EntityPool
from ipobs.demo.marks import MarkSim
from ipobs.demo.patents import NAT, PatentSim
from ipobs.demo.strings import column

CENTRE = "中国（滨海新区）知识产权保护中心"

# kind -> (time limit in days from receipt, extension days, departments with weights, case-number pattern)
LIMITS = {
    "admin_patent_dispute": (90, 30, {"区知识产权局": 1.0}, "津滨知纠字〔{y}〕{n}号"),
    "admin_trademark": (90, 30, {"区市场监管局": 1.0}, "津滨市监罚〔{y}〕{n}号"),
    "admin_counterfeit_patent": (90, 30, {"区市场监管局": 0.6, "区知识产权局": 0.4}, "津滨市监专罚〔{y}〕{n}号"),
    "admin_copyright": (90, 30, {"区新闻出版局": 1.0}, "津滨版罚〔{y}〕{n}号"),
    "civil": (180, 180, {"区法院": 1.0}, "（{y}）津0116民初{n}号"),
    "criminal": (90, 60, {"区公安局": 0.4, "区检察院": 0.3, "区法院": 0.3}, "（{y}）津0116刑初{n}号"),
    "mediation": (60, 30, {CENTRE: 0.6, "区司法局": 0.4}, "津滨知调〔{y}〕{n}号"),
    "preexam": (15, 0, {CENTRE: 1.0}, "YS{y}{n}"),
    "fast_confirm": (30, 15, {CENTRE: 1.0}, "QQ{y}{n}"),
    "fast_enforce": (30, 15, {CENTRE: 1.0}, "WQ{y}{n}"),
}
RIGHTS = {
    "admin_patent_dispute": {"patent": 1.0},
    "admin_trademark": {"trademark": 1.0},
    "admin_counterfeit_patent": {"patent": 1.0},
    "admin_copyright": {"copyright": 1.0},
    "civil": {"patent": 0.4, "trademark": 0.3, "copyright": 0.2, "trade_secret": 0.05, "other": 0.05},
    "criminal": {"trademark": 0.7, "copyright": 0.15, "trade_secret": 0.15},
    "mediation": {"patent": 0.5, "trademark": 0.3, "copyright": 0.2},
    "preexam": {"patent": 1.0},
    "fast_confirm": {"patent": 1.0},
    "fast_enforce": {"patent": 0.6, "trademark": 0.4},
}
OUTCOMES = {
    "admin_patent_dispute": {"infringement_found": 0.55, "no_infringement": 0.1, "settled": 0.25, "withdrawn": 0.1},
    "admin_trademark": {"penalty": 0.8, "transferred": 0.05, "other": 0.15},
    "admin_counterfeit_patent": {"penalty": 0.85, "other": 0.15},
    "admin_copyright": {"penalty": 0.75, "other": 0.25},
    "civil": {"infringement_found": 0.35, "settled": 0.4, "withdrawn": 0.15, "no_infringement": 0.1},
    "criminal": {"convicted": 0.7, "transferred": 0.2, "other": 0.1},
    "mediation": {"settled": 0.75, "withdrawn": 0.15, "other": 0.1},
    "preexam": {"granted_fast": 0.85, "other": 0.15},
    "fast_confirm": {"granted_fast": 0.9, "other": 0.1},
    "fast_enforce": {"settled": 0.5, "infringement_found": 0.35, "withdrawn": 0.15},
}
# with respondents (infringement) vs. one applicant only (pre-examination, confirmation)
NO_RESPONDENT = {"preexam", "fast_confirm"}
NOTES = ["当事人申请延期举证", "涉案商品已先行登记保存", "已与公安机关会商", "权利人提供公证购买证据", "涉及电商平台店铺",
         "被请求人系再次侵权", "需技术调查官出具意见", "已委托司法鉴定"]


def _choice(rng, weights: dict, n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), n, p=p / p.sum())]


def cases(seed: int, scale: float, pool: EntityPool, sim: PatentSim, marks: MarkSim,
          copyright_df: pd.DataFrame) -> tuple[dict[str, pd.DataFrame], np.ndarray]:
    """The cases kind, and the respondents found infringing twice within two years."""
    cal = calibration()["cases"]
    end_d = end_date()
    yrs = np.arange(calibration()["first_year"], calibration()["last_year"] + 1)
    firms_b = np.flatnonzero((pool.cls == ENTERPRISE) & pool.binhai)
    firms_all = np.flatnonzero((pool.cls == ENTERPRISE) & (pool.country == "CN"))
    people = np.flatnonzero((pool.cls == INDIVIDUAL) & pool.binhai)
    cr_owner = copyright_df["entity_id"].to_numpy()
    cr_no = copyright_df["reg_no"].to_numpy()
    cr_date = copyright_df["registration_date"].to_numpy().astype("datetime64[D]")
    cr_owner_idx = _index_of(pool, cr_owner)
    pat_ids, _ = _patent_ids(sim)
    cases_l, parties_l, events_l = [], [], []
    history_resp = np.zeros(0, np.int64)
    history_date = np.zeros(0, "datetime64[D]")
    repeat = []
    valid_cache: dict[int, np.ndarray] = {}
    for kind, (limit, ext, depts, pattern) in LIMITS.items():
        rng = stream(seed, "cases", kind)
        first = min(int(k) for k in cal[kind])
        counts = np.where(yrs < first, 0, np.maximum(np.rint(series(cal[kind], yrs) * scale), 1)).astype(np.int64)
        for y, n in zip(yrs, counts):
            if n == 0:
                continue
            y = int(y)
            received = np.datetime64(f"{y}-01-01") + rng.integers(0, 365, n).astype("timedelta64[D]")
            right = _choice(rng, RIGHTS[kind], n)
            right_no = np.full(n, None, dtype=object)
            holder = rng.choice(firms_b, n)
            # the right concerned, and its holder as complainant
            m = right == "patent"
            if m.any():
                if kind == "preexam":
                    idx = _preexam_patents(rng, sim, pool, y, m.sum())
                    received[m] = sim.filing[idx] - rng.integers(8, 40, len(idx)).astype("timedelta64[D]")
                    holder[m] = sim.applicant[idx]
                else:
                    idx = _valid_patents(rng, sim, y, m.sum(), valid_cache)
                    holder[m] = sim.owner()[idx]
                right_no[m] = pat_ids[idx]
            m = right == "trademark"
            if m.any():
                ok = np.flatnonzero(~np.isnat(marks.registered) & (marks.registered < np.datetime64(f"{y}-01-01"))
                                    & (marks.in_force_until > np.datetime64(f"{y}-12-31")))
                pick_m = rng.choice(ok, m.sum())
                right_no[m] = np.asarray(marks.reg_no.take(pa.array(pick_m)).to_pylist(), dtype=object)
                holder[m] = marks.owner[pick_m]
            m = right == "copyright"
            if m.any() and len(cr_no):
                ok = np.flatnonzero(cr_date < np.datetime64(f"{y}-01-01"))
                ok = ok if len(ok) else np.arange(len(cr_no))
                pick_c = rng.choice(ok, m.sum())
                right_no[m] = cr_no[pick_c]
                holder[m] = cr_owner_idx[pick_c]
            # serial cases: one right holder against many respondents over the same right
            serial = (rng.random(n) < cal["serial_share"]) & (kind not in NO_RESPONDENT)
            lead = np.flatnonzero(serial)
            if len(lead):
                src = rng.choice(lead, n)
                follow = (rng.random(n) < 0.5) & ~serial
                right_no = np.where(follow, right_no[src], right_no)
                holder = np.where(follow, holder[src], holder)
                received = np.where(follow, received[src] + rng.integers(0, 30, n).astype("timedelta64[D]"), received)
            # respondents: firms mostly, some natural persons; repeat infringers from recent cases
            is_person = rng.random(n) < 0.18
            resp = np.where(is_person, rng.choice(people, n), rng.choice(firms_all, n))
            recent = history_resp[(history_date > np.datetime64(f"{y - 2}-01-01"))]
            rep = (rng.random(n) < cal["repeat_infringer_share"]) & (len(recent) > 0) & (kind not in NO_RESPONDENT)
            if len(recent):
                resp = np.where(rep, rng.choice(recent, n), resp)
            repeat.append(resp[rep])
            resp = np.where(resp == holder, rng.choice(firms_all, n), resp)
            is_person = pool.cls[resp] == INDIVIDUAL
            if kind not in NO_RESPONDENT:
                history_resp = np.concatenate([history_resp, resp])
                history_date = np.concatenate([history_date, received])
            # dates and closure
            accepted = received + rng.integers(1, 8, n).astype("timedelta64[D]")
            deadline = received + np.timedelta64(limit, "D")
            u = rng.random(n)
            on_time = u < cal["on_time"]
            extended = (u >= cal["on_time"]) & (u < cal["on_time"] + cal["extended"]) & (ext > 0)
            suspended = (u >= cal["on_time"] + cal["extended"]) & (u < cal["on_time"] + cal["extended"] + cal["suspended"])
            late = ~(on_time | extended | suspended)
            span = np.where(on_time, rng.uniform(0.15, 0.97, n) * limit, 0)
            span = np.where(extended, limit + rng.uniform(0.1, 0.95, n) * max(ext, 1), span)
            susp_days = rng.integers(10, max(11, limit // 2), n)  # resumed well before closing
            span = np.where(suspended, limit + rng.uniform(0.1, 0.9, n) * susp_days, span)
            span = np.where(late, limit + rng.integers(5, 60, n) + np.where(extended, ext, 0), span)
            closed = received + np.maximum(np.rint(span), 2).astype("timedelta64[D]")
            closed = np.maximum(closed, accepted)
            open_ = closed > end_d
            closed = np.where(open_, NAT, closed)
            outcome = np.where(open_, None, _choice(rng, OUTCOMES[kind], n))
            dept = _choice(rng, depts, n)
            serial_no = np.arange(1, n + 1)
            case_id = _case_ids(pattern, y, serial_no, kind, dept)
            amount = _amounts(rng, kind, n)
            note = np.where(rng.random(n) < 0.3, np.array(NOTES, dtype=object)[rng.integers(0, len(NOTES), n)], None)
            note = np.where(rep & (note == None), "被请求人系再次侵权", note)  # noqa: E711 - object array compare
            region = pool.region[holder] if kind in NO_RESPONDENT else pool.region[resp]
            cases_l.append({
                "case_id": case_id, "kind": np.full(n, kind, dtype=object), "ip_right": right, "department": dept,
                "right_no": right_no, "received_date": received, "accepted_date": accepted, "deadline_date": deadline,
                "closed_date": closed, "outcome": outcome, "amount_yuan": amount, "internal_note": note,
                "region_code": region,
            })
            parties_l.append({"case_id": case_id, "side": np.full(n, "complainant", dtype=object), "seq": np.ones(n, np.int64),
                              "who": holder})
            if kind not in NO_RESPONDENT:
                parties_l.append({"case_id": case_id, "side": np.full(n, "respondent", dtype=object),
                                  "seq": np.ones(n, np.int64), "who": resp})
                # a second respondent now and then (a seller beside the maker)
                two = np.flatnonzero(rng.random(n) < 0.12)
                parties_l.append({"case_id": case_id[two], "side": np.full(len(two), "respondent", dtype=object),
                                  "seq": np.full(len(two), 2, np.int64), "who": rng.choice(firms_all, len(two))})
            events_l.append(_case_events(rng, case_id, received, accepted, closed, extended, suspended, ext, susp_days,
                                         limit, end_d))
    repeat_idx = np.unique(np.concatenate(repeat)) if repeat else np.zeros(0, np.int64)
    case = pd.DataFrame({k: np.concatenate([c[k] for c in cases_l]) for k in cases_l[0]})
    case["synthetic"] = True
    who = np.concatenate([p["who"] for p in parties_l]).astype(np.int64)
    party = pd.DataFrame({
        "case_id": np.concatenate([p["case_id"] for p in parties_l]),
        "side": np.concatenate([p["side"] for p in parties_l]),
        "seq": np.concatenate([p["seq"] for p in parties_l]),
        "name": column(pool.name.take(pa.array(who))),
        "entity_id": column(pool.ids.take(pa.array(who))),
        "is_person": pool.cls[who] == INDIVIDUAL,
    })
    event = pd.DataFrame({k: np.concatenate([e[k] for e in events_l]) for k in events_l[0]})
    frames = {"ip_case": case, "case_party": party, "case_event": event}
    return frames, repeat_idx


def _case_ids(pattern: str, y: int, serial: np.ndarray, kind: str, dept: np.ndarray) -> np.ndarray:
    width = 6 if kind == "preexam" else 5 if kind.startswith("fast") else 3 if kind != "civil" else 4
    base = pattern.replace("{y}", str(y))
    ids = np.array([base.replace("{n}", f"{s:0{width}d}") for s in serial.tolist()], dtype=object)
    if kind == "criminal":
        # the police and procuratorate number their files differently from the court
        police = dept == "区公安局"
        prosecutor = dept == "区检察院"
        ids = np.where(police, np.char.replace(ids.astype(str), "津0116刑初", "津滨公（知）立字").astype(object), ids)
        ids = np.where(prosecutor, np.char.replace(ids.astype(str), "津0116刑初", "津滨检知诉").astype(object), ids)
    return ids


def _amounts(rng, kind: str, n: int) -> np.ndarray:
    scale = {"civil": 300_000, "criminal": 500_000, "admin_trademark": 40_000, "admin_counterfeit_patent": 30_000,
             "admin_copyright": 30_000, "admin_patent_dispute": 100_000, "mediation": 150_000,
             "fast_enforce": 80_000}.get(kind)
    if scale is None:
        return np.full(n, np.nan)
    return np.round(rng.lognormal(np.log(scale), 0.9, n), -2)


def _case_events(rng, case_id, received, accepted, closed, extended, suspended, ext, susp_days, limit, end_d) -> dict:
    """Dated steps (arrays): received, accepted, extended / suspended and resumed, closed."""
    n = len(case_id)
    ext_day = received + np.timedelta64(int(limit * 0.8), "D")
    s_day = received + np.timedelta64(max(int(limit * 0.3), 3), "D")
    steps = [
        (np.ones(n, bool), received, "received", None, None),
        (np.ones(n, bool), accepted, "accepted", None, None),
        (extended, ext_day, "extended", np.full(n, ext), "案情复杂，经批准延长"),
        (suspended, s_day, "suspended", susp_days, "等待无效宣告审查结论"),
        (suspended, s_day + susp_days.astype("timedelta64[D]"), "resumed", susp_days, None),
        (np.ones(n, bool), closed, "closed", None, None),
    ]
    out = {k: [] for k in ("case_id", "event_date", "status", "days", "note")}
    for mask, d, status, days, note in steps:
        m = mask & ~np.isnat(d) & (d <= end_d)
        k = int(m.sum())
        out["case_id"].append(case_id[m])
        out["event_date"].append(d[m])
        out["status"].append(np.full(k, status, dtype=object))
        out["days"].append(days[m].astype(float) if days is not None else np.full(k, np.nan))
        out["note"].append(np.full(k, note, dtype=object))
    return {k: np.concatenate(v) for k, v in out.items()}


def _patent_ids(sim: PatentSim) -> tuple[np.ndarray, None]:
    ids = np.char.add("CN", sim.number12.astype(str)).astype(object)
    return ids, None


def _index_of(pool: EntityPool, entity_ids: np.ndarray) -> np.ndarray:
    """Entity indices of ids written E0000001…"""
    return np.array([int(e[1:]) - 1 for e in entity_ids.tolist()], dtype=np.int64)


def _valid_patents(rng, sim: PatentSim, y: int, k: int, cache: dict) -> np.ndarray:
    """k patents in force all through year y (candidates computed once per year)."""
    if y not in cache:
        ok = np.flatnonzero(sim.valid_through(np.datetime64(f"{y}-01-01"), np.datetime64(f"{y}-12-31")))
        cache[y] = ok if len(ok) else np.flatnonzero(sim.granted)
    return rng.choice(cache[y], k)


def _preexam_patents(rng, sim: PatentSim, pool: EntityPool, y: int, k: int) -> np.ndarray:
    """Fast-tracked applications of the year first, then other Binhai firms' applications."""
    fast = np.flatnonzero(sim.fast & (sim.year == y))
    others = np.flatnonzero((sim.year == y) & ~sim.fast & pool.binhai[sim.applicant] & (pool.cls[sim.applicant] == ENTERPRISE))
    take_fast = fast[: min(len(fast), k)]
    rest = k - len(take_fast)
    if rest > 0 and not len(others):
        others = np.flatnonzero(sim.year == y)
    extra = rng.choice(others, rest, replace=rest > len(others)) if rest > 0 else np.zeros(0, np.int64)
    return np.concatenate([take_fast, extra]).astype(np.int64)


# ------------------------------------------------------------------ credit
REASONS = {"abnormal_patent_application": 0.35, "malicious_trademark": 0.15, "illegal_agency": 0.08,
           "false_materials": 0.1, "broken_commitment": 0.07, "refused_execution": 0.08,
           "repeat_infringement": 0.15, "other": 0.02}


def credit(seed: int, scale: float, pool: EntityPool, repeat_infringers: np.ndarray) -> pd.DataFrame:
    cal = calibration()["credit"]
    rng = stream(seed, "credit")
    end_d = end_date()
    yrs = np.arange(calibration()["first_year"], calibration()["last_year"] + 1)
    first = min(int(k) for k in cal["per_year"])
    counts = np.where(yrs < first, 0, np.maximum(np.rint(series(cal["per_year"], yrs) * scale), 1)).astype(np.int64)
    year = np.repeat(yrs, counts)
    n = len(year)
    reason = _choice(rng, REASONS, n)
    firms = np.flatnonzero((pool.cls == ENTERPRISE) & pool.binhai)
    people = np.flatnonzero((pool.cls == INDIVIDUAL) & pool.binhai)
    agencies = np.flatnonzero(pool.cls == AGENCY)
    who = np.where(rng.random(n) < 0.2, rng.choice(people, n), rng.choice(firms, n))
    who = np.where(reason == "illegal_agency", rng.choice(agencies, n), who)
    if len(repeat_infringers):
        who = np.where(reason == "repeat_infringement", rng.choice(repeat_infringers, n), who)
    decided = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + rng.integers(0, 365, n).astype("timedelta64[D]")
    decided = np.minimum(decided, end_d)
    start = decided + rng.integers(0, 10, n).astype("timedelta64[D]")
    end = start + (rng.integers(1, 4, n) * 365).astype("timedelta64[D]")
    serial = np.zeros(n, np.int64)
    for y in np.unique(year):
        rows = np.flatnonzero(year == y)
        serial[rows] = np.arange(1, len(rows) + 1)
    dept = np.where(np.isin(reason, ["malicious_trademark", "refused_execution"]), "区市场监管局", "区知识产权局")
    return pd.DataFrame({
        "entry_id": [f"XY-{y}-{s:04d}" for y, s in zip(year.tolist(), serial.tolist())],
        "name": column(pool.name.take(pa.array(who))),
        "uscc": column(pool.uscc.take(pa.array(who))),
        "entity_id": column(pool.ids.take(pa.array(who))),
        "reason": reason,
        "decision_no": [f"津滨知信〔{y}〕{s}号" for y, s in zip(year.tolist(), serial.tolist())],
        "decision_date": decided, "start_date": start, "end_date": end,
        "source_department": dept,
        "joint_punishment": rng.random(n) < 0.35,
        "public": rng.random(n) < 0.9,
        "synthetic": True,
    })
