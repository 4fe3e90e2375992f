"""Service functions the CLI and the web call: an indicator's forecast, the latest year-end of a store."""

from __future__ import annotations

import datetime as dt

from ipobs.monitor.backtest import latest_year_end
from ipobs.monitor.evaluate import Monitor, last_complete_year
from ipobs.monitor.fetch import year_end
from ipobs.monitor.forecast import ForecastError, forecast_series
from ipobs.records.dates import as_date

__all__ = ["forecast_indicator", "latest_year_end"]


def forecast_indicator(store, indicator_id: str, *, to_year: int | None = None, as_of=None, region=None,
                       industry=None, settings=None, monitor: Monitor | None = None) -> dict:
    """An indicator's yearly series up to ``as_of`` (default: the latest year-end of the data) and its
    forecast to ``to_year`` (default: three years on), with 80% and 95% intervals.

    Returns ``{indicator, zh, en, unit, region, industry, as_of, series: [{year, value, missing}],
    forecast: [{year, mean, lo80, hi80, lo95, hi95}], model, model_zh, scale, calibration, scores, notes,
    missing}``; ``missing`` says why there is no forecast when there is none.
    """
    from ipobs.indicators import get

    ind = get(indicator_id)
    mon = monitor or Monitor(store, settings)
    as_of = as_date(as_of) if as_of is not None else latest_year_end(store)
    last = last_complete_year(as_of)
    to_year = int(to_year) if to_year is not None else last + 3
    if to_year <= last:
        raise ValueError(f"--to {to_year} is not after the last complete year {last}")
    years = list(range(last - mon.settings.fit_years + 1, last + 1))
    mon.values.prefetch([(ind.id, year_end(y), region, industry) for y in years])
    values = mon.values.series(ind.id, years, region, industry)
    series = [{"year": y, "value": v.value, "missing": v.missing} for y, v in values.items()]
    while series and series[0]["value"] is None:
        series.pop(0)
    out = {"indicator": ind.id, "zh": ind.zh, "en": ind.en, "unit": ind.unit, "region": region or mon.values.home,
           "industry": industry, "as_of": as_of.isoformat(), "series": series, "forecast": [], "model": None,
           "model_zh": None, "scale": None, "calibration": None, "scores": {}, "notes": [], "missing": None,
           "synthetic": mon.synthetic}
    observed = [r for r in series if r["value"] is not None]
    try:
        if not observed:
            raise ForecastError(next((r["missing"] for r in reversed(series) if r["missing"]), "no values"))
        f = mon.forecaster([r["year"] for r in observed], [r["value"] for r in observed],
                           to_year - observed[-1]["year"], upper=100.0 if ind.unit == "%" else None,
                           settings=mon.settings)
    except ForecastError as exc:
        out["missing"] = f"no forecast: {exc}"
        return out
    out.update({"forecast": f.rows(), "model": f.model_en, "model_zh": f.model_zh, "scale": f.scale,
                "calibration": f.calibration, "scores": f.scores, "notes": f.notes, "gaps": f.gaps,
                "interpolated": f.interpolated})
    return out


def default_as_of(store, as_of=None) -> dt.date:
    """``as_of`` as a date, or the latest 31 December the store's records reach."""
    return as_date(as_of) if as_of is not None else latest_year_end(store)
