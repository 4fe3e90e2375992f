"""Derived tables (ipobs.store.derived): made once per content of what they read, kept in a writable store's file
or in memory beside a read-only one, and made again whenever a row they read changes."""

from __future__ import annotations

import datetime as dt
import threading

import duckdb
import pytest

from ipobs.store import derived, open_store
from ipobs.store.derived import status_spans_sql

_EVENTS = [("CN1", "2020-01-01", "filed", "pending"), ("CN1", "2020-06-01", "granted", "granted"),
           ("CN2", "2020-02-01", "granted", "granted"), ("CN2", "2021-02-01", "lapsed", "lapsed")]
SPANS = "patent_granted_spans"
MARKS = "trademarks_in_force"


def _events(con):
    con.execute("CREATE TABLE patent_event (patent_id VARCHAR, event_date DATE, event VARCHAR, status_after VARCHAR)")
    con.executemany("INSERT INTO patent_event VALUES (?, ?, ?, ?)", _EVENTS)
    con.execute("CREATE TABLE patent (patent_id VARCHAR, region_code VARCHAR, kind VARCHAR, domestic BOOLEAN, "
                "industry VARCHAR, filing_date DATE, grant_date DATE)")
    con.executemany("INSERT INTO patent VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [("CN1", "R1", "invention", True, "I1", "2019-01-01", "2020-06-01"),
                     ("CN2", "R2", "utility", None, None, "2019-03-01", "2020-02-01")])
    return con


def _rows(con, sql):
    return sorted(con.execute(f"SELECT patent_id, d, nd FROM ({sql})").fetchall(), key=str)


