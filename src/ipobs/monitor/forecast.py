"""Forecast a yearly (or quarterly) series to a target date, with intervals that stay honest on short series.

Method (docs/monitoring.md has the long form):

1. **Scale.** Shares with a known upper bound are modelled on the logit scale, positive series on the log
   scale (so growth is multiplicative and intervals stay positive), anything else on the level scale.
2. **Candidates.** A trend regression (OLS of the scaled values on time: "log-linear trend" on the log
   scale; quarter dummies for quarterly series with three years of data), a random walk with drift over the
   latest ``drift_years`` changes (recent average growth carried forward; yearly series), and, when both of
   those fail their backtest, exponential smoothing (ETS(A,Ad,N): additive error, damped additive trend;
   fitted in numpy by :class:`GridEtsFit`, or by statsmodels' ``ETSModel`` with ``ets_fitter:
   statsmodels``). The trend model's predictive distribution is the exact Student-t one: residual
   variance plus the uncertainty of the estimated level and slope, simulated as the posterior predictive
   under a flat prior (σ² from its scaled inverse-χ², coefficients given σ², then the noise), so its
   intervals widen with the horizon and are wide when only a few points are known; the drift's is
   σ²(h + h²/T), simulated as random-walk paths. Gaps in the years: the trend and drift models fit the
   observed periods only; ETS needs a regular grid, so interior gaps are filled by linear interpolation on
   the model scale (log-linear interpolation for positive series) and listed in ``interpolated``.
3. **Choice by backtest.** The cheap models are refitted at the latest ``selection_origins`` forecast
   origins and scored over ``backtest_horizon`` periods ahead; a challenger replaces the incumbent when its
   mean absolute error on the model scale is strictly lower on the origins both were scored at. When the
   better one's errors are larger than its own intervals claim (median |error| / interval scale ≥
   ``ets_trigger`` × 0.6745), ETS is refitted at the latest ``ets_origins`` origins and challenges it.
   (A statsmodels ETS fit costs 0.1–0.5 s, the grid fit and the others about a millisecond.)
4. **Calibration.** From the same backtest, each error is divided by the model's normal-equivalent
   predictive standard deviation (the 80% half-width / 1.2816). If the median absolute standardized error
   is above 0.6745 (its value for a calibrated model), the simulated deviations from the point forecast are
   widened by that ratio, per horizon the largest seen up to it (never narrowed, at most
   ``calibration_max``). This is what keeps ETS honest when its maximum-likelihood fit collapses to a
   deterministic trend whose intervals do not widen.
5. **Probabilities** of meeting a rule are shares of the simulated paths (``simulations``, seeded).

>>> f = forecast_series([2017, 2018, 2019, 2020, 2021], [100, 110, 121, 133, 146], 2)
>>> f.periods, f.model
([2022, 2023], 'drift')
>>> round(f.mean[0]), bool(f.lo95[0] < f.mean[0] < f.hi95[0])
(160, True)
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ipobs.monitor.settings import MonitorSettings, monitor_settings

Z80 = stats.norm.ppf(0.9)  # 1.2816: half-width of a normal 80% interval in standard deviations
MEDIAN_ABS_Z = stats.norm.ppf(0.75)  # 0.6745: median |z| of a standard normal
PER_YEAR = {"Y": 1, "Q": 4}

MODEL_NAMES = {
    ("trend", "log"): ("对数线性趋势", "log-linear trend"),
    ("trend", "logit"): ("logit线性趋势", "logit-linear trend"),
    ("trend", "level"): ("线性趋势", "linear trend"),
    ("ets", "log"): ("指数平滑（阻尼趋势，对数尺度）", "exponential smoothing (damped trend, log scale)"),
    ("ets", "logit"): ("指数平滑（阻尼趋势，logit尺度）", "exponential smoothing (damped trend, logit scale)"),
    ("ets", "level"): ("指数平滑（阻尼趋势）", "exponential smoothing (damped trend)"),
    ("drift", "log"): ("近年平均增速外推", "recent average growth (random walk with drift, log scale)"),
    ("drift", "logit"): ("近年平均变化外推（logit尺度）", "recent average change (random walk with drift, logit scale)"),
    ("drift", "level"): ("近年平均增量外推", "recent average change (random walk with drift)"),
}


class ForecastError(ValueError):
    """The series cannot be forecast (too short, bad periods); the message says why."""


# -- periods ------------------------------------------------------------------------------------------

def period_index(p, freq: str = "Y") -> int:
    """An integer time index: the year for yearly data, ``year*4 + quarter-1`` for quarterly data.

    Quarterly periods are written ``2021Q3`` (also ``2021-Q3``, a ``(2021, 3)`` tuple or a pandas Period).
    """
    if freq not in PER_YEAR:
        raise ForecastError(f"unknown frequency {freq!r}; use 'Y' (yearly) or 'Q' (quarterly)")
    if freq == "Y":
        try:
            return int(str(p).strip()[:4]) if not isinstance(p, (int, np.integer)) else int(p)
        except ValueError:
            raise ForecastError(f"not a year: {p!r}") from None
    if isinstance(p, tuple):
        year, q = p
    elif hasattr(p, "quarter") and hasattr(p, "year"):
        year, q = p.year, p.quarter
    else:
        text = str(p).strip().upper().replace("-", "")
        if len(text) != 6 or text[4] != "Q" or not text[:4].isdigit() or text[5] not in "1234":
            raise ForecastError(f"not a quarter (write 2021Q3): {p!r}")
        year, q = int(text[:4]), int(text[5])
    if not 1 <= int(q) <= 4:
        raise ForecastError(f"not a quarter (write 2021Q3): {p!r}")
    return int(year) * 4 + int(q) - 1


def period_label(t: int, freq: str = "Y"):
    """The inverse of :func:`period_index`: ``2021`` or ``'2021Q3'``."""
    return int(t) if freq == "Y" else f"{t // 4}Q{t % 4 + 1}"


# -- scales -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scale:
    """The scale a model works on: ``log``, ``logit`` (between 0 and ``upper``) or ``level``."""

    name: str
    upper: float | None = None

    def forward(self, v: np.ndarray) -> np.ndarray:
        v = np.asarray(v, dtype=float)
        if self.name == "log":
            return np.log(v)
        if self.name == "logit":
            p = np.clip(v / self.upper, 1e-3, 1 - 1e-3)
            return np.log(p / (1 - p))
        return v

    def inverse(self, z: np.ndarray) -> np.ndarray:
        z = np.asarray(z, dtype=float)
        if self.name == "log":
            return np.exp(np.clip(z, -700, 700))
        if self.name == "logit":
            return self.upper / (1 + np.exp(-np.clip(z, -700, 700)))
        return z


@lru_cache(maxsize=256)
def _t90(df: int) -> float:
    """The 0.9 quantile of Student's t with ``df`` degrees of freedom (memoized: scipy's call costs more than
    a whole model fit)."""
    return float(stats.t.ppf(0.9, df))


def choose_scale(values: np.ndarray, upper: float | None = None) -> Scale:
    if upper is not None and np.all((values >= 0) & (values <= upper)):
        return Scale("logit", float(upper))
    if np.all(values > 0):
        return Scale("log")
    return Scale("level")


def _sigma_floor(z: np.ndarray, scale: Scale, min_sigma: float) -> float:
    if scale.name == "level":
        return min_sigma * max(float(np.mean(np.abs(z))), 1e-9)
    return min_sigma


# -- models -------------------------------------------------------------------------------------------

class TrendFit:
    """OLS of the scaled values on time (plus quarter dummies), with its exact predictive distribution."""

    kind = "trend"

    def __init__(self, t: np.ndarray, z: np.ndarray, freq: str, sigma_floor: float):
        self.t0 = float(np.mean(t))
        self.freq = freq
        self.seasonal = freq == "Q" and len(t) >= 12 and len(set((t % 4).tolist())) == 4
        X = self.design(t)
        n, p = X.shape
        self.df = n - p
        if self.df < 1:
            raise ForecastError(f"{n} points are too few for a trend with {p} coefficients")
        self.beta, *_ = np.linalg.lstsq(X, z, rcond=None)
        rss = float(np.sum((z - X @ self.beta) ** 2))
        self.s = max(math.sqrt(rss / self.df), sigma_floor)
        self.xtx_inv = np.linalg.inv(X.T @ X)
        self.t_last = int(t[-1])

    def design(self, t: np.ndarray) -> np.ndarray:
        per = PER_YEAR[self.freq]
        cols = [np.ones(len(t)), (np.asarray(t, dtype=float) - self.t0) / per]
        if self.seasonal:
            cols += [(np.asarray(t) % 4 == q).astype(float) for q in (1, 2, 3)]
        return np.column_stack(cols)

    def point(self, tf: np.ndarray) -> np.ndarray:
        return self.design(tf) @ self.beta

    def scale80(self, tf: np.ndarray) -> np.ndarray:
        Xf = self.design(tf)
        lev = np.einsum("ij,jk,ik->i", Xf, self.xtx_inv, Xf)
        return self.s * np.sqrt(1 + lev) * _t90(self.df) / Z80

    def paths(self, tf: np.ndarray, rng: np.random.Generator, reps: int) -> np.ndarray:
        Xf = self.design(tf)
        sigma = self.s * np.sqrt(self.df / rng.chisquare(self.df, reps))
        chol = np.linalg.cholesky(self.xtx_inv)
        beta = self.beta + sigma[:, None] * (rng.standard_normal((reps, len(self.beta))) @ chol.T)
        return beta @ Xf.T + sigma[:, None] * rng.standard_normal((reps, len(tf)))


def _steps_after(t_last: int, tf: np.ndarray) -> np.ndarray:
    """Periods ahead of the last observed one (each at least 1)."""
    steps = np.asarray(tf, dtype=int) - t_last
    if np.any(steps < 1):
        raise ForecastError("forecast periods must come after the last observed period")
    return steps


class EtsFit:
    """statsmodels ETSModel (additive error, damped additive trend) on a regular grid."""

    kind = "ets"

    def __init__(self, t: np.ndarray, z: np.ndarray, freq: str, sigma_floor: float):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        grid = np.arange(int(t[0]), int(t[-1]) + 1)
        self.interpolated = [int(g) for g in grid if g not in set(t.tolist())]
        zg = np.interp(grid, t, z)
        seasonal = freq == "Q" and len(grid) >= 16
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = ETSModel(pd.Series(zg), error="add", trend="add", damped_trend=True,
                             seasonal="add" if seasonal else None, seasonal_periods=4 if seasonal else None)
            self.res = model.fit(disp=False)
        if not np.all(np.isfinite(self.res.params)):
            raise ForecastError("exponential smoothing did not converge")
        self.t_last = int(grid[-1])
        self.n = len(grid)
        self.sigma_floor = sigma_floor

    def _steps(self, tf: np.ndarray) -> np.ndarray:
        return _steps_after(self.t_last, tf)

    def point(self, tf: np.ndarray) -> np.ndarray:
        steps = self._steps(tf)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fc = np.asarray(self.res.forecast(int(steps.max())))
        return fc[steps - 1]

    def scale80(self, tf: np.ndarray) -> np.ndarray:
        steps = self._steps(tf)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = self.res.get_prediction(start=self.n, end=self.n + int(steps.max()) - 1).summary_frame(alpha=0.2)
        half = (np.asarray(frame["pi_upper"]) - np.asarray(frame["pi_lower"])) / 2
        return np.maximum(half[steps - 1] / Z80, self.sigma_floor)

    def paths(self, tf: np.ndarray, rng: np.random.Generator, reps: int) -> np.ndarray:
        steps = self._steps(tf)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sim = np.asarray(self.res.simulate(int(steps.max()), anchor="end", repetitions=reps, rng=rng))
        sim = sim.reshape(int(steps.max()), reps).T
        return sim[:, steps - 1]


ETS_ALPHA = np.array([1e-4, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1 - 1e-4])
ETS_BETA_STAR = np.array([1e-4, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1 - 1e-4])  # β = β*·α, so β ≤ α
ETS_PHI = np.array([0.8, 0.84, 0.88, 0.92, 0.95, 0.98])
_ETS_GRID = np.array([(a, a * b, p) for a in ETS_ALPHA for b in ETS_BETA_STAR for p in ETS_PHI]).T
# free parameters per grid point: l0, b0, φ, plus α and β where they are above their lower bound
_ETS_K = 3 + np.array([int(a > ETS_ALPHA[0]) + int(b > ETS_BETA_STAR[0])
                       for a in ETS_ALPHA for b in ETS_BETA_STAR for _ in ETS_PHI])


class GridEtsFit:
    """ETS(A,Ad,N) — additive error, damped additive trend — the model of :class:`EtsFit`, fitted in numpy.

    The state space form (Hyndman et al.): ŷ_t = l_{t−1} + φ b_{t−1}, e_t = y_t − ŷ_t,
    l_t = l_{t−1} + φ b_{t−1} + α e_t, b_t = φ b_{t−1} + β e_t. For fixed (α, β, φ) the one-step errors are
    linear in the initial states (l₀, b₀), so their least-squares values — the maximum-likelihood ones under
    Gaussian errors — are a 2×2 solve. The smoothing parameters are chosen on a fixed grid (α from 0.0001
    to 0.9999, β = β*·α with β* from 0.0001 to 0.9999, φ from 0.8 to 0.98: statsmodels' bounds), every grid
    point run at once as numpy arrays, by the small-sample AIC (AICc): α and β count as parameters only
    above their lower bound, so on a short series the smoothing must earn them and the fit otherwise stays a
    damped deterministic trend (which is where statsmodels' optimiser usually ends on such series too);
    σ² is the mean squared one-step error (statsmodels' ``mse``). The
    predictive variance is exact, σ²(1 + Σ_{j<h} (α + β(φ + … + φ^j))²), and paths are simulated from the
    fitted end state with Gaussian errors. No iterative optimiser: a fit costs well under a millisecond.
    """

    kind = "ets"

    def __init__(self, t: np.ndarray, z: np.ndarray, freq: str, sigma_floor: float):
        grid = np.arange(int(t[0]), int(t[-1]) + 1)
        self.interpolated = [int(g) for g in grid if g not in set(t.tolist())]
        y = np.interp(grid, t, z)
        n = len(y)
        if n < 4:
            raise ForecastError(f"{n} periods are too few for exponential smoothing")
        a, b, p = _ETS_GRID
        # run the recursion from zero initial states (e0) and the sensitivity of each error to (l0, b0)
        lv, tr = np.zeros_like(a), np.zeros_like(a)
        sl = np.stack([np.ones_like(a), np.zeros_like(a)])  # d(l_{t-1})/d(l0, b0)
        sb = np.stack([np.zeros_like(a), np.ones_like(a)])  # d(b_{t-1})/d(l0, b0)
        e0 = np.empty((n, a.size))
        sens = np.empty((n, 2, a.size))  # d(ŷ_t)/d(l0, b0)
        for i in range(n):
            yhat = lv + p * tr
            e0[i] = y[i] - yhat
            ds = sl + p * sb
            sens[i] = ds
            lv, tr = yhat + a * e0[i], p * tr + b * e0[i]
            sl, sb = ds - a * ds, p * sb - b * ds
        # e = e0 − sens·x0: least squares x0 per grid point
        s11 = np.einsum("ig,ig->g", sens[:, 0], sens[:, 0])
        s12 = np.einsum("ig,ig->g", sens[:, 0], sens[:, 1])
        s22 = np.einsum("ig,ig->g", sens[:, 1], sens[:, 1])
        r1 = np.einsum("ig,ig->g", sens[:, 0], e0)
        r2 = np.einsum("ig,ig->g", sens[:, 1], e0)
        det = s11 * s22 - s12 * s12
        ok = np.abs(det) > 1e-12 * np.maximum(s11 * s22, 1e-300)
        det = np.where(ok, det, 1.0)
        l0, b0 = (s22 * r1 - s12 * r2) / det, (s11 * r2 - s12 * r1) / det
        sse = np.einsum("ig,ig->g", e0, e0) - (l0 * r1 + b0 * r2)
        sse = np.where(ok & np.isfinite(sse), np.maximum(sse, 0.0), np.inf)
        # AICc (k parameters plus σ): smoothing only where it earns its parameters on a short series
        k = _ETS_K + 1
        with np.errstate(divide="ignore", invalid="ignore"):
            aicc = n * np.log(np.maximum(sse, 1e-300) / n) + 2 * k + np.where(n - k - 1 > 0, 2 * k * (k + 1) / (n - k - 1),
                                                                            np.inf)
        aicc = np.where(np.isfinite(sse), aicc, np.inf)
        best = int(np.argmin(aicc))
        self.mse_min = float(np.min(sse)) / n  # the best fit of the grid, whatever its parameters
        if not np.isfinite(sse[best]):
            raise ForecastError("exponential smoothing could not be fitted")
        self.alpha, self.beta, self.phi = float(a[best]), float(b[best]), float(p[best])
        self.l0, self.b0 = float(l0[best]), float(b0[best])
        level, trend = self.l0, self.b0
        for i in range(n):  # the chosen fit's end state
            yhat = level + self.phi * trend
            e = y[i] - yhat
            level, trend = yhat + self.alpha * e, self.phi * trend + self.beta * e
        self.level, self.trend = level, trend
        self.mse = float(sse[best]) / n
        self.t_last = int(grid[-1])
        self.n = n
        self.sigma_floor = sigma_floor

    def _steps(self, tf: np.ndarray) -> np.ndarray:
        return _steps_after(self.t_last, tf)

    def _phi_sums(self, hmax: int) -> np.ndarray:
        """φ + φ² + … + φ^h for h = 1..hmax."""
        return np.cumsum(self.phi ** np.arange(1, hmax + 1))

    def point(self, tf: np.ndarray) -> np.ndarray:
        steps = self._steps(tf)
        return self.level + self._phi_sums(int(steps.max()))[steps - 1] * self.trend

    def scale80(self, tf: np.ndarray) -> np.ndarray:
        steps = self._steps(tf)
        hmax = int(steps.max())
        c = (self.alpha + self.beta * self._phi_sums(hmax)) ** 2  # c_j for j = 1..hmax
        rel = 1 + np.concatenate([[0.0], np.cumsum(c)[:-1]])  # 1 + Σ_{j<h} c_j
        return np.maximum(np.sqrt(self.mse * rel[steps - 1]), self.sigma_floor)

    def paths(self, tf: np.ndarray, rng: np.random.Generator, reps: int) -> np.ndarray:
        steps = self._steps(tf)
        hmax = int(steps.max())
        err = rng.normal(0.0, math.sqrt(self.mse), (hmax, reps))
        level, trend = np.full(reps, self.level), np.full(reps, self.trend)
        out = np.empty((reps, hmax))
        for h in range(hmax):
            yhat = level + self.phi * trend
            out[:, h] = yhat + err[h]
            level, trend = yhat + self.alpha * err[h], self.phi * trend + self.beta * err[h]
        return out[:, steps - 1]


class DriftFit:
    """Random walk with drift on the model scale over the latest ``window`` yearly changes: the average
    recent growth carried forward, with the exact predictive variance σ²(h + h²/T) of a drift estimated
    over T periods (Student-t with m − 1 degrees of freedom for m changes), simulated as whole paths."""

    kind = "drift"

    def __init__(self, t: np.ndarray, z: np.ndarray, freq: str, sigma_floor: float, window: int = 5):
        if freq != "Y":
            raise ForecastError("the drift model is for yearly series (quarterly series are seasonal)")
        tw, zw = t[-(window + 1):], z[-(window + 1):]
        steps, changes = np.diff(tw).astype(float), np.diff(zw)
        self.df = len(steps) - 1
        if self.df < 1:
            raise ForecastError(f"{len(tw)} points are too few for a drift and its error")
        self.span = float(tw[-1] - tw[0])
        self.mu = float(zw[-1] - zw[0]) / self.span
        resid = (changes - self.mu * steps) / np.sqrt(steps)
        self.s = max(math.sqrt(float(np.sum(resid ** 2)) / self.df), sigma_floor)
        self.t_last, self.z_last = int(tw[-1]), float(zw[-1])

    def point(self, tf: np.ndarray) -> np.ndarray:
        return self.z_last + self.mu * (np.asarray(tf, dtype=float) - self.t_last)

    def scale80(self, tf: np.ndarray) -> np.ndarray:
        h = np.asarray(tf, dtype=float) - self.t_last
        return self.s * np.sqrt(h + h ** 2 / self.span) * _t90(self.df) / Z80

    def paths(self, tf: np.ndarray, rng: np.random.Generator, reps: int) -> np.ndarray:
        h = (np.asarray(tf, dtype=int) - self.t_last)
        sigma = self.s * np.sqrt(self.df / rng.chisquare(self.df, reps))
        mu = self.mu + sigma * rng.standard_normal(reps) / math.sqrt(self.span)
        steps = np.arange(1, int(h.max()) + 1)
        walk = np.cumsum(sigma[:, None] * rng.standard_normal((reps, len(steps))), axis=1)
        return (self.z_last + mu[:, None] * steps + walk)[:, h - 1]


FITTERS: dict[str, Callable[..., TrendFit | EtsFit | DriftFit]] = {"trend": TrendFit, "ets": EtsFit,
                                                                   "drift": DriftFit}


def _fit(kind: str, t, z, freq, sigma_floor, settings):
    if kind == "drift":
        return DriftFit(t, z, freq, sigma_floor, settings.drift_years)
    if kind == "ets" and settings.ets_fitter == "grid" and not (freq == "Q" and t[-1] - t[0] + 1 >= 16):
        return GridEtsFit(t, z, freq, sigma_floor)
    return FITTERS[kind](t, z, freq, sigma_floor)


# -- the forecast -------------------------------------------------------------------------------------

@dataclass
class Forecast:
    """A series' forecast: point forecast and intervals per future period, plus simulated paths.

    ``mean`` is the point forecast (on the value scale it is the predictive median for log and logit
    models); ``paths`` holds the simulated futures (rows) on the value scale, used for probabilities.
    """

    freq: str
    history: list[tuple]  # (period label, value) actually fitted
    periods: list
    mean: np.ndarray
    lo80: np.ndarray
    hi80: np.ndarray
    lo95: np.ndarray
    hi95: np.ndarray
    paths: np.ndarray
    model: str
    scale: str
    calibration: float = 1.0
    scores: dict[str, dict] = field(default_factory=dict)
    interpolated: list = field(default_factory=list)
    gaps: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fitted: tuple = ()  # (first, last) period the chosen model was estimated on

    @property
    def model_zh(self) -> str:
        return MODEL_NAMES[(self.model, self.scale)][0]

    @property
    def model_en(self) -> str:
        return MODEL_NAMES[(self.model, self.scale)][1]

    def column(self, period) -> int:
        """Index of ``period`` among the forecast periods (KeyError when not forecast)."""
        t = period_index(period, self.freq)
        for i, p in enumerate(self.periods):
            if period_index(p, self.freq) == t:
                return i
        raise KeyError(f"{period} is not among the forecast periods {self.periods}")

    def probability(self, predicate: Callable[[np.ndarray], np.ndarray]) -> float:
        """Share of simulated paths for which ``predicate(paths) -> bool per row`` holds."""
        return float(np.mean(predicate(self.paths)))

    def rows(self) -> list[dict]:
        key = "year" if self.freq == "Y" else "period"
        return [
            {key: p, "mean": float(self.mean[i]), "lo80": float(self.lo80[i]), "hi80": float(self.hi80[i]),
             "lo95": float(self.lo95[i]), "hi95": float(self.hi95[i])}
            for i, p in enumerate(self.periods)
        ]

    def to_dict(self) -> dict:
        return {
            "freq": self.freq, "model": self.model, "model_zh": self.model_zh, "model_en": self.model_en,
            "scale": self.scale, "calibration": round(self.calibration, 4), "scores": self.scores,
            "interpolated": self.interpolated, "gaps": self.gaps, "notes": self.notes, "fitted": list(self.fitted),
            "history": [{"period": p, "value": v} for p, v in self.history], "forecast": self.rows(),
        }


def _rolling_errors(kind: str, t, z, freq, settings, sigma_floor, min_train, origins: int) -> dict[int, tuple]:
    """Per forecast origin (number of training points): the model's errors and standardized errors
    (error / normal-equivalent predictive sd) on the model scale, refitting at each of the latest
    ``origins`` origins."""
    n = len(t)
    out = {}
    for o in range(max(min_train, n - origins), n):
        ahead = (t[o:] > t[o - 1]) & (t[o:] <= t[o - 1] + settings.backtest_horizon)
        if not ahead.any():
            continue
        tf, actual = t[o:][ahead], z[o:][ahead]
        try:
            fit = _fit(kind, t[:o], z[:o], freq, sigma_floor, settings)
            err = actual - fit.point(tf)
            sd = fit.scale80(tf)
        except (ForecastError, np.linalg.LinAlgError, ValueError):
            continue
        out[o] = (err.tolist(), (err / sd).tolist(), (tf - t[o - 1]).tolist())
    return out


def _calibration(per_origin: dict, horizons: np.ndarray, s, notes: list[str]) -> np.ndarray:
    """Widening factor per forecast horizon from the backtest's standardized errors: the median |error| over
    its value for calibrated intervals (0.6745), pooled over all horizons, and raised at horizon h to the
    largest such ratio seen at horizons up to h (errors that grow faster with the horizon than the model
    allows widen the longer horizons more). Never below 1, at most ``calibration_max``."""
    std = _flat(per_origin, part=1)
    if len(std) < s.calibration_min_errors:
        notes.append(f"only {len(std)} backtest error(s): intervals not calibrated" if std
                     else "no backtest possible: intervals not calibrated")
        return np.ones(len(horizons))
    pooled = float(np.median(np.abs(std))) / MEDIAN_ABS_Z
    by_h: dict[int, list[float]] = {}
    for o in per_origin.values():
        for u, h in zip(o[1], o[2]):
            by_h.setdefault(int(h), []).append(abs(u))
    out, level = [], max(pooled, 1.0)
    for h in horizons:
        for seen in sorted(k for k in by_h if k <= h):
            level = max(level, float(np.median(by_h[seen])) / MEDIAN_ABS_Z)
        out.append(min(level, s.calibration_max))
    return np.array(out)


def _better(backtests: dict, incumbent: str, challenger: str, s) -> str:
    """The challenger replaces the incumbent when its mean absolute backtest error, on the origins both
    were scored at, is strictly lower over at least ``calibration_min_errors`` errors."""
    if challenger not in backtests or incumbent not in backtests:
        return incumbent if incumbent in backtests else challenger
    common = set(backtests[challenger]) & set(backtests[incumbent])
    e_new, e_old = _flat(backtests[challenger], common), _flat(backtests[incumbent], common)
    if len(e_new) >= s.calibration_min_errors and np.mean(np.abs(e_new)) < np.mean(np.abs(e_old)):
        return challenger
    return incumbent


def _flat(per_origin: dict, origins=None, part: int = 0) -> list[float]:
    return [x for o, pair in sorted(per_origin.items()) if origins is None or o in origins for x in pair[part]]


def forecast_series(periods: Sequence, values: Sequence, horizon: int, *, freq: str = "Y",
                    upper: float | None = None, settings: MonitorSettings | dict | None = None,
                    models: Sequence[str] = ("trend", "drift", "ets")) -> Forecast:
    """Forecast ``horizon`` periods past the last observed one (years for ``freq='Y'``, quarters for 'Q').

    ``values`` may hold None/NaN (gaps: fitted on the observed periods only). ``upper`` marks a share with
    a known maximum (100 for percentages) so it is modelled on the logit scale. Raises
    :class:`ForecastError` with the reason when the series cannot be forecast.
    """
    s = monitor_settings(settings)
    if horizon < 1:
        raise ForecastError(f"horizon must be at least 1 period, got {horizon}")
    pairs = sorted(
        (period_index(p, freq), float(v)) for p, v in zip(periods, values, strict=True)
        if v is not None and not (isinstance(v, float) and math.isnan(v))
    )
    if len({p for p, _ in pairs}) != len(pairs):
        raise ForecastError("a period appears twice in the series")
    per = PER_YEAR[freq]
    pairs = [(p, v) for p, v in pairs if p > pairs[-1][0] - s.fit_years * per] if pairs else []
    if len(pairs) < s.min_points:
        raise ForecastError(f"{len(pairs)} observed period(s); at least {s.min_points} are needed for a forecast")
    notes: list[str] = []
    first_positive = next((i for i, (_, x) in enumerate(pairs) if x > 0), None)
    if first_positive and upper is None and all(x > 0 for _, x in pairs[first_positive:]) \
            and len(pairs) - first_positive >= s.min_points:
        # a series that starts at zero (a new programme, the first grants) grows from nothing: fit the log
        # scale on the positive run rather than a straight line through the start-up years
        notes.append(f"leading zero values ({period_label(pairs[0][0], freq)}–"
                     f"{period_label(pairs[first_positive - 1][0], freq)}) left out of the fit")
        pairs = pairs[first_positive:]
    t = np.array([p for p, _ in pairs])
    v = np.array([x for _, x in pairs])
    scale = choose_scale(v, upper)
    z = scale.forward(v)
    floor = _sigma_floor(z, scale, s.min_sigma)
    gaps = [period_label(g, freq) for g in range(int(t[0]), int(t[-1]) + 1) if g not in set(t.tolist())]

    # the cheap candidates: both refitted at every backtest origin, the lower mean absolute error wins
    backtests = {k: _rolling_errors(k, t, z, freq, s, floor, s.min_points, s.selection_origins)
                 for k in ("trend", "drift") if k in models and (k != "drift" or freq == "Y")}
    chosen = _better(backtests, "trend", "drift", s)
    best_std = _flat(backtests[chosen], part=1)
    best_ratio = float(np.median(np.abs(best_std))) / MEDIAN_ABS_Z if best_std else None
    if "ets" in models:
        if best_ratio is not None and best_ratio < s.ets_trigger:
            notes.append(f"ETS not tried: the {chosen} model passed its backtest (errors {best_ratio:.2f}× "
                         f"its interval scale, below {s.ets_trigger})")
        elif len(t) > s.ets_min_points:
            backtests["ets"] = _rolling_errors("ets", t, z, freq, s, floor, s.ets_min_points, s.ets_origins)
            chosen = _better(backtests, chosen, "ets", s)
        else:
            notes.append(f"ETS not tried: {len(t)} points, needs more than {s.ets_min_points}")
    scores = {}
    for kind, per_origin in backtests.items():
        e = _flat(per_origin)
        scores[kind] = {"mae": float(np.mean(np.abs(e))) if e else None, "errors": len(e),
                        "origins": [period_label(t[o - 1], freq) for o in sorted(per_origin)]}
    try:
        fit = _fit(chosen, t, z, freq, floor, s)
    except (ForecastError, np.linalg.LinAlgError, ValueError) as exc:
        notes.append(f"{chosen} could not be fitted at the origin ({exc}); trend used")
        chosen, fit = "trend", TrendFit(t, z, freq, floor)

    tf = np.arange(int(t[-1]) + 1, int(t[-1]) + horizon + 1)
    factors = _calibration(backtests[chosen], tf - int(t[-1]), s, notes)
    calibration = float(factors.max())
    rng = np.random.default_rng(s.seed)
    point = fit.point(tf)
    zpaths = point + factors * (fit.paths(tf, rng, s.simulations) - point)
    span = float(np.ptp(z)) + 10 * floor + 50
    zpaths = np.clip(zpaths, z.min() - span, z.max() + span)
    paths = scale.inverse(zpaths)
    if scale.name == "level" and v.min() >= 0:
        paths = np.maximum(paths, 0.0)  # counts and amounts cannot go below zero
        point = np.maximum(point, 0.0)
    q = np.quantile(paths, [0.025, 0.1, 0.9, 0.975], axis=0)
    return Forecast(
        freq=freq, history=[(period_label(p, freq), float(x)) for p, x in pairs],
        periods=[period_label(p, freq) for p in tf], mean=scale.inverse(point),
        lo95=q[0], lo80=q[1], hi80=q[2], hi95=q[3], paths=paths, model=chosen, scale=scale.name,
        calibration=calibration, scores=scores,
        interpolated=[period_label(p, freq) for p in getattr(fit, "interpolated", [])], gaps=gaps, notes=notes,
        fitted=(period_label(t[-(s.drift_years + 1):][0] if chosen == "drift" else t[0], freq),
                period_label(t[-1], freq)),
    )
