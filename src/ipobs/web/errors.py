"""One error handler: ``{ok: false, error, errors, status}`` for JSON, an error page for people.

JSON is answered for ``.json`` paths, ``/api/`` paths and clients that accept JSON but not
HTML; everyone else gets ``error.html`` in their language. Tracebacks never reach the client.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ipobs.web import i18n
from ipobs.web.policy import Forbidden
from ipobs.web.services import ServiceMissing

log = logging.getLogger("ipobs.web")

TOO_LARGE_FLAG = "ipobs.body_too_large"


class WebError(Exception):
    """A problem to show the user: a status, a sentence, optionally a list of details."""

    def __init__(self, status: int, error: str, errors: list[str] | None = None):
        super().__init__(error)
        self.status = status
        self.error = error
        self.errors = errors or []


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.endswith(".json") or path.startswith("/api/") or path == "/openapi.json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(request: Request, status: int, error: str, errors: list[str] | None = None):
    errors = errors or []
    if wants_json(request):
        return JSONResponse({"ok": False, "error": error, "errors": errors, "status": status}, status_code=status)
    from ipobs.web.context import lang_of
    from ipobs.web.pages import render

    ctx = getattr(request.state, "ctx", None)
    web = request.app.state.web
    if ctx is None:
        from ipobs.web.accounts import ANONYMOUS
        from ipobs.web.context import Ctx

        ctx = Ctx(request, web, ANONYMOUS, lang_of(request, web.settings.default_lang), "")
    i18n.use(ctx.lang)
    data = {"status": status, "error": error, "errors": errors}
    return render(ctx, "error.html", data, status=status)


def _validation_messages(exc: RequestValidationError) -> list[str]:
    out = []
    for e in exc.errors():
        loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
        out.append(f"{loc}: {e.get('msg')}" if loc else str(e.get("msg")))
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def _web_error(request: Request, exc: WebError):
        return error_response(request, exc.status, exc.error, exc.errors)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden):
        if exc.status == 401 and not wants_json(request) and request.method == "GET":
            from fastapi.responses import RedirectResponse
            from urllib.parse import quote

            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        return error_response(request, exc.status, str(exc))

    @app.exception_handler(ServiceMissing)
    async def _missing(request: Request, exc: ServiceMissing):
        return error_response(request, 503, i18n.gettext("This page is not available yet."), [str(exc)])

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return error_response(request, 400, i18n.gettext("The request has invalid parameters."),
                              _validation_messages(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if request.scope.get(TOO_LARGE_FLAG):
            return too_large(request)
        messages = {404: i18n.gettext("Not found."), 405: i18n.gettext("Method not allowed.")}
        detail = exc.detail if isinstance(exc.detail, str) else ""
        error = messages.get(exc.status_code, detail or str(exc.status_code))
        errors = [detail] if detail and detail != error and exc.status_code != 404 else []
        if exc.status_code == 404 and detail and detail != "Not Found":
            errors = [detail]
        return error_response(request, exc.status_code, error, errors)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, i18n.gettext("Something went wrong on the server; the error was logged."))


def too_large(request: Request):
    """413: the upload is over the size cap (the page says the cap)."""
    from ipobs.web.context import lang_of

    web = request.app.state.web
    i18n.use(lang_of(request, web.settings.default_lang))
    limit = web.settings.max_upload_mb
    return error_response(request, 413, i18n.gettext("The file is too large (at most %(mb)s MB).")
                          % {"mb": i18n.fmt_number(limit, 2)})


def not_found(what: str) -> WebError:
    return WebError(404, i18n.gettext("Not found."), [what])
