"""总览 Dashboard: every target of the plan grouped by goal area, as the monitor evaluates it."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter

from ipobs.entities import regions as reg
from ipobs.web import evaluation as ev
from ipobs.web import services
from ipobs.web.context import CtxDep
from ipobs.web.filters import check_region, default_as_of, parse_as_of, region_choices, region_name
from ipobs.web.pages import page

router = APIRouter(tags=["dashboard"])

LEVEL_RULES = ("at_least", "share_at_least", "milestone")


def bar_fill(status: dict) -> float | None:
    """How full to draw a target's progress bar (0–100): value ÷ target for "at least" rules.

    A drawing scale, not a statistic: the figures shown are the monitor's value, target and
    gap. Rules without a level to reach (growth, rising, at most) get no bar.
    """
    value, target = status.get("value"), status.get("target")
    if status.get("rule") not in LEVEL_RULES or value is None or not target or target <= 0:
        return None
    return round(max(0.0, min(1.0, value / target)) * 100, 1)


def _forecast_at_target(status: dict) -> dict | None:
    """The forecast row of the target's year (the monitor's numbers, picked, not computed)."""
    year = str(status.get("target_date") or "")[:4]
    for row in status.get("forecast") or []:
        if str(row.get("year")) == year:
            return row
    return None


def sparkline(status: dict) -> dict:
    """The chart spec of a target's sparkline: observed years, the forecast, the target level."""
    series = status.get("series") or []
    return {"type": "sparkline", "years": [r["year"] for r in series], "values": [r["value"] for r in series],
            "forecast": [{"year": r["year"], "mean": r["mean"]} for r in status.get("forecast") or []],
            "target": status.get("target") if status.get("rule") in ("at_least", "at_most", "share_at_least") else None}


def dashboard_data(web, as_of: dt.date, region: str) -> dict:
    """The dashboard's data (cached per store generation, date and region)."""
    plan = services.plan()
    statuses = ev.evaluation(web, as_of, region)
    by_area: dict[str, list] = {a.id: [] for a in plan.areas}
    other = []
    for s in statuses:
        card = {**s, "bar": bar_fill(s), "forecast_at_target": _forecast_at_target(s), "spark": sparkline(s)}
        (by_area[s["area"]] if s.get("area") in by_area else other).append(card)
    areas = [{"id": a.id, "zh": a.zh, "en": a.en, "targets": by_area[a.id]} for a in plan.areas]
    if other:
        areas.append({"id": "other", "zh": "其他目标", "en": "other targets", "targets": other})
    counts = {}
    for s in statuses:
        counts[s["status"]] = counts.get(s["status"], 0) + 1
    return {"plan": {"id": plan.id, "zh": plan.zh, "en": plan.en}, "areas": areas, "status_counts": counts,
            "targets_total": len(statuses)}


def status_labels() -> dict:
    """Status code → (zh, en) labels, as the monitor defines them."""
    try:
        return {k: list(v) for k, v in services.service("ipobs.monitor.settings", "STATUS_LABELS").items()}
    except services.ServiceMissing:
        return {}


@page(router, "/", "dashboard.html", summary="Every plan target by goal area: value, target, status, forecast",
      cache_anonymous=True)
def dashboard(ctx: CtxDep, as_of: str | None = None, region: str | None = None) -> dict:
    """The plan's targets as of a date (default: the latest data) for Binhai or one of its zones."""
    as_of_d = parse_as_of(as_of, default_as_of(ctx.web))
    region = check_region(region)
    key = ("dashboard", ctx.web.generation(), as_of_d.isoformat(), region)
    data = ctx.web.memo.get(key, lambda: dashboard_data(ctx.web, as_of_d, region))
    return {**data, "as_of": as_of_d, "region": region_name(region), "regions": region_choices(),
            "status_labels": status_labels()}


def warm(web) -> None:
    """Fill the cache for the default dashboard (called at start-up)."""
    as_of = default_as_of(web)
    key = ("dashboard", web.generation(), as_of.isoformat(), reg.HOME)
    web.memo.get(key, lambda: dashboard_data(web, as_of, reg.HOME))
