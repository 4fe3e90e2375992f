"""Derived tables: what a monitoring evaluation would otherwise recompute from millions of rows each time,
made once per content of the tables they read and kept.

- ``patent_granted_spans`` (:func:`status_spans_sql`): the spans in which each patent of ``patent`` was granted
  and in force, with the patent's region code, kind, domestic flag and industry, from the 10.9 M patent
  events and 4.2 M patents of demo scale 10 (about 5 s). The valid-patent stocks group it without a join;
  the high-value portfolios' members read their spans from it. Beside it, ``patent_flows``: patents per
  region code, kind, industry and year of filing or of grant, which the flows read.
- ``trademarks_in_force``: each trademark class's spans in force, with the mark's region and flags and a
  whole-number id per registration number; beside it each mark's union spans (``trademark_mark_spans``) and
  the marks applied for by Madrid or registered per region code and year (``trademark_flows``). From the
  3.9 M trademark events and 1.8 M marks of scale 10 (5–9 s); the mark stocks then group class spans and
  union spans by region code and date index, without grouping by mark.

**Where they are kept.** A store that can be written keeps them in its own file, in the schema
:data:`SCHEMA` (not ``main``: they are not records, and exports and the compiled-SQL fingerprint ignore
them). Closing a writable store (every import does) makes them current (:func:`refresh`), so the read-only
opens of ``ipobs monitor``, the reports and the web app find them. A store opened read-only whose kept tables
are out of date (written by other means) makes them in an in-memory database attached to its DuckDB instance
(:data:`DB`), which every cursor of the instance sees, for the life of the process.

**Never stale.** "Current" is checked at every use, not assumed: each table's stamp is the row count and the
sum of the hashes of exactly the columns it reads, per table it reads (:data:`DERIVED`), with a hash of its
SQL. A changed, added or deleted row, or a new definition, changes the stamp, and the table is made again.
The check reads those columns once (about 1.2 s at scale 10, more from a cold file). A store opened read-only
cannot change while it is open, so there the check is made once per DuckDB instance (a long-lived process
such as the web app pays it at its first evaluation only).
"""

from __future__ import annotations

import hashlib
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from ipobs.store.history import MARK_ENDED, PATENT_EVENT_ORDER, TRADEMARK_STATUS_ORDER

DB = "ipobs_derived"  # an in-memory database for the derived tables of a store that cannot be written
SCHEMA = "derived"  # the schema of the store's own file that keeps them when it can
_LOCK = threading.Lock()  # one thread makes a table; the others wait for it instead of making it too
_ANEW = threading.local()  # made_anew(): ignore the kept tables (benchmarks against from-scratch SQL)

# the same-day order of ``ipobs.store.history`` (the one definition of status at a date): the column it ranks
SPAN_ORDER = {"patent_event": ("event", PATENT_EVENT_ORDER), "trademark_event": ("status_after", TRADEMARK_STATUS_ORDER)}


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


def marks_in_force_sql() -> str:
    """SQL of ``(mark, reg_no, nice_class, region_code, wk, gi, f, u)``: each trademark class's spans in force
    ``[f, u)`` (u NULL: still) by the registry's ``in_force`` (``ipobs/indicators/defs/trademarks.py``): with
    events, the spans of its 'registered' status (:func:`status_spans_sql`) cut at the day after
    ``expiry_date``; without any event, from ``registration_date`` to the day after ``expiry_date`` unless
    its status is one of :data:`MARK_ENDED`. ``mark`` numbers the registration numbers (1, 2, … in their
    order), so that counting distinct marks groups whole numbers; ``wk`` and ``gi`` are the well-known and
    geographical-indication flags (NULL as false); ``one_code`` says the mark's classes have one region code at
    most (:func:`mark_spans_sql` needs it)."""
    ended = ", ".join(f"'{s}'" for s in MARK_ENDED)
    return f"""
        WITH ev AS ({status_spans_sql("trademark_event", ("reg_no", "nice_class"), "registered")}),
        seen AS (SELECT DISTINCT reg_no, nice_class FROM trademark_event),
        iv AS (
            SELECT t.reg_no, t.nice_class, t.region_code, t.well_known, t.geo_indication, ev.d AS f,
                   CASE WHEN t.expiry_date IS NULL THEN ev.nd
                        WHEN ev.nd IS NULL THEN CAST(t.expiry_date AS DATE) + 1
                        ELSE least(ev.nd, CAST(t.expiry_date AS DATE) + 1) END AS u
            FROM trademark t JOIN ev USING (reg_no, nice_class)
            UNION ALL
            SELECT t.reg_no, t.nice_class, t.region_code, t.well_known, t.geo_indication,
                   CAST(t.registration_date AS DATE), CAST(t.expiry_date AS DATE) + 1
            FROM trademark t ANTI JOIN seen USING (reg_no, nice_class)
            WHERE t.registration_date IS NOT NULL AND COALESCE(t.status, 'registered') NOT IN ({ended}))
        SELECT dense_rank() OVER (ORDER BY reg_no) AS mark, reg_no, nice_class, region_code,
               COALESCE(well_known, FALSE) AS wk, COALESCE(geo_indication, FALSE) AS gi, f, u,
               count(DISTINCT region_code) OVER (PARTITION BY reg_no) <= 1 AS one_code
        FROM iv"""


