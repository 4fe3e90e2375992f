"""The store: one DuckDB file (by default) holding every canonical table.

Only this package writes tables. Everything else reads through :meth:`Store.ibis` (so the
same expressions run on Spark) or, for presentation-free lookups, :meth:`Store.query`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import duckdb
import pandas as pd

from ipobs.records.schema import TABLES

log = logging.getLogger(__name__)

DEFAULT_DB = "ipobs.duckdb"

# Bookkeeping tables of the store itself (not record kinds).
BATCH_DDL = """
CREATE SEQUENCE IF NOT EXISTS import_batch_seq START 1;
CREATE TABLE IF NOT EXISTS import_batch (
    batch_id BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,
    file_name VARCHAR,
    sha256 VARCHAR NOT NULL,
    format VARCHAR,
    mode VARCHAR,
    status VARCHAR NOT NULL,
    accepted BIGINT, updated BIGINT, duplicate BIGINT, rejected BIGINT,
    started_at TIMESTAMP, finished_at TIMESTAMP,
    user_name VARCHAR,
    archive_path VARCHAR,
    message VARCHAR,
    synthetic BOOLEAN
);
CREATE TABLE IF NOT EXISTS import_reject (
    batch_id BIGINT NOT NULL,
    sheet VARCHAR,
    row_no BIGINT,
    column_name VARCHAR,
    code VARCHAR NOT NULL,
    value VARCHAR,
    note VARCHAR,
    record_table VARCHAR,
    raw JSON
);
CREATE TABLE IF NOT EXISTS import_warning (   -- rows the rules accept with a remark (units read, checks)
    batch_id BIGINT NOT NULL,
    seq INTEGER NOT NULL,
    message VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
"""


def log_warnings(con, batch_id: int, warnings: list[str]) -> None:
    """Keep a batch's warnings beside its log entry (call inside the batch's transaction)."""
    if warnings:
        con.executemany("INSERT INTO import_warning VALUES (?, ?, ?)",
                        [[batch_id, i, str(w)] for i, w in enumerate(warnings, 1)])


def resolve_db_path(path: str | os.PathLike | None = None) -> Path:
    """``--db PATH`` wins, then ``IPOBS_DB``, then ``./ipobs.duckdb``."""
    return Path(path or os.environ.get("IPOBS_DB") or DEFAULT_DB)


def table_ddl(name: str) -> str:
    t = TABLES[name]
    cols = [f'"{f.name}" {f.sql_type}' + (" NOT NULL" if f.required else "") for f in t.fields]
    # History tables may legitimately hold the same key twice only if it is the same fact;
    # keys are enforced by the batch logic (anti-joins), so no PRIMARY KEY constraint that
    # would turn a duplicate row into an aborted batch.
    return f'CREATE TABLE IF NOT EXISTS "{name}" ({", ".join(cols)})'


# DuckDB writes new data in its 1.5 storage format (the default stays readable by 0.10): about a fifth less
# CPU to insert and compress the demo's patents, a file 15% smaller. DuckDB refuses a second connection to
# the same file with another configuration in one process: open stores with this one (``open_store``).
CONNECT_CONFIG = {"storage_compatibility_version": "v1.5.0"}


class Store:
    """A connection to the IP Observatory database."""

    def __init__(self, path: str | os.PathLike | None = None, *, read_only: bool = False):
        self.path = resolve_db_path(path)
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path), read_only=read_only, config=CONNECT_CONFIG)
        if not read_only:
            self.create_schema()
        self._ibis = None

    # -- schema ---------------------------------------------------------------
    def create_schema(self) -> None:
        self.con.execute(BATCH_DDL)
        for name in TABLES:
            self.con.execute(table_ddl(name))

    @property
    def archive_dir(self) -> Path:
        return self.path.parent / f"{self.path.stem}.archive"

    # -- reading --------------------------------------------------------------
    def ibis(self):
        """An Ibis backend over this connection (the expressions engine-neutral code uses)."""
        if self._ibis is None:
            import ibis

            self._ibis = ibis.duckdb.from_connection(self.con)
        return self._ibis

    def table(self, name: str):
        return self.ibis().table(name)

    def query(self, sql: str, params: list | tuple | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def scalar(self, sql: str, params: list | tuple | None = None):
        row = self.con.execute(sql, params or []).fetchone()
        return None if row is None else row[0]

    def count(self, name: str) -> int:
        return int(self.scalar(f'SELECT count(*) FROM "{name}"'))

    def counts(self) -> dict[str, int]:
        return {name: self.count(name) for name in TABLES}

    def meta(self, key: str, default: str | None = None) -> str | None:
        v = self.scalar("SELECT value FROM store_meta WHERE key = ?", [key])
        return default if v is None else v

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute(
            "INSERT INTO store_meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    @property
    def synthetic(self) -> bool:
        """True when the store holds the synthetic demo region (label it everywhere)."""
        return self.meta("synthetic") == "true"

    # -- batches --------------------------------------------------------------
    def import_batch(self, batch, **kw):
        from ipobs.store.batch import import_batch
        from ipobs.store.checks import batch_warnings

        batch.warnings.extend(w for w in batch_warnings(self, batch) if w not in batch.warnings)
        return import_batch(self, batch, **kw)

    def batches(self) -> pd.DataFrame:
        return self.query("SELECT * FROM import_batch ORDER BY batch_id")

    def warnings(self, batch_id: int) -> list[str]:
        return self.query("SELECT message FROM import_warning WHERE batch_id = ? ORDER BY seq",
                          [batch_id])["message"].tolist()

    def rejects(self, batch_id: int) -> pd.DataFrame:
        return self.query(
            "SELECT * EXCLUDE (raw), raw FROM import_reject WHERE batch_id = ? ORDER BY row_no NULLS FIRST",
            [batch_id],
        )

    def close(self) -> None:
        try:
            if not self.read_only:
                self.refresh_derived()
        finally:
            self.con.close()

    def refresh_derived(self) -> None:
        """Make the derived tables a monitoring evaluation reads (:mod:`ipobs.store.derived`) current in the
        file, so that later read-only opens find them instead of making them each time. A failure here
        leaves them to be made when read; it never loses what was written."""
        from ipobs.store import derived

        try:
            derived.refresh(self.con)
        except duckdb.Error as e:
            log.warning("the derived tables of %s were not refreshed: %s", self.path, e)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class CursorStore(Store):
    """A :class:`Store` reading through a new cursor of another store's connection: what a second
    thread uses (a DuckDB connection must not run queries from two threads; its cursors may)."""

    def __init__(self, base: Store):  # noqa: D107 - no new connection on purpose
        self.path = base.path
        self.read_only = True
        self.con = base.con.cursor()
        self._ibis = None

    def close(self) -> None:
        self.con.close()


def open_store(path: str | os.PathLike | None = None, *, read_only: bool = False) -> Store:
    return Store(path, read_only=read_only)
