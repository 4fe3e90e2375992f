import datetime as dt

import duckdb
import pytest

from ipobs.protection.deadline import add_limit, add_months, add_weekdays, add_working_days, sql_add
from ipobs.protection.limits import Limit
from ipobs.protection.workdays import load_workdays

CAL = load_workdays()


def _naive(d: dt.date, n: int, working=CAL.is_working) -> dt.date:
    x, c = d, 0
    while c < n:
        x += dt.timedelta(days=1)
        if working(x):
            c += 1
    return x


def test_weekday_arithmetic_matches_day_by_day_count():
    for s in range(21):
        d = dt.date(2024, 1, 1) + dt.timedelta(days=s)
        for n in range(0, 23):
            assert add_weekdays(d, n) == _naive(d, n, lambda x: x.weekday() < 5), (d, n)


def test_working_days_match_day_by_day_count_across_holidays():
    # Spring Festival 2024 (2-10..2-17 off, Sundays 2-4 and 2-18 worked), National Day 2023
    for first in (dt.date(2024, 1, 25), dt.date(2023, 9, 20)):
        for s in range(30):
            d = first + dt.timedelta(days=s)
            for n in range(0, 23):
                assert add_working_days(d, n) == _naive(d, n), (d, n)


def test_working_days_across_national_day_and_spring_festival():
    assert add_working_days(dt.date(2023, 9, 28), 1) == dt.date(2023, 10, 7)    # Sat 10-7 is worked
    assert add_working_days(dt.date(2023, 9, 28), 10) == dt.date(2023, 10, 18)
    assert add_working_days(dt.date(2024, 2, 8), 1) == dt.date(2024, 2, 9)
    assert add_working_days(dt.date(2024, 2, 9), 1) == dt.date(2024, 2, 18)    # Sun 2-18 is worked
    assert add_working_days(dt.date(2020, 1, 23), 1) == dt.date(2020, 2, 3)    # 2020 extension to 2-2
    assert add_weekdays(dt.date(2023, 9, 28), 10) == dt.date(2023, 10, 12)     # ignoring holidays: a week early


def test_working_days_sql_matches_python_across_holidays():
    con = duckdb.connect()
    rows = [(first + dt.timedelta(days=s), n) for first in (dt.date(2024, 1, 1), dt.date(2023, 9, 25),
                                                              dt.date(2020, 1, 18), dt.date(2026, 12, 20))
            for s in range(20) for n in range(0, 16)]
    rows += [(dt.date(1989, 12, 25), 10), (dt.date(2060, 12, 28), 5)]  # beyond the SQL calendar: weekdays
    con.execute("CREATE TABLE t (d DATE, n INTEGER)")
    con.executemany("INSERT INTO t VALUES (?, ?)", rows)
    q = chr(39)
    expr = sql_add("t.d", "t.n", f"{q}days{q}", f"{q}working{q}", workday="we.d")
    from ipobs.protection.workdays import register_index

    got = con.execute(f"WITH wd AS (SELECT * FROM {register_index(con, CAL)}) SELECT t.d, t.n, {expr} FROM t "
                      "LEFT JOIN wd ws ON ws.d = t.d LEFT JOIN wd we ON we.k = ws.k + t.n AND we.w = 1").fetchall()
    assert len(got) == len(rows)
    for d, n, out in got:
        assert out == _naive(d, n), (d, n, out)


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


def test_holidays_file_checks_and_override(tmp_path, monkeypatch):
    from ipobs.protection.workdays import HolidaysError

    bad = tmp_path / "h.yaml"
    bad.write_text("2024:\n  source: x\n  rest: [2024-02-10/2024-02-17]\n  work: [2024-02-05]\n", encoding="utf-8")
    with pytest.raises(HolidaysError, match="2024-02-05 is a weekday"):
        load_workdays(bad)
    bad.write_text("2024:\n  source: x\n  rest: [2024-13-01]\n", encoding="utf-8")
    with pytest.raises(HolidaysError, match="year 2024.*not a date"):
        load_workdays(bad)
    good = tmp_path / "g.yaml"
    good.write_text("2030:\n  source: test notice\n  rest: [2030-01-01/2030-01-03]\n  work: [2030-01-05]\n",
                    encoding="utf-8")
    monkeypatch.setenv("IPOBS_HOLIDAYS", str(good))
    cal = load_workdays()
    assert not cal.is_working(dt.date(2030, 1, 2)) and cal.is_working(dt.date(2030, 1, 5))
    assert cal.is_working(dt.date(2024, 2, 12))  # the override replaces the shipped table
    assert add_working_days(dt.date(2029, 12, 31), 1) == dt.date(2030, 1, 4)


def test_shipped_holidays_lose_the_statutory_days_each_year():
    """Weekday holidays minus worked weekends = the statutory days (11; 13 from 2025; 2020's
    Spring Festival extension adds 2)."""
    for year in CAL.sources:
        lost = sum(1 for d in CAL.rest if d.weekday() < 5 and _notice_year(d) == year) - \
            sum(1 for d in CAL.work if _notice_year(d) == year)
        assert lost == (13 if year in (2020, 2025, 2026) else 11), year


def _notice_year(d: dt.date) -> int:
    # New Year's Day holidays that start in late December belong to the next year's notice
    return d.year + 1 if d.month == 12 and d.day >= 29 else d.year
