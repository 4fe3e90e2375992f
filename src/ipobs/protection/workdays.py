"""China's working-day calendar: Monday–Friday, minus public holidays, plus adjusted working
weekend days (调休), from ``holidays.yaml`` (one entry per State Council notice).

>>> cal = load_workdays()
>>> cal.is_working(dt.date(2023, 10, 2)), cal.is_working(dt.date(2023, 10, 7))   # 国庆 / 调休上班
(False, True)
>>> cal.add(dt.date(2023, 9, 28), 2)    # Thursday before the 2023 National Day week
datetime.date(2023, 10, 8)
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

HOLIDAYS_FILE = Path(__file__).with_name("holidays.yaml")
OVERRIDE_ENV = "IPOBS_HOLIDAYS"
# The SQL calendar spans these years; outside them (and in years without a notice) only weekends rest.
SQL_FIRST, SQL_LAST = dt.date(1990, 1, 1), dt.date(2060, 12, 31)


class HolidaysError(ValueError):
    """A holidays file that cannot be used (names the file, year and date)."""


@dataclass(frozen=True)
class WorkCalendar:
    rest: frozenset[dt.date]        # public holidays and the weekdays given in lieu
    work: frozenset[dt.date]        # Saturdays and Sundays made working days
    sources: dict[int, str]         # year → the notice it comes from

    def is_working(self, day: dt.date) -> bool:
        return day in self.work or (day.weekday() < 5 and day not in self.rest)

    def __hash__(self) -> int:  # the index cache keys on the calendar; the day sets are large
        return hash((len(self.rest), len(self.work), tuple(sorted(self.sources.items()))))

    def add(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself not counted)."""
        day, counted = start, 0
        while counted < n:
            day += dt.timedelta(days=1)
            counted += self.is_working(day)
        return day

    def exceptions(self) -> list[tuple[dt.date, int]]:
        """Days whose status differs from Monday–Friday: (date, 1 working / 0 resting)."""
        return sorted([(d, 0) for d in self.rest if d.weekday() < 5] + [(d, 1) for d in self.work])

    def index_table(self):
        """Every day from 1990 to 2060 as an Arrow table: ``d``, ``w`` (1 on a working day) and
        ``k``, the number of working days up to and including ``d`` — so the ``n``-th working day
        after ``s`` is the working day whose ``k`` is ``k(s) + n``. Put it on a DuckDB
        connection with :func:`register_index` and join it by ``d`` and ``k``."""
        return _index_table(self)


@functools.lru_cache(maxsize=4)
def _index_table(cal: WorkCalendar):
    import numpy as np
    import pyarrow as pa

    days = np.arange(np.datetime64(SQL_FIRST), np.datetime64(SQL_LAST) + 1, dtype="datetime64[D]")
    weekday = (days.astype("int64") + 3) % 7          # 1970-01-01 was a Thursday: Monday = 0
    w = (weekday < 5).astype("int32")
    for d, working in cal.exceptions():
        if SQL_FIRST <= d <= SQL_LAST:
            w[(np.datetime64(d) - days[0]).astype(int)] = working
    return pa.table({"d": pa.array(days), "w": pa.array(w), "k": pa.array(np.cumsum(w, dtype="int64"))})


INDEX_NAME = "ipobs_workdays"


def register_index(con, calendar: WorkCalendar | None = None) -> str:
    """Give a DuckDB connection the calendar's day index as its temp table ``ipobs_workdays``
    (replaced on every call, about 7 ms) and return that name.

    A table, not a registered Arrow view: joins on a scan of the registered Arrow table failed
    now and then in DuckDB 1.5 ("index 0 within vector of size 0"), even after the join
    condition that triggered it most was rewritten (see ``docket_sql``)."""
    arrow = (calendar or load_workdays()).index_table()
    con.register("_ipobs_workdays_arrow", arrow)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {INDEX_NAME} AS SELECT * FROM _ipobs_workdays_arrow")
    finally:
        con.unregister("_ipobs_workdays_arrow")
    return INDEX_NAME


def _days(path: Path, year, item) -> list[dt.date]:
    where = f"{path}: year {year}: {item!r}"
    try:
        if isinstance(item, dt.date):
            return [item]
        first, _, last = str(item).partition("/")
        a = dt.date.fromisoformat(first.strip())
        b = dt.date.fromisoformat(last.strip()) if last else a
    except ValueError:
        raise HolidaysError(f"{where} is not a date or a FIRST/LAST range of dates") from None
    if b < a or (b - a).days > 31:
        raise HolidaysError(f"{where}: a range runs forward and is at most a month long")
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


def _read(path: Path) -> WorkCalendar:
    try:
        # every scalar as text, so a bad date is reported here with its year, not by the YAML parser
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
    except (OSError, yaml.YAMLError) as e:
        raise HolidaysError(f"{path}: cannot read the holidays file: {e}") from None
    if not isinstance(data, dict):
        raise HolidaysError(f"{path}: expected a mapping of year → {{source, rest, work}}")
    rest, work, sources = set(), set(), {}
    for year, entry in data.items():
        if not isinstance(entry, dict) or not entry.get("source"):
            raise HolidaysError(f"{path}: year {year}: needs source, rest and work")
        if not str(year).isdigit():
            raise HolidaysError(f"{path}: {year!r} is not a year")
        sources[int(year)] = str(entry["source"])
        rest.update(d for item in entry.get("rest") or [] for d in _days(path, year, item))
        for item in entry.get("work") or []:
            for d in _days(path, year, item):
                if d.weekday() < 5:
                    raise HolidaysError(f"{path}: year {year}: work day {d} is a weekday, not an adjusted weekend")
                work.add(d)
    both = rest & work
    if both:
        raise HolidaysError(f"{path}: {min(both)} is both a holiday and a working day")
    return WorkCalendar(frozenset(rest), frozenset(work), sources)


@functools.lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> WorkCalendar:
    return _read(Path(path))


def load_workdays(path: str | os.PathLike | None = None) -> WorkCalendar:
    """The calendar of ``path``, else ``$IPOBS_HOLIDAYS``, else the shipped ``holidays.yaml``."""
    p = Path(path or os.environ.get(OVERRIDE_ENV) or HOLIDAYS_FILE)
    try:
        mtime = p.stat().st_mtime
    except OSError as e:
        raise HolidaysError(f"{p}: cannot read the holidays file: {e}") from None
    return _cached(str(p), mtime)
