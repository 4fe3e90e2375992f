"""Imports: upload a file (``ipobs.sources.importer.import_file``), see the batch summary and its
rejected rows, download them as Excel, and the history of every batch (``store.batches()``)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import StreamingResponse

from ipobs.records.batch import REJECT_CODES
from ipobs.records.schema import ENUMS, KINDS
from ipobs.web import i18n, services
from ipobs.web.context import CtxDep, PostCtx
from ipobs.web.errors import WebError, not_found, wants_json
from ipobs.web.lookup import one, rows
from ipobs.web.pages import json_response, page, paging, render
from ipobs.web.policy import DEPARTMENT_KINDS, Forbidden, allowed, require, sees_batch

router = APIRouter(tags=["imports"])
log = logging.getLogger("ipobs.web")

# What an upload may be; the importer's format registry decides what is actually inside.
ACCEPTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".tsv", ".txt", ".xml", ".json", ".jsonl", ".zip", ".gz")
HISTORY_PER_PAGE = 50
REJECTS_PER_PAGE = 100


def _kinds_for(user) -> list[dict]:
    names = list(DEPARTMENT_KINDS) if user.role == "officer" else list(KINDS)
    return [{"name": k, "zh": KINDS[k].zh, "en": KINDS[k].en} for k in names]


@page(router, "/imports", "imports.html", summary="Import history (every batch) and the upload form")
def imports_page(ctx: CtxDep, page_no: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1) -> dict:
    """Every import batch, newest first: file, kind, counts, status, who and when."""
    require(ctx.user, "read_internal")
    store = ctx.store
    total = store.scalar("SELECT count(*) FROM import_batch") or 0
    pg = paging(total, page_no, HISTORY_PER_PAGE)
    batches = rows(store, "SELECT batch_id, kind, file_name, format, status, accepted, updated, duplicate, rejected, "
                          "started_at, finished_at, user_name, message, synthetic FROM import_batch "
                          "ORDER BY batch_id DESC LIMIT ? OFFSET ?", [HISTORY_PER_PAGE, pg["offset"]])
    for b in batches:
        b["kind_label"] = [KINDS[b["kind"]].zh, KINDS[b["kind"]].en] if b["kind"] in KINDS else [b["kind"]] * 2
        b["status_label"] = list(ENUMS["batch_status"].get(b["status"], (b["status"], b["status"])))
    can_import = allowed(ctx.user, "import") and not ctx.settings.read_only
    return {"batches": batches, **pg, "can_import": can_import, "kinds": _kinds_for(ctx.user),
            "accepted_suffixes": list(ACCEPTED_SUFFIXES), "max_upload_mb": ctx.settings.max_upload_mb,
            "importer": services.available("ipobs.sources.importer", "import_file")}


def _safe_name(name: str | None) -> str:
    base = Path(name or "upload").name
    base = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", base).strip("._") or "upload"
    return base[:120]


def _own_department_values(user) -> set[str]:
    """How an officer's department may be written in a file: its id, Chinese or English name."""
    values = {user.department}
    try:
        d = services.plan().departments.get(user.department)
    except services.ServiceMissing:
        d = None
    if d is not None:
        values |= {d.zh, d.en}
    return {v for v in values if v}


def _check_departments(path: Path, kind: str | None, user) -> None:
    """An officer's file may only hold rows of their own department (403 otherwise)."""
    if user.role != "officer":
        return
    if kind not in DEPARTMENT_KINDS:
        raise Forbidden(i18n.gettext("Officers import only their department's ledgers, cases and credit entries."))
    open_source = services.service("ipobs.sources.importer", "open_source")
    context = services.service("ipobs.sources.reading", "Context")
    table, column = DEPARTMENT_KINDS[kind]
    own = _own_department_values(user)
    others: set[str] = set()
    reading = open_source(path, kind)
    for chunk in reading.chunks(context(dt.date.today())):
        df = chunk.batch.frames.get(table)
        if df is not None and column in df.columns:
            others |= {str(v).strip() for v in df[column].dropna().unique()} - own
    if others:
        raise Forbidden(i18n.gettext("The file has rows of other departments: %(depts)s. You may import only "
                                     "rows of your department (%(own)s).") % {"depts": ", ".join(sorted(others)),
                                                                             "own": user.department})


