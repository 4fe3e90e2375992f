"""Trademarks (with their status history) and copyright registrations of the demo region.

A mark is registered 9–18 months after application for 10 years; 60% are renewed (a
``registered`` event at renewal), the rest expire; a few are cancelled for non-use.
Madrid international registrations grow ≥20% in most years after 2019.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from ipobs.demo.config import calibration, end_date, names, scaled_counts, stream
from ipobs.demo.entities import ASSOCIATION, ENTERPRISE, INDIVIDUAL, EntityPool
from ipobs.demo.patents import NAT, Topics, _add_whole_years
from ipobs.demo.strings import cat, column, digits, pick, where


@dataclass
class MarkSim:
    """The marks as arrays (for pledges): reg_no, owner, registered, in force until, cancelled."""

    reg_no: pa.Array
    owner: np.ndarray
    registered: np.ndarray
    in_force_until: np.ndarray
    binhai: np.ndarray


def _eligible_owners(pool: EntityPool, binhai: bool) -> tuple[np.ndarray, np.ndarray]:
    idx = np.flatnonzero(((pool.cls == ENTERPRISE) | (pool.cls == INDIVIDUAL)) & (pool.binhai == binhai)
                         & (pool.country == "CN"))
    w = np.where(pool.cls[idx] == INDIVIDUAL, 0.15, 1.0) * pool.weight[idx] ** 0.6
    return idx, w / w.sum()


def trademarks(seed: int, scale: float, pool: EntityPool) -> tuple[dict[str, pd.DataFrame], MarkSim]:
    cal = calibration()["trademarks"]
    rng = stream(seed, "trademarks")
    end_d = end_date()
    yrs = np.arange(cal["first_year"], calibration()["last_year"] + 1)
    n_b = scaled_counts(cal["registrations"], yrs, scale)
    n_o = np.rint(n_b * cal["outside_share"] / (1 - cal["outside_share"])).astype(np.int64)
    reg_year = np.concatenate([np.repeat(yrs, n_b), np.repeat(yrs, n_o)])
    binhai = np.concatenate([np.ones(n_b.sum(), bool), np.zeros(n_o.sum(), bool)])
    n_reg = len(reg_year)
    # applications that never registered: rejected, or still pending at the end date
    n_rej = int(n_reg * cal["rejected_share"])
    last = int(yrs[-1])
    n_pend = int(n_b[-1] * 0.35) + int(n_o[-1] * 0.35)
    n = n_reg + n_rej + n_pend
    reg_date = np.full(n, NAT)
    reg_date[:n_reg] = (reg_year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + rng.integers(0, 365, n_reg).astype("timedelta64[D]")
    lag = rng.integers(270, 540, n).astype("timedelta64[D]")
    app_date = np.where(np.isnat(reg_date), NAT, reg_date - lag)
    rej_year = rng.choice(yrs[yrs >= 2003], n_rej)
    app_date[n_reg:n_reg + n_rej] = (rej_year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + rng.integers(0, 365, n_rej).astype("timedelta64[D]")
    app_date[n_reg + n_rej:] = end_d - rng.integers(1, 300, n_pend).astype("timedelta64[D]")
    binhai = np.concatenate([binhai, rng.random(n_rej + n_pend) < 1 - cal["outside_share"]])
    status_end = np.full(n, "registered", dtype=object)
    status_end[n_reg:n_reg + n_rej] = "rejected"
    status_end[n_reg + n_rej:] = "pending"

    # owners: founded before applying
    owner = np.zeros(n, dtype=np.int64)
    for flag in (True, False):
        rows = np.flatnonzero(binhai == flag)
        idx, p = _eligible_owners(pool, flag)
        owner[rows] = rng.choice(idx, len(rows), p=p)
    founded = pool.founded[owner]
    too_early = ~np.isnat(founded) & (founded > app_date)
    app_date = np.where(too_early, np.maximum(app_date, founded + np.timedelta64(30, "D")), app_date)
    reg_date = np.where(too_early & ~np.isnat(reg_date), app_date + lag, reg_date)
    reg_date = np.where(reg_date > end_d, NAT, reg_date)
    status_end[(status_end == "registered") & np.isnat(reg_date)] = "pending"

    # multi-class applications: a few applications cover several classes (same number)
    classes = np.array(list(cal["class_weights"]), dtype=np.int64)
    cw = np.array(list(cal["class_weights"].values()), dtype=float)
    nice = rng.choice(classes, n, p=cw / cw.sum())
    group = _application_groups(rng, n, cal["classes_per_application"])
    # copy the first row's owner and dates to its group, and keep classes distinct in a group
    head = group
    owner, app_date, reg_date, binhai, status_end = owner[head], app_date[head], reg_date[head], binhai[head], status_end[head]
    nice = _distinct_in_group(nice, group, classes)

    # renewals, expiries, cancellations
    registered = ~np.isnat(reg_date)
    expiry1 = _add_whole_years(reg_date, np.full(n, 10)) - np.timedelta64(1, "D")
    renew = registered & (rng.random(n) < cal["renew_share"])
    renew_date = np.where(renew, expiry1 - rng.integers(0, 180, n).astype("timedelta64[D]"), NAT)
    expiry = np.where(renew, _add_whole_years(expiry1, np.full(n, 10)), expiry1)
    renew2 = renew & (expiry1 + np.timedelta64(3650, "D") < end_d) & (rng.random(n) < 0.7)
    expired = registered & ~renew & (expiry1 < end_d)
    cancel = registered & (rng.random(n) < cal["cancel_share"])
    cancel_date = np.where(cancel, _add_whole_years(reg_date, rng.integers(3, 9, n)), NAT)
    cancel = cancel & (cancel_date < np.where(renew, expiry, expiry1)) & (cancel_date <= end_d)
    cancel_date = np.where(cancel, cancel_date, NAT)
    renew_date = np.where(cancel & (renew_date >= cancel_date), NAT, renew_date)
    expired &= ~cancel
    exp_date = np.where(expired, expiry1 + np.timedelta64(1, "D"), NAT)
    in_force_until = np.where(cancel, cancel_date, np.where(expired, exp_date, np.where(renew2, expiry + 3650, expiry)))
    in_force_until = np.where(registered, in_force_until, NAT)
    status = status_end.copy()
    status[registered & cancel] = "cancelled"
    status[registered & expired] = "expired"
    final_expiry = np.where(renew & ~np.isnat(renew_date), expiry, expiry1)

    # numbers rising with application date; madrid, well-known, GI marks
    reg_no = _reg_numbers(rng, app_date, group)
    madrid = _madrid(rng, pool, owner, reg_date, binhai, group)
    well = np.zeros(n, bool)
    big = np.flatnonzero(registered & binhai & pool.top[owner] & (group == np.arange(n)))
    if len(big):
        well[rng.choice(big, min(len(big), cal["well_known"]), replace=False)] = True
    gi = np.zeros(n, bool)
    assoc = np.flatnonzero(pool.cls == ASSOCIATION)
    mark = _mark_names(rng, n)
    single = (group == np.arange(n)) & (np.r_[group[1:], -1] != np.arange(n))  # one-class applications
    gi_rows = rng.choice(np.flatnonzero(registered & binhai & (reg_date < np.datetime64("2016-01-01")) & single),
                         min(len(assoc), len(cal["geo_indications"])), replace=False)
    gi[gi_rows] = True
    owner[gi_rows] = assoc[: len(gi_rows)]
    mark = _with_gi(mark, gi_rows, cal["geo_indications"])
    nice[gi_rows] = 31

    tm = pd.DataFrame({
        "reg_no": column(reg_no), "nice_class": nice, "mark_name": column(mark),
        "owner": column(pool.name.take(pa.array(owner))), "entity_id": column(pool.ids.take(pa.array(owner))),
        "owner_address": column(pool.address.take(pa.array(owner))), "region_code": pool.region[owner],
        "application_date": app_date, "registration_date": reg_date, "expiry_date": np.where(registered, final_expiry, NAT),
        "status": status, "madrid": madrid, "well_known": well, "geo_indication": gi, "synthetic": True,
    })
    ev_i, ev_d, ev_s = [], [], []
    for mask, d, s in ((np.ones(n, bool), app_date, "pending"), (registered, reg_date, "registered"),
                       (~np.isnat(renew_date), renew_date, "registered"), (cancel, cancel_date, "cancelled"),
                       (expired, exp_date, "expired"), (status == "rejected", app_date + lag, "rejected")):
        m = mask & ~np.isnat(d) & (d <= end_d)
        ev_i.append(np.flatnonzero(m))
        ev_d.append(d[m])
        ev_s.append(np.full(m.sum(), s, dtype=object))
    i = np.concatenate(ev_i)
    events = pd.DataFrame({"reg_no": column(reg_no.take(pa.array(i))), "nice_class": nice[i],
                           "event_date": np.concatenate(ev_d), "status_after": np.concatenate(ev_s)})
    # the steps are months or years apart by construction, so no mark has two statuses on one day
    sim = MarkSim(reg_no=reg_no, owner=owner, registered=reg_date,
                  in_force_until=in_force_until, binhai=pool.binhai[owner])
    return {"trademark": tm, "trademark_event": events}, sim


def _with_gi(mark: pa.Array, rows: np.ndarray, gi_names: list[str]) -> pa.Array:
    import pyarrow.compute as pc

    m = np.zeros(len(mark), bool)
    m[rows] = True
    return pc.replace_with_mask(mark, pa.array(m), pa.array(gi_names[: len(rows)], type=pa.string()))


def _application_groups(rng, n: int, sizes: list[int]) -> np.ndarray:
    """Row → index of the first row of its application (applications of 1–4 classes)."""
    size = np.array(sizes)[rng.integers(0, len(sizes), n)]
    starts = np.cumsum(size) - size
    starts = starts[starts < n]
    head = np.zeros(n, dtype=np.int64)
    head[starts] = starts
    return np.maximum.accumulate(head)


def _distinct_in_group(nice: np.ndarray, group: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Shift repeated classes within an application to the next class number."""
    pos = np.arange(len(nice)) - group
    base = nice[group]
    return ((base - 1 + pos) % 45) + 1


