"""Classification reference data shipped with the package (derived by ``data/build_reference.py``).

- IPC → strategic emerging industries (CNIPA 2021 concordance): :func:`sei_classifier`.
  The concordance has **no H01L and no H10 rows** (see ``data/README.md``): semiconductor
  devices are never matched by it, and :func:`sei_gap_codes` says which codes fall in the gap.
- IPC → WIPO's 35 technology fields (Schmoch concordance, plus H10 → Semiconductors):
  :func:`wipo_field`.
- IPC titles in Chinese (CNIPA 2026.01) and English (WIPO, ~2020.01) down to main group:
  :func:`ipc_title`.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

SEI_GAP_PREFIXES = ("H01L", "H10")  # absent from the 2021 concordance as shipped


def _read_tsv(name: str) -> list[dict]:
    raw = resources.files("ipobs.analytics").joinpath("data", name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8")), delimiter="\t"))


def split_ipc(code: str) -> tuple[str, str | None, str | None]:
    """``G06F17/30`` → (``G06F``, ``17``, ``30``); a bare subclass gives (``G06F``, None, None)."""
    code = code.strip().upper().replace(" ", "")
    m = re.match(r"^([A-H]\d\d[A-Z]?)(?:0*(\d+)(?:/(\d+))?)?", code)
    if not m:
        return code, None, None
    return m.group(1), m.group(2), m.group(3)


def main_group(code: str) -> str | None:
    sub, mg, _ = split_ipc(code)
    return f"{sub}{mg}/00" if mg else None


# ---------------------------------------------------------------- SEI concordance
@dataclass(frozen=True)
class SeiRule:
    rule_id: int
    sei_code: str  # second level, "1.5"
    sei_name: str
    keywords: str
    terms: tuple[str, ...]  # keyword conditions usable on title/abstract (empty: IPC alone decides)
    excluded: tuple[str, ...]  # "不包括…" terms

    @property
    def industry(self) -> str:
        return self.sei_code.split(".")[0]


_GENERIC = re.compile(r"相关关键词|^产品$|^其他$")
_SUFFIXES = ("设备制造", "制造", "生产", "服务", "修理", "加工", "销售", "开发", "研发")


def parse_keywords(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Keyword text of a rule → (terms, excluded terms). Generic notes ("汽车相关关键词") give no terms.

    The official column is prose (scope lists, exclusions, generic notes); this reading keeps
    phrases of 2–12 characters after dropping activity suffixes (制造, 生产, 服务…).
    """
    terms: list[str] = []
    excluded: list[str] = []
    for seg in re.split(r"[；;。]", text or ""):
        seg = seg.strip()
        if not seg or _GENERIC.search(seg):
            continue
        negative = bool(re.match(r"^(不包括|不包含|不含)", seg))
        seg = re.sub(r"^(不包括|不包含|不含)", "", seg)
        for part in re.split(r"[、，,及和等]", seg):
            part = re.sub(r"[（(].*?[)）]", "", part).strip(" \u3000“”\"'")
            for suf in _SUFFIXES:
                if part.endswith(suf) and len(part) > len(suf) + 1:
                    part = part[: -len(suf)]
                    break
            if 2 <= len(part) <= 12:
                (excluded if negative else terms).append(part)
    return tuple(dict.fromkeys(terms)), tuple(dict.fromkeys(excluded))


@dataclass
class SeiClassifier:
    """IPC (+ optional text) → SEI rules. Patterns: exact codes, ``*`` wildcards (prefix)."""

    rules: dict[int, SeiRule]
    exact: dict[str, set[int]] = field(default_factory=dict)
    prefixes: list[tuple[str, int]] = field(default_factory=list)

    def add(self, pattern: str, rule_id: int) -> None:
        pattern = pattern.strip().upper().replace(" ", "")
        if pattern.endswith("*"):
            self.prefixes.append((pattern[:-1], rule_id))
        else:
            self.exact.setdefault(pattern, set()).add(rule_id)

    def rules_for_code(self, code: str) -> set[int]:
        """Rules for one IPC code: exact subgroup, its main group, subclass and class entries, wildcards."""
        code = code.strip().upper().replace(" ", "")
        sub, mg, _ = split_ipc(code)
        keys = {code, sub, sub[:3]}
        if mg:
            keys.add(f"{sub}{mg}/00")
        out: set[int] = set()
        for k in keys:
            out |= self.exact.get(k, set())
        for p, rid in self.prefixes:
            if code.startswith(p):
                out.add(rid)
        return out

    def classify(self, codes: list[str], text: str | None = None, mode: str = "ipc") -> set[int]:
        """Rules matched by a patent's IPC codes. ``mode='keywords'`` also requires a rule's keyword
        terms (when it has usable ones) to occur in ``text`` and none of its exclusions."""
        if mode not in ("ipc", "keywords"):
            raise ValueError(f"SEI matching mode must be 'ipc' or 'keywords', not {mode!r}")
        hits: set[int] = set()
        for c in codes:
            hits |= self.rules_for_code(c)
        if mode == "keywords":
            t = text or ""
            hits = {r for r in hits if self._text_ok(self.rules[r], t)}
        return hits

    @staticmethod
    def _text_ok(rule: SeiRule, text: str) -> bool:
        if any(x in text for x in rule.excluded):
            return False
        return not rule.terms or any(x in text for x in rule.terms)


