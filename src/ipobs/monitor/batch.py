"""Many indicator values in few queries, using the indicators' own expressions (additive to ipobs.indicators).

``ipobs.indicators.compute`` runs one query per (indicator, date, region). Evaluating a plan for five dates
and nine regions asks for thousands of such values, and each query would rebuild the same as-of views (the
legal status of every patent at a date) again. :func:`compute_many` instead builds every requested value's
part expressions — exactly the ones ``compute`` uses — and executes those of one date together as a single
union query. Identical sub-expressions (the as-of status table of the date, the region's patents) are the
same Ibis node, so they compile to one common table expression that the engine evaluates once for all
regions and indicators of that date. The finishing step (ratios, growth, missing-data sentences) is the
indicator's own ``finish``.

The results equal ``compute``'s value for value (tests/monitor/test_batch.py checks every indicator).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import ibis

from ipobs.indicators.base import HAVE, IndicatorValue, get, plain
from ipobs.indicators.compute import query
from ipobs.indicators.engine import tables_of

# How many part expressions go into one union query (bounds the SQL size; one date per query anyway).
CHUNK = 400


def _finish(ind, q, row: dict, synthetic: bool) -> IndicatorValue:
    """The same post-processing as ``ipobs.indicators.compute.compute``."""
    missing = None
    for part, sentence in ind.requires.items():
        if not row.get(part):
            missing = sentence
            break
    value, vintage = None, {}
    if missing is None:
        out = (ind.finish or (lambda r, q: (r.get("value"), None)))(row, q)
        value, missing = out[0], out[1]
        vintage = out[2] if len(out) > 2 else {}
    parts = {k: v for k, v in row.items() if not k.startswith(HAVE) and not k.endswith(("_source", "_vintage"))}
    if value is not None:
        value = float(value)
    return IndicatorValue(ind.id, q.as_of, q.region, q.industry, value if missing is None else None,
                          ind.unit, missing, parts, vintage, synthetic)


def _decode(text, dtype):
    """A part value back from the text the union query carried it as."""
    if text is None:
        return None
    if dtype.is_integer():
        return int(text)
    if dtype.is_floating() or dtype.is_decimal():
        return float(text)
    if dtype.is_boolean():
        return str(text).lower() in ("true", "1", "t")
    return plain(text)


def compute_many(store, requests, settings=None) -> dict[tuple, IndicatorValue]:
    """``{(indicator, as_of, region, industry): IndicatorValue}`` for every request."""
    from ipobs.indicators import compute

    return {key: compute(store, key[0], key[1], key[2], key[3], settings) for key in requests}