def _reg_numbers(rng, app_date: np.ndarray, group: np.ndarray) -> pa.Array:
    """Application/registration numbers rising with the application date (one per application)."""
    heads = np.flatnonzero(group == np.arange(len(group)))
    order = heads[np.lexsort((rng.random(len(heads)), app_date[heads]))]
    gap = max(1, int(65_000_000 / max(len(heads), 1)))
    number = np.zeros(len(group), dtype=np.int64)
    number[order] = 2_500_000 + np.cumsum(rng.integers(1, 2 * gap + 1, len(order)))
    return digits(number[group])


def _madrid(rng, pool, owner, reg_date, binhai, group) -> np.ndarray:
    cal = calibration()["trademarks"]
    madrid = np.zeros(len(owner), bool)
    yrs = reg_date.astype("datetime64[Y]").astype(np.int64) + 1970
    targets = cal["madrid"]
    from ipobs.demo.config import series

    scale_ratio = binhai.sum() / max(1, scaled_counts(cal["registrations"], np.arange(2000, 2025), 1).sum())
    for y in range(2000, calibration()["last_year"] + 1):
        want = int(round(float(series(targets, [y])[0]) * scale_ratio)) if y >= min(map(int, targets)) else 0
        cand = np.flatnonzero((yrs == y) & binhai & (pool.cls[owner] == ENTERPRISE) & (group == np.arange(len(group))))
        if want and len(cand):
            w = pool.weight[owner[cand]] ** 0.8
            madrid[rng.choice(cand, min(want, len(cand)), replace=False, p=w / w.sum())] = True
    return madrid


