"""JSON API of the analytics floor (a FastAPI router the web app mounts).

Routes (all GET, all JSON except the report files):

- ``/api/analytics?set=…&as_of=&region=&lang=&sections=`` — the navigation analysis of a set
- ``/api/analytics/sections`` — the section ids
- ``/api/portfolios?as_of=&region=`` — the high-value portfolio ledger with each check
- ``/api/portfolios/{item_id}?as_of=&industry=`` — one portfolio: rule, coverage, value, tracking
- ``/api/patents/{patent_id}/value?as_of=`` — quality score with its parts, and the high-value reasons
- ``/api/industries/activity?year=&region=`` — plan industries' applications and grants in a year
- ``/api/reports/navigation.{pdf,html,xlsx}?set=…`` and ``/api/reports/monitoring.{pdf,html,xlsx}?as_of=…``

The store comes from ``request.app.state.store`` or, in the ipobs web app, the request thread's
reader of ``request.app.state.web.pool``. Bad input answers 400 with a sentence.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

router = APIRouter(tags=["analytics"])

MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def get_store(request: Request):
    state = request.app.state
    store = getattr(state, "store", None)
    if store is not None:
        return store
    web = getattr(state, "web", None)
    if web is not None:
        return web.pool.reader()
    raise HTTPException(500, "no store configured on the app (app.state.store)")


StoreDep = Annotated[object, Depends(get_store)]


def _date(v: Optional[str]) -> dt.date:
    from ipobs.records.dates import date_or_today

    try:
        return date_or_today(v)
    except ValueError as e:
        raise HTTPException(400, str(e)) from None


def _bad(e: Exception):
    return HTTPException(400, str(e).strip("'\""))


@router.get("/api/analytics")
def analytics(store: StoreDep, set_: Annotated[str, Query(alias="set", description="patent set, e.g. ipc:G06N;region:120116")],
              as_of: Optional[str] = None, region: str = "120116", lang: str = "zh",
              sections: Optional[str] = Query(None, description="comma-separated section ids (default: all)")):
    from ipobs.analytics.navigation import analyze
    from ipobs.analytics.patent_set import PatentSetError

    try:
        return analyze(store, set_, as_of=_date(as_of), region=region or None, lang=lang,
                       sections=[s.strip() for s in sections.split(",") if s.strip()] if sections else None)
    except (PatentSetError, ValueError, KeyError) as e:
        raise _bad(e) from None


@router.get("/api/analytics/sections")
def analytics_sections():
    from ipobs.analytics.navigation import SECTIONS

    return {"data": list(SECTIONS), "count": len(SECTIONS)}


@router.get("/api/portfolios")
def portfolios(store: StoreDep, as_of: Optional[str] = None, region: Optional[str] = None):
    from ipobs.analytics.portfolios import portfolio_ledger
    from ipobs.analytics.scope import records

    try:
        df = portfolio_ledger(store, _date(as_of), region)
    except (ValueError, KeyError) as e:
        raise _bad(e) from None
    return {"as_of": _date(as_of).isoformat(), "data": records(df), "count": len(df),
            "meeting_rule": int(df["meets"].sum()) if len(df) else 0}


@router.get("/api/portfolios/{item_id}")
def portfolio(store: StoreDep, item_id: str, as_of: Optional[str] = None, industry: Optional[str] = None):
    from ipobs.analytics.patent_set import PatentSetError
    from ipobs.analytics.portfolios import check_portfolio

    try:
        return check_portfolio(store, item_id=item_id, as_of=_date(as_of), industry=industry)
    except PatentSetError as e:
        raise HTTPException(404, str(e)) from None


@router.get("/api/patents/{patent_id}/value")
def patent_value(store: StoreDep, patent_id: str, as_of: Optional[str] = None, lang: str = "zh"):
    from ipobs.analytics.scope import records
    from ipobs.analytics.value import explain_value, high_value_flags

    d = _date(as_of)
    try:
        out = explain_value(store, patent_id, d, lang)
    except KeyError as e:
        raise HTTPException(404, str(e).strip("'\"")) from None
    hv = high_value_flags(store, d, [patent_id])
    out["high_value"] = records(hv)[0] if len(hv) else None
    return out


@router.get("/api/industries/activity")
def industries_activity(store: StoreDep, year: int, region: Optional[str] = None):
    from ipobs.analytics.activity import industry_activity
    from ipobs.analytics.scope import records

    try:
        df = industry_activity(store, year, region)
    except (ValueError, KeyError) as e:
        raise _bad(e) from None
    return {"year": year, "region": region, "data": records(df), "count": len(df)}


def _file(data: bytes, fmt: str, name: str) -> Response:
    headers = {} if fmt == "html" else {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    return Response(data, media_type=MEDIA[fmt], headers=headers)


@router.get("/api/reports/navigation.{fmt}")
def navigation_report(store: StoreDep, fmt: str, set_: Annotated[str, Query(alias="set")], as_of: Optional[str] = None,
                      region: str = "120116", lang: str = "zh"):
    from ipobs.analytics.patent_set import PatentSetError
    from ipobs.reports.navigation import build_navigation_report
    from ipobs.reports.render import render

    if fmt not in MEDIA:
        raise HTTPException(404, f"unknown report format {fmt!r}; use pdf, html or xlsx")
    try:
        report, _ = build_navigation_report(store, set_, _date(as_of), region or None, lang)
    except (PatentSetError, ValueError) as e:
        raise _bad(e) from None
    return _file(render(report, fmt), fmt, f"navigation-{report.as_of}")


@router.get("/api/reports/monitoring.{fmt}")
def monitoring_report(store: StoreDep, fmt: str, as_of: Optional[str] = None, region: Optional[str] = None,
                      lang: str = "zh", plan: str = "binhai-2019"):
    from ipobs.reports.monitoring import build_monitoring_report
    from ipobs.reports.render import render

    if fmt not in MEDIA:
        raise HTTPException(404, f"unknown report format {fmt!r}; use pdf, html or xlsx")
    try:
        report, _ = build_monitoring_report(store, _date(as_of), region=region, lang=lang, plan=plan)
    except (ValueError, KeyError, FileNotFoundError) as e:
        raise _bad(e) from None
    return _file(render(report, fmt), fmt, f"monitoring-{report.as_of}")
