"""Saved searches: a named query kept in the store (table ``saved_search``), so an analyst's
patent set can be reused by name — in another query (``检索式:名称``) or by analytics
(:func:`ipobs.search.patent_ids`). Saving goes through an import batch like every other write.
"""

from __future__ import annotations

import getpass
from datetime import datetime

import duckdb
import pandas as pd

from ipobs.records.batch import RecordBatch
from ipobs.search.query import QueryError, parse


class SavedSearchError(ValueError):
    """A saved search that cannot be stored (bad name, read-only store)."""


def save_search(store, name: str, query: str, description: str | None = None, user: str | None = None):
    """Store ``query`` under ``name`` (replacing an earlier query of that name). Returns the batch result."""
    name = (name or "").strip()
    if not name:
        raise SavedSearchError("a saved search needs a name")
    if any(c in name for c in "\"“”()（）:："):
        raise SavedSearchError(f"name “{name}” may not contain quotes, parentheses or colons")
    parse(query)  # raises QueryError with the position of the problem
    if store.read_only:
        raise SavedSearchError("the store is open read-only; saved searches need write access")
    frame = pd.DataFrame([{
        "name": name, "query": query, "description": description,
        "created_by": user or getpass.getuser(), "created_at": datetime.now(),
    }])
    return store.import_batch(RecordBatch("saved_searches", {"saved_search": frame}, label=f"saved search {name}"),
                              user=user)


def saved_query(store, name: str) -> str | None:
    """The query saved under ``name``, or None."""
    try:
        row = store.con.cursor().execute("SELECT query FROM saved_search WHERE name = ?", [name]).fetchone()
    except duckdb.CatalogException:  # a database created before saved searches existed
        return None
    return None if row is None else row[0]


def saved_searches(store) -> pd.DataFrame:
    """Every saved search: name, query, description, created_by, created_at."""
    try:
        return store.con.cursor().execute(
            "SELECT name, query, description, created_by, created_at FROM saved_search ORDER BY name").df()
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["name", "query", "description", "created_by", "created_at"])


__all__ = ["QueryError", "SavedSearchError", "save_search", "saved_query", "saved_searches"]
