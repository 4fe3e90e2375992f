"""The protection pages under every role: what each sees, and who may add a case step."""

from __future__ import annotations

import pytest

from tests.web.conftest import (HIDDEN_CREDIT_NAME, INTERNAL_NOTE, PERSON_NAME, PUBLIC_CREDIT_NAME,  # noqa: F401
                                clients, fresh_app, fresh_clients, web_app, web_base_db)

AS_OF = "2023-06-30"


def test_web_docket_lists_cases_overdue_first_for_internal_roles(clients):
    r = clients["analyst"].get(f"/docket.json?as_of={AS_OF}")
    assert r.status_code == 200
    data = r.json()
    market = clients["analyst"].get(f"/docket.json?as_of={AS_OF}&department=market").json()
    assert {c["case_id"] for c in market["cases"]} == {"CASE-T-1", "CASE-T-3"}
    states = [c["state"] for c in data["cases"]]
    order = {"overdue": 0, "due_soon": 1, "open": 2}
    assert states == sorted(states, key=lambda s: order.get(s, 3))
    one = clients["analyst"].get(f"/docket/CASE-T-2.json?as_of={AS_OF}").json()["case"]
    assert one["deadline_source"] == "rules" and one["state"] == "overdue"  # 90 days from 2023-01-10
    rates = data["on_time_by_department"]
    assert rates and {r["department"] for r in rates} <= {r["department"] for r in data["by_department"]}
    for r in rates:
        assert r["closed"] == r["on_time"] + r["late"] + r["no_deadline"]
        if r["on_time"] + r["late"]:
            assert r["on_time_rate"] == pytest.approx(100 * r["on_time"] / (r["on_time"] + r["late"]))
    page = clients["analyst"].get(f"/docket?as_of={AS_OF}").text
    assert 'id="on-time-by-department"' in page


def test_web_docket_filters_by_department_and_state(clients):
    data = clients["admin"].get(f"/docket.json?as_of={AS_OF}&department=market").json()
    assert {c["department"] for c in data["cases"]} == {"market"}
    data = clients["admin"].get(f"/docket.json?as_of={AS_OF}&state=overdue").json()
    assert {c["state"] for c in data["cases"]} == {"overdue"}
    assert clients["admin"].get("/docket.json?kind=bogus").status_code == 400


@pytest.mark.parametrize("role,sees", [("admin", True), ("analyst", True), ("officer", True), ("officer_sci", False)])
def test_web_case_detail_person_and_note_only_for_privileged(clients, role, sees):
    text = clients[role].get(f"/docket/CASE-T-1.json?as_of={AS_OF}").text
    assert (PERSON_NAME in text) is sees and (INTERNAL_NOTE in text) is sees
    assert "CASE-T-1" in text


def test_web_credit_public_view_hides_unpublished(clients):
    for role in ("anonymous", "public"):
        body = clients[role].get("/credit.json").json()
        assert body["view"] == "public"
        assert PUBLIC_CREDIT_NAME in str(body) and HIDDEN_CREDIT_NAME not in str(body)
    officer = clients["officer"].get("/credit.json").json()  # market decided the hidden entry
    assert officer["view"] == "internal" and HIDDEN_CREDIT_NAME in str(officer)
    other = clients["officer_sci"].get("/credit.json").json()
    assert HIDDEN_CREDIT_NAME not in str(other) and other["withheld"] == 1


def test_web_credit_check(clients):
    r = clients["analyst"].get("/credit/check.json?name=公开失信企业乙&purpose=award").json()
    assert r["listed"] is True
    assert clients["analyst"].get("/credit/check.json?name=x&purpose=loan").status_code == 400


def test_web_finance_ledgers_internal_aggregates_public(clients):
    pub = clients["public"].get("/finance.json").json()
    assert pub["rows"] == [] and pub["yearly"]
    internal = clients["analyst"].get("/finance.json?ledger=pledges").json()
    assert any(r["pledge_id"] == "PL-T-1" for r in internal["rows"])
    assert "测试银行滨海分行" in clients["analyst"].get("/finance").text


def _token(client) -> str:
    return client.get("/me.json").json()["csrf_token"]


def test_web_case_step_by_owning_officer_is_saved_and_audited(fresh_clients):
    officer = fresh_clients["officer"]
    r = officer.post("/docket/CASE-T-2/step", data={"status": "extended", "event_date": "2023-03-01", "days": "30",
                                                     "csrf_token": _token(officer)}, follow_redirects=False)
    assert r.status_code == 403  # CASE-T-2 belongs to ip_bureau
    r = officer.post("/docket/CASE-T-3/step", data={"status": "extended", "event_date": "2022-10-01", "days": "30",
                                                     "csrf_token": _token(officer)}, follow_redirects=False)
    assert r.status_code == 303
    case = fresh_clients["admin"].get(f"/docket/CASE-T-3.json?as_of={AS_OF}").json()
    assert case["case"]["extension_days"] == 30
    audit = fresh_clients["admin"].get("/admin/audit.json").text
    assert "case_step" in audit and "CASE-T-3" in audit


@pytest.mark.parametrize("data,words", [
    ({"status": "extended", "event_date": "2020-01-01", "days": "5"}, "before the case was received"),
    ({"status": "closed", "event_date": "2023-02-01"}, "outcome"),
    ({"status": "paused", "event_date": "2023-02-01"}, "status 'paused'"),
    ({"status": "extended", "event_date": "2023-02-31", "days": "5"}, "use YYYY-MM-DD"),
])
def test_web_case_step_bad_input(fresh_clients, data, words):
    admin = fresh_clients["admin"]
    r = admin.post("/docket/CASE-T-2/step", data={**data, "csrf_token": _token(admin)},
                   headers={"accept": "application/json"})
    assert r.status_code == 400 and words in r.text


def test_web_case_step_without_token_or_role_is_refused(fresh_clients):
    r = fresh_clients["officer"].post("/docket/CASE-T-3/step", data={"status": "extended", "event_date": "2022-10-01"},
                                      headers={"X-CSRF-Token": ""})
    assert r.status_code == 403
    analyst = fresh_clients["analyst"]
    r = analyst.post("/docket/CASE-T-3/step", data={"status": "extended", "event_date": "2022-10-01",
                                                    "csrf_token": _token(analyst)}, follow_redirects=False)
    assert r.status_code == 403
