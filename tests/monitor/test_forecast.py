"""The forecaster: intervals that cover what they claim, widen for short series, and probabilities that
behave, on synthetic series with a known trend."""

from __future__ import annotations

import numpy as np
import pytest

from ipobs.monitor.forecast import ForecastError, forecast_series, period_index, period_label

TREND_ONLY = ("trend",)


def _loglinear(rng, n, growth=0.08, noise=0.05, start=1000.0):
    t = np.arange(n)
    return start * np.exp(growth * t + rng.normal(0, noise, n))


def test_forecast_interval_coverage_loglinear_roughly_right():
    """On series that follow the model (log-linear trend + noise), the 80% and 95% intervals one to three
    years ahead cover the truth about 80% and 95% of the time."""
    rng = np.random.default_rng(11)
    hits80, hits95 = [], []
    for _ in range(300):
        y = _loglinear(rng, 10)
        f = forecast_series(range(2010, 2017), y[:7], 3, models=TREND_ONLY, settings={"seed": int(rng.integers(1e9))})
        truth = y[7:]
        hits80 += list((f.lo80 <= truth) & (truth <= f.hi80))
        hits95 += list((f.lo95 <= truth) & (truth <= f.hi95))
    assert 0.74 <= np.mean(hits80) <= 0.90
    assert 0.91 <= np.mean(hits95) <= 0.99


def test_forecast_short_series_wider_than_long():
    """Five points give a wider interval than twelve points of the same process (t quantiles with few
    degrees of freedom plus the uncertainty of the slope)."""
    rng = np.random.default_rng(5)
    ratios = []
    for _ in range(40):
        y = _loglinear(rng, 12)
        long = forecast_series(range(2010, 2022), y, 3, models=TREND_ONLY)
        short = forecast_series(range(2017, 2022), y[-5:], 3, models=TREND_ONLY)
        ratios.append(np.log(short.hi80[-1] / short.lo80[-1]) / np.log(long.hi80[-1] / long.lo80[-1]))
    assert np.median(ratios) > 1.3


def test_forecast_intervals_widen_with_horizon():
    y = _loglinear(np.random.default_rng(3), 8)
    f = forecast_series(range(2014, 2022), y, 4)
    width = np.log(f.hi95 / f.lo95)
    assert np.all(np.diff(width) > 0)


def test_forecast_probability_monotone_in_target():
    y = _loglinear(np.random.default_rng(1), 9)
    f = forecast_series(range(2013, 2022), y, 2)
    col = f.column(2023)
    levels = np.linspace(f.lo95[col] * 0.8, f.hi95[col] * 1.2, 25)
    probs = [f.probability(lambda p, x=x: p[:, col] >= x) for x in levels]
    assert all(a >= b for a, b in zip(probs, probs[1:]))
    assert probs[0] > 0.97 and probs[-1] < 0.03


def test_forecast_recovers_known_trend():
    y = 500 * 1.1 ** np.arange(10)
    f = forecast_series(range(2012, 2022), y, 3, models=TREND_ONLY)
    assert f.mean == pytest.approx(500 * 1.1 ** np.arange(10, 13), rel=1e-6)
    # a perfectly smooth series still gets a non-zero interval (the min_sigma floor)
    assert np.all(f.hi80 > f.lo80 * 1.01)


def test_forecast_gaps_fit_observed_years_only():
    years = [2012, 2013, 2015, 2016, 2019, 2020, 2021]
    values = [100 * 1.08 ** (y - 2012) for y in years]
    f = forecast_series(years, values, 2, models=TREND_ONLY)
    assert f.gaps == [2014, 2017, 2018]
    assert [p for p, _ in f.history] == years
    assert f.mean[0] == pytest.approx(100 * 1.08 ** 10, rel=1e-6)


def test_forecast_gaps_interpolated_for_ets():
    rng = np.random.default_rng(2)
    years = list(range(2008, 2022))
    values = list(_loglinear(rng, len(years), noise=0.02))
    values[5] = None
    f = forecast_series(years, values, 2, settings={"selection_origins": 2, "ets_trigger": 0})
    assert f.gaps == [2013]
    assert "ets" in f.scores
    if f.model == "ets":
        assert f.interpolated == [2013]


def test_forecast_none_and_nan_are_gaps():
    f = forecast_series([2017, 2018, 2019, 2020, 2021], [10, None, 12, float("nan"), 15], 1)
    assert f.gaps == [2018, 2020]


def test_forecast_share_stays_within_bounds():
    f = forecast_series(range(2015, 2022), [80, 86, 90, 93, 95, 97, 98], 5, upper=100)
    assert f.scale == "logit"
    assert np.all(f.paths <= 100) and np.all(f.paths >= 0)


