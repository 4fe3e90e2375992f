"""Streamed imports: one transaction over many chunks keeps memory flat and the result exact."""

from __future__ import annotations

import gc

import pandas as pd
import pyarrow as pa
import pytest

from ipobs.records.batch import RecordBatch
from ipobs.store.stream import import_stream


def _chunk(start: int, n: int) -> RecordBatch:
    ids = [f"CN2019100{i:05d}" for i in range(start, start + n)]
    df = pd.DataFrame({"_row": range(start + 2, start + n + 2), "patent_id": ids, "application_no": [i[2:] for i in ids],
                       "kind": "invention", "filing_date": "2019-01-02",
                       "title": ["一种" + "长标题" * 40 + str(i) for i in range(start, start + n)]})
    return RecordBatch("patents", {"patent": df}, label="stream")


def test_import_stream_keeps_no_chunk_buffers_until_commit(store, tmp_path):
    """Each merged chunk's Arrow buffers are released before the transaction commits."""
    after: list[int] = []

    def chunks():
        for k in range(5):
            yield _chunk(k * 4000, 4000)
            gc.collect()
            after.append(pa.total_allocated_bytes())

    src = tmp_path / "stream.csv"
    src.write_text("x\n")
    res = import_stream(store, chunks(), kind="patents", source=src)
    assert res.status == "committed" and res.accepted == 20_000
    assert store.scalar("SELECT count(*) FROM patent") == 20_000
    one_chunk = 4000 * 130 * 3  # bytes of one chunk's titles, roughly
    assert after[-1] - after[0] < one_chunk, after


def _chunk_with_children(ids: list[str], title: str, parties: bool = True) -> RecordBatch:
    frames = {"patent": pd.DataFrame({"_row": range(2, len(ids) + 2), "patent_id": ids,
                                      "application_no": [i[2:] for i in ids], "kind": "invention",
                                      "filing_date": "2019-01-02", "title": [f"{title}{i}" for i in ids]})}
    if parties:
        frames["patent_party"] = pd.DataFrame({"_row": range(2, len(ids) + 2), "patent_id": ids, "role": "applicant",
                                               "seq": 1, "name": [f"公司{i[-2:]}" for i in ids]})
    return RecordBatch("patents", frames, label="stream")


SCENARIOS = {  # chunks: (key numbers, title)
    # fresh keys in every chunk: the fast path throughout
    "fresh": [(range(0, 30), "甲"), (range(30, 60), "甲"), (range(60, 90), "甲")],
    # chunk 2 repeats keys of chunk 1 with another title (updated) and the same (duplicate)
    "repeats": [(range(0, 30), "甲"), (range(20, 50), "乙"), (range(50, 60), "甲"), (range(0, 5), "甲")],
}


def _import(store, tmp_path, scenario: str, name: str, before=None):
    if before:
        import_stream(store, iter([_chunk_with_children([f"CN2019100{i:05d}" for i in before], "旧")]),
                      kind="patents", sha256=f"before-{name}", label="before")
    chunks = (_chunk_with_children([f"CN2019100{i:05d}" for i in r], t) for r, t in SCENARIOS[scenario])
    res = import_stream(store, chunks, kind="patents", sha256=f"{scenario}-{name}", label=scenario)
    tables = {t: store.query(f"SELECT * EXCLUDE (batch_id) FROM {t} ORDER BY ALL").to_dict("records")
              for t in ("patent", "patent_party")}
    return (res.accepted, res.updated, res.duplicate, res.rejected), tables


@pytest.mark.parametrize("scenario", list(SCENARIOS))
@pytest.mark.parametrize("before", [None, range(10, 15)])
def test_first_load_fast_path_equals_the_merge(tmp_path, scenario, before, monkeypatch):
    """Chunks inserted without the join against the stored rows (a first load, keys new to the batch) give the
    same counts and rows as the full merge; a chunk repeating earlier keys, or a store that already held rows,
    takes the merge."""
    from ipobs.store import open_store
    from ipobs.store import stream

    calls = []
    real = stream._NewRows.only_new

    def spy(self, good):
        calls.append(real(self, good))
        return calls[-1]

    with open_store(tmp_path / "fast.duckdb") as fast_store:
        monkeypatch.setattr(stream._NewRows, "only_new", spy)
        fast = _import(fast_store, tmp_path, scenario, "fast", before)
    with open_store(tmp_path / "slow.duckdb") as slow_store:
        monkeypatch.setattr(stream._NewRows, "only_new", lambda self, good: False)
        slow = _import(slow_store, tmp_path, scenario, "slow", before)
    assert fast == slow
    if before is None:
        assert calls == {"fresh": [True, True, True], "repeats": [True, False, True, False]}[scenario]
    else:  # calls[0] is the import of the rows stored before
        assert calls[1:] == [False] * len(SCENARIOS[scenario])
