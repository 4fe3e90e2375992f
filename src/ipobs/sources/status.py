"""Vendor legal-status text → schema ``patent_status`` / ``patent_event`` codes (``legal_status.csv``).

Cells such as ``有权-审定授权``, ``无权-未缴年费``, ``授权 | 权利转移`` or Patsnap's codes are split
into parts; the most specific status among the parts wins (a generic 失效 yields to
未缴年费), events of every part are kept.

Examples
--------
>>> read_status("有权-审定授权")
('granted', ('granted',))
>>> read_status("无权-未缴年费")
('lapsed', ('lapsed',))
>>> read_status("授权 | 权利转移 | 质押")
('granted', ('granted', 'transferred', 'pledged'))
>>> read_status("999")
(None, ())
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from functools import lru_cache
from importlib import resources

INACTIVE = "inactive"  # generic 失效: lapsed when the patent was granted, else withdrawn
_PARTS = re.compile(r"\s*(?:\||-|—|;|；|,|，|/|、)\s*")


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, tuple], list[tuple[str, tuple]]]:
    text = resources.files("ipobs.sources").joinpath("legal_status.csv").read_text(encoding="utf-8")
    exact: dict[str, tuple] = {}
    contains: list[tuple[str, tuple]] = []
    for r in csv.DictReader(io.StringIO(text)):
        value = (r["status"] or None, r["event"] or None)
        if r["match"] == "contains":
            contains.append((r["text"], value))
        else:
            exact[r["text"]] = value
    contains.sort(key=lambda x: len(x[0]), reverse=True)
    return exact, contains


def _one(part: str) -> tuple | None:
    exact, contains = _table()
    if part in exact:
        return exact[part]
    for text, value in contains:
        if text in part:
            return value
    return None


@lru_cache(maxsize=1 << 14)
def read_status(cell: str | None) -> tuple[str | None, tuple[str, ...]]:
    """(status or None, events) for a vendor legal-status cell; (None, ()) when unknown."""
    if cell is None:
        return None, ()
    t = unicodedata.normalize("NFKC", str(cell)).strip()
    if not t:
        return None, ()
    whole = _one(t)
    parts = [whole] if whole else [_one(p) for p in _PARTS.split(t) if p]
    statuses = [p[0] for p in parts if p and p[0]]
    events = tuple(dict.fromkeys(p[1] for p in parts if p and p[1]))
    specific = [s for s in statuses if s != INACTIVE]
    status = specific[-1] if specific else (statuses[-1] if statuses else None)
    return status, events


def known(cell: str | None) -> bool:
    """True when the cell is blank or the table knows it (unknown texts are reported)."""
    if cell is None or not str(cell).strip():
        return True
    s, e = read_status(cell)
    if s or e:
        return True
    t = unicodedata.normalize("NFKC", str(cell)).strip()
    return t in _table()[0]