def mark_spans_sql(classes: str) -> str:
    """SQL of ``(region_code, flag, f, u, n)`` from the class spans ``classes`` (:func:`marks_in_force_sql`): per
    mark, the union of its classes' spans (``flag`` 'all'), of its well-known classes' ('well_known') and of its
    geographical-indication classes' ('geo_indication'), as disjoint spans ``[f, u)``, counted (``n``) per
    region code, flag and span. A mark's union spans are disjoint, so the marks in force at a date are the
    spans covering it: counted by a difference array, with no grouping by mark at each evaluation. Only
    marks whose classes have one region code at most (``one_code``); a mark with several would be counted
    once per code, where a region holding two of them must count it once."""
    far = "DATE '9999-12-31'"  # u NULL: in force still
    return f"""
        WITH base AS (SELECT mark, nice_class, region_code, wk, gi, f, COALESCE(u, {far}) AS e FROM {classes}
                      WHERE one_code AND (u IS NULL OR u > f)),
        flagged AS (
            SELECT mark, nice_class, region_code, 'all' AS flag, f, e FROM base
            UNION ALL SELECT mark, nice_class, region_code, 'well_known', f, e FROM base WHERE wk
            UNION ALL SELECT mark, nice_class, region_code, 'geo_indication', f, e FROM base WHERE gi),
        numbered AS (  -- one order for both windows below: spans that tie on (f, e) must not swap between them
            SELECT *, row_number() OVER (PARTITION BY mark, flag ORDER BY f, e, nice_class) AS i FROM flagged),
        reach AS (  -- the furthest end of the mark's earlier spans: a span starting after it starts an island
            SELECT *, max(e) OVER (PARTITION BY mark, flag ORDER BY i
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach FROM numbered),
        islands AS (
            SELECT *, sum(CASE WHEN reach IS NULL OR f > reach THEN 1 ELSE 0 END)
                          OVER (PARTITION BY mark, flag ORDER BY i ROWS UNBOUNDED PRECEDING) AS island
            FROM reach),
        merged AS (SELECT region_code, flag, min(f) AS f, max(e) AS e FROM islands
                   GROUP BY mark, region_code, flag, island)
        SELECT region_code, flag, f, nullif(e, {far}) AS u, count(*) AS n FROM merged GROUP BY ALL"""


# patents per region code, kind, industry and year of filing / of grant (col: the date column), every year: the
# flows and their "any patents in the period" checks read this instead of grouping 4.2 M patents twice each
FLOW_COLUMNS = ("filing_date", "grant_date")
PATENT_FLOWS_SQL = " UNION ALL ".join(
    f"SELECT '{col}' AS col, region_code, kind, industry, year({col}) AS y, count(*) AS n FROM patent "
    f"WHERE {col} IS NOT NULL GROUP BY ALL" for col in FLOW_COLUMNS)