def test_forecast_zero_values_use_level_scale():
    f = forecast_series(range(2016, 2022), [2, 0, 3, 5, 8, 9], 2, models=TREND_ONLY)
    assert f.scale == "level" and f.model_en == "linear trend"
    assert np.all(f.paths >= 0)  # a count never goes below zero


def test_forecast_too_short_raises_with_reason():
    with pytest.raises(ForecastError, match="2 observed period"):
        forecast_series([2020, 2021], [1, 2], 1)


def test_forecast_duplicate_period_raises():
    with pytest.raises(ForecastError, match="twice"):
        forecast_series([2019, 2020, 2020, 2021], [1, 2, 3, 4], 1)


def test_forecast_quarterly_series():
    rng = np.random.default_rng(8)
    quarters = [f"{y}Q{q}" for y in range(2017, 2022) for q in range(1, 5)]
    season = np.tile([0.8, 1.0, 1.05, 1.15], 5)
    values = 200 * 1.02 ** np.arange(20) * season * np.exp(rng.normal(0, 0.02, 20))
    f = forecast_series(quarters, values, 4, freq="Q", models=TREND_ONLY)
    assert f.periods == ["2022Q1", "2022Q2", "2022Q3", "2022Q4"]
    assert f.rows()[0]["period"] == "2022Q1"
    assert f.mean[0] < f.mean[3]  # the first-quarter dip is modelled


def test_forecast_period_index_round_trip():
    assert period_label(period_index("2021Q3", "Q"), "Q") == "2021Q3"
    assert period_index("2021-Q1", "Q") == period_index((2021, 1), "Q")
    with pytest.raises(ForecastError, match="not a quarter"):
        period_index("2021Q5", "Q")


def test_forecast_is_reproducible():
    y = _loglinear(np.random.default_rng(4), 9)
    a = forecast_series(range(2013, 2022), y, 3)
    b = forecast_series(range(2013, 2022), y, 3)
    assert np.array_equal(a.paths, b.paths)


def test_forecast_calibration_widens_for_random_walk():
    """On a random walk with drift the trend regression's residuals understate the future spread; the
    backtest calibration widens the intervals rather than leaving them too narrow."""
    rng = np.random.default_rng(21)
    factors = []
    for _ in range(20):
        y = 1000 * np.exp(np.cumsum(0.05 + rng.normal(0, 0.08, 12)))
        f = forecast_series(range(2010, 2022), y, 3, models=TREND_ONLY, settings={"selection_origins": 6})
        factors.append(f.calibration)
    assert min(factors) >= 1.0
    assert np.mean(np.array(factors) > 1.0) > 0.5


def test_forecast_leading_zeros_left_out():
    f = forecast_series(range(2012, 2022), [0, 0, 30, 64, 102, 146, 196, 253, 318, 393], 1, models=TREND_ONLY)
    assert f.scale == "log" and f.history[0] == (2014, 30.0)
    assert "leading zero" in f.notes[0]


def test_forecast_ets_tried_only_when_cheap_models_fail_backtest():
    rng = np.random.default_rng(9)
    smooth = _loglinear(rng, 12, noise=0.002)  # below the min_sigma floor: the cheap models pass their backtest
    f = forecast_series(range(2010, 2022), smooth, 2)
    assert "ets" not in f.scores and "passed its backtest" in f.notes[0]
    assert set(f.scores) == {"trend", "drift"}
    f = forecast_series(range(2010, 2022), smooth, 2, settings={"ets_trigger": 0})
    assert set(f.scores) == {"trend", "drift", "ets"}
    assert f.scores["ets"]["origins"] == [2019, 2020]  # refitted at ets_origins (2) origins


def test_forecast_drift_follows_recent_growth():
    """Growth slowed from 30% to 10% a year: the recent-growth (drift) model wins the backtest over a
    straight log-linear trend through all years, and forecasts near +10%."""
    growth = [0.30, 0.28, 0.25, 0.22, 0.18, 0.15, 0.12, 0.10, 0.10, 0.10, 0.10]
    values = 100 * np.cumprod([1.0, *[1 + g for g in growth]])
    f = forecast_series(range(2010, 2022), values, 1, settings={"ets_trigger": 1e9})
    assert f.model == "drift"
    assert f.mean[0] == pytest.approx(values[-1] * 1.10, rel=0.01)


def test_forecast_calibration_factor_per_horizon_never_shrinks():
    rng = np.random.default_rng(21)
    y = 1000 * np.exp(np.cumsum(0.05 + rng.normal(0, 0.08, 12)))
    f = forecast_series(range(2010, 2022), y, 3, models=TREND_ONLY, settings={"selection_origins": 6})
    widths = np.log(f.hi80 / f.lo80)
    assert np.all(np.diff(widths) > 0) and f.calibration >= 1


