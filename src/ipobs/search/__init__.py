"""Patent search: full text in Chinese and English, fielded, ranked, faceted, similar patents.

Public interface (see docs/search.md)::

    search(store, query, page=1, per_page=20, sort="relevance", facets=True) -> SearchResult
    similar(store, patent_id=None, text=None, limit=20) -> SimilarResult
    patent_ids(store, query_or_saved_name) -> list[str]
    save_search(store, name, query)            # a named patent set
    ensure_fresh(store) / build(store)         # the index beside the database
"""

from ipobs.search.index import Freshness, build, ensure_fresh, index_dir
from ipobs.search.query import QueryError, format_query, parse
from ipobs.search.saved import SavedSearchError, save_search, saved_query, saved_searches
from ipobs.search.service import (Hit, NotFound, SearchError, SearchResult, SimilarHit, SimilarResult, patent_ids,
                                  search, similar)

__all__ = [
    "Freshness", "Hit", "NotFound", "QueryError", "SavedSearchError", "SearchError", "SearchResult", "SimilarHit",
    "SimilarResult", "build", "ensure_fresh", "format_query", "index_dir", "parse", "patent_ids", "save_search",
    "saved_query", "saved_searches", "search", "similar",
]
