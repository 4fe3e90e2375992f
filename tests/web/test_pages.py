"""Every page renders as HTML and as JSON from the same data, with the alternate link."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from tests.web.conftest import XSS

PAGES = [
    "/",
    "/about",
    "/tasks",
    "/departments/market",
    "/indicators",
    "/indicators/valid_patents",
    "/indicators/valid_patents/records",
    "/search?q=数据处理",
    "/patents/CN201910000001",
    "/entities/E-TEST-1",
    "/analytics",
    "/analytics?set=ipc:G06",
    "/portfolios",
]


def json_twin(path: str) -> str:
    base, _, query = path.partition("?")
    base = "/index.json" if base == "/" else base + ".json"
    return base + (f"?{query}" if query else "")


@pytest.mark.parametrize("path", PAGES)
def test_page_html_and_json_twin(clients, path):
    c = clients["analyst"]
    html = c.get(path)
    assert html.status_code == 200, html.text[:500]
    assert html.headers["content-type"].startswith("text/html")
    twin = json_twin(path)
    assert f'<link rel="alternate" type="application/json" href="{twin}' in unquote(html.text.replace("&amp;", "&"))
    assert twin.split("?")[0] in html.headers["link"]
    js = c.get(twin)
    assert js.status_code == 200, js.text[:500]
    assert js.json()["ok"] is True


def test_page_json_is_the_page_data(clients):
    data = clients["analyst"].get("/patents/CN201910000001.json").json()
    assert data["patent"]["title"] == "一种测试用的数据处理方法"
    assert [e["event"] for e in data["events"]] == ["filed", "published", "granted"]
    assert data["ipc"][0]["ipc"] == "G06F16/20" and data["ipc"][0]["is_main"] is True
    assert data["family"][0]["member_no"] == "US2020123456A1"
    assert data["citations"][0]["cited_no"] == "CN107000001A"


def test_patent_page_shows_parties_ipc_titles_and_timeline(clients):
    html = clients["public"].get("/patents/CN201910000001?lang=zh").text
    assert "滨海测试科技有限公司" in html and "赵发明" in html
    assert "G06F16/20" in html
    assert re.search(r"class=\"timeline\"", html)
    assert "2021年3月2日" in html  # the grant date in the Chinese locale


def test_entity_profile_shows_patents_flags_cases_pledges(clients):
    data = clients["admin"].get("/entities/E-TEST-1.json").json()
    assert [p["patent_id"] for p in data["patents"]] == ["CN201910000001"]
    assert [f["flag"] for f in data["flags"]] == ["high_tech", "high_tech", "gbt29490"]
    assert {c["case_id"] for c in data["cases"]} == {"CASE-T-1", "CASE-T-2"}
    assert data["pledges"][0]["amount_yuan"] == 5_000_000.0
    assert {c["entry_id"] for c in data["credit"]} == {"CR-HIDDEN-001", "CR-PUBLIC-001"}


@pytest.mark.parametrize("path", ["/patents/CN201920000002", "/entities/E-TEST-2", "/search?q=alert"])
def test_html_in_records_is_escaped(clients, path):
    html = clients["public"].get(path).text
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;script&gt;" in html


@pytest.mark.parametrize("path", ["/patents/CN999", "/patents/CN999.json", "/entities/nobody", "/imports/999999",
                                  "/departments/no-such-dept", "/indicators/no_such_indicator",
                                  "/indicators/no_such_indicator.json", "/no/such/page"])
def test_unknown_ids_give_404(clients, path):
    r = clients["admin"].get(path)
    assert r.status_code == 404


def test_error_shape_is_one_json_shape(clients):
    r = clients["admin"].get("/patents/CN999.json")
    assert r.json() == {"ok": False, "error": r.json()["error"], "errors": ["patent CN999"], "status": 404}
    r = clients["admin"].get("/index.json?as_of=2019-13-45")
    assert r.status_code == 400
    body = r.json()
    assert set(body) == {"ok", "error", "errors", "status"} and body["ok"] is False and body["status"] == 400
    assert "as_of='2019-13-45'" in body["errors"][0]


def test_bad_filters_get_a_clear_page_not_a_500(clients):
    for path in ["/?as_of=yesterday", "/?region=999999", "/indicators/valid_patents?industry=nope",
                 "/search?q=title:(", "/search?sort=sideways", "/entities/E-TEST-1?page=0"]:
        r = clients["analyst"].get(path)
        assert r.status_code == 400, (path, r.status_code)
        assert "<h1>400" in r.text


def test_docs_served_offline(clients):
    html = clients["anonymous"].get("/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    spec = clients["anonymous"].get("/openapi.json").json()
    assert "/indicators/{indicator_id}.json" in spec["paths"]
    assert "/api/search" in spec["paths"]


def test_echarts_served_from_the_package(clients):
    r = clients["anonymous"].get("/static/vendor/echarts.min.js")
    assert r.status_code == 200 and len(r.content) > 500_000


@pytest.mark.slow
def test_dashboard_for_one_zone(clients):
    """The region selector: a zone's dashboard (the monitor apportions count targets to it)."""
    data = clients["public"].get("/index.json?region=120116Z4").json()
    assert data["region"]["code"] == "120116Z4" and data["region"]["zh"] == "天津经济技术开发区"
    assert data["targets_total"] == 52
    assert {t["region"] for a in data["areas"] for t in a["targets"]} == {"120116Z4"}
    html = clients["public"].get("/?region=120116Z4").text
    assert '<option value="120116Z4" selected>' in html


def test_dashboard_groups_targets_by_goal_area(clients):
    data = clients["public"].get("/index.json").json()
    assert [a["id"] for a in data["areas"]][:4] == ["creation", "utilization", "protection", "management"]
    card = next(t for a in data["areas"] for t in a["targets"] if t["id"] == "valid-patents")
    assert card["target"] == 85000 and card["status"] in ("met", "on_track", "at_risk", "off_track", "no_data")
    assert card["spark"]["type"] == "sparkline" and len(card["spark"]["years"]) == len(card["series"])
    assert card["bar"] is None or 0 <= card["bar"] <= 100


def test_analytics_page_shows_every_section_and_working_report_links(clients):
    c = clients["public"]
    data = c.get("/analytics.json?set=ipc:G06&as_of=2024-12-31").json()
    assert data["analysis"]["set"]["size"] >= 1
    ids = [s["id"] for s in data["analysis"]["sections"]]
    assert ids[0] == "overview" and "blank_spots" in ids and "value" in ids
    html = c.get("/analytics?set=ipc:G06&as_of=2024-12-31").text
    assert all(f'id="section-{i}"' in html for i in ids)
    r = c.get(data["downloads"]["xlsx"])
    assert r.status_code == 200 and r.content[:2] == b"PK"  # an xlsx is a zip
    r = c.get(data["monitoring_downloads"]["html"])
    assert r.status_code == 200 and "<html" in r.text.lower()


def test_analytics_page_builds_the_set_from_the_form_and_refuses_bad_input(clients):
    c = clients["public"]
    data = c.get("/analytics.json?ipc=G06&years=2019-2019").json()
    assert data["set"] == "ipc:G06;years:2019-2019"
    assert c.get("/analytics?region=bogus").status_code == 400
    assert c.get("/analytics?set=industry:no-such-industry").status_code == 400
    assert c.get("/analytics.json").json()["analysis"] is None  # the form only
