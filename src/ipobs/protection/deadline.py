"""Deadlines: a start date plus a limit in calendar days, working days or months.

Working days follow China's calendar (:mod:`ipobs.protection.workdays`: Monday–Friday, minus
public holidays, plus adjusted working weekend days, from ``holidays.yaml``). The same arithmetic
exists in SQL for the docket query (:func:`sql_add` with the calendar's day index); tests check
both against a day-by-day count across the holidays.
"""

from __future__ import annotations

import calendar
import datetime as dt

from ipobs.protection.limits import Limit
from ipobs.protection.workdays import WorkCalendar, load_workdays


def add_working_days(start: dt.date, n: int, calendar: WorkCalendar | None = None) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself not counted), holidays skipped."""
    return (calendar or load_workdays()).add(start, n)


def add_weekdays(start: dt.date, n: int) -> dt.date:
    """The ``n``-th Monday–Friday after ``start``, holidays ignored (the SQL fallback outside the
    calendar's years, by arithmetic)."""
    if n <= 0:
        return start
    wd = start.weekday()
    if wd >= 5:  # counting from a weekend day is counting from the Friday before
        start -= dt.timedelta(days=wd - 4)
        wd = 4
    weeks, rest = divmod(n, 5)
    extra = 2 if wd + rest >= 5 else 0
    if rest == 0:
        extra = 0
    return start + dt.timedelta(days=weeks * 7 + rest + extra)


def add_months(start: dt.date, n: int) -> dt.date:
    """Same day ``n`` months later, the month's last day when it has no such day."""
    m = start.month - 1 + n
    y, m = start.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(start.day, calendar.monthrange(y, m)[1]))


def add_limit(start: dt.date, limit: Limit, calendar: WorkCalendar | None = None) -> dt.date:
    if limit.unit == "months":
        return add_months(start, limit.limit)
    if limit.basis == "working":
        return add_working_days(start, limit.limit, calendar)
    return start + dt.timedelta(days=limit.limit)


def sql_add(start: str, n: str, unit: str, basis: str, workday: str | None = None) -> str:
    """A DuckDB expression for :func:`add_limit` over columns (``unit``/``basis`` are column names).

    ``workday``: an expression for the ``n``-th working day after ``start`` looked up in
    :meth:`WorkCalendar.index_table` (NULL outside its years); without it, or where it is NULL,
    working days are Monday–Friday by arithmetic (:func:`add_weekdays`).
    """
    # Weekend start → the Friday before; then whole weeks plus the rest, jumping a weekend.
    d = f"({start} - CAST(GREATEST(isodow({start}) - 5, 0) AS INTEGER))"
    k = f"(isodow({d}) - 1)"
    r = f"({n} % 5)"
    work = (f"({d} + CAST(({n} // 5) * 7 + {r} + CASE WHEN {r} > 0 AND {k} + {r} >= 5 THEN 2 ELSE 0 END "
            f"AS INTEGER))")
    if workday:
        work = f"COALESCE({workday}, {work})"
    return (f"CASE WHEN {unit} = 'months' THEN CAST({start} + to_months(CAST({n} AS INTEGER)) AS DATE) "
            f"WHEN {basis} = 'working' THEN CASE WHEN {n} <= 0 THEN {start} ELSE {work} END "
            f"ELSE {start} + CAST({n} AS INTEGER) END")
