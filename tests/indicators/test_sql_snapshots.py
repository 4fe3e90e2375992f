"""The SQL the headline indicators compile to, per engine, kept in snapshots/ so changes show in review.

Set IPOBS_UPDATE_SNAPSHOTS=1 to rewrite them after an intended change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ipobs.indicators.engine import compiled_sql

SNAPSHOTS = Path(__file__).with_name("snapshots")
HEADLINE = ("valid_patents", "inventions_per_10k", "invention_share", "registered_trademarks")


NOTYET_UNBOUND_PYSPARK = pytest.mark.xfail(
    raises=AttributeError, strict=False,
    reason="notyet: ibis' PySpark compiler reads treat_nan_as_null from a live session to compile argmax of a "
           "float column (the population lookup); the parity tests run it on a real session. Not strict: it "
           "passes when an earlier test in the run has started a Spark session")
CASES = [pytest.param(i, d, marks=NOTYET_UNBOUND_PYSPARK if (i, d) == ("inventions_per_10k", "pyspark") else ())
         for i in HEADLINE for d in ("duckdb", "pyspark")]


@pytest.mark.parametrize(("indicator", "dialect"), CASES)
def test_sql_snapshot(indicator, dialect):
    sql = compiled_sql(indicator, "2021-12-31", dialect, region="120116Z6") + "\n"
    path = SNAPSHOTS / f"{indicator}.{dialect}.sql"
    if os.environ.get("IPOBS_UPDATE_SNAPSHOTS") == "1" or not path.exists():
        path.write_text(sql, encoding="utf-8")
    assert sql == path.read_text(encoding="utf-8"), f"{path.name} changed; review and set IPOBS_UPDATE_SNAPSHOTS=1"
