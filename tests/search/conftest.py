from __future__ import annotations

import pytest

import search_corpus


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory):
    """Path of a database holding the hand-written corpus, with its search index built."""
    from ipobs.search import build
    from ipobs.store import open_store

    path = tmp_path_factory.mktemp("search") / "corpus.duckdb"
    with open_store(path) as s:
        search_corpus.load(s)
        build(s)
    return path


@pytest.fixture(scope="session")
def corpus(corpus_db):
    """A read-only store over the corpus (its index is fresh)."""
    from ipobs.store import open_store

    s = open_store(corpus_db, read_only=True)
    yield s
    s.close()


@pytest.fixture()
def corpus_store(store):
    """A writable store with the corpus loaded (per test: tests may import more)."""
    search_corpus.load(store)
    return store
