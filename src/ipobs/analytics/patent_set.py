"""A patent set: the patents an analysis is about, and how they were chosen.

A set is defined by any of: a saved search / query (``ipobs.search.patent_ids``), IPC codes
(prefixes, matched against every IPC code of a patent), a plan industry, an applicant entity,
a region (with its descendants), a high-value portfolio's members, or a hand list of ids.
Several parts narrow each other (AND). :func:`resolve` is the one function that turns a set
into patent ids.

Text form (CLI, API ``?set=``): clauses separated by ``;``, each ``key:value``::

    ipc:G06N,G06F;region:120116
    industry:nev
    entity:E000123
    ids:CN201910012345,CN202010054321
    portfolio:HV-2021-001
    query:锂电池 隔膜          (any clause without a known key is a query too)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

KEYS = ("query", "ipc", "industry", "entity", "region", "ids", "portfolio", "years")


class PatentSetError(ValueError):
    """A patent set that cannot be resolved (unknown industry, region, portfolio…)."""


@dataclass(frozen=True)
class PatentSet:
    query: str | None = None
    ipc: tuple[str, ...] = ()
    industry: str | None = None
    entity: str | None = None
    region: str | None = None
    ids: tuple[str, ...] = ()
    portfolio: str | None = None
    years: tuple[int, int] | None = None  # filing years, inclusive

    @classmethod
    def parse(cls, text: str) -> PatentSet:
        """Read the text form (see the module docstring)."""
        kw: dict = {}
        for clause in (c.strip() for c in (text or "").split(";")):
            if not clause:
                continue
            key, sep, value = clause.partition(":")
            key = key.strip().lower()
            if not sep or key not in KEYS:
                key, value = "query", clause
            value = value.strip()
            if not value:
                raise PatentSetError(f"set clause {clause!r} has no value")
            if key in ("ipc", "ids"):
                kw[key] = tuple(v.strip().upper().replace(" ", "") for v in value.replace("，", ",").split(",") if v.strip())
            elif key == "years":
                a, _, b = value.partition("-")
                try:
                    kw[key] = (int(a), int(b or a))
                except ValueError:
                    raise PatentSetError(f"years must look like 2015-2024, not {value!r}") from None
            elif key == "query" and "query" in kw:
                kw["query"] += ";" + value
            else:
                kw[key] = value
        if not kw:
            raise PatentSetError("empty patent set: give a query, ipc:, industry:, entity:, region:, ids: or portfolio:")
        return cls(**kw)

    def to_text(self) -> str:
        parts = []
        for key in KEYS:
            v = getattr(self, key)
            if not v:
                continue
            if key in ("ipc", "ids"):
                v = ",".join(v)
            elif key == "years":
                v = f"{v[0]}-{v[1]}"
            parts.append(f"{key}:{v}")
        return ";".join(parts)

    def describe(self, lang: str = "zh") -> str:
        """How the set was defined, in words."""
        from ipobs.entities.regions import regions
        from ipobs.records.industries import industries

        zh = lang == "zh"
        out = []
        if self.query:
            out.append(f"检索式“{self.query}”" if zh else f"search “{self.query}”")
        if self.ipc:
            out.append(("IPC分类号(任一分类)以 " if zh else "any IPC code starting with ") + "、".join(self.ipc))
        if self.industry:
            ind = industries().get(self.industry)
            name = (ind.zh if zh else ind.en) if ind else self.industry
            out.append(f"规划产业：{name}(按主分类号)" if zh else f"plan industry: {name} (by main IPC)")
        if self.entity:
            out.append(f"申请人/专利权人主体 {self.entity}" if zh else f"applicant/owner entity {self.entity}")
        if self.region:
            r = regions().get(self.region)
            name = (r.name if zh else r.name_en) if r else self.region
            out.append(f"统计归属区域：{name}(含下级)" if zh else f"region of attribution: {name} (and below)")
        if self.portfolio:
            out.append(f"高价值专利组合 {self.portfolio} 的成员" if zh else f"members of portfolio {self.portfolio}")
        if self.ids:
            out.append(f"指定的 {len(self.ids)} 件专利" if zh else f"a list of {len(self.ids)} patents")
        if self.years:
            out.append(f"申请年 {self.years[0]}–{self.years[1]}" if zh else f"filed {self.years[0]}–{self.years[1]}")
        return ("；" if zh else "; ").join(out)

    def narrowed(self, **kw) -> PatentSet:
        return replace(self, **kw)


@dataclass
class ResolvedSet:
    spec: PatentSet
    ids: list[str]
    description_zh: str
    description_en: str
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"patent_id": pd.Series(self.ids, dtype="string")})

    def to_dict(self) -> dict:
        return {"set": self.spec.to_text(), "size": len(self.ids), "description_zh": self.description_zh,
                "description_en": self.description_en, "warnings": self.warnings}


def _like_any(column: str, prefixes: tuple[str, ...]) -> tuple[str, list]:
    return "(" + " OR ".join(f"{column} LIKE ?" for _ in prefixes) + ")", [p + "%" for p in prefixes]


def resolve(store, pset: PatentSet | str) -> ResolvedSet:
    """The patent ids of a set (sorted), with a description of how it was defined."""
    if isinstance(pset, str):
        pset = PatentSet.parse(pset)
    where, params, warnings = [], [], []
    if pset.ipc:
        cond, p = _like_any("i.ipc", pset.ipc)
        where.append(f"p.patent_id IN (SELECT i.patent_id FROM patent_ipc i WHERE {cond})")
        params += p
    if pset.industry:
        from ipobs.records.industries import industries

        if pset.industry not in industries():
            raise PatentSetError(f"unknown industry {pset.industry!r}; known: {', '.join(industries())}")
        where.append("p.industry = ?")
        params.append(pset.industry)
    if pset.entity:
        where.append("p.patent_id IN (SELECT patent_id FROM patent_party WHERE entity_id = ? "
                     "AND role IN ('applicant', 'owner'))")
        params.append(pset.entity)
    if pset.region:
        from ipobs.entities.regions import descendants

        try:
            codes = descendants(pset.region)
        except KeyError:
            raise PatentSetError(f"unknown region {pset.region!r}") from None
        where.append(f"p.region_code IN ({','.join('?' * len(codes))})")
        params += list(codes)
    if pset.years:
        where.append("year(p.filing_date) BETWEEN ? AND ?")
        params += list(pset.years)
    listed: list[str] | None = None
    if pset.ids:
        listed = list(pset.ids)
    if pset.portfolio:
        members = portfolio_members(store, pset.portfolio)
        listed = members if listed is None else [i for i in listed if i in set(members)]
    if pset.query:
        listed_q = _query_ids(store, pset.query)
        listed = listed_q if listed is None else [i for i in listed if i in set(listed_q)]
    sql = "SELECT p.patent_id FROM patent p"
    if listed is not None:
        cur = store.con.cursor()
        try:
            cur.register("_listed", pd.DataFrame({"patent_id": pd.Series(listed, dtype="string")}))
            ids = _run(cur, sql + " JOIN _listed l USING (patent_id)", where, params)
        finally:
            cur.close()
        unknown = len(set(listed)) - len(set(ids)) if not where else 0
        if unknown > 0:
            warnings.append(f"{unknown} listed ids are not in the store")
    else:
        ids = _run(store.con, sql, where, params)
    return ResolvedSet(pset, sorted(set(ids)), pset.describe("zh"), pset.describe("en"), warnings)


def _run(con, sql, where, params) -> list[str]:
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [r[0] for r in con.execute(sql, params).fetchall()]


def _query_ids(store, query: str) -> list[str]:
    try:
        from ipobs.search import patent_ids
    except ImportError:
        raise PatentSetError("full-text search (ipobs.search) is not available; define the set by "
                             "ipc:, industry:, entity:, region: or ids: instead") from None
    return list(patent_ids(store, query))


def portfolio_members(store, item_id: str) -> list[str]:
    row = store.con.execute(
        "SELECT members FROM program_item WHERE item_id = ? AND program = 'hv_portfolio'", [item_id]
    ).fetchone()
    if row is None:
        raise PatentSetError(f"no high-value portfolio {item_id!r} in the programme ledger")
    return split_members(row[0])


def split_members(text: str | None) -> list[str]:
    """``members`` of a ledger row: ids separated by ; , or whitespace."""
    import re

    return list(dict.fromkeys(m for m in re.split(r"[;,，；\s]+", text or "") if m))
