"""Target monitoring: status of each plan target as of a date, forecasts with honest intervals, backtests.

Public interface::

    evaluate(store, plan, as_of, region=None, industry=None, settings=None) -> list[TargetStatus]
    Monitor(store, settings)            # the same, reusing values and forecasts across dates and regions
    forecast_series(periods, values, horizon, freq="Y", upper=None, settings=None) -> Forecast
    backtest_series(...), backtest_store(...), read_series_csv(path)   # rolling-origin backtests
    judge(RuleSpec, series, value, as_of) -> Judgement                  # one rule on given numbers
    monitor_settings(overrides) / settings_table()                      # the status rules as data
"""

from ipobs.monitor.evaluate import Monitor, TargetStatus, evaluate
from ipobs.monitor.forecast import Forecast, ForecastError, forecast_series
from ipobs.monitor.rules import RULE_TYPES, Judgement, RuleSpec, judge
from ipobs.monitor.settings import STATUS_LABELS, STATUSES, MonitorSettings, monitor_settings, settings_table

__all__ = [
    "Forecast", "ForecastError", "Judgement", "Monitor", "MonitorSettings", "RULE_TYPES", "RuleSpec",
    "STATUSES", "STATUS_LABELS", "TargetStatus", "evaluate", "forecast_series", "judge", "monitor_settings",
    "settings_table",
]