@lru_cache(maxsize=1)
def sei_rules() -> dict[int, SeiRule]:
    out = {}
    for r in _read_tsv("sei_rules.tsv.gz"):
        terms, excluded = parse_keywords(r["keywords"])
        out[int(r["rule_id"])] = SeiRule(int(r["rule_id"]), r["sei_code"], r["sei_name"], r["keywords"], terms, excluded)
    return out


@lru_cache(maxsize=1)
def sei_classifier() -> SeiClassifier:
    clf = SeiClassifier(sei_rules())
    for r in _read_tsv("sei_ipc.tsv.gz"):
        clf.add(r["ipc"], int(r["rule_id"]))
    return clf


@lru_cache(maxsize=1)
def sei_industries() -> dict[str, tuple[str, str]]:
    """Top-level SEI industry code → (zh, en)."""
    return {r["code"]: (r["zh"], r["en"]) for r in _read_tsv("sei_industries.tsv")}


@lru_cache(maxsize=1)
def sei_categories() -> dict[str, str]:
    """Second-level SEI code → Chinese name (40 codes)."""
    out: dict[str, str] = {}
    for r in sei_rules().values():
        if len(r.sei_name) > len(out.get(r.sei_code, "")):
            out[r.sei_code] = r.sei_name
    return dict(sorted(out.items(), key=lambda kv: tuple(int(x) for x in kv[0].split("."))))


def in_sei_gap(code: str) -> bool:
    return code.strip().upper().startswith(SEI_GAP_PREFIXES)


# ------------------------------------------------------------------- WIPO fields
@dataclass(frozen=True)
class WipoField:
    number: int
    sector_en: str
    en: str
    zh: str


@lru_cache(maxsize=1)
def _wipo() -> tuple[dict[str, int], dict[int, WipoField]]:
    patterns, fields = {}, {}
    for r in _read_tsv("wipo_fields.tsv.gz"):
        n = int(r["field"])
        patterns[r["pattern"]] = n
        fields[n] = WipoField(n, r["sector_en"], r["field_en"], r["field_zh"])
    return patterns, fields


def wipo_fields() -> dict[int, WipoField]:
    return _wipo()[1]


def wipo_field(code: str | None) -> int | None:
    """WIPO technology field (1–35) of an IPC code: the longest matching concordance row."""
    if not code or code.upper().startswith("LOC"):
        return None
    patterns = _wipo()[0]
    sub, mg, _ = split_ipc(code)
    for key in ((f"{sub}{mg}/" if mg else None), sub, sub[:3]):
        if key and key in patterns:
            return patterns[key]
    return None


# -------------------------------------------------------------------- IPC titles
@lru_cache(maxsize=1)
def _titles() -> dict[str, tuple[str, str]]:
    return {r["code"]: (r["title_zh"], r["title_en"]) for r in _read_tsv("ipc_titles.tsv.gz")}


def ipc_title(code: str, lang: str = "zh") -> str:
    """The title of an IPC code (subgroups get their main group's title); '' when unknown.

    Falls back to the other language when one edition lacks the code (H01L has no Chinese
    title in the 2026 edition; H10 has no English title in the ~2020 one)."""
    t = _titles()
    sub, mg, _ = split_ipc(code)
    for key in (code.strip().upper(), f"{sub}{mg}/00" if mg else None, sub):
        if key and key in t:
            zh, en = t[key]
            first, second = (zh, en) if lang == "zh" else (en, zh)
            return first or second
    return ""


# ------------------------------------------------------------------ region names
@lru_cache(maxsize=1)
def _divisions() -> dict[str, str]:
    return {r["code"]: r["name"] for r in _read_tsv("divisions.tsv.gz")}


def region_name(code: str | None, lang: str = "zh") -> str:
    """Name of a region code: the project's region table first (Binhai zones, streets), then the
    national division list (provinces, cities, districts); the code itself when unknown."""
    if not code:
        return "未知" if lang == "zh" else "unknown"
    from ipobs.entities.regions import regions

    r = regions().get(code)
    if r is not None:
        return r.name if lang == "zh" or not r.name_en else r.name_en
    return _divisions().get(code, code)
