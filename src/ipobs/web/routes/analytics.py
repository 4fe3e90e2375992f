"""Analysis pages: the patent-navigation analysis (专利导航, GB/T 39551) of a patent set with its
report downloads, the monitoring report downloads, and the high-value portfolio ledger.

The numbers come from :mod:`ipobs.analytics` (``analyze``, ``portfolio_ledger``); the report
files from the analytics JSON API (``/api/reports/…``). Analyses are cached per store generation.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query

from ipobs.entities import regions as reg
from ipobs.jsonable import jsonable
from ipobs.web import i18n
from ipobs.web.context import CtxDep
from ipobs.web.errors import WebError
from ipobs.web.filters import default_as_of, industry_choices, parse_as_of, region_choices
from ipobs.web.pages import page

router = APIRouter(tags=["analytics"])
ROWS_SHOWN = 20
EXAMPLES = ("industry:nev", "ipc:H01M;region:120116", "query:锂电池", "industry:ict;years:2019-2023")


def _set_spec(set_: str | None, industry: str | None, ipc: str | None, query: str | None,
              years: str | None) -> str:
    """The set's text form: ``set=`` as given, else built from the form's fields."""
    if set_ and set_.strip():
        return set_.strip()
    parts = [f"industry:{industry}" if industry else "", f"ipc:{ipc.strip()}" if ipc and ipc.strip() else "",
             f"years:{years.strip()}" if years and years.strip() else "",
             f"query:{query.strip()}" if query and query.strip() else ""]
    return ";".join(p for p in parts if p)


def _analysis(ctx, spec: str, as_of, region: str) -> dict:
    from ipobs.analytics.navigation import analyze
    from ipobs.analytics.patent_set import PatentSetError

    key = ("analytics", ctx.web.generation(), spec, as_of, region, ctx.lang)

    def compute():
        try:
            return jsonable(analyze(ctx.store, spec, as_of=as_of, region=region, lang=ctx.lang))
        except (PatentSetError, ValueError, KeyError) as e:
            raise WebError(400, i18n.gettext("This patent set cannot be analysed."), [str(e).strip("'\"")]) from None

    return ctx.web.memo.get(key, compute)


def _shown(section: dict) -> dict:
    """A section with each table cut to its first rows (the report files hold them all)."""
    tables = {name: {"rows": rows[:ROWS_SHOWN], "columns": list(rows[0]) if rows else [], "total": len(rows)}
              for name, rows in (section.get("tables") or {}).items() if isinstance(rows, list)}
    return {**section, "tables": tables}


@page(router, "/analytics", "analytics.html",
      summary="Patent-navigation analysis of a patent set, with report downloads")
def analytics_page(ctx: CtxDep, set_: Annotated[str | None, Query(alias="set", max_length=500)] = None,
                   industry: str | None = None, ipc: Annotated[str | None, Query(max_length=200)] = None,
                   query: Annotated[str | None, Query(max_length=200)] = None,
                   years: Annotated[str | None, Query(max_length=20)] = None,
                   as_of: str | None = None, region: str | None = None) -> dict:
    """Everyone: aggregates of public patent data. Without a set the page shows the form only."""
    as_of_d = parse_as_of(as_of, default_as_of(ctx.web))
    region = region or reg.HOME
    if region not in {r["code"] for r in region_choices()}:
        raise WebError(400, i18n.gettext("Unknown region."), [f"region={region!r}"])
    spec = _set_spec(set_, industry, ipc, query, years)
    result = _analysis(ctx, spec, as_of_d, region) if spec else None
    params = urlencode({"set": spec, "as_of": as_of_d.isoformat(), "region": region, "lang": ctx.lang})
    monitoring = urlencode({"as_of": as_of_d.isoformat(), "lang": ctx.lang})
    return {
        "set": spec, "as_of": as_of_d, "region": region, "industry": industry, "ipc": ipc, "query": query,
        "years": years, "regions": region_choices(), "industries": industry_choices(), "examples": EXAMPLES,
        "analysis": None if result is None else {**result, "sections": [_shown(s) for s in result["sections"]]},
        "downloads": {fmt: f"/api/reports/navigation.{fmt}?{params}" for fmt in ("html", "pdf", "xlsx")}
        if spec else {},
        "monitoring_downloads": {fmt: f"/api/reports/monitoring.{fmt}?{monitoring}" for fmt in ("html", "pdf", "xlsx")},
    }


@page(router, "/portfolios", "portfolios.html", summary="High-value patent portfolios and the plan's rule")
def portfolios_page(ctx: CtxDep, as_of: str | None = None) -> dict:
    """Everyone: the portfolio ledger, each checked against the plan's rule as of the date."""
    from ipobs.analytics.portfolios import portfolio_ledger

    as_of_d = parse_as_of(as_of, default_as_of(ctx.web))
    df = ctx.web.memo.get(("portfolios", ctx.web.generation(), as_of_d),
                          lambda: portfolio_ledger(ctx.store, as_of_d, None))
    shown = [c for c in df.columns if c != "members"]  # the member list is in the JSON twin
    return {"as_of": as_of_d, "rows": jsonable(df), "columns": shown, "count": len(df),
            "meeting_rule": int(df["meets"].sum()) if len(df) else 0}
