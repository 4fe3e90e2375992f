"""The region reference table (``regions.csv``): province → city → district → zone → street.

Codes are NBS statistical division codes where they exist (``../shared/data/cn-admin-divisions``,
2023 edition); Binhai's functional zones get codes ``120116Z1``…``Z8`` that group its streets.
A record's region is its finest known code; a query for a region covers all its descendants.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

HOME = "120116"  # the programme's region: Binhai New Area


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    name_en: str
    level: str
    parent: str | None
    zone: str | None
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def regions() -> dict[str, Region]:
    text = resources.files("ipobs.entities").joinpath("regions.csv").read_text(encoding="utf-8")
    out = {}
    for r in csv.DictReader(text.splitlines()):
        out[r["region_code"]] = Region(
            r["region_code"], r["name"], r["name_en"], r["level"], r["parent_code"] or None, r["zone"] or None,
            tuple(a for a in r["aliases"].split("|") if a),
        )
    return out


def region(code: str) -> Region:
    try:
        return regions()[code]
    except KeyError:
        raise KeyError(f"unknown region {code!r}") from None


def children(code: str) -> list[str]:
    return [r.code for r in regions().values() if r.parent == code]


@lru_cache(maxsize=None)
def descendants(code: str) -> tuple[str, ...]:
    """The code itself and every code below it."""
    region(code)
    out, todo = [code], [code]
    while todo:
        kids = children(todo.pop())
        out += kids
        todo += kids
    return tuple(out)


def sub_regions(code: str = HOME) -> list[str]:
    """The next level down (Binhai → its eight zones)."""
    return children(code)


def streets(code: str = HOME) -> list[str]:
    return [c for c in descendants(code) if regions()[c].level == "street"]


def frame() -> pd.DataFrame:
    """The table as rows of the ``region`` record kind."""
    return pd.DataFrame(
        [{"region_code": r.code, "name": r.name, "name_en": r.name_en, "level": r.level,
          "parent_code": r.parent, "zone": r.zone} for r in regions().values()]
    )
