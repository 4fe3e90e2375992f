"""Search, similar patents and patent sets: the functions the CLI, the web API and analytics call."""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from dataclasses import asdict, dataclass, field

import tantivy
from tantivy import Occur, Query

from ipobs.records.schema import enum_label
from ipobs.search import analysis as A
from ipobs.search import facets as FACETS
from ipobs.search import highlight as H
from ipobs.search.compile import compile_query
from ipobs.search.documents import decode_pid
from ipobs.search.index import ensure_fresh, index_dir, open_index
from ipobs.search.query import QueryError, format_query, parse
from ipobs.search.saved import saved_query

SORTS = ("relevance", "date", "date_asc")
MAX_PER_PAGE = 1000
MAX_RESULT_WINDOW = 100_000  # page × per_page beyond this: narrow the query instead


@dataclass
class Hit:
    id: str
    score: float | None
    title: str
    title_html: str
    title_en: str
    snippet: str
    applicants: list[str]
    kind: str | None
    kind_label: str
    filing_date: str | None
    publication_no: str | None
    grant_date: str | None
    status: str | None
    status_label: str
    ipc_main: str | None
    region_code: str | None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SearchResult:
    query: str  # the query as understood (canonical form)
    total: int  # exact number of matching patents
    page: int
    per_page: int
    sort: str
    hits: list[Hit]
    facets: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stale: bool = False
    took_ms: float = 0.0
    synthetic: bool = False

    def to_dict(self) -> dict:
        d = asdict(self)
        d["hits"] = [h.to_dict() for h in self.hits]
        if self.synthetic:
            d["label"] = "合成演示数据 SYNTHETIC"
        return d


class SearchError(ValueError):
    """A search that cannot run with these options (bad page, sort…)."""


def _check_options(page: int, per_page: int, sort: str) -> None:
    if sort not in SORTS:
        raise SearchError(f"unknown sort '{sort}'; use one of {', '.join(SORTS)}")
    if page < 1:
        raise SearchError(f"page must be 1 or more, not {page}")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise SearchError(f"per_page must be between 1 and {MAX_PER_PAGE}, not {per_page}")
    if page * per_page > MAX_RESULT_WINDOW:
        raise SearchError(f"page {page} × {per_page} goes past the first {MAX_RESULT_WINDOW:,} results; "
                          "narrow the query or export with patent_ids")


def _open(store, update_index: bool | None):
    fresh = ensure_fresh(store, update_index=update_index)
    opened = open_index(index_dir(store))
    if opened is None:  # removed between the check and now: build again
        fresh = ensure_fresh(store, update_index=True)
        opened = open_index(index_dir(store))
    index, _ = opened
    return index, fresh


def _payload(searcher, addr) -> dict:
    return json.loads(bytes(searcher.doc(addr).get_first("payload")).decode("utf-8"))


def _hit(p: dict, score, hl) -> Hit:
    title = p.get("title") or ""
    return Hit(
        id=p["id"],
        score=None if score is None else round(float(score), 4),
        title=title,
        title_html=H.highlight_full(title, hl.terms["title"], hl.prefixes["title"],
                                    substrings=hl.substrings["title"]),
        title_en=p.get("title_en") or "",
        snippet=H.snippet(p.get("abstract") or "", hl.terms["abstract"], hl.prefixes["abstract"],
                          substrings=hl.substrings["abstract"]),
        applicants=p.get("applicants") or [],
        kind=p.get("kind"),
        kind_label=enum_label("patent_kind", p.get("kind")),
        filing_date=p.get("filing_date"),
        publication_no=p.get("publication_no"),
        grant_date=p.get("grant_date"),
        status=p.get("status"),
        status_label=enum_label("patent_status", p.get("status")),
        ipc_main=p.get("ipc_main"),
        region_code=p.get("region_code"),
    )


def resolve(store, query_or_name: str) -> str:
    """A saved search's query when ``query_or_name`` names one, else the text itself."""
    saved = saved_query(store, query_or_name.strip()) if query_or_name and query_or_name.strip() else None
    return saved if saved is not None else query_or_name


def search(store, query: str, page: int = 1, per_page: int = 20, sort: str = "relevance", facets: bool = True,
           *, update_index: bool | None = None, lang: str = "zh") -> SearchResult:
    """Run a query (see docs/search.md) over the patents of ``store``.

    Raises :class:`QueryError` (with the position) for a query that cannot be read and
    :class:`SearchError` for bad paging or sort options.
    """
    t0 = time.perf_counter()
    _check_options(page, per_page, sort)
    ast = parse(query)
    index, fresh = _open(store, update_index)
    searcher = index.searcher()
    q, hl = compile_query(ast, index.schema, searcher, store, query)
    kw = {}
    if sort != "relevance":
        kw = {"order_by_field": "filed", "order": tantivy.Order.Desc if sort == "date" else tantivy.Order.Asc}
    started = FACETS.start(searcher, q) if facets else None  # counted by two threads while this one pages
    res = searcher.search(q, limit=per_page, offset=(page - 1) * per_page, count=True, **kw)
    total = res.count
    hits = [_hit(_payload(searcher, addr), None if kw else score, hl) for score, addr in res.hits]
    result = SearchResult(
        query=format_query(ast), total=total, page=page, per_page=per_page, sort=sort, hits=hits,
        facets=FACETS.compute(searcher, q, index.schema, total, lang, started) if facets else {},
        warnings=[fresh.warning] if fresh.warning else [], stale=fresh.stale, synthetic=fresh.synthetic,
    )
    result.took_ms = round((time.perf_counter() - t0) * 1000, 2)
    return result


