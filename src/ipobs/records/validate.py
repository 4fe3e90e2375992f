"""Vectorized validation of rows against the canonical schema.

``validate(table, df)`` coerces every column to its field type, maps enumeration labels
(中文 or English) to codes, and checks required fields, date order and in-file key
uniqueness. It returns the good rows and a reject for every bad one; nothing is dropped
without a reject.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ipobs.records.batch import Reject
from ipobs.records.schema import ENUMS, TABLES, Field, Table

# (earlier, later): the later date may not precede the earlier one.
DATE_ORDER: dict[str, list[tuple[str, str]]] = {
    "patent": [("filing_date", "grant_date"), ("filing_date", "publication_date")],
    "trademark": [("application_date", "registration_date"), ("registration_date", "expiry_date")],
    "copyright": [("completion_date", "registration_date")],
    "entity_flag": [("valid_from", "valid_to")],
    "ip_case": [("received_date", "accepted_date"), ("received_date", "closed_date")],
    "credit_entry": [("start_date", "end_date")],
    "pledge": [("registration_date", "release_date")],
    "insurance": [("start_date", "end_date")],
    "program_item": [("start_date", "end_date")],
}

_TRUE = {"1", "true", "t", "yes", "y", "是", "有", "√", "✓", "x"}
_FALSE = {"0", "false", "f", "no", "n", "否", "无", ""}


def _enum_lookup(enum: str) -> dict[str, str]:
    look: dict[str, str] = {}
    for code, (zh, en) in ENUMS[enum].items():
        look[code] = code
        look[code.lower()] = code
        look[zh] = code
        look[en.lower()] = code
    return look


_ENUM_LOOKUPS = {name: _enum_lookup(name) for name in ENUMS}


def _is_blank(s: pd.Series) -> pd.Series:
    blank = s.isna()
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        blank |= s.astype("string").str.strip().fillna("").eq("")
    return blank


def _stripped_text(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(text stripped, blanks as NA; mask of the blanks) of a column, in one Arrow pass each.

    A blank is a missing cell or one of only whitespace (as :func:`_is_blank` says); the
    stripped text decides both, so the column is stripped once.
    """
    text = s.astype("string")
    trimmed = pc.utf8_trim_whitespace(text.array.__arrow_array__())
    blank = pc.fill_null(pc.equal(trimmed, ""), True)
    if pc.any(blank).as_py():
        trimmed = pc.if_else(blank, pa.scalar(None, trimmed.type), trimmed)
    out = pd.Series(type(text.array)(trimmed), index=s.index, dtype=text.dtype)
    return out, pd.Series(blank.to_numpy(zero_copy_only=False), index=s.index)


