"""Dates as the rest of the code takes them: one reading of a date given as a value or as text."""

from __future__ import annotations

import datetime as dt


def as_date(value, *, default: dt.date | None = None) -> dt.date:
    """``value`` as a date: a date, a datetime (its day) or ISO text (``2021-12-31``, also with a time,
    as DuckDB prints timestamps). None gives ``default`` when one is given; anything else is an error
    that names the value."""
    if value is None and default is not None:
        return default
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def date_or_today(value) -> dt.date:
    """:func:`as_date`, today when no date is given (analyses and the docket default to the present)."""
    return as_date(value, default=dt.date.today())
