"""What every analysis works on: the resolved set on its own DuckDB cursor, the date, the region.

The set is a table ``pset(patent_id)`` in an in-memory database attached for one analysis only
(``ipobs_scope_<random>``: safe under a threaded web server, and it works on a read-only store),
put first on the search path of the scope's cursor. :meth:`Scope.fork` gives another thread its
own cursor on the same tables, so sections running side by side make each table once and share it.
The set's rows of the big tables are materialized once, on first use, as tables every section
reads instead of joining the whole store again: :meth:`Scope.patents` (``ppat``: the set's patent rows, no
abstracts), :meth:`Scope.parties` (``pparty``: applicants and inventors), :meth:`Scope.ipcs`
(``pipc``), :meth:`Scope.events` (``pevent``) and :meth:`Scope.status` (``pstatus``: legal status at
``as_of`` from the set's own events). When a section also needs a superset of the set (the value
section's cohort members, :attr:`Scope.population`), the events and IPC codes are read once for the
superset (``wevent``, ``wipc``) and the set's tables are taken from those.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from ipobs.analytics.patent_set import PatentSet, ResolvedSet, resolve
from ipobs.entities.regions import HOME, descendants
from ipobs.records.dates import date_or_today

EVENT_COLUMNS = "e.patent_id, e.event_date, e.event, e.status_after"  # what the status definition reads
PUBLICATION_LAG_MONTHS = 18  # applications are published 18 months after filing (priority)


def msg(zh: str, en: str) -> dict:
    """A sentence in both languages (notes, and what a section cannot show)."""
    return {"zh": zh, "en": en}


@dataclass
class Section:
    """One analysis result: scalar facts, tables (lists of row dicts), and what it cannot show."""

    id: str
    zh: str
    en: str
    facts: dict = field(default_factory=dict)
    tables: dict[str, list[dict]] = field(default_factory=dict)
    missing: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.id, "zh": self.zh, "en": self.en, "facts": self.facts, "tables": self.tables,
                "missing": self.missing, "notes": self.notes}


def records(df: pd.DataFrame) -> list[dict]:
    """DataFrame → JSON-ready row dicts (NaN → None, numpy scalars → Python)."""
    if df is None or not len(df):
        return []
    out = df.astype(object).where(df.notna(), None).to_dict(orient="records")
    for row in out:
        for k, v in row.items():
            if hasattr(v, "item"):
                row[k] = v.item()
            elif isinstance(v, (pd.Timestamp, dt.date)):
                row[k] = v.isoformat()[:10]
    return out


def status_sql(store, as_of: dt.date, events: str | None = None) -> str:
    """SQL of ``ipobs.store.history.patent_status_as_of`` (the one definition of legal status at a date).

    ``events``: the name of a table or CTE with ``patent_event``'s columns to read instead of
    ``patent_event`` (e.g. only the events of a set)."""
    from ipobs.store.history import patent_status_as_of

    if events is None:
        expr = patent_status_as_of(store.table("patent_event"), as_of)
        return str(store.ibis().compile(expr))
    return _status_sql_on(store.table("patent_event").schema(), as_of, events)


@lru_cache(maxsize=64)
def _status_sql_on(schema, as_of: dt.date, events: str) -> str:
    """The status definition compiled over a table ``events`` of that schema (compiling takes ≈0.3 s: once)."""
    import ibis

    from ipobs.store.history import patent_status_as_of

    return str(ibis.to_sql(patent_status_as_of(ibis.table(schema, name=events), as_of), dialect="duckdb"))


def _ident(name: str) -> str:
    """A catalog name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


