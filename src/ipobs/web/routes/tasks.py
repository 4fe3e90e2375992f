"""The plan's 26 tasks with their departments, linked targets and reported progress; a view per
department of what it owns, where its officers report progress and edit its ledger items."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse

from ipobs.records.batch import RecordBatch
from ipobs.records.schema import ENUMS, TABLES, enum_label
from ipobs.web import evaluation as ev
from ipobs.web import i18n, services
from ipobs.web.accounts import TASK_PROGRESS, AccountError
from ipobs.web.context import CtxDep, PostCtx
from ipobs.web.edits import save_edit
from ipobs.web.errors import WebError, not_found, wants_json
from ipobs.web.filters import check_region, default_as_of, parse_as_of, region_choices, region_name
from ipobs.web.lookup import one, rows
from ipobs.web.pages import json_response, page, paging
from ipobs.web.policy import Forbidden, may_edit_department, require

router = APIRouter(tags=["tasks"])
log = logging.getLogger("ipobs.web")

LEDGER_PER_PAGE = 50
LEDGER_EDITABLE = ("status", "end_date", "quantity", "note")


def _names(obj) -> dict:
    return {"id": obj.id, "zh": obj.zh, "en": obj.en}


def _department(plan, dept_id: str) -> dict:
    d = plan.departments.get(dept_id)
    return {"id": dept_id, "zh": d.zh, "en": d.en, "kind": getattr(d, "kind", None)} if d else \
        {"id": dept_id, "zh": dept_id, "en": dept_id, "kind": None}


def _statuses(ctx, as_of: dt.date, region: str) -> tuple[dict, str | None]:
    """Target id → the monitor's status dict (empty, with the reason, when the monitor is missing)."""
    try:
        return {s["id"]: s for s in ev.evaluation(ctx.web, as_of, region)}, None
    except services.ServiceMissing as e:
        return {}, str(e)
    except Exception as e:  # noqa: BLE001 - the tasks are shown without statuses, and the page says why
        log.exception("target evaluation failed")
        return {}, f"ipobs.monitor.evaluate failed: {type(e).__name__}: {e}"


def _target_summary(plan, target_id: str, statuses: dict) -> dict:
    t = next((t for t in plan.targets if t.id == target_id), None)
    s = statuses.get(target_id, {})
    return {"id": target_id, "zh": t.zh if t else target_id, "en": t.en if t else target_id,
            "indicator": t.indicator if t else None, "status": s.get("status"), "status_zh": s.get("status_zh"),
            "status_en": s.get("status_en"), "value": s.get("value"), "target": s.get("target"),
            "unit": s.get("unit"), "probability": s.get("probability")}


def _task(plan, task, statuses: dict, reports: dict) -> dict:
    return {
        "id": task.id, "number": task.number, "group": task.group, "zh": task.zh, "en": task.en,
        "departments": [_department(plan, d) for d in task.departments],
        "targets": [_target_summary(plan, t, statuses) for t in task.targets],
        "reports": [reports[(task.id, d)] for d in task.departments if (task.id, d) in reports],
    }


@page(router, "/tasks", "tasks.html", summary="The plan's tasks by group, with departments, targets and progress")
def tasks_page(ctx: CtxDep, as_of: str | None = None, region: str | None = None) -> dict:
    """Every task of the plan grouped as the plan groups them."""
    plan = services.plan()
    as_of_d = parse_as_of(as_of, default_as_of(ctx.web))
    region = check_region(region)
    statuses, missing = _statuses(ctx, as_of_d, region)
    reports = ctx.accounts.latest_task_reports()
    groups = []
    for g in plan.groups:
        tasks = [_task(plan, t, statuses, reports) for t in plan.tasks if t.group == g.id]
        groups.append({**_names(g), "tasks": tasks})
    return {"plan": _names(plan), "as_of": as_of_d, "region": region_name(region), "regions": region_choices(),
            "groups": groups, "departments": [_department(plan, d) for d in plan.departments],
            "progress_labels": TASK_PROGRESS, "missing_services": [m for m in (missing,) if m]}


def _ledger(ctx, dept_id: str, page_no: int) -> dict:
    store = ctx.store
    total = store.scalar("SELECT count(*) FROM program_item WHERE department = ?", [dept_id]) or 0
    pg = paging(total, page_no, LEDGER_PER_PAGE)
    items = rows(store, "SELECT item_id, program, name, entity_id, status, start_date, end_date, quantity, "
                        "region_code, note FROM program_item WHERE department = ? "
                        "ORDER BY start_date DESC, item_id LIMIT ? OFFSET ?", [dept_id, LEDGER_PER_PAGE, pg["offset"]])
    for r in items:
        r["program_label"] = enum_label("program", r["program"], ctx.lang)
        r["status_label"] = enum_label("program_status", r["status"], ctx.lang)
    return {"rows": items, **pg}


