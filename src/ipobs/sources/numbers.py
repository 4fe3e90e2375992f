"""Patent numbers: application and publication numbers in every spelling exports use.

A Chinese application number is ``YYYY T NNNNNNN . C`` since October 2003 (year, kind
digit, serial, check digit) and ``YY T NNNNN . C`` before (8 digits). The kind digit is
1 invention, 2 utility model, 3 design, 8 invention via PCT, 9 utility model via PCT.
The check digit is the weighted sum of the digits (weights 2, 3, …, 9, 2, 3, … from the
left) modulo 11, ``X`` for 10.

``patent_id`` (the store's key) is the office code plus the number without its check
digit; pre-2003 numbers are widened to the 12-digit layout (``98123456.7`` →
``CN199810023456``) so every Chinese id has the same shape and sorts by year.

Examples
--------
>>> parse_application_no("ZL 2019 1 0012345.1").patent_id
'CN201910012345'
>>> parse_application_no("CN202121635235.X").application_no
'202121635235.X'
>>> check_digit("202223220665")
'2'
>>> parse_publication_no("CN 106384768 B")
('CN106384768B', 'B')
>>> kind_of_publication("CN2810109")
'utility'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

KIND_DIGIT = {"1": "invention", "2": "utility", "3": "design", "8": "invention", "9": "utility"}

# Publication kind codes of CNIPA (ZC 0006-2003 and the earlier A/B/C, U/Y, S/D series).
KIND_CODE = {"A": "invention", "B": "invention", "C": "invention", "U": "utility", "Y": "utility",
             "S": "design", "D": "design"}

# First digit of an old (pre-2007, 7- or 8-digit) publication number.
OLD_PUBLICATION_DIGIT = {"1": "invention", "2": "utility", "3": "design"}

_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_CLEAN = re.compile(r"[\s\-_/,:：．]")
_CN_APP = re.compile(r"^(?:CN|ZL)?(\d{12}|\d{8})(?:\.?([\dX]))?$")
_OTHER_APP = re.compile(r"^([A-Z]{2})(\d[\dA-Z.]*)$")
_PUB = re.compile(r"^([A-Z]{2})?(\d{5,12})([A-Z]\d?)?$")


class NumberError(ValueError):
    """A number that cannot be a valid application or publication number."""


@dataclass(frozen=True)
class ApplicationNo:
    patent_id: str  # office + number without check digit, 12-digit layout for CN
    application_no: str  # as published (CN without prefix), with its check digit when given
    country: str
    kind: str | None  # patent kind from the kind digit, when the office encodes it
    check_verified: bool  # True when a check digit was given and matches


def check_digit(digits: str) -> str:
    """The CNIPA check digit of an 8- or 12-digit application number."""
    if not digits.isdigit() or len(digits) not in (8, 12):
        raise NumberError(f"{digits!r} is not an 8- or 12-digit application number")
    total = sum(int(d) * w for d, w in zip(digits, _WEIGHTS))
    r = total % 11
    return "X" if r == 10 else str(r)


def _clean(text: str) -> str:
    t = unicodedata.normalize("NFKC", str(text)).upper().strip()
    t = t.replace("。", ".")
    return _CLEAN.sub("", t)


def _widen(digits8: str) -> str:
    """``98123456`` → ``199810023456``: year in full, kind digit, serial padded to 7."""
    yy, kind, serial = digits8[:2], digits8[2], digits8[3:]
    year = ("19" if int(yy) >= 80 else "20") + yy
    return f"{year}{kind}{int(serial):07d}"


@lru_cache(maxsize=1 << 18)
def parse_application_no(text: str) -> ApplicationNo:
    """Parse an application number; raise :class:`NumberError` when it cannot be one.

    A Chinese number written without ``.`` but with its check digit (13 or 9 digits)
    is recognised because the last digit then verifies.
    """
    raw = str(text)
    t = _clean(raw)
    if t.startswith("ZL"):
        t = "CN" + t[2:]
    if t.startswith("CN") or t[:1].isdigit():
        body = t[2:] if t.startswith("CN") else t
        m = _CN_APP.match(body)
        if m is None:
            raise NumberError(f"{raw!r} is not a Chinese application number (expected e.g. 201910012345.6)")
        digits, given = m.group(1), m.group(2)
        if given is not None:
            expected = check_digit(digits)
            if given != expected:
                raise NumberError(f"{raw!r}: check digit {given} does not match the number (expected {expected})")
        wide = digits if len(digits) == 12 else _widen(digits)
        published = digits + (f".{given}" if given is not None else "")
        kind = KIND_DIGIT.get(wide[4])
        return ApplicationNo(f"CN{wide}", published, "CN", kind, given is not None)
    m = _OTHER_APP.match(t)
    if m is None:
        raise NumberError(f"{raw!r} is not an application number")
    country, rest = m.groups()
    digits = re.sub(r"[^\dA-Z]", "", rest)
    return ApplicationNo(f"{country}{digits}", f"{country}{rest}", country, None, False)


def parse_publication_no(text: str) -> tuple[str, str | None]:
    """``(normalized publication number, kind code or None)``; CN assumed without prefix."""
    t = _clean(text)
    m = _PUB.match(t)
    if m is None:
        raise NumberError(f"{text!r} is not a publication number (expected e.g. CN106384768B)")
    country, digits, kind = m.groups()
    country = country or "CN"
    return f"{country}{digits}{kind or ''}", (kind[0] if kind else None)


def kind_of_publication(pub: str) -> str | None:
    """The patent kind a Chinese publication number implies (kind letter, else first digit)."""
    try:
        number, code = parse_publication_no(pub)
    except NumberError:
        return None
    if not number.startswith("CN"):
        return None
    if code:
        return KIND_CODE.get(code)
    digits = number[2:]
    if len(digits) in (7, 8):  # old series: CN1xxxxxx invention, 2… utility, 3… design
        return OLD_PUBLICATION_DIGIT.get(digits[0])
    if len(digits) == 9:
        return OLD_PUBLICATION_DIGIT.get(digits[0])
    return None


def provisional_patent_id(publication_no: str) -> str:
    """The id of a record known only by its publication number: ``CNP`` + the serial.

    CNKI lists give no application number; the A and B publications of one Chinese
    invention share the serial, so both land on the same provisional record.
    """
    number, code = parse_publication_no(publication_no)
    serial = number[2:-len(code)] if code else number[2:]
    return f"{number[:2]}P{serial}"


# ---------------------------------------------------------------- vectorized forms
def map_distinct(values: pd.Series, parse, columns: tuple[str, ...]) -> pd.DataFrame:
    """Apply ``parse`` (value → tuple of ``columns``) once per distinct non-blank value."""
    from ipobs.entities.distinct import apply_distinct

    res = apply_distinct(values.astype("string").str.strip(), parse)
    empty = (None,) * len(columns)
    cols = list(zip(*[t if t is not None else empty for t in res])) if len(res) else [()] * len(columns)
    return pd.DataFrame({name: pd.array(list(c), dtype="string") for name, c in zip(columns, cols)},
                        index=values.index)


def _app_tuple(v: str) -> tuple:
    try:
        a = parse_application_no(v)
        return (a.patent_id, a.application_no, a.kind, None)
    except NumberError as e:
        return (None, None, None, str(e))


def _pub_tuple(v: str) -> tuple:
    try:
        number, code = parse_publication_no(v)
        return (number, code, kind_of_publication(number), None)
    except NumberError as e:
        return (None, None, None, str(e))


def _clean_column(values: pd.Series) -> pa.ChunkedArray | pa.Array:
    """NFKC, upper case, separators removed, ZL → CN: the vectorized twin of :func:`_clean`."""
    arr = pa.array(values.astype("string").to_numpy(dtype=object, na_value=None), type=pa.string())
    arr = pc.utf8_upper(pc.utf8_normalize(arr, "NFKC"))
    arr = pc.replace_substring(arr, "。", ".")
    arr = pc.replace_substring_regex(arr, r"[\s\-_/,:：．]", "")
    return pc.replace_substring_regex(arr, r"^ZL", "CN")


def _check_digits(digits: np.ndarray) -> np.ndarray:
    """Check digits of equal-length digit strings (an array of bytes), vectorized."""
    n = len(digits)
    if not n:
        return np.array([], dtype=object)
    width = len(digits[0])
    m = np.frombuffer(digits.astype(f"S{width}").tobytes(), dtype=np.uint8).reshape(n, width) - 48
    r = (m.astype(np.int64) @ np.array(_WEIGHTS[:width], dtype=np.int64)) % 11
    return np.where(r == 10, "X", r.astype(str)).astype(object)


def _strings(v: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """An object array of text and None as a pandas string array (built by Arrow in one pass)."""
    try:
        return pd.arrays.ArrowStringArray(pa.array(v, type=pa.string(), from_pandas=True))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.array(v, dtype="string")


def application_frame(values: pd.Series) -> pd.DataFrame:
    """Parse a column of application numbers.

    Columns ``patent_id``, ``application_no``, ``kind``, ``error`` (why a value is not a
    valid number, else missing), aligned with ``values``. Chinese numbers are parsed and
    their check digits verified with array operations; anything else (foreign numbers,
    malformed values) goes through :func:`parse_application_no` once per distinct value.
    """
    n = len(values)
    out = {c: np.full(n, None, dtype=object) for c in ("patent_id", "application_no", "kind", "error")}
    if n:
        clean = _clean_column(values)
        parts = pc.extract_regex(clean, r"^(?:CN)?(?P<d>\d{12})(?:\.?(?P<c>[\dX]))?$")
        valid = np.asarray(parts.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        idx = np.flatnonzero(valid)
        if len(idx):
            d = np.asarray(pc.struct_field(parts, "d").to_numpy(zero_copy_only=False), dtype=object)[idx]
            c = np.asarray(pc.struct_field(parts, "c").to_numpy(zero_copy_only=False), dtype=object)[idx]
            expected = _check_digits(d.astype("S12"))
            given = np.array([x if x else None for x in c], dtype=object)
            has = np.array([x is not None for x in given], dtype=bool)
            ok = ~has | (given == expected)
            good = idx[ok]
            dg, gv, hs = d[ok], given[ok], has[ok]
            out["patent_id"][good] = np.char.add("CN", dg.astype(str)).astype(object)
            out["application_no"][good] = np.where(hs, np.char.add(np.char.add(dg.astype(str), "."),
                                                                   np.where(hs, gv, "").astype(str)), dg.astype(str))
            kinds = np.array([KIND_DIGIT.get(x[4]) for x in dg], dtype=object) if len(dg) else dg
            out["kind"][good] = kinds
            valid[idx[~ok]] = False  # mismatches get the scalar parser's message below
        blank = np.asarray(pc.fill_null(pc.equal(clean, ""), True).to_numpy(zero_copy_only=False), dtype=bool)
        rest = ~valid & ~blank
        if rest.any():
            sub = values[rest]
            slow = map_distinct(sub, _app_tuple, ("patent_id", "application_no", "kind", "error"))
            for col in out:
                out[col][np.flatnonzero(rest)] = slow[col].to_numpy(dtype=object, na_value=None)
    return pd.DataFrame({k: _strings(v) for k, v in out.items()}, index=values.index)


def publication_frame(values: pd.Series) -> pd.DataFrame:
    """Parse a column of publication numbers: ``publication_no``, ``kind_code``, ``kind``, ``error``.

    Vectorized; values that do not look like publication numbers go through
    :func:`parse_publication_no` (once per distinct value) for their message.
    """
    n = len(values)
    cols = ("publication_no", "kind_code", "kind", "error")
    out = {c: np.full(n, None, dtype=object) for c in cols}
    if n:
        clean = _clean_column(values)
        parts = pc.extract_regex(clean, r"^(?P<cc>[A-Z]{2})?(?P<d>\d{5,12})(?P<k>[A-Z]\d?)?$")
        valid = np.asarray(parts.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        idx = np.flatnonzero(valid)
        if len(idx):
            field = lambda f: np.asarray(pc.struct_field(parts, f).to_numpy(zero_copy_only=False), dtype=object)[idx]  # noqa: E731
            cc, d, k = field("cc"), field("d"), field("k")
            cc = np.where(cc == "", "CN", cc).astype(str)
            number = np.char.add(np.char.add(cc, d.astype(str)), k.astype(str))
            out["publication_no"][idx] = number.astype(object)
            code = np.array([x[:1] or None for x in k], dtype=object)
            out["kind_code"][idx] = code
            kind = np.array([KIND_CODE.get(c) if c else (OLD_PUBLICATION_DIGIT.get(dd[0]) if len(dd) in (7, 8, 9) else None)
                             for c, dd in zip(code, d)], dtype=object)
            out["kind"][idx] = np.where(cc == "CN", kind, None)
        blank = np.asarray(pc.fill_null(pc.equal(clean, ""), True).to_numpy(zero_copy_only=False), dtype=bool)
        rest = ~valid & ~blank
        if rest.any():
            slow = map_distinct(values[rest], _pub_tuple, cols)
            for col in out:
                out[col][np.flatnonzero(rest)] = slow[col].to_numpy(dtype=object, na_value=None)
    return pd.DataFrame({k: _strings(v) for k, v in out.items()}, index=values.index)


def publication_lists(values: pd.Series) -> pd.DataFrame:
    """Cells listing publication numbers (citations, family members) → one row per valid number.

    Columns ``src`` (index label of the cell) and ``number``; malformed entries are skipped.
    """
    arr = pa.array(values.astype("string").to_numpy(dtype=object, na_value=None), type=pa.string())
    lists = pc.split_pattern_regex(pc.fill_null(arr, ""), r"\s*(?:\||;|；|,|，|、|\n)\s*")
    flat = pc.list_flatten(lists)
    parent = pc.list_parent_indices(lists).to_numpy()
    if not len(flat):
        return pd.DataFrame({"src": pd.Series([], dtype=object), "number": pd.Series([], dtype="string")})
    parsed = publication_frame(pd.Series(flat.to_numpy(zero_copy_only=False), dtype="string"))
    ok = parsed["publication_no"].notna().to_numpy()
    return pd.DataFrame({"src": values.index.to_numpy()[parent[ok]],
                         "number": parsed["publication_no"].to_numpy()[ok]})
