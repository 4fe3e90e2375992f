"""The demo's patent pipeline: chunks prefetched in order, keys checked to be new."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from ipobs.demo import build
from ipobs.demo.build import DemoError, _prefetch


def test_prefetch_keeps_order_and_values():
    items = [np.arange(i) for i in range(20)]
    got = list(_prefetch(iter(items)))
    assert len(got) == 20 and all(np.array_equal(a, b) for a, b in zip(got, items))
    assert list(_prefetch(iter([]))) == []


def test_prefetch_raises_the_worker_error():
    def items():
        yield 1
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        list(_prefetch(items()))


def test_prefetch_stops_its_worker_when_the_consumer_stops():
    before = threading.active_count()
    gen = _prefetch(iter(range(1000)))
    assert next(gen) == 0
    gen.close()
    assert threading.active_count() == before
    with pytest.raises(RuntimeError):
        for x in _prefetch(iter(range(1000))):
            if x == 3:
                raise RuntimeError("consumer failed")
    assert threading.active_count() == before


@pytest.fixture(scope="module")
def ctx():
    from ipobs.demo.entities import build_entities
    from ipobs.demo.patent_rows import Context
    from ipobs.demo.patents import simulate, topics

    pool = build_entities(5, 0.003)
    sim = simulate(5, 0.003, pool)
    return Context(5, sim, pool, topics())


def test_patent_chunks_cover_every_patent_once(ctx):
    chunks = list(build._patent_chunks(ctx, 5, -(-len(ctx.sim) // 3)))  # three chunks
    ids = np.concatenate([c[2]["patent"]["patent_id"].to_numpy() for c in chunks])
    assert [c[0] for c in chunks] == [0, 1, 2]
    assert len(ids) == len(set(ids)) == len(ctx.sim)


def test_patent_chunks_refuse_a_row_of_another_chunk(ctx, monkeypatch):
    real = build.chunk_frames

    def leaky(c, rows, rng):
        frames = real(c, rows, rng)
        if rows[0] > 0:  # the second chunk carries an event of the first chunk's patent
            ev = frames["patent_event"]
            frames["patent_event"] = ev.assign(patent_id=[str(c.ids[0])] + list(ev["patent_id"].iloc[1:]))
        return frames

    monkeypatch.setattr(build, "chunk_frames", leaky)
    with pytest.raises(DemoError, match="another chunk"):
        list(build._patent_chunks(ctx, 5, -(-len(ctx.sim) // 2)))


def test_patent_chunks_refuse_duplicate_ids(ctx, monkeypatch):
    import pyarrow as pa

    monkeypatch.setattr(ctx, "ids", pa.concat_arrays([ctx.ids[:-1], ctx.ids[:1]]))
    with pytest.raises(DemoError, match="not unique"):
        list(build._patent_chunks(ctx, 5, -(-len(ctx.sim) // 2)))
