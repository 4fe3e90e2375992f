"""IPC (and Locarno) codes in any common spelling → one normalized form.

The normalized IPC form is ``G06F17/30``: subclass, main group without leading zeros,
``/``, subgroup of at least two digits. Recognised spellings: ``G06F 17/30``,
``g06f17/30``, ``G06F0017300000`` (the 14-character EPO/DOCDB layout),
``G06F 17/30(2006.01)``, ``H04L 29/06 20060101`` and any mix in one cell with any
separator (``;`` ``；`` ``,`` ``，`` ``|`` newlines, spaces). A bare subclass (``G06F``)
is kept as a subclass-level code. Locarno design classes become ``LOC14-03`` (``LOC11``
when only the class is given).

Examples
--------
>>> ipc_codes("G06F 17/30(2006.01);H04L29/06 | g06f0016300000")
('G06F17/30', 'H04L29/06', 'G06F16/30')
>>> normalize_ipc("B64U 101/30")
'B64U101/30'
>>> locarno_codes("LOC(12) Cl. 14-03；11-")
('LOC14-03', 'LOC11')
>>> subclass("LOC14-03"), subclass("G06F17/30")
('LOC14', 'G06F')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd

_IPC = re.compile(
    r"(?<![A-Z0-9])([A-H])\s*(\d{2})\s*([A-Z])"  # section, class, subclass
    r"(?:\s*(?:(\d{4})(\d{6})|(\d{1,4})\s*/\s*(\d{1,6})))?"  # 14-char layout or group/subgroup
    r"(?![A-Z0-9/])"
)
_LOC = re.compile(r"(?<!\d)(\d{1,2})\s*[-－–]\s*(\d{2})?(?!\d)")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).upper()


def _subgroup(digits: str) -> str:
    s = digits.rstrip("0") if len(digits) == 6 else digits
    return s.ljust(2, "0")


@lru_cache(maxsize=1 << 17)
def _code(m: re.Match) -> str:
    """The normalized code of one match of ``_IPC``."""
    sec, cls, sub, g14, s14, group, sg = m.groups()
    code = f"{sec}{cls}{sub}"
    if g14:
        code += f"{int(g14)}/{_subgroup(s14)}"
    elif group:
        code += f"{int(group)}/{sg.ljust(2, '0')}"
    return code


def ipc_codes(cell: str) -> tuple[str, ...]:
    """Every IPC code in a cell, normalized, in order, without repeats."""
    out: list[str] = []
    if not cell:
        return ()
    for m in _IPC.finditer(_norm(cell)):
        code = _code(m)
        if code not in out:
            out.append(code)
    return tuple(out)


_PIECES = re.compile(r"[;,|]")


@lru_cache(maxsize=1 << 16)
def _piece_codes(piece: str) -> tuple[str, ...]:
    return tuple(_code(m) for m in _IPC.finditer(piece))


def ipc_codes_fast(cell: str) -> tuple[str, ...]:
    """:func:`ipc_codes` computed per list item: a code never spans ``;`` ``,`` or ``|`` (after
    NFKC), so a cell is split there and each item's codes are looked up in a cache (cells of a
    large file are mostly distinct combinations of the same few thousand codes)."""
    if not cell:
        return ()
    out: list[str] = []
    for piece in _PIECES.split(_norm(cell)):
        for code in _piece_codes(piece):
            if code not in out:
                out.append(code)
    return tuple(out)


def normalize_ipc(text: str) -> str | None:
    """The first IPC code of a cell, normalized (None when there is none)."""
    codes = ipc_codes(text)
    return codes[0] if codes else None


@lru_cache(maxsize=1 << 14)
def locarno_codes(cell: str) -> tuple[str, ...]:
    """Locarno classes in a cell as ``LOCcc-ss`` (``LOCcc`` for a class alone)."""
    out: list[str] = []
    text = _norm(cell or "")
    text = re.sub(r"LOC\s*\(\s*\d+\s*\)\s*CL\.?", " ", text)  # "LOC(12) Cl." edition prefix
    text = text.replace("LOC", " ")
    for m in _LOC.finditer(text):
        cls, sub = m.groups()
        code = f"LOC{int(cls):02d}" + (f"-{sub}" if sub else "")
        if code not in out:
            out.append(code)
    return tuple(out)


def subclass(code: str) -> str:
    """``G06F17/30`` → ``G06F``; ``LOC14-03`` → ``LOC14``."""
    return code[:5] if code.startswith("LOC") else code[:4]


def _no_none(arr: np.ndarray) -> np.ndarray:
    for i in np.flatnonzero(pd.isna(arr)):
        arr[i] = ()
    return arr


def code_lists(values: pd.Series, *, design: pd.Series | None = None) -> pd.Series:
    """Codes per cell (a tuple per row), parsed once per distinct cell.

    Where ``design`` is true the cell is read as Locarno classes when it holds no IPC code.
    """
    from ipobs.entities.distinct import apply_distinct

    s = values.astype("string")
    out = _no_none(apply_distinct(s, ipc_codes_fast))
    if design is not None and design.any():
        use = design.fillna(False).astype(bool).to_numpy() & np.array([not t for t in out], dtype=bool)
        if use.any():
            loc = _no_none(apply_distinct(s[use], locarno_codes))
            for i, t in zip(np.flatnonzero(use), loc):
                out[i] = t
    return pd.Series(out, index=values.index, dtype=object)
