import datetime as dt

import duckdb
import pytest

from ipobs.protection.deadline import add_limit, add_months, add_working_days, sql_add
from ipobs.protection.limits import Limit


def _naive_working(d: dt.date, n: int) -> dt.date:
    x, c = d, 0
    while c < n:
        x += dt.timedelta(days=1)
        if x.weekday() < 5:
            c += 1
    return x


def test_working_days_match_day_by_day_count():
    for s in range(21):
        d = dt.date(2024, 1, 1) + dt.timedelta(days=s)
        for n in range(0, 23):
            assert add_working_days(d, n) == _naive_working(d, n), (d, n)


def test_working_days_sql_matches_python():
    con = duckdb.connect()
    rows = [(dt.date(2024, 1, 1) + dt.timedelta(days=s), n) for s in range(14) for n in range(0, 16)]
    con.execute("CREATE TABLE t (d DATE, n INTEGER)")
    con.executemany("INSERT INTO t VALUES (?, ?)", rows)
    got = con.execute(f"SELECT d, n, {sql_add('d', 'n', chr(39) + 'days' + chr(39), chr(39) + 'working' + chr(39))} "
                      "FROM t").fetchall()
    for d, n, out in got:
        assert out == _naive_working(d, n), (d, n, out)


def test_months_clamp_to_month_end_in_python_and_sql():
    assert add_months(dt.date(2021, 1, 31), 1) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2021, 11, 30), 3) == dt.date(2022, 2, 28)
    con = duckdb.connect()
    out = con.execute(f"SELECT {sql_add('DATE ' + chr(39) + '2021-01-31' + chr(39), '1', chr(39) + 'months' + chr(39), chr(39) + 'calendar' + chr(39))}").fetchone()[0]
    assert out == dt.date(2021, 2, 28)


@pytest.mark.parametrize("unit,basis,n,expected", [
    ("days", "calendar", 90, dt.date(2021, 5, 30)),
    ("months", "calendar", 3, dt.date(2021, 6, 1)),
    ("days", "working", 10, dt.date(2021, 3, 15)),
])
def test_add_limit_by_unit_and_basis(unit, basis, n, expected):
    lim = Limit("x", n, unit, basis, "received", 0, "src", True)
    assert add_limit(dt.date(2021, 3, 1), lim) == expected
