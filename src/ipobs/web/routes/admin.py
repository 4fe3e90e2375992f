"""/admin: accounts (add, change role or department, disable, reset password) and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse

from ipobs.web import i18n, services
from ipobs.web.accounts import ROLES, AccountError
from ipobs.web.context import CtxDep, PostCtx
from ipobs.web.errors import WebError, not_found, wants_json
from ipobs.web.pages import json_response, page, paging
from ipobs.web.policy import require

router = APIRouter(tags=["admin"])


def departments() -> dict:
    """Department id → {zh, en} from the plan ({} when the plan is not installed)."""
    try:
        return {d.id: {"zh": d.zh, "en": d.en} for d in services.plan().departments.values()}
    except services.ServiceMissing:
        return {}


def _known_departments() -> dict | None:
    d = departments()
    return d or None


@page(router, "/admin", "admin.html", summary="Accounts (administrators only)")
def admin_home(ctx: CtxDep) -> dict:
    """Every account with its role and department."""
    require(ctx.user, "admin")
    return {"accounts": ctx.accounts.list(), "roles": ROLES, "departments": departments()}


@router.post("/admin/users", summary="Add an account (administrators only)")
def add_user(ctx: PostCtx, request: Request, name: Annotated[str, Form()], role: Annotated[str, Form()],
             password: Annotated[str, Form()], department: Annotated[str, Form()] = ""):
    require(ctx.user, "admin")
    try:
        user = ctx.accounts.add(name, role, password, department=department or None, created_by=ctx.user.name,
                                departments=_known_departments())
    except AccountError as e:
        raise WebError(400, i18n.gettext("The account was not created."), [str(e)]) from None
    ctx.audit("account_add", user.name, {"role": user.role, "department": user.department})
    if wants_json(request):
        return json_response(ctx, {"account": user.to_dict()}, status=201)
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{name}", summary="Change an account's role, department, status or password")
def update_user(ctx: PostCtx, request: Request, name: str, role: Annotated[str, Form()] = "",
                department: Annotated[str, Form()] = "", active: Annotated[str, Form()] = "",
                password: Annotated[str, Form()] = ""):
    require(ctx.user, "admin")
    if ctx.accounts.get(name) is None:
        raise not_found(f"account {name}")
    changes = {}
    try:
        if role or department or active:
            flag = None if not active else active in ("1", "true", "on", "yes")
            if name == ctx.user.name and (flag is False or (role and role != "admin")):
                raise AccountError("you cannot disable or demote your own account")
            ctx.accounts.update(name, role=role or None, department=department or None, active=flag,
                                departments=_known_departments())
            changes.update({k: v for k, v in (("role", role), ("department", department), ("active", flag))
                            if v not in ("", None)})
        if password:
            ctx.accounts.set_password(name, password)
            changes["password"] = "reset"
    except AccountError as e:
        raise WebError(400, i18n.gettext("The account was not changed."), [str(e)]) from None
    ctx.audit("account_update", name, changes)
    if wants_json(request):
        return json_response(ctx, {"account": ctx.accounts.get(name), "changed": changes})
    return RedirectResponse("/admin", status_code=303)


@page(router, "/admin/audit", "audit.html", summary="The audit log: who imported or edited what, when")
def audit_log(ctx: CtxDep, account: str | None = None, action: str | None = None,
              page_no: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1) -> dict:
    """The audit log, newest first, 100 entries a page (filter by account or action)."""
    require(ctx.user, "admin")
    per_page = 100
    rows, total = ctx.accounts.audit_log(limit=per_page, offset=(page_no - 1) * per_page, account=account,
                                         action=action)
    return {"entries": rows, **paging(total, page_no, per_page), "account": account, "action": action}