def _mark_names(rng, n: int) -> pa.Array:
    nm = names()
    syl = nm["brand_syllables"]
    latin = nm["brand_latin"]
    k = len(syl)
    a, b, c = rng.integers(0, k, n), rng.integers(0, k, n), rng.integers(0, k, n)
    two = cat(pick(syl, a), pick(syl, b))
    three = cat(two, pick(syl, c))
    lat = cat(pick(latin, rng.integers(0, len(latin), n)), where(rng.random(n) < 0.3, cat(" ", two), ""))
    form = rng.random(n)
    return where(form < 0.5, two, where(form < 0.8, three, lat))


# ------------------------------------------------------------------ copyrights
SOFTWARE_FORMS = ["{m}系统", "{m}平台", "基于{t}的{m}软件", "{m}管理系统", "{m}监测软件", "{d}控制软件"]
WORK_CATEGORIES = (["美术作品", "文字作品", "摄影作品", "视听作品", "图形作品", "音乐作品"], [0.45, 0.2, 0.15, 0.1, 0.06, 0.04])
WORK_FORMS = ["{b}系列插画", "{b}吉祥物形象", "{b}品牌标识", "滨海印象摄影作品集（{n}）", "{b}动画短片", "{b}主题海报", "{b}卡通形象设计"]


