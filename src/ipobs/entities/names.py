"""Applicant and owner names: normalization, joint-applicant splitting, kinds.

The rules are data (``names.yaml``). :func:`normalize_name` gives the form stored as
``name_norm`` (full-width → half-width, one kind of bracket, no stray spaces);
:func:`name_stages` folds further, one rule at a time, and :func:`group_key` is the last
fold, the key under which variants become one entity.

Examples
--------
>>> normalize_name(" 天津 南玻节能玻璃有限公司（筹） ")
'天津南玻节能玻璃有限公司(筹)'
>>> split_names("甲公司；乙大学 | Sony Co., Ltd., Panasonic Corp")
('甲公司', '乙大学', 'Sony Co., Ltd.', 'Panasonic Corp')
>>> group_key("天津市南玻工程玻璃有限责任公司") == group_key("天津南玻工程玻璃股份有限公司")
True
>>> group_key("Sony Co.,Ltd") == group_key("SONY COMPANY LIMITED")
True
>>> entity_kind("南开大学"), entity_kind("王小明"), entity_kind("天津市知识产权局")
('university', 'individual', 'government')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd
import yaml

_HAN = "\u4e00-\u9fff"


@dataclass(frozen=True)
class Stage:
    rule: str
    confidence: float


@lru_cache(maxsize=1)
def rules() -> dict:
    text = resources.files("ipobs.entities").joinpath("names.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def stages() -> tuple[Stage, ...]:
    return tuple(Stage(s["rule"], float(s["confidence"])) for s in rules()["stages"])


PERSON = Stage("person-name", 0.5)


# ------------------------------------------------------------------ normalization
_SPACES = re.compile(r"\s+")
_AROUND_HAN = re.compile(rf"\s*([{_HAN}()])\s*")
_EDGE = re.compile(r"^[\s,;，；、|.。:：]+|[\s,;，；、|:：]+$")
_TAG = re.compile(r"^\s*[\[【]标[\]】]\s*")


@lru_cache(maxsize=1 << 20)
def normalize_name(text: str | None) -> str | None:
    """The stored normalized form of a name (None for a blank one)."""
    if text is None:
        return None
    t = unicodedata.normalize("NFKC", str(text))
    t = _TAG.sub("", t)
    t = t.replace("〔", "(").replace("〕", ")").replace("[", "(").replace("]", ")")
    t = _SPACES.sub(" ", t).strip()
    t = _AROUND_HAN.sub(r"\1", t)
    t = _EDGE.sub("", t)
    return t or None


@lru_cache(maxsize=1)
def _split_re() -> tuple[re.Pattern, re.Pattern]:
    seps = re.escape(rules()["separators"]).replace("\\\n", "\n")
    forms = sorted({f.replace(" ", r"\.?\s*") for f in rules()["company_forms_en"]}, key=len, reverse=True)
    # a comma not followed by a legal form ("Sony Co., Ltd." keeps its comma)
    comma = re.compile(rf",(?!\s*(?:{'|'.join(forms)})\b\.?\s*(?:,|$))|，", re.IGNORECASE)
    return re.compile(rf"[{seps}]|\s\|\s"), comma


@lru_cache(maxsize=1 << 18)
def split_names(cell: str | None) -> tuple[str, ...]:
    """Joint applicants in one cell, each normalized, in order, without repeats."""
    if cell is None:
        return ()
    hard, comma = _split_re()
    out: list[str] = []
    for part in hard.split(unicodedata.normalize("NFKC", str(cell))):
        for piece in comma.split(part):
            n = normalize_name(piece)
            if n and n not in out:
                out.append(n)
    return tuple(out)


# ------------------------------------------------------------------ folding stages
_PUNCT = re.compile(rf"[^\w{_HAN}]+|_")
_HAN_SPACE = re.compile(rf"(?<=[{_HAN}]) | (?=[{_HAN}])")


@lru_cache(maxsize=1)
def _place_prefix() -> re.Pattern:
    from ipobs.entities.divisions import place_short_names

    names = sorted(place_short_names(), key=len, reverse=True)
    suffixes = sorted(rules()["place_suffixes"], key=len, reverse=True)
    return re.compile(rf"^({'|'.join(map(re.escape, names))})(?:{'|'.join(map(re.escape, suffixes))})")


@lru_cache(maxsize=1)
def _forms() -> tuple[tuple[str, ...], tuple[str, ...]]:
    zh = tuple(sorted(rules()["company_forms_zh"], key=len, reverse=True))
    en = tuple(sorted(rules()["company_forms_en"], key=len, reverse=True))
    return zh, en


def _case_punct(n: str) -> str:
    t = _PUNCT.sub(" ", n.upper())
    t = _SPACES.sub(" ", t).strip()
    return _HAN_SPACE.sub("", t)


def _strip_form(t: str) -> str:
    zh, en = _forms()
    for _ in range(2):
        before = t
        for f in zh:
            if t.endswith(f) and len(t) > len(f):
                t = t[: -len(f)]
                break
        for f in en:
            if t.endswith(" " + f):
                t = t[: -len(f) - 1].rstrip()
                break
        if t == before:
            break
    return t


@lru_cache(maxsize=1 << 20)
def name_stages(name_norm: str) -> tuple[str, ...]:
    """The name after each folding stage of ``names.yaml`` (one entry per stage)."""
    s0 = name_norm
    s1 = _case_punct(s0)
    s2 = _place_prefix().sub(r"\1", s1)
    s3 = _strip_form(s2) or s2
    return (s0, s1, s2, s3)


def group_key(name: str) -> str:
    """The key that groups variants of a name (persons only by their exact name)."""
    n = normalize_name(name) or ""
    if entity_kind(n) == "individual":
        return "P:" + n
    return name_stages(n)[-1]


def grouping_rule(name_norm: str, canonical: str) -> Stage:
    """The first stage at which two names become equal (the rule that groups them)."""
    a, b = name_stages(name_norm), name_stages(canonical)
    for stage, x, y in zip(stages(), a, b):
        if x == y:
            return stage
    return stages()[-1]


# ------------------------------------------------------------------ kinds
@lru_cache(maxsize=1)
def _kind_rules() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    return tuple((k["kind"], tuple(k["keywords"]), tuple(k.get("unless", ()))) for k in rules()["kinds"])


_LATIN_WORD = re.compile(r"[A-Z]+")


@lru_cache(maxsize=1 << 20)
def entity_kind(name_norm: str | None) -> str | None:
    """enterprise / university / institute / bank / … / individual, from the name."""
    if not name_norm:
        return None
    up = name_norm.upper()
    words = set(_LATIN_WORD.findall(up))
    for kind, keywords, unless in _kind_rules():
        if any(u in up for u in unless):
            continue
        for k in keywords:
            if k.isascii():
                if k in words or (len(k) > 4 and k in up):
                    return kind
            elif k in up:
                return kind
    if re.fullmatch(rules()["person_pattern"], name_norm):
        return "individual"
    if re.fullmatch(r"[A-Z][A-Z'\-]+, ?[A-Z][A-Z .'\-]+", up):
        return "individual"  # "SMITH, John"
    return rules()["default_kind"]


# ------------------------------------------------------------------ vectorized
def explode_names(cells: pd.Series) -> pd.DataFrame:
    """One row per name in each cell: columns ``src`` (index of the cell), ``seq`` (1-based), ``name``.

    Each distinct cell is split once.
    """
    from ipobs.entities.distinct import apply_distinct

    lists = apply_distinct(cells.astype("string"), split_names)
    ex = pd.DataFrame({"src": cells.index, "name": lists}).explode("name")
    ex = ex[ex["name"].notna()]
    ex["seq"] = ex.groupby("src", sort=False).cumcount() + 1
    return ex.reset_index(drop=True)
