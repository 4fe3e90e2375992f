"""The analytics JSON API (router mounted on a bare FastAPI app with ``app.state.store``)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ipobs.analytics.api import router


@pytest.fixture(scope="module")
def client(mini):
    app = FastAPI()
    app.state.store = mini
    app.include_router(router)
    return TestClient(app)


def test_api_analytics_equals_analyze(client, mini):
    from ipobs.analytics.navigation import analyze

    r = client.get("/api/analytics", params={"set": "ipc:G06F", "as_of": "2024-12-31", "sections": "overview,applicants"})
    assert r.status_code == 200
    body = r.json()
    direct = analyze(mini, "ipc:G06F", as_of="2024-12-31", sections=["overview", "applicants"])
    assert body["sections"] == direct["sections"]
    assert [s["id"] for s in body["sections"]] == ["overview", "applicants"]


@pytest.mark.parametrize("params, detail", [({"set": "industry:bogus"}, "unknown industry 'bogus'"),
                                            ({"set": "ipc:G", "as_of": "yesterday"}, "not a date"),
                                            ({"set": "ipc:G", "sections": "nope"}, "unknown section")])
def test_api_analytics_bad_input_400(client, params, detail):
    r = client.get("/api/analytics", params=params)
    assert r.status_code == 400 and detail in r.json()["detail"]


def test_api_sections(client):
    assert "blank_spots" in client.get("/api/analytics/sections").json()["data"]


def test_api_portfolios(client):
    body = client.get("/api/portfolios", params={"as_of": "2024-12-31"}).json()
    assert body["count"] == 1 and body["data"][0]["item_id"] == "HV1"
    one = client.get("/api/portfolios/HV1", params={"as_of": "2024-12-31"}).json()
    assert one["valid_inventions"] == body["data"][0]["valid_inventions"]
    assert client.get("/api/portfolios/NOPE").status_code == 404


def test_api_patent_value(client, mini_info):
    pid = mini_info["granted_inventions"][2]
    body = client.get(f"/api/patents/{pid}/value", params={"as_of": "2024-12-31"}).json()
    assert 0 <= body["score"] <= 100 and "award" in body["high_value"]["reasons"]
    assert client.get("/api/patents/CN000000000000/value").status_code == 404


def test_api_industry_activity(client, mini):
    body = client.get("/api/industries/activity", params={"year": 2020}).json()
    nev = next(r for r in body["data"] if r["industry"] == "nev")
    n = mini.scalar("SELECT count(*) FROM patent WHERE industry = 'nev' AND year(filing_date) = 2020 "
                    "AND region_code LIKE '120116%'")
    assert nev["applications"] == n


def test_api_navigation_report_html(client):
    r = client.get("/api/reports/navigation.html", params={"set": "ipc:H01M", "as_of": "2024-12-31"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "九、发展路径建议" in r.text
    assert client.get("/api/reports/navigation.doc", params={"set": "ipc:H01M"}).status_code == 404
