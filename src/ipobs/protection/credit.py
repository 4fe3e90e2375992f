"""The dishonest-entity list: checks before a pledge, a subsidy or an award, and the public view.

Which entries bar which purpose, and what the public may see, are data (``credit_rules.yaml``).
A name is matched through the entity resolver, so 天津市某某有限公司 and 某某公司 find the same
entries; a USCC matches entries carrying that code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from ipobs.entities.names import entity_kind, normalize_name

RULES_FILE = Path(__file__).with_name("credit_rules.yaml")
USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
ENTRY_COLUMNS = ("entry_id", "name", "uscc", "entity_id", "reason", "decision_no", "decision_date", "start_date",
                 "end_date", "source_department", "joint_punishment", "public")


@lru_cache(maxsize=1)
def rules() -> dict:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def purposes() -> tuple[str, ...]:
    return tuple(rules()["purposes"])


@dataclass
class CreditCheck:
    query: str
    purpose: str
    as_of: dt.date
    entity_id: str | None
    listed: bool
    entries: pd.DataFrame = field(repr=False)
    other_entries: pd.DataFrame = field(repr=False)  # matching but not barring this purpose (or expired)

    def to_dict(self) -> dict:
        def rows(df: pd.DataFrame) -> list[dict]:
            return [{k: (None if pd.isna(v) else v.isoformat() if hasattr(v, "isoformat") else v)
                     for k, v in r.items()} for r in df.astype(object).to_dict(orient="records")]

        return {"query": self.query, "purpose": self.purpose, "as_of": self.as_of.isoformat(),
                "entity_id": self.entity_id, "listed": self.listed, "entries": rows(self.entries),
                "other_entries": rows(self.other_entries)}


def _resolver(store):
    from ipobs.entities.resolve import Resolver

    return Resolver.from_store(store)


def _entries_with_entities(store, resolver) -> pd.DataFrame:
    df = store.query(f"SELECT {', '.join(ENTRY_COLUMNS)} FROM credit_entry")
    if len(df):
        resolved = resolver.resolve_many(df["name"])["entity_id"]
        df["name_entity"] = resolved
        df["match_entity"] = df["entity_id"].astype("string").fillna(resolved)
    else:
        df["name_entity"] = df["match_entity"] = pd.Series(dtype="string")
    return df


def in_force(df: pd.DataFrame, as_of: dt.date, grace_days: int = 0) -> pd.Series:
    """Entries whose sanction runs at ``as_of`` (start ≤ date ≤ end + grace, no end = open)."""
    start = pd.to_datetime(df["start_date"])
    end = pd.to_datetime(df["end_date"]) + pd.Timedelta(days=grace_days)
    d = pd.Timestamp(as_of)
    return ((start <= d) & (end.isna() | (end >= d))).astype(bool)


def check(store, name: str, as_of: dt.date | None = None, purpose: str = "pledge") -> CreditCheck:
    """Is ``name`` (a name or a USCC) on the list at ``as_of`` in a way that bars ``purpose``?"""
    as_of = as_of or dt.date.today()
    rule = rules()["purposes"].get(purpose)
    if rule is None:
        raise ValueError(f"unknown purpose {purpose!r}; known: {', '.join(purposes())}")
    text = (name or "").strip()
    if not text:
        raise ValueError("give a name or a unified social credit code to check")
    resolver = _resolver(store)
    df = _entries_with_entities(store, resolver)
    eid = None
    if USCC.match(text.upper()):
        hit = df["uscc"].astype("string").str.upper() == text.upper()
        known = df.loc[hit, "match_entity"].dropna()
        eid = str(known.iloc[0]) if len(known) else None
    else:
        m = resolver.resolve(text)
        eid = m.entity_id if m else None
        hit = (df["match_entity"] == eid) | (df["name_entity"] == eid)
        known = df.loc[hit, "match_entity"].dropna()
        if eid is not None and len(known):  # the entry's recorded entity finds its other entries
            hit |= df["match_entity"].isin(known.tolist())
        if eid is not None:
            hit |= df["uscc"].notna() & df["uscc"].isin(
                df.loc[df["match_entity"] == eid, "uscc"].dropna().tolist())
    hit = hit.fillna(False).astype(bool)
    mine = df[hit]
    bars = in_force(mine, as_of) if len(mine) else pd.Series([], dtype=bool)
    if rule["reasons"] != "all" and len(mine):
        bars &= mine["reason"].isin(rule["reasons"])
    if rule.get("joint_only") and len(mine):
        bars &= mine["joint_punishment"].fillna(False).astype(bool)
    cols = [c for c in ENTRY_COLUMNS]
    return CreditCheck(text, purpose, as_of, eid, bool(bars.any()),
                       mine[bars][cols].reset_index(drop=True), mine[~bars][cols].reset_index(drop=True))


def _is_person(name: str | None) -> bool:
    return entity_kind(normalize_name(name)) == "individual"


def mask_name(name: str) -> str:
    """王小明 → 王**: the first character and one star per hidden character."""
    return name[:1] + "*" * max(len(name) - 1, 1)


def public_view(df: pd.DataFrame, as_of: dt.date | None = None) -> pd.DataFrame:
    """Entries as the public may see them at ``as_of`` (the rules in ``credit_rules.yaml``)."""
    as_of = as_of or dt.date.today()
    pub = rules()["public"]
    if df is None or not len(df):
        return pd.DataFrame(columns=pub["fields"])
    shown = df["public"].fillna(False).astype(bool) & in_force(df, as_of, int(pub.get("expired_grace_days", 0)))
    out = df.loc[shown, list(pub["fields"])].copy().astype(object)
    person = out["name"].map(_is_person).astype(bool)
    if pub["person"].get("mask_name"):
        out.loc[person, "name"] = out.loc[person, "name"].map(mask_name)
    for col in pub["person"].get("withhold", ()):
        out.loc[person, col] = None
    return out.reset_index(drop=True)


def entries(store, as_of: dt.date | None = None, *, public: bool = False, department: str | None = None,
            in_force_only: bool = True) -> pd.DataFrame:
    """The list: every entry (internal view) or what the public may see."""
    as_of = as_of or dt.date.today()
    df = store.query(f"SELECT {', '.join(ENTRY_COLUMNS)} FROM credit_entry ORDER BY decision_date DESC, entry_id")
    if department:
        df = df[df["source_department"] == department]
    if public:
        return public_view(df, as_of)
    if in_force_only and len(df):
        df = df[in_force(df, as_of)]
    return df.reset_index(drop=True)
