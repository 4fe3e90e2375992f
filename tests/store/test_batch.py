"""Batch imports: atomic, idempotent, logged, archived; rejects kept with row, column, reason."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from ipobs.records.batch import RecordBatch
from ipobs.store import open_store

GOOD = [
    # row, patent_id, kind, filing_date, grant_date, title
    (2, "CN201910000001", "发明", "2019-01-02", "2021-03-04", "一种锂电池"),
    (3, "CN201920000002", "实用新型", "2019-02-03", "2019-09-01", "一种夹具"),
    (4, "CN201930000003", "外观设计", "2019/3/4", "", "包装盒"),
]
BAD_DATE_ORDER = (5, "CN201910000004", "发明", "2019-05-06", "2018-01-01", "授权早于申请")


def patents(rows) -> pd.DataFrame:
    return pd.DataFrame(
        [{"_row": r, "patent_id": p, "application_no": p[2:], "kind": k, "filing_date": f, "grant_date": g,
          "title": t} for r, p, k, f, g, t in rows]
    )


def batch(rows, source=None, **kw) -> RecordBatch:
    return RecordBatch("patents", {"patent": patents(rows)}, source=source, label="test", **kw)


def flatten(res):
    return [(r.row, r.column, r.code) for r in res.rejects]


def test_batch_default_mode_keeps_good_rows_and_rejects(store):
    res = store.import_batch(batch(GOOD + [BAD_DATE_ORDER]))
    assert res.status == "committed"
    assert (res.accepted, res.rejected) == (3, 1)
    assert flatten(res) == [(5, "grant_date", "date-order")]
    assert store.count("patent") == 3
    logged = store.rejects(res.batch_id)
    assert logged[["row_no", "column_name", "code"]].values.tolist() == [[5, "grant_date", "date-order"]]


def test_batch_strict_mode_leaves_store_unchanged(store):
    res = store.import_batch(batch(GOOD + [BAD_DATE_ORDER]), strict=True)
    assert res.status == "failed"
    assert "strict" in res.message
    assert store.count("patent") == 0
    log = store.batches()
    assert log["status"].tolist() == ["failed"] and log["rejected"].tolist() == [1]


def test_batch_same_file_twice_adds_nothing(store, tmp_path):
    src = tmp_path / "export.csv"
    src.write_text("any content; the hash is what counts\n", encoding="utf-8")
    first = store.import_batch(batch(GOOD, source=src))
    again = store.import_batch(batch(GOOD, source=src))
    assert first.accepted == 3
    assert again.status == "duplicate_file" and again.accepted == 0
    assert f"batch {first.batch_id}" in again.message
    assert store.count("patent") == 3
    assert store.batches()["status"].tolist() == ["committed", "duplicate_file"]


def test_batch_same_records_from_another_file_are_duplicates(store, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("a", encoding="utf-8")
    b.write_text("b", encoding="utf-8")
    store.import_batch(batch(GOOD, source=a))
    res = store.import_batch(batch(GOOD, source=b))
    assert (res.accepted, res.updated, res.duplicate) == (0, 0, 3)
    assert store.count("patent") == 3


def test_batch_later_source_updates_known_record(store):
    store.import_batch(batch(GOOD))
    changed = [(2, "CN201910000001", "发明", "2019-01-02", "2021-03-04", "一种锂离子电池（更正）")]
    res = store.import_batch(batch(changed))
    assert (res.accepted, res.updated) == (0, 1)
    assert store.scalar("SELECT title FROM patent WHERE patent_id = 'CN201910000001'") == "一种锂离子电池（更正）"


def test_batch_log_records_file_hash_counts_time_user(store, tmp_path):
    src = tmp_path / "ledger.xlsx"
    src.write_bytes(b"PK\x03\x04 pretend workbook")
    res = store.import_batch(batch(GOOD + [BAD_DATE_ORDER], source=src), user="clerk01")
    row = store.batches().iloc[0]
    assert row["file_name"] == "ledger.xlsx"
    assert row["sha256"] == res.sha256 and len(res.sha256) == 64
    assert (row["accepted"], row["rejected"], row["duplicate"]) == (3, 1, 0)
    assert row["user_name"] == "clerk01"
    assert row["finished_at"] >= row["started_at"]
    archived = store.archive_dir / f"{res.sha256[:16]}_ledger.xlsx"
    assert archived.read_bytes() == src.read_bytes()
    assert row["archive_path"] == str(archived)


@pytest.mark.parametrize(
    "row, column, code",
    [
        ((2, "CN201910000009", "发明", "not a date", "", "t"), "filing_date", "type-error"),
        ((2, "CN201910000009", "专利", "2019-01-01", "", "t"), "kind", "enum-error"),
        ((2, "CN201910000009", "发明", "2019-01-01", "", ""), "title", "missing-cell"),
        ((2, "CN201910000009", "发明", "2019-02-30", "", "t"), "filing_date", "type-error"),
    ],
)
def test_batch_bad_cells_named_by_row_and_column(store, row, column, code):
    res = store.import_batch(batch([row]))
    assert flatten(res) == [(2, column, code)]
    assert store.count("patent") == 0


def test_batch_duplicate_key_in_file_rejected_with_row(store):
    rows = GOOD + [(5, "CN201910000001", "发明", "2019-01-02", "", "重复")]
    res = store.import_batch(batch(rows))
    assert flatten(res) == [(5, "patent_id", "duplicate-key")]
    assert "appears earlier" in res.rejects[0].note


def test_batch_child_rows_of_rejected_parent_are_rejected_not_dropped(store):
    events = pd.DataFrame({"_row": [5], "patent_id": ["CN201910000004"], "event_date": ["2019-05-06"],
                           "event": ["filed"], "status_after": ["pending"]})
    res = store.import_batch(RecordBatch("patents", {"patent": patents([BAD_DATE_ORDER]), "patent_event": events}))
    assert sorted(r.code for r in res.rejects) == ["date-order", "parent-rejected"]
    assert res.rejected == 1  # one source row
    assert store.count("patent_event") == 0


def test_batch_empty_frame_commits_nothing(store):
    res = store.import_batch(RecordBatch("patents", {"patent": patents([])}, label="empty"))
    assert res.status == "committed" and res.accepted == 0 and store.count("patent") == 0


KILL_SCRIPT = textwrap.dedent(
    """
    import sys, time
    import pandas as pd
    import ipobs.store.batch as b
    from ipobs.records.batch import RecordBatch
    from ipobs.store import open_store

    real = b._merge_table
    def slow_merge(con, name, df, batch_id, **kw):
        out = real(con, name, df, batch_id, **kw)
        print("wrote", name, flush=True)
        time.sleep(60)  # killed here, inside the transaction
        return out
    b._merge_table = slow_merge
    n = 200_000
    ids = [f"CN2019{10000000 + i:08d}" for i in range(n)]
    pat = pd.DataFrame({"patent_id": ids, "application_no": ids, "kind": "invention",
                        "filing_date": pd.Timestamp("2019-01-01"), "title": "t"})
    ipc = pd.DataFrame({"patent_id": ids, "ipc": "G06F17/30", "subclass": "G06F"})
    open_store(sys.argv[1]).import_batch(RecordBatch("patents", {"patent": pat, "patent_ipc": ipc}, label="big"))
    """
)


def test_batch_killed_midway_leaves_whole_batch_or_none(tmp_path):
    db = tmp_path / "k.duckdb"
    open_store(db).close()
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        lines = []
        while not (lines and lines[-1].startswith("wrote patent")):
            line = proc.stdout.readline()
            assert line, f"child ended before writing: {lines}"
            lines.append(line)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)
    with open_store(db) as s:
        assert s.count("patent") == 0 and s.count("patent_ipc") == 0
        assert len(s.batches()) == 0
        # and the store still works afterwards
        res = s.import_batch(batch(GOOD))
        assert res.accepted == 3
