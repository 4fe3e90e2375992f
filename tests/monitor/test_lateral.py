"""The lateral statements of monitor/batch: the year key beside each year-to-date range, and parameter rows read
from temporary tables."""

from __future__ import annotations

import datetime as dt

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from ipobs.indicators.base import get
from ipobs.indicators.compute import query
from ipobs.monitor import batch

COL = '"t0"."closed_date"'


def test_year_key_is_added_beside_a_year_to_date_range_only():
    rng = f"{COL} >= ipobs_p.ys AND {COL} <= ipobs_p.d"
    assert batch.with_year_keys(f"WHERE {rng}") == f"WHERE ({rng} AND year({COL}) = ipobs_p.y)"
    cast = 'CAST("t3"."event_date" AS DATE)'
    prev = f"{cast} >= ipobs_p.ys1 AND {cast} <= ipobs_p.d1"
    assert batch.with_year_keys(f"(x AND {prev})") == f"(x AND ({prev} AND year({cast}) = ipobs_p.y1))"
    for untouched in (f"WHERE NOT {rng}", f"WHERE {COL} >= ipobs_p.ys AND \"t1\".\"x\" <= ipobs_p.d",
                      f"WHERE {COL} >= ipobs_p.ys AND {COL} <= ipobs_p.d1", f"WHERE {rng} IS NULL"):
        assert batch.with_year_keys(untouched) == untouched, untouched


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.dates(dt.date(2018, 1, 1), dt.date(2022, 12, 31))), min_size=1, max_size=30),
       st.lists(st.dates(dt.date(2018, 1, 1), dt.date(2022, 12, 31)), min_size=1, max_size=6))
def test_year_key_changes_no_count(days, as_ofs):
    """Counting rows in the year to each date (any date, not only year-ends) with and without the key."""
    con = duckdb.connect()
    con.execute("CREATE TABLE c (closed_date DATE)")
    con.executemany("INSERT INTO c VALUES (?)", [(d,) for d in days])
    tpl = f'SELECT count(*) AS n FROM c AS "t0" WHERE {COL} >= ipobs_p.ys AND {COL} <= ipobs_p.d'
    qs = [query(get("cases_closed"), d, None, None, None) for d in as_ofs]
    params = batch.params_sql(qs)
    plain = f"SELECT ipobs_p.k, b.* FROM {params}, LATERAL ({tpl}) AS b ORDER BY 1"
    keyed = batch.lateral_sql(tpl, params) + " ORDER BY 1"
    assert "year(" in keyed
    assert con.execute(keyed).fetchall() == con.execute(plain).fetchall()
    want = [(k, sum(1 for x in days if x is not None and dt.date(d.year, 1, 1) <= x <= d)) for k, d in enumerate(as_ofs)]
    assert con.execute(keyed).fetchall() == want


def test_parameter_tables_are_shared_by_equal_query_lists_and_dropped():
    con = duckdb.connect()
    qs = [query(get("cases_closed"), dt.date(2020, 12, 31), g, None, None) for g in (None, "120116Z1")]
    params = batch.ParamTables(con)
    a = params.table(qs)
    assert params.table(list(qs)) == a and params.table(qs[:1]) != a
    assert con.execute(f"SELECT k, region FROM {a} ORDER BY k").fetchall() == [(0, "120116"), (1, "120116Z1")]
    params.drop()
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()[0] == 0
