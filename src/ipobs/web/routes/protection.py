"""Protection pages: the case docket (overdue first, per department), a case, the credit list
(internal and public views) and the finance ledgers. Officers add case steps (extension,
suspension, resumption, closure) to their own department's cases; each is a one-row batch
through the store and an audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse

from ipobs.jsonable import jsonable
from ipobs.records.batch import RecordBatch
from ipobs.records.schema import ENUMS, TABLES
from ipobs.web import i18n
from ipobs.web.context import CtxDep, PostCtx
from ipobs.web.edits import save_edit
from ipobs.web.errors import WebError, not_found, wants_json
from ipobs.web.filters import default_as_of, parse_as_of
from ipobs.web.pages import json_response, page, paging
from ipobs.web.policy import allowed, may_edit_department, redact_frame, require

router = APIRouter(tags=["protection"])
PER_PAGE = 50
STEP_STATUSES = ("extended", "suspended", "resumed", "closed")
FINANCE_LEDGERS = ("pledges", "insurance", "transactions", "offers", "institutions")


def _frame(df: pd.DataFrame, user) -> tuple[list[dict], list[str], int]:
    df, withheld = redact_frame(df, user)
    return jsonable(df), list(df.columns), withheld


@page(router, "/docket", "docket.html", summary="The case docket: overdue first, filters, per-department view")
def docket_page(ctx: CtxDep, as_of: str | None = None, department: str | None = None, kind: str | None = None,
                state: Annotated[str | None, Query(pattern="^(overdue|due_soon|open)$")] = None,
                due_within: Annotated[int, Query(ge=0, le=3650)] = 14,
                page_no: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1) -> dict:
    """Internal: case numbers, departments and dates of every case (no parties)."""
    from ipobs.protection import docket, on_time_by_department, summary
    from ipobs.protection.docket import STATE_LABELS

    require(ctx.user, "read_internal")
    as_of_d = parse_as_of(as_of, default_as_of(ctx.web))
    if kind and kind not in ENUMS["case_kind"]:
        raise WebError(400, i18n.gettext("Unknown case kind."), [f"kind={kind!r}"])
    pg = paging(0, page_no, PER_PAGE)
    df, total = docket(ctx.store, as_of_d, overdue=state == "overdue", due_within=due_within if state == "due_soon"
                       else None, open_only=state == "open", department=department or None, kind=kind or None,
                       limit=PER_PAGE, offset=pg["offset"])
    by_dept = summary(ctx.store, as_of_d)
    return {"as_of": as_of_d, "department": department, "kind": kind, "state": state, "due_within": due_within,
            "cases": jsonable(df), **paging(total, page_no, PER_PAGE), "by_department": jsonable(by_dept),
            "on_time_by_department": jsonable(on_time_by_department(ctx.store, as_of_d)),
            "state_labels": {k: list(v) for k, v in STATE_LABELS.items()},
            "kinds": {k: list(v) for k, v in ENUMS["case_kind"].items()},
            "departments": sorted(by_dept["department"].dropna().unique().tolist())}


@page(router, "/docket/{case_id}", "case.html", summary="One case: deadline worked out, parties, steps")
def case_page(ctx: CtxDep, case_id: str, as_of: str | None = None) -> dict:
    from ipobs.protection import case_detail

    require(ctx.user, "read_internal")
    as_of_d = parse_as_of(as_of, default_as_of(ctx.web))
    d = case_detail(ctx.store, case_id, as_of_d)
    if d is None:
        raise not_found(f"case {case_id}")
    case = d["case"]
    dept = case.get("department")
    head = pd.DataFrame([case])
    head, _w = redact_frame(head, ctx.user)
    parties = d["parties"].assign(department=dept)
    prow, pcols, _pw = _frame(parties, ctx.user)
    return {"as_of": as_of_d, "case": jsonable(head)[0], "parties": prow, "events": jsonable(d["events"]),
            "rule": d["rule"], "can_edit": may_edit_department(ctx.user, dept), "steps": list(STEP_STATUSES),
            "outcomes": {k: list(v) for k, v in ENUMS["case_outcome"].items()}}


@router.post("/docket/{case_id}/step", summary="Add a step to a case (its department's officers)")
def add_case_step(ctx: PostCtx, request: Request, case_id: str, status: Annotated[str, Form()],
                  event_date: Annotated[str, Form()], days: Annotated[str, Form()] = "",
                  outcome: Annotated[str, Form()] = "", note: Annotated[str, Form(max_length=2000)] = ""):
    """An extension, suspension, resumption or closure, as a one-row ``cases`` batch (logged like an import)."""
    from ipobs.web.lookup import one

    item = one(ctx.store, "SELECT * FROM ip_case WHERE case_id = ?", [case_id])
    if item is None:
        raise not_found(f"case {case_id}")
    require(ctx.user, "edit_department", item["department"])
    errors = []
    if status not in STEP_STATUSES:
        errors.append(f"status {status!r}: one of {', '.join(STEP_STATUSES)}")
    try:
        day = dt.date.fromisoformat(event_date.strip())
    except ValueError:
        day = None
        errors.append(f"event_date {event_date!r}: use YYYY-MM-DD")
    if day is not None and day < item["received_date"]:
        errors.append(f"event_date {day} is before the case was received ({item['received_date']})")
    n = None
    if days.strip():
        if not days.strip().isdigit():
            errors.append(f"days {days!r}: a whole number of days")
        else:
            n = int(days.strip())
    if status == "closed" and outcome not in ENUMS["case_outcome"]:
        errors.append(f"outcome {outcome!r}: one of {', '.join(ENUMS['case_outcome'])}")
    if errors:
        raise WebError(400, i18n.gettext("The change was not saved."), errors)
    row = {c: item.get(c) for c in TABLES["ip_case"].columns if c != "batch_id"}
    if status == "closed":
        row.update(closed_date=day, outcome=outcome)
    event = {"case_id": case_id, "event_date": day, "status": status, "days": n, "note": note.strip() or None,
             "_row": 2}
    batch = RecordBatch("cases", {"ip_case": pd.DataFrame([row]).assign(_row=2),
                                  "case_event": pd.DataFrame([event])},
                        format="web-edit", label=f"web case step {case_id} by {ctx.user.name}")
    result = save_edit(ctx, batch)
    detail = {"status": status, "event_date": day.isoformat(), "days": n, "outcome": outcome or None,
              "batch_id": result.batch_id}
    ctx.audit("case_step", case_id, detail)
    if wants_json(request):
        return json_response(ctx, {"case_id": case_id, **detail})
    return RedirectResponse(f"/docket/{case_id}", status_code=303)


@page(router, "/credit", "credit.html", summary="The dishonest-entity list (public view unless internal)")
def credit_page(ctx: CtxDep, as_of: str | None = None) -> dict:
    """Everyone sees the public view; internal roles see entries in force, unpublished ones of their department."""
    from ipobs.protection import entries

    as_of_d = parse_as_of(as_of, dt.date.today())
    internal = allowed(ctx.user, "read_internal")
    df = entries(ctx.store, as_of_d, public=not internal)
    rows, cols, withheld = _frame(df, ctx.user) if internal else (jsonable(df), list(df.columns), 0)
    return {"as_of": as_of_d, "view": "internal" if internal else "public", "columns": cols, "rows": rows,
            "withheld": withheld}


@router.get("/credit/check.json", summary="Check a name before a pledge, subsidy or award (internal)")
def credit_check(ctx: CtxDep, name: Annotated[str, Query(max_length=200)],
                 purpose: Annotated[str, Query(pattern="^(pledge|subsidy|award)$")] = "pledge",
                 as_of: str | None = None):
    """``listed`` true with the barring entries, or false (expired and other entries listed apart)."""
    from ipobs.protection import check

    require(ctx.user, "read_internal")
    try:
        r = check(ctx.store, name, parse_as_of(as_of, dt.date.today()), purpose)
    except ValueError as e:
        raise WebError(400, str(e)) from None
    return json_response(ctx, r.to_dict())


@page(router, "/finance", "finance.html", summary="Pledges, insurance, transactions, offers and institutions")
def finance_page(ctx: CtxDep, ledger: Annotated[str, Query(pattern="^(" + "|".join(FINANCE_LEDGERS) + ")$")]
                 = "pledges", year: Annotated[int | None, Query(ge=1985, le=2100)] = None,
                 page_no: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1) -> dict:
    """Ledgers are internal; the yearly amounts (aggregates) are public."""
    from ipobs.protection import ledger as ledger_rows
    from ipobs.protection import yearly

    y = yearly(ctx.store)
    chart = {"type": "bar", "categories": [f"{int(a)} {b}" for a, b in zip(y["year"], y["series"])],
             "values": [float(v) if v == v else 0.0 for v in y["amount_yuan"]]}
    out = {"ledger": ledger, "ledgers": list(FINANCE_LEDGERS), "year": year, "yearly": jsonable(y), "chart": chart,
           "rows": [], "columns": [], **paging(0, 1, PER_PAGE), "internal": allowed(ctx.user, "read_internal")}
    if out["internal"]:
        pg = paging(0, page_no, PER_PAGE)
        df, total = ledger_rows(ctx.store, ledger, year=year, limit=PER_PAGE, offset=pg["offset"])
        rows, cols, _w = _frame(df, ctx.user)
        out.update(rows=rows, columns=cols, **paging(total, page_no, PER_PAGE))
    return out

