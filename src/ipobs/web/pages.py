"""Page = data + renderer (datasette's habit).

A page is one *data function* returning a dict. :func:`page` registers it twice: the HTML route
renders a template with that dict, the ``.json`` route returns the same dict (listed in the
OpenAPI schema). The HTML carries ``<link rel="alternate" type="application/json">`` and a
``Link`` header pointing to its JSON twin.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ipobs.jsonable import jsonable
from ipobs.web import i18n, services
from ipobs.web.accounts import ROLES

_TAG = re.compile(r"<[^>]*>")


def marks(html_text: str | None) -> Markup:
    """Search highlights: already-escaped text whose only tags are ``<mark>``/``</mark>``.

    Anything else (a tag the search service should never produce) is escaped as text."""
    text = html_text or ""
    if all(t in ("<mark>", "</mark>") for t in _TAG.findall(text)) and "<" not in _TAG.sub("", text):
        return Markup(text)
    return Markup.escape(text)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ipobs.web", "templates"),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
    env.filters.update(
        num=i18n.fmt_number, pct=i18n.fmt_percent, value=i18n.fmt_value, date=i18n.fmt_date,
        datetime=i18n.fmt_datetime, marks=marks,
    )
    env.globals.update(pick=i18n.pick, language_name=i18n.language_name, LANGS=i18n.LANGS)
    return env


ENV = _environment()


def url_with(request, **params) -> str:
    """The current URL with some query parameters replaced (None removes one)."""
    q = dict(request.query_params)
    for k, v in params.items():
        if v is None:
            q.pop(k, None)
        else:
            q[k] = str(v)
    return request.url.path + (f"?{urlencode(q)}" if q else "")


def paging(total: int, page_no: int, per_page: int) -> dict:
    """Page numbers for a pager (no arithmetic in templates)."""
    pages = max(1, -(-int(total) // per_page))
    return {"total": int(total), "page": page_no, "per_page": per_page, "pages": pages,
            "prev_page": page_no - 1 if page_no > 1 else None, "next_page": page_no + 1 if page_no < pages else None,
            "offset": (page_no - 1) * per_page}


def department_label(dept_id: str | None) -> str:
    """A department's name from the plan in the current language (its id when unknown)."""
    if not dept_id:
        return ""
    try:
        d = services.plan().departments.get(dept_id)
    except services.ServiceMissing:
        d = None
    return i18n.pick(d.zh, d.en) if d is not None else dept_id


def json_url_for(path: str, query: str) -> str:
    base = "/index.json" if path == "/" else path.rstrip("/") + ".json"
    return base + (f"?{query}" if query else "")


def set_cookies(response: Response, ctx) -> Response:
    for name, value in ctx.cookies.items():
        response.set_cookie(name, value, max_age=365 * 24 * 3600, httponly=(name != "lang"), samesite="lax",
                            secure=ctx.settings.secure_cookies)
    return response


def render(ctx, template: str, data: dict, *, status: int = 200, json_url: str | None = None) -> HTMLResponse:
    """The HTML of a page: its template over ``data`` plus what every page shows (user, language…)."""
    request = ctx.request
    i18n.use(ctx.lang)
    web = ctx.web
    html = ENV.get_template(template).render(
        data=data, ctx=ctx, user=ctx.user, lang=ctx.lang, csrf=ctx.csrf, request=request,
        json_url=json_url, synthetic=web.synthetic(), nav=web.nav(ctx.user), path=request.url.path,
        query=dict(request.query_params), url_with=functools.partial(url_with, request),
        user_role_label=ROLES.get(ctx.user.role, ctx.user.role),
        department_label=department_label(ctx.user.department),
    )
    response = HTMLResponse(html, status_code=status)
    if json_url:
        response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return set_cookies(response, ctx)


def json_response(ctx, data: dict, status: int = 200) -> JSONResponse:
    body = {"ok": True, **jsonable(data)}
    return set_cookies(JSONResponse(body, status_code=status), ctx)


def page(router: APIRouter, path: str, template: str, *, summary: str = "", json_path: str | None = None,
         cache_anonymous: bool = False):
    """Register ``fn(ctx, ...) -> dict`` as an HTML page at ``path`` and JSON at ``path.json``.

    ``fn`` must take ``ctx: CtxDep`` (or ``PostCtx``); its other parameters are ordinary FastAPI
    path and query parameters, shared by both routes. ``cache_anonymous``: the HTML for visitors
    who are not logged in (which holds no user name and no token) is rendered once per store
    generation, URL and language.
    """
    json_path = json_path or ("/index.json" if path == "/" else f"{path}.json")

    def deco(fn):
        @functools.wraps(fn)
        def as_json(*args, **kwargs):
            ctx = kwargs["ctx"]
            return json_response(ctx, fn(*args, **kwargs))

        @functools.wraps(fn)
        def as_html(*args, **kwargs):
            ctx = kwargs["ctx"]
            url = ctx.request.url
            json_url = json_url_for(url.path, url.query)
            if cache_anonymous and ctx.user.anonymous:
                key = ("html", ctx.web.generation(), url.path, url.query, ctx.lang)
                body = ctx.web.memo.get(key, lambda: render(ctx, template, fn(*args, **kwargs),
                                                            json_url=json_url).body)
                response = HTMLResponse(body)
                response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
                return set_cookies(response, ctx)
            return render(ctx, template, fn(*args, **kwargs), json_url=json_url)

        as_json.__name__ = f"{fn.__name__}_json"
        as_html.__name__ = f"{fn.__name__}_html"
        # JSON first: "/x/{id}" would otherwise also match "/x/abc.json".
        router.add_api_route(json_path, as_json, methods=["GET"], summary=summary or fn.__doc__,
                             response_class=JSONResponse)
        router.add_api_route(path, as_html, methods=["GET"], include_in_schema=False,
                             response_class=HTMLResponse)
        return fn

    return deco
