"""Rolling-origin backtests: JSON shape, hand-checkable errors, external CSV with gaps, bad CSVs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipobs.cli import app
from ipobs.monitor.backtest import SeriesFileError, ape, backtest_file, backtest_series, naive_forecasts, \
    read_series_csv, summarize

DATA = Path(__file__).parent / "data"
GEOMETRIC = {2013 + i: 100 * 1.1 ** i for i in range(6)}  # 2013–2018, exactly +10% a year


def test_backtest_ape_hand_checked():
    rows = backtest_series(list(GEOMETRIC), list(GEOMETRIC.values()), origins=[2016])
    (r,) = rows
    assert (r.origin, r.years) == (2016, [2017, 2018])
    assert r.actual == pytest.approx([146.41, 161.051])
    # last value 133.1 carried forward: |133.1 − 146.41| / 146.41 = 9.0909…%
    assert r.naive_last_ape == pytest.approx([100 * (1 - 133.1 / 146.41), 100 * (1 - 133.1 / 161.051)])
    # the last growth (+10%) carried forward is exact here, and so is the log-linear trend
    assert r.naive_growth_ape == pytest.approx([0, 0], abs=1e-9)
    assert r.model_ape == pytest.approx([0, 0], abs=1e-6)
    assert r.model == "log-linear trend"


def test_backtest_origins_need_history_and_actuals():
    rows = backtest_series(list(GEOMETRIC), list(GEOMETRIC.values()))
    # origins from the third year (min_points) to the last year with an actual after it
    assert [r.origin for r in rows] == [2015, 2016, 2017]
    assert [len(r.years) for r in rows] == [3, 2, 1]


def test_backtest_naive_with_gap_uses_growth_per_year():
    last, growth = naive_forecasts({2016: 100.0, 2018: 121.0}, [2019, 2020])
    assert last == [121.0, 121.0]
    assert growth == pytest.approx([133.1, 146.41])


def test_backtest_ape_zero_actual_is_none():
    assert ape(5.0, 0.0) is None and ape(None, 3.0) is None and ape(110, 100) == pytest.approx(10)


def test_backtest_external_csv_with_gaps():
    rows = backtest_file(DATA / "series_with_gaps.csv")
    series = {(r.indicator, r.region) for r in rows}
    assert series == {("inventions_per_10k", "CN"), ("pledge_amount", "120116")}
    pledge = [r for r in rows if r.indicator == "pledge_amount"]
    # 2019 is missing: an origin of 2018 scores 2020 and 2021 only (2019 has no actual, 2022 is empty)
    r2018 = next(r for r in pledge if r.origin == 2018)
    assert r2018.years == [2020, 2021]
    assert "2019" in r2018.note
    inv = next(r for r in rows if r.indicator == "inventions_per_10k" and r.origin == 2016)
    assert inv.fitted_years == [2012, 2013, 2015, 2016]
    for r in rows:
        assert len(r.years) == len(r.model_ape) == len(r.naive_last_ape) == len(r.naive_growth_ape)
    summary = summarize(rows)
    assert {s["horizon"] for s in summary} == {1, 2, 3}


def test_backtest_bad_csv_names_file_row_column():
    with pytest.raises(SeriesFileError) as err:
        read_series_csv(DATA / "bad_cells.csv")
    assert [(r, c) for r, c, _ in err.value.problems] == [(3, "year"), (4, "value"), (6, "year")]
    assert str(err.value).splitlines()[0] == f"{DATA / 'bad_cells.csv'}: row 3, column year: 'twenty19' is not a year"


def test_backtest_missing_column_and_missing_file():
    with pytest.raises(SeriesFileError, match="row 1, column region: missing column 'region'"):
        read_series_csv(DATA / "missing_column.csv")
    with pytest.raises(SeriesFileError, match="no such file"):
        read_series_csv(DATA / "nope.csv")


def test_backtest_cli_json_shape():
    res = CliRunner().invoke(app, ["backtest", "--series", str(DATA / "series_with_gaps.csv"), "--format", "json",
                                   "--origin", "2018"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert {(r["indicator"], r["origin"]) for r in rows} == {("inventions_per_10k", 2018), ("pledge_amount", 2018)}
    for r in rows:
        for key in ("forecast", "actual", "years", "model_ape", "naive_last_ape", "naive_growth_ape"):
            assert isinstance(r[key], list) and len(r[key]) == len(r["years"])


def test_backtest_cli_bad_csv_exit_2():
    res = CliRunner().invoke(app, ["backtest", "--series", str(DATA / "bad_cells.csv")])
    assert res.exit_code == 2
    assert "row 3, column year: 'twenty19' is not a year" in res.output
    assert "Traceback" not in res.output
