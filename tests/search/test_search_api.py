"""The JSON routes: results, the 400 error shape with the position, similar, 404."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ipobs.search.api import router


@pytest.fixture(scope="module")
def client(corpus):
    app = FastAPI()
    app.state.store = corpus
    app.include_router(router)
    return TestClient(app)


def test_api_search(client):
    r = client.get("/api/search", params={"q": "锂电池", "per_page": 2, "sort": "relevance"})
    assert r.status_code == 200
    d = r.json()
    assert d["ok"] and d["total"] == 5 and len(d["hits"]) == 2 and d["facets"]["kind"]["buckets"]


def test_api_search_bad_query_is_400_with_position(client):
    r = client.get("/api/search", params={"q": "title:(锂电池 OR 钠电池"})
    assert r.status_code == 400
    d = r.json()
    assert d == {"ok": False, "status": 400, "error": d["error"], "errors": d["errors"]}
    assert d["error"] == "查询语法错误 at position 7: unbalanced parenthesis: this '(' is never closed"
    assert d["errors"][0]["position"] == 7 and d["errors"][0]["code"] == "query-syntax"


@pytest.mark.parametrize("q", ["", "x" * 10_000, "'; DROP TABLE patent; --", "foo:bar"])
def test_api_search_bad_input_never_500(client, q):
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 400 and r.json()["ok"] is False


def test_api_search_bad_options_are_422(client):
    assert client.get("/api/search", params={"q": "电池", "sort": "title"}).status_code == 422
    assert client.get("/api/search", params={"q": "电池", "per_page": 1000}).status_code == 422


def test_api_similar(client):
    r = client.get("/api/patents/CN201810000005/similar", params={"limit": 3})
    assert r.status_code == 200 and r.json()["source"] == "CN201810000005"
    assert client.get("/api/patents/CN000/similar").status_code == 404
