"""Dated entity designations (high-tech, SME, 专精特新, IP demonstration / advantage / pilot,
GB/T 29490, hosting…) whose year-end counts follow calibration.yaml.

Each designation lasts a fixed number of years and is usually renewed (the renewal row
starts the day the previous one ends); new holders are added each year until the year-end
count is reached. Counts scale with the region (at least one holder once a series starts).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ipobs.demo.config import calibration, end_date, series, stream
from ipobs.demo.entities import ACADEMIC, ENTERPRISE, EntityPool
from ipobs.demo.strings import column

# flag -> (years valid, share renewed, who can hold it, designation month-day, granting body)
RULES = {
    "high_tech": (3, 0.85, "firm", "11-30", "天津市科学技术局、天津市财政局、国家税务总局天津市税务局"),
    "sme_tech": (1, 0.9, "small", "06-30", "天津市科学技术局"),
    "specialized": (3, 0.9, "mid", "08-15", "天津市工业和信息化局"),
    "ip_demo_national": (3, 0.95, "top", "11-15", "国家知识产权局"),
    "ip_adv_national": (3, 0.9, "top", "11-15", "国家知识产权局"),
    "ip_demo_municipal": (3, 0.9, "large", "10-20", "天津市知识产权局"),
    "ip_adv_municipal": (3, 0.88, "large", "10-20", "天津市知识产权局"),
    "ip_pilot_district": (2, 0.85, "mid", "09-10", "天津市滨海新区知识产权局"),
    "gbt29490": (3, 0.85, "certified", "07-01", "中知（北京）认证有限公司等认证机构"),
    "ip_hosting": (1, 0.85, "small", "04-26", "天津市滨海新区知识产权局"),
    "trademark_demo": (3, 0.9, "top", "12-01", "天津市市场监督管理委员会"),
    "copyright_demo": (3, 0.9, "top", "12-01", "天津市版权局"),
    "ip_intensive_university": (3, 1.0, "academic", "12-10", "天津市知识产权局"),
}


# a demonstration enterprise is not also counted as an advantage enterprise of the same level
EXCLUSIVE = {"ip_adv_national": "ip_demo_national", "ip_adv_municipal": "ip_demo_municipal"}


def _candidates(pool: EntityPool, who: str) -> tuple[np.ndarray, np.ndarray]:
    firms = np.flatnonzero((pool.cls == ENTERPRISE) & pool.binhai)
    rank = pool.rank[firms]
    w = pool.weight[firms]
    if who == "academic":
        idx = np.flatnonzero(pool.cls == ACADEMIC)
        return idx, pool.weight[idx]
    if who == "top":
        keep = rank < max(40, int(len(firms) * 0.01))
        return firms[keep], w[keep]
    if who == "large":
        keep = rank < max(200, int(len(firms) * 0.1))
        return firms[keep], w[keep] ** 0.5
    if who == "mid":
        keep = (rank >= 5) & (rank < max(400, int(len(firms) * 0.6)))
        return firms[keep], np.ones(keep.sum())
    if who == "small":
        keep = rank >= min(200, len(firms) // 10)
        return firms[keep], np.ones(keep.sum())
    if who == "certified":
        acad = np.flatnonzero(pool.cls == ACADEMIC)
        idx = np.concatenate([firms[rank < max(300, int(len(firms) * 0.3))], acad])
        return idx, np.ones(len(idx))
    return firms, w ** 0.7  # firm


def target_counts(points: dict, yrs: np.ndarray, scale: float, academic: bool = False) -> np.ndarray:
    """Year-end counts: zero before the series starts, at least one after (unless the series is 0)."""
    first = min(int(k) for k in points)
    raw = series(points, yrs) * (1.0 if academic else scale)
    out = np.where(yrs < first, 0, np.maximum(np.rint(raw), 1)).astype(np.int64)
    return np.where(series(points, yrs) <= 0, 0, out)


def entity_flags(seed: int, scale: float, pool: EntityPool) -> pd.DataFrame:
    cal = calibration()["flags"]
    end_d = end_date()
    yrs = np.arange(calibration()["first_year"] - 2, calibration()["last_year"] + 1)
    out = []
    ever: dict[str, np.ndarray] = {}
    for flag, (years_valid, renew, who, md, body) in RULES.items():
        rng = stream(seed, "flags", flag)
        cand, w = _candidates(pool, who)
        if flag in EXCLUSIVE and EXCLUSIVE[flag] in ever:
            keep = ~np.isin(cand, ever[EXCLUSIVE[flag]])
            cand, w = cand[keep], w[keep]
        if not len(cand):
            continue
        target = target_counts(cal[flag], yrs, scale, academic=(who == "academic"))
        holder = np.zeros(0, np.int64)
        until = np.zeros(0, "datetime64[D]")
        rows_e, rows_from, rows_to = [], [], []
        for y, want in zip(yrs, target):
            year_end = np.datetime64(f"{y}-12-31")
            # renew (or let go) the spells that end this year
            due = until <= year_end
            keep = ~due | (rng.random(len(until)) < renew)
            renewed = due & keep
            if renewed.any():
                start = until[renewed]
                stop = _plus_years(start, years_valid)
                rows_e.append(holder[renewed])
                rows_from.append(start)
                rows_to.append(stop)
                until = until.copy()
                until[renewed] = stop
            holder, until = holder[keep], until[keep]
            # add holders up to the year-end count
            need = int(want) - len(holder)
            if need > 0:
                is_free = ~np.isin(cand, holder)
                free, free_w = cand[is_free], w[is_free]
                founded = pool.founded[free]
                ok = np.isnat(founded) | (founded <= year_end)
                free, free_w = free[ok], free_w[ok]
                need = min(need, len(free))
                if need:
                    new = rng.choice(free, need, replace=False, p=free_w / free_w.sum())
                    day = np.datetime64(f"{y}-{md}") + rng.integers(-20, 20, need).astype("timedelta64[D]")
                    day = np.minimum(day, year_end)
                    stop = _plus_years(day, years_valid)
                    rows_e.append(new)
                    rows_from.append(day)
                    rows_to.append(stop)
                    holder = np.concatenate([holder, new])
                    until = np.concatenate([until, stop])
        if not rows_e:
            continue
        e = np.concatenate(rows_e)
        ever[flag] = np.unique(e)
        f = np.concatenate(rows_from)
        t = np.concatenate(rows_to)
        keep = f <= end_d
        out.append(pd.DataFrame({
            "entity_id": column(pool.ids.take(_pa(e[keep]))), "flag": flag, "valid_from": f[keep],
            "valid_to": t[keep], "source": body,
        }))
    return pd.concat(out, ignore_index=True)


def _pa(a):
    import pyarrow as pa

    return pa.array(np.asarray(a, dtype=np.int64))


def _plus_years(d: np.ndarray, k: int) -> np.ndarray:
    from ipobs.demo.patents import _add_whole_years

    return _add_whole_years(d, np.full(len(d), k))
