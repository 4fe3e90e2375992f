"""Rolling-origin backtests: fit on the years up to Y, forecast Y+1..Y+3, compare with what happened.

For every origin the monitor's forecaster (model chosen and calibrated on the data up to Y only) is scored
against two naive baselines: the last value, and the last yearly growth carried forward. Errors are
absolute percentage errors, ``|forecast − actual| / |actual| × 100`` (None when the actual is zero).

Gaps in the years are allowed: a model is fitted on the observed years only (the forecaster's trend
regression needs no regular grid; its ETS candidate interpolates interior gaps on the log scale), the
"last growth" baseline uses the growth per year between the last two observed years, and a horizon whose
year has no actual value is skipped (listed as ``null``).

>>> rows = backtest_series([2015, 2016, 2017, 2018, 2019], [100, 110, 121, 133.1, 146.41], origins=[2018])
>>> r = rows[0]; r.origin, r.years, [round(x, 1) for x in r.naive_growth]
(2018, [2019], [146.4])
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ipobs.monitor.forecast import ForecastError, forecast_series
from ipobs.monitor.settings import MonitorSettings, monitor_settings
from ipobs.records.dates import as_date

CSV_COLUMNS = ("indicator", "region", "year", "value")
MAX_ERRORS = 20


@dataclass
class BacktestRow:
    """One series at one forecast origin."""

    indicator: str
    region: str
    origin: int
    years: list[int]
    actual: list[float | None]
    forecast: list[float | None]
    lo80: list[float | None]
    hi80: list[float | None]
    naive_last: list[float | None]
    naive_growth: list[float | None]
    model_ape: list[float | None]
    naive_last_ape: list[float | None]
    naive_growth_ape: list[float | None]
    model: str | None
    fitted_years: list[int] = field(default_factory=list)
    note: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def ape(forecast: float | None, actual: float | None) -> float | None:
    """Absolute percentage error in percent (None when either is missing or the actual is zero)."""
    if forecast is None or actual is None or actual == 0:
        return None
    return abs(forecast - actual) / abs(actual) * 100.0


def naive_forecasts(train: dict[int, float], years: Sequence[int]) -> tuple[list, list]:
    """(last value, last growth) baselines for ``years`` from the observed training years."""
    ys = sorted(train)
    last_y, last_v = ys[-1], train[ys[-1]]
    last = [last_v for _ in years]
    if len(ys) < 2:
        return last, [None for _ in years]
    prev_y, prev_v = ys[-2], train[ys[-2]]
    gap = last_y - prev_y
    if prev_v > 0 and last_v > 0:
        rate = (last_v / prev_v) ** (1 / gap)
        growth = [last_v * rate ** (y - last_y) for y in years]
    else:  # a zero or negative value: carry the last yearly change forward instead
        step = (last_v - prev_v) / gap
        growth = [last_v + step * (y - last_y) for y in years]
    return last, growth


def backtest_series(years: Sequence[int], values: Sequence[float | None], *, indicator: str = "",
                    region: str = "", origins: Iterable[int] | None = None, horizon: int | None = None,
                    settings: MonitorSettings | dict | None = None, upper: float | None = None) -> list[BacktestRow]:
    """Rolling-origin backtest of one yearly series (None values are gaps)."""
    s = monitor_settings(settings)
    horizon = horizon or s.backtest_horizon
    obs = {int(y): float(v) for y, v in zip(years, values, strict=True)
           if v is not None and not (isinstance(v, float) and math.isnan(v))}
    ys = sorted(obs)
    wanted = None if origins is None else {int(o) for o in origins}
    out = []
    for i, origin in enumerate(ys):
        if wanted is not None and origin not in wanted:
            continue
        train = {y: obs[y] for y in ys[: i + 1]}
        targets = [y for y in range(origin + 1, origin + horizon + 1)]
        actual = [obs.get(y) for y in targets]
        if len(train) < s.min_points or all(a is None for a in actual):
            continue
        last, growth = naive_forecasts(train, targets)
        fc, lo, hi, model, note = [None] * len(targets), [None] * len(targets), [None] * len(targets), None, None
        try:
            f = forecast_series(list(train), list(train.values()), horizon, settings=s, upper=upper)
            fc = [float(x) for x in f.mean]
            lo, hi = [float(x) for x in f.lo80], [float(x) for x in f.hi80]
            model = f.model_en
        except ForecastError as exc:
            note = str(exc)
        keep = [k for k, a in enumerate(actual) if a is not None]
        pick = lambda xs: [xs[k] for k in keep]  # noqa: E731 - a local selector
        row = BacktestRow(
            indicator=indicator, region=region, origin=origin, years=pick(targets), actual=pick(actual),
            forecast=pick(fc), lo80=pick(lo), hi80=pick(hi), naive_last=pick(last), naive_growth=pick(growth),
            model_ape=[ape(f_, a) for f_, a in zip(pick(fc), pick(actual))],
            naive_last_ape=[ape(f_, a) for f_, a in zip(pick(last), pick(actual))],
            naive_growth_ape=[ape(f_, a) for f_, a in zip(pick(growth), pick(actual))],
            model=model, fitted_years=[y for y in train if y > origin - s.fit_years], note=note,
        )
        if len(keep) < len(targets):
            skipped = [targets[k] for k in range(len(targets)) if k not in keep]
            row.note = (row.note + "; " if row.note else "") + f"no actual value for {', '.join(map(str, skipped))}"
        out.append(row)
    return out


def summarize(rows: Sequence[BacktestRow]) -> list[dict]:
    """Mean APE per series and horizon for the model and both baselines, plus 80% interval coverage."""
    groups: dict[tuple, list[BacktestRow]] = {}
    for r in rows:
        groups.setdefault((r.indicator, r.region), []).append(r)
    out = []
    for (ind, region), rs in groups.items():
        for h in (1, 2, 3):
            m, nl, ng, cov = [], [], [], []
            for r in rs:
                for k, y in enumerate(r.years):
                    if y - r.origin != h:
                        continue
                    if r.model_ape[k] is not None:
                        m.append(r.model_ape[k])
                    if r.naive_last_ape[k] is not None:
                        nl.append(r.naive_last_ape[k])
                    if r.naive_growth_ape[k] is not None:
                        ng.append(r.naive_growth_ape[k])
                    if r.lo80[k] is not None and r.actual[k] is not None:
                        cov.append(r.lo80[k] <= r.actual[k] <= r.hi80[k])
            if not (m or nl or ng):
                continue
            out.append({
                "indicator": ind, "region": region, "horizon": h, "n": len(m),
                "model_mape": float(np.mean(m)) if m else None,
                "naive_last_mape": float(np.mean(nl)) if nl else None,
                "naive_growth_mape": float(np.mean(ng)) if ng else None,
                "coverage80": float(np.mean(cov)) if cov else None,
            })
    return out


# -- external series from a CSV -----------------------------------------------------------------------

class SeriesFileError(ValueError):
    """A series CSV that cannot be read; ``problems`` lists (row, column, message) with spreadsheet rows."""

    def __init__(self, path: Path, problems: list[tuple]):
        self.path, self.problems = path, problems
        lines = [f"{path}: " + (f"row {r}, column {c}: {m}" if r else m) for r, c, m in problems[:MAX_ERRORS]]
        if len(problems) > MAX_ERRORS:
            lines.append(f"{path}: reached error limit: {MAX_ERRORS} of {len(problems)} problems shown")
        super().__init__("\n".join(lines))


def _read_text(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise SeriesFileError(path, [(None, None, "not UTF-8 or GB18030 text; save the file as UTF-8 CSV")])


def read_series_csv(path: str | Path) -> dict[tuple[str, str], dict[int, float | None]]:
    """``{(indicator, region): {year: value}}`` from a CSV with columns indicator, region, year, value.

    Years may be missing (gaps) and an empty value cell is a missing value; lines starting with ``#`` are
    comments. Anything else that is not a year or a number, a duplicate (indicator, region, year) or a
    missing column raises :class:`SeriesFileError` naming the file, row (the line number, as a spreadsheet
    shows it) and column.
    """
    path = Path(path)
    if not path.is_file():
        raise SeriesFileError(path, [(None, None, "no such file")])
    text, _ = _read_text(path)
    # rows keep their line numbers (as a spreadsheet shows them); lines starting with # are comments
    numbered = [(n, cells) for n, cells in enumerate(csv.reader(io.StringIO(text)), start=1)
                if cells and not cells[0].lstrip().startswith("#")]
    reader = iter(numbered)
    try:
        header_row, header = next(reader)
        header = [h.strip().lower() for h in header]
    except StopIteration:
        raise SeriesFileError(path, [(None, None, "the file is empty; expected a header row "
                                      f"{','.join(CSV_COLUMNS)}")]) from None
    lacking = [c for c in CSV_COLUMNS if c not in header]
    if lacking:
        raise SeriesFileError(path, [(header_row, c, f"missing column {c!r} (found: {', '.join(header) or 'nothing'}); "
                                      f"expected {','.join(CSV_COLUMNS)}") for c in lacking])
    col = {c: header.index(c) for c in CSV_COLUMNS}
    problems: list[tuple] = []
    out: dict[tuple[str, str], dict[int, float | None]] = {}
    for rowno, cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            problems.append((rowno, CSV_COLUMNS[-1], f"the row has {len(cells)} cells, the header {len(header)}"))
            continue
        ind, region = cells[col["indicator"]].strip(), cells[col["region"]].strip()
        y_text, v_text = cells[col["year"]].strip(), cells[col["value"]].strip().replace(",", "")
        if not ind:
            problems.append((rowno, "indicator", "empty indicator"))
        try:
            year = int(float(y_text)) if y_text and float(y_text).is_integer() else None
        except ValueError:
            year = None
        if year is None or not 1900 <= year <= 2200:
            problems.append((rowno, "year", f"{y_text!r} is not a year"))
            continue
        value: float | None = None
        if v_text:
            try:
                value = float(v_text)
            except ValueError:
                problems.append((rowno, "value", f"{cells[col['value']]!r} is not a number"))
                continue
            if not math.isfinite(value):
                problems.append((rowno, "value", f"{v_text!r} is not a finite number"))
                continue
        series = out.setdefault((ind, region), {})
        if year in series:
            problems.append((rowno, "year", f"{year} appears twice for {ind} / {region or '(no region)'}"))
            continue
        series[year] = value
    if problems:
        raise SeriesFileError(path, problems)
    if not out:
        raise SeriesFileError(path, [(None, None, "no data rows")])
    return {k: dict(sorted(v.items())) for k, v in out.items()}


def backtest_file(path: str | Path, *, origins=None, settings=None) -> list[BacktestRow]:
    """Backtest every series of a CSV (see :func:`read_series_csv`)."""
    rows = []
    for (ind, region), series in read_series_csv(path).items():
        rows += backtest_series(list(series), list(series.values()), indicator=ind, region=region,
                                origins=origins, settings=settings)
    return rows


def backtest_store(store, plan, *, region=None, industry=None, origins=None, last_year: int | None = None,
                   years_back: int = 15, settings=None, monitor=None) -> list[BacktestRow]:
    """Backtest the yearly series of every target indicator of ``plan`` on ``store`` (milestones excluded)."""
    from ipobs.indicators import registry
    from ipobs.monitor.evaluate import Monitor
    from ipobs.monitor.fetch import year_end

    mon = monitor or Monitor(store, settings)
    reg = registry()
    last_year = last_year or latest_year_end(store).year
    years = list(range(last_year - years_back + 1, last_year + 1))
    ids = []
    for tg in plan.targets:
        ind = reg.get(tg.indicator)
        if ind is None or tg.rule.type == "milestone" or not mon._dims_ok(ind, region, industry):
            continue
        level = mon._level_indicator(tg, ind)
        if level not in ids:
            ids.append(level)
    mon.values.prefetch([(i, year_end(y), region, industry) for i in ids for y in years])
    rows = []
    for i in ids:
        vals = mon.values.series(i, years, region, industry)
        ys = [y for y in years if vals[y].value is not None]
        if not ys:
            continue
        upper = 100.0 if reg[i].unit == "%" else None
        rows += backtest_series(ys, [vals[y].value for y in ys], indicator=i, region=region or mon.values.home,
                                origins=origins, settings=mon.settings, upper=upper)
    return rows


def latest_year_end(store):
    """The latest 31 December the store's dated records reach (a partial year does not count)."""
    import datetime as dt

    sql = """SELECT max(d) FROM (
        SELECT max(event_date) AS d FROM patent_event UNION ALL SELECT max(filing_date) FROM patent
        UNION ALL SELECT max(application_date) FROM trademark UNION ALL SELECT max(start_date) FROM program_item)"""
    d = store.scalar(sql)
    if d is None:
        raise ValueError("the store holds no dated records: nothing to monitor yet")
    d = as_date(d)
    return dt.date(d.year if (d.month, d.day) == (12, 31) else d.year - 1, 12, 31)
