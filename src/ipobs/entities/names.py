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

import numpy as np
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

    Vectorized (:func:`explode_names_arrow`); :func:`split_names` is the scalar reference.
    """
    if not len(cells):
        return pd.DataFrame({"src": pd.Series([], dtype=object), "seq": pd.Series([], dtype="int64"),
                             "name": pd.Series([], dtype=object)})
    return explode_names_arrow(cells)


# ------------------------------------------------------------------ arrays (the same rules, vectorized)
# The functions below apply the rules above to whole columns with Arrow's RE2 kernels; the
# scalar functions stay the reference and a property test checks that both agree.
_HAN_RE2 = r"\x{4e00}-\x{9fff}"


def _arrow(values) -> "pa.Array":
    import pyarrow as pa

    if isinstance(values, pd.Series):
        values = values.astype("string").to_numpy(dtype=object, na_value=None)
    return pa.array(values, type=pa.string())


def normalize_names_arrow(arr):
    """:func:`normalize_name` over an Arrow string array (blank → null)."""
    import pyarrow.compute as pc

    t = pc.utf8_normalize(arr, "NFKC")
    t = pc.replace_substring_regex(t, r"^\s*[\[【]标[\]】]\s*", "")
    for a, b in (("〔", "("), ("〕", ")"), ("[", "("), ("]", ")")):
        t = pc.replace_substring(t, a, b)
    t = pc.replace_substring_regex(t, r"\s+", " ")
    t = pc.utf8_trim_whitespace(t)
    t = pc.replace_substring_regex(t, rf"\s+([{_HAN_RE2}()])", r"\1")
    t = pc.replace_substring_regex(t, rf"([{_HAN_RE2}()])\s+", r"\1")
    t = pc.replace_substring_regex(t, r"^[\s,;，；、|.。:：]+|[\s,;，；、|:：]+$", "")
    return pc.if_else(pc.equal(t, ""), None, t)


@lru_cache(maxsize=1)
def _comma_candidates() -> str:
    return r"[,，]"


def explode_names_arrow(cells: pd.Series) -> pd.DataFrame:
    """Vectorized :func:`explode_names`: ``src``, ``seq``, ``name`` (normalized, de-duplicated per cell)."""
    import pyarrow.compute as pc

    arr = pc.utf8_normalize(_arrow(cells), "NFKC")
    seps = rules()["separators"]
    hard = "[" + "".join("\\n" if ch == "\n" else re.escape(ch) for ch in seps) + "]"
    lists = pc.split_pattern_regex(pc.fill_null(arr, ""), hard)
    pieces = pc.list_flatten(lists)
    parent = pc.list_parent_indices(lists).to_numpy()
    src_index = cells.index.to_numpy()
    # the same names recur in many cells: normalize each distinct piece once
    enc = pc.dictionary_encode(pieces)
    codes = enc.indices.to_numpy(zero_copy_only=False)
    has_comma = pc.match_substring_regex(enc.dictionary, _comma_candidates()).to_numpy(zero_copy_only=False)[codes]
    names = normalize_names_arrow(enc.dictionary).to_numpy(zero_copy_only=False).astype(object)[codes]
    src = src_index[parent]
    if has_comma.any():  # commas need the legal-form rule: the scalar splitter, once per distinct piece
        _, comma = _split_re()
        idx = np.flatnonzero(has_comma)
        raw = pieces.to_numpy(zero_copy_only=False)
        extra_src, extra_pos, extra_name = [], [], []
        cache: dict[str, list] = {}
        for i in idx:
            p = raw[i]
            parts = cache.get(p)
            if parts is None:
                parts = cache[p] = [n for n in (normalize_name(x) for x in comma.split(p)) if n]
            for j, n in enumerate(parts):
                extra_src.append(src[i])
                extra_pos.append(i + j / 1000.0)
                extra_name.append(n)
        keep = ~has_comma
        df = pd.DataFrame({"src": np.concatenate([src[keep], np.array(extra_src, dtype=src.dtype)]),
                           "pos": np.concatenate([np.flatnonzero(keep).astype(float), np.array(extra_pos)]),
                           "name": np.concatenate([names[keep], np.array(extra_name, dtype=object)])})
        df = df.sort_values("pos", kind="stable").drop(columns="pos")
    else:
        df = pd.DataFrame({"src": src, "name": names})
    df = df[df["name"].notna()]
    df = df.drop_duplicates(["src", "name"], keep="first")
    df["seq"] = df.groupby("src", sort=False).cumcount() + 1
    return df[["src", "seq", "name"]].reset_index(drop=True)


def _re2_pattern(py_pattern: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: "\\x{" + m.group(1) + "}", py_pattern)


@lru_cache(maxsize=1)
def _vector_rules() -> dict:
    from ipobs.entities.divisions import place_short_names

    zh, en = _forms()
    places = sorted(place_short_names(), key=len, reverse=True)
    suffixes = sorted(rules()["place_suffixes"], key=len, reverse=True)
    kinds = []
    for kind, keywords, unless in _kind_rules():
        alts = []
        for k in keywords:
            if k.isascii():
                alts.append(f"(?:^|[^A-Z]){re.escape(k)}(?:[^A-Z]|$)")
                if len(k) > 4:
                    alts.append(re.escape(k))
            else:
                alts.append(re.escape(k))
        kinds.append((kind, "|".join(alts), "|".join(map(re.escape, unless))))
    return {
        "place": rf"^({'|'.join(map(re.escape, places))})(?:{'|'.join(map(re.escape, suffixes))})",
        # leftmost match = longest legal form; at least one character must remain
        "zh": rf"(.)(?:{'|'.join(map(re.escape, zh))})$",
        "en": rf" (?:{'|'.join(map(re.escape, en))})$",
        "kinds": kinds,
        "person": _re2_pattern(rules()["person_pattern"]),
    }


def stages_arrow(names) -> list:
    """The folding stages of :func:`name_stages` for an array of normalized names (4 arrays)."""
    import pyarrow.compute as pc

    v = _vector_rules()
    s0 = names if not isinstance(names, pd.Series) else _arrow(names)
    s1 = pc.utf8_upper(s0)
    s1 = pc.replace_substring_regex(s1, rf"[^\pL\pN{_HAN_RE2}]+|_", " ")
    s1 = pc.utf8_trim_whitespace(pc.replace_substring_regex(s1, r"\s+", " "))
    s1 = pc.replace_substring_regex(s1, rf"\s+([{_HAN_RE2}])", r"\1")
    s1 = pc.replace_substring_regex(s1, rf"([{_HAN_RE2}])\s+", r"\1")
    s2 = pc.replace_substring_regex(s1, v["place"], r"\1")
    s3 = s2
    for _ in range(2):
        s3 = pc.replace_substring_regex(s3, v["zh"], r"\1")
        s3 = pc.utf8_rtrim_whitespace(pc.replace_substring_regex(s3, v["en"], ""))
    s3 = pc.if_else(pc.equal(s3, ""), s2, s3)
    return [s0, s1, s2, s3]


def kinds_arrow(names) -> np.ndarray:
    """:func:`entity_kind` for an array of normalized names."""
    import pyarrow.compute as pc

    v = _vector_rules()
    s = names if not isinstance(names, pd.Series) else _arrow(names)
    up = pc.utf8_upper(s)
    out = np.full(len(s), None, dtype=object)
    undecided = np.ones(len(s), dtype=bool)
    for kind, pattern, unless in v["kinds"]:
        hit = pc.fill_null(pc.match_substring_regex(up, pattern), False).to_numpy(zero_copy_only=False)
        if unless:
            hit &= ~pc.fill_null(pc.match_substring_regex(up, unless), False).to_numpy(zero_copy_only=False)
        take = hit & undecided
        out[take] = kind
        undecided &= ~take
    person = pc.fill_null(pc.match_substring_regex(s, v["person"]), False).to_numpy(zero_copy_only=False)
    latin = pc.fill_null(pc.match_substring_regex(up, r"^[A-Z][A-Z'\-]+, ?[A-Z][A-Z .'\-]+$"), False).to_numpy(
        zero_copy_only=False)
    out[undecided & (person | latin)] = "individual"
    undecided &= ~(person | latin)
    out[undecided] = rules()["default_kind"]
    nulls = pc.is_null(s).to_numpy(zero_copy_only=False)
    out[nulls] = None
    return out
