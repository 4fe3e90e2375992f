"""Status spans made once per database and content, and shared by every later evaluation of the process.

The panel's stocks (valid patents, marks in force) start from the spans in which a status held
(:func:`ipobs.monitor.panel.status_spans_sql`): at demo scale 10 that is 10.9 M patent events and 3.9 M
trademark events, about 5 s and 2 s each time. They depend on the event table alone, so the first
evaluation keeps them in a table of an in-memory database attached to the store's DuckDB instance
(``ipobs_derived``; it works on a read-only store, and every cursor of the instance sees it) and later
evaluations reuse it while the event table is unchanged.

"Unchanged" is checked every time, not assumed: the row count and the sum of the hashes of the columns
the spans read must equal those the table was made from, else it is made again. The check reads those
columns once (about 0.3–0.6 s at scale 10, against the 5 s it saves). Nothing is written to the store, so
a new process (each ``ipobs monitor`` run) makes them once; a long-lived one (the web app) reuses them.
Memory: about 37 bytes per span (161 MB at scale 10 for 2.6 M patent and 1.8 M trademark spans).
"""

from __future__ import annotations

import threading

DB = "ipobs_derived"
_LOCK = threading.Lock()  # one thread makes a table; the others wait for it instead of making it too


def _stamp_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"SELECT count(*), sum(hash({', '.join(columns)})) FROM {table}"


def span_table(con, table: str, keys: tuple[str, ...], status: str) -> str:
    """The qualified name of a table holding ``status_spans_sql(table, keys, status)`` for the current content
    of ``table`` (made now when missing or out of date)."""
    from ipobs.monitor.panel import SPAN_ORDER, status_spans_sql

    rank_col = SPAN_ORDER[table][0]
    columns = tuple(dict.fromkeys((*keys, "event_date", rank_col, "status_after")))
    name = f"{table}_{status}_spans"
    cur = con.cursor()  # a transaction of its own: the stamp and the spans read one snapshot of the table
    try:
        with _LOCK:
            cur.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {DB} (READ_WRITE)")
            cur.execute(f"CREATE TABLE IF NOT EXISTS {DB}.main.stamps (name VARCHAR PRIMARY KEY, stamp VARCHAR)")
            cur.execute("BEGIN TRANSACTION")
            try:
                stamp = repr(cur.execute(_stamp_sql(table, columns)).fetchone())
                made = cur.execute(f"SELECT stamp FROM {DB}.main.stamps WHERE name = ?", [name]).fetchone()
                if made is None or made[0] != stamp:
                    cur.execute(f"CREATE OR REPLACE TABLE {DB}.main.{name} AS {status_spans_sql(table, keys, status)}")
                    cur.execute(f"INSERT OR REPLACE INTO {DB}.main.stamps VALUES (?, ?)", [name, stamp])
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
    finally:
        cur.close()
    return f"{DB}.main.{name}"


def forget(con) -> None:
    """Drop every span table of this DuckDB instance (the next evaluation makes them again). Not while an
    evaluation runs on the instance: its queries would lose their table."""
    with _LOCK:
        con.execute(f"DETACH DATABASE IF EXISTS {DB}")
