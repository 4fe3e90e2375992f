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

import pandas as pd

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


def application_frame(values: pd.Series) -> pd.DataFrame:
    """Parse a column of application numbers, once per distinct value.

    Columns ``patent_id``, ``application_no``, ``kind``, ``error`` (why a value is not a
    valid number, else missing), aligned with ``values``.
    """
    return map_distinct(values, _app_tuple, ("patent_id", "application_no", "kind", "error"))


def publication_frame(values: pd.Series) -> pd.DataFrame:
    """Parse a column of publication numbers: ``publication_no``, ``kind_code``, ``kind``, ``error``."""
    return map_distinct(values, _pub_tuple, ("publication_no", "kind_code", "kind", "error"))