class Scope:
    """A resolved set ready for analysis. Use as a context manager (closes its cursor)."""

    def __init__(self, store, pset: PatentSet | ResolvedSet | str, as_of=None, region: str | None = HOME,
                 lang: str = "zh"):
        self.store = store
        self.rset = pset if isinstance(pset, ResolvedSet) else resolve(store, pset)
        self.as_of = date_or_today(as_of)
        self.region = region
        self.region_codes = tuple(descendants(region)) if region else ()
        self.lang = lang
        self.con = store.con.cursor()
        store_db = self.con.execute("SELECT current_database()").fetchone()[0]
        self.db = f"ipobs_scope_{uuid.uuid4().hex[:16]}"
        self.con.execute(f"ATTACH ':memory:' AS {self.db} (READ_WRITE)")  # READ_WRITE: also on a read-only store
        self._search_path = "SET search_path = '{}.main,{}.main'".format(self.db, _ident(store_db).replace("'", "''"))
        self._owner = True  # the scope that attached the database detaches it; forks only close their cursor
        try:
            self.con.execute(self._search_path)
            self.con.register("_pset_ids", self.rset.frame())
            try:
                self.con.execute(f"CREATE TABLE {self.db}.main.pset AS SELECT DISTINCT patent_id FROM _pset_ids")
            finally:
                self.con.unregister("_pset_ids")
        except BaseException:
            self.close()
            raise
        self._made: set[str] = {"pset"}
        self._locks: dict[str, threading.Lock] = {}  # one per table being made: a fork waits for it, not remakes it
        self._locks_guard = threading.Lock()
        self.population: Callable[[Scope], str] | None = None
        """Makes (once) a table of patent ids holding the set whose events and IPC codes a section reads too (the
        value section's cohort members): :meth:`events` and :meth:`ipcs` then read each big table once for both.
        Set it before :meth:`fork`."""
        self.memo: dict = {}  # what a section made on this scope and how (e.g. the value configuration)

    def fork(self) -> Scope:
        """The same scope on a new cursor (and store cursor), for another thread: it reads and makes the same
        tables (each made once, by whichever thread asks first), and closing it closes only its cursors."""
        from ipobs.store.db import CursorStore

        twin = copy.copy(self)  # shares the made-table set, the locks and the memo
        twin.store = CursorStore(self.store)
        twin.con = self.store.con.cursor()
        twin._owner = False
        twin.con.execute(self._search_path)
        return twin

    @property
    def size(self) -> int:
        return len(self.rset)

    @property
    def last_complete_year(self) -> int:
        """Latest filing year whose applications should all be published by ``as_of``."""
        months = self.as_of.year * 12 + self.as_of.month - 1 - PUBLICATION_LAG_MONTHS
        y, m = divmod(months, 12)
        return y if m == 11 else y - 1

    def q(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def made(self, name: str) -> bool:
        """True when the table ``name`` was made on this scope (or its forks)."""
        return name in self._made

    def once(self, name: str, make: Callable[[], None]) -> str:
        """Make the table ``name`` with ``make()`` unless it is made; a thread asking while another makes it
        waits for it (tables a ``make`` reads are made under their own names, so there is no cycle)."""
        if name not in self._made:
            with self._locks_guard:
                lock = self._locks.setdefault(name, threading.Lock())
            with lock:
                if name not in self._made:
                    make()
                    self._made.add(name)
        return name

    def _temp(self, name: str, sql: str, params: list | None = None) -> str:
        """Make the table ``name`` as ``sql`` once (in the scope's database)."""
        return self.once(name, lambda: self.con.execute(f"CREATE TABLE {self.db}.main.{name} AS {sql}", params or []))

    PATENT_COLUMNS = ("patent_id", "kind", "filing_date", "grant_date", "pct", "region_code", "country", "ipc_main",
                      "industry", "domestic",
                      # what ipobs.indicators' high-value definition reads besides (value section)
                      "application_no", "title", "attribution_basis", "foreign_family")

    def patents(self) -> str:
        """``ppat``: the set's rows of ``patent`` (:attr:`PATENT_COLUMNS`: no abstracts), made once."""
        cols = ", ".join(f"p.{c}" for c in self.PATENT_COLUMNS)
        return self._temp("ppat", f"SELECT {cols} FROM patent p SEMI JOIN pset USING (patent_id)")

    PARTY_ROLES = ("applicant", "inventor")

    def parties(self) -> str:
        """``pparty``: the set's applicants and inventors (``patent_party`` rows), made once.

        Every section reads a party's name as ``coalesce(name_norm, name)``, so ``name`` is read only when some
        row lacks ``name_norm`` (else it is NULL here): the scan of ``patent_party`` decodes names for every row
        it reads, before the join can drop them. One equality per role, so DuckDB filters inside the scan."""
        def rows(name: str, role: str) -> str:
            return (f"SELECT pp.patent_id, pp.role, pp.seq, {name} AS name, pp.name_norm, pp.entity_id "
                    f"FROM patent_party pp SEMI JOIN pset USING (patent_id) WHERE pp.role = '{role}'")

        def make() -> None:
            self.con.execute(f"CREATE TABLE {self.db}.main.pparty AS "
                             + " UNION ALL ".join(rows("NULL::VARCHAR", r) for r in self.PARTY_ROLES))
            if self.con.execute("SELECT count(*) FROM pparty WHERE name_norm IS NULL").fetchone()[0]:
                self.con.execute(f"CREATE OR REPLACE TABLE {self.db}.main.pparty AS "
                                 + " UNION ALL ".join(rows("pp.name", r) for r in self.PARTY_ROLES))

        self.once("pparty", make)
        return "pparty"

    def ipcs(self) -> str:
        """``pipc``: the set's rows of ``patent_ipc``, made once (from ``wipc``, the population's, when there is
        a :attr:`population`)."""
        if "pipc" in self._made:
            return "pipc"
        if self.population is not None:
            self._temp("wipc", f"SELECT i.* FROM patent_ipc i SEMI JOIN {self.population(self)} USING (patent_id)")
            return self._temp("pipc", "SELECT * FROM wipc SEMI JOIN pset USING (patent_id)")
        return self._temp("pipc", "SELECT i.* FROM patent_ipc i SEMI JOIN pset USING (patent_id)")

    def population_ipcs(self) -> str | None:
        """``wipc``: the :attr:`population`'s rows of ``patent_ipc`` (None when :meth:`ipcs` was made without)."""
        self.ipcs()
        return "wipc" if "wipc" in self._made else None

    def status(self) -> str:
        """``pstatus(patent_id, status, status_date)``: the set's legal status at ``as_of``, made once from
        the set's own events (``ipobs.store.history.patent_status_as_of``)."""
        if "pstatus" in self._made:
            return "pstatus"
        return self._temp("pstatus", f"SELECT st.patent_id, st.status, st.status_date "
                                     f"FROM ({status_sql(self.store, self.as_of, events=self.events())}) st")

    def events(self) -> str:
        """``pevent``: the set's rows of ``patent_event`` (the columns the status definition reads), made once
        (from ``wevent``, the population's, when there is a :attr:`population`)."""
        if "pevent" in self._made:
            return "pevent"
        if self.population is not None:
            self._temp("wevent", f"SELECT {EVENT_COLUMNS} FROM patent_event e "
                                 f"SEMI JOIN {self.population(self)} USING (patent_id)")
            return self._temp("pevent", "SELECT * FROM wevent SEMI JOIN pset USING (patent_id)")
        return self._temp("pevent", f"SELECT {EVENT_COLUMNS} FROM patent_event e SEMI JOIN pset USING (patent_id)")

    def population_events(self) -> str | None:
        """``wevent``: the :attr:`population`'s rows of ``patent_event`` (None when :meth:`events` was made
        without)."""
        self.events()
        return "wevent" if "wevent" in self._made else None

    def families(self) -> str:
        """``pfam``: the set's rows of ``patent_family``, made once."""
        return self._temp("pfam", "SELECT f.* FROM patent_family f SEMI JOIN pset USING (patent_id)")

    def region_in(self, column: str = "p.region_code") -> str:
        """SQL condition: the column is in the analysed region (False when no region)."""
        if not self.region_codes:
            return "FALSE"
        return f"{column} IN ({', '.join(repr(c) for c in self.region_codes)})"

    def close(self) -> None:
        """Close this scope's cursors; the scope that attached the tables' database detaches it (every table
        goes with it)."""
        try:
            if self._owner:
                self.con.execute("RESET search_path")  # a cursor cannot detach its default database
                self.con.execute(f"DETACH DATABASE IF EXISTS {self.db}")
        finally:
            self.con.close()
            if not self._owner:
                self.store.close()

    def __enter__(self) -> Scope:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