# distinct marks per region code and year of Madrid application ('madrid') or of registration ('registrations'),
# counted per code for marks whose classes have one region code at most (a region's count is then the sum over
# its codes), and listed by registration number (n NULL) for the others, which a region must count once
MARK_FLOWS_SQL = """
    WITH t AS (SELECT reg_no, region_code, application_date, registration_date, COALESCE(madrid, FALSE) AS madrid,
                      count(DISTINCT region_code) OVER (PARTITION BY reg_no) <= 1 AS one_code FROM trademark),
    f AS (SELECT 'madrid' AS part, reg_no, region_code, year(application_date) AS y, one_code FROM t
          WHERE madrid AND application_date IS NOT NULL
          UNION ALL
          SELECT 'registrations', reg_no, region_code, year(registration_date), one_code FROM t
          WHERE registration_date IS NOT NULL)
    SELECT part, region_code, y, NULL AS reg_no, count(DISTINCT reg_no) AS n FROM f WHERE one_code GROUP BY ALL
    UNION ALL
    SELECT DISTINCT part, region_code, y, reg_no, NULL FROM f WHERE NOT one_code"""


@dataclass(frozen=True)
class Derived:
    """Derived tables made together: the columns they read per source table (their stamp) and each table's SQL,
    made in order (``{here}`` in a later one's SQL is where the earlier ones are)."""

    reads: dict[str, tuple[str, ...]]
    tables: dict[str, str]


DERIVED = {
    "patent_spans": Derived(
        {"patent_event": ("patent_id", "event_date", "event", "status_after"),
         "patent": ("patent_id", "region_code", "kind", "domestic", "industry", *FLOW_COLUMNS)},
        # with the attributes the stocks group by: the stocks then read this table alone
        {"patent_granted_spans": f"""
            SELECT s.patent_id, s.d, s.nd, p.region_code, p.kind, COALESCE(p.domestic, FALSE) AS domestic, p.industry
            FROM ({status_spans_sql("patent_event", ("patent_id",), "granted")}) s JOIN patent p USING (patent_id)""",
         "patent_flows": PATENT_FLOWS_SQL}),
    "marks": Derived(
        {"trademark_event": ("reg_no", "nice_class", "event_date", "status_after"),
         "trademark": ("reg_no", "nice_class", "region_code", "well_known", "geo_indication", "registration_date",
                       "expiry_date", "status", "application_date", "madrid")},
        {"trademarks_in_force": marks_in_force_sql(),
         "trademark_mark_spans": mark_spans_sql("{here}.trademarks_in_force"),
         "trademark_flows": MARK_FLOWS_SQL}),
}
GROUP_OF = {name: group for group, spec in DERIVED.items() for name in spec.tables}  # table -> its group


def _stamp(cur, group: str) -> str:
    """What the group's tables read (row count and sum of row hashes of each source's columns) and how they are
    made (a hash of their SQL): a changed row or a new definition makes them again."""
    sql = " UNION ALL ".join(f"SELECT '{t}', count(*), sum(hash({', '.join(cols)})) FROM {t}"
                             for t, cols in DERIVED[group].reads.items())
    definition = hashlib.sha256(repr(DERIVED[group].tables).encode()).hexdigest()[:16]
    return repr((sorted(cur.execute(sql).fetchall()), definition))


# _check_once: a store opened read-only cannot change while it is open (DuckDB lets no process write a file that
# another has open, and a process cannot open one file both ways), so its stamps are checked once per DuckDB
# instance: the answer is kept in the in-memory database, which forget() drops


def _writable(cur) -> bool:
    return not cur.execute("SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
                           ).fetchone()[0]


def _name(place: tuple[str, str]) -> str:
    return f'"{place[0]}".{place[1]}'


def _home(cur) -> str:
    return cur.execute("SELECT current_database()").fetchone()[0]


def _stamped(cur, place: tuple[str, str], group: str) -> str | None:
    """The stamp ``place`` (database, schema) holds for ``group`` (None: no stamp table there, or none)."""
    if not cur.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
                       "AND table_name = 'stamps'", list(place)).fetchone()[0]:
        return None
    row = cur.execute(f"SELECT stamp FROM {_name(place)}.stamps WHERE name = ?", [group]).fetchone()
    return None if row is None else row[0]