@router.post("/imports", summary="Upload a file to import (multipart: file, kind, strict)")
def upload(ctx: PostCtx, request: Request, file: Annotated[UploadFile, File()],
           kind: Annotated[str, Form()] = "", strict: Annotated[str, Form()] = ""):
    require(ctx.user, "import")
    if ctx.settings.read_only:
        raise WebError(403, i18n.gettext("This server is read-only: imports are disabled."))
    import_file = services.service("ipobs.sources.importer", "import_file")
    name = _safe_name(file.filename)
    if not name.lower().endswith(ACCEPTED_SUFFIXES):
        raise WebError(415, i18n.gettext("This type of file cannot be imported."),
                       [i18n.gettext("%(name)s: accepted are %(types)s")
                        % {"name": name, "types": ", ".join(ACCEPTED_SUFFIXES)}])
    kind = kind or None
    if kind is not None and kind not in KINDS:
        raise WebError(400, i18n.gettext("Unknown record kind."), [f"{kind!r}; known: {', '.join(KINDS)}"])
    if ctx.user.role == "officer" and kind is None:
        raise WebError(400, i18n.gettext("Choose the record kind of the file."))
    tmp = Path(tempfile.mkdtemp(prefix="ipobs-upload-"))
    try:
        path = tmp / name
        with path.open("wb") as out:
            shutil.copyfileobj(file.file, out)
        if path.stat().st_size == 0:
            raise WebError(400, i18n.gettext("The file is empty."), [name])
        result = _run_import(ctx, import_file, path, kind, strict in ("1", "on", "true", "yes"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ctx.web.memo.clear()
    summary = result.to_dict() if hasattr(result, "to_dict") else dict(result)
    ctx.audit("import", name, {"batch_id": summary.get("batch_id"), "kind": summary.get("kind"),
                               "status": summary.get("status"), "accepted": summary.get("accepted"),
                               "rejected": summary.get("rejected")})
    if wants_json(request):
        return json_response(ctx, {"batch": summary}, status=201)
    if summary.get("batch_id") is None:
        raise WebError(400, i18n.gettext("The file could not be imported."), [summary.get("message") or ""])
    data = _batch_data(ctx, int(summary["batch_id"]), 1)
    data["summary"] = summary
    return render(ctx, "import_batch.html", data, status=201)


def _run_import(ctx, import_file, path: Path, kind: str | None, strict: bool):
    """Check the department rule, then import; a file that cannot be read is a 400 saying why."""
    import_failed = services.service("ipobs.sources.importer", "ImportFailed")
    try:
        _check_departments(path, kind, ctx.user)
        with ctx.web.pool.writer() as store:
            return import_file(store, path, kind=kind, user=ctx.user.name, strict=strict)
    except (Forbidden, WebError):
        raise
    except import_failed as e:
        raise WebError(400, i18n.gettext("The file could not be imported."), [str(e)]) from None
    except PermissionError as e:
        raise WebError(403, str(e)) from None
    except Exception as e:  # noqa: BLE001 - any reading failure is the file's problem, told to the user
        log.warning("import of %s failed: %s", path.name, e, exc_info=True)
        raise WebError(400, i18n.gettext("The file could not be read."), [f"{path.name}: {e}"]) from None


def _batch(ctx, batch_id: int) -> dict:
    b = one(ctx.store, "SELECT * EXCLUDE (sha256), sha256 FROM import_batch WHERE batch_id = ?", [batch_id])
    if b is None:
        raise not_found(f"import batch {batch_id}")
    return b


@page(router, "/imports/{batch_id}", "import_batch.html", summary="One import batch and its rejected rows")
def batch_page(ctx: CtxDep, batch_id: int,
               page_no: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1) -> dict:
    """A batch's summary, its rejects counted by code, and the rejected rows (100 a page)."""
    require(ctx.user, "read_internal")
    return _batch_data(ctx, batch_id, page_no)


def _batch_data(ctx, batch_id: int, page_no: int) -> dict:
    b = _batch(ctx, batch_id)
    visible = sees_batch(ctx.user, b.get("user_name"))
    by_code = rows(ctx.store, "SELECT code, count(*) AS n FROM import_reject WHERE batch_id = ? GROUP BY code "
                              "ORDER BY n DESC, code", [batch_id])
    for r in by_code:
        r["title"] = REJECT_CODES.get(r["code"], (r["code"], ""))[0]
    total = sum(r["n"] for r in by_code)
    pg = paging(total, page_no, REJECTS_PER_PAGE)
    rejects = []
    if visible:
        rejects = rows(ctx.store, "SELECT sheet, row_no, column_name, code, value, note, record_table "
                                  "FROM import_reject WHERE batch_id = ? ORDER BY row_no NULLS FIRST, column_name "
                                  "LIMIT ? OFFSET ?", [batch_id, REJECTS_PER_PAGE, pg["offset"]])
    b["kind_label"] = [KINDS[b["kind"]].zh, KINDS[b["kind"]].en] if b["kind"] in KINDS else [b["kind"], b["kind"]]
    b["status_label"] = list(ENUMS["batch_status"].get(b["status"], (b["status"], b["status"])))
    return {"batch": b, "by_code": by_code, "rejects": rejects, **pg, "rejects_visible": visible}


@router.get("/imports/{batch_id}/rejects.xlsx", summary="A batch's rejected rows as an Excel file")
def rejects_xlsx(ctx: CtxDep, batch_id: int):
    require(ctx.user, "read_internal")
    b = _batch(ctx, batch_id)
    if not sees_batch(ctx.user, b.get("user_name")):
        raise Forbidden(i18n.gettext("Rejected rows may hold personal data: officers see only their own uploads."))
    from openpyxl import Workbook

    rejects = rows(ctx.store, "SELECT sheet, row_no, column_name, code, value, note, record_table "
                              "FROM import_reject WHERE batch_id = ? ORDER BY row_no NULLS FIRST, column_name",
                   [batch_id])
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("rejects")
    ws.append([i18n.gettext("Sheet"), i18n.gettext("Row"), i18n.gettext("Column"), i18n.gettext("Code"),
               i18n.gettext("Problem"), i18n.gettext("Value"), i18n.gettext("Note"), i18n.gettext("Table")])
    for r in rejects:
        value = r["value"]
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
            value = "'" + value
        ws.append([r["sheet"], r["row_no"], r["column_name"], r["code"],
                   REJECT_CODES.get(r["code"], (r["code"],))[0], value, r["note"], r["record_table"]])
    buf = io.BytesIO()
    wb.save(buf)
    name = f"rejects_batch{batch_id}.xlsx"
    return StreamingResponse(io.BytesIO(buf.getvalue()),
                             media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})
