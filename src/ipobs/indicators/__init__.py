"""Indicators: one definition per indicator, computed as of any date, for any region and, for
patent indicators, any industry, on any Ibis engine (DuckDB by default, PySpark at scale).

Public interface::

    registry() -> dict[str, Indicator]
    compute(store, indicator_id, as_of, region=None, industry=None, settings=None) -> IndicatorValue
    series(store, indicator_id, years, region=None, industry=None, settings=None) -> list[IndicatorValue]
    records(store, indicator_id, as_of, region=None, industry=None, limit=100, offset=0) -> (DataFrame, total)
"""

from ipobs.indicators.base import Indicator, IndicatorValue, Query, define, get, register, registry
from ipobs.indicators.compute import compute, compute_many, records, series
from ipobs.indicators.engine import Tables, export_parquet, parquet_tables, spark_session, tables_of
from ipobs.indicators.settings import Settings

__all__ = [
    "Indicator", "IndicatorValue", "Query", "Settings", "Tables", "compute", "compute_many", "define", "export_parquet", "get",
    "parquet_tables", "records", "register", "registry", "series", "spark_session", "tables_of",
]
