"""One router per resource; :func:`register` mounts them all (search's own API included)."""

from __future__ import annotations

import importlib
import logging

from fastapi import FastAPI, Request

log = logging.getLogger("ipobs.web")


# JSON routers of other floors, mounted as they are; each takes its store from a ``get_store``
# dependency that the app overrides with a per-request cursor of its own connection.
MOUNTED_APIS = ("ipobs.search.api", "ipobs.analytics.api")


def register(app: FastAPI) -> None:
    from ipobs.web.routes import (about, admin, analytics, auth, dashboard, entities, imports, indicators, patents,
                                  protection, tasks)

    for module in (auth, dashboard, indicators, tasks, patents, entities, imports, protection, analytics, about,
                   admin):
        app.include_router(module.router)
    for name in MOUNTED_APIS:
        _mount(app, name)


def request_store(request: Request):
    """A store for one request: a fresh cursor, closed when the response is done."""
    from ipobs.web.storepool import CursorStore

    store = CursorStore(request.app.state.web.pool.base)
    try:
        yield store
    finally:
        store.close()


def _mount(app: FastAPI, module_name: str) -> None:
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        log.info("%s not mounted: %s", module_name, e)
        return
    app.include_router(module.router)
    if hasattr(module, "get_store"):
        app.dependency_overrides[module.get_store] = request_store
