"""Bad input never raises past the importer and never drops a row silently (hypothesis)."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cn_fixtures import HEADER, app, rows, write_xlsx
from ipobs.sources.importer import ImportFailed, import_file
from ipobs.store import open_store

FUZZ = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

cell = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "0", "2019-02-30", "20191301", "CN2019100123456", "G06F 17/30", "=SUM(A1:A3)", "授权",
                     "天津市滨海新区", "甲公司;乙公司", "\n", '"', "，", "\x00"]),
    st.builds(lambda n: "长" * n, st.integers(1000, 40000)),  # huge cells
)
row = st.lists(cell, min_size=0, max_size=len(HEADER) + 3)


def printable(r):
    """Cells an .xlsx can hold (no control characters)."""
    return ["".join(ch for ch in c if ord(ch) >= 32 or ch in "\t\n\r") if isinstance(c, str) else c for c in r]


def check(store, path, **kw):
    """Import ``path``: either a clear ImportFailed, or every data row accounted for."""
    try:
        s = import_file(store, path, **kw)
    except ImportFailed as e:
        assert path.name in str(e)
        return None
    assert s.accepted + s.updated + s.duplicate + s.rejected == s.data_rows, (s.to_dict(), s.flatten())
    for r in s.rejects:
        assert r.code and r.note
    return s


pytestmark = pytest.mark.slow


@FUZZ
@given(data=st.binary(max_size=3000), ext=st.sampled_from([".csv", ".xlsx", ".xls", ".json", ".txt"]))
def test_random_bytes(tmp_path_factory, data, ext):
    d = tmp_path_factory.mktemp("fz")
    path = d / f"random{ext}"
    path.write_bytes(data)
    with open_store(d / "s.duckdb") as store:
        check(store, path)


@FUZZ
@given(data=st.lists(row, max_size=12), encoding=st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-8-sig"]),
       above=st.integers(0, 3))
def test_random_csv_cells(tmp_path_factory, data, encoding, above):
    d = tmp_path_factory.mktemp("fz")
    buf = io.StringIO()
    w = csv.writer(buf)
    for _ in range(above):
        w.writerow(["导出标题"])
    w.writerow(HEADER)
    w.writerows([[c.replace("\x00", "") for c in r] for r in data])
    path = d / "cells.csv"
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    with open_store(d / "s.duckdb") as store:
        check(store, path)


@FUZZ
@given(data=st.lists(row, max_size=8), cut=st.floats(0.05, 0.95))
def test_truncated_files(tmp_path_factory, data, cut):
    d = tmp_path_factory.mktemp("fz")
    clean = [printable(r) for r in data]
    whole = write_xlsx(d / "whole.xlsx", rows() + clean)
    b = whole.read_bytes()
    trunc = d / "truncated.xlsx"
    trunc.write_bytes(b[: int(len(b) * cut)])
    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *rows(), *clean])
    t = text.getvalue().encode("gb18030", errors="replace")
    tcsv = d / "truncated.csv"
    tcsv.write_bytes(t[: int(len(t) * cut)])
    with open_store(d / "s.duckdb") as store:
        check(store, trunc)
        check(store, tcsv)


@FUZZ
@given(data=st.lists(row, max_size=8), hide=st.booleans(), title_rows=st.integers(0, 3), merge=st.booleans())
def test_random_workbooks(tmp_path_factory, data, hide, title_rows, merge):
    d = tmp_path_factory.mktemp("fz")

    def shape(wb, ws):
        if hide:
            h = wb.create_sheet("隐藏", 0)
            h.append(["x"])
            h.sheet_state = "hidden"
        if merge and title_rows:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)

    path = write_xlsx(d / "wb.xlsx", rows() + [printable(r) for r in data], above=[["标题"]] * title_rows, before=shape)
    with open_store(d / "s.duckdb") as store:
        s = check(store, path)
        assert s is not None and s.data_rows >= 3


KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[3])
    from pathlib import Path
    import ipobs.store.batch as b
    from ipobs.sources.importer import import_file
    from ipobs.store import open_store

    real = b._merge_table
    calls = {"n": 0}

    def announcing_merge(*a, **kw):
        out = real(*a, **kw)
        calls["n"] += 1
        if calls["n"] == 12:  # some chunks written, inside the one transaction
            print("writing", flush=True)
            import time
            time.sleep(60)
        return out

    import ipobs.store.stream as s
    s._merge_table = announcing_merge
    import ipobs.sources.cn_export as cn
    cn.CHUNK_ROWS = 400
    import_file(open_store(sys.argv[1]), Path(sys.argv[2]))
    """
)


@pytest.mark.slow
def test_import_killed_midway_leaves_whole_batch_or_none(tmp_path):
    bench = os.path.join(os.path.dirname(__file__), "..", "..", "bench")
    sys.path.insert(0, bench)
    from cn_export_data import write_csv as gen

    path = gen(tmp_path / "large.csv", 3000, seed=5)
    db = tmp_path / "k.duckdb"
    open_store(db).close()
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(db), str(path), os.path.dirname(__file__)],
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("writing"), line
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    with open_store(db) as s:
        assert s.count("patent") == 0 and s.count("patent_party") == 0 and s.count("patent_event") == 0
        assert len(s.batches()) == 0
        res = import_file(s, path)  # and the same file imports whole afterwards
        assert res.status == "committed" and res.accepted + res.updated + res.duplicate + res.rejected == 3000
        assert s.count("patent") == res.accepted
