"""As-of views of records that change over time, as engine-neutral Ibis expressions.

Every indicator asks "what held at date D": these functions answer it from the dated
history tables (patent_event, trademark_event, entity_flag, case_event) so any past date
can be computed again.
"""

from __future__ import annotations

import ibis
from ibis import _

from ipobs.records.dates import as_date


def _date(d) -> ibis.Expr:
    return ibis.literal(as_date(d), type="date")


# Same-day events happen in the order of a patent's life (a lapse after the grant of that day, a
# restoration after the lapse): the rank breaks date ties the same way on every engine.
PATENT_EVENT_ORDER = {"filed": 1, "published": 2, "rejected": 3, "withdrawn": 3, "granted": 4, "lapsed": 5,
                      "expired": 5, "invalidated": 5, "surrendered": 5, "restored": 6}
TRADEMARK_STATUS_ORDER = {"pending": 1, "registered": 2, "rejected": 3, "expired": 3, "cancelled": 3,
                          "invalidated": 3}
# a mark without events is in force from its registration date unless its own status is one of these
MARK_ENDED = ("cancelled", "invalidated", "rejected")


def _day_rank(date_col, code_col, order: dict) -> ibis.Expr:
    """An integer that orders events by date, then by ``order`` within a day."""
    d = date_col.cast("date")
    rank = code_col.cases(*order.items(), else_=0)
    return (d.year().cast("int64") * 10000 + d.month() * 100 + d.day()) * 10 + rank


def patent_status_as_of(patent_event, as_of) -> ibis.Table:
    """(patent_id, status, status_date): the legal status of every patent at ``as_of``.

    The status is the ``status_after`` of the latest status-changing event on or before the
    date (same-day events in ``PATENT_EVENT_ORDER``); events without a status (transfer,
    licence, pledge) do not change it.
    """
    d = _date(as_of)
    ev = patent_event.filter(_.status_after.notnull() & (_.event_date.cast("date") <= d))
    return ev.group_by("patent_id").aggregate(
        status=_.status_after.argmax(_day_rank(_.event_date, _.event, PATENT_EVENT_ORDER)),
        status_date=_.event_date.max(),
    )


def valid_patent_ids(patent_event, as_of) -> ibis.Table:
    """Patents granted and in force at ``as_of`` (not lapsed, expired, invalidated, surrendered)."""
    return patent_status_as_of(patent_event, as_of).filter(_.status == "granted").select("patent_id")


def trademark_status_as_of(trademark_event, as_of) -> ibis.Table:
    d = _date(as_of)
    ev = trademark_event.filter(_.event_date.cast("date") <= d)
    return ev.group_by(["reg_no", "nice_class"]).aggregate(
        status=_.status_after.argmax(_day_rank(_.event_date, _.status_after, TRADEMARK_STATUS_ORDER)))


def flags_as_of(entity_flag, as_of, flags: list[str] | None = None) -> ibis.Table:
    """(entity_id, flag) pairs that hold at ``as_of``: valid_from ≤ D < valid_to."""
    d = _date(as_of)
    f = entity_flag.filter((_.valid_from.cast("date") <= d) & (_.valid_to.isnull() | (_.valid_to.cast("date") > d)))
    if flags:
        f = f.filter(_.flag.isin(flags))
    return f.select("entity_id", "flag").distinct()
