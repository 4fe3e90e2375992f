"""The index beside the database: built on demand, kept fresh after imports, honest when stale."""

from __future__ import annotations

import datetime as dt

import pandas as pd

import search_corpus
from ipobs.records.batch import RecordBatch
from ipobs.search import build, ensure_fresh, index_dir, search
from ipobs.search.index import read_manifest
from ipobs.store import open_store

NEW = ("CN202210000099", "invention", dt.date(2022, 2, 2), None, "pending", "120116Z8",
       "一种海水淡化膜组件", None, "本发明公开了一种用于海水淡化的反渗透膜组件。",
       [("中新天津生态城水务公司", None)], ["钱程"], ["B01D61/02"])


def test_index_lives_beside_the_database_and_records_batches(corpus_store):
    assert search(corpus_store, "无人机").total == 1  # first search builds the index
    path = index_dir(corpus_store)
    assert path == corpus_store.path.parent / "t.search"
    m = read_manifest(path)
    assert m.docs == corpus_store.count("patent") and m.covered == [1, 2]


def test_index_updates_after_a_new_patent_batch(corpus_store):
    assert search(corpus_store, "海水淡化").total == 0
    r = corpus_store.import_batch(RecordBatch("patents", search_corpus.frames([NEW]), label="new"))
    assert r.status == "committed"
    result = search(corpus_store, "海水淡化")
    assert [h.id for h in result.hits] == ["CN202210000099"] and not result.stale and not result.warnings
    assert read_manifest(index_dir(corpus_store)).covered == [1, 2, r.batch_id]
    assert search(corpus_store, "region:120116Z8").total == 1


def test_index_reindexes_changed_patents_without_duplicates(corpus_store):
    search(corpus_store, "电池")
    frames = search_corpus.frames([p for p in search_corpus.PATENTS if p[0] == "CN201810000005"])
    frames["patent"].loc[0, "title"] = "一种无人机集群控制系统"
    frames["patent"].loc[0, "status"] = "lapsed"
    corpus_store.import_batch(RecordBatch("patents", frames, label="update"))
    r = search(corpus_store, "无人机")
    assert r.total == 1 and r.hits[0].title == "一种无人机集群控制系统" and r.hits[0].status == "lapsed"
    assert search(corpus_store, "集群").total == 1
    assert search(corpus_store, "NOT 没有的词").total == corpus_store.count("patent")


def test_index_follows_entity_renames(corpus_store):
    search(corpus_store, "电池")
    ent = pd.DataFrame([{"entity_id": "E003", "name": "中国民用航空大学", "kind": "university"}])
    corpus_store.import_batch(RecordBatch("entities", {"entity": ent}, label="rename"))
    assert [h.id for h in search(corpus_store, "申请人:中国民用航空大学").hits] == ["CN201810000005"]
    labels = [b["label"] for b in search(corpus_store, "无人机").facets["applicant"]["buckets"]]
    assert labels == ["中国民用航空大学"]


def test_index_stale_on_read_only_store_warns_and_still_answers(tmp_path):
    path = tmp_path / "ro.duckdb"
    with open_store(path) as s:
        search_corpus.load(s)
        build(s)
        s.import_batch(RecordBatch("patents", search_corpus.frames([NEW]), label="late"))
    with open_store(path, read_only=True) as ro:
        r = search(ro, "电池")
        assert r.stale and r.total == 8
        assert "does not cover import batch 3" in r.warnings[0] and "ipobs index" in r.warnings[0]
        assert search(ro, "海水淡化").total == 0
        fresh = ensure_fresh(ro, update_index=True)  # reading the store is enough to update the index
        assert not fresh.stale and fresh.reindexed == 1
        assert search(ro, "海水淡化").total == 1 and not search(ro, "电池").stale


def test_index_rebuilds_when_the_dictionary_changes(corpus_store, monkeypatch):
    from ipobs.search import analysis

    search(corpus_store, "电池")
    before = read_manifest(index_dir(corpus_store)).build_id
    monkeypatch.setattr(analysis, "fingerprint", lambda: "another-dictionary")
    fresh = ensure_fresh(corpus_store)
    assert fresh.rebuilt and read_manifest(index_dir(corpus_store)).build_id != before
    assert search(corpus_store, "无人机").total == 1


def test_index_rebuild_replaces_a_removed_or_broken_index(corpus_store):
    import shutil

    search(corpus_store, "电池")
    shutil.rmtree(index_dir(corpus_store))
    assert search(corpus_store, "无人机").total == 1
    (index_dir(corpus_store) / "manifest.json").write_text("not json")
    assert search(corpus_store, "无人机").total == 1


def test_index_concurrent_first_searches_build_once(corpus_store):
    from concurrent.futures import ThreadPoolExecutor

    from ipobs.store.db import Store

    def run(_):
        reader = Store.__new__(Store)  # a cursor of the same connection, as the web app's threads use
        reader.path, reader.read_only, reader.con, reader._ibis = corpus_store.path, True, corpus_store.con.cursor(), None
        return search(reader, "无人机", update_index=True).total

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(run, range(4))) == [1, 1, 1, 1]
    assert read_manifest(index_dir(corpus_store)).docs == corpus_store.count("patent")