def test_spans_carry_the_attributes_of_their_patent():
    """Region code, kind, domestic (NULL as false) and industry, from ``patent``; events of a patent that
    ``patent`` lacks make no span (no stock counts them)."""
    con = _events(duckdb.connect(":memory:"))
    con.execute("INSERT INTO patent_event VALUES ('CN9', '2020-01-01', 'granted', 'granted')")
    name = derived.table(con, SPANS)
    assert sorted(con.execute(f"SELECT patent_id, region_code, kind, domestic, industry FROM {name}").fetchall()) == [
        ("CN1", "R1", "invention", True, "I1"), ("CN2", "R2", "utility", False, None)]


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The derived tables made from now on, in order (each group by its first table)."""
    out: list[str] = []
    orig = derived._make

    def counting(cur, place, group, stamp):
        out.append(next(iter(derived.DERIVED[group].tables)))
        return orig(cur, place, group, stamp)

    monkeypatch.setattr(derived, "_make", counting)
    return out


def test_spans_equal_their_query_and_are_made_once(made):
    con = _events(duckdb.connect(":memory:"))
    name = derived.table(con, SPANS)
    assert _rows(con, f"SELECT * FROM {name}") == _rows(con, status_spans_sql("patent_event", ("patent_id",), "granted"))
    assert derived.table(con.cursor(), SPANS) == name  # any cursor sees it
    assert made == [SPANS]


def test_spans_are_made_again_when_the_events_change(made):
    """A new event, a deleted one, an event changed in place (same row count) or a patent's attribute changed
    each make the table again."""
    con = _events(duckdb.connect(":memory:"))
    name = derived.table(con, SPANS)
    assert con.execute(f"SELECT nd FROM {name} WHERE patent_id = 'CN1'").fetchall() == [(None,)]
    con.execute("INSERT INTO patent_event VALUES ('CN1', '2022-03-01', 'lapsed', 'lapsed')")
    derived.table(con, SPANS)
    assert [str(r[0]) for r in con.execute(f"SELECT nd FROM {name} WHERE patent_id = 'CN1'").fetchall()] == ["2022-03-01"]
    con.execute("UPDATE patent_event SET event_date = '2023-03-01' WHERE patent_id = 'CN1' AND event = 'lapsed'")
    derived.table(con, SPANS)
    assert [str(r[0]) for r in con.execute(f"SELECT nd FROM {name} WHERE patent_id = 'CN1'").fetchall()] == ["2023-03-01"]
    con.execute("DELETE FROM patent_event WHERE patent_id = 'CN2'")
    derived.table(con, SPANS)
    assert _rows(con, f"SELECT * FROM {name}") == _rows(con, status_spans_sql("patent_event", ("patent_id",), "granted"))
    con.execute("UPDATE patent SET region_code = 'R3' WHERE patent_id = 'CN1'")  # a patent's attribute changed
    derived.table(con, SPANS)
    assert con.execute(f"SELECT region_code FROM {name}").fetchall() == [("R3",)]
    assert made == [SPANS] * 5


def test_a_read_only_store_keeps_them_in_memory_until_forgotten(tmp_path, made):
    path = tmp_path / "s.duckdb"
    _events(duckdb.connect(str(path))).close()
    con = duckdb.connect(str(path), read_only=True)
    name = derived.table(con, SPANS)
    assert name.startswith(f'"{derived.DB}".main.')
    assert len(con.execute(f"SELECT * FROM {name}").fetchall()) == 2
    derived.forget(con)
    assert con.execute(f"SELECT count(*) FROM duckdb_databases() WHERE database_name = '{derived.DB}'").fetchone()[0] == 0
    derived.table(con, SPANS)
    assert made == [SPANS, SPANS]


def test_made_once_across_threads(made):
    con = _events(duckdb.connect(":memory:"))
    names, errors = [], []

    def run():
        cur = con.cursor()
        try:
            names.append(derived.table(cur, SPANS))
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
    assert made == [SPANS]


def _marks_con():
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE trademark_event (reg_no VARCHAR, nice_class INTEGER, event_date DATE, status_after VARCHAR)")
    con.execute("CREATE TABLE trademark (reg_no VARCHAR, nice_class INTEGER, region_code VARCHAR, well_known BOOLEAN, "
                "geo_indication BOOLEAN, registration_date DATE, expiry_date DATE, status VARCHAR, "
                "application_date DATE, madrid BOOLEAN)")
    con.executemany("INSERT INTO trademark_event VALUES (?, ?, ?, ?)",
                    [("T1", 9, "2020-01-01", "registered"), ("T1", 9, "2022-01-01", "cancelled"),
                     ("T1", 35, "2020-01-01", "registered"), ("T2", 9, "2021-05-01", "applied")])
    con.executemany("INSERT INTO trademark (reg_no, nice_class, region_code, well_known, geo_indication, "
                    "registration_date, expiry_date, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        ("T1", 9, "R1", True, None, "2020-01-01", "2029-12-31", "registered"),
        ("T1", 35, "R1", True, None, "2020-01-01", "2021-06-30", "registered"),  # expires before its events end
        ("T2", 9, "R2", None, None, "2021-05-01", None, "registered"),  # events, none of them a registration
        ("T3", 1, "R2", None, True, "2019-03-01", None, None),  # no event: in force from its registration
        ("T4", 1, "R2", None, None, "2019-03-01", None, "cancelled"),  # no event, cancelled: never
    ])
    return con


def _in_force(con):
    name = derived.table(con, MARKS)
    return sorted(con.execute(f"SELECT mark, reg_no, nice_class, region_code, wk, gi, f, u FROM {name}").fetchall())


def test_marks_in_force_follow_the_registry_rule():
    """Spans of the 'registered' status cut by the expiry; marks without events from their registration unless
    cancelled; one whole-number id per registration number."""
    con = _marks_con()
    d = dt.date
    assert _in_force(con) == [
        (1, "T1", 9, "R1", True, False, d(2020, 1, 1), d(2022, 1, 1)),
        (1, "T1", 35, "R1", True, False, d(2020, 1, 1), d(2021, 7, 1)),
        (2, "T3", 1, "R2", False, True, d(2019, 3, 1), None),
    ]


def test_marks_in_force_are_made_again_when_a_mark_changes(made):
    """The stamp reads the trademark columns as well as the events: a mark's expiry changed in place counts."""
    con = _marks_con()
    _in_force(con)
    con.execute("UPDATE trademark SET expiry_date = '2020-12-31' WHERE reg_no = 'T1' AND nice_class = 9")
    assert (1, "T1", 9, "R1", True, False, dt.date(2020, 1, 1), dt.date(2021, 1, 1)) in _in_force(con)
    con.execute("INSERT INTO trademark_event VALUES ('T3', 1, '2023-01-01', 'cancelled')")
    assert [r[1] for r in _in_force(con)] == ["T1", "T1"]  # T3 now has events, none a registration
    assert made == [MARKS] * 3


