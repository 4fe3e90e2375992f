"""The demo region's entities: who files, owns, lends, insures and represents.

Enterprises get unique trade names (字号) and a filing weight from a heavy-tailed
(Zipf-like) law: a few firms file thousands of applications, a long tail a handful.
Each entity also has the messy variants real exports carry (天津 / 天津市, 有限公司 /
有限责任公司, （）/ (), stray spaces, an English name); ``entity_alias`` maps every variant's
normalized form to its entity (rule ``demo-truth``), so name resolution can be tested
against the truth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ipobs.demo.codes import chinese_numeral, uscc
from ipobs.demo.config import calibration, names, stream
from ipobs.demo.strings import arr, cat, column, digits, pick, where
from ipobs.records.industries import industries

CLASSES = ("enterprise", "individual", "academic", "agency", "bank", "insurer", "guarantor", "association")
ENTERPRISE, INDIVIDUAL, ACADEMIC, AGENCY, BANK, INSURER, GUARANTOR, ASSOCIATION = range(len(CLASSES))
INDUSTRY_IDS = (*industries().keys(), "other")  # index 7 = no plan industry
OTHER_INDUSTRY = len(INDUSTRY_IDS) - 1
# share of enterprises per industry (the region's industrial structure)
INDUSTRY_WEIGHTS = np.array([0.22, 0.10, 0.18, 0.16, 0.10, 0.10, 0.04, 0.10])


@dataclass
class EntityPool:
    """Every entity as columns; index i is entity ``ids[i]``."""

    ids: pa.Array
    name: pa.Array
    name_en: pa.Array
    cls: np.ndarray          # index into CLASSES
    kind: np.ndarray         # entity_kind code
    binhai: np.ndarray       # bool: registered in Binhai
    region: np.ndarray       # region code (object array, None for foreign)
    address: pa.Array
    industry: np.ndarray     # index into INDUSTRY_IDS, -1 none
    founded: np.ndarray      # datetime64[D], NaT for persons
    weight: np.ndarray       # relative filing weight within its class
    rank: np.ndarray         # size rank among enterprises (0 = largest), large for others
    country: np.ndarray      # CN, JP, US…
    uscc: pa.Array
    var_name: pa.Array = field(default=None)   # variants, grouped by entity, canonical first
    var_norm: pa.Array = field(default=None)
    var_start: np.ndarray = field(default=None)
    var_count: np.ndarray = field(default=None)

    def __len__(self) -> int:
        return len(self.cls)

    @property
    def top(self) -> np.ndarray:
        return self.rank < calibration()["entities"]["top_firms"]

    def of(self, cls: int, binhai: bool | None = None) -> np.ndarray:
        m = self.cls == cls
        if binhai is not None:
            m &= self.binhai == binhai
        return np.flatnonzero(m)

    def frame(self) -> pd.DataFrame:
        founded = pd.Series(self.founded).astype("datetime64[s]")
        return pd.DataFrame({
            "entity_id": column(self.ids),
            "name": column(self.name),
            "name_en": column(self.name_en),
            "uscc": column(self.uscc),
            "kind": self.kind,
            "address": column(self.address),
            "region_code": self.region,
            "industry": industry_labels(self.industry),
            "founded": founded,
            "synthetic": True,
        })

    def alias_frame(self) -> pd.DataFrame:
        ent = np.repeat(np.arange(len(self)), self.var_count)
        df = pd.DataFrame({"name_norm": column(self.var_norm), "entity_id": column(pick(self.ids, ent))})
        df = df.drop_duplicates("name_norm", keep="first")
        return df.assign(rule="demo-truth", confidence=1.0, manual=False)

    def choose_variant(self, rng: np.random.Generator, ent: np.ndarray, messy: float = 0.3) -> np.ndarray:
        """Index into the variant arrays for each row of entity ``ent`` (canonical mostly)."""
        start, count = self.var_start[ent], self.var_count[ent]
        other = (rng.random(len(ent)) < messy) & (count > 1)
        k = 1 + np.floor(rng.random(len(ent)) * np.maximum(count - 1, 1)).astype(np.int64)
        return start + np.where(other, k, 0)


def industry_labels(idx: np.ndarray) -> np.ndarray:
    """Industry ids for indices (None for "other" and for no industry)."""
    labels = np.array([*INDUSTRY_IDS[:-1], None, None], dtype=object)
    return labels[np.where(np.asarray(idx) < 0, len(labels) - 1, idx)]


# ---------------------------------------------------------------------------- building
def _scaled(n: float, scale: float, minimum: int) -> int:
    return max(minimum, int(round(n * scale)))


def _render(templates: list[str], which: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Fill address templates ({n} number, {k} numeral, {b} building, {road} road) per row."""
    out = pa.nulls(len(which), pa.string())
    roads = names()["roads"]
    for t_idx, template in enumerate(templates):
        rows = np.flatnonzero(which == t_idx)
        if not len(rows):
            continue
        parts = []
        for token in re.split(r"(\{\w+\})", template):
            if token == "{n}":
                parts.append(digits(rng.integers(1, 400, len(rows))))
            elif token == "{k}":
                parts.append(chinese_numeral(rng.integers(1, 14, len(rows))))
            elif token == "{b}":
                parts.append(digits(rng.integers(1, 25, len(rows))))
            elif token == "{road}":
                parts.append(pick(roads, rng.integers(0, len(roads), len(rows))))
            elif token:
                parts.append(token)
        if not any(isinstance(p, pa.Array) for p in parts):
            parts.append(pa.array([""] * len(rows)))
        filled = cat(*parts)
        out = pc.replace_with_mask(out, _mask(len(which), rows), filled)
    return out


