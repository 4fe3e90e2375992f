"""Saved searches: a named query in the store, usable in queries and as analytics' patent set."""

from __future__ import annotations

import pytest

from ipobs.search import QueryError, SavedSearchError, patent_ids, save_search, saved_searches, search


def test_saved_search_is_a_patent_set(corpus_store):
    save_search(corpus_store, "锂电池监测", "锂电池 ipc:H01M", description="电池产业导航")
    expected = sorted(h.id for h in search(corpus_store, "锂电池 ipc:H01M", per_page=100).hits)
    assert patent_ids(corpus_store, "锂电池监测") == expected and len(expected) == 5
    assert patent_ids(corpus_store, "锂电池 ipc:H01M") == expected
    row = saved_searches(corpus_store).iloc[0]
    assert (row["name"], row["query"], row["description"]) == ("锂电池监测", "锂电池 ipc:H01M", "电池产业导航")


def test_saved_search_combines_in_queries_and_can_be_replaced(corpus_store):
    save_search(corpus_store, "天大", "applicant:天津大学")
    assert search(corpus_store, "检索式:天大 kind:invention").total == 5
    save_search(corpus_store, "天大", "applicant:天津大学 filed:2021")
    assert search(corpus_store, "saved:天大").total == 2
    assert len(saved_searches(corpus_store)) == 1


def test_saved_search_refuses_bad_queries_and_names(corpus_store):
    with pytest.raises(QueryError, match="unbalanced parenthesis"):
        save_search(corpus_store, "坏", "(电池")
    with pytest.raises(SavedSearchError, match="may not contain"):
        save_search(corpus_store, "a:b", "电池")
    with pytest.raises(QueryError, match="no saved search named “没有”"):
        search(corpus_store, "检索式:没有")


def test_saved_search_cannot_refer_to_itself(corpus_store):
    save_search(corpus_store, "环", "电池")
    save_search(corpus_store, "环", "检索式:环 OR 锂")
    with pytest.raises(QueryError, match="refers to itself"):
        search(corpus_store, "检索式:环")


def test_patent_ids_lists_every_match_beyond_a_page(corpus):
    ids = patent_ids(corpus, "NOT 无人机")
    assert len(ids) == corpus.count("patent") - 1 and ids == sorted(ids) and "US16123456" in ids
