"""A function applied once per distinct value equals the function applied to every row."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ipobs.entities.distinct import series_distinct

VALUES = st.lists(st.one_of(st.none(), st.sampled_from(["", " ", "a", "b", "天津", "2019-01-02", "ab"]), st.text(max_size=4)),
                  max_size=40)


def _per_row(values: pd.Series, fn) -> pd.Series:
    out = [None if v is None or v is pd.NA or v == "" else fn(v) for v in values.astype(object).tolist()]
    return pd.Series(out, index=values.index, dtype=object).astype("string")


@settings(max_examples=200, deadline=None)
@given(VALUES, st.sampled_from(["upper", "none_for_a", "number"]), st.sampled_from(["string", "object"]))
def test_series_distinct_equals_per_row(values, fn_name, src_dtype):
    fn = {"upper": str.upper, "none_for_a": lambda v: None if v == "a" else v + "!", "number": len}[fn_name]
    s = pd.Series(values, dtype=src_dtype, index=range(100, 100 + len(values)))
    got = series_distinct(s, fn)
    assert got.dtype == "string"
    pd.testing.assert_series_equal(got, _per_row(s, fn))