def _mask(n: int, rows: np.ndarray) -> pa.Array:
    m = np.zeros(n, dtype=bool)
    m[rows] = True
    return pa.array(m)


def _binhai_addresses(n: int, rng) -> tuple[pa.Array, np.ndarray]:
    table = names()["binhai_addresses"]
    w = np.array([r[2] for r in table], dtype=float)
    which = rng.choice(len(table), n, p=w / w.sum())
    codes = np.array([str(r[0]) for r in table], dtype=object)[which]
    return _render([r[1] for r in table], which, rng), codes


def _elsewhere_addresses(places: list[dict], n: int, rng, weighted: bool) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    w = np.array([p.get("weight", 1) for p in places], dtype=float) if weighted else np.ones(len(places))
    which = rng.choice(len(places), n, p=w / w.sum())
    codes = np.array([p["code"] for p in places], dtype=object)[which]
    return _render([p["address"] for p in places], which, rng), codes, which


def _trade_names() -> tuple[list[str], list[str], list[str], list[str]]:
    """Trade-name syllables: (first zh, first pinyin, second zh, second pinyin)."""
    first = names()["trade_first"]
    second = names()["trade_second"]
    f_zh, f_en = list(first), [re.sub(r"\d", "", v) for v in first.values()]
    s_zh, s_en = list(second), [re.sub(r"\d", "", v) for v in second.values()]
    return f_zh, f_en, s_zh, s_en


