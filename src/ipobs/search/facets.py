"""Facets: counts of the whole result set by filing year, kind, IPC subclass, applicant, zone, status.

Counts come from tantivy terms aggregations over fast fields. A terms aggregation is exact when
every index segment returned all its terms (``doc_count_error_upper_bound == 0``); when a
segment had to cut its list (many applicants), each bucket shown is counted again exactly with a
count query, so every number shown is exact. An index of one segment (what a full
build leaves: its writer's heap is sized for that) needs neither: its one segment counts every
term of the matches exactly, so every facet ordered by count is asked for its top
``2 × size + 1`` buckets (not every term: resolving 1,000 IPC subclass names cost as much as
the applicant facet) and nothing is recounted (tantivy still reports a non-zero error bound there, which only means
that terms were left out).

Ties: buckets are ordered by count, then by key (ascending, code-point order). Tantivy picks among equal counts arbitrarily, but a top-k list by count
that ends below the count of the last shown bucket holds *every* term with that count or more,
so sorting it by (count, key) gives the exact answer. Only when the list still ends on a tie
with the last shown bucket is the facet asked again with four times as many buckets (until it
ends below the tie or every term came back). At 100,000 patents the first ask settled 25 of the
27 benchmark queries with hits (the other two: ties at count 1 of small result sets, where the
second ask is cheap); before, 13 of them re-asked with 5,000 candidates. Each bucket
carries the query that narrows the search to it.

Two threads: tantivy releases the GIL while it aggregates, so the facets are asked in two
aggregations of about equal cost (:data:`THREAD_GROUPS`: the two multi-valued, large-vocabulary
facets apart) run side by side, and :func:`start` lets the caller fetch the page of hits meanwhile.
Each aggregation evaluates the query once more (about a tenth of the cost of a large facet); on two
idle cores a query with 600,000 matches took 83 ms instead of 123 ms.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

from tantivy import Occur, Query

from ipobs.records.schema import enum_label
from ipobs.search.documents import KEY_SEP, NONE

ALL_TERMS = 1000  # asked of small vocabularies so every term comes back
TIE_ROOM = 2  # one segment: a large vocabulary is first asked for TIE_ROOM × size + 1 buckets
SEGMENT_TERMS = 5000  # per-segment candidates for large vocabularies (applicants)


@dataclass(frozen=True)
class FacetDef:
    name: str
    field: str
    zh: str
    en: str
    size: int  # buckets shown
    label: Callable[[str, str], str]
    drill: Callable[[str], str | None]  # the query text for one bucket
    order: str = "count"  # count | key_desc


def _region_label(code: str, lang: str) -> str:
    from ipobs.entities.regions import regions

    r = regions().get(code)
    if r is None:
        return code
    return r.name if lang == "zh" else r.name_en


def _applicant_label(key: str, lang: str) -> str:
    return key.split(KEY_SEP, 1)[-1]


def _applicant_drill(key: str) -> str:
    ident, _, name = key.partition(KEY_SEP)
    if ident != "~":
        return f"entity:{ident}"
    return 'applicant:"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


FACETS: tuple[FacetDef, ...] = (
    FacetDef("year", "filed_year", "申请年", "filing year", 40, lambda k, lang: str(k), lambda k: f"filed:{k}",
             order="key_desc"),
    FacetDef("kind", "kind", "专利类型", "patent kind", 10, lambda k, lang: enum_label("patent_kind", k, lang),
             lambda k: f"kind:{k}"),
    FacetDef("ipc", "ipc_sub", "IPC小类", "IPC subclass", 20, lambda k, lang: k, lambda k: f"ipc:{k}"),
    FacetDef("applicant", "applicant_key", "申请人", "applicant", 20, _applicant_label, _applicant_drill),
    FacetDef("region", "zone", "区域(功能区)", "region (zone)", 30, _region_label, lambda k: f"region:{k}"),
    FacetDef("status", "status", "法律状态", "legal status", 10, lambda k, lang: enum_label("patent_status", k, lang),
             lambda k: f"status:{k}"),
)
LARGE = {"applicant"}  # vocabularies too large to ask for every term
# facets aggregated together, each group in its own thread: the costly multi-valued ones apart
THREAD_GROUPS = (("ipc", "year", "kind"), ("applicant", "region", "status"))
_POOL = ThreadPoolExecutor(len(THREAD_GROUPS), thread_name_prefix="ipobs-facets")


def _agg_spec(single_segment: bool = False) -> dict:
    spec = {}
    for f in FACETS:
        if single_segment and f.order == "count":
            n = TIE_ROOM * f.size + 1
            spec[f.name] = {"terms": {"field": f.field, "size": n, "segment_size": n}}
        elif f.name in LARGE:
            spec[f.name] = {"terms": {"field": f.field, "size": f.size, "segment_size": SEGMENT_TERMS}}
        else:
            spec[f.name] = {"terms": {"field": f.field, "size": ALL_TERMS, "segment_size": ALL_TERMS}}
    return spec


def _recount(searcher, query, schema, field: str, keys: list) -> dict:
    """Exact counts of ``keys``: one aggregation over the matches holding at least one of them
    (few enough distinct values there that every segment returns all of its terms)."""
    narrowed = Query.boolean_query([(Occur.Must, query), (Occur.Must, Query.term_set_query(schema, field, keys))])
    agg = searcher.aggregate(narrowed, {"k": {"terms": {"field": field, "size": 65_000, "segment_size": 65_000}}})
    counts = {b["key"]: int(b["doc_count"]) for b in agg["k"]["buckets"]}
    if agg["k"].get("doc_count_error_upper_bound"):  # still cut: count each key on its own
        for k in keys:
            q = Query.boolean_query([(Occur.Must, query), (Occur.Must, Query.term_query(schema, field, k))])
            counts[k] = searcher.search(q, limit=1, count=True).count
    return counts


def _settled(buckets: list, asked: int, size: int) -> bool:
    """True when a one-segment top-``asked`` list by count holds every term tied with the
    ``size``-th bucket: it came back short (every term), or it ends below that bucket's count."""
    return len(buckets) < asked or (len(buckets) > size and buckets[-1][1] < buckets[size - 1][1])