def test_a_writable_store_keeps_them_in_its_file_for_read_only_opens(tmp_path, made):
    """Closing a writable store makes them current in its file; a read-only open then reads them without making
    them; events changed behind the store's back make them again, in memory, with the new content; the next
    writable open makes the file's current again. ``made_anew`` ignores the file's."""
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        store.con.executemany("INSERT INTO patent_event (patent_id, event_date, event, status_after) "
                              "VALUES (?, ?, ?, ?)", _EVENTS)
        store.con.execute("INSERT INTO patent (patent_id, kind, filing_date, title) VALUES "
                          "('CN1', 'invention', '2019-01-01', 't'), ('CN2', 'utility', '2019-01-01', 't')")
    assert sorted(made) == [SPANS, MARKS]
    made.clear()
    with open_store(path, read_only=True) as store:
        name = derived.table(store.con, SPANS)
        assert name.startswith(f'"s".{derived.SCHEMA}.')
        assert _rows(store.con, f"SELECT * FROM {name}") == _rows(
            store.con, status_spans_sql("patent_event", ("patent_id",), "granted"))
        assert made == []
        with derived.made_anew():
            assert derived.table(store.con, SPANS).startswith(f'"{derived.DB}".main.')
        assert made == [SPANS]
    con = duckdb.connect(str(path))  # not through the store: nothing makes the kept tables current
    con.execute("INSERT INTO patent_event (patent_id, event_date, event, status_after) "
                "VALUES ('CN1', '2022-03-01', 'lapsed', 'lapsed')")
    con.close()
    with open_store(path, read_only=True) as store:
        name = derived.table(store.con, SPANS)
        assert name.startswith(f'"{derived.DB}".main.')
        assert [str(r[0]) for r in store.con.execute(f"SELECT nd FROM {name} WHERE patent_id = 'CN1'").fetchall()] \
            == ["2022-03-01"]
    assert made == [SPANS, SPANS]
    with open_store(path):  # a writable open makes the file's current again when it closes
        pass
    assert made == [SPANS, SPANS, SPANS]
    with open_store(path, read_only=True) as store:
        assert derived.table(store.con, SPANS).startswith(f'"s".{derived.SCHEMA}.')
    assert made == [SPANS, SPANS, SPANS]


def test_kept_tables_are_not_the_store_schema(tmp_path):
    """They live in their own schema: the export and the compiled-SQL fingerprint read ``main`` only."""
    from ipobs.monitor import sqlcache

    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        before = sqlcache.schema_fingerprint(store.con)
    with open_store(path, read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ?",
                                 [derived.SCHEMA]).fetchone()[0] == len(derived.GROUP_OF) + 1  # and the stamps
        assert sqlcache.schema_fingerprint(store.con) == before


def test_mark_unions_count_each_mark_once_when_classes_tie():
    """Classes of one mark with the same span: each mark is one union span. The two windows that find the islands
    once ordered tied spans differently in parallel runs, and some marks became two spans."""
    con = duckdb.connect()
    con.execute("SET threads = 4")
    con.execute("CREATE TABLE cls AS SELECT i AS mark, k AS nice_class, 'R' AS region_code, false AS wk, false AS gi, "
                "DATE '2020-01-01' + (i % 7)::INT AS f, DATE '2030-01-01' AS u, true AS one_code "
                "FROM range(50000) t(i), range(4) s(k)")
    for _ in range(3):
        assert con.execute(f"SELECT sum(n), count(*) FROM ({derived.mark_spans_sql('cls')})").fetchone() == (50000, 7)


