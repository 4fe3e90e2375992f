"""Where the tables come from: a store (DuckDB), or any Ibis backend (PySpark over Parquet).

:class:`Tables` is what every definition receives: ``t.patent``, ``t.patent_event``… as Ibis
tables of one backend. Nothing in a definition knows which engine that is.
"""

from __future__ import annotations

from pathlib import Path

from ipobs.records.schema import TABLES


class Tables:
    """The canonical tables on one Ibis backend."""

    def __init__(self, backend, *, synthetic: bool = False, label: str = ""):
        self.backend = backend
        self.synthetic = synthetic
        self.label = label
        self._cache: dict = {}

    def __getattr__(self, name: str):
        if name.startswith("_") or name not in TABLES:
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str):
        if name not in self._cache:
            self._cache[name] = self.backend.table(name)
        return self._cache[name]

    def execute(self, expr):
        return self.backend.execute(expr)


def tables_of(source) -> Tables:
    """Tables from a :class:`~ipobs.store.Store`, a :class:`Tables`, or an Ibis backend."""
    if isinstance(source, Tables):
        return source
    if hasattr(source, "ibis") and hasattr(source, "con"):  # a Store
        return Tables(source.ibis(), synthetic=bool(source.synthetic), label=str(source.path))
    if hasattr(source, "table") and hasattr(source, "execute"):
        return Tables(source)
    raise TypeError(f"cannot read tables from {type(source).__name__}")


def export_parquet(store, directory: str | Path) -> dict[str, int]:
    """Write every canonical table as ``DIR/<table>.parquet`` (plus store metadata); row counts."""
    import duckdb

    from ipobs.store.db import table_ddl

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    present = set(store.query("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                              "AND schema_name = 'main'")["table_name"])
    counts = {}
    for name in TABLES:
        path = out / f"{name}.parquet"
        if name in present:
            store.con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{path.as_posix()}' (FORMAT parquet)")
            counts[name] = store.count(name)
        else:  # a store made before the table joined the schema: an empty table of the right shape
            with duckdb.connect() as mem:
                mem.execute(table_ddl(name))
                mem.execute(f"COPY \"{name}\" TO '{path.as_posix()}' (FORMAT parquet)")
            counts[name] = 0
    meta = out / "store_meta.parquet"
    store.con.execute(f"COPY (SELECT * FROM store_meta) TO '{meta.as_posix()}' (FORMAT parquet)")
    return counts


def spark_session(master: str = "local[2]", app_name: str = "ipobs"):
    """A small local Spark session (UI off, few shuffle partitions) — or pass your cluster's."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master).appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )


def parquet_tables(directory: str | Path, *, spark=None, backend=None) -> Tables:
    """Tables over ``DIR/<table>.parquet`` on PySpark (``spark`` session) or another Ibis backend.

    This is the path the parity test takes; on a cluster, pass your SparkSession and a
    directory every executor can read (HDFS, S3, a shared mount).
    """
    import ibis

    directory = str(directory).rstrip("/")
    if backend is None:
        backend = ibis.pyspark.connect(spark if spark is not None else spark_session())
    for name in TABLES:
        backend.read_parquet(f"{directory}/{name}.parquet", table_name=name)
    meta = Path(directory) / "store_meta.parquet"  # only readable here when the directory is local
    synthetic = False
    if meta.exists():
        import pandas as pd

        m = pd.read_parquet(meta)
        synthetic = bool(((m["key"] == "synthetic") & (m["value"] == "true")).any())
    return Tables(backend, synthetic=synthetic, label=directory)


IBIS_TYPES = {"str": "string", "int": "int64", "float": "float64", "bool": "boolean", "date": "date",
              "timestamp": "timestamp", "json": "string"}


class _Unbound:
    """A stand-in backend whose tables are unbound Ibis tables of the canonical schema."""

    def table(self, name: str):
        import ibis

        t = TABLES[name]
        return ibis.table({f.name: IBIS_TYPES[f.type] for f in t.fields}, name=name)

    def execute(self, expr):
        raise TypeError("unbound tables cannot execute; use ibis.to_sql(expr, dialect=...)")


def unbound_tables() -> Tables:
    """Tables bound to no engine: build an indicator's expression and compile it for any dialect."""
    return Tables(_Unbound(), label="unbound")


def compiled_sql(indicator_id: str, as_of, dialect: str = "duckdb", region=None, industry=None, settings=None) -> str:
    """The SQL an indicator's parts compile to on a dialect (for review, snapshots and debugging)."""
    import ibis

    from ipobs.indicators.compute import _cross, _one_row_tables, query
    from ipobs.indicators.base import get

    ind = get(indicator_id)
    t = unbound_tables()
    q = query(ind, as_of, region, industry, settings)
    _, tables = _one_row_tables(ind.parts(t, q))
    return ibis.to_sql(_cross(tables), dialect=dialect)
