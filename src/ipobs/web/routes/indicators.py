"""Indicator pages: the value, its yearly series with the forecast fan and target line, the value
by zone and by industry, its definition and source, and the records behind it (paged, Excel)."""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from ipobs.entities import regions as reg
from ipobs.jsonable import jsonable
from ipobs.web import evaluation as ev
from ipobs.web import i18n, services
from ipobs.web.context import CtxDep
from ipobs.web.errors import WebError, not_found
from ipobs.web.filters import (check_industry, check_region, default_as_of, industry_choices, parse_as_of,
                               region_choices, region_name)
from ipobs.web.pages import page, paging
from ipobs.web.policy import redact_frame

router = APIRouter(tags=["indicators"])
log = logging.getLogger("ipobs.web")

PER_PAGE = 50
EXPORT_MAX_ROWS = 200_000  # an Excel sheet holds 1,048,576 rows; beyond this, use the JSON pages
HORIZON_DEFAULT = 3


def _indicator(indicator_id: str):
    try:
        return services.indicator_registry()[indicator_id]
    except KeyError:
        raise not_found(f"indicator {indicator_id}") from None


def _filters(ctx, as_of, region, industry, ind=None):
    as_of_d = parse_as_of(as_of, default_as_of(ctx.web))
    region = check_region(region)
    industry = check_industry(industry)
    if industry and ind is not None and "industry" not in ind.dims:
        raise WebError(400, i18n.gettext("This indicator has no industry breakdown."), [f"indicator {ind.id}"])
    return as_of_d, region, industry


def _targets_of(ctx, indicator_id: str, as_of: dt.date, region: str, industry: str | None) -> tuple[list, str | None]:
    """The plan targets measured by this indicator, as the monitor evaluates them."""
    try:
        statuses = ev.evaluation(ctx.web, as_of, region, industry)
    except services.ServiceMissing as e:
        return [], str(e)
    except Exception as e:  # noqa: BLE001 - the indicator is shown without its targets, and the page says why
        log.exception("target evaluation failed")
        return [], f"ipobs.monitor.evaluate failed: {type(e).__name__}: {e}"
    return [s for s in statuses if s.get("indicator") == indicator_id], None


@page(router, "/indicators", "indicators.html", summary="Every indicator of the registry")
def indicator_list(ctx: CtxDep) -> dict:
    """The indicator registry: ids, names, units, definitions and sources."""
    return {"indicators": [i.to_dict() for i in services.indicator_registry().values()]}


@page(router, "/indicators/{indicator_id}", "indicator.html",
      summary="One indicator: value, series, forecast, breakdowns, definition, first page of records")
def indicator_page(ctx: CtxDep, indicator_id: str, as_of: str | None = None, region: str | None = None,
                   industry: str | None = None,
                   page_no: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1) -> dict:
    """The value as of a date for a region (and industry), with everything that explains it."""
    ind = _indicator(indicator_id)
    as_of_d, region, industry = _filters(ctx, as_of, region, industry, ind)
    web = ctx.web
    years = ev.complete_years(ctx.settings.first_year, as_of_d)
    zones = region_choices()[1:] if "region" in ind.dims and region == reg.HOME else []
    industries = industry_choices() if "industry" in ind.dims and not industry else []
    here = (ind.id, as_of_d, region, industry)
    year_keys = [(ind.id, dt.date(y, 12, 31), region, industry) for y in years]
    zone_keys = [(ind.id, as_of_d, z["code"], industry) for z in zones]
    industry_keys = [(ind.id, as_of_d, region, i["id"]) for i in industries]
    values = ev.indicator_values(web, [here, *year_keys, *zone_keys, *industry_keys])
    value = values[here]
    series = [values[k] for k in year_keys]
    targets, monitor_missing = _targets_of(ctx, ind.id, as_of_d, region, industry)
    chart = {"years": years, "values": [s["value"] for s in series]}
    fc = {"forecast": [], "model": None, "model_zh": None, "reason": monitor_missing}
    if targets and targets[0].get("forecast"):
        t = targets[0]
        fc = {"forecast": t["forecast"], "model": t.get("model"), "model_zh": t.get("model_zh"), "reason": None}
    elif monitor_missing is None:
        horizon = HORIZON_DEFAULT
        if targets:
            horizon = max(HORIZON_DEFAULT, int(str(targets[0].get("target_date"))[:4]) - (years[-1] if years else 0))
        try:
            fc = ev.forecast(web, ind.id, chart["years"], chart["values"], horizon, 100.0 if ind.unit == "%" else None)
        except services.ServiceMissing as e:
            fc["reason"] = str(e)
    by_region = [{**z, "value": values[k]["value"], "missing": values[k]["missing"]} for z, k in zip(zones, zone_keys)]
    by_industry = [{**i, "value": values[k]["value"], "missing": values[k]["missing"]}
                   for i, k in zip(industries, industry_keys)]
    recs = _records(ctx, ind, as_of_d, region, industry, page_no)
    return {
        "indicator": ind.to_dict(), "as_of": as_of_d, "region": region_name(region), "industry": industry,
        "regions": region_choices(), "industries": industry_choices() if "industry" in ind.dims else [],
        "value": value, "series": series,
        "chart": {**chart, **fc, "target": targets[0]["target"] if targets else None},
        "targets": targets, "by_region": by_region, "by_industry": by_industry, "records": recs,
        "missing_services": [m for m in (monitor_missing,) if m],
    }


