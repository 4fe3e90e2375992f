"""The chunk reader runs one chunk ahead, yet the store sees what a one-thread import sees."""

from __future__ import annotations

import threading

import pytest

from ipobs.sources.prefetch import Prefetch


def test_prefetch_yields_every_item_in_order():
    assert list(Prefetch(lambda: iter(range(7)))) == list(range(7))


def test_prefetch_raises_reader_errors_in_the_consumer():
    def gen():
        yield 1
        raise ValueError("bad block")

    pf = Prefetch(gen)
    got = []
    with pytest.raises(ValueError, match="bad block"):
        for x in pf:
            got.append(x)
            pf.done()
    assert got == [1]


def test_wait_merged_lets_item_k_see_items_before_it():
    """What the reader looks up while it reads item k includes every item before k."""
    store: list[int] = []
    seen: dict[int, list[int]] = {}
    pf: Prefetch

    def gen():
        for k in range(6):
            pf.wait_merged()
            seen[k] = list(store)  # a lookup in the store
            yield k

    pf = Prefetch(gen)
    for k in pf:
        store.append(k)  # the merge
        pf.done()
    assert seen == {k: list(range(k)) for k in range(6)}


def test_consumer_stopping_early_stops_the_reader():
    produced = []

    def gen():
        for k in range(1000):
            produced.append(k)
            yield k

    pf = Prefetch(gen)
    for k in pf:
        if k == 2:
            break
        pf.done()
    pf.close()
    assert not any(t.name == "ipobs-prefetch" and t.is_alive() for t in threading.enumerate())
    assert len(produced) < 10
