"""Indicator values for the monitor, computed once and reused across targets, as-of dates and regions.

A year-end value does not depend on the date the plan is evaluated at, so one :class:`ValueSource` serves
every evaluation of a session (the web app keeps one per store). :meth:`ValueSource.prefetch` computes many
(indicator, date, region) values together through :func:`ipobs.monitor.batch.values_many`.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from ipobs.entities.regions import HOME


def year_end(year: int) -> dt.date:
    return dt.date(int(year), 12, 31)


class ValueSource:
    """Memoized ``ipobs.indicators.compute`` over one store and one set of indicator settings."""

    def __init__(self, store, indicator_settings=None):
        from ipobs.indicators import Settings

        self.store = store
        self.settings = Settings.of(indicator_settings)
        self.home = self.settings.home_region or HOME
        self._values: dict[tuple, object] = {}
        self.computed = 0  # values computed (not served from the cache)
        self.stats: dict[str, int] = {}  # values per path of values_many (panel / bound / one by one)

    def key(self, indicator: str, as_of: dt.date, region: str | None, industry: str | None) -> tuple:
        return (indicator, as_of, region or self.home, industry)

    def value(self, indicator: str, as_of: dt.date, region: str | None = None, industry: str | None = None):
        """The :class:`~ipobs.indicators.IndicatorValue` (computed once)."""
        k = self.key(indicator, as_of, region, industry)
        if k not in self._values:
            from ipobs.indicators import compute

            self._values[k] = compute(self.store, indicator, as_of, k[2], industry, self.settings)
            self.computed += 1
        return self._values[k]

    def series(self, indicator: str, years: Iterable[int], region=None, industry=None) -> dict:
        """{year: IndicatorValue} of year-end values."""
        return {y: self.value(indicator, year_end(y), region, industry) for y in years}

    def prefetch(self, requests: Iterable[tuple]) -> int:
        """Compute many ``(indicator, as_of, region, industry)`` values in batched queries; returns how many
        were computed. Values already known are skipped."""
        from ipobs.monitor.batch import values_many

        todo = sorted({self.key(*r) for r in requests} - set(self._values), key=str)
        if not todo:
            return 0
        self._values.update(values_many(self.store, todo, self.settings, stats=self.stats))
        self.computed += len(todo)
        return len(todo)
