"""Fixtures: the tiny hand-made store, and a ``backend`` over DuckDB or PySpark (one Spark session
per test run; each data set gets its own Spark SQL namespace via ``newSession``)."""

from __future__ import annotations

import pytest

import tiny_region as tiny


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory):
    from ipobs.store import open_store

    path = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    with open_store(path) as s:
        for b in tiny.batches():
            res = s.import_batch(b)
            assert res.status == "committed" and not res.rejects, res.to_dict()
    return path


@pytest.fixture(scope="session")
def tiny_store(tiny_db):
    from ipobs.store import open_store

    s = open_store(tiny_db, read_only=True)
    yield s
    s.close()


@pytest.fixture(scope="session")
def tiny_frames():
    return tiny.frames()


@pytest.fixture(scope="session")
def spark():
    """The test run's one local Spark session (2 cores, UI off, few shuffle partitions)."""
    pytest.importorskip("pyspark")
    from ipobs.indicators import spark_session

    session = spark_session("local[2]", "ipobs-tests")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def parquet_backend(store, directory, spark):
    """Tables over a Parquet export of ``store`` on PySpark — the path docs/scale.md describes."""
    from ipobs.indicators import export_parquet, parquet_tables

    export_parquet(store, directory)
    import ibis

    return parquet_tables(directory, backend=ibis.pyspark.connect(spark.newSession()))


@pytest.fixture(scope="session")
def to_spark(spark, tmp_path_factory):
    """``to_spark(store, name)``: the store's Parquet export as Tables on the session's Spark."""
    return lambda store, name: parquet_backend(store, tmp_path_factory.mktemp(name), spark)


@pytest.fixture(scope="session")
def tiny_spark(tiny_store, to_spark):
    return to_spark(tiny_store, "tiny_parquet")


@pytest.fixture(scope="session", params=[pytest.param("duckdb", marks=pytest.mark.duckdb),
                                         pytest.param("pyspark", marks=[pytest.mark.pyspark, pytest.mark.slow])])
def backend(request):
    """The tiny store on one engine: a Store (DuckDB) or Tables over its Parquet export (PySpark)."""
    if request.param == "duckdb":
        return request.getfixturevalue("tiny_store")
    return request.getfixturevalue("tiny_spark")
