"""Status spans kept per DuckDB instance (ipobs.monitor.spans): made once, remade whenever the events change."""

from __future__ import annotations

import threading

import duckdb
import pytest

from ipobs.monitor import spans
from ipobs.monitor.spans import status_spans_sql

_EVENTS = [("CN1", "2020-01-01", "filed", "pending"), ("CN1", "2020-06-01", "granted", "granted"),
           ("CN2", "2020-02-01", "granted", "granted"), ("CN2", "2021-02-01", "lapsed", "lapsed")]


def _store(path=None):
    con = duckdb.connect(str(path) if path else ":memory:")
    con.execute("CREATE TABLE patent_event (patent_id VARCHAR, event_date DATE, event VARCHAR, status_after VARCHAR)")
    con.executemany("INSERT INTO patent_event VALUES (?, ?, ?, ?)", _EVENTS)
    return con


def _rows(con, sql):
    return sorted(con.execute(f"SELECT patent_id, d, nd FROM ({sql})").fetchall(), key=str)


def _made(monkeypatch) -> list[str]:
    """The event tables whose spans get made from now on."""
    made: list[str] = []
    orig = spans.status_spans_sql

    def counting(*a, **k):
        made.append(a[0])
        return orig(*a, **k)

    monkeypatch.setattr(spans, "status_spans_sql", counting)
    return made


def test_span_table_equals_the_query_and_is_made_once(monkeypatch):
    con = _store()
    made = _made(monkeypatch)
    name = spans.span_table(con, "patent_event")
    assert _rows(con, f"SELECT * FROM {name}") == _rows(con, status_spans_sql("patent_event", ("patent_id",), "granted"))
    assert spans.span_table(con.cursor(), "patent_event") == name  # any cursor sees it
    assert made == ["patent_event"]


def test_span_table_is_remade_when_the_events_change(monkeypatch):
    """A new event, a deleted one, or an event changed in place (same row count) each make the table again."""
    con = _store()
    made = _made(monkeypatch)
    key = ("patent_event", ("patent_id",), "granted")
    name = spans.span_table(con, key[0])
    assert con.execute(f"SELECT nd FROM {name} WHERE patent_id = 'CN1'").fetchall() == [(None,)]
    con.execute("INSERT INTO patent_event VALUES ('CN1', '2022-03-01', 'lapsed', 'lapsed')")
    spans.span_table(con, key[0])
    assert [str(r[0]) for r in con.execute(f"SELECT nd FROM {name} WHERE patent_id = 'CN1'").fetchall()] == ["2022-03-01"]
    con.execute("UPDATE patent_event SET event_date = '2023-03-01' WHERE patent_id = 'CN1' AND event = 'lapsed'")
    spans.span_table(con, key[0])
    assert [str(r[0]) for r in con.execute(f"SELECT nd FROM {name} WHERE patent_id = 'CN1'").fetchall()] == ["2023-03-01"]
    con.execute("DELETE FROM patent_event WHERE patent_id = 'CN2'")
    spans.span_table(con, key[0])
    assert _rows(con, f"SELECT * FROM {name}") == _rows(con, status_spans_sql(*key))
    assert len(made) == 4


def test_span_table_on_a_read_only_store_and_forget(tmp_path, monkeypatch):
    path = tmp_path / "s.duckdb"
    _store(path).close()
    con = duckdb.connect(str(path), read_only=True)
    made = _made(monkeypatch)
    name = spans.span_table(con, "patent_event")
    assert len(con.execute(f"SELECT * FROM {name}").fetchall()) == 2
    spans.forget(con)
    assert con.execute(f"SELECT count(*) FROM duckdb_databases() WHERE database_name = '{spans.DB}'").fetchone()[0] == 0
    spans.span_table(con, "patent_event")
    assert len(made) == 2


def test_span_table_made_once_across_threads(monkeypatch):
    con = _store()
    made = _made(monkeypatch)
    names, errors = [], []

    def run():
        cur = con.cursor()
        try:
            names.append(spans.span_table(cur, "patent_event"))
        except Exception as e:  # reported below
            errors.append(e)
        finally:
            cur.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors and len(set(names)) == 1 and len(names) == 4
    assert made == ["patent_event"]


def test_trademark_keys_are_kept_and_remade_with_their_spans():
    """The mark stock's "marks without any event" reads the kept distinct keys: they equal the events' keys
    after every change, and only the trademark events' keys are kept."""
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE trademark_event (reg_no VARCHAR, nice_class INTEGER, event_date DATE, "
                "status_after VARCHAR)")
    con.executemany("INSERT INTO trademark_event VALUES (?, ?, ?, ?)",
                    [("T1", 9, "2020-01-01", "registered"), ("T1", 9, "2022-01-01", "cancelled"),
                     ("T1", 35, "2020-01-01", "registered"), ("T2", 9, "2021-05-01", "applied")])

    def kept():
        spans.span_table(con, "trademark_event")
        return sorted(con.execute(f"SELECT * FROM {spans.key_table('trademark_event')}").fetchall())

    def distinct():
        return sorted(con.execute("SELECT DISTINCT reg_no, nice_class FROM trademark_event").fetchall())

    assert kept() == distinct() == [("T1", 9), ("T1", 35), ("T2", 9)]
    con.execute("INSERT INTO trademark_event VALUES ('T3', 1, '2023-01-01', 'applied')")
    assert kept() == distinct()
    con.execute("UPDATE trademark_event SET reg_no = 'T4' WHERE reg_no = 'T2'")  # changed in place
    assert kept() == distinct() and ("T4", 9) in kept()
    with pytest.raises(KeyError):
        spans.key_table("patent_event")  # patent keys are not kept
