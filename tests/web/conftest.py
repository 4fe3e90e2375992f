"""Web fixtures: a store (the demo database when it can be built, plus a few known records that
must never reach the public), accounts for every role, and clients logged in as each role."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from ipobs.records.batch import RecordBatch
from ipobs.store import open_store

PASSWORD = "correct-horse-9"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # tests only: cheap argon2id

# Strings only the privileged may see (test_authorization scans every public response for them).
PERSON_NAME = "王秘密人"
PERSON_NAME_2 = "李隐私"
INTERNAL_NOTE = "内部备注：举报人线索XYZ-7781"
HIDDEN_CREDIT_NAME = "未公开失信企业甲"
HIDDEN_CREDIT_ID = "CR-HIDDEN-001"
PUBLIC_CREDIT_NAME = "公开失信企业乙"
XSS = "<script>alert(1)</script>"

ROLES = {
    "admin": {"role": "admin"},
    "officer": {"role": "officer", "department": "market"},
    "officer_sci": {"role": "officer", "department": "sci"},
    "analyst": {"role": "analyst"},
    "public": {"role": "public"},
}


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def known_records(store) -> None:
    """Records the tests know by name: an enterprise with patents, cases, pledges and credit entries."""
    ent = pd.DataFrame([
        {"entity_id": "E-TEST-1", "name": "滨海测试科技有限公司", "kind": "enterprise", "region_code": "120116Z4",
         "uscc": "91120116TEST00001X", "industry": "next_gen_it", "founded": _d("2010-05-01")},
        {"entity_id": "E-TEST-2", "name": XSS + "有限公司", "kind": "enterprise", "region_code": "120116Z6"},
        {"entity_id": "E-TEST-BANK", "name": "测试银行滨海分行", "kind": "bank", "region_code": "120116Z1"},
    ])
    store.import_batch(RecordBatch("entities", {"entity": ent}, label="web-test entities"), user="test")
    flags = pd.DataFrame([
        {"entity_id": "E-TEST-1", "flag": "high_tech", "valid_from": _d("2016-11-30"), "valid_to": _d("2019-11-30")},
        {"entity_id": "E-TEST-1", "flag": "high_tech", "valid_from": _d("2019-11-30"), "valid_to": None},
        {"entity_id": "E-TEST-1", "flag": "gbt29490", "valid_from": _d("2020-06-01"), "valid_to": None},
    ])
    store.import_batch(RecordBatch("entity_flags", {"entity_flag": flags}, label="web-test flags"), user="test")
    patents = pd.DataFrame([
        {"patent_id": "CN201910000001", "application_no": "201910000001.3", "kind": "invention",
         "filing_date": _d("2019-01-05"), "publication_date": _d("2019-07-05"), "grant_date": _d("2021-03-02"),
         "title": "一种测试用的数据处理方法", "abstract": "本发明公开了一种数据处理方法。", "claims_count": 10,
         "ipc_main": "G06F16/20", "region_code": "120116Z4", "country": "CN", "domestic": True,
         "industry": "next_gen_it", "status": "granted"},
        {"patent_id": "CN201920000002", "application_no": "201920000002.X", "kind": "utility",
         "filing_date": _d("2019-02-01"), "title": XSS, "region_code": "120116Z6", "country": "CN",
         "status": "pending"},
        # the latest filing: without the demo data, pages default to this date
        {"patent_id": "CN202310000003", "application_no": "202310000003.5", "kind": "invention",
         "filing_date": _d("2023-06-30"), "title": "一种无人机巡检系统", "region_code": "120116Z4", "country": "CN",
         "industry": "high_end_equipment", "status": "pending"},
    ])
    party = pd.DataFrame([
        {"patent_id": "CN201910000001", "role": "applicant", "seq": 1, "name": "滨海测试科技有限公司",
         "entity_id": "E-TEST-1"},
        {"patent_id": "CN201910000001", "role": "inventor", "seq": 1, "name": "赵发明"},
        {"patent_id": "CN201920000002", "role": "applicant", "seq": 1, "name": XSS + "有限公司",
         "entity_id": "E-TEST-2"},
    ])
    ipc = pd.DataFrame([
        {"patent_id": "CN201910000001", "ipc": "G06F16/20", "subclass": "G06F", "seq": 1, "is_main": True},
        {"patent_id": "CN201910000001", "ipc": "G06N3/08", "subclass": "G06N", "seq": 2, "is_main": False},
    ])
    events = pd.DataFrame([
        {"patent_id": "CN201910000001", "event_date": _d("2019-01-05"), "event": "filed", "status_after": "pending"},
        {"patent_id": "CN201910000001", "event_date": _d("2019-07-05"), "event": "published"},
        {"patent_id": "CN201910000001", "event_date": _d("2021-03-02"), "event": "granted", "status_after": "granted"},
        {"patent_id": "CN201920000002", "event_date": _d("2019-02-01"), "event": "filed", "status_after": "pending"},
        {"patent_id": "CN202310000003", "event_date": _d("2023-06-30"), "event": "filed", "status_after": "pending"},
    ])
    cites = pd.DataFrame([{"citing_id": "CN201910000001", "cited_no": "CN107000001A", "category": "examiner"}])
    family = pd.DataFrame([{"patent_id": "CN201910000001", "member_no": "US2020123456A1", "country": "US",
                            "granted": False}])
    store.import_batch(RecordBatch("patents", {"patent": patents, "patent_party": party, "patent_ipc": ipc,
                                               "patent_event": events, "patent_citation": cites,
                                               "patent_family": family}, label="web-test patents"), user="test")
    cases = pd.DataFrame([
        {"case_id": "CASE-T-1", "kind": "admin_patent_dispute", "ip_right": "patent", "department": "market",
         "right_no": "CN201910000001", "received_date": _d("2022-03-01"), "closed_date": _d("2022-05-20"),
         "outcome": "infringement_found", "internal_note": INTERNAL_NOTE, "region_code": "120116Z4"},
        {"case_id": "CASE-T-2", "kind": "admin_trademark", "ip_right": "trademark", "department": "ip_bureau",
         "received_date": _d("2023-01-10"), "region_code": "120116Z1"},
        {"case_id": "CASE-T-3", "kind": "admin_counterfeit_patent", "ip_right": "patent", "department": "market",
         "received_date": _d("2022-09-01"), "closed_date": _d("2022-11-01"), "outcome": "penalty",
         "region_code": "120116Z4"},
    ])
    case_party = pd.DataFrame([
        {"case_id": "CASE-T-1", "side": "complainant", "seq": 1, "name": "滨海测试科技有限公司",
         "entity_id": "E-TEST-1", "is_person": False},
        {"case_id": "CASE-T-1", "side": "respondent", "seq": 1, "name": PERSON_NAME, "is_person": True},
        {"case_id": "CASE-T-3", "side": "respondent", "seq": 1, "name": PERSON_NAME, "is_person": True},
        {"case_id": "CASE-T-2", "side": "complainant", "seq": 1, "name": "滨海测试科技有限公司",
         "entity_id": "E-TEST-1", "is_person": False},
        {"case_id": "CASE-T-2", "side": "respondent", "seq": 1, "name": PERSON_NAME_2, "is_person": True},
    ])
    store.import_batch(RecordBatch("cases", {"ip_case": cases, "case_party": case_party}, label="web-test cases"),
                       user="test")
    credit = pd.DataFrame([
        {"entry_id": HIDDEN_CREDIT_ID, "name": HIDDEN_CREDIT_NAME, "entity_id": "E-TEST-1",
         "reason": "abnormal_patent_application", "decision_date": _d("2021-06-01"), "start_date": _d("2021-06-01"),
         "source_department": "market", "public": False},
        {"entry_id": "CR-PUBLIC-001", "name": PUBLIC_CREDIT_NAME, "entity_id": "E-TEST-1",
         "reason": "repeat_infringement", "decision_date": _d("2022-06-01"), "start_date": _d("2022-06-01"),
         "source_department": "market", "public": True},
    ])
    store.import_batch(RecordBatch("credit", {"credit_entry": credit}, label="web-test credit"), user="test")
    pledges = pd.DataFrame([{"pledge_id": "PL-T-1", "pledgor": "滨海测试科技有限公司", "pledgor_entity_id": "E-TEST-1",
                             "pledgee": "测试银行滨海分行", "right_kind": "patent", "amount_yuan": 5_000_000.0,
                             "registration_date": _d("2022-08-01"), "region_code": "120116Z4"}])
    store.import_batch(RecordBatch("pledges", {"pledge": pledges}, label="web-test pledges"), user="test")
    programs = pd.DataFrame([
        {"item_id": "PRG-T-SCI", "program": "navigation_industry", "name": "测试导航项目", "department": "sci",
         "status": "in_progress", "start_date": _d("2021-04-01"), "region_code": "120116"},
        {"item_id": "PRG-T-MKT", "program": "training", "name": "测试培训", "department": "market",
         "status": "planned", "start_date": _d("2022-04-01"), "quantity": 120.0, "region_code": "120116"},
    ])
    store.import_batch(RecordBatch("programs", {"program_item": programs}, label="web-test programs"), user="test")


def _demo_available() -> bool:
    """The demo store is used when its builder is installed (IPOBS_WEB_TESTS_DEMO=0: known records only)."""
    if os.environ.get("IPOBS_WEB_TESTS_DEMO") == "0":
        return False
    try:
        from ipobs.demo.build import build_demo  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="session")
def web_base_db(tmp_path_factory, request) -> Path:
    """The demo database (when the demo builder is installed) plus the known records, built once."""
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    if _demo_available():
        demo_db = request.getfixturevalue("demo_db")
        shutil.copyfile(demo_db, path)
    with open_store(path) as store:
        known_records(store)
    return path


def _copy(base: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / "store.duckdb"
    shutil.copyfile(base, dest)
    return dest


def make_app(db: Path, **overrides):
    from ipobs.web.app import create_app
    from ipobs.web.settings import WebSettings

    settings = WebSettings.load(db, warm_cache=False, **overrides)
    app = create_app(settings)
    app.state.web.accounts.use_hasher(FAST_HASHER)
    for name, spec in ROLES.items():
        app.state.web.accounts.add(name, spec["role"], PASSWORD, department=spec.get("department"))
    return app


def login(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    token = client.get("/me.json").json()["csrf_token"]
    r = client.post("/login", data={"name": name, "password": password, "csrf_token": token},
                    headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return client


@pytest.fixture(scope="session")
def web_app(web_base_db, tmp_path_factory):
    """One app over a copy of the base database, shared by read-only tests."""
    app = make_app(_copy(web_base_db, tmp_path_factory.mktemp("webapp")))
    yield app
    app.state.web.close()


@pytest.fixture()
def fresh_app(web_base_db, tmp_path):
    """An app over its own copy, for tests that import or edit."""
    app = make_app(_copy(web_base_db, tmp_path / "db"))
    yield app
    app.state.web.close()


def role_clients(app) -> dict[str, TestClient]:
    """A client per role, logged in ("anonymous" is not logged in but has its CSRF token)."""
    out = {"anonymous": TestClient(app)}
    for name in ROLES:
        out[name] = login(TestClient(app), name)
    out["anonymous"].get("/me.json")  # receive the anonymous CSRF cookie
    out["anonymous"].headers["X-CSRF-Token"] = out["anonymous"].cookies.get("ipobs_csrf")
    return out


@pytest.fixture(scope="session")
def clients(web_app):
    return role_clients(web_app)


@pytest.fixture()
def fresh_clients(fresh_app):
    return role_clients(fresh_app)


def ledger_file(path: Path, kind: str, table: str, rows: list[dict], bad: dict | None = None) -> Path:
    """A filled ledger template (what a department uploads); ``bad`` = {(excel_row, header_part): value}
    overwrites cells after writing, to make rows the importer must reject."""
    from openpyxl import load_workbook

    from ipobs.sources.templates import write_template

    write_template(kind, path, records={table: pd.DataFrame(rows)})
    if bad:
        wb = load_workbook(path)
        ws = next(wb[n] for n in wb.sheetnames if not n.startswith("_") and n != "说明")
        header = [str(c.value or "") for c in ws[1]]
        for (row, part), value in bad.items():
            col = next(i for i, h in enumerate(header) if part in h) + 1
            ws.cell(row=row, column=col, value=value)
        wb.save(path)
    return path


def program_rows(department: str, prefix: str = "UP") -> list[dict]:
    return [{"item_id": f"{prefix}-{i}", "program": "training", "name": f"培训{i}", "department": department,
             "status": "planned", "start_date": "2022-03-01"} for i in range(1, 4)]
