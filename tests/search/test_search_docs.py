"""docs/search.md: every field documented, every example parses and runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipobs.search import fields, parse, search

DOC = (Path(__file__).resolve().parents[2] / "docs" / "search.md").read_text(encoding="utf-8")


def _section(name: str) -> str:
    return DOC.split(f"<!-- {name} -->", 1)[1].split(f"<!-- /{name} -->", 1)[0]


EXAMPLES = [m for m in re.findall(r"^\| `(.+?)` \|", _section("examples"), flags=re.M)]


def test_docs_document_every_field_and_alias():
    table = _section("fields")
    for f in fields.FIELDS:
        row = next((r for r in table.splitlines() if r.startswith(f"| `{f.name}` |")), None)
        assert row is not None, f"docs/search.md has no row for field {f.name}"
        for alias in f.aliases:
            assert f"`{alias}`" in row, f"alias {alias} of {f.name} is not documented"
        assert f"`{f.example}`" in row
        parse(f.example)


def test_docs_examples_exist():
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("query", EXAMPLES)
def test_docs_example_runs_on_corpus(corpus, query):
    r = search(corpus, query)
    assert r.total >= 0 and r.query


@pytest.mark.parametrize("query", EXAMPLES)
def test_docs_example_runs_on_demo(request, query):
    pytest.importorskip("ipobs.demo.build", reason="the demo builder has not landed")
    demo_store = request.getfixturevalue("demo_store")
    r = search(demo_store, query, per_page=5, update_index=True)
    assert r.total == len(r.hits) or len(r.hits) == 5
    assert not r.stale
