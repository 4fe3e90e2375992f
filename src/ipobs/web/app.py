"""The FastAPI application: ``create_app(settings)`` wires the store, accounts, pages and errors."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles

from ipobs.web import errors
from ipobs.web.accounts import Accounts, User
from ipobs.web.cache import Memo
from ipobs.web.limits import BodyLimit
from ipobs.web.policy import allowed
from ipobs.web.settings import WebSettings
from ipobs.web.storepool import StorePool

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("ipobs.web")


def N_(message: str) -> str:
    return message


# (path, label msgid, permission or None)
NAV = (
    ("/", N_("Dashboard"), None),
    ("/tasks", N_("Tasks"), None),
    ("/search", N_("Search"), None),
    ("/analytics", N_("Patent navigation"), None),
    ("/docket", N_("Case docket"), "read_internal"),
    ("/credit", N_("Dishonest-entity list"), None),
    ("/finance", N_("IP finance"), None),
    ("/imports", N_("Imports"), "read_internal"),
    ("/about", N_("About"), None),
    ("/admin", N_("Admin"), "admin"),
)


class WebState:
    """What the routes share: settings, the store pool, the accounts file and the caches."""

    def __init__(self, settings: WebSettings):
        self.settings = settings
        self.pool = StorePool(settings.db, read_only=settings.read_only)
        self.accounts = Accounts(settings.accounts_path, session_hours=settings.session_hours,
                                 max_failures=settings.login_max_failures,
                                 window_minutes=settings.login_window_minutes)
        self.memo = Memo()
        self._synthetic: tuple[int, bool] | None = None

    def generation(self) -> int:
        return self.pool.generation()

    def synthetic(self) -> bool:
        """Whether the store holds the synthetic demo region (cached per generation)."""
        gen = self.generation()
        if self._synthetic is None or self._synthetic[0] != gen:
            self._synthetic = (gen, self.pool.reader().synthetic)
        return self._synthetic[1]

    def nav(self, user: User) -> list[tuple[str, str]]:
        return [(path, label) for path, label, perm in NAV if perm is None or allowed(user, perm)]

    def close(self) -> None:
        self.pool.close()
        self.accounts.close()


def create_app(settings: WebSettings | None = None, **overrides) -> FastAPI:
    """The web app over ``settings.db`` (see :mod:`ipobs.web.settings`)."""
    settings = settings or WebSettings.load(**overrides)
    web = WebState(settings)
    app = FastAPI(
        title="IP Observatory",
        description="The pages of the IP Observatory as JSON: every HTML page has a `.json` twin.",
        version="0.1.0",
        docs_url=None,  # served below from the package's own copy of Swagger UI (no CDN)
        redoc_url=None,
    )
    app.state.web = web
    errors.install(app)
    app.add_middleware(BodyLimit, limit_of=lambda: web.settings.max_upload_bytes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="IP Observatory API",
            swagger_js_url="/static/vendor/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/healthz", include_in_schema=False, response_class=PlainTextResponse)
    def healthz() -> str:
        """A trivial route: the benchmark's baseline."""
        return "ok"

    from ipobs.web.routes import register

    register(app)

    @app.on_event("shutdown")
    def _close() -> None:
        web.close()

    if settings.warm_cache:
        threading.Thread(target=_warm, args=(app,), daemon=True, name="ipobs-warm").start()
    return app


def _warm(app: FastAPI) -> None:
    """Evaluate the default dashboard once so the first visitor gets it from the cache."""
    from ipobs.web.routes.dashboard import warm

    try:
        warm(app.state.web)
    except Exception as e:  # noqa: BLE001 - warming is best effort; the page reports real errors
        log.info("dashboard not pre-computed: %s", e)
