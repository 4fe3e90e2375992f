"""The request context every route gets: who is asking, in which language, with what token.

``Ctx`` is an async dependency (so the language context variable it sets is seen by the sync
route that runs after it in a worker thread). The store is fetched lazily, in the route's own
thread, because each thread reads through its own cursor.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from ipobs.web import i18n
from ipobs.web.accounts import ANONYMOUS, User
from ipobs.web.policy import Forbidden

SESSION_COOKIE = "ipobs_session"
CSRF_COOKIE = "ipobs_csrf"  # anonymous visitors' token (double-submit); logged-in users use the session's
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


@dataclass
class Ctx:
    request: Request
    web: object  # ipobs.web.app.WebState
    user: User
    lang: str
    csrf: str
    cookies: dict[str, str] = field(default_factory=dict)  # cookies to set on the response

    @property
    def store(self):
        return self.web.pool.reader()

    @property
    def accounts(self):
        return self.web.accounts

    @property
    def settings(self):
        return self.web.settings

    @property
    def ip(self) -> str:
        return self.request.client.host if self.request.client else "unknown"

    def audit(self, action: str, target: str | None = None, detail: dict | None = None) -> None:
        self.web.accounts.audit(self.user, action, target, detail, self.ip)


def lang_of(request: Request, default: str = "zh") -> str:
    q = request.query_params.get("lang")
    if q in i18n.LANGS:
        return q
    c = request.cookies.get(i18n.COOKIE)
    return c if c in i18n.LANGS else default


async def get_ctx(request: Request) -> Ctx:
    web = request.app.state.web
    lang = i18n.use(lang_of(request, web.settings.default_lang))
    cookies: dict[str, str] = {}
    if request.query_params.get("lang") in i18n.LANGS and request.cookies.get(i18n.COOKIE) != lang:
        cookies[i18n.COOKIE] = lang
    user = web.accounts.session_user(request.cookies.get(SESSION_COOKIE)) or ANONYMOUS
    if user.csrf:
        csrf = user.csrf
    else:
        csrf = request.cookies.get(CSRF_COOKIE) or ""
        if len(csrf) < 16:
            csrf = secrets.token_urlsafe(24)
            cookies[CSRF_COOKIE] = csrf
    ctx = Ctx(request, web, user, lang, csrf, cookies)
    request.state.ctx = ctx
    return ctx


CtxDep = Annotated[Ctx, Depends(get_ctx)]


async def check_csrf(request: Request, ctx: CtxDep) -> Ctx:
    """Every state-changing request carries the token: a form field or the ``X-CSRF-Token`` header."""
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            sent = form.get(CSRF_FIELD)
    if not sent or not isinstance(sent, str) or not hmac.compare_digest(sent, ctx.csrf):
        raise Forbidden(i18n.gettext("The form has expired or did not come from this site. Reload the page and try again."))
    return ctx


PostCtx = Annotated[Ctx, Depends(check_csrf)]
