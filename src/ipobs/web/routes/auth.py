"""Log in and out. Failed logins are counted per account and address; too many → 429."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse

from ipobs.web import i18n
from ipobs.web.accounts import ANONYMOUS
from ipobs.web.context import SESSION_COOKIE, CtxDep, PostCtx
from ipobs.web.errors import WebError, wants_json
from ipobs.web.pages import render, set_cookies

router = APIRouter(tags=["accounts"])


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site after login."""
    if not target:
        return "/"
    p = urlparse(target)
    if p.scheme or p.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login", include_in_schema=False)
def login_page(ctx: CtxDep, next: str | None = None):
    return render(ctx, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", summary="Log in (form or JSON client); sets the session cookie")
def login(ctx: PostCtx, request: Request, name: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/"):
    accounts = ctx.accounts
    name = name.strip()
    if accounts.throttled(name, ctx.ip):
        minutes = ctx.settings.login_window_minutes
        raise WebError(429, i18n.gettext("Too many failed logins for this account from your address. "
                                         "Wait %(minutes)s minutes, then try again.") % {"minutes": minutes})
    user = accounts.verify(name, password, ctx.ip)
    if user is None:
        ctx.web.accounts.audit(ANONYMOUS, "login_failed", name, None, ctx.ip)
        if wants_json(request):
            raise WebError(401, i18n.gettext("Wrong account name or password."))
        return render(ctx, "login.html", {"next": _safe_next(next),
                                          "error": i18n.gettext("Wrong account name or password.")}, status=401)
    token, user = accounts.start_session(user, ctx.ip)
    ctx.user = user
    ctx.audit("login")
    if wants_json(request):
        response = JSONResponse({"ok": True, "user": user.to_dict(), "csrf_token": user.csrf})
    else:
        response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(ctx.settings.session_hours * 3600), httponly=True,
                        samesite="lax", secure=ctx.settings.secure_cookies)
    return set_cookies(response, ctx)


@router.post("/logout", summary="End the session")
def logout(ctx: PostCtx, request: Request):
    if not ctx.user.anonymous:
        ctx.audit("logout")
    ctx.accounts.end_session(request.cookies.get(SESSION_COOKIE))
    response = JSONResponse({"ok": True}) if wants_json(request) else RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/me.json", summary="Who am I: name, role, department and the CSRF token for JSON posts")
def me(ctx: CtxDep):
    response = JSONResponse({"ok": True, "user": ctx.user.to_dict(), "csrf_token": ctx.csrf, "lang": ctx.lang})
    return set_cookies(response, ctx)
