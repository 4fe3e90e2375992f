"""The authorization matrix: every route under every role, and what each role may see.

Roles: anonymous (not logged in), public, analyst, officer (of 区市场监管局 ``market``),
officer_sci (of 区科技局 ``sci``), admin. docs/web.md shows the same matrix as a table.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ipobs.plan import load_plan
from tests.web.conftest import (HIDDEN_CREDIT_ID, HIDDEN_CREDIT_NAME, INTERNAL_NOTE, PERSON_NAME, PERSON_NAME_2,
                                PUBLIC_CREDIT_NAME, ledger_file, program_rows)

ROLES = ("anonymous", "public", "analyst", "officer", "officer_sci", "admin")


def expect(anonymous, public, analyst, officer, officer_sci, admin) -> dict:
    return dict(zip(ROLES, (anonymous, public, analyst, officer, officer_sci, admin)))


EVERYONE = expect(200, 200, 200, 200, 200, 200)
INTERNAL_HTML = expect(303, 403, 200, 200, 200, 200)  # anonymous people are sent to the login page
INTERNAL_JSON = expect(401, 403, 200, 200, 200, 200)
ADMIN_HTML = expect(303, 403, 403, 403, 403, 200)
ADMIN_JSON = expect(401, 403, 403, 403, 403, 200)

READ_MATRIX = [
    ("/", EVERYONE), ("/index.json", EVERYONE),
    ("/about", EVERYONE), ("/about.json", EVERYONE),
    ("/tasks", EVERYONE), ("/tasks.json", EVERYONE),
    ("/departments/market", EVERYONE), ("/departments/market.json", EVERYONE),
    ("/indicators", EVERYONE), ("/indicators.json", EVERYONE),
    ("/indicators/valid_patents.json", EVERYONE),
    ("/indicators/repeat_infringers/records?as_of=2023-06-30", EVERYONE),
    ("/indicators/repeat_infringers/records.json?as_of=2023-06-30", EVERYONE),
    ("/indicators/repeat_infringers/records.xlsx?as_of=2023-06-30", EVERYONE),
    ("/search.json?q=数据", EVERYONE), ("/api/search?q=数据", EVERYONE), ("/api/analytics/sections", EVERYONE),
    ("/patents/CN201910000001", EVERYONE), ("/patents/CN201910000001.json", EVERYONE),
    ("/entities/E-TEST-1", EVERYONE), ("/entities/E-TEST-1.json", EVERYONE),
    ("/docs", EVERYONE), ("/openapi.json", EVERYONE), ("/me.json", EVERYONE), ("/login", EVERYONE),
    ("/imports", INTERNAL_HTML), ("/imports.json", INTERNAL_JSON),
    ("/imports/1", INTERNAL_HTML), ("/imports/1.json", INTERNAL_JSON),
    # rejected rows may hold personal data: officers only see their own uploads' rejects
    ("/imports/1/rejects.xlsx", expect(303, 403, 200, 403, 403, 200)),
    # protection (tests/protection/test_web.py covers edits and what each role sees)
    ("/docket", INTERNAL_HTML), ("/docket.json", INTERNAL_JSON),
    ("/docket/CASE-T-1", INTERNAL_HTML), ("/docket/CASE-T-1.json", INTERNAL_JSON),
    ("/credit", EVERYONE), ("/credit.json", EVERYONE),
    ("/credit/check.json?name=公开失信企业乙", INTERNAL_JSON),
    ("/finance", EVERYONE), ("/finance.json", EVERYONE),
    # aggregates of public patent data
    ("/analytics", EVERYONE), ("/analytics.json?set=ipc:G06", EVERYONE),
    ("/portfolios", EVERYONE), ("/portfolios.json", EVERYONE),
    ("/admin", ADMIN_HTML), ("/admin.json", ADMIN_JSON),
    ("/admin/audit", ADMIN_HTML), ("/admin/audit.json", ADMIN_JSON),
]


@pytest.mark.parametrize("path,expected", READ_MATRIX, ids=[p for p, _ in READ_MATRIX])
def test_read_matrix(clients, path, expected):
    got = {role: clients[role].get(path, follow_redirects=False).status_code for role in ROLES}
    assert got == expected


def test_anonymous_is_sent_to_login_with_the_page_to_return_to(clients):
    r = clients["anonymous"].get("/imports", follow_redirects=False)
    assert r.headers["location"] == "/login?next=/imports"


# -- what each role may see ---------------------------------------------------------------
SENSITIVE_PAGES = [
    "/entities/E-TEST-1", "/entities/E-TEST-1.json",
    "/indicators/repeat_infringers/records?as_of=2023-06-30",
    "/indicators/repeat_infringers/records.json?as_of=2023-06-30",
    "/indicators/repeat_infringers/records.xlsx?as_of=2023-06-30",
    # pages of other floors built on the same policy (only scanned where the role may open them)
    "/credit", "/credit.json", "/docket/CASE-T-1", "/docket/CASE-T-1.json", "/docket/CASE-T-2.json",
]
ALL_PRIVATE = {PERSON_NAME, PERSON_NAME_2, INTERNAL_NOTE, HIDDEN_CREDIT_NAME, HIDDEN_CREDIT_ID}
# (must see, must not see): the market officer sees the personal data of market's cases only
VISIBILITY = {
    "anonymous": (set(), ALL_PRIVATE),
    "public": (set(), ALL_PRIVATE),
    "officer_sci": (set(), ALL_PRIVATE),
    "officer": ({PERSON_NAME, INTERNAL_NOTE, HIDDEN_CREDIT_NAME}, {PERSON_NAME_2}),
    "analyst": (ALL_PRIVATE, set()),
    "admin": (ALL_PRIVATE, set()),
}


def body_text(response) -> str:
    if response.headers.get("content-type", "").startswith("application/vnd.openxml"):
        wb = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                         for v in row if v is not None)
    return response.text


@pytest.mark.parametrize("role", ROLES)
def test_visible_fields_by_role(clients, role):
    text = ""
    for path in SENSITIVE_PAGES:
        r = clients[role].get(path, follow_redirects=False)
        if r.status_code in (303, 401, 403) and path.startswith("/docket"):
            continue  # an internal page this role may not open (the read matrix checks which)
        assert r.status_code == 200, (path, r.status_code)
        text += body_text(r)
    must_see, must_not_see = VISIBILITY[role]
    assert PUBLIC_CREDIT_NAME in text  # published credit entries are public
    assert {s for s in must_see if s not in text} == set()
    assert {s for s in must_not_see if s in text} == set()


def test_public_records_keep_the_case_but_not_the_person(clients):
    rows = clients["public"].get("/indicators/repeat_infringers/records.json?as_of=2023-06-30").json()
    persons = [r for r in rows["records"]["rows"] if r.get("is_person")]
    assert persons and all(r["name"] == "—" and r["respondent"] == "—" for r in persons)
    assert all(r["findings"] >= 2 for r in persons)


# -- changes: every role tries every state-changing route -----------------------------------
def market_task() -> str:
    return next(t.id for t in load_plan().tasks if "market" in t.departments and "sci" not in t.departments)


def test_task_report_matrix(fresh_clients):
    task = market_task()
    got = {role: fresh_clients[role].post("/departments/market/report",
                                          data={"task": task, "progress": "in_progress", "note": role},
                                          headers={"Accept": "application/json"}).status_code for role in ROLES}
    assert got == expect(401, 403, 403, 201, 403, 201)


def test_ledger_edit_matrix(fresh_clients):
    got = {role: fresh_clients[role].post("/departments/market/ledger/PRG-T-MKT", data={"status": "in_progress"},
                                          headers={"Accept": "application/json"}).status_code for role in ROLES}
    assert got == expect(401, 403, 403, 200, 403, 200)


def test_officer_forging_another_department_gets_403(fresh_clients):
    sci = fresh_clients["officer_sci"]
    # the item belongs to market: claiming it under sci's own URL is refused too
    r = sci.post("/departments/sci/ledger/PRG-T-MKT?lang=en", data={"status": "completed"},
                 headers={"Accept": "application/json"})
    assert r.status_code == 403 and r.json()["error"] == "This ledger item belongs to another department."
    r = sci.post("/departments/market/report?lang=en", data={"task": market_task(), "progress": "done"},
                 headers={"Accept": "application/json"})
    assert r.status_code == 403 and r.json()["error"] == "You are an officer of department sci, not of market."
    r = sci.post("/departments/market/report?lang=zh", data={"task": market_task(), "progress": "done"},
                 headers={"Accept": "application/json"})
    assert r.json()["error"] == "您是 sci 部门的联络员，不是 market 部门的。"


def test_account_admin_matrix(fresh_clients):
    got = {role: fresh_clients[role].post("/admin/users", data={"name": f"new-{role}", "role": "analyst",
                                                                 "password": "long-enough-1"},
                                          headers={"Accept": "application/json"}).status_code for role in ROLES}
    assert got == expect(401, 403, 403, 403, 403, 201)


def test_upload_matrix(fresh_clients, tmp_path):
    got = {}
    for role in ROLES:
        path = ledger_file(tmp_path / f"{role}.xlsx", "programs", "program_item", program_rows("market", role))
        with path.open("rb") as fh:
            r = fresh_clients[role].post("/imports", data={"kind": "programs"}, files={"file": (path.name, fh)},
                                         headers={"Accept": "application/json"})
        got[role] = r.status_code
    assert got == expect(401, 403, 403, 201, 403, 201)


def test_post_without_csrf_token_is_refused(fresh_clients):
    admin = fresh_clients["admin"]
    r = admin.post("/admin/users", data={"name": "x", "role": "analyst", "password": "long-enough-1"},
                   headers={"X-CSRF-Token": "", "Accept": "application/json"})
    assert r.status_code == 403
    assert admin.app.state.web.accounts.get("x") is None


def test_edits_and_imports_are_audited(fresh_clients, tmp_path):
    officer = fresh_clients["officer"]
    officer.post("/departments/market/report", data={"task": market_task(), "progress": "delayed"},
                 headers={"Accept": "application/json"})
    officer.post("/departments/market/ledger/PRG-T-MKT", data={"status": "completed", "end_date": "2023-01-31"},
                 headers={"Accept": "application/json"})
    entries = fresh_clients["admin"].get("/admin/audit.json?account=officer").json()["entries"]
    actions = [(e["action"], e["target"]) for e in entries]
    assert ("ledger_edit", "market/PRG-T-MKT") in actions
    assert ("task_report", f"market/{market_task()}") in actions
    assert ("login", None) in actions
    edit = next(e for e in entries if e["action"] == "ledger_edit")
    assert edit["detail"]["status"] == "completed" and edit["detail"]["batch_id"] > 0
