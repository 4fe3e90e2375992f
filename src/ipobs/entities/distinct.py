"""Apply a Python function once per distinct value of a column (the importers' workhorse).

Columns of a million rows hold far fewer distinct names, addresses or dates; factorizing
first (a hash pass in C) and mapping the results back by code keeps per-row Python out of
the loop.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa


def apply_distinct(values: pd.Series, fn, *, skip_blank: bool = True) -> np.ndarray:
    """``fn(v)`` for every row, computed once per distinct non-missing value; None where missing."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    out = np.empty(len(uniques) + 1, dtype=object)
    out[-1] = None
    for i, v in enumerate(uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)):
        out[i] = None if (skip_blank and (v is None or v == "")) else fn(v)
    return out[codes]  # code -1 (missing) picks the trailing None


def series_distinct(values: pd.Series, fn, dtype="string") -> pd.Series:
    """:func:`apply_distinct` as a Series aligned with ``values`` (``dtype=None`` keeps objects).

    For ``dtype="string"`` the results of the distinct values become an Arrow array that is
    then spread over the rows by code (``take``), so no per-row object conversion happens."""
    if dtype == "string":
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        res = [None if (v is None or v == "") else fn(v) for v in
               (uniques.tolist() if hasattr(uniques, "tolist") else list(uniques))]
        res.append(None)  # code -1 (missing)
        try:
            arr = pa.array(res, type=pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # a result that is not text: convert it as pandas would
            arr = pa.array(pd.array(res, dtype="string").to_numpy(dtype=object, na_value=None), type=pa.string())
        idx = np.where(codes < 0, len(res) - 1, codes)
        taken = arr.take(pa.array(idx, type=pa.int64()))
        return pd.Series(pd.arrays.ArrowStringArray(taken), index=values.index)
    out = pd.Series(apply_distinct(values, fn), index=values.index, dtype=object)
    return out.astype(dtype) if dtype else out