def test_a_new_definition_makes_the_tables_again(made, monkeypatch):
    """The stamp holds a hash of the SQL: tables kept by an older version of the code are not read as current."""
    con = _events(duckdb.connect(":memory:"))
    derived.table(con, SPANS)
    spec = derived.DERIVED["patent_spans"]
    monkeypatch.setitem(derived.DERIVED, "patent_spans",
                        derived.Derived(spec.reads, {SPANS: spec.tables[SPANS] + " WHERE p.kind = 'invention'"}))
    name = derived.table(con, SPANS)
    assert made == [SPANS, SPANS]
    assert con.execute(f"SELECT patent_id FROM {name}").fetchall() == [("CN1",)]


def test_patent_flows_count_every_year_by_region_kind_and_industry():
    con = _events(duckdb.connect(":memory:"))
    con.execute("INSERT INTO patent VALUES ('CN3', NULL, 'invention', NULL, 'I1', '2019-05-01', NULL)")
    name = derived.table(con, "patent_flows")
    assert sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=str) == sorted([
        ("filing_date", "R1", "invention", "I1", 2019, 1), ("filing_date", "R2", "utility", None, 2019, 1),
        ("filing_date", None, "invention", "I1", 2019, 1), ("grant_date", "R1", "invention", "I1", 2020, 1),
        ("grant_date", "R2", "utility", None, 2020, 1)], key=str)


def test_a_read_only_instance_checks_the_stamp_once(tmp_path, monkeypatch):
    """No process can write a file another has open read-only: the stamp is read once per DuckDB instance (until
    forget), while a writable connection reads it at every use."""
    stamps: list[str] = []
    orig = derived._stamp
    monkeypatch.setattr(derived, "_stamp", lambda cur, group: stamps.append(group) or orig(cur, group))
    path = tmp_path / "s.duckdb"
    con = _events(duckdb.connect(str(path)))
    derived.table(con, SPANS)
    derived.table(con, SPANS)
    assert stamps == ["patent_spans"] * 2
    con.close()
    con = duckdb.connect(str(path), read_only=True)
    first = derived.table(con, SPANS)
    assert derived.table(con.cursor(), SPANS) == derived.table(con, "patent_flows").replace("patent_flows", SPANS) \
        == first
    assert stamps == ["patent_spans"] * 3
    derived.forget(con)
    assert derived.table(con, SPANS) == first
    assert stamps == ["patent_spans"] * 4


def test_mark_flows_keep_marks_with_several_codes_by_number():
    """Marks of one region code are counted per code; a mark whose classes have two codes is listed by number,
    so that a region holding both counts it once."""
    con = _marks_con()
    con.execute("UPDATE trademark SET application_date = registration_date - 200, madrid = reg_no = 'T1'")
    con.execute("INSERT INTO trademark VALUES ('T5', 1, 'R1', NULL, NULL, '2021-02-01', NULL, NULL, '2020-07-01', NULL), "
                "('T5', 2, 'R2', NULL, NULL, '2021-02-01', NULL, NULL, '2020-07-01', NULL)")
    name = derived.table(con, "trademark_flows")
    rows = sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=str)
    assert rows == sorted([
        ("madrid", "R1", 2019, None, 1),  # T1's two classes: one mark
        ("registrations", "R1", 2020, None, 1), ("registrations", "R2", 2021, None, 1),
        ("registrations", "R2", 2019, None, 2),  # T3 and T4
        ("registrations", "R1", 2021, "T5", None), ("registrations", "R2", 2021, "T5", None)], key=str)