def _make(cur, place: tuple[str, str], group: str, stamp: str) -> None:
    where = _name(place)
    if place[1] == SCHEMA:
        cur.execute(f"CREATE SCHEMA IF NOT EXISTS {where}")
    cur.execute(f"CREATE TABLE IF NOT EXISTS {where}.stamps (name VARCHAR PRIMARY KEY, stamp VARCHAR)")
    for name, sql in DERIVED[group].tables.items():
        cur.execute(f"CREATE OR REPLACE TABLE {where}.{name} AS {sql.replace('{here}', where)}")
    cur.execute(f"INSERT OR REPLACE INTO {where}.stamps VALUES (?, ?)", [group, stamp])


def table(con, name: str) -> str:
    """The qualified name of the derived table ``name`` (of a group of :data:`DERIVED`) for the current content of
    the tables it reads: the one kept in the store or in memory when its group's stamp is theirs, else made now
    with its group (in the store when it can be written, else in memory)."""
    group = GROUP_OF[name]
    cur = con.cursor()  # a transaction of its own: the stamp and the table read one snapshot
    try:
        with _LOCK:
            anew = getattr(_ANEW, "on", False)
            read_only = not _writable(cur)
            writable = not read_only and not anew  # made_anew(): in memory even beside a writable store
            if not writable:
                cur.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {DB} (READ_WRITE)")
                cur.execute(f"CREATE TABLE IF NOT EXISTS {DB}.main.checked (name VARCHAR PRIMARY KEY, place VARCHAR)")
            cur.execute("BEGIN TRANSACTION")
            try:
                checked = cur.execute(f"SELECT place FROM {DB}.main.checked WHERE name = ?", [group]).fetchone() \
                    if read_only and not anew else None
                if checked is not None:  # see _check_once
                    cur.execute("COMMIT")
                    return f"{checked[0]}.{name}"
                stamp = _stamp(cur, group)
                kept, memory = (_home(cur), SCHEMA), (DB, "main")
                places = [kept] if writable else [memory] if anew else [kept, memory]
                found = next((p for p in places if _stamped(cur, p, group) == stamp), None)
                if found is None:
                    found = kept if writable else memory
                    _make(cur, found, group, stamp)
                if read_only and not anew:
                    cur.execute(f"INSERT OR REPLACE INTO {DB}.main.checked VALUES (?, ?)", [group, _name(found)])
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
    finally:
        cur.close()
    return f"{_name(found)}.{name}"


def refresh(con) -> None:
    """Make every derived table of a writable store current in its file (:data:`SCHEMA`), so that processes
    opening it read-only find them instead of making them. Tables whose sources the store lacks are skipped."""
    cur = con.cursor()
    try:
        tables = cur.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE "
                             "database_name = current_database()").fetchall()
        with _LOCK:  # tables an earlier version kept, under names no longer derived
            for schema, name in tables:
                if schema == SCHEMA and name != "stamps" and name not in GROUP_OF:
                    cur.execute(f"DROP TABLE {_name((_home(cur), SCHEMA))}.{name}")
            if any(schema == SCHEMA and name == "stamps" for schema, name in tables):
                cur.execute(f"DELETE FROM {_name((_home(cur), SCHEMA))}.stamps WHERE name NOT IN "
                            f"({', '.join(repr(g) for g in DERIVED)})")
    finally:
        cur.close()
    present = {name for schema, name in tables if schema == "main"}
    for spec in DERIVED.values():
        if set(spec.reads) <= present:
            table(con, next(iter(spec.tables)))


@contextmanager
def made_anew():
    """Within this block (in this thread) the tables kept in a store's file are ignored: each is made in memory
    (or found there), as a store that was written by other means would need. For benchmarks that compare
    against SQL computing everything from the records."""
    _ANEW.on = True
    try:
        yield
    finally:
        _ANEW.on = False


def forget(con) -> None:
    """Drop the derived tables this DuckDB instance holds in memory (the next use makes them again; the ones
    kept in a store's file stay). Not while an evaluation runs on the instance: its queries would lose them."""
    with _LOCK:
        con.execute(f"DETACH DATABASE IF EXISTS {DB}")