def _enterprise_names(rng, industry: np.ndarray, region_kind: np.ndarray, city: np.ndarray,
                      city_en: np.ndarray) -> tuple[pa.Array, pa.Array, list[pa.Array]]:
    """Canonical names, English names and variant names of domestic enterprises.

    Trade name + industry word combinations are unique across all enterprises, so no two
    entities share a variant.
    """
    f_zh, f_en, s_zh, s_en = _trade_names()
    nf, ns = len(f_zh), len(s_zh)
    words = names()["firm_words"]
    n = len(industry)
    t1 = np.zeros(n, dtype=np.int64)
    t2 = np.zeros(n, dtype=np.int64)
    t3 = np.full(n, -1, dtype=np.int64)
    w_idx = np.zeros(n, dtype=np.int64)
    w_offset = {}
    all_words: list[list[str]] = []
    for ind_i, ind in enumerate(INDUSTRY_IDS):
        w_offset[ind_i] = len(all_words)
        all_words += words[ind]
        rows = np.flatnonzero(industry == ind_i)
        nw = len(words[ind])
        two = nf * ns * nw
        n2 = min(len(rows), two // 2)
        combos2 = rng.choice(two, n2, replace=False)
        n3 = len(rows) - n2
        combos3 = rng.choice(two * ns, n3, replace=False) if n3 else np.zeros(0, dtype=np.int64)
        c = np.concatenate([combos2, combos3 % two])
        third = np.concatenate([np.full(n2, -1), combos3 // two])
        t1[rows] = c // (ns * nw)
        t2[rows] = (c // nw) % ns
        w_idx[rows] = w_offset[ind_i] + c % nw
        t3[rows] = third
    trade = cat(pick(f_zh, t1), pick(s_zh, t2), where(t3 >= 0, pick(s_zh, np.maximum(t3, 0)), ""))
    trade_en = cat(pick(f_en, t1), pc.utf8_lower(pick(s_en, t2)),
                   where(t3 >= 0, pc.utf8_lower(pick(s_en, np.maximum(t3, 0))), ""))
    word = pick([w[0] for w in all_words], w_idx)
    word_en = pick([w[1] for w in all_words], w_idx)

    patterns = names()["firm_patterns"]
    canon_parts = []
    out = pa.nulls(n, pa.string())
    for group in ("binhai", "tianjin", "domestic"):
        rows = np.flatnonzero(region_kind == group)
        if not len(rows):
            continue
        if group == "domestic":
            pats = [["{c}{t}{w}有限公司", 70], ["{c}{t}{w}股份有限公司", 15], ["{c}{t}{w}科技有限公司", 0]]
            pats = [p for p in pats if p[1]]
        else:
            pats = patterns[group]
        pw = np.array([p[1] for p in pats], dtype=float)
        which = rng.choice(len(pats), len(rows), p=pw / pw.sum())
        for p_i, (pat, _) in enumerate(pats):
            sub = rows[which == p_i]
            if not len(sub):
                continue
            parts = []
            for token in re.split(r"(\{\w\})", pat):
                if token == "{t}":
                    parts.append(trade.take(pa.array(sub)))
                elif token == "{w}":
                    parts.append(word.take(pa.array(sub)))
                elif token == "{c}":
                    parts.append(pick(city, sub))
                elif token:
                    parts.append(token)
            out = pc.replace_with_mask(out, _mask(n, sub), cat(*parts))
        canon_parts.append(rows)
    name_en = cat(pick(city_en, np.arange(n)), " ", trade_en, " ", word_en, " Co., Ltd.")
    return out, name_en, _variants(out, name_en, rng)


def _variants(canon: pa.Array, name_en: pa.Array, rng) -> list[tuple[pa.Array, bool]]:
    """Messy forms of canonical names, one entry per kind of variant: (names, same_norm).

    ``same_norm`` marks variants that differ from the canonical name only in spaces or
    bracket width, so their normalized form is the canonical one's. A null is "no variant".
    """
    c = canon
    none = pa.scalar(None, pa.string())
    is_city = pc.starts_with(c, "天津市")
    is_tj = pc.and_(pc.starts_with(c, "天津"), pc.invert(is_city))
    v_city = pc.if_else(is_city, cat("天津", pc.utf8_slice_codeunits(c, 3)),
                        pc.if_else(is_tj, cat("天津市", pc.utf8_slice_codeunits(c, 2)), none))
    is_llc = pc.ends_with(c, "有限责任公司")
    plain_ltd = pc.and_(pc.ends_with(c, "有限公司"), pc.invert(pc.ends_with(c, "股份有限公司")))
    plain_ltd = pc.and_(plain_ltd, pc.invert(is_llc))
    v_form = pc.if_else(plain_ltd, cat(pc.utf8_slice_codeunits(c, 0, -4), "有限责任公司"),
                        pc.if_else(is_llc, cat(pc.utf8_slice_codeunits(c, 0, -6), "有限公司"), none))
    v_space = pc.if_else(is_city, cat("天津市 ", pc.utf8_slice_codeunits(c, 3)),
                         cat(pc.utf8_slice_codeunits(c, 0, 2), " ", pc.utf8_slice_codeunits(c, 2)))
    has_paren = pc.match_substring(c, "（")
    v_width = pc.if_else(has_paren, pc.replace_substring(pc.replace_substring(c, "（", "("), "）", ")"), none)
    return [(v_city, False), (v_form, False), (v_space, True), (v_width, True), (name_en, False)]


def _person_names(rng, n: int, unique: bool) -> pa.Array:
    """Chinese person names (surname by frequency + one or two given characters)."""
    sn = names()["surnames"]
    s_zh = list(sn)
    s_w = np.array(list(sn.values()), dtype=float)
    given = list(dict.fromkeys(names()["given_chars"]))
    ng = len(given)
    if unique:
        space_two = len(s_zh) * ng * ng
        combos = rng.choice(space_two, n, replace=False)
        s = combos // (ng * ng)
        g1 = (combos // ng) % ng
        g2 = combos % ng
        single = rng.random(n) < 0.0
    else:
        s = rng.choice(len(s_zh), n, p=s_w / s_w.sum())
        g1 = rng.integers(0, ng, n)
        g2 = rng.integers(0, ng, n)
        single = rng.random(n) < 0.3
    return cat(pick(s_zh, s), pick(given, g1), where(single, "", pick(given, g2)))


def person_names(rng, n: int) -> pa.Array:
    """Names of inventors and other people (not unique)."""
    return _person_names(rng, n, unique=False)


def build_entities(seed: int, scale: float) -> EntityPool:
    """All entities of the region at a scale."""
    cal = calibration()["entities"]
    nm = names()
    rng = stream(seed, "entities")
    parts: list[dict] = []

    # -- academic (fixed list, not scaled)
    acad = nm["academic"]
    a_n = len(acad)
    a_addr = _render([a["address"] for a in acad], np.arange(a_n), rng)
    parts.append(dict(
        name=pa.array([a["name"] for a in acad]), name_en=pa.array([a["en"] for a in acad]),
        cls=np.full(a_n, ACADEMIC), kind=np.array([a["kind"] for a in acad], dtype=object),
        binhai=np.array([a["code"].startswith("120116") for a in acad]),
        region=np.array([a["code"] for a in acad], dtype=object), address=a_addr,
        industry=rng.choice(len(INDUSTRY_IDS) - 1, a_n), founded=_years_to_dates(rng, rng.integers(1895, 2016, a_n)),
        weight=np.array([a["weight"] for a in acad], dtype=float), country=np.full(a_n, "CN", dtype=object),
        variants=_academic_variants(acad),
        authority=np.full(a_n, "12", dtype=object),
    ))

    # -- domestic enterprises: Binhai, elsewhere in Tianjin, other provinces
    n_b = _scaled(cal["binhai_enterprises"], scale, 60)
    n_t = _scaled(cal["tianjin_enterprises"], scale, 10)
    n_d = _scaled(cal["domestic_enterprises"], scale, 10)
    n_e = n_b + n_t + n_d
    industry = rng.choice(len(INDUSTRY_IDS), n_e, p=INDUSTRY_WEIGHTS / INDUSTRY_WEIGHTS.sum())
    group = np.array(["binhai"] * n_b + ["tianjin"] * n_t + ["domestic"] * n_d, dtype=object)
    addr_b, code_b = _binhai_addresses(n_b, rng)
    addr_t, code_t, _ = _elsewhere_addresses(nm["elsewhere"]["tianjin"], n_t, rng, weighted=False)
    dom = nm["elsewhere"]["domestic"]
    addr_d, code_d, which_d = _elsewhere_addresses(dom, n_d, rng, weighted=True)
    city = np.concatenate([np.full(n_b + n_t, "天津", dtype=object), np.array([d["city"] for d in dom], dtype=object)[which_d]])
    city_en = np.concatenate([np.full(n_b + n_t, "Tianjin", dtype=object), np.array([d["en"] for d in dom], dtype=object)[which_d]])
    e_name, e_en, e_var = _enterprise_names(rng, industry, group, city, city_en)
    # size: Zipf-like weight by rank within Binhai and within elsewhere
    w = np.concatenate([_zipf(n_b, cal), _zipf(n_t + n_d, cal)])
    founded_year = _founded_years(rng, np.concatenate([np.arange(n_b) / n_b, np.arange(n_t + n_d) / max(n_t + n_d, 1)]))
    parts.append(dict(
        name=e_name, name_en=e_en, cls=np.full(n_e, ENTERPRISE), kind=np.full(n_e, "enterprise", dtype=object),
        binhai=group == "binhai", region=np.concatenate([code_b, code_t, code_d]),
        address=pa.concat_arrays([addr_b, addr_t, addr_d]), industry=industry,
        founded=_years_to_dates(rng, founded_year), weight=w, country=np.full(n_e, "CN", dtype=object),
        variants=e_var, authority=np.full(n_e, "91", dtype=object), rank=np.concatenate([np.arange(n_b), np.arange(n_t + n_d) + 10**6]),
    ))

    # -- foreign enterprises
    n_f = _scaled(cal["foreign_enterprises"], scale, 4)
    places = nm["elsewhere"]["foreign"]
    fw = np.array([p["weight"] for p in places], dtype=float)
    fp = rng.choice(len(places), n_f, p=fw / fw.sum())
    fn = nm["foreign_names"]
    perm = rng.permutation(n_f)
    base = perm % len(fn)
    serial = perm // len(fn)  # keep names unique beyond the list
    suffix = where(serial > 0, cat(" ", digits(serial + 1)), "")
    zh = cat(pick([f[0] for f in fn], base), where(serial > 0, cat(digits(serial + 1), "号"), ""))
    en = cat(pick([f[1] for f in fn], base), suffix)
    f_name = pa.nulls(n_f, pa.string())
    f_en = pa.nulls(n_f, pa.string())
    for p_i, p in enumerate(places):
        rows = np.flatnonzero(fp == p_i)
        if not len(rows):
            continue
        idx = pa.array(rows)
        pz = [zh.take(idx) if t == "{zh}" else t for t in re.split(r"(\{zh\})", p["pattern"]) if t]
        pe = [en.take(idx) if t == "{en}" else t for t in re.split(r"(\{en\})", p["en_pattern"]) if t]
        f_name = pc.replace_with_mask(f_name, _mask(n_f, rows), cat(*pz))
        f_en = pc.replace_with_mask(f_en, _mask(n_f, rows), cat(*pe))
    f_addr = _render([p["address"] for p in places], fp, rng)
    parts.append(dict(
        name=f_name, name_en=f_en, cls=np.full(n_f, ENTERPRISE), kind=np.full(n_f, "enterprise", dtype=object),
        binhai=np.zeros(n_f, bool), region=np.full(n_f, None, dtype=object), address=f_addr,
        industry=rng.choice(len(INDUSTRY_IDS) - 1, n_f), founded=_years_to_dates(rng, rng.integers(1950, 2005, n_f)),
        weight=_zipf(n_f, cal) * 0.5, country=np.array([p["country"] for p in places], dtype=object)[fp],
        variants=[(f_en, False)], authority=None, rank=np.arange(n_f) + 2 * 10**6,
    ))

    # -- individuals (unique names so each is one alias)
    n_ib = _scaled(cal["binhai_individuals"], scale, 20)
    n_io = _scaled(cal["outside_individuals"], scale, 5)
    n_i = n_ib + n_io
    p_names = _person_names(rng, n_i, unique=True)
    addr_ib, code_ib = _binhai_addresses(n_ib, rng)
    addr_io, code_io, _ = _elsewhere_addresses(nm["elsewhere"]["tianjin"] + nm["elsewhere"]["domestic"], n_io, rng, True)
    spaced = pc.utf8_slice_codeunits(p_names, 0, 1)
    parts.append(dict(
        name=p_names, name_en=pa.nulls(n_i, pa.string()), cls=np.full(n_i, INDIVIDUAL),
        kind=np.full(n_i, "individual", dtype=object), binhai=np.arange(n_i) < n_ib,
        region=np.concatenate([code_ib, code_io]), address=pa.concat_arrays([addr_ib, addr_io]),
        industry=np.full(n_i, -1), founded=np.full(n_i, np.datetime64("NaT"), dtype="datetime64[D]"),
        weight=rng.pareto(3.0, n_i) + 1, country=np.full(n_i, "CN", dtype=object),
        variants=[(cat(spaced, " ", pc.utf8_slice_codeunits(p_names, 1, 10)), True)], authority=None,
    ))

    # -- agencies, banks, insurers, guarantors
    n_ag = _scaled(cal["agencies"], scale ** 0.5, 8)
    f_zh, _, s_zh, _ = _trade_names()
    combos = rng.choice(len(f_zh) * len(s_zh), n_ag, replace=False)
    pats = nm["agency_patterns"]
    pat_i = rng.integers(0, len(pats), n_ag)
    ag_name = pa.nulls(n_ag, pa.string())
    for p_i, pat in enumerate(pats):
        rows = np.flatnonzero(pat_i == p_i)
        if not len(rows):
            continue
        t = pick(f_zh, combos[rows] // len(s_zh))
        s = pick(s_zh, combos[rows] % len(s_zh))
        bits = [t if x == "{t}" else s if x == "{s}" else x for x in re.split(r"(\{\w\})", pat) if x]
        ag_name = pc.replace_with_mask(ag_name, _mask(n_ag, rows), cat(*bits))
    ag_addr, ag_code = _binhai_addresses(n_ag, rng)
    beijing = pc.starts_with(ag_name, "北京").to_numpy(zero_copy_only=False)
    ag_code = np.where(beijing, "110108", ag_code).astype(object)
    parts.append(dict(
        name=ag_name, name_en=pa.nulls(n_ag, pa.string()), cls=np.full(n_ag, AGENCY), kind=np.full(n_ag, "agency", dtype=object),
        binhai=~beijing, region=ag_code, address=ag_addr, industry=np.full(n_ag, -1),
        founded=_years_to_dates(rng, rng.integers(1995, 2020, n_ag)), weight=_zipf(n_ag, {"zipf_exponent": 0.9, "zipf_offset": 2}),
        country=np.full(n_ag, "CN", dtype=object), variants=[], authority=np.full(n_ag, "91", dtype=object),
    ))
    for cls, key, kind in ((BANK, "banks", "bank"), (INSURER, "insurers", "insurer"), (GUARANTOR, "guarantors", "guarantor"),
                           (ASSOCIATION, "associations", "government")):
        lst = nm[key]
        k = len(lst)
        addr, code = _binhai_addresses(k, rng)
        parts.append(dict(
            name=pa.array(lst), name_en=pa.nulls(k, pa.string()), cls=np.full(k, cls), kind=np.full(k, kind, dtype=object),
            binhai=np.ones(k, bool), region=code, address=addr, industry=np.full(k, -1),
            founded=_years_to_dates(rng, rng.integers(1990, 2012, k)), weight=_zipf(k, {"zipf_exponent": 0.8, "zipf_offset": 1}),
            country=np.full(k, "CN", dtype=object), variants=[],
            authority=np.full(k, "51" if cls == ASSOCIATION else "91", dtype=object),
        ))
    return _assemble(parts, rng)


def _academic_variants(acad: list[dict]) -> list[tuple[pa.Array, bool]]:
    """Listed variants of universities and institutes (the only hand-written ones)."""
    from ipobs.entities.names import normalize_name

    out = []
    width = max(len(a["variants"]) for a in acad)
    for i in range(width):
        col = [a["variants"][i] if i < len(a["variants"]) and a["variants"][i] != a["name"] else None for a in acad]
        # names whose normal form is the canonical one's (spaces) are marked same_norm
        same = [v is not None and normalize_name(v) == normalize_name(a["name"]) for v, a in zip(col, acad)]
        for flag in (True, False):
            vals = [v if (v is not None and s == flag) else None for v, s in zip(col, same)]
            if any(v is not None for v in vals):
                out.append((pa.array(vals, type=pa.string()), flag))
    return out


def _zipf(n: int, cal: dict) -> np.ndarray:
    r = np.arange(n, dtype=float)
    return (r + cal["zipf_offset"]) ** (-cal["zipf_exponent"])


def _founded_years(rng, size_pct: np.ndarray) -> np.ndarray:
    """Large firms are old; the long tail was founded all through 1995–2024."""
    n = len(size_pct)
    young = 1990 + 34 * rng.beta(2.2, 1.3, n)
    old = rng.uniform(1985, 2008, n)
    return np.where(size_pct < 0.03, old, young).astype(np.int64).clip(1985, 2024)


def _years_to_dates(rng, years: np.ndarray) -> np.ndarray:
    start = (np.asarray(years, dtype=np.int64) - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    return start + rng.integers(0, 365, len(start)).astype("timedelta64[D]")


def _assemble(parts: list[dict], rng) -> EntityPool:
    n_total = sum(len(p["cls"]) for p in parts)
    ids = cat("E", digits(np.arange(1, n_total + 1), 7))
    region = np.concatenate([np.asarray(p["region"], dtype=object) for p in parts])
    cls = np.concatenate([p["cls"] for p in parts]).astype(np.int8)
    region6 = np.array([(r[:6] if r else "000000") for r in region.tolist()], dtype=object)
    auth = np.concatenate([p["authority"] if p["authority"] is not None else np.full(len(p["cls"]), "", dtype=object)
                           for p in parts])
    has_uscc = auth != ""
    code = pa.nulls(n_total, pa.string())
    if has_uscc.any():
        made = uscc(rng, np.array([int(x) for x in region6[has_uscc]]), auth[has_uscc])
        code = pc.replace_with_mask(code, pa.array(has_uscc), made)
    pool = EntityPool(
        ids=ids,
        name=pa.concat_arrays([arr(p["name"]) for p in parts]),
        name_en=pa.concat_arrays([arr(p["name_en"]) for p in parts]),
        cls=cls,
        kind=np.concatenate([p["kind"] for p in parts]),
        binhai=np.concatenate([p["binhai"] for p in parts]).astype(bool),
        region=region,
        address=pa.concat_arrays([arr(p["address"]) for p in parts]),
        industry=np.concatenate([p["industry"] for p in parts]).astype(np.int8),
        founded=np.concatenate([p["founded"] for p in parts]).astype("datetime64[D]"),
        weight=np.concatenate([p["weight"] for p in parts]).astype(float),
        rank=np.concatenate([p.get("rank", np.full(len(p["cls"]), 10**7)) for p in parts]).astype(np.int64),
        country=np.concatenate([p["country"] for p in parts]),
        uscc=code,
    )
    _attach_variants(pool, parts)
    return pool


def normalize_names(values: pa.Array) -> pa.Array:
    """:func:`ipobs.entities.names.normalize_name` for the names the demo writes.

    Those hold no stray spaces except in ``same_norm`` variants (whose normalized form is
    the canonical one's), so only bracket width changes. The demo's tests check that this
    agrees with the scalar function on every variant of a build.
    """
    return pc.replace_substring(pc.replace_substring(values, "（", "("), "）", ")")


def _attach_variants(pool: EntityPool, parts: list[dict]) -> None:
    """Variant arrays grouped by entity, canonical first; ambiguous variants dropped."""
    ents, names_l, norms, keys = [], [], [], []
    offset = 0
    for p in parts:
        n = len(p["cls"])
        ent = np.arange(offset, offset + n)
        canon = arr(p["name"])
        canon_norm = normalize_names(canon)
        variants = [(canon, False)] + [(v if isinstance(v, tuple) else (v, False)) for v in p["variants"]]
        for j, (v, same) in enumerate(variants):
            v = arr(v)
            ents.append(ent)
            names_l.append(v)
            norms.append(pc.if_else(pc.is_valid(v), canon_norm, pa.scalar(None, pa.string())) if same else normalize_names(v))
            keys.append(np.full(n, j))
        offset += n
    ent = np.concatenate(ents)
    key = np.concatenate(keys)
    all_names = pa.concat_arrays(names_l)
    all_norms = pa.concat_arrays(norms)
    valid = pc.is_valid(all_names).to_numpy(zero_copy_only=False)
    order = np.lexsort((key, ent))
    order = order[valid[order]]
    ent = ent[order]
    all_names = all_names.take(pa.array(order))
    all_norms = all_norms.take(pa.array(order))
    # exact repeats within an entity, and normalized forms claimed by an earlier entity, go
    name_code = np.asarray(pc.dictionary_encode(all_names).indices)
    pair = ent.astype(np.int64) * (int(name_code.max(initial=0)) + 1) + name_code
    _, first_pair = np.unique(pair, return_index=True)
    keep = np.zeros(len(ent), dtype=bool)
    keep[first_pair] = True
    norm_code = np.asarray(pc.dictionary_encode(all_norms).indices)
    _, first_norm = np.unique(norm_code, return_index=True)
    owner = ent[first_norm][np.searchsorted(np.unique(norm_code), norm_code)]
    keep &= owner == ent
    rows = np.flatnonzero(keep)
    pool.var_name = all_names.take(pa.array(rows))
    pool.var_norm = all_norms.take(pa.array(rows))
    pool.var_count = np.bincount(ent[rows], minlength=len(pool))
    pool.var_start = np.concatenate([[0], np.cumsum(pool.var_count)[:-1]])
