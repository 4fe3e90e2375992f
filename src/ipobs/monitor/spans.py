"""Status spans made once per database and content, and shared by every later evaluation of the process.

The panel's stocks (valid patents, marks in force) start from the spans in which a status held
(:func:`status_spans_sql`): at demo scale 10 that is 10.9 M patent events and 3.9 M
trademark events, about 5 s and 2 s each time. They depend on the event table alone, so the first
evaluation keeps them in a table of an in-memory database attached to the store's DuckDB instance
(``ipobs_derived``; it works on a read-only store, and every cursor of the instance sees it) and later
evaluations reuse it while the event table is unchanged.

"Unchanged" is checked every time, not assumed: the row count and the sum of the hashes of the columns
the spans read must equal those the table was made from, else it is made again. The check reads those
columns once (about 0.3–0.6 s at scale 10, against the 5 s it saves). Nothing is written to the store, so
a new process (each ``ipobs monitor`` run) makes them once; a long-lived one (the web app) reuses them.
Memory: about 37 bytes per span (161 MB at scale 10 for 2.6 M patent and 1.8 M trademark spans).

The distinct keys of the trademark events are kept the same way (:func:`key_table`): the mark stock counts
marks without any event by their registration date, and finding them took a distinct over the 3.9 M events
(1.4 s at scale 10) at every evaluation. They take about 45 MB more at scale 10 (1.8 M keys).
"""

from __future__ import annotations

import threading

from ipobs.store.history import PATENT_EVENT_ORDER, TRADEMARK_STATUS_ORDER

DB = "ipobs_derived"
_LOCK = threading.Lock()  # one thread makes a table; the others wait for it instead of making it too


# the same-day order of ``ipobs.store.history`` (the one definition of status at a date): the column it ranks
SPAN_ORDER = {"patent_event": ("event", PATENT_EVENT_ORDER), "trademark_event": ("status_after", TRADEMARK_STATUS_ORDER)}
# the spans the panel keeps: each event table's key and the status whose spans it reads
SPAN_KEYS = {"patent_event": (("patent_id",), "granted"), "trademark_event": (("reg_no", "nice_class"), "registered")}
# event tables whose distinct keys are kept beside the spans (the mark stock needs the marks without any event)
KEPT_KEYS = ("trademark_event",)


def status_spans_sql(table: str, keys: tuple[str, ...], status: str) -> str:
    """SQL of ``(keys…, d, nd)``: the spans in which ``status`` held, by ``ipobs.store.history``'s definition
    (the status at a date is that of the latest event on or before it, same-day events ranked by
    :data:`SPAN_ORDER`). One row per distinct (keys, date, rank) of a ``status`` event of ``table``, with the date
    of the key's next event in (date, rank) order (NULL: none); events without a status take no part. The
    status then holds from ``d`` until ``nd`` (an empty span when a later event comes the same day).

    A join and a minimum rather than ``lead()`` over every event, which sorts every event by its text key: at
    demo scale 10 (9.7 M patent events) 3.7–5.0 s against 4.2–5.6 s in an alternating A/B (the 3.9 M trademark
    events: 1.5 s either way). The window used to order a day's events by status name, so a lapse and its
    restoration on one day left the patent lapsed where the registry has it valid."""
    rank_col, order = SPAN_ORDER[table]
    rank = "CASE " + " ".join(f"WHEN {{t}}.{rank_col} = '{code}' THEN {n}" for code, n in order.items()) + " ELSE 0 END"
    on = " AND ".join(f"e.{k} = g.{k}" for k in keys)
    cols = ", ".join(keys)
    # the inequality in WHERE, not in the join's ON: there an OR made DuckDB join block-wise, pair by pair
    return f"""
        WITH g AS (SELECT {cols}, CAST(event_date AS DATE) AS d, {rank.format(t=table)} AS r FROM {table}
                   WHERE status_after = '{status}' GROUP BY ALL),
        nx AS (SELECT {", ".join(f"g.{k}" for k in keys)}, g.d, g.r, min(CAST(e.event_date AS DATE)) AS nd
               FROM g JOIN {table} e ON {on}
               WHERE e.status_after IS NOT NULL AND (CAST(e.event_date AS DATE) > g.d
                     OR (CAST(e.event_date AS DATE) = g.d AND {rank.format(t="e")} > g.r))
               GROUP BY ALL)
        SELECT {cols}, d, nx.nd FROM g LEFT JOIN nx USING ({cols}, d, r)"""


def span_table(con, table: str) -> str:
    """The qualified name of a table holding the :data:`SPAN_KEYS` spans of ``table`` (``status_spans_sql``) for
    the table's current content (made now when missing or out of date)."""
    keys, status = SPAN_KEYS[table]
    columns = tuple(dict.fromkeys((*keys, "event_date", SPAN_ORDER[table][0], "status_after")))
    stamp_sql = f"SELECT count(*), sum(hash({', '.join(columns)})) FROM {table}"  # the columns the spans read
    name = f"{table}_{status}_spans"
    cur = con.cursor()  # a transaction of its own: the stamp and the spans read one snapshot of the table
    try:
        with _LOCK:
            cur.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {DB} (READ_WRITE)")
            cur.execute(f"CREATE TABLE IF NOT EXISTS {DB}.main.stamps (name VARCHAR PRIMARY KEY, stamp VARCHAR)")
            cur.execute("BEGIN TRANSACTION")
            try:
                stamp = repr(cur.execute(stamp_sql).fetchone())
                made = cur.execute(f"SELECT stamp FROM {DB}.main.stamps WHERE name = ?", [name]).fetchone()
                if made is None or made[0] != stamp:
                    cur.execute(f"CREATE OR REPLACE TABLE {DB}.main.{name} AS {status_spans_sql(table, keys, status)}")
                    if table in KEPT_KEYS:
                        cur.execute(f"CREATE OR REPLACE TABLE {DB}.main.{table}_keys AS "
                                    f"SELECT DISTINCT {', '.join(keys)} FROM {table}")
                    cur.execute(f"INSERT OR REPLACE INTO {DB}.main.stamps VALUES (?, ?)", [name, stamp])
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
    finally:
        cur.close()
    return f"{DB}.main.{name}"


def key_table(table: str) -> str:
    """The qualified name of the table of the distinct keys of ``table`` (one of :data:`KEPT_KEYS`). It is made and
    remade with the spans, so it is current once :func:`span_table` of the same table has returned (the span
    stamp reads the key columns too)."""
    if table not in KEPT_KEYS:
        raise KeyError(f"the keys of {table} are not kept")
    return f"{DB}.main.{table}_keys"


def forget(con) -> None:
    """Drop every span table of this DuckDB instance (the next evaluation makes them again). Not while an
    evaluation runs on the instance: its queries would lose their table."""
    with _LOCK:
        con.execute(f"DETACH DATABASE IF EXISTS {DB}")
