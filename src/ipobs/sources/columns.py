"""Vendor headers → canonical input fields, through the one synonym table ``columns.yaml``.

Examples
--------
>>> normalize_header(" [标]当前申请（专利权）人： ")
'当前申请(专利权)人'
>>> m = map_columns(["序号", "申请号", "公开（公告）号", "发明名称", "合享价值度", "备注X"], "patents")
>>> m.fields["application_no"], m.fields["publication_no"], m.fields["title"]
(['申请号'], ['公开（公告）号'], ['发明名称'])
>>> m.ignored, m.unknown
(['序号', '合享价值度'], ['备注X'])
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

_TAG = re.compile(r"^[\[【]标[\]】]")
_SPACE = re.compile(r"\s+")


def normalize_header(text) -> str:
    """Width, brackets, spaces, a trailing colon and Patsnap's ``[标]`` tag removed; lower case."""
    t = unicodedata.normalize("NFKC", "" if text is None else str(text))
    t = _SPACE.sub("", t).strip("：:*").replace("〔", "(").replace("〕", ")")
    t = _TAG.sub("", t)
    return t.lower()


@lru_cache(maxsize=1)
def table() -> dict:
    text = resources.files("ipobs.sources").joinpath("columns.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=None)
def synonyms(kind: str) -> dict[str, tuple[str, int]]:
    """normalized header → (field, rank of the synonym) for one record kind."""
    out: dict[str, tuple[str, int]] = {}
    for fld, heads in table()[kind].items():
        for rank, h in enumerate(heads):
            out.setdefault(normalize_header(h), (fld, rank))
    return out


@lru_cache(maxsize=1)
def ignored_headers() -> frozenset[str]:
    return frozenset(normalize_header(h) for h in table()["ignore"])


def kinds() -> list[str]:
    return [k for k in table() if k != "ignore"]


@dataclass
class ColumnMap:
    """How the columns of one file map to fields (``fields``: field → columns, best first)."""

    kind: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    positions: dict[str, list[int]] = field(default_factory=dict)  # field → column positions, best first
    ignored: list[str] = field(default_factory=list)  # known vendor columns not imported
    unknown: list[str] = field(default_factory=list)  # not in the synonym table at all

    def label(self, fld: str) -> str | None:
        """The header a field was read from (for messages), when it came from one column."""
        cols = self.fields.get(fld)
        return cols[0] if cols else None

    def mapped(self) -> dict[str, str]:
        """column → field, in file order of the fields."""
        return {c: f for f, cols in self.fields.items() for c in cols}


def map_columns(headers: list, kind: str) -> ColumnMap:
    syn = synonyms(kind)
    ign = ignored_headers()
    ranked: dict[str, list[tuple[int, int, str]]] = {}
    out = ColumnMap(kind)
    for pos, h in enumerate(headers):
        label = "" if h is None else str(h)
        key = normalize_header(label)
        if not key:
            continue
        if key in syn:
            fld, rank = syn[key]
            ranked.setdefault(fld, []).append((rank, pos, label))
        elif key in ign:
            out.ignored.append(label)
        else:
            out.unknown.append(label)
    for fld, items in ranked.items():
        out.fields[fld] = [label for _, _, label in sorted(items)]
        out.positions[fld] = [pos for _, pos, _ in sorted(items)]
    return out


def header_hits(cells: list, kind: str | None = None) -> int:
    """How many cells of a row are known headers (of ``kind``, or of any kind)."""
    ks = [kind] if kind else kinds()
    known = set(ignored_headers())
    for k in ks:
        known |= set(synonyms(k))
    return sum(1 for c in cells if c is not None and normalize_header(c) in known)


def kind_hits(cells: list) -> dict[str, int]:
    """Per record kind, how many cells are headers of that kind's fields."""
    norm = [normalize_header(c) for c in cells if c is not None]
    return {k: sum(1 for n in norm if n in synonyms(k)) for k in kinds()}
