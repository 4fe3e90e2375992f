"""About: what data the store holds, from which sources, up to which dates; the synthetic label."""

from __future__ import annotations

from fastapi import APIRouter

from ipobs.records.schema import KINDS, TABLES
from ipobs.web import services
from ipobs.web.context import CtxDep
from ipobs.web.pages import page
from ipobs.web.policy import allowed

router = APIRouter(tags=["about"])

# The date that says how recent each record kind is (its "as of").
COVERAGE_DATE = {
    "patent": "filing_date",
    "patent_event": "event_date",
    "trademark": "application_date",
    "copyright": "registration_date",
    "entity_flag": "valid_from",
    "ip_case": "received_date",
    "credit_entry": "decision_date",
    "pledge": "registration_date",
    "insurance": "start_date",
    "ip_transaction": "txn_date",
    "program_item": "start_date",
}


def _coverage(store) -> list[dict]:
    rows = []
    for kind in KINDS.values():
        t = TABLES[kind.main]
        col = COVERAGE_DATE.get(kind.main)
        if col:
            n, first, last = store.con.execute(
                f'SELECT count(*), min("{col}"), max("{col}") FROM "{kind.main}"').fetchone()
        else:
            n, first, last = store.count(kind.main), None, None
        rows.append({"kind": kind.name, "table": kind.main, "zh": t.zh, "en": t.en, "rows": n,
                     "date_field": col, "first": first, "last": last})
    return rows


def _last_imports(store, internal: bool) -> list[dict]:
    df = store.query(
        "SELECT kind, format, max(finished_at) AS last_import, count(*) AS batches, "
        "arg_max(file_name, finished_at) AS last_file FROM import_batch WHERE status = 'committed' "
        "GROUP BY kind, format ORDER BY kind, format"
    )
    if not internal:
        df = df.drop(columns=["last_file"])
    return df.to_dict(orient="records")


@page(router, "/about", "about.html", summary="Data sources, as-of dates and the synthetic label")
def about(ctx: CtxDep) -> dict:
    """What the store holds: record kinds with their date coverage, the import sources, indicators."""
    store = ctx.store
    web = ctx.web
    key = ("about", web.generation(), allowed(ctx.user, "read_internal"))

    def compute():
        return {"coverage": _coverage(store), "imports": _last_imports(store, key[2])}

    data = dict(web.memo.get(key, compute))
    data["synthetic"] = web.synthetic()
    data["database"] = store.path.name
    try:
        registry = services.indicator_registry()
        data["indicators"] = [
            {"id": i.id, "zh": i.zh, "en": i.en, "unit": i.unit, "source": i.source,
             "definition_zh": i.definition_zh, "definition_en": i.definition_en}
            for i in registry.values()
        ]
    except services.ServiceMissing as e:
        data["indicators"] = []
        data["indicators_missing"] = str(e)
    try:
        p = services.plan()
        data["plan"] = {"id": p.id, "zh": p.zh, "en": p.en, "issued": p.issued}
    except services.ServiceMissing as e:
        data["plan"] = None
        data["plan_missing"] = str(e)
    return data
