"""Bad input gets a clear page or JSON error, never a 500: uploads too big, of the wrong type,
malformed or empty; logins guessed too often; HTML in imported fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD, XSS, ledger_file, program_rows

JSON = {"Accept": "application/json"}
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "ipobs" / "web" / "templates"
EXTERNAL = re.compile(r"https?://(?!127\.0\.0\.1|localhost|testserver)[\w.-]+", re.I)


def upload(client, name: str, content: bytes, kind: str = "programs", headers=None):
    return client.post("/imports", data={"kind": kind}, files={"file": (name, content)}, headers=headers or {})


def test_upload_too_large_is_refused_with_the_limit(fresh_clients, fresh_app):
    fresh_app.state.web.settings = fresh_app.state.web.settings.with_(max_upload_mb=0.01)
    r = upload(fresh_clients["admin"], "big.csv", b"x" * 20_000)
    assert r.status_code == 413
    assert "0.01 MB" in r.text and "<h1>413" in r.text
    r = upload(fresh_clients["admin"], "big.csv", b"x" * 20_000, headers=JSON)
    assert r.status_code == 413 and r.json()["ok"] is False


def test_upload_of_the_wrong_type_is_refused(fresh_clients):
    r = upload(fresh_clients["admin"], "photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, headers=JSON)
    assert r.status_code == 415
    assert r.json()["errors"][0].startswith("photo.png")


@pytest.mark.parametrize("name,content,says", [
    ("ledger.xlsx", b"PK\x03\x04 this is not really a workbook", "ledger.xlsx"),
    ("empty.csv", b"", "empty"),
    ("notes.csv", "备注,其他\n一,二\n".encode(), "notes.csv"),
])
def test_malformed_upload_gets_a_clear_400(fresh_clients, name, content, says):
    r = upload(fresh_clients["admin"], name, content, kind="", headers=JSON)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["ok"] is False and any(says in e for e in body["errors"] + [body["error"]])
    html = upload(fresh_clients["admin"], name, content, kind="")
    assert html.status_code == 400 and "<h1>400" in html.text


def test_upload_with_bad_rows_lists_them(fresh_clients, tmp_path):
    bad = {(4, "开始"): "not-a-date", (5, "状态"): "bogus"}
    path = ledger_file(tmp_path / "bad.xlsx", "programs", "program_item", program_rows("market"), bad)
    r = upload(fresh_clients["officer"], path.name, path.read_bytes(), headers=JSON)
    assert r.status_code == 201
    batch = r.json()["batch"]
    assert (batch["accepted"], batch["rejected"]) == (1, 2)
    assert [(x["row"], x["code"]) for x in batch["rejects"]] == [(4, "type-error"), (5, "enum-error")]
    page = fresh_clients["officer"].get(f"/imports/{batch['batch_id']}.json").json()
    assert [(x["row_no"], x["column_name"], x["code"]) for x in page["rejects"]] == [
        (4, "开始/立项日期", "type-error"), (5, "状态", "enum-error")]
    xlsx = fresh_clients["officer"].get(f"/imports/{batch['batch_id']}/rejects.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_imported_html_is_escaped(fresh_clients, tmp_path):
    rows = [{"entity_id": "E-XSS", "name": XSS, "kind": "enterprise", "address": XSS}]
    path = ledger_file(tmp_path / "xss.xlsx", "entities", "entity", rows)
    r = upload(fresh_clients["admin"], path.name, path.read_bytes(), kind="entities", headers=JSON)
    assert r.status_code == 201 and r.json()["batch"]["accepted"] == 1
    html = fresh_clients["public"].get("/entities/E-XSS").text
    assert XSS not in html and "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html


def test_login_throttled_after_five_failures(fresh_clients, fresh_app):
    from fastapi.testclient import TestClient

    c = TestClient(fresh_app)
    token = c.get("/me.json").json()["csrf_token"]
    codes = [c.post("/login", data={"name": "analyst", "password": "wrong", "csrf_token": token}).status_code
             for _ in range(5)]
    assert codes == [401] * 5
    r = c.post("/login", data={"name": "analyst", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429
    assert "15" in r.text and "<h1>429" in r.text
    assert fresh_app.state.web.accounts.throttled("analyst", "testclient")
    # another account from the same address is not affected
    ok = c.post("/login", data={"name": "admin", "password": PASSWORD, "csrf_token": token}, follow_redirects=False)
    assert ok.status_code == 303
    failed = fresh_clients["admin"].get("/admin/audit.json?action=login_failed").json()["entries"]
    assert len(failed) == 5 and failed[0]["target"] == "analyst"


def test_login_redirects_only_to_local_paths(fresh_app):
    from fastapi.testclient import TestClient

    c = TestClient(fresh_app)
    token = c.get("/me.json").json()["csrf_token"]
    r = c.post("/login", data={"name": "admin", "password": PASSWORD, "csrf_token": token,
                               "next": "https://evil.example/"}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_session_cookie_is_httponly_and_samesite(fresh_app):
    from fastapi.testclient import TestClient

    c = TestClient(fresh_app)
    token = c.get("/me.json").json()["csrf_token"]
    r = c.post("/login", data={"name": "admin", "password": PASSWORD, "csrf_token": token}, follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert "ipobs_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_logout_ends_the_session(fresh_clients):
    c = fresh_clients["analyst"]
    assert c.get("/imports.json").status_code == 200
    c.post("/logout", headers=JSON)
    assert c.get("/imports.json").status_code == 401


def test_no_external_urls_in_templates():
    found = {p.name: EXTERNAL.findall(p.read_text(encoding="utf-8")) for p in TEMPLATES.glob("*.html")}
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize("path", ["/", "/about", "/tasks", "/indicators/valid_patents", "/search?q=数据",
                                  "/patents/CN201910000001", "/entities/E-TEST-1", "/imports", "/admin", "/docs",
                                  "/login"])
def test_no_external_urls_in_responses(clients, path):
    assert EXTERNAL.findall(clients["admin"].get(path).text) == []