def _whole_ties(searcher, query, f: FacetDef, agg: dict, buckets: list) -> tuple[dict, list]:
    """One segment: ask again with four times as many buckets until the list holds every term
    tied with the last shown bucket (see the module docstring)."""
    asked = TIE_ROOM * f.size + 1
    while not _settled(buckets, asked, f.size):
        asked *= 4
        agg = searcher.aggregate(query, {"k": {"terms": {"field": f.field, "size": asked, "segment_size": asked}}})["k"]
        buckets = [(b["key"], int(b["doc_count"])) for b in agg.get("buckets", [])]
    return agg, buckets


def start(searcher, query) -> list[Future]:
    """Start the facets' aggregations of ``query`` (:data:`THREAD_GROUPS`) in the background; pass the
    result to :func:`compute` as ``started``."""
    spec = _agg_spec(searcher.num_segments == 1)
    named = {n for group in THREAD_GROUPS for n in group}
    groups = [{n: spec[n] for n in group if n in spec} for group in THREAD_GROUPS]
    groups[-1] |= {n: v for n, v in spec.items() if n not in named}  # a facet added to FACETS only
    return [_POOL.submit(searcher.aggregate, query, g) for g in groups if g]


def compute(searcher, query, schema, total: int, lang: str = "zh",
            started: list[Future] | None = None) -> dict[str, dict]:
    """Every facet of ``query``: ``{name: {zh, en, exact, buckets: [{key, label, count, query}]}}``.

    ``started``: what :func:`start` returned for this searcher and query (else the aggregations start here)."""
    if total == 0:
        for fut in started or ():
            fut.cancel()
        return {f.name: {"zh": f.zh, "en": f.en, "exact": True, "buckets": [], "other": 0} for f in FACETS}
    single = searcher.num_segments == 1
    raw = {}
    for fut in started if started is not None else start(searcher, query):
        raw |= fut.result()
    out = {}
    for f in FACETS:
        agg = raw.get(f.name, {})
        buckets = [(b["key"], int(b["doc_count"])) for b in agg.get("buckets", [])]
        if single and f.order == "count":
            agg, buckets = _whole_ties(searcher, query, f, agg, buckets)
        exact = single or not agg.get("doc_count_error_upper_bound")
        if not exact:  # recount the candidates exactly
            counts = _recount(searcher, query, schema, f.field, [k for k, _ in buckets])
            buckets = [(k, counts.get(k, 0)) for k, _ in buckets]
        if f.order == "key_desc":
            buckets.sort(key=lambda kv: (str(kv[0]) == NONE, -_num(kv[0])))
        else:
            buckets.sort(key=lambda kv: (-kv[1], str(kv[0])))
        shown = buckets[:f.size]
        out[f.name] = {
            "zh": f.zh,
            "en": f.en,
            "exact": True,
            "buckets": [
                {"key": str(k), "label": "未知" if str(k) in (NONE, "0") and lang == "zh" else
                 ("unknown" if str(k) in (NONE, "0") else f.label(str(k), lang)),
                 "count": n, "query": None if str(k) in (NONE, "0") else f.drill(str(k))}
                for k, n in shown
            ],
            # values in buckets not shown (a patent with several values counts in several);
            # None when the aggregation had to approximate (the shown buckets were recounted)
            "other": (int(agg.get("sum_other_doc_count", 0)) + sum(n for _, n in buckets[f.size:])) if exact else None,
        }
    return out


def _num(k) -> float:
    try:
        return float(k)
    except (TypeError, ValueError):
        return float("-inf")
