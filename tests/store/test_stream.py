"""Streamed imports: one transaction over many chunks keeps memory flat and the result exact."""

from __future__ import annotations

import gc

import pandas as pd
import pyarrow as pa

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