def patent_ids(store, query: str, *, update_index: bool | None = None) -> list[str]:
    """Ids of every patent matching a query or a saved search's name, sorted (analytics' patent set)."""
    text = resolve(store, query)
    ast = parse(text)
    index, _ = _open(store, update_index)
    searcher = index.searcher()
    q, _ = compile_query(ast, index.schema, searcher, store, text)
    total = searcher.search(q, limit=1, count=True).count
    if total == 0:
        return []
    addrs = [addr for _, addr in searcher.search(q, limit=total, count=False).hits]
    nums = searcher.fast_field_values("pidnum", addrs)
    ids = []
    for addr, num in zip(addrs, nums):
        pid = decode_pid(num) if num else None
        ids.append(pid if pid else _payload(searcher, addr)["id"])
    return sorted(ids)


# --------------------------------------------------------------------------- similar patents
SIMILAR_TERMS = 25
MAX_DF_SHARE = 0.3  # terms in more than this share of patents say little


@dataclass
class SimilarHit:
    id: str
    score: float
    title: str
    applicants: list[str]
    filing_date: str | None
    ipc_main: str | None
    matched: list[str]  # the query terms this patent shares

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SimilarResult:
    source: str | None  # the patent id, or None for pasted text
    terms: list[dict]  # [{term, weight, df}] that made the query
    hits: list[SimilarHit]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"source": self.source, "terms": self.terms, "hits": [h.to_dict() for h in self.hits],
                "warnings": self.warnings}


class NotFound(KeyError):
    """No patent with that id in the index."""


def _doc_by_id(searcher, schema, pid: str):
    res = searcher.search(Query.term_query(schema, "id", pid), limit=1)
    if not res.hits:
        return None, None
    addr = res.hits[0][1]
    return addr, _payload(searcher, addr)


def _terms_of(text: str) -> Counter:
    return Counter(t for t in A.analyze(A.ZH, A.fine(text)) if _worth(t))


def _worth(term: str) -> bool:
    """Single CJK characters (的, 种, 于…) and one-letter tokens carry no topic."""
    return len(term) > 1 and not term.isdigit()


def top_terms(searcher, title: str, abstract: str, k: int = SIMILAR_TERMS) -> list[dict]:
    """The source's most distinctive terms: tf (title counts twice) × BM25 idf over the index."""
    tf = _terms_of(abstract)
    for t, n in _terms_of(title).items():
        tf[t] += 2 * n
    n_docs = max(searcher.num_docs, 1)
    scored = []
    for t, f in tf.items():
        df = max(searcher.doc_freq("title_fine", t), searcher.doc_freq("abstract_fine", t))
        if df == 0 or (n_docs >= 20 and df > MAX_DF_SHARE * n_docs):
            continue
        idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        scored.append({"term": t, "weight": round(f * idf, 4), "df": int(df)})
    scored.sort(key=lambda d: (-d["weight"], d["term"]))
    return scored[:k]


def similar(store, patent_id: str | None = None, text: str | None = None, limit: int = 20,
            *, update_index: bool | None = None) -> SimilarResult:
    """Patents most like a patent (by id) or a pasted text, with the terms that made the match."""
    if bool(patent_id) == bool(text and text.strip()):
        raise SearchError("give a patent id or a text (one of them)")
    if len(text or "") > 20_000:
        raise SearchError(f"text too long: {len(text):,} characters (the limit is 20,000)")
    index, fresh = _open(store, update_index)
    searcher = index.searcher()
    schema = index.schema
    exclude = None
    if patent_id:
        pid = patent_id.strip().upper()
        addr, p = _doc_by_id(searcher, schema, pid)
        if p is None:
            raise NotFound(f"no patent {patent_id!r} in the search index")
        title, abstract, exclude = p.get("title") or "", p.get("abstract") or "", pid
        title = f"{title} {p.get('title_en') or ''}"
    else:
        title, abstract = "", text
    terms = top_terms(searcher, title, abstract)
    warnings = [fresh.warning] if fresh.warning else []
    if not terms:
        warnings.append("no distinctive terms: the text shares no words with the indexed patents")
        return SimilarResult(exclude, [], [], warnings)
    should = []
    for t in terms:
        should.append((Occur.Should, Query.boost_query(Query.term_query(schema, "title_fine", t["term"]),
                                                        2 * t["weight"])))
        should.append((Occur.Should, Query.boost_query(Query.term_query(schema, "abstract_fine", t["term"]),
                                                        t["weight"])))
    q = Query.boolean_query(should)
    if exclude:
        q = Query.boolean_query([(Occur.Must, q), (Occur.MustNot, Query.term_query(schema, "id", exclude))])
    res = searcher.search(q, limit=limit)
    wanted = {t["term"] for t in terms}
    hits = []
    for score, addr in res.hits:
        p = _payload(searcher, addr)
        have = set(_terms_of(f"{p.get('title') or ''} {p.get('title_en') or ''}")) | set(_terms_of(p.get("abstract") or ""))
        hits.append(SimilarHit(p["id"], round(float(score), 4), p.get("title") or "", p.get("applicants") or [],
                               p.get("filing_date"), p.get("ipc_main"),
                               [t["term"] for t in terms if t["term"] in have & wanted]))
    return SimilarResult(exclude, terms, hits, warnings)


__all__ = ["Hit", "NotFound", "QueryError", "SearchError", "SearchResult", "SimilarHit", "SimilarResult",
           "patent_ids", "resolve", "search", "similar", "top_terms"]
