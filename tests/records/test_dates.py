"""One reading of a date given as a value or as text (``ipobs.records.dates``)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipobs.records.dates import as_date, date_or_today


@given(st.dates())
def test_every_spelling_of_a_day_reads_as_that_day(d):
    assert as_date(d) == d
    assert as_date(d.isoformat()) == d
    assert as_date(f" {d.isoformat()} ") == d
    assert as_date(dt.datetime(d.year, d.month, d.day, 13, 5)) == d
    assert as_date(f"{d.isoformat()} 00:00:00") == d  # a timestamp as DuckDB prints it


def test_missing_date_is_the_default_or_an_error():
    assert as_date(None, default=dt.date(2021, 12, 31)) == dt.date(2021, 12, 31)
    with pytest.raises(ValueError, match=r"not a date: None \(use YYYY-MM-DD\)"):
        as_date(None)
    assert date_or_today(None) == dt.date.today() and date_or_today("2021-12-31") == dt.date(2021, 12, 31)


@pytest.mark.parametrize("bad", ["2021-13-01", "31/12/2021", "", "next year", 2021])
def test_a_bad_date_names_the_value(bad):
    with pytest.raises(ValueError, match=f"not a date: {bad!r}"):
        as_date(bad)