def _ets_series(rng, i):
    n = int(rng.integers(6, 13))
    kind = i % 3
    if kind == 0:
        return np.arange(n), np.cumsum(0.05 + rng.normal(0, 0.08, n))  # random walk with drift
    if kind == 1:
        return np.arange(n), 0.1 * np.arange(n) + rng.normal(0, 0.05, n)  # trend plus noise
    return np.arange(n), np.log(1 + np.cumsum(rng.exponential(1, n)))  # slowing growth


def test_forecast_grid_ets_fits_as_well_as_statsmodels():
    """The numpy grid reaches statsmodels' maximum likelihood of ETS(A,Ad,N) (its mean squared one-step
    error) within a few percent, and often beats it where statsmodels' optimiser stops at α = β = 0; the
    AICc choice keeps smoothing only where it earns its two parameters, so the chosen fit is never better
    than the grid's best and the information criterion never prefers more parameters for less fit."""
    from ipobs.monitor.forecast import EtsFit, GridEtsFit

    rng = np.random.default_rng(7)
    ratios = []
    for i in range(18):
        t, z = _ets_series(rng, i)
        g = GridEtsFit(t, z, "Y", 0.01)
        ratios.append(g.mse_min / EtsFit(t, z, "Y", 0.01).res.mse)
        assert g.mse >= g.mse_min
    assert max(ratios) < 1.05
    assert np.median(ratios) <= 1.0 + 1e-6


def test_forecast_grid_ets_parsimony_on_a_smooth_trend():
    """A damped trend plus small noise: the AICc keeps α and β at their lower bound (no smoothing)."""
    from ipobs.monitor.forecast import ETS_ALPHA, GridEtsFit

    rng = np.random.default_rng(4)
    t = np.arange(10)
    z = 5 + np.cumsum(0.1 * 0.9 ** t) + rng.normal(0, 0.01, 10)
    assert GridEtsFit(t, z, "Y", 0.01).alpha == ETS_ALPHA[0]


def test_forecast_grid_ets_matches_statsmodels_at_its_optimum():
    """Where statsmodels' fit is interior-free (α = β = 0, a damped deterministic trend) the two fitters give
    the same forecast and interval scale."""
    from ipobs.monitor.forecast import EtsFit, GridEtsFit

    t = np.arange(2010, 2020)
    z = np.log(100.0) + 0.08 * np.arange(10) + np.array([0.01, -0.02, 0.015, 0.0, -0.01, 0.02, -0.015, 0.01,
                                                         -0.005, 0.0])
    a, b = EtsFit(t, z, "Y", 0.01), GridEtsFit(t, z, "Y", 0.01)
    tf = np.array([2020, 2021, 2022])
    if a.res.params.iloc[0] < 1e-3 and abs(a.res.params.iloc[2] - b.phi) < 1e-9:
        assert b.point(tf) == pytest.approx(a.point(tf), rel=1e-6)
        assert b.scale80(tf) == pytest.approx(a.scale80(tf), rel=1e-4)
    assert b.point(tf) == pytest.approx(a.point(tf), abs=0.02)  # within 2% on the log scale either way


def test_forecast_grid_ets_paths_follow_its_variance():
    """Simulated paths have the analytic predictive mean and spread (σ²(1 + Σ (α + β(φ + … + φ^j))²))."""
    from ipobs.monitor.forecast import Z80, GridEtsFit

    rng = np.random.default_rng(3)
    t, z = np.arange(12), np.cumsum(0.05 + rng.normal(0, 0.1, 12))
    f = GridEtsFit(t, z, "Y", 1e-6)
    tf = np.array([12, 13, 14, 15])
    paths = f.paths(tf, np.random.default_rng(0), 40000)
    assert paths.mean(axis=0) == pytest.approx(f.point(tf), abs=0.01)
    assert paths.std(axis=0) == pytest.approx(f.scale80(tf), rel=0.03)
    assert np.all(np.diff(f.scale80(tf)) >= 0) and Z80 > 1


def test_forecast_ets_fitter_setting():
    rng = np.random.default_rng(9)
    y = _loglinear(rng, 12, noise=0.05)
    for fitter in ("grid", "statsmodels"):
        f = forecast_series(range(2010, 2022), y, 2, settings={"ets_trigger": 0, "ets_fitter": fitter})
        assert "ets" in f.scores and f.scores["ets"]["errors"] > 0
    with pytest.raises(ValueError, match="ets_fitter"):
        forecast_series(range(2010, 2022), y, 2, settings={"ets_fitter": "exact"})
