"""Entity profile: an enterprise's or institute's patents, trademarks, flags over time, cases,
pledges and credit entries — record lookups, redacted for the viewer's role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ipobs.records.schema import enum_label
from ipobs.web.context import CtxDep
from ipobs.web.lookup import rows
from ipobs.web.errors import not_found
from ipobs.web.filters import region_label
from ipobs.web.pages import page, paging
from ipobs.web.policy import redact_rows

router = APIRouter(tags=["entities"])

PER_PAGE = 50


@page(router, "/entities/{entity_id}", "entity.html",
      summary="An entity's patents, trademarks, flags over time, cases, pledges and credit entries")
def entity_profile(ctx: CtxDep, entity_id: str,
                   page_no: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1) -> dict:
    """The profile of one entity; its patents are paged (50 a page, newest first)."""
    store, lang, user = ctx.store, ctx.lang, ctx.user
    found = rows(store, "SELECT * FROM entity WHERE entity_id = ?", [entity_id])
    if not found:
        raise not_found(f"entity {entity_id}")
    e = found[0]
    e["kind_label"] = enum_label("entity_kind", e.get("kind"), lang)
    e["region_label"] = region_label(e.get("region_code"))
    n_patents = store.scalar(
        "SELECT count(DISTINCT patent_id) FROM patent_party WHERE entity_id = ? AND role IN ('applicant','owner')",
        [entity_id])
    pg = paging(n_patents or 0, page_no, PER_PAGE)
    patents = rows(store,
                    "SELECT p.patent_id, p.application_no, p.kind, p.title, p.filing_date, p.grant_date, p.status "
                    "FROM patent p WHERE p.patent_id IN (SELECT patent_id FROM patent_party WHERE entity_id = ? "
                    "AND role IN ('applicant','owner')) ORDER BY p.filing_date DESC, p.patent_id LIMIT ? OFFSET ?",
                    [entity_id, PER_PAGE, pg["offset"]])
    for r in patents:
        r["kind_label"] = enum_label("patent_kind", r["kind"], lang)
        r["status_label"] = enum_label("patent_status", r["status"], lang) if r["status"] else ""
    trademarks = rows(store, "SELECT reg_no, nice_class, mark_name, application_date, registration_date, "
                              "expiry_date, status FROM trademark WHERE entity_id = ? "
                              "ORDER BY application_date DESC LIMIT 200", [entity_id])
    for r in trademarks:
        r["status_label"] = enum_label("trademark_status", r["status"], lang) if r["status"] else ""
    flags = rows(store, "SELECT flag, valid_from, valid_to, source FROM entity_flag WHERE entity_id = ? "
                         "ORDER BY valid_from, flag", [entity_id])
    for r in flags:
        r["flag_label"] = enum_label("entity_flag", r["flag"], lang)
    cases = rows(store, "SELECT c.case_id, c.kind, c.ip_right, c.department, c.received_date, c.closed_date, "
                         "c.outcome, c.internal_note, p.side FROM case_party p JOIN ip_case c ON c.case_id = p.case_id "
                         "WHERE p.entity_id = ? ORDER BY c.received_date DESC LIMIT 200", [entity_id])
    case_ids = [c["case_id"] for c in cases]
    others = []
    if case_ids:
        others = rows(store, "SELECT case_id, side, seq, name, entity_id, is_person FROM case_party "
                              "WHERE case_id IN (SELECT unnest(?)) AND (entity_id IS DISTINCT FROM ?) "
                              "ORDER BY case_id, side, seq", [case_ids, entity_id])
    dept_of = {c["case_id"]: c["department"] for c in cases}
    for o in others:
        o["department"] = dept_of.get(o["case_id"])
    cases, _ = redact_rows(cases, user)
    others, _ = redact_rows(others, user)
    for c in cases:
        c["kind_label"] = enum_label("case_kind", c["kind"], lang)
        c["side_label"] = enum_label("party_side", c["side"], lang)
        c["outcome_label"] = enum_label("case_outcome", c["outcome"], lang) if c["outcome"] else ""
        c["other_parties"] = [{"name": o["name"], "entity_id": o["entity_id"],
                               "side_label": enum_label("party_side", o["side"], lang)}
                              for o in others if o["case_id"] == c["case_id"]]
    pledges = rows(store, "SELECT pledge_id, pledgee, right_kind, amount_yuan, registration_date, release_date "
                           "FROM pledge WHERE pledgor_entity_id = ? ORDER BY registration_date DESC", [entity_id])
    for r in pledges:
        r["right_label"] = enum_label("right_kind", r["right_kind"], lang)
    credit = rows(store, "SELECT entry_id, name, reason, decision_no, decision_date, start_date, end_date, "
                          "source_department, joint_punishment, public FROM credit_entry WHERE entity_id = ? "
                          "ORDER BY decision_date DESC", [entity_id])
    credit, withheld = redact_rows(credit, user)
    for r in credit:
        r["reason_label"] = enum_label("credit_reason", r["reason"], lang)
    return {"entity": e, "patents": patents, **pg, "trademarks": trademarks, "flags": flags, "cases": cases,
            "pledges": pledges, "credit": credit, "credit_withheld": withheld}
