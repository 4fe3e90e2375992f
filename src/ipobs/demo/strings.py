"""Vectorized string building on Arrow arrays (no Python loop per record).

Records' text columns are assembled from small vocabularies: ``pick`` takes vocabulary
entries by index, ``cat`` joins parts element-wise, ``digits`` formats numbers, and
``column`` hands the result to pandas as a string column (nulls where ``missing``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str" dtype, Arrow-backed


def arr(values) -> pa.Array:
    """An Arrow string array from a list, a numpy array or an Arrow array."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values
    return pa.array(list(values) if not isinstance(values, np.ndarray) else values, type=pa.string())


def pick(vocab, idx) -> pa.Array:
    """``vocab[idx]`` for an index array."""
    return arr(vocab).take(pa.array(np.asarray(idx, dtype=np.int64)))


def cat(*parts, sep: str = "") -> pa.Array:
    """Element-wise concatenation of arrays and plain strings (a null part gives null)."""
    args = [p if isinstance(p, (pa.Array, pa.ChunkedArray)) else pa.scalar(str(p), pa.string()) for p in parts]
    if not any(isinstance(a, (pa.Array, pa.ChunkedArray)) for a in args):
        raise ValueError("cat() needs at least one array")
    return pc.binary_join_element_wise(*args, sep)


def digits(values, width: int = 0) -> pa.Array:
    """Integers as decimal strings, zero-padded to ``width``."""
    s = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    return pc.utf8_lpad(s, width, "0") if width else s


def where(mask, a, b) -> pa.Array:
    """``a`` where mask is true, else ``b`` (arrays or strings; None gives null)."""
    def scalar(x):
        if isinstance(x, (pa.Array, pa.ChunkedArray)):
            return x
        return pa.scalar(x, pa.string())
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), scalar(a), scalar(b))


def column(values, missing=None) -> pd.Series:
    """A pandas string column; ``missing`` (bool array) marks nulls."""
    a = arr(values)
    if isinstance(a, pa.ChunkedArray):
        a = a.combine_chunks()
    if missing is not None:
        a = pc.if_else(pa.array(np.asarray(missing, dtype=bool)), pa.scalar(None, pa.string()), a)
    return pd.Series(pd.array(a, dtype=STR))


def lengths(values) -> np.ndarray:
    return np.asarray(pc.utf8_length(arr(values)).to_numpy(zero_copy_only=False))


def labels(values: list[str], idx, missing=None) -> pd.Series:
    """A string column of codes from a short list by index (Arrow-backed; cheap to validate)."""
    return column(pick(values, idx), missing=missing)


def const(value: str, n: int) -> pd.Series:
    """A string column repeating one value."""
    return labels([value], np.zeros(n, dtype=np.int64))


def text_column(values: np.ndarray) -> pd.Series:
    """An object array of str/None as an Arrow-backed string column."""
    return column(pa.array(np.asarray(values, dtype=object), type=pa.string()))
