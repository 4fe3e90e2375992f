"""JSON API routes for search (mounted by the web app; no import of web code here).

The store comes from ``request.app.state.store`` through :func:`get_store`, which the web app
may override (``app.dependency_overrides[get_store] = …``). A bad query answers 400 with the
project's error shape ``{ok: false, error, errors: [{code, position, reason, message}], status}``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from ipobs.search import service
from ipobs.search.query import QueryError

router = APIRouter(prefix="/api", tags=["search"])


def get_store(request: Request):
    """The store of the running app (``app.state.store``; a pool's ``reader()`` when it has one)."""
    store = request.app.state.store
    reader = getattr(store, "reader", None)
    return reader() if callable(reader) else store


StoreDep = Annotated[Any, Depends(get_store)]


def _error(status: int, message: str, errors: list[dict] | None = None) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, "errors": errors or [{"message": message}],
                         "status": status}, status_code=status)


@router.get("/search")
def search_patents(
    store: StoreDep,
    q: Annotated[str, Query(description="query in the search language (docs/search.md)")] = "",
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    sort: Annotated[str, Query(pattern="^(relevance|date|date_asc)$")] = "relevance",
    facets: bool = True,
    lang: Annotated[str, Query(pattern="^(zh|en)$")] = "zh",
):
    """Patents matching ``q``: exact ``total``, ``hits`` with highlighted ``snippet``, ``facets``."""
    try:
        result = service.search(store, q, page=page, per_page=per_page, sort=sort, facets=facets, lang=lang)
    except QueryError as exc:
        return _error(400, exc.message, [exc.to_dict()])
    except service.SearchError as exc:
        return _error(400, str(exc))
    return {"ok": True, **result.to_dict()}


@router.get("/patents/{patent_id}/similar")
def similar_patents(store: StoreDep, patent_id: str, limit: Annotated[int, Query(ge=1, le=100)] = 20):
    """Patents most like ``patent_id``, with the terms that made the query and each match."""
    try:
        result = service.similar(store, patent_id=patent_id, limit=limit)
    except service.NotFound as exc:
        return _error(404, exc.args[0])
    except service.SearchError as exc:
        return _error(400, str(exc))
    return {"ok": True, **result.to_dict()}
