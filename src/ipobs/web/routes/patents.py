"""Search (a page over ``ipobs.search``) and the patent detail page (a record lookup)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from ipobs.records.schema import enum_label
from ipobs.web import i18n, services
from ipobs.web.context import CtxDep
from ipobs.web.lookup import rows
from ipobs.web.errors import WebError, not_found
from ipobs.web.filters import region_label
from ipobs.web.pages import page, paging

router = APIRouter(tags=["patents"])

SORTS = ("relevance", "date", "date_asc")
PER_PAGE = 20


@page(router, "/search", "search.html", summary="Full-text patent search with facets (ipobs.search)")
def search_page(ctx: CtxDep, q: Annotated[str, Query(max_length=1000)] = "",
                page_no: Annotated[int, Query(alias="page", ge=1, le=5000)] = 1,
                sort: Literal["relevance", "date", "date_asc"] = "relevance") -> dict:
    """Patents matching ``q`` (the query language of docs/search.md), 20 a page, with facets."""
    data: dict = {"q": q, "sort": sort, "sorts": list(SORTS), "hits": [], "facets": {}, "warnings": [],
                  **paging(0, page_no, PER_PAGE)}
    if not q.strip():
        return data
    search = services.service("ipobs.search", "search")
    try:
        result = search(ctx.store, q, page=page_no, per_page=PER_PAGE, sort=sort, facets=True,
                        update_index=not ctx.settings.read_only, lang=ctx.lang)
    except ValueError as e:  # QueryError (with the position) and SearchError are ValueErrors
        raise WebError(400, i18n.gettext("The search could not run."), [str(e)]) from None
    out = result.to_dict()
    data.update(paging(result.total, page_no, PER_PAGE))
    data.update({"hits": out["hits"], "facets": out["facets"], "warnings": out["warnings"],
                 "understood": out["query"], "took_ms": out["took_ms"]})
    return data


@page(router, "/patents/{patent_id}", "patent.html", summary="One patent: bibliographic data, parties, IPC, "
      "legal-status history, citations and family")
def patent_detail(ctx: CtxDep, patent_id: str) -> dict:
    """Everything the store holds about one patent application."""
    store = ctx.store
    found = rows(store, "SELECT * FROM patent WHERE patent_id = ?", [patent_id])
    if not found:
        raise not_found(f"patent {patent_id}")
    p = found[0]
    lang = ctx.lang
    parties = rows(store, "SELECT role, seq, name, entity_id, country, address FROM patent_party "
                           "WHERE patent_id = ? ORDER BY role, seq", [patent_id])
    for r in parties:
        r["role_label"] = enum_label("party_role", r["role"], lang)
    ipc = rows(store, "SELECT ipc, subclass, seq, is_main FROM patent_ipc WHERE patent_id = ? "
                       "ORDER BY is_main DESC NULLS LAST, seq NULLS LAST, ipc", [patent_id])
    for r in ipc:
        r["title_zh"] = services.ipc_title(r["ipc"], "zh")
        r["title_en"] = services.ipc_title(r["ipc"], "en")
    events = rows(store, "SELECT event_date, event, status_after, note FROM patent_event WHERE patent_id = ? "
                          "ORDER BY event_date, event", [patent_id])
    for r in events:
        r["event_label"] = enum_label("patent_event", r["event"], lang)
        r["status_label"] = enum_label("patent_status", r["status_after"], lang) if r["status_after"] else ""
    cites = rows(store, "SELECT cited_no, cited_id, category FROM patent_citation WHERE citing_id = ? "
                         "ORDER BY cited_no", [patent_id])
    cited_by = rows(store, "SELECT c.citing_id, p.title, p.filing_date FROM patent_citation c "
                            "LEFT JOIN patent p ON p.patent_id = c.citing_id WHERE c.cited_id = ? "
                            "ORDER BY p.filing_date NULLS LAST LIMIT 200", [patent_id])
    family = rows(store, "SELECT member_no, country, granted FROM patent_family WHERE patent_id = ? "
                          "ORDER BY country, member_no", [patent_id])
    p["region_label"] = region_label(p.get("region_code"))
    p["kind_label"] = enum_label("patent_kind", p.get("kind"), lang)
    p["status_label"] = enum_label("patent_status", p.get("status"), lang) if p.get("status") else ""
    return {"patent": p, "parties": parties, "ipc": ipc, "events": events, "citations": cites,
            "cited_by": cited_by, "family": family}