@page(router, "/departments/{dept_id}", "department.html",
      summary="What one department owns: its tasks, targets and ledger items")
def department_page(ctx: CtxDep, dept_id: str, as_of: str | None = None, region: str | None = None,
                    page_no: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1) -> dict:
    """Only this department's tasks, targets and ledger items; editable by its officers."""
    plan = services.plan()
    if dept_id not in plan.departments:
        raise not_found(f"department {dept_id}")
    as_of_d = parse_as_of(as_of, default_as_of(ctx.web))
    region = check_region(region)
    statuses, missing = _statuses(ctx, as_of_d, region)
    reports = ctx.accounts.latest_task_reports()
    tasks = [_task(plan, t, statuses, reports) for t in plan.tasks if dept_id in t.departments]
    targets = [_target_summary(plan, t.id, statuses) for t in plan.targets if dept_id in t.departments]
    return {
        "department": _department(plan, dept_id), "as_of": as_of_d, "region": region_name(region),
        "tasks": tasks, "targets": targets, "ledger": _ledger(ctx, dept_id, page_no),
        "can_edit": may_edit_department(ctx.user, dept_id) and not ctx.settings.read_only,
        "progress_labels": TASK_PROGRESS,
        "ledger_statuses": {k: list(v) for k, v in ENUMS["program_status"].items()},
        "history": [r for r in ctx.accounts.task_reports() if r["department"] == dept_id][:50],
        "missing_services": [m for m in (missing,) if m],
    }


@router.post("/departments/{dept_id}/report", summary="Report a task's progress (the department's officers)")
def report_task(ctx: PostCtx, request: Request, dept_id: str, task: Annotated[str, Form()],
                progress: Annotated[str, Form()], note: Annotated[str, Form(max_length=2000)] = ""):
    require(ctx.user, "edit_department", dept_id)
    plan = services.plan()
    task_id = task
    task = next((t for t in plan.tasks if t.id == task_id), None)
    if dept_id not in plan.departments or task is None:
        raise not_found(f"department {dept_id} / task {task_id}")
    if dept_id not in task.departments:
        raise Forbidden(i18n.gettext("Task %(task)s is not a task of this department.") % {"task": task_id})
    try:
        report = ctx.accounts.report_task(ctx.user, task_id, dept_id, progress, note)
    except AccountError as e:
        raise WebError(400, i18n.gettext("The report was not saved."), [str(e)]) from None
    ctx.audit("task_report", f"{dept_id}/{task_id}", {"progress": progress, "note": note or None})
    if wants_json(request):
        return json_response(ctx, {"report": report}, status=201)
    return RedirectResponse(f"/departments/{dept_id}#task-{task_id}", status_code=303)


@router.post("/departments/{dept_id}/ledger/{item_id}", summary="Edit a ledger item (its department's officers)")
def edit_ledger_item(ctx: PostCtx, request: Request, dept_id: str, item_id: str,
                     status: Annotated[str, Form()] = "", end_date: Annotated[str, Form()] = "",
                     quantity: Annotated[str, Form()] = "", note: Annotated[str, Form(max_length=2000)] = ""):
    """Changes go through the store as a one-row batch of the ``programs`` kind (logged like any import)."""
    require(ctx.user, "edit_department", dept_id)
    item = one(ctx.store, "SELECT * FROM program_item WHERE item_id = ?", [item_id])
    if item is None:
        raise not_found(f"ledger item {item_id}")
    if item["department"] != dept_id:
        raise Forbidden(i18n.gettext("This ledger item belongs to another department."))
    changes = {k: v.strip() for k, v in (("status", status), ("end_date", end_date), ("quantity", quantity),
                                         ("note", note)) if v and v.strip()}
    if not changes:
        raise WebError(400, i18n.gettext("Nothing to change."))
    row = {c: item.get(c) for c in TABLES["program_item"].columns if c != "batch_id"}
    row.update(changes)
    # _edit makes each edit a distinct batch (setting a value back to an earlier one is a change too)
    frame = pd.DataFrame([row]).assign(_row=2, _edit=f"{dt.datetime.now().isoformat()} {ctx.user.name}")
    batch = RecordBatch("programs", {"program_item": frame},
                        format="web-edit", label=f"web edit {item_id} by {ctx.user.name}")
    result = save_edit(ctx, batch)
    ctx.audit("ledger_edit", f"{dept_id}/{item_id}", {**changes, "batch_id": result.batch_id})
    if wants_json(request):
        return json_response(ctx, {"item_id": item_id, "changed": changes, "batch_id": result.batch_id})
    return RedirectResponse(f"/departments/{dept_id}#item-{item_id}", status_code=303)
