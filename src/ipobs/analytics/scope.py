"""What every analysis works on: the resolved set on its own DuckDB cursor, the date, the region.

The set is registered on a cursor as the view ``pset(patent_id)`` so every section is a plain
join against it; the cursor is private to one analysis (safe under a threaded web server).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from ipobs.analytics.patent_set import PatentSet, ResolvedSet, resolve
from ipobs.entities.regions import HOME, descendants

PUBLICATION_LAG_MONTHS = 18  # applications are published 18 months after filing (priority)


def as_date(d) -> dt.date:
    if d is None:
        return dt.date.today()
    if isinstance(d, dt.datetime):
        return d.date()
    if isinstance(d, dt.date):
        return d
    try:
        return dt.date.fromisoformat(str(d))
    except ValueError:
        raise ValueError(f"not a date: {d!r} (use YYYY-MM-DD)") from None


def msg(zh: str, en: str) -> dict:
    """A sentence in both languages (notes, and what a section cannot show)."""
    return {"zh": zh, "en": en}


@dataclass
class Section:
    """One analysis result: scalar facts, tables (lists of row dicts), and what it cannot show."""

    id: str
    zh: str
    en: str
    facts: dict = field(default_factory=dict)
    tables: dict[str, list[dict]] = field(default_factory=dict)
    missing: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.id, "zh": self.zh, "en": self.en, "facts": self.facts, "tables": self.tables,
                "missing": self.missing, "notes": self.notes}


def records(df: pd.DataFrame) -> list[dict]:
    """DataFrame → JSON-ready row dicts (NaN → None, numpy scalars → Python)."""
    if df is None or not len(df):
        return []
    out = df.astype(object).where(df.notna(), None).to_dict(orient="records")
    for row in out:
        for k, v in row.items():
            if hasattr(v, "item"):
                row[k] = v.item()
            elif isinstance(v, (pd.Timestamp, dt.date)):
                row[k] = v.isoformat()[:10]
    return out


def status_sql(store, as_of: dt.date) -> str:
    """SQL of ``ipobs.store.history.patent_status_as_of`` (the one definition of legal status at a date)."""
    from ipobs.store.history import patent_status_as_of

    expr = patent_status_as_of(store.table("patent_event"), as_of)
    return str(store.ibis().compile(expr))


class Scope:
    """A resolved set ready for analysis. Use as a context manager (closes its cursor)."""

    def __init__(self, store, pset: PatentSet | ResolvedSet | str, as_of=None, region: str | None = HOME,
                 lang: str = "zh"):
        self.store = store
        self.rset = pset if isinstance(pset, ResolvedSet) else resolve(store, pset)
        self.as_of = as_date(as_of)
        self.region = region
        self.region_codes = tuple(descendants(region)) if region else ()
        self.lang = lang
        self.con = store.con.cursor()
        self.con.register("pset", self.rset.frame())
        self._status_sql: str | None = None

    @property
    def size(self) -> int:
        return len(self.rset)

    @property
    def last_complete_year(self) -> int:
        """Latest filing year whose applications should all be published by ``as_of``."""
        months = self.as_of.year * 12 + self.as_of.month - 1 - PUBLICATION_LAG_MONTHS
        y, m = divmod(months, 12)
        return y if m == 11 else y - 1

    def q(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def status(self) -> str:
        """A relation (patent_id, status, status_date): the set's legal status at ``as_of``, computed once
        per scope and registered as ``pstatus``."""
        if self._status_sql is None:
            df = self.con.execute(f"SELECT st.patent_id, st.status, st.status_date FROM ({status_sql(self.store, self.as_of)}) st "
                                  "JOIN pset USING (patent_id)").df()
            self.con.register("pstatus", df)
            self._status_sql = "pstatus"
        return self._status_sql

    def region_in(self, column: str = "p.region_code") -> str:
        """SQL condition: the column is in the analysed region (False when no region)."""
        if not self.region_codes:
            return "FALSE"
        return f"{column} IN ({', '.join(repr(c) for c in self.region_codes)})"

    def close(self) -> None:
        try:
            self.con.unregister("pset")
            if self._status_sql is not None:
                self.con.unregister("pstatus")
        finally:
            self.con.close()

    def __enter__(self) -> Scope:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