def coerce(f: Field, s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return (typed series, mask of cells that had a value but could not be read)."""
    if f.type == "str" or f.type == "json":
        out, blank = _stripped_text(s)
        if f.enum:
            look = _ENUM_LOOKUPS[f.enum]
            # look each distinct value up once (a column of millions holds a handful of codes)
            codes = {v: look.get(v, look.get(v.lower())) for v in out.dropna().unique()}
            text = pa.array(out, type=pa.large_string())
            where = pc.index_in(text, value_set=pa.array(list(codes), type=pa.large_string()))
            mapped_arr = pc.take(pa.array(list(codes.values()), type=pa.large_string()), where)
            mapped = pd.Series(mapped_arr, index=out.index, dtype="string")
            bad = ~blank & mapped.isna()
            return mapped, bad
        return out, pd.Series(False, index=s.index)
    blank = _is_blank(s)
    if f.type in ("date", "timestamp"):
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            out = s
        else:
            txt = s.astype("string").str.strip()
            txt = txt.str.replace(r"^(\d{4})[./年](\d{1,2})[./月](\d{1,2})日?$", r"\1-\2-\3", regex=True)
            txt = txt.str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", regex=True)
            out = pd.to_datetime(txt, errors="coerce", format="mixed")
        bad = ~blank & out.isna()
        if f.type == "date":
            out = out.dt.normalize()
        return out, bad
    if f.type in ("int", "float"):
        if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
            num = s.astype("float64")
        else:
            txt = s.astype("string").str.replace(",", "", regex=False).str.strip()
            num = pd.to_numeric(txt, errors="coerce")
        bad = ~blank & num.isna()
        if f.type == "int":
            frac = num.notna() & (num != np.floor(num.fillna(0)))
            bad |= frac
            return num.mask(frac).astype("Int64"), bad
        return num.astype("Float64"), bad
    if f.type == "bool":
        if pd.api.types.is_bool_dtype(s.dtype):
            return s.astype("boolean"), pd.Series(False, index=s.index)
        low = s.astype("string").str.strip().str.lower()
        out = pd.Series(pd.NA, index=s.index, dtype="boolean")
        out[low.isin(_TRUE).fillna(False)] = True
        out[low.isin(_FALSE).fillna(False) & ~blank] = False
        bad = ~blank & out.isna()
        return out, bad
    raise ValueError(f"unsupported type {f.type}")


def _row_numbers(df: pd.DataFrame) -> pd.Series:
    if "_row" in df.columns:
        return df["_row"]
    return pd.Series(np.arange(len(df)) + 2, index=df.index)  # header is row 1


def _reject_rows(df, mask, rows, code, column, values, note_fn, table) -> list[Reject]:
    out = []
    sheet = df["_sheet"] if "_sheet" in df.columns else None
    for i in np.flatnonzero(mask.to_numpy()):
        idx = df.index[i]
        value = None if values is None else values.iloc[i]
        out.append(
            Reject(
                code=code,
                note=note_fn(value),
                row=None if pd.isna(rows.iloc[i]) else int(rows.iloc[i]),
                column=column,
                value=None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value),
                sheet=None if sheet is None else sheet.loc[idx],
                table=table,
            )
        )
    return out


def validate(table_name: str, df: pd.DataFrame, *, label_of=None) -> tuple[pd.DataFrame, list[Reject]]:
    """Validate and type ``df`` against a table. ``label_of(field)`` names columns in messages."""
    t: Table = TABLES[table_name]
    label_of = label_of or (lambda f: f.name)
    rows = _row_numbers(df)
    bad_any = pd.Series(False, index=df.index)
    rejects: list[Reject] = []
    out = pd.DataFrame(index=df.index)
    for f in t.fields:
        if f.name not in df.columns:
            if f.required:
                rejects += _reject_rows(df, ~bad_any, rows, "missing-cell", label_of(f), None,
                                        lambda v, f=f: f"required field {label_of(f)} is missing", table_name)
                bad_any[:] = True
            out[f.name] = pd.Series(pd.NA, index=df.index, dtype=_pd_dtype(f))
            continue
        typed, bad = coerce(f, df[f.name])
        bad = bad & ~bad_any
        if bad.any():
            what = f"not one of the codes of {f.enum}" if f.enum else f"not a {f.type}"
            rejects += _reject_rows(df, bad, rows, "enum-error" if f.enum else "type-error", label_of(f),
                                    df[f.name], lambda v, what=what: f"{v!r} is {what}", table_name)
            bad_any |= bad
        if f.required:
            missing = typed.isna() & ~bad_any
            if missing.any():
                rejects += _reject_rows(df, missing, rows, "missing-cell", label_of(f), None,
                                        lambda v, f=f: f"required field {label_of(f)} is empty", table_name)
                bad_any |= missing
        out[f.name] = typed
    for early, late in DATE_ORDER.get(table_name, []):
        wrong = (out[late] < out[early]).fillna(False).astype(bool) & ~bad_any
        if wrong.any():
            ef, lf = t.field(early), t.field(late)
            rejects += _reject_rows(
                df, wrong, rows, "date-order", label_of(lf), out[late].dt.strftime("%Y-%m-%d"),
                lambda v, ef=ef, lf=lf: f"{label_of(lf)} {v} is before {label_of(ef)}", table_name)
            bad_any |= wrong
    keyed = out[list(t.key)]
    if not _all_distinct(keyed):
        dup = keyed.duplicated(keep="first") & ~bad_any & keyed.notna().all(axis=1)
    else:
        dup = pd.Series(False, index=out.index)
    if dup.any():
        keys = keyed.astype("string").fillna("").agg(" / ".join, axis=1)
        rejects += _reject_rows(
            df, dup, rows, "duplicate-key", " / ".join(label_of(t.field(k)) for k in t.key), keys,
            lambda v: f"key {v} appears earlier in this file", table_name)
        bad_any |= dup
    for extra in ("_row", "_sheet"):
        if extra in df.columns:
            out[extra] = df[extra]
    if not bad_any.any():
        return out.reset_index(drop=True), rejects
    return out[~bad_any].reset_index(drop=True), rejects


def _all_distinct(keyed: pd.DataFrame) -> bool:
    """Whether no two rows surely have the same key: for a one-column key an Arrow hash count
    (missing values compared as equal), cheaper than pandas' ``duplicated`` for clean keys;
    keys of several columns answer False and go the pandas way (Arrow's group-by was slower)."""
    if keyed.shape[1] != 1:
        return False
    column = pa.array(keyed.iloc[:, 0])
    if len(column) < 2 or pa.types.is_null(column.type):  # no kernel for a column of only nulls
        return len(column) < 2
    return pc.count_distinct(column, mode="all").as_py() == len(column)


def _pd_dtype(f: Field) -> str:
    return {"str": "string", "json": "string", "int": "Int64", "float": "Float64", "bool": "boolean",
            "date": "datetime64[ns]", "timestamp": "datetime64[ns]"}[f.type]