def copyrights(seed: int, scale: float, pool: EntityPool, tp: Topics) -> dict[str, pd.DataFrame]:
    cal = calibration()["copyrights"]
    rng = stream(seed, "copyrights")
    end_d = end_date()
    yrs = np.arange(calibration()["first_year"], calibration()["last_year"] + 1)
    frames = []
    for kind, key in (("software", "software"), ("works", "works")):
        n_y = scaled_counts(cal[key], yrs, scale / (1 - cal["outside_share"]))
        year = np.repeat(yrs, n_y)
        n = len(year)
        reg = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + rng.integers(0, 365, n).astype("timedelta64[D]")
        reg = np.minimum(reg, end_d)
        done = reg - rng.integers(20, 400, n).astype("timedelta64[D]")
        binhai = rng.random(n) > cal["outside_share"]
        owner = np.zeros(n, np.int64)
        for flag in (True, False):
            rows = np.flatnonzero(binhai == flag)
            person_share = 0.03 if kind == "software" else 0.4
            firms = np.flatnonzero((pool.cls == ENTERPRISE) & (pool.binhai == flag) & (pool.country == "CN"))
            people = np.flatnonzero((pool.cls == INDIVIDUAL) & (pool.binhai == flag))
            is_p = rng.random(len(rows)) < person_share
            fw = pool.weight[firms] ** 0.5
            owner[rows] = np.where(is_p, rng.choice(people, len(rows)), rng.choice(firms, len(rows), p=fw / fw.sum()))
        # serial numbers per registration year in date order
        order = np.lexsort((reg,))
        serial = np.zeros(n, np.int64)
        ry = reg.astype("datetime64[Y]").astype(np.int64) + 1970
        for y in np.unique(ry):
            rows = order[ry[order] == y]
            serial[rows] = np.sort(rng.choice(1_900_000, len(rows), replace=False)) + 10_000
        if kind == "software":
            topic = rng.integers(0, len(tp.data), n)
            m_words = pa.array([w for t in tp.data for w in t["methods"]])
            d_words = pa.array([w for t in tp.data for w in t["devices"]])
            t_words = pa.array([w for t in tp.data for w in t["tech"]])
            off_m = np.cumsum([0] + [len(t["methods"]) for t in tp.data])[:-1]
            off_d = np.cumsum([0] + [len(t["devices"]) for t in tp.data])[:-1]
            off_t = np.cumsum([0] + [len(t["tech"]) for t in tp.data])[:-1]
            m = m_words.take(pa.array(off_m[topic] + rng.integers(0, 6, n)))
            d = d_words.take(pa.array(off_d[topic] + rng.integers(0, 5, n)))
            t = t_words.take(pa.array(off_t[topic] + rng.integers(0, 6, n)))
            form = rng.integers(0, len(SOFTWARE_FORMS), n)
            title = _forms(SOFTWARE_FORMS, form, {"m": m, "d": d, "t": t})
            title = cat(title, "V", digits(rng.integers(1, 4, n)), ".0")
            reg_no = cat(digits(ry), "SR", digits(serial, 7))
            category = np.full(n, "计算机软件", dtype=object)
        else:
            cats, cw = WORK_CATEGORIES
            category = np.array(cats, dtype=object)[rng.choice(len(cats), n, p=cw)]
            letter = np.array(["F", "A", "G", "I", "J", "B"], dtype=object)[[cats.index(c) for c in category]] if n else np.zeros(0, object)
            b = _mark_names(rng, n)
            form = rng.integers(0, len(WORK_FORMS), n)
            title = _forms(WORK_FORMS, form, {"b": b, "n": digits(rng.integers(1, 20, n))})
            reg_no = cat("津作登字-", digits(ry), "-", pa.array(letter.astype(str)), "-", digits(serial, 8))
        frames.append(pd.DataFrame({
            "reg_no": column(reg_no), "kind": kind, "title": column(title), "category": category,
            "owner": column(pool.name.take(pa.array(owner))), "entity_id": column(pool.ids.take(pa.array(owner))),
            "region_code": pool.region[owner], "completion_date": done, "registration_date": reg, "synthetic": True,
        }))
    return {"copyright": pd.concat(frames, ignore_index=True)}


def _forms(forms: list[str], which: np.ndarray, slots: dict[str, pa.Array]) -> pa.Array:
    import re

    import pyarrow.compute as pc

    out = None
    for k, f in enumerate(forms):
        parts = [slots[t[1:-1]] if t.startswith("{") else t for t in re.split(r"(\{\w\})", f) if t]
        if not any(isinstance(p, (pa.Array, pa.ChunkedArray)) for p in parts):
            parts.append(pa.array([""] * len(which)))
        val = cat(*parts)
        out = val if out is None else pc.if_else(pa.array(which == k), val, out)
    return out
