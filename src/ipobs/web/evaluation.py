"""Cached calls of the services behind the dashboard and indicator pages.

Every entry is keyed on the store generation (the last committed batch), so a new import makes
the next request recompute; the language is not part of the key because the services return
both Chinese and English labels.
"""

from __future__ import annotations

import datetime as dt

from ipobs.jsonable import jsonable
from ipobs.web import services


def evaluation(web, as_of: dt.date, region: str, industry: str | None = None) -> list[dict]:
    """The monitor's evaluation of every plan target (as JSON-ready dicts), cached."""
    key = ("evaluate", web.generation(), as_of.isoformat(), region, industry)

    def compute():
        evaluate = services.service("ipobs.monitor", "evaluate")
        statuses = evaluate(web.pool.reader(), services.plan(), as_of, region=region, industry=industry)
        return [jsonable(s) for s in statuses]

    return web.memo.get(key, compute)


def indicator_value(web, indicator_id: str, as_of: dt.date, region: str, industry: str | None = None) -> dict:
    key = ("compute", web.generation(), indicator_id, as_of.isoformat(), region, industry)

    def compute():
        fn = services.service("ipobs.indicators", "compute")
        return jsonable(fn(web.pool.reader(), indicator_id, as_of, region=region, industry=industry))

    return web.memo.get(key, compute)


def indicator_values(web, requests: list[tuple]) -> dict[tuple, dict]:
    """Many ``(indicator, as_of, region, industry)`` values at once, cached as one entry.

    Uses ``ipobs.monitor.batch.values_many`` (one pass over the data for many dates, regions and
    industries, equal to ``compute`` value for value) when installed, else ``compute`` per value.
    """
    key = ("values", web.generation(), tuple(requests))

    def compute():
        store = web.pool.reader()
        try:
            many = services.service("ipobs.monitor.batch", "values_many")
        except services.ServiceMissing:
            one = services.service("ipobs.indicators", "compute")
            found = {r: one(store, *r) for r in requests}
        else:
            found = many(store, requests)
        return {r: jsonable(found[r]) for r in requests}

    return web.memo.get(key, compute)


def complete_years(first_year: int, as_of: dt.date) -> list[int]:
    """Years whose 31 December is on or before ``as_of``."""
    last = as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1
    return list(range(first_year, last + 1))


def forecast(web, indicator_id: str, years: list[int], values: list, horizon: int, upper: float | None) -> dict:
    """The monitor's forecast of a yearly series (``{"forecast": [...], "model": ...}`` or a reason)."""
    key = ("forecast", web.generation(), indicator_id, tuple(years), tuple(values), horizon, upper)

    def compute():
        fn = services.service("ipobs.monitor", "forecast_series")
        error = services.service("ipobs.monitor.forecast", "ForecastError")
        try:
            f = fn(years, values, horizon, upper=upper)
        except error as e:
            return {"forecast": [], "model": None, "model_zh": None, "reason": str(e)}
        rows = [{"year": int(str(p)[:4]), "mean": f.mean[i], "lo80": f.lo80[i], "hi80": f.hi80[i],
                 "lo95": f.lo95[i], "hi95": f.hi95[i]} for i, p in enumerate(f.periods)]
        return {"forecast": jsonable(rows), "model": f.model_en, "model_zh": f.model_zh, "reason": None}

    return web.memo.get(key, compute)