def _records(ctx, ind, as_of: dt.date, region: str, industry: str | None, page_no: int,
             per_page: int = PER_PAGE) -> dict:
    if not ind.to_dict().get("drill_through"):
        return {"available": False, "columns": [], "rows": [], **paging(0, 1, per_page), "withheld": 0}
    fn = services.service("ipobs.indicators", "records")
    pg = paging(0, page_no, per_page)
    key = ("records", ctx.web.generation(), ind.id, as_of.isoformat(), region, industry, per_page, pg["offset"])
    df, total = ctx.web.memo.get(key, lambda: fn(ctx.web.pool.reader(), ind.id, as_of, region=region,
                                                 industry=industry, limit=per_page, offset=pg["offset"]))
    df, withheld = redact_frame(df, ctx.user)
    return {"available": True, "columns": list(df.columns), "rows": jsonable(df), **paging(total, page_no, per_page),
            "withheld": withheld}


@page(router, "/indicators/{indicator_id}/records", "records.html",
      summary="The records behind an indicator value (drill-through), 50 a page")
def indicator_records(ctx: CtxDep, indicator_id: str, as_of: str | None = None, region: str | None = None,
                      industry: str | None = None,
                      page_no: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
                      per_page: Annotated[int, Query(ge=1, le=1000)] = PER_PAGE) -> dict:
    """One page of the records behind the value as of a date for a region (and industry)."""
    ind = _indicator(indicator_id)
    as_of_d, region, industry = _filters(ctx, as_of, region, industry, ind)
    value = ev.indicator_value(ctx.web, ind.id, as_of_d, region, industry)
    return {"indicator": ind.to_dict(), "as_of": as_of_d, "region": region_name(region), "industry": industry,
            "value": value, "records": _records(ctx, ind, as_of_d, region, industry, page_no, per_page)}


@router.get("/indicators/{indicator_id}/records.xlsx", summary="The records behind a value as an Excel file")
def indicator_records_xlsx(ctx: CtxDep, indicator_id: str, as_of: str | None = None, region: str | None = None,
                           industry: str | None = None):
    ind = _indicator(indicator_id)
    as_of_d, region, industry = _filters(ctx, as_of, region, industry, ind)
    if not ind.to_dict().get("drill_through"):
        raise not_found(f"indicator {ind.id} has no record list")
    fn = services.service("ipobs.indicators", "records")
    df, total = fn(ctx.store, ind.id, as_of_d, region=region, industry=industry, limit=EXPORT_MAX_ROWS, offset=0)
    df, withheld = redact_frame(df, ctx.user)
    value = ev.indicator_value(ctx.web, ind.id, as_of_d, region, industry)
    about = [
        (i18n.gettext("Indicator"), f"{i18n.pick(ind.zh, ind.en)} ({ind.id})"),
        (i18n.gettext("As of"), as_of_d.isoformat()),
        (i18n.gettext("Region"), region),
        (i18n.gettext("Industry"), industry or ""),
        (i18n.gettext("Value"), value.get("value")),
        (i18n.gettext("Rows"), total),
    ]
    if total > EXPORT_MAX_ROWS:
        about.append((i18n.gettext("Note"), i18n.gettext("Only the first %(n)s rows are in this file.")
                      % {"n": EXPORT_MAX_ROWS}))
    if withheld:
        about.append((i18n.gettext("Note"), i18n.gettext("%(n)s rows are not shown to your role.") % {"n": withheld}))
    if ctx.web.synthetic():
        about.append(("合成演示数据", "SYNTHETIC DEMO DATA"))
    data = _xlsx(df, about)
    name = f"{ind.id}_{region}_{as_of_d.isoformat()}.xlsx"
    return StreamingResponse(io.BytesIO(data), media_type="application/vnd.openxmlformats-officedocument."
                             "spreadsheetml.sheet", headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _xlsx(df, about: list[tuple]) -> bytes:
    """A workbook: the records on the first sheet, what they are on the second."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("records")
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    meta = wb.create_sheet("about")
    for k, v in about:
        meta.append([k, _cell(v)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v):
    if isinstance(v, dt.datetime) or (hasattr(v, "to_pydatetime") and v is not pd.NaT):
        return v.to_pydatetime() if hasattr(v, "to_pydatetime") else v
    if isinstance(v, dt.date):
        return v
    v = jsonable(v)
    if isinstance(v, (list, dict)):
        return str(v)
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
        return "'" + v  # never let a cell be read as a formula
    return v
